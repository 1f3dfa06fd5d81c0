/*
 * tfr_freqmap.h - a breakpoint map over frequency sampled onto FFT bins
 * (DSP core).
 */
#ifndef TFR_FREQMAP_H
#define TFR_FREQMAP_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

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
