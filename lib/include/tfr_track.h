/*
 * tfr_track.h - partials from spectral peaks (DSP core, streaming: peaks
 * of one frame at a time in, breakpoints out, memory bounded by the
 * partials alive at once).
 *
 * Loris links a peak only to partials that got a breakpoint in the
 * previous frame and only by nearest frequency, so speech falls apart
 * into thousands of partials of ~3 breakpoints (additive-model.md §3.5,
 * §8). This tracker also bridges gaps of a few frames, predicts each
 * partial's next frequency and amplitude from its recent course, and
 * resolves competing candidates by a global cost rather than first come,
 * first served. TFR_TRACK_NEAREST is Loris's plain one-frame nearest-
 * neighbour linker, the baseline the tests compare against.
 *
 * Breakpoints keep the peaks' reassigned times, amplitudes, phases and
 * bandwidths; with phase correction on, frequencies are nudged (within
 * max_nudge) so that integrating the frequency from one breakpoint to the
 * next arrives at the next breakpoint's measured phase.
 *
 * Output order (the partials stream, tfr(5)): breakpoints in
 * nondecreasing time; the last breakpoint of a partial has end = 1;
 * partial ids are given in order of the partials' first breakpoints and
 * never reused. Times within a partial strictly increase (a peak whose
 * reassigned time is not after its partial's previous breakpoint is not
 * linked to it).
 */
#ifndef TFR_TRACK_H
#define TFR_TRACK_H

#include <stddef.h>
#include <stdint.h>

#include "tfr_base.h"
#include "tfr_records.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct tfr_track tfr_track;

typedef enum {
	TFR_TRACK_PREDICT,  /* gaps, prediction, global cost (default) */
	TFR_TRACK_NEAREST   /* Loris: previous frame only, nearest freq */
} tfr_track_link;

typedef struct {
	double sample_rate;     /* Hz, of the analysed sound */
	double frame_period;    /* s between analysis frames (hop / rate) */
	tfr_track_link link;
	double max_drift;       /* Hz: largest distance from a partial's
	                           predicted (nearest: last) frequency to a
	                           peak linked to it (default 40) */
	int max_gap;            /* frames a partial may miss and continue
	                           (default 3; TFR_TRACK_NEAREST: 0) */
	double min_duration;    /* s: shorter partials are dropped (0) */
	double min_amp_db;      /* dBFS: partials whose largest amplitude
	                           stays below are dropped (default -inf) */
	int phase_correct;      /* frequencies agree with phases (1) */
	double max_nudge;       /* largest relative frequency change made
	                           by phase correction (default 0.002) */
} tfr_track_params;

void tfr_track_params_default(tfr_track_params *p);

/* TFR_OK, or TFR_EINVAL with the first problem of p in d. */
int tfr_track_check(const tfr_track_params *p, tfr_diag *d);

tfr_track *tfr_track_new(const tfr_track_params *p, tfr_diag *d);

/*
 * The peaks of the next frame (ascending frequency; frame indexes
 * increase from call to call, and may skip). Impulse peaks
 * (impulse = 1) are not linked into partials. Returns TFR_OK,
 * TFR_EINVAL (frame not after the previous one), TFR_ENOMEM.
 */
int tfr_track_process(tfr_track *t, int64_t frame, const tfr_peak *peaks,
                      size_t n);

/* End of input: every partial ends; all breakpoints become ready. */
int tfr_track_flush(tfr_track *t);

/*
 * The breakpoints that became final since the last call, in stream order,
 * and their count in *n; valid until the next call on t.
 */
const tfr_breakpoint *tfr_track_ready(tfr_track *t, size_t *n);

/* What the tracker has made so far (for tools' -v and the tests). */
typedef struct {
	int64_t partials;      /* partials written (after the filters) */
	int64_t breakpoints;   /* breakpoints written */
	int64_t dropped;       /* partials dropped by the filters */
} tfr_track_stats;

void tfr_track_get_stats(const tfr_track *t, tfr_track_stats *s);

void tfr_track_reset(tfr_track *t);
void tfr_track_free(tfr_track *t);

#ifdef __cplusplus
}
#endif

#endif /* TFR_TRACK_H */
