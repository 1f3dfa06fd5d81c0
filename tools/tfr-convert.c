/*
 * tfr-convert - partials between tfr streams, SDIF (RBEP, 1TRC) and
 * SPEAR's text formats, and any tfr stream to CSV or TSV. The input
 * format is found from the content. See tfr-convert(1).
 */
#include "tool.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static void usage(void)
{
	printf(
"usage: tfr-convert [-hVv] [-F format] [-r rate] [--frame-period time]\n"
"                   [--precision single|double] [-o file] [file]\n"
"Partials between tfr streams, SDIF and SPEAR text; any tfr stream to\n"
"CSV or TSV. The input's format is found from its content.\n"
"\n"
"  -F, --format=FORMAT      output: tfr (a partials stream), rbep or 1trc\n"
"                           (SDIF), spear-partials, spear-frames, csv, tsv\n"
"                           (default: from -o's extension, .partials .sdif\n"
"                           .csv .tsv; else tfr)\n"
"  -r, --rate=FREQ          the sample rate a tfr stream made from SDIF or\n"
"                           SPEAR says (they carry none; default 44100)\n"
"      --frame-period=TIME  the frame grid of 1trc and spear-frames\n"
"                           output (default 5ms)\n"
"      --precision=P        1trc data: double (default) or single\n"
"  -o, --output=FILE        write to FILE instead of standard output\n"
"  -v, --verbose            say what was read and written on stderr\n"
"  -h, --help               show this help and exit\n"
"  -V, --version            show the version and exit\n");
}

enum { CSV = 100, TSV };  /* table outputs, beside the tfr_pformat values */

typedef struct {
	const char *input, *output;
	int format;              /* a tfr_pformat or CSV, TSV; 0: unset */
	double rate, period;
	int single, verbose;
} options;

static int format_named(const char *name)
{
	if (!strcmp(name, "csv"))
		return CSV;
	if (!strcmp(name, "tsv"))
		return TSV;
	tfr_pformat f = tfr_pformat_from_name(name);
	return f == TFR_PFORMAT_SDIF || f == TFR_PFORMAT_UNKNOWN ? 0 : (int)f;
}

static void parse(int argc, char **argv, options *o)
{
	static const char *const names[] = {
		"format", "rate", "frame-period", "precision", "output",
		"verbose", "help", "version", NULL
	};
	static const char *const precisions[] = { "double", "single", NULL };
	o->rate = 44100;
	o->period = 0.005;
	const char *opt, *arg;
	while ((opt = tool_next_option(argc, argv, names, &arg, usage))) {
		if (!strcmp(opt, "format")) {
			if (!(o->format = format_named(arg)))
				tool_usage_error("--format: '%s' is not tfr, rbep, 1trc, "
				                 "spear-partials, spear-frames, csv or tsv", arg);
		} else if (!strcmp(opt, "rate")) {
			tfr_quantity q = tool_parse_freq(opt, arg);
			if (q.unit != TFR_UNIT_HZ || !(q.value > 0 && q.value <= TFR_MAX_SAMPLE_RATE))
				tool_usage_error("--rate: '%s' is not a sample rate in Hz", arg);
			o->rate = q.value;
		} else if (!strcmp(opt, "frame-period")) {
			o->period = tool_parse_time(opt, arg, TFR_UNIT_SECONDS).value;
			if (!(o->period >= 1e-4 && o->period <= 10))
				tool_usage_error("--frame-period: %g s is not in [0.1 ms, 10 s]",
				                 o->period);
		} else if (!strcmp(opt, "precision")) {
			o->single = tool_parse_choice(opt, arg, precisions);
		} else if (!strcmp(opt, "output")) {
			o->output = arg;
		} else if (!strcmp(opt, "verbose")) {
			o->verbose = 1;
		}
	}
	o->input = tool_input_operand(argc, argv);
	if (!o->format && o->output && strcmp(o->output, "-")) {
		const char *dot = strrchr(o->output, '.');
		static const struct { const char *ext; int f; } ext[] = {
			{ ".partials", TFR_PFORMAT_TFR }, { ".sdif", TFR_PFORMAT_RBEP },
			{ ".csv", CSV }, { ".tsv", TSV },
		};
		for (size_t i = 0; dot && i < sizeof ext / sizeof ext[0]; i++)
			if (!strcasecmp(dot, ext[i].ext))
				o->format = ext[i].f;
	}
	if (!o->format)
		o->format = TFR_PFORMAT_TFR;
}

