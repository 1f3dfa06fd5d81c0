/*
 * peaks.c - spectral peaks of one frame from its reassigned points
 * (Loris's SpectralPeakSelector, Analyzer::thinPeaks and
 * AssociateBandwidth, additive-model.md §3.3-3.4, done better where the
 * header says so).
 *
 * A frame goes through five steps:
 *   1. select: candidate peaks by reassignment convergence or magnitude
 *      maxima, with the frequency and amplitude corrected for the window
 *      (window_response.h);
 *   2. prune: frequency limits, time-correction crop, mixed-derivative
 *      test, amplitude floor;
 *   3. mask: strongest first, no peak within +-separation of a stronger
 *      one that was kept;
 *   4. fade: peaks within fade_db of the floor fade linearly to 0;
 *   5. bandwidth: the energy of the cells no kept peak explains is given
 *      to the kept peaks around it as noise.
 */
#include "tfr_base.h"
#include "tfr_peaks.h"
#include "window_response.h"
#include "internal.h"

#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Largest amplitude correction for an envelope's slope (prune). */
#define ENVELOPE_GAIN_MAX 4.0
#define ENVELOPE_CURVE 2.0
/* A chirp's cells are reassigned in time along its course, by their
 * distance from its ridge: the peak's cell, within half a bin of the
 * ridge, up to ~0.2 sigma (Hann 2048, 1100 Hz/s: test_peaks). Shifts up to
 * ENVELOPE_DEAD sigma are not taken for an envelope's. */
#define ENVELOPE_DEAD 0.3

/* One candidate peak. */
typedef struct {
	size_t pt;        /* index of its point in the frame */
	double freq;      /* Hz, corrected for the window */
	double amp;       /* corrected for scalloping, then faded */
	double noise;     /* energy given to it as bandwidth (amp^2 units) */
	double reach;     /* a cell reassigned to within this fraction of its
	                     distance from the peak is the peak's */
	double lobe_amp;  /* amplitude of its main lobe (scalloping undone) */
	double lobe_re, lobe_im;  /* e^{j phase} at the window centre */
	int keep;
	int impulse;
} cand;

struct tfr_peaks {
	tfr_peaks_params p;
	size_t nbins;          /* fft_size / 2 + 1: most points a frame has */
	double bin_hz;         /* fs / fft_size */
	double centre_shift;   /* s from m*hop/fs to the window centre */
	double crop;           /* s; INFINITY: off */
	double floor_amp;      /* linear; 0 with no floor */
	double fade_amp;       /* linear; floor_amp with no fade */
	double energy_scale;   /* 1 / (N sum w^2 / (sum w)^2) */
	double capture_hz;     /* a cell reassigned this close to a peak,
	                          or half-way to it from its bin, is the
	                          peak's */
	double lobe_hz;        /* half the main lobe (window without useful
	                          frequency reassignment) */
	int by_ratio;          /* the window's reassignment reports no
	                          frequency: peaks by magnitude, offsets
	                          from neighbouring amplitudes */
	tfr_wresp resp;
	cand *cand;            /* nbins */
	size_t *order;         /* nbins: candidate indexes, sorted */
};

void tfr_peaks_params_default(tfr_peaks_params *p)
{
	memset(p, 0, sizeof *p);
	p->sample_rate = 44100;
	p->window.type = TFR_WINDOW_HANN;
	p->window_length = 2048;
	p->fft_size = 2048;
	p->hop = 512;
	p->select = TFR_PEAKS_CONVERGENCE;
	p->threshold_db = -90;
	p->fade_db = 10;
	p->min_freq = 0;
	p->max_freq = INFINITY;
	p->max_time_shift = NAN;
	p->separation = 0;
	p->component_tol = -1;
	p->impulse_tol = -1;
	p->chirp_mixed = 0.5;
	p->bandwidth = TFR_PEAKS_BW_RESIDUE;
	p->bandwidth_reach = 1000;
}

