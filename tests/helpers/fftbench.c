/*
 * fftbench.c - the speed of the FFT backend built (tfr_fft.h), for
 * scripts/bench-fft: CPU microseconds per real forward + inverse pair
 * of size n (default 2048), and per four forward transforms made one
 * at a time and four at a call (tfr_reassign's four windows). Prints
 * "backend<TAB>what<TAB>us". Not a test: speed is measured, not
 * asserted (a test of time would fail on a loaded machine).
 * usage: tfr-fftbench [N [SECONDS]]
 */
#include "tfr.h"

#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static double cpu_now(void)
{
	struct timespec t;
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
	return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

/* Runs of one thing: repeat until `secs` of CPU, best of 5 rounds. */
#define BENCH(label, secs, body) do { \
	double best = 1e300; \
	for (int round = 0; round < 5; round++) { \
		long reps = 0; \
		double t0 = cpu_now(), t; \
		do { \
			for (int r_ = 0; r_ < 64; r_++) { body; } \
			reps += 64; \
		} while ((t = cpu_now() - t0) < (secs) / 5); \
		if (t / (double)reps < best) \
			best = t / (double)reps; \
	} \
	printf("%s\t%s\t%.3f\n", tfr_fft_backend(), (label), best * 1e6); \
} while (0)

int main(int argc, char **argv)
{
	size_t n = argc > 1 ? strtoul(argv[1], NULL, 10) : 2048;
	double secs = argc > 2 ? atof(argv[2]) : 1.0;
	size_t nb = n / 2 + 1;
	float *x = malloc(4 * n * sizeof *x), *y = malloc(4 * n * sizeof *y);
	tfr_cpx *X = malloc(4 * nb * sizeof *X);
	tfr_fft *fw = tfr_fft_new(n, 1, TFR_FFT_REAL_FORWARD, NULL);
	tfr_fft *iv = tfr_fft_new(n, 1, TFR_FFT_REAL_INVERSE, NULL);
	tfr_fft *f4 = tfr_fft_new(n, 4, TFR_FFT_REAL_FORWARD, NULL);
	if (!x || !y || !X || !fw || !iv || !f4) {
		fprintf(stderr, "tfr-fftbench: size %zu: no FFT\n", n);
		return 1;
	}
	uint64_t s = 1;
	for (size_t i = 0; i < 4 * n; i++) {
		s = s * 6364136223846793005u + 1442695040888963407u;
		x[i] = (float)((double)(s >> 11) * 0x1p-53 - 0.5);
	}
	char label[64];
	snprintf(label, sizeof label, "%zu-point real forward+inverse", n);
	BENCH(label, secs, tfr_fft_forward(fw, x, X); tfr_fft_inverse(iv, X, y));
	snprintf(label, sizeof label, "4 x %zu forward, one at a time", n);
	BENCH(label, secs, for (int j = 0; j < 4; j++)
		tfr_fft_forward(fw, x + j * n, X + j * nb));
	snprintf(label, sizeof label, "4 x %zu forward, four at a call", n);
	BENCH(label, secs, tfr_fft_forward(f4, x, X));
	tfr_fft_free(fw);
	tfr_fft_free(iv);
	tfr_fft_free(f4);
	free(x);
	free(y);
	free(X);
	return 0;
}
