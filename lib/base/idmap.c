/*
 * idmap.c - open addressing with linear probing, at most half full;
 * removal shifts the following entries back (Knuth, TAOCP vol. 3,
 * algorithm 6.4R), so that no tombstones accumulate.
 */
#include "idmap.h"

#include <stdlib.h>
#include <string.h>

void idmap_init(idmap *m)
{
	memset(m, 0, sizeof *m);
}

void idmap_free(idmap *m)
{
	free(m->keys);
	free(m->vals);
	idmap_init(m);
}

/* splitmix64's finaliser: indexes are often consecutive integers. */
static size_t slot_of(const idmap *m, uint64_t key)
{
	uint64_t z = key + 0x9e3779b97f4a7c15ULL;
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	z ^= z >> 31;
	return (size_t)z & (m->cap - 1);
}

int64_t *idmap_find(const idmap *m, uint64_t key)
{
	if (!m->n)
		return NULL;
	for (size_t i = slot_of(m, key);; i = (i + 1) & (m->cap - 1)) {
		if (m->keys[i] == 0)
			return NULL;
		if (m->keys[i] == key + 1)
			return &m->vals[i];
	}
}

static int grow(idmap *m)
{
	size_t cap = m->cap ? m->cap * 2 : 64;
	if (cap > SIZE_MAX / 2 / sizeof(uint64_t))
		return -1;
	uint64_t *keys = calloc(cap, sizeof *keys);
	int64_t *vals = malloc(cap * sizeof *vals);
	if (!keys || !vals) {
		free(keys);
		free(vals);
		return -1;
	}
	idmap old = *m;
	m->keys = keys;
	m->vals = vals;
	m->cap = cap;
	for (size_t i = 0; i < old.cap; i++) {
		if (!old.keys[i])
			continue;
		size_t j = slot_of(m, old.keys[i] - 1);
		while (keys[j])
			j = (j + 1) & (cap - 1);
		keys[j] = old.keys[i];
		vals[j] = old.vals[i];
	}
	free(old.keys);
	free(old.vals);
	return 0;
}

int64_t *idmap_get(idmap *m, uint64_t key, int64_t init, int *added)
{
	if ((m->n + 1) * 2 > m->cap && grow(m) != 0)
		return NULL;
	size_t i = slot_of(m, key);
	while (m->keys[i] && m->keys[i] != key + 1)
		i = (i + 1) & (m->cap - 1);
	if (added)
		*added = m->keys[i] == 0;
	if (m->keys[i] == 0) {
		m->keys[i] = key + 1;
		m->vals[i] = init;
		m->n++;
	}
	return &m->vals[i];
}

void idmap_remove(idmap *m, uint64_t key)
{
	if (!m->n)
		return;
	size_t mask = m->cap - 1, i = slot_of(m, key);
	while (m->keys[i] != key + 1) {
		if (!m->keys[i])
			return;
		i = (i + 1) & mask;
	}
	/* close the gap: move back every later entry of the probe run that
	 * its home slot does not place after the gap */
	for (size_t j = (i + 1) & mask; m->keys[j]; j = (j + 1) & mask) {
		size_t home = slot_of(m, m->keys[j] - 1);
		if (((j - home) & mask) >= ((j - i) & mask)) {
			m->keys[i] = m->keys[j];
			m->vals[i] = m->vals[j];
			i = j;
		}
	}
	m->keys[i] = 0;
	m->n--;
}

void idmap_clear(idmap *m)
{
	if (m->cap)
		memset(m->keys, 0, m->cap * sizeof *m->keys);
	m->n = 0;
}
