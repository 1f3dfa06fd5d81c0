/*
 * tfr-label - harmonic labels for partials (Loris's Channelizer and
 * Sieve): each partial gets the number of the harmonic channel of a
 * reference (a constant, an f0 track of tfr-f0, the partial near a
 * frequency) that holds it, 0 if none. Partials in, labelled partials
 * out, streaming. See tfr-label(1).
 */
#include "tool.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static void usage(void)
{
	printf(
"usage: tfr-label [-hVv] (--f0 freq|file | --near freq[,k])\n"
"                 [--inharmonicity B|auto] [--tolerance channels]\n"
"                 [--sieve] [--distill] [-o file] [file]\n"
"Harmonic labels for a tfr partials stream (tfr-track): a last column\n"
"'label', the harmonic number of each partial, 0 for none.\n"
"\n"
"      --f0=FREQ|FILE       the fundamental: a constant (Hz or kHz), or\n"
"                           an f0 stream of the same sound (tfr-f0)\n"
"      --near=FREQ[,K]      the fundamental from the loudest partial\n"
"                           within a third of an octave of FREQ, which\n"
"                           is harmonic K (default 1)\n"
"      --inharmonicity=B    stiff strings: harmonic k at k f0 sqrt(1 + B\n"
"                           k^2) (default 0); auto: the B that fits\n"
"                           the partials (read twice: a file)\n"
"      --tolerance=CH       leave unlabelled a partial whose frequency\n"
"                           strays from its channel's centre by more\n"
"                           than CH channels, RMS (default 0.5: none)\n"
"      --sieve              of partials of one label that overlap, only\n"
"                           the longest keeps it\n"
"      --distill            one partial per label at a time, overlaps made\n"
"                           noise (Loris's Distiller); without --f0 or\n"
"                           --near, of a stream labelled already\n"
"  -o, --output=FILE        write to FILE instead of standard output\n"
"  -v, --verbose            print what was labelled on stderr\n"
"  -h, --help               show this help and exit\n"
"  -V, --version            show the version and exit\n");
}

typedef struct {
	const char *input, *output, *f0file;
	tfr_label_params p;
	int have_ref, verbose, fit, distill;
} options;

/* --f0: a frequency, or else the name of an f0 stream. */
static void parse_f0(options *o, const char *arg)
{
	tfr_quantity q;
	if (tfr_parse_freq(arg, &q) == TFR_OK) {
		q = tool_parse_freq("f0", arg);
		if (q.unit != TFR_UNIT_HZ || !(q.value > 0))
			tool_usage_error("--f0: give a frequency in Hz, or an f0 stream");
		o->p.ref = TFR_LABEL_CONSTANT;
		o->p.f0 = q.value;
	} else {
		o->p.ref = TFR_LABEL_TRACK;
		o->f0file = arg;
	}
}

/* --near FREQ[,K] */
static void parse_near(options *o, const char *arg)
{
	char buf[64];
	snprintf(buf, sizeof buf, "%s", arg);
	char *comma = strchr(buf, ',');
	if (comma)
		*comma++ = 0;
	tfr_quantity q = tool_parse_freq("near", buf);
	if (q.unit != TFR_UNIT_HZ || !(q.value > 0))
		tool_usage_error("--near: give a frequency in Hz");
	o->p.ref = TFR_LABEL_NEAR;
	o->p.near = q.value;
	if (comma)
		o->p.near_harmonic = (int)tool_parse_int("near", comma, 1, 1000);
}

static void parse(int argc, char **argv, options *o)
{
	static const char *const names[] = {
		"f0", "near", "inharmonicity", "tolerance", "sieve", "distill", "output",
		"verbose", "help", "version", NULL
	};
	tfr_label_params_default(&o->p);
	const char *opt, *arg;
	while ((opt = tool_next_option(argc, argv, names, &arg, usage))) {
		if (!strcmp(opt, "f0") || !strcmp(opt, "near")) {
			if (o->have_ref)
				tool_usage_error("one reference: --f0 or --near, once");
			o->have_ref = 1;
			if (opt[0] == 'f')
				parse_f0(o, arg);
			else
				parse_near(o, arg);
		} else if (!strcmp(opt, "inharmonicity")) {
			if (!(o->fit = !strcmp(arg, "auto")))
				o->p.stretch = tool_parse_number(opt, arg, 0, 1);
		} else if (!strcmp(opt, "tolerance")) {
			o->p.tolerance = tool_parse_number(opt, arg, 1e-6, 0.5);
		} else if (!strcmp(opt, "sieve")) {
			o->p.sieve = 1;
		} else if (!strcmp(opt, "distill")) {
			o->distill = 1;
		} else if (!strcmp(opt, "output")) {
			o->output = arg;
		} else if (!strcmp(opt, "verbose")) {
			o->verbose = 1;
		}
	}
	o->input = tool_input_operand(argc, argv);
	if (!o->have_ref && !o->distill)
		tool_usage_error("a reference is needed: --f0 FREQ|FILE or --near FREQ");
	if (!o->have_ref && (o->p.sieve || o->fit))
		tool_usage_error("--sieve and --inharmonicity need --f0 or --near");
	if (o->fit && (!o->input || !strcmp(o->input, "-")))
		tool_usage_error("--inharmonicity auto reads the partials twice: "
		                 "give them as a file");
	if (o->f0file && !strcmp(o->f0file, o->input ? o->input : "-"))
		tool_usage_error("--f0 %s: the partials' own input", o->f0file);
}