/* ---- parameters ---- */

static int bad(tfr_diag *d, const char *text)
{
	return tfr_diag_set(d, TFR_EINVAL, text);
}

static int check_analysis(const tfr_peaks_params *p, tfr_diag *d)
{
	if (!(p->sample_rate > 0 && p->sample_rate <= TFR_MAX_SAMPLE_RATE))
		return bad(d, "sample_rate must be in (0, 10000000] Hz");
	if (p->window_length < 2 || p->window_length > TFR_MAX_FFT_SIZE)
		return bad(d, "window_length must be in [2, 4194304] samples");
	if (p->fft_size < p->window_length || p->fft_size > TFR_MAX_FFT_SIZE ||
	    p->fft_size % 2)
		return bad(d, "fft_size must be even, at least window_length and "
		              "at most 4194304");
	if (p->hop < 1)
		return bad(d, "hop must be at least 1 sample");
	double w;
	if (tfr_window_fill(&p->window, 1, &w, NULL) != TFR_OK)
		return bad(d, "window is not a valid window (type, Kaiser beta in "
		              "[0, 50], Gaussian sigma finite)");
	return TFR_OK;
}

static int check_pruning(const tfr_peaks_params *p, tfr_diag *d)
{
	if (p->select != TFR_PEAKS_CONVERGENCE && p->select != TFR_PEAKS_MAGNITUDE)
		return bad(d, "select must be TFR_PEAKS_CONVERGENCE or "
		              "TFR_PEAKS_MAGNITUDE");
	if (isnan(p->threshold_db) || p->threshold_db == INFINITY)
		return bad(d, "threshold_db must be a number of dBFS or -inf");
	if (!(p->fade_db >= 0 && p->fade_db < INFINITY))
		return bad(d, "fade_db must be finite and >= 0");
	if (!(p->min_freq >= 0 && p->min_freq < INFINITY))
		return bad(d, "min_freq must be finite and >= 0 Hz");
	if (!(p->max_freq > p->min_freq))
		return bad(d, "max_freq must be above min_freq");
	if (!isnan(p->max_time_shift) && !(p->max_time_shift >= 0))
		return bad(d, "max_time_shift must be >= 0 s (NAN: a quarter "
		              "of the window)");
	if (!(p->separation >= 0 && p->separation < INFINITY))
		return bad(d, "separation must be finite and >= 0 Hz");
	if (isnan(p->component_tol))
		return bad(d, "component_tol must be a number (negative: off)");
	if (isnan(p->impulse_tol))
		return bad(d, "impulse_tol must be a number (negative: off)");
	if (!(p->chirp_mixed >= 0 && p->chirp_mixed < 1))
		return bad(d, "chirp_mixed must be in [0, 1)");
	if (p->bandwidth != TFR_PEAKS_BW_NONE &&
	    p->bandwidth != TFR_PEAKS_BW_RESIDUE)
		return bad(d, "bandwidth must be TFR_PEAKS_BW_NONE or "
		              "TFR_PEAKS_BW_RESIDUE");
	if (!(p->bandwidth_reach > 0))
		return bad(d, "bandwidth_reach must be > 0 Hz");
	return TFR_OK;
}

int tfr_peaks_check(const tfr_peaks_params *p, tfr_diag *d)
{
	if (!p)
		return bad(d, "no parameters");
	int e = check_analysis(p, d);
	if (e == TFR_OK)
		e = check_pruning(p, d);
	if (e == TFR_OK)
		tfr_diag_clear(d);
	return e;
}

/* ---- construction ---- */

/* N sum w^2 / (sum w)^2: the sum of amp^2 over the bins of a sinusoid of
 * amplitude A is A^2 times this (Parseval), and so is that of noise of
 * power A^2 / 2 (the same energy). */
