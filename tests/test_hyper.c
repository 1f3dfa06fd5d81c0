/*
 * test_hyper.c - tfr_hyper against analytic truth: a sine lands in the
 * predicted frequency bin with the predicted energy, a click in the
 * predicted time bin; streaming does not depend on how the input is cut;
 * rows taken and released while streaming are the whole picture's, in
 * bounded memory; a sine reads its level in dBFS against the full scale;
 * the fast (decimated) path agrees with the full-rate path; the object
 * contract: each invalid parameter refused with its reason, _reset
 * equal to _new. Plus the .npy header and the colour map.
 */
#include "testutil.h"
#include "tfr.h"
#include "hyper_direct.h"  /* private to libtfr: tested here */
#include "hyper_interp.h"
#include "cpu.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static tfr_hyper *run(const tfr_hyper_params *p, const float *x, size_t n,
                      size_t piece)
{
	tfr_diag d;
	tfr_hyper *h = tfr_hyper_new(p, &d);
	CHECK("new", h != NULL && d.code == TFR_OK);
	if (!h)
		exit(1);
	for (size_t o = 0; o < n; o += piece)
		CHECK("process", tfr_hyper_process(h, x + o, n - o < piece ?
		                                   n - o : piece) == TFR_OK);
	CHECK("flush", tfr_hyper_flush(h) == TFR_OK);
	return h;
}

/* A steady sine: all significant energy in bin round(noct log2(maxf/f))
 * (tfr_hyper.h geometry) and, per time bin, tdeci samples times the sum
 * over the lines that pass |mp| < lint of |xi|^2 = (a/2)^2 G(f)^2, where
 * for a pure tone mp = -(f - f0)/sigma exactly (hyper-resolution.md 2.4). */
static void test_sine(void)
{
	tfr_hyper_params p;
	tfr_hyper_params_default(&p);
	size_t n = 40000;
	double f = 0.05, a = 0.5;
	float *x = calloc(n, sizeof *x);
	test_add_cos(x, n, 1.0, f, a, 0.3);
	tfr_hyper *h = run(&p, x, n, n);
	size_t ht, hf;
	tfr_hyper_size(h, &ht, &hf);
	CHECK_NEAR("ht", ht, (n + 63) / 64, 0);
	CHECK_NEAR("hf", hf, 361, 0);
	size_t jpred = (size_t)lround(48 * log2(0.45 / f));
	double want = 0;
	for (size_t l = 0; l < hf * 4; l++) {
		double f0 = p.minf * pow(2, l / 192.0);
		double s = f0 / (2 * M_PI * p.q);
		if (fabs((f - f0) / s) < p.lint)
			want += a * a / 4 * exp(-(f - f0) * (f - f0) / (s * s));
	}
	want *= 64;
	const float *E = tfr_hyper_energy(h);
	double in = 0, all = 0, worst = 0;
	for (size_t k = 20; k + 20 < ht; k++) {
		for (size_t j = 0; j < hf; j++)
			all += E[k * hf + j];
		in += E[k * hf + jpred];
		double rel = fabs(E[k * hf + jpred] - want) / want;
		if (rel > worst)
			worst = rel;
	}
	CHECK("sine energy in predicted bin", in > (1 - 1e-6) * all);
	/* Row energy: exact up to the half-way ties at n+1 = 64 k (see
	 * test_hyper_ref.c), at most one tdeci sample's worth each side. */
	CHECK_NEAR("sine row energy / prediction", worst, 0, 2.0 / 64);
	printf("sine: bin %zu holds %.9f of the energy, row energy within "
	       "%.3g of the prediction %.6g\n", jpred, in / all, worst, want);
	tfr_hyper_free(h);
	free(x);
}

/* A click at 0-based sample n0: tins = n0 + 1 exactly for a Gaussian
 * envelope, so every point lands in time bin floor((n0+1)/tdeci). */
static void test_click(void)
{
	tfr_hyper_params p;
	tfr_hyper_params_default(&p);
	p.q = 1;
	p.tdeci = 50;
	size_t n = 30000, n0 = 12345;
	float *x = calloc(n, sizeof *x);
	x[n0] = 1;
	tfr_hyper *h = run(&p, x, n, 4096);
	size_t ht, hf;
	tfr_hyper_size(h, &ht, &hf);
	size_t kpred = (n0 + 1) / 50;
	const float *E = tfr_hyper_energy(h);
	double in = 0, all = 0;
	for (size_t k = 0; k < ht; k++)
		for (size_t j = 0; j < hf; j++) {
			all += E[k * hf + j];
			if (k == kpred)
				in += E[k * hf + j];
		}
	CHECK("click energy in predicted time bin", in > (1 - 1e-9) * all);
	CHECK("click energy present", all > 0);
	printf("click: time bin %zu holds %.12f of the energy\n", kpred,
	       in / all);
	tfr_hyper_free(h);
	free(x);
}

static void signal_mix(float *x, size_t n)
{
	memset(x, 0, n * sizeof *x);
	test_add_cos(x, n, 1.0, 0.031, 0.4, 0.1);
	test_add_chirp(x, n, 1.0, 0.01, 2e-6, 0.3, 0.2);
	test_add_noise(x, n, 0.01, 7);
	x[n / 3] += 1;
}

/* How the input is cut must not matter (one thread: the sums are then
 * done in the same order, so bitwise equality is expected); two threads
 * change only the order of additions. */
