/*
 * tfr_track_merge.h - the partials of several channels, each tracked on
 * its own (one tfr_track per channel of a channel-split stream), merged
 * into one partials stream (DSP core, streaming, records only).
 *
 * The stream's rules (tfr(5)) hold over the whole: breakpoints in
 * nondecreasing time, partial ids given in the order of the partials'
 * first breakpoints and never reused. Each channel's breakpoints keep
 * their order; a breakpoint leaves once no channel can still give an
 * earlier one: every other channel has one waiting that is not earlier,
 * or has promised none earlier (its horizon, tfr_track_horizon of a
 * tracker with strict_horizon). Ties go in channel order. Memory holds
 * what waits: the breakpoints of the channels ahead of the slowest.
 */
#ifndef TFR_TRACK_MERGE_H
#define TFR_TRACK_MERGE_H

#include <stddef.h>

#include "tfr_base.h"
#include "tfr_records.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct tfr_track_merge tfr_track_merge;

/* A merge of channels 1 .. channels (at most TFR_MAX_CHANNELS). NULL
 * with d on TFR_EINVAL or TFR_ENOMEM. */
tfr_track_merge *tfr_track_merge_new(int channels, tfr_diag *d);

/*
 * The next n breakpoints of channel (1-based) in that channel's stream
 * order, with that channel's partial ids, and its horizon: none of its
 * breakpoints given later is earlier (nondecreasing from call to call).
 * Returns TFR_OK, TFR_EINVAL (a channel out of range, a horizon going
 * back, a breakpoint earlier than the channel's horizon or previous
 * one; nothing is taken) or TFR_ENOMEM.
 */
int tfr_track_merge_process(tfr_track_merge *m, int channel,
                            const tfr_breakpoint *bp, size_t n, double horizon);

/* End of input: every channel's horizon is infinite, all waits end. */
int tfr_track_merge_flush(tfr_track_merge *m);

/*
 * The breakpoints that may leave since the last call, in stream order,
 * ids renumbered over the whole stream and channel set; valid until the
 * next call on m. NULL (*n 0) when out of memory: what was made is
 * given by the next call.
 */
const tfr_breakpoint *tfr_track_merge_ready(tfr_track_merge *m, size_t *n);

void tfr_track_merge_free(tfr_track_merge *m);

#ifdef __cplusplus
}
#endif

#endif /* TFR_TRACK_MERGE_H */
