/*
 * test_synth.c - the additive synthesiser against analytic truth:
 * partials written by hand from known phase laws (steady, chirp,
 * vibrato), energy with bandwidth noise, fades, Nyquist muting, edited
 * streams (time-stretched, transposed); against reference data (Loris's
 * partials of tests/data/additive/tone220_vib.wav and Loris's own
 * resynthesis of them); stream-order errors, streaming memory over an
 * hour, reset, parameter checks, both code paths, and a speed bench that
 * prints times (no timed assertion).
 */
#include "testutil.h"
#include "tfr.h"
#include "cpu.h"
#include "synth_osc.h"
#include "tfr_fft.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define FS 44100.0

/* ---- helpers ---- */

typedef struct {
	tfr_breakpoint *b;
	size_t n, cap;
} bp_list;

static void bp_add(bp_list *l, int64_t id, double t, double f, double a,
                   double ph, double bw, int end)
{
	if (l->n == l->cap) {
		l->cap = l->cap ? 2 * l->cap : 256;
		l->b = realloc(l->b, l->cap * sizeof *l->b);
	}
	/* the record's phase convention: [-pi, pi) */
	double w = ph - 2 * M_PI * floor((ph + M_PI) / (2 * M_PI));
	l->b[l->n++] = (tfr_breakpoint){ id, t, f, (float)a, (float)w,
	                                 (float)bw, end };
}

static tfr_synth_params params(void)
{
	tfr_synth_params p;
	tfr_synth_params_default(&p);
	return p;
}

/* Feed everything, flush, read everything: the output and its length
 * (and what the synthesiser did in *st unless NULL). */
static float *synth_all_st(const tfr_synth_params *p, const bp_list *l,
                           size_t *len, tfr_synth_stats *st)
{
	tfr_diag d;
	tfr_synth *s = tfr_synth_new(p, &d);
	*len = 0;
	if (!CHECK("synth_new", s != NULL))
		return NULL;
	CHECK("process", tfr_synth_process(s, l->b, l->n) == TFR_OK);
	CHECK("flush", tfr_synth_flush(s) == TFR_OK);
	size_t cap = 1 << 16, n = 0;
	float *y = malloc(cap * sizeof *y);
	for (;;) {
		if (n == cap)
			y = realloc(y, (cap *= 2) * sizeof *y);
		size_t k = tfr_synth_read(s, y + n, cap - n);
		if (!k)
			break;
		n += k;
	}
	if (st)
		tfr_synth_get_stats(s, st);
	tfr_synth_free(s);
	*len = n;
	return y;
}

static float *synth_all(const tfr_synth_params *p, const bp_list *l,
                        size_t *len)
{
	return synth_all_st(p, l, len, NULL);
}

/* Phase law of a partial: phase (rad) and frequency (Hz) at t. */
typedef void phase_law(double t, const double *arg, double *ph, double *f);

/* Breakpoints of law every dt from t0 to t1 (the last one at t1). */
static void sample_law(bp_list *l, int64_t id, phase_law *law,
                       const double *arg, double amp, double t0, double t1,
                       double dt)
{
	int n = (int)ceil((t1 - t0) / dt - 1e-9);
	for (int k = 0; k <= n; k++) {
		double t = k == n ? t1 : t0 + k * dt, ph, f;
		law(t, arg, &ph, &f);
		bp_add(l, id, t, f, amp, ph, 0, k == n);
	}
}

/* 10 log10(sum ref^2 / sum (y - ref)^2) over samples [a, b) of
 * amp cos(law). */
static double snr_law(const float *y, size_t len, phase_law *law,
                      const double *arg, double amp, size_t a, size_t b)
{
	double sr = 0, se = 0;
	for (size_t n = a; n < b && n < len; n++) {
		double ph, f;
		law((double)n / FS, arg, &ph, &f);
		double r = amp * cos(ph);
		sr += r * r;
		se += (y[n] - r) * (y[n] - r);
	}
	return 10 * log10(sr / (se > 1e-300 ? se : 1e-300));
}

/* SNR of y[a..b) against its least-squares fit by one sinusoid of
 * frequency f: how purely it is a single line at f. */
static double purity(const float *y, size_t a, size_t b, double f)
{
	double cc = 0, ss = 0, cs = 0, yc = 0, ys = 0;
	for (size_t n = a; n < b; n++) {
		double w = 2 * M_PI * fmod(f * (double)n / FS, 1.0);
		double c = cos(w), s = sin(w);
		cc += c * c;
		ss += s * s;
		cs += c * s;
		yc += y[n] * c;
		ys += y[n] * s;
	}
	double det = cc * ss - cs * cs;
	double A = (yc * ss - ys * cs) / det, B = (ys * cc - yc * cs) / det;
	double sr = 0, se = 0;
	for (size_t n = a; n < b; n++) {
		double w = 2 * M_PI * fmod(f * (double)n / FS, 1.0);
		double r = A * cos(w) + B * sin(w);
		sr += r * r;
		se += (y[n] - r) * (y[n] - r);
	}
	return 10 * log10(sr / se);
}

/* The time (samples) where y crosses zero upward between n and n + 1:
 * the root of the cubic through y[n-1..n+2] (Newton from the linear
 * estimate). Linear interpolation alone errs by up to 1e-2 sample at
 * 2 kHz (the third-order term); the cubic by 1e-5. */
static double crossing(const float *y, size_t n)
{
	double m1 = y[n - 1], p0 = y[n], p1 = y[n + 1], p2 = y[n + 2];
	double x = p0 / (p0 - p1);
	for (int it = 0; it < 4; it++) {
		/* Lagrange cubic on nodes -1, 0, 1, 2 and its derivative */
		double l0 = -x * (x - 1) * (x - 2) / 6, l1 = (x + 1) * (x - 1) *
		            (x - 2) / 2, l2 = -(x + 1) * x * (x - 2) / 2,
		       l3 = (x + 1) * x * (x - 1) / 6;
		double d0 = -(3 * x * x - 6 * x + 2) / 6,
		       d1 = (3 * x * x - 4 * x - 1) / 2,
		       d2 = -(3 * x * x - 2 * x - 2) / 2,
		       d3 = (3 * x * x - 1) / 6;
		double v = l0 * m1 + l1 * p0 + l2 * p1 + l3 * p2;
		double dv = d0 * m1 + d1 * p0 + d2 * p1 + d3 * p2;
		x -= v / dv;
	}
	return (double)n + x;
}

/* Largest |instantaneous frequency - f| over y[a..b), from the periods
 * between upward zero crossings. */
static double freq_dev(const float *y, size_t a, size_t b, double f)
{
	double last = -1, dev = 0;
	for (size_t n = a + 1; n + 2 < b; n++) {
		if (!(y[n] <= 0 && y[n + 1] > 0))
			continue;
		double tc = crossing(y, n);
		if (last >= 0)
			dev = fmax(dev, fabs(FS / (tc - last) - f));
		last = tc;
	}
	return dev;
}

static double max_jump(const float *y, size_t a, size_t b)
{
	double j = 0;
	for (size_t n = a; n + 1 < b; n++)
		j = fmax(j, fabs((double)y[n + 1] - y[n]));
	return j;
}

/* ---- phase laws ---- */

/* arg: f, phase at t = arg[2] */
static void law_steady(double t, const double *arg, double *ph, double *f)
{
	*f = arg[0];
	*ph = arg[1] + 2 * M_PI * fmod(arg[0] * (t - arg[2]), 1.0);
}

/* arg: f0, rate (Hz/s), phase at 0 */
static void law_chirp(double t, const double *arg, double *ph, double *f)
{
	*f = arg[0] + arg[1] * t;
	*ph = arg[2] + 2 * M_PI * fmod(arg[0] * t + arg[1] * t * t / 2, 1.0);
}

/* arg: f0, relative depth, rate (Hz): f = f0 (1 + depth sin 2 pi rate t),
 * as tests/data/additive/tone220_vib.wav */
static void law_vibrato(double t, const double *arg, double *ph, double *f)
{
	double w = 2 * M_PI * arg[2];
	*f = arg[0] * (1 + arg[1] * sin(w * t));
	*ph = 2 * M_PI * fmod(arg[0] * (t + arg[1] * (1 - cos(w * t)) / w),
	                      1.0);
}