static void test_streaming(void)
{
	tfr_hyper_params p;
	tfr_hyper_params_default(&p);
	p.over = 2;
	p.noct = 24;
	size_t n = 150001;
	float *x = malloc(n * sizeof *x);
	signal_mix(x, n);
	tfr_hyper *a = run(&p, x, n, n);
	tfr_hyper *b = run(&p, x, n, 1000);
	p.threads = 2;
	tfr_hyper *c = run(&p, x, n, 65537);
	size_t ht, hf;
	tfr_hyper_size(a, &ht, &hf);
	const float *Ea = tfr_hyper_energy(a), *Eb = tfr_hyper_energy(b),
	            *Ec = tfr_hyper_energy(c);
	CHECK("pieces: identical",
	      !memcmp(Ea, Eb, ht * hf * sizeof *Ea) &&
	      !memcmp(tfr_hyper_counts(a), tfr_hyper_counts(b),
	              ht * hf * sizeof(uint32_t)));
	double worst = 0, mx = 0;
	for (size_t i = 0; i < ht * hf; i++)
		if (Ea[i] > mx)
			mx = Ea[i];
	for (size_t i = 0; i < ht * hf; i++)
		if (Ea[i] > 1e-6 * mx) {
			double r = fabs(Ec[i] - Ea[i]) / Ea[i];
			if (r > worst)
				worst = r;
		}
	CHECK_NEAR("two threads vs one", worst, 0, 1e-5);
	CHECK("counts equal with threads",
	      !memcmp(tfr_hyper_counts(a), tfr_hyper_counts(c),
	              ht * hf * sizeof(uint32_t)));
	tfr_hyper_free(a);
	tfr_hyper_free(b);
	tfr_hyper_free(c);
	free(x);
}

/* Streaming in bounded memory: the rows taken as they become final
 * (tfr_hyper_ready), each then released, are bit for bit the rows of
 * the whole picture before the threshold (tfr_hyper_end), however the
 * input is cut and however often rows are taken; the rows held stay
 * within the reach of a block; a page's threshold is the reference's
 * rule on that page alone; and a bank releases its histograms
 * together. */
typedef struct {
	float *E;
	uint32_t *C;
	size_t rows, maxheld;
} taken;

static void feed_flush(tfr_hyper *h, const float *x, size_t n, size_t piece);

/* Take (copy) and release the final rows in pages of page rows (the
 * rest at the end); with thresh, each page thresholded on its own. */
static void take_rows(tfr_hyper *h, taken *t, size_t page, int thresh, int end)
{
	size_t hf, first, n;
	tfr_hyper_size(h, NULL, &hf);
	tfr_hyper_ready(h, &first, &n);
	CHECK("ready: from the rows taken", first == t->rows);
	if (first + n - t->rows > t->maxheld)
		t->maxheld = first + n - t->rows;
	while (n >= page || (end && n > 0)) {
		size_t k = n < page ? n : page;
		if (thresh)
			tfr_hyper_threshold(h, first, k);
		memcpy(t->E + first * hf, tfr_hyper_energy(h), k * hf * sizeof *t->E);
		memcpy(t->C + first * hf, tfr_hyper_counts(h), k * hf * sizeof *t->C);
		CHECK("release", tfr_hyper_release(h, first + k) == TFR_OK);
		first += k;
		n -= k;
		t->rows = first;
	}
}

