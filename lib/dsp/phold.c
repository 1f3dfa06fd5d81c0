/*
 * phold.c - partials held until each has a verdict (phold.h).
 */
#include "phold.h"
#include "internal.h"
#include "tfr_base.h"

#include <stdlib.h>
#include <string.h>

void phold_init(phold *h)
{
	memset(h, 0, sizeof *h);
	idmap_init(&h->slot_of);
}

void phold_free(phold *h)
{
	idmap_free(&h->slot_of);
	free(h->slots);
	free(h->free);
	free(h->q);
	memset(h, 0, sizeof *h);
}

void phold_clear(phold *h)
{
	idmap_clear(&h->slot_of);
	h->nslots = h->nfree = h->head = h->n = 0;
}

static int new_slot(phold *h, size_t *slot)
{
	if (h->nfree) {
		*slot = h->free[--h->nfree];
	} else {
		if (tfr_grow((void **)&h->slots, &h->capslots, h->nslots + 1,
		             sizeof *h->slots))
			return TFR_ENOMEM;
		*slot = h->nslots++;
	}
	h->slots[*slot] = (struct phold_slot){ PHOLD_UNDECIDED, 0, 1, 1 };
	return TFR_OK;
}

/* Room for one more item: the released head is dropped first when it is
 * at least half the queue, so that each item moves O(1) times. */
static int room(phold *h)
{
	if (h->head && h->head >= h->n - h->head) {
		memmove(h->q, h->q + h->head, (h->n - h->head) * sizeof *h->q);
		h->n -= h->head;
		h->head = 0;
	}
	return tfr_grow((void **)&h->q, &h->cap, h->n + 1, sizeof *h->q)
	       ? TFR_ENOMEM : TFR_OK;
}

int phold_put(phold *h, const tfr_breakpoint *b, size_t *slot, int *first)
{
	/* the free list never needs more than one entry per slot: reserve it
	 * now, so that releasing never fails */
	if (tfr_grow((void **)&h->free, &h->capfree, h->nslots + 1, sizeof *h->free) ||
	    room(h) != TFR_OK)
		return TFR_ENOMEM;
	int added;
	int64_t *v = idmap_get(&h->slot_of, (uint64_t)b->partial, -1, &added);
	if (!v)
		return TFR_ENOMEM;
	if (added) {
		size_t s;
		if (new_slot(h, &s) != TFR_OK) {
			idmap_remove(&h->slot_of, (uint64_t)b->partial);
			return TFR_ENOMEM;
		}
		*v = (int64_t)s;
	}
	*slot = (size_t)*v;
	*first = added;
	if (b->end)
		idmap_remove(&h->slot_of, (uint64_t)b->partial);
	struct phold_slot *s = &h->slots[*slot];
	s->pending++;
	if (b->end)
		s->open = 0;
	h->q[h->n++] = (struct phold_item){ *b, *slot };
	return TFR_OK;
}

void phold_decide(phold *h, size_t slot, int64_t verdict)
{
	h->slots[slot].verdict = verdict;
}

int phold_next(phold *h, tfr_breakpoint *b, int64_t *verdict)
{
	if (h->head == h->n)
		return 0;
	struct phold_item *it = &h->q[h->head];
	struct phold_slot *s = &h->slots[it->slot];
	if (s->verdict == PHOLD_UNDECIDED)
		return 0;
	*b = it->b;
	*verdict = s->verdict;
	h->head++;
	if (--s->pending == 0 && !s->open) {
		s->used = 0;
		h->free[h->nfree++] = it->slot;
	}
	if (h->head == h->n)
		h->head = h->n = 0;
	return 1;
}

size_t phold_nslots(const phold *h)
{
	return h->nslots;
}

int phold_undecided(const phold *h, size_t slot)
{
	return h->slots[slot].used && h->slots[slot].verdict == PHOLD_UNDECIDED;
}
