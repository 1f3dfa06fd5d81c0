/*
 * tfr_label.h - harmonic labels of partials (Loris's Channelizer; DSP
 * core on records, streaming: breakpoints in time order in, the same
 * with their label out, memory bounded by the partials alive at once).
 *
 * A reference frequency ref(t) - a constant, an f0 track (tfr-f0), or
 * the partial that sounds near a given frequency - centres a channel on
 * every harmonic: channel k at f_k = k ref sqrt(1 + B k^2), B the
 * inharmonicity of a stiff string (Fletcher 1964, eq. 17; 0 for a
 * harmonic sound). A breakpoint's fractional channel is the k whose
 * centre is its frequency,
 *   c = sqrt((sqrt(1 + 4 B r^2) - 1) / (2 B)),  r = f / ref(t)
 * (c = r when B = 0); a partial's label is the nearest whole channel to
 * the mean of c over its breakpoints that have a reference (unweighted,
 * Loris's default). It stays 0 (no harmonic) when fewer than half its
 * breakpoints have a reference (an unvoiced stretch), when the RMS of
 * c - k exceeds the tolerance (below 0.5 channel: 0.5 is none), or when
 * k < 1.
 *
 * With sieve (Loris's Sieve), of partials of one label that overlap in
 * time only the longest keeps it; the others are labelled 0 (kept as
 * they are, not merged).
 */
#ifndef TFR_LABEL_H
#define TFR_LABEL_H

#include <stddef.h>
#include <stdint.h>

#include "tfr_base.h"
#include "tfr_records.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct tfr_label tfr_label;

typedef enum {
	TFR_LABEL_CONSTANT,  /* ref = f0 */
	TFR_LABEL_TRACK,     /* ref from f0 frames (tfr_label_reference) */
	TFR_LABEL_NEAR       /* ref = the frequency of the loudest partial
	                        within a band around `near`, over its
	                        harmonic number near_harmonic */
} tfr_label_ref;

typedef struct {
	tfr_label_ref ref;
	double f0;              /* Hz (CONSTANT) */
	double near;            /* Hz (NEAR): the band is a third of an
	                           octave either side */
	int near_harmonic;      /* NEAR: the harmonic number of that partial
	                           (default 1) */
	double stretch;         /* B >= 0 (default 0) */
	double tolerance;       /* channels: largest RMS of c - k of a
	                           labelled partial (default 0.5: none) */
	int sieve;              /* 1: overlaps of one label resolved */
	int fit;                /* 1: keep each partial's mean ratio for
	                           tfr_label_fit */
} tfr_label_params;

void tfr_label_params_default(tfr_label_params *p);
/* TFR_OK, or TFR_EINVAL with the problem in d. */
int tfr_label_check(const tfr_label_params *p, tfr_diag *d);
tfr_label *tfr_label_new(const tfr_label_params *p, tfr_diag *d);

/*
 * TRACK: the next f0 frames, in increasing time. A breakpoint takes the
 * frames either side of its time, so frames up to the first at or after
 * it must be given before it (tfr_label_reference_end tells how far they
 * go), or _reference_done called. A frame is voiced when voicing >= 0.5
 * and f0 > 0; between two voiced frames ref is interpolated linearly,
 * next to an unvoiced one the voiced one holds for half the frames'
 * spacing. TFR_OK, TFR_EINVAL (times not increasing, a negative f0).
 */
int tfr_label_reference(tfr_label *l, const tfr_f0_frame *f, size_t n);
/* The time of the last frame given (-inf before any). */
double tfr_label_reference_end(const tfr_label *l);
/* No more frames: later breakpoints have no reference. */
void tfr_label_reference_done(tfr_label *l);

/* The next n breakpoints (their label field is ignored). TFR_OK,
 * TFR_EINVAL (time going back), TFR_ENOMEM. */
int tfr_label_process(tfr_label *l, const tfr_breakpoint *b, size_t n);
/* End of input. */
int tfr_label_flush(tfr_label *l);
/* What became ready, labelled, in stream order; valid until the next
 * call on l. Never NULL. */
const tfr_breakpoint *tfr_label_ready(tfr_label *l, size_t *n);

/*
 * The inharmonicity B that fits the partials judged so far (their mean
 * ratio f / ref over the breakpoints with a reference, weighted by
 * energy), for a second run with it: labels k from the harmonic
 * channels up to 8 first (where B < 1e-3 moves them by less than half a
 * channel), then from all with the B they give, until the labels hold;
 * B = sum w k^2 ((r/k)^2 - 1) / sum w k^4 (least squares of
 * (r/k)^2 = 1 + B k^2, Fletcher 1964). Memory: one ratio per partial,
 * kept when params.fit is set. TFR_OK, or TFR_EINVAL when fewer than 3
 * partials had a reference (*B then 0).
 */
int tfr_label_fit(const tfr_label *l, double *B);

typedef struct {
	int64_t partials, labelled;    /* partials, those given a label */
	int64_t sieved;                /* labels taken back by the sieve */
	int64_t max_label;
	double energy, labelled_energy;  /* sum of amp^2 dt over
	                                    breakpoints (trapezoid) */
} tfr_label_stats;

void tfr_label_get_stats(const tfr_label *l, tfr_label_stats *st);
void tfr_label_reset(tfr_label *l);
void tfr_label_free(tfr_label *l);

#ifdef __cplusplus
}
#endif

#endif
