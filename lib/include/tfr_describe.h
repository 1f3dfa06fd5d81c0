/*
 * tfr_describe.h - descriptors of a spectrum, frame by frame (DSP core:
 * a power spectrum in, a tfr_descriptor_frame out): spectral centroid,
 * level, flatness and flux, the numbers a spectral effect can follow
 * (tfr-sdelay --describe; the "descriptors" stream kind of tfr(5)).
 *
 * The input of each call is the power |X_k|^2 of the bins k = 0 ... N/2
 * of an unnormalised DFT of a windowed frame of N samples (what
 * tfr_wola_analyze gives). With E = sum of the window's squares, Parseval
 * makes the frame's mean square
 *     ms = (P_0 + P_N/2 + 2 sum_{0<k<N/2} P_k) / (N E)
 * (a sine of amplitude A: A^2 / 2), and the descriptors are
 *     centroid = sum f_k p_k / sum p_k      p_k: the one-sided power
 *     amp      = sqrt(2 ms)
 *     flatness = min(1, e^gamma exp(mean log P_k) / mean P_k), 0<k<N/2
 *     flux     = sqrt(sum max(0, M_k - M'_k)^2 / sum M_k^2), M = sqrt(P),
 *                M' the previous frame's
 * The periodogram of white noise has exponentially distributed bins,
 * whose geometric mean is e^-gamma (gamma = 0.5772..., Euler's constant)
 * times their mean: the factor e^gamma makes white noise read 1 rather
 * than 0.56, and anything flatter (an impulse) is clipped to 1. Bins 0
 * and N/2 are real, not complex, and are left out of the flatness. A
 * bin's power is floored at 1e-12 of the mean (-120 dB) so that a pure
 * tone reads a small number, not 0 by an underflow.
 */
#ifndef TFR_DESCRIBE_H
#define TFR_DESCRIBE_H

#include <stddef.h>

#include "tfr_base.h"
#include "tfr_records.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct tfr_describe tfr_describe;

typedef struct {
	size_t fft_size;       /* N, even, >= 4 (2048) */
	double sample_rate;    /* Hz (44100) */
	double window_energy;  /* sum of the window's squares; 0 (default):
	                          the periodic Hann window's, 3 N / 8 */
} tfr_describe_params;

void tfr_describe_params_default(tfr_describe_params *p);

/* TFR_OK or TFR_EINVAL with what is wrong in d. */
int tfr_describe_check(const tfr_describe_params *p, tfr_diag *d);

tfr_describe *tfr_describe_new(const tfr_describe_params *p, tfr_diag *d);

/*
 * The descriptors of one frame: power[fft_size / 2 + 1], finite and
 * >= 0. Fills out's freq, amp, flatness and flux (time and channel are
 * the caller's). The first frame's flux is against silence. TFR_OK.
 */
int tfr_describe_process(tfr_describe *x, const float *power,
                         tfr_descriptor_frame *out);

/* Forget the previous frame (the next flux is against silence). */
void tfr_describe_reset(tfr_describe *x);

void tfr_describe_free(tfr_describe *x);

#ifdef __cplusplus
}
#endif

#endif /* TFR_DESCRIBE_H */
