/*
 * framelink.h - breakpoints from frame-ordered partial data (SDIF 1TRC,
 * SPEAR frame text), private to those readers. A frame is a time and
 * rows tagged with a partial index; a partial lives while its index is
 * present in consecutive frames and ends when its index is absent from
 * the next frame, so the breakpoints of a frame are final once the next
 * frame has been read (one frame of look-ahead).
 *
 * Ids: the first life of index i is partial i; should i come back after
 * an absence, that is a new partial, i + k 2^32 for its (k+1)-th life,
 * so that ids stay unique without knowing the indexes still to come.
 * Frames with equal times are merged; a second row of one index at one
 * time is dropped (counted in `duplicates`).
 */
#ifndef TFR_FRAMELINK_H
#define TFR_FRAMELINK_H

#include <stddef.h>
#include <stdint.h>

#include "tfr_records.h"
#include "idmap.h"

/* Indexes of frame-ordered formats are below this. */
#define FRAMELINK_MAX_INDEX ((uint64_t)1 << 32)

typedef struct {
	uint64_t index;
	size_t order;      /* position in its frame: ties keep file order */
	int64_t id;
	double freq, amp, phase, bandwidth;
} linked_row;

typedef struct {
	linked_row *cur, *next;
	size_t ncur, nnext, capcur, capnext;
	double tcur;
	int have_cur;
	idmap lives;           /* index -> lives that have ended */
	tfr_breakpoint *out;   /* final breakpoints, out[outpos..nout-1] */
	size_t nout, outpos, capout;
	int64_t duplicates;    /* rows dropped */
	int64_t partials;      /* partials started */
} framelink;

void framelink_init(framelink *f);
void framelink_free(framelink *f);

/* A row of the frame being read (index < FRAMELINK_MAX_INDEX).
 * TFR_OK or TFR_ENOMEM. */
int framelink_row(framelink *f, uint64_t index, double freq, double amp,
                  double phase, double bandwidth);

/* The rows given since the last frame form a frame at time (finite).
 * TFR_OK, TFR_ENOMEM, or TFR_EFORMAT when time is before the previous
 * frame's. */
int framelink_frame(framelink *f, double time);

/* End of input: the last frame's partials end. TFR_OK or TFR_ENOMEM. */
int framelink_finish(framelink *f);

/* Move up to max final breakpoints to dst; returns how many. */
size_t framelink_take(framelink *f, tfr_breakpoint *dst, size_t max);

#endif
