/*
 * test_peaks.c - the peak picker against analytic truth: sinusoids of
 * known amplitude anywhere between bins through the real reassignment
 * (every window, with and without zero padding), the window's transform
 * against closed forms, each pruning rule on constructed points, the
 * bandwidth of a tone in band-limited noise of known power, and the
 * reference tone tone220_vib.wav (harmonic k: 0.29292/k at
 * k 220 (1 + 0.01 sin 2 pi 5 t) Hz, tests/data/README.md) with the
 * recommended analysis. Achieved figures are printed, one line each.
 */
#include "testutil.h"
#include "analyse.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

enum { FS = 44100 };

/* ---- helpers ---- */

typedef struct {
	tfr_peak *p;
	size_t n, cap;
} peak_list;

static void push_peaks(peak_list *l, const tfr_peak *p, size_t n)
{
	if (n == 0)
		return;
	if (l->n + n > l->cap) {
		l->cap = 2 * (l->n + n) + 1024;
		l->p = realloc(l->p, l->cap * sizeof *l->p);
		if (!l->p) {
			fprintf(stderr, "out of memory\n");
			exit(1);
		}
	}
	memcpy(l->p + l->n, p, n * sizeof *p);
	l->n += n;
}

/* The peak-picker parameters that go with an analysis. */
static tfr_peaks_params params_for(const tfr_reassign_params *rp)
{
	tfr_peaks_params pp;
	tfr_peaks_params_default(&pp);
	pp.sample_rate = rp->sample_rate;
	pp.window = rp->window;
	pp.window_length = rp->window_length;
	pp.fft_size = rp->fft_size;
	pp.hop = rp->hop;
	return pp;
}

static tfr_peaks *new_or_die(const tfr_peaks_params *pp)
{
	tfr_diag d;
	tfr_peaks *pk = tfr_peaks_new(pp, &d);
	if (!pk) {
		fprintf(stderr, "tfr_peaks_new: %s\n", d.text);
		exit(1);
	}
	return pk;
}

/* Points of frame m: [*a, *b) of l. */
static int frame_range(const point_list *l, int64_t m, size_t *a, size_t *b)
{
	size_t i = 0;
	while (i < l->n && l->p[i].frame < m)
		i++;
	*a = i;
	while (i < l->n && l->p[i].frame == m)
		i++;
	*b = i;
	return *b > *a;
}

/* The peaks of every frame of l. *cpu gets the seconds spent. */
static peak_list pick_all(const tfr_peaks_params *pp, const point_list *l,
                          double *cpu)
{
	peak_list out = { 0 };
	tfr_peaks *pk = new_or_die(pp);
	tfr_peak *buf = malloc((pp->fft_size / 2 + 1) * sizeof *buf);
	clock_t t0 = clock();
	for (size_t a = 0; a < l->n;) {
		size_t b = a, n;
		while (b < l->n && l->p[b].frame == l->p[a].frame)
			b++;
		if (tfr_peaks_process(pk, l->p + a, b - a, buf, &n) != TFR_OK) {
			fprintf(stderr, "tfr_peaks_process failed\n");
			exit(1);
		}
		push_peaks(&out, buf, n);
		a = b;
	}
	if (cpu)
		*cpu = (double)(clock() - t0) / CLOCKS_PER_SEC;
	free(buf);
	tfr_peaks_free(pk);
	return out;
}

/* The peaks of frame m alone, into out (room for a spectrum). */
static size_t pick_frame(tfr_peaks *pk, const point_list *l, int64_t m,
                         tfr_peak *out)
{
	size_t a, b, n = 0;
	if (frame_range(l, m, &a, &b))
		tfr_peaks_process(pk, l->p + a, b - a, out, &n);
	return n;
}

static const tfr_peak *nearest(const tfr_peak *p, size_t n, double f)
{
	const tfr_peak *best = NULL;
	for (size_t i = 0; i < n; i++)
		if (!best || fabs(p[i].freq - f) < fabs(best->freq - f))
			best = &p[i];
	return best;
}

static double db(double x)
{
	return 20 * log10(x);
}

static float *read_wav(const char *name, size_t *len)
{
	tfr_diag d;
	tfr_audio_in *in = tfr_audio_in_new(test_data_path(name), &d);
	if (!in) {
		fprintf(stderr, "%s: %s\n", name, d.text);
		exit(1);
	}
	size_t cap = 1 << 18, n = 0;
	float *x = malloc(cap * sizeof *x);
	long r;
	while (x && (r = tfr_audio_in_read(in, x + n, cap - n)) > 0) {
		n += (size_t)r;
		if (n == cap)
			x = realloc(x, (cap *= 2) * sizeof *x);
	}
	tfr_audio_in_free(in);
	if (!x) {
		fprintf(stderr, "out of memory\n");
		exit(1);
	}
	*len = n;
	return x;
}

static tfr_reassign_params analysis(const char *window, size_t len,
                                    size_t hop, size_t nfft)
{
	tfr_reassign_params p;
	tfr_reassign_params_default(&p);
	p.sample_rate = FS;
	if (tfr_window_parse(window, &p.window) != TFR_OK) {
		fprintf(stderr, "bad window %s\n", window);
		exit(1);
	}
	p.window_length = len;
	p.hop = hop;
	p.fft_size = nfft;
	return p;
}

/* ---- the object contract ---- */

typedef struct {
	const char *name;   /* must appear in the diagnostic */
	void (*spoil)(tfr_peaks_params *p);
} bad_case;

static void bad_rate(tfr_peaks_params *p) { p->sample_rate = 0; }
static void bad_rate_nan(tfr_peaks_params *p) { p->sample_rate = NAN; }
static void bad_len(tfr_peaks_params *p) { p->window_length = 1; }
static void bad_fft_odd(tfr_peaks_params *p) { p->fft_size = 2049; }
static void bad_fft_short(tfr_peaks_params *p) { p->fft_size = 1024; }
static void bad_hop(tfr_peaks_params *p) { p->hop = 0; }
static void bad_window(tfr_peaks_params *p)
{
	p->window.type = TFR_WINDOW_KAISER;
	p->window.param = -1;
}
static void bad_select(tfr_peaks_params *p) { p->select = (tfr_peaks_select)7; }
static void bad_threshold(tfr_peaks_params *p) { p->threshold_db = NAN; }
static void bad_fade(tfr_peaks_params *p) { p->fade_db = -1; }
static void bad_min_freq(tfr_peaks_params *p) { p->min_freq = -1; }
static void bad_max_freq(tfr_peaks_params *p) { p->max_freq = 0; }
static void bad_shift(tfr_peaks_params *p) { p->max_time_shift = -1; }
static void bad_separation(tfr_peaks_params *p) { p->separation = INFINITY; }
static void bad_component(tfr_peaks_params *p) { p->component_tol = NAN; }
static void bad_impulse(tfr_peaks_params *p) { p->impulse_tol = NAN; }
static void bad_chirp(tfr_peaks_params *p) { p->chirp_mixed = 1; }
static void bad_bandwidth(tfr_peaks_params *p)
{
	p->bandwidth = (tfr_peaks_bandwidth)5;
}
static void bad_reach(tfr_peaks_params *p) { p->bandwidth_reach = 0; }

