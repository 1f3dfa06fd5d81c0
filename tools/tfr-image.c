/*
 * tfr-image - a picture (PNG) of any tfr stream, or the spectrogram of
 * audio: axes in seconds and Hz, a colour bar in dB, the geometry and
 * provenance in text chunks; pages of fixed duration for long inputs,
 * each written before the next is drawn. See tfr-image(1).
 */
#include "image.h"

#include <math.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>

static void usage(void)
{
	printf(
"usage: tfr-image [-hV] [-o file] [-W width] [-E height] [-y freq] [-Y freq]\n"
"                 [-z dB] [-Z dBFS] [-M map] [-w window] [-l length] [-H hop]\n"
"                 [-n fft-size] [-c channel] [--channels pool|split] [--log]\n"
"                 [--pps n] [--start time] [--duration time] [--page time]\n"
"                 [--dot radius] [--title text] [--bare] [--overlay file]\n"
"                 [--plain] [file]\n"
"Picture (PNG) of a tfr stream (points, peaks, partials, or any stream with\n"
"time, freq and amp columns) or the spectrogram of audio, with axes, a\n"
"colour bar and the geometry in PNG text chunks.\n"
"\n"
"  -o, --output=FILE        the PNG (default standard output); with --page,\n"
"                           FILE-0001.png, FILE-0002.png, ...\n"
"  -W, --width=N            plot width in pixels (default 1000)\n"
"  -E, --height=N           plot height in pixels (default 500)\n"
"      --pps=N              pixels per second (sets the width)\n"
"  -y, --min-freq=FREQ      lowest frequency: Hz, kHz, or a fraction of the\n"
"                           sample rate with fs (default 0; log: 0.5fs/1024)\n"
"  -Y, --max-freq=FREQ      highest frequency (default 0.5fs)\n"
"      --log                log frequency axis\n"
"      --start=TIME         left edge, s or ms from the start (default 0)\n"
"      --duration=TIME      time shown (default: to the end of the input)\n"
"      --page=TIME          one picture per TIME of input, numbered\n"
"  -z, --range=DB           dynamic range shown (default 80; 50 for points)\n"
"  -Z, --top=DBFS           level at the top of the colour scale (default:\n"
"                           the picture's maximum)\n"
"  -M, --colormap=NAME      inferno (default), viridis, gray or print\n"
"                           (black on white)\n"
"      --dot=R              radius in pixels of the dot drawn for each\n"
"                           point or peak (default 0 for points, 2 for peaks)\n"
"      --title=TEXT         title above the picture\n"
"      --bare               the plot's pixels only, no axes\n"
"      --overlay=FILE       over the spectrogram of audio, the lines of a\n"
"                           stream of the same sound: partials (tfr-track,\n"
"                           tfr-label, ...) or an f0 track (tfr-f0, its\n"
"                           voiced frames)\n"
"Audio (spectrogram at the bin centres, as tfr-reassign analyses it):\n"
"  -R, --resolution=FREQ    the analysis of tfr-reassign(1) for FREQ\n"
"                           (default 110 Hz: Kaiser, 36 ms, hop 4.5 ms)\n"
"  -w, --window=NAME        kaiser:90dB (default), hann, hamming, ... (see\n"
"                           tfr-reassign(1))\n"
"  -l, --window-length=LEN  samples, or a time with ms or s (default: from\n"
"                           the resolution)\n"
"  -H, --hop=LEN            hop between frames (default: from the\n"
"                           resolution, or length / 8 with -l)\n"
"  -n, --fft-size=N         FFT size, even, >= the window length\n"
"      --plain              a frame a column and the window's own bins\n"
"                           (sox's analysis: fastest, coarser)\n"
"  -c, --channel=N          channel N (1-based); default 0 mixes to mono\n"
"      --channels=MODE      pool (default: one picture) or split (one\n"
"                           panel per channel)\n"
"  -v, --verbose            say what was drawn on stderr\n"
"  -h, --help               show this help and exit\n"
"  -V, --version            show the version and exit\n");
}