static int energy_gain(const tfr_peaks_params *p, double *gain)
{
	size_t len = p->window_length;
	double *w = malloc(len * sizeof *w);
	if (!w)
		return TFR_ENOMEM;
	int e = tfr_window_fill(&p->window, len, w, NULL);
	double s1 = 0, s2 = 0;
	for (size_t n = 0; e == TFR_OK && n < len; n++) {
		s1 += w[n];
		s2 += w[n] * w[n];
	}
	free(w);
	if (e == TFR_OK && !(s1 > 0))
		e = TFR_EINVAL;
	if (e == TFR_OK)
		*gain = (double)p->fft_size * s2 / (s1 * s1);
	return e;
}

static void derive(tfr_peaks *pk)
{
	const tfr_peaks_params *p = &pk->p;
	double fs = p->sample_rate, len = (double)p->window_length;
	pk->bin_hz = fs / (double)p->fft_size;
	/* frame m's window centre: sample m*hop - floor(L/2) + L/2 */
	pk->centre_shift = (len / 2 - (double)(p->window_length / 2)) / fs;
	/* Loris crops at one hop; with hops of L/8 that drops the peaks of
	 * onsets and of partials that fade within a window (speech44k at
	 * hop 256, L 1600: 13.9 -> 15.1 dB SNR from one hop to L/4) */
	pk->crop = isnan(p->max_time_shift) ? len / 4 / fs : p->max_time_shift;
	if (p->threshold_db == -INFINITY) {
		pk->floor_amp = pk->fade_amp = 0;
	} else {
		pk->floor_amp = pow(10, p->threshold_db / 20);
		pk->fade_amp = pow(10, (p->threshold_db + p->fade_db) / 20);
	}
	pk->capture_hz = 0.25 * fs / len;
	pk->by_ratio = !(pk->resp.slope0 >= 0.5);
	pk->lobe_hz = pk->resp.lobe * pk->bin_hz;
}

tfr_peaks *tfr_peaks_new(const tfr_peaks_params *p, tfr_diag *d)
{
	int e = tfr_peaks_check(p, d);
	if (e != TFR_OK)
		return NULL;
	tfr_peaks *pk = calloc(1, sizeof *pk);
	if (!pk)
		goto nomem;
	pk->p = *p;
	pk->nbins = p->fft_size / 2 + 1;
	pk->cand = malloc(pk->nbins * sizeof *pk->cand);
	pk->order = malloc(pk->nbins * sizeof *pk->order);
	if (!pk->cand || !pk->order)
		goto nomem;
	double gain = 1;
	e = tfr_wresp_init(&pk->resp, &p->window, p->window_length, p->fft_size);
	if (e == TFR_OK)
		e = energy_gain(p, &gain);
	if (e == TFR_ENOMEM)
		goto nomem;
	if (e != TFR_OK) {
		tfr_peaks_free(pk);
		bad(d, "window has no energy at this length");
		return NULL;
	}
	pk->energy_scale = 1 / gain;
	derive(pk);
	return pk;
nomem:
	tfr_peaks_free(pk);
	tfr_diag_set(d, TFR_ENOMEM, "out of memory for the peak picker");
	return NULL;
}

void tfr_peaks_reset(tfr_peaks *pk)
{
	(void)pk;  /* no state is carried from frame to frame */
}

void tfr_peaks_free(tfr_peaks *pk)
{
	if (!pk)
		return;
	tfr_wresp_free(&pk->resp);
	free(pk->cand);
	free(pk->order);
	free(pk);
}

double tfr_peaks_scalloping(const tfr_peaks *pk, double delta)
{
	return tfr_wresp_amp(&pk->resp, delta);
}

/* ---- 1. selection ---- */

static double bin_freq(const tfr_peaks *pk, const tfr_point *q)
{
	return q->bin * pk->bin_hz;
}

/* Reassigned offset of q from its bin, in FFT bins. */
static double reassigned_offset(const tfr_peaks *pk, const tfr_point *q)
{
	return (q->freq - bin_freq(pk, q)) / pk->bin_hz;
}

