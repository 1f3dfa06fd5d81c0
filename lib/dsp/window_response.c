/*
 * window_response.c - the response of an analysis window to a stationary
 * sinusoid between bins, tabulated (see window_response.h).
 *
 * A complex sinusoid delta bins above bin k, analysed with window w of
 * length L in an FFT of N, gives at bin k (up to a common phase factor)
 *
 *   X_h(k)  = S_w(delta) = sum_n w[n]  e^{j theta (n - L/2)}
 *   X_dh(k) = S_d(delta) = sum_n w'[n] e^{j theta (n - L/2)},
 *   theta = 2 pi delta / N,
 *
 * so the amplitude read there is |S_w(delta)| / S_w(0) of the true one
 * (the scalloping loss: 1.42 dB for Hann at half a bin), and the
 * frequency reassignment reports the offset (reassign.c)
 *
 *   rho(delta) = -Im{S_d / S_w} N / (2 pi)   FFT bins.
 *
 * rho(delta) = delta when the window vanishes at its ends (integration by
 * parts, reassignment.md §1); a window with edges (Hamming, Kaiser with a
 * small beta) reports a fraction of the offset, and the rectangular
 * window, whose derivative is zero, reports none.
 *
 * A linear chirp e^{j c tau^2 / 2} centred on the frame, at its ridge bin,
 * gives X_g = sum_n g[n] e^{j c tau_n^2 / 2} for the four windows
 * g = w, tau w, w', tau w', hence |X_h(c)| / |X_h(0)| (the amplitude the
 * chirp loses by spreading over more bins) and the mixed derivative
 * M = 1 + Re{X_tdh / X_h} - Re{X_th X_dh / X_h^2} its cell shows. For a
 * Gaussian window of spread sigma, with u = c sigma^2, M = u^2 / (1 + u^2)
 * and the loss is (1 + u^2)^(-1/4) = (1 - M)^(1/4) (the Gaussian
 * integral); the table gives the same relation for any window, so that
 * the loss is undone from the M measured at a peak.
 */
#include "tfr_base.h"
#include "window_response.h"
#include "internal.h"

#include <complex.h>
#include <math.h>
#include <stdlib.h>

/* Entries per FFT bin: cubic Hermite segments of 1/32 bin interpolate
 * the rectangular window's response (the least smooth) to ~1e-7. */
enum { PER_BIN = 32 };
/* The main lobe is tabulated up to its first minimum, at most this many
 * bins of the window (a Gaussian has no minimum) and of the FFT. */
#define LOBE_WINDOW_BINS 6.0
#define LOBE_FFT_BINS 64.0

/* Chirp table: u = c m2 (m2 the window's second moment) from 0 to
 * CHIRP_U, where a Gaussian's M reaches 16/17. */
enum { CHIRP_ENTRIES = 65 };
#define CHIRP_U 4.0

/* S_w, S_d and their derivatives in delta at one delta (S_d and its
 * derivative only when dw is given). */
typedef struct {
	double complex w, dw, d, dd;
} sums;

static sums window_sums(const double *w, const double *dw, size_t len,
                        size_t nfft, double delta)
{
	double theta = TFR_2PI * delta / (double)nfft, half = (double)len / 2;
	double complex acc_w = 0, acc_tw = 0, acc_d = 0, acc_td = 0;
	double complex rot = cexp(I * theta), e = 0;
	for (size_t n = 0; n < len; n++) {
		double tau = (double)n - half;
		/* the rotation drifts by ~n eps: restart it from cexp now and
		 * then */
		if (n % 256 == 0)
			e = cexp(I * theta * tau);
		acc_w += w[n] * e;
		acc_tw += w[n] * tau * e;
		if (dw) {
			acc_d += dw[n] * e;
			acc_td += dw[n] * tau * e;
		}
		e *= rot;
	}
	double k = TFR_2PI / (double)nfft;  /* d theta / d delta */
	sums s = { acc_w, I * k * acc_tw, acc_d, I * k * acc_td };
	return s;
}

/* The amplitude table, entry by entry up to the lobe's first minimum
 * (and at least over one bin). */
static void tabulate_amp(tfr_wresp *r, const double *w, size_t len,
                         size_t nfft, double w0, size_t cap)
{
	r->amp_count = 0;
	for (size_t i = 0; i < cap; i++) {
		sums s = window_sums(w, NULL, len, nfft, (double)i / r->per_bin);
		double mag = cabs(s.w);
		if (i > r->per_bin && mag / w0 > r->amp[i - 1])
			break;  /* past the minimum */
		r->amp[i] = mag / w0;
		r->amp_d[i] = mag > 0 ? creal(conj(s.w) * s.dw) / (mag * w0) : 0;
		r->amp_count = i + 1;
	}
	r->lobe = (double)(r->amp_count - 1) / r->per_bin;
}

/* The offset table over one bin, and the range where it can be
 * inverted. */
