/*
 * tfr_freqmap.h - breakpoint maps over frequency (DSP core: plain data
 * and sampling onto FFT bins). A map is a list of breakpoints (frequency
 * in Hz, value), grouped into keys that start at given times (s): a map
 * may change while the sound plays. The text forms users write are read
 * by tfr_map.h (I/O); every breakpoint remembers where it came from so
 * that a check of its value can point at it.
 */
#ifndef TFR_FREQMAP_H
#define TFR_FREQMAP_H

#include <stddef.h>

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
	double *freq;       /* [npoints], Hz, non-decreasing within a key */
	double *value;      /* [npoints] */
	size_t *line;       /* [npoints], 1-based line, 0 for inline text */
	size_t *col;        /* [npoints], 1-based column of the value */
} tfr_freqmap;

void tfr_freqmap_free(tfr_freqmap *map);

/*
 * out[k] for bin k = 0 .. fft_size/2, at frequency k * sample_rate /
 * fft_size: linear interpolation between the breakpoints (freq[] non-
 * decreasing, n >= 1), constant beyond the first and last. At a step
 * (two equal frequencies) the later value holds from that frequency on.
 * Returns TFR_OK or TFR_EINVAL.
 */
int tfr_freqmap_fill(const double *freq, const double *value, size_t n,
                     double sample_rate, size_t fft_size, double *out);

#ifdef __cplusplus
}
#endif

#endif /* TFR_FREQMAP_H */