/* ---- fidelity ---- */

static void t_steady(double dt, double min_db)
{
	double arg[3] = { 440, 0.3, 0.1 };
	bp_list l = { 0 };
	sample_law(&l, 7, law_steady, arg, 0.5, 0.1, 1.1, dt);
	tfr_synth_params p = params();
	size_t len;
	float *y = synth_all(&p, &l, &len);
	CHECK_NEAR("steady: output length (to last fade end)", len,
	           floor((1.1 + p.fade_time) * FS) + 1, 0);
	double snr = snr_law(y, len, law_steady, arg, 0.5, (size_t)(0.1 * FS) + 1,
	                     (size_t)(1.1 * FS));
	printf("steady 440 Hz, breakpoints %g ms apart: SNR %.1f dB\n",
	       dt * 1e3, snr);
	CHECK("steady: SNR >= 80 dB", snr >= 80);
	CHECK("steady: SNR near what is achieved", snr >= min_db);
	free(y);
	free(l.b);
}

static void t_chirp(void)
{
	/* 200 Hz to 4 kHz in 1 s */
	double arg[3] = { 200, 3800, -1.0 };
	bp_list l = { 0 };
	sample_law(&l, 1, law_chirp, arg, 0.5, 0.0, 1.0, 0.0045);
	tfr_synth_params p = params();
	double snr[3];
	for (int m = 0; m < 3; m++) {
		p.phase = (tfr_synth_phase)m;
		size_t len;
		float *y = synth_all(&p, &l, &len);
		snr[m] = snr_law(y, len, law_chirp, arg, 0.5, 1, (size_t)FS);
		free(y);
	}
	printf("chirp 200 Hz..4 kHz in 1 s, breakpoints 4.5 ms apart: SNR "
	       "AUTO %.1f, STORED %.1f, FREE %.1f dB\n", snr[0], snr[1],
	       snr[2]);
	CHECK("chirp AUTO: SNR > 60 dB", snr[0] > 60);
	CHECK("chirp AUTO: SNR near what is achieved", snr[0] > 128);
	CHECK("chirp STORED: SNR near what is achieved", snr[1] > 128);
	free(l.b);
}

static void t_vibrato(void)
{
	/* harmonic 1 and 10 of tone220_vib: 220 and 2200 Hz, +-1 % at 5 Hz */
	static const double f0[2] = { 220, 2200 };
	tfr_synth_params p = params();
	for (int h = 0; h < 2; h++) {
		double arg[3] = { f0[h], 0.01, 5 }, snr[3];
		bp_list l = { 0 };
		sample_law(&l, 1, law_vibrato, arg, 0.5, 0.0, 2.0, 0.0045);
		for (int m = 0; m < 3; m++) {
			p.phase = (tfr_synth_phase)m;
			size_t len;
			float *y = synth_all(&p, &l, &len);
			snr[m] = snr_law(y, len, law_vibrato, arg, 0.5, 1,
			                 (size_t)(2 * FS));
			free(y);
		}
		printf("vibrato %g Hz +-1 %% at 5 Hz, breakpoints 4.5 ms apart: "
		       "SNR AUTO %.1f, STORED %.1f, FREE %.1f dB\n", f0[h],
		       snr[0], snr[1], snr[2]);
		CHECK("vibrato AUTO: SNR > 60 dB", snr[0] > 60);
		/* AUTO runs the first segments free, until their phases
		 * have shown that the stream is unedited */
		CHECK("vibrato AUTO: SNR near what is achieved",
		      snr[0] > (h ? 85 : 105));
		free(l.b);
	}
}

/* ---- bandwidth noise ---- */

/* A steady 1 kHz partial of amplitude 0.5 and bandwidth bw from 0.1 s
 * for dur s, breakpoints every 20 ms. */
static float *steady_bw(const tfr_synth_params *p, double bw, double dur,
                        size_t *len)
{
	double arg[3] = { 1000, 0, 0.1 };
	bp_list l = { 0 };
	sample_law(&l, 5, law_steady, arg, 0.5, 0.1, 0.1 + dur, 0.02);
	for (size_t i = 0; i < l.n; i++)
		l.b[i].bandwidth = (float)bw;
	float *y = synth_all(p, &l, len);
	free(l.b);
	return y;
}

static double power(const float *y, size_t a, size_t b)
{
	double e = 0;
	for (size_t n = a; n < b; n++)
		e += (double)y[n] * y[n];
	return e / (double)(b - a);
}

/* Welch power spectrum (Hann, 4096, hop 2048) of y[a..b) into ps[2049]. */
static void welch(const float *y, size_t a, size_t b, double *ps)
{
	enum { NF = 4096 };
	tfr_fft *cfg = tfr_fft_new(NF, 1, TFR_FFT_REAL_FORWARD, NULL);
	float *x = malloc(NF * sizeof *x);
	tfr_cpx *X = malloc((NF / 2 + 1) * sizeof *X);
	for (int k = 0; k <= NF / 2; k++)
		ps[k] = 0;
	for (size_t s = a; s + NF <= b; s += NF / 2) {
		for (int i = 0; i < NF; i++)
			x[i] = y[s + (size_t)i] *
			       (float)(0.5 - 0.5 * cos(2 * M_PI * i / NF));
		tfr_fft_forward(cfg, x, X);
		for (int k = 0; k <= NF / 2; k++)
			ps[k] += (double)X[k].r * X[k].r + (double)X[k].i * X[k].i;
	}
	free(x);
	free(X);
	tfr_fft_free(cfg);
}

static void t_energy(void)
{
	static const double bws[4] = { 0, 0.25, 0.5, 1 };
	const double dur = 60;
	tfr_synth_params p = params();
	double worst = 0;
	for (int i = 0; i < 4; i++) {
		size_t len;
		float *y = steady_bw(&p, bws[i], dur, &len);
		double db = 10 * log10(power(y, (size_t)(0.11 * FS),
		                             (size_t)((0.09 + dur) * FS)) / 0.125);
		printf("bandwidth %.2f, 1 kHz, %g s: power re amp^2/2 %+.4f dB\n",
		       bws[i], dur, db);
		CHECK_NEAR("output power = amp^2/2 (dB)", db, 0, 0.05);
		worst = fmax(worst, fabs(db));
		if (bws[i] == 1) {
			/* the noise is a band around 1 kHz: half width at
			 * -3 dB, power within +-1.5 kHz */
			double ps[2049], tot = 0, in = 0, in3 = 0, peak = 0;
			welch(y, (size_t)(0.2 * FS), (size_t)(20 * FS), ps);
			for (int k = 0; k <= 2048; k++) {
				double f = k * FS / 4096;
				tot += ps[k];
				in += fabs(f - 1000) < 1500 ? ps[k] : 0;
				in3 += fabs(f - 1000) < 3000 ? ps[k] : 0;
			}
			double sm[2049];
			for (int k = 0; k <= 2048; k++) {
				sm[k] = 0;
				for (int j = k - 5; j <= k + 5; j++)
					sm[k] += j >= 0 && j <= 2048 ? ps[j] : 0;
				peak = fmax(peak, sm[k]);
			}
			int hi = (int)(1000 * 4096 / FS);
			while (hi < 2048 && sm[hi] > peak / 2)
				hi++;
			double half = hi * FS / 4096 - 1000;
			printf("bandwidth 1: noise -3 dB half width %.0f Hz, "
			       "%.5f of the power within +-1.5 kHz, %.6f within "
			       "+-3 kHz\n", half, in / tot, in3 / tot);
			CHECK("noise band: 99.5 % within +-1.5 kHz",
			      in / tot > 0.995);
			CHECK("noise band: 99.99 % within +-3 kHz",
			      in3 / tot > 0.9999);
			CHECK("noise band half width 400..900 Hz",
			      half > 400 && half < 900);
		}
		free(y);
	}
	CHECK("power near what is achieved", worst <= 0.03);
	/* bandwidth off: the full amplitude as a pure sinusoid */
	p.bandwidth = 0;
	size_t len;
	float *y = steady_bw(&p, 1, 2, &len);
	double pure = purity(y, (size_t)(0.11 * FS), (size_t)(2.09 * FS), 1000);
	double db = 10 * log10(power(y, (size_t)(0.11 * FS),
	                             (size_t)(2.09 * FS)) / 0.125);
	printf("bandwidth 1 with params.bandwidth = 0: purity %.1f dB, power "
	       "%+.2g dB\n", pure, db);
	CHECK("bandwidth off: a pure sinusoid", pure > 120);
	CHECK_NEAR("bandwidth off: full power (dB)", db, 0, 1e-4);
	free(y);
}

