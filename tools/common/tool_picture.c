/*
 * tool_picture.c - pictures and matrices as outputs (see tool.h): a
 * figure or a bare picture written whole or not at all, the numbered
 * names of pages, the sidecar of a .npy, the provenance every picture
 * carries; and a time-frequency matrix that is made column by column
 * (tfr-hyper's), written as PNG figures, whole or in pages each written
 * when complete, and as .npy matrices that grow as it is made, so that
 * a long input never needs the whole matrix in memory.
 */
#include "tool.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

static void meta_or_die(int e)
{
	if (e)
		tool_die(TOOL_EXIT_FAIL, "%s", tfr_strerror(e));
}

void tool_picture_opts_default(tool_picture_opts *po)
{
	memset(po, 0, sizeof *po);
	po->range = 80;
	po->map = TFR_COLORMAP_INFERNO;
}

int tool_picture_option(tool_picture_opts *po, const char *opt, const char *arg)
{
	static const char *const maps[] = { "inferno", "viridis", "gray", "grey",
	                                    "print", NULL };
	static const tfr_colormap map_of[] = { TFR_COLORMAP_INFERNO,
		TFR_COLORMAP_VIRIDIS, TFR_COLORMAP_GRAY, TFR_COLORMAP_GRAY,
		TFR_COLORMAP_PRINT };
	if (!strcmp(opt, "range")) {
		po->range = tool_parse_number(opt, arg, 1, 1000);
		po->have_range = 1;
	} else if (!strcmp(opt, "top")) {
		po->top = tool_parse_level(opt, arg, 0);
		po->have_top = 1;
	} else if (!strcmp(opt, "colormap")) {
		po->map = map_of[tool_parse_choice(opt, arg, maps)];
	} else if (!strcmp(opt, "title")) {
		po->title = arg;
	} else if (!strcmp(opt, "bare")) {
		po->bare = 1;
	} else if (!strcmp(opt, "start")) {
		po->start = tfr_quantity_seconds(tool_parse_time(opt, arg, TFR_UNIT_SECONDS), 1);
		if (!(po->start >= 0))
			tool_usage_error("--start: must be 0 or later");
	} else if (!strcmp(opt, "duration")) {
		po->duration = tfr_quantity_seconds(tool_parse_time(opt, arg, TFR_UNIT_SECONDS), 1);
		po->have_duration = 1;
		if (!(po->duration > 0))
			tool_usage_error("--duration: must be above 0");
	} else if (!strcmp(opt, "page")) {
		po->page = tfr_quantity_seconds(tool_parse_time(opt, arg, TFR_UNIT_SECONDS), 1);
		po->have_page = 1;
		if (!(po->page > 0))
			tool_usage_error("--page: must be above 0");
	} else {
		return 0;
	}
	return 1;
}

/* First and end frames of the span (end INT64_MAX: to the end). */
static void span(const tool_picture_opts *po, double fs, int64_t *first, int64_t *end)
{
	*first = (int64_t)llround(po->start * fs);
	*end = po->have_duration ? *first + (int64_t)llround(po->duration * fs) : INT64_MAX;
}

long tool_audio_read_span(tfr_audio_in *in, const tool_picture_opts *po, float *buf,
                          size_t nframes, int64_t *pos)
{
	const tfr_audio_info *ai = tfr_audio_in_info(in);
	int64_t first, end;
	span(po, ai->sample_rate, &first, &end);
	/* the frames before the span, read and dropped (pipes cannot seek) */
	while (*pos < first) {
		int64_t k = first - *pos;
		long n = tool_audio_read(in, buf, k < (int64_t)nframes ? (size_t)k : nframes);
		if (n == 0)
			tool_usage_error("--start: %g s is not before the end of the input "
			                 "(%g s)", po->start, (double)*pos / ai->sample_rate);
		*pos += n;
	}
	if (*pos >= end)
		return 0;
	if (end - *pos < (int64_t)nframes)
		nframes = (size_t)(end - *pos);
	long n = tool_audio_read(in, buf, nframes);
	*pos += n;
	return n;
}

