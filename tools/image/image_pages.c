/*
 * image_pages.c - tfr-image's pictures: their geometry from the options
 * and the input, the pages records are drawn on (two open at a time, as
 * records may come up to a page late), each written with its axes and
 * provenance when nothing can reach it any more.
 */
#include "image.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

void image_resolve_freq(const options *o, geometry *g)
{
	double fs = g->fs;
	if ((!o->have_maxf || (o->log && !o->have_minf)) && !(fs > 0))
		tool_usage_error("the input has no sample rate: give --max-freq%s",
		                 o->log ? " and --min-freq" : "");
	if ((o->minf.unit == TFR_UNIT_FS || o->maxf.unit == TFR_UNIT_FS) && !(fs > 0))
		tool_usage_error("the input has no sample rate: give frequencies in Hz");
	double hi = o->have_maxf ? tool_freq_hz("max-freq", o->maxf, fs) : fs / 2;
	double lo = o->have_minf ? tool_freq_hz("min-freq", o->minf, fs)
	                         : o->log ? hi / 1024 : 0;
	if (o->log && !(lo > 0))
		tool_usage_error("--min-freq: a log axis needs a lowest frequency above 0");
	if (!(lo < hi))
		tool_usage_error("--min-freq: %g Hz is not below --max-freq %g Hz", lo, hi);
	if (o->have_maxf)
		tool_check_ceiling("max-freq", o->maxf, hi);
	g->height = o->height ? (size_t)o->height : 500;
	g->freq = tfr_axis_from_edges(hi, lo, g->height,
	                              o->log ? TFR_AXIS_LOG : TFR_AXIS_LINEAR);
}