/* An f0 stream must describe the same sound: its rate and, when both
 * say it, its length. */
static void check_track(const tfr_stream_reader *f0, const char *label,
                        const tfr_stream_reader *in)
{
	double r0 = tool_stream_meta(f0, "sample_rate", 1, TFR_MAX_SAMPLE_RATE);
	double r1 = tool_stream_meta(in, "sample_rate", 1, TFR_MAX_SAMPLE_RATE);
	double n0 = tool_stream_meta_or(f0, "source_frames", 0, 1e15, -1);
	double n1 = tool_stream_meta_or(in, "source_frames", 0, 1e15, -1);
	if (r0 != r1 || (n0 >= 0 && n1 >= 0 && n0 != n1)) {
		tfr_diag d;
		tfr_diag_setf(&d, TFR_EFORMAT, "header: f0 of another sound (%g Hz, %.0f "
		              "samples; the partials: %g Hz, %.0f samples)", r0, n0, r1, n1);
		tfr_diag_at(&d, tfr_stream_reader_header_end(f0), 0);
		tool_die_diag(label, &d);
	}
}

/* Frames of the f0 stream until they pass t (or it ends). */
static void feed_track(tfr_label *l, tfr_stream_reader *f0, const char *label, double t)
{
	tfr_f0_frame f;
	while (f0 && tfr_label_reference_end(l) < t) {
		if (tool_stream_read(f0, &f) <= 0) {
			tfr_label_reference_done(l);
			return;
		}
		if (tfr_label_reference(l, &f, 1) != TFR_OK) {
			tfr_diag d;
			tfr_diag_set(&d, TFR_EFORMAT, "time: the frames' times must increase");
			tfr_diag_at(&d, tfr_stream_reader_line(f0), 0);
			tool_die_diag(label, &d);
		}
	}
}

/* The next batch of the input into l, the f0 frames it needs fed
 * first: 0 at the end. */
static size_t next_batch(tfr_stream_reader *in, tfr_label *l, tfr_stream_reader *f0,
                         const char *f0label)
{
	enum { BATCH = 256 };
	tfr_breakpoint bp[BATCH];
	size_t n = 0;
	while (n < BATCH && tool_stream_read(in, &bp[n]) > 0)
		n++;
	if (n)
		feed_track(l, f0, f0label, bp[n - 1].time);
	int e = tfr_label_process(l, bp, n);
	if (e != TFR_OK)
		tool_die(TOOL_EXIT_FAIL, "%s", tfr_strerror(e));
	return n;
}

/* --inharmonicity auto: a first run over the partials (and the f0
 * stream), the B that fits them. */
static double fit_run(const options *o)
{
	tfr_stream_reader *in = tool_stream_open(o->input, &tfr_partials_schema);
	tfr_stream_reader *f0 = o->f0file ? tool_stream_open(o->f0file, &tfr_f0_schema) : NULL;
	const char *f0label = o->f0file ? tool_input_label(o->f0file) : NULL;
	if (f0)
		check_track(f0, f0label, in);
	tfr_label_params p = o->p;
	p.fit = 1;
	p.sieve = 0;
	tfr_diag d;
	tfr_label *l = tfr_label_new(&p, &d);
	if (!l)
		tool_usage_error("%s", d.text);
	while (next_batch(in, l, f0, f0label))
		;
	if (tfr_label_flush(l) != TFR_OK)
		tool_die(TOOL_EXIT_FAIL, "out of memory");
	double B;
	if (tfr_label_fit(l, &B) != TFR_OK)
		tool_die(TOOL_EXIT_FAIL, "%s: --inharmonicity auto: fewer than 3 partials "
		         "have a reference", tool_input_label(o->input));
	tfr_label_free(l);
	tool_stream_close_input(in);
	if (f0)
		tool_stream_close_input(f0);
	return B;
}

/* Where labelled breakpoints go: through the distiller, if any, to the
 * output. */
typedef struct {
	tool_output *out;
	tfr_stream_writer *w;
	tfr_distill *distill;
} stage;

static void put(stage *st, const tfr_breakpoint *b, size_t n)
{
	if (st->distill) {
		int e = tfr_distill_process(st->distill, b, n);
		if (e != TFR_OK)
			tool_die(TOOL_EXIT_FAIL, "%s", tfr_strerror(e));
		b = tfr_distill_ready(st->distill, &n);
	}
	if (n)
		tool_stream_write(st->out, st->w, b, n);
}

static void put_labelled(stage *st, tfr_label *l)
{
	size_t m;
	const tfr_breakpoint *r = tfr_label_ready(l, &m);
	put(st, r, m);
}