int64_t tool_span_frames(const tool_picture_opts *po, const tfr_audio_info *ai)
{
	if (ai->frames < 0)
		return -1;
	int64_t first, end;
	span(po, ai->sample_rate, &first, &end);
	if (end > ai->frames)
		end = ai->frames;
	return end > first ? end - first : 0;
}

void tool_picture_look(const tool_picture_opts *po, tfr_picture_params *p)
{
	p->range_db = po->range;
	p->colormap = po->map;
	p->title = po->title;
}

void tool_meta_set(tfr_meta *m, const char *key, const char *fmt, ...)
{
	char buf[1024];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	meta_or_die(tfr_meta_set(m, key, buf));
}

tfr_meta *tool_audio_provenance(const char *input, const tfr_audio_info *ai)
{
	tfr_meta *m = tfr_meta_new();
	if (!m)
		meta_or_die(TFR_ENOMEM);
	meta_or_die(tfr_meta_set_double(m, "sample_rate", ai->sample_rate));
	meta_or_die(tfr_meta_set(m, "source", tool_meta_text(tool_input_label(input))));
	if (ai->frames >= 0)
		meta_or_die(tfr_meta_set_int(m, "source_frames", ai->frames));
	meta_or_die(tfr_meta_set_int(m, "source_channels", ai->channels));
	return m;
}

void tool_check_pages(double pages, double page)
{
	if (pages > TOOL_MAX_PAGES)
		tool_usage_error("--page: %g s makes %.0f pictures of this input: at "
		                 "most %d (a longer --page, or a shorter --duration)",
		                 page, pages, TOOL_MAX_PAGES);
}

void tool_pages_exceeded(double page)
{
	tool_die(TOOL_EXIT_FAIL, "--page: the input is longer than %d pages of "
	         "%g s, the most one run writes (a longer --page, or --duration)",
	         TOOL_MAX_PAGES, page);
}

void tool_page_path(const char *output, long long k, long long npages, char *buf,
                    size_t size)
{
	size_t n = strlen(output);
	int ext = n > 4 && !strcasecmp(output + n - 4, ".png");
	int digits = 4;
	for (long long m = npages; m >= 10000; m /= 10)
		digits++;
	if ((size_t)snprintf(buf, size, "%.*s-%0*lld.png", (int)(ext ? n - 4 : n), output,
	                     digits, k + 1) >= size)
		tool_usage_error("-o: name too long");
}

void tool_picture_write(tool_output *out, const tfr_picture_params *p, int bare)
{
	tfr_diag d;
	errno = 0;
	int e = bare ? tfr_picture_write_png(tool_output_file(out), p, &d)
	             : tfr_picture_write_figure(tool_output_file(out), p, &d);
	if (e == TFR_EIO)
		tool_output_failed(out);
	if (e)
		tool_die_diag(tool_output_label(out), &d);
	tool_output_close(out);
}

void tool_sidecar(const char *path, const char *input, const tfr_meta *m)
{
	char name[4096];
	if (!path || !strcmp(path, "-"))
		return;
	if ((size_t)snprintf(name, sizeof name, "%s.txt", path) >= sizeof name)
		tool_usage_error("-o: name too long");
	tool_check_output(name, input);
	tool_output *out = tool_output_open(name, 0);
	errno = 0;
	if (tfr_picture_sidecar_write(tool_output_file(out), m) != TFR_OK)
		tool_output_failed(out);
	tool_output_close(out);
}

/* The extension of path's file name (after its last '.'), or NULL. */
static const char *extension(const char *path)
{
	const char *base = strrchr(path, '/');
	base = base ? base + 1 : path;
	const char *dot = strrchr(base, '.');
	return dot && dot > base && dot[1] ? dot + 1 : NULL;
}

void tool_check_extension(const char *opt, const char *path, const char *ext)
{
	const char *e = path ? extension(path) : NULL;
	if (e && strcasecmp(e, ext))
		tool_usage_error("%s %s: %s writes .%s, not .%s", opt, path, tool_name(),
		                 ext, e);
}