/* a * b, or 0 when it would overflow (taken as out of memory) */
static size_t size_mul(size_t a, size_t b)
{
	return a && b > SIZE_MAX / a ? 0 : a * b;
}

static void parse(int argc, char **argv, options *o)
{
	static const char *const names[] = {
		"output", "width", "height", "pps", "min-freq", "max-freq", "log",
		"start", "duration", "page", "range", "top", "colormap", "dot", "title",
		"bare", "overlay", "resolution", "window", "window-length", "hop", "fft-size", "channel",
		"channels", "plain", "verbose", "help", "version", NULL
	};
	static const char *const modes[] = { "pool", "split", NULL };
	const char *opt, *arg;
	while ((opt = tool_next_option(argc, argv, names, &arg, usage))) {
		if (!strcmp(opt, "output")) {
			o->output = arg;
		} else if (!strcmp(opt, "width")) {
			o->width = tool_parse_int(opt, arg, 2, MAX_WIDTH);
			o->have_width = 1;
		} else if (!strcmp(opt, "height")) {
			o->height = tool_parse_int(opt, arg, 2, MAX_HEIGHT);
		} else if (!strcmp(opt, "pps")) {
			o->pps = tool_parse_number(opt, arg, 1e-6, 1e7);
			o->have_pps = 1;
		} else if (!strcmp(opt, "min-freq")) {
			o->minf = tool_parse_freq(opt, arg);
			o->have_minf = 1;
		} else if (!strcmp(opt, "max-freq")) {
			o->maxf = tool_parse_freq(opt, arg);
			o->have_maxf = 1;
		} else if (!strcmp(opt, "log")) {
			o->log = 1;
		} else if (tool_picture_option(&o->look, opt, arg)) {
			continue;
		} else if (!strcmp(opt, "overlay")) {
			o->overlay = arg;
		} else if (!strcmp(opt, "plain")) {
			o->plain = 1;
		} else if (!strcmp(opt, "verbose")) {
			o->verbose = 1;
		} else if (!strcmp(opt, "dot")) {
			o->dot = tool_parse_number(opt, arg, 0, 100);
			o->have_dot = 1;
		} else if (tool_analysis_option(&o->an, opt, arg)) {
			continue;
		} else if (!strcmp(opt, "channel")) {
			o->channel = (int)tool_parse_int(opt, arg, 0, TFR_MAX_CHANNELS);
		} else if (!strcmp(opt, "channels")) {
			o->split = tool_parse_choice(opt, arg, modes);
		}
	}
	o->input = tool_input_operand(argc, argv);
	tool_check_extension("-o", o->output, "png");  /* not a JPEG named so */
	if (o->have_pps && o->have_width)
		tool_usage_error("--width and --pps: give one of them");
	if (o->look.have_page && o->output && !strcmp(o->output, "-"))
		tool_usage_error("--page writes files: give -o NAME");
	if (o->look.have_page && !o->output)
		tool_usage_error("--page writes files: give -o NAME");
	if (o->split && o->channel)
		tool_usage_error("--channels split and --channel: give one of them");
	if (o->overlay && !strcmp(o->overlay, "-") && (!o->input || !strcmp(o->input, "-")))
		tool_usage_error("--overlay -: the audio is on standard input already");
	if (o->have_pps && o->look.have_page && o->pps * o->look.page > MAX_WIDTH)
		tool_usage_error("--pps: %g pixels per page is above %d", o->pps * o->look.page,
		                 MAX_WIDTH);
}

/* ---- a tfr stream ---- */

/* Where the columns drawn are in a stream's records (-1: absent). */
typedef struct {
	int time, freq, amp, partial, end;
} stream_columns;

static held record_of(const stream_columns *c, const double *v)
{
	return (held){ c->partial >= 0 ? (int64_t)v[c->partial] : 0, v[c->time],
	               (float)v[c->freq], (float)v[c->amp],
	               c->end >= 0 && v[c->end] != 0 };
}

