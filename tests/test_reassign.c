/*
 * test_reassign.c - reassignment against analytic truth: the cases T1-T6
 * of reassignment.md §5, with the tolerances of the foundation issue
 * (single precision FFTs). fs = 44100, N = 2048, H = 512, Hann unless
 * stated. Only frames lying wholly inside the signal are checked.
 */
#include "testutil.h"
#include "analyse.h"

#include <math.h>
#include <stdlib.h>

enum { FS = 44100, N = 2048, H = 512, LEN = 44100 };

static tfr_reassign_params hann(void)
{
	tfr_reassign_params p;
	tfr_reassign_params_default(&p);
	p.sample_rate = FS;
	p.threshold_db = -INFINITY;
	return p;
}

/* Frames whose window lies inside [0, LEN). */
static int inside(int64_t m)
{
	return m * H - N / 2 >= 0 && m * H + N / 2 <= LEN;
}

static double wrap(double ph)
{
	ph = fmod(ph + M_PI, 2 * M_PI);
	return (ph < 0 ? ph + 2 * M_PI : ph) - M_PI;
}

/* T1: cosine centred on bin 100; frequency, amplitude, phase, time, M. */
static void t1_bin_centred(void)
{
	double f0 = 100.0 * FS / N, ph0 = 0.7;
	float *x = calloc(LEN, sizeof *x);
	test_add_cos(x, LEN, FS, f0, 1.0, ph0);
	tfr_reassign_params p = hann();
	point_list l = analyse_signal(&p, x, LEN);
	CHECK("T1 frame count = ceil(len/hop)", l.frames == (LEN + H - 1) / H);
	double ef = 0, ea = 0, et = 0, em = 0, ep = 0;
	for (int64_t m = 0; m < l.frames; m++) {
		if (!inside(m))
			continue;
		const tfr_point *q = find_point(&l, m, 100);
		if (!CHECK("T1 peak bin present", q != NULL))
			continue;
		ef = fmax(ef, fabs(q->freq - f0));
		ea = fmax(ea, fabs(q->amp - 1));
		et = fmax(et, fabs(q->time * FS - (double)(m * H)));
		em = fmax(em, fabs(q->mixed));
		ep = fmax(ep, fabs(wrap(q->phase - wrap(2 * M_PI * f0 * q->time + ph0))));
		CHECK_NEAR("T1 f^ at k0 (Hz)", q->freq, f0, 1e-3);
		CHECK_NEAR("T1 amplitude at k0 (relative)", q->amp, 1.0, 1e-4);
		CHECK_NEAR("T1 t^ at k0 (samples)", q->time * FS, (double)(m * H), 1e-3);
		CHECK_NEAR("T1 mixed at k0", q->mixed, 0, 1e-3);
		double want = wrap(2 * M_PI * f0 * q->time + ph0);
		CHECK_NEAR("T1 phase at k0 (rad)", wrap(q->phase - want), 0, 1e-4);
		for (int d = -1; d <= 1; d += 2) {
			const tfr_point *s = find_point(&l, m, 100 + d);
			if (CHECK("T1 neighbour present", s != NULL))
				CHECK_NEAR("T1 f^ at k0+-1 (Hz)", s->freq, f0, 1e-3);
		}
	}
	printf("T1 bin-centred: |df| %.2g Hz, |dA| %.2g, |dt| %.2g samples, |M| %.2g, |dphase| %.2g rad\n",
	       ef, ea, et, em, ep);
	point_list_free(&l);
	free(x);
}