int tool_matrix_is_png(const char *path, const char *format)
{
	if (format)  /* said outright: any name */
		return !strcmp(format, "png");
	if (!strcmp(path, "-"))
		tool_usage_error("-o -: give the format with -F");
	const char *e = extension(path);
	if (e && !strcasecmp(e, "png"))
		return 1;
	if (e && !strcasecmp(e, "npy"))
		return 0;
	if (e)
		tool_usage_error("-o %s: %s writes .npy or .png, not .%s", path,
		                 tool_name(), e);
	tool_usage_error("-o %s: unknown output format (use .npy, .png or -F)", path);
}

/* ---- a matrix made column by column ---- */

typedef struct {
	const char *path;
	int png, counts;
	tool_output *out;       /* NULL for pages, opened one by one */
	tfr_npy_stream npy;
} matrix_out;

struct tool_matrix {
	tool_matrix_params p;
	matrix_out *o;
	size_t n;
	size_t cols;            /* columns put so far */
	long long page;         /* pictures written */
	const float **layers;   /* a picture's layers */
};

static void *alloc_or_die(size_t n, size_t size)
{
	void *p = n && size <= SIZE_MAX / n ? calloc(n, size) : NULL;
	if (!p)
		tool_die(TOOL_EXIT_FAIL, "out of memory");
	return p;
}

tool_matrix *tool_matrix_open(const tool_matrix_params *p)
{
	tool_matrix *m = alloc_or_die(1, sizeof *m);
	m->p = *p;
	m->o = alloc_or_die(p->npaths + 1, sizeof *m->o);
	m->layers = alloc_or_die(p->nlayers, sizeof *m->layers);
	for (size_t i = 0; i <= p->npaths; i++) {
		matrix_out *o = &m->o[m->n];
		o->counts = i == p->npaths;
		o->path = o->counts ? p->counts : p->paths[i];
		if (!o->path)
			continue;
		o->png = !o->counts && tool_matrix_is_png(o->path, p->format);
		if (o->png && p->page && !strcmp(o->path, "-"))
			tool_usage_error("--page writes pictures to files: give -o NAME.png");
		tool_check_output(o->path, p->input);
		if (!o->png || !p->page)
			o->out = tool_output_open(o->path, 1);
		/* a .npy that grows needs its place in the file for a matrix
		 * after the first, a transposed one, or a length not known */
		if (!o->png && p->page && (p->nlayers > 1 || p->transpose || !p->columns) &&
		    lseek(tool_output_fd(o->out), 0, SEEK_CUR) < 0)
			tool_usage_error("--page: %s: a .npy on a pipe needs one matrix, "
			                 "no --transpose and an input of known length",
			                 tool_output_label(o->out));
		m->n++;
	}
	if (p->page && p->columns)
		tool_check_pages(ceil((double)p->columns / (double)p->page),
		                 (double)p->page * p->dt);
	return m;
}

/* The text chunks of picture k: the provenance, and which page it is. */
static tfr_meta *page_text(const tool_matrix *m)
{
	tfr_meta *t = tfr_meta_new();
	meta_or_die(t ? tfr_meta_copy(t, m->p.text) : TFR_ENOMEM);
	if (m->p.page) {
		meta_or_die(tfr_meta_set_int(t, "page", m->page + 1));
		if (m->p.columns)
			meta_or_die(tfr_meta_set_int(t, "pages", (long long)((m->p.columns +
			            m->p.page - 1) / m->p.page)));
	}
	return t;
}

/* The picture of the columns put: a page (a short last one drawn to
 * the full width, empty after the end, so that all have one time
 * scale), or all of them (at least the 2 columns of a time axis). */
