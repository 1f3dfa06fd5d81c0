/*
 * test_stochastic.c - the stochastic envelope (tfr_stochastic) and the
 * noise made from it (tfr_noise_synth), against analytic truth:
 *   - the bands tile 0 .. fs/2, each two bins wide at least;
 *   - white noise of variance s^2 reads s^2 (hi - lo) / (fs / 2) in
 *     every band (mean over 10 s, within 0.5 dB), a sine its A^2 / 2;
 *   - noise made from a flat envelope of known power has that power in
 *     every band (within 0.5 dB) and overall (within 0.05 dB);
 *   - the output does not depend on how input and reads are split, has
 *     the length asked for, and nothing before an envelope that starts
 *     later but within half a window and a hop of its first frame;
 *   - records out of order or with bad values are refused.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "testutil.h"
#include "tfr.h"

#define FS 44100.0
#define LEN (10 * 44100)

static float sig[LEN];

/* The records ready in s after the m of all (cap): all, grown. */
static tfr_noise_band *collect(tfr_stochastic *s, tfr_noise_band *all, size_t *m,
                               size_t *cap)
{
	size_t k;
	const tfr_noise_band *b = tfr_stochastic_ready(s, &k);
	if (*m + k > *cap && !(all = realloc(all, (*cap = 2 * (*m + k)) * sizeof *all)))
		return NULL;
	memcpy(all + *m, b, k * sizeof *b);
	*m += k;
	return all;
}

/* Analyse x, n samples, in chunks of `chunk`: the records (malloc'd). */
static tfr_noise_band *analyse(const float *x, size_t n, size_t chunk, size_t *count,
                               size_t *nbands)
{
	tfr_stochastic_params p;
	tfr_stochastic_params_default(&p);
	p.sample_rate = FS;
	tfr_diag d;
	tfr_stochastic *s = tfr_stochastic_new(&p, &d);
	if (!s)
		return NULL;
	*nbands = tfr_stochastic_bands_of(s);
	size_t cap = 1024, m = 0;
	tfr_noise_band *all = malloc(cap * sizeof *all);
	for (size_t i = 0; all && i < n; i += chunk) {
		CHECK("analysis takes the samples",
		      tfr_stochastic_process(s, x + i, n - i < chunk ? n - i : chunk) == TFR_OK);
		all = collect(s, all, &m, &cap);
	}
	CHECK("analysis: flush", tfr_stochastic_flush(s) == TFR_OK);
	if (all)
		all = collect(s, all, &m, &cap);
	tfr_stochastic_free(s);
	*count = m;
	return all;
}

/* The mean power of each band over the frames [skip, frames - skip). */
static void band_means(const tfr_noise_band *b, size_t m, size_t nb, size_t skip,
                       double *mean)
{
	size_t frames = m / nb;
	for (size_t j = 0; j < nb; j++) {
		double s = 0;
		for (size_t f = skip; f + skip < frames; f++)
			s += b[f * nb + j].power;
		mean[j] = s / (double)(frames - 2 * skip);
	}
}