static void test_release(void)
{
	tfr_hyper_params p;
	tfr_hyper_params_default(&p);
	p.over = 2;
	p.noct = 24;
	size_t n = 400001, ht, hf;
	float *x = malloc(n * sizeof *x);
	signal_mix(x, n);
	tfr_hyper *whole = tfr_hyper_new(&p, NULL);
	feed_flush(whole, x, n / 2, n / 2);  /* reused after a reset */
	tfr_hyper_reset(whole);
	for (size_t o = 0; o < n; o += 77777)
		tfr_hyper_process(whole, x + o, n - o < 77777 ? n - o : 77777);
	CHECK("end", tfr_hyper_end(whole) == TFR_OK);
	CHECK("flush after end", tfr_hyper_flush(whole) == TFR_EINVAL);
	tfr_hyper_size(whole, &ht, &hf);
	const float *Ew = tfr_hyper_energy(whole);
	const uint32_t *Cw = tfr_hyper_counts(whole);
	/* the lag of the final rows behind the input: the longest filter's
	 * reach lint q / minf, a super-block of 65536 samples, the longest
	 * block's look-ahead (here 2^17 samples: 8 margins of ~9 q / minf
	 * plus the interpolator's) and a piece, in rows: 4 super-blocks
	 * and the reach, with some room */
	double lag = (p.lint * p.q / p.minf + 4 * 65536.0 + 100003) / (double)p.tdeci;
	static const size_t pieces[] = { 1000, 65536, 100003 };
	static const size_t pages[] = { 1, 700, 100000 };
	for (size_t c = 0; c < 3; c++) {
		tfr_hyper *h = tfr_hyper_new(&p, NULL);
		taken t = { malloc(ht * hf * sizeof *t.E), malloc(ht * hf * sizeof *t.C), 0, 0 };
		double worst_lag = 0;
		for (size_t o = 0; o < n; o += pieces[c]) {
			size_t k = n - o < pieces[c] ? n - o : pieces[c];
			CHECK("process", tfr_hyper_process(h, x + o, k) == TFR_OK);
			take_rows(h, &t, pages[c], 0, 0);
			double l = (double)(o + k) / (double)p.tdeci - (double)t.rows;
			if (l > worst_lag)
				worst_lag = l;
		}
		CHECK("rows final within the reach of a block",
		      worst_lag <= lag + (double)pages[c]);
		size_t first, m;
		tfr_hyper_ready(h, &first, &m);
		CHECK("release beyond the final rows refused",
		      tfr_hyper_release(h, first + m + 1) == TFR_EINVAL);
		CHECK("threshold beyond the final rows refused",
		      tfr_hyper_threshold(h, first, m + 1) == 0);
		CHECK("end", tfr_hyper_end(h) == TFR_OK);
		take_rows(h, &t, pages[c], 0, 1);
		CHECK("all rows taken", t.rows == ht);
		CHECK("released rows = the whole picture: energies",
		      !memcmp(t.E, Ew, ht * hf * sizeof *Ew));
		CHECK("released rows = the whole picture: counts",
		      !memcmp(t.C, Cw, ht * hf * sizeof *Cw));
		printf("release: pieces of %zu, pages of %zu rows: %zu of %zu rows "
		       "held at most (final rows %.0f behind the input), equal to the "
		       "whole picture\n", pieces[c], pages[c], t.maxheld, ht, worst_lag);
		if (pages[c] < 1000)
			CHECK("rows held bounded", (double)t.maxheld <= lag + (double)pages[c]);
		tfr_hyper_free(h);
		free(t.E);
		free(t.C);
	}
	/* pages of 1000 rows thresholded on their own: the reference's rule
	 * on each page of the whole picture */
	size_t first = 0, m = 0;
	tfr_hyper *h = tfr_hyper_new(&p, NULL);
	taken t = { malloc(ht * hf * sizeof *t.E), malloc(ht * hf * sizeof *t.C), 0, 0 };
	for (size_t o = 0; o < n; o += 4096) {
		tfr_hyper_process(h, x + o, n - o < 4096 ? n - o : 4096);
		take_rows(h, &t, 1000, 1, 0);
	}
	tfr_hyper_end(h);
	take_rows(h, &t, 1000, 1, 1);
	size_t wrong = 0, zeroed = 0;
	for (size_t r0 = 0; r0 < ht; r0 += 1000) {
		size_t r1 = r0 + 1000 < ht ? r0 + 1000 : ht;
		uint32_t mx = 0;
		for (size_t i = r0 * hf; i < r1 * hf; i++)
			mx = Cw[i] > mx ? Cw[i] : mx;
		for (size_t i = r0 * hf; i < r1 * hf; i++) {
			float want = (double)Cw[i] < sqrt((double)mx) ? 0 : Ew[i];
			wrong += t.E[i] != want;
			zeroed += want == 0 && Ew[i] != 0;
		}
	}
	CHECK("pages: each thresholded on its own", wrong == 0 && zeroed > 0);
	printf("release: pages of 1000 rows thresholded on their own (%zu bins "
	       "zeroed)\n", zeroed);
	/* reset after releases: the whole picture again, as a new object's */
	tfr_hyper_reset(h);
	for (size_t o = 0; o < n; o += 50000)
		tfr_hyper_process(h, x + o, n - o < 50000 ? n - o : 50000);
	CHECK("end after reset", tfr_hyper_end(h) == TFR_OK);
	tfr_hyper_ready(h, &first, &m);
	CHECK("reset after releases: all rows held", first == 0 && m == ht);
	CHECK("reset after releases = new",
	      !memcmp(tfr_hyper_energy(h), Ew, ht * hf * sizeof *Ew) &&
	      !memcmp(tfr_hyper_counts(h), Cw, ht * hf * sizeof *Cw));
	tfr_hyper_free(h);
	/* a bank of two q, released together */
	static const double qs[] = { 1, 4 };
	tfr_hyper_bank_params bp;
	tfr_hyper_bank_params_default(&bp);
	bp.hyper = p;
	bp.q = qs;
	bp.nq = 2;
	tfr_hyper_bank *b = tfr_hyper_bank_new(&bp, NULL);
	size_t rows = 0, maxn = 0;
	for (size_t o = 0; o < n; o += 30000) {
		tfr_hyper_bank_process(b, x + o, n - o < 30000 ? n - o : 30000);
		tfr_hyper_bank_ready(b, &first, &m);
		for (size_t i = 0; i < 2; i++) {
			size_t f1, n1;
			tfr_hyper_ready(tfr_hyper_bank_get(b, i), &f1, &n1);
			CHECK("bank: the rows final in every histogram", f1 == first && n1 >= m);
		}
		maxn = m > maxn ? m : maxn;
		CHECK("bank release", tfr_hyper_bank_release(b, first + m) == TFR_OK);
		rows = first + m;
	}
	CHECK("bank end", tfr_hyper_bank_end(b) == TFR_OK);
	tfr_hyper_bank_ready(b, &first, &m);
	CHECK("bank: all rows after the end", first == rows && first + m == ht);
	tfr_hyper_bank_threshold(b, first, m);
	CHECK("bank: threshold of the rest",
	      tfr_hyper_max_count(tfr_hyper_bank_get(b, 1)) > 0);
	tfr_hyper_bank_free(b);
	free(t.E);
	free(t.C);
	tfr_hyper_free(whole);
	free(x);
}

/* 0 dBFS: a sine of amplitude a reads 20 log10(a) dBFS in its bin
 * against tfr_hyper_full_scale, within the +-0.2 dB of the discrete
 * lines; the closed form agrees at q = 2; pooled channels add. */
static void test_full_scale(void)
{
	tfr_hyper_params p;
	tfr_hyper_params_default(&p);
	double fs0 = tfr_hyper_full_scale(&p);
	double closed = 64 * 4 * 48 * sqrt(M_PI) * erf(0.5) / (8 * M_PI * 2 * log(2));
	CHECK_NEAR("full scale: the closed form at q = 2", fs0 / closed, 1, 1e-3);
	size_t n = 20000;
	float *x = malloc(n * sizeof *x);
	double worst = 0;
	for (int i = 0; i < 6; i++) {
		double f = 0.011 * pow(1.83, i), a = pow(10, -i / 2.0);
		memset(x, 0, n * sizeof *x);
		test_add_cos(x, n, 1.0, f, a, 0.7);
		tfr_hyper *h = run(&p, x, n, n);
		size_t ht, hf, j = (size_t)lround(48 * log2(0.45 / f));
		tfr_hyper_size(h, &ht, &hf);
		double e = 0;
		for (size_t k = 40; k < ht - 40; k++)
			e += tfr_hyper_energy(h)[k * hf + j];
		e /= (double)(ht - 80);
		double db = 10 * log10(e / fs0) - 20 * log10(a);
		worst = fabs(db) > worst ? fabs(db) : worst;
		tfr_hyper_free(h);
	}
	CHECK_NEAR("a sine reads its level in dBFS", worst, 0, 0.2);
	printf("full scale: %.4g (closed form %.4g); sines read their level "
	       "within %.3f dB\n", fs0, closed, worst);
	p.channels = 2;
	CHECK_NEAR("full scale: pooled channels", tfr_hyper_full_scale(&p), 2 * fs0, 1e-9 * fs0);
	p.q = -1;
	CHECK("full scale of invalid parameters", tfr_hyper_full_scale(&p) == 0);
	free(x);
}