static void tabulate_offset(tfr_wresp *r, const double *w, const double *dw,
                            size_t len, size_t nfft)
{
	double scale = (double)nfft / TFR_2PI;
	for (size_t i = 0; i < r->ofs_count; i++) {
		sums s = window_sums(w, dw, len, nfft, (double)i / r->per_bin);
		if (cabs(s.w) > 0) {
			double complex q = s.d / s.w;
			double complex dq = (s.dd * s.w - s.d * s.dw) / (s.w * s.w);
			r->ofs[i] = -cimag(q) * scale;
			r->ofs_d[i] = -cimag(dq) * scale;
		} else {
			r->ofs[i] = i ? r->ofs[i - 1] : 0;
			r->ofs_d[i] = 0;
		}
	}
	r->slope0 = r->ofs_d[0];
	size_t top = 0;
	while (top + 1 < r->ofs_count && r->ofs_d[top + 1] > 0 &&
	       r->ofs[top + 1] > r->ofs[top])
		top++;
	r->ofs_max = (double)top / r->per_bin;
}

/* X_g of a linear chirp of rate c (rad / sample^2) at its ridge, for
 * g = w, tau w, w', tau w'. The phase c tau^2 / 2 advances by a rotation
 * that itself rotates by e^{jc}; both restart from cexp now and then. */
static void chirp_sums(const double *w, const double *dw, size_t len,
                       double c, double complex x[4])
{
	double half = (double)len / 2;
	double complex e = 0, step = 0, turn = cexp(I * c);
	x[0] = x[1] = x[2] = x[3] = 0;
	for (size_t n = 0; n < len; n++) {
		double tau = (double)n - half;
		if (n % 256 == 0) {
			e = cexp(I * c * tau * tau / 2);
			step = cexp(I * c * (2 * tau + 1) / 2);
		}
		x[0] += w[n] * e;
		x[1] += tau * w[n] * e;
		x[2] += dw[n] * e;
		x[3] += tau * dw[n] * e;
		e *= step;
		step *= turn;
	}
}

/* The chirp table over the rising part of M(c). */
static void tabulate_chirp(tfr_wresp *r, const double *w, const double *dw,
                           size_t len)
{
	double half = (double)len / 2, s0 = 0, s2 = 0;
	for (size_t n = 0; n < len; n++) {
		double tau = (double)n - half;
		s0 += w[n];
		s2 += tau * tau * w[n];
	}
	double m2 = s2 / s0, x0 = 0;
	r->m2 = m2;
	r->chirp_count = 0;
	if (!(m2 > 0))
		return;
	for (size_t i = 0; i < CHIRP_ENTRIES; i++) {
		double complex x[4];
		chirp_sums(w, dw, len, CHIRP_U * (double)i / (CHIRP_ENTRIES - 1) / m2,
		           x);
		if (!(cabs(x[0]) > 0))
			break;
		double m = 1 + creal(x[3] / x[0]) - creal(x[1] * x[2] / (x[0] * x[0]));
		if (i == 0)
			x0 = cabs(x[0]);
		else if (!(m > r->chirp_m[i - 1]))
			break;
		r->chirp_m[i] = m;
		r->chirp_loss[i] = cabs(x[0]) / x0;
		r->chirp_count = i + 1;
	}
}

/* Entries the amplitude table may need for this window and FFT. */
static size_t amp_cap(size_t len, size_t nfft)
{
	double bins = LOBE_WINDOW_BINS * (double)nfft / (double)len;
	return (size_t)(fmin(fmax(bins, 1), LOBE_FFT_BINS) * PER_BIN) + 2;
}

static int tabulate(tfr_wresp *r, const tfr_window_spec *spec, size_t len,
                    size_t nfft, size_t cap)
{
	size_t bytes = tfr_size_mul(2 * sizeof(double), len);
	double *w = bytes ? malloc(bytes) : NULL;
	if (!w)
		return TFR_ENOMEM;
	double *dw = w + len;
	int e = tfr_window_fill(spec, len, w, dw);
	double w0 = 0;
	for (size_t n = 0; e == TFR_OK && n < len; n++)
		w0 += w[n];
	if (e == TFR_OK && !(w0 > 0))
		e = TFR_EINVAL;
	if (e == TFR_OK) {
		tabulate_amp(r, w, len, nfft, w0, cap);
		tabulate_offset(r, w, dw, len, nfft);
		tabulate_chirp(r, w, dw, len);
	}
	free(w);
	return e;
}

int tfr_wresp_init(tfr_wresp *r, const tfr_window_spec *spec, size_t len,
                   size_t nfft)
{
	size_t cap = amp_cap(len, nfft);
	*r = (tfr_wresp){ .per_bin = PER_BIN, .ofs_count = PER_BIN + 1 };
	r->amp = malloc((2 * cap + 2 * r->ofs_count + 2 * CHIRP_ENTRIES) *
	                sizeof *r->amp);
	if (!r->amp)
		return TFR_ENOMEM;
	r->amp_d = r->amp + cap;
	r->ofs = r->amp_d + cap;
	r->ofs_d = r->ofs + r->ofs_count;
	r->chirp_m = r->ofs_d + r->ofs_count;
	r->chirp_loss = r->chirp_m + CHIRP_ENTRIES;
	int e = tabulate(r, spec, len, nfft, cap);
	if (e != TFR_OK)
		tfr_wresp_free(r);
	return e;
}

