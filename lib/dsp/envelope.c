/*
 * envelope.c - breakpoint functions of time: evaluation and checks
 * (see tfr_envelope.h).
 */
#include "tfr_base.h"
#include "tfr_envelope.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

void tfr_envelope_free(tfr_envelope *e)
{
	if (!e)
		return;
	free(e->x);
	free(e->y);
	free(e->line);
	free(e->xcol);
	free(e->ycol);
	free(e);
}

/* An envelope with room for n points, zeroed. */
static tfr_envelope *alloc(size_t n)
{
	tfr_envelope *e = calloc(1, sizeof *e);
	if (!e)
		return NULL;
	e->n = n;
	e->x = calloc(n, sizeof *e->x);
	e->y = calloc(n, sizeof *e->y);
	e->line = calloc(n, sizeof *e->line);
	e->xcol = calloc(n, sizeof *e->xcol);
	e->ycol = calloc(n, sizeof *e->ycol);
	if (!e->x || !e->y || !e->line || !e->xcol || !e->ycol) {
		tfr_envelope_free(e);
		return NULL;
	}
	return e;
}

tfr_envelope *tfr_envelope_new(const double *x, const double *y, size_t n,
                               tfr_diag *d)
{
	tfr_diag_clear(d);
	if (n == 0 || !x || !y) {
		tfr_diag_set(d, TFR_EINVAL, "an envelope needs a point");
		return NULL;
	}
	for (size_t i = 0; i < n; i++) {
		if (!isfinite(x[i]) || !isfinite(y[i])) {
			tfr_diag_setf(d, TFR_EINVAL, "point %zu is not finite", i + 1);
			return NULL;
		}
		if (i && x[i] < x[i - 1]) {
			tfr_diag_setf(d, TFR_EINVAL, "point %zu: x %g after %g: x must "
			              "not decrease", i + 1, x[i], x[i - 1]);
			return NULL;
		}
	}
	tfr_envelope *e = alloc(n);
	if (!e) {
		tfr_diag_set(d, TFR_ENOMEM, "out of memory");
		return NULL;
	}
	e->timed = 1;
	memcpy(e->x, x, n * sizeof *x);
	memcpy(e->y, y, n * sizeof *y);
	return e;
}

tfr_envelope *tfr_envelope_copy(const tfr_envelope *src)
{
	tfr_envelope *e = alloc(src->n);
	if (!e)
		return NULL;
	e->timed = src->timed;
	memcpy(e->x, src->x, src->n * sizeof *e->x);
	memcpy(e->y, src->y, src->n * sizeof *e->y);
	memcpy(e->line, src->line, src->n * sizeof *e->line);
	memcpy(e->xcol, src->xcol, src->n * sizeof *e->xcol);
	memcpy(e->ycol, src->ycol, src->n * sizeof *e->ycol);
	return e;
}

double tfr_envelope_at(const tfr_envelope *e, double x)
{
	size_t n = e->n;
	if (!(x >= e->x[0]))
		return e->y[0];
	if (x >= e->x[n - 1])
		return e->y[n - 1];
	/* the last point at or before x: x[lo] <= x < x[hi] */
	size_t lo = 0, hi = n - 1;
	while (hi - lo > 1) {
		size_t mid = lo + (hi - lo) / 2;
		if (e->x[mid] <= x)
			lo = mid;
		else
			hi = mid;
	}
	double u = (x - e->x[lo]) / (e->x[hi] - e->x[lo]);
	return e->y[lo] + u * (e->y[hi] - e->y[lo]);
}

int tfr_envelope_is_constant(const tfr_envelope *e, double v)
{
	for (size_t i = 0; i < e->n; i++)
		if (e->y[i] != v)
			return 0;
	return 1;
}

void tfr_envelope_extent(const tfr_envelope *e, double *lo, double *hi)
{
	*lo = *hi = e->y[0];
	for (size_t i = 1; i < e->n; i++) {
		*lo = fmin(*lo, e->y[i]);
		*hi = fmax(*hi, e->y[i]);
	}
}

int tfr_envelope_check_range(const tfr_envelope *e, double min, double max,
                             const char *what, tfr_diag *d)
{
	tfr_diag_clear(d);
	for (size_t i = 0; i < e->n; i++)
		if (!(e->y[i] >= min && e->y[i] <= max)) {
			tfr_diag_setf(d, TFR_EINVAL, "%s %g is out of range [%g, %g]",
			              what, e->y[i], min, max);
			tfr_diag_at(d, (long)e->line[i], (long)e->ycol[i]);
			return TFR_EINVAL;
		}
	return TFR_OK;
}

int tfr_envelope_check_increasing(const tfr_envelope *e, const char *xwhat,
                                  const char *ywhat, tfr_diag *d)
{
	tfr_diag_clear(d);
	for (size_t i = 1; i < e->n; i++) {
		if (!(e->x[i] > e->x[i - 1])) {
			tfr_diag_setf(d, TFR_EINVAL, "%s %g after %g: %ss must increase",
			              xwhat, e->x[i], e->x[i - 1], xwhat);
			tfr_diag_at(d, (long)e->line[i], (long)e->xcol[i]);
			return TFR_EINVAL;
		}
		if (!(e->y[i] > e->y[i - 1])) {
			tfr_diag_setf(d, TFR_EINVAL, "%s %g after %g: %ss must increase",
			              ywhat, e->y[i], e->y[i - 1], ywhat);
			tfr_diag_at(d, (long)e->line[i], (long)e->ycol[i]);
			return TFR_EINVAL;
		}
	}
	return TFR_OK;
}