/* This run's header keys: the reference, B, the distiller's gap. */
static tfr_meta *label_meta(const options *o, const tfr_distill_params *dp)
{
	tfr_meta *meta = tfr_meta_new();
	if (!meta)
		tool_die(TOOL_EXIT_FAIL, "out of memory");
	if (o->have_ref) {
		if (o->p.ref == TFR_LABEL_CONSTANT)
			tool_meta_set(meta, "label_f0", "%.9g", o->p.f0);
		else if (o->p.ref == TFR_LABEL_TRACK)
			tool_meta_set(meta, "label_f0", "%s", tool_meta_text(o->f0file));
		else
			tool_meta_set(meta, "label_near", "%.9g,%d", o->p.near,
			              o->p.near_harmonic);
		tool_meta_set(meta, "label_inharmonicity", "%.9g", o->p.stretch);
	}
	if (o->distill)
		tool_meta_set(meta, "distill_join_gap", "%.9g", dp->join_gap);
	return meta;
}

int main(int argc, char **argv)
{
	options o;
	memset(&o, 0, sizeof o);
	tool_init("tfr-label", argc, argv);
	parse(argc, argv, &o);
	tool_check_output(o.output, o.input);
	if (o.f0file)
		tool_check_output(o.output, o.f0file);

	tool_accept_split();
	if (o.fit) {
		o.p.stretch = fit_run(&o);
		if (o.verbose)
			tool_warn("inharmonicity B = %.4g", o.p.stretch);
	}
	tfr_stream_reader *in = tool_stream_open(o.input, &tfr_partials_schema);
	int split = tool_stream_split(in);
	/* the loudest partial near a frequency: of which channel? */
	if (split && o.have_ref && o.p.ref == TFR_LABEL_NEAR)
		tool_usage_error("--near: %s is channel-split; label one channel at a "
		                 "time: tfr-select --channel N | tfr-label --near",
		                 tool_input_label(o.input));
	tfr_stream_reader *f0 = NULL;
	const char *f0label = o.f0file ? tool_input_label(o.f0file) : NULL;
	if (o.f0file) {
		f0 = tool_stream_open(o.f0file, &tfr_f0_schema);
		check_track(f0, f0label, in);
	}
	tfr_diag d;
	tfr_label *l = NULL;
	if (o.have_ref && !(l = tfr_label_new(&o.p, &d)))
		tool_usage_error("%s", d.text);
	if (!o.have_ref)
		tool_stream_labels(in, "--distill without --f0 or --near");
	stage st = { NULL, NULL, NULL };
	tfr_distill_params dp;
	tfr_distill_params_default(&dp);
	if (o.distill && !(st.distill = tfr_distill_new(&dp, &d)))
		tool_die(TOOL_EXIT_FAIL, "%s", d.text);
	st.out = tool_output_open(o.output, 0);
	tfr_meta *meta = label_meta(&o, &dp);
	st.w = tool_stream_create(st.out, tfr_schema_variant(&tfr_partials_schema, 1, split),
	                          in, meta);

	if (l) {
		while (next_batch(in, l, f0, f0label))
			put_labelled(&st, l);
		if (tfr_label_flush(l) != TFR_OK)
			tool_die(TOOL_EXIT_FAIL, "out of memory");
		put_labelled(&st, l);
	} else {
		enum { BATCH = 256 };
		tfr_breakpoint bp[BATCH];
		size_t n;
		do {
			for (n = 0; n < BATCH && tool_stream_read(in, &bp[n]) > 0; n++)
				;
			put(&st, bp, n);
		} while (n);
	}
	if (st.distill) {
		if (tfr_distill_flush(st.distill) != TFR_OK)
			tool_die(TOOL_EXIT_FAIL, "out of memory");
		size_t m;
		const tfr_breakpoint *r = tfr_distill_ready(st.distill, &m);
		if (m)
			tool_stream_write(st.out, st.w, r, m);
	}
	if (o.verbose && l) {
		tfr_label_stats ls;
		tfr_label_get_stats(l, &ls);
		tool_warn("%lld of %lld partials labelled (harmonics 1 to %lld), %.1f %% "
		          "of the energy; %lld labels taken back by the sieve",
		          (long long)ls.labelled, (long long)ls.partials,
		          (long long)ls.max_label,
		          ls.energy > 0 ? 100 * ls.labelled_energy / ls.energy : 0.0,
		          (long long)ls.sieved);
	}
	if (o.verbose && st.distill) {
		tfr_distill_stats ds;
		tfr_distill_get_stats(st.distill, &ds);
		tool_warn("distilled: %lld labelled partials into %lld, %lld breakpoints "
		          "made noise, %lld joins", (long long)ds.partials_in,
		          (long long)ds.partials_out, (long long)ds.absorbed,
		          (long long)ds.joined);
	}
	tool_stream_close(st.out, st.w, in, NULL);
	tool_stream_close_input(in);
	if (f0)
		tool_stream_close_input(f0);
	tfr_meta_free(meta);
	tfr_label_free(l);
	tfr_distill_free(st.distill);
	return TOOL_EXIT_OK;
}