/* Amplitude of point i, 0 where there is no point of bin b (a gap:
 * below the analysis threshold). */
static double amp_at(const tfr_point *pts, size_t n, size_t i, int64_t b)
{
	if (i < n && pts[i].bin == b)
		return pts[i].amp;
	return 0;
}

/* Offset of a sinusoid from point i's bin, in FFT bins: the reassigned
 * offset undone through the window's response, or, for windows whose
 * reassignment tells nothing, from the larger neighbour's amplitude. */
static double true_offset(const tfr_peaks *pk, const tfr_point *pts, size_t n,
                          size_t i)
{
	const tfr_point *q = &pts[i];
	if (!pk->by_ratio)
		return tfr_wresp_true_offset(&pk->resp, reassigned_offset(pk, q));
	double lo = i > 0 ? amp_at(pts, n, i - 1, q->bin - 1) : 0;
	double hi = amp_at(pts, n, i + 1, q->bin + 1);
	if (!(q->amp > 0))
		return 0;
	double side = hi >= lo ? 1 : -1;
	double ratio = fmax(lo, hi) / q->amp;
	return side * tfr_wresp_offset_from_ratio(&pk->resp, fmin(ratio, 1));
}

/* What a linear chirp whose ridge cell shows M reads at a cell whose
 * reassigned offset is delta, relative to its amplitude. The cell is
 * reassigned (1 - M) of the way to the ridge and the lobe is wider by
 * 1 / sqrt(1 - M) (both exact for a Gaussian window, whose chirped lobe
 * is (1 - M)^(1/4) exp(-(1 - M) x^2 / 2 sigma_f^2)), so the stationary
 * lobe is read at delta / sqrt(1 - M) and scaled by the chirp's loss. */
static double chirp_response(const tfr_peaks *pk, double delta, double m)
{
	double m0 = pk->resp.chirp_count ? pk->resp.chirp_m[0] : 1;
	double widen = m > m0 ? 1 / sqrt(1 - (m - m0)) : 1;
	double d = fmin(fabs(delta) * widen, 1);
	double r = fmax(tfr_wresp_amp(&pk->resp, d), 0.1);
	return r * tfr_wresp_chirp_loss(&pk->resp, m);
}

static void add_cand(tfr_peaks *pk, const tfr_point *pts, size_t n, size_t i,
                     size_t *nc)
{
	double delta = true_offset(pk, pts, n, i);
	/* a sinusoid is at most half a bin from the bin nearest to it; past
	 * one bin the response is too small to divide by */
	double resp = fmax(tfr_wresp_amp(&pk->resp, fmin(fabs(delta), 1)), 0.1);
	/* beyond chirp_mixed, M is noise or interference, not a chirp */
	double m = pts[i].mixed <= pk->p.chirp_mixed ? pts[i].mixed : 0;
	cand *c = &pk->cand[(*nc)++];
	c->pt = i;
	c->freq = bin_freq(pk, &pts[i]) + delta * pk->bin_hz;
	c->lobe_amp = pts[i].amp / resp;
	c->amp = pts[i].amp / chirp_response(pk, delta, m);
	c->noise = 0;
	/* half-way between where a chirp of this M puts its own cells (M
	 * of the distance) and where they started */
	c->reach = 0.5 * (1 + fmin(fmax(pts[i].mixed, 0), 0.9));
	c->keep = 1;
	c->impulse = 0;
}

/* Loris's reassignment minima (SpectralPeakSelector): adjacent cells j,
 * j+1 whose reassigned frequencies point into [j, j+1] make one peak, the
 * cell with the smaller correction. A missing neighbour (a gap) counts as
 * pointing towards the cell: it is weaker than the threshold. */
