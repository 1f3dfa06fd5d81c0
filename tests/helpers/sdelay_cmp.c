/*
 * sdelay_cmp.c - helper for tool_sdelay.sh (not a test by itself):
 *   sdelay-cmp [-s SHIFT] [-g FB] [-l LAG] [-k FROM] [-e TO] a.wav b.wav
 * prints "FRAMES_A FRAMES_B MAXERR FLIPS" where MAXERR is the largest
 * |b[n] - e[n]| over the frames FROM <= n < TO of b (default all), with
 * the analytic feedback comb
 *   e[n] = sum_{m>=0} FB^m a[n - SHIFT - m LAG]   (FB 0: a plain shift),
 * and FLIPS counts samples where b has the opposite sign of e although
 * |e| > 0.01 (a wrapped integer conversion shows up there).
 */
#include "tfr.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static float *load(const char *path, int *nc, size_t *len)
{
	tfr_diag d;
	size_t cap = 1 << 16;
	float *x;
	long n;
	tfr_audio_in *in = tfr_audio_in_new(path, &d);

	if (!in) {
		fprintf(stderr, "sdelay-cmp: %s: %s\n", path, d.text);
		exit(1);
	}
	*nc = tfr_audio_in_info(in)->channels;
	*len = 0;
	x = malloc(cap * (size_t)*nc * sizeof *x);
	while ((n = tfr_audio_in_read(in, x + *len * (size_t)*nc, 4096)) > 0) {
		*len += (size_t)n;
		if (*len + 4096 > cap) {
			cap *= 2;
			x = realloc(x, cap * (size_t)*nc * sizeof *x);
		}
	}
	tfr_audio_in_free(in);
	return x;
}

int main(int argc, char **argv)
{
	long shift = 0, lag = 0, from = 0, to = -1;
	size_t flips = 0;
	double g = 0.0, emax = 0.0;
	int c, nca, ncb;
	size_t la, lb;
	float *a, *b;

	while ((c = getopt(argc, argv, "s:g:l:k:e:")) != -1) {
		long long v = 0;
		/* strict numbers: a typo in a test must not pass as 0 */
		if (c == 'g' ? tfr_parse_double(optarg, &g) != TFR_OK
		             : tfr_parse_int(optarg, 0, 1LL << 40, &v) != TFR_OK) {
			fprintf(stderr, "sdelay-cmp: -%c: '%s' is not a number\n", c, optarg);
			return 2;
		}
		if (c == 's')
			shift = (long)v;
		else if (c == 'l')
			lag = (long)v;
		else if (c == 'k')
			from = (long)v;
		else if (c == 'e')
			to = (long)v;
		else if (c != 'g')
			return 2;
	}
	if (argc - optind != 2)
		return 2;
	a = load(argv[optind], &nca, &la);
	b = load(argv[optind + 1], &ncb, &lb);
	if (nca != ncb) {
		printf("channels %d %d\n", nca, ncb);
		return 1;
	}
	if (to < 0 || (size_t)to > lb)
		to = (long)lb;
	for (size_t n = (size_t)from; n < (size_t)to; n++)
		for (int ch = 0; ch < nca; ch++) {
			double want = 0.0, gm = 1.0;
			for (long j = (long)n - shift; j >= 0; j -= lag, gm *= g) {
				if ((size_t)j < la)
					want += gm * a[(size_t)j * nca + ch];
				if (g == 0.0 || lag <= 0)
					break;
			}
			emax = fmax(emax, fabs(b[n * ncb + ch] - want));
			if (fabs(want) > 0.01 && want * b[n * ncb + ch] < 0)
				flips++;
		}
	printf("%zu %zu %.3g %zu\n", la, lb, emax, flips);
	free(a);
	free(b);
	return 0;
}
