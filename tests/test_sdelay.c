/*
 * test_sdelay.c - the spectral delay core against the analytic model of
 * spectral-delay.md 3.2-3.3: identity, dry, uniform delay, feedback comb,
 * band delay of a bin-centred tone, cross-feedback, glides, stability.
 */
#include "testutil.h"
#include "tfr.h"
#include "sdelay_core.h"  /* the block core, private to libtfr */

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define N 2048
#define H 512
#define FS 48000.0

/*
 * Run x (len frames, nc channels interleaved) through s in hop blocks,
 * zero-padded at the end, and return the output with the latency removed:
 * y[i] is aligned with x[i].
 */
static float *run(tfr_sdcore *s, const float *x, size_t len, int nc)
{
	size_t lat = tfr_sdcore_latency(s), hop = tfr_sdcore_hop(s);
	size_t total = len + lat, blocks = (total + hop - 1) / hop;
	float *in = calloc(blocks * hop * (size_t)nc, sizeof *in);
	float *out = malloc(blocks * hop * (size_t)nc * sizeof *out);
	float *y = malloc(len * (size_t)nc * sizeof *y);

	memcpy(in, x, len * (size_t)nc * sizeof *x);
	for (size_t b = 0; b < blocks; b++)
		tfr_sdcore_process(s, in + b * hop * (size_t)nc,
		                   out + b * hop * (size_t)nc);
	memcpy(y, out + lat * (size_t)nc, len * (size_t)nc * sizeof *y);
	free(in);
	free(out);
	return y;
}

static tfr_sdcore *make(int nc, size_t maxd, double mix, double cross)
{
	tfr_sdcore_params p;
	int err;
	tfr_sdcore *s;

	tfr_sdcore_params_default(&p);
	p.channels = nc;
	p.max_delay = maxd;
	p.mix = mix;
	p.cross = cross;
	s = tfr_sdcore_new(&p, &err);
	CHECK("sdelay_new", s != NULL && err == TFR_OK);
	return s;
}

static void uniform(tfr_sdcore *s, int ch, double d, double fb, double g)
{
	size_t nb = tfr_sdcore_bins(s);
	double *dv = malloc(nb * sizeof *dv), *fv = malloc(nb * sizeof *fv);
	double *gv = malloc(nb * sizeof *gv);
	for (size_t k = 0; k < nb; k++) {
		dv[k] = d;
		fv[k] = fb;
		gv[k] = g;
	}
	CHECK("set_maps", tfr_sdcore_set_maps(s, ch, dv, fv, gv) == TFR_OK);
	free(dv);
	free(fv);
	free(gv);
}

/* Full-scale noise quantised to 16 bits, as read from a PCM16 file. */
static float *pcm16_noise(size_t n, uint64_t seed)
{
	float *x = calloc(n, sizeof *x);
	test_add_noise(x, n, 1.0, seed);
	for (size_t i = 0; i < n; i++)
		x[i] = (float)floor(x[i] * 32768.0) / 32768.0f;
	return x;
}

/* Guarantee 1: zero delay, no feedback, gain 1, mix 1 is the identity;
 * 16-bit in -> 16-bit out bit-exact after rounding. */
static void test_identity(void)
{
	size_t len = 48000;
	int nc = 2;
	float *x = pcm16_noise(len * nc, 1);
	tfr_sdcore *s = make(nc, 0, 1.0, 0.0);
	float *y = run(s, x, len, nc);
	double emax = 0.0;
	size_t differ = 0;

	for (size_t i = 0; i < len * nc; i++) {
		emax = fmax(emax, fabs((double)y[i] - x[i]));
		if (lrint(y[i] * 32768.0) != lrint(x[i] * 32768.0))
			differ++;
	}
	CHECK_NEAR("identity max error", emax, 0.0, 1e-6);
	CHECK_NEAR("identity 16-bit samples differing", (double)differ, 0, 0);
	printf("identity: max error %.3g, 16-bit differing %zu\n", emax, differ);
	free(x);
	free(y);
	tfr_sdcore_free(s);
}

