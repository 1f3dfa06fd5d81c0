/*
 * test_hyper_ref.c - tfr_hyper against the Gardner & Magnasco reference
 * implementation (numpy dense port, config A: q 2, tdeci 64, over 4,
 * noct 48, minf 0.0025, maxf 0.45) on four signals; see
 * tests/data/hyper/README for where the data come from.
 *
 * The reference lists hold every bin >= 1e-12 of its maximum; bins not
 * listed are FFT-roundoff "froth" or zero in the reference, and count
 * as zero here. Compared: the shape; on bins >= 1e-6 x max (of either
 * side), the relative error, and the fraction of bins that are zero on
 * one side only. Time bins within q/minf = 800 samples of either end are
 * excluded: the reference wraps the signal around circularly there,
 * tfr_hyper pads with zeros.
 */
#include "testutil.h"
#include "tfr.h"

#include <math.h>
#include <sndfile.h>
#include <stdlib.h>
#include <string.h>

#define HT 690
#define HF 361

static float *read_wav(const char *name, size_t *n)
{
	SF_INFO info;
	memset(&info, 0, sizeof info);
	SNDFILE *sf = sf_open(test_data_path(name), SFM_READ, &info);
	if (!sf) {
		fprintf(stderr, "cannot open %s\n", test_data_path(name));
		exit(1);
	}
	float *x = malloc((size_t)info.frames * sizeof *x);
	*n = (size_t)sf_readf_float(sf, x, info.frames);
	sf_close(sf);
	return x;
}

/* The sparse reference list: value and count per bin, 0 elsewhere. */
static void read_ref(const char *name, float *ref, unsigned *cnt)
{
	FILE *f = fopen(test_data_path(name), "r");
	char line[256];
	if (!f) {
		fprintf(stderr, "cannot open %s\n", test_data_path(name));
		exit(1);
	}
	memset(ref, 0, HT * HF * sizeof *ref);
	memset(cnt, 0, HT * HF * sizeof *cnt);
	while (fgets(line, sizeof line, f)) {
		int k, j;
		double v;
		unsigned c;
		if (line[0] == '#')
			continue;
		if (sscanf(line, "%d %d %lf %u", &k, &j, &v, &c) == 4 &&
		    k >= 0 && k < HT && j >= 0 && j < HF) {
			ref[k * HF + j] = (float)v;
			cnt[k * HF + j] = c;
		}
	}
	fclose(f);
}

typedef struct {
	double maxrel;      /* on bins significant in the reference */
	size_t nsig;        /* bins >= 1e-6 max on either side */
	size_t onesided;    /* of those, zero on one side only */
	double refmax, ourmax;
} cmp_result;

static cmp_result compare(const float *ours, const float *ref,
                          const uint32_t *oc, const unsigned *rc, size_t n,
                          long tdeci, double edge)
{
	cmp_result r = {0, 0, 0, 0, 0};
	for (size_t i = 0; i < HT * HF; i++) {
		if (ref[i] > r.refmax)
			r.refmax = ref[i];
		if (ours[i] > r.ourmax)
			r.ourmax = ours[i];
	}
	double lim = 1e-6 * r.refmax;
	for (size_t k = 0; k < HT; k++) {
		double t0 = (double)k * tdeci, t1 = (double)(k + 1) * tdeci;
		if (t0 < edge + 1 || t1 > (double)n - edge)
			continue;
		for (size_t j = 0; j < HF; j++) {
			double a = ours[k * HF + j], b = ref[k * HF + j];
			if (a < lim && b < lim)
				continue;
			r.nsig++;
			double rel = (a == 0) != (b == 0) ? 1 : fabs(a - b) / b;
			if (getenv("TFR_TEST_VERBOSE") && rel > 1e-4)
				printf("  bin (%zu, %zu): ours %.9g ref %.9g, "
				       "counts %u %u\n", k, j, a, b,
				       (unsigned)oc[k * HF + j], rc[k * HF + j]);
			if ((a == 0) != (b == 0)) {
				r.onesided++;
				continue;
			}
			if (rel > r.maxrel)
				r.maxrel = rel;
		}
	}
	return r;
}

/* rel_tol, onesided_frac: the bounds asserted for this case (see main) */
static void run_case(const char *cname, double rel_tol, double frac_tol,
                     int exact)
{
	char wav[64], txt[64];
	snprintf(wav, sizeof wav, "hyper/%s.wav", cname);
	snprintf(txt, sizeof txt, "hyper/%s_A.txt", cname);
	size_t n;
	float *x = read_wav(wav, &n);
	float *ref = malloc(HT * HF * sizeof *ref);
	unsigned *cnt = malloc(HT * HF * sizeof *cnt);
	read_ref(txt, ref, cnt);

	tfr_hyper_params p;
	tfr_hyper_params_default(&p);
	p.threads = 2;
	p.exact = exact;
	tfr_hyper *h = tfr_hyper_new(&p, NULL);
	CHECK("new", h != NULL);
	/* feed in odd-sized pieces: streaming must not depend on them */
	size_t off = 0, piece = 777;
	while (off < n) {
		size_t m = n - off < piece ? n - off : piece;
		CHECK("process", tfr_hyper_process(h, x + off, m) == TFR_OK);
		off += m;
		piece = piece * 3 % 10007 + 1;
	}
	CHECK("flush", tfr_hyper_flush(h) == TFR_OK);
	size_t ht, hf;
	tfr_hyper_size(h, &ht, &hf);
	CHECK_NEAR("ht", ht, HT, 0);
	CHECK_NEAR("hf", hf, HF, 0);
	if (ht == HT && hf == HF) {
		cmp_result r = compare(tfr_hyper_energy(h), ref,
		                       tfr_hyper_counts(h), cnt, n, p.tdeci,
		                       p.q / p.minf);
		double frac = r.nsig ? (double)r.onesided / (double)r.nsig : 0;
		printf("%-9s %s: max %.6g (ref %.6g), %zu significant bins, "
		       "%zu one-sided (%.3f %%), max rel err %.3g, "
		       "max count %u\n", cname, exact ? "exact" : "fast ",
		       r.ourmax, r.refmax, r.nsig, r.onesided, 100 * frac,
		       r.maxrel, tfr_hyper_max_count(h));
		CHECK("relative error", r.maxrel <= rel_tol);
		CHECK("one-sided bins", frac <= frac_tol);
	}
	tfr_hyper_free(h);
	free(x);
	free(ref);
	free(cnt);
}

int main(void)
{
	/*
	 * The bounds on all four: relative error <= 1e-3 and at
	 * most 0.5 % one-sided bins. sine1k and click put many points
	 * exactly on a time-bin or lint boundary in exact arithmetic; they
	 * meet the bounds because such points are recomputed in double /
	 * long double (hyper_plan.c step 3; decided in float alone, 2.4 %
	 * and 0.85 % of their bins are one-sided). Achieved: sine1k 3e-7,
	 * chirp 2e-5 (1 one-sided bin of 860), click 2e-7 with one
	 * one-sided bin of 281 (the sliver bin 360: line 0's fins == minf
	 * ties exceed the recomputation budget), twotones 4e-6 (2 of
	 * 856). The one-sided bins of chirp and twotones hold a few dozen
	 * points each, next to the count threshold, which on these signals
	 * is set by a froth bin (man page, CAVEATS): with another FFT
	 * library they move.
	 */
	run_case("sine1k", 1e-3, 0.005, 0);
	run_case("chirp", 1e-3, 0.005, 0);
	run_case("click", 1e-3, 0.005, 0);
	run_case("twotones", 1e-3, 0.005, 0);
	return test_finish("test_hyper_ref");
}
