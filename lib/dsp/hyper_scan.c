/*
 * hyper_scan.c - one scan line of tfr_hyper over one super-block (the
 * other files: hyper_state.h): the line's band of each block spectrum
 * to base band and the decimated inverse FFTs; then at every sample the
 * float pre-test |eta| < lint |xi| (while interpolating,
 * hyper_interp.c), the candidates' ratio mp = eta/(xi + eps),
 * reassignment and bins, decided several at a time in float
 * (hyper_classify.inc) where that is safely far from every boundary,
 * else one at a time in double (hy_point), and the near-ties recomputed
 * directly in double or long double (hy_refine, hyper_direct.c).
 * Accumulated into the worker's window (hyper_picture.c merges it).
 */
#include "tfr_base.h"
#include "tfr_hyper.h"

#include "cpu.h"
#include "hyper_state.h"

#include <math.h>
#include <stdint.h>
#include <string.h>

#define HY_EPS 1e-20     /* the reference's eps in eta/(xi+eps) */
#define HY_TAU_F 5e-6    /* error of xi, eta on the float path / scale */
#define HY_TAU_D 1e-13   /* error of tfr_hyper_direct_d / its scale */
#define HY_BUDGET_D 8    /* refinement taps per output sample per line */
#define HY_BUDGET_LD 0.05 /* long double taps per sample per line */

#define HY_INLINE static inline __attribute__((always_inline))

/* The parts of hy_decide. Each returns 1 (pass), 0 (fail) or -1 when an
 * error of d in each component of mp could change the answer; with
 * d = 0 they are the reference's arithmetic. */

/* The locality test |mp| < lint. */
HY_INLINE int hy_local(const tfr_hyper *h, double mr, double mi, double d)
{
	double lint2 = h->bins.lint2, a = mr * mr + mi * mi;
	if (d > 0) {
		double slack = 2 * (fabs(mr) + fabs(mi)) * d + 2 * d * d;
		if (a >= lint2 + slack)
			return 0;
		return a > lint2 - slack ? -1 : 1;
	}
	/* numpy: abs(mp) < lint, a hypot at ties */
	if (fabs(a - lint2) > 1e-15 * lint2)
		return a < lint2;
	return hypot(mr, mi) < h->p.lint;
}

/* The limits minf < fins < maxf, 1 <= tins < nlimit, known to within
 * df and dt. */
HY_INLINE int hy_limits(const tfr_hyper *h, double tins, double fins,
                        double dt, double df, double d)
{
	const tfr_hyper_params *p = &h->p;
	double nlimit = h->in.nlimit;
	if (d > 0 && (fabs(fins - p->maxf) < df ||
	              fabs(fins - p->minf) < df || fabs(tins - 1) < dt ||
	              fabs(tins - nlimit) < dt))
		return -1;
	return fins < p->maxf && fins > p->minf && tins >= 1 && tins < nlimit;
}

/* The time bin of tins (1-based), round(tins / tdeci + 0.5) - 1, in *kt. */
HY_INLINE int hy_time_bin(const tfr_hyper *h, double tins, double dt,
                          double d, double *kt)
{
	double td = (double)h->p.tdeci, tdinv = h->bins.tdinv, k;
	/* tins / tdeci, as a product when that is exact (tdeci = 2^k) */
	double y = (tdinv > 0 ? tins * tdinv : tins / td) + 0.5;
	if (!h->p.round_away && y < 0x1p52)
		k = (y + 0x1p52) - 0x1p52;  /* nearbyint(y), y >= 0 */
	else
		k = hy_round(y, h->p.round_away);
	/* within the error of a half-integer, where the rounding turns */
	if (d > 0 && fabs(fabs(y - k) - 0.5) < dt / td)
		return -1;
	*kt = k - 1;
	return 1;
}

/* The frequency bin of fins in *jf, by the bin edges (hyper_plan.c,
 * setup_edges), searched from the line's own bin. */