void image_resolve_time(const options *o, geometry *g, double length)
{
	g->start = o->look.start;
	g->end = length;
	g->paged = o->look.have_page;
	g->npages = -1;
	double span;
	if (o->look.have_page) {
		span = o->look.page;
		double np = o->look.have_duration ? o->look.duration / o->look.page
		          : isfinite(length) ? (length - o->look.start) / o->look.page : -1;
		if (np >= 0) {
			np = ceil(np - 1e-9);
			tool_check_pages(np, o->look.page);
			g->npages = (long long)np;
		}
		/* (a pipe's length is not known: at least no page of nothing) */
		if (g->fs > 0 && o->look.page < 1 / g->fs)
			tool_usage_error("--page: %g s is shorter than one sample (%g s)",
			                 o->look.page, 1 / g->fs);
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


double image_page_left(const plotter *pl, long long k)
{
	return pl->g.start + (double)k * pl->g.span;
}

void image_plot_start(plotter *pl, const options *o, tool_output *out,
                       const tfr_meta *prov)
{
	pl->o = o;
	pl->out = out;
	pl->prov = prov;
	pl->page = 0;
	pl->nopen = pl->g.paged && pl->g.npages != 1 ? 2 : 1;
	for (int j = 0; j < pl->nopen; j++)
		for (size_t l = 0; l < pl->g.nlayers + (size_t)pl->overlay; l++) {
			tfr_splat_params sp;
			sp.time = tfr_axis_from_edges(image_page_left(pl, j), image_page_left(pl, j + 1),
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
	             ? image_page_left(pl, pl->g.npages) : pl->g.end;
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

/* The columns of a page before the end of the input (the rest are drawn
 * hatched); 0: all. */
static size_t columns_before_end(const plotter *pl, const tfr_axis *ta)
{
	double end = pl->g.end;
	size_t w = pl->g.width;
	double dt = w > 1 ? (ta->last - ta->first) / (double)(w - 1) : 0;
	if (!isfinite(end) || !(dt > 0))
		return 0;
	double n = ceil((end - ta->first) / dt + 0.5 - 1e-9);
	return n >= (double)w ? 0 : n < 1 ? 1 : (size_t)n;
}

/* The title: --title, else the recording's file name (a stream's source,
 * so that the points of a.wav and a.wav itself are drawn alike); a page
 * says which, its times, of how long a recording, and what hatching
 * means. */
static void page_title(const plotter *pl, long long k, const tfr_axis *ta,
                       size_t filled, char *buf, size_t size)
{
	const options *o = pl->o;
	const char *name = o->look.title;
	if (!name) {
		const char *label = tfr_meta_get(pl->prov, "source");
		if (!label)
			label = tool_input_label(o->input);
		const char *slash = strrchr(label, '/');
		name = strcmp(label, "stdin") ? slash ? slash + 1 : label : "";
	}
	int n = snprintf(buf, size, "%s", name);
	if (pl->g.paged && n >= 0 && (size_t)n < size) {
		double t0 = image_page_left(pl, k), t1 = image_page_left(pl, k + 1);
		n += snprintf(buf + n, size - (size_t)n, "%spage %lld", *name ? ", " : "", k + 1);
		if (pl->g.npages > 0 && (size_t)n < size)
			n += snprintf(buf + n, size - (size_t)n, " of %lld", pl->g.npages);
		if ((size_t)n < size)
			n += snprintf(buf + n, size - (size_t)n, ", %g-%g s", t0, t1);
		if (isfinite(pl->g.end) && (size_t)n < size)
			n += snprintf(buf + n, size - (size_t)n, " of %g s", pl->g.end);
	}
	if (filled && n >= 0 && (size_t)n < size)
		snprintf(buf + n, size - (size_t)n, "%s(hatched: past the end)", n ? " " : "");
	(void)ta;
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
	if (!o->look.have_range && pl->range > 0)
		p.range_db = pl->range;
	p.filled = columns_before_end(pl, ta);
	char title[512];
	page_title(pl, k, ta, p.filled, title, sizeof title);
	p.title = title;
	tfr_picture_overlay_rgb(p.colormap, p.overlay_rgb);
	if (pl->overlay)
		p.overlay = tfr_splat_grid(s[pl->g.nlayers]);
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
		if (k >= TOOL_MAX_PAGES)  /* a pipe of unknown length */
			tool_pages_exceeded(pl->g.span);
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
	for (size_t l = 0; l < pl->g.nlayers + (size_t)pl->overlay; l++) {
		tfr_splat *s = pl->pg[0][l];
		pl->pg[0][l] = pl->pg[1][l];
		pl->pg[1][l] = s;
		tfr_axis a = tfr_axis_from_edges(image_page_left(pl, pl->page + 2),
		                                 image_page_left(pl, pl->page + 3),
		                                 pl->g.width, TFR_AXIS_LINEAR);
		tfr_splat_move(s, a.first, a.last);
	}
	pl->page++;
}

/* The input has reached time t: pages that nothing can reach any more
 * are written (records may come up to a page late: reassigned points,
 * a partial's line back to its previous breakpoint). */
void image_plot_front(plotter *pl, double t)
{
	if (t > pl->t_seen)
		pl->t_seen = t;
	if (pl->nopen == 2)
		while ((pl->g.npages < 0 || pl->page + 2 < pl->g.npages) &&
		       t >= image_page_left(pl, pl->page + 2))
			shift_page(pl);
	progress(pl);
}

/* End of input: the rest of the pages, empty ones included. */
void image_plot_finish(plotter *pl)
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
	if (pl->o->verbose)
		tool_warn("%lld picture%s of %zu x %zu px, %.3f s to %.3f s drawn", pl->g.npages,
		          pl->g.npages == 1 ? "" : "s", pl->g.width, pl->g.height, pl->g.start,
		          isfinite(pl->g.end) ? pl->g.end : pl->t_seen);
	for (int j = 0; j < 2; j++)
		for (size_t l = 0; l < pl->g.nlayers + (size_t)pl->overlay; l++)
			tfr_splat_free(pl->pg[j][l]);
}


/* ---- image_provenance ---- */

/* PNG keywords are 1 to 79 printable characters. */
static int png_key(const char *k)
{
	size_t n = strlen(k);
	return n >= 1 && n <= 79 && strspn(k, "abcdefghijklmnopqrstuvwxyz"
	                                      "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-.:") == n;
}

void image_meta_or_die(int e)
{
	if (e)
		tool_die(TOOL_EXIT_FAIL, "%s", tfr_strerror(e));
}

/* What every picture of this run carries after its geometry: the
 * input's metadata (a stream's, history included), then ours. */
tfr_meta *image_provenance(const tfr_meta *in, const char *kind,
                            const char *pixel)
{
	tfr_meta *m = tfr_meta_new();
	if (!m)
		image_meta_or_die(TFR_ENOMEM);
	for (size_t i = 0; in && i < tfr_meta_count(in); i++)
		if (png_key(tfr_meta_key(in, i)) && strcmp(tfr_meta_key(in, i), "columns"))
			image_meta_or_die(tfr_meta_add(m, tfr_meta_key(in, i), tfr_meta_value(in, i)));
	image_meta_or_die(tfr_meta_add(m, "input_kind", kind));
	image_meta_or_die(tfr_meta_add(m, "pixel", pixel));
	image_meta_or_die(tfr_meta_add(m, "history", tool_meta_text(tool_history())));
	return m;
}

