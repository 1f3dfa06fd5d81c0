/*
 * tfr-image - a picture (PNG) of any tfr stream, or the spectrogram of
 * audio: axes in seconds and Hz, a colour bar in dB, the geometry and
 * provenance in text chunks; pages of fixed duration for long inputs,
 * each written before the next is drawn. See tfr-image(1).
 */
#include "tool.h"

#include <math.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>

#define MAXLAYERS 16
#define MAX_WIDTH (1 << 20)     /* pixels of one page or picture */
#define MAX_HEIGHT (1 << 15)
#define DOT_PEAKS 2.0           /* default dot radius of peaks, pixels */

static void usage(void)
{
	printf(
"usage: tfr-image [-hV] [-o file] [-W width] [-E height] [-y freq] [-Y freq]\n"
"                 [-z dB] [-Z dBFS] [-M map] [-w window] [-l length] [-H hop]\n"
"                 [-n fft-size] [-c channel] [--channels pool|split] [--log]\n"
"                 [--pps n] [--start time] [--duration time] [--page time]\n"
"                 [--dot radius] [--title text] [--bare] [file]\n"
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
"  -z, --range=DB           dynamic range shown (default 80)\n"
"  -Z, --top=DBFS           level at the top of the colour scale (default:\n"
"                           the picture's maximum)\n"
"  -M, --colormap=NAME      inferno (default), viridis, gray or print\n"
"                           (black on white)\n"
"      --dot=R              radius in pixels of the dot drawn for each\n"
"                           point or peak (default 0 for points, 2 for peaks)\n"
"      --title=TEXT         title above the picture\n"
"      --bare               the plot's pixels only, no axes\n"
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
"  -c, --channel=N          channel N (1-based); default 0 mixes to mono\n"
"      --channels=MODE      pool (default: one picture) or split (one\n"
"                           panel per channel)\n"
"  -h, --help               show this help and exit\n"
"  -V, --version            show the version and exit\n");
}

/* a * b, or 0 when it would overflow (taken as out of memory) */
static size_t size_mul(size_t a, size_t b)
{
	return a && b > SIZE_MAX / a ? 0 : a * b;
}

/* ---- options ---- */

typedef struct {
	const char *input, *output;
	/* analysis of audio */
	tool_analysis an;
	int channel, split;
	/* geometry */
	tfr_quantity minf, maxf;
	int have_minf, have_maxf, log;
	double pps;
	int have_pps, have_width;
	long long width, height;
	/* levels, look and pages */
	tool_picture_opts look;
	double dot;
	int have_dot;
} options;