/* Check f^ of an off-bin cosine at its peak bin and two neighbours. */
static void check_off_bin(const char *name, const tfr_reassign_params *p,
                          double f0, double tol0, double tol1, double tol2)
{
	float *x = calloc(LEN, sizeof *x);
	test_add_cos(x, LEN, FS, f0, 1.0, 0.3);
	point_list l = analyse_signal(p, x, LEN);
	int k0 = (int)floor(f0 * p->fft_size / FS + 0.5);
	double tols[3] = { tol0, tol1, tol2 }, worst[3] = { 0, 0, 0 };
	for (int64_t m = 0; m < l.frames; m++) {
		if (!inside(m))
			continue;
		for (int d = -2; d <= 2; d++) {
			const tfr_point *q = find_point(&l, m, k0 + d);
			if (!CHECK(name, q != NULL))
				continue;
			CHECK_NEAR(name, q->freq, f0, tols[abs(d)]);
			worst[abs(d)] = fmax(worst[abs(d)], fabs(q->freq - f0));
		}
		const tfr_point *q = find_point(&l, m, k0);
		if (q) {
			CHECK_NEAR(name, q->time * FS, (double)(m * H), 1e-3);
			CHECK_NEAR(name, q->mixed, 0, 1e-3);
		}
	}
	printf("%s: |df| at k0 %.2g, k0+-1 %.2g, k0+-2 %.2g Hz\n", name,
	       worst[0], worst[1], worst[2]);
	point_list_free(&l);
	free(x);
}

/* T2 (Hann, 1 kHz and 3.3 kHz) and T6 (Blackman, 1 kHz). */
static void t2_t6_off_bin(void)
{
	tfr_reassign_params p = hann();
	check_off_bin("T2 1 kHz f^/t^/M", &p, 1000, 0.01, 0.01, 0.05);
	check_off_bin("T2 3.3 kHz f^/t^/M", &p, 3300, 0.01, 0.01, 0.05);
	p.window.type = TFR_WINDOW_BLACKMAN;
	check_off_bin("T6 Blackman 1 kHz f^/t^/M", &p, 1000, 0.01, 0.01, 0.05);
}

/* T3: an impulse reassigns to its own time in every bin, with f^ = bin
 * centre and M = 1. */
static void t3_impulse(void)
{
	const int n0 = 20000;
	float *x = calloc(LEN, sizeof *x);
	x[n0] = 1;
	tfr_reassign_params p = hann();
	point_list l = analyse_signal(&p, x, LEN);
	double wmax = 1;  /* Hann peak */
	size_t checked = 0;
	double et = 0, em = 0;
	for (size_t i = 0; i < l.n; i++) {
		const tfr_point *q = &l.p[i];
		/* the window value at the impulse: keep bins where w > 1e-3 max */
		double n = (double)(n0 - (q->frame * H - N / 2));
		double w = 0.5 - 0.5 * cos(2 * M_PI * n / N);
		if (n < 0 || n >= N || w <= 1e-3 * wmax)
			continue;
		checked++;
		et = fmax(et, fabs(q->time * FS - n0));
		em = fmax(em, fabs(q->mixed - 1));
		if (!CHECK_NEAR("T3 t^ (samples)", q->time * FS, n0, 1e-3) ||
		    !CHECK_NEAR("T3 f^ = bin centre (Hz)", q->freq,
		                (double)q->bin * FS / N, 1e-3) ||
		    !CHECK_NEAR("T3 mixed", q->mixed, 1, 1e-3))
			break;
	}
	/* frames 38..41 see sample 20000 with w > 1e-3 (frame 41 at n = 32,
	 * w = 2.4e-3; frame 37 not at all): 4 frames x 1025 bins */
	printf("T3 impulse: |dt| %.2g samples, |M-1| %.2g over %zu cells\n", et, em, checked);
	CHECK("T3 every bin of the frames around the impulse checked",
	      checked == 4 * 1025);
	point_list_free(&l);
	free(x);
}

/* T4: every strong point of a linear chirp lies on the instantaneous
 * frequency line f = 2000 + 5000 t^. */
static double chirp_error(const tfr_reassign_params *p)
{
	float *x = calloc(LEN, sizeof *x);
	test_add_chirp(x, LEN, FS, 2000, 5000, 1.0, 0);
	point_list l = analyse_signal(p, x, LEN);
	double worst = 0;
	size_t checked = 0;
	for (size_t i = 0; i < l.n;) {
		size_t j = i;
		float fpeak = 0;
		while (j < l.n && l.p[j].frame == l.p[i].frame)
			fpeak = fmaxf(fpeak, l.p[j++].amp);
		if (inside(l.p[i].frame))
			for (size_t k = i; k < j; k++) {
				if (l.p[k].amp < fpeak * 0.01f)  /* -40 dB of frame max */
					continue;
				double e = fabs(l.p[k].freq - (2000 + 5000 * l.p[k].time));
				worst = fmax(worst, e);
				checked++;
			}
		i = j;
	}
	CHECK("T4 points checked", checked > 900);
	point_list_free(&l);
	free(x);
	return worst;
}