/* The next record's values; errors die with FILE:LINE. */
static int read_values(tfr_stream_reader *r, const char *label, double *v)
{
	int e = tfr_stream_read_values(r, v);
	if (e < 0)
		tool_die_diag(label, tfr_stream_reader_diag(r));
	return e;
}

static double meta_number(const tfr_meta *m, const char *key)
{
	double v;
	return m && tfr_meta_get_double(m, key, &v) == TFR_OK ? v : NAN;
}

/* The input's length in seconds from source_frames, if it says. */
static double stream_length(const tfr_stream_reader *r, double fs)
{
	double n = meta_number(tfr_stream_reader_meta(r), "source_frames");
	return fs > 0 && n >= 0 ? n / fs : NAN;
}

/* The records a picture draws, from any stream with time, freq and amp
 * columns, or from an f0 track: its voiced stretches as lines (a
 * stretch is a partial ending at its last voiced frame, drawn at
 * amplitude 1). */
typedef struct {
	tfr_stream_reader *r;
	const char *label;
	const char *kind;
	int f0;
	stream_columns c;
	int voicing;              /* f0: the column of voicing */
	double *v;
	int have;                 /* a record read, in next */
	held next;
	int64_t run;              /* f0: the voiced stretch drawn */
	held last;                /* f0: its last frame */
	int in_run;
} records;

static void records_open(records *rs, tfr_stream_reader *r, const char *label)
{
	memset(rs, 0, sizeof *rs);
	rs->r = r;
	rs->label = label;
	rs->kind = tfr_stream_reader_kind(r);
	rs->f0 = !strcmp(rs->kind, "f0");
	rs->c = (stream_columns){ tfr_stream_reader_find(r, "time"),
	                          tfr_stream_reader_find(r, rs->f0 ? "f0" : "freq"),
	                          tfr_stream_reader_find(r, "amp"),
	                          tfr_stream_reader_find(r, "partial"),
	                          tfr_stream_reader_find(r, "end") };
	rs->voicing = tfr_stream_reader_find(r, "voicing");
	if (rs->c.time < 0 || rs->c.freq < 0 || (!rs->f0 && rs->c.amp < 0) ||
	    (rs->f0 && rs->voicing < 0))
		tool_die(TOOL_EXIT_FAIL, "%s: a %s stream has no time, freq and amp "
		         "columns to draw", label, rs->kind);
	if (!(rs->v = malloc(tfr_stream_reader_ncolumns(r) * sizeof *rs->v)))
		tool_die(TOOL_EXIT_FAIL, "out of memory");
}

/* The next record into rs->next: 1, or 0 at the end (rs->have). */
static int records_read(records *rs)
{
	for (;;) {
		if (read_values(rs->r, rs->label, rs->v) <= 0)
			return rs->have = 0;
		if (!rs->f0) {
			rs->next = record_of(&rs->c, rs->v);
			return rs->have = 1;
		}
		double t = rs->v[rs->c.time], f = rs->v[rs->c.freq];
		int voiced = rs->v[rs->voicing] >= 0.5 && f > 0;
		if (voiced) {
			rs->next = (held){ rs->run, t, (float)f, 1, 0 };
			rs->in_run = 1;
			rs->last = rs->next;
			return rs->have = 1;
		}
		if (rs->in_run) {
			/* the stretch ends at its last voiced frame */
			rs->next = rs->last;
			rs->next.end = 1;
			rs->in_run = 0;
			rs->run++;
			return rs->have = 1;
		}
	}
}

static void records_free(records *rs)
{
	free(rs->v);
	rs->v = NULL;
}

/* All the records (the time axis needs the end before the first is
 * drawn); *n of them, returns the latest time. */
static double hold_records(records *rs, held **kept, size_t *n)
{
	double tmax = -INFINITY;
	size_t cap = 0;
	*kept = NULL;
	*n = 0;
	while (records_read(rs)) {
		if (*n == cap) {
			cap = cap ? 2 * cap : 4096;
			held *k = size_mul(cap, sizeof *k) ? realloc(*kept, cap * sizeof *k) : NULL;
			if (!k)
				tool_die(TOOL_EXIT_FAIL, "%s: out of memory holding the records "
				         "(give --duration or --page)", rs->label);
			*kept = k;
		}
		(*kept)[(*n)++] = rs->next;
		tmax = fmax(tmax, rs->next.t);
	}
	return tmax;
}

