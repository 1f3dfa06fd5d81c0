/*
 * test_fft.c - the FFT interface (tfr_fft.h), whichever backend is built:
 * analytic spectra of cosines (bin k0 holds A N/2 e^{i phi}, bin 0 the
 * DC times N, every other bin 0), the unscaled inverse (inverse of
 * forward = N x), the complex transforms' signs, four transforms at a
 * call, and results that do not depend on the arrays' alignment.
 *
 * Bounds: float FFTs of these sizes err by ~1e-7 of the largest bin
 * (roundoff grows like log N); 1e-5 is the stated tolerance, and the
 * tighter bound 1e-6 is near what both backends achieve (max. 3e-7),
 * so that a less accurate transform shows.
 */
#include "testutil.h"
#include "tfr.h"

#include <complex.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#define TOL 1e-5
#define TIGHT 1e-6

/* x[j] = dc + a cos(2 pi k0 j / n + ph), frames of n. */
static void cosine(float *x, size_t n, size_t k0, double dc, double a,
                   double ph)
{
	for (size_t j = 0; j < n; j++)
		x[j] = (float)(dc + a * cos(2 * M_PI * (double)(k0 * j % n) /
		                            (double)n + ph));
}

/* Largest |X[k] - truth| over the bins, relative to A n / 2. */
static double spectrum_error(const tfr_cpx *X, size_t n, size_t k0,
                             double dc, double a, double ph)
{
	double worst = 0, scale = a * (double)n / 2;
	for (size_t k = 0; k <= n / 2; k++) {
		double complex want = 0;
		if (k == 0)
			want += dc * (double)n;
		if (k == k0)
			want += (k0 == 0 || 2 * k0 == n ? 2 : 1) * scale *
			        cexp(I * ph);
		if (2 * k0 == n || k0 == 0)
			want = creal(want);  /* a real bin: cos(ph) */
		double e = cabs(X[k].r + I * X[k].i - want) / scale;
		worst = fmax(worst, e);
	}
	return worst;
}

static void real_sizes(void)
{
	/* powers of 2 and the 2-3-5 sizes tfr_fft_size_for gives */
	const size_t sizes[] = { 2048, 1536, 1000, 4096, 6 };
	for (size_t s = 0; s < sizeof sizes / sizeof *sizes; s++) {
		size_t n = sizes[s], k0 = n / 6, nb = n / 2 + 1;
		float *x = malloc(n * sizeof *x), *y = malloc(n * sizeof *y);
		tfr_cpx *X = malloc(nb * sizeof *X);
		tfr_fft *fw = tfr_fft_new(n, 1, TFR_FFT_REAL_FORWARD, NULL);
		tfr_fft *iv = tfr_fft_new(n, 1, TFR_FFT_REAL_INVERSE, NULL);
		CHECK("real FFT objects made", x && y && X && fw && iv);
		if (!x || !y || !X || !fw || !iv)
			return;
		CHECK("tfr_fft_size", tfr_fft_size(fw) == n);
		cosine(x, n, k0, 0.25, 0.5, 0.7);
		tfr_fft_forward(fw, x, X);
		double e = spectrum_error(X, n, k0, 0.25, 0.5, 0.7);
		CHECK_NEAR("forward: a cosine's spectrum", e, 0, TOL);
		CHECK_NEAR("forward: a cosine's spectrum (tight)", e, 0, TIGHT);
		/* the inverse is unscaled: N x back */
		tfr_fft_inverse(iv, X, y);
		double worst = 0;
		for (size_t j = 0; j < n; j++)
			worst = fmax(worst, fabs(y[j] / (double)n - x[j]));
		CHECK_NEAR("inverse(forward(x)) = N x", worst, 0, TOL);
		CHECK_NEAR("inverse(forward(x)) = N x (tight)", worst, 0, TIGHT);
		tfr_fft_free(fw);
		tfr_fft_free(iv);
		free(x);
		free(y);
		free(X);
	}
}

/* Forward: a delta at sample 1 is e^{-2 pi i k / n}; inverse: at bin 1,
 * e^{+2 pi i j / n}, unscaled. */
static void complex_signs(void)
{
	enum { n = 512 };
	tfr_cpx in[n], out[n];
	for (int dir = 0; dir < 2; dir++) {
		tfr_fft *f = tfr_fft_new(n, 1, dir ? TFR_FFT_COMPLEX_INVERSE :
		                         TFR_FFT_COMPLEX_FORWARD, NULL);
		CHECK("complex FFT object made", f != NULL);
		if (!f)
			return;
		memset(in, 0, sizeof in);
		in[1].r = 1;
		tfr_fft_complex(f, in, out);
		double worst = 0, sign = dir ? 1 : -1;
		for (int k = 0; k < n; k++) {
			double complex want = cexp(sign * 2 * M_PI * I * k / n);
			worst = fmax(worst, cabs(out[k].r + I * out[k].i - want));
		}
		CHECK_NEAR(dir ? "complex inverse: e^{+2 pi i j / n}" :
		           "complex forward: e^{-2 pi i k / n}", worst, 0, TIGHT);
		CHECK("complex input left as it was", in[1].r == 1 && in[0].r == 0);
		tfr_fft_free(f);
	}
}

