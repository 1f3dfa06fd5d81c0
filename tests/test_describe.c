/*
 * test_describe.c - the spectral descriptors (tfr_describe.h) against
 * signals whose descriptors are known: white noise is flat (flatness
 * about 1) at a known level, a pure tone's centroid is its frequency, a
 * two-tone mix's the power-weighted mean of the two, a level step of g
 * has flux 1 - 1/g, silence reads 0 throughout.
 */
#include "testutil.h"
#include "tfr.h"
#include "tfr_describe.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define N 2048
#define H 512
#define FS 48000.0
#define BINS (N / 2 + 1)
#define BIN_HZ (FS / N)

/* The descriptors of frames of x (len samples, a multiple of H) made by
 * a Hann WOLA analysis, as tfr-sdelay makes them; the first N / H - 1
 * frames, which hold the leading silence, are left out. Returns how
 * many frames were written to out. */
static size_t describe(const float *x, size_t len, tfr_descriptor_frame *out)
{
	tfr_wola_params wp;
	tfr_describe_params dp;
	tfr_diag d;
	float spec[2 * BINS], power[BINS];
	size_t n = 0;

	tfr_wola_params_default(&wp);
	wp.fft_size = N;
	wp.hop = H;
	tfr_describe_params_default(&dp);
	dp.fft_size = N;
	dp.sample_rate = FS;
	tfr_wola *w = tfr_wola_new(&wp, &d);
	tfr_describe *ds = tfr_describe_new(&dp, &d);
	CHECK("new", w && ds);
	for (size_t b = 0; b < len / H; b++) {
		tfr_wola_analyze(w, x + b * H, 1, spec);
		for (size_t k = 0; k < BINS; k++)
			power[k] = spec[2 * k] * spec[2 * k] + spec[2 * k + 1] * spec[2 * k + 1];
		tfr_descriptor_frame f;
		CHECK("process", tfr_describe_process(ds, power, &f) == TFR_OK);
		if (b + 1 >= N / H)
			out[n++] = f;
	}
	tfr_wola_free(w);
	tfr_describe_free(ds);
	return n;
}

/* White noise, uniform in [-a, a): flat, at the level sqrt(2 a^2 / 3).
 * One frame's flatness scatters by about 5 % (the log of ~700
 * independent exponential bins); 60 frames' mean by less than 1 %. */
static void test_noise(void)
{
	size_t len = 64 * H;
	float *x = calloc(len, sizeof *x);
	tfr_descriptor_frame f[64];
	test_add_noise(x, len, 0.5, 7);
	size_t n = describe(x, len, f);
	double mean = 0, lo = 1, level = 0;
	for (size_t i = 0; i < n; i++) {
		mean += f[i].flatness / (double)n;
		level += f[i].amp / (double)n;
		lo = fmin(lo, f[i].flatness);
	}
	CHECK_NEAR("white noise flatness ~ 1 (tol 0.05)", mean, 1.0, 0.05);
	CHECK_NEAR("white noise flatness, achieved (0.99 +- 0.01)", mean, 0.99, 0.01);
	CHECK("every frame of white noise flatter than 0.85", lo > 0.85);
	CHECK_NEAR("white noise level sqrt(2/3) a (tol 2 %)", level,
	           sqrt(2.0 / 3.0) * 0.5, 0.02 * 0.41);
	CHECK_NEAR("white noise level, achieved (0.2 %)", level,
	           sqrt(2.0 / 3.0) * 0.5, 0.002 * 0.41);
	/* its centroid: half the Nyquist frequency, within 2 % of it */
	CHECK_NEAR("white noise centroid fs / 4", f[n / 2].freq, FS / 4, 0.02 * FS / 4);
	free(x);
}

/* A pure tone between bins: centroid = its frequency within one bin,
 * level = its amplitude, flatness near 0, flux near 0 once steady. */
static void test_tone(void)
{
	size_t len = 16 * H;
	float *x = calloc(len, sizeof *x);
	tfr_descriptor_frame f[16];
	test_add_cos(x, len, FS, 1234.5, 0.5, 0.3);
	size_t n = describe(x, len, f);
	CHECK("frames", n == 13);
	CHECK_NEAR("tone centroid within a bin", f[5].freq, 1234.5, BIN_HZ);
	CHECK_NEAR("tone centroid, achieved (0.05 Hz)", f[5].freq, 1234.5, 0.05);
	CHECK_NEAR("tone level = amplitude (0.5 %)", f[5].amp, 0.5, 0.0025);
	CHECK_NEAR("tone level, achieved (0.02 %)", f[5].amp, 0.5, 1e-4);
	CHECK("tone flatness < 0.01", f[5].flatness < 0.01);
	CHECK("steady tone flux < 1e-3", f[5].flux < 1e-3);
	free(x);
}