/* ---- the input: breakpoints from any format, or a tfr stream ---- */

typedef struct {
	const char *label;
	FILE *fp;
	tfr_pformat format;
	tfr_stream_reader *tfr;
	tfr_sdif_reader *sdif;
	tfr_spear_reader *spear;
} source;

static void open_source(source *s, const options *o, int any_kind)
{
	s->label = tool_input_label(o->input);
	s->fp = stdin;
	if (o->input && strcmp(o->input, "-") && !(s->fp = fopen(o->input, "rb")))
		tool_die(TOOL_EXIT_FAIL, "%s: %s", o->input, strerror(errno));
	unsigned char head[TFR_PFORMAT_HEAD];
	size_t n = fread(head, 1, sizeof head, s->fp);
	s->format = tfr_pformat_detect(head, n);
	tfr_diag d;
	if (s->format == TFR_PFORMAT_UNKNOWN && n > 5 && !memcmp(head, "#tfr ", 5))
		s->format = TFR_PFORMAT_TFR;  /* another kind: a table, or refused */
	if (s->format == TFR_PFORMAT_UNKNOWN && n >= 2 && head[0] == 0x1f && head[1] == 0x8b)
		s->format = TFR_PFORMAT_TFR;  /* gzip: a compressed stream (tfr(5)) */
	switch (s->format) {
	case TFR_PFORMAT_TFR:
		/* the stream reader reads from the start: the head goes back */
		if (fseek(s->fp, 0, SEEK_SET) != 0)
			for (size_t i = n; i-- > 0;)
				if (ungetc(head[i], s->fp) == EOF)
					tool_die(TOOL_EXIT_FAIL, "%s: cannot re-read the input", s->label);
		s->tfr = tool_stream_open_fp(s->fp, s->label, any_kind ? NULL
		                             : &tfr_partials_schema);
		return;
	case TFR_PFORMAT_SDIF:
		if (!(s->sdif = tfr_sdif_reader_new(s->fp, head, n, &d)))
			tool_die_diag(s->label, &d);
		s->format = tfr_sdif_reader_type(s->sdif) == TFR_SDIF_RBEP
		          ? TFR_PFORMAT_RBEP : TFR_PFORMAT_1TRC;
		return;
	case TFR_PFORMAT_SPEAR_PARTIALS:
	case TFR_PFORMAT_SPEAR_FRAMES:
		if (!(s->spear = tfr_spear_reader_new(s->fp, head, n, &d)))
			tool_die_diag(s->label, &d);
		return;
	default:
		tool_refuse_audio(s->label, head, n, &tfr_partials_schema);
		tool_die(TOOL_EXIT_FAIL, "%s: not a partials file (a tfr stream, SDIF or "
		         "SPEAR text)", s->label);
	}
}

/* Up to max breakpoints in stream order: the count, 0 at the end. */
static size_t read_source(source *s, tfr_breakpoint *bp, size_t max)
{
	if (s->tfr) {
		size_t n = 0;
		while (n < max && tool_stream_read(s->tfr, &bp[n]) > 0)
			n++;
		return n;
	}
	long n = s->sdif ? tfr_sdif_reader_read(s->sdif, bp, max)
	                 : tfr_spear_reader_read(s->spear, bp, max);
	if (n < 0)
		tool_die_diag(s->label, s->sdif ? tfr_sdif_reader_diag(s->sdif)
		                                : tfr_spear_reader_diag(s->spear));
	return (size_t)n;
}