/* Four transforms at a call: frame j its own cosine, spectrum j at
 * j (n/2 + 1), as tfr_reassign uses them. */
static void four_at_once(void)
{
	enum { n = 2048, nb = n / 2 + 1, count = 4 };
	float *x = malloc(count * n * sizeof *x);
	tfr_cpx *X = malloc(count * nb * sizeof *X);
	tfr_fft *f = tfr_fft_new(n, count, TFR_FFT_REAL_FORWARD, NULL);
	CHECK("four-wide FFT object made", x && X && f);
	if (!x || !X || !f)
		return;
	for (size_t j = 0; j < count; j++)
		cosine(x + j * n, n, 100 + 37 * j, 0.1 * (double)j, 1, 0.3 * (double)j);
	tfr_fft_forward(f, x, X);
	for (size_t j = 0; j < count; j++) {
		double e = spectrum_error(X + j * nb, n, 100 + 37 * j,
		                          0.1 * (double)j, 1, 0.3 * (double)j);
		CHECK_NEAR("four at once: each frame's spectrum", e, 0, TIGHT);
	}
	tfr_fft_free(f);
	free(x);
	free(X);
}

/* The same values at any address give the same bits (FFTW copies a
 * misaligned array into an aligned one rather than plan otherwise). */
static void alignment(void)
{
	enum { n = 1536, nb = n / 2 + 1 };
	float *x = malloc((n + 1) * sizeof *x), *y = malloc(n * sizeof *y);
	float *w = malloc((n + 1) * sizeof *w);
	tfr_cpx *X = malloc((nb + 1) * sizeof *X), *Z = malloc((nb + 1) * sizeof *Z);
	tfr_fft *fw = tfr_fft_new(n, 1, TFR_FFT_REAL_FORWARD, NULL);
	tfr_fft *iv = tfr_fft_new(n, 1, TFR_FFT_REAL_INVERSE, NULL);
	CHECK("FFT objects made", x && y && w && X && Z && fw && iv);
	if (!x || !y || !w || !X || !Z || !fw || !iv)
		return;
	cosine(x, n, 300, 0, 1, 1);
	test_add_noise(x, n, 0.1, 7);
	memmove(x + 1, x, n * sizeof *x);  /* the same values, 4 bytes on */
	memcpy(y, x + 1, n * sizeof *y);  /* and again at malloc's alignment */
	tfr_fft_forward(fw, x + 1, X);
	tfr_fft_forward(fw, y, Z + 1);
	CHECK("forward: the same bits at other alignments",
	      !memcmp(X, Z + 1, nb * sizeof *X));
	tfr_fft_forward(fw, y, Z);
	CHECK("forward: the same bits aligned", !memcmp(X, Z, nb * sizeof *X));
	memcpy(Z + 1, X, nb * sizeof *X);  /* the inverse may overwrite */
	tfr_fft_inverse(iv, X, y);
	tfr_fft_inverse(iv, Z + 1, w + 1);
	CHECK("inverse: the same bits at another alignment",
	      !memcmp(y, w + 1, n * sizeof *y));
	tfr_fft_free(fw);
	tfr_fft_free(iv);
	free(x);
	free(y);
	free(w);
	free(X);
	free(Z);
}

static void refused(void)
{
	tfr_diag d;
	CHECK("odd real size refused",
	      !tfr_fft_new(1001, 1, TFR_FFT_REAL_FORWARD, &d) && d.code == TFR_EINVAL);
	CHECK("size 0 refused",
	      !tfr_fft_new(0, 1, TFR_FFT_COMPLEX_INVERSE, &d) && d.code == TFR_EINVAL);
	CHECK("no transforms refused",
	      !tfr_fft_new(64, 0, TFR_FFT_REAL_FORWARD, &d) && d.code == TFR_EINVAL);
	CHECK("size above TFR_FFT_MAX_SIZE refused",
	      !tfr_fft_new(2 * TFR_FFT_MAX_SIZE, 1, TFR_FFT_COMPLEX_FORWARD, &d) &&
	      d.code == TFR_EINVAL);
	tfr_fft_free(NULL);
	const char *b = tfr_fft_backend();
	CHECK("a backend named", b && (!strcmp(b, "KissFFT") || !strncmp(b, "FFTW3f", 6)));
}

int main(void)
{
	real_sizes();
	complex_signs();
	four_at_once();
	alignment();
	refused();
	return test_finish("test_fft");
}
