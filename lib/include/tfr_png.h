/*
 * tfr_png.h - PNG writer (I/O, libpng). The colour maps that turn a
 * level into a colour belong to the drawing of pictures (tfr_picture.h).
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

/* Before the first row: pixels packed for speed (no row filter, zlib
 * level 1) rather than libpng's defaults (adaptive filters, level 6),
 * for large pictures of noisy data such as spectrograms: the same
 * pixels in about half the instructions, and (on spectrograms) a file
 * some 15 % smaller. TFR_OK or TFR_EIO. */
int tfr_png_set_fast(tfr_png *png);

/* One row of width RGB triples, top row first. TFR_OK or TFR_EIO. */
int tfr_png_write_row(tfr_png *png, const uint8_t *rgb);

/* Finish (after height rows) and free. TFR_OK or TFR_EIO; the object is
 * freed either way; NULL is allowed. */
int tfr_png_close(tfr_png *png);

#ifdef __cplusplus
}
#endif

#endif /* TFR_PNG_H */
