/*
 * test_label.c - harmonic labels (tfr_label.h) against analytic truth:
 * the channel of a frequency with and without inharmonicity, the label
 * of a partial from a constant, a track (interpolated between voiced
 * frames, none in unvoiced ones) and the partial near a frequency; the
 * fit of B; the order of the output.
 */
#include "testutil.h"
#include "tfr.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static tfr_breakpoint bp(int64_t p, double t, double f, int end)
{
	return (tfr_breakpoint){ p, t, f, 0.1f, 0, 0, end, 99 };
}

/* Label the stream b with p (frames fr for TRACK): the labels of
 * partials 0..7 in lab. */
static void run(const tfr_label_params *p, const tfr_breakpoint *b, size_t n,
                const tfr_f0_frame *fr, size_t nfr, int64_t *lab, tfr_label_stats *st)
{
	tfr_diag d;
	tfr_label *l = tfr_label_new(p, &d);
	CHECK("new", l != NULL);
	if (!l)
		return;
	if (nfr)
		CHECK("frames", tfr_label_reference(l, fr, nfr) == TFR_OK);
	tfr_label_reference_done(l);
	size_t m, got = 0;
	double last = -INFINITY;
	for (size_t i = 0; i <= n; i++) {
		if (i < n)
			CHECK("process", tfr_label_process(l, &b[i], 1) == TFR_OK);
		else
			CHECK("flush", tfr_label_flush(l) == TFR_OK);
		const tfr_breakpoint *r = tfr_label_ready(l, &m);
		for (size_t k = 0; k < m; k++) {
			CHECK("in time order", r[k].time >= last);
			last = r[k].time;
			if (r[k].partial < 8)
				lab[r[k].partial] = r[k].label;
		}
		got += m;
	}
	CHECK("every breakpoint out", got == n);
	tfr_label_get_stats(l, st);
	tfr_label_free(l);
}

int main(void)
{
	tfr_label_params p;
	tfr_label_stats st;
	int64_t lab[8];
	/* harmonics 1, 2, 3 of 100 Hz, 2.5 (between channels: rounds up),
	 * 0.4 (below the first channel: none) */
	tfr_breakpoint b[] = {
		bp(0, 0, 100, 0), bp(1, 0, 201, 0), bp(2, 0, 299, 0),
		bp(3, 0, 250.1, 0), bp(4, 0, 40, 0),
		bp(0, 0.1, 100, 1), bp(1, 0.1, 201, 1), bp(2, 0.1, 299, 1),
		bp(3, 0.1, 250.1, 1), bp(4, 0.1, 40, 1),
	};
	tfr_label_params_default(&p);
	p.f0 = 100;
	run(&p, b, 10, NULL, 0, lab, &st);
	CHECK("constant: 1 2 3 3 0", lab[0] == 1 && lab[1] == 2 && lab[2] == 3 &&
	      lab[3] == 3 && lab[4] == 0);
	CHECK("stats", st.partials == 5 && st.labelled == 4 && st.max_label == 3);
	p.tolerance = 0.1;
	run(&p, b, 10, NULL, 0, lab, &st);
	CHECK("tolerance 0.1: 2.501 channels is none", lab[3] == 0 && lab[2] == 3);

	/* inharmonic channel: k = 10 at 10 * 100 * sqrt(1 + 1e-3 * 100) */
	tfr_label_params_default(&p);
	p.f0 = 100;
	p.stretch = 1e-3;
	double f10 = 1000 * sqrt(1.1);
	tfr_breakpoint s[] = { bp(0, 0, f10, 0), bp(0, 0.1, f10, 1) };
	run(&p, s, 2, NULL, 0, lab, &st);
	CHECK("stiff: channel 10 with B", lab[0] == 10);
	p.stretch = 0;
	run(&p, s, 2, NULL, 0, lab, &st);
	CHECK("stiff: channel 10 is 10.49 without B", lab[0] == 10);
	tfr_breakpoint s2[] = { bp(0, 0, 1100 * sqrt(1 + 1e-3 * 121), 0),
	                        bp(0, 0.1, 1100 * sqrt(1 + 1e-3 * 121), 1) };
	run(&p, s2, 2, NULL, 0, lab, &st);
	CHECK("stiff: channel 11 reads 12 without B", lab[0] == 12);

	/* a track: 100 Hz at 0, 200 Hz at 0.1 s, unvoiced at 0.2 s; a
	 * partial at 300 Hz through 0.05 s (ref 150: channel 2), one at 400
	 * Hz at 0.11-0.13 s (within half a frame of the voiced 0.1 s: 2) */
	tfr_f0_frame fr[] = { { 0, 100, 1, 1 }, { 0.1, 200, 1, 1 }, { 0.2, 200, 0, 0 } };
	tfr_breakpoint t[] = { bp(0, 0.04, 300, 0), bp(0, 0.05, 300, 0), bp(0, 0.06, 300, 1),
	                       bp(1, 0.11, 400, 0), bp(1, 0.12, 400, 0), bp(1, 0.13, 400, 1) };
	tfr_label_params_default(&p);
	p.ref = TFR_LABEL_TRACK;
	run(&p, t, 6, fr, 3, lab, &st);
	CHECK("track: interpolated between voiced frames", lab[0] == 2);
	CHECK("track: next to an unvoiced frame, the voiced one for half a frame",
	      lab[1] == 2);
	tfr_breakpoint u[] = { bp(0, 0.17, 400, 0), bp(0, 0.25, 400, 0), bp(0, 0.3, 400, 0),
	                       bp(0, 0.35, 400, 0), bp(0, 0.4, 400, 1) };
	run(&p, u, 5, fr, 3, lab, &st);
	CHECK("track: unvoiced: none", lab[0] == 0);

	/* near: the partial near 300 Hz is harmonic 3 of 100 */
	tfr_breakpoint nb[] = { bp(0, 0, 101, 0), bp(1, 0, 303, 0), bp(2, 0, 505, 0),
	                        bp(0, 0.01, 101, 1), bp(1, 0.01, 303, 1), bp(2, 0.01, 505, 1) };
	tfr_label_params_default(&p);
	p.ref = TFR_LABEL_NEAR;
	p.near = 300;
	p.near_harmonic = 3;
	run(&p, nb, 6, NULL, 0, lab, &st);
	CHECK("near: 1 3 5", lab[0] == 1 && lab[1] == 3 && lab[2] == 5);

	/* the fit: partials at k sqrt(1 + B k^2), B = 2e-4, k = 1..25 */
	tfr_label_params_default(&p);
	p.f0 = 100;
	p.fit = 1;
	tfr_breakpoint fb[50];
	for (int k = 1; k <= 25; k++) {
		double f = 100 * k * sqrt(1 + 2e-4 * k * k);
		fb[k - 1] = bp(k, 0, f, 0);
		fb[25 + k - 1] = bp(k, 0.1, f, 1);
	}
	tfr_diag d;
	tfr_label *l = tfr_label_new(&p, &d);
	tfr_label_process(l, fb, 50);
	tfr_label_flush(l);
	double B;
	CHECK("fit", tfr_label_fit(l, &B) == TFR_OK);
	CHECK_NEAR("fit: B", B, 2e-4, 1e-9);
	tfr_label_free(l);

	tfr_label_params_default(&p);
	CHECK("no f0 refused", tfr_label_check(&p, &d) == TFR_EINVAL);
	p.f0 = 100;
	p.tolerance = 0.6;
	CHECK("tolerance > 0.5 refused", tfr_label_check(&p, &d) == TFR_EINVAL);
	tfr_label_free(NULL);
	return test_finish("test_label");
}
