/*
 * hyper_plan.c - Gardner & Magnasco linear-reassignment histogram ("hyper-
 * resolution spectrogram"), streaming: the parameters, and what _new
 * decides once (the other files: hyper_state.h). See tfr_hyper.h for
 * what is computed; this is how it is computed fast and in bounded
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
 *     decimated samples by kriging weights (hyper_interp.h), whose
 *     error, weighted by the Gaussian, is below 1e-7 of a component's
 *     amplitude: the FFTs run at 2.3x lower rates than 6-point Lagrange
 *     interpolation would allow for that error.
 *  3. The ratio, the locality test |mp| < lint and both histograms are
 *     then evaluated at every sample with the reference's expressions
 *     and rounding (half to even by default; hyper_scan.c): first the
 *     test without division in float, 8 or 16 samples at a time, while
 *     interpolating; then the ratio, reassignment and bins of the
 *     candidates, several at a time in float without branches
 *     (hyper_classify.inc), the frequency bin by comparison with
 *     precomputed exact bin edges (setup_edges). A candidate is decided
 *     there only if it is farther from every boundary than the float
 *     path's error plus that arithmetic's own; the others are decided
 *     one at a time in double.
 *     A point within the float path's error of any decision boundary
 *     (the lint test, a time or frequency bin edge, the minf/maxf/1/N
 *     limits) is recomputed from the input samples by direct
 *     convolution (hyper_direct.c) in double, and if still too close,
 *     in long double: steady tones and clicks put many points exactly
 *     on such boundaries, where float roundoff alone would decide.
 *  4. The histogram is accumulated per worker thread in a window of the
 *     rows the current super-block can reach (|tins - n| < lint
 *     sigma_t), then added into the growing output picture
 *     (hyper_picture.c). The count threshold is global, so it is
 *     applied in _flush, to the rows held: all of them, unless a caller
 *     streaming a long input took the rows as they became final and
 *     released them (tfr_hyper_ready), thresholding them itself.
 */
#include "tfr_base.h"
#include "tfr_hyper.h"

#include "cpu.h"
#include "hyper_state.h"
#include "internal.h"

#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

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
#define HY_MINLOG 10     /* blocks from 512 (2^(HY_MINLOG-1)) */

#define HY_STR_(x) #x
#define HY_STR(x) HY_STR_(x)
#define HY_WHY_REACH "q/minf too large: the longest wavelet exceeds 2^22 " \
                     "samples"
_Static_assert(TFR_MAX_FFT_SIZE == 1 << 22, "HY_WHY_REACH names 2^22");

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

/* log2 of the block length of about 4 margins m (at least half of
 * every block is output) */
static int block_log(double m)
{
	int lg = ilog2_ceil(4 * m);
	return lg < HY_MINLOG ? HY_MINLOG : lg;
}

static int line_dlog(const tfr_hyper_params *p, double sigma)
{
	if (p->exact)
		return 0;
	int d = 0;
	while (d < 16 && ldexp(1.0, d + 1) * sigma <= HY_SMAX)
		d++;
	return d;
}

/* Scan line l: centre frequency, widths and decimation. */
static void line_init(const tfr_hyper_params *p, size_t l, hy_line *ln)
{
	ln->f0 = p->minf * pow(2.0, (double)l / (p->over * p->noct));
	ln->sigma = ln->f0 / (2 * TFR_PI * p->q);
	ln->sigt = 1 / (2 * TFR_PI * ln->sigma);
	ln->dlog = line_dlog(p, ln->sigma);
	if (!p->exact && ln->dlog == 0 && 2 * ln->sigma <= HY_SMAX_W) {
		ln->wide = 1;
		ln->dlog = 1;
	}
	ln->refine = 0.5 - ln->f0 > 9 * ln->sigma;
}

/* The margin of line 0, the longest: every part of line_margin falls
 * as f0 rises (the envelope's reach ~1/f0; the interpolator's ~D ~
 * 1/sigma), but for the stretch of lines cut at Nyquist, at most 8192. */
