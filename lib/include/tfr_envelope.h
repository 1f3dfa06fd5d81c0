/*
 * tfr_envelope.h - breakpoint functions of time (DSP core: plain data
 * and evaluation). An envelope is a list of points (x, y), x
 * nondecreasing: a value that changes while the sound plays (a pitch
 * shift in cents, a gain in dB, a morph weight in [0, 1]) or a map of
 * times onto times (Dilator markers: source time -> target time).
 * Between points it is linear; before the first and after the last it
 * keeps the end's value; at a step (two points with the same x) the
 * later value holds from x on. One point is a constant.
 *
 * The text forms users write ("x:y,x:y" inline, or "x y" lines in a
 * file) are read by tfr_envelope_io.h (I/O); every point remembers where
 * it came from, so that a check of its value can point at it (line and
 * column; 0 for points a program made).
 */
#ifndef TFR_ENVELOPE_H
#define TFR_ENVELOPE_H

#include <stddef.h>

#include "tfr_base.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct {
	int timed;        /* 1 when the source gave x values ("x:y"); 0 for a
	                     bare constant ("700") */
	size_t n;         /* >= 1 */
	double *x;        /* [n], nondecreasing */
	double *y;        /* [n] */
	size_t *line;     /* [n], 1-based line of the point, 0 inline */
	size_t *xcol;     /* [n], 1-based column of x, 0 when none */
	size_t *ycol;     /* [n], 1-based column of y, 0 when none */
} tfr_envelope;

/* An envelope of the n points (x[i], y[i]) (copied; no positions):
 * NULL with TFR_EINVAL in d when n is 0, a value is not finite or x
 * decreases, TFR_ENOMEM. */
tfr_envelope *tfr_envelope_new(const double *x, const double *y, size_t n,
                               tfr_diag *d);
/* A deep copy, positions included (NULL: out of memory). */
tfr_envelope *tfr_envelope_copy(const tfr_envelope *e);
void tfr_envelope_free(tfr_envelope *e);

/* The value at x (linear between points, the ends' values beyond). */
double tfr_envelope_at(const tfr_envelope *e, double x);

/* 1 when every point's value is v (the envelope is the constant v). */
int tfr_envelope_is_constant(const tfr_envelope *e, double v);

/* The smallest and largest value of the points. */
void tfr_envelope_extent(const tfr_envelope *e, double *lo, double *hi);

/*
 * TFR_OK when every value lies in [min, max]; else TFR_EINVAL with
 * "WHAT V is out of range [MIN, MAX]" at the first bad point's line and
 * value column in d.
 */
int tfr_envelope_check_range(const tfr_envelope *e, double min, double max,
                             const char *what, tfr_diag *d);

/*
 * TFR_OK when both x and y strictly increase (a map of times onto times:
 * markers); else TFR_EINVAL with "XWHAT V after W: ..." or "YWHAT ..."
 * at the point and field that does not (xwhat, ywhat: "source time",
 * "target time").
 */
int tfr_envelope_check_increasing(const tfr_envelope *e, const char *xwhat,
                                  const char *ywhat, tfr_diag *d);

#ifdef __cplusplus
}
#endif

#endif /* TFR_ENVELOPE_H */