static void close_source(source *s)
{
	if (s->tfr)
		tool_stream_close_input(s->tfr);
	else if (s->fp != stdin)
		fclose(s->fp);
	tfr_sdif_reader_free(s->sdif);
	tfr_spear_reader_free(s->spear);
}

/* ---- the output ---- */

/* The clip of an export (tfr_pclip.h): from 0 to the source's end, if
 * the stream's header says it (a trailer comes too late to stream),
 * less `margin` (the frame formats' rows of partials' deaths come a
 * frame after their ends). */
static tfr_pclip *export_clip(const source *s, double margin)
{
	tfr_pclip_params p;
	tfr_pclip_params_default(&p);
	if (s->tfr) {
		double rate = tool_stream_meta(s->tfr, "sample_rate", 0, INFINITY);
		double frames = tool_stream_meta_or(s->tfr, "source_frames", 1, 0x1p62, -1);
		if (frames > 0 && frames / rate > 2 * margin)
			p.to = frames / rate - margin;
	}
	tfr_diag d;
	tfr_pclip *c = tfr_pclip_new(&p, &d);
	if (!c)
		tool_die_diag(s->label, &d);
	return c;
}

/* The next breakpoints of the source within the clip: the count (*bp
 * points at them), 0 at the end. */
static size_t read_clipped(source *s, tfr_pclip *c, tfr_breakpoint *buf,
                           size_t max, const tfr_breakpoint **bp)
{
	size_t n, m = 0;
	while (!m && (n = read_source(s, buf, max)) > 0) {
		int e = tfr_pclip_process(c, buf, n);
		if (e == TFR_ENOMEM)
			tool_die(TOOL_EXIT_FAIL, "out of memory");
		if (e != TFR_OK)
			tool_die(TOOL_EXIT_FAIL, "%s: breakpoints not in time order", s->label);
		*bp = tfr_pclip_ready(c, &m);
	}
	return m;
}

/* Under -v: what the clip changed. */
static void clip_report(const tfr_pclip *c)
{
	tfr_pclip_stats st;
	tfr_pclip_get_stats(c, &st);
	if (st.moved || st.dropped || st.ended)
		tool_warn("%lld breakpoints moved to 0 s, %lld dropped, %lld partials "
		          "ended at the source's end: importers refuse what lies "
		          "outside the sound", (long long)st.moved,
		          (long long)st.dropped, (long long)st.ended);
}

static const char *out_name(int f)
{
	return f == CSV ? "csv" : f == TSV ? "tsv" : tfr_pformat_name((tfr_pformat)f);
}

/* What the output loses of what the input had: one warning. */
static void warn_losses(const source *s, const options *o, int has_labels)
{
	/* labels count as kept only when the input has some */
	unsigned in = tfr_pformat_fields(s->format) & ~(unsigned)TFR_PFIELD_LABEL;
	unsigned out = o->format == CSV || o->format == TSV
	             ? tfr_pformat_fields(TFR_PFORMAT_TFR) : tfr_pformat_fields(o->format);
	if (has_labels)
		in |= TFR_PFIELD_LABEL;
	unsigned lost = in & ~out;
	if (!lost)
		return;
	char what[200] = "";
	static const struct { unsigned bit; const char *name; } f[] = {
		{ TFR_PFIELD_TIME, "the breakpoint times (resampled on the frame grid)" },
		{ TFR_PFIELD_PHASE, "the phases" }, { TFR_PFIELD_BANDWIDTH, "the bandwidths" },
		{ TFR_PFIELD_LABEL, "the labels" },
	};
	for (size_t i = 0; i < sizeof f / sizeof f[0]; i++)
		if (lost & f[i].bit) {
			size_t n = strlen(what);
			snprintf(what + n, sizeof what - n, "%s%s", n ? ", " : "", f[i].name);
		}
	tool_warn("%s output loses %s", out_name(o->format), what);
}

