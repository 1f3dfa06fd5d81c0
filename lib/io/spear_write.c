/*
 * spear_write.c - writers of SPEAR's text formats (see tfr_spear.h).
 *
 * Numbers go through the library's own formatter (tfr_number.h), which
 * writes "%f"-style text with '.' whatever LC_NUMERIC says: SPEAR and the
 * readers in the wild expect the C locale's notation.
 */
#include "tfr_base.h"
#include "tfr_number.h"
#include "tfr_spear.h"
#include "idmap.h"
#include "internal.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { DECIMALS = 6, OUTBUF = 1 << 16 };

/* ---- buffered text output ---- */

typedef struct {
	FILE *fp;
	char buf[OUTBUF];
	size_t used;
	int failed;
} text_out;

static void drain(text_out *o)
{
	if (o->used && fwrite(o->buf, 1, o->used, o->fp) != o->used)
		o->failed = 1;
	o->used = 0;
}

static void put(text_out *o, const char *s, size_t n)
{
	while (n) {
		if (o->used == OUTBUF)
			drain(o);
		size_t k = OUTBUF - o->used < n ? OUTBUF - o->used : n;
		memcpy(o->buf + o->used, s, k);
		o->used += k;
		s += k;
		n -= k;
	}
}

static void put_str(text_out *o, const char *s)
{
	put(o, s, strlen(s));
}

static void put_fixed(text_out *o, double v)
{
	char num[TFR_NUMBER_MAX];
	put(o, num, tfr_fmt_fixed(num, v, DECIMALS));
}

static void put_int(text_out *o, int64_t v)
{
	char num[TFR_NUMBER_MAX];
	put(o, num, tfr_fmt_int(num, v));
}

/* Drain, flush fp: TFR_OK or TFR_EIO. */
static int finish(text_out *o)
{
	drain(o);
	if (fflush(o->fp) != 0 || ferror(o->fp))
		o->failed = 1;
	return o->failed ? TFR_EIO : TFR_OK;
}

#if defined(__GNUC__)
__attribute__((format(printf, 3, 4)))
#endif
static int failf(tfr_diag *d, int code, const char *fmt, ...)
{
	char what[200];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(what, sizeof what, fmt, ap);
	va_end(ap);
	return tfr_diag_set(d, code, what);
}

/* ---- par-text-partials-format ---- */

typedef struct {
	int64_t part;   /* number in the file */
	double t, f;
	float a;
} point;

typedef struct {
	double last;    /* time of its latest point */
	int ended;
} part_state;

struct tfr_spear_partials_writer {
	FILE *fp;
	tfr_diag diag;
	point *pts;
	size_t npts, cappts;
	idmap number;        /* id -> number in the file */
	part_state *parts;   /* by number */
	size_t nparts, capparts;
};

tfr_spear_partials_writer *tfr_spear_partials_writer_new(FILE *fp, tfr_diag *d)
{
	tfr_spear_partials_writer *w = calloc(1, sizeof *w);
	if (!w) {
		tfr_diag_set(d, TFR_ENOMEM, "out of memory");
		return NULL;
	}
	w->fp = fp;
	idmap_init(&w->number);
	tfr_diag_clear(d);
	return w;
}

const tfr_diag *tfr_spear_partials_writer_diag(const tfr_spear_partials_writer *w)
{
	return &w->diag;
}

static int check_bp(tfr_diag *d, const tfr_breakpoint *b)
{
	if (b->partial < 0)
		return failf(d, TFR_EINVAL, "partial id %lld is negative", (long long)b->partial);
	if (!isfinite(b->time) || !(b->freq >= 0) || !isfinite(b->freq) ||
	    !(b->amp >= 0) || !isfinite(b->amp))
		return failf(d, TFR_EINVAL,
		             "breakpoint of partial %lld: time not finite, or frequency or "
		             "amplitude negative or not finite",
		             (long long)b->partial);
	return TFR_OK;
}