static void run_stream(const options *o, tool_output *out)
{
	records rs;
	records_open(&rs, tool_stream_open(o->input, NULL), tool_input_label(o->input));
	tfr_stream_reader *r = rs.r;
	const char *kind = rs.kind;
	if (o->split)
		tool_usage_error("--channels split: a stream has one layer");
	drawer dr = { 0 };
	dr.mode = rs.f0 || rs.c.partial >= 0 ? DRAW_LINES
	          : !strcmp(kind, "peaks") || o->have_dot ? DRAW_DOTS : DRAW_POINTS;
	dr.dot = o->have_dot ? o->dot : DOT_PEAKS;
	plotter pl = { 0 };
	/* reassigned points are a sparse speckle of every cell's energy:
	 * below 50 dB under the top they are noise on speech and music,
	 * where a spectrogram's or partials' 80 dB are the sound */
	pl.range = !strcmp(kind, "points") ? 50 : 80;
	pl.g.fs = meta_number(tfr_stream_reader_meta(r), "sample_rate");
	pl.g.nlayers = 1;
	/* an f0 track up to the highest f0 it looks for, not to fs/2 */
	options fo = *o;
	double f0_max = meta_number(tfr_stream_reader_meta(r), "f0_max");
	if (rs.f0 && !o->have_maxf && f0_max > 0 && f0_max < pl.g.fs / 2) {
		fo.maxf = (tfr_quantity){ f0_max, TFR_UNIT_HZ };
		fo.have_maxf = 1;
	}
	image_resolve_freq(&fo, &pl.g);
	double length = stream_length(r, pl.g.fs);
	int hold = !o->look.have_page && !o->look.have_duration && !isfinite(length);
	held *kept = NULL;
	size_t nkept = 0;
	if (hold) {
		double tmax = hold_records(&rs, &kept, &nkept);
		length = stream_length(r, pl.g.fs);  /* a trailer, or the last time */
		if (!isfinite(length))
			length = tmax;
		if (!isfinite(length))
			tool_die(TOOL_EXIT_FAIL, "%s: no records, and no length to draw", rs.label);
	}
	image_resolve_time(o, &pl.g, length);
	tfr_meta *prov = image_provenance(tfr_stream_reader_meta(r), kind, rs.f0
	                            ? "the f0 of the voiced frames, at amp 1"
	                            : "largest amp^2 of the records on it");
	image_plot_start(&pl, o, out, prov);
	dr.pl = &pl;
	for (size_t i = 0; i < nkept; i++)
		image_draw_record(&dr, &kept[i]);
	while (!hold && records_read(&rs))
		image_draw_record(&dr, &rs.next);
	/* a piped source's length arrives as a trailer */
	if (!isfinite(pl.g.end))
		pl.g.end = stream_length(r, pl.g.fs);
	image_plot_finish(&pl);
	tfr_meta_free(prov);
	image_drawer_free(&dr);
	free(kept);
	records_free(&rs);
	tool_stream_close_input(r);
}

/* ---- audio: the spectrogram at the bin centres ---- */

typedef struct {
	tfr_audio_in *in;
	float *held;              /* the whole input, when its length is
	                             needed before drawing (a pipe) */
	size_t nheld, pos;
	int channels;             /* of held */
	int layers, channel;      /* 1 (channel: 0 mix, or one) or split */
	float *inter;             /* interleaved block */
} audio_source;