/* A number as few digits as give it back exactly (for tables). */
static const char *shortest(double v, char *buf)
{
	for (int d = 1; d <= 17; d++) {
		double back;
		tfr_fmt_sig(buf, v, d);
		if (tfr_parse_double(buf, &back) == TFR_OK && back == v)
			break;
	}
	return buf;
}

/* A tfr stream of any kind as a table with a header row. */
static void write_table(FILE *fp, const char *sep, source *s,
                        tool_output *out)
{
	char num[TFR_NUMBER_MAX];
	size_t nc = s->tfr ? tfr_stream_reader_ncolumns(s->tfr) : 7;
	for (size_t i = 0; i < nc; i++)
		fprintf(fp, "%s%s", i ? sep : "", s->tfr ? tfr_stream_reader_column(s->tfr, i)
		                                          : tfr_partials_schema.columns[i].name);
	fputc('\n', fp);
	double v[64];
	tfr_breakpoint bp;
	for (;;) {
		if (s->tfr) {
			int e = tfr_stream_read_values(s->tfr, v);
			if (e < 0)
				tool_die_diag(s->label, tfr_stream_reader_diag(s->tfr));
			if (e == 0)
				break;
		} else {
			if (!read_source(s, &bp, 1))
				break;
			double r[7] = { (double)bp.partial, bp.time, bp.freq, bp.amp,
			                bp.phase, bp.bandwidth, bp.end };
			memcpy(v, r, sizeof r);
		}
		for (size_t i = 0; i < nc; i++)
			fprintf(fp, "%s%s", i ? sep : "", shortest(v[i], num));
		if (fputc('\n', fp) == EOF)
			tool_output_failed(out);
	}
}

/* Frames of the grid to a frame-format writer (1TRC or SPEAR frames). */
typedef int (*frame_writer)(void *w, double t, const tfr_grid_row *r, size_t n);

static int put_sdif_frame(void *w, double t, const tfr_grid_row *r, size_t n)
{
	return tfr_sdif_write_frame(w, t, r, n);
}

static int put_spear_frame(void *w, double t, const tfr_grid_row *r, size_t n)
{
	return tfr_spear_frames_write(w, t, r, n);
}

static void drain_grid(tfr_bpgrid *g, frame_writer put, void *w,
                       tool_output *out)
{
	double t;
	const tfr_grid_row *rows;
	size_t n;
	int e;
	while ((e = tfr_bpgrid_next(g, &t, &rows, &n)) == 1)
		if (put(w, t, rows, n) != TFR_OK)
			tool_output_failed(out);
	if (e < 0)
		tool_die(TOOL_EXIT_FAIL, "%s", tfr_strerror(e));
}

