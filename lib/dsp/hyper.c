/*
 * hyper.c - Gardner & Magnasco linear-reassignment histogram ("hyper-
 * resolution spectrogram"), streaming. See tfr_hyper.h for what is
 * computed; this file is about how it is computed fast and in bounded
 * memory while staying equal to the whole-file reference.
 *
 * The reference filters the whole signal per scan line l with
 *   G(f) = exp(-(f-f0)^2 / (2 sigma^2)),  D(f) = -(f-f0)/sigma G(f)
 * (f0 = minf 2^(l/(over noct)), sigma = f0/(2 pi q); G on the DFT grid
 * (-1/2, 1/2], not periodised) and two inverse FFTs of length N:
 * xi = ifft(G X), eta = ifft(D X). Away from the ends that is a linear
 * convolution with the kernel whose spectrum is G, whose envelope is a
 * Gaussian of std sigma_t = q/f0 samples (paper eq. 1/2, the
 * Gabor/Morlet atom). So:
 *
 *  1. Blocks (overlap-save). Lines are grouped by block length L and
 *     margin: a margin of HY_KT sigma_t samples each side (where the
 *     kernel is below 1e-17 of its peak; longer for lines cut at
 *     Nyquist), rounded up to L/32. Each block's real FFT is shared by
 *     the lines of its group; only the middle L - 2 margin output
 *     samples of a block are used. Every line takes the power of two L
 *     around 4 margins with the least FFT work per output sample.
 *  2. Band limitation. G X is negligible beyond HY_KF sigma of f0
 *     (exp(-HY_KF^2/2) < 1e-12), so a line only touches the bins of its
 *     band. Shifted to base band (the carrier cancels in eta/xi and in
 *     |xi|^2) the band is a signal of bandwidth ~sigma, which an inverse
 *     FFT of size L/D gives at every D-th sample. D (a power of two) is
 *     chosen so that sigma D <= HY_SMAX (lines up to 0.46 cycles per
 *     sample that this would leave at the full rate: D = 2 with
 *     sigma D <= HY_SMAX_W); the samples in between come from 10 (20)
 *     decimated samples by kriging weights (hyper_interp.h),
 *     whose error, weighted by the Gaussian, is below 1e-7 of a
 *     component's amplitude: the FFTs run at 2.3x lower rates than
 *     with the 6-point Lagrange interpolation this replaced.
 *  3. The ratio, the locality test |mp| < lint and both histograms are
 *     then evaluated at every sample with the reference's expressions
 *     and rounding (half to even by default): first the test without
 *     division in float, 8 or 16 samples at a time, while
 *     interpolating; then the ratio, reassignment and bins of the
 *     candidates, several at a time in float without branches
 *     (hyper_classify.inc), the frequency bin by comparison with
 *     precomputed exact bin edges instead of a log2. A candidate is
 *     decided there only if it is farther from every boundary than the
 *     float path's error plus that arithmetic's own; the others go
 *     through hy_point, in double.
 *     A point within the float path's error of any decision boundary
 *     (the lint test, a time or frequency bin edge, the minf/maxf/1/N
 *     limits) is recomputed from the input samples by direct
 *     convolution (hyper_direct.c) in double, and if still too close,
 *     in long double: steady tones and clicks put many points exactly
 *     on such boundaries, where float roundoff alone would decide.
 *  4. The histogram is accumulated per worker thread in a window of the
 *     rows the current super-block can reach (|tins - n| < lint
 *     sigma_t), then added into the growing output picture. The count
 *     threshold is global, so it is applied in _finish.
 */
#include "tfr_base.h"
#include "tfr_hyper.h"

#include "cpu.h"
#include "hyper_direct.h"
#include "hyper_interp.h"
#include "kiss_fft.h"
#include "kiss_fftr.h"

#include <float.h>
#include <math.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#define HY_PI 3.14159265358979323846
#define HY_KF 7.5        /* band half-width in sigma (frequency) */
#define HY_KT 9.0        /* block margin in sigma_t (time) */
#define HY_SMAX 0.05     /* max sigma * D (cycles per decimated sample) */
#define HY_FIR_K 10      /* interpolator taps (hyper_interp.h) */
/* Full-rate lines (sigma > HY_SMAX / 2) with 2 sigma <= HY_SMAX_W run at
 * D = 2 with a longer interpolator; their band is cut at HY_KF_W sigma
 * below f0 (exp(-HY_KF_W^2/2) = 6.5e-10) so that it fits. */
#define HY_SMAX_W 0.075
#define HY_FIR_KW 20
#define HY_KF_W 6.5
#define HY_MAXLOG 24     /* largest FFT size 2^24 */
#define HY_MINLOG 10     /* blocks from 512 (2^(HY_MINLOG-1)) */
#define HY_SUPER 65536   /* output samples per super-block */
#define HY_EPS 1e-20     /* the reference's eps in eta/(xi+eps) */
#define HY_TAU_F 5e-6    /* error of xi, eta on the float path / scale */
#define HY_TAU_D 1e-13   /* error of tfr_hyper_direct_d / its scale */
/* mp errors above HY_DMAX: froth, decided as it is, not refined. With
 * HY_TAU_F that is |xi| below ~2.5 % of the band's rms: at 1e-5 (0.5
 * of the rms) float roundoff decided the points near the beat nulls of
 * two close tones, 2 % off the reference in those bins. */
#define HY_DMAX 2e-4
#define HY_BUDGET_D 8    /* refinement taps per output sample per line */
#define HY_BUDGET_LD 0.05 /* long double taps per sample per line */