/* Guarantee 2: mix 0 is the dry signal, bit for bit, whatever the maps. */
static void test_dry(void)
{
	size_t len = 20000;
	float *x = pcm16_noise(len, 2);
	tfr_sdcore *s = make(1, 5, 0.0, 0.0);
	float *y;
	size_t differ = 0;

	uniform(s, 0, 5, 0.9, 3.0);
	y = run(s, x, len, 1);
	for (size_t i = 0; i < len; i++)
		differ += y[i] != x[i];
	CHECK_NEAR("mix 0 samples differing", (double)differ, 0, 0);
	free(x);
	free(y);
	tfr_sdcore_free(s);
}

/* Guarantees 3 and 4: uniform delay d, feedback g is the comb
 * y[n] = sum_m g^m x[n - (m+1) d H]; g = 0 is a plain shift. */
static void check_comb(size_t d, double g, double tol)
{
	size_t len = 40000;
	float *x = calloc(len, sizeof *x);
	tfr_sdcore *s = make(1, d, 1.0, 0.0);
	float *y;
	double emax = 0.0;

	test_add_noise(x, len, 0.5, 3);
	uniform(s, 0, (double)d, g, 1.0);
	y = run(s, x, len, 1);
	for (size_t n = 0; n < len; n++) {
		double want = 0.0, gm = 1.0;
		for (size_t lag = d * H; lag <= n; lag += d * H, gm *= g)
			want += gm * x[n - lag];
		emax = fmax(emax, fabs(y[n] - want));
	}
	printf("delay %zu frames, feedback %g: max error %.3g\n", d, g, emax);
	CHECK_NEAR(g == 0.0 ? "uniform delay error" : "feedback comb error",
	           emax, 0.0, tol);
	free(x);
	free(y);
	tfr_sdcore_free(s);
}

/* Guarantee 5: a bin-centred tone (bin 100) whose band 97..103 (Hann main
 * lobe +-2 bins, +-1 margin) is delayed by 4 frames comes out 4H later;
 * a tone at bin 300 outside the band is untouched. */
static void test_band(void)
{
	size_t len = 60000, k1 = 100, k2 = 300, d = 4;
	double f1 = k1 * FS / N, f2 = k2 * FS / N, emax = 0.0;
	float *x = calloc(len, sizeof *x);
	tfr_sdcore *s = make(1, d, 1.0, 0.0);
	size_t nb = tfr_sdcore_bins(s);
	double *dv = calloc(nb, sizeof *dv);
	float *y;

	test_add_cos(x, len, FS, f1, 0.4, 0.3);
	test_add_cos(x, len, FS, f2, 0.4, 1.1);
	for (size_t k = k1 - 3; k <= k1 + 3; k++)
		dv[k] = (double)d;
	CHECK("band map", tfr_sdcore_set_maps(s, 0, dv, NULL, NULL) == TFR_OK);
	y = run(s, x, len, 1);
	/* steady state: after the delayed tone's first full frames */
	for (size_t n = d * H + 2 * N; n < len - N; n++) {
		double t1 = (double)(n - d * H) / FS, t2 = (double)n / FS;
		double want = 0.4 * cos(2 * M_PI * f1 * t1 + 0.3) +
		              0.4 * cos(2 * M_PI * f2 * t2 + 1.1);
		emax = fmax(emax, fabs(y[n] - want));
	}
	printf("band delay: max steady-state error %.3g\n", emax);
	CHECK_NEAR("band delay error", emax, 0.0, 1e-5);
	free(dv);
	free(x);
	free(y);
	tfr_sdcore_free(s);
}

/* Cross-feedback c = 1, d = 1, fb = 0.5, input on the left only:
 * D_L(m) = X(m) + fb D_R(m-1), D_R(m) = fb D_L(m-1), so
 * yL = x[n-H] + fb^2 x[n-3H] + ..., yR = fb x[n-2H] + fb^3 x[n-4H] + ... */