int tfr_spear_partials_write(tfr_spear_partials_writer *w,
                             const tfr_breakpoint *bp, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		const tfr_breakpoint *b = &bp[i];
		int e = check_bp(&w->diag, b);
		if (e != TFR_OK)
			return e;
		int added;
		int64_t *k = idmap_get(&w->number, (uint64_t)b->partial, (int64_t)w->nparts,
		                       &added);
		if (!k || (added && tfr_grow((void **)&w->parts, &w->capparts, w->nparts + 1,
		                         sizeof *w->parts)))
			return failf(&w->diag, TFR_ENOMEM, "out of memory");
		if (added)
			w->parts[w->nparts++] = (part_state){ -INFINITY, 0 };
		part_state *p = &w->parts[*k];
		if (p->ended)
			return failf(&w->diag, TFR_EINVAL,
			             "partial id %lld met again after its end",
			             (long long)b->partial);
		if (!(b->time > p->last))
			return failf(&w->diag, TFR_EINVAL,
			             "partial %lld: time %.17g not after its previous breakpoint's",
			             (long long)b->partial, b->time);
		if (tfr_grow((void **)&w->pts, &w->cappts, w->npts + 1, sizeof *w->pts))
			return failf(&w->diag, TFR_ENOMEM, "out of memory");
		w->pts[w->npts++] = (point){ *k, b->time, b->freq, b->amp };
		p->last = b->time;
		p->ended = b->end != 0;
	}
	return TFR_OK;
}

/* The points grouped by partial, each partial's in time order: a
 * counting sort by number keeps the order they came in. */
static size_t *group(const tfr_spear_partials_writer *w, size_t *start)
{
	size_t *order = malloc((w->npts ? w->npts : 1) * sizeof *order);
	if (!order)
		return NULL;
	memset(start, 0, (w->nparts + 1) * sizeof *start);
	for (size_t i = 0; i < w->npts; i++)
		start[w->pts[i].part + 1]++;
	for (size_t k = 0; k < w->nparts; k++)
		start[k + 1] += start[k];
	size_t *fill = start + w->nparts + 1;  /* scratch: next slot per number */
	memcpy(fill, start, w->nparts * sizeof *fill);
	for (size_t i = 0; i < w->npts; i++)
		order[fill[w->pts[i].part]++] = i;
	return order;
}

static void write_partials(const tfr_spear_partials_writer *w, text_out *o,
                           const size_t *order, const size_t *start)
{
	put_str(o, "par-text-partials-format\n"
	           "point-type time frequency amplitude\n"
	           "partials-count ");
	put_int(o, (int64_t)w->nparts);
	put_str(o, "\npartials-data\n");
	for (size_t k = 0; k < w->nparts; k++) {
		const point *first = &w->pts[order[start[k]]];
		const point *last = &w->pts[order[start[k + 1] - 1]];
		put_int(o, (int64_t)k);
		put(o, " ", 1);
		put_int(o, (int64_t)(start[k + 1] - start[k]));
		put(o, " ", 1);
		put_fixed(o, first->t);
		put(o, " ", 1);
		put_fixed(o, last->t);
		put(o, "\n", 1);
		for (size_t i = start[k]; i < start[k + 1]; i++) {
			const point *p = &w->pts[order[i]];
			if (i > start[k])
				put(o, " ", 1);
			put_fixed(o, p->t);
			put(o, " ", 1);
			put_fixed(o, p->f);
			put(o, " ", 1);
			put_fixed(o, p->a);
		}
		put(o, "\n", 1);
	}
}

int tfr_spear_partials_writer_close(tfr_spear_partials_writer *w)
{
	if (!w)
		return TFR_OK;
	int e = TFR_EIO;
	size_t *start = malloc((2 * w->nparts + 2) * sizeof *start);
	size_t *order = start ? group(w, start) : NULL;
	text_out *o = malloc(sizeof *o);
	if (order && o) {
		o->fp = w->fp;
		o->used = 0;
		o->failed = 0;
		write_partials(w, o, order, start);
		e = finish(o);
	}
	free(o);
	free(order);
	free(start);
	idmap_free(&w->number);
	free(w->parts);
	free(w->pts);
	free(w);
	return e;
}

/* ---- par-text-frame-format ---- */

struct tfr_spear_frames_writer {
	FILE *fp;
	tfr_diag diag;
	char *text;          /* the frame lines, until _close */
	size_t len, cap;
	idmap prev, cur;     /* id -> number, in the last frame and this one */
	int64_t nparts, nframes;
	double last_time;
};

