/*
 * test_reassign_ref.c - tfr's reassignment against an independent
 * double-precision implementation (tests/data/reassign, see README.md
 * there): N = 2048, H = 512, periodic Hann, centred frames, exact window
 * derivative and centred time ramp. For the points >= -60 dB re max:
 * |df| <= 2e-3 Hz, |dt| <= 1e-6 s (foundation issue), plus |dM| <= 1e-3
 * and relative magnitude <= 1e-4 (reassignment.md §6 float/double spread).
 *
 * The reference lists (time, freq, |X|, M) frame-major then bin, without
 * the frame and bin, so each reference point is matched, in order, to
 * the next of our points with the same magnitude (1e-3) and frequency
 * (0.5 Hz). The reference clips frequencies to [0, fs/2] and times to
 * [0, 1 s]; clipped points are not compared.
 */
#include "testutil.h"
#include "analyse.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

int main(void)
{
	tfr_diag d;
	const char *wav = test_data_path("reassign/twotone_click.wav");
	tfr_audio_in *in = tfr_audio_in_new(wav, &d);
	if (!in) {
		fprintf(stderr, "%s: %s\n", wav, d.text);
		return 1;
	}
	size_t len = 44100;
	float *x = calloc(len + 1, sizeof *x);
	long got = tfr_audio_in_read(in, x, len + 1);
	CHECK("reference WAV has 44100 frames", got == 44100);
	tfr_audio_in_free(in);

	tfr_reassign_params p;
	tfr_reassign_params_default(&p);
	p.threshold_db = -INFINITY;
	point_list l = analyse_signal(&p, x, len);
	CHECK("87 frames as in the reference", l.frames == 87);

	FILE *fp = fopen(test_data_path("reassign/twotone_click.ref_exact_mixed_top62.txt"), "r");
	if (!fp) {
		perror("reference");
		return 1;
	}
	const double rawscale = 1024.0 / 2;  /* |X| = amp * sum(w) / 2 */
	double maxmag = 0;
	char line[256];
	typedef struct { double t, f, mag, m; } ref;
	ref *r = malloc(20000 * sizeof *r);
	size_t nr = 0;
	while (fgets(line, sizeof line, fp) && nr < 20000) {
		if (line[0] == '#')
			continue;
		ref q;
		if (sscanf(line, "%lf %lf %lf %lf", &q.t, &q.f, &q.mag, &q.m) != 4)
			continue;
		r[nr++] = q;
		maxmag = fmax(maxmag, q.mag);
	}
	fclose(fp);
	CHECK("reference read", nr > 6000);

	size_t j = 0, matched = 0, compared = 0;
	double worst_f = 0, worst_t = 0, worst_m = 0, worst_a = 0;
	for (size_t i = 0; i < nr; i++) {
		size_t k = j;
		while (k < l.n && !(fabs(l.p[k].amp * rawscale - r[i].mag) <= 1e-3 * r[i].mag &&
		                    fabs(l.p[k].freq - r[i].f) < 0.5))
			k++;
		if (k == l.n)
			continue;
		j = k + 1;
		matched++;
		if (r[i].mag < maxmag * 1e-3)  /* -60 dB re max */
			continue;
		if (r[i].f <= 0 || r[i].f >= 22050 || r[i].t <= 0 || r[i].t >= 1)
			continue;
		compared++;
		const tfr_point *q = &l.p[k];
		worst_f = fmax(worst_f, fabs(q->freq - r[i].f));
		worst_t = fmax(worst_t, fabs(q->time - r[i].t));
		worst_m = fmax(worst_m, fabs(q->mixed - r[i].m));
		worst_a = fmax(worst_a, fabs(q->amp * rawscale - r[i].mag) / r[i].mag);
	}
	printf("matched %zu of %zu reference points; compared %zu at >= -60 dB\n",
	       matched, nr, compared);
	printf("max |df| %.3g Hz, |dt| %.3g s, |dM| %.3g, rel |dmag| %.3g\n",
	       worst_f, worst_t, worst_m, worst_a);
	CHECK("every reference point matched", matched == nr);
	CHECK("points compared", compared > 5500);
	CHECK_NEAR("max |df| at >= -60 dB (Hz)", worst_f, 0, 2e-3);
	CHECK_NEAR("max |dt| at >= -60 dB (s)", worst_t, 0, 1e-6);
	CHECK_NEAR("max |dM| at >= -60 dB", worst_m, 0, 1e-3);
	CHECK_NEAR("max relative |dmag| at >= -60 dB", worst_a, 0, 1e-4);
	free(r);
	free(x);
	point_list_free(&l);
	return test_finish("test_reassign_ref");
}
