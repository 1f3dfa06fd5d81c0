/*
 * level_steps.c - a layer's colours as steps over its values (see
 * level_steps.h).
 *
 * The steps are found on the values themselves, not on a formula for
 * them: positive floats ordered as their bit patterns, the exact colour
 * (tfr_level_db, then tfr_colormap_rgb) sampled on a grid of 4096 cells
 * from 3 dB below the range to 3 dB above the reference, and each
 * change located by bisection to the float where it happens (the level
 * grows with the value, and a colour map does not come back to a colour
 * it has left, so "not the colour at the cell's start" is false, then
 * true: the bisection's premise; the grid, some 0.02 dB of 80 dB, only
 * bounds its steps). A pixel's colour is then the exact one for every
 * float value (test_picture checks 2^20 consecutive floats and a stride
 * through all of them, for each map).
 */
#include "level_steps.h"

#include "tfr_base.h"
#include "internal.h"

#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

enum {
	GRID = 4096,
	SHIFT = 16        /* a bucket of the index: 1/128 octave, 0.024 dB */
};

struct tfr_level_steps {
	tfr_colormap map;
	double ref, range_db;
	size_t n, cap;
	float *from;               /* step i holds from[i] <= v; from[0] -inf */
	uint8_t (*rgb)[3];
	uint32_t *first;           /* bucket k (positive floats of bits
	                              k << SHIFT on): its first step */
	size_t nbuckets;
};

/* The colour the steps stand for. */
static void exact(const tfr_level_steps *s, uint32_t b, uint8_t rgb[3])
{
	tfr_colormap_rgb(s->map, tfr_level_db(tfr_bits_float(b), s->ref, s->range_db), rgb);
}

static int push(tfr_level_steps *s, float from, const uint8_t rgb[3])
{
	if (s->n == s->cap) {
		size_t cap = s->cap ? 2 * s->cap : 1024;
		float *f = realloc(s->from, cap * sizeof *f);
		if (f)
			s->from = f;
		uint8_t (*c)[3] = f ? realloc(s->rgb, cap * sizeof *c) : NULL;
		if (!c)
			return TFR_ENOMEM;
		s->rgb = c;
		s->cap = cap;
	}
	s->from[s->n] = from;
	memcpy(s->rgb[s->n++], rgb, 3);
	return TFR_OK;
}

/* The steps in (lo, hi], whose colour at lo is *cur (updated). */
static int steps_in(tfr_level_steps *s, uint32_t lo, uint32_t hi, uint8_t cur[3])
{
	uint8_t c[3];
	exact(s, hi, c);
	while (memcmp(c, cur, 3)) {
		/* the first float after lo whose colour is not cur */
		uint32_t l = lo, h = hi;
		while (h - l > 1) {
			uint32_t m = l + (h - l) / 2;
			uint8_t cm[3];
			exact(s, m, cm);
			if (memcmp(cm, cur, 3))
				h = m;
			else
				l = m;
		}
		exact(s, h, cur);
		if (push(s, tfr_bits_float(h), cur))
			return TFR_ENOMEM;
		lo = h;
	}
	return TFR_OK;
}

/* The index: a value's bits to the step of its bucket's first value. */
static int make_index(tfr_level_steps *s)
{
	s->nbuckets = (size_t)(tfr_float_bits(s->from[s->n - 1]) >> SHIFT) + 1;
	if (!(s->first = malloc(s->nbuckets * sizeof *s->first)))
		return TFR_ENOMEM;
	size_t i = 0;
	for (size_t k = 0; k < s->nbuckets; k++) {
		float v = tfr_bits_float((uint32_t)k << SHIFT);
		while (i + 1 < s->n && s->from[i + 1] <= v)
			i++;
		s->first[k] = (uint32_t)i;
	}
	return TFR_OK;
}

tfr_level_steps *tfr_level_steps_new(tfr_colormap map, double ref, double range_db)
{
	tfr_level_steps *s = calloc(1, sizeof *s);
	if (!s)
		return NULL;
	*s = (tfr_level_steps){ .map = map, .ref = ref, .range_db = range_db };
	uint8_t cur[3];
	exact(s, 0, cur);  /* of 0, and of negative and NaN values */
	int e = push(s, -INFINITY, cur);
	if (!e && ref > 0 && ref <= FLT_MAX && range_db > 0) {
		/* bit patterns of positive floats are in their order */
		uint32_t a = tfr_float_bits((float)(ref * pow(10, -(range_db + 3) / 10)));
		uint32_t b = tfr_float_bits((float)fmin(2 * ref, FLT_MAX));
		uint32_t lo = 0;
		for (uint64_t i = 0; !e && i <= GRID && a <= b; i++) {
			uint32_t hi = a + (uint32_t)((uint64_t)(b - a) * i / GRID);
			if (hi > lo)
				e = steps_in(s, lo, hi, cur);
			lo = hi;
		}
	}
	if (!e)
		e = make_index(s);
	if (e) {
		tfr_level_steps_free(s);
		return NULL;
	}
	return s;
}

const uint8_t *tfr_level_steps_rgb(const tfr_level_steps *s, float v)
{
	/* the last step with from <= v: 0 for v <= 0 and NaN, the last
	   beyond the index (its last bucket holds the last step), else
	   from the first of v's bucket (a bucket is narrower than most
	   steps: rarely a step more) */
	if (!(v > 0))
		return s->rgb[0];
	size_t k = tfr_float_bits(v) >> SHIFT;
	if (k >= s->nbuckets)
		return s->rgb[s->n - 1];
	size_t i = s->first[k];
	while (i + 1 < s->n && s->from[i + 1] <= v)
		i++;
	return s->rgb[i];
}

void tfr_level_steps_free(tfr_level_steps *s)
{
	if (!s)
		return;
	free(s->from);
	free(s->rgb);
	free(s->first);
	free(s);
}