/* One layer's samples of n interleaved frames. */
static void pick(const float *x, size_t n, int channels, int layers,
                 int channel, float **out)
{
	/* mono, the common case: a copy (the loop below cost 26
	   instructions a sample, 8 % of a --plain picture) */
	if (channels == 1) {
		memcpy(out[0], x, n * sizeof *x);
		return;
	}
	for (size_t i = 0; i < n; i++) {
		const float *f = x + i * (size_t)channels;
		if (layers > 1) {
			for (int l = 0; l < layers; l++)
				out[l][i] = f[l];
		} else if (channel > 0) {
			out[0][i] = f[channel - 1];
		} else {
			double s = 0;
			for (int c = 0; c < channels; c++)
				s += f[c];
			out[0][i] = (float)(s / channels);
		}
	}
}

/* The next block of each layer: frames read, 0 at the end. */
static size_t next_block(audio_source *a, float **out, size_t max)
{
	if (a->held) {
		size_t n = a->nheld - a->pos < max ? a->nheld - a->pos : max;
		pick(a->held + a->pos * (size_t)a->channels, n, a->channels, a->layers,
		     a->channel, out);
		a->pos += n;
		return n;
	}
	long n = tool_audio_read(a->in, a->inter, max);
	pick(a->inter, (size_t)n, a->channels, a->layers, a->channel, out);
	return (size_t)n;
}

/* Read all the input (its length is not announced). */
static void hold_audio(audio_source *a)
{
	size_t cap = 0, C = (size_t)a->channels;
	enum { BLOCK = 65536 };
	for (;;) {
		if (cap - a->nheld < BLOCK) {
			cap = cap ? 2 * cap : 4 * BLOCK;
			size_t bytes = size_mul(size_mul(cap, C), sizeof(float));
			float *h = bytes ? realloc(a->held, bytes) : NULL;
			if (!h)
				tool_die(TOOL_EXIT_FAIL, "out of memory holding the audio "
				         "(give --duration or --page)");
			a->held = h;
		}
		long n = tool_audio_read(a->in, a->held + a->nheld * C, BLOCK);
		if (n == 0)
			return;
		a->nheld += (size_t)n;
	}
}

/* The window: -R or -l, else the default resolution, or finer where the
 * picture shows a narrow band (-y, -Y): at least 8 resolution cells
 * across it, so that a picture of 0-100 Hz keeps 50 Hz hum and its
 * harmonics apart where the default 110 Hz would show one blur; but no
 * window longer than a quarter of the time shown (-Y 8 on 0.1 s asked
 * for a 4 s window). */
static void resolve_analysis(const options *o, const tfr_audio_info *ai,
                             const geometry *g, tfr_reassign_params *p)
{
	double fs = ai->sample_rate;
	tfr_reassign_params_default(p);
	tool_analysis an = o->an;
	if (!an.have_resolution && !an.have_length) {
		double band = fabs(g->freq.first - g->freq.last) * (double)g->height /
		              (double)(g->height > 1 ? g->height - 1 : 1);
		double r = fmin(an.resolution, band / 8);
		double longest = fmax(g->span * fs / 4,
		                      tfr_window_lobe_bins(&an.window) * fs / an.resolution);
		an.resolution = fmax(r, tfr_window_lobe_bins(&an.window) * fs / longest);
	}
	tool_analysis_resolve(&an, fs, p);
	p->threshold_db = -INFINITY;
	if (o->channel > ai->channels)
		tool_usage_error("--channel: %d, but %s has %d channel(s)", o->channel,
		                 tool_input_label(o->input), ai->channels);
	if (o->split && ai->channels > MAXLAYERS)
		tool_usage_error("--channels split: %d channels, at most %d panels",
		                 ai->channels, MAXLAYERS);
}

/*
 * The analysis matched to the pixels, where -H and -n leave it to us:
 * every column gets at least two frames (a hop of half a column) and no
 * column more than the window needs (a hop up to half the window: no
 * sample unseen), so a short call is not blocky and an hour does not
 * cost 20 frames a column; the FFT is zero-padded until its bins are as
 * close as the rows (the finest row of a log axis), up to 8 windows
 * long, so a low --max-freq is not blocky either. The window stays what
 * -R or -l make it: it is the resolution the user chose.
 */