/* Same input, same seed: the same samples, however the input and the
 * output are split; another seed: other noise. */
static float *synth_split(const tfr_synth_params *p, const bp_list *l,
                          size_t in_chunk, size_t out_chunk, size_t len)
{
	tfr_synth *s = tfr_synth_new(p, NULL);
	float *y = calloc(len, sizeof *y);
	size_t n = 0;
	for (size_t i = 0; i < l->n; i += in_chunk) {
		size_t k = l->n - i < in_chunk ? l->n - i : in_chunk;
		CHECK("split: process", tfr_synth_process(s, l->b + i, k) == 0);
		size_t g;
		while (n < len && (g = tfr_synth_read(s, y + n,
		            len - n < out_chunk ? len - n : out_chunk)))
			n += g;
	}
	tfr_synth_flush(s);
	size_t g;
	while (n < len && (g = tfr_synth_read(s, y + n, len - n)))
		n += g;
	CHECK("split: whole output", n == len);
	tfr_synth_free(s);
	return y;
}

static void t_determinism(void)
{
	/* 12 partials with bandwidth, staggered, breakpoints every 5 ms */
	bp_list l = { 0 };
	for (int k = 0; k < 400; k++) {
		double t = 0.05 + k * 0.005;
		for (int j = 0; j < 12; j++) {
			int life = 20 + 7 * j;  /* breakpoints per partial */
			int id = j + 12 * (k / life), last = k % life == life - 1;
			double f = 300 + 517 * j + 3 * (k % life);
			bp_add(&l, id, t, f, 0.05, 0.1 * k + j, 0.2 + 0.06 * j,
			       last || k == 399);
		}
	}
	tfr_synth_params p = params();
	size_t len;
	float *ref = synth_all(&p, &l, &len);
	float *a = synth_split(&p, &l, 1, 7, len);
	float *b = synth_split(&p, &l, 97, 1000, len);
	CHECK("determinism: one at a time, read by 7 = all at once",
	      memcmp(ref, a, len * sizeof *a) == 0);
	CHECK("determinism: 97 at a time, read by 1000 = all at once",
	      memcmp(ref, b, len * sizeof *b) == 0);
	/* the same partials as pure noise (bandwidth 1) by seeds 1 and 2 */
	for (size_t i = 0; i < l.n; i++)
		l.b[i].bandwidth = 1;
	size_t len2, len3;
	float *c = synth_all(&p, &l, &len2);
	p.seed = 2;
	float *d = synth_all(&p, &l, &len3);
	double xy = 0, xx = 0, yy = 0;
	for (size_t n = 0; n < len2 && n < len3; n++) {
		xy += (double)c[n] * d[n];
		xx += (double)c[n] * c[n];
		yy += (double)d[n] * d[n];
	}
	double corr = xy / sqrt(xx * yy);
	printf("noise of seeds 1 and 2: correlation %.3f\n", corr);
	CHECK("another seed, other noise (|corr| < 0.1)", fabs(corr) < 0.1);
	CHECK("same length whatever the seed", len == len2 && len == len3);
	free(ref);
	free(a);
	free(b);
	free(c);
	free(d);
	free(l.b);
}

/* ---- fades, Nyquist ---- */

static void t_fades(void)
{
	/* 600 Hz from t0 = 0.2 s (phase 1.0) to 0.3 s, amplitude 0.4 */
	const double t0 = 0.2, t1 = 0.3, ph0 = 1.0;
	double arg[3] = { 600, ph0, t0 };
	bp_list l = { 0 };
	sample_law(&l, 9, law_steady, arg, 0.4, t0, t1, 0.005);
	tfr_synth_params p = params();
	size_t len;
	float *y = synth_all(&p, &l, &len);
	double fade = p.fade_time;
	size_t first = 0, last = 0;
	for (size_t n = 0; n < len; n++)
		if (y[n] != 0) {
			if (!first)
				first = n;
			last = n;
		}
	printf("fades: first sound at %.4f ms before t0, last %.4f ms "
	       "after the last breakpoint (fade %g ms)\n",
	       (t0 * FS - (double)first) / FS * 1e3,
	       ((double)last - t1 * FS) / FS * 1e3, fade * 1e3);
	CHECK("fade in: nothing before t0 - fade",
	      (double)first > (t0 - fade) * FS);
	CHECK("fade in: sound within the fade", (double)first < t0 * FS);
	CHECK("fade out: nothing after the last + fade",
	      (double)last <= (t1 + fade) * FS);
	CHECK("fade out: sound after the last breakpoint",
	      (double)last > t1 * FS);
	/* the onset reaches its analysed phase at t0: sample t0 fs (exact)
	 * is 0.4 cos(ph0); the following samples follow the law */
	size_t n0 = (size_t)(t0 * FS);
	CHECK_NEAR("onset: the analysed phase at t0", y[n0], 0.4 * cos(ph0),
	           1e-6);
	double e = 0;
	for (size_t n = n0; n < n0 + 100; n++) {
		double ph, f;
		law_steady((double)n / FS, arg, &ph, &f);
		e = fmax(e, fabs(y[n] - 0.4 * cos(ph)));
	}
	printf("onset: max |error| over the first 100 samples from t0 %.2g\n",
	       e);
	CHECK_NEAR("onset: sharp (no fade after t0)", e, 0, 3e-7);
	/* smoothstep: the fade's envelope |y| / cos stays below 0.4 and
	 * starts with zero slope (the first sample's amplitude is tiny) */
	double a1 = fabs(y[first]) / 0.4;
	printf("fade in: first sample at %.3g of the amplitude\n", a1);
	CHECK("fade in: starts from zero slope", a1 < 0.02);
	free(y);
	free(l.b);
	/* a partial of one breakpoint: fade in, fade out, nothing else */
	bp_list one = { 0 };
	bp_add(&one, 1, 0.5, 1000, 0.3, 0.7, 0, 1);
	y = synth_all(&p, &one, &len);
	int outside = 0;
	for (size_t n = 0; n < len; n++)
		outside |= y[n] != 0 && fabs((double)n / FS - 0.5) >= fade;
	CHECK("one breakpoint: sound only within +-fade", !outside);
	CHECK_NEAR("one breakpoint: amplitude and phase at its time",
	           y[22050], 0.3 * cos(0.7), 1e-6);
	free(y);
	free(one.b);
	/* a partial from before time 0: the samples from 0 follow it */
	double argn[3] = { 700, -0.4, -0.0123 };
	bp_list neg = { 0 };
	sample_law(&neg, 2, law_steady, argn, 0.5, -0.0123, 0.2, 0.005);
	y = synth_all(&p, &neg, &len);
	double sn = snr_law(y, len, law_steady, argn, 0.5, 0, (size_t)(0.2 * FS));
	printf("partial from t = -12.3 ms: SNR from sample 0 %.1f dB\n", sn);
	CHECK("before time 0: the samples from 0 follow the law", sn > 100);
	free(y);
	free(neg.b);
	/* no breakpoints: no samples */
	tfr_synth *s = tfr_synth_new(&p, NULL);
	float z[8];
	tfr_synth_flush(s);
	CHECK("no breakpoints, no samples", tfr_synth_read(s, z, 8) == 0);
	tfr_synth_free(s);
}