static size_t select_convergence(tfr_peaks *pk, const tfr_point *pts,
                                 size_t n)
{
	size_t nc = 0;
	for (size_t i = 0; i < n; i++) {
		/* an offset of exactly 0 (a bin-centred sinusoid) counts as
		 * pointing right, so that its cell pairs with the next */
		int right = reassigned_offset(pk, &pts[i]) >= 0;
		int has_next = i + 1 < n && pts[i + 1].bin == pts[i].bin + 1;
		int has_prev = i > 0 && pts[i - 1].bin == pts[i].bin - 1;
		if (right && !has_next) {
			add_cand(pk, pts, n, i, &nc);
		} else if (right) {
			double here = reassigned_offset(pk, &pts[i]);
			double next = reassigned_offset(pk, &pts[i + 1]);
			/* j points right, j+1 left: they meet in between */
			if (next < 0) {
				add_cand(pk, pts, n, -next < here ? i + 1 : i, &nc);
				i++;  /* j+1 belongs to this peak */
			}
		} else if (!has_prev) {
			add_cand(pk, pts, n, i, &nc);
		}
	}
	return nc;
}

/* Local maxima of the amplitude (a plateau gives its first cell). */
static size_t select_magnitude(tfr_peaks *pk, const tfr_point *pts, size_t n)
{
	size_t nc = 0;
	for (size_t i = 0; i < n; i++) {
		double a = pts[i].amp;
		double lo = i > 0 ? amp_at(pts, n, i - 1, pts[i].bin - 1) : 0;
		double hi = amp_at(pts, n, i + 1, pts[i].bin + 1);
		if (a > lo && a >= hi)
			add_cand(pk, pts, n, i, &nc);
	}
	return nc;
}

/* Candidates come in bin order; corrected frequencies can swap two
 * neighbours, so finish the ordering (insertion: nearly sorted). */
static void sort_by_freq(cand *c, size_t nc)
{
	for (size_t i = 1; i < nc; i++) {
		cand v = c[i];
		size_t j = i;
		for (; j > 0 && c[j - 1].freq > v.freq; j--)
			c[j] = c[j - 1];
		c[j] = v;
	}
}

/* ---- 2. pruning ---- */

/* 1: keep as a component, 2: keep as an impulse, 0: drop (Fulop & Fitz
 * 2007: |M| small for sinusoids, |M - 1| small for impulses). */
static int mixed_class(const tfr_peaks_params *p, double m)
{
	if (p->component_tol < 0 || fabs(m) < p->component_tol)
		return 1;
	if (p->impulse_tol >= 0 && fabs(m - 1) < p->impulse_tol)
		return 2;
	return 0;
}

/* The amplitude at the reassigned time of a peak whose envelope rises
 * or falls through its window, relative to the window's average of it
 * (what the cell reads). For an envelope a(t) linear over the window,
 * the average is a at the frame's centre, and the energy centroid (the
 * reassigned time) lies dt = 2 a' m2 / a later (m2 the window's second
 * moment): a(centre + dt) = a (1 + dt^2 / (2 m2)). Onsets and ends are
 * curved, and the linear model reads them low: the factor ENVELOPE_CURVE
 * on dt^2 beyond a dead zone (ENVELOPE_DEAD) was fitted on the 20 ms
 * raised-cosine fades of tone220_vib (default analysis; SNR over its
 * first and last 0.1 s: no correction 23.6 dB; factor 1, no dead zone
 * 29.5; 2 and 0.5 sigma 28.8; 2 and 0.3 sigma 31.1) against speech44k
 * (16.3 dB). Bounded where an onset within the window breaks any smooth
 * model. */
static double envelope_gain(const tfr_peaks *pk, double dt)
{
	double x = dt * pk->p.sample_rate;
	double e = x * x - ENVELOPE_DEAD * ENVELOPE_DEAD * pk->resp.m2;
	double g = 1 + ENVELOPE_CURVE * (e > 0 ? e : 0) / (2 * pk->resp.m2);
	return g < ENVELOPE_GAIN_MAX ? g : ENVELOPE_GAIN_MAX;
}