static void fit_to_pixels(const options *o, const geometry *g, tfr_reassign_params *p)
{
	double fs = p->sample_rate;
	if (!o->an.have_hop) {
		double column = g->span * fs / (double)g->width;
		/* --plain: a frame a column (sox's), samples between windows
		 * unseen when a column is longer than the window */
		double hop = o->plain ? floor(column)
		           : fmin(floor(column / 2), floor((double)p->window_length / 2));
		p->hop = hop >= 1 ? (size_t)hop : 1;
	}
	if (!o->an.have_fft && !o->plain) {
		double hi = g->freq.first > g->freq.last ? g->freq.first : g->freq.last;
		double lo = g->freq.first > g->freq.last ? g->freq.last : g->freq.first;
		double row = g->freq.scale == TFR_AXIS_LOG
		           ? lo * (pow(hi / lo, 1.0 / (double)g->height) - 1)
		           : (hi - lo) / (double)g->height;
		double want = fmin(fs / row, 8.0 * (double)p->window_length);
		size_t n = p->fft_size;
		while ((double)n < want && 2 * n <= (size_t)TFR_MAX_FFT_SIZE / 2)
			n *= 2;
		/* the cost ceiling: FFT size / 2 / hop cells a sample */
		while (n > p->fft_size && (double)(n / 2) / (double)p->hop > TOOL_MAX_CELLS_PER_SAMPLE)
			n /= 2;
		p->fft_size = n;
	}
}

static tfr_meta *audio_meta(const options *o, const tfr_audio_info *ai,
                            const tfr_reassign_params *p)
{
	char buf[64];
	tfr_meta *m = tool_audio_provenance(o->input, ai);
	image_meta_or_die(o->split ? tfr_meta_set(m, "channel", "split")
	            : o->channel ? tfr_meta_set_int(m, "channel", o->channel)
	                         : tfr_meta_set(m, "channel", "mix"));
	image_meta_or_die(tfr_meta_set(m, "window", tfr_window_name(&p->window, buf, sizeof buf)));
	image_meta_or_die(tfr_meta_set_int(m, "window_length", (long long)p->window_length));
	image_meta_or_die(tfr_meta_set_int(m, "hop", (long long)p->hop));
	image_meta_or_die(tfr_meta_set_int(m, "fft_size", (long long)p->fft_size));
	image_meta_or_die(tfr_meta_set(m, "amp", "2|X|/sum(w)"));
	return m;
}

/* ---- lines over a spectrogram ---- */

typedef struct {
	records rs;
	drawer dr;
} overlay;

static void overlay_open(overlay *ov, const options *o, plotter *pl)
{
	memset(ov, 0, sizeof *ov);
	records_open(&ov->rs, tool_stream_open(o->overlay, NULL), tool_input_label(o->overlay));
	pl->overlay = 1;
	ov->dr.pl = pl;
	ov->dr.layer = pl->g.nlayers;
	ov->dr.mode = ov->rs.f0 || ov->rs.c.partial >= 0 ? DRAW_LINES : DRAW_DOTS;
	ov->dr.dot = 1;
	records_read(&ov->rs);
}

/* The overlay's records up to time t, drawn. */
static void overlay_until(overlay *ov, double t)
{
	while (ov && ov->rs.have && ov->rs.next.t <= t) {
		image_draw_record(&ov->dr, &ov->rs.next);
		records_read(&ov->rs);
	}
}

static void overlay_close(overlay *ov)
{
	image_drawer_free(&ov->dr);
	records_free(&ov->rs);
	tool_stream_close_input(ov->rs.r);
}

typedef struct {
	overlay *ov;              /* lines drawn over it, or NULL */
	tfr_framer *fr[MAXLAYERS];
	tfr_reassign *ra[MAXLAYERS];
	float *amp;               /* a frame's spectrum */
	size_t k0, k1;            /* the bins that reach the rows shown */
	long (*rows)[2];          /* bin k0 + i: its rows, or -1 none */
	double hop_s, df;         /* a cell: hop by bin */
	double vis_lo, vis_hi;    /* frames outside are not analysed */
	int past_end;
} spectrogram;

