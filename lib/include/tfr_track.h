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
 * Breakpoints keep the peaks' reassigned times, amplitudes and
 * bandwidths. Curvature corrections (window_m2 > 0): a frame sees the
 * frequency averaged over its window, so a reassigned frequency is off by
 * f'' m2 / 2 (m2 the window's second moment; 4e-5 s^2 for a Kaiser 90 dB
 * window of 2048 samples at 44.1 kHz: 0.01 % of a 5 Hz, +-1 % vibrato),
 * and the phase measured at the window's centre of a chirp of rate f' by
 * atan(2 pi f' m2) / 2 (exact for a Gaussian window of variance m2): one
 * frame tells neither f' nor f'', but the partial's course does. Each
 * breakpoint's f' and f'' come from a parabola fitted to the measured
 * frequencies of the breakpoints within two of it (3 to 5 of them), and
 * its frequency and phase are corrected by those amounts. With phase
 * correction on, frequencies are then nudged (within max_nudge) so that
 * integrating the frequency from one breakpoint to the next arrives at
 * the next breakpoint's phase. The method
 * (lib/dsp/phasefit.c): each partial's phase is integrated from its
 * first breakpoint, through each breakpoint's frequency with the
 * curvature estimated there (pi (f0 + f1) dt - 2 pi f'' dt^3 / 12 per
 * segment), and the frequency of each breakpoint is chosen, once
 * the next two are known, to minimise the squared errors of that phase
 * against the measured phases at the three breakpoints plus the squared
 * nudges (a fixed-lag least-squares smoother; Loris removes half the
 * error at each breakpoint, seeing no further, and overwrites the
 * phases); phases are kept (corrected for the chirp as above).
 *
 * Linking (TFR_TRACK_PREDICT). Each partial that got a breakpoint in one
 * of the last max_gap + 1 frames predicts its frequency at a peak's time
 * from a line fitted to its last 4 breakpoints, and its level by its
 * last breakpoint's. A peak is a candidate for a partial if it lies
 * within max_drift of that prediction and after the partial's last
 * breakpoint. A candidate pair costs
 *   (df / max_drift)^2 + 0.25 min(1, (dA / 20 dB)^2) + 0.5 gap / (max_gap + 1)
 * (df: distance to the prediction, dA: level change from the last
 * breakpoint, gap: frames missed), a link is worth 2 - cost, and the
 * links of each frame are the set of largest total worth: solved exactly
 * on each cluster of partials and peaks joined by candidate pairs
 * (clusters of more than 48 partials or peaks, which only huge drifts
 * make, are linked greedily by worth). Peaks left over start partials.
 *
 * Linking (TFR_TRACK_NEAREST) is Loris's PartialBuilder: only partials
 * that got a breakpoint in the previous frame may continue; each peak in
 * ascending frequency takes the partial whose last frequency is nearest
 * if the distance is at most max_drift and the next peak is not nearer
 * to that partial, else it starts a partial. Two differences, both to
 * keep the stream valid: a partial takes at most one peak per frame
 * (Loris can give it two), and never a peak not after its last
 * breakpoint.
 *
 * Filters. A partial shorter than min_duration (from its first to its
 * last breakpoint) or whose amplitude never reaches min_amp_db is
 * dropped; its breakpoints wait until it has passed both. So that the
 * output lags the input by a bounded number of frames, the amplitude
 * test looks at a window: while a partial is still below min_amp_db, its
 * breakpoints older than ceil(min_duration / frame_period) + max_gap + 16
 * frames before the current frame are dropped (the quiet head of a
 * partial that grows loud later is cut).
 *
 * Latency. A breakpoint is written once its partial has passed the
 * filters, its frequency is fixed (two more breakpoints of its partial
 * seen, with phase correction), the next breakpoint of its partial or
 * the partial's end is known, and no breakpoint still to come can be
 * earlier: peaks of frame m are assumed no earlier than frame m - 2's
 * centre (frame m is centred on m * frame_period). A peak earlier than
 * a breakpoint already written cannot start a partial: it is counted in
 * stats.late and left out.
 *
 * Onsets (onsets = 1, TFR_TRACK_PREDICT). A frame whose peaks' energy
 * (sum of squared amplitudes) rises more than 12 dB over the previous
 * frame's, above -80 dBFS, is an onset's (frames skipped count as
 * silent; the input's frame 0 is never one). Its time is the 5 %
 * quantile of the frame's reassigned peak times weighted by energy. In
 * that frame and the next three, a link whose level rises more than
 * 6 dB is cut, and a partial starting within two frame periods of the
 * onset starts silent there: a breakpoint of amplitude 0 at the onset,
 * then its peak (moved to a spacing after the onset if it was earlier).
 * A fade-in or an amplitude ramp reaching back before a drum hit sounds
 * as pre-echo (+27 dB over the input in the 20 ms before the hit).
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
	                           (default 3, at most 1000; ignored by
	                           TFR_TRACK_NEAREST, which allows none) */
	double min_duration;    /* s: shorter partials are dropped (0) */
	double min_amp_db;      /* dBFS: partials whose largest amplitude
	                           stays below are dropped (default -inf) */
	double range_db;        /* dB: partials whose largest amplitude
	                           stays more than range_db below the largest
	                           peak amplitude of the input so far are
	                           dropped (default inf: none). Relative, so
	                           it keeps the quiet partials of a quiet
	                           recording; "so far", so the decision needs
	                           no look-ahead (input before the loudest
	                           part is judged more leniently) */
	double range_decay;     /* dB/s: the reference of range_db, the
	                           loudest peak so far, decays at this rate
	                           (default 0), so that a quiet passage long
	                           after a loud one is judged on its own */
	int phase_correct;      /* frequencies agree with phases (1) */
	double max_nudge;       /* largest relative frequency change made
	                           by phase correction's pull (default
	                           0.002, [0, 0.1]) */
	double phase_tolerance; /* rad: largest phase error left at a
	                           breakpoint before a midpoint is inserted
	                           (default 0.05, (0, pi]) */
	int onsets;             /* partials start silent at onsets (1;
	                           TFR_TRACK_PREDICT only; see below) */
	double min_spacing;     /* s: least time between two breakpoints of
	                           a partial (default 0: a quarter of
	                           frame_period; at most frame_period) */
	double window_m2;       /* s^2: the analysis window's second moment
	                           sum (n - L/2)^2 w[n] / sum w[n] / fs^2,
	                           for the curvature corrections below
	                           (default 0: none; tfr_track_window_m2) */
	int strict_horizon;     /* 1: no partial starts before the release
	                           time (tfr_track_horizon), so that no
	                           breakpoint written later is earlier; a
	                           peak that would start one is late (0:
	                           only before the output written; merging
	                           the trackers of several channels, which
	                           must know how far each has gone, sets 1) */
} tfr_track_params;

void tfr_track_params_default(tfr_track_params *p);

/* window_m2 of the window w[0..len-1] at sample rate fs; 0 if w has no
 * positive sum. */
double tfr_track_window_m2(const double *w, size_t len, double fs);

/* TFR_OK, or TFR_EINVAL with the first problem of p in d. */
int tfr_track_check(const tfr_track_params *p, tfr_diag *d);

tfr_track *tfr_track_new(const tfr_track_params *p, tfr_diag *d);

/*
 * The peaks of the next frame (ascending frequency; frame indexes
 * increase from call to call, and may skip; peak.frame is not read).
 * Impulse peaks (impulse = 1) are not linked into partials. Returns
 * TFR_OK, TFR_EINVAL (frame not after the previous one or beyond
 * +-2^52, peaks not in ascending frequency, a time, frequency,
 * amplitude, phase or bandwidth that is not finite, a negative
 * frequency or amplitude; nothing is taken), TFR_ENOMEM (nothing is
 * taken). After _flush, frames may go on (after the last one).
 */
int tfr_track_process(tfr_track *t, int64_t frame, const tfr_peak *peaks,
                      size_t n);

/* End of input: every partial ends; all breakpoints become ready. */
int tfr_track_flush(tfr_track *t);

/*
 * The breakpoints that became final since the last call, in stream order,
 * and their count in *n; valid until the next call on t. Never NULL.
 */
const tfr_breakpoint *tfr_track_ready(tfr_track *t, size_t *n);

/*
 * The release time so far: every breakpoint written from now on is at
 * this time or later when strict_horizon is set (peaks earlier than it
 * start no partial); -inf before the first frame, inf after _flush.
 */
double tfr_track_horizon(const tfr_track *t);
/* What the tracker has made so far (for tools' -v and the tests). */
typedef struct {
	int64_t partials;      /* partials written (after the filters) */
	int64_t breakpoints;   /* breakpoints written */
	int64_t dropped;       /* partials dropped by the filters */
	int64_t late;          /* peaks left out: earlier than output
	                          already written */
	int64_t onsets;        /* frames taken for onsets */
	int64_t onset_starts;  /* partials started silent at an onset */
	int64_t merged;        /* peaks that continued a partial without a
	                          breakpoint: closer than min_spacing to
	                          its last one */
	int64_t held;          /* breakpoints held back now */
	int64_t alive;         /* partials held now (continuing, or ended
	                          with breakpoints not yet written) */
} tfr_track_stats;

void tfr_track_get_stats(const tfr_track *t, tfr_track_stats *s);

void tfr_track_reset(tfr_track *t);
void tfr_track_free(tfr_track *t);

#ifdef __cplusplus
}
#endif

#endif /* TFR_TRACK_H */