static void t_nyquist(void)
{
	/* amplitude 0.5, gliding 20 kHz -> 24 kHz from 0.1 to 0.3 s
	 * (Nyquist 22.05 kHz crossed at 0.2025 s); bp every 5 ms, FREE (so
	 * that the phase is the integral of the linear frequency) */
	bp_list l = { 0 };
	double f[41], t[41];
	for (int k = 0; k <= 40; k++) {
		t[k] = 0.1 + k * 0.005;
		f[k] = 20000 + 4000 * (t[k] - 0.1) / 0.2;
		bp_add(&l, 1, t[k], f[k], 0.5, 0.3, 0, k == 40);
	}
	/* and one partial wholly above Nyquist */
	bp_list hi = { 0 };
	bp_add(&hi, 2, 0.1, 30000, 0.5, 0, 0, 0);
	bp_add(&hi, 2, 0.2, 30000, 0.5, 0, 0, 1);
	tfr_synth_params p = params();
	p.phase = TFR_SYNTH_PHASE_FREE;
	size_t len, lenh;
	float *y = synth_all(&p, &l, &len);
	float *z = synth_all(&p, &hi, &lenh);
	/* the model: amplitude 0.5 up to the last breakpoint below Nyquist
	 * (k = 20, 22 kHz), then linear to 0 at the first above (k = 21,
	 * 22.1 kHz), 0 after; phase the integral of the linear frequency */
	double err = 0, ph = 0.3 / (2 * M_PI), after = 0;
	for (int k = 0; k < 21; k++) {
		double a0 = 0.5, a1 = k < 20 ? 0.5 : 0;
		double L = (t[k + 1] - t[k]) * FS;
		for (size_t n = (size_t)(t[k] * FS) + 1;
		     n <= (size_t)(t[k + 1] * FS); n++) {
			double x = (double)n - t[k] * FS, u = x / L;
			double th = ph + f[k] / FS * x +
			            (f[k + 1] - f[k]) / FS * x * x / (2 * L);
			double want = (a0 + (a1 - a0) * u) *
			              cos(2 * M_PI * fmod(th, 1.0));
			err = fmax(err, fabs(y[n] - want));
		}
		ph += (f[k] + f[k + 1]) / FS * L / 2;
		ph -= floor(ph);
	}
	for (size_t n = (size_t)(t[21] * FS) + 1; n < len; n++)
		after = fmax(after, fabs(y[n]));
	double zmax = 0;
	for (size_t n = 0; n < lenh; n++)
		zmax = fmax(zmax, fabs(z[n]));
	printf("Nyquist: crossing faded linearly over the segment into it: "
	       "max |error| %.2g; after it max |y| %g; a partial above "
	       "Nyquist max |y| %g\n", err, after, zmax);
	CHECK_NEAR("Nyquist: faded over one segment, no jump", err, 0, 3e-6);
	CHECK("Nyquist: silent above", after == 0);
	CHECK("Nyquist: a partial above is silent", zmax == 0);
	free(y);
	free(z);
	free(l.b);
	free(hi.b);
}

/* ---- edited streams ---- */

/* Breakpoints of a steady partial (f, phase 0 at t = 0) every dt from
 * 0.1 s to 1.1 s, their times times ts and frequencies times fr. */
static void edited(bp_list *l, double f, double dt, double ts, double fr)
{
	double arg[3] = { f, 0, 0 };
	bp_list o = { 0 };
	sample_law(&o, 3, law_steady, arg, 0.5, 0.1, 1.1, dt);
	for (size_t i = 0; i < o.n; i++) {
		tfr_breakpoint b = o.b[i];
		bp_add(l, b.partial, b.time * ts, b.freq * fr, b.amp, b.phase,
		       0, b.end);
	}
	free(o.b);
}

typedef struct {
	double jump, dev, pure;
	tfr_synth_stats st;
} edit_result;

/* Synthesise l in mode m and measure its body [a, b) s against f. */
static edit_result edit_run(const bp_list *l, tfr_synth_phase m, double a,
                            double b, double f)
{
	tfr_synth_params p = params();
	p.phase = m;
	tfr_diag d;
	tfr_synth *s = tfr_synth_new(&p, &d);
	tfr_synth_process(s, l->b, l->n);
	tfr_synth_flush(s);
	size_t len = (size_t)(b * FS) + 100;
	float *y = calloc(len, sizeof *y);
	size_t got = tfr_synth_read(s, y, len);
	edit_result r;
	tfr_synth_get_stats(s, &r.st);
	tfr_synth_free(s);
	size_t n0 = (size_t)(a * FS) + 1, n1 = (size_t)(b * FS);
	CHECK("edited: output long enough", got >= n1);
	r.jump = max_jump(y, n0, n1);
	r.dev = freq_dev(y, n0, n1, f);
	r.pure = purity(y, n0, n1, f);
	free(y);
	return r;
}

static void t_edited(void)
{
	bp_list plain = { 0 }, slow = { 0 }, up = { 0 }, odd = { 0 };
	edited(&plain, 440, 0.005, 1, 1);
	edited(&slow, 440, 0.005, 2, 1);
	edited(&up, 440, 0.005, 1, 1.5);
	edited(&odd, 443.7, 0.0047, 1.37, 1);
	edit_result r0 = edit_run(&plain, TFR_SYNTH_PHASE_AUTO, 0.1, 1.1, 440);
	edit_result ra = edit_run(&slow, TFR_SYNTH_PHASE_AUTO, 0.2, 2.2, 440);
	edit_result rs = edit_run(&slow, TFR_SYNTH_PHASE_STORED, 0.2, 2.2, 440);
	edit_result ta = edit_run(&up, TFR_SYNTH_PHASE_AUTO, 0.1, 1.1, 660);
	edit_result ts = edit_run(&up, TFR_SYNTH_PHASE_STORED, 0.1, 1.1, 660);
	edit_result oa = edit_run(&odd, TFR_SYNTH_PHASE_AUTO, 0.137, 1.507,
	                          443.7);
	edit_result os = edit_run(&odd, TFR_SYNTH_PHASE_STORED, 0.137, 1.507,
	                          443.7);
	printf("unedited 440 Hz AUTO: max jump %.5f, |f - 440| <= %.2g Hz, "
	       "purity %.1f dB, segments stored %lld free %lld\n", r0.jump,
	       r0.dev, r0.pure, (long long)r0.st.seg_stored,
	       (long long)r0.st.seg_free);
	printf("times x2, AUTO: max jump %.5f (%.4f x unedited), |f - 440| "
	       "<= %.2g Hz, purity %.1f dB; STORED: jump %.5f, |f - 440| up "
	       "to %.1f Hz, purity %.1f dB\n", ra.jump, ra.jump / r0.jump,
	       ra.dev, ra.pure, rs.jump, rs.dev, rs.pure);
	printf("freqs x1.5, AUTO: |f - 660| <= %.2g Hz, purity %.1f dB; "
	       "STORED: |f - 660| up to %.1f Hz, purity %.1f dB\n", ta.dev,
	       ta.pure, ts.dev, ts.pure);
	printf("443.7 Hz every 4.7 ms, times x1.37, AUTO: |df| <= %.2f Hz, "
	       "purity %.1f dB, segments stored %lld bent %lld free %lld; "
	       "STORED: |df| up to %.1f Hz, purity %.1f dB\n", oa.dev, oa.pure,
	       (long long)oa.st.seg_stored, (long long)oa.st.seg_bent,
	       (long long)oa.st.seg_free, os.dev, os.pure);
	CHECK("times x2 AUTO: jump within 2 % of unedited",
	      ra.jump <= 1.02 * r0.jump);
	CHECK_NEAR("times x2 AUTO: no warble (Hz)", ra.dev, 0, 1e-3);
	CHECK("times x2 AUTO: a single 440 Hz line (>= 60 dB)", ra.pure >= 60);
	CHECK("times x2 AUTO: purity near what is achieved", ra.pure >= 130);
	CHECK("times x2 STORED: warble shows (> 10 Hz)", rs.dev > 10);
	CHECK_NEAR("freqs x1.5 AUTO: no warble (Hz)", ta.dev, 0, 1e-3);
	CHECK("freqs x1.5 AUTO: a single 660 Hz line (>= 60 dB)",
	      ta.pure >= 60);
	CHECK("freqs x1.5 AUTO: purity near what is achieved", ta.pure >= 130);
	CHECK("freqs x1.5 STORED: warble shows (> 10 Hz)", ts.dev > 10);
	CHECK("times x1.37 AUTO: no bend (runs free)",
	      oa.dev <= 0.01);
	free(plain.b);
	free(slow.b);
	free(up.b);
	free(odd.b);
}