HY_INLINE int hy_freq_bin(const tfr_hyper *h, const hy_line *ln,
                          double fins, double df, double d, size_t *jf)
{
	const double *fe = h->bins.fedge;
	size_t j = ln->j0;
	if (fins < fe[j])
		while (fins < fe[j + 1])
			j++;
	else
		while (!(fins < fe[j]))
			j--;
	if (d > 0 && (fins - fe[j + 1] < df || fe[j] - fins < df))
		return -1;
	*jf = j;
	return 1;
}

/* Decide the point of sample n (0-based) of a line from mp = eta/(xi +
 * eps), each of whose components is known to within d: returns 1 and
 * the worker-window index in *bin if it is kept, 0 if not, -1 if an
 * error of d could change the decision. With d = 0 this is the
 * reference's arithmetic on the given mp. */
HY_INLINE int hy_decide(const hy_worker *w, const hy_line *ln, int64_t n,
                        double mr, double mi, double d, size_t *bin)
{
	const tfr_hyper *h = w->h;
	int r = hy_local(h, mr, mi, d);
	if (r <= 0)
		return r;
	double tins = (double)(n + 1) + mi * ln->sigt;
	double fins = ln->f0 - mr * ln->sigma;
	double dt = d * ln->sigt, df = d * ln->sigma, kt;
	size_t jf;
	if ((r = hy_limits(h, tins, fins, dt, df, d)) <= 0 ||
	    (r = hy_time_bin(h, tins, dt, d, &kt)) <= 0 ||
	    (r = hy_freq_bin(h, ln, fins, df, d, &jf)) <= 0)
		return r;
	const hy_window *win = &h->win;
	double kr = kt - (double)win->rlo;
	if (!(kr >= 0 && kr < (double)win->wrows && jf < h->bins.hf))
		return 0;  /* cannot happen: the window covers the reach */
	*bin = jf * win->wrows + (size_t)kr;  /* by column: hyper_picture.c */
	return 1;
}

/* mp = eta / (xi + eps) in double. One division instead of the
 * reference's three: the results move by an ulp, and points that close
 * to a boundary are decided again from long double values. */
static inline void hy_ratio(const double v[4], double *mr, double *mi)
{
	double dr = v[0] + HY_EPS;
	double inv = 1 / (dr * dr + v[1] * v[1]);
	*mr = (v[2] * dr + v[3] * v[1]) * inv;
	*mi = (v[3] * dr - v[2] * v[1]) * inv;
}

/* Error bound on each component of mp = eta/xi when xi and eta are
 * each known to within e: (|d eta| + |mp| |d xi|) / |xi|; HUGE_VAL if
 * that is not below dmax or xi = 0 (nothing can be said). Compared
 * squared first, so that points beyond dmax cost no square root. */
static inline double hy_mp_err(const double v[4], double mr, double mi,
                               double e, double dmax)
{
	double n2 = v[0] * v[0] + v[1] * v[1];
	if (e == 0)
		return 0;
	double en = e * (1 + fabs(mr) + fabs(mi));
	if (!(en * en < dmax * dmax * n2))
		return HUGE_VAL;
	return en / sqrt(n2);
}

/* A point the float path cannot decide: recompute xi and eta at it
 * directly (hyper_direct.c), in double and, if still too close to call,
 * in long double, which decides exact ties as exact arithmetic on the
 * reference's parameters does. */