static void test_contract(void)
{
	static const bad_case cases[] = {
		{ "sample_rate", bad_rate }, { "sample_rate", bad_rate_nan },
		{ "window_length", bad_len }, { "fft_size", bad_fft_odd },
		{ "fft_size", bad_fft_short }, { "hop", bad_hop },
		{ "window", bad_window }, { "select", bad_select },
		{ "threshold_db", bad_threshold }, { "fade_db", bad_fade },
		{ "min_freq", bad_min_freq }, { "max_freq", bad_max_freq },
		{ "max_time_shift", bad_shift }, { "separation", bad_separation },
		{ "component_tol", bad_component }, { "impulse_tol", bad_impulse },
		{ "chirp_mixed", bad_chirp }, { "bandwidth", bad_bandwidth },
		{ "bandwidth_reach", bad_reach },
	};
	tfr_peaks_params p;
	tfr_diag d;
	tfr_peaks_params_default(&p);
	CHECK("defaults pass _check", tfr_peaks_check(&p, &d) == TFR_OK);
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		tfr_peaks_params q = p;
		cases[i].spoil(&q);
		int e = tfr_peaks_check(&q, &d);
		if (!CHECK(cases[i].name, e == TFR_EINVAL && d.code == TFR_EINVAL))
			continue;
		if (!strstr(d.text, cases[i].name)) {
			fprintf(stderr, "diagnostic \"%s\" does not name %s\n", d.text,
			        cases[i].name);
			test_failures++;
		}
		CHECK("_new refuses it", tfr_peaks_new(&q, &d) == NULL &&
		                             d.code == TFR_EINVAL);
		CHECK("NULL diag", tfr_peaks_check(&q, NULL) == TFR_EINVAL);
	}
	tfr_peaks_free(NULL);
	printf("contract: %zu bad parameters named\n",
	       sizeof cases / sizeof cases[0]);
}

/* Frames must be one frame, bins strictly ascending, in the spectrum. */
static void test_bad_frames(void)
{
	tfr_peaks_params p;
	tfr_peaks_params_default(&p);
	tfr_peaks *pk = new_or_die(&p);
	tfr_point pts[3] = { { .frame = 5, .bin = 10, .freq = 215, .amp = 0.1f },
	                     { .frame = 5, .bin = 11, .freq = 236, .amp = 0.2f },
	                     { .frame = 5, .bin = 12, .freq = 258, .amp = 0.1f } };
	tfr_peak out[3];
	size_t n = 99;
	CHECK("a good frame", tfr_peaks_process(pk, pts, 3, out, &n) == TFR_OK);
	CHECK("empty frame", tfr_peaks_process(pk, NULL, 0, out, &n) == TFR_OK &&
	                         n == 0);
	pts[2].frame = 6;
	CHECK("two frames", tfr_peaks_process(pk, pts, 3, out, &n) == TFR_EINVAL &&
	                        n == 0);
	pts[2].frame = 5;
	pts[2].bin = 11;
	CHECK("repeated bin", tfr_peaks_process(pk, pts, 3, out, &n) == TFR_EINVAL);
	pts[2].bin = 9;
	CHECK("descending bins",
	      tfr_peaks_process(pk, pts, 3, out, &n) == TFR_EINVAL);
	pts[2].bin = 1025;
	CHECK("bin past Nyquist",
	      tfr_peaks_process(pk, pts, 3, out, &n) == TFR_EINVAL);
	pts[2].bin = -1;
	pts[0].bin = -3;
	CHECK("negative bin", tfr_peaks_process(pk, pts, 3, out, &n) == TFR_EINVAL);
	tfr_peaks_free(pk);
}

/* _reset gives the object of _new: same output for the same frame. */
static void test_reset(void)
{
	tfr_reassign_params rp = analysis("hann", 2048, 512, 2048);
	float *x = calloc(16384, sizeof *x);
	test_add_cos(x, 16384, FS, 1234.5, 0.3, 0.2);
	test_add_cos(x, 16384, FS, 3210.1, 0.1, 1.0);
	test_add_noise(x, 16384, 0.01, 7);
	point_list l = analyse_signal(&rp, x, 16384);
	tfr_peaks_params pp = params_for(&rp);
	pp.separation = 60;
	tfr_peaks *used = new_or_die(&pp);
	tfr_peak a[1025], b[1025];
	size_t na = 0, nb = 0, s, e;
	for (int64_t m = 0; m < 16; m++)
		if (frame_range(&l, m, &s, &e))
			tfr_peaks_process(used, l.p + s, e - s, a, &na);
	tfr_peaks_reset(used);
	frame_range(&l, 20, &s, &e);
	tfr_peaks_process(used, l.p + s, e - s, a, &na);
	tfr_peaks *fresh = new_or_die(&pp);
	nb = pick_frame(fresh, &l, 20, b);
	tfr_peaks_free(fresh);
	CHECK("_reset: same count as fresh", na == nb && na > 2);
	CHECK("_reset: same peaks as fresh",
	      na == nb && memcmp(a, b, na * sizeof *a) == 0);
	tfr_peaks_free(used);
	point_list_free(&l);
	free(x);
}

/* ---- the window's transform ---- */

/* sin(x L / 2) / sin(x / 2): the Dirichlet kernel without its phase */
static double dirichlet(double x, double L)
{
	if (fabs(sin(x / 2)) < 1e-300)
		return L;
	return sin(x * L / 2) / sin(x / 2);
}

/* |W(delta)| / W(0) in closed form: rectangular (the Dirichlet kernel)
 * and periodic Hann (three shifted kernels), theta = 2 pi delta / N. */
static double closed_form(int hann, double delta, double L, double N)
{
	double th = 2 * M_PI * delta / N;
	if (!hann)
		return fabs(dirichlet(th, L)) / L;
	/* w = 1/2 - 1/2 cos(2 pi n / L): the shifted kernels carry phases
	 * -e^{-+j pi / L} relative to the centre one */
	double s = 2 * M_PI / L, ph = M_PI / L;
	double re = 0.5 * dirichlet(th, L) +
	            0.25 * cos(ph) * (dirichlet(th - s, L) + dirichlet(th + s, L));
	double im = 0.25 * sin(ph) * (dirichlet(th + s, L) - dirichlet(th - s, L));
	return hypot(re, im) / (L / 2);
}

