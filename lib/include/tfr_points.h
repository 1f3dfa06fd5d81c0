/*
 * tfr_points.h - the "points" stream (kind "points", version 1): one
 * reassigned STFT cell per line, columns
 *   frame bin time freq amp phase mixed
 * (see tfr_records.h for their meaning and tfr(5) for the format).
 */
#ifndef TFR_POINTS_H
#define TFR_POINTS_H

#include <stddef.h>

#include "tfr_records.h"
#include "tfr_text.h"

#ifdef __cplusplus
extern "C" {
#endif

#define TFR_POINTS_KIND "points"
#define TFR_POINTS_VERSION 1
#define TFR_POINTS_NCOLUMNS 7

extern const char *const tfr_points_columns[TFR_POINTS_NCOLUMNS];

/* Longest line tfr_points_write produces. */
#define TFR_POINTS_LINE_MAX 256

/* Header with the given metadata. TFR_OK or TFR_EIO. */
int tfr_points_write_header(tfr_text_writer *w, const tfr_meta *meta);

/*
 * n points, one line each: time with 9 decimals (ns), frequency with 6
 * (uHz), amp, phase and mixed with 9 significant digits (exact round trip
 * of the float values). TFR_OK or TFR_EIO.
 */
int tfr_points_write(tfr_text_writer *w, const tfr_point *p, size_t n);

/* Check kind, version, columns and the metadata the points need
 * (sample_rate > 0). TFR_OK or TFR_EFORMAT/TFR_EEOF/TFR_EIO. */
int tfr_points_read_header(tfr_text_reader *r);

/* Next point: 1, 0 at the end, or a negative code with a message
 * ("LABEL:LINE: bin: -3 is not a non-negative integer"). */
int tfr_points_read(tfr_text_reader *r, tfr_point *p);

#ifdef __cplusplus
}
#endif

#endif
