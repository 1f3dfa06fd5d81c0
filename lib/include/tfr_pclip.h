/*
 * tfr_pclip.h - partials kept within a time range (DSP core on records,
 * streaming: breakpoints in time order in, the same out, memory bounded
 * by the partials alive at once).
 *
 * Importers refuse what lies outside the sound: Loris will not
 * synthesise a partial that starts before time 0, and nothing should
 * sound past the end of the source. An exported stream (tfr-convert)
 * goes through this clip:
 *   - the last breakpoint of a partial before `from` moves to `from`
 *     when the stream reaches it, its phase advanced as a steady
 *     sinusoid's (a later breakpoint of that partial at `from` itself is
 *     then merged into it); earlier ones, and partials that end before
 *     `from`, are dropped;
 *   - a partial that goes on past `to` ends there, with a breakpoint
 *     interpolated between its last one inside and the first one past
 *     (frequency, amplitude and bandwidth linearly, the phase integrated
 *     by the trapezoid rule, as a free-running synthesiser would);
 *     breakpoints past `to` are dropped.
 * A stream within the range passes unchanged, bit for bit.
 */
#ifndef TFR_PCLIP_H
#define TFR_PCLIP_H

#include <stddef.h>
#include <stdint.h>

#include "tfr_base.h"
#include "tfr_records.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct tfr_pclip tfr_pclip;

typedef struct {
	double from;  /* s (default 0) */
	double to;    /* s, > from (default inf: no end) */
} tfr_pclip_params;

void tfr_pclip_params_default(tfr_pclip_params *p);
/* TFR_OK, or TFR_EINVAL with the problem in d. */
int tfr_pclip_check(const tfr_pclip_params *p, tfr_diag *d);
tfr_pclip *tfr_pclip_new(const tfr_pclip_params *p, tfr_diag *d);

/* The next n breakpoints of a partials stream (nondecreasing time; each
 * partial's last has end = 1). TFR_OK, TFR_EINVAL (time going back: b
 * is not taken), TFR_ENOMEM. */
int tfr_pclip_process(tfr_pclip *c, const tfr_breakpoint *b, size_t n);
/* End of input (nothing is held past it; kept for the contract). */
int tfr_pclip_flush(tfr_pclip *c);
/* What became ready since the last call, in stream order; valid until
 * the next call on c. Never NULL. */
const tfr_breakpoint *tfr_pclip_ready(tfr_pclip *c, size_t *n);

typedef struct {
	int64_t moved;     /* breakpoints moved to `from` */
	int64_t dropped;   /* breakpoints dropped (outside, or merged) */
	int64_t ended;     /* partials ended at `to` */
} tfr_pclip_stats;

void tfr_pclip_get_stats(const tfr_pclip *c, tfr_pclip_stats *s);
void tfr_pclip_reset(tfr_pclip *c);
void tfr_pclip_free(tfr_pclip *c);

#ifdef __cplusplus
}
#endif

#endif
