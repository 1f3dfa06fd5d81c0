/*
 * test_synth_channels.c - a synthesiser per channel (tfr_synth_channels.h):
 * a 440 Hz partial in channel 2 of two comes out in channel 2 exactly as
 * the mono synthesiser makes it, channel 1 silent (every sample 0: no
 * crosstalk at all), both channels as long; a silent channel holds
 * nothing back (output before the flush), nor does one that falls
 * silent after a short partial; a channel out of range is refused.
 */
#include "testutil.h"
#include "tfr.h"

#include <math.h>
#include <stdlib.h>

enum { LEN = 22050 };

static tfr_breakpoint bp(double t, int end, int64_t channel)
{
	return (tfr_breakpoint){ 0, t, 440, 0.5f, 0, 0, end, 0, channel };
}

/* Channel 1 has a 20 ms partial (3 segments, too few for the stored
 * phases' verdict) and then nothing, channel 2 a partial of 10 s: the
 * output comes as channel 2 goes, not at the end (the verdict on
 * channel 1's few segments is given a second on, as for a stream of
 * lone breakpoints). */
static void silent_after_short(void)
{
	tfr_synth_params p;
	tfr_synth_params_default(&p);
	p.bandwidth = 0;
	tfr_diag d;
	tfr_synth_channels *m = tfr_synth_channels_new(&p, 2, &d);
	float *y = malloc(2 * 4096 * sizeof *y);
	CHECK("made", m && y);
	if (!m || !y)
		return;
	tfr_breakpoint one[4] = { bp(0.05, 0, 1), bp(0.055, 0, 1), bp(0.06, 0, 1),
	                          bp(0.07, 1, 1) };
	one[0].partial = one[1].partial = one[2].partial = one[3].partial = 1;
	CHECK("short partial taken", tfr_synth_channels_process(m, one, 4) == TFR_OK);
	size_t got, n = 0;
	for (int i = 0; i <= 1000; i++) {
		tfr_breakpoint b = bp(0.08 + 0.01 * i, i == 1000, 2);
		CHECK("channel 2 taken", tfr_synth_channels_process(m, &b, 1) == TFR_OK);
		while (tfr_synth_channels_read(m, y, 4096, &got) == TFR_OK && got)
			n += got;
	}
	printf("before the end of input: %.2f s of 10.08\n", (double)n / 44100);
	CHECK("output as channel 2 goes", n > 9 * 44100);
	tfr_synth_channels_free(m);
	free(y);
}

int main(void)
{
	silent_after_short();
	tfr_synth_params p;
	tfr_synth_params_default(&p);
	p.bandwidth = 0;
	p.length = LEN;
	tfr_diag d;
	/* 0.05 to 0.45 s, a breakpoint every 10 ms */
	tfr_breakpoint b[41];
	for (int i = 0; i <= 40; i++)
		b[i] = bp(0.05 + 0.01 * i, i == 40, 2);
	tfr_synth *mono = tfr_synth_new(&p, &d);
	tfr_synth_channels *m = tfr_synth_channels_new(&p, 2, &d);
	float *ref = calloc(LEN, sizeof *ref), *y = calloc(2 * LEN, sizeof *y);
	CHECK("made", mono && m && ref && y);
	if (!mono || !m || !ref || !y)
		return test_finish("test_synth_channels");
	tfr_breakpoint bad = bp(0.01, 0, 3);
	CHECK("channel 3 of 2 refused", tfr_synth_channels_process(m, &bad, 1) == TFR_EFORMAT);
	size_t got, n = 0, early = 0;
	for (int i = 0; i <= 40; i++) {
		CHECK("mono takes it", tfr_synth_process(mono, &b[i], 1) == TFR_OK);
		CHECK("channels take it", tfr_synth_channels_process(m, &b[i], 1) == TFR_OK);
		while (tfr_synth_channels_read(m, y + 2 * n, LEN - n, &got) == TFR_OK && got)
			n += got;
	}
	early = n;
	size_t r = 0, k;
	while ((k = tfr_synth_read(mono, ref + r, LEN - r)) > 0)
		r += k;
	tfr_synth_flush(mono);
	while ((k = tfr_synth_read(mono, ref + r, LEN - r)) > 0)
		r += k;
	tfr_synth_channels_flush(m);
	while (tfr_synth_channels_read(m, y + 2 * n, LEN - n, &got) == TFR_OK && got)
		n += got;
	CHECK("output before the end of input", early > LEN / 4);
	CHECK("as long as mono", n == LEN && r == LEN);
	double e1 = 0, e2 = 0, dmax = 0;
	for (size_t i = 0; i < n && i < r; i++) {
		e1 += (double)y[2 * i] * y[2 * i];
		e2 += (double)y[2 * i + 1] * y[2 * i + 1];
		dmax = fmax(dmax, fabs((double)y[2 * i + 1] - ref[i]));
	}
	CHECK("channel 1 silent", e1 == 0);
	CHECK_NEAR("channel 2 as mono", dmax, 0, 0);
	/* 0.4 s of amplitude 0.5 at 440 Hz: energy 0.125 x 0.4 x 44100 */
	/* the fades (1 ms) add 0.23 % */
	CHECK_NEAR("channel 2 energy", e2, 0.125 * 0.4 * 44100, 0.005 * 0.125 * 0.4 * 44100);
	tfr_synth_free(mono);
	tfr_synth_channels_free(m);
	free(ref);
	free(y);
	return test_finish("test_synth_channels");
}
