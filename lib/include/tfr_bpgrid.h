/*
 * tfr_bpgrid.h - partials resampled on a regular time grid (DSP core,
 * streaming: breakpoints in stream order in, frames out, memory bounded
 * by the partials alive at once and the breakpoints that arrive while
 * the slowest of them crosses one grid period).
 *
 * Frame k is at time start + k * period (k >= 0). Its rows are the
 * partials alive then, in ascending id order, with frequency, amplitude
 * and bandwidth interpolated linearly between the two breakpoints that
 * enclose the frame time, and the phase advanced from the earlier one by
 * the integral of that linear frequency:
 *
 *   phase(t) = phase_i + 2 pi (t - t_i) (f_i + (f_{i+1} - f_i) u / 2),
 *   u = (t - t_i) / (t_{i+1} - t_i),
 *
 * wrapped to [-pi, pi) (Loris computes its 1TRC frames the same way,
 * Partial::parametersAt; additive-model.md §3.8). A partial also appears
 * with amplitude 0 on the last grid frame before its first breakpoint
 * (phase extrapolated back at its first frequency) and on the first grid
 * frame after its last one (extrapolated forward), so that a reader of
 * frame-ordered formats sees its birth and death as a fade. A partial
 * that falls between two grid times shows only those two zero rows.
 *
 * This is what SDIF 1TRC and SPEAR frame text are written from.
 */
#ifndef TFR_BPGRID_H
#define TFR_BPGRID_H

#include <stddef.h>
#include <stdint.h>

#include "tfr_base.h"
#include "tfr_grid.h"
#include "tfr_records.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct tfr_bpgrid tfr_bpgrid;

/* Frames further than this many periods from start are refused: a time
 * far out on the grid is a fault of the input, not a long sound. */
#define TFR_BPGRID_MAX_FRAMES ((int64_t)1 << 31)

typedef struct {
	double start;      /* s: time of frame 0 (default 0) */
	double period;     /* s between frames, > 0 (default 0.005) */
	int empty_frames;  /* 1: every grid frame from the first frame with
	                      rows to the last, empty ones included (a
	                      regular grid); 0 (default): frames with rows */
} tfr_bpgrid_params;

void tfr_bpgrid_params_default(tfr_bpgrid_params *p);

/* TFR_OK, or TFR_EINVAL with the first problem of p in d. */
int tfr_bpgrid_check(const tfr_bpgrid_params *p, tfr_diag *d);

tfr_bpgrid *tfr_bpgrid_new(const tfr_bpgrid_params *p, tfr_diag *d);

/*
 * Take n breakpoints in stream order (nondecreasing time; a partial's
 * times strictly increasing; its end flag on its last one). Returns
 * TFR_OK, TFR_ENOMEM, TFR_EINVAL after _flush, or TFR_EFORMAT for a
 * breakpoint out of that order or with values that cannot be
 * interpolated (non-finite numbers, negative frequency or amplitude,
 * bandwidth outside [0, 1], a time beyond TFR_BPGRID_MAX_FRAMES), with
 * the reason in tfr_bpgrid_diag(); the breakpoints before the bad one
 * were taken. Ids of partials that ended are not remembered: a later
 * breakpoint with such an id starts a new partial (the stream format
 * forbids it; the grid does not need to).
 */
int tfr_bpgrid_process(tfr_bpgrid *g, const tfr_breakpoint *bp, size_t n);

/* End of input: partials without an end flag end at their last
 * breakpoint; every remaining frame becomes ready. */
int tfr_bpgrid_flush(tfr_bpgrid *g);

/*
 * The next finished frame: returns 1 and sets *time, *rows and *n (rows
 * valid until the next call on g; *n may be 0 with empty_frames), 0
 * when no frame is ready yet (give more breakpoints or flush; after
 * _flush, 0 means the end), or TFR_ENOMEM. A frame is finished once every partial alive
 * at its time has a breakpoint at or after it and the input has passed
 * the next grid time (a birth there puts a zero row in this frame).
 */
int tfr_bpgrid_next(tfr_bpgrid *g, double *time, const tfr_grid_row **rows,
                    size_t *n);

/* The detail of the last failure of tfr_bpgrid_process or _next. */
const tfr_diag *tfr_bpgrid_diag(const tfr_bpgrid *g);

void tfr_bpgrid_reset(tfr_bpgrid *g);
void tfr_bpgrid_free(tfr_bpgrid *g);

#ifdef __cplusplus
}
#endif

#endif /* TFR_BPGRID_H */