/* Bins >= 1e-6 of the maximum of b: how many, how many zero on one
 * side only, how many off by > 1e-3, and the largest relative
 * difference of those >= 1e-3 of the maximum. */
typedef struct {
	size_t nsig, flips, over, nbig;
	double worst;
} cmp_bins;

static cmp_bins compare_bins(const tfr_hyper *a, const tfr_hyper *b)
{
	cmp_bins c = {0, 0, 0, 0, 0};
	size_t ht, hf;
	tfr_hyper_size(a, &ht, &hf);
	const float *Ea = tfr_hyper_energy(a), *Eb = tfr_hyper_energy(b);
	double mx = 0;
	for (size_t i = 0; i < ht * hf; i++)
		if (Eb[i] > mx)
			mx = Eb[i];
	for (size_t i = 0; i < ht * hf; i++) {
		if (Ea[i] < 1e-6 * mx && Eb[i] < 1e-6 * mx)
			continue;
		c.nsig++;
		if ((Ea[i] == 0) != (Eb[i] == 0)) {
			c.flips++;
			continue;
		}
		double r = fabs(Ea[i] - Eb[i]) / Eb[i];
		if (r > 1e-3)
			c.over++;
		if (Eb[i] < 1e-3 * mx)
			continue;
		c.nbig++;
		if (r > c.worst)
			c.worst = r;
	}
	return c;
}

/* The decimated path (kriging interpolation of the base band) against
 * every line at the full rate, on a tie-free (noisy) signal. */
static void test_fast_vs_exact(void)
{
	tfr_hyper_params p;
	tfr_hyper_params_default(&p);
	p.over = 2;
	p.noct = 24;
	p.threads = 2;
	size_t n = 30000;
	float *x = malloc(n * sizeof *x);
	signal_mix(x, n);
	tfr_hyper *a = run(&p, x, n, n);
	p.exact = 1;
	tfr_hyper *b = run(&p, x, n, n);
	p.exact = 0;
	p.portable = 1;
	tfr_hyper *c = run(&p, x, n, n);
	cmp_bins r = compare_bins(a, b);
	printf("fast vs exact: %zu bins >= 1e-6 max: %zu one-sided, %zu "
	       "off by > 1e-3; %zu bins >= 1e-3 max: max rel %.3g\n",
	       r.nsig, r.flips, r.over, r.nbig, r.worst);
	/*
	 * Both paths are float; in the noise floor (1e-6..1e-3 of the
	 * maximum) |xi| is small against the block's float roundoff, so
	 * single points cross the |mp| < lint boundary differently and
	 * small bins (few points) move by several %. Measured on this
	 * signal: ~6 % of those bins off by > 1e-3, 0.2 % one-sided; the
	 * strong bins (>= 1e-3 max) agree to ~1e-6. Asserted with margin.
	 */
	CHECK_NEAR("fast vs exact, strong bins", r.worst, 0, 1e-3);
	CHECK("fast vs exact, weak bins", r.over * 100 <= r.nsig * 10);
	CHECK("fast vs exact one-sided", r.flips * 1000 <= r.nsig * 5);
	/*
	 * The processor-specific paths (AVX2 / AVX-512, where this machine
	 * has them) against the portable code: the same algorithm, with
	 * fused multiply-adds in the interpolation, so only float rounding
	 * differs; bounds as above.
	 */
	r = compare_bins(a, c);
	printf("fast vs portable: %zu bins >= 1e-6 max: %zu one-sided, %zu "
	       "off by > 1e-3; %zu bins >= 1e-3 max: max rel %.3g\n",
	       r.nsig, r.flips, r.over, r.nbig, r.worst);
	CHECK_NEAR("fast vs portable, strong bins", r.worst, 0, 1e-3);
	CHECK("fast vs portable, weak bins", r.over * 100 <= r.nsig * 10);
	CHECK("fast vs portable one-sided", r.flips * 1000 <= r.nsig * 5);
	tfr_hyper_free(a);
	tfr_hyper_free(b);
	tfr_hyper_free(c);
	free(x);
}

/* One invalid parameter set: _check and _new refuse it with TFR_EINVAL
 * and this reason. */
static void check_refused(const char *what, const tfr_hyper_params *p,
                          const char *why)
{
	tfr_diag d;
	tfr_diag_set(&d, TFR_EIO, "stale");
	int e = tfr_hyper_check(p, &d);
	int ok = e == TFR_EINVAL && d.code == TFR_EINVAL &&
	         !strcmp(d.text, why);
	tfr_diag_set(&d, TFR_EIO, "stale");
	tfr_hyper *h = tfr_hyper_new(p, &d);
	ok = ok && !h && d.code == TFR_EINVAL && !strcmp(d.text, why);
	if (!ok)
		printf("%s: got \"%s\" (code %d)\n", what, d.text, d.code);
	CHECK(what, ok);
	tfr_hyper_free(h);
}

/* The object contract (tfr_base.h): defaults valid, each invalid
 * parameter refused with its reason (the words tfr-hyper prints),
 * failures of _new beyond _check with theirs, _free(NULL). */
