/*
 * tfr_window.h - analysis windows and their exact derivatives (DSP core).
 *
 * Every window is a continuous function w(tau) on tau in [-L/2, L/2],
 * sampled at tau = n - L/2 for n = 0 .. L-1 (the "periodic" or DFT-even
 * convention for even L). Its centre therefore lies at n0 = L/2, and the
 * time ramp used by reassignment is r[n] = n - L/2 exactly, with no
 * half-sample bias. Derivatives are analytic (per sample), not finite
 * differences.
 *
 * The window kinds and their names (tfr_window_spec, tfr_window_parse,
 * tfr_window_name) are in tfr_window_spec.h, which text and I/O modules
 * include without this header.
 */
#ifndef TFR_WINDOW_H
#define TFR_WINDOW_H

#include <stddef.h>

#include "tfr_window_spec.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Half the main lobe of the window's transform, in bins of its length
 * (fs / L): where its first zero lies. Kaiser (Kaiser & Schafer 1980):
 * sqrt(1 + (beta / pi)^2); the cosine windows from their sums; Gaussian
 * (no zero) where it is about 60 dB down. */
double tfr_window_lobe_bins(const tfr_window_spec *spec);

/*
 * Fill w[0..len-1] with the window and, if dw is not NULL, dw with its
 * derivative dw/dn (per sample). Returns TFR_OK or TFR_EINVAL.
 */
int tfr_window_fill(const tfr_window_spec *spec, size_t len, double *w,
                    double *dw);

#ifdef __cplusplus
}
#endif

#endif /* TFR_WINDOW_H */
