/*
 * tfr_warp.h - time and pitch warping of partials (DSP core on records,
 * streaming: breakpoints in time order in, the same out, memory bounded
 * by the partials alive at once). Loris's Dilator, shiftPitch,
 * scaleAmplitude and scaleBandwidth in one pass, in double precision:
 *
 *   time       t' = T(t): a factor (T(t) = stretch t), or a piecewise
 *              linear map through markers (source -> target times, both
 *              strictly increasing). As Loris's Dilator, a point 0 -> 0
 *              is implied when the first marker's times are both above
 *              0; before the first marker and after the last the map
 *              goes on with slope 1 (a shift). T is increasing, so the
 *              stream's order is kept.
 *   frequency  f' = f 2^(c/1200), c the pitch shift in cents (constant,
 *              or an envelope over the input's time).
 *   amplitude  a' = a 10^(g/20), g in dB (constant or envelope); with
 *              formants, labelled partials also take env(f')/env(f),
 *              env the spectral envelope of the labelled partials
 *              sounding at the breakpoint's time (below).
 *   bandwidth  b' = min(1, b s), s a factor (constant or envelope).
 *   phase      when times or frequencies change, the stored phases no
 *              longer belong to the new course: each partial's are
 *              made again by integrating its new frequency by the
 *              trapezoid rule from its first breakpoint, whose phase is
 *              kept (phi'_i = phi'_(i-1) + pi (f'_(i-1) + f'_i)
 *              (t'_i - t'_(i-1)), in double precision), as a free-
 *              running oscillator (tfr-resynth -p free, Loris) would.
 *
 * Envelopes are functions of the input's time (the sound's events, not
 * the warped clock). A warp that changes nothing (stretch 1 and no
 * markers, 0 cents, 0 dB, bandwidth scale 1, and formants only with a
 * pitch shift) passes every record through untouched, bit for bit; one
 * that changes only amplitudes or bandwidths keeps times, frequencies
 * and phases.
 *
 * Formants: at a breakpoint's time t the spectral envelope is made from
 * the labelled partials (label > 0) sounding at t, each at its amplitude
 * and frequency at t (linear between its breakpoints; of two with the
 * same label the louder), log-amplitude linear in frequency between
 * neighbouring harmonics and constant below the lowest and above the
 * highest. Finding a partial's next breakpoint needs the stream a little
 * ahead: a breakpoint is released once the input has gone `lookahead`
 * seconds past it (a partial whose next breakpoint is farther, across a
 * gap, holds its last values). The partials of one analysis frame have
 * times up to a frame apart: a partial counts from `edge` before its
 * first breakpoint to `edge` after its last. Unlabelled partials keep
 * their amplitudes.
 */
#ifndef TFR_WARP_H
#define TFR_WARP_H

#include <stddef.h>
#include <stdint.h>

#include "tfr_base.h"
#include "tfr_envelope.h"
#include "tfr_records.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Time factors and the slopes of a marker map: within [1/MAX, MAX]. */
#define TFR_WARP_MAX_STRETCH 1000.0
/* Pitch shifts: within +-MAX cents (8 octaves). */
#define TFR_WARP_MAX_CENTS 9600.0
/* Gains: within +-MAX dB. */
#define TFR_WARP_MAX_GAIN_DB 200.0
/* Bandwidth factors: within [0, MAX]. */
#define TFR_WARP_MAX_BANDWIDTH_SCALE 1000.0

typedef struct tfr_warp tfr_warp;

typedef struct {
	double stretch;                  /* time factor (default 1); 1 with
	                                    markers */
	const tfr_envelope *markers;     /* source -> target times (s), or
	                                    NULL (default) */
	double cents;                    /* pitch shift (default 0) ... */
	const tfr_envelope *pitch;       /* ... or cents over the input's
	                                    time (NULL: the constant) */
	double gain_db;                  /* amplitude gain (default 0) ... */
	const tfr_envelope *gain;        /* ... or dB over time */
	double bandwidth_scale;          /* bandwidth factor (default 1) ... */
	const tfr_envelope *bandwidth;   /* ... or factors over time */
	int formants;                    /* 1: labelled partials' amplitudes
	                                    follow the spectral envelope
	                                    (default 0) */
	double lookahead;                /* s, with formants (default 0.025) */
	double edge;                     /* s, with formants: a partial counts
	                                    from this long before its first
	                                    breakpoint to this long after its
	                                    last, at their values (default
	                                    0.005) */
} tfr_warp_params;

void tfr_warp_params_default(tfr_warp_params *p);
/* TFR_OK, or TFR_EINVAL with the problem in d (an envelope's fault at
 * its point's line and column). */
int tfr_warp_check(const tfr_warp_params *p, tfr_diag *d);
/* The envelopes are copied. */
tfr_warp *tfr_warp_new(const tfr_warp_params *p, tfr_diag *d);

/* 1 when p changes nothing (records pass through untouched). */
int tfr_warp_is_identity(const tfr_warp_params *p);

/* T(t): where input time t goes. */
double tfr_warp_time(const tfr_warp *w, double t);

/* The next n breakpoints of a partials stream (nondecreasing time; each
 * partial's times increasing, its last with end = 1). TFR_OK, TFR_EINVAL
 * (time going back, in the stream or in a partial: b is not taken),
 * TFR_ENOMEM. */
int tfr_warp_process(tfr_warp *w, const tfr_breakpoint *b, size_t n);
/* End of input: what is held (formants) becomes ready. */
int tfr_warp_flush(tfr_warp *w);
/* What became ready since the last call, in stream order; valid until
 * the next call on w. Never NULL. */
const tfr_breakpoint *tfr_warp_ready(tfr_warp *w, size_t *n);

typedef struct {
	int64_t breakpoints;   /* breakpoints out */
	int64_t partials;      /* partials begun */
	int64_t formant;       /* amplitudes moved by the spectral envelope */
	int64_t clamped;       /* bandwidths held at 1 */
} tfr_warp_stats;

void tfr_warp_get_stats(const tfr_warp *w, tfr_warp_stats *s);
void tfr_warp_reset(tfr_warp *w);
void tfr_warp_free(tfr_warp *w);

#ifdef __cplusplus
}
#endif

#endif /* TFR_WARP_H */
