/*
 * test_pclip.c - partials kept within [from, to] (tfr_pclip.h): a stream
 * inside passes bit for bit; breakpoints before `from` move there as a
 * steady sinusoid's (phase advanced by 2 pi f dt exactly); a partial
 * going past `to` ends there on the segment's line, its phase the
 * trapezoid's; what lies wholly outside is dropped; order is kept.
 */
#include "testutil.h"
#include "tfr.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static tfr_breakpoint bp(int64_t p, double t, double f, float a, float ph, int end)
{
	return (tfr_breakpoint){ p, t, f, a, ph, 0.1f, end };
}

/* Clip b[0..n-1] to [from, to], fed one at a time: the output in out. */
static size_t clip(double from, double to, const tfr_breakpoint *b, size_t n,
                   tfr_breakpoint *out, tfr_pclip_stats *st)
{
	tfr_pclip_params p;
	tfr_pclip_params_default(&p);
	p.from = from;
	p.to = to;
	tfr_diag d;
	tfr_pclip *c = tfr_pclip_new(&p, &d);
	size_t m = 0, k;
	for (size_t i = 0; i < n; i++) {
		CHECK("process", tfr_pclip_process(c, &b[i], 1) == TFR_OK);
		const tfr_breakpoint *r = tfr_pclip_ready(c, &k);
		memcpy(out + m, r, k * sizeof *r);
		m += k;
	}
	tfr_pclip_flush(c);
	tfr_pclip_ready(c, &k);
	CHECK("nothing held at the end", k == 0);
	tfr_pclip_get_stats(c, st);
	tfr_pclip_free(c);
	return m;
}

static double wrap(double x)
{
	return remainder(x, 2 * M_PI);
}

int main(void)
{
	tfr_pclip_stats st;
	tfr_breakpoint out[32];
	/* inside: unchanged */
	tfr_breakpoint in[] = { bp(0, 0, 440, 0.5f, 1, 0), bp(1, 0.2, 880, 0.2f, -1, 0),
	                        bp(0, 0.5, 441, 0.5f, 2, 1), bp(1, 0.9, 881, 0.1f, 0.5f, 1) };
	size_t n = clip(0, 1, in, 4, out, &st);
	CHECK("inside: bit for bit", n == 4 && !memcmp(in, out, sizeof in));
	CHECK("inside: nothing counted", !st.moved && !st.dropped && !st.ended);

	/* before 0: the last one moved to 0, phase + 2 pi f 0.01 */
	tfr_breakpoint b[] = { bp(0, -0.03, 440, 0.3f, 0, 0), bp(1, -0.02, 100, 0.2f, 0, 1),
	                       bp(0, -0.01, 440, 0.5f, 1, 0), bp(2, 0, 300, 0.1f, 0.25f, 0),
	                       bp(0, 0.5, 440, 0.5f, 2, 1), bp(2, 0.6, 300, 0.1f, 1, 1) };
	n = clip(0, INFINITY, b, 6, out, &st);
	CHECK("before: 4 out", n == 4);
	CHECK("before: partial 2 at 0 as it was", n == 4 && out[0].partial == 2 && out[0].time == 0);
	CHECK("before: partial 0 moved to 0", n == 4 && out[1].partial == 0 && out[1].time == 0 &&
	      out[1].amp == 0.5f && out[1].end == 0);
	CHECK_NEAR("before: its phase advanced by 2 pi f dt (rad)",
	           wrap(out[1].phase - (1 + 2 * M_PI * 440 * 0.01)), 0, 1e-6);
	CHECK("before: 2 dropped (an earlier one, a partial ended before)",
	      st.dropped == 2 && st.moved == 1);
	for (size_t i = 1; i < n; i++)
		CHECK("before: time order", out[i].time >= out[i - 1].time);

	/* a breakpoint at `from` itself replaces the held one */
	tfr_breakpoint c[] = { bp(0, -0.01, 440, 0.5f, 1, 0), bp(0, 0, 440, 0.4f, 2, 0),
	                       bp(0, 0.1, 440, 0.4f, 2, 1) };
	n = clip(0, INFINITY, c, 3, out, &st);
	CHECK("at from: 2 out, the one at 0 kept", n == 2 && out[0].time == 0 && out[0].amp == 0.4f);

	/* past the end: ends at `to` on the line, phase by the trapezoid */
	tfr_breakpoint e[] = { bp(0, 0.5, 400, 0.4f, 1, 0), bp(1, 0.8, 1000, 0.2f, 0, 0),
	                       bp(0, 1.5, 600, 0.2f, 0, 1), bp(1, 1.2, 1000, 0.2f, 0, 1),
	                       bp(3, 1.6, 50, 0.2f, 0, 0), bp(3, 1.7, 50, 0.2f, 0, 1) };
	/* (partial 1's 1.2 comes before 0's 1.5 in a stream: reorder) */
	tfr_breakpoint e2[] = { e[0], e[1], e[3], e[2], e[4], e[5] };
	n = clip(0, 1, e2, 6, out, &st);
	CHECK("end: 4 out", n == 4);
	const tfr_breakpoint *p0 = NULL;
	for (size_t i = 0; i < n; i++)
		if (out[i].partial == 0 && out[i].end)
			p0 = &out[i];
	CHECK("end: partial 0 ends at 1 s", p0 && p0->time == 1);
	if (p0) {
		CHECK_NEAR("end: frequency on the line (Hz)", p0->freq, 500, 1e-9);
		CHECK_NEAR("end: amplitude on the line", p0->amp, 0.3, 1e-6);
		CHECK_NEAR("end: phase integrated by the trapezoid (rad)",
		           wrap(p0->phase - (1 + M_PI * (400 + 500) * 0.5)), 0, 1e-5);
	}
	CHECK("end: nothing after 1 s", n == 4 && out[n - 1].time <= 1);
	CHECK("end: 2 partials ended, the one wholly after dropped",
	      st.ended == 2 && st.dropped == 4);
	{
		tfr_pclip_params p;
		tfr_pclip_params_default(&p);
		tfr_diag d;
		tfr_pclip *x = tfr_pclip_new(&p, &d);
		tfr_breakpoint r[2] = { bp(0, 0.5, 1, 1, 0, 0), bp(0, 0.4, 1, 1, 0, 1) };
		CHECK("bad order refused", tfr_pclip_process(x, r, 2) == TFR_EINVAL);
		tfr_pclip_free(x);
		p.to = p.from;
		CHECK("an empty range refused", !tfr_pclip_new(&p, &d) && d.code == TFR_EINVAL);
	}
	return test_finish("test_pclip");
}
