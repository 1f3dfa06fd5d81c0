/*
 * tfr_png.h - PNG writer (I/O, libpng) and the colour maps used to turn
 * a level in [0, 1] into a colour (lib/colormap.c).
 *
 * The writer is row by row, so a picture never needs to exist as a
 * whole RGB buffer; text chunks (the picture's geometry and provenance)
 * go before the pixels.
 */
#ifndef TFR_PNG_H
#define TFR_PNG_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "tfr_meta.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct tfr_png tfr_png;

/* Start an 8-bit RGB PNG of width x height on f (not closed here).
 * Returns TFR_OK, TFR_EINVAL, TFR_ENOMEM or TFR_EIO. */
int tfr_png_open(tfr_png **png, FILE *f, size_t width, size_t height);

/* The same with a text chunk per entry of text (NULL: none), before the
 * pixels: tEXt for ASCII values, iTXt (UTF-8) for others. Keys are 1 to
 * 79 printable ASCII characters (TFR_EINVAL otherwise). */
int tfr_png_open_text(tfr_png **png, FILE *f, size_t width, size_t height,
                      const tfr_meta *text);

/* One row of width RGB triples, top row first. TFR_OK or TFR_EIO. */
int tfr_png_write_row(tfr_png *png, const uint8_t *rgb);

/* Finish (after height rows) and free. TFR_OK or TFR_EIO; the object is
 * freed either way; NULL is allowed. */
int tfr_png_close(tfr_png *png);

/* Colour maps: t in [0, 1] (clamped) to 8-bit RGB. */
typedef enum {
	TFR_COLORMAP_INFERNO,  /* black - purple - orange - yellow */
	TFR_COLORMAP_VIRIDIS,  /* blue - green - yellow */
	TFR_COLORMAP_GRAY,     /* black - white */
	TFR_COLORMAP_PRINT     /* white - black: black on white, for print */
} tfr_colormap;

void tfr_colormap_rgb(tfr_colormap map, double t, uint8_t rgb[3]);

/* Parse "inferno", "viridis", "gray" (or "grey") or "print": TFR_OK or
 * TFR_EINVAL. */
int tfr_colormap_parse(const char *name, tfr_colormap *map);

/*
 * Level of value v on a logarithmic scale: 1 at vmax, 0 at range_db
 * decibels (10 log10, an energy) below it or less (and for v <= 0).
 */
double tfr_level_db(double v, double vmax, double range_db);

#ifdef __cplusplus
}
#endif

#endif /* TFR_PNG_H */
