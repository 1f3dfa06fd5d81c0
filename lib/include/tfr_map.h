/*
 * tfr_map.h - frequency maps as text (I/O module: parsing only, no DSP).
 *
 * A map is a list of breakpoints (frequency in Hz, value), optionally
 * grouped into keys that start at given times (s). Two sources:
 *  - inline text "F:V,F:V,..." (e.g. "0:0.05,2000:0.3,8000:0.8"), or a
 *    single number V meaning the same value at every frequency;
 *  - a text file of "freq value" lines, or "time freq value" lines for a
 *    map that changes while the sound plays. '#' starts a comment; blank
 *    lines are ignored; all data lines have the same number of columns.
 * Frequencies are >= 0 and non-decreasing within a key (an equal pair is
 * a step); times are >= 0 and non-decreasing. Every breakpoint keeps the
 * place it came from (line and column, 1-based) so that callers checking
 * values can name the position in their messages.
 */
#ifndef TFR_MAP_H
#define TFR_MAP_H

#include <stddef.h>
#include <stdio.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct {
	int timed;          /* 1 when the source had a time column */
	size_t nkeys;       /* >= 1 */
	double *key_time;   /* [nkeys], s (0 for an untimed map) */
	size_t *key_first;  /* [nkeys + 1]: key i is points
	                       key_first[i] .. key_first[i+1]-1 */
	size_t npoints;
	double *freq;       /* [npoints], Hz */
	double *value;      /* [npoints] */
	size_t *line;       /* [npoints], 1-based (1 for inline maps) */
	size_t *col;        /* [npoints], 1-based column of the value */
} tfr_map;

/*
 * Parse inline text. On failure returns TFR_EFORMAT (or TFR_ENOMEM) and
 * writes "column C: reason" into msg.
 */
int tfr_map_parse(const char *text, tfr_map **map, char *msg,
                  size_t msgsize);

/* Read a map file; on failure msg gets "line L, column C: reason". */
int tfr_map_read(FILE *fp, tfr_map **map, char *msg, size_t msgsize);

void tfr_map_free(tfr_map *map);

#ifdef __cplusplus
}
#endif

#endif /* TFR_MAP_H */