void tfr_wresp_free(tfr_wresp *r)
{
	if (!r)
		return;
	free(r->amp);
	r->amp = r->amp_d = r->ofs = r->ofs_d = NULL;
	r->chirp_m = r->chirp_loss = NULL;
	r->amp_count = r->ofs_count = r->chirp_count = 0;
}

/* Cubic Hermite interpolation of table y (derivative dy, n entries) at
 * x >= 0 entries, held at the last entry beyond; *deriv gets the
 * derivative in delta if not NULL. */
static double hermite(const tfr_wresp *r, const double *y, const double *dy,
                      size_t n, double x, double *deriv)
{
	if (x >= (double)(n - 1)) {
		if (deriv)
			*deriv = dy[n - 1];
		return y[n - 1];
	}
	size_t i = (size_t)x;
	double t = x - (double)i, h = 1 / r->per_bin;
	double t2 = t * t, t3 = t2 * t;
	double m0 = dy[i] * h, m1 = dy[i + 1] * h;
	double v = (2 * t3 - 3 * t2 + 1) * y[i] + (t3 - 2 * t2 + t) * m0 +
	           (-2 * t3 + 3 * t2) * y[i + 1] + (t3 - t2) * m1;
	if (deriv)
		*deriv = ((6 * t2 - 6 * t) * y[i] + (3 * t2 - 4 * t + 1) * m0 +
		          (-6 * t2 + 6 * t) * y[i + 1] + (3 * t2 - 2 * t) * m1) /
		         h;
	return v;
}

double tfr_wresp_amp(const tfr_wresp *r, double delta)
{
	double x = fabs(delta) * r->per_bin;
	if (x > (double)(r->amp_count - 1))
		return 0;
	return hermite(r, r->amp, r->amp_d, r->amp_count, x, NULL);
}

static double offset_d(const tfr_wresp *r, double delta, double *deriv)
{
	return hermite(r, r->ofs, r->ofs_d, r->ofs_count, delta * r->per_bin,
	               deriv);
}

double tfr_wresp_offset(const tfr_wresp *r, double delta)
{
	double v = offset_d(r, fabs(delta), NULL);
	return delta < 0 ? -v : v;
}

double tfr_wresp_true_offset(const tfr_wresp *r, double rho)
{
	double a = fabs(rho), top = r->ofs_max, d;
	if (!(r->slope0 > 0) || !(top > 0))
		return rho;
	double rho_top = offset_d(r, top, NULL);
	if (a >= rho_top) {
		d = top + (a - rho_top);
	} else {
		/* Newton from the linear guess; rho rises and bends gently on
		 * [0, top], so a few steps reach double precision */
		d = fmin(a / r->slope0, top);
		for (int it = 0; it < 8; it++) {
			double g, v = offset_d(r, d, &g);
			double step = g > 0 ? (v - a) / g : 0;
			d = fmin(fmax(d - step, 0), top);
			if (fabs(step) < 1e-13)
				break;
		}
	}
	return rho < 0 ? -d : d;
}

double tfr_wresp_chirp_loss(const tfr_wresp *r, double m)
{
	size_t n = r->chirp_count;
	if (n < 2 || !(m > r->chirp_m[0]))
		return 1;
	if (m >= r->chirp_m[n - 1])
		return r->chirp_loss[n - 1];
	size_t lo = 0, hi = n - 1;  /* chirp_m[lo] < m <= chirp_m[hi] */
	while (hi - lo > 1) {
		size_t mid = (lo + hi) / 2;
		if (r->chirp_m[mid] < m)
			lo = mid;
		else
			hi = mid;
	}
	double t = (m - r->chirp_m[lo]) / (r->chirp_m[hi] - r->chirp_m[lo]);
	return r->chirp_loss[lo] + t * (r->chirp_loss[hi] - r->chirp_loss[lo]);
}

double tfr_wresp_offset_from_ratio(const tfr_wresp *r, double ratio)
{
	/* |W(1 - d)| / |W(d)| rises from |W(1)| / W(0) at d = 0 to 1 at
	 * d = 1/2 (the main lobe falls monotonically over one bin) */
	double lo = 0, hi = 0.5;
	if (!(ratio > tfr_wresp_amp(r, 1) / tfr_wresp_amp(r, 0)))
		return 0;
	if (ratio >= 1)
		return 0.5;
	for (int it = 0; it < 40; it++) {
		double mid = 0.5 * (lo + hi);
		double h = tfr_wresp_amp(r, 1 - mid) / tfr_wresp_amp(r, mid);
		if (h < ratio)
			lo = mid;
		else
			hi = mid;
	}
	return 0.5 * (lo + hi);
}
