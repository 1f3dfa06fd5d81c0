/*
 * tfr_splat.h - records onto a time-frequency grid (DSP core: arrays in,
 * an array out). The grid is the matrix a picture draws (tfr_picture.h):
 * width x height energies, column by column, value (x, y) at
 * grid[x * height + y], x the time from the left, y the frequency row
 * from the top.
 *
 * A pixel keeps the largest energy splatted on it, not the sum: a
 * sinusoid of amplitude A then reads A^2 (20 log10 A dBFS) whatever the
 * picture's size, the hop or the number of points per frame, so pictures
 * of different sizes and analyses share one level scale.
 */
#ifndef TFR_SPLAT_H
#define TFR_SPLAT_H

#include <stddef.h>

#include "tfr_axis.h"
#include "tfr_base.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct tfr_splat tfr_splat;

typedef struct {
	tfr_axis time;   /* columns: seconds (linear) */
	tfr_axis freq;   /* rows, the first at the top: Hz, linear or log */
} tfr_splat_params;

/* 1000 columns over [0, 1) s, 500 rows over 22050 Hz down to 0 Hz. */
void tfr_splat_params_default(tfr_splat_params *p);
int tfr_splat_check(const tfr_splat_params *p, tfr_diag *d);
tfr_splat *tfr_splat_new(const tfr_splat_params *p, tfr_diag *d);

/* One point at (t, f): the pixel it falls on. */
void tfr_splat_point(tfr_splat *s, double t, double f, float e);

/* A dot of radius r pixels centred on the pixel of (t, f). */
void tfr_splat_dot(tfr_splat *s, double t, double f, float e, double r);

/* A cell covering [t0, t1) x [f0, f1) (an STFT cell: hop by bin): every
 * pixel whose centre it covers, or at least the pixel of its centre. */
void tfr_splat_cell(tfr_splat *s, double t0, double t1, double f0,
                    double f1, float e);

/* The same in two steps, for many cells on one grid (a frame's bins):
 * the columns of [t0, t1) and the rows of [f0, f1) as tfr_splat_cell
 * finds them (0 when the span misses the axis), then a block of them. */
int tfr_splat_columns(const tfr_splat *s, double t0, double t1, long *x0, long *x1);
int tfr_splat_rows(const tfr_splat *s, double f0, double f1, long *y0, long *y1);
void tfr_splat_block(tfr_splat *s, long x0, long x1, long y0, long y1, float e);
/* A frame's n bins at once on columns x0 to x1: bin i, of amplitude
 * amp[i] (energy amp[i]^2; none at 0 or below), on rows rows[i][0] to
 * rows[i][1] (from tfr_splat_rows; -1: none). The same as a block a
 * bin, without a call a bin. */
void tfr_splat_bins(tfr_splat *s, long x0, long x1, const long (*rows)[2],
                    const float *amp, size_t n);

/* A line from (t0, f0) to (t1, f1), one pixel wide, its amplitude
 * (the square root of the energy) interpolated linearly from e0 to e1. */
void tfr_splat_line(tfr_splat *s, double t0, double f0, float e0,
                    double t1, double f1, float e1);

/* The grid (width x height, see above) and its geometry. */
const float *tfr_splat_grid(const tfr_splat *s);
const tfr_splat_params *tfr_splat_geometry(const tfr_splat *s);

/* Empty the grid and move its time axis (the next page): first and last
 * column centres, same number of columns. TFR_OK or TFR_EINVAL. */
int tfr_splat_move(tfr_splat *s, double time_first, double time_last);

/* Empty the grid. */
void tfr_splat_reset(tfr_splat *s);
void tfr_splat_free(tfr_splat *s);

#ifdef __cplusplus
}
#endif

#endif /* TFR_SPLAT_H */