static void test_scalloping_table(void)
{
	static const struct { const char *name; int hann; size_t pad; } w[] = {
		{ "hann", 1, 1 }, { "hann", 1, 2 },
		{ "rectangular", 0, 1 }, { "rectangular", 0, 4 },
	};
	double worst = 0;
	for (size_t i = 0; i < 4; i++) {
		tfr_reassign_params rp = analysis(w[i].name, 2048, 512, 2048 * w[i].pad);
		tfr_peaks_params pp = params_for(&rp);
		tfr_peaks *pk = new_or_die(&pp);
		CHECK_NEAR("scalloping(0)", tfr_peaks_scalloping(pk, 0), 1, 1e-12);
		for (double d = 0; d <= 1.0; d += 1.0 / 97) {
			double want = closed_form(w[i].hann, d, 2048, 2048.0 * w[i].pad);
			double got = tfr_peaks_scalloping(pk, d);
			worst = fmax(worst, fabs(got - want));
			CHECK_NEAR("scalloping vs closed form", got, want, 1e-6);
			CHECK_NEAR("scalloping is even", tfr_peaks_scalloping(pk, -d), got,
			           1e-15);
		}
		tfr_peaks_free(pk);
	}
	printf("window transform vs closed form (Hann, rectangular; padded): max "
	       "error %.2g\n", worst);
}

/* ---- scalloping through the real reassignment ---- */

/* Worst amplitude error (dB) and frequency error (Hz) of a cosine of
 * amplitude 0.5 placed 0 .. 1/2 bin above bin 300 * pad (~6.5 kHz, far
 * from its image), read at frame 16. */
static void scallop_case(const char *window, size_t pad, double *edb,
                         double *ehz, double *raw_half)
{
	enum { LEN = 10240 };  /* frame 16 lies within */
	tfr_reassign_params rp = analysis(window, 2048, 512, 2048 * pad);
	tfr_peaks_params pp = params_for(&rp);
	pp.bandwidth = TFR_PEAKS_BW_NONE;
	double bin = (double)FS / (double)rp.fft_size;
	*edb = *ehz = 0;
	tfr_peak out[4097];
	tfr_peaks *pk = new_or_die(&pp);
	for (int i = 0; i <= 16; i++) {
		double f0 = (300.0 * (double)pad + i / 32.0) * bin;
		float *x = calloc(LEN, sizeof *x);
		test_add_cos(x, LEN, FS, f0, 0.5, 0.3);
		point_list l = analyse_signal(&rp, x, LEN);
		size_t n = pick_frame(pk, &l, 16, out);
		const tfr_peak *q = nearest(out, n, f0);
		if (CHECK("scalloping: a peak", q != NULL)) {
			double e = db(q->amp / 0.5);
			if (fabs(e) > fabs(*edb))
				*edb = e;
			if (fabs(q->freq - f0) > fabs(*ehz))
				*ehz = q->freq - f0;
		}
		if (i == 16 && raw_half) {
			const tfr_point *r = find_point(&l, 16, 300 * (int)pad);
			*raw_half = r ? db(r->amp / 0.5) : 0;
		}
		point_list_free(&l);
		free(x);
	}
	tfr_peaks_free(pk);
}

static void test_scalloping(void)
{
	/* windows that vanish at their ends reassign exactly; the others
	 * (edges) are corrected through their response, less exactly */
	static const struct { const char *name; int exact; } w[] = {
		{ "hann", 1 }, { "blackman", 1 }, { "blackman-harris", 1 },
		{ "kaiser:90dB", 1 }, { "gaussian", 1 }, { "hamming", 0 },
		{ "kaiser:6", 0 }, { "gaussian:400", 0 }, { "rectangular", 0 },
	};
	double worst_exact = 0, worst_edge = 0;
	for (size_t i = 0; i < sizeof w / sizeof w[0]; i++) {
		for (size_t pad = 1; pad <= 2; pad++) {
			double edb, ehz, raw;
			scallop_case(w[i].name, pad, &edb, &ehz, &raw);
			printf("scalloping %-15s pad %zu: worst %+.5f dB, %+.2e Hz\n",
			       w[i].name, pad, edb, ehz);
			CHECK_NEAR("stationary sine reads A (dB, target)", edb, 0, 0.01);
			if (w[i].exact) {
				worst_exact = fmax(worst_exact, fabs(edb));
				CHECK_NEAR("A, window without edges (dB)", edb, 0, 1e-4);
				CHECK_NEAR("frequency, window without edges (Hz)", ehz, 0,
				           1e-3);
			} else {
				worst_edge = fmax(worst_edge, fabs(edb));
				CHECK_NEAR("A, window with edges (dB)", edb, 0, 0.006);
				CHECK_NEAR("frequency, window with edges (Hz)", ehz, 0, 0.03);
			}
			if (i == 0 && pad == 1) {
				/* what the correction removes: Hann half-way, at the bin */
				printf("scalloping hann raw amplitude at half a bin: %+.3f dB\n",
				       raw);
				CHECK_NEAR("Hann reads 1.42 dB low at the bin", raw, -1.4236,
				           0.01);
			}
		}
	}
	printf("scalloping: worst %.2g dB (windows vanishing at their ends), "
	       "%.2g dB (with edges)\n", worst_exact, worst_edge);
}

/* A linear chirp loses amplitude in the window; its mixed derivative
 * tells how much (Hann: M ~ 0.2 at 1100 Hz/s). */