static double longest_margin(const tfr_hyper_params *p)
{
	hy_line ln;
	memset(&ln, 0, sizeof ln);
	line_init(p, 0, &ln);
	return line_margin(ln.f0, ln.sigma, p->q, ln.dlog);
}

/* The parameters each within its range (the costs aside). */
static int check_params(const tfr_hyper_params *p, tfr_diag *d)
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
	else if (p->channels < 1 || p->channels > TFR_MAX_CHANNELS)
		w = "channels must be between 1 and "
		    HY_STR(TFR_MAX_CHANNELS);
	else if (p->threads < 1 || p->threads > TFR_MAX_THREADS)
		w = "threads must be between 1 and " HY_STR(TFR_MAX_THREADS);
	else if (p->frames_hint < 0)
		w = "negative frames hint";
	else if (hf_real(p) * p->over > 1e6)
		w = "too many scan lines (noct * over * octaves > 1e6)";
	else if (!(longest_margin(p) <= TFR_MAX_FFT_SIZE))
		w = HY_WHY_REACH;
	if (w)
		return tfr_diag_set(d, TFR_EINVAL, w);
	tfr_diag_clear(d);
	return TFR_OK;
}

static int setup_lines(tfr_hyper *h, tfr_diag *d);
static void setup_bins(tfr_hyper *h);

double tfr_hyper_lines(const tfr_hyper_params *p)
{
	if (check_params(p, NULL) != TFR_OK)
		return 0;
	return hf_real(p) * p->over * p->channels;
}

/* Band of line ln on blocks of L: what setup_band gives it. */
static double band_width(const hy_line *ln, double L)
{
	double lo = ceil((ln->f0 - (ln->wide ? HY_KF_W : HY_KF) * ln->sigma) * L);
	double hi = floor((ln->f0 + HY_KF * ln->sigma) * L);
	lo = fmax(lo, -L / 2 + 1);
	hi = fmin(hi, L / 2);
	return hi >= lo ? hi - lo + 1 : 0;
}

/* What _new allocates for the lines and groups h has planned: the
 * filters, spectra and transforms, each channel's input buffer, the
 * workers' windows and scratch (bytes, from above). */
static double plan_bytes(const tfr_hyper *h)
{
	const tfr_hyper_params *p = &h->p;
	const hy_plan *pl = &h->plan;
	double hf = (double)h->bins.hf, cpx = sizeof(tfr_cpx);
	double bytes = (double)pl->nlines * (sizeof(hy_line) + sizeof(hy_group) +
	                                     2 * sizeof(size_t)) + (hf + 2) * 8;
	double back = 0, ahead = 0;
	for (size_t g = 0; g < pl->ngroups; g++) {
		const hy_group *gr = &pl->group[g];
		double L = (double)gr->L;
		double margin = gr->margin ? (double)gr->margin : L / 4;
		double nblk = ceil(HY_SUPER / (L - 2 * margin));
		bytes += nblk * ((L / 2 + 2) * cpx + sizeof(double)) + 2 * L * cpx;
		back = fmax(back, margin);
		ahead = fmax(ahead, L);
	}
	for (size_t l = 0; l < pl->nlines; l++) {
		const hy_line *ln = &pl->line[l];
		bytes += 2 * sizeof(float) *
		         band_width(ln, (double)pl->group[ln->group].L);
	}
	/* inverse transforms of every length up to the longest block */
	bytes += 2 * ahead * cpx;
	bytes += (double)p->channels * (back + HY_SUPER + ahead) * sizeof(float);
	double rows = ceil((HY_SUPER + 2 * (p->lint * p->q / p->minf + 2)) /
	                   (double)p->tdeci) + 4;
	bytes += (double)p->threads *
	         (rows * hf * (sizeof(double) + sizeof(uint32_t)) + 4 * ahead * cpx);
	return bytes;
}

