/*
 * test_bpgrid.c - the grid resampler against analytic partials: a linear
 * chirp (frequency linear in time, phase quadratic), births and deaths,
 * grid edge cases, streaming against all-at-once, and refused input.
 */
#include "testutil.h"
#include "tfr_bpgrid.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static double wrap(double x)
{
	return x - 2 * M_PI * floor((x + M_PI) / (2 * M_PI));
}

/* All frames of a grid, kept for checking. */
typedef struct {
	double *time;
	size_t *start;       /* rows of frame i: row[start[i] .. start[i+1]) */
	tfr_grid_row *row;
	size_t nframes, nrows, capf, capr;
	size_t before_flush; /* frames given before the flush */
} grid;

static void grid_add(grid *g, double t, const tfr_grid_row *rows, size_t n)
{
	if (g->nframes + 2 > g->capf) {
		g->capf = g->capf ? 2 * g->capf : 256;
		g->time = realloc(g->time, g->capf * sizeof *g->time);
		g->start = realloc(g->start, (g->capf + 1) * sizeof *g->start);
	}
	if (g->nrows + n > g->capr) {
		while (g->nrows + n > g->capr)
			g->capr = g->capr ? 2 * g->capr : 1024;
		g->row = realloc(g->row, g->capr * sizeof *g->row);
	}
	g->start[g->nframes] = g->nrows;
	g->time[g->nframes++] = t;
	memcpy(g->row + g->nrows, rows, n * sizeof *rows);
	g->nrows += n;
	g->start[g->nframes] = g->nrows;
}

static void grid_free(grid *g)
{
	free(g->time);
	free(g->start);
	free(g->row);
	memset(g, 0, sizeof *g);
}

static void drain(tfr_bpgrid *b, grid *g)
{
	double t;
	const tfr_grid_row *rows;
	size_t n;
	int e;
	while ((e = tfr_bpgrid_next(b, &t, &rows, &n)) == 1)
		grid_add(g, t, rows, n);
	CHECK("next never fails here", e == 0);
}

/* Resample bp[0..n-1] feeding `batch` breakpoints at a time. */
static grid resample(const tfr_bpgrid_params *p, const tfr_breakpoint *bp,
                     size_t n, size_t batch)
{
	grid g = { 0 };
	tfr_diag d;
	tfr_bpgrid *b = tfr_bpgrid_new(p, &d);
	if (!CHECK("bpgrid_new", b != NULL))
		return g;
	for (size_t i = 0; i < n; i += batch) {
		size_t k = n - i < batch ? n - i : batch;
		if (!CHECK("process", tfr_bpgrid_process(b, bp + i, k) == TFR_OK))
			fprintf(stderr, "  %s\n", tfr_bpgrid_diag(b)->text);
		drain(b, &g);
	}
	g.before_flush = g.nframes;
	tfr_bpgrid_flush(b);
	drain(b, &g);
	tfr_bpgrid_free(b);
	return g;
}

static const tfr_grid_row *row_of(const grid *g, size_t f, int64_t id)
{
	for (size_t i = g->start[f]; i < g->start[f + 1]; i++)
		if (g->row[i].partial == id)
			return &g->row[i];
	return NULL;
}

/* A linear chirp f(t) = f0 + r t with amplitude a(t) = a0 + s t, sampled
 * at irregular breakpoint times in [t0, t1]; phase(t) = ph0 + 2 pi (f0 t
 * + r t^2 / 2). */
typedef struct {
	double f0, r, a0, s, ph0, t0, t1;
} chirp;

static double chirp_phase(const chirp *c, double t)
{
	return c->ph0 + 2 * M_PI * (c->f0 * t + 0.5 * c->r * t * t);
}

static size_t chirp_breakpoints(const chirp *c, int64_t id, tfr_breakpoint *bp,
                                uint64_t *seed)
{
	size_t n = 0;
	for (double t = c->t0;; t += 0.002 + 0.005 * test_rand(seed)) {
		if (t > c->t1)
			t = c->t1;
		bp[n++] = (tfr_breakpoint){ id, t, c->f0 + c->r * t, (float)(c->a0 + c->s * t),
		                            (float)wrap(chirp_phase(c, t)), 0.25f, t == c->t1 };
		if (t == c->t1)
			break;
	}
	return n;
}

/* T1: one chirp; frequency, amplitude and phase at every grid time, and
 * the zero rows just outside its life. */