static void test_chirp(void)
{
	enum { LEN = 32768 };
	double f0 = 3000, rate = 1100, a = 0.5;
	float *x = calloc(LEN, sizeof *x);
	test_add_chirp(x, LEN, FS, f0, rate, a, 0.4);
	tfr_reassign_params rp = analysis("hann", 2048, 512, 2048);
	point_list l = analyse_signal(&rp, x, LEN);
	tfr_peaks_params pp = params_for(&rp);
	pp.bandwidth = TFR_PEAKS_BW_NONE;
	double worst[2] = { 0, 0 }, mix = 0;
	tfr_peak out[1025];
	for (int corr = 0; corr < 2; corr++) {
		pp.chirp_mixed = corr ? 0.5 : 0;
		tfr_peaks *pk = new_or_die(&pp);
		for (int64_t m = 4; m * 512 + 1024 < LEN; m++) {
			size_t n = pick_frame(pk, &l, m, out);
			const tfr_peak *q = nearest(out, n, f0 + rate * m * 512.0 / FS);
			if (!CHECK("chirp: a peak", q != NULL))
				continue;
			CHECK_NEAR("chirp on its line (Hz)", q->freq,
			           f0 + rate * q->time, 0.05);
			double e = db(q->amp / a);
			if (fabs(e) > fabs(worst[corr]))
				worst[corr] = e;
			mix = q->mixed;
		}
		tfr_peaks_free(pk);
	}
	printf("chirp 1100 Hz/s, Hann 2048: M %.3f, amplitude %+.3f dB without, "
	       "%+.4f dB with the chirp correction\n", mix, worst[0], worst[1]);
	CHECK("chirp: uncorrected is low (the case matters)", worst[0] < -0.2);
	CHECK_NEAR("chirp amplitude corrected (dB, achieved 0.03)", worst[1], 0,
	           0.05);
	point_list_free(&l);
	free(x);
}

/* ---- selection ---- */

/* A sine 20 dB under a strong one, 3 bins above it (Hann 2048): it has no
 * magnitude maximum of its own, but the reassignment converges on it. */
static void test_selection(void)
{
	enum { LEN = 16384 };
	double bin = (double)FS / 2048, f1 = 100.3 * bin, f2 = 103.3 * bin;
	tfr_reassign_params rp = analysis("hann", 2048, 512, 2048);
	tfr_peaks_params pp = params_for(&rp);
	pp.bandwidth = TFR_PEAKS_BW_NONE;
	tfr_peak out[1025];
	float *x = calloc(LEN, sizeof *x);
	test_add_cos(x, LEN, FS, f1, 0.5, 0.1);
	test_add_cos(x, LEN, FS, f2, 0.05, 1.3);
	point_list l = analyse_signal(&rp, x, LEN);
	pp.select = TFR_PEAKS_CONVERGENCE;
	tfr_peaks *pk = new_or_die(&pp);
	size_t n = pick_frame(pk, &l, 16, out);
	tfr_peaks_free(pk);
	const tfr_peak *q2 = nearest(out, n, f2), *q1 = nearest(out, n, f1);
	CHECK("convergence finds the weak sine", q2 && fabs(q2->freq - f2) < 5);
	CHECK("convergence finds the strong sine", q1 && fabs(q1->freq - f1) < 0.1);
	printf("selection, sine -20 dB 3 bins away: convergence %.2f Hz off",
	       q2 ? q2->freq - f2 : NAN);
	pp.select = TFR_PEAKS_MAGNITUDE;
	pk = new_or_die(&pp);
	n = pick_frame(pk, &l, 16, out);
	tfr_peaks_free(pk);
	q2 = nearest(out, n, f2);
	q1 = nearest(out, n, f1);
	printf(", magnitude %s\n",
	       q2 && fabs(q2->freq - f2) < 5 ? "finds it" : "misses it");
	CHECK("magnitude has no maximum there", !q2 || fabs(q2->freq - f2) > 5);
	CHECK("magnitude finds the strong sine", q1 && fabs(q1->freq - f1) < 0.1);
	point_list_free(&l);
	/* well apart (5 bins, equal), both modes agree */
	memset(x, 0, LEN * sizeof *x);
	f2 = 105.3 * bin;
	test_add_cos(x, LEN, FS, f1, 0.5, 0.1);
	test_add_cos(x, LEN, FS, f2, 0.5, 1.3);
	l = analyse_signal(&rp, x, LEN);
	for (int s = 0; s < 2; s++) {
		pp.select = s ? TFR_PEAKS_MAGNITUDE : TFR_PEAKS_CONVERGENCE;
		pk = new_or_die(&pp);
		n = pick_frame(pk, &l, 16, out);
		tfr_peaks_free(pk);
		q1 = nearest(out, n, f1);
		q2 = nearest(out, n, f2);
		CHECK_NEAR("5 bins apart: first (Hz)", q1 ? q1->freq : 0, f1, 0.15);
		CHECK_NEAR("5 bins apart: second (Hz)", q2 ? q2->freq : 0, f2, 0.15);
	}
	point_list_free(&l);
	free(x);
}

/* ---- pruning, on constructed points ---- */

/* Constructed frames: isolated cells at bin centres (each one a peak in
 * either selection mode, read exactly: no scalloping, no chirp). */
enum { FRAME = 40 };

static double frame_centre(void)
{
	return FRAME * 512.0 / FS;
}

static tfr_point cell(int bin, double amp, double dt, double mixed)
{
	tfr_point q = { .frame = FRAME, .bin = bin };
	q.freq = bin * (double)FS / 2048;
	q.time = frame_centre() + dt;
	q.amp = (float)amp;
	q.mixed = (float)mixed;
	return q;
}

static tfr_peaks_params constructed_params(void)
{
	tfr_peaks_params p;
	tfr_peaks_params_default(&p);
	p.bandwidth = TFR_PEAKS_BW_NONE;
	return p;
}

static size_t run(const tfr_peaks_params *p, const tfr_point *pts, size_t n,
                  tfr_peak *out)
{
	tfr_peaks *pk = new_or_die(p);
	size_t m = 0;
	CHECK("constructed frame accepted",
	      tfr_peaks_process(pk, pts, n, out, &m) == TFR_OK);
	tfr_peaks_free(pk);
	return m;
}

static const tfr_peak *at_bin(const tfr_peak *p, size_t n, int bin)
{
	const tfr_peak *q = nearest(p, n, bin * (double)FS / 2048);
	return q && fabs(q->freq - bin * (double)FS / 2048) < 1 ? q : NULL;
}

/* Floor -90 dBFS, fade 10 dB: dropped at or under the floor, faded by
 * Loris's alpha = (a_fade - a) / (a_fade - a_floor) below -80 dBFS. */
