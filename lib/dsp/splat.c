/*
 * splat.c - records onto a time-frequency grid, each pixel keeping the
 * largest energy that lands on it (tfr_splat.h).
 */
#include "tfr_base.h"
#include "tfr_splat.h"
#include "internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

struct tfr_splat {
	tfr_splat_params p;
	size_t w, h;
	float *grid;
};

void tfr_splat_params_default(tfr_splat_params *p)
{
	memset(p, 0, sizeof *p);
	p->time = tfr_axis_from_edges(0, 1, 1000, TFR_AXIS_LINEAR);
	p->freq = tfr_axis_from_edges(22050, 0, 500, TFR_AXIS_LINEAR);
}

int tfr_splat_check(const tfr_splat_params *p, tfr_diag *d)
{
	if (!tfr_axis_valid(&p->time) || p->time.scale != TFR_AXIS_LINEAR)
		return tfr_diag_set(d, TFR_EINVAL, "bad time axis (2 columns or more, "
		                    "distinct finite times, linear)");
	if (!tfr_axis_valid(&p->freq))
		return tfr_diag_set(d, TFR_EINVAL, "bad frequency axis (2 rows or more, "
		                    "distinct finite frequencies, > 0 on a log axis)");
	if (!tfr_size_mul(p->time.n, p->freq.n) ||
	    !tfr_size_mul(p->time.n * p->freq.n, sizeof(float)))
		return tfr_diag_set(d, TFR_EINVAL, "grid too large");
	return TFR_OK;
}

tfr_splat *tfr_splat_new(const tfr_splat_params *p, tfr_diag *d)
{
	tfr_diag_clear(d);
	if (tfr_splat_check(p, d) != TFR_OK)
		return NULL;
	tfr_splat *s = calloc(1, sizeof *s);
	if (s) {
		s->p = *p;
		s->w = p->time.n;
		s->h = p->freq.n;
		s->grid = calloc(s->w * s->h, sizeof *s->grid);
		/* a write to each page now: a large calloc's fresh pages
		   are the kernel's zero page until written, and put(),
		   which reads before it writes, then took two page faults
		   a page */
		for (size_t i = 0; s->grid && i < s->w * s->h; i += 1024)
			s->grid[i] = 0;
	}
	if (!s || !s->grid) {
		tfr_splat_free(s);
		tfr_diag_set(d, TFR_ENOMEM, NULL);
		return NULL;
	}
	return s;
}

const float *tfr_splat_grid(const tfr_splat *s)
{
	return s->grid;
}

const tfr_splat_params *tfr_splat_geometry(const tfr_splat *s)
{
	return &s->p;
}

void tfr_splat_reset(tfr_splat *s)
{
	memset(s->grid, 0, s->w * s->h * sizeof *s->grid);
}

int tfr_splat_move(tfr_splat *s, double time_first, double time_last)
{
	tfr_axis a = s->p.time;
	a.first = time_first;
	a.last = time_last;
	if (!tfr_axis_valid(&a))
		return TFR_EINVAL;
	s->p.time = a;
	tfr_splat_reset(s);
	return TFR_OK;
}

void tfr_splat_free(tfr_splat *s)
{
	if (!s)
		return;
	free(s->grid);
	free(s);
}

/* The nearest cell to position pos of an axis of n cells, or -1 outside
 * (NaN included). */
static long cell_of(double pos, size_t n)
{
	if (!(pos >= -0.5 && pos < (double)n - 0.5))
		return -1;
	long i = (long)floor(pos + 0.5);
	return i < (long)n ? i : (long)n - 1;
}

static void put(tfr_splat *s, long x, long y, float e)
{
	float *g = &s->grid[(size_t)x * s->h + (size_t)y];
	if (e > *g)
		*g = e;
}

void tfr_splat_point(tfr_splat *s, double t, double f, float e)
{
	long x = cell_of(tfr_axis_pos(&s->p.time, t), s->w);
	long y = cell_of(tfr_axis_pos(&s->p.freq, f), s->h);
	if (x >= 0 && y >= 0)
		put(s, x, y, e);
}

void tfr_splat_dot(tfr_splat *s, double t, double f, float e, double r)
{
	double px = tfr_axis_pos(&s->p.time, t), py = tfr_axis_pos(&s->p.freq, f);
	if (!isfinite(px) || !isfinite(py) || !(r >= 0) || r > 1000)
		return;
	long R = (long)floor(r);
	if (px < -0.5 - R || px >= (double)s->w - 0.5 + R ||
	    py < -0.5 - R || py >= (double)s->h - 0.5 + R)
		return;
	long cx = (long)floor(px + 0.5), cy = (long)floor(py + 0.5);
	for (long dy = -R; dy <= R; dy++)
		for (long dx = -R; dx <= R; dx++) {
			long x = cx + dx, y = cy + dy;
			if ((double)(dx * dx + dy * dy) <= r * r && x >= 0 &&
			    y >= 0 && x < (long)s->w && y < (long)s->h)
				put(s, x, y, e);
		}
}

/* The cells [*i0, *i1] whose centres the span of positions [a, b) (in
 * either order) covers, or the one nearest its middle when it covers no
 * centre (within a hair); clamped to the axis. 0 when the span misses
 * the axis. */