static void test_bands_and_white(void)
{
	memset(sig, 0, sizeof sig);
	double amp = 0.3, var = amp * amp / 3;  /* uniform in [-amp, amp) */
	test_add_noise(sig, LEN, amp, 5);
	size_t m, nb;
	tfr_noise_band *b = analyse(sig, LEN, 4096, &m, &nb);
	CHECK("analysis: records", b && m > 0 && m % nb == 0);
	if (!b)
		return;
	/* frames m hop <= LEN - 1, hop 256 */
	CHECK_NEAR("analysis: frames", (double)(m / nb), floor((LEN - 1) / 256.0) + 1, 0);
	printf("%zu bands of %zu frames\n", nb, m / nb);
	int tiled = b[0].lo == 0 && b[nb - 1].hi == FS / 2, wide = 1;
	for (size_t j = 0; j < nb; j++) {
		if (j && b[j].lo != b[j - 1].hi)
			tiled = 0;
		if (b[j].hi - b[j].lo < 2 * FS / 1024 - 1e-9 && j && j + 1 < nb)
			wide = 0;
	}
	CHECK("bands tile 0 .. fs/2", tiled);
	CHECK("bands two bins wide at least (but the end ones: half bins)", wide);
	CHECK("the default makes at least 40 bands", nb >= 40);
	double mean[TFR_STOCHASTIC_MAX_BANDS], worst = 0;
	band_means(b, m, nb, 4, mean);
	for (size_t j = 0; j < nb; j++) {
		double want = var * (b[j].hi - b[j].lo) / (FS / 2);
		double e = 10 * log10(mean[j] / want);
		if (fabs(e) > fabs(worst))
			worst = e;
	}
	printf("white noise: worst band %+.3f dB off s^2 (hi - lo) / (fs / 2)\n", worst);
	CHECK_NEAR("white noise: every band's mean power (dB)", worst, 0, 0.5);

	/* the same records whatever the chunks */
	size_t m2, nb2;
	tfr_noise_band *c = analyse(sig, LEN, 1000, &m2, &nb2);
	CHECK("analysis: the same in other chunks",
	      c && m2 == m && memcmp(b, c, m * sizeof *b) == 0);
	free(c);
	free(b);

	/* a sine: A^2 / 2 in all, within 200 Hz of it nearly all */
	memset(sig, 0, sizeof sig);
	test_add_cos(sig, LEN, FS, 1000, 0.5, 0.3);
	b = analyse(sig, LEN, 4096, &m, &nb);
	if (!b)
		return;
	double tot = 0, near = 0;
	size_t f = m / nb / 2;
	for (size_t j = 0; j < nb; j++) {
		tot += b[f * nb + j].power;
		if (b[f * nb + j].hi > 800 && b[f * nb + j].lo < 1200)
			near += b[f * nb + j].power;
	}
	CHECK_NEAR("sine: the bands add up to A^2/2", tot, 0.125, 0.125 * 0.003);
	CHECK("sine: 99.99 % of it within 200 Hz", near >= 0.9999 * tot);
	free(b);
}

/* A flat envelope of variance var (bands as the analysis makes them)
 * from time t0, silence before it, every 5.8 ms up to 10 s. */
static size_t flat_envelope(tfr_noise_band *out, size_t cap, double var, double t0,
                            const tfr_noise_band *bands, size_t nb)
{
	size_t m = 0;
	for (double t = 0; t < 10 && m + nb <= cap; t += 256 / FS) {
		for (size_t j = 0; j < nb; j++) {
			out[m] = bands[j];
			out[m].time = t;
			out[m].power = t >= t0 ? var * (bands[j].hi - bands[j].lo) / (FS / 2) : 0;
			m++;
		}
	}
	return m;
}

/* Noise of records b (m) split in calls of `every` records, read in
 * reads of `rd` samples: the samples (at most LEN) into y, count. */
static size_t make_noise(const tfr_noise_band *b, size_t m, size_t every, size_t rd,
                         int64_t length, float *y, size_t max)
{
	tfr_noise_synth_params p;
	tfr_noise_synth_params_default(&p);
	p.sample_rate = FS;
	p.seed = 7;
	p.length = length;
	tfr_diag d;
	tfr_noise_synth *s = tfr_noise_synth_new(&p, &d);
	if (!s)
		return 0;
	size_t n = 0, k;
	for (size_t i = 0; i < m; i += every) {
		size_t len = m - i < every ? m - i : every;
		if (tfr_noise_synth_process(s, b + i, len) != TFR_OK)
			break;
		while (n < max && (k = tfr_noise_synth_read(s, y + n, max - n < rd ? max - n : rd)) > 0)
			n += k;
	}
	tfr_noise_synth_flush(s);
	while (n < max && (k = tfr_noise_synth_read(s, y + n, max - n < rd ? max - n : rd)) > 0)
		n += k;
	tfr_noise_synth_free(s);
	return n;
}

