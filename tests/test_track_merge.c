/*
 * test_track_merge.c - the partials of two channels merged into one
 * stream (tfr_track_merge.h): nothing leaves before every channel has
 * gone as far, the merged stream in time order with each channel's own
 * order kept, ids given over the whole stream in order of first
 * breakpoints (a channel's id used again after its partial ended is a new
 * partial), each breakpoint with its channel; bad input refused whole.
 */
#include "testutil.h"
#include "tfr.h"

#include <math.h>

static tfr_breakpoint bp(int64_t p, double t, int end)
{
	return (tfr_breakpoint){ p, t, 100 * (double)(p + 1), 0.5f, 0, 0, end, 0, 0 };
}

int main(void)
{
	tfr_diag d;
	CHECK("0 channels refused", !tfr_track_merge_new(0, &d) && d.code == TFR_EINVAL);
	tfr_track_merge *m = tfr_track_merge_new(2, &d);
	CHECK("made", m != NULL);
	if (!m)
		return test_finish("test_track_merge");
	/* channel 1: partial 0 at 0, 0.1, 0.2 (end); channel 2: its partial
	 * 0 at 0.05, 0.15 (end) */
	tfr_breakpoint a[] = { bp(0, 0.0, 0), bp(0, 0.1, 0), bp(0, 0.2, 1) };
	tfr_breakpoint b[] = { bp(0, 0.05, 0), bp(0, 0.15, 1) };
	size_t n;
	CHECK("channel 1 taken", tfr_track_merge_process(m, 1, a, 3, 0.2) == TFR_OK);
	const tfr_breakpoint *o = tfr_track_merge_ready(m, &n);
	/* channel 2 has said nothing: it may still give time 0 */
	CHECK("waits for channel 2", o && n == 0);
	/* refused whole: a channel out of range, a horizon going back, a
	 * breakpoint before the channel's horizon */
	CHECK("channel 3 refused", tfr_track_merge_process(m, 3, b, 2, 1) == TFR_EINVAL);
	CHECK("horizon back refused", tfr_track_merge_process(m, 1, NULL, 0, 0.1) == TFR_EINVAL);
	tfr_breakpoint early = bp(5, 0.19, 0);
	CHECK("breakpoint before the horizon refused",
	      tfr_track_merge_process(m, 1, &early, 1, 0.3) == TFR_EINVAL);
	CHECK("channel 2 taken", tfr_track_merge_process(m, 2, b, 2, 0.15) == TFR_OK);
	o = tfr_track_merge_ready(m, &n);
	/* up to 0.15: channel 2 promised nothing earlier than 0.15 after
	 * it, so 0.2 of channel 1 waits */
	static const double t1[] = { 0.0, 0.05, 0.1, 0.15 };
	static const int64_t id1[] = { 0, 1, 0, 1 }, ch1[] = { 1, 2, 1, 2 };
	CHECK("four leave", o && n == 4);
	for (size_t i = 0; o && i < n && i < 4; i++) {
		CHECK_NEAR("time", o[i].time, t1[i], 0);
		CHECK("id over the stream", o[i].partial == id1[i]);
		CHECK("channel", o[i].channel == ch1[i]);
		CHECK_NEAR("frequency kept", o[i].freq, 100, 0);
	}
	/* channel 1's id 0 again after its end: a new partial, id 2 */
	tfr_breakpoint c[] = { bp(0, 0.3, 0), bp(0, 0.4, 1) };
	CHECK("channel 1 again", tfr_track_merge_process(m, 1, c, 2, 0.4) == TFR_OK);
	o = tfr_track_merge_ready(m, &n);
	CHECK("0.2 waits for channel 2's horizon (0.15)", o && n == 0);
	CHECK("channel 2 goes on", tfr_track_merge_process(m, 2, NULL, 0, 0.35) == TFR_OK);
	o = tfr_track_merge_ready(m, &n);
	CHECK("0.2 and 0.3 leave", o && n == 2 && o[0].time == 0.2 && o[1].time == 0.3);
	CHECK("ended partial keeps its id", o && n == 2 && o[0].partial == 0 && o[0].end == 1);
	CHECK("reused id is a new partial", o && n == 2 && o[1].partial == 2);
	tfr_track_merge_flush(m);
	o = tfr_track_merge_ready(m, &n);
	CHECK("the rest at the flush", o && n == 1 && o[0].time == 0.4 && o[0].partial == 2 &&
	      o[0].channel == 1);
	tfr_track_merge_free(m);
	return test_finish("test_track_merge");
}