typedef struct {
	double f0, sigma, twopisigma, sigt;  /* sigt = 1/(2 pi sigma) */
	int group;           /* index of the block group */
	int dlog;            /* decimation D = 2^dlog */
	int wide;            /* D = 2 with the HY_FIR_KW interpolator */
	int refine;          /* near-ties recomputed directly (not cut at
	                        Nyquist, so hyper_direct.c's kernel is
	                        the reference's) */
	size_t j0;           /* frequency bin of f0 (start of the search) */
	long klo, khi, kc;   /* band and centre bin on the group's grid */
	float *g, *d;        /* G/L and D/L over the band */
	double gd2;          /* sum of g^2 + d^2 over the band */
} hy_line;

typedef struct {
	size_t L, margin, hop;
	int lg;              /* log2 L */
	kiss_fftr_cfg fwd;
	kiss_fft_cpx *spec;  /* nblk_max spectra of L/2+1 bins */
	double *xrms;        /* per block: rms of the spectrum (error scale) */
	size_t nblk_max, nblk;
	size_t off;          /* buffer index of the first block's start */
} hy_group;

typedef struct {
	double *E;
	uint32_t *C;
	kiss_fft_cpx *yx, *ye, *bx, *be;
	struct tfr_hyper *h;
	ptrdiff_t budget_d, budget_ld;  /* refinement taps left (hy_refine) */
	double scale;        /* error scale of the current block (hy_filter) */
	tfr_hyper_kern kern; /* the current line's direct kernel */
	size_t *lines, nl;   /* the lines this worker scans */
	int phase;           /* what hy_worker_main does: HY_SPECTRA, ... */
} hy_worker;

enum { HY_SPECTRA, HY_LINES };

struct tfr_hyper {
	tfr_hyper_params p;
	size_t hf, nlines, ngroups;
	double noct32, lint2, lint2w, maxshift;
	double tdinv;         /* 1 / tdeci if tdeci is a power of two, or 0 */
	unsigned cpu;         /* code paths allowed: TFR_CPU_* (cpu.h) */
	int bin32;            /* worker-window indices fit an int32_t */
	hy_line *line;
	hy_group *group;
	double *fedge;        /* bin j holds fins in [fedge[j+1], fedge[j]) */
	kiss_fft_cfg icfg[HY_MAXLOG + 1];    /* inverse, sizes 2^k */
	tfr_hyper_fir fir[HY_MAXLOG + 1];    /* interpolators per dlog */
	tfr_hyper_fir fir_w;                 /* the wide lines' */
	/* input buffer: per channel, global samples [pos - back, ...) */
	float **buf;
	size_t back, ahead, bufsz, have;
	int64_t pos, nin;
	int finished;
	/* per super-block */
	int chan;
	double nlimit;
	int64_t rlo;
	size_t wrows;
	hy_worker *wk;
	/* output picture */
	float *E;
	uint32_t *C;
	size_t rows_cap, ht;
	uint32_t maxc;
	float *real;          /* scratch real block */
};

void tfr_hyper_params_default(tfr_hyper_params *p)
{
	memset(p, 0, sizeof *p);
	p->q = 2;
	p->tdeci = 64;
	p->over = 4;
	p->noct = 48;
	p->minf = 0.0025;
	p->maxf = 0.45;
	p->lint = 0.5;
	p->channels = 1;
	p->threads = 1;
}

static double hf_real(const tfr_hyper_params *p)
{
	/* reference: HF = ceil(-noct*log2(minf/maxf) + 1), in float64 */
	return ceil(-p->noct * log2(p->minf / p->maxf) + 1);
}

int tfr_hyper_check(const tfr_hyper_params *p, const char **why)
{
	const char *w = NULL;
	if (!p)
		w = "no parameters";
	else if (!(p->q > 0) || !isfinite(p->q))
		w = "q must be positive";
	else if (p->tdeci < 1)
		w = "tdeci must be at least 1";
	else if (p->over < 1 || p->over > 1000)
		w = "over must be between 1 and 1000";
	else if (!(p->noct > 0) || !isfinite(p->noct))
		w = "noct must be positive";
	else if (!(p->minf > 0) || !isfinite(p->minf))
		w = "minf must be positive";
	else if (!(p->maxf <= 0.5))
		w = "maxf must not be above the Nyquist frequency";
	else if (!(p->minf < p->maxf))
		w = "minf must be below maxf";
	else if (!(p->lint > 0) || !isfinite(p->lint))
		w = "lint must be positive";
	else if (p->channels < 1 || p->channels > 4096)
		w = "channels must be between 1 and 4096";
	else if (p->threads < 1 || p->threads > 256)
		w = "threads must be between 1 and 256";
	else if (p->frames_hint < 0)
		w = "negative frames hint";
	else if (hf_real(p) * p->over > 1e6)
		w = "too many scan lines (noct * over * octaves > 1e6)";
	else if (HY_KT * p->q / p->minf * 4 > (double)(1L << HY_MAXLOG))
		w = "q/minf too large: the longest wavelet exceeds 2^22 samples";
	if (why)
		*why = w;
	return w ? TFR_EINVAL : TFR_OK;
}

size_t tfr_hyper_freq_bins(const tfr_hyper_params *p)
{
	if (tfr_hyper_check(p, NULL) != TFR_OK)
		return 0;
	return (size_t)hf_real(p);
}

double tfr_hyper_bin_freq(const tfr_hyper_params *p, size_t j)
{
	return p->maxf * pow(2.0, -(double)j / p->noct);
}

static int ilog2_ceil(double x)
{
	int k = 0;
	while (k < 62 && ldexp(1.0, k) < x)
		k++;
	return k;
}

