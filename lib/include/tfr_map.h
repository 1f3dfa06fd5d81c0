/*
 * tfr_map.h - frequency maps as text (I/O module: parsing only, no DSP),
 * read into tfr_freqmap (tfr_freqmap.h). Two sources:
 *  - inline text "F:V,F:V,..." (e.g. "0:50ms,2kHz:0.3,8kHz:0.8"), or a
 *    single value V meaning the same value at every frequency;
 *  - a text file of "freq value" lines, or "time freq value" lines for a
 *    map that changes while the sound plays. '#' starts a comment; blank
 *    lines are ignored; all data lines have the same number of columns.
 * Frequencies are in Hz (bare, Hz, k or kHz: tfr_units.h), >= 0 and
 * non-decreasing within a key (an equal pair is a step); times are
 * seconds (bare, s or ms), >= 0 and non-decreasing. Values are read in
 * the unit grammar of their kind. Errors carry the position of the fault
 * (line and column for files, column for inline text) in the diag.
 */
#ifndef TFR_MAP_H
#define TFR_MAP_H

#include <stddef.h>
#include <stdio.h>

#include "tfr_base.h"
#include "tfr_freqmap.h"

#ifdef __cplusplus
extern "C" {
#endif

/* What a map's values are. */
typedef enum {
	TFR_MAP_NUMBER,   /* plain numbers (feedback, factors, frames) */
	TFR_MAP_TIME,     /* seconds: bare, or with s or ms */
	TFR_MAP_LEVEL     /* dB: bare, or with dB */
} tfr_map_values;

/* Longest map file line (TFR_MAP_MAX_LINE - 1 bytes before its
 * newline), most breakpoints in one map, and the most bytes a map file
 * may have: a file that is no map (/dev/zero, /dev/urandom, an endless
 * pipe) is refused, not read without end. */
#define TFR_MAP_MAX_LINE 4096
#define TFR_MAP_MAX_POINTS (1 << 20)
#define TFR_MAP_MAX_BYTES (1 << 26)

/* Parse inline text. TFR_OK, TFR_EFORMAT or TFR_ENOMEM (reason in d). */
int tfr_map_parse(const char *text, tfr_map_values values,
                  tfr_freqmap **map, tfr_diag *d);

/* Read a map file. TFR_OK, TFR_EFORMAT, TFR_EIO or TFR_ENOMEM. */
int tfr_map_read(FILE *fp, tfr_map_values values, tfr_freqmap **map,
                 tfr_diag *d);

#ifdef __cplusplus
}
#endif

#endif /* TFR_MAP_H */
