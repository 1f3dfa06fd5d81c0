/*
 * tfr_picture.h - pictures of time-frequency matrices (I/O module):
 * levels on a dB scale, colour maps, several layers as the R, G, B of one
 * picture or as panels stacked top to bottom, written as PNG row by row.
 *
 * A layer is a matrix of width x height non-negative values (energies),
 * stored column by column: value (x, y) at layer[x * height + y], x the
 * time from left to right, y the row from the top. This is the layout of
 * tfr_hyper's histogram (time-major, frequency descending).
 */
#ifndef TFR_PICTURE_H
#define TFR_PICTURE_H

#include <stddef.h>
#include <stdio.h>

#include "tfr_base.h"
#include "tfr_png.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct {
	size_t width, height;      /* of every layer */
	const float *const *layers;
	size_t nlayers;            /* >= 1 */
	int rgb;                   /* 3 layers as R, G, B (each grey level of
	                              its own layer); else stacked panels */
	double range_db;           /* dynamic range shown (80) */
	double ref;                /* the value drawn at full level: 0 for
	                              each layer's own maximum (default) */
	tfr_colormap colormap;     /* for panels (inferno) */
} tfr_picture_params;

void tfr_picture_params_default(tfr_picture_params *p);
int tfr_picture_check(const tfr_picture_params *p, tfr_diag *d);

/* Write the picture as PNG on f (not closed here): width x (height x
 * panels) pixels. TFR_OK, or a code with the reason in d. */
int tfr_picture_write_png(FILE *f, const tfr_picture_params *p, tfr_diag *d);

#ifdef __cplusplus
}
#endif

#endif /* TFR_PICTURE_H */