static void test_floor_fade(void)
{
	const double levels[] = { -95, -90.01, -89.99, -85, -80.01, -79.99, -70 };
	tfr_point pts[7];
	for (int i = 0; i < 7; i++)
		pts[i] = cell(100 + 10 * i, pow(10, levels[i] / 20), 0, 0);
	tfr_peaks_params p = constructed_params();
	tfr_peak out[7];
	size_t n = run(&p, pts, 7, out);
	double lo = pow(10, -90.0 / 20), hi = pow(10, -80.0 / 20);
	CHECK("floor: two dropped", n == 5);
	for (int i = 0; i < 7; i++) {
		const tfr_peak *q = at_bin(out, n, 100 + 10 * i);
		double a = pts[i].amp;
		if (levels[i] < -90) {
			CHECK("floor: under the floor dropped", q == NULL);
			continue;
		}
		if (!CHECK("floor: above the floor kept", q != NULL))
			continue;
		double want = a < hi ? a * (1 - (hi - a) / (hi - lo)) : a;
		CHECK_NEAR("fade: Loris's linear fade", q->amp / want, 1, 1e-6);
	}
	const tfr_peak *q = at_bin(out, n, 130);
	printf("floor/fade: -85 dBFS reads %.2f dBFS (Loris's fade)\n",
	       q ? db(q->amp) : NAN);
	/* no fade: kept as they are; -inf: nothing dropped */
	p.fade_db = 0;
	n = run(&p, pts, 7, out);
	q = at_bin(out, n, 130);
	CHECK_NEAR("fade 0: unchanged", q ? q->amp / pts[3].amp : 0, 1, 1e-6);
	p.threshold_db = -INFINITY;
	CHECK("floor -inf keeps all", run(&p, pts, 7, out) == 7);
}

static void test_freq_limits(void)
{
	/* 21.53 Hz bins: 86.1, 129.2, 4995.7, 5038.8 Hz; and a cell at bin 0
	 * reassigned below 0 Hz */
	tfr_point pts[5] = { cell(0, 0.1, 0, 0), cell(4, 0.1, 0, 0),
	                     cell(6, 0.1, 0, 0), cell(232, 0.1, 0, 0),
	                     cell(234, 0.1, 0, 0) };
	pts[0].freq = -5;
	tfr_peaks_params p = constructed_params();
	tfr_peak out[5];
	size_t n = run(&p, pts, 5, out);
	CHECK("no limits: all but the negative frequency", n == 4 &&
	                                                   out[0].freq > 0);
	p.min_freq = 100;
	p.max_freq = 5000;
	n = run(&p, pts, 5, out);
	CHECK("limits 100..5000 Hz keep two", n == 2 && at_bin(out, n, 6) &&
	                                          at_bin(out, n, 232));
	p.max_freq = 4995.7;
	n = run(&p, pts, 5, out);
	CHECK("ceiling is a bound: 4995.703 > 4995.7 dropped", n == 1);
	p.min_freq = 129.2;
	CHECK("floor is a bound: 129.199 < 129.2 dropped",
	      run(&p, pts, 5, out) == 0);
}

static void test_crop(void)
{
	double h = 512.0 / FS;
	const double dt[] = { 0, 0.4 * h, 0.9 * h, -0.9 * h, 1.1 * h, -1.1 * h };
	tfr_point pts[6];
	for (int i = 0; i < 6; i++)
		pts[i] = cell(100 + 10 * i, 0.1, dt[i], 0);
	tfr_peaks_params p = constructed_params();
	tfr_peak out[6];
	size_t n = run(&p, pts, 6, out);
	CHECK("crop, default a quarter window (one hop here): four kept", n == 4 &&
	                                          !at_bin(out, n, 140) &&
	                                          !at_bin(out, n, 150));
	p.max_time_shift = 0.5 * h;
	CHECK("crop at half a hop: two kept", run(&p, pts, 6, out) == 2);
	p.max_time_shift = INFINITY;
	CHECK("crop off: all kept", run(&p, pts, 6, out) == 6);
	/* the frame centre is m * hop: a later frame moves it */
	for (int i = 0; i < 6; i++) {
		pts[i].frame = FRAME + 1;
		pts[i].time += h;
	}
	p.max_time_shift = NAN;
	CHECK("crop follows the frame", run(&p, pts, 6, out) == 4);
}

/* Loris's thinPeaks: a peak is masked only by a *retained* stronger one. */
static void test_masking(void)
{
	/* 990.5, 1033.6, 1076.7 Hz: strong, middle, weak */
	tfr_point pts[3] = { cell(46, 1.0, 0, 0), cell(48, 0.5, 0, 0),
	                     cell(50, 0.3, 0, 0) };
	tfr_peaks_params p = constructed_params();
	tfr_peak out[3];
	CHECK("masking off: all", run(&p, pts, 3, out) == 3);
	p.separation = 50;
	size_t n = run(&p, pts, 3, out);
	CHECK("res 50 Hz: the middle one goes, the weak one stays (its masker "
	      "was not kept)", n == 2 && at_bin(out, n, 46) && at_bin(out, n, 50));
	p.separation = 100;
	n = run(&p, pts, 3, out);
	CHECK("res 100 Hz: the strongest alone", n == 1 && at_bin(out, n, 46));
	/* the order of strength, not of frequency, decides */
	pts[0].amp = 0.3f;
	pts[2].amp = 1.0f;
	p.separation = 50;
	n = run(&p, pts, 3, out);
	CHECK("mirror case", n == 2 && at_bin(out, n, 46) && at_bin(out, n, 50) &&
	                         out[1].amp > out[0].amp);
}

static void test_mixed(void)
{
	/* a sinusoid (M 0.01), an impulse (M 0.97), something else (M 0.45) */
	tfr_point pts[3] = { cell(100, 0.5, 0, 0.01), cell(200, 0.3, 0, 0.97),
	                     cell(300, 0.2, 0, 0.45) };
	tfr_peaks_params p = constructed_params();
	tfr_peak out[3];
	CHECK("mixed test off: all", run(&p, pts, 3, out) == 3);
	p.component_tol = 0.1;
	size_t n = run(&p, pts, 3, out);
	CHECK("components only: the tone", n == 1 && at_bin(out, n, 100) &&
	                                       out[0].impulse == 0);
	p.impulse_tol = 0.1;
	n = run(&p, pts, 3, out);
	const tfr_peak *imp = at_bin(out, n, 200), *tone = at_bin(out, n, 100);
	CHECK("impulses kept and marked", n == 2 && imp && imp->impulse == 1 &&
	                                      tone && tone->impulse == 0);
	CHECK("mixed passed through", imp && fabs(imp->mixed - 0.97f) < 1e-6);
}

/* ---- bandwidth ---- */

/* x += band-limited noise of power pw in [lo, hi]: uniform white noise
 * through a windowed-sinc band-pass (Blackman, 1025 taps), scaled to pw
 * over the whole signal. */