static void test_params(void)
{
	tfr_hyper_params p;
	tfr_diag d;
	tfr_hyper_params_default(&p);
	tfr_diag_set(&d, TFR_EIO, "stale");
	CHECK("default valid", tfr_hyper_check(&p, &d) == TFR_OK &&
	      d.code == TFR_OK && d.text[0] == 0);
	CHECK("check without diag", tfr_hyper_check(&p, NULL) == TFR_OK);
	CHECK_NEAR("hf config A", tfr_hyper_freq_bins(&p), 361, 0);
	CHECK_NEAR("bin 0 freq", tfr_hyper_bin_freq(&p, 0), 0.45, 1e-15);
	CHECK_NEAR("bin 48 freq", tfr_hyper_bin_freq(&p, 48), 0.225, 1e-15);
	CHECK("no parameters", tfr_hyper_check(NULL, &d) == TFR_EINVAL &&
	      !strcmp(d.text, "no parameters") &&
	      tfr_hyper_new(NULL, NULL) == NULL);
	const struct {
		const char *field;
		double v;
		const char *why;
	} bad[] = {
		{"q", 0, "q must be positive"},
		{"q", INFINITY, "q must be positive"},
		{"q", NAN, "q must be positive"},
		{"tdeci", 0, "tdeci must be at least 1"},
		{"over", 0, "over must be between 1 and 1000"},
		{"over", 1001, "over must be between 1 and 1000"},
		{"noct", 0, "noct must be positive"},
		{"noct", INFINITY, "noct must be positive"},
		{"minf", 0, "minf must be positive"},
		{"minf", NAN, "minf must be positive"},
		{"maxf", 0.51, "maxf must not be above the Nyquist frequency"},
		{"maxf", NAN, "maxf must not be above the Nyquist frequency"},
		{"minf", 0.45, "minf must be below maxf"},
		{"lint", 0, "lint must be positive"},
		{"lint", INFINITY, "lint must be positive"},
		{"channels", 0, "channels must be between 1 and 1024"},
		{"channels", TFR_MAX_CHANNELS + 1,
		 "channels must be between 1 and 1024"},
		{"threads", 0, "threads must be between 1 and 256"},
		{"threads", TFR_MAX_THREADS + 1,
		 "threads must be between 1 and 256"},
		{"frames_hint", -1, "negative frames hint"},
		{"noct", 1e5, "too many scan lines (noct * over * octaves > "
		              "1e6)"},
		/* 9 sigma_t = 3.6e6 samples: below 2^22, but with the
		 * interpolator's reach at D = 2^16 (20 D) beyond it */
		{"minf", 5e-6, "q/minf too large: the longest wavelet "
		               "exceeds 2^22 samples"},
		{"minf", 1e-6, "q/minf too large: the longest wavelet "
		               "exceeds 2^22 samples"},
	};
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
		char what[96];
		tfr_hyper_params_default(&p);
		const char *f = bad[i].field;
		double v = bad[i].v;
		if (!strcmp(f, "q"))
			p.q = v;
		else if (!strcmp(f, "tdeci"))
			p.tdeci = (long)v;
		else if (!strcmp(f, "over"))
			p.over = (int)v;
		else if (!strcmp(f, "noct"))
			p.noct = v;
		else if (!strcmp(f, "minf"))
			p.minf = v;
		else if (!strcmp(f, "maxf"))
			p.maxf = v;
		else if (!strcmp(f, "lint"))
			p.lint = v;
		else if (!strcmp(f, "channels"))
			p.channels = (int)v;
		else if (!strcmp(f, "threads"))
			p.threads = (int)v;
		else if (!strcmp(f, "frames_hint"))
			p.frames_hint = (int64_t)v;
		snprintf(what, sizeof what, "refused: %s %g", f, v);
		check_refused(what, &p, bad[i].why);
		CHECK_NEAR("no frequency bins", tfr_hyper_freq_bins(&p), 0, 0);
	}
	/* valid, but more than memory can hold: TFR_ERANGE from _new */
	tfr_hyper_params_default(&p);
	p.frames_hint = INT64_MAX;
	p.tdeci = 1;
	CHECK("huge frames hint",
	      tfr_hyper_check(&p, NULL) == TFR_OK &&
	      tfr_hyper_new(&p, &d) == NULL && d.code == TFR_ERANGE &&
	      !strcmp(d.text, "frames hint too large: the picture does not "
	              "fit in memory"));
	/* what a short input could cost: refused by _check, by _new, by a
	 * bank (the limits hold for all its histograms together) */
	tfr_hyper_params_default(&p);
	p.lint = 1e300;
	CHECK("huge lint: memory",
	      tfr_hyper_check(&p, &d) == TFR_EINVAL &&
	      !strncmp(d.text, "the analysis would take ", 24) &&
	      tfr_hyper_new(&p, &d) == NULL && d.code == TFR_EINVAL);
	tfr_hyper_params_default(&p);
	p.channels = 1024;  /* 1444 lines each: 89 s on one block */
	CHECK("1024 channels: lines",
	      tfr_hyper_lines(&p) == 1444 * 1024 &&
	      tfr_hyper_check(&p, &d) == TFR_EINVAL &&
	      !strcmp(d.text, "1444 scan lines x 1024 channels: at most 131072 "
	              "(fewer channels, bins per octave, scan lines per bin, "
	              "or a narrower band)"));
	p.channels = 90;
	CHECK("90 channels", tfr_hyper_check(&p, &d) == TFR_OK);
	/* the estimate against what the parts take: 2 threads' windows of
	 * (65536 + 2 (0.5 * 2 / 0.0025 + 2)) / 64 + 4 rows of 361 bins of
	 * 12 bytes (3.6 MB each), 90 channels' buffers of 65536 floats and
	 * the longest block (at least 4 margins of 9 q / minf: 32768), 35
	 * MB: more than 40 MB; less than that with buffers of 65536 + 3
	 * blocks of 65536 and 64 groups' spectra of 65536 + 65536 bins */
	p.threads = 2;
	double mb = tfr_hyper_memory(&p) / 1048576;
	printf("memory estimate, 90 channels, 2 threads: %.1f MB\n", mb);
	CHECK("memory estimate", mb > 40 && mb < 160);
	tfr_hyper_bank_params bp;
	tfr_hyper_bank_params_default(&bp);
	double qs[8] = { 0.5, 1, 2, 3, 4, 5, 6, 8 };
	bp.q = qs;
	bp.nq = 8;
	bp.hyper.tdeci = 1;
	bp.hyper.threads = 2;
	/* 0.1 s of audio took 4.8 GB this way */
	CHECK("8 q at tdeci 1: memory",
	      tfr_hyper_bank_check(&bp, &d) == TFR_EINVAL &&
	      !strncmp(d.text, "the analysis would take 4", 25) &&
	      strstr(d.text, " MB before any input, more than 1024 MB"));
	bp.hyper.tdeci = 64;
	CHECK("8 q at tdeci 64", tfr_hyper_bank_check(&bp, &d) == TFR_OK);
	bp.channels = 16;
	CHECK("8 q, 16 channels: lines",
	      tfr_hyper_bank_check(&bp, &d) == TFR_EINVAL &&
	      !strcmp(d.text, "1444 scan lines x 16 channels x 8 q: at most "
	              "131072 (fewer channels or q, bins per octave, scan lines "
	              "per bin, or a narrower band)"));
	tfr_hyper_free(NULL);
	tfr_hyper_reset(NULL);
	/* empty input: a 0 x hf result, no crash */
	tfr_hyper_params_default(&p);
	tfr_hyper *h = tfr_hyper_new(&p, &d);
	CHECK("new: diag clear", h && d.code == TFR_OK && d.text[0] == 0);
	CHECK("empty flush", h && tfr_hyper_flush(h) == TFR_OK);
	size_t ht, hf;
	tfr_hyper_size(h, &ht, &hf);
	CHECK_NEAR("empty ht", ht, 0, 0);
	float x[4] = {0};
	CHECK("process after flush", tfr_hyper_process(h, x, 4) ==
	      TFR_EINVAL);
	CHECK("flush twice", tfr_hyper_flush(h) == TFR_EINVAL);
	tfr_hyper_free(h);
}

