/*
 * phold.h - partials held until each has a verdict, then released in
 * stream order (private to libtfr's DSP cores).
 *
 * A tool that judges a partial by its whole life (its duration, its
 * peak, the harmonic channel that holds most of it) can only decide at
 * the partial's end, yet must write in time order: a later partial may
 * be decided first. Breakpoints are queued in arrival order (a stream's
 * time order) with their partial's slot; the head of the queue goes out
 * as soon as its partial has a verdict. Memory: the breakpoints since
 * the oldest undecided partial's first, which is the partials alive at
 * once, each whole.
 */
#ifndef TFR_PHOLD_H
#define TFR_PHOLD_H

#include <stddef.h>
#include <stdint.h>

#include "idmap.h"
#include "tfr_records.h"

#define PHOLD_UNDECIDED INT64_MIN

struct phold_slot {
	int64_t verdict;   /* PHOLD_UNDECIDED until phold_decide */
	size_t pending;    /* breakpoints of it still queued */
	int open;          /* its end has not arrived */
	int used;
};

struct phold_item {
	tfr_breakpoint b;
	size_t slot;
};

typedef struct {
	idmap slot_of;               /* open partial id -> slot */
	struct phold_slot *slots;
	size_t nslots, capslots;
	size_t *free;                /* slots free for reuse */
	size_t nfree, capfree;
	struct phold_item *q;        /* queue: q[head .. n-1] */
	size_t head, n, cap;
} phold;

void phold_init(phold *h);
void phold_free(phold *h);
/* Empty, keeping the memory. */
void phold_clear(phold *h);

/* Queue b; *slot is its partial's (stable until the partial's last
 * breakpoint is released), *first tells a partial met for the first
 * time. A breakpoint with end = 1 closes its partial: a later one of the
 * same id starts another. TFR_OK or TFR_ENOMEM. */
int phold_put(phold *h, const tfr_breakpoint *b, size_t *slot, int *first);

/* The partial of slot gets its verdict (any value but PHOLD_UNDECIDED). */
void phold_decide(phold *h, size_t slot, int64_t verdict);

/* The next breakpoint whose partial is decided, in queue order: 1 with
 * *b and *verdict, 0 when the queue is empty or its head undecided. */
int phold_next(phold *h, tfr_breakpoint *b, int64_t *verdict);

/* Slots are 0 .. phold_nslots() - 1; an undecided one in use is a
 * partial still open (at the end of input: one whose end never came). */
size_t phold_nslots(const phold *h);
int phold_undecided(const phold *h, size_t slot);

#endif