/* Margin (samples each side of a block) that line needs: the Gaussian
 * envelope, plus the interpolator's reach, plus, when the Gaussian is
 * cut at Nyquist (a jump in the spectrum, so a 1/n tail in time), a
 * longer stretch proportional to the height of the cut. */
static double line_margin(double f0, double sigma, double q, int dlog)
{
	double m = HY_KT * q / f0 + HY_FIR_KW * ldexp(1.0, dlog) + 16;
	double gny = exp(-(0.5 - f0) * (0.5 - f0) / (2 * sigma * sigma));
	if (gny > 1e-9) {
		double mt = gny * 8192;
		if (mt > m)
			m = mt;
	}
	return ceil(m);
}

static int line_dlog(const tfr_hyper *h, double sigma)
{
	if (h->p.exact)
		return 0;
	int d = 0;
	while (d < 16 && ldexp(1.0, d + 1) * sigma <= HY_SMAX)
		d++;
	return d;
}

static double hy_round(double x, int away)
{
	return away ? round(x) : nearbyint(x);
}

/* The reference's frequency bin of fins (numpy port L80), as a double. */
static double hy_bin_ref(const tfr_hyper *h, double fins)
{
	return hy_round(-h->noct32 * log2(fins / h->p.maxf) + 1,
	                h->p.round_away) - 1;
}

/* Bin edges: fedge[j] = the smallest double x with hy_bin_ref(x) < j,
 * found by bisection on the bit patterns of positive doubles. As
 * hy_bin_ref is non-increasing in x, hy_bin_ref(x) >= j <=> x <
 * fedge[j], so comparisons give exactly the bin the log2 would, at a
 * fraction of its cost (the per-point log2 was ~12 % of the run). */
static int setup_edges(tfr_hyper *h)
{
	size_t hf = h->hf;
	h->fedge = malloc((hf + 2) * sizeof *h->fedge);
	if (!h->fedge)
		return TFR_ENOMEM;
	h->fedge[0] = HUGE_VAL;
	h->fedge[hf + 1] = 0;
	for (size_t j = 1; j <= hf; j++) {
		double xl = DBL_MIN, xh = 4 * h->p.maxf;
		uint64_t lo, hi;
		memcpy(&lo, &xl, sizeof lo);
		memcpy(&hi, &xh, sizeof hi);
		if (hy_bin_ref(h, xl) < (double)j)
			hi = lo;
		while (hi - lo > 1) {
			uint64_t mid = lo + (hi - lo) / 2;
			double x;
			memcpy(&x, &mid, sizeof x);
			if (hy_bin_ref(h, x) < (double)j)
				hi = mid;
			else
				lo = mid;
		}
		memcpy(&h->fedge[j], &hi, sizeof hi);
	}
	for (size_t l = 0; l < h->nlines; l++) {
		size_t j = 0;
		while (j < hf && h->line[l].f0 < h->fedge[j + 1])
			j++;
		h->line[l].j0 = j;
	}
	return TFR_OK;
}

/* Inverse-FFT work per output sample of a line on blocks of 2^lg with
 * the given margin (two transforms of L/D per hop, plus a share of the
 * block's forward transform): what the block length is chosen by. */
static double line_cost(int lg, int dlog, double margin)
{
	double L = ldexp(1.0, lg), hop = L - 2 * margin;
	if (hop < L / 8)
		return HUGE_VAL;
	double M = ldexp(1.0, lg - dlog > 4 ? lg - dlog : 4);
	return (2 * M * log2(M) + 0.1 * L * log2(L)) / hop;
}

/* Margin rounded up to a step of L/32, so that lines of similar reach
 * share a group (one forward FFT) without wasting much of the hop. */
static size_t margin_step(int lg, double m)
{
	size_t step = ((size_t)1 << lg) / 32;
	return ((size_t)m + step - 1) / step * step;
}

/* Group of lines sharing block length 2^lg and margin: found or added. */
static int group_of(tfr_hyper *h, int lg, size_t margin)
{
	for (size_t g = 0; g < h->ngroups; g++)
		if (h->group[g].lg == lg && h->group[g].margin == margin)
			return (int)g;
	hy_group *gr = &h->group[h->ngroups];
	gr->lg = lg;
	gr->L = (size_t)1 << lg;
	gr->margin = margin;
	return (int)h->ngroups++;
}

static int setup_lines(tfr_hyper *h)
{
	const tfr_hyper_params *p = &h->p;
	h->line = calloc(h->nlines, sizeof *h->line);
	/* at most one group per line */
	h->group = calloc(h->nlines, sizeof *h->group);
	size_t gmax[HY_MAXLOG + 1] = {0};
	if (!h->line || !h->group)
		return TFR_ENOMEM;
	/* first pass: f0, sigma, decimation, block length 2^lg4 >= 4 m */
	for (size_t l = 0; l < h->nlines; l++) {
		hy_line *ln = &h->line[l];
		ln->f0 = p->minf * pow(2.0, (double)l / (p->over * p->noct));
		ln->sigma = ln->f0 / (2 * HY_PI * p->q);
		ln->twopisigma = 2 * HY_PI * ln->sigma;
		ln->sigt = 1 / ln->twopisigma;
		ln->dlog = line_dlog(h, ln->sigma);
		if (!p->exact && ln->dlog == 0 && 2 * ln->sigma <= HY_SMAX_W) {
			ln->wide = 1;
			ln->dlog = 1;
		}
		ln->refine = 0.5 - ln->f0 > 9 * ln->sigma;
		double m = line_margin(ln->f0, ln->sigma, p->q, ln->dlog);
		int lg4 = ilog2_ceil(4 * m);
		if (lg4 < HY_MINLOG)
			lg4 = HY_MINLOG;
		if (lg4 > HY_MAXLOG)
			return TFR_EINVAL;
		ln->group = lg4;  /* temporarily */
		if ((size_t)m > gmax[lg4])
			gmax[lg4] = (size_t)m;
	}
	for (size_t l = 0; l < h->nlines; l++) {
		hy_line *ln = &h->line[l];
		int lg4 = ln->group;
		double m = line_margin(ln->f0, ln->sigma, p->q, ln->dlog);
		if (h->p.exact) {
			/* blocks of 2^lg4 with the margin of the longest
			 * line of that length */
			ln->group = group_of(h, lg4, gmax[lg4]);
			continue;
		}
		/* the cheapest block length from 2^(lg4-2) to 2^(lg4+1),
		 * with the line's own margin: with the decimation of
		 * hyper_interp.c the full-rate lines cut at Nyquist are
		 * ~half the FFT work, and a shared margin halved their hop */
		int best = lg4;
		double bc = line_cost(lg4, ln->dlog,
		                      (double)margin_step(lg4, m));
		for (int lg = lg4 - 2; lg <= lg4 + 1; lg++) {
			if (lg < HY_MINLOG - 1 || lg > HY_MAXLOG || lg == lg4)
				continue;
			double c = line_cost(lg, ln->dlog,
			                     (double)margin_step(lg, m));
			if (c < bc) {
				bc = c;
				best = lg;
			}
		}
		ln->group = group_of(h, best, margin_step(best, m));
	}
	return TFR_OK;
}