static int hy_refine(hy_worker *w, const hy_line *ln, int64_t n,
                     double v[4], size_t *bin)
{
	const tfr_hyper *h = w->h;
	const float *x = h->in.buf[h->in.chan];
	/* buffer index of global sample n; valid input: [0, nin) */
	ptrdiff_t base = (ptrdiff_t)h->in.back - (ptrdiff_t)h->in.pos;
	ptrdiff_t i = base + (ptrdiff_t)n;
	ptrdiff_t lo = base > 0 ? base : 0;
	ptrdiff_t hi = (ptrdiff_t)h->in.bufsz;
	double mr, mi, sc;
	if (h->in.finished && base + (ptrdiff_t)h->in.nin < hi)
		hi = base + (ptrdiff_t)h->in.nin;
	w->budget_d -= (ptrdiff_t)tfr_hyper_kern_set(&w->kern, ln->f0,
	                                             ln->sigma) * 8;
	w->budget_d -= (ptrdiff_t)tfr_hyper_direct_d(&w->kern, x, i, lo, hi,
	                                             v, &sc);
	hy_ratio(v, &mr, &mi);
	int r = hy_decide(w, ln, n, mr, mi,
	                  hy_mp_err(v, mr, mi, HY_TAU_D * sc, HUGE_VAL), bin);
	if (r >= 0 || w->budget_ld <= 0)
		return r < 0 ? hy_decide(w, ln, n, mr, mi, 0, bin) : r;
	long double u[4];
	w->budget_ld -= (ptrdiff_t)tfr_hyper_direct_ld(x, i, lo, hi, ln->f0,
	                                               ln->sigma, u);
	long double dr = u[0] + HY_EPS;
	long double n2 = dr * dr + u[1] * u[1];
	mr = (double)((u[2] * dr + u[3] * u[1]) / n2);
	mi = (double)((u[3] * dr - u[2] * u[1]) / n2);
	for (int k = 0; k < 4; k++)
		v[k] = (double)u[k];
	return hy_decide(w, ln, n, mr, mi, 0, bin);
}

/* Reassign and bin one candidate of the float path: decided at once
 * unless within the float error of a boundary. Points whose error
 * bound is large are FFT-roundoff froth (no energy to speak of, and
 * just as random in the float64 reference): decided as they are. */
static inline void hy_point(hy_worker *w, const hy_line *ln, int64_t n,
                            const float *f)
{
	double v[4] = {f[0], f[1], f[2], f[3]}, mr, mi;
	size_t b;
	hy_ratio(v, &mr, &mi);
	double d = hy_mp_err(v, mr, mi, HY_TAU_F * w->scale, HY_DMAX);
	if (d == HUGE_VAL)
		d = 0;  /* froth: decided as it is */
	int r = hy_decide(w, ln, n, mr, mi, d, &b);
	if (r < 0)
		r = ln->refine && w->budget_d > 0 ?
		    hy_refine(w, ln, n, v, &b) :
		    hy_decide(w, ln, n, mr, mi, 0, &b);
	if (r > 0) {
		w->E[b] += v[0] * v[0] + v[1] * v[1];
		w->C[b]++;
	}
}

#define HY_CHUNK TFR_HYPER_FIR_CHUNK
#define HY_OUT TFR_HYPER_FIR_OUT
#define HY_FR 4          /* frequency bins searched each side of j0 */

/* Samples u0 .. u0+cnt-1 (block positions) of a full-rate line, as
 * tfr_hyper_fir_scan gives those of decimated ones: the same float
 * pre-test, the candidates stored one after the other (every sample
 * written, the count advanced only for kept ones: no branches). */
static size_t hy_gather(const hy_worker *w, size_t u0, size_t cnt,
                        float lint2, float out[4][HY_OUT], uint16_t *idx)
{
	const tfr_cpx *bx = w->bx + u0, *be = w->be + u0;
	size_t k = 0;
	for (size_t i = 0; i < cnt; i++) {
		out[0][k] = bx[i].r;
		out[1][k] = bx[i].i;
		out[2][k] = be[i].r;
		out[3][k] = be[i].i;
		float n2x = bx[i].r * bx[i].r + bx[i].i * bx[i].i;
		float n2e = be[i].r * be[i].r + be[i].i * be[i].i;
		idx[k] = (uint16_t)i;
		k += (size_t)((n2e < lint2 * n2x) | (n2x < 1e-30f));
	}
	return k;
}

/* The candidates of one chunk, as hy_point would decide them, several
 * at a time (GCC vector extensions, no branches): code 1 for points
 * kept for sure (window index bin), 0 for points rejected for sure, 2
 * for points hy_point has to look at (near a boundary, froth at the
 * lint tie, outside the bins searched or float's range). */
typedef struct {
	const float *v[4];        /* xi, eta of candidate i */
	float rl[HY_OUT];         /* its sample - chunk start */
	int32_t code[HY_OUT], bin[HY_OUT];
} hy_batch;

