/*
 * tfr_window_spec.h - which analysis window: its kind and parameter, and
 * its name as users type it and stream headers carry it. Shared by the
 * DSP cores that shape windows (tfr_window.h includes this header) and
 * the I/O modules that read and write their names (lib/io/window_name.c),
 * which include this header alone: a window's name is text, its shape
 * DSP.
 */
#ifndef TFR_WINDOW_SPEC_H
#define TFR_WINDOW_SPEC_H

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
 * "kaiser:90dB"), "gaussian[:SIGMA]" (sigma in samples). Kaiser's beta
 * is at most TFR_KAISER_MAX_BETA (a level at most 395 dB), Gaussian's
 * sigma at least TFR_GAUSSIAN_MIN_SIGMA samples.
 * Returns TFR_OK or TFR_EINVAL.
 */
#define TFR_KAISER_MAX_BETA 50.0
#define TFR_GAUSSIAN_MIN_SIGMA 0.5
int tfr_window_parse(const char *name, tfr_window_spec *spec);

/* The canonical name of spec, e.g. "kaiser:8.6" (static storage in buf). */
const char *tfr_window_name(const tfr_window_spec *spec, char *buf,
                            size_t size);

/* Kaiser beta giving a side-lobe level of att dB below the main lobe
 * (Kaiser & Schafer 1980, eq. for the I0-sinh window): the parameter a
 * name such as "kaiser:90dB" stands for. A design rule, not a window's
 * shape; defined beside the shapes (lib/dsp/window.c). */
double tfr_kaiser_beta_for_sidelobe(double att_db);

#ifdef __cplusplus
}
#endif

#endif /* TFR_WINDOW_SPEC_H */