static void test_cross(void)
{
	size_t len = 30000;
	double g = 0.5, el = 0.0, er = 0.0;
	float *x = calloc(2 * len, sizeof *x);
	float *mono = calloc(len, sizeof *mono);
	tfr_sdcore *s = make(2, 1, 1.0, 1.0);
	float *y;

	test_add_noise(mono, len, 0.5, 5);
	for (size_t i = 0; i < len; i++)
		x[2 * i] = mono[i];
	uniform(s, 0, 1, g, 1.0);
	uniform(s, 1, 1, g, 1.0);
	y = run(s, x, len, 2);
	for (size_t n = 0; n < len; n++) {
		double wl = 0.0, wr = 0.0, gm = 1.0;
		for (size_t j = 1; j * H <= n; j++, gm *= g) {
			if (j % 2)
				wl += gm * mono[n - j * H];
			else
				wr += gm * mono[n - j * H];
		}
		el = fmax(el, fabs(y[2 * n] - wl));
		er = fmax(er, fabs(y[2 * n + 1] - wr));
	}
	printf("cross-feedback: max error L %.3g R %.3g\n", el, er);
	CHECK_NEAR("cross-feedback left", el, 0.0, 1e-5);
	CHECK_NEAR("cross-feedback right", er, 0.0, 1e-5);
	free(x);
	free(mono);
	free(y);
	tfr_sdcore_free(s);
}

/* A delay change while running glides, then settles on the exact new
 * delay; the glide itself has no jump larger than the signal's own. */
static void test_glide(void)
{
	size_t len = 96000, nb, change = 40 * H, lat;
	float *x = calloc(len, sizeof *x);
	tfr_sdcore *s = make(1, 6, 1.0, 0.0);
	double *dv, emax = 0.0, jump = 0.0;
	float *out = calloc(len + N, sizeof *out);

	test_add_cos(x, len, FS, 440.0, 0.5, 0.0);
	nb = tfr_sdcore_bins(s);
	dv = calloc(nb, sizeof *dv);
	lat = tfr_sdcore_latency(s);
	for (size_t b = 0; (b + 1) * H <= len; b++) {
		if (b * H == change) {
			for (size_t k = 0; k < nb; k++)
				dv[k] = 6.0;
			CHECK("glide set", tfr_sdcore_set_maps(s, 0, dv, NULL,
			                                      NULL) == TFR_OK);
		}
		tfr_sdcore_process(s, x + b * H, out + b * H);
	}
	/* settled: at most smooth (4) frames after the change plus a window */
	for (size_t n = change + 12 * H + N; n + lat < len - H; n++)
		emax = fmax(emax, fabs(out[n + lat] - x[n - 6 * H]));
	for (size_t n = lat + N; n < len - H; n++)
		jump = fmax(jump, fabs(out[n] - out[n - 1]));
	printf("glide: settled error %.3g, largest step %.3g\n", emax, jump);
	CHECK_NEAR("glide settles on the new delay", emax, 0.0, 1e-5);
	/* a 440 Hz tone of amplitude 0.5 moves by at most 0.029 per sample */
	CHECK("glide has no click", jump < 0.03);
	free(dv);
	free(x);
	free(out);
	tfr_sdcore_free(s);
}

/* Guarantee 6: |fb| >= 1 and out-of-range delays are refused; the soft
 * limiter never exceeds full scale and is the identity below threshold. */
static void test_stability(void)
{
	tfr_sdcore *s = make(1, 3, 1.0, 0.0);
	size_t nb = tfr_sdcore_bins(s);
	double *v = calloc(nb, sizeof *v);

	v[7] = 1.0;
	CHECK("fb 1 refused",
	      tfr_sdcore_set_maps(s, 0, NULL, v, NULL) == TFR_ERANGE);
	v[7] = -1.5;
	CHECK("fb -1.5 refused",
	      tfr_sdcore_set_maps(s, 0, NULL, v, NULL) == TFR_ERANGE);
	v[7] = 4.0;
	CHECK("delay above max refused",
	      tfr_sdcore_set_maps(s, 0, v, NULL, NULL) == TFR_ERANGE);
	v[7] = -1.0;
	CHECK("negative delay refused",
	      tfr_sdcore_set_maps(s, 0, v, NULL, NULL) == TFR_ERANGE);
	CHECK("bad channel", tfr_sdcore_set_maps(s, 1, NULL, NULL, NULL) ==
	                     TFR_EINVAL);
	for (double a = -50.0; a <= 50.0; a += 0.01) {
		float y = tfr_sdcore_softlimit((float)a, 0.8f);
		if (!(fabsf(y) <= 1.0f) || (fabs(a) <= 0.8 && y != (float)a)) {
			CHECK("soft limiter bounded, identity below threshold", 0);
			break;
		}
	}
	free(v);
	tfr_sdcore_free(s);
}

