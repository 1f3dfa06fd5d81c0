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
	float *rise;      /* scratch: each bin's rise over prev */
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
		x->rise = calloc(x->bins, sizeof *x->rise);
	}
	if (!x || !x->prev || !x->rise) {
		tfr_describe_free(x);
		tfr_diag_set(d, TFR_ENOMEM, NULL);
		return NULL;
	}
	return x;
}

/*
 * The sums below run in LANES independent partial sums (bin k in lane
 * k mod LANES), added at the end: one running sum waits for every
 * addition before it, LANES of them keep the FPU busy (4x faster on the
 * frames tfr-sdelay --follow describes, at a rounding of the last bits).
 */
#define LANES 4

static double lanes_total(const double *acc)
{
	return (acc[0] + acc[1]) + (acc[2] + acc[3]);
}

/* Flatness of the complex bins 1 ... N/2-1 around their mean `mean`
 * (> 0): the logarithm of products of RUN ratios, not of every bin
 * (each lane multiplies RUN / LANES of them before the product). */
static double flatness(const tfr_describe *x, const float *power, double mean)
{
	size_t n = x->bins - 2;
	double logsum = 0, floor = FLOOR * mean, inv = 1.0 / mean;
	double prod[LANES] = { 1, 1, 1, 1 };
	for (size_t k = 1; k <= n; k++) {
		double p = power[k];
		prod[k % LANES] *= (p > floor ? p : floor) * inv;
		if (k % RUN == 0 || k == n) {
			logsum += log((prod[0] * prod[1]) * (prod[2] * prod[3]));
			prod[0] = prod[1] = prod[2] = prod[3] = 1;
		}
	}
	return fmin(1.0, EXP_GAMMA * exp(logsum / (double)n));
}

/* Flux against the previous frame's magnitudes, which it then replaces
 * (rise: scratch room for each bin's rise, bins). */
static double flux(tfr_describe *x, const float *power, double total)
{
	double acc[LANES] = { 0, 0, 0, 0 };
	float *rise = x->rise;
	for (size_t k = 0; k < x->bins; k++) {
		float m = sqrtf(power[k]), up = m - x->prev[k];
		rise[k] = up > 0 ? up : 0;
		x->prev[k] = m;
	}
	for (size_t k = 0; k < x->bins; k++)
		acc[k % LANES] += (double)rise[k] * rise[k];
	return total > 0 ? sqrt(lanes_total(acc) / total) : 0.0;
}

int tfr_describe_process(tfr_describe *x, const float *power,
                         tfr_descriptor_frame *out)
{
	/* the complex bins 1 ... N/2-1 count twice in the one-sided power
	 * (their negative-frequency twins); bins 0 and N/2 are real */
	double in[LANES] = { 0, 0, 0, 0 }, mom[LANES] = { 0, 0, 0, 0 };
	double hz = x->p.sample_rate / (double)x->p.fft_size;
	size_t last = x->bins - 1;
	for (size_t k = 1; k < last; k++) {
		in[k % LANES] += power[k];
		mom[k % LANES] += (double)k * power[k];
	}
	double inner = lanes_total(in), edges = (double)power[0] + power[last];
	double sum = 2.0 * inner + edges, total = inner + edges;
	double moment = 2.0 * lanes_total(mom) + (double)last * power[last];
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
	free(x->rise);
	free(x);
}