static void t1_chirp(void)
{
	chirp c = { 300, 2000, 0.1, 0.2, 0.4, 0.1037, 0.8421 };
	tfr_breakpoint bp[512];
	uint64_t seed = 7;
	size_t n = chirp_breakpoints(&c, 3, bp, &seed);
	tfr_bpgrid_params p;
	tfr_bpgrid_params_default(&p);
	p.period = 0.01;
	grid g = resample(&p, bp, n, 1);
	double ef = 0, ea = 0, ep = 0, epa = 0;
	size_t alive = 0, zero = 0;
	for (size_t f = 0; f < g.nframes; f++) {
		double t = g.time[f];
		const tfr_grid_row *r = row_of(&g, f, 3);
		if (!CHECK("T1 the chirp is in every frame given", r != NULL))
			continue;
		if (t < c.t0 || t > c.t1) {
			/* birth and death: amplitude 0, the end frequency held */
			zero++;
			CHECK_NEAR("T1 zero row amplitude", r->amp, 0, 0);
			CHECK_NEAR("T1 zero row frequency", r->freq, t < c.t0 ? bp[0].freq : bp[n - 1].freq, 0);
			CHECK("T1 zero row within one period", fabs(t - (t < c.t0 ? c.t0 : c.t1)) < p.period);
			continue;
		}
		alive++;
		size_t i = 0;
		while (i + 1 < n && bp[i + 1].time <= t)
			i++;
		double ti = bp[i].time;
		double want = wrap(bp[i].phase + 2 * M_PI * (c.f0 * (t - ti) + 0.5 * c.r * (t * t - ti * ti)));
		ef = fmax(ef, fabs(r->freq - (c.f0 + c.r * t)));
		ea = fmax(ea, fabs(r->amp - (c.a0 + c.s * t)));
		ep = fmax(ep, fabs(wrap(r->phase - want)));
		epa = fmax(epa, fabs(wrap(r->phase - chirp_phase(&c, t))));
		CHECK("T1 phase in [-pi, pi)", r->phase >= -M_PI && r->phase < M_PI);
		CHECK_NEAR("T1 bandwidth", r->bandwidth, 0.25, 0);
	}
	/* grid times in [t0, t1] and one on each side */
	size_t want_alive = (size_t)(floor(c.t1 / p.period) - ceil(c.t0 / p.period) + 1);
	CHECK("T1 frames: every grid time of the life, and two zero rows",
	      alive == want_alive && zero == 2 && g.nframes == want_alive + 2);
	CHECK_NEAR("T1 frequency at grid times (Hz)", ef, 0, 1e-9);
	CHECK_NEAR("T1 frequency, tight (Hz)", ef, 0, 1e-12);
	CHECK_NEAR("T1 amplitude (float breakpoints)", ea, 0, 1e-7);
	CHECK_NEAR("T1 amplitude, tight", ea, 0, 5e-8);
	CHECK_NEAR("T1 phase from the stored phase (rad)", ep, 0, 1e-9);
	CHECK_NEAR("T1 phase, tight (rad)", ep, 0, 2e-12);
	CHECK_NEAR("T1 phase vs analytic (float phases stored, rad)", epa, 0, 3e-7);
	printf("T1 chirp 300 Hz + 2000 Hz/s, %zu breakpoints, %zu grid frames: |df| %.2g Hz, |da| %.2g, |dphase| %.2g rad (%.2g vs the unrounded analytic phase)\n",
	       n, g.nframes, ef, ea, ep, epa);
	grid_free(&g);
}

/* T2: many overlapping partials fed one at a time and all at once give
 * the same frames; frames come out while input still arrives. */
