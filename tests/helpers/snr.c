/*
 * tfr-snr - how closely one sound reproduces another: the figures of the
 * fidelity report and the resynthesis tests.
 *
 *   tfr-snr [-e seconds] [-c channel] REFERENCE.wav TEST.wav [MORE.wav ...]
 *
 * More test files are added sample by sample to TEST (in double, then
 * rounded to float): the sum of the parts of a split, against the whole.
 *
 * Prints, on one line:
 *   snr=DB        whole-file waveform SNR 10 log10(sum x^2 / sum (x-y)^2),
 *                 over the reference's length, no time shift (a missing
 *                 tail of the test counts as zeros)
 *   edges=DB      the same over the first and last E seconds (-e, 0.1)
 *   steady=DB     the same between them
 *   spectral=DB   magnitude-spectrum SNR: sum |X|^2 / sum (|X|-|Y|)^2 over
 *                 Hann-windowed 2048-sample frames, hop 512
 *   lsd=DB        log-spectral distance: the RMS over bins of
 *                 10 log10 (|X|^2 / |Y|^2), both floored at -100 dB re a
 *                 full-scale sine, per Hann-windowed 2048-sample frame
 *                 (hop 512), averaged over the frames where the
 *                 reference is not silent (its energy above the floor):
 *                 what is missing or added at any level counts, as the
 *                 ear hears it, which waveform SNR cannot see
 *   preecho=DB    the median over the reference's onsets of the test's
 *                 energy over the reference's in the 20 ms before each
 *                 onset, both floored at 50 dB below the reference's
 *                 20 ms after it (0: no pre-echo; nan if no onset;
 *                 +50 at most). An onset is
 *                 a 2.5 ms block whose energy rises 10 dB above the
 *                 mean of the 20 ms before it and is above -50 dBFS,
 *                 at least 50 ms after the previous onset
 *   onsets=N      their count
 *   attack=DB     the median over the onsets of the test's energy over
 *                 the reference's in the 20 ms from each onset (0: the
 *                 attack kept; negative: lost)
 *   frames=N      the reference's length; test_frames=M the test's
 *   level=DB      the test's level, 10 log10 (2 mean y^2): a full-scale
 *                 sine reads 0 dB; -inf for silence (crosstalk into a
 *                 channel that should be silent)
 * Mono: the first channel of each file, or with -c channel K (1-based)
 * of the test files (the reference's first still). Exit 1 on unreadable
 * input.
 */
#include "tfr.h"

#include <math.h>