/* AUTO on a vibrato partial stretched in time, whose stored phases
 * sometimes happen to fit (2200 Hz, breakpoints 4.5 ms apart, times x 4:
 * the phase the stored ones lag per segment, 2200 0.0045 3 = 29.7
 * turns, swings by +-0.3 turn with the vibrato, through whole turns):
 * the stream's misfits as a whole show it edited, and it runs free.
 * Instantaneous frequency from zero crossings against the law's at the
 * unstretched time. */
static void t_edited_vibrato(void)
{
	const double ts = 4, arg[3] = { 2200, 0.01, 5 };
	bp_list o = { 0 }, l = { 0 };
	sample_law(&o, 1, law_vibrato, arg, 0.5, 0.1, 2.0, 0.0045);
	for (size_t i = 0; i < o.n; i++)
		bp_add(&l, 1, o.b[i].time * ts, o.b[i].freq, 0.5, o.b[i].phase,
		       0, o.b[i].end);
	double dev[3];
	tfr_synth_stats st = { 0 };
	for (int m = 0; m < 3; m++) {
		tfr_synth_params p = params();
		p.phase = (tfr_synth_phase)m;
		tfr_synth *s = tfr_synth_new(&p, NULL);
		tfr_synth_process(s, l.b, l.n);
		tfr_synth_flush(s);
		size_t len = (size_t)(2.1 * ts * FS);
		float *y = calloc(len, sizeof *y);
		len = tfr_synth_read(s, y, len);
		if (m == 0)
			tfr_synth_get_stats(s, &st);
		tfr_synth_free(s);
		double last = -1;
		dev[m] = 0;
		for (size_t n = (size_t)(0.2 * ts * FS); n < (size_t)(1.9 * ts * FS);
		     n++) {
			if (!(y[n] <= 0 && y[n + 1] > 0))
				continue;
			double tc = crossing(y, n);
			if (last >= 0) {
				double ph, f;
				law_vibrato((tc + last) / 2 / FS / ts, arg, &ph, &f);
				dev[m] = fmax(dev[m], fabs(FS / (tc - last) - f));
			}
			last = tc;
		}
		free(y);
	}
	printf("vibrato 2200 Hz, times x%.2f: largest |f - law| AUTO %.3f Hz "
	       "(segments stored %lld, bent %lld, free %lld), STORED %.1f Hz, "
	       "FREE %.3f Hz\n", ts, dev[0], (long long)st.seg_stored,
	       (long long)st.seg_bent, (long long)st.seg_free, dev[1], dev[2]);
	/* the bend adds to the linear course's own departure from the law
	 * (FREE's figure) */
	CHECK("edited vibrato AUTO: no bend beyond the linear course",
	      dev[0] <= dev[2] + 0.01);
	CHECK("edited vibrato AUTO: the stream is seen to be edited (all "
	      "segments free)", st.seg_stored + st.seg_bent == 0);
	CHECK("edited vibrato STORED: warble shows (> 10 Hz)", dev[1] > 10);
	/* linear frequency between breakpoints T = 18 ms apart departs from
	 * the law by T^2/8 max|f''| = T^2/8 2200 0.01 (2 pi 5/4)^2 */
	CHECK_NEAR("edited vibrato FREE: linear course (Hz)", dev[2],
	           0.018 * 0.018 / 8 * 2200 * 0.01 * pow(2 * M_PI * 5 / 4, 2),
	           0.01);
	free(o.b);
	free(l.b);
}

/* ---- reference data: Loris's partials of tone220_vib ---- */

static double be64(const unsigned char *p)
{
	uint64_t u = 0;
	for (int i = 0; i < 8; i++)
		u = u << 8 | p[i];
	double d;
	memcpy(&d, &u, sizeof d);
	return d;
}

static uint32_t be32(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	       (uint32_t)p[2] << 8 | p[3];
}

static int by_time(const void *a, const void *b)
{
	const tfr_breakpoint *x = a, *y = b;
	if (x->time != y->time)
		return x->time < y->time ? -1 : 1;
	return x->partial < y->partial ? -1 : x->partial > y->partial;
}

/* The breakpoints of a Loris RBEP file in stream order (matrices walked
 * one by one: Loris's frame sizes are wrong, additive-model.md §3.8). */
static bp_list read_rbep(const char *path)
{
	bp_list l = { 0 };
	FILE *f = fopen(path, "rb");
	if (!CHECK("RBEP file opens", f != NULL))
		return l;
	unsigned char *d = malloc(1 << 20);
	size_t n = fread(d, 1, 1 << 20, f), at = 16;
	fclose(f);
	while (at + 24 <= n && !memcmp(d + at, "RBEP", 4)) {
		double ft = be64(d + at + 8);
		uint32_t nmat = be32(d + at + 20);
		at += 24;
		for (uint32_t m = 0; m < nmat && at + 16 <= n; m++) {
			uint32_t rows = be32(d + at + 8), cols = be32(d + at + 12);
			at += 16;
			for (uint32_t r = 0; r < rows && at + 48 <= n; r++) {
				const unsigned char *v = d + at + 8 * (size_t)r * cols;
				bp_add(&l, (int64_t)be64(v), ft + be64(v + 40),
				       be64(v + 8), be64(v + 16), be64(v + 24),
				       be64(v + 32), 0);
			}
			at += 8 * (size_t)rows * cols;
		}
	}
	free(d);
	qsort(l.b, l.n, sizeof *l.b, by_time);
	/* the end flag on each partial's last breakpoint (Loris numbers
	 * them from 0) */
	int64_t ids = 0;
	for (size_t i = 0; i < l.n; i++)
		ids = l.b[i].partial + 1 > ids ? l.b[i].partial + 1 : ids;
	char *seen = calloc((size_t)ids + 1, 1);
	for (size_t i = l.n; i-- > 0;) {
		l.b[i].end = !seen[l.b[i].partial];
		seen[l.b[i].partial] = 1;
	}
	free(seen);
	return l;
}

static float *read_wav(const char *path, size_t len)
{
	float *x = calloc(len, sizeof *x);
	tfr_audio_in *in = tfr_audio_in_new(path, NULL);
	if (!CHECK("WAV opens", in != NULL))
		return x;
	long got = tfr_audio_in_read_mono(in, x, len, 0);
	CHECK("WAV read", got == (long)len);
	tfr_audio_in_free(in);
	return x;
}

static double snr(const float *ref, const float *y, size_t a, size_t b)
{
	double sr = 0, se = 0;
	for (size_t n = a; n < b; n++) {
		sr += (double)ref[n] * ref[n];
		se += ((double)y[n] - ref[n]) * ((double)y[n] - ref[n]);
	}
	return 10 * log10(sr / se);
}

/* Loris analysed the tone (2 s, 10 harmonics with vibrato) into 10
 * partials and resynthesised them at 28.48 dB SNR (38.3 dB in the steady
 * part 0.1..1.9 s; additive-model.md §7.2). The same partials through
 * this synthesiser, against the tone and against Loris's own output. */