/* Picture of a finished object, and its size, count and frames. */
typedef struct {
	size_t ht, hf;
	uint32_t maxc;
	int64_t frames;
	float *E;
	uint32_t *C;
} result;

static result take_result(const tfr_hyper *h)
{
	result r;
	tfr_hyper_size(h, &r.ht, &r.hf);
	r.maxc = tfr_hyper_max_count(h);
	r.frames = tfr_hyper_frames(h);
	r.E = malloc(r.ht * r.hf * sizeof *r.E);
	r.C = malloc(r.ht * r.hf * sizeof *r.C);
	memcpy(r.E, tfr_hyper_energy(h), r.ht * r.hf * sizeof *r.E);
	memcpy(r.C, tfr_hyper_counts(h), r.ht * r.hf * sizeof *r.C);
	return r;
}

static void feed_flush(tfr_hyper *h, const float *x, size_t n, size_t piece)
{
	for (size_t o = 0; o < n; o += piece)
		CHECK("process", tfr_hyper_process(h, x + o, n - o < piece ?
		                                   n - o : piece) == TFR_OK);
	CHECK("flush", tfr_hyper_flush(h) == TFR_OK);
}

/* _reset gives a new object: after a longer input (a picture grown
 * beyond the second's, a buffer full of the first's samples, the
 * direct kernel of its last near-tie tabulated), reset, then input B
 * gives bit for bit what a new object gives for B; and so does reset
 * straight after _new and in the middle of an input (the buffer then
 * holds the old input's samples). */
static void test_reset(void)
{
	tfr_hyper_params p;
	tfr_hyper_params_default(&p);
	p.over = 2;
	p.noct = 24;
	p.threads = 2;
	size_t na = 200001, nb = 150001;
	float *a = malloc(na * sizeof *a), *b = malloc(nb * sizeof *b);
	memset(a, 0, na * sizeof *a);
	test_add_cos(a, na, 1.0, 0.0125, 0.6, 0.4);
	test_add_noise(a, na, 0.02, 11);
	a[na / 2] = 1;
	a[na - 1000] = -1;
	signal_mix(b, nb);

	tfr_hyper *fresh = tfr_hyper_new(&p, NULL);
	feed_flush(fresh, b, nb, 4096);
	result want = take_result(fresh);
	tfr_hyper_free(fresh);

	tfr_hyper *h = tfr_hyper_new(&p, NULL);
	tfr_hyper_reset(h);
	feed_flush(h, a, na, 5000);
	tfr_hyper_reset(h);
	CHECK_NEAR("frames after reset", tfr_hyper_frames(h), 0, 0);
	feed_flush(h, b, nb / 2, 3000);  /* half, flushed */
	tfr_hyper_reset(h);
	/* unflushed, past the first super-blocks: the buffer's margin
	 * before the super-block then holds samples of a */
	CHECK("process after reset", tfr_hyper_process(h, a, na) == TFR_OK);
	tfr_hyper_reset(h);
	feed_flush(h, b, nb, 4096);
	result got = take_result(h);
	size_t n = want.ht * want.hf;
	CHECK("reset: same size", got.ht == want.ht && got.hf == want.hf &&
	      got.frames == want.frames && got.maxc == want.maxc);
	CHECK("reset = new: energies", got.ht == want.ht &&
	      !memcmp(got.E, want.E, n * sizeof *got.E));
	CHECK("reset = new: counts", got.ht == want.ht &&
	      !memcmp(got.C, want.C, n * sizeof *got.C));
	size_t nz = 0;
	for (size_t i = 0; i < n; i++)
		nz += want.E[i] > 0;
	CHECK("reset: a picture to compare", nz > 1000);
	size_t ndiff = 0;
	for (size_t i = 0; got.ht == want.ht && i < n; i++)
		ndiff += got.E[i] != want.E[i] || got.C[i] != want.C[i];
	printf("reset: %zu x %zu bins (%zu nonzero), max count %u; bins "
	       "differing from a new object's: %zu\n", want.ht, want.hf,
	       nz, want.maxc, ndiff);
	tfr_hyper_free(h);
	free(want.E);
	free(want.C);
	free(got.E);
	free(got.C);
	free(a);
	free(b);
}