static void t2_streaming(void)
{
	enum { NP = 40 };
	static tfr_breakpoint all[NP * 400], bp[NP * 400];
	uint64_t seed = 11;
	size_t n = 0;
	for (int k = 0; k < NP; k++) {
		double t0 = 2.0 * test_rand(&seed), len = 0.001 + 0.5 * test_rand(&seed);
		chirp c = { 200 + 50 * k, -40 + 80 * test_rand(&seed), 0.01, 0.001, k, t0, t0 + len };
		n += chirp_breakpoints(&c, k, all + n, &seed);
	}
	/* stream order: by time, stable */
	size_t m = 0;
	size_t idx[NP] = { 0 }, start[NP + 1] = { 0 };
	for (int k = 0, s = 0; k < NP; k++) {
		start[k] = (size_t)s;
		while ((size_t)s < n && all[s].partial == k)
			s++;
		start[k + 1] = (size_t)s;
	}
	while (m < n) {
		int best = -1;
		for (int k = 0; k < NP; k++)
			if (start[k] + idx[k] < start[k + 1] &&
			    (best < 0 || all[start[k] + idx[k]].time < all[start[best] + idx[best]].time))
				best = k;
		bp[m++] = all[start[best] + idx[best]++];
	}
	tfr_bpgrid_params p;
	tfr_bpgrid_params_default(&p);
	grid a = resample(&p, bp, n, 1), b = resample(&p, bp, n, n);
	int same = a.nframes == b.nframes && a.nrows == b.nrows;
	for (size_t f = 0; same && f < a.nframes; f++)
		same = a.time[f] == b.time[f] && a.start[f] == b.start[f];
	same = same && !memcmp(a.row, b.row, a.nrows * sizeof *a.row);
	CHECK("T2 one at a time = all at once", same);
	double early = (double)a.before_flush / (double)a.nframes;
	CHECK("T2 frames are given while input arrives (> 90 % before flush)", early > 0.9);
	/* each partial in consecutive frames, ids ascending within a frame */
	int order = 1;
	for (size_t f = 0; f < a.nframes; f++)
		for (size_t i = a.start[f] + 1; i < a.start[f + 1]; i++)
			order = order && a.row[i - 1].partial < a.row[i].partial;
	CHECK("T2 rows in ascending id order", order);
	int zeros = 0;
	for (size_t i = 0; i < a.nrows; i++)
		zeros += a.row[i].amp == 0;
	CHECK("T2 two zero rows per partial", zeros == 2 * NP);
	printf("T2 %d partials, %zu breakpoints: %zu frames, %zu rows; %.1f %% of frames before the flush\n",
	       NP, n, a.nframes, a.nrows, 100 * early);
	grid_free(&a);
	grid_free(&b);
}

/* T3: breakpoints on grid times, one-breakpoint partials, a partial from
 * before the grid's start, gaps with and without empty frames. */
static void t3_edges(void)
{
	tfr_bpgrid_params p;
	tfr_bpgrid_params_default(&p);
	p.start = 1.0;
	p.period = 0.25;  /* exact in binary: grid times are exact */
	tfr_breakpoint bp[] = {
		{ 0, 0.5, 100, 1, 0, 0, 0 },    /* before start: no birth row */
		{ 0, 1.5, 100, 1, 0, 0, 1 },    /* ends on the grid */
		{ 1, 1.5, 200, 0.5f, 1, 0, 1 }, /* one breakpoint on the grid */
		{ 2, 1.6, 300, 0.5f, 0, 0, 1 }, /* one breakpoint off the grid */
		{ 3, 3.0, 400, 0.5f, 0, 0, 0 }, /* after a gap */
		{ 3, 3.25, 400, 0.5f, 0, 0, 1 },
	};
	size_t n = sizeof bp / sizeof bp[0];
	grid g = resample(&p, bp, n, 1);
	/* frames 1.0 .. 1.75, then 2.75 .. 3.5 */
	double want_t[] = { 1.0, 1.25, 1.5, 1.75, 2.75, 3.0, 3.25, 3.5 };
	int ok = g.nframes == 8;
	for (size_t f = 0; ok && f < 8; f++)
		ok = g.time[f] == want_t[f];
	CHECK("T3 frame times skip the gap", ok);
	if (ok) {
		CHECK("T3 partial 0 at 1.0 interpolated", row_of(&g, 0, 0) && row_of(&g, 0, 0)->amp == 1);
		CHECK("T3 partial 0 dies at 1.75", row_of(&g, 3, 0) && row_of(&g, 3, 0)->amp == 0);
		CHECK("T3 partial 1: zero, value, zero",
		      row_of(&g, 1, 1) && row_of(&g, 1, 1)->amp == 0 && row_of(&g, 2, 1) &&
		      row_of(&g, 2, 1)->amp == 0.5 && row_of(&g, 2, 1)->phase == (double)1.0f &&
		      row_of(&g, 3, 1) && row_of(&g, 3, 1)->amp == 0 && !row_of(&g, 0, 1));
		CHECK("T3 partial 2: two zero rows around 1.6",
		      row_of(&g, 2, 2) && row_of(&g, 2, 2)->amp == 0 && row_of(&g, 3, 2) &&
		      row_of(&g, 3, 2)->amp == 0 && !row_of(&g, 1, 2) && !row_of(&g, 4, 2));
		CHECK("T3 three rows at 1.5 and at 1.75",
		      g.start[3] - g.start[2] == 3 && g.start[4] - g.start[3] == 3);
		CHECK("T3 partial 3 born at 2.75", row_of(&g, 4, 3) && row_of(&g, 4, 3)->amp == 0 &&
		      g.start[5] - g.start[4] == 1);
		/* the zero row's phase is extrapolated at the held frequency */
		const tfr_grid_row *z = row_of(&g, 3, 2);
		CHECK_NEAR("T3 death row phase", z ? wrap(z->phase - 2 * M_PI * 300 * 0.15) : 1, 0, 1e-12);
	}
	grid_free(&g);
	p.empty_frames = 1;
	g = resample(&p, bp, n, 1);
	ok = g.nframes == 11;
	for (size_t f = 0; ok && f < g.nframes; f++)
		ok = fabs(g.time[f] - (1.0 + 0.25 * (double)f)) < 1e-15;
	CHECK("T3 empty_frames: a regular grid from the first frame with rows to the last", ok);
	CHECK("T3 empty_frames: the gap frames are empty",
	      ok && g.start[4] == g.start[7] && g.start[8] - g.start[7] == 1);
	grid_free(&g);
}