static void t_loris(void)
{
	const size_t len = 88200;
	bp_list l = read_rbep(test_data_path("additive/loris_tone_main.rbep.sdif"));
	float *x = read_wav(test_data_path("additive/tone220_vib.wav"), len);
	float *lo = read_wav(test_data_path("additive/loris_tone_main.wav"), len);
	CHECK("RBEP: 4380 breakpoints", l.n == 4380);
	double whole[3], steady[3], vs_loris[3];
	tfr_synth_params p = params();
	p.length = (int64_t)len;
	tfr_synth_stats st = { 0 };
	for (int m = 0; m < 3; m++) {
		p.phase = (tfr_synth_phase)m;
		size_t n;
		float *y = synth_all_st(&p, &l, &n, m ? NULL : &st);
		CHECK("Loris partials: the tone's length", n == len);
		whole[m] = snr(x, y, 0, len);
		steady[m] = snr(x, y, 4410, len - 4410);
		vs_loris[m] = snr(lo, y, 0, len);
		free(y);
	}
	double loris_whole = snr(x, lo, 0, len), loris_steady =
	       snr(x, lo, 4410, len - 4410);
	printf("Loris's partials of tone220_vib, SNR against the tone, whole "
	       "/ 0.1..1.9 s: AUTO %.2f / %.2f, STORED %.2f / %.2f, FREE %.2f "
	       "/ %.2f dB (Loris's synthesis %.2f / %.2f dB); against Loris's "
	       "output: AUTO %.1f, FREE %.1f dB\n", whole[0], steady[0],
	       whole[1], steady[1], whole[2], steady[2], loris_whole,
	       loris_steady, vs_loris[0], vs_loris[2]);
	printf("Loris's partials, AUTO: segments stored %lld, bent %lld, free "
	       "%lld\n", (long long)st.seg_stored, (long long)st.seg_bent,
	       (long long)st.seg_free);
	CHECK("Loris partials: Loris's own synthesis to >= 60 dB",
	      vs_loris[0] >= 60 && vs_loris[2] >= 60);
	CHECK("Loris partials: near what is achieved (57 dB)",
	      vs_loris[0] >= 57 && vs_loris[2] >= 57);
	CHECK("Loris partials AUTO: at least Loris's SNR (whole)",
	      whole[0] >= loris_whole - 0.1);
	CHECK("Loris partials AUTO: at least Loris's SNR (steady)",
	      steady[0] >= loris_steady - 0.1);
	free(x);
	free(lo);
	free(l.b);
}

/* ---- stream errors, lifecycle, parameters ---- */

static void expect_error(const char *what, const tfr_breakpoint *b, size_t n,
                         int code, const char *word)
{
	tfr_synth_params p = params();
	tfr_synth *s = tfr_synth_new(&p, NULL);
	int e = tfr_synth_process(s, b, n);
	const tfr_diag *d = tfr_synth_diag(s);
	tfr_synth_stats st;
	tfr_synth_get_stats(s, &st);
	printf("%s: \"%s\"\n", what, d->text);
	CHECK(what, e == code && d->code == code);
	CHECK("the reason names the fault", strstr(d->text, word) != NULL);
	CHECK("the breakpoints before were taken", st.breakpoints == (int64_t)n - 1);
	tfr_synth_free(s);
}

/* Ids ended in a shuffled order (as a tracker's partials end) are all
 * refused afterwards, and the ids still open are not. */
static void t_gone_many(void)
{
	enum { N = 3000 };
	tfr_synth_params p = params();
	tfr_synth *s = tfr_synth_new(&p, NULL);
	static int ended[N];
	int ok = 1;
	uint32_t x = 12345;
	for (int i = 0; i < N; i++) {
		tfr_breakpoint b = { i, 0.001 * i, 100 + i, 0.001f, 0, 0, 0 };
		ok &= tfr_synth_process(s, &b, 1) == TFR_OK;
	}
	double t = 3.0;
	for (int k = 0; k < N; k++) {
		x = x * 1664525u + 1013904223u;
		int i = (int)(x % N);
		if (ended[i] || i % 7 == 0)
			continue;
		tfr_breakpoint b = { i, t += 1e-3, 100 + i, 0.001f, 0, 0, 1 };
		ok &= tfr_synth_process(s, &b, 1) == TFR_OK;
		ended[i] = 1;
	}
	int refused = 0, taken = 0, nended = 0;
	for (int i = 0; i < N; i++) {
		tfr_breakpoint b = { i, t += 1e-3, 100 + i, 0.001f, 0, 0, 0 };
		int e = tfr_synth_process(s, &b, 1);
		nended += ended[i];
		refused += ended[i] && e == TFR_EFORMAT;
		taken += !ended[i] && e == TFR_OK;
	}
	printf("ids: %d ended (refused %d), %d open (taken %d)\n", nended,
	       refused, N - nended, taken);
	CHECK("many ids: all taken first", ok);
	CHECK("many ids: every ended one refused", refused == nended && nended > N / 2);
	CHECK("many ids: every open one taken", taken == N - nended);
	tfr_synth_free(s);
}

static void t_errors(void)
{
	const tfr_breakpoint ok = { 1, 0.1, 440, 0.5f, 0, 0, 0 };
	tfr_breakpoint b[2] = { ok, ok };
	b[1] = (tfr_breakpoint){ 2, 0.05, 440, 0.5f, 0, 0, 0 };
	expect_error("time going back", b, 2, TFR_EFORMAT, "time goes back");
	{
		/* a partial's time repeated (an edit's rounding): merged into
		 * the breakpoint before, its end kept; less than a sample
		 * later too; a sample later is a breakpoint of its own */
		tfr_synth_params p = params();
		tfr_synth *s = tfr_synth_new(&p, NULL);
		tfr_breakpoint c[4] = { ok, ok, ok, ok };
		c[1].time += 0.5 / p.sample_rate;
		c[2].time += 1.0 / p.sample_rate;
		c[3].time = c[2].time;
		c[3].end = 1;
		tfr_synth_stats st;
		int e = tfr_synth_process(s, c, 4);
		tfr_synth_get_stats(s, &st);
		CHECK("a partial's time repeated: taken", e == TFR_OK);
		CHECK("and merged (2 of 4)", st.merged == 2 && st.breakpoints == 2);
		tfr_breakpoint more = ok;
		more.time = 0.2;
		CHECK("the merged end ended the partial: its id cannot come back",
		      tfr_synth_process(s, &more, 1) == TFR_EFORMAT &&
		      (tfr_synth_get_stats(s, &st), st.partials == 1));
		tfr_synth_free(s);
	}
	b[1] = ok;
	b[1].partial = 3;
	b[1].amp = NAN;
	expect_error("NaN amplitude", b, 2, TFR_EFORMAT, "amplitude");
	b[1].amp = -0.1f;
	expect_error("negative amplitude", b, 2, TFR_EFORMAT, "amplitude");
	b[1].amp = 0.5f;
	b[1].freq = NAN;
	expect_error("NaN frequency", b, 2, TFR_EFORMAT, "frequency");
	b[1].freq = -1;
	expect_error("negative frequency", b, 2, TFR_EFORMAT, "frequency");
	b[1].freq = 440;
	b[1].bandwidth = 1.5f;
	expect_error("bandwidth above 1", b, 2, TFR_EFORMAT, "bandwidth");
	b[1].bandwidth = -0.01f;
	expect_error("bandwidth below 0", b, 2, TFR_EFORMAT, "bandwidth");
	b[1].bandwidth = NAN;
	expect_error("bandwidth NaN", b, 2, TFR_EFORMAT, "bandwidth");
	b[1].bandwidth = 0;
	b[1].time = INFINITY;
	expect_error("infinite time", b, 2, TFR_EFORMAT, "time");
	b[1].time = 0.2;
	b[1].phase = NAN;
	expect_error("NaN phase", b, 2, TFR_EFORMAT, "phase");
	b[1].phase = 0;
	b[1].partial = -4;
	expect_error("negative id", b, 2, TFR_EFORMAT, "id");
	/* after the end of input */
	tfr_synth_params p = params();
	tfr_synth *s = tfr_synth_new(&p, NULL);
	tfr_synth_flush(s);
	CHECK("breakpoints after flush: TFR_EINVAL",
	      tfr_synth_process(s, &ok, 1) == TFR_EINVAL);
	tfr_synth_free(s);
	/* an id seen again after its end is refused (tfr(5): ids are
	 * never reused), while other ids around it go on */
	tfr_breakpoint r[3] = { ok, ok, ok };
	r[0].end = 1;
	r[1].time = 0.2;
	r[1].partial = 2;
	r[2].time = 0.3;
	r[2].end = 1;
	expect_error("id after its end", r, 3, TFR_EFORMAT, "partial 1 comes back");
	t_gone_many();
	tfr_synth_free(NULL);
}

static void expect_bad(tfr_synth_params p, const char *name)
{
	tfr_diag d;
	int e = tfr_synth_check(&p, &d);
	CHECK(name, e == TFR_EINVAL && strstr(d.text, name) != NULL);
	tfr_diag_clear(&d);
	CHECK("_new refuses it", tfr_synth_new(&p, &d) == NULL &&
	                         d.code == TFR_EINVAL);
}

