/*
 * tfr-snr - how closely one sound reproduces another: the figures of the
 * fidelity report and the resynthesis tests.
 *
 *   tfr-snr [-e seconds] REFERENCE.wav TEST.wav
 *
 * Prints, on one line:
 *   snr=DB        whole-file waveform SNR 10 log10(sum x^2 / sum (x-y)^2),
 *                 over the reference's length, no time shift (a missing
 *                 tail of the test counts as zeros)
 *   edges=DB      the same over the first and last E seconds (-e, 0.1)
 *   steady=DB     the same between them
 *   spectral=DB   magnitude-spectrum SNR: sum |X|^2 / sum (|X|-|Y|)^2 over
 *                 Hann-windowed 2048-sample frames, hop 512
 *   frames=N      the reference's length; test_frames=M the test's
 * Mono (the first channel of each file). Exit 1 on unreadable input.
 */
#include "tfr.h"

#include "kiss_fftr.h"

#include <math.h>

#define PI 3.14159265358979323846
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static float *load(const char *path, size_t *len, double *rate)
{
	tfr_diag d;
	tfr_audio_in *in = tfr_audio_in_new(path, &d);
	if (!in) {
		fprintf(stderr, "tfr-snr: %s: %s\n", path, d.text);
		exit(1);
	}
	*rate = tfr_audio_in_info(in)->sample_rate;
	size_t cap = 1 << 16, n = 0;
	float *x = malloc(cap * sizeof *x);
	long got;
	while (x && (got = tfr_audio_in_read_mono(in, x + n, cap - n, 1)) > 0) {
		n += (size_t)got;
		if (n == cap)
			x = realloc(x, (cap *= 2) * sizeof *x);
	}
	if (!x || got < 0) {
		fprintf(stderr, "tfr-snr: %s: %s\n", path, x ? tfr_audio_in_diag(in)->text
		                                              : "out of memory");
		exit(1);
	}
	tfr_audio_in_free(in);
	*len = n;
	return x;
}

static double snr(const float *x, const float *y, size_t ylen, size_t a, size_t b)
{
	double s = 0, e = 0;
	for (size_t i = a; i < b; i++) {
		double v = i < ylen ? y[i] : 0;
		s += (double)x[i] * x[i];
		e += (x[i] - v) * (x[i] - v);
	}
	return e > 0 ? 10 * log10(s / e) : INFINITY;
}

static double spectral(const float *x, const float *y, size_t xlen, size_t ylen)
{
	enum { N = 2048, H = 512 };
	kiss_fftr_cfg cfg = kiss_fftr_alloc(N, 0, NULL, NULL);
	float bx[N], by[N];
	kiss_fft_cpx fx[N / 2 + 1], fy[N / 2 + 1];
	double s = 0, e = 0;
	for (size_t start = 0; start + N <= xlen; start += H) {
		for (size_t n = 0; n < N; n++) {
			float w = (float)(0.5 - 0.5 * cos(2 * PI * (double)n / N));
			bx[n] = w * x[start + n];
			by[n] = start + n < ylen ? w * y[start + n] : 0;
		}
		kiss_fftr(cfg, bx, fx);
		kiss_fftr(cfg, by, fy);
		for (size_t k = 0; k <= N / 2; k++) {
			double mx = hypot(fx[k].r, fx[k].i), my = hypot(fy[k].r, fy[k].i);
			s += mx * mx;
			e += (mx - my) * (mx - my);
		}
	}
	kiss_fftr_free(cfg);
	return e > 0 ? 10 * log10(s / e) : INFINITY;
}

int main(int argc, char **argv)
{
	double edge_s = 0.1;
	int i = 1;
	if (argc > 2 && !strcmp(argv[1], "-e")) {
		if (tfr_parse_double(argv[2], &edge_s) != TFR_OK || edge_s < 0) {
			fprintf(stderr, "tfr-snr: -e: '%s' is not a time in seconds\n", argv[2]);
			return 2;
		}
		i = 3;
	}
	if (argc - i != 2) {
		fprintf(stderr, "usage: tfr-snr [-e seconds] reference.wav test.wav\n");
		return 2;
	}
	size_t xl, yl;
	double rx, ry;
	float *x = load(argv[i], &xl, &rx), *y = load(argv[i + 1], &yl, &ry);
	size_t e = (size_t)(edge_s * rx);
	if (2 * e > xl)
		e = xl / 2;
	double s_all = snr(x, y, yl, 0, xl);
	/* the edges as one signal: first and last e samples */
	double sx = 0, ee = 0;
	for (size_t k = 0; k < xl; k++) {
		if (k >= e && k < xl - e)
			continue;
		double v = k < yl ? y[k] : 0;
		sx += (double)x[k] * x[k];
		ee += (x[k] - v) * (x[k] - v);
	}
	printf("snr=%.2f edges=%.2f steady=%.2f spectral=%.2f frames=%zu test_frames=%zu\n",
	       s_all, ee > 0 ? 10 * log10(sx / ee) : INFINITY, snr(x, y, yl, e, xl - e),
	       spectral(x, y, xl, yl), xl, yl);
	free(x);
	free(y);
	return 0;
}
