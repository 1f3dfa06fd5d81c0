/*
 * idset.c - ranges found by binary search; an id next to a range
 * extends it and joins it to its neighbour when the gap closes.
 */
#include "idset.h"

#include <stdlib.h>
#include <string.h>

void idset_init(idset *s)
{
	memset(s, 0, sizeof *s);
}

void idset_free(idset *s)
{
	free(s->r);
	idset_init(s);
}

/* The number of ranges whose lo is <= id. */
static size_t idset_upper(const idset *s, int64_t id)
{
	size_t a = 0, b = s->n;
	while (a < b) {
		size_t m = a + (b - a) / 2;
		if (s->r[m].lo <= id)
			a = m + 1;
		else
			b = m;
	}
	return a;
}

int idset_has(const idset *s, int64_t id)
{
	size_t k = idset_upper(s, id);
	return k > 0 && id <= s->r[k - 1].hi;
}

static int idset_insert(idset *s, size_t at, int64_t id)
{
	if (s->n == s->cap) {
		size_t cap = s->cap ? 2 * s->cap : 16;
		idset_range *r = realloc(s->r, cap * sizeof *r);
		if (!r)
			return -1;
		s->r = r;
		s->cap = cap;
	}
	memmove(s->r + at + 1, s->r + at, (s->n - at) * sizeof *s->r);
	s->r[at] = (idset_range){ id, id };
	s->n++;
	return 0;
}

int idset_add(idset *s, int64_t id)
{
	size_t k = idset_upper(s, id);
	idset_range *left = k > 0 ? &s->r[k - 1] : NULL;
	idset_range *right = k < s->n ? &s->r[k] : NULL;
	if (left && id <= left->hi)
		return 0;
	int joins_left = left && left->hi == id - 1;
	int joins_right = right && right->lo == id + 1;
	if (joins_left && joins_right) {
		left->hi = right->hi;
		memmove(right, right + 1, (s->n - k - 1) * sizeof *s->r);
		s->n--;
	} else if (joins_left) {
		left->hi = id;
	} else if (joins_right) {
		right->lo = id;
	} else {
		return idset_insert(s, k, id);
	}
	return 0;
}