static void t_params(void)
{
	tfr_synth_params p = params(), q;
	tfr_diag d;
	CHECK("defaults are valid", tfr_synth_check(&p, &d) == TFR_OK);
	CHECK("default fade 1 ms, AUTO, bandwidth on, seed 1, length -1",
	      p.fade_time == 0.001 && p.phase == TFR_SYNTH_PHASE_AUTO &&
	      p.bandwidth == 1 && p.seed == 1 && p.length == -1 &&
	      p.sample_rate == 44100 && p.gain == 1 && p.max_bend == 20);
	q = p; q.sample_rate = 0; expect_bad(q, "sample_rate");
	q = p; q.sample_rate = NAN; expect_bad(q, "sample_rate");
	q = p; q.sample_rate = 1e8; expect_bad(q, "sample_rate");
	q = p; q.fade_time = -0.001; expect_bad(q, "fade_time");
	q = p; q.fade_time = NAN; expect_bad(q, "fade_time");
	q = p; q.bandwidth = 2; expect_bad(q, "bandwidth");
	q = p; q.phase = (tfr_synth_phase)7; expect_bad(q, "phase");
	q = p; q.max_bend = -1; expect_bad(q, "max_bend");
	q = p; q.max_bend = INFINITY; expect_bad(q, "max_bend");
	q = p; q.gain = NAN; expect_bad(q, "gain");
	q = p; q.length = -2; expect_bad(q, "length");
	q = p; q.portable = 3; expect_bad(q, "portable");
}

/* _reset: back to a new object (the same output again); length cuts and
 * pads. */
static void t_reset_length(void)
{
	double arg[3] = { 330, 0.5, 0.1 };
	bp_list l = { 0 };
	sample_law(&l, 4, law_steady, arg, 0.5, 0.1, 1.1, 0.005);
	for (size_t i = 0; i < l.n; i++)
		l.b[i].bandwidth = 0.3f;
	tfr_synth_params p = params();
	size_t len;
	float *ref = synth_all(&p, &l, &len);
	tfr_synth *s = tfr_synth_new(&p, NULL);
	float *y = calloc(len + 10, sizeof *y);
	tfr_synth_process(s, l.b, l.n / 2);
	tfr_synth_read(s, y, 1000);
	tfr_synth_reset(s);
	tfr_synth_stats st;
	tfr_synth_get_stats(s, &st);
	CHECK("reset: nothing held", st.alive == 0 && st.held == 0 &&
	                            st.breakpoints == 0);
	tfr_synth_process(s, l.b, l.n);
	tfr_synth_flush(s);
	size_t n = tfr_synth_read(s, y, len + 10);
	CHECK("reset: the output of a new object",
	      n == len && memcmp(y, ref, len * sizeof *y) == 0);
	tfr_synth_free(s);
	/* cut */
	p.length = 20000;
	size_t lc;
	float *c = synth_all(&p, &l, &lc);
	CHECK("length cuts: exactly length frames", lc == 20000);
	CHECK("length cuts: the same samples",
	      memcmp(c, ref, lc * sizeof *c) == 0);
	/* pad */
	p.length = 100000;
	size_t lp;
	float *q = synth_all(&p, &l, &lp);
	int zeros = 1;
	for (size_t i = len; i < lp; i++)
		zeros &= q[i] == 0;
	CHECK("length pads: exactly length frames", lp == 100000);
	CHECK("length pads: the same samples, then zeros",
	      memcmp(q, ref, len * sizeof *q) == 0 && zeros);
	/* with a length, samples come before flush, and breakpoints past
	 * the end are not held */
	p.length = 1000;
	s = tfr_synth_new(&p, NULL);
	tfr_synth_process(s, l.b, l.n);
	n = tfr_synth_read(s, y, len);
	tfr_synth_get_stats(s, &st);
	CHECK("length: all 1000 frames before flush", n == 1000);
	CHECK("length: breakpoints past it not held", st.held == 0);
	tfr_synth_free(s);
	free(ref);
	free(y);
	free(c);
	free(q);
	free(l.b);
}

/* ---- streaming: an hour of 20 partials ---- */

static void t_hour(void)
{
	/* fs 200 Hz (so that this runs fast under the sanitizers: what is
	 * tested is the memory over 720 000 breakpoints): 20 voices of
	 * amplitude 0.01 at 3..88.5 Hz, each partial living 60 s
	 * (staggered), then replaced by a new id; breakpoints every 0.1 s,
	 * fed frame by frame, output read after each frame */
	const double fs = 200, hop = 0.1, hour = 3600;
	const int voices = 20, frames = (int)(hour / hop);
	tfr_synth_params p = params();
	p.sample_rate = fs;
	tfr_synth *s = tfr_synth_new(&p, NULL);
	float *buf = malloc(4096 * sizeof *buf);
	size_t bytes_min1 = 0, bytes_max = 0, held_max = 0, alive_max = 0;
	double energy = 0, lag = 0;
	int64_t got = 0;
	for (int k = 0; k <= frames; k++) {
		double t = k * hop;
		tfr_breakpoint b[20];
		for (int v = 0; v < voices; v++) {
			int life = 600, age = (k + 31 * v) % life;
			int64_t id = v + (int64_t)voices * ((k + 31 * v) / life);
			double f = 3 + 4.5 * v, ph = 2 * M_PI * fmod(f * t, 1.0);
			int end = age == life - 1 || k == frames;
			b[v] = (tfr_breakpoint){ id, t, f, 0.01f,
			                         (float)(ph > M_PI ? ph - 2 * M_PI : ph),
			                         0.1f, end };
		}
		if (tfr_synth_process(s, b, (size_t)voices) != TFR_OK) {
			CHECK("hour: process", 0);
			break;
		}
		size_t n;
		while ((n = tfr_synth_read(s, buf, 4096)) > 0) {
			for (size_t i = 0; i < n; i++)
				energy += (double)buf[i] * buf[i];
			got += (int64_t)n;
		}
		lag = fmax(lag, t - (double)got / fs);
		tfr_synth_stats st;
		tfr_synth_get_stats(s, &st);
		if (t <= 60)
			bytes_min1 = st.bytes > bytes_min1 ? st.bytes : bytes_min1;
		bytes_max = st.bytes > bytes_max ? st.bytes : bytes_max;
		held_max = st.held > held_max ? st.held : held_max;
		alive_max = st.alive > alive_max ? st.alive : alive_max;
	}
	tfr_synth_flush(s);
	size_t n;
	while ((n = tfr_synth_read(s, buf, 4096)) > 0) {
		for (size_t i = 0; i < n; i++)
			energy += (double)buf[i] * buf[i];
		got += (int64_t)n;
	}
	tfr_synth_stats st;
	tfr_synth_get_stats(s, &st);
	double db = 10 * log10(energy / (double)got / (voices * 0.01 * 0.01 / 2));
	printf("hour of 20 voices (%lld partials, %lld breakpoints): memory "
	       "at most %zu bytes (%zu in the first minute), %zu breakpoints "
	       "and %zu partials held at most, output behind input by at most "
	       "%.4f s, power %+.4f dB re 20 amp^2/2\n",
	       (long long)st.partials, (long long)st.breakpoints, bytes_max,
	       bytes_min1, held_max, alive_max, lag, db);
	CHECK("hour: all samples, to the last fade's end",
	      got == (int64_t)floor((hour + p.fade_time) * fs) + 1);
	CHECK("hour: memory bounded (no growth after the first minute)",
	      bytes_max <= bytes_min1);
	CHECK("hour: samples come as the input goes (lag <= hop + fade)",
	      lag <= hop + p.fade_time + 1 / fs);
	CHECK("hour: at most 2 breakpoints held per partial",
	      held_max <= 2 * (size_t)voices);
	CHECK_NEAR("hour: power (dB)", db, 0, 0.05);
	CHECK_NEAR("hour: power near what is achieved (dB)", db, 0, 0.01);
	free(buf);
	tfr_synth_free(s);
}

/* ---- code paths ---- */