static void prune(tfr_peaks *pk, const tfr_point *pts, size_t nc,
                  double centre)
{
	const tfr_peaks_params *p = &pk->p;
	double nyquist = p->sample_rate / 2;
	for (size_t i = 0; i < nc; i++) {
		cand *c = &pk->cand[i];
		const tfr_point *q = &pts[c->pt];
		if (pk->resp.m2 > 0)
			c->amp *= envelope_gain(pk, q->time - centre);
		int cls = mixed_class(p, q->mixed);
		c->impulse = cls == 2;
		c->keep = cls != 0 && c->freq >= p->min_freq &&
		          c->freq <= p->max_freq && c->freq <= nyquist &&
		          fabs(q->time - centre) <= pk->crop &&
		          c->amp > pk->floor_amp;
	}
}

/* ---- 3. masking ---- */

static int stronger(const cand *c, size_t a, size_t b)
{
	return c[a].amp > c[b].amp || (c[a].amp == c[b].amp && a < b);
}

static void sift_down(const cand *c, size_t *o, size_t root, size_t n)
{
	for (size_t child; (child = 2 * root + 1) < n; root = child) {
		/* a min-heap on strength: the weakest rises to the top and is
		 * moved to the end, leaving the strongest first */
		if (child + 1 < n && stronger(c, o[child], o[child + 1]))
			child++;
		if (!stronger(c, o[root], o[child]))
			return;
		size_t t = o[root];
		o[root] = o[child];
		o[child] = t;
	}
}

/* Indexes of the kept candidates, strongest first (heapsort: no
 * allocation, unlike some qsort). Returns their count. */
static size_t order_by_strength(tfr_peaks *pk, size_t nc)
{
	size_t *o = pk->order, n = 0;
	for (size_t i = 0; i < nc; i++)
		if (pk->cand[i].keep)
			o[n++] = i;
	for (size_t i = n / 2; i-- > 0;)
		sift_down(pk->cand, o, i, n);
	for (size_t end = n; end-- > 1;) {
		size_t t = o[0];
		o[0] = o[end];
		o[end] = t;
		sift_down(pk->cand, o, 0, end);
	}
	return n;
}

/* Candidate states while masking: dropped, retained, not yet decided. */
enum { DROPPED = 0, RETAINED = 1, PENDING = 2 };

/* Is a candidate within (f - res, f + res) of candidate i (frequency
 * order) retained already? */
static int near_retained(const cand *c, size_t nc, size_t i, double res)
{
	for (size_t j = i; j-- > 0 && c[i].freq - c[j].freq < res;)
		if (c[j].keep == RETAINED)
			return 1;
	for (size_t j = i + 1; j < nc && c[j].freq - c[i].freq < res; j++)
		if (c[j].keep == RETAINED)
			return 1;
	return 0;
}

/* Loris's thinPeaks: walk the peaks strongest first; retain a peak unless
 * a retained one lies within (f - res, f + res). */
static void mask(tfr_peaks *pk, size_t nc)
{
	double res = pk->p.separation;
	if (!(res > 0))
		return;
	size_t n = order_by_strength(pk, nc);
	for (size_t k = 0; k < n; k++)
		pk->cand[pk->order[k]].keep = PENDING;
	for (size_t k = 0; k < n; k++) {
		size_t i = pk->order[k];
		pk->cand[i].keep = near_retained(pk->cand, nc, i, res) ? DROPPED
		                                                       : RETAINED;
	}
}

/* ---- 4. fade ---- */

/* Loris: a kept peak below floor + fade_db loses the fraction
 * alpha = (a_fade - a) / (a_fade - a_floor) of its amplitude. */
static void fade(tfr_peaks *pk, size_t nc)
{
	double lo = pk->floor_amp, hi = pk->fade_amp;
	if (!(hi > lo))
		return;
	for (size_t i = 0; i < nc; i++) {
		cand *c = &pk->cand[i];
		if (c->keep && c->amp < hi)
			c->amp *= 1 - (hi - c->amp) / (hi - lo);
	}
}

