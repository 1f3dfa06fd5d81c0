/*
 * test_freqmap.c - a breakpoint map sampled onto FFT bins (tfr_freqmap.h,
 * dsp/freqmap.c): linear between breakpoints, constant beyond the ends, a
 * step at two equal frequencies, refusals.
 */
#include "testutil.h"
#include "tfr.h"

#include <stdlib.h>

/* Sampling onto bins: linear between breakpoints, constant beyond,
 * steps at equal frequencies. */
static void test_fill(void)
{
	double f[] = { 1000, 2000, 2000, 3000 }, v[] = { 0, 1, 5, 6 }, out[17];
	CHECK("fill", tfr_freqmap_fill(f, v, 4, 8000, 32, out) == TFR_OK);
	/* bins are 250 Hz apart */
	CHECK_NEAR("below the first", out[2], 0, 0);
	CHECK_NEAR("half way", out[6], 0.5, 1e-15);
	CHECK_NEAR("step: the later value from its frequency on", out[8], 5, 0);
	CHECK_NEAR("after the step", out[10], 5.5, 1e-15);
	CHECK_NEAR("beyond the last", out[16], 6, 0);
	double bad[] = { 2, 1 };
	CHECK("decreasing refused", tfr_freqmap_fill(bad, v, 2, 8000, 32, out) == TFR_EINVAL);
}

int main(void)
{
	test_fill();
	double f[] = { 1000 }, v[] = { 3 }, out[5];
	CHECK("one breakpoint: constant", tfr_freqmap_fill(f, v, 1, 8000, 8, out) == TFR_OK &&
	      out[0] == 3 && out[4] == 3);
	CHECK("no breakpoints refused", tfr_freqmap_fill(f, v, 0, 8000, 8, out) == TFR_EINVAL);
	CHECK("bad rate refused", tfr_freqmap_fill(f, v, 1, 0, 8, out) == TFR_EINVAL);
	tfr_freqmap_free(NULL);
	return test_finish("test_freqmap");
}
