/*
 * test_sdelay_freeze.c - the spectral delay's freeze (sdelay_core.h,
 * tfr_sdcore_set_freeze) against what a held sound must be: a frozen
 * 440 Hz tone goes on as one line at 440 Hz (within 1 Hz) at its level
 * with no sideband above -60 dB once its input has stopped; a release
 * gives silence back within one FFT length; a freeze of one band keeps
 * that band only; a core able to freeze but never frozen is bit-identical
 * to one that cannot; a random-phase freeze of white noise keeps the
 * frozen frame's magnitude spectrum and its power.
 */
#include "testutil.h"
#include "tfr.h"
#include "sdelay_core.h"  /* the block core, private to libtfr */

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define N 2048
#define H 512
#define FS 48000.0
#define M 30000          /* samples of output analysed: 440 Hz and 3 kHz
                            fall on bins (275, 1875), no scalloping */
#define PI 3.14159265358979323846

static tfr_sdcore *make(int freeze, size_t lo, size_t hi, size_t maxd)
{
	tfr_sdcore_params p;
	int err;
	tfr_sdcore_params_default(&p);
	p.max_delay = maxd;
	p.freeze = freeze;
	p.freeze_lo = lo;
	p.freeze_hi = hi;
	tfr_sdcore *s = tfr_sdcore_new(&p, &err);
	CHECK("sdcore_new", s != NULL);
	return s;
}

/* Run blocks 0 ... nblocks-1 of x (zero past len) through s, freezing
 * before block `on` and releasing before block `off` (-1: never);
 * returns all the output (nblocks * H samples, latency included). */
static float *run(tfr_sdcore *s, const float *x, size_t len, long nblocks,
                  long on, long off)
{
	float *y = calloc((size_t)nblocks * H, sizeof *y), in[H];
	for (long b = 0; b < nblocks; b++) {
		for (size_t i = 0; i < H; i++) {
			size_t n = (size_t)b * H + i;
			in[i] = n < len ? x[n] : 0.0f;
		}
		if (b == on)
			tfr_sdcore_set_freeze(s, 0, 1);
		if (b == off)
			tfr_sdcore_set_freeze(s, 0, 0);
		tfr_sdcore_process(s, in, y + (size_t)b * H);
	}
	return y;
}

/* Tones of amplitude 0.5 (freqs[0 ... n-1] Hz, the first at phase
 * `phase`, the others at 0) for 60 blocks, then silence, through a core
 * that freezes bins lo ... hi before block 40 and releases them before
 * block `off` (-1: never); the output of nblocks blocks. */
static float *freeze_tones(const double *freqs, int n, double phase,
                           size_t lo, size_t hi, long nblocks, long off)
{
	size_t len = 60 * H;
	float *x = calloc(len, sizeof *x);
	for (int i = 0; i < n; i++)
		test_add_cos(x, len, FS, freqs[i], 0.5, i == 0 ? phase : 0.0);
	tfr_sdcore *s = make(1, lo, hi, 0);
	float *y = run(s, x, len, nblocks, 40, off);
	free(x);
	tfr_sdcore_free(s);
	return y;
}

/* |X(f)| of y[0 ... M-1] under a 4-term Blackman-Harris window (side
 * lobes -92 dB), at f = k FS / M, scaled so that a sine of amplitude A
 * reads A; Goertzel's recursion, one frequency at a time. */
static double dft_amp(const float *y, double *w, size_t k)
{
	double c = 2 * cos(2 * PI * (double)k / M), s1 = 0, s2 = 0, sw = 0;
	for (size_t n = 0; n < M; n++) {
		double s0 = y[n] * w[n] + c * s1 - s2;
		s2 = s1;
		s1 = s0;
		sw += w[n];
	}
	double re = s1 - s2 * c / 2, im = s2 * sin(2 * PI * (double)k / M);
	return 2 * sqrt(re * re + im * im) / sw;
}

static double *blackman_harris(void)
{
	double *w = malloc(M * sizeof *w);
	for (size_t n = 0; n < M; n++) {
		double t = 2 * PI * (double)n / M;
		w[n] = 0.35875 - 0.48829 * cos(t) + 0.14128 * cos(2 * t) -
		       0.01168 * cos(3 * t);
	}
	return w;
}

/* The spectrum of y up to kmax: the peak's frequency (parabolic on the
 * log magnitudes), amplitude, and the largest magnitude more than 6
 * bins (9 Hz: the window's main lobe is 4) away from it, in dB below. */