static void test_wola_hops(void)
{
	/* perfect reconstruction for several hops, incl. R = 2 where the
	 * Hann sum of squares is not constant */
	size_t hops[] = {1024, 512, 256, 300};
	for (size_t i = 0; i < sizeof hops / sizeof *hops; i++) {
		tfr_sdcore_params p;
		int err;
		size_t len = 20000;
		float *x = calloc(len, sizeof *x), *y;
		double emax = 0.0;
		tfr_sdcore *s;
		tfr_sdcore_params_default(&p);
		p.hop = hops[i];
		s = tfr_sdcore_new(&p, &err);
		CHECK("new", s != NULL);
		test_add_noise(x, len, 1.0, 9);
		y = run(s, x, len, 1);
		for (size_t n = 0; n < len; n++)
			emax = fmax(emax, fabs(y[n] - x[n]));
		CHECK_NEAR("wola identity at this hop", emax, 0.0, 1e-6);
		free(x);
		free(y);
		tfr_sdcore_free(s);
	}
	{
		tfr_sdcore_params p;
		int err = 0;
		tfr_sdcore_params_default(&p);
		p.hop = 2048; /* Hann at R = 1: envelope zero at n = 0 */
		CHECK("hop = N with Hann refused",
		      tfr_sdcore_new(&p, &err) == NULL && err == TFR_EINVAL);
		p.hop = 512;
		p.fft_size = 2047;
		CHECK("odd fft size refused", tfr_sdcore_new(&p, &err) == NULL);
	}
}

static void test_freqmap(void)
{
	double f[] = {0, 2000, 8000, 8000}, v[] = {0.05, 0.3, 0.8, 2.0};
	double out[N / 2 + 1];
	CHECK("fill", tfr_freqmap_fill(f, v, 4, FS, N, out) == TFR_OK);
	CHECK_NEAR("bin 0", out[0], 0.05, 1e-12);
	/* bin 64 = 1500 Hz: 0.05 + 0.75 * 0.25 */
	CHECK_NEAR("bin 64", out[64], 0.2375, 1e-12);
	/* bin 256 = 6000 Hz: 0.3 + (4000/6000) * 0.5 */
	CHECK_NEAR("bin 256", out[256], 0.3 + 0.5 * 4000.0 / 6000.0, 1e-12);
	CHECK_NEAR("step below", out[341], 0.3 + 0.5 * (341 * FS / N - 2000) / 6000, 1e-12);
	CHECK_NEAR("step at and above", out[342], 2.0, 0);
	CHECK_NEAR("beyond last", out[N / 2], 2.0, 0);
}