static void add_band_noise(float *x, size_t len, double lo, double hi,
                           double pw, uint64_t seed)
{
	enum { TAPS = 1025, C = TAPS / 2 };
	double h[TAPS];
	for (int n = 0; n < TAPS; n++) {
		double k = n - C, win = 0.42 - 0.5 * cos(2 * M_PI * n / (TAPS - 1)) +
		                        0.08 * cos(4 * M_PI * n / (TAPS - 1));
		double band = k == 0 ? 2 * (hi - lo) / FS
		            : (sin(2 * M_PI * hi / FS * k) - sin(2 * M_PI * lo / FS * k)) /
		              (M_PI * k);
		h[n] = band * win;
	}
	float *w = calloc(len + TAPS, sizeof *w);
	double *y = calloc(len, sizeof *y), p = 0;
	test_add_noise(w, len + TAPS, 1, seed);
	for (size_t i = 0; i < len; i++) {
		double s = 0;
		for (int n = 0; n < TAPS; n++)
			s += h[n] * w[i + (size_t)n];
		y[i] = s;
		p += s * s;
	}
	double g = sqrt(pw / (p / (double)len));
	for (size_t i = 0; i < len; i++)
		x[i] += (float)(g * y[i]);
	free(w);
	free(y);
}

/* Mean bandwidth and amp^2 of the peak at f over the frames inside. */
static void tone_stats(const tfr_peaks_params *pp, const point_list *l,
                       size_t len, double f, double *bw, double *a2)
{
	tfr_peak out[4097];
	double sb = 0, sa = 0;
	int nf = 0;
	tfr_peaks *pk = new_or_die(pp);
	for (int64_t m = 0; m * (int64_t)pp->hop + (int64_t)pp->window_length <
	                    (int64_t)len; m++) {
		if (m * (int64_t)pp->hop < (int64_t)pp->window_length)
			continue;
		size_t n = pick_frame(pk, l, m, out);
		const tfr_peak *q = nearest(out, n, f);
		if (q && fabs(q->freq - f) < 5) {
			sb += q->bandwidth;
			sa += q->amp * q->amp;
			nf++;
		}
	}
	tfr_peaks_free(pk);
	*bw = nf ? sb / nf : NAN;
	*a2 = nf ? sa / nf : NAN;
}

static double power(const float *x, size_t a, size_t b)
{
	double s = 0;
	for (size_t i = a; i < b; i++)
		s += (double)x[i] * x[i];
	return s / (double)(b - a);
}

/* Tone of amplitude A plus noise in [fc - half, fc + half]; the noise
 * fraction of the energy is r (realised, measured on the noise itself). */
static void noise_case(double fc, double half, double r_nominal,
                       double *r, double *bw, double *a2rel, uint64_t seed)
{
	enum { LEN = 65536 };
	double A = 0.1;
	float *x = calloc(LEN, sizeof *x), *nz = calloc(LEN, sizeof *nz);
	add_band_noise(nz, LEN, fc - half, fc + half,
	               r_nominal / (1 - r_nominal) * A * A / 2, seed);
	double pn = power(nz, 2048, LEN - 2048);
	*r = 2 * pn / (A * A + 2 * pn);
	for (size_t i = 0; i < LEN; i++)
		x[i] = nz[i];
	test_add_cos(x, LEN, FS, fc, A, 0.3);
	tfr_reassign_params rp = analysis("kaiser:90dB", 2048, 512, 2048);
	point_list l = analyse_signal(&rp, x, LEN);
	tfr_peaks_params pp = params_for(&rp);
	pp.separation = half + 100;  /* the noise's peaks are masked */
	double a2;
	tone_stats(&pp, &l, LEN, fc, bw, &a2);
	*a2rel = a2 / (A * A + 2 * pn);
	point_list_free(&l);
	free(x);
	free(nz);
}

static void test_bandwidth(void)
{
	/* a clean tone: no bandwidth (Hann default and Kaiser) */
	enum { LEN = 32768 };
	const char *windows[] = { "hann", "kaiser:90dB", "blackman-harris" };
	for (int w = 0; w < 3; w++) {
		float *x = calloc(LEN, sizeof *x);
		test_add_cos(x, LEN, FS, 1234.5, 0.3, 0.2);
		tfr_reassign_params rp = analysis(windows[w], 2048, 512, 2048);
		point_list l = analyse_signal(&rp, x, LEN);
		tfr_peaks_params pp = params_for(&rp);
		double bw, a2;
		tone_stats(&pp, &l, LEN, 1234.5, &bw, &a2);
		printf("bandwidth, clean tone (%s): %.2g\n", windows[w], bw);
		CHECK_NEAR("clean tone: bandwidth (target < 0.01)", bw, 0, 0.01);
		CHECK_NEAR("clean tone: bandwidth (achieved 0)", bw, 0, 1e-6);
		CHECK_NEAR("clean tone: amplitude", sqrt(a2), 0.3, 3e-5);
		point_list_free(&l);
		free(x);
	}
	/* a tone in band-limited noise: bandwidth follows the noise fraction
	 * r, reading low by the noise under the tone's main lobe, which one
	 * frame cannot tell from the tone. Stated tolerance 0.75 r <= b <= r
	 * and the energy (amp^2 = A^2 + 2 noise power) within 6 %: over six
	 * noise seeds b was 0.84-0.95 r, the energy 0.96-1.02. */
	const double rs[] = { 0.1, 0.25, 0.5 };
	const double got[] = { 0.86, 0.89, 0.88 };  /* this seed */
	for (int i = 0; i < 3; i++) {
		double r, bw, a2;
		noise_case(2000, 400, rs[i], &r, &bw, &a2, 39595);
		printf("bandwidth, 2 kHz tone + noise 1.6-2.4 kHz: fraction %.3f, "
		       "bandwidth %.3f (%.2f r), energy %.3f\n", r, bw, bw / r, a2);
		CHECK("noise fraction (stated 0.75 r .. r)",
		      bw >= 0.75 * r && bw <= r);
		CHECK_NEAR("noise fraction / r (achieved)", bw / r, got[i], 0.03);
		CHECK_NEAR("energy kept (stated 6 %)", a2, 1, 0.06);
		CHECK_NEAR("energy kept (achieved 2.4 %)", a2, 1, 0.035);
	}
	/* below 1 kHz too (Loris gives nothing below 1 kHz); the band is
	 * narrower in main lobes, so more of it is under the tone's: stated
	 * 0.65 r <= b <= r and 8 % (six seeds: 0.70-0.82 r, 0.96-1.06) */
	double r, bw, a2;
	noise_case(500, 200, 0.25, &r, &bw, &a2, 39595);
	printf("bandwidth, 500 Hz tone + noise 300-700 Hz: fraction %.3f, "
	       "bandwidth %.3f (%.2f r), energy %.3f\n", r, bw, bw / r, a2);
	CHECK("noise fraction below 1 kHz (stated 0.65 r .. r)",
	      bw >= 0.65 * r && bw <= r);
	CHECK_NEAR("noise fraction below 1 kHz / r (achieved)", bw / r, 0.74,
	           0.03);
	CHECK_NEAR("energy below 1 kHz (stated 8 %)", a2, 1, 0.08);
}