static void line(const float *y, size_t kmax, double *f, double *amp,
                 double *side_db)
{
	double *w = blackman_harris(), *a = malloc((kmax + 1) * sizeof *a);
	size_t kp = 1;
	for (size_t k = 0; k <= kmax; k++) {
		a[k] = dft_amp(y, w, k);
		if (k > 0 && k < kmax && a[k] > a[kp])
			kp = k;
	}
	double l = log(a[kp - 1]), c = log(a[kp]), r = log(a[kp + 1]);
	double d = 0.5 * (l - r) / (l - 2 * c + r);
	*f = ((double)kp + d) * FS / M;
	*amp = a[kp];
	double side = 0;
	for (size_t k = 0; k <= kmax; k++)
		if (k + 6 < kp || k > kp + 6)
			side = fmax(side, a[k]);
	*side_db = 20 * log10(side / a[kp] + 1e-30);
	free(w);
	free(a);
}

/* The tone test: 440 Hz of amplitude 0.5 frozen at block 40, the input
 * stopping at block 60; blocks 100 ... 163 hold the frozen sound only. */
static void test_tone(void)
{
	const double f440 = 440.0;
	float *y = freeze_tones(&f440, 1, 0.7, 0, SIZE_MAX, 170, -1);
	double f, amp, side;
	line(y + 100 * H, 2048, &f, &amp, &side);
	printf("frozen 440 Hz: %.4f Hz, amplitude %.5f, sidebands %.1f dB\n", f,
	       amp, side);
	CHECK_NEAR("frozen tone's frequency (tol 1 Hz)", f, 440.0, 1.0);
	CHECK_NEAR("frozen tone's frequency, achieved (0.05 Hz)", f, 440.0, 0.05);
	CHECK_NEAR("frozen tone's amplitude (1 %)", amp, 0.5, 0.005);
	CHECK("no sideband above -60 dB", side < -60.0);
	CHECK("no sideband above -100 dB (achieved)", side < -100.0);
	free(y);
}

/* A release gives the bins back to their taps: with the input stopped,
 * silence within one FFT length (N / H blocks), exactly. */
static void test_release(void)
{
	const double f1k = 1000.0;
	float *y = freeze_tones(&f1k, 1, 0.0, 0, SIZE_MAX, 110, 80);
	double ms = 0, after = 0;
	for (size_t n = 70 * H; n < 80 * H; n++)
		ms += y[n] * y[n] / (10.0 * H);
	for (size_t n = (80 + N / H) * H; n < 110 * H; n++)
		after = fmax(after, fabsf(y[n]));
	CHECK_NEAR("frozen level before the release (1 %)", sqrt(2 * ms), 0.5, 0.005);
	CHECK("silence from one FFT length after the release", after == 0.0);
	free(y);
}

/* A band freeze (bins 12 ... 25: 281 ... 586 Hz) holds 440 Hz and
 * lets 3 kHz go: once the input stops, 3 kHz is more
 * than 60 dB below the held tone. */
static void test_band(void)
{
	const double two[] = { 440.0, 3000.0 };
	size_t lo = (size_t)(300.0 * N / FS), hi = (size_t)(600.0 * N / FS);
	float *y = freeze_tones(two, 2, 0.0, lo, hi, 170, -1);
	double f, amp, side;
	line(y + 100 * H, 2400, &f, &amp, &side);
	CHECK_NEAR("band freeze keeps 440 Hz", f, 440.0, 1.0);
	CHECK_NEAR("band freeze keeps its level (1 %)", amp, 0.5, 0.005);
	CHECK("3 kHz gone: the rest more than 60 dB down", side < -60.0);
	free(y);
}

/* Able to freeze, never frozen: the same samples as a core that cannot
 * (delays, feedback and gains on every bin). */