double tfr_hyper_memory(const tfr_hyper_params *p)
{
	if (check_params(p, NULL) != TFR_OK)
		return 0;
	tfr_hyper *h = calloc(1, sizeof *h);
	if (!h)
		return HUGE_VAL;
	h->p = *p;
	setup_bins(h);
	h->plan.nlines = h->bins.hf * (size_t)p->over;
	double bytes = setup_lines(h, NULL) == TFR_OK ? plan_bytes(h) : HUGE_VAL;
	free(h->plan.line);
	free(h->plan.group);
	free(h);
	return bytes;
}

int tfr_hyper_check_costs(const tfr_hyper_params *p, double *lines, double *bytes,
                          tfr_diag *d)
{
	int e = check_params(p, d);
	if (e != TFR_OK)
		return e;
	*lines = hf_real(p) * p->over * p->channels;
	*bytes = 0;
	if (*lines > TFR_HYPER_MAX_LINES)
		return tfr_diag_setf(d, TFR_EINVAL, "%.0f scan lines x %d channels: "
		                     "at most %d (fewer channels, bins per octave, "
		                     "scan lines per bin, or a narrower band)",
		                     *lines / p->channels, p->channels,
		                     TFR_HYPER_MAX_LINES);
	*bytes = tfr_hyper_memory(p);
	if (*bytes > TFR_HYPER_MAX_MEMORY)
		return tfr_diag_setf(d, TFR_EINVAL, "the analysis would take %.4g MB "
		                     "before any input, more than %d MB (fewer "
		                     "threads or channels, a longer time bin)",
		                     *bytes / 1048576, TFR_HYPER_MAX_MEMORY >> 20);
	return TFR_OK;
}

int tfr_hyper_check(const tfr_hyper_params *p, tfr_diag *d)
{
	double lines, bytes;
	return tfr_hyper_check_costs(p, &lines, &bytes, d);
}

size_t tfr_hyper_freq_bins(const tfr_hyper_params *p)
{
	if (check_params(p, NULL) != TFR_OK)
		return 0;
	return (size_t)hf_real(p);
}

double tfr_hyper_bin_freq(const tfr_hyper_params *p, size_t j)
{
	return p->maxf * pow(2.0, -(double)j / p->noct);
}

double tfr_hyper_bin_time(const tfr_hyper_params *p, size_t k)
{
	return ((double)k + 0.5) * (double)p->tdeci - 1;
}

/* exp(-u^2) over the octaves x = log2(f / f0) of the lines that keep a
 * pure tone's points, u = 2 pi q (2^x - 1) = (f - f0) / sigma. */
static double tone_weight(double q, double x)
{
	double u = 2 * TFR_PI * q * (exp2(x) - 1);
	return exp(-u * u);
}

double tfr_hyper_full_scale(const tfr_hyper_params *p)
{
	if (tfr_hyper_check(p, NULL) != TFR_OK)
		return 0;
	double w = 2 * TFR_PI * p->q, hi = log2(1 + p->lint / w);
	/* lines far above f keep its points when lint >= 2 pi q: those up
	 * to maxf, taken here as the whole range above */
	double lo = p->lint < w ? log2(1 - p->lint / w) : -log2(p->maxf / p->minf);
	enum { N = 2000 };  /* Simpson: exact to 1e-12 on this smooth bell */
	double hx = (hi - lo) / N, sum = tone_weight(p->q, lo) + tone_weight(p->q, hi);
	for (int i = 1; i < N; i++)
		sum += (i % 2 ? 4 : 2) * tone_weight(p->q, lo + i * hx);
	double lines = p->over * p->noct * sum * hx / 3;
	return (double)p->tdeci * p->channels * lines / 4;
}

/* The reference's frequency bin of fins (numpy port L80), as a double. */
static double bin_ref(const tfr_hyper *h, double fins)
{
	return hy_round(-h->bins.noct32 * log2(fins / h->p.maxf) + 1,
	                h->p.round_away) - 1;
}

/* Bin edges: fedge[j] = the smallest double x with bin_ref(x) < j,
 * found by bisection on the bit patterns of positive doubles. As
 * bin_ref is non-increasing in x, bin_ref(x) >= j <=> x < fedge[j], so
 * comparisons give exactly the bin the log2 would, at a fraction of its
 * cost (a log2 per point would take ~12 % of the run). */
