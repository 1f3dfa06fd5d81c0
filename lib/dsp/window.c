/*
 * window.c - analysis windows with exact analytic derivatives.
 *
 * Reassignment needs the derivative of the window (Auger & Flandrin 1995;
 * reassignment.md §2). Finite differences bias the frequency estimate by
 * a relative (2 pi / L)^2 / 6 and fail for windows with edges, so every
 * window here comes with its closed-form derivative.
 */
#include "tfr_base.h"
#include "tfr_window.h"
#include "internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Cosine-sum coefficients a_k of w(tau) = sum_k a_k cos(2 pi k tau / L),
 * tau in [-L/2, L/2] (the textbook forms written about the centre). */
static const double hann_a[] = { 0.5, 0.5 };
static const double hamming_a[] = { 0.54, 0.46 };
static const double blackman_a[] = { 0.42, 0.5, 0.08 };
static const double bh_a[] = { 0.35875, 0.48829, 0.14128, 0.01168 };

static void cosine_sum(const double *a, int terms, size_t len, double *w,
                       double *dw)
{
	double half = (double)len / 2;
	for (size_t n = 0; n < len; n++) {
		double tau = (double)n - half;
		double v = 0, d = 0;
		for (int k = 0; k < terms; k++) {
			double om = TFR_2PI * k / (double)len;
			v += a[k] * cos(om * tau);
			d -= a[k] * om * sin(om * tau);
		}
		w[n] = v;
		if (dw)
			dw[n] = d;
	}
}

/* Modified Bessel functions I0 and I1 by their power series; converges
 * for every argument used by Kaiser windows (beta < 50). */
static double bessel_i0(double x)
{
	double sum = 1, term = 1, q = x * x / 4;
	for (int k = 1; k < 200 && term > sum * 1e-17; k++) {
		term *= q / ((double)k * k);
		sum += term;
	}
	return sum;
}

/* I1(x) / x, finite at x = 0 (= 1/2). */
static double bessel_i1_over_x(double x)
{
	double sum = 0.5, term = 0.5, q = x * x / 4;
	for (int k = 1; k < 200 && term > sum * 1e-17; k++) {
		term *= q / ((double)k * (k + 1));
		sum += term;
	}
	return sum;
}

/* w(tau) = I0(beta sqrt(1 - u^2)) / I0(beta), u = tau / (L/2);
 * dw/dtau = -beta^2 u I1(z)/z / I0(beta) / (L/2), z = beta sqrt(1-u^2). */
static void kaiser(double beta, size_t len, double *w, double *dw)
{
	double half = (double)len / 2, norm = bessel_i0(beta);
	for (size_t n = 0; n < len; n++) {
		double u = ((double)n - half) / half;
		double s = 1 - u * u;
		double z = beta * sqrt(s > 0 ? s : 0);
		w[n] = bessel_i0(z) / norm;
		if (dw)
			dw[n] = -beta * beta * u * bessel_i1_over_x(z) / norm / half;
	}
}

static void gaussian(double sigma, size_t len, double *w, double *dw)
{
	double half = (double)len / 2;
	for (size_t n = 0; n < len; n++) {
		double tau = (double)n - half;
		w[n] = exp(-0.5 * tau * tau / (sigma * sigma));
		if (dw)
			dw[n] = -tau / (sigma * sigma) * w[n];
	}
}

int tfr_window_fill(const tfr_window_spec *spec, size_t len, double *w,
                    double *dw)
{
	if (!spec || !w || len == 0)
		return TFR_EINVAL;
	switch (spec->type) {
	case TFR_WINDOW_HANN: cosine_sum(hann_a, 2, len, w, dw); break;
	case TFR_WINDOW_HAMMING: cosine_sum(hamming_a, 2, len, w, dw); break;
	case TFR_WINDOW_BLACKMAN: cosine_sum(blackman_a, 3, len, w, dw); break;
	case TFR_WINDOW_BLACKMAN_HARRIS: cosine_sum(bh_a, 4, len, w, dw); break;
	case TFR_WINDOW_KAISER:
		if (!(spec->param >= 0 && spec->param <= 50))
			return TFR_EINVAL;
		kaiser(spec->param, len, w, dw);
		break;
	case TFR_WINDOW_GAUSSIAN: {
		double sigma = spec->param > 0 ? spec->param : (double)len / 10;
		if (!isfinite(sigma))
			return TFR_EINVAL;
		gaussian(sigma, len, w, dw);
		break;
	}
	case TFR_WINDOW_RECTANGULAR:
		for (size_t n = 0; n < len; n++) {
			w[n] = 1;
			if (dw)
				dw[n] = 0;
		}
		break;
	default:
		return TFR_EINVAL;
	}
	return TFR_OK;
}

/* Kaiser & Schafer (1980), "On the use of the I0-sinh window for spectrum
 * analysis": side-lobe level A (dB) to beta. */
double tfr_window_lobe_bins(const tfr_window_spec *w)
{
	switch (w->type) {
	case TFR_WINDOW_KAISER:
		return hypot(1, w->param / TFR_PI);
	case TFR_WINDOW_RECTANGULAR:
		return 1;
	case TFR_WINDOW_HANN:
	case TFR_WINDOW_HAMMING:
		return 2;
	case TFR_WINDOW_BLACKMAN:
		return 3;
	case TFR_WINDOW_BLACKMAN_HARRIS:
		return 4;
	default:  /* Gaussian: no zero; about where it is 60 dB down */
		return 3;
	}
}

double tfr_kaiser_beta_for_sidelobe(double att)
{
	if (att <= 13.26)
		return 0;
	if (att <= 60)
		return 0.76609 * pow(att - 13.26, 0.4) + 0.09834 * (att - 13.26);
	return 0.12438 * (att + 6.3);
}