/* ---- 5. bandwidth ---- */

/* Is cell q the sinusoid c's? Every cell of a stationary sinusoid, side
 * lobes included, is reassigned onto its frequency, and those of a linear
 * chirp to M times their distance from it (M the mixed derivative; for a
 * Gaussian window f^ - f_p = M (f_bin - f_p) exactly): a cell reassigned
 * to less than (1 + M) / 2 of its distance is the peak's. Without
 * frequency reassignment, the main lobe is. */
static int captured(const tfr_peaks *pk, const tfr_point *q, const cand *c)
{
	double home = bin_freq(pk, q);
	if (pk->by_ratio)
		return fabs(home - c->freq) < pk->lobe_hz;
	return fabs(q->freq - c->freq) <=
	       c->reach * fabs(home - c->freq) + pk->capture_hz;
}

/* How much of the energy at f peak c takes: more when stronger and
 * nearer, none beyond the reach. */
static double share(const tfr_peaks *pk, const cand *c, double f)
{
	double d = fabs(f - c->freq) / pk->p.bandwidth_reach;
	return d < 1 ? c->amp * (1 - d) : 0;
}

/* Give energy e at f to the kept peaks below and above it (either may
 * be NULL). */
static void give(const tfr_peaks *pk, cand *lo, cand *hi, double f, double e)
{
	double wl = lo ? share(pk, lo, f) : 0, wh = hi ? share(pk, hi, f) : 0;
	double sum = wl + wh;
	if (!(sum > 0))
		return;
	if (lo)
		lo->noise += e * wl / sum;
	if (hi)
		hi->noise += e * wh / sum;
}

/* The kept candidates' indexes in frequency order, into order. */
static size_t list_kept(tfr_peaks *pk, size_t nc)
{
	size_t nk = 0;
	for (size_t i = 0; i < nc; i++)
		if (pk->cand[i].keep)
			pk->order[nk++] = i;
	return nk;
}

/* Energy bookkeeping as Loris's Breakpoint::addNoiseEnergy with the
 * energy e = amp^2: amp^2 grows by the noise, bandwidth = noise / total. */
static void add_noise(cand *c, float *bandwidth)
{
	double total = c->amp * c->amp + c->noise;
	*bandwidth = total > 0 ? (float)(c->noise / total) : 0;
	c->amp = sqrt(total);
}

/* The phase of cell q at its frame's window centre (tfr_point.phase is
 * that phase advanced to the reassigned time, reassign.c). */
static double centre_phase(const tfr_point *q, double centre)
{
	return q->phase - TFR_2PI * q->freq * (q->time - centre);
}

static void lobe_phases(tfr_peaks *pk, const tfr_point *pts, size_t nk,
                        double centre)
{
	for (size_t k = 0; k < nk; k++) {
		cand *c = &pk->cand[pk->order[k]];
		double ph = centre_phase(&pts[c->pt], centre);
		c->lobe_re = c->lobe_amp * cos(ph);
		c->lobe_im = c->lobe_amp * sin(ph);
	}
}

/* What is left of cell q (amp^2) once the main lobes of the kept peaks
 * around it are taken away. Every cell of a stationary sinusoid's main
 * lobe has its phase at the window centre (W(delta) is real and
 * positive there), so the lobes are subtracted as complex numbers:
 * neighbouring harmonics, phase-locked, interfere the same way frame
 * after frame, and only a complex model explains the cells between. */
static double residue_at(const tfr_peaks *pk, const tfr_point *q,
                         const cand *lo, const cand *hi, double centre)
{
	double ph = centre_phase(q, centre), home = bin_freq(pk, q);
	double re = q->amp * cos(ph), im = q->amp * sin(ph);
	const cand *side[2] = { lo, hi };
	for (int s = 0; s < 2; s++) {
		if (!side[s])
			continue;
		double r = tfr_wresp_amp(&pk->resp,
		                         (home - side[s]->freq) / pk->bin_hz);
		re -= r * side[s]->lobe_re;
		im -= r * side[s]->lobe_im;
	}
	return re * re + im * im;
}

