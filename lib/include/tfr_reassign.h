/*
 * tfr_reassign.h - time-frequency reassignment by the auxiliary-window
 * method (Auger & Flandrin 1995; Fitz & Fulop 2009). DSP core: frames in,
 * points out; see tfr_framer.h for cutting a stream into frames.
 */
#ifndef TFR_REASSIGN_H
#define TFR_REASSIGN_H

#include <stddef.h>
#include <stdint.h>

#include "tfr_base.h"
#include "tfr_records.h"
#include "tfr_window.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct tfr_reassign tfr_reassign;

typedef struct {
	double sample_rate;     /* Hz, > 0 */
	tfr_window_spec window;
	size_t window_length;   /* samples, >= 2 */
	size_t hop;             /* samples, >= 1 (only used for frame times) */
	size_t fft_size;        /* even, >= window_length */
	/* Keep cells whose amplitude 2|X|/sum(w) is at least this many dB
	 * relative to full scale (a full-scale sine reads 0 dBFS at its peak
	 * bin). -INFINITY keeps every cell with |X| > 0. */
	double threshold_db;
	/* Pruning; each test is off when its value is INFINITY (shifts) or
	 * negative (tolerances). */
	double max_time_shift;  /* s: keep |t^ - frame centre| <= this */
	double max_freq_shift;  /* Hz: keep |f^ - bin centre| <= this */
	double component_tol;   /* keep |M| < tol (sinusoidal components) */
	double impulse_tol;     /* keep |M - 1| < tol (impulses); with both
	                           set, a point passing either is kept */
} tfr_reassign_params;

/* Defaults: 44.1 kHz, Hann 2048, hop 512, FFT 2048, -90 dBFS, no pruning. */
void tfr_reassign_params_default(tfr_reassign_params *p);

/* Smallest even FFT size >= len whose only prime factors are 2, 3, 5
 * (fast in KissFFT); 0 on overflow. */
size_t tfr_fft_size_for(size_t len);

/* TFR_OK, or TFR_EINVAL with the first problem of p in d. */
int tfr_reassign_check(const tfr_reassign_params *p, tfr_diag *d);

/* NULL on failure with the code and reason in d (TFR_EINVAL, TFR_ENOMEM). */
tfr_reassign *tfr_reassign_new(const tfr_reassign_params *p, tfr_diag *d);

/* Capacity the out array of tfr_reassign_process needs: fft_size/2 + 1. */
size_t tfr_reassign_max_points(const tfr_reassign *r);

/* Time (s) of the window centre of frame index. */
double tfr_reassign_frame_time(const tfr_reassign *r, int64_t index);

/*
 * Reassign one frame of window_length samples (frame m as cut by
 * tfr_framer: its first sample is input sample m*hop - window_length/2).
 * Writes the kept points, in bin order, to out and their count to *n.
 * Returns TFR_OK (never allocates).
 */
int tfr_reassign_process(tfr_reassign *r, const float *frame, int64_t index,
                         tfr_point *out, size_t *n);

/*
 * The ordinary spectrum of the same frame, before reassignment: amp[k],
 * k = 0 .. fft_size/2, the amplitude of bin k as points define it
 * (2 |X_h(k)| / sum(h)), with no threshold. One transform where
 * reassignment takes four: the plain spectrogram of a picture.
 */
void tfr_reassign_spectrum(tfr_reassign *r, const float *frame, float *amp);

/* Each frame is reassigned on its own: nothing is held, so there is no
 * _flush, and _reset has nothing to do but exists for the contract. */
void tfr_reassign_reset(tfr_reassign *r);

void tfr_reassign_free(tfr_reassign *r);

#ifdef __cplusplus
}
#endif

#endif
