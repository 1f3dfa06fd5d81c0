/*
 * tfr_peaks.h - spectral peaks from the reassigned points of one frame
 * (DSP core: records in, records out, one frame at a time).
 *
 * What Loris does (additive-model.md §3.3-3.4), and better where noted:
 *  - selection by reassignment convergence: bins j, j+1 whose reassigned
 *    frequencies point into each other (f^(j) > bin j, f^(j+1) < bin
 *    j+1) make one peak, the one of the two with the smaller frequency
 *    correction; or selection by magnitude maxima. A bin missing from the
 *    points (below the analysis threshold) counts as weaker than its
 *    neighbour;
 *  - the amplitude corrected for the window's scalloping at the
 *    reassigned frequency (Loris reads |X| at the bin: up to 1.4 dB low
 *    for Hann half-way between bins), so that a stationary sinusoid of
 *    amplitude A reads A within 0.01 dB wherever it falls (zero padding
 *    included); and for the loss of a chirp, from its mixed derivative;
 *  - windows with edges (Hamming, Kaiser with a small beta) reassign
 *    only part of a sinusoid's offset from the bin: the frequency is
 *    corrected through the window's response. The rectangular window
 *    (and Kaiser beta 0) reassigns nothing: peaks are then selected by
 *    magnitude and placed from the ratio of neighbouring amplitudes;
 *  - pruning: amplitude floor with a linear fade band above it,
 *    frequency floor and ceiling, time-correction crop, separation
 *    masking (no weaker peak within +-separation of a stronger one), and
 *    the mixed-derivative test Loris computes but never uses;
 *  - bandwidth: what the kept peaks do not explain is given to the kept
 *    peaks around it as a noise fraction, cell by cell (without Loris's
 *    blind spot below 1-2 kHz). A cell is a peak's when reassignment
 *    moves it most of the way onto the peak (every cell of a stationary
 *    sinusoid, side lobes included, for windows that vanish at their
 *    ends); of the other cells, what the main lobes of the neighbouring
 *    peaks (with their phases) do not account for is noise. A clean tone
 *    gets bandwidth 0; noise within a peak's main lobe is counted as the
 *    sinusoid's (a tone in band-limited noise reads ~10 % low). With
 *    the rectangular window side lobes count as noise.
 */
#ifndef TFR_PEAKS_H
#define TFR_PEAKS_H

#include <stddef.h>

#include "tfr_base.h"
#include "tfr_records.h"
#include "tfr_window.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct tfr_peaks tfr_peaks;

typedef enum {
	TFR_PEAKS_CONVERGENCE,  /* reassignment convergence (Loris) */
	TFR_PEAKS_MAGNITUDE     /* local maxima of the amplitude */
} tfr_peaks_select;

typedef enum {
	TFR_PEAKS_BW_NONE,      /* bandwidth 0 everywhere */
	TFR_PEAKS_BW_RESIDUE    /* energy not selected becomes noise */
} tfr_peaks_bandwidth;

typedef struct {
	/* The analysis that made the points (the points stream's header). */
	double sample_rate;        /* Hz */
	tfr_window_spec window;
	size_t window_length;      /* samples */
	size_t fft_size;
	size_t hop;                /* samples between frames */

	tfr_peaks_select select;   /* default TFR_PEAKS_CONVERGENCE */
	double threshold_db;       /* amplitude floor, dBFS (default -90) */
	double fade_db;            /* peaks less than this above the floor
	                              are faded linearly to 0 at the floor
	                              (default 10; 0: off) */
	double min_freq;           /* Hz, default 0 */
	double max_freq;           /* Hz, default INFINITY (Nyquist) */
	double max_time_shift;     /* s: drop peaks reassigned farther than
	                              this from their frame's centre
	                              (default NAN: a quarter of the
	                              window; INFINITY: off) */
	double separation;         /* Hz: no weaker peak within +-separation
	                              of a stronger one (default 0: off;
	                              Loris: 0.8-0.9 x the lowest f0, e.g.
	                              70 for voices down to 85 Hz) */
	double component_tol;      /* keep sinusoids, |mixed| < tol
	                              (negative: no test; default -1) */
	double impulse_tol;        /* with the test on, also keep impulses,
	                              |mixed - 1| < tol, marked impulse = 1
	                              (negative: drop them; default -1) */
	double chirp_mixed;        /* a peak whose mixed derivative M is at
	                              most this has its amplitude corrected
	                              for the loss of a linear chirp showing
	                              that M; above, M is taken for noise or
	                              interference (default 0.5; 0: off) */
	tfr_peaks_bandwidth bandwidth; /* default TFR_PEAKS_BW_RESIDUE */
	double bandwidth_reach;    /* Hz: energy not selected goes to kept
	                              peaks at most this far from it
	                              (default 1000) */
} tfr_peaks_params;

void tfr_peaks_params_default(tfr_peaks_params *p);

/* TFR_OK, or TFR_EINVAL with the first problem of p in d. */
int tfr_peaks_check(const tfr_peaks_params *p, tfr_diag *d);

/* NULL on failure with the code and reason in d (TFR_EINVAL,
 * TFR_ENOMEM). */
tfr_peaks *tfr_peaks_new(const tfr_peaks_params *p, tfr_diag *d);

/*
 * The peaks of one frame from all of its points (one frame index, bins
 * strictly ascending, as tfr-reassign writes them). Writes the peaks in
 * ascending frequency to out (room for n) and their count to *nout.
 * Returns TFR_OK, or TFR_EINVAL when the points are not one frame in
 * ascending bin order. Never allocates.
 */
int tfr_peaks_process(tfr_peaks *pk, const tfr_point *pts, size_t n,
                      tfr_peak *out, size_t *nout);

/*
 * The window's amplitude response |W(delta)| / W(0) at delta bins (of
 * the FFT size) from a sinusoid: the factor by which the amplitude read
 * at a bin underestimates the sinusoid. 1 at delta = 0; tabulated over
 * the main lobe, 0 beyond it.
 */
double tfr_peaks_scalloping(const tfr_peaks *pk, double delta);

/* Peaks are computed frame by frame: nothing is held back, so there is
 * no _flush, and _reset has nothing to do but exists for the contract. */
void tfr_peaks_reset(tfr_peaks *pk);

void tfr_peaks_free(tfr_peaks *pk);

#ifdef __cplusplus
}
#endif

#endif /* TFR_PEAKS_H */