/* Frame index of every layer: each layer's cells on the open pages. */
static void draw_frames(plotter *pl, spectrogram *sg)
{
	int64_t index;
	const float *frame;
	while ((frame = tfr_framer_next(sg->fr[0], &index))) {
		double t = tfr_reassign_frame_time(sg->ra[0], index);
		const float *frames[MAXLAYERS] = { frame };
		for (size_t l = 1; l < pl->g.nlayers; l++)
			frames[l] = tfr_framer_next(sg->fr[l], &index);
		if (t - sg->hop_s / 2 >= sg->vis_hi) {
			sg->past_end = 1;
			continue;
		}
		if (t + sg->hop_s / 2 < sg->vis_lo)
			continue;
		overlay_until(sg->ov, t);
		image_plot_front(pl, t);
		for (size_t l = 0; l < pl->g.nlayers; l++) {
			tfr_reassign_spectrum(sg->ra[l], frames[l], sg->amp);
			/* the frame's columns once a page, each bin's rows once */
			for (int j = 0; j < pl->nopen; j++) {
				long x0, x1;
				if (tfr_splat_columns(pl->pg[j][l], t - sg->hop_s / 2,
				                      t + sg->hop_s / 2, &x0, &x1))
					tfr_splat_bins(pl->pg[j][l], x0, x1, sg->rows,
					               sg->amp + sg->k0, sg->k1 - sg->k0 + 1);
			}
		}
	}
}

