/*
 * tfr_wola.h - streaming weighted overlap-add STFT / inverse STFT with
 * perfect reconstruction (DSP core, one channel, bounded memory).
 *
 * Each call to tfr_wola_analyze() takes hop new samples and returns the
 * spectrum of the latest fft_size samples, weighted by the analysis
 * window w. tfr_wola_synthesize() inverts a spectrum, weights it with the
 * synthesis window and overlap-adds it, giving hop finished samples.
 *
 * The synthesis window is g[n] = w[n] / env[n mod hop], with
 * env = sum over frames of w^2 (the "window_sumsquare" envelope), so
 * that analysis followed by synthesis is the identity for any window
 * whose envelope is non-zero: sum_m w*g = 1 at every sample. For the
 * periodic Hann window this holds for every hop <= fft_size / 2.
 *
 * Latency: the hop samples returned by the b-th synthesis (b = 0, 1, ...)
 * are the input samples b*hop - (fft_size - hop) ... , i.e. the output
 * stream is the input stream delayed by exactly fft_size - hop samples
 * (the minimum for STFT overlap-add with hop-sized blocks). Spectra use
 * frame-local phase, so taking bin k of an older frame m - d delays that
 * band by exactly d*hop samples.
 *
 * Spectra are arrays of 2*bins floats (re, im interleaved), bins =
 * fft_size/2 + 1, scaled like an unnormalised DFT of the windowed frame.
 */
#ifndef TFR_WOLA_H
#define TFR_WOLA_H

#include <stddef.h>

#include "tfr_base.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct tfr_wola tfr_wola;

typedef struct {
	size_t fft_size;      /* N: even, >= 2 */
	size_t hop;           /* H: 1 <= H <= N */
	const double *window; /* N analysis window samples, or NULL for the
	                         periodic Hann window; copied by _new */
} tfr_wola_params;

/* N = 2048, H = 512, periodic Hann. */
void tfr_wola_params_default(tfr_wola_params *p);

/* TFR_OK, or TFR_EINVAL with what is wrong with the sizes in d. */
int tfr_wola_check(const tfr_wola_params *p, tfr_diag *d);

/*
 * NULL on failure with the reason in d: TFR_EINVAL for bad sizes or a
 * window whose overlap envelope comes near zero somewhere (no exact
 * inverse), TFR_ENOMEM.
 */
tfr_wola *tfr_wola_new(const tfr_wola_params *p, tfr_diag *d);

size_t tfr_wola_bins(const tfr_wola *w);
size_t tfr_wola_hop(const tfr_wola *w);
size_t tfr_wola_fft_size(const tfr_wola *w);
/* fft_size - hop samples. */
size_t tfr_wola_latency(const tfr_wola *w);

/*
 * Take hop samples x[0], x[stride], ... and write the spectrum of the
 * latest fft_size samples to spec[2*bins].
 */
void tfr_wola_analyze(tfr_wola *w, const float *x, size_t stride,
                      float *spec);

/*
 * The hop input samples that the next tfr_wola_synthesize() output
 * corresponds to (the input delayed by the latency), untouched: a dry
 * path aligned with the wet one. Valid until the next analyze.
 */
const float *tfr_wola_dry(const tfr_wola *w);

/*
 * Overlap-add the inverse of spec[2*bins] and write the hop finished
 * samples to y[0], y[stride], ... (spec is not modified).
 */
void tfr_wola_synthesize(tfr_wola *w, const float *spec, float *y,
                         size_t stride);

/*
 * As tfr_wola_synthesize, but spec is scratch: the inverse transform may
 * overwrite it (no copy of it is made).
 */
void tfr_wola_synthesize_scratch(tfr_wola *w, float *spec, float *y,
                                 size_t stride);

/* Forget all input (back to silence). */
void tfr_wola_reset(tfr_wola *w);

void tfr_wola_free(tfr_wola *w);

#ifdef __cplusplus
}
#endif

#endif /* TFR_WOLA_H */