static int span_cells(double a, double b, size_t n, long *i0, long *i1)
{
	if (!isfinite(a) || !isfinite(b))
		return 0;
	if (a > b) {
		double t = a;
		a = b;
		b = t;
	}
	double top = (double)n - 0.5;
	if (b <= -0.5 || a >= top)
		return 0;
	/* a hair of slack: t + hop/2 of one frame and t' - hop/2 of the next
	 * round apart, and a centre on their common edge fell between them
	 * (a column left black every few frames at a hop of one sample) */
	const double eps = 1e-7;
	double lo = ceil(a - eps), hi = ceil(b + eps) - 1;
	if (lo > hi) {
		long c = cell_of((a + b) / 2, n);
		if (c < 0)
			return 0;
		*i0 = *i1 = c;
		return 1;
	}
	*i0 = lo < 0 ? 0 : (long)lo;
	*i1 = hi > (double)n - 1 ? (long)n - 1 : (long)hi;
	return *i0 <= *i1;
}

int tfr_splat_columns(const tfr_splat *s, double t0, double t1, long *x0, long *x1)
{
	return span_cells(tfr_axis_pos(&s->p.time, t0), tfr_axis_pos(&s->p.time, t1),
	                  s->w, x0, x1);
}

int tfr_splat_rows(const tfr_splat *s, double f0, double f1, long *y0, long *y1)
{
	return span_cells(tfr_axis_pos(&s->p.freq, f0), tfr_axis_pos(&s->p.freq, f1),
	                  s->h, y0, y1);
}

void tfr_splat_block(tfr_splat *s, long x0, long x1, long y0, long y1, float e)
{
	for (long x = x0; x <= x1; x++)
		for (long y = y0; y <= y1; y++)
			put(s, x, y, e);
}

void tfr_splat_bins(tfr_splat *s, long x0, long x1, const long (*rows)[2],
                    const float *amp, size_t n)
{
	for (long x = x0; x <= x1; x++) {
		float *col = s->grid + (size_t)x * s->h;
		for (size_t i = 0; i < n; i++) {
			double a = amp[i];
			if (rows[i][0] < 0 || !(a > 0))
				continue;
			float e = (float)(a * a);
			for (long y = rows[i][0]; y <= rows[i][1]; y++)
				col[y] = e > col[y] ? e : col[y];
		}
	}
}

void tfr_splat_cell(tfr_splat *s, double t0, double t1, double f0,
                    double f1, float e)
{
	long x0, x1, y0, y1;
	if (!span_cells(tfr_axis_pos(&s->p.time, t0), tfr_axis_pos(&s->p.time, t1),
	                s->w, &x0, &x1) ||
	    !span_cells(tfr_axis_pos(&s->p.freq, f0), tfr_axis_pos(&s->p.freq, f1),
	                s->h, &y0, &y1))
		return;
	for (long x = x0; x <= x1; x++)
		for (long y = y0; y <= y1; y++)
			put(s, x, y, e);
}

/*
 * Liang & Barsky's clipping of the segment p + u (q - p), u in [0, 1],
 * to the box [-1/2, w - 1/2) x [-1/2, h - 1/2): narrows [*u0, *u1]; 0
 * when nothing is left.
 */
static int clip(double d, double p, double lo, double hi, double *u0,
                double *u1)
{
	if (d == 0)
		return p >= lo && p < hi;
	double a = (lo - p) / d, b = (hi - p) / d;
	if (a > b) {
		double t = a;
		a = b;
		b = t;
	}
	if (a > *u0)
		*u0 = a;
	if (b < *u1)
		*u1 = b;
	return *u0 <= *u1;
}

void tfr_splat_line(tfr_splat *s, double t0, double f0, float e0,
                    double t1, double f1, float e1)
{
	double x0 = tfr_axis_pos(&s->p.time, t0), y0 = tfr_axis_pos(&s->p.freq, f0);
	double x1 = tfr_axis_pos(&s->p.time, t1), y1 = tfr_axis_pos(&s->p.freq, f1);
	if (!isfinite(x0) || !isfinite(y0) || !isfinite(x1) || !isfinite(y1))
		return;
	double dx = x1 - x0, dy = y1 - y0, u0 = 0, u1 = 1;
	if (!clip(dx, x0, -0.5, (double)s->w - 0.5, &u0, &u1) ||
	    !clip(dy, y0, -0.5, (double)s->h - 0.5, &u0, &u1))
		return;
	double a0 = sqrt(e0 > 0 ? e0 : 0), a1 = sqrt(e1 > 0 ? e1 : 0);
	/* one sample per pixel along the longer direction */
	double len = fmax(fabs(dx), fabs(dy)) * (u1 - u0);
	long steps = (long)ceil(len);
	for (long i = 0; i <= steps; i++) {
		double u = steps ? u0 + (u1 - u0) * (double)i / (double)steps : u0;
		long x = cell_of(x0 + u * dx, s->w), y = cell_of(y0 + u * dy, s->h);
		double a = a0 + u * (a1 - a0);
		if (x >= 0 && y >= 0)
			put(s, x, y, (float)(a * a));
	}
}
