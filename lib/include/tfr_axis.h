/*
 * tfr_axis.h - the geometry of one axis of a picture or matrix: n cells
 * (columns or rows), the value at the centre of the first and the last,
 * spaced evenly in the value (linear) or in its logarithm (log). Shared
 * by the splatting of records onto a grid (tfr_splat.h) and the drawing
 * of pictures (tfr_picture.h), so that both agree on where a value lies.
 *
 * Positions are continuous cell indexes: cell i is centred on position i
 * and covers [i - 1/2, i + 1/2). The first value may be above the last (a
 * frequency axis drawn from the top row down).
 */
#ifndef TFR_AXIS_H
#define TFR_AXIS_H

#include <math.h>
#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef enum {
	TFR_AXIS_LINEAR,
	TFR_AXIS_LOG     /* values > 0 */
} tfr_axis_scale;

typedef struct {
	double first, last;    /* values at the centres of cells 0 and n - 1 */
	size_t n;              /* cells, >= 2 */
	tfr_axis_scale scale;
} tfr_axis;

/* The axis of n cells that tile [lo, hi) (edges, lo may be above hi):
 * the cells' centres are half a cell inside the edges. */
static inline tfr_axis tfr_axis_from_edges(double lo, double hi, size_t n,
                                           tfr_axis_scale scale)
{
	tfr_axis a = { lo, hi, n, scale };
	if (scale == TFR_AXIS_LOG) {
		double r = log(hi / lo) / (double)n;
		a.first = lo * exp(r / 2);
		a.last = hi * exp(-r / 2);
	} else {
		double d = (hi - lo) / (double)n;
		a.first = lo + d / 2;
		a.last = hi - d / 2;
	}
	return a;
}

/* 1 when the axis can map values: n >= 2, first != last, both finite
 * (and > 0 on a log axis). */
static inline int tfr_axis_valid(const tfr_axis *a)
{
	if (a->n < 2 || !isfinite(a->first) || !isfinite(a->last) ||
	    a->first == a->last)
		return 0;
	return a->scale != TFR_AXIS_LOG || (a->first > 0 && a->last > 0);
}

/* The position of value v (NaN for v <= 0 on a log axis). */
static inline double tfr_axis_pos(const tfr_axis *a, double v)
{
	double span = (double)(a->n - 1);
	if (a->scale == TFR_AXIS_LOG)
		return v > 0 ? span * log(v / a->first) / log(a->last / a->first)
		             : NAN;
	return span * (v - a->first) / (a->last - a->first);
}

/* The value at position p. */
static inline double tfr_axis_value(const tfr_axis *a, double p)
{
	double u = p / (double)(a->n - 1);
	if (a->scale == TFR_AXIS_LOG)
		return a->first * pow(a->last / a->first, u);
	return a->first + u * (a->last - a->first);
}

/* The values at the outer edges of the first and last cells. */
static inline double tfr_axis_edge_first(const tfr_axis *a)
{
	return tfr_axis_value(a, -0.5);
}

static inline double tfr_axis_edge_last(const tfr_axis *a)
{
	return tfr_axis_value(a, (double)a->n - 0.5);
}

#ifdef __cplusplus
}
#endif

#endif /* TFR_AXIS_H */
