/*
 * describe.c - centroid, level, flatness and flux of a power spectrum
 * (definitions and their reasons in tfr_describe.h).
 */
#include "tfr_base.h"
#include "tfr_describe.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* e^gamma, gamma = 0.5772156649...: the mean of an exponentially
 * distributed variable over its geometric mean (white noise's bins). */
#define EXP_GAMMA 1.7810724179901979
/* A bin's power is at least this fraction of the mean (-120 dB). */
#define FLOOR 1e-12
/* Bins multiplied together before one logarithm: 16 ratios within
 * [1e-12, N/2] stay well inside a double's range (1e-192 ... 1e90). */
#define RUN 16

struct tfr_describe {
	tfr_describe_params p;
	size_t bins;
	float *prev;      /* the previous frame's magnitudes */
};

void tfr_describe_params_default(tfr_describe_params *p)
{
	p->fft_size = 2048;
	p->sample_rate = 44100;
	p->window_energy = 0;
}

int tfr_describe_check(const tfr_describe_params *p, tfr_diag *d)
{
	if (p->fft_size < 4 || p->fft_size % 2 || p->fft_size > TFR_MAX_FFT_SIZE)
		return tfr_diag_setf(d, TFR_EINVAL, "FFT size %zu is not even, or not "
		                     "in [4, %d]", p->fft_size, TFR_MAX_FFT_SIZE);
	if (!(p->sample_rate > 0 && p->sample_rate <= TFR_MAX_SAMPLE_RATE))
		return tfr_diag_set(d, TFR_EINVAL, "sample rate out of range");
	if (!(p->window_energy >= 0 && isfinite(p->window_energy)))
		return tfr_diag_set(d, TFR_EINVAL, "window energy out of range");
	return TFR_OK;
}

tfr_describe *tfr_describe_new(const tfr_describe_params *p, tfr_diag *d)
{
	tfr_diag_clear(d);
	if (tfr_describe_check(p, d) != TFR_OK)
		return NULL;
	tfr_describe *x = calloc(1, sizeof *x);
	if (x) {
		x->p = *p;
		if (x->p.window_energy == 0)
			x->p.window_energy = 3.0 * (double)p->fft_size / 8.0;
		x->bins = p->fft_size / 2 + 1;
		x->prev = calloc(x->bins, sizeof *x->prev);
	}
	if (!x || !x->prev) {
		tfr_describe_free(x);
		tfr_diag_set(d, TFR_ENOMEM, NULL);
		return NULL;
	}
	return x;
}

/* The one-sided power of bin k: the complex bins stand for their
 * negative-frequency twins too. */
static double side(const tfr_describe *x, const float *power, size_t k)
{
	return k == 0 || k + 1 == x->bins ? power[k] : 2.0 * power[k];
}

/* Flatness of the complex bins 1 ... N/2-1 around their mean `mean`
 * (> 0): the logarithm of products of RUN ratios, not of every bin. */
static double flatness(const tfr_describe *x, const float *power, double mean)
{
	size_t n = x->bins - 2;
	double logsum = 0, prod = 1, floor = FLOOR * mean, inv = 1.0 / mean;
	for (size_t k = 1; k <= n; k++) {
		double p = power[k];
		prod *= (p > floor ? p : floor) * inv;
		if (k % RUN == 0 || k == n) {
			logsum += log(prod);
			prod = 1;
		}
	}
	return fmin(1.0, EXP_GAMMA * exp(logsum / (double)n));
}

/* Flux against the previous frame's magnitudes, which it then replaces. */
static double flux(tfr_describe *x, const float *power, double total)
{
	double rise = 0;
	for (size_t k = 0; k < x->bins; k++) {
		float m = sqrtf(power[k]), up = m - x->prev[k];
		if (up > 0)
			rise += (double)up * up;
		x->prev[k] = m;
	}
	return total > 0 ? sqrt(rise / total) : 0.0;
}

int tfr_describe_process(tfr_describe *x, const float *power,
                         tfr_descriptor_frame *out)
{
	double sum = 0, moment = 0, inner = 0, total = 0;
	double hz = x->p.sample_rate / (double)x->p.fft_size;
	for (size_t k = 0; k < x->bins; k++) {
		double ps = side(x, power, k);
		sum += ps;
		moment += (double)k * ps;
		total += power[k];
		if (k > 0 && k + 1 < x->bins)
			inner += power[k];
	}
	double ms = sum / ((double)x->p.fft_size * x->p.window_energy);
	double mean = inner / (double)(x->bins - 2);
	out->freq = sum > 0 ? hz * moment / sum : 0.0;
	out->amp = (float)sqrt(2.0 * ms);
	out->flatness = mean > 0 ? (float)flatness(x, power, mean) : 0.0f;
	out->flux = (float)flux(x, power, total);
	return TFR_OK;
}

void tfr_describe_reset(tfr_describe *x)
{
	memset(x->prev, 0, x->bins * sizeof *x->prev);
}

void tfr_describe_free(tfr_describe *x)
{
	if (!x)
		return;
	free(x->prev);
	free(x);
}