static void test_npy_header(void)
{
	FILE *f = tmpfile();
	size_t shape[2] = {690, 361};
	CHECK("npy header", tfr_npy_write_header(f, TFR_NPY_F32, 2, shape) ==
	      TFR_OK);
	long len = ftell(f);
	char buf[200] = {0};
	rewind(f);
	CHECK("npy read", fread(buf, 1, (size_t)len, f) == (size_t)len);
	/* numpy's own header for this array is exactly 128 bytes */
	CHECK_NEAR("npy header length", len, 128, 0);
	CHECK("npy magic", !memcmp(buf, "\x93NUMPY\x01\x00\x76\x00", 10));
	CHECK("npy dict", !memcmp(buf + 10, "{'descr': '<f4', 'fortran_order': "
	      "False, 'shape': (690, 361), }", 60));
	CHECK("npy newline", buf[127] == '\n');
	fclose(f);
	uint8_t rgb[3];
	tfr_colormap_rgb(TFR_COLORMAP_INFERNO, 0, rgb);
	CHECK("inferno black", rgb[0] < 3 && rgb[1] < 3 && rgb[2] < 6);
	tfr_colormap_rgb(TFR_COLORMAP_INFERNO, 1, rgb);
	CHECK("inferno pale yellow", rgb[0] > 245 && rgb[1] > 245);
	CHECK_NEAR("level max", tfr_level_db(2, 2, 60), 1, 1e-12);
	CHECK_NEAR("level -30 dB", tfr_level_db(2e-3, 2, 60), 0.5, 1e-12);
}

/* The direct evaluation that decides near-ties (hyper_direct.c) against
 * closed forms: for a click at n0, xi(n) = g(n - n0) and eta(n) =
 * -i 2 pi sigma (n - n0) g(n - n0); for a cosine a cos(2 pi f n + ph),
 * xi = (a/2) (G(f) e^(i(2 pi f n + ph)) + G(-f) e^(-i(...))) and eta the
 * same with D. */
static void test_direct(void)
{
	const double f0 = 0.03, q = 2, sigma = f0 / (2 * M_PI * q);
	const size_t n = 4000;
	const ptrdiff_t n0 = 2000;
	float *x = calloc(n, sizeof *x);
	tfr_hyper_kern k;
	CHECK("kern init", tfr_hyper_kern_init(&k, q, 0.01,
	                                       tfr_cpu_features()) == TFR_OK);
	CHECK("kern set", tfr_hyper_kern_set(&k, f0, sigma) > 0);
	CHECK("kern set again", tfr_hyper_kern_set(&k, f0, sigma) == 0);
	x[n0] = 1;
	double A = sigma * sqrt(2 * M_PI), worst_d = 0, worst_ld = 0;
	for (ptrdiff_t m = -60; m <= 60; m += 7) {
		double env = A * exp(-2 * M_PI * M_PI * sigma * sigma * m * m);
		double gr = env * cos(2 * M_PI * f0 * m);
		double gi = env * sin(2 * M_PI * f0 * m);
		double c = -2 * M_PI * sigma * m;  /* eta = i c g */
		double want[4] = {gr, gi, -c * gi, c * gr}, got[4], sc;
		long double gld[4];
		tfr_hyper_direct_d(&k, x, n0 + m, 0, (ptrdiff_t)n, got, &sc);
		tfr_hyper_direct_ld(x, n0 + m, 0, (ptrdiff_t)n, f0, sigma, gld);
		for (int i = 0; i < 4; i++) {
			worst_d = fmax(worst_d, fabs(got[i] - want[i]) / A);
			worst_ld = fmax(worst_ld,
			                fabs((double)gld[i] - want[i]) / A);
		}
	}
	CHECK_NEAR("direct_d click", worst_d, 0, 1e-13);
	CHECK_NEAR("direct_ld click", worst_ld, 0, 1e-13);
	/* cosine at f = f0 + 0.3 sigma, amplitude 0.5, phase 0.7 */
	double f = f0 + 0.3 * sigma, a = 0.5, ph = 0.7, worst_c = 0;
	for (size_t i = 0; i < n; i++)
		x[i] = (float)(a * cos(2 * M_PI * f * (double)i + ph));
	for (ptrdiff_t nn = 1500; nn < 2500; nn += 37) {
		double got[4], sc, want[4] = {0, 0, 0, 0};
		for (int s = -1; s <= 1; s += 2) {
			double fs = s * f, u = (fs - f0) / sigma;
			double G = exp(-u * u / 2), D = -u * G;
			double ang = s * (2 * M_PI * f * (double)nn + ph);
			want[0] += a / 2 * G * cos(ang);
			want[1] += a / 2 * G * sin(ang);
			want[2] += a / 2 * D * cos(ang);
			want[3] += a / 2 * D * sin(ang);
		}
		tfr_hyper_direct_d(&k, x, nn, 0, (ptrdiff_t)n, got, &sc);
		for (int i = 0; i < 4; i++)
			worst_c = fmax(worst_c, fabs(got[i] - want[i]));
	}
	/* the float input's own rounding (~3e-8) bounds the agreement */
	CHECK_NEAR("direct_d cosine", worst_c, 0, 1e-7);
	printf("direct: click %.2g (double), %.2g (long double), cosine "
	       "%.2g (float input)\n", worst_d, worst_ld, worst_c);
	tfr_hyper_kern_free(&k);
	free(x);
}

