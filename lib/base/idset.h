/*
 * idset.h - a set of partial ids (non-negative 64-bit integers) kept as
 * sorted disjoint ranges, private to libtfr. It remembers the partials
 * that have ended, so that a stream that brings one back (tfr(5): ids
 * are never reused) is refused. A tracker numbers partials in the order
 * they start and most end not long after, so the ended ids form a few
 * ranges with holes only where partials are still open: memory follows
 * the partials alive at once, not the length of the stream.
 */
#ifndef TFR_IDSET_H
#define TFR_IDSET_H

#include <stddef.h>
#include <stdint.h>

typedef struct {
	int64_t lo, hi;  /* lo <= id <= hi */
} idset_range;

typedef struct {
	idset_range *r;  /* sorted, disjoint, not adjacent */
	size_t n, cap;
} idset;

void idset_init(idset *s);
void idset_free(idset *s);

/* Whether id is in s. */
int idset_has(const idset *s, int64_t id);

/* Add id (0 <= id < INT64_MAX); 0, or -1 when out of memory. */
int idset_add(idset *s, int64_t id);

#endif