static void run_audio(const options *o, tool_output *out)
{
	audio_source a = { 0 };
	a.in = tool_audio_open(o->input);
	const tfr_audio_info *ai = tfr_audio_in_info(a.in);
	tfr_reassign_params rp;
	a.channels = ai->channels;
	a.layers = o->split ? ai->channels : 1;
	a.channel = o->channel;
	plotter pl = { 0 };
	pl.g.fs = ai->sample_rate;
	pl.g.nlayers = (size_t)a.layers;
	for (int l = 0; l < a.layers && a.layers > 1; l++) {
		snprintf(pl.g.label_text[l], sizeof pl.g.label_text[l], "channel %d", l + 1);
		pl.g.labels[l] = pl.g.label_text[l];
	}
	image_resolve_freq(o, &pl.g);
	/* a pipe's header says how long it is (WAV, AIFF, FLAC): the
	 * picture is drawn as it comes, in flat memory (were the input to
	 * end sooner, the reader says it is cut); a header that does not
	 * say (a live recording), the audio is held */
	int64_t frames = ai->frames >= 0 ? ai->frames : tfr_audio_in_announced(a.in);
	double length = frames >= 0 ? (double)frames / ai->sample_rate : NAN;
	if (!isfinite(length) && !o->look.have_page && !o->look.have_duration) {
		hold_audio(&a);
		length = (double)a.nheld / ai->sample_rate;
	}
	/* a header and no samples: said as every audio tool says it, not
	 * as a --start beyond the end (an option never given) */
	if (length == 0)
		tool_die(TOOL_EXIT_FAIL, "%s: no audio samples in the input",
		         tool_input_label(o->input));
	image_resolve_time(o, &pl.g, length);
	resolve_analysis(o, ai, &pl.g, &rp);
	fit_to_pixels(o, &pl.g, &rp);
	overlay ov;
	if (o->overlay)
		overlay_open(&ov, o, &pl);
	tfr_meta *in_meta = audio_meta(o, ai, &rp);
	tfr_meta *prov = image_provenance(in_meta, "audio",
	                            "largest amp^2 of the STFT cells on it");
	image_plot_start(&pl, o, out, prov);

	spectrogram sg = { .hop_s = (double)rp.hop / rp.sample_rate,
	                   .df = rp.sample_rate / (double)rp.fft_size,
	                   .vis_lo = pl.g.start };
	sg.ov = o->overlay ? &ov : NULL;
	sg.vis_hi = pl.g.npages > 0 ? image_page_left(&pl, pl.g.npages)
	            : pl.g.paged ? INFINITY : pl.g.start + pl.g.span;
	enum { BLOCK = 4096 };
	float *blocks = malloc(size_mul((size_t)a.layers, BLOCK) * sizeof *blocks);
	float *layer[MAXLAYERS];
	a.inter = malloc(size_mul((size_t)a.channels, BLOCK) * sizeof *a.inter);
	if (!blocks || !a.inter)
		tool_die(TOOL_EXIT_FAIL, "out of memory");
	for (int l = 0; l < a.layers; l++) {
		tfr_diag d;
		tfr_framer_params fp = { rp.window_length, rp.hop };
		layer[l] = blocks + (size_t)l * BLOCK;
		sg.fr[l] = tfr_framer_new(&fp, &d);
		sg.ra[l] = sg.fr[l] ? tfr_reassign_new(&rp, &d) : NULL;
		if (!sg.ra[l])
			tool_die(TOOL_EXIT_FAIL, "cannot set up the analysis: %s", d.text);
	}
	size_t nbins = rp.fft_size / 2 + 1;
	double flo = fmin(pl.g.freq.first, pl.g.freq.last), fhi = fmax(pl.g.freq.first, pl.g.freq.last);
	double k0 = floor(flo / sg.df) - 2, k1 = ceil(fhi / sg.df) + 2;
	sg.k0 = k0 > 0 ? (size_t)k0 : 0;
	sg.k1 = k1 < (double)(nbins - 1) ? (size_t)k1 : nbins - 1;
	sg.rows = malloc((sg.k1 - sg.k0 + 1) * sizeof *sg.rows);
	for (size_t k = sg.k0; sg.rows && k <= sg.k1; k++) {
		long *y = sg.rows[k - sg.k0];
		double f = (double)k * sg.df;
		if (!tfr_splat_rows(pl.pg[0][0], f - sg.df / 2, f + sg.df / 2, &y[0], &y[1]))
			y[0] = y[1] = -1;
	}
	if (!sg.rows || !(sg.amp = malloc(nbins * sizeof *sg.amp)))
		tool_die(TOOL_EXIT_FAIL, "out of memory");
	size_t n;
	while (!sg.past_end && (n = next_block(&a, layer, BLOCK)) > 0)
		for (size_t off = 0; off < n;) {
			size_t took = 0;
			for (int l = 0; l < a.layers; l++)
				took = tfr_framer_process(sg.fr[l], layer[l] + off, n - off);
			off += took;
			draw_frames(&pl, &sg);
		}
	if (!sg.past_end) {
		for (int l = 0; l < a.layers; l++)
			tfr_framer_flush(sg.fr[l]);
		draw_frames(&pl, &sg);
	}
	overlay_until(sg.ov, INFINITY);
	image_plot_finish(&pl);
	if (sg.ov)
		overlay_close(sg.ov);
	for (int l = 0; l < a.layers; l++) {
		tfr_framer_free(sg.fr[l]);
		tfr_reassign_free(sg.ra[l]);
	}
	free(sg.amp);
	free(sg.rows);
	free(blocks);
	free(a.inter);
	free(a.held);
	tfr_meta_free(in_meta);
	tfr_meta_free(prov);
	tfr_audio_in_free(a.in);
}

int main(int argc, char **argv)
{
	options o;
	memset(&o, 0, sizeof o);
	tool_init("tfr-image", argc, argv);
	tool_analysis_default(&o.an);
	tool_picture_opts_default(&o.look);
	parse(argc, argv, &o);
	tool_check_output(o.output, o.input);
	/* one picture: its output now (a terminal is refused before any work) */
	tool_output *out = o.look.have_page ? NULL : tool_output_open(o.output, 1);
	if (tool_input_is_stream(o.input)) {
		if (o.overlay)
			tool_usage_error("--overlay: lines go over the spectrogram of audio, "
			                 "and %s is a stream", tool_input_label(o.input));
		run_stream(&o, out);
	}
	else
		run_audio(&o, out);
	return TOOL_EXIT_OK;
}