/* Where a chunk starting at global sample B lies in time: tins = q
 * tdeci + r0 + rl + mi sigma_t with q = floor(B / tdeci), and the limits
 * of tins and the first row of the worker window in those terms. */
typedef struct {
	float r0, lo_t, hi_t;
	int32_t kr0;
} hy_chunk;

#define HC_NAME hy_classify4
#define HC_VW 4
#define HC_ATTR
#include "hyper_classify.inc"
#ifdef TFR_CPU_X86  /* 8-wide for processors with AVX2 */
#define HC_NAME hy_classify8
#define HC_VW 8
#define HC_ATTR __attribute__((target("arch=x86-64-v3")))
#include "hyper_classify.inc"
#endif

static void hy_classify(const hy_worker *w, const hy_line *ln,
                        const hy_chunk *ck, size_t k, hy_batch *b)
{
#ifdef TFR_CPU_X86
	if (w->h->plan.cpu & TFR_CPU_AVX2) {
		hy_classify8(w, ln, ck, k, b);
		return;
	}
#endif
	hy_classify4(w, ln, ck, k, b);
}

/* x as a float within +-1e6 (a time limit farther than that from a
 * chunk cannot be reached from it) */
static float hy_clampf(double x)
{
	return (float)(x < -1e6 ? -1e6 : x > 1e6 ? 1e6 : x);
}

/* Decide and accumulate candidates i0 .. k-1 of one chunk (block
 * positions a + idx[i]). Points of a line come in time order and fall
 * into the same bin for tens of samples: summed in registers first,
 * instead of one dependent add through memory per point. */
static void hy_points(hy_worker *w, const hy_line *ln, int64_t bstart,
                      size_t a, size_t i0, size_t k, uint16_t *idx,
                      float out[4][HY_OUT], hy_batch *b)
{
	const tfr_hyper *h = w->h;
	size_t nb = k - i0;
	int64_t B = bstart + (int64_t)a, td = h->p.tdeci;
	int64_t q = B / td - (B % td < 0);  /* floor */
	hy_chunk ck = {
		.r0 = (float)(B - q * td + 1),
		.lo_t = hy_clampf(1 - (double)(q * td)),
		.hi_t = hy_clampf(h->in.nlimit - (double)(q * td)),
		.kr0 = (int32_t)(q - 1 - h->win.rlo),
	};
	for (size_t i = k; i < k + 8; i++) {  /* pad to whole vectors */
		for (int c = 0; c < 4; c++)
			out[c][i] = 0;
		idx[i] = 0;
	}
	for (int c = 0; c < 4; c++)
		b->v[c] = out[c] + i0;
	const uint16_t *restrict ix = idx + i0;
	float *restrict rl = b->rl;
	for (size_t i = 0; i < nb + 8; i++)
		rl[i] = (float)(int32_t)ix[i];
	if (h->p.round_away || !h->win.bin32) {
		for (size_t i = 0; i < nb; i++)
			b->code[i] = 2;
	} else {
		hy_classify(w, ln, &ck, nb, b);
	}
	size_t cb = SIZE_MAX;
	double ce = 0;
	uint32_t cc = 0;
	for (size_t i = 0; i < nb; i++) {
		if (b->code[i] == 2) {
			float f[4] = {b->v[0][i], b->v[1][i], b->v[2][i],
			              b->v[3][i]};
			hy_point(w, ln, B + ix[i], f);
			continue;
		}
		if (!b->code[i])
			continue;
		size_t bin = (size_t)b->bin[i];
		if (bin != cb) {
			if (cc) {
				w->E[cb] += ce;
				w->C[cb] += cc;
			}
			cb = bin;
			ce = 0;
			cc = 0;
		}
		double x0 = b->v[0][i], x1 = b->v[1][i];
		ce += x0 * x0 + x1 * x1;
		cc++;
	}
	if (cc) {
		w->E[cb] += ce;
		w->C[cb] += cc;
	}
}

/* Outputs n in [n0, n1) of a line on one block starting (input) at
 * global sample bstart, from its base-band xi and eta (decimated: the
 * samples in between by hyper_interp.c), in chunks aligned to 16
 * samples of the block. */