static void t_paths(void)
{
	/* the polynomial cosine against libm, on phases up to 2^20 turns */
	enum { NC = 1 << 20 };
	double *t = malloc(NC * sizeof *t);
	float *c = malloc(NC * sizeof *c);
	uint64_t rs = 5;
	for (size_t i = 0; i < NC; i++)
		t[i] = (test_rand(&rs) - 0.5) * (i < NC / 2 ? 2.0 : 0x1p21);
	unsigned paths[2] = { 0, tfr_cpu_features() & TFR_CPU_AVX2 };
	for (int k = 0; k < 2; k++) {
		tfr_synth_osc_cos(t, c, NC, paths[k]);
		double e = 0;
		for (size_t i = 0; i < NC; i++)
			e = fmax(e, fabs(c[i] - cos(2 * M_PI * (t[i] - floor(t[i])))));
		printf("oscillator cosine, %s path: max |error| %.2g\n",
		       paths[k] ? "AVX2" : "portable", e);
		CHECK_NEAR("oscillator cosine error", e, 0, 1e-5);
		CHECK_NEAR("oscillator cosine error near what is achieved", e, 0,
		           5e-6);
	}
	free(t);
	free(c);
	if (!paths[1]) {
		printf("no AVX2 here: only the portable path ran\n");
		return;
	}
	/* both paths on partials with noise */
	bp_list l = { 0 };
	for (int k = 0; k < 200; k++)
		for (int j = 0; j < 10; j++)
			bp_add(&l, j, 0.01 + 0.005 * k, 100 + 977 * j + k, 0.1,
			       0.3 * k * j, 0.1 * j, k == 199);
	tfr_synth_params p = params();
	size_t la, lb;
	float *a = synth_all(&p, &l, &la);
	p.portable = 1;
	float *b = synth_all(&p, &l, &lb);
	double e = 0;
	for (size_t i = 0; i < la && i < lb; i++)
		e = fmax(e, fabs(a[i] - b[i]));
	printf("AVX2 and portable paths: max |difference| %.2g\n", e);
	CHECK("paths: same length", la == lb);
	CHECK_NEAR("paths: same output but for float rounding", e, 0, 1e-5);
	CHECK_NEAR("paths: difference near what is achieved", e, 0, 1e-6);
	free(a);
	free(b);
	free(l.b);
}

/* ---- speed ---- */

#if defined(__SANITIZE_ADDRESS__) || defined(__OPTIMIZE__) == 0
#define BENCH_SECONDS 0.2
#else
#define BENCH_SECONDS 10.0
#endif

/* CPU seconds to synthesise l (already in memory), in one process call
 * per frame of 5 ms and reads of 4096 samples. */
static double bench_run(const tfr_synth_params *p, const bp_list *l)
{
	tfr_synth *s = tfr_synth_new(p, NULL);
	float *buf = malloc(4096 * sizeof *buf);
	clock_t c0 = clock();
	size_t i = 0;
	while (i < l->n) {
		size_t j = i;
		while (j < l->n && l->b[j].time == l->b[i].time)
			j++;
		tfr_synth_process(s, l->b + i, j - i);
		while (tfr_synth_read(s, buf, 4096))
			;
		i = j;
	}
	tfr_synth_flush(s);
	while (tfr_synth_read(s, buf, 4096))
		;
	double sec = (double)(clock() - c0) / CLOCKS_PER_SEC;
	free(buf);
	tfr_synth_free(s);
	return sec;
}

/* A stream with the statistics of Loris's analysis of 5 s of speech
 * (additive-model.md §7.2: 8876 partials, 46255 breakpoints, median 3
 * per partial, hop 6.25 ms, mean bandwidth 0.24): partials of 1..12
 * breakpoints (geometric, mean 5.2) starting at random frames, 80 Hz..
 * 11 kHz, bandwidth 0 for half of them, else uniform in (0, 1). */
static void speech_like(bp_list *l, double dur)
{
	const double hop = 0.00625;
	int frames = (int)(dur / hop);
	uint64_t rs = 17;
	int64_t id = 0;
	typedef struct { int64_t id; int left; double f, ph, bw, a; } voice;
	voice v[512];
	int nv = 0;
	for (int k = 0; k < frames; k++) {
		/* about 11 new partials per frame */
		int born = (int)(test_rand(&rs) * 22.2);
		for (int b = 0; b < born && nv < 512; b++) {
			int len = 1;
			while (len < 12 && test_rand(&rs) < 0.81)
				len++;
			double bw = test_rand(&rs) < 0.5 ? 0 : test_rand(&rs);
			v[nv++] = (voice){ id++, len, 80 * pow(137.5, test_rand(&rs)),
			                   6.28 * test_rand(&rs), bw,
			                   0.01 * test_rand(&rs) };
		}
		for (int i = 0; i < nv; i++) {
			v[i].left--;
			bp_add(l, v[i].id, k * hop, v[i].f, v[i].a, v[i].ph, v[i].bw,
			       v[i].left == 0 || k == frames - 1);
			v[i].ph += 2 * M_PI * v[i].f * hop;
			v[i].f *= 1 + 0.01 * (test_rand(&rs) - 0.5);
		}
		int k2 = 0;
		for (int i = 0; i < nv; i++)
			if (v[i].left > 0 && k < frames - 1)
				v[k2++] = v[i];
		nv = k2;
	}
}

static void t_bench(void)
{
	/* 100 partials alive at once, 100 Hz..10 kHz (log-uniform), gliding
	 * slowly, breakpoints every 5 ms with their phases */
	const int np = 100;
	const double dur = BENCH_SECONDS;
	bp_list l = { 0 };
	uint64_t rs = 11;
	double f0[100], ph[100];
	for (int j = 0; j < np; j++) {
		f0[j] = 100 * pow(100, test_rand(&rs));
		ph[j] = 0;
	}
	int frames = (int)(dur / 0.005);
	for (int k = 0; k <= frames; k++)
		for (int j = 0; j < np; j++) {
			double f = f0[j] * (1 + 0.01 * sin(k * 0.01 + j));
			if (k)
				ph[j] += M_PI * (f + l.b[l.n - np].freq) * 0.005;
			bp_add(&l, j, k * 0.005, f, 0.005, ph[j], 0.5, k == frames);
		}
	tfr_synth_params p = params();
	unsigned avx2 = tfr_cpu_features() & TFR_CPU_AVX2;
	for (int portable = 0; portable < 2; portable++) {
		if (!portable && !avx2)
			continue;
		for (int bw = 0; bw < 2; bw++) {
			p.portable = portable;
			p.bandwidth = bw;
			double sec = bench_run(&p, &l);
			printf("bench: %d partials, %g s at 44.1 kHz, %s, %s: %.3f s "
			       "CPU, %.0fx real time, %.2f ns per partial-sample\n",
			       np, dur, portable ? "portable" : "AVX2",
			       bw ? "bandwidth 0.5 (noise)" : "sinusoids", sec,
			       dur / sec, sec * 1e9 / (np * dur * FS));
		}
	}
	free(l.b);
	bp_list sp = { 0 };
	speech_like(&sp, 5);
	int64_t parts = 0;
	for (size_t i = 0; i < sp.n; i++)
		parts += sp.b[i].end;
	for (int bw = 1; bw >= 0; bw--) {
		p.portable = !avx2;
		p.bandwidth = bw;
		double sec = bench_run(&p, &sp);
		printf("bench: speech-like stream, 5 s, %lld partials, %zu "
		       "breakpoints, %s: %.3f s CPU (Loris: 0.31 s with "
		       "bandwidth, 0.10 s without)\n", (long long)parts, sp.n,
		       bw ? "bandwidth on" : "bandwidth off", sec);
	}
	free(sp.b);
}

int main(void)
{
	t_steady(0.005, 130);
	t_steady(0.050, 130);
	t_steady(0.5, 130);
	t_chirp();
	t_vibrato();
	t_energy();
	t_determinism();
	t_fades();
	t_nyquist();
	t_edited();
	t_edited_vibrato();
	t_loris();
	t_errors();
	t_params();
	t_reset_length();
	t_hour();
	t_paths();
	t_bench();
	return test_finish("test_synth");
}