/* Band of a line on its group's grid, and its filter weights: the
 * reference's G and D (eqs. of reassignmentgw.m L59-60) sampled at
 * f = k/L, k in (-L/2, L/2], scaled by 1/L for the unnormalised FFTs. */
static int setup_band(tfr_hyper *h, hy_line *ln)
{
	const hy_group *gr = &h->group[ln->group];
	double L = (double)gr->L;
	long half = (long)(gr->L / 2);
	ln->klo = (long)ceil((ln->f0 - (ln->wide ? HY_KF_W : HY_KF) *
	                      ln->sigma) * L);
	ln->khi = (long)floor((ln->f0 + HY_KF * ln->sigma) * L);
	if (ln->klo < -half + 1)
		ln->klo = -half + 1;
	if (ln->khi > half)
		ln->khi = half;
	ln->kc = lround(ln->f0 * L);
	if (ln->khi < ln->klo)
		return TFR_OK;  /* the whole band is above Nyquist */
	/* the decimated FFT must hold the band without wrapping */
	size_t width = (size_t)(ln->khi - ln->klo + 1);
	while (ln->dlog > 0 && (gr->L >> ln->dlog) < width + 16)
		ln->dlog--;
	long kc_lo = ln->kc - (long)((gr->L >> ln->dlog) / 2);
	long kc_hi = ln->kc + (long)((gr->L >> ln->dlog) / 2) - 1;
	while (ln->dlog > 0 && (ln->klo < kc_lo || ln->khi > kc_hi)) {
		ln->dlog--;
		kc_lo = ln->kc - (long)((gr->L >> ln->dlog) / 2);
		kc_hi = ln->kc + (long)((gr->L >> ln->dlog) / 2) - 1;
	}
	if (ln->dlog == 0)
		ln->wide = 0;  /* the band did not fit */
	ln->g = malloc(width * sizeof *ln->g);
	ln->d = malloc(width * sizeof *ln->d);
	if (!ln->g || !ln->d)
		return TFR_ENOMEM;
	for (long k = ln->klo; k <= ln->khi; k++) {
		double f = (double)k / L;
		double u = (f - ln->f0) / ln->sigma;
		double G = exp(-(f - ln->f0) * (f - ln->f0) /
		               (2 * ln->sigma * ln->sigma));
		ln->g[k - ln->klo] = (float)(G / L);
		ln->d[k - ln->klo] = (float)(-u * G / L);
		ln->gd2 += (G * G + u * u * G * G) / (L * L);
	}
	return TFR_OK;
}

static int setup_ffts(tfr_hyper *h, size_t *maxM)
{
	*maxM = 16;
	for (size_t l = 0; l < h->nlines; l++) {
		hy_line *ln = &h->line[l];
		int r = setup_band(h, ln);
		if (r)
			return r;
		if (!ln->g)
			continue;
		int lg = h->group[ln->group].lg - ln->dlog;
		if (!h->icfg[lg]) {
			h->icfg[lg] = kiss_fft_alloc(1 << lg, 1, NULL, NULL);
			if (!h->icfg[lg])
				return TFR_ENOMEM;
		}
		tfr_hyper_fir *f = ln->wide ? &h->fir_w : &h->fir[ln->dlog];
		if (ln->dlog > 0 && !f->w) {
			if (tfr_hyper_fir_init(f, ln->dlog,
			                       ln->wide ? HY_SMAX_W : HY_SMAX,
			                       ln->wide ? HY_FIR_KW : HY_FIR_K,
			                       h->cpu))
				return TFR_ENOMEM;
		}
		if (((size_t)1 << lg) > *maxM)
			*maxM = (size_t)1 << lg;
	}
	return TFR_OK;
}

