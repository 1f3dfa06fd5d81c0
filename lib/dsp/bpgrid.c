/*
 * bpgrid.c - partials resampled on a regular time grid (see tfr_bpgrid.h).
 *
 * Each partial alive holds the breakpoints from the one before the next
 * grid time onwards; a frame is made once every partial that can still
 * be alive at its time has a breakpoint at or after it. Partials are kept
 * in an array sorted by id (ids mostly arrive in increasing order, so an
 * insertion is usually an append), which also gives the rows their order.
 */
#include "tfr_base.h"
#include "tfr_bpgrid.h"
#include "internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* One breakpoint, in double precision for the interpolation. */
typedef struct {
	double t, f, a, ph, bw;
} node;

typedef struct {
	int64_t id;
	int64_t kb;     /* birth frame: the last grid frame before q[0] */
	int64_t kd;     /* death frame: the first after the last (ended) */
	int ended;
	node *q;        /* breakpoints q[head..n-1] still needed */
	size_t head, n, cap;
} part;

typedef struct {
	node *q;
	size_t cap;
} spare_queue;

struct tfr_bpgrid {
	tfr_bpgrid_params p;
	tfr_diag diag;
	part *parts;          /* sorted by id */
	size_t nparts, capparts;
	spare_queue *spare;   /* queues of removed partials, for reuse */
	size_t nspare, capspare;
	tfr_grid_row *rows;
	size_t caprows;
	int64_t k;            /* the next frame to make */
	double tau;           /* latest breakpoint time taken */
	int flushed;
	int emitted;          /* a frame has been given */
};

void tfr_bpgrid_params_default(tfr_bpgrid_params *p)
{
	memset(p, 0, sizeof *p);
	p->start = 0;
	p->period = 0.005;
	p->empty_frames = 0;
}

int tfr_bpgrid_check(const tfr_bpgrid_params *p, tfr_diag *d)
{
	if (!p)
		return tfr_diag_set(d, TFR_EINVAL, "no parameters");
	if (!isfinite(p->start))
		return tfr_diag_set(d, TFR_EINVAL, "start: not a finite time");
	if (!(p->period > 0) || !isfinite(p->period))
		return tfr_diag_set(d, TFR_EINVAL, "period: not a positive time");
	/* frame times must be distinct doubles all the way along the grid */
	double last = p->start + (double)TFR_BPGRID_MAX_FRAMES * p->period;
	if (!isfinite(last) || !(last - p->period < last))
		return tfr_diag_set(d, TFR_EINVAL, "period: too small for the start time "
		                                   "(frame times would coincide)");
	if (p->empty_frames != 0 && p->empty_frames != 1)
		return tfr_diag_set(d, TFR_EINVAL, "empty_frames: not 0 or 1");
	tfr_diag_clear(d);
	return TFR_OK;
}

static double grid_time(const tfr_bpgrid *g, int64_t k)
{
	return g->p.start + (double)k * g->p.period;
}

/* The frame index near t (clamped below: only the sign matters there). */
static int64_t frame_near(const tfr_bpgrid *g, double t)
{
	double x = floor((t - g->p.start) / g->p.period);
	return x < -2 ? -2 : (int64_t)x;
}

/* The last frame whose time is before t. */
static int64_t last_before(const tfr_bpgrid *g, double t)
{
	int64_t k = frame_near(g, t);
	while (k > -2 && grid_time(g, k) >= t)
		k--;
	while (grid_time(g, k + 1) < t)
		k++;
	return k;
}

/* The first frame whose time is after t. */
static int64_t first_after(const tfr_bpgrid *g, double t)
{
	int64_t k = frame_near(g, t) + 1;
	while (k > -1 && grid_time(g, k - 1) > t)
		k--;
	while (grid_time(g, k) <= t)
		k++;
	return k;
}

static void drop_queues(tfr_bpgrid *g)
{
	for (size_t i = 0; i < g->nparts; i++)
		free(g->parts[i].q);
	for (size_t i = 0; i < g->nspare; i++)
		free(g->spare[i].q);
	g->nparts = 0;
	g->nspare = 0;
}

void tfr_bpgrid_reset(tfr_bpgrid *g)
{
	drop_queues(g);
	tfr_diag_clear(&g->diag);
	g->k = 0;
	g->tau = -INFINITY;
	g->flushed = 0;
	g->emitted = 0;
}

tfr_bpgrid *tfr_bpgrid_new(const tfr_bpgrid_params *p, tfr_diag *d)
{
	if (tfr_bpgrid_check(p, d) != TFR_OK)
		return NULL;
	tfr_bpgrid *g = calloc(1, sizeof *g);
	if (!g) {
		tfr_diag_set(d, TFR_ENOMEM, "out of memory");
		return NULL;
	}
	g->p = *p;
	tfr_bpgrid_reset(g);
	tfr_diag_clear(d);
	return g;
}

