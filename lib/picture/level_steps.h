/*
 * level_steps.h - a layer's colours as steps over its values (private to
 * libtfr): the colour of a value v is
 *   tfr_colormap_rgb(map, tfr_level_db(v, ref, range_db)),
 * a log10 and three polynomials a pixel. That colour changes at a few
 * hundred values only (8 bits a channel), so the values where it
 * changes are found once per figure layer, and each pixel is a search
 * among them: the same colours, in a fraction of the work.
 */
#ifndef TFR_LEVEL_STEPS_H
#define TFR_LEVEL_STEPS_H

#include <stddef.h>
#include <stdint.h>

#include "tfr_picture.h"

typedef struct tfr_level_steps tfr_level_steps;

/* The steps of map for a layer of reference ref and range range_db (as
 * tfr_level_db takes them); NULL when out of memory. */
tfr_level_steps *tfr_level_steps_new(tfr_colormap map, double ref, double range_db);

/* The colour of value v: that of tfr_colormap_rgb(map,
 * tfr_level_db(v, ref, range_db)). */
const uint8_t *tfr_level_steps_rgb(const tfr_level_steps *s, float v);

void tfr_level_steps_free(tfr_level_steps *s);

#endif