/* The residue method, cell by cell rather than Loris's 2 kHz regions of
 * rejected peaks: what is left of every cell that no kept peak explains,
 * neither by reassignment onto it nor by its main lobe, goes to the kept
 * peaks around it (amp^2 / (N sum w^2 / (sum w)^2) per cell, Parseval). */
static void associate(tfr_peaks *pk, const tfr_point *pts, size_t n,
                      size_t nc, double centre)
{
	size_t nk = list_kept(pk, nc), c = 0;
	if (!nk)
		return;
	lobe_phases(pk, pts, nk, centre);
	for (size_t i = 0; i < n; i++) {
		double home = bin_freq(pk, &pts[i]);
		while (c < nk && pk->cand[pk->order[c]].freq <= home)
			c++;
		cand *lo = c > 0 ? &pk->cand[pk->order[c - 1]] : NULL;
		cand *hi = c < nk ? &pk->cand[pk->order[c]] : NULL;
		if ((lo && captured(pk, &pts[i], lo)) ||
		    (hi && captured(pk, &pts[i], hi)))
			continue;
		double e = residue_at(pk, &pts[i], lo, hi, centre);
		give(pk, lo, hi, home, e * pk->energy_scale);
	}
}

/* ---- the frame ---- */

/* One frame, bins strictly ascending and within the spectrum. */
static int valid_frame(const tfr_peaks *pk, const tfr_point *pts, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (pts[i].frame != pts[0].frame || pts[i].bin < 0 ||
		    (size_t)pts[i].bin >= pk->nbins)
			return 0;
		if (i > 0 && pts[i].bin <= pts[i - 1].bin)
			return 0;
	}
	return 1;
}

static size_t emit(tfr_peaks *pk, const tfr_point *pts, size_t nc,
                   tfr_peak *out)
{
	size_t m = 0;
	for (size_t i = 0; i < nc; i++) {
		cand *c = &pk->cand[i];
		if (!c->keep)
			continue;
		const tfr_point *q = &pts[c->pt];
		tfr_peak *o = &out[m++];
		o->bandwidth = 0;
		if (c->noise > 0)
			add_noise(c, &o->bandwidth);
		o->frame = q->frame;
		o->time = q->time;
		o->freq = c->freq;
		/* corrections of an amplitude near FLT_MAX (an input at the
		 * float's top) saturate there rather than overflow to inf */
		o->amp = (float)fmin(c->amp, FLT_MAX);
		o->phase = q->phase;
		o->mixed = q->mixed;
		o->impulse = c->impulse;
	}
	return m;
}

int tfr_peaks_process(tfr_peaks *pk, const tfr_point *pts, size_t n,
                      tfr_peak *out, size_t *nout)
{
	if (nout)
		*nout = 0;
	if (!pk || !nout || (n && (!pts || !out)) || !valid_frame(pk, pts, n))
		return TFR_EINVAL;
	if (n == 0)
		return TFR_OK;
	size_t nc = pk->p.select == TFR_PEAKS_MAGNITUDE || pk->by_ratio
	                    ? select_magnitude(pk, pts, n)
	                    : select_convergence(pk, pts, n);
	/* the frame's window centre, s */
	double centre = (double)pts[0].frame * (double)pk->p.hop /
	                pk->p.sample_rate + pk->centre_shift;
	sort_by_freq(pk->cand, nc);
	prune(pk, pts, nc, centre);
	mask(pk, nc);
	fade(pk, nc);
	if (pk->p.bandwidth == TFR_PEAKS_BW_RESIDUE)
		associate(pk, pts, n, nc, centre);
	*nout = emit(pk, pts, nc, out);
	return TFR_OK;
}