/* What a short input could cost: refused by tfr_sdelay_check. */
static void test_limits(void)
{
	tfr_sdelay_params p;
	tfr_diag d;
	tfr_sdelay_params_default(&p);
	/* 10 ms of audio took a minute at N 65536, hop 1 */
	p.fft_size = 65536;
	p.hop = 1;
	CHECK("hop 1 at N 65536", tfr_sdelay_check(&p, &d) == TFR_EINVAL &&
	      !strcmp(d.text, "hop 1 is too small for FFT size 65536: at least "
	              "128 (channels x FFT size x FFT size / hop is at most 2^25)"));
	p.hop = 128;
	CHECK("hop 128 at N 65536", tfr_sdelay_check(&p, &d) == TFR_OK);
	p.channels = 2;
	CHECK("hop 128 at N 65536, stereo", tfr_sdelay_check(&p, &d) == TFR_EINVAL &&
	      strstr(d.text, "and this many channels: at least 256 ("));
	tfr_sdelay_params_default(&p);
	p.hop = 1;
	CHECK("hop 1 at N 2048", tfr_sdelay_check(&p, &d) == TFR_OK);
	/* 60 s at hop 1: 2646001 frames of 2050 floats, 20692 MB */
	tfr_freqmap *m;
	CHECK("map", tfr_map_parse("60", TFR_MAP_TIME, &m, &d) == TFR_OK);
	const tfr_freqmap *maps[1] = { m };
	p.maps[TFR_SDELAY_DELAY] = maps;
	p.nmaps[TFR_SDELAY_DELAY] = 1;
	CHECK("60 s delay at hop 1", tfr_sdelay_check(&p, &d) == TFR_EINVAL &&
	      !strcmp(d.text, "the delay lines would take 20692 MB, more than "
	              "1024 MB: give a shorter delay, a larger hop or a smaller "
	              "FFT size"));
	CHECK("60 s delay at hop 1: new", tfr_sdelay_new(&p, &d) == NULL &&
	      d.code == TFR_EINVAL);
	p.hop = 512;  /* 5167 frames (60 s is 5167.97: not rounded up), 40 MB */
	CHECK("60 s delay at hop 512", tfr_sdelay_check(&p, &d) == TFR_OK);
	/* and an impulse comes out 5167 hops later (59.99 s), not 5168
	 * (60.0004 s: above the maximum) */
	p.tail = TFR_SDELAY_TAIL_TIME;
	p.tail_time = 60.1;
	tfr_sdelay *s = tfr_sdelay_new(&p, &d);
	CHECK("60 s delay at hop 512: new", s != NULL);
	float one = 1.0f;
	size_t n, at = 0, pos = 0;
	float big = 0;
	tfr_sdelay_process(s, &one, 1);
	while (s && tfr_sdelay_flush(s) > 0) {
		const float *y = tfr_sdelay_output(s, &n);
		for (size_t i = 0; i < n; i++, pos++)
			if (fabsf(y[i]) > big) {
				big = fabsf(y[i]);
				at = pos;
			}
	}
	printf("60 s at hop 512, 44.1 kHz: the impulse at sample %zu (%.4f s)\n",
	       at, (double)at / 44100);
	CHECK("60 s delay: 5167 hops, within 60 s", at == 5167 * 512);
	tfr_sdelay_free(s);
	tfr_freqmap_free(m);
}

/* A morph held at a = 0.3 between delay 0 and delay 2 frames (no
 * feedback) reads 0.7 of one tap and 0.3 of the other: the output is
 * 0.7 x[n] + 0.3 x[n - 2H], and a bin whose two delays are equal reads
 * its tap alone. */
static void test_morph(void)
{
	size_t len = 20000, nb = N / 2 + 1;
	float *x = calloc(len, sizeof *x);
	int32_t *d0 = calloc(nb, sizeof *d0), *d1 = malloc(nb * sizeof *d1);
	tfr_sdcore *s = make(1, 2, 1.0, 0.0);
	double emax = 0.0;

	test_add_noise(x, len, 0.5, 5);
	for (size_t k = 0; k < nb; k++)
		d1[k] = 2;
	CHECK("set_morph", tfr_sdcore_set_morph(s, 0, d0, d1, 0.3) == TFR_OK);
	CHECK("set_morph refuses a = 1.5",
	      tfr_sdcore_set_morph(s, 0, d0, d1, 1.5) == TFR_ERANGE);
	float *y = run(s, x, len, 1);
	for (size_t n = 2 * H; n < len; n++)
		emax = fmax(emax, fabs(y[n] - (0.7 * x[n] + 0.3 * x[n - 2 * H])));
	CHECK_NEAR("morph a = 0.3: 0.7 x[n] + 0.3 x[n - 2H]", emax, 0.0, 1e-6);
	printf("morph: max error %.3g\n", emax);
	free(x);
	free(y);
	free(d0);
	free(d1);
	tfr_sdcore_free(s);
}