/* BW_NONE: the sinusoid alone, bandwidth 0. */
static void test_bandwidth_none(void)
{
	enum { LEN = 65536 };
	float *x = calloc(LEN, sizeof *x);
	add_band_noise(x, LEN, 1600, 2400, 0.001, 99);
	test_add_cos(x, LEN, FS, 2000, 0.1, 0.3);
	tfr_reassign_params rp = analysis("kaiser:90dB", 2048, 512, 2048);
	point_list l = analyse_signal(&rp, x, LEN);
	tfr_peaks_params pp = params_for(&rp);
	pp.separation = 500;
	pp.bandwidth = TFR_PEAKS_BW_NONE;
	double bw, a2;
	tone_stats(&pp, &l, LEN, 2000, &bw, &a2);
	CHECK("BW_NONE: bandwidth 0", bw == 0);
	CHECK_NEAR("BW_NONE: the sinusoid's amplitude", sqrt(a2), 0.1, 0.01);
	point_list_free(&l);
	free(x);
}

/* ---- the reference tone ---- */

typedef struct {
	double rms[41], corr[41], amp[41], bw, mixed[41];
	long n[41], frames, exact;
} tone_result;

/* The harmonic tone of tests/data/README.md (f0, vibrato 1 % at 5 Hz):
 * frequency error of every peak against k f0(t) at its own reassigned
 * time over 0.05-1.95 s, also after removing the curvature bias
 * f''(t) m2 / 2 (m2 the window's second moment: what a reassigned
 * frequency averages the vibrato over), mean amplitude error per
 * harmonic, and the frames with exactly one peak per harmonic. */
static tone_result measure_tone(const peak_list *pl, int K, double f0,
                                double a1, double m2)
{
	tone_result r;
	double se[41] = { 0 }, sc[41] = { 0 };
	memset(&r, 0, sizeof r);
	for (size_t a = 0; a < pl->n;) {
		size_t b = a;
		while (b < pl->n && pl->p[b].frame == pl->p[a].frame)
			b++;
		int hits[41] = { 0 }, extra = 0, steady = 1;
		for (size_t i = a; i < b; i++) {
			const tfr_peak *q = &pl->p[i];
			double t = q->time, s = sin(2 * M_PI * 5 * t);
			double f = f0 * (1 + 0.01 * s);
			int k = (int)floor(q->freq / f + 0.5);
			if (t < 0.05 || t > 1.95)
				steady = 0;
			if (k < 1 || k > K || fabs(q->freq - k * f) > 0.02 * k * f) {
				extra++;
				continue;
			}
			hits[k]++;
			if (t < 0.05 || t > 1.95)
				continue;
			double fpp = -k * f0 * 0.01 * pow(2 * M_PI * 5, 2) * s;
			double e = (q->freq - k * f) / (k * f);
			double ec = (q->freq - 0.5 * m2 * fpp - k * f) / (k * f);
			se[k] += e * e;
			sc[k] += ec * ec;
			r.amp[k] += db(q->amp / (a1 / k));
			r.mixed[k] += fabs(q->mixed);
			r.bw = fmax(r.bw, q->bandwidth);
			r.n[k]++;
		}
		if (steady && b > a) {
			int ok = !extra;
			for (int k = 1; k <= K; k++)
				ok = ok && hits[k] == 1;
			r.frames++;
			r.exact += ok;
		}
		a = b;
	}
	for (int k = 1; k <= K; k++) {
		r.rms[k] = r.n[k] ? 100 * sqrt(se[k] / r.n[k]) : INFINITY;
		r.corr[k] = r.n[k] ? 100 * sqrt(sc[k] / r.n[k]) : INFINITY;
		r.amp[k] = r.n[k] ? r.amp[k] / r.n[k] : INFINITY;
		r.mixed[k] = r.n[k] ? r.mixed[k] / r.n[k] : INFINITY;
	}
	return r;
}

/* sum tau^2 w / sum w, s^2: the window's second moment */
static double second_moment(const tfr_reassign_params *rp)
{
	size_t L = rp->window_length;
	double *w = malloc(L * sizeof *w), s0 = 0, s2 = 0;
	tfr_window_fill(&rp->window, L, w, NULL);
	for (size_t n = 0; n < L; n++) {
		double tau = ((double)n - L / 2.0) / rp->sample_rate;
		s0 += w[n];
		s2 += tau * tau * w[n];
	}
	free(w);
	return s2 / s0;
}

static tone_result run_tone(const float *x, size_t len,
                            const tfr_reassign_params *rp, double res, int K,
                            double f0, double a1)
{
	point_list l = analyse_signal(rp, x, len);
	tfr_peaks_params pp = params_for(rp);
	pp.separation = res;
	peak_list pl = pick_all(&pp, &l, NULL);
	tone_result r = measure_tone(&pl, K, f0, a1, second_moment(rp));
	free(pl.p);
	point_list_free(&l);
	return r;
}

static void print_tone(const char *name, const tone_result *r, int K)
{
	double wf = 0, wc = 0, amin = INFINITY, amax = -INFINITY;
	printf("%s: freq RMS %%", name);
	for (int k = 1; k <= K; k++) {
		wf = fmax(wf, r->rms[k]);
		wc = fmax(wc, r->corr[k]);
		amin = fmin(amin, r->amp[k]);
		amax = fmax(amax, r->amp[k]);
		if (K <= 10)
			printf(" %.4f", r->rms[k]);
	}
	printf(" (max %.4f; without the curvature bias %.4f)\n", wf, wc);
	if (K <= 10) {
		printf("%s: amp dB", name);
		for (int k = 1; k <= K; k++)
			printf(" %+.4f", r->amp[k]);
		printf("\n%s: mean |M|", name);
		for (int k = 1; k <= K; k++)
			printf(" %.4f", r->mixed[k]);
		printf("\n");
	}
	printf("%s: amp %+.4f..%+.4f dB, bandwidth max %.2g, exactly %d "
	       "harmonics in %ld/%ld steady frames\n", name, amin, amax, r->bw, K,
	       r->exact, r->frames);
}

