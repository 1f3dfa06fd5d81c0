/*
 * window_response.h - how an analysis window answers a stationary
 * sinusoid delta bins (of the FFT, zero padding included) away from a
 * bin: the amplitude read there, |W(delta)| / W(0), and the frequency
 * offset that reassignment reports, rho(delta); and how it answers a
 * linear chirp: the amplitude lost at the chirp's ridge as a function of
 * the mixed derivative M its cell shows. Private to libtfr.
 *
 * The amplitude is tabulated once over the main lobe and the offset over
 * one bin, both interpolated by cubic Hermite segments (values and exact
 * derivatives), the chirp loss over M linearly, so a peak costs a few
 * multiplications however long the window is.
 */
#ifndef TFR_WINDOW_RESPONSE_H
#define TFR_WINDOW_RESPONSE_H

#include <stddef.h>

#include "tfr_window.h"

typedef struct {
	double per_bin;   /* table entries per FFT bin */
	size_t amp_count; /* amplitude entries, delta = i / per_bin */
	double *amp;      /* |W(delta)| / W(0) over the main lobe */
	double *amp_d;    /* its derivative in delta */
	double lobe;      /* delta where the main lobe ends (first minimum of
	                     |W|; at least 1, at most 6 bins of the window
	                     or 64 of the FFT) */
	size_t ofs_count; /* offset entries, over delta in [0, 1] */
	double *ofs;      /* rho(delta): reassigned offset, FFT bins */
	double *ofs_d;    /* its derivative in delta */
	double ofs_max;   /* delta up to which rho rises (inversion range) */
	double slope0;    /* rho'(0): 1 for windows that vanish at their
	                     ends, 0 when reassignment reports the bin
	                     (rectangular, Kaiser beta 0) */
	double m2;            /* second moment sum tau^2 w / sum w,
	                         samples^2 (tau from the centre) */
	size_t chirp_count;   /* entries of the chirp table (0: none) */
	double *chirp_m;      /* M of a linear chirp's ridge cell, rising */
	double *chirp_loss;   /* |X| there relative to a stationary tone */
} tfr_wresp;

/* Tabulate the response of spec (len samples) in an FFT of nfft.
 * TFR_OK, TFR_EINVAL (bad window), TFR_ENOMEM. */
int tfr_wresp_init(tfr_wresp *r, const tfr_window_spec *spec, size_t len,
                   size_t nfft);

void tfr_wresp_free(tfr_wresp *r);

/* |W(delta)| / W(0) within the main lobe, 0 beyond it. */
double tfr_wresp_amp(const tfr_wresp *r, double delta);

/* rho(delta), odd in delta, for |delta| <= 1 (clamped beyond). */
double tfr_wresp_offset(const tfr_wresp *r, double delta);

/* The delta whose reassigned offset is rho (the inverse of
 * tfr_wresp_offset over its rising range; beyond it, slope 1). */
double tfr_wresp_true_offset(const tfr_wresp *r, double rho);

/* The amplitude read at the ridge of a linear chirp whose cell shows the
 * mixed derivative m, relative to a sinusoid of the same amplitude: 1 at
 * the M of a stationary sinusoid (0 for windows that vanish at their
 * ends), falling as M grows ((1 - M)^(1/4) for a Gaussian window);
 * clamped to the table's range. */
double tfr_wresp_chirp_loss(const tfr_wresp *r, double m);

/* The delta in [0, 1/2] at which the amplitude one bin further out
 * relative to the amplitude read at the bin, |W(1 - delta)| / |W(delta)|,
 * equals ratio (in [0, 1]): the offset of a sinusoid from the larger of
 * two neighbouring bins, for windows whose reassignment tells nothing. */
double tfr_wresp_offset_from_ratio(const tfr_wresp *r, double ratio);

#endif