static int process_one(tfr_bpgrid *b, tfr_breakpoint bp)
{
	return tfr_bpgrid_process(b, &bp, 1);
}

/* T4: input the grid cannot take, and parameters it refuses. */
static void t4_refused(void)
{
	tfr_bpgrid_params p;
	tfr_bpgrid_params_default(&p);
	tfr_diag d;
	tfr_bpgrid *b = tfr_bpgrid_new(&p, &d);
	CHECK("T4 new", b != NULL);
	CHECK("T4 first", process_one(b, (tfr_breakpoint){ 0, 1, 100, 1, 0, 0, 0 }) == TFR_OK);
	CHECK("T4 time back", process_one(b, (tfr_breakpoint){ 1, 0.5, 100, 1, 0, 0, 0 }) == TFR_EFORMAT);
	CHECK("T4 same time in a partial",
	      process_one(b, (tfr_breakpoint){ 0, 1, 100, 1, 0, 0, 0 }) == TFR_EFORMAT);
	CHECK("T4 NaN frequency", process_one(b, (tfr_breakpoint){ 2, 1, NAN, 1, 0, 0, 0 }) == TFR_EFORMAT);
	CHECK("T4 negative frequency",
	      process_one(b, (tfr_breakpoint){ 2, 1, -1, 1, 0, 0, 0 }) == TFR_EFORMAT);
	CHECK("T4 negative amplitude",
	      process_one(b, (tfr_breakpoint){ 2, 1, 1, -1, 0, 0, 0 }) == TFR_EFORMAT);
	CHECK("T4 bandwidth 2", process_one(b, (tfr_breakpoint){ 2, 1, 1, 1, 0, 2, 0 }) == TFR_EFORMAT);
	CHECK("T4 time beyond the grid",
	      process_one(b, (tfr_breakpoint){ 2, 1e300, 1, 1, 0, 0, 0 }) == TFR_EFORMAT);
	CHECK("T4 the reason is given", tfr_bpgrid_diag(b)->text[0] != 0);
	CHECK("T4 end", process_one(b, (tfr_breakpoint){ 0, 2, 100, 1, 0, 0, 1 }) == TFR_OK);
	CHECK("T4 after its end", process_one(b, (tfr_breakpoint){ 0, 3, 100, 1, 0, 0, 0 }) == TFR_EFORMAT);
	tfr_bpgrid_flush(b);
	CHECK("T4 after flush", process_one(b, (tfr_breakpoint){ 5, 3, 100, 1, 0, 0, 0 }) == TFR_EINVAL);
	tfr_bpgrid_reset(b);
	CHECK("T4 after reset", process_one(b, (tfr_breakpoint){ 5, 3, 100, 1, 0, 0, 0 }) == TFR_OK);
	tfr_bpgrid_free(b);
	tfr_bpgrid_free(NULL);
	p.period = 0;
	CHECK("T4 period 0", tfr_bpgrid_check(&p, &d) == TFR_EINVAL && d.text[0]);
	p.period = 1e-300;
	p.start = 1;
	CHECK("T4 period below the start's resolution", tfr_bpgrid_check(&p, &d) == TFR_EINVAL);
	p.period = 0.01;
	p.start = NAN;
	CHECK("T4 NaN start", tfr_bpgrid_new(&p, &d) == NULL && d.code == TFR_EINVAL);
}

int main(void)
{
	t1_chirp();
	t2_streaming();
	t3_edges();
	t4_refused();
	return test_finish("test_bpgrid");
}
