/*
 * idmap.h - a hash map from partial indexes (non-negative 64-bit
 * integers) to 64-bit values, private to libtfr: the partial-file
 * readers and writers and the partials' time clip meet indexes in
 * whatever order a stream holds them and need each one's state in
 * constant time.
 */
#ifndef TFR_IDMAP_H
#define TFR_IDMAP_H

#include <stddef.h>
#include <stdint.h>

typedef struct {
	uint64_t *keys;  /* key + 1; 0 marks an empty slot */
	int64_t *vals;
	size_t cap;      /* a power of two, or 0 */
	size_t n;
} idmap;

/* An empty map (no allocation until the first insertion). */
void idmap_init(idmap *m);
void idmap_free(idmap *m);

/* The value stored for key, or NULL. key < 2^63. */
int64_t *idmap_find(const idmap *m, uint64_t key);

/* The value for key, inserted as init when absent (*added tells which);
 * NULL when out of memory. The pointer is valid until the next insertion
 * or removal. */
int64_t *idmap_get(idmap *m, uint64_t key, int64_t init, int *added);

/* Remove key if present. */
void idmap_remove(idmap *m, uint64_t key);

/* Remove every key, keeping the memory. */
void idmap_clear(idmap *m);

#endif