/*
 * A morph from no delay to 8 frames (4096 samples) on impulses (1 every
 * 32 blocks), the morph position rising linearly over blocks 40 ... 360
 * (0.1 between impulses): every impulse comes out as two clean copies,
 * now with the weight 1 - a of the morph where it is, 4096 samples
 * later with a, and nothing between them. The glide's bound: a copy's
 * amplitude moves as the morph does from one impulse to the next (0.1),
 * off by at most 0.01 (achieved 0.0031), each is 1 - a or a of the block
 * centred on it within 0.02 (achieved 0.0031), and farther than N from
 * every copy the output is silent (below 1e-6, achieved 0: a click from
 * a tap switched would be there).
 */
static double morph_at(long b)
{
	return b <= 40 ? 0.0 : b >= 360 ? 1.0 : (double)(b - 40) / 320.0;
}

static void test_morph_impulses(void)
{
	long nblocks = 420, every = 32 * H;
	size_t nb = N / 2 + 1, len = (size_t)nblocks * H, lat = N - H;
	float *x = calloc(len, sizeof *x), *y = malloc(len * sizeof *y);
	int32_t *d0 = calloc(nb, sizeof *d0), *d1 = malloc(nb * sizeof *d1);
	tfr_sdcore *s = make(1, 8, 1.0, 0.0);
	for (size_t k = 0; k < nb; k++)
		d1[k] = 8;
	for (size_t n = 4096; n < len; n += (size_t)every)
		x[n] = 1.0f;
	for (long b = 0; b < nblocks; b++) {
		tfr_sdcore_set_morph(s, 0, d0, d1, morph_at(b));
		tfr_sdcore_process(s, x + (size_t)b * H, y + (size_t)b * H);
	}
	double step = 0, fit = 0, quiet = 0, prev[2] = { 0, 0 };
	for (size_t n = 4096; n + 4096 + lat < len; n += (size_t)every) {
		/* the copies, off the weights of the blocks whose frames are
		 * centred on them, and how that changes from one to the next */
		long b1 = (long)((n + N / 2) / H), b2 = (long)((n + 4096 + N / 2) / H);
		double e1 = y[n + lat] - (1 - morph_at(b1));
		double e2 = y[n + 4096 + lat] - morph_at(b2);
		fit = fmax(fit, fmax(fabs(e1), fabs(e2)));
		step = fmax(step, fmax(fabs(e1 - prev[0]), fabs(e2 - prev[1])));
		prev[0] = e1;
		prev[1] = e2;
		for (size_t i = n + 4096 + N; i < n + (size_t)every - N && i + lat < len; i++)
			quiet = fmax(quiet, fabsf(y[i + lat]));
	}
	printf("morph of impulses: copies' steps off the morph's by %.3g, "
	       "off 1 - a and a by %.3g, between them %.3g\n", step, fit, quiet);
	CHECK("morph of impulses: steps as the morph's (0.01)", step < 0.01);
	CHECK("morph of impulses: steps as the morph's (0.004, achieved)", step < 0.004);
	CHECK("morph of impulses: copies at 1 - a and a (0.02)", fit < 0.02);
	CHECK("morph of impulses: copies at 1 - a and a (0.004, achieved)", fit < 0.004);
	CHECK("morph of impulses: silence between the copies (1e-6)", quiet < 1e-6);
	free(x);
	free(y);
	free(d0);
	free(d1);
	tfr_sdcore_free(s);
}

int main(void)
{
	test_identity();
	test_dry();
	check_comb(3, 0.0, 1e-6);
	check_comb(1, 0.0, 1e-6);
	check_comb(2, 0.5, 1e-5);
	check_comb(1, -0.9, 1e-5);
	test_band();
	test_cross();
	test_glide();
	test_stability();
	test_wola_hops();
	test_freqmap();
	test_limits();
	test_morph();
	test_morph_impulses();
	return test_finish("test_sdelay");
}
