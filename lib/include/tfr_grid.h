/*
 * tfr_grid.h - partials sampled at one time: the row record that the
 * grid resampler (tfr_bpgrid.h, a DSP core) makes and the frame-ordered
 * writers (SDIF 1TRC in tfr_sdif.h, SPEAR frame text in tfr_spear.h)
 * take. Kept apart from both so that neither side includes the other.
 *
 * A frame is a time and the rows of the partials alive then, one row per
 * partial. In a sequence of frames a partial is present in consecutive
 * frames from its birth to its death; its absence from a frame ends it.
 */
#ifndef TFR_GRID_H
#define TFR_GRID_H

#include <stdint.h>

/*
 * One partial at the frame's time.
 *  partial    id of the partial (>= 0), as in tfr_breakpoint
 *  freq       Hz
 *  amp        amplitude (as tfr_breakpoint.amp); 0 on the rows that
 *             announce a birth or a death
 *  phase      rad, [-pi, pi)
 *  bandwidth  noise fraction of the energy, [0, 1]
 * Double precision throughout: a row is computed, not measured, and the
 * float fields of a breakpoint would cost the phase 1e-7 rad.
 */
typedef struct {
	int64_t partial;
	double freq;
	double amp;
	double phase;
	double bandwidth;
} tfr_grid_row;

#endif /* TFR_GRID_H */
