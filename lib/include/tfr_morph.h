/*
 * tfr_morph.h - Loris's Morpher: two labelled partial streams morphed
 * into one (DSP core on records, streaming: the breakpoints of both
 * sources, merged in time order, in; the morph out, in time order;
 * memory bounded by the partials alive at once).
 *
 * Partials of the same label (> 0) in A and B are paired; an output
 * partial has a breakpoint at every breakpoint time of either, where the
 * other is evaluated as a synthesiser plays it (frequency and amplitude
 * linear, phase on the cubic through both ends: McAulay and Quatieri
 * 1986, eq. 37). With weights wf, wa, wb in [0, 1] at that time (0: A,
 * 1: B), from three envelopes over time:
 *   frequency  (1 - wf) fA + wf fB; with log_freq fA^(1-wf) fB^wf
 *   amplitude  (aA + s) ((aB + s)/(aA + s))^wa - s, s = shape (1e-5,
 *              Loris's): a morph in the log domain that stays finite
 *              at 0 (-inf dB): a partial fades in or out as a power of
 *              a - a partial absent is amplitude 0; with lin_amp
 *              (1 - wa) aA + wa aB
 *   bandwidth  as the amplitude (log by default, Loris's)
 *   phase      A's where wf = 0, B's where wf = 1, else the morphed
 *              frequency integrated (trapezoid) from the output
 *              partial's previous breakpoint
 * A partial absent from one source at a time (unpaired, unlabelled, or
 * between partials of its label) counts as amplitude and bandwidth 0 at
 * the frequency of the other: it fades in or out as the weights go.
 * Where one source has two partials of a label at once, the later is
 * treated as unlabelled.
 */
#ifndef TFR_MORPH_H
#define TFR_MORPH_H

#include <stddef.h>
#include <stdint.h>

#include "tfr_base.h"
#include "tfr_envelope.h"
#include "tfr_records.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct tfr_morph tfr_morph;

typedef struct {
	const tfr_envelope *freq, *amp, *bw;  /* weights over time, [0, 1];
	                                         NULL: the constant `weight`
	                                         (copied by _new) */
	double weight;                        /* default 0.5 */
	int log_freq;                         /* 0 (linear, default) */
	int lin_amp;                          /* 0 (log, default) */
	double shape;                         /* default 1e-5 */
} tfr_morph_params;

void tfr_morph_params_default(tfr_morph_params *p);
/* TFR_OK, or TFR_EINVAL with the problem in d (a weight outside [0, 1],
 * a shape not > 0). */
int tfr_morph_check(const tfr_morph_params *p, tfr_diag *d);
tfr_morph *tfr_morph_new(const tfr_morph_params *p, tfr_diag *d);

/* The next n breakpoints of source 0 (A) or 1 (B); across calls and
 * sources, times never go back (merge the two streams by time, A first
 * at a tie). TFR_OK, TFR_EINVAL (time going back), TFR_ENOMEM. */
int tfr_morph_process(tfr_morph *m, int source, const tfr_breakpoint *b, size_t n);
/* Both sources ended: partials without an end hold their last values. */
int tfr_morph_flush(tfr_morph *m);
/* What became ready, in time order, labelled as the pairs were; valid
 * until the next call on m. Never NULL. */
const tfr_breakpoint *tfr_morph_ready(tfr_morph *m, size_t *n);

typedef struct {
	int64_t paired;        /* output partials with both sources */
	int64_t single;        /* output partials of one source alone */
	int64_t breakpoints;
} tfr_morph_stats;

void tfr_morph_get_stats(const tfr_morph *m, tfr_morph_stats *st);
void tfr_morph_reset(tfr_morph *m);
void tfr_morph_free(tfr_morph *m);

#ifdef __cplusplus
}
#endif

#endif