static void parse(int argc, char **argv, options *o)
{
	static const char *const names[] = {
		"output", "width", "height", "pps", "min-freq", "max-freq", "log",
		"start", "duration", "page", "range", "top", "colormap", "dot", "title",
		"bare", "resolution", "window", "window-length", "hop", "fft-size", "channel",
		"channels", "help", "version", NULL
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
	if (o->have_pps && o->have_width)
		tool_usage_error("--width and --pps: give one of them");
	if (o->look.have_page && o->output && !strcmp(o->output, "-"))
		tool_usage_error("--page writes files: give -o NAME");
	if (o->look.have_page && !o->output)
		tool_usage_error("--page writes files: give -o NAME");
	if (o->split && o->channel)
		tool_usage_error("--channels split and --channel: give one of them");
	if (o->have_pps && o->look.have_page && o->pps * o->look.page > MAX_WIDTH)
		tool_usage_error("--pps: %g pixels per page is above %d", o->pps * o->look.page,
		                 MAX_WIDTH);
}

/* ---- input: a tfr stream or audio ---- */

/* ---- geometry ---- */

typedef struct {
	double fs;              /* Hz; 0 unknown (a stream without it) */
	double start, span;     /* left edge of page 0; the time of a page */
	int paged;
	long long npages;       /* -1 until known */
	double end;             /* end of the input, s; NAN unknown */
	size_t width, height, nlayers;
	tfr_axis freq;          /* rows, top first */
	const char *labels[MAXLAYERS];
	char label_text[MAXLAYERS][32];
} geometry;

static void resolve_freq(const options *o, geometry *g)
{
	double fs = g->fs;
	if ((!o->have_maxf || (o->log && !o->have_minf)) && !(fs > 0))
		tool_usage_error("the input has no sample rate: give --max-freq%s",
		                 o->log ? " and --min-freq" : "");
	if ((o->minf.unit == TFR_UNIT_FS || o->maxf.unit == TFR_UNIT_FS) && !(fs > 0))
		tool_usage_error("the input has no sample rate: give frequencies in Hz");
	double hi = o->have_maxf ? tfr_quantity_hz(o->maxf, fs) : fs / 2;
	double lo = o->have_minf ? tfr_quantity_hz(o->minf, fs)
	                         : o->log ? hi / 1024 : 0;
	if (o->log && !(lo > 0))
		tool_usage_error("--min-freq: a log axis needs a lowest frequency above 0");
	if (!(lo < hi))
		tool_usage_error("--min-freq: %g Hz is not below --max-freq %g Hz", lo, hi);
	g->height = o->height ? (size_t)o->height : 500;
	g->freq = tfr_axis_from_edges(hi, lo, g->height,
	                              o->log ? TFR_AXIS_LOG : TFR_AXIS_LINEAR);
}

/* The time window once the length of the input is known (NAN: not
 * known, and not needed: pages, or a duration given). */
static void resolve_time(const options *o, geometry *g, double length)
{
	g->start = o->look.start;
	g->end = length;
	g->paged = o->look.have_page;
	g->npages = -1;
	double span;
	if (o->look.have_page) {
		span = o->look.page;
		if (o->look.have_duration)
			g->npages = (long long)ceil(o->look.duration / o->look.page - 1e-9);
		else if (isfinite(length))
			g->npages = (long long)ceil((length - o->look.start) / o->look.page - 1e-9);
	} else if (o->look.have_duration) {
		span = o->look.duration;
	} else {
		span = length - o->look.start;
	}
	if (isfinite(length) && !o->look.have_duration && !(length > o->look.start))
		tool_usage_error("--start: %g s is not before the end of the input (%g s)",
		                 o->look.start, length);
	if (g->npages == 0)
		g->npages = 1;
	g->span = span;
	double w = o->have_pps ? round(span * o->pps) : o->width ? (double)o->width : 1000;
	if (w < 2)
		w = 2;
	if (w > MAX_WIDTH)
		tool_usage_error("--pps: %.0f pixels is wider than %d (use --page)", w,
		                 MAX_WIDTH);
	g->width = (size_t)w;
}

/* ---- pages: where records are drawn, and written ---- */

typedef struct {
	const options *o;
	tool_output *out;            /* the picture, opened early; NULL with
	                                pages (opened one by one) */
	geometry g;
	tfr_splat *pg[2][MAXLAYERS]; /* the oldest open page and the next */
	int nopen;
	long long page;              /* index of pg[0] */
	const tfr_meta *prov;        /* provenance of every page */
	double t_seen;               /* latest time drawn (progress) */
	unsigned calls;
} plotter;

static double page_left(const plotter *pl, long long k)
{
	return pl->g.start + (double)k * pl->g.span;
}

static void plot_start(plotter *pl, const options *o, tool_output *out,
                       const tfr_meta *prov)
{
	pl->o = o;
	pl->out = out;
	pl->prov = prov;
	pl->page = 0;
	pl->nopen = pl->g.paged && pl->g.npages != 1 ? 2 : 1;
	for (int j = 0; j < pl->nopen; j++)
		for (size_t l = 0; l < pl->g.nlayers; l++) {
			tfr_splat_params sp;
			sp.time = tfr_axis_from_edges(page_left(pl, j), page_left(pl, j + 1),
			                              pl->g.width, TFR_AXIS_LINEAR);
			sp.freq = pl->g.freq;
			tfr_diag d;
			if (!(pl->pg[j][l] = tfr_splat_new(&sp, &d)))
				tool_die_diag("picture", &d);
		}
}

/* A progress line on a terminal, for work longer than a few seconds
 * (the clock read every 256 records). */
static void progress(plotter *pl)
{
	if (++pl->calls % 256)
		return;
	double end = pl->g.paged && pl->g.npages > 0
	             ? page_left(pl, pl->g.npages) : pl->g.end;
	tool_progress(pl->t_seen, isfinite(end) ? end : -1, pl->g.paged ? pl->page + 1 : 0);
}

/* The largest value of all the panels of a picture. */
static double reference(const plotter *pl, tfr_splat *const *s)
{
	double m = 0;
	size_t n = pl->g.width * pl->g.height;
	for (size_t l = 0; l < pl->g.nlayers; l++) {
		const float *v = tfr_splat_grid(s[l]);
		for (size_t i = 0; i < n; i++)
			m = v[i] > m ? v[i] : m;
	}
	return m;
}

static tfr_meta *page_text(const plotter *pl, long long k)
{
	tfr_meta *m = tfr_meta_new();
	int e = m ? tfr_meta_copy(m, pl->prov) : TFR_ENOMEM;
	if (!e && pl->g.paged) {
		e = tfr_meta_set_int(m, "page", k + 1);
		if (!e) e = tfr_meta_set_int(m, "pages", pl->g.npages);
	}
	if (e)
		tool_die(TOOL_EXIT_FAIL, "%s", tfr_strerror(e));
	return m;
}

/* The bare picture's chunks: what a figure writes, at plot 0 0. */
static tfr_meta *bare_text(const tfr_picture_params *p, const tfr_meta *prov)
{
	char soft[64];
	snprintf(soft, sizeof soft, "tfr %s", tfr_version());
	tfr_meta *m = tfr_meta_new();
	int e = m ? tfr_meta_set(m, "Software", soft) : TFR_ENOMEM;
	if (!e && p->title && *p->title) e = tfr_meta_set(m, "Title", p->title);
	if (!e) e = tfr_picture_geometry(p, NULL, m);
	if (!e) e = tfr_meta_copy(m, prov);
	if (e)
		tool_die(TOOL_EXIT_FAIL, "%s", tfr_strerror(e));
	return m;
}

static void write_page(plotter *pl, long long k, tfr_splat *const *s)
{
	const options *o = pl->o;
	const float *layers[MAXLAYERS];
	for (size_t l = 0; l < pl->g.nlayers; l++)
		layers[l] = tfr_splat_grid(s[l]);
	const tfr_axis *ta = &tfr_splat_geometry(s[0])->time;
	tfr_picture_params p;
	tfr_picture_params_default(&p);
	p.width = pl->g.width;
	p.height = pl->g.height;
	p.layers = layers;
	p.nlayers = pl->g.nlayers;
	tool_picture_look(&o->look, &p);
	double refs[MAXLAYERS];
	if (o->look.have_top) {
		p.ref = pow(10, o->look.top / 10);
	} else if (pl->g.nlayers > 1) {
		/* the panels share the picture's maximum */
		refs[0] = reference(pl, s);
		for (size_t l = 1; l < pl->g.nlayers; l++)
			refs[l] = refs[0];
		p.refs = refs;
	}
	p.time_first = ta->first;
	p.time_last = ta->last;
	p.freq_first = pl->g.freq.first;
	p.freq_last = pl->g.freq.last;
	p.freq_scale = pl->g.freq.scale;
	p.dbfs = 1;
	p.labels = pl->g.nlayers > 1 ? pl->g.labels : NULL;
	tfr_meta *text = page_text(pl, k);
	tfr_meta *bare = NULL;
	if (o->look.bare)
		p.text = bare = bare_text(&p, text);
	else
		p.text = text;

	char path[4096];
	const char *name = o->output;
	if (pl->g.paged) {
		tool_page_path(o->output, k, pl->g.npages, path, sizeof path);
		name = path;
		tool_check_output(name, o->input);
	}
	tool_output *out = pl->out ? pl->out : tool_output_open(name, 1);
	pl->out = NULL;
	tool_picture_write(out, &p, o->look.bare);
	tfr_meta_free(text);
	tfr_meta_free(bare);
}

/* Write page pl->page and open the one after pl->page + 1 in its place. */
static void shift_page(plotter *pl)
{
	write_page(pl, pl->page, pl->pg[0]);
	for (size_t l = 0; l < pl->g.nlayers; l++) {
		tfr_splat *s = pl->pg[0][l];
		pl->pg[0][l] = pl->pg[1][l];
		pl->pg[1][l] = s;
		tfr_axis a = tfr_axis_from_edges(page_left(pl, pl->page + 2),
		                                 page_left(pl, pl->page + 3),
		                                 pl->g.width, TFR_AXIS_LINEAR);
		tfr_splat_move(s, a.first, a.last);
	}
	pl->page++;
}

/* The input has reached time t: pages that nothing can reach any more
 * are written (records may come up to a page late: reassigned points,
 * a partial's line back to its previous breakpoint). */
static void plot_front(plotter *pl, double t)
{
	if (t > pl->t_seen)
		pl->t_seen = t;
	if (pl->nopen == 2)
		while ((pl->g.npages < 0 || pl->page + 2 < pl->g.npages) &&
		       t >= page_left(pl, pl->page + 2))
			shift_page(pl);
	progress(pl);
}

/* End of input: the rest of the pages, empty ones included. */
static void plot_finish(plotter *pl)
{
	if (pl->g.npages < 0) {
		double end = isfinite(pl->g.end) ? pl->g.end : pl->t_seen;
		pl->g.npages = (long long)ceil((end - pl->g.start) / pl->g.span - 1e-9);
		if (pl->g.npages < 1)
			pl->g.npages = 1;
	}
	while (pl->nopen == 2 && pl->page + 1 < pl->g.npages)
		shift_page(pl);
	if (pl->page < pl->g.npages)
		write_page(pl, pl->page, pl->pg[0]);
	tool_progress_done();
	for (int j = 0; j < 2; j++)
		for (size_t l = 0; l < pl->g.nlayers; l++)
			tfr_splat_free(pl->pg[j][l]);
}

/* ---- drawing records ---- */

/* One record to draw: a breakpoint of partial id, or a point (id 0). */
typedef struct {
	int64_t id;
	double t;
	float f, amp;
	int end;
} held;

enum { DRAW_POINTS, DRAW_DOTS, DRAW_LINES };

/* The last breakpoint of each partial still going, by id: open
 * addressing with linear probing, deletion by backward shift (Knuth,
 * TAOCP vol. 3, 6.4, Algorithm R), so memory follows the partials alive
 * at once, not all the partials of an hour. */
typedef struct {
	int64_t id;      /* -1: empty */
	double t, f;
	float e;
} last_bp;

typedef struct {
	last_bp *slot;
	size_t cap, n;   /* cap a power of two */
} partial_map;

static size_t slot_of(const partial_map *m, int64_t id)
{
	uint64_t h = (uint64_t)id * 0x9E3779B97F4A7C15ull;
	return (size_t)(h >> 20) & (m->cap - 1);
}

static last_bp *map_find(partial_map *m, int64_t id)
{
	if (!m->cap)
		return NULL;
	for (size_t i = slot_of(m, id);; i = (i + 1) & (m->cap - 1)) {
		if (m->slot[i].id == id)
			return &m->slot[i];
		if (m->slot[i].id < 0)
			return NULL;
	}
}

static void map_grow(partial_map *m)
{
	partial_map b = { NULL, m->cap ? 2 * m->cap : 64, 0 };
	if (!(b.slot = malloc(b.cap * sizeof *b.slot)))
		tool_die(TOOL_EXIT_FAIL, "out of memory");
	for (size_t i = 0; i < b.cap; i++)
		b.slot[i].id = -1;
	for (size_t i = 0; i < m->cap; i++)
		if (m->slot[i].id >= 0) {
			size_t j = slot_of(&b, m->slot[i].id);
			while (b.slot[j].id >= 0)
				j = (j + 1) & (b.cap - 1);
			b.slot[j] = m->slot[i];
			b.n++;
		}
	free(m->slot);
	*m = b;
}

static last_bp *map_put(partial_map *m, int64_t id)
{
	last_bp *b = map_find(m, id);
	if (b)
		return b;
	if (2 * (m->n + 1) > m->cap)
		map_grow(m);
	size_t i = slot_of(m, id);
	while (m->slot[i].id >= 0)
		i = (i + 1) & (m->cap - 1);
	m->slot[i].id = id;
	m->n++;
	return &m->slot[i];
}

static void map_remove(partial_map *m, last_bp *b)
{
	size_t mask = m->cap - 1, i = (size_t)(b - m->slot), j = i;
	m->slot[i].id = -1;
	m->n--;
	for (;;) {
		j = (j + 1) & mask;
		if (m->slot[j].id < 0)
			return;
		size_t k = slot_of(m, m->slot[j].id);
		/* move j back to the hole at i unless its home k lies in (i, j] */
		if (i <= j ? (i < k && k <= j) : (i < k || k <= j))
			continue;
		m->slot[i] = m->slot[j];
		m->slot[j].id = -1;
		i = j;
	}
}

typedef struct {
	plotter *pl;
	int mode;
	double dot;           /* radius of points and peaks */
	partial_map partials;
} drawer;

static void draw_record(drawer *dr, const held *h)
{
	int64_t id = h->id;
	double t = h->t, f = h->f, amp = h->amp;
	int end = h->end;
	plotter *pl = dr->pl;
	float e = (float)(amp * amp);
	plot_front(pl, t);
	last_bp *b = dr->mode == DRAW_LINES ? map_find(&dr->partials, id) : NULL;
	for (int j = 0; j < pl->nopen; j++) {
		tfr_splat *s = pl->pg[j][0];
		if (dr->mode == DRAW_DOTS)
			tfr_splat_dot(s, t, f, e, dr->dot);
		else if (b)
			tfr_splat_line(s, b->t, b->f, b->e, t, f, e);
		else
			tfr_splat_point(s, t, f, e);
	}
	if (dr->mode != DRAW_LINES)
		return;
	if (end) {
		if (b)
			map_remove(&dr->partials, b);
		return;
	}
	if (!b)
		b = map_put(&dr->partials, id);
	b->t = t;
	b->f = f;
	b->e = e;
}

/* ---- provenance ---- */

/* PNG keywords are 1 to 79 printable characters. */
static int png_key(const char *k)
{
	size_t n = strlen(k);
	return n >= 1 && n <= 79 && strspn(k, "abcdefghijklmnopqrstuvwxyz"
	                                      "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-.:") == n;
}

static void meta_or_die(int e)
{
	if (e)
		tool_die(TOOL_EXIT_FAIL, "%s", tfr_strerror(e));
}

/* What every picture of this run carries after its geometry: the
 * input's metadata (a stream's, history included), then ours. */
static tfr_meta *provenance(const tfr_meta *in, const char *kind,
                            const char *pixel)
{
	tfr_meta *m = tfr_meta_new();
	if (!m)
		meta_or_die(TFR_ENOMEM);
	for (size_t i = 0; in && i < tfr_meta_count(in); i++)
		if (png_key(tfr_meta_key(in, i)) && strcmp(tfr_meta_key(in, i), "columns"))
			meta_or_die(tfr_meta_add(m, tfr_meta_key(in, i), tfr_meta_value(in, i)));
	meta_or_die(tfr_meta_add(m, "input_kind", kind));
	meta_or_die(tfr_meta_add(m, "pixel", pixel));
	meta_or_die(tfr_meta_add(m, "history", tool_meta_text(tool_history())));
	return m;
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

/* All the records (the time axis needs the end before the first is
 * drawn); *n of them, returns the latest time. */
static double hold_records(tfr_stream_reader *r, const char *label,
                           const stream_columns *c, double *v, held **kept,
                           size_t *n)
{
	double tmax = -INFINITY;
	size_t cap = 0;
	*kept = NULL;
	*n = 0;
	while (read_values(r, label, v) > 0) {
		if (*n == cap) {
			cap = cap ? 2 * cap : 4096;
			held *k = size_mul(cap, sizeof *k) ? realloc(*kept, cap * sizeof *k) : NULL;
			if (!k)
				tool_die(TOOL_EXIT_FAIL, "%s: out of memory holding the records "
				         "(give --duration or --page)", label);
			*kept = k;
		}
		(*kept)[(*n)++] = record_of(c, v);
		tmax = fmax(tmax, (*kept)[*n - 1].t);
	}
	return tmax;
}

static void run_stream(const options *o, tool_output *out)
{
	const char *label = tool_input_label(o->input);
	tfr_stream_reader *r = tool_stream_open(o->input, NULL);
	const char *kind = tfr_stream_reader_kind(r);
	stream_columns c = { tfr_stream_reader_find(r, "time"),
	                     tfr_stream_reader_find(r, "freq"),
	                     tfr_stream_reader_find(r, "amp"),
	                     tfr_stream_reader_find(r, "partial"),
	                     tfr_stream_reader_find(r, "end") };
	if (c.time < 0 || c.freq < 0 || c.amp < 0)
		tool_die(TOOL_EXIT_FAIL, "%s: a %s stream has no time, freq and amp "
		         "columns to draw", label, kind);
	if (o->split)
		tool_usage_error("--channels split: a stream has one layer");
	drawer dr = { 0 };
	dr.mode = c.partial >= 0 ? DRAW_LINES : !strcmp(kind, "peaks") || o->have_dot
	          ? DRAW_DOTS : DRAW_POINTS;
	dr.dot = o->have_dot ? o->dot : DOT_PEAKS;
	plotter pl = { 0 };
	pl.g.fs = meta_number(tfr_stream_reader_meta(r), "sample_rate");
	pl.g.nlayers = 1;
	resolve_freq(o, &pl.g);
	double length = stream_length(r, pl.g.fs);
	int hold = !o->look.have_page && !o->look.have_duration && !isfinite(length);
	double *v = malloc(tfr_stream_reader_ncolumns(r) * sizeof *v);
	held *kept = NULL;
	size_t nkept = 0;
	if (!v)
		tool_die(TOOL_EXIT_FAIL, "out of memory");
	if (hold) {
		double tmax = hold_records(r, label, &c, v, &kept, &nkept);
		length = stream_length(r, pl.g.fs);  /* a trailer, or the last time */
		if (!isfinite(length))
			length = tmax;
		if (!isfinite(length))
			tool_die(TOOL_EXIT_FAIL, "%s: no records, and no length to draw", label);
	}
	resolve_time(o, &pl.g, length);
	tfr_meta *prov = provenance(tfr_stream_reader_meta(r), kind,
	                            "largest amp^2 of the records on it");
	plot_start(&pl, o, out, prov);
	dr.pl = &pl;
	for (size_t i = 0; i < nkept; i++)
		draw_record(&dr, &kept[i]);
	while (!hold && read_values(r, label, v) > 0) {
		held h = record_of(&c, v);
		draw_record(&dr, &h);
	}
	/* a piped source's length arrives as a trailer */
	if (!isfinite(pl.g.end))
		pl.g.end = stream_length(r, pl.g.fs);
	plot_finish(&pl);
	tfr_meta_free(prov);
	free(dr.partials.slot);
	free(kept);
	free(v);
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

static void resolve_analysis(const options *o, const tfr_audio_info *ai,
                             tfr_reassign_params *p)
{
	double fs = ai->sample_rate;
	tfr_reassign_params_default(p);
	tool_analysis_resolve(&o->an, fs, p);
	p->threshold_db = -INFINITY;
	if (o->channel > ai->channels)
		tool_usage_error("--channel: %d, but %s has %d channel(s)", o->channel,
		                 tool_input_label(o->input), ai->channels);
	if (o->split && ai->channels > MAXLAYERS)
		tool_usage_error("--channels split: %d channels, at most %d panels",
		                 ai->channels, MAXLAYERS);
}

static tfr_meta *audio_meta(const options *o, const tfr_audio_info *ai,
                            const tfr_reassign_params *p)
{
	char buf[64];
	tfr_meta *m = tool_audio_provenance(o->input, ai);
	meta_or_die(o->split ? tfr_meta_set(m, "channel", "split")
	            : o->channel ? tfr_meta_set_int(m, "channel", o->channel)
	                         : tfr_meta_set(m, "channel", "mix"));
	meta_or_die(tfr_meta_set(m, "window", tfr_window_name(&p->window, buf, sizeof buf)));
	meta_or_die(tfr_meta_set_int(m, "window_length", (long long)p->window_length));
	meta_or_die(tfr_meta_set_int(m, "hop", (long long)p->hop));
	meta_or_die(tfr_meta_set_int(m, "fft_size", (long long)p->fft_size));
	meta_or_die(tfr_meta_set(m, "amp", "2|X|/sum(w)"));
	return m;
}

typedef struct {
	tfr_framer *fr[MAXLAYERS];
	tfr_reassign *ra[MAXLAYERS];
	tfr_point *pts;
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
		plot_front(pl, t);
		for (size_t l = 0; l < pl->g.nlayers; l++) {
			size_t n;
			tfr_reassign_process(sg->ra[l], frames[l], index, sg->pts, &n);
			for (size_t i = 0; i < n; i++) {
				double f = sg->pts[i].bin * sg->df, a = sg->pts[i].amp;
				for (int j = 0; j < pl->nopen; j++)
					tfr_splat_cell(pl->pg[j][l], t - sg->hop_s / 2, t + sg->hop_s / 2,
					               f - sg->df / 2, f + sg->df / 2, (float)(a * a));
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
	resolve_analysis(o, ai, &rp);
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
	resolve_freq(o, &pl.g);
	double length = ai->frames >= 0 ? (double)ai->frames / ai->sample_rate : NAN;
	if (!isfinite(length) && !o->look.have_page && !o->look.have_duration) {
		hold_audio(&a);
		length = (double)a.nheld / ai->sample_rate;
	}
	resolve_time(o, &pl.g, length);
	tfr_meta *in_meta = audio_meta(o, ai, &rp);
	tfr_meta *prov = provenance(in_meta, "audio",
	                            "largest amp^2 of the STFT cells on it");
	plot_start(&pl, o, out, prov);

	spectrogram sg = { .hop_s = (double)rp.hop / rp.sample_rate,
	                   .df = rp.sample_rate / (double)rp.fft_size,
	                   .vis_lo = pl.g.start };
	sg.vis_hi = pl.g.npages > 0 ? page_left(&pl, pl.g.npages)
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
	if (!(sg.pts = malloc(tfr_reassign_max_points(sg.ra[0]) * sizeof *sg.pts)))
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
	plot_finish(&pl);
	for (int l = 0; l < a.layers; l++) {
		tfr_framer_free(sg.fr[l]);
		tfr_reassign_free(sg.ra[l]);
	}
	free(sg.pts);
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
	if (tool_input_is_stream(o.input))
		run_stream(&o, out);
	else
		run_audio(&o, out);
	return TOOL_EXIT_OK;
}
