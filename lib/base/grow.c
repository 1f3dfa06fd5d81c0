/* grow.c - the one growable-array helper of the library. */
#include <stdlib.h>

#include "internal.h"
#include "tfr_base.h"

/* Doubling keeps n appends at O(n) copies; the first allocation holds 16
 * elements so that small arrays do not start with a run of reallocs. */
int tfr_grow(void **buf, size_t *cap, size_t need, size_t size)
{
	if (need <= *cap)
		return TFR_OK;
	size_t n = *cap ? *cap : 16;
	while (n < need) {
		if (n > SIZE_MAX / 2)
			return TFR_ENOMEM;
		n *= 2;
	}
	size_t bytes = tfr_size_mul(n, size);
	void *p = bytes ? realloc(*buf, bytes) : NULL;
	if (!p)
		return TFR_ENOMEM;
	*buf = p;
	*cap = n;
	return TFR_OK;
}