static void put_pictures(tool_matrix *m, const float *const *E, size_t n)
{
	const tool_matrix_params *p = &m->p;
	size_t w = p->page ? p->page : n < 2 ? 2 : n;
	for (size_t l = 0; l < p->nlayers; l++)
		m->layers[l] = E[l];
	tfr_picture_params pp = p->pic;
	pp.width = w;
	pp.filled = n;
	pp.height = p->rows;
	pp.layers = m->layers;
	pp.nlayers = p->nlayers;
	pp.time_first = p->t0 + (double)m->cols * p->dt;
	pp.time_last = pp.time_first + (double)(w - 1) * p->dt;
	if (p->page && m->page >= TOOL_MAX_PAGES)
		tool_pages_exceeded((double)p->page * p->dt);
	tfr_meta *text = page_text(m);
	pp.text = p->bare ? NULL : text;
	for (size_t i = 0; i < m->n; i++) {
		if (!m->o[i].png)
			continue;
		tool_output *out = m->o[i].out;
		if (p->page) {
			char path[4096];
			tool_page_path(m->o[i].path, m->page, p->columns ? (long long)((p->columns +
			               p->page - 1) / p->page) : -1, path, sizeof path);
			tool_check_output(path, p->input);
			out = tool_output_open(path, 1);
		}
		tool_picture_write(out, &pp, p->bare);
		m->o[i].out = NULL;
	}
	tfr_meta_free(text);
	m->page++;
}

void tool_matrix_put(tool_matrix *m, const float *const *E, const uint32_t *const *C,
                     size_t n)
{
	const tool_matrix_params *p = &m->p;
	for (size_t i = 0; i < m->n; i++) {
		matrix_out *o = &m->o[i];
		if (o->png)
			continue;
		errno = 0;
		int e = TFR_OK;
		/* the header when the first columns come: their number, when
		 * they are all the matrix, or all it will have, if known */
		if (m->cols == 0)
			e = tfr_npy_stream_open(&o->npy, tool_output_file(o->out),
			                        o->counts ? TFR_NPY_U32 : TFR_NPY_F32,
			                        p->nlayers, p->page ? p->columns : n, p->rows,
			                        p->transpose);
		if (!e)
			e = tfr_npy_stream_rows(&o->npy, o->counts ? (const void *const *)C
			                                           : (const void *const *)E, n);
		if (e == TFR_EIO)
			tool_output_failed(o->out);
		if (e)
			tool_die(TOOL_EXIT_FAIL, "%s: %s", tool_output_label(o->out),
			         tfr_strerror(e));
	}
	put_pictures(m, E, n);
	m->cols += n;
}

/* The sidecar of a .npy: the matrix's axes, what its values are, and
 * the provenance. */
static void sidecar(const tool_matrix *m, const matrix_out *o)
{
	const tool_matrix_params *p = &m->p;
	char num[40];
	tfr_picture_params pp = p->pic;
	pp.width = m->cols;
	pp.height = p->rows;
	pp.nlayers = p->nlayers;
	pp.time_first = p->t0;
	pp.time_last = p->t0 + (double)(m->cols - 1) * p->dt;
	tfr_meta *t = tfr_meta_new();
	meta_or_die(t ? tfr_picture_matrix_geometry(&pp, t) : TFR_ENOMEM);
	tool_meta_set(t, "axes", "%s%s", p->nlayers > 1 ? "layer," : "",
	              p->transpose ? "freq,time" : "time,freq");
	tool_meta_set(t, "values", o->counts ? "counts" : "energy");
	for (size_t l = 0; !o->counts && l < p->nlayers; l++) {
		double fs = pp.full_scales ? pp.full_scales[l] : pp.full_scale;
		if (fs > 0 && (pp.full_scales || l == 0))
			meta_or_die(tfr_meta_add(t, "full_scale", tfr_tick_label(fs, 0, num,
			                                                         sizeof num)));
	}
	meta_or_die(tfr_meta_copy(t, p->text));
	tool_sidecar(o->path, p->input, t);
	tfr_meta_free(t);
}

void tool_matrix_close(tool_matrix *m)
{
	for (size_t i = 0; i < m->n; i++) {
		matrix_out *o = &m->o[i];
		if (o->png)
			continue;
		errno = 0;
		int e = tfr_npy_stream_close(&o->npy);
		if (e == TFR_EIO)
			tool_output_failed(o->out);
		if (e)
			tool_die(TOOL_EXIT_FAIL, "%s: %s", tool_output_label(o->out),
			         tfr_strerror(e));
		tool_output_close(o->out);
		sidecar(m, o);
	}
	free(m->o);
	free(m->layers);
	free(m);
}