static void test_unfrozen_identity(void)
{
	size_t len = 30 * H, nb = N / 2 + 1;
	float *x = calloc(len, sizeof *x);
	double *d = malloc(nb * sizeof *d), *fb = malloc(nb * sizeof *fb);
	double *g = malloc(nb * sizeof *g);
	test_add_noise(x, len, 0.5, 9);
	for (size_t k = 0; k < nb; k++) {
		d[k] = (double)(k % 4);
		fb[k] = 0.6;
		g[k] = 0.5 + (double)k / (double)nb;
	}
	tfr_sdcore *a = make(0, 0, 0, 3), *b = make(1, 0, SIZE_MAX, 3);
	tfr_sdcore_set_maps(a, 0, d, fb, g);
	tfr_sdcore_set_maps(b, 0, d, fb, g);
	float *ya = run(a, x, len, 40, -1, -1), *yb = run(b, x, len, 40, -1, -1);
	CHECK("unfrozen: bit-identical", !memcmp(ya, yb, 40 * H * sizeof *ya));
	CHECK("freeze refused without the capability",
	      tfr_sdcore_set_freeze(a, 0, 1) == TFR_EINVAL);
	CHECK("freeze refused for a channel that is not there",
	      tfr_sdcore_set_freeze(b, 1, 1) == TFR_EINVAL);
	free(ya);
	free(yb);
	free(x);
	free(d);
	free(fb);
	free(g);
	tfr_sdcore_free(a);
	tfr_sdcore_free(b);
}

/* The power spectrum of blocks first ... last - 1 of y (hop H, N, the
 * core's Hann window), averaged: pw[bins]. With last = first + 1, the
 * one frame's |X|^2. */
static void power_of(const float *y, long first, long last, double *pw)
{
	tfr_wola_params wp;
	tfr_diag d;
	size_t nb = N / 2 + 1;
	float *spec = malloc(2 * nb * sizeof *spec);
	wp.fft_size = N;
	wp.hop = H;
	wp.window = NULL;
	tfr_wola *w = tfr_wola_new(&wp, &d);
	CHECK("wola_new", w != NULL);
	memset(pw, 0, nb * sizeof *pw);
	for (long b = 0; b < last; b++) {
		tfr_wola_analyze(w, y + (size_t)b * H, 1, spec);
		for (size_t k = 0; b >= first && k < nb; k++)
			pw[k] += ((double)spec[2 * k] * spec[2 * k] +
			          (double)spec[2 * k + 1] * spec[2 * k + 1]) /
			         (double)(last - first);
	}
	tfr_wola_free(w);
	free(spec);
}

/*
 * A random-phase freeze of white noise keeps the frozen frame's
 * magnitude spectrum: the output analysed as the input was, its power
 * averaged over 1200 frames, is the frozen frame's |X_k|^2 band by band
 * (16 bands of 64 bins: a ratio of 1 within 10 %, achieved 2.4 %; 1200
 * frames of 64 bins, four frames overlapping, leave about 1 % of noise
 * per band), the scale 1 / sqrt(c) making up for the incoherent
 * overlap-add (without it every band would read 0.25).
 */
static void test_random_noise(void)
{
	size_t len = 60 * H, nb = N / 2 + 1;
	long nblocks = 1300;
	float *x = calloc(len, sizeof *x);
	double *ref = malloc(nb * sizeof *ref), *out = malloc(nb * sizeof *out);
	test_add_noise(x, len, 0.5, 11);
	tfr_sdcore_params p;
	int err;
	tfr_sdcore_params_default(&p);
	p.freeze = 1;
	p.freeze_random = 1;
	tfr_sdcore *s = tfr_sdcore_new(&p, &err);
	CHECK("sdcore_new (random freeze)", s != NULL);
	float *y = run(s, x, len, nblocks, 40, -1);
	/* the core's block 40 analyses input blocks up to 40: its frame */
	power_of(x, 40, 41, ref);
	power_of(y, 100, nblocks, out);
	double worst = 0;
	for (size_t b = 0; b < 16; b++) {
		double po = 0, pr = 0;
		for (size_t k = b * 64; k < (b + 1) * 64; k++) {
			po += out[k];
			pr += ref[k];
		}
		worst = fmax(worst, fabs(po / pr - 1));
	}
	printf("random freeze of noise: band power / frozen frame's within "
	       "%.1f %%\n", 100 * worst);
	CHECK("random freeze keeps the frozen spectrum (10 %)", worst < 0.10);
	CHECK("random freeze keeps the frozen spectrum (4 %, achieved 2.4)", worst < 0.04);
	free(y);
	free(x);
	free(ref);
	free(out);
	tfr_sdcore_free(s);
}

int main(void)
{
	test_tone();
	test_release();
	test_band();
	test_unfrozen_identity();
	test_random_noise();
	return test_finish("test_sdelay_freeze");
}
