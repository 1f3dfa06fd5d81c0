/* analyse.h - run framer + reassignment over a whole test signal. */
#ifndef TFR_TEST_ANALYSE_H
#define TFR_TEST_ANALYSE_H

#include "tfr.h"

typedef struct {
	tfr_point *p;
	size_t n, cap;
	int64_t frames;
} point_list;

/* Analyse x[0..len-1] with p; returns the points of every frame (frame
 * major, then bin). Exits on allocation failure. */
point_list analyse_signal(const tfr_reassign_params *p, const float *x,
                          size_t len);

/* The point of (frame, bin), or NULL. */
const tfr_point *find_point(const point_list *l, int64_t frame, int bin);

void point_list_free(point_list *l);

#endif