tfr_spear_frames_writer *tfr_spear_frames_writer_new(FILE *fp, tfr_diag *d)
{
	tfr_spear_frames_writer *w = calloc(1, sizeof *w);
	if (!w) {
		tfr_diag_set(d, TFR_ENOMEM, "out of memory");
		return NULL;
	}
	w->fp = fp;
	w->last_time = -INFINITY;
	idmap_init(&w->prev);
	idmap_init(&w->cur);
	tfr_diag_clear(d);
	return w;
}

const tfr_diag *tfr_spear_frames_writer_diag(const tfr_spear_frames_writer *w)
{
	return &w->diag;
}

static int check_row(tfr_diag *d, const tfr_grid_row *r)
{
	if (r->partial < 0)
		return failf(d, TFR_EINVAL, "partial id %lld is negative", (long long)r->partial);
	if (!(r->freq >= 0) || !isfinite(r->freq) || !(r->amp >= 0) || !isfinite(r->amp))
		return failf(d, TFR_EINVAL,
		             "row of partial %lld: frequency or amplitude negative or not finite",
		             (long long)r->partial);
	return TFR_OK;
}

static size_t put_num(char *p, double v)
{
	p[0] = ' ';
	return 1 + tfr_fmt_fixed(p + 1, v, DECIMALS);
}

int tfr_spear_frames_write(tfr_spear_frames_writer *w, double time,
                           const tfr_grid_row *rows, size_t n)
{
	if (!isfinite(time) || time < w->last_time)
		return failf(&w->diag, TFR_EINVAL,
		             "frame time %.17g is not finite or before the previous frame's", time);
	for (size_t i = 0; i < n; i++) {
		int e = check_row(&w->diag, &rows[i]);
		if (e != TFR_OK)
			return e;
	}
	/* a line: time, count, then per row an index and two numbers */
	size_t room = tfr_size_mul(n + 1, 3 * (TFR_NUMBER_MAX + 1));
	if (!room || w->len > SIZE_MAX - room ||
	    tfr_grow((void **)&w->text, &w->cap, w->len + room, 1))
		return failf(&w->diag, TFR_ENOMEM, "out of memory");
	char *p = w->text + w->len;
	size_t k = tfr_fmt_fixed(p, time, DECIMALS);
	p[k++] = ' ';
	k += tfr_fmt_int(p + k, (int64_t)n);
	int64_t nparts = w->nparts;
	idmap_clear(&w->cur);
	for (size_t i = 0; i < n; i++) {
		const int64_t *before = idmap_find(&w->prev, (uint64_t)rows[i].partial);
		int added;
		int64_t *num = idmap_get(&w->cur, (uint64_t)rows[i].partial,
		                         before ? *before : nparts, &added);
		if (!num) {
			return failf(&w->diag, TFR_ENOMEM, "out of memory");
		}
		if (!added)
			return failf(&w->diag, TFR_EINVAL, "partial id %lld twice in one frame",
			             (long long)rows[i].partial);
		if (!before)
			nparts++;
		p[k++] = ' ';
		k += tfr_fmt_int(p + k, *num);
		k += put_num(p + k, rows[i].freq);
		k += put_num(p + k, rows[i].amp);
	}
	p[k++] = '\n';
	w->len += k;
	w->nparts = nparts;
	w->nframes++;
	w->last_time = time;
	idmap t = w->prev;
	w->prev = w->cur;
	w->cur = t;
	return TFR_OK;
}

int tfr_spear_frames_writer_close(tfr_spear_frames_writer *w)
{
	if (!w)
		return TFR_OK;
	int e = TFR_EIO;
	text_out *o = malloc(sizeof *o);
	if (o) {
		o->fp = w->fp;
		o->used = 0;
		o->failed = 0;
		put_str(o, "par-text-frame-format\n"
		           "point-type index frequency amplitude\n"
		           "partials-count ");
		put_int(o, w->nparts);
		put_str(o, "\nframe-count ");
		put_int(o, w->nframes);
		put_str(o, "\nframe-data\n");
		put(o, w->text ? w->text : "", w->len);
		e = finish(o);
	}
	free(o);
	free(w->text);
	idmap_free(&w->prev);
	idmap_free(&w->cur);
	free(w);
	return e;
}