/* tfr_hyper_fir_scan at D = 2^dl on xi = exp(i 2 pi s m), eta =
 * 0.5 exp(-i 2 pi s m) (decimated samples m), every sample against the
 * exact values; path 0: the processor's best code, 1: AVX2 at most, 2:
 * portable. */
static void scan_check(int dl, int K, double s, int path, double *worst_f,
                       double *worst_node)
{
	size_t D = (size_t)1 << dl, M = 64;
	tfr_hyper_fir f;
	unsigned cpu = tfr_cpu_features() &
	               (path == 0 ? ~0u : path == 1 ? TFR_CPU_AVX2 : 0u);
	CHECK("fir init", tfr_hyper_fir_init(&f, dl, s, K, cpu) == TFR_OK);
	float *x = malloc(2 * M * sizeof *x), *e = malloc(2 * M * sizeof *e);
	for (size_t m = 0; m < M; m++) {
		double an = 2 * M_PI * s * (double)m;
		x[2 * m] = (float)cos(an);
		x[2 * m + 1] = (float)sin(an);
		e[2 * m] = (float)(0.5 * cos(-an));
		e[2 * m + 1] = (float)(0.5 * sin(-an));
	}
	float out[4][TFR_HYPER_FIR_OUT];
	uint16_t idx[TFR_HYPER_FIR_OUT];
	/* samples of nodes 16 .. 47: every neighbourhood inside x */
	size_t u0 = 16 * D, cnt = 32 * D;
	for (size_t a = u0; a < u0 + cnt; a += TFR_HYPER_FIR_CHUNK) {
		size_t c = u0 + cnt - a < TFR_HYPER_FIR_CHUNK ?
		           u0 + cnt - a : TFR_HYPER_FIR_CHUNK;
		/* a huge lint: every sample a candidate */
		size_t k = tfr_hyper_fir_scan(&f, x, e, a, c, 1e30f, out, idx);
		CHECK("fir scan, all candidates",
		      k == c && idx[0] == 0 && idx[c - 1] == c - 1);
		for (size_t i = 0; i < c; i++) {
			double an = 2 * M_PI * s * (double)(a + i) / (double)D;
			double d0 = hypot(out[0][i] - cos(an),
			                  out[1][i] - sin(an));
			double d1 = hypot(out[2][i] - 0.5 * cos(an),
			                  out[3][i] + 0.5 * sin(an));
			*worst_f = fmax(*worst_f, fmax(d0, d1));
			if ((a + i) % D == 0)
				*worst_node = fmax(*worst_node, fabs(out[0][i] -
				                   x[2 * ((a + i) / D)]));
		}
	}
	free(x);
	free(e);
	tfr_hyper_fir_free(&f);
}

/*
 * The kriging interpolators (hyper_interp.h) against exact complex
 * exponentials y(t) = exp(i 2 pi phi t), t in decimated samples:
 *  - their weights, in double: the error at every phi up to Nyquist,
 *    times the design Gaussian exp(-phi^2 / (2 s^2)), is below 1.5e-7
 *    of the amplitude for K = 10, s = 0.05 (the design gives 1.0e-7),
 *    6e-8 for K = 20, s = 0.075 (4.9e-8);
 *  - tfr_hyper_fir_scan, in float, for D = 2 (both), 8 and 64, at phi = s (a
 *    component one std off the line centre): every sample within 3e-7
 *    (the float inputs' rounding, ~6e-8, times the weights' sum of
 *    magnitudes, ~1.7), and the node samples exact.
 */
static void test_interp(void)
{
	/* the two designs tfr_hyper uses (hyper_plan.c): K, s, bound on
	 * the weighted error */
	const struct { int K; double s, tol; } dz[2] = {
		{10, 0.05, 1.5e-7}, {20, 0.075, 6e-8}};
	for (int z = 0; z < 2; z++) {
		double worst = 0, w[TFR_HYPER_FIR_KMAX], s = dz[z].s;
		int K = dz[z].K;
		for (int r = 1; r < 16; r++) {
			double t = r / 16.0;
			tfr_hyper_fir_weights(K, s, t, w);
			for (int j = 0; j <= 500; j++) {
				double phi = 0.5 * j / 500;
				double er = cos(2 * M_PI * phi * t);
				double ei = sin(2 * M_PI * phi * t);
				for (int k = 0; k < K; k++) {
					double a = 2 * M_PI * phi *
					           (k - (K / 2 - 1));
					er -= w[k] * cos(a);
					ei -= w[k] * sin(a);
				}
				double g = exp(-phi * phi / (2 * s * s));
				worst = fmax(worst, hypot(er, ei) * g);
			}
		}
		CHECK_NEAR("kriging weights, weighted error", worst, 0,
		           dz[z].tol);
		printf("interp: K %d, s %.3f: weights %.2g (weighted, "
		       "double)\n", K, s, worst);
	}
	double worst_f = 0, worst_node = 0;
	for (int dl = 1; dl <= 6; dl += dl < 3 ? 2 : 3)
		for (int z = 0; z < (dl == 1 ? 2 : 1); z++)
			for (int path = 0; path < 3; path++)
				scan_check(dl, dz[z].K, dz[z].s, path, &worst_f,
				           &worst_node);
	CHECK_NEAR("fir scan, float", worst_f, 0, 3e-7);
	CHECK_NEAR("fir scan, nodes exact", worst_node, 0, 0);
	printf("interp: scan %.2g (float)\n", worst_f);
}

int main(void)
{
	test_params();
	test_npy_header();
	test_sine();
	test_click();
	test_streaming();
	test_release();
	test_full_scale();
	test_reset();
	test_fast_vs_exact();
	test_direct();
	test_interp();
	return test_finish("test_hyper");
}
