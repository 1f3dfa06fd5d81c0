/*
 * tfr_distill.h - one partial per label at a time (Loris's Distiller;
 * DSP core on records, streaming: labelled breakpoints in time order in,
 * distilled ones out, in time order).
 *
 * The partials of one label become one: the first of them sounding
 * carries it; a breakpoint of another of that label met while it sounds
 * is absorbed as noise into the carrier's next breakpoint (its energy
 * amp^2 added to the carrier's, as bandwidth: Loris's bandwidth-enhanced
 * convention, tfr_records.h; the loudest such breakpoint since the
 * carrier's last); when the carrier ends, the next partial of the label
 * to come within join_gap continues the same output partial (a line
 * between the two breakpoints, as a synthesiser would draw it); past
 * that the output partial ends and a later one of the label starts
 * another. Loris joins any gap with silence between fades: the sound is
 * the same, and a bounded gap keeps the stream bounded (a partial's end
 * is known join_gap after it). Unlabelled partials (0) pass unchanged.
 * Output partials are numbered afresh in order of their first
 * breakpoints, and keep their label.
 */
#ifndef TFR_DISTILL_H
#define TFR_DISTILL_H

#include <stddef.h>
#include <stdint.h>

#include "tfr_base.h"
#include "tfr_records.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct tfr_distill tfr_distill;

typedef struct {
	double join_gap;   /* s (default 0.01: twice Loris's fade) */
} tfr_distill_params;

void tfr_distill_params_default(tfr_distill_params *p);
int tfr_distill_check(const tfr_distill_params *p, tfr_diag *d);
tfr_distill *tfr_distill_new(const tfr_distill_params *p, tfr_diag *d);

/* The next n labelled breakpoints. TFR_OK, TFR_EINVAL (time going
 * back), TFR_ENOMEM. */
int tfr_distill_process(tfr_distill *x, const tfr_breakpoint *b, size_t n);
int tfr_distill_flush(tfr_distill *x);
/* What became ready since the last call; valid until the next call on
 * x. Never NULL. */
const tfr_breakpoint *tfr_distill_ready(tfr_distill *x, size_t *n);

typedef struct {
	int64_t partials_in, partials_out;  /* labelled partials in; out */
	int64_t absorbed;                   /* breakpoints made noise */
	int64_t joined;                     /* carriers continued by another */
} tfr_distill_stats;

void tfr_distill_get_stats(const tfr_distill *x, tfr_distill_stats *st);
void tfr_distill_reset(tfr_distill *x);
void tfr_distill_free(tfr_distill *x);

#ifdef __cplusplus
}
#endif

#endif