static void hy_scan(hy_worker *w, const hy_line *ln, int64_t bstart,
                    int64_t n0, int64_t n1)
{
	float out[4][HY_OUT] __attribute__((aligned(32)));
	uint16_t idx[HY_OUT];
	hy_batch b;  /* 14 kB */
	const tfr_hyper_fir *fir = ln->wide ? &w->h->plan.fir_w :
	                           &w->h->plan.fir[ln->dlog];
	float lint2 = (float)w->h->bins.lint2w;
	size_t p0 = (size_t)(n0 - bstart), p1 = (size_t)(n1 - bstart);
	for (size_t a = p0 & ~(size_t)15; a < p1; a += HY_CHUNK) {
		size_t cnt = p1 - a < HY_CHUNK ? p1 - a : HY_CHUNK;
		size_t k = ln->dlog == 0 ?
		           hy_gather(w, a, cnt, lint2, out, idx) :
		           tfr_hyper_fir_scan(fir, (const float *)w->bx,
		                              (const float *)w->be, a, cnt,
		                              lint2, out, idx);
		size_t i = 0;
		while (i < k && a + idx[i] < p0)
			i++;  /* before n0: the previous block's */
		hy_points(w, ln, bstart, a, i, k, idx, out, &b);
	}
}

/* Filter one block's spectrum X for line ln into base band and inverse
 * transform at the decimated rate. */
static void hy_filter(hy_worker *w, const hy_line *ln, const hy_group *gr,
                      const tfr_cpx *X, double xrms)
{
	float S = 0;
	size_t M = gr->L >> ln->dlog;
	memset(w->yx, 0, M * sizeof *w->yx);
	memset(w->ye, 0, M * sizeof *w->ye);
	for (long k = ln->klo; k <= ln->khi; k++) {
		tfr_cpx v = X[k >= 0 ? k : -k];
		if (k < 0)
			v.i = -v.i;  /* real input: X(-f) = conj X(f) */
		size_t j = (size_t)(k - ln->kc) & (M - 1);
		float g = ln->g[k - ln->klo], d = ln->d[k - ln->klo];
		w->yx[j].r = g * v.r;
		w->yx[j].i = g * v.i;
		w->ye[j].r = d * v.r;
		w->ye[j].i = d * v.i;
		/* the float path's error scale (measured: its errors stay
		 * below ~2e-6 of it): the rms of the band's coefficients,
		 * with the forward FFT's roundoff (spread over all bins, ~
		 * the block's rms) */
		S += (g * g + d * d) * (v.r * v.r + v.i * v.i);
	}
	w->scale = sqrt((double)S + xrms * xrms * ln->gd2);
	int lg = gr->lg - ln->dlog;
	tfr_fft_complex(w->h->plan.icfg[lg], w->yx, w->bx);
	tfr_fft_complex(w->h->plan.icfg[lg], w->ye, w->be);
}

/* Line ln over the current super-block: every block of its group. */
void tfr_hyper_scan_line(hy_worker *w, const hy_line *ln)
{
	const tfr_hyper *h = w->h;
	const hy_group *gr = &h->plan.group[ln->group];
	int64_t end = h->in.pos + HY_SUPER;
	if (h->in.finished && end > h->in.nin)
		end = h->in.nin;
	/* a fixed budget per line and super-block: the result does not
	 * depend on the number of threads */
	w->budget_d = (ptrdiff_t)(HY_BUDGET_D * HY_SUPER);
	w->budget_ld = (ptrdiff_t)(HY_BUDGET_LD * HY_SUPER);
	for (size_t b = 0; b < gr->nblk; b++) {
		int64_t s0 = h->in.pos + (int64_t)(b * gr->hop);
		int64_t s1 = s0 + (int64_t)gr->hop;
		if (s1 > end)
			s1 = end;
		if (s0 >= s1)
			break;
		hy_filter(w, ln, gr, gr->spec + b * gr->sstride,
		          gr->xrms[b]);
		hy_scan(w, ln, s0 - (int64_t)gr->margin, s0, s1);
	}
}