static int setup_groups(tfr_hyper *h)
{
	size_t back = 0, ahead = 0;
	for (size_t g = 0; g < h->ngroups; g++) {
		hy_group *gr = &h->group[g];
		if (gr->margin == 0)
			gr->margin = gr->L / 4;
		gr->hop = gr->L - 2 * gr->margin;
		gr->nblk_max = (HY_SUPER + gr->hop - 1) / gr->hop;
		gr->fwd = kiss_fftr_alloc((int)gr->L, 0, NULL, NULL);
		gr->spec = calloc(gr->nblk_max * (gr->L / 2 + 1),
		                  sizeof *gr->spec);
		gr->xrms = calloc(gr->nblk_max, sizeof *gr->xrms);
		if (!gr->fwd || !gr->spec || !gr->xrms)
			return TFR_ENOMEM;
		if (gr->margin > back)
			back = gr->margin;
		if (gr->L > ahead)
			ahead = gr->L;
	}
	h->back = back;
	h->ahead = ahead;
	h->bufsz = back + HY_SUPER + ahead;
	h->real = malloc(ahead * sizeof *h->real);
	return h->real ? TFR_OK : TFR_ENOMEM;
}

static int setup_buffers(tfr_hyper *h, size_t maxM)
{
	const tfr_hyper_params *p = &h->p;
	h->buf = calloc((size_t)p->channels, sizeof *h->buf);
	if (!h->buf)
		return TFR_ENOMEM;
	for (int c = 0; c < p->channels; c++) {
		h->buf[c] = calloc(h->bufsz, sizeof **h->buf);
		if (!h->buf[c])
			return TFR_ENOMEM;
	}
	h->have = h->back;  /* zeros before the signal */
	double maxsig_t = h->p.q / h->p.minf;
	h->maxshift = p->lint * maxsig_t + 2;
	h->wrows = (size_t)ceil((HY_SUPER + 2 * h->maxshift) /
	                        (double)p->tdeci) + 4;
	if (h->wrows > SIZE_MAX / h->hf / sizeof(double))
		return TFR_ERANGE;
	h->bin32 = h->wrows < (size_t)INT32_MAX / h->hf;
	h->wk = calloc((size_t)p->threads, sizeof *h->wk);
	if (!h->wk)
		return TFR_ENOMEM;
	for (int t = 0; t < p->threads; t++) {
		hy_worker *w = &h->wk[t];
		w->h = h;
		w->E = calloc(h->wrows * h->hf, sizeof *w->E);
		w->C = calloc(h->wrows * h->hf, sizeof *w->C);
		w->yx = malloc(maxM * sizeof *w->yx);
		w->ye = malloc(maxM * sizeof *w->ye);
		w->bx = malloc(maxM * sizeof *w->bx);
		w->be = malloc(maxM * sizeof *w->be);
		if (tfr_hyper_kern_init(&w->kern, p->q, p->minf, h->cpu))
			return TFR_ENOMEM;
		if (!w->E || !w->C || !w->yx || !w->ye || !w->bx || !w->be)
			return TFR_ENOMEM;
	}
	return TFR_OK;
}

/* Room for rows picture rows: exactly that many when the caller knows
 * the final size (exact), else grown by 1/16 steps, so that the
 * overshoot stays a small part of the picture (glibc grows large
 * blocks in place, by mremap, so the steps cost no copies). The first
 * allocation is calloc'd: pages of rows no point reaches are never
 * touched. */
static int ensure_rows(tfr_hyper *h, size_t rows, int exact)
{
	if (rows <= h->rows_cap)
		return TFR_OK;
	size_t cap = exact ? rows : h->rows_cap ? h->rows_cap : 64;
	while (cap < rows) {
		if (cap > SIZE_MAX / 2)
			return TFR_ERANGE;
		cap += cap / 16 + 64;
	}
	if (cap > SIZE_MAX / h->hf / sizeof(float))
		return TFR_ERANGE;
	size_t n = cap * h->hf, old = h->rows_cap * h->hf;
	float *E = old ? realloc(h->E, n * sizeof *E) : calloc(n, sizeof *E);
	if (!E)
		return TFR_ENOMEM;
	h->E = E;
	uint32_t *C = old ? realloc(h->C, n * sizeof *C) :
	              calloc(n, sizeof *C);
	if (!C)
		return TFR_ENOMEM;
	h->C = C;
	if (old) {
		memset(h->E + old, 0, (n - old) * sizeof *E);
		memset(h->C + old, 0, (n - old) * sizeof *C);
	}
	h->rows_cap = cap;
	return TFR_OK;
}

/* The lines of each worker: fixed, so that the sums (and so the output
 * bits) do not depend on thread scheduling, and balanced by their
 * estimated cost per super-block (FFT work, plus ~4 FFT element-stages
 * per output sample for the interpolation and decisions), the largest
 * first to the least loaded worker. */
static int setup_shares(tfr_hyper *h)
{
	size_t nt = (size_t)h->p.threads, n = h->nlines;
	double *cost = malloc(n * sizeof *cost), load[256] = {0};
	size_t *order = malloc(n * sizeof *order);
	if (!cost || !order) {
		free(cost);
		free(order);
		return TFR_ENOMEM;
	}
	for (size_t l = 0; l < n; l++) {
		const hy_line *ln = &h->line[l];
		const hy_group *gr = &h->group[ln->group];
		double M = (double)(gr->L >> ln->dlog);
		cost[l] = ln->g ? (double)gr->nblk_max * 2 * M * log2(M) +
		                  4.0 * HY_SUPER : 0;
		order[l] = l;
	}
	/* insertion sort by cost, descending (a few thousand lines, once) */
	for (size_t i = 1; i < n; i++)
		for (size_t j = i; j > 0 && cost[order[j]] > cost[order[j - 1]];
		     j--) {
			size_t t = order[j];
			order[j] = order[j - 1];
			order[j - 1] = t;
		}
	for (size_t t = 0; t < nt; t++) {
		h->wk[t].lines = malloc(n * sizeof *h->wk[t].lines);
		if (!h->wk[t].lines) {
			free(cost);
			free(order);
			return TFR_ENOMEM;
		}
	}
	for (size_t i = 0; i < n; i++) {
		size_t best = 0;
		for (size_t t = 1; t < nt; t++)
			if (load[t] < load[best])
				best = t;
		load[best] += cost[order[i]];
		h->wk[best].lines[h->wk[best].nl++] = order[i];
	}
	free(cost);
	free(order);
	return TFR_OK;
}