int main(int argc, char **argv)
{
	options o;
	memset(&o, 0, sizeof o);
	tool_init("tfr-convert", argc, argv);
	parse(argc, argv, &o);
	tool_check_output(o.output, o.input);
	source s;
	memset(&s, 0, sizeof s);
	int table = o.format == CSV || o.format == TSV;
	open_source(&s, &o, table);
	size_t nlabels = 0;
	const tfr_sdif_label *labels = s.sdif ? tfr_sdif_reader_labels(s.sdif, &nlabels) : NULL;
	if (!table)
		warn_losses(&s, &o, nlabels > 0);
	int binary = o.format == TFR_PFORMAT_RBEP || o.format == TFR_PFORMAT_1TRC;
	tool_output *out = tool_output_open(o.output, binary);
	FILE *fp = tool_output_file(out);
	tfr_diag d;
	enum { BATCH = 1024 };
	tfr_breakpoint bp[BATCH];
	size_t n, total = 0;
	if (table) {
		write_table(fp, o.format == CSV ? "," : "\t", &s, out);
		tool_output_close(out);
	} else if (o.format == TFR_PFORMAT_TFR) {
		tfr_meta *m = tfr_meta_new();
		if (!m || (!s.tfr && (tfr_meta_set_double(m, "sample_rate", o.rate) ||
		                      tfr_meta_set(m, "source", tool_meta_text(s.label)) ||
		                      tfr_meta_set(m, "source_format", tfr_pformat_name(s.format)))))
			tool_die(TOOL_EXIT_FAIL, "out of memory");
		tfr_stream_writer *w = tool_stream_create(out, &tfr_partials_schema, s.tfr, m);
		while ((n = read_source(&s, bp, BATCH)) > 0) {
			tool_stream_write(out, w, bp, n);
			total += n;
		}
		tool_stream_close(out, w, s.tfr, NULL);
		tfr_meta_free(m);
	} else if (o.format == TFR_PFORMAT_RBEP || o.format == TFR_PFORMAT_SPEAR_PARTIALS) {
		int rbep = o.format == TFR_PFORMAT_RBEP;
		tfr_sdif_writer_params wp;
		tfr_sdif_writer_params_default(&wp);
		wp.labels = labels;
		wp.nlabels = nlabels;
		void *w = rbep ? (void *)tfr_sdif_writer_new(fp, &wp, &d)
		               : (void *)tfr_spear_partials_writer_new(fp, &d);
		if (!w)
			tool_die_diag(tool_output_label(out), &d);
		tfr_pclip *c = export_clip(&s, 0);
		const tfr_breakpoint *cb;
		while ((n = read_clipped(&s, c, bp, BATCH, &cb)) > 0) {
			int e = rbep ? tfr_sdif_write_breakpoints(w, cb, n)
			             : tfr_spear_partials_write(w, cb, n);
			if (e == TFR_EIO)
				tool_output_failed(out);
			if (e != TFR_OK)
				tool_die_diag(s.label, rbep ? tfr_sdif_writer_diag(w)
				                            : tfr_spear_partials_writer_diag(w));
			total += n;
		}
		if ((rbep ? tfr_sdif_writer_close(w) : tfr_spear_partials_writer_close(w)) != TFR_OK)
			tool_output_failed(out);
		tool_output_close(out);
		if (o.verbose)
			clip_report(c);
		tfr_pclip_free(c);
	} else {
		/* frame formats: the partials resampled on a grid */
		int sdif = o.format == TFR_PFORMAT_1TRC;
		tfr_bpgrid_params gp;
		tfr_bpgrid_params_default(&gp);
		gp.period = o.period;
		tfr_bpgrid *g = tfr_bpgrid_new(&gp, &d);
		tfr_sdif_writer_params wp;
		tfr_sdif_writer_params_default(&wp);
		wp.type = TFR_SDIF_1TRC;
		wp.float_bytes = o.single ? 4 : 8;
		void *w = !g ? NULL : sdif ? (void *)tfr_sdif_writer_new(fp, &wp, &d)
		                           : (void *)tfr_spear_frames_writer_new(fp, &d);
		if (!w)
			tool_die_diag(tool_output_label(out), &d);
		frame_writer put = sdif ? put_sdif_frame : put_spear_frame;
		tfr_pclip *c = export_clip(&s, o.period);
		const tfr_breakpoint *cb;
		while ((n = read_clipped(&s, c, bp, BATCH, &cb)) > 0) {
			if (tfr_bpgrid_process(g, cb, n) != TFR_OK)
				tool_die_diag(s.label, tfr_bpgrid_diag(g));
			drain_grid(g, put, w, out);
			total += n;
		}
		if (tfr_bpgrid_flush(g) != TFR_OK)
			tool_die_diag(s.label, tfr_bpgrid_diag(g));
		drain_grid(g, put, w, out);
		if ((sdif ? tfr_sdif_writer_close(w) : tfr_spear_frames_writer_close(w)) != TFR_OK)
			tool_output_failed(out);
		tool_output_close(out);
		tfr_bpgrid_free(g);
		if (o.verbose)
			clip_report(c);
		tfr_pclip_free(c);
	}
	if (o.verbose && !table)
		tool_warn("%s (%s) to %s: %zu breakpoints", s.label,
		          tfr_pformat_name(s.format), out_name(o.format), total);
	close_source(&s);
	return TOOL_EXIT_OK;
}