void tfr_bpgrid_free(tfr_bpgrid *g)
{
	if (!g)
		return;
	drop_queues(g);
	free(g->parts);
	free(g->spare);
	free(g->rows);
	free(g);
}

const tfr_diag *tfr_bpgrid_diag(const tfr_bpgrid *g)
{
	return &g->diag;
}

/* Grow *buf (of *cap elements of size) to hold at least need. */
/* Index of the partial with this id, or where it would be inserted. */
static size_t find(const tfr_bpgrid *g, int64_t id)
{
	size_t lo = 0, hi = g->nparts;
	if (hi && g->parts[hi - 1].id < id)
		return hi;  /* the usual case: a new, larger id */
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (g->parts[mid].id < id)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

static int add_part(tfr_bpgrid *g, size_t at, int64_t id, double t)
{
	if (tfr_grow((void **)&g->parts, &g->capparts, g->nparts + 1, sizeof *g->parts))
		return TFR_ENOMEM;
	memmove(g->parts + at + 1, g->parts + at, (g->nparts - at) * sizeof *g->parts);
	g->nparts++;
	part *p = &g->parts[at];
	memset(p, 0, sizeof *p);
	p->id = id;
	p->kb = last_before(g, t);
	if (g->nspare) {
		g->nspare--;
		p->q = g->spare[g->nspare].q;
		p->cap = g->spare[g->nspare].cap;
	}
	return TFR_OK;
}

static int push_node(part *p, const tfr_breakpoint *b)
{
	if (p->head > 0 && p->n == p->cap) {
		/* the consumed front makes room */
		memmove(p->q, p->q + p->head, (p->n - p->head) * sizeof *p->q);
		p->n -= p->head;
		p->head = 0;
	}
	if (tfr_grow((void **)&p->q, &p->cap, p->n + 1, sizeof *p->q))
		return TFR_ENOMEM;
	p->q[p->n++] = (node){ b->time, b->freq, b->amp, b->phase, b->bandwidth };
	return TFR_OK;
}

static int bad(tfr_bpgrid *g, const char *text)
{
	return tfr_diag_set(&g->diag, TFR_EFORMAT, text);
}

static int check_values(tfr_bpgrid *g, const tfr_breakpoint *b)
{
	if (!isfinite(b->time))
		return bad(g, "breakpoint time is not finite");
	if (!(b->freq >= 0) || !isfinite(b->freq))
		return bad(g, "breakpoint frequency is negative or not finite");
	if (!(b->amp >= 0) || !isfinite(b->amp))
		return bad(g, "breakpoint amplitude is negative or not finite");
	if (!isfinite(b->phase))
		return bad(g, "breakpoint phase is not finite");
	if (!(b->bandwidth >= 0 && b->bandwidth <= 1))
		return bad(g, "breakpoint bandwidth is not in [0, 1]");
	if (b->partial < 0)
		return bad(g, "breakpoint partial id is negative");
	if ((b->time - g->p.start) / g->p.period > (double)TFR_BPGRID_MAX_FRAMES)
		return bad(g, "breakpoint time is beyond the grid's last frame");
	return TFR_OK;
}

static int take(tfr_bpgrid *g, const tfr_breakpoint *b)
{
	int e = check_values(g, b);
	if (e != TFR_OK)
		return e;
	if (b->time < g->tau)
		return bad(g, "breakpoint time before the previous breakpoint's "
		              "(not in stream order)");
	size_t at = find(g, b->partial);
	part *p = at < g->nparts && g->parts[at].id == b->partial ? &g->parts[at] : NULL;
	if (p && p->ended)
		return bad(g, "breakpoint of a partial after its end");
	if (p && !(b->time > p->q[p->n - 1].t))
		return bad(g, "breakpoint time not after its partial's previous breakpoint");
	if (!p) {
		if (add_part(g, at, b->partial, b->time) != TFR_OK)
			return tfr_diag_set(&g->diag, TFR_ENOMEM, "out of memory");
		p = &g->parts[at];
	}
	if (push_node(p, b) != TFR_OK)
		return tfr_diag_set(&g->diag, TFR_ENOMEM, "out of memory");
	g->tau = b->time;
	if (b->end) {
		p->ended = 1;
		p->kd = first_after(g, b->time);
	}
	return TFR_OK;
}

int tfr_bpgrid_process(tfr_bpgrid *g, const tfr_breakpoint *bp, size_t n)
{
	if (g->flushed)
		return tfr_diag_set(&g->diag, TFR_EINVAL, "breakpoints after the end of input");
	for (size_t i = 0; i < n; i++) {
		int e = take(g, &bp[i]);
		if (e != TFR_OK)
			return e;
	}
	return TFR_OK;
}

int tfr_bpgrid_flush(tfr_bpgrid *g)
{
	for (size_t i = 0; i < g->nparts; i++) {
		part *p = &g->parts[i];
		if (!p->ended) {
			p->ended = 1;
			p->kd = first_after(g, p->q[p->n - 1].t);
		}
	}
	g->flushed = 1;
	return TFR_OK;
}

static int frame_ready(const tfr_bpgrid *g)
{
	if (!g->nparts)
		return 0;
	if (!g->flushed && !(g->tau > grid_time(g, g->k + 1)))
		return 0;  /* a partial born by the next grid time may still come */
	double t = grid_time(g, g->k);
	for (size_t i = 0; i < g->nparts; i++) {
		const part *p = &g->parts[i];
		if (!p->ended && p->q[p->n - 1].t < t)
			return 0;  /* its next breakpoint is still to come */
	}
	return 1;
}

static double wrap(double x)
{
	if (fabs(x) > 1e6)  /* exact reduction first: far from 0 the
	                       product below is off by more than 2 pi */
		x = fmod(x, TFR_2PI);
	double y = x - TFR_2PI * floor((x + TFR_PI) / TFR_2PI);
	return y >= TFR_PI ? y - TFR_2PI : y;
}

/* Phase at a + dt for a frequency going linearly from f0 to f1 over
 * [a, a + span]: the integral in cycles, reduced before it is scaled to
 * radians so that long segments keep their precision. */
static double advance_phase(double ph, double f0, double f1, double dt,
                            double span)
{
	double cycles = dt * (f0 + (span > 0 ? 0.5 * (f1 - f0) * dt / span : 0));
	return wrap(ph + TFR_2PI * (cycles - floor(cycles)));
}

/* p's row at frame k (time t): 1 and *r, or 0 when it has none. */
static int row_at(part *p, int64_t k, double t, tfr_grid_row *r)
{
	r->partial = p->id;
	if (k < p->kb)
		return 0;
	if (k == p->kb) {
		const node *b = &p->q[p->head];
		*r = (tfr_grid_row){ p->id, b->f, 0, 0, b->bw };
		r->phase = advance_phase(b->ph, b->f, b->f, -(b->t - t), 0);
		return 1;
	}
	const node *last = &p->q[p->n - 1];
	if (p->ended && t > last->t) {
		*r = (tfr_grid_row){ p->id, last->f, 0, 0, last->bw };
		r->phase = advance_phase(last->ph, last->f, last->f, t - last->t, 0);
		return 1;
	}
	while (p->head + 1 < p->n && p->q[p->head + 1].t <= t)
		p->head++;
	const node *a = &p->q[p->head];
	if (a->t == t) {
		*r = (tfr_grid_row){ p->id, a->f, a->a, wrap(a->ph), a->bw };
		return 1;
	}
	const node *b = a + 1;
	double span = b->t - a->t, dt = t - a->t, u = dt / span;
	r->freq = a->f + u * (b->f - a->f);
	r->amp = a->a + u * (b->a - a->a);
	r->bandwidth = a->bw + u * (b->bw - a->bw);
	r->phase = advance_phase(a->ph, a->f, b->f, dt, span);
	return 1;
}

/* Make frame k into g->rows; remove the partials that died in it. */
static size_t make_frame(tfr_bpgrid *g)
{
	double t = grid_time(g, g->k);
	size_t n = 0, kept = 0;
	for (size_t i = 0; i < g->nparts; i++) {
		part *p = &g->parts[i];
		if (row_at(p, g->k, t, &g->rows[n]))
			n++;
		if (p->ended && g->k >= p->kd) {
			/* keep its queue for a later partial */
			g->spare[g->nspare++] = (spare_queue){ p->q, p->cap };
			continue;
		}
		g->parts[kept++] = *p;
	}
	g->nparts = kept;
	return n;
}

/* The first frame with a row after an empty one: the earliest birth. */
static int64_t next_birth(const tfr_bpgrid *g)
{
	int64_t k = INT64_MAX;
	for (size_t i = 0; i < g->nparts; i++)
		if (g->parts[i].kb < k)
			k = g->parts[i].kb;
	return k;
}

int tfr_bpgrid_next(tfr_bpgrid *g, double *time, const tfr_grid_row **rows,
                    size_t *n)
{
	while (frame_ready(g)) {
		/* room for a row per partial and a spare queue per removal
		 * (allocated here, not in make_frame, so that it cannot fail
		 * half way) */
		if (tfr_grow((void **)&g->rows, &g->caprows, g->nparts, sizeof *g->rows) ||
		    tfr_grow((void **)&g->spare, &g->capspare, g->nspare + g->nparts,
		            sizeof *g->spare))
			return tfr_diag_set(&g->diag, TFR_ENOMEM, "out of memory");
		int64_t k = g->k;
		size_t m = make_frame(g);
		g->k++;
		if (m == 0 && (!g->p.empty_frames || !g->emitted)) {
			int64_t b = next_birth(g);
			if (b != INT64_MAX && b > g->k)
				g->k = b;
			continue;
		}
		g->emitted = 1;
		*time = grid_time(g, k);
		*rows = g->rows;
		*n = m;
		return 1;
	}
	return 0;
}
