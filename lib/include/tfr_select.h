/*
 * tfr_select.h - partials selected by what they are over their whole
 * life, with the remainder kept (DSP core on records, streaming:
 * breakpoints in time order in; the kept and the rest out, each in time
 * order; memory bounded by the partials alive at once).
 *
 * A partial is kept when every criterion holds:
 *   duration (last time - first time)    in [min_duration, max_duration]
 *   breakpoints                          in [min_points, max_points]
 *   amplitude (its peak, or its mean     in [min_amp, max_amp]
 *     over time: the trapezoid rule; a
 *     single breakpoint's own)
 *   frequency (amplitude-weighted mean   in [min_freq, max_freq]
 *     of its breakpoints' frequencies)
 *   it sounds in [from, to]              (first time <= to and last
 *                                          time >= from)
 *   its label                            one of labels (when nlabels)
 * Every partial goes whole to one output or the other: the kept and the
 * rest together are the input, breakpoint for breakpoint.
 */
#ifndef TFR_SELECT_H
#define TFR_SELECT_H

#include <stddef.h>
#include <stdint.h>

#include "tfr_base.h"
#include "tfr_records.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct tfr_select tfr_select;

#define TFR_SELECT_MAX_LABELS 1024

typedef struct {
	double min_duration, max_duration;  /* s (0, inf) */
	int64_t min_points, max_points;     /* (1, INT64_MAX) */
	int amp_peak;                       /* 1 peak (default), 0 mean */
	double min_amp, max_amp;            /* linear (0, inf) */
	double min_freq, max_freq;          /* Hz (0, inf) */
	double from, to;                    /* s (-inf, inf) */
	const int64_t *labels;              /* copied by _new */
	size_t nlabels;                     /* 0: any label */
} tfr_select_params;

void tfr_select_params_default(tfr_select_params *p);
/* TFR_OK, or TFR_EINVAL with the problem in d. */
int tfr_select_check(const tfr_select_params *p, tfr_diag *d);
tfr_select *tfr_select_new(const tfr_select_params *p, tfr_diag *d);

/* The next n breakpoints of a partials stream. TFR_OK, TFR_EINVAL (time
 * going back: b is not taken), TFR_ENOMEM. */
int tfr_select_process(tfr_select *s, const tfr_breakpoint *b, size_t n);
/* End of input: partials whose end never came are judged as they are. */
int tfr_select_flush(tfr_select *s);

/* What became ready since the last call: the kept (rest = 0) or the
 * rest (rest = 1), each in stream order; valid until the next _process,
 * _flush or _reset. Never NULL. */
const tfr_breakpoint *tfr_select_ready(tfr_select *s, int rest, size_t *n);

typedef struct {
	int64_t kept, dropped;          /* partials */
	int64_t kept_points, dropped_points;
} tfr_select_stats;

void tfr_select_get_stats(const tfr_select *s, tfr_select_stats *st);
void tfr_select_reset(tfr_select *s);
void tfr_select_free(tfr_select *s);

#ifdef __cplusplus
}
#endif

#endif