tfr_hyper *tfr_hyper_new(const tfr_hyper_params *p, int *err)
{
	int e = tfr_hyper_check(p, NULL);
	tfr_hyper *h = NULL;
	size_t maxM = 0;
	if (e)
		goto fail;
	e = TFR_ENOMEM;
	h = calloc(1, sizeof *h);
	if (!h)
		goto fail;
	h->p = *p;
	h->hf = (size_t)hf_real(p);
	h->nlines = h->hf * (size_t)p->over;
	h->noct32 = (double)(float)p->noct;  /* numpy port casts to float32 */
	h->lint2 = p->lint * p->lint;
	/* candidates for hy_decide: |mp| up to lint + the float margin */
	h->lint2w = (p->lint + 2 * HY_DMAX) * (p->lint + 2 * HY_DMAX);
	if ((p->tdeci & (p->tdeci - 1)) == 0)
		h->tdinv = 1 / (double)p->tdeci;
	h->cpu = p->portable ? 0 : tfr_cpu_features();
	if ((e = setup_lines(h)) || (e = setup_ffts(h, &maxM)) ||
	    (e = setup_groups(h)) || (e = setup_buffers(h, maxM)) ||
	    (e = setup_edges(h)) || (e = setup_shares(h)))
		goto fail;
	if (p->frames_hint > 0) {
		double rows = ceil((double)p->frames_hint / (double)p->tdeci);
		if (rows * (double)h->hf * 8 > (double)SIZE_MAX / 2) {
			e = TFR_ERANGE;
			goto fail;
		}
		if ((e = ensure_rows(h, (size_t)rows, 1)))
			goto fail;
	}
	if (err)
		*err = TFR_OK;
	return h;
fail:
	tfr_hyper_free(h);
	if (err)
		*err = e;
	return NULL;
}

void tfr_hyper_free(tfr_hyper *h)
{
	if (!h)
		return;
	if (h->line)
		for (size_t l = 0; l < h->nlines; l++) {
			free(h->line[l].g);
			free(h->line[l].d);
		}
	free(h->line);
	if (h->group)
		for (size_t g = 0; g < h->ngroups; g++) {
			kiss_fftr_free(h->group[g].fwd);
			free(h->group[g].spec);
			free(h->group[g].xrms);
		}
	free(h->group);
	free(h->fedge);
	for (int k = 0; k <= HY_MAXLOG; k++) {
		kiss_fft_free(h->icfg[k]);
		tfr_hyper_fir_free(&h->fir[k]);
	}
	tfr_hyper_fir_free(&h->fir_w);
	if (h->buf)
		for (int c = 0; c < h->p.channels; c++)
			free(h->buf[c]);
	free(h->buf);
	if (h->wk)
		for (int t = 0; t < h->p.threads; t++) {
			hy_worker *w = &h->wk[t];
			free(w->E);
			free(w->C);
			free(w->yx);
			free(w->ye);
			free(w->bx);
			free(w->be);
			tfr_hyper_kern_free(&w->kern);
			free(w->lines);
		}
	free(h->wk);
	free(h->E);
	free(h->C);
	free(h->real);
	free(h);
}

/* ---- per-line work ------------------------------------------------- */

/* Decide the point of sample n (0-based) of a line from mp = eta/(xi +
 * eps), each of whose components is known to within d: returns 1 and
 * the worker-window index in *bin if it is kept, 0 if not, -1 if an
 * error of d could change the decision. With d = 0 this is the
 * reference's arithmetic on the given mp. */