/* tone220_vib.wav with the recommended analysis (Kaiser 90 dB, 2048,
 * hop 512, no padding, resolution 70 Hz: resolves harmonics down to
 * 85 Hz), and with a short window that meets 0.005 % on this tone
 * alone (Kaiser 90 dB, 1024: cannot resolve 85 Hz). A reassigned
 * frequency is the vibrato averaged over the window: its bias is
 * f'' m2 / 2, the same % for every harmonic, 0.014 % with the
 * recommended window; only a later stage that sees f'' over several
 * frames (the tracker) can remove it. */
static void test_tone220(void)
{
	size_t len;
	float *x = read_wav("additive/tone220_vib.wav", &len);
	CHECK("tone220_vib: 2 s", len == 88200);
	tfr_reassign_params rec = analysis("kaiser:90dB", 2048, 512, 2048);
	tone_result r = run_tone(x, len, &rec, 70, 10, 220, 0.29292);
	print_tone("tone220 kaiser:90dB/2048/512", &r, 10);
	for (int k = 1; k <= 10; k++) {
		CHECK_NEAR("rec: freq RMS % (stated 0.02)", r.rms[k], 0, 0.02);
		CHECK_NEAR("rec: freq RMS % (achieved 0.014)", r.rms[k], 0, 0.0155);
		CHECK_NEAR("rec: freq RMS % less curvature (target 0.005)",
		           r.corr[k], 0, 0.005);
		CHECK_NEAR("rec: freq RMS % less curvature (achieved 0.0018)",
		           r.corr[k], 0, 0.004);
		CHECK_NEAR("rec: mean amp dB (target 0.03)", r.amp[k], 0, 0.03);
		CHECK_NEAR("rec: mean amp dB (achieved 0.0024)", r.amp[k], 0, 0.008);
	}
	CHECK("rec: exactly the 10 harmonics in every steady frame",
	      r.frames > 150 && r.exact == r.frames);
	CHECK_NEAR("rec: bandwidth (target 0.01)", r.bw, 0, 0.01);
	CHECK_NEAR("rec: bandwidth (achieved 0)", r.bw, 0, 1e-4);

	tfr_reassign_params shrt = analysis("kaiser:90dB", 1024, 256, 1024);
	r = run_tone(x, len, &shrt, 176, 10, 220, 0.29292);
	print_tone("tone220 kaiser:90dB/1024/256", &r, 10);
	for (int k = 1; k <= 10; k++) {
		CHECK_NEAR("short: freq RMS % (target 0.005)", r.rms[k], 0, 0.005);
		CHECK_NEAR("short: mean amp dB (target 0.03)", r.amp[k], 0, 0.03);
		CHECK_NEAR("short: mean amp dB (achieved 0.001)", r.amp[k], 0, 0.004);
	}
	CHECK("short: exactly the 10 harmonics", r.exact == r.frames);
	free(x);
}

/* The same tone at f0 = 85 Hz with 40 harmonics: the recommended
 * analysis resolves a low voice. */
static void test_low_voice(void)
{
	size_t len = 88200;
	float *x = calloc(len, sizeof *x);
	for (size_t n = 0; n < len; n++) {
		double t = n / (double)FS, s = 0;
		double ph = 2 * M_PI * 85 * (t + 0.01 * (1 - cos(2 * M_PI * 5 * t)) /
		                                     (2 * M_PI * 5));
		for (int k = 1; k <= 40; k++)
			s += 0.29292 / k * sin(k * ph);
		double fade = t < 0.02 ? 0.5 - 0.5 * cos(M_PI * t / 0.02)
		            : t > 1.98 ? 0.5 - 0.5 * cos(M_PI * (2 - t) / 0.02) : 1;
		x[n] = (float)(s * fade);
	}
	tfr_reassign_params rec = analysis("kaiser:90dB", 2048, 512, 2048);
	tone_result r = run_tone(x, len, &rec, 70, 40, 85, 0.29292);
	print_tone("85 Hz x 40 kaiser:90dB/2048/512", &r, 40);
	double wf = 0, wa = 0;
	for (int k = 1; k <= 40; k++) {
		wf = fmax(wf, r.rms[k]);
		wa = fmax(wa, fabs(r.amp[k]));
	}
	CHECK("85 Hz: every harmonic in every steady frame",
	      r.frames > 150 && r.exact == r.frames);
	CHECK_NEAR("85 Hz: freq RMS % (achieved 0.026)", wf, 0, 0.04);
	CHECK_NEAR("85 Hz: mean amp dB (achieved 0.023)", wa, 0, 0.06);
	free(x);
}

/* Speech: the cost of the peak picker and the mixed derivatives of real
 * partials (printed; not asserted but for sanity). */
static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

static void test_speech(void)
{
	size_t len;
	float *x = read_wav("speech/speech44k.wav", &len);
	tfr_reassign_params rec = analysis("kaiser:90dB", 2048, 512, 2048);
	point_list l = analyse_signal(&rec, x, len);
	tfr_peaks_params pp = params_for(&rec);
	pp.separation = 70;
	double cpu;
	peak_list pl = pick_all(&pp, &l, &cpu);
	double *m = malloc(pl.n * sizeof *m), bw = 0, e = 0;
	size_t nm = 0;
	for (size_t i = 0; i < pl.n; i++) {
		if (pl.p[i].amp > 0.01)  /* -40 dBFS: partials, not noise */
			m[nm++] = fabs(pl.p[i].mixed);
		bw += pl.p[i].bandwidth * pl.p[i].amp * pl.p[i].amp;
		e += pl.p[i].amp * pl.p[i].amp;
	}
	qsort(m, nm, sizeof *m, cmp_double);
	double secs = (double)len / FS;
	printf("speech: %lld frames, %zu points, %zu peaks; peak picker %.1f ms "
	       "CPU per s of audio\n", (long long)l.frames, l.n, pl.n,
	       1e3 * cpu / secs);
	if (CHECK("speech: peaks above -40 dBFS", nm > 1000))
		printf("speech: |M| of peaks above -40 dBFS: median %.2f, 90 %% "
		       "%.2f, 99 %% %.2f; energy-weighted bandwidth %.3f\n",
		       m[nm / 2], m[nm * 9 / 10], m[nm * 99 / 100], bw / e);
	CHECK("speech: some bandwidth (aspiration, fricatives)", bw / e > 0.005);
	free(m);
	free(pl.p);
	point_list_free(&l);
	free(x);
}

int main(void)
{
	test_contract();
	test_bad_frames();
	test_reset();
	test_scalloping_table();
	test_scalloping();
	test_chirp();
	test_selection();
	test_floor_fade();
	test_freq_limits();
	test_crop();
	test_masking();
	test_mixed();
	test_bandwidth();
	test_bandwidth_none();
	test_tone220();
	test_low_voice();
	test_speech();
	return test_finish("test_peaks");
}
