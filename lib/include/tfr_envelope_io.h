/*
 * tfr_envelope_io.h - envelopes over time as text (I/O module: parsing
 * only), read into tfr_envelope (tfr_envelope.h). The same two sources
 * and rules as the frequency maps of tfr_map.h:
 *  - inline text "X:Y,X:Y,..." (e.g. "0:0,1.5:700,2s:-300"), or a single
 *    value Y meaning the same value at every time;
 *  - a text file of "X Y" lines. '#' starts a comment; blank lines are
 *    ignored.
 * X is read in the grammar of xkind and Y in that of ykind
 * (tfr_map_values: plain numbers, times in seconds (bare, s or ms), or
 * levels in dB); a time is never negative, and X never decreases (an
 * equal pair is a step). The file limits are tfr_map.h's. Errors carry
 * the position of the fault (line and column for files, column for
 * inline text) in the diag.
 */
#ifndef TFR_ENVELOPE_IO_H
#define TFR_ENVELOPE_IO_H

#include <stdio.h>

#include "tfr_base.h"
#include "tfr_envelope.h"
#include "tfr_map.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Parse inline text. TFR_OK, TFR_EFORMAT or TFR_ENOMEM (reason in d). */
int tfr_envelope_parse(const char *text, tfr_map_values xkind,
                       tfr_map_values ykind, tfr_envelope **env,
                       tfr_diag *d);

/* Read an envelope file. TFR_OK, TFR_EFORMAT, TFR_EIO or TFR_ENOMEM. */
int tfr_envelope_read(FILE *fp, tfr_map_values xkind, tfr_map_values ykind,
                      tfr_envelope **env, tfr_diag *d);

#ifdef __cplusplus
}
#endif

#endif /* TFR_ENVELOPE_IO_H */