static void t4_chirp(void)
{
	tfr_reassign_params p = hann();
	double e = chirp_error(&p);
	printf("T4 chirp, Hann: max |f^ - f_i(t^)| %.3g Hz\n", e);
	CHECK_NEAR("T4 Hann chirp max |f^ - f_i(t^)| (Hz)", e, 0, 0.05);
	p.window.type = TFR_WINDOW_GAUSSIAN;
	p.window.param = 200;
	e = chirp_error(&p);
	printf("T4 chirp, Gaussian sigma 200: max |f^ - f_i(t^)| %.3g Hz\n", e);
	CHECK_NEAR("T4 Gaussian chirp max |f^ - f_i(t^)| (Hz)", e, 0, 2e-3);
}

/* T5: two well separated tones: the peak bins stay exact. */
static void t5_two_tones(void)
{
	float *x = calloc(LEN, sizeof *x);
	test_add_cos(x, LEN, FS, 1000, 0.5, -M_PI / 2);
	test_add_cos(x, LEN, FS, 3300, 0.5, -M_PI / 2);
	tfr_reassign_params p = hann();
	point_list l = analyse_signal(&p, x, LEN);
	for (int64_t m = 0; m < l.frames; m++) {
		if (!inside(m))
			continue;
		const tfr_point *a = find_point(&l, m, 46), *b = find_point(&l, m, 153);
		if (CHECK("T5 peaks present", a && b)) {
			CHECK_NEAR("T5 f^ 1 kHz peak (Hz)", a->freq, 1000, 0.01);
			CHECK_NEAR("T5 f^ 3.3 kHz peak (Hz)", b->freq, 3300, 0.01);
		}
	}
	point_list_free(&l);
	free(x);
}

/* Threshold in dBFS: a -20 dBFS sine's peak passes -20.5 and fails -19.5;
 * pruning by mixed derivative separates a click from a tone. */
static void threshold_and_pruning(void)
{
	double f0 = 100.0 * FS / N;
	float *x = calloc(LEN, sizeof *x);
	test_add_cos(x, LEN, FS, f0, 0.1, 0);
	tfr_reassign_params p = hann();
	p.threshold_db = -20.5;
	point_list l = analyse_signal(&p, x, LEN);
	CHECK("threshold -20.5 keeps the -20 dBFS peak", find_point(&l, 40, 100) != NULL);
	point_list_free(&l);
	p.threshold_db = -19.5;
	l = analyse_signal(&p, x, LEN);
	CHECK("threshold -19.5 drops everything", l.n == 0);
	point_list_free(&l);

	x[22050] += 1;
	p = hann();
	p.threshold_db = -60;
	p.impulse_tol = 0.01;
	l = analyse_signal(&p, x, LEN);
	size_t bad = 0;
	for (size_t i = 0; i < l.n; i++)
		bad += fabsf(l.p[i].mixed - 1) >= 0.01f;
	CHECK("impulse pruning keeps only |M-1| < tol", bad == 0 && l.n > 0);
	CHECK("impulse pruning drops the tone's peak", find_point(&l, 10, 100) == NULL);
	point_list_free(&l);
	p.impulse_tol = -1;
	p.component_tol = 0.01;
	l = analyse_signal(&p, x, LEN);
	CHECK("component pruning keeps the tone's peak", find_point(&l, 10, 100) != NULL);
	CHECK("component pruning drops the click's high bins",
	      find_point(&l, 43, 900) == NULL);
	point_list_free(&l);
	free(x);
}

/* Zero padding (N = 4096 > L = 2048) must not change the estimates. */
static void zero_padding(void)
{
	tfr_reassign_params p = hann();
	p.fft_size = 4096;
	check_off_bin("zero-padded 1 kHz", &p, 1000, 0.01, 0.01, 0.05);
}

int main(void)
{
	t1_bin_centred();
	t2_t6_off_bin();
	t3_impulse();
	t4_chirp();
	t5_two_tones();
	threshold_and_pruning();
	zero_padding();
	return test_finish("test_reassign");
}