#define PI 3.14159265358979323846
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static float *load(const char *path, size_t *len, double *rate, int channel)
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
	while (x && (got = tfr_audio_in_read_mono(in, x + n, cap - n, channel)) > 0) {
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

enum { N = 2048, H = 512 };

/* The spectra of the Hann-windowed frames of x and y at start. */
static void frame_spectra(tfr_fft *cfg, const float *x, const float *y,
                          size_t ylen, size_t start, tfr_cpx *fx,
                          tfr_cpx *fy)
{
	float bx[N], by[N];
	for (size_t n = 0; n < N; n++) {
		float w = (float)(0.5 - 0.5 * cos(2 * PI * (double)n / N));
		bx[n] = w * x[start + n];
		by[n] = start + n < ylen ? w * y[start + n] : 0;
	}
	tfr_fft_forward(cfg, bx, fx);
	tfr_fft_forward(cfg, by, fy);
}

static double spectral(const float *x, const float *y, size_t xlen, size_t ylen)
{
	tfr_fft *cfg = tfr_fft_new(N, 1, TFR_FFT_REAL_FORWARD, NULL);
	tfr_cpx fx[N / 2 + 1], fy[N / 2 + 1];
	double s = 0, e = 0;
	for (size_t start = 0; start + N <= xlen; start += H) {
		frame_spectra(cfg, x, y, ylen, start, fx, fy);
		for (size_t k = 0; k <= N / 2; k++) {
			double mx = hypot(fx[k].r, fx[k].i), my = hypot(fy[k].r, fy[k].i);
			s += mx * mx;
			e += (mx - my) * (mx - my);
		}
	}
	tfr_fft_free(cfg);
	return e > 0 ? 10 * log10(s / e) : INFINITY;
}

/* The log-spectral distance (see the top of the file). */
static double lsd(const float *x, const float *y, size_t xlen, size_t ylen)
{
	tfr_fft *cfg = tfr_fft_new(N, 1, TFR_FFT_REAL_FORWARD, NULL);
	tfr_cpx fx[N / 2 + 1], fy[N / 2 + 1];
	/* |X|^2 of a full-scale sine under a Hann window of N: (N/4)^2 */
	double floor_p = 1e-10 * (N / 4.0) * (N / 4.0);
	double sum = 0;
	size_t frames = 0;
	for (size_t start = 0; start + N <= xlen; start += H) {
		frame_spectra(cfg, x, y, ylen, start, fx, fy);
		double d2 = 0, ex = 0;
		for (size_t k = 0; k <= N / 2; k++) {
			double px = (double)fx[k].r * fx[k].r + (double)fx[k].i * fx[k].i;
			double py = (double)fy[k].r * fy[k].r + (double)fy[k].i * fy[k].i;
			ex += px;
			px = px > floor_p ? px : floor_p;
			py = py > floor_p ? py : floor_p;
			double d = 10 * log10(px / py);
			d2 += d * d;
		}
		if (ex <= floor_p * (N / 2 + 1))
			continue;
		sum += sqrt(d2 / (N / 2 + 1));
		frames++;
	}
	tfr_fft_free(cfg);
	return frames ? sum / (double)frames : NAN;
}

static int cmp_double(const void *a, const void *b)
{
	double u = *(const double *)a, v = *(const double *)b;
	return (u > v) - (u < v);
}

static double median(double *v, size_t n)
{
	if (!n)
		return NAN;
	qsort(v, n, sizeof *v, cmp_double);
	return n % 2 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
}

static double energy(const float *x, size_t len, size_t a, size_t b)
{
	double e = 0;
	for (size_t i = a; i < b && i < len; i++)
		e += (double)x[i] * x[i];
	return e;
}

/* Pre-echo and attack figures at the reference's onsets (see the top of
 * the file). */
static void onsets(const float *x, const float *y, size_t xlen, size_t ylen,
                   double rate, double *pre, double *att, size_t *count)
{
	size_t blk = (size_t)(0.0025 * rate), win = (size_t)(0.020 * rate);
	size_t nb = blk ? xlen / blk : 0, hist = win / (blk ? blk : 1);
	double *be = malloc((nb + 1) * sizeof *be);
	double *pv = malloc((nb + 1) * sizeof *pv), *av = malloc((nb + 1) * sizeof *av);
	size_t n = 0, last = 0;
	int any = 0;
	for (size_t b = 0; be && b < nb; b++)
		be[b] = energy(x, xlen, b * blk, (b + 1) * blk) / (double)blk;
	for (size_t b = hist; be && pv && av && b < nb; b++) {
		double before = 0;
		for (size_t k = b - hist; k < b; k++)
			before += be[k];
		before /= (double)hist;
		/* -50 dBFS: mean square of a full-scale sine is 0.5 */
		if (be[b] < 0.5e-5 || be[b] < 10 * before)
			continue;
		size_t at = b * blk;
		if (any && at < last + (size_t)(0.05 * rate))
			continue;
		any = 1;
		last = at;
		double ex = energy(x, xlen, at - win, at), ey = energy(y, ylen, at - win, at);
		double ax = energy(x, xlen, at, at + win), ay = energy(y, ylen, at, at + win);
		/* what is 50 dB below the attack is inaudible before it: the
		 * floor of both energies (else silence before an onset makes
		 * any pre-echo infinite) */
		double fl = 1e-5 * ax + 1e-20;
		pv[n] = 10 * log10((ey + fl) / (ex + fl));
		av[n] = 10 * log10((ay + 1e-20) / (ax + 1e-20));
		n++;
	}
	*pre = pv ? median(pv, n) : NAN;
	*att = av ? median(av, n) : NAN;
	*count = n;
	free(be);
	free(pv);
	free(av);
}

int main(int argc, char **argv)
{
	double edge_s = 0.1, ch = 1;
	int i = 1;
	if (argc > i + 1 && !strcmp(argv[i], "-e")) {
		if (tfr_parse_double(argv[i + 1], &edge_s) != TFR_OK || edge_s < 0) {
			fprintf(stderr, "tfr-snr: -e: '%s' is not a time in seconds\n", argv[i + 1]);
			return 2;
		}
		i += 2;
	}
	if (argc > i + 1 && !strcmp(argv[i], "-c")) {
		if (tfr_parse_double(argv[i + 1], &ch) != TFR_OK || ch < 1 ||
		    ch > TFR_MAX_CHANNELS || ch != (int)ch) {
			fprintf(stderr, "tfr-snr: -c: '%s' is not a channel\n", argv[i + 1]);
			return 2;
		}
		i += 2;
	}
	if (argc - i < 2) {
		fprintf(stderr, "usage: tfr-snr [-e seconds] [-c channel] reference.wav "
		        "test.wav [more.wav ...]\n");
		return 2;
	}
	size_t xl, yl;
	double rx, ry;
	float *x = load(argv[i], &xl, &rx, 1), *y = load(argv[i + 1], &yl, &ry, (int)ch);
	for (int k = i + 2; k < argc; k++) {
		size_t zl;
		double rz;
		float *z = load(argv[k], &zl, &rz, (int)ch);
		if (zl > yl) {
			float *g = realloc(y, zl * sizeof *y);
			if (!g) {
				fprintf(stderr, "tfr-snr: out of memory\n");
				return 1;
			}
			y = g;
			memset(y + yl, 0, (zl - yl) * sizeof *y);
			yl = zl;
		}
		for (size_t n = 0; n < zl; n++)
			y[n] = (float)((double)y[n] + z[n]);
		free(z);
	}
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
	double pre, att;
	size_t nons;
	onsets(x, y, xl, yl, rx, &pre, &att, &nons);
	double ey = 0;
	for (size_t k = 0; k < yl; k++)
		ey += (double)y[k] * y[k];
	printf("snr=%.2f edges=%.2f steady=%.2f spectral=%.2f lsd=%.2f "
	       "preecho=%.1f onsets=%zu attack=%.1f frames=%zu test_frames=%zu "
	       "level=%.2f\n",
	       s_all, ee > 0 ? 10 * log10(sx / ee) : INFINITY, snr(x, y, yl, e, xl - e),
	       spectral(x, y, xl, yl), lsd(x, y, xl, yl), pre, nons, att, xl, yl,
	       yl && ey > 0 ? 10 * log10(2 * ey / (double)yl) : -INFINITY);
	free(x);
	free(y);
	return 0;
}
