/* internal.h - helpers private to libtfr (not installed). */
#ifndef TFR_INTERNAL_H
#define TFR_INTERNAL_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#define TFR_PI 3.14159265358979323846
#define TFR_2PI 6.28318530717958647692
/* pi to long double's precision (x87: 64-bit mantissa; more digits than
 * any long double holds) */
#define TFR_PIL 3.14159265358979323846264338327950288L

/* a * b, or 0 when the product would overflow size_t (callers treat 0 as
 * an allocation failure). */
static inline size_t tfr_size_mul(size_t a, size_t b)
{
	if (a && b > SIZE_MAX / a)
		return 0;
	return a * b;
}

/* A float's bits, and back (memcpy keeps to the aliasing rules and
 * compiles to a move): for values >= 0, not NaN, the bits are in the
 * order of the values, so that compares and a max can be integer
 * operations. */
static inline uint32_t tfr_float_bits(float f)
{
	uint32_t u;
	memcpy(&u, &f, sizeof u);
	return u;
}

static inline float tfr_bits_float(uint32_t u)
{
	float f;
	memcpy(&f, &u, sizeof f);
	return f;
}

/* Make the array *buf (*cap elements of size bytes) hold at least need
 * elements, doubling its capacity: TFR_OK, or TFR_ENOMEM with *buf and
 * *cap unchanged. */
int tfr_grow(void **buf, size_t *cap, size_t need, size_t size);

#endif