/* Two tones: the centroid is their power-weighted mean frequency,
 * (f1 A1^2 + f2 A2^2) / (A1^2 + A2^2), the level sqrt(A1^2 + A2^2). */
static void test_two_tones(void)
{
	size_t len = 16 * H;
	float *x = calloc(len, sizeof *x);
	tfr_descriptor_frame f[16];
	double f1 = 1000.0, a1 = 0.5, f2 = 5000.0, a2 = 0.25;
	test_add_cos(x, len, FS, f1, a1, 0.0);
	test_add_cos(x, len, FS, f2, a2, 1.0);
	describe(x, len, f);
	double want = (f1 * a1 * a1 + f2 * a2 * a2) / (a1 * a1 + a2 * a2);
	CHECK_NEAR("two-tone centroid = power-weighted mean, within a bin",
	           f[5].freq, want, BIN_HZ);
	CHECK_NEAR("two-tone centroid, achieved (0.05 Hz)", f[5].freq, want, 0.05);
	CHECK_NEAR("two-tone level (0.5 %)", f[5].amp,
	           sqrt(a1 * a1 + a2 * a2), 0.005 * sqrt(a1 * a1 + a2 * a2));
	free(x);
}

/* Flux on power spectra given directly: a frame out of silence reads 1,
 * the same frame again 0, the frame with every magnitude times g (a
 * level step of g >= 1) reads 1 - 1/g, a drop 0; silence reads 0 in
 * every descriptor. */
static void test_flux_and_silence(void)
{
	tfr_describe_params dp;
	tfr_describe *ds;
	tfr_descriptor_frame f;
	static float p[BINS], z[BINS];
	uint64_t seed = 3;

	tfr_describe_params_default(&dp);
	dp.fft_size = N;
	dp.sample_rate = FS;
	ds = tfr_describe_new(&dp, NULL);
	CHECK("new", ds != NULL);
	tfr_describe_process(ds, z, &f);
	CHECK("silence: all 0", f.freq == 0 && f.amp == 0 && f.flatness == 0 &&
	      f.flux == 0);
	for (size_t k = 0; k < BINS; k++)
		p[k] = (float)(0.1 + test_rand(&seed));
	tfr_describe_process(ds, p, &f);
	CHECK_NEAR("onset out of silence: flux 1", f.flux, 1.0, 1e-6);
	tfr_describe_process(ds, p, &f);
	CHECK_NEAR("the same frame again: flux 0", f.flux, 0.0, 1e-6);
	for (size_t k = 0; k < BINS; k++)
		p[k] *= 9.0f;  /* magnitudes x 3 */
	tfr_describe_process(ds, p, &f);
	CHECK_NEAR("a step of 3 in magnitude: flux 2/3", f.flux, 2.0 / 3.0, 1e-5);
	for (size_t k = 0; k < BINS; k++)
		p[k] /= 4.0f;
	tfr_describe_process(ds, p, &f);
	CHECK_NEAR("a drop: flux 0", f.flux, 0.0, 1e-6);
	tfr_describe_reset(ds);
	tfr_describe_process(ds, p, &f);
	CHECK_NEAR("after reset: against silence", f.flux, 1.0, 1e-6);
	/* a flat spectrum (an impulse's) is flatter than noise: clipped to 1 */
	for (size_t k = 0; k < BINS; k++)
		p[k] = 1.0f;
	tfr_describe_process(ds, p, &f);
	CHECK("flat spectrum: flatness 1", f.flatness == 1.0f);
	CHECK_NEAR("flat spectrum: centroid fs / 4", f.freq, FS / 4, 1e-6 * FS);
	tfr_describe_free(ds);
}

static void test_params(void)
{
	tfr_describe_params dp;
	tfr_diag d;
	tfr_describe_params_default(&dp);
	dp.fft_size = 2047;
	CHECK("odd FFT size refused", tfr_describe_new(&dp, &d) == NULL &&
	      d.code == TFR_EINVAL);
	tfr_describe_params_default(&dp);
	dp.sample_rate = 0;
	CHECK("rate 0 refused", tfr_describe_check(&dp, &d) == TFR_EINVAL);
	tfr_describe_params_default(&dp);
	dp.window_energy = -1;
	CHECK("negative window energy refused", tfr_describe_check(&dp, &d) == TFR_EINVAL);
	tfr_describe_free(NULL);
}

int main(void)
{
	test_noise();
	test_tone();
	test_two_tones();
	test_flux_and_silence();
	test_params();
	return test_finish("test_describe");
}