static int setup_edges(tfr_hyper *h)
{
	size_t hf = h->bins.hf;
	double *fe = malloc((hf + 2) * sizeof *fe);
	if (!fe)
		return TFR_ENOMEM;
	h->bins.fedge = fe;
	fe[0] = HUGE_VAL;
	fe[hf + 1] = 0;
	for (size_t j = 1; j <= hf; j++) {
		double xl = DBL_MIN, xh = 4 * h->p.maxf;
		uint64_t lo, hi;
		memcpy(&lo, &xl, sizeof lo);
		memcpy(&hi, &xh, sizeof hi);
		if (bin_ref(h, xl) < (double)j)
			hi = lo;
		while (hi - lo > 1) {
			uint64_t mid = lo + (hi - lo) / 2;
			double x;
			memcpy(&x, &mid, sizeof x);
			if (bin_ref(h, x) < (double)j)
				hi = mid;
			else
				lo = mid;
		}
		memcpy(&fe[j], &hi, sizeof hi);
	}
	for (size_t l = 0; l < h->plan.nlines; l++) {
		hy_line *ln = &h->plan.line[l];
		size_t j = 0;
		while (j < hf && ln->f0 < fe[j + 1])
			j++;
		ln->j0 = j;
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

/* The cheapest block length for a line of margin m, decimation dlog,
 * from 2^(lg4-2) to 2^(lg4+1), with the line's own margin: the
 * decimated lines' FFTs are short, so the block's forward FFT and the
 * hop weigh more, and a margin shared with longer lines would shorten
 * the hop of the full-rate lines cut at Nyquist (~half the FFT work). */
static int cheapest_log(int lg4, int dlog, double m)
{
	int best = lg4;
	double bc = line_cost(lg4, dlog, (double)margin_step(lg4, m));
	for (int lg = lg4 - 2; lg <= lg4 + 1; lg++) {
		if (lg < HY_MINLOG - 1 || lg > HY_MAXLOG || lg == lg4)
			continue;
		double c = line_cost(lg, dlog, (double)margin_step(lg, m));
		if (c < bc) {
			bc = c;
			best = lg;
		}
	}
	return best;
}

/* Group of lines sharing block length 2^lg and margin: found or added. */
static int group_of(hy_plan *pl, int lg, size_t margin)
{
	for (size_t g = 0; g < pl->ngroups; g++)
		if (pl->group[g].lg == lg && pl->group[g].margin == margin)
			return (int)g;
	hy_group *gr = &pl->group[pl->ngroups];
	gr->lg = lg;
	gr->L = (size_t)1 << lg;
	gr->margin = margin;
	return (int)pl->ngroups++;
}

/* Every line, and its block group: in exact mode blocks of 2^lg4 with
 * the margin of the longest line of that length, else the cheapest
 * length for the line's own margin. */
static int setup_lines(tfr_hyper *h, tfr_diag *d)
{
	const tfr_hyper_params *p = &h->p;
	hy_plan *pl = &h->plan;
	pl->line = calloc(pl->nlines, sizeof *pl->line);
	/* at most one group per line */
	pl->group = calloc(pl->nlines, sizeof *pl->group);
	size_t gmax[HY_MAXLOG + 1] = {0};
	if (!pl->line || !pl->group)
		return TFR_ENOMEM;
	for (size_t l = 0; l < pl->nlines; l++) {
		hy_line *ln = &pl->line[l];
		line_init(p, l, ln);
		double m = line_margin(ln->f0, ln->sigma, p->q, ln->dlog);
		int lg4 = block_log(m);
		if (lg4 > HY_MAXLOG)  /* not after _check (longest_margin) */
			return tfr_diag_set(d, TFR_EINVAL, HY_WHY_REACH);
		if ((size_t)m > gmax[lg4])
			gmax[lg4] = (size_t)m;
	}
	for (size_t l = 0; l < pl->nlines; l++) {
		hy_line *ln = &pl->line[l];
		double m = line_margin(ln->f0, ln->sigma, p->q, ln->dlog);
		int lg4 = block_log(m);
		if (p->exact) {
			ln->group = group_of(pl, lg4, gmax[lg4]);
		} else {
			int lg = cheapest_log(lg4, ln->dlog, m);
			ln->group = group_of(pl, lg, margin_step(lg, m));
		}
	}
	return TFR_OK;
}

/* Band of a line on its group's grid, and its filter weights: the
 * reference's G and D (eqs. of reassignmentgw.m L59-60) sampled at
 * f = k/L, k in (-L/2, L/2], scaled by 1/L for the unnormalised FFTs. */
static int setup_band(const hy_group *gr, hy_line *ln)
{
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

/* Every line's band, the inverse FFTs and interpolators the lines use,
 * and in *maxM the longest inverse FFT (the workers' scratch). */
static int setup_ffts(tfr_hyper *h, size_t *maxM)
{
	hy_plan *pl = &h->plan;
	*maxM = 16;
	for (size_t l = 0; l < pl->nlines; l++) {
		hy_line *ln = &pl->line[l];
		int r = setup_band(&pl->group[ln->group], ln);
		if (r)
			return r;
		if (!ln->g)
			continue;
		int lg = pl->group[ln->group].lg - ln->dlog;
		if (!pl->icfg[lg]) {
			pl->icfg[lg] = tfr_fft_new((size_t)1 << lg, 1,
			                           TFR_FFT_COMPLEX_INVERSE, NULL);
			if (!pl->icfg[lg])
				return TFR_ENOMEM;
		}
		tfr_hyper_fir *f = ln->wide ? &pl->fir_w : &pl->fir[ln->dlog];
		if (ln->dlog > 0 && !f->w) {
			if (tfr_hyper_fir_init(f, ln->dlog,
			                       ln->wide ? HY_SMAX_W : HY_SMAX,
			                       ln->wide ? HY_FIR_KW : HY_FIR_K,
			                       pl->cpu))
				return TFR_ENOMEM;
		}
		if (((size_t)1 << lg) > *maxM)
			*maxM = (size_t)1 << lg;
	}
	return TFR_OK;
}

/* The groups' hops, forward FFTs and spectra of one super-block, and
 * the input buffer they need: the longest margin before the
 * super-block, the longest block after it. */
static int setup_groups(tfr_hyper *h)
{
	hy_plan *pl = &h->plan;
	size_t back = 0, ahead = 0;
	for (size_t g = 0; g < pl->ngroups; g++) {
		hy_group *gr = &pl->group[g];
		if (gr->margin == 0)
			gr->margin = gr->L / 4;
		gr->hop = gr->L - 2 * gr->margin;
		gr->nblk_max = (HY_SUPER + gr->hop - 1) / gr->hop;
		gr->fwd = tfr_fft_new(gr->L, 1, TFR_FFT_REAL_FORWARD, NULL);
		gr->sstride = gr->L / 2 + 2;
		gr->spec = calloc(gr->nblk_max * gr->sstride, sizeof *gr->spec);
		gr->xrms = calloc(gr->nblk_max, sizeof *gr->xrms);
		if (!gr->fwd || !gr->spec || !gr->xrms)
			return TFR_ENOMEM;
		if (gr->margin > back)
			back = gr->margin;
		if (gr->L > ahead)
			ahead = gr->L;
	}
	h->in.back = back;
	h->in.bufsz = back + HY_SUPER + ahead;
	return TFR_OK;
}

static int setup_input(tfr_hyper *h)
{
	hy_input *in = &h->in;
	in->buf = calloc((size_t)h->p.channels, sizeof *in->buf);
	if (!in->buf)
		return TFR_ENOMEM;
	for (int c = 0; c < h->p.channels; c++) {
		in->buf[c] = calloc(in->bufsz, sizeof **in->buf);
		if (!in->buf[c])
			return TFR_ENOMEM;
	}
	in->have = in->back;  /* zeros before the signal */
	return TFR_OK;
}

/* The rows of the workers' windows: a super-block and the farthest
 * reach of its points each side. */
static int setup_window(tfr_hyper *h, tfr_diag *d)
{
	const tfr_hyper_params *p = &h->p;
	hy_window *win = &h->win;
	size_t hf = h->bins.hf;
	double maxsig_t = p->q / p->minf;
	win->maxshift = p->lint * maxsig_t + 2;
	double rows = ceil((HY_SUPER + 2 * win->maxshift) /
	                   (double)p->tdeci) + 4;
	if (!(rows <= (double)(SIZE_MAX / hf / sizeof(double))))
		return tfr_diag_set(d, TFR_ERANGE, "lint * q / minf too "
		                    "large: a block's reach does not fit in "
		                    "memory");
	win->wrows = (size_t)rows;
	win->bin32 = win->wrows < (size_t)INT32_MAX / hf;
	return TFR_OK;
}

static int setup_workers(tfr_hyper *h, size_t maxM)
{
	const tfr_hyper_params *p = &h->p;
	size_t n = tfr_size_mul(h->win.wrows, h->bins.hf);
	h->wk = calloc((size_t)p->threads, sizeof *h->wk);
	if (!h->wk || !n)
		return TFR_ENOMEM;
	for (int t = 0; t < p->threads; t++) {
		hy_worker *w = &h->wk[t];
		w->h = h;
		w->E = calloc(n, sizeof *w->E);
		w->C = calloc(n, sizeof *w->C);
		w->yx = malloc(maxM * sizeof *w->yx);
		w->ye = malloc(maxM * sizeof *w->ye);
		w->bx = malloc(maxM * sizeof *w->bx);
		w->be = malloc(maxM * sizeof *w->be);
		if (tfr_hyper_kern_init(&w->kern, p->q, p->minf, h->plan.cpu))
			return TFR_ENOMEM;
		if (!w->E || !w->C || !w->yx || !w->ye || !w->bx || !w->be)
			return TFR_ENOMEM;
	}
	return TFR_OK;
}

/* The lines of each worker: fixed, so that the sums (and so the output
 * bits) do not depend on thread scheduling, and balanced by their
 * estimated cost per super-block (FFT work, plus ~4 FFT element-stages
 * per output sample for the interpolation and decisions), the largest
 * first to the least loaded worker. */
static int setup_shares(tfr_hyper *h)
{
	const hy_plan *pl = &h->plan;
	size_t nt = (size_t)h->p.threads, n = pl->nlines;
	double *cost = malloc(n * sizeof *cost), load[TFR_MAX_THREADS] = {0};
	size_t *order = malloc(n * sizeof *order);
	int e = cost && order ? TFR_OK : TFR_ENOMEM;
	for (size_t l = 0; !e && l < n; l++) {
		const hy_line *ln = &pl->line[l];
		const hy_group *gr = &pl->group[ln->group];
		double M = (double)(gr->L >> ln->dlog);
		cost[l] = ln->g ? (double)gr->nblk_max * 2 * M * log2(M) +
		                  4.0 * HY_SUPER : 0;
		order[l] = l;
	}
	/* insertion sort by cost, descending (a few thousand lines, once) */
	for (size_t i = 1; !e && i < n; i++)
		for (size_t j = i; j > 0 && cost[order[j]] > cost[order[j - 1]];
		     j--) {
			size_t t = order[j];
			order[j] = order[j - 1];
			order[j - 1] = t;
		}
	for (size_t t = 0; !e && t < nt; t++) {
		h->wk[t].lines = malloc(n * sizeof *h->wk[t].lines);
		if (!h->wk[t].lines)
			e = TFR_ENOMEM;
	}
	for (size_t i = 0; !e && i < n; i++) {
		size_t best = 0;
		for (size_t t = 1; t < nt; t++)
			if (load[t] < load[best])
				best = t;
		load[best] += cost[order[i]];
		h->wk[best].lines[h->wk[best].nl++] = order[i];
	}
	free(cost);
	free(order);
	return e;
}

/* The picture for frames_hint frames, allocated here rather than grown
 * in _process. */
static int reserve_hint(tfr_hyper *h, tfr_diag *d)
{
	const tfr_hyper_params *p = &h->p;
	if (p->frames_hint <= 0)
		return TFR_OK;
	double rows = ceil((double)p->frames_hint / (double)p->tdeci);
	int e = rows * (double)h->bins.hf * 8 > (double)SIZE_MAX / 2 ?
	        TFR_ERANGE : tfr_hyper_picture_reserve(h, (size_t)rows, 1);
	if (e == TFR_ERANGE)
		return tfr_diag_set(d, e, "frames hint too large: the "
		                    "picture does not fit in memory");
	return e;
}

/* What the parameters imply for the bins and the decisions. */
static void setup_bins(tfr_hyper *h)
{
	const tfr_hyper_params *p = &h->p;
	hy_bins *b = &h->bins;
	b->hf = (size_t)hf_real(p);
	b->noct32 = (double)(float)p->noct;  /* numpy port casts to float32 */
	b->lint2 = p->lint * p->lint;
	/* candidates: |mp| up to lint + the float margin */
	b->lint2w = (p->lint + 2 * HY_DMAX) * (p->lint + 2 * HY_DMAX);
	if ((p->tdeci & (p->tdeci - 1)) == 0)
		b->tdinv = 1 / (double)p->tdeci;
}

tfr_hyper *tfr_hyper_new(const tfr_hyper_params *p, tfr_diag *d)
{
	if (tfr_hyper_check(p, d))
		return NULL;
	tfr_hyper *h = calloc(1, sizeof *h);
	if (!h) {
		tfr_diag_set(d, TFR_ENOMEM, NULL);
		return NULL;
	}
	h->p = *p;
	setup_bins(h);
	h->plan.nlines = h->bins.hf * (size_t)p->over;
	h->plan.cpu = p->portable ? 0 : tfr_cpu_features();
	size_t maxM = 0;
	int e;
	if ((e = setup_lines(h, d)) || (e = setup_ffts(h, &maxM)) ||
	    (e = setup_groups(h)) || (e = setup_input(h)) ||
	    (e = setup_window(h, d)) || (e = setup_workers(h, maxM)) ||
	    (e = setup_edges(h)) || (e = setup_shares(h)) ||
	    (e = reserve_hint(h, d))) {
		/* failures with a reason have set it; the others are
		 * their code's sentence */
		if (d && d->code == TFR_OK)
			tfr_diag_set(d, e, NULL);
		tfr_hyper_free(h);
		return NULL;
	}
	return h;
}

static void free_plan(hy_plan *pl)
{
	if (pl->line)
		for (size_t l = 0; l < pl->nlines; l++) {
			free(pl->line[l].g);
			free(pl->line[l].d);
		}
	free(pl->line);
	if (pl->group)
		for (size_t g = 0; g < pl->ngroups; g++) {
			tfr_fft_free(pl->group[g].fwd);
			free(pl->group[g].spec);
			free(pl->group[g].xrms);
		}
	free(pl->group);
	for (int k = 0; k <= HY_MAXLOG; k++) {
		tfr_fft_free(pl->icfg[k]);
		tfr_hyper_fir_free(&pl->fir[k]);
	}
	tfr_hyper_fir_free(&pl->fir_w);
}

static void free_worker(hy_worker *w)
{
	free(w->E);
	free(w->C);
	free(w->yx);
	free(w->ye);
	free(w->bx);
	free(w->be);
	tfr_hyper_kern_free(&w->kern);
	free(w->lines);
}

void tfr_hyper_free(tfr_hyper *h)
{
	if (!h)
		return;
	free_plan(&h->plan);
	free(h->bins.fedge);
	if (h->in.buf)
		for (int c = 0; c < h->p.channels; c++)
			free(h->in.buf[c]);
	free(h->in.buf);
	if (h->wk)
		for (int t = 0; t < h->p.threads; t++)
			free_worker(&h->wk[t]);
	free(h->wk);
	free(h->pic.E);
	free(h->pic.C);
	free(h);
}