static inline __attribute__((always_inline)) int
hy_decide(const hy_worker *w, const hy_line *ln, int64_t n, double mr,
          double mi, double d, size_t *bin)
{
	const tfr_hyper *h = w->h;
	double a = mr * mr + mi * mi;
	if (d > 0) {
		double slack = 2 * (fabs(mr) + fabs(mi)) * d + 2 * d * d;
		if (a >= h->lint2 + slack)
			return 0;
		if (a > h->lint2 - slack)
			return -1;
	} else if (fabs(a - h->lint2) > 1e-15 * h->lint2 ? !(a < h->lint2) :
	           !(hypot(mr, mi) < h->p.lint)) {
		return 0;  /* numpy: abs(mp) < lint, a hypot at ties */
	}
	double tins = (double)(n + 1) + mi * ln->sigt;
	double fins = ln->f0 - mr * ln->sigma;
	double dt = d * ln->sigt, df = d * ln->sigma;
	if (d > 0 && (fabs(fins - h->p.maxf) < df ||
	              fabs(fins - h->p.minf) < df || fabs(tins - 1) < dt ||
	              fabs(tins - h->nlimit) < dt))
		return -1;
	if (!(fins < h->p.maxf && fins > h->p.minf && tins >= 1 &&
	      tins < h->nlimit))
		return 0;
	/* tins / tdeci, as a product when that is exact (tdeci = 2^k) */
	double td = (double)h->p.tdeci;
	double y = (h->tdinv > 0 ? tins * h->tdinv : tins / td) + 0.5, kt;
	if (!h->p.round_away && y < 0x1p52)
		kt = (y + 0x1p52) - 0x1p52;  /* nearbyint(y), y >= 0 */
	else
		kt = hy_round(y, h->p.round_away);
	/* within the error of a half-integer, where the rounding turns */
	if (d > 0 && fabs(fabs(y - kt) - 0.5) < dt / td)
		return -1;
	kt -= 1;
	const double *fe = h->fedge;
	size_t jf = ln->j0;
	if (fins < fe[jf])
		while (fins < fe[jf + 1])
			jf++;
	else
		while (!(fins < fe[jf]))
			jf--;
	if (d > 0 && (fins - fe[jf + 1] < df || fe[jf] - fins < df))
		return -1;
	double kr = kt - (double)h->rlo;
	if (!(kr >= 0 && kr < (double)h->wrows && jf < h->hf))
		return 0;  /* cannot happen: window covers the reach */
	*bin = jf * h->wrows + (size_t)kr;  /* column-major, see hy_merge */
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
	const float *x = h->buf[h->chan];
	/* buffer index of global sample n; valid input: [0, nin) */
	ptrdiff_t base = (ptrdiff_t)h->back - (ptrdiff_t)h->pos;
	ptrdiff_t i = base + (ptrdiff_t)n;
	ptrdiff_t lo = base > 0 ? base : 0;
	ptrdiff_t hi = (ptrdiff_t)h->bufsz;
	double mr, mi, sc;
	if (h->finished && base + (ptrdiff_t)h->nin < hi)
		hi = base + (ptrdiff_t)h->nin;
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
	const kiss_fft_cpx *bx = w->bx + u0, *be = w->be + u0;
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
	if (w->h->cpu & TFR_CPU_AVX2) {
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
		.hi_t = hy_clampf(h->nlimit - (double)(q * td)),
		.kr0 = (int32_t)(q - 1 - h->rlo),
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
	if (h->p.round_away || !h->bin32) {
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
	const tfr_hyper_fir *fir = ln->wide ? &w->h->fir_w :
	                           &w->h->fir[ln->dlog];
	float lint2 = (float)w->h->lint2w;
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
                      const kiss_fft_cpx *X, double xrms)
{
	float S = 0;
	size_t M = gr->L >> ln->dlog;
	memset(w->yx, 0, M * sizeof *w->yx);
	memset(w->ye, 0, M * sizeof *w->ye);
	for (long k = ln->klo; k <= ln->khi; k++) {
		kiss_fft_cpx v = X[k >= 0 ? k : -k];
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
	kiss_fft(w->h->icfg[lg], w->yx, w->bx);
	kiss_fft(w->h->icfg[lg], w->ye, w->be);
}

static void hy_line_superblock(hy_worker *w, const hy_line *ln)
{
	const tfr_hyper *h = w->h;
	const hy_group *gr = &h->group[ln->group];
	int64_t end = h->pos + HY_SUPER;
	if (h->finished && end > h->nin)
		end = h->nin;
	/* a fixed budget per line and super-block: the result does not
	 * depend on the number of threads */
	w->budget_d = (ptrdiff_t)(HY_BUDGET_D * HY_SUPER);
	w->budget_ld = (ptrdiff_t)(HY_BUDGET_LD * HY_SUPER);
	for (size_t b = 0; b < gr->nblk; b++) {
		int64_t s0 = h->pos + (int64_t)(b * gr->hop);
		int64_t s1 = s0 + (int64_t)gr->hop;
		if (s1 > end)
			s1 = end;
		if (s0 >= s1)
			break;
		hy_filter(w, ln, gr, gr->spec + b * (gr->L / 2 + 1),
		          gr->xrms[b]);
		hy_scan(w, ln, s0 - (int64_t)gr->margin, s0, s1);
	}
}

/* ---- super-blocks -------------------------------------------------- */

/* The block spectra of group g for the current super-block. */
static void hy_spectra(tfr_hyper *h, hy_group *gr, const float *x)
{
	int64_t end = h->pos + HY_SUPER;
	gr->nblk = 0;
	for (size_t b = 0; b < gr->nblk_max; b++) {
		int64_t s0 = h->pos + (int64_t)(b * gr->hop);
		if (s0 >= end || (h->finished && s0 >= h->nin))
			break;
		size_t i0 = h->back - gr->margin + b * gr->hop;
		kiss_fft_cpx *X = gr->spec + b * (gr->L / 2 + 1);
		kiss_fftr(gr->fwd, x + i0, X);
		double e2 = 0;
		for (size_t k = 0; k <= gr->L / 2; k++)
			e2 += (double)X[k].r * X[k].r +
			      (double)X[k].i * X[k].i;
		gr->xrms[b] = sqrt(e2 / (double)(gr->L / 2 + 1));
		gr->nblk = b + 1;
	}
}

/* One worker's share of a phase: the spectra of every nt-th group, or
 * its lines (setup_shares). */
static void *hy_worker_main(void *arg)
{
	hy_worker *w = arg;
	tfr_hyper *h = w->h;
	size_t t = (size_t)(w - h->wk), nt = (size_t)h->p.threads;
	if (w->phase == HY_SPECTRA) {
		for (size_t g = t; g < h->ngroups; g += nt)
			hy_spectra(h, &h->group[g], h->buf[h->chan]);
		return NULL;
	}
	for (size_t i = 0; i < w->nl; i++) {
		const hy_line *ln = &h->line[w->lines[i]];
		if (ln->g)
			hy_line_superblock(w, ln);
	}
	return NULL;
}

/* Run a phase on all workers: worker 0 on this thread, the others on
 * their own, or on this one too if a thread cannot be started. */
static void hy_parallel(tfr_hyper *h, int phase)
{
	int nt = h->p.threads, started[256] = {0};
	pthread_t tid[256];
	for (int t = 0; t < nt; t++)
		h->wk[t].phase = phase;
	for (int t = 1; t < nt; t++)
		started[t] = pthread_create(&tid[t], NULL, hy_worker_main,
		                            &h->wk[t]) == 0;
	hy_worker_main(&h->wk[0]);
	for (int t = 1; t < nt; t++)
		if (started[t])
			pthread_join(tid[t], NULL);
		else
			hy_worker_main(&h->wk[t]);
}

/* Add the worker windows into the picture. The windows are stored by
 * frequency column (index jf * wrows + row): a line's points then walk
 * memory in order instead of one picture row (hf values) apart. */
static int hy_merge(tfr_hyper *h)
{
	size_t hf = h->hf, wr = h->wrows, used = 0;
	for (int t = 0; t < h->p.threads; t++)
		for (size_t j = 0; j < hf; j++) {
			const uint32_t *c = h->wk[t].C + j * wr;
			for (size_t r = wr; r > used; r--)
				if (c[r - 1]) {
					used = r;
					break;
				}
		}
	int e = ensure_rows(h, (size_t)h->rlo + used, 0);
	for (int t = 0; t < h->p.threads; t++) {
		hy_worker *w = &h->wk[t];
		if (!e)
			for (size_t r = 0; r < used; r++) {
				size_t o = ((size_t)h->rlo + r) * hf;
				for (size_t j = 0; j < hf; j++) {
					size_t i = j * wr + r;
					if (!w->C[i])
						continue;
					float *e = &h->E[o + j];
					*e = (float)((double)*e + w->E[i]);
					h->C[o + j] += w->C[i];
				}
			}
		memset(w->E, 0, wr * hf * sizeof *w->E);
		memset(w->C, 0, wr * hf * sizeof *w->C);
	}
	return e;
}

static int hy_superblock(tfr_hyper *h)
{
	double lo = floor(((double)h->pos + 1 - h->maxshift) /
	                  (double)h->p.tdeci) - 1;
	h->rlo = lo > 0 ? (int64_t)lo : 0;
	h->nlimit = h->finished ? (double)h->nin : HUGE_VAL;
	for (int c = 0; c < h->p.channels; c++) {
		h->chan = c;
		hy_parallel(h, HY_SPECTRA);
		hy_parallel(h, HY_LINES);
	}
	return hy_merge(h);
}

/* Drop the first HY_SUPER samples of the buffer: the next super-block. */
static void hy_slide(tfr_hyper *h)
{
	for (int c = 0; c < h->p.channels; c++)
		memmove(h->buf[c], h->buf[c] + HY_SUPER,
		        (h->bufsz - HY_SUPER) * sizeof **h->buf);
	h->have -= HY_SUPER;
	h->pos += HY_SUPER;
}

int tfr_hyper_process(tfr_hyper *h, const float *x, size_t nframes)
{
	if (!h || h->finished || (!x && nframes))
		return TFR_EINVAL;
	int nc = h->p.channels;
	while (nframes > 0) {
		size_t take = h->bufsz - h->have;
		if (take > nframes)
			take = nframes;
		for (int c = 0; c < nc; c++) {
			float *d = h->buf[c] + h->have;
			for (size_t i = 0; i < take; i++)
				d[i] = x[i * (size_t)nc + (size_t)c];
		}
		x += take * (size_t)nc;
		nframes -= take;
		h->have += take;
		h->nin += (int64_t)take;
		if (h->have == h->bufsz) {
			int e = hy_superblock(h);
			if (e)
				return e;
			hy_slide(h);
		}
	}
	return TFR_OK;
}

static void hy_threshold(tfr_hyper *h)
{
	size_t n = h->ht * h->hf;
	uint32_t mx = 0;
	for (size_t i = 0; i < n; i++)
		if (h->C[i] > mx)
			mx = h->C[i];
	h->maxc = mx;
	/* reference: histo[histc < sqrt(max(histc))] = 0 */
	double thr = sqrt((double)mx);
	for (size_t i = 0; i < n; i++)
		if ((double)h->C[i] < thr)
			h->E[i] = 0;
}

int tfr_hyper_finish(tfr_hyper *h)
{
	if (!h || h->finished)
		return TFR_EINVAL;
	h->finished = 1;
	while (h->pos < h->nin) {
		for (int c = 0; c < h->p.channels; c++)
			memset(h->buf[c] + h->have, 0,
			       (h->bufsz - h->have) * sizeof **h->buf);
		h->have = h->bufsz;
		int e = hy_superblock(h);
		if (e)
			return e;
		hy_slide(h);
	}
	h->ht = (size_t)((h->nin + h->p.tdeci - 1) / h->p.tdeci);
	int e = ensure_rows(h, h->ht ? h->ht : 1, 1);
	if (e)
		return e;
	if (h->rows_cap > h->ht && h->ht > 0) {
		/* give back what geometric growth overshot */
		float *E = realloc(h->E, h->ht * h->hf * sizeof *E);
		uint32_t *C = realloc(h->C, h->ht * h->hf * sizeof *C);
		if (E)
			h->E = E;
		if (C)
			h->C = C;
		if (E && C)
			h->rows_cap = h->ht;
	}
	hy_threshold(h);
	return TFR_OK;
}

void tfr_hyper_size(const tfr_hyper *h, size_t *ht, size_t *hf)
{
	if (ht)
		*ht = h->ht;
	if (hf)
		*hf = h->hf;
}

const float *tfr_hyper_energy(const tfr_hyper *h)
{
	return h->E;
}

const uint32_t *tfr_hyper_counts(const tfr_hyper *h)
{
	return h->C;
}

uint32_t tfr_hyper_max_count(const tfr_hyper *h)
{
	return h->maxc;
}

int64_t tfr_hyper_frames(const tfr_hyper *h)
{
	return h->nin;
}
