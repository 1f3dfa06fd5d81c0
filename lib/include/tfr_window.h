/*
 * tfr_window.h - analysis windows and their exact derivatives (DSP core).
 *
 * Every window is a continuous function w(tau) on tau in [-L/2, L/2],
 * sampled at tau = n - L/2 for n = 0 .. L-1 (the "periodic" or DFT-even
 * convention for even L). Its centre therefore lies at n0 = L/2, and the
 * time ramp used by reassignment is r[n] = n - L/2 exactly, with no
 * half-sample bias. Derivatives are analytic (per sample), not finite
 * differences.
 */
#ifndef TFR_WINDOW_H
#define TFR_WINDOW_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef enum {
	TFR_WINDOW_HANN,
	TFR_WINDOW_HAMMING,
	TFR_WINDOW_BLACKMAN,
	TFR_WINDOW_BLACKMAN_HARRIS, /* 4-term, -92 dB side lobes */
	TFR_WINDOW_KAISER,          /* param: beta */
	TFR_WINDOW_GAUSSIAN,        /* param: sigma in samples (0: L/10) */
	TFR_WINDOW_RECTANGULAR
} tfr_window_type;

typedef struct {
	tfr_window_type type;
	double param;   /* Kaiser beta, Gaussian sigma (samples); else unused */
} tfr_window_spec;

/*
 * Parse a window name: "hann", "hamming", "blackman", "blackman-harris",
 * "rectangular", "kaiser[:BETA]" or "kaiser:ATTdB" (side-lobe level, e.g.
 * "kaiser:90dB"), "gaussian[:SIGMA]" (sigma in samples).
 * Returns TFR_OK or TFR_EINVAL.
 */
int tfr_window_parse(const char *name, tfr_window_spec *spec);

/* The canonical name of spec, e.g. "kaiser:8.6" (static storage in buf). */
const char *tfr_window_name(const tfr_window_spec *spec, char *buf,
                            size_t size);

/* Kaiser beta giving a side-lobe level of att dB below the main lobe
 * (Kaiser & Schafer 1980, eq. for the I0-sinh window). */
double tfr_kaiser_beta_for_sidelobe(double att_db);

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