static void test_synth(void)
{
	/* the band layout */
	memset(sig, 0, sizeof sig);
	size_t m, nb;
	tfr_noise_band *lay = analyse(sig, 4096, 4096, &m, &nb);
	if (!lay)
		return;
	size_t cap = 2000 * nb;
	tfr_noise_band *env = malloc(cap * sizeof *env);
	double var = 0.01;
	size_t ne = flat_envelope(env, cap, var, 0, lay, nb);
	static float y[LEN], z[2 * LEN];
	size_t n = make_noise(env, ne, ne, 4096, LEN, y, LEN);
	CHECK_NEAR("noise: the length asked for", (double)n, LEN, 0);
	double e = 0;
	for (size_t i = 22050; i < LEN - 22050; i++)
		e += (double)y[i] * y[i];
	double lvl = 10 * log10(e / (LEN - 44100) / var);
	printf("flat envelope of variance %g: noise %+.3f dB\n", var, lvl);
	CHECK_NEAR("noise: its variance (dB)", lvl, 0, 0.05);
	/* its envelope: the same flat one */
	size_t m2, nb2;
	tfr_noise_band *b = analyse(y, LEN, 4096, &m2, &nb2);
	if (b) {
		double mean[TFR_STOCHASTIC_MAX_BANDS], worst = 0;
		band_means(b, m2, nb2, 8, mean);
		for (size_t j = 0; j < nb2; j++) {
			double d = 10 * log10(mean[j] / (var * (b[j].hi - b[j].lo) / (FS / 2)));
			if (fabs(d) > fabs(worst))
				worst = d;
		}
		printf("its bands: worst %+.3f dB off the envelope\n", worst);
		CHECK_NEAR("noise: every band's power (dB)", worst, 0, 0.5);
		free(b);
	}
	/* the same however split */
	size_t n2 = make_noise(env, ne, 7, 333, LEN, z, 2 * LEN);
	CHECK("noise: the same in other calls and reads",
	      n2 == n && memcmp(y, z, n * sizeof *y) == 0);
	/* length by default: a hop after the last frame */
	n2 = make_noise(env, ne, ne, 4096, -1, z, 2 * LEN);
	CHECK_NEAR("noise: default length",
	           (double)n2, llround(env[ne - 1].time * FS) + 256, 0);
	/* an envelope that starts at 1 s: nothing before 1 s less a hop and
	 * half a window */
	ne = flat_envelope(env, cap, var, 1, lay, nb);
	n = make_noise(env, ne, ne, 4096, LEN, y, LEN);
	size_t first = 0;
	while (first < n && y[first] == 0)
		first++;
	CHECK("noise: silent before its envelope starts",
	      first >= 44100 - 256 - 512 && first < 44100);
	e = 0;
	for (size_t i = 44100 + 512; i < 3 * 44100; i++)
		e += (double)y[i] * y[i];
	CHECK_NEAR("noise: at full power half a window after",
	           10 * log10(e / (2 * 44100 - 512) / var), 0, 0.1);
	free(env);
	free(lay);
}

static void test_refusals(void)
{
	tfr_noise_synth_params p;
	tfr_noise_synth_params_default(&p);
	tfr_diag d;
	tfr_noise_synth *s = tfr_noise_synth_new(&p, &d);
	if (!s)
		return;
	tfr_noise_band a[] = { { 1, 0, 100, 1 }, { 1, 100, 200, 1 }, { 0.5, 0, 100, 1 } };
	CHECK("synth: a frame", tfr_noise_synth_process(s, a, 2) == TFR_OK);
	CHECK("synth: time going back", tfr_noise_synth_process(s, a + 2, 1) == TFR_EFORMAT);
	CHECK("synth: says so", strstr(tfr_noise_synth_diag(s)->text, "back") != NULL);
	tfr_noise_band o = { 1, 150, 300, 1 };
	CHECK("synth: overlapping bands", tfr_noise_synth_process(s, &o, 1) == TFR_EFORMAT);
	tfr_noise_band q = { 2, 300, 200, 1 };
	CHECK("synth: hi below lo", tfr_noise_synth_process(s, &q, 1) == TFR_EFORMAT);
	tfr_noise_band r = { 2, 0, 200, -1 };
	CHECK("synth: negative power", tfr_noise_synth_process(s, &r, 1) == TFR_EFORMAT);
	r.power = NAN;
	CHECK("synth: NaN power", tfr_noise_synth_process(s, &r, 1) == TFR_EFORMAT);
	tfr_noise_band far = { 1e9, 0, 200, 1 };
	CHECK("synth: a time past 2^42 samples", tfr_noise_synth_process(s, &far, 1) == TFR_EFORMAT);
	CHECK("synth: flush", tfr_noise_synth_flush(s) == TFR_OK);
	r.power = 1;
	CHECK("synth: nothing after the end", tfr_noise_synth_process(s, &r, 1) == TFR_EINVAL);
	tfr_noise_synth_free(s);

	tfr_stochastic_params sp;
	tfr_stochastic_params_default(&sp);
	tfr_stochastic *an = tfr_stochastic_new(&sp, &d);
	float bad[3] = { 0, INFINITY, 0 };
	CHECK("analysis: refuses a sample that is not finite",
	      an && tfr_stochastic_process(an, bad, 3) == TFR_EFORMAT);
	tfr_stochastic_free(an);
}

int main(void)
{
	test_bands_and_white();
	test_synth();
	test_refusals();
	return test_finish("test_stochastic");
}
