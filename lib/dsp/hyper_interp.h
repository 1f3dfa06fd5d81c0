/*
 * hyper_interp.h - the filter outputs of a decimated tfr_hyper scan line
 * at every sample, and the locality pre-test (private to libtfr).
 *
 * A line's outputs xi and eta, shifted to base band, are signals whose
 * spectra are X(f) times a Gaussian of std sigma (times (f-f0)/sigma for
 * eta; hyper_plan.c). tfr_hyper computes them by inverse FFTs at every D-th
 * sample only (D = 2^dlog, sigma D <= s) and gets the samples in between
 * from K of those values by fixed weights: the best linear estimate
 * (kriging) for a signal whose spectrum is a Gaussian of std s per
 * decimated sample. With R(t) = exp(-pi^2 s^2 t^2), the Fourier
 * transform of exp(-phi^2/s^2), the weights of y(t) from y(j) are
 * R^-1 r(t). For K = 10 and s = 0.05 the error at frequency phi, times
 * the Gaussian exp(-phi^2/(2 s^2)), stays below 1.0e-7 of the
 * component's amplitude (K = 12: 1.3e-8, but 20 % more work for the
 * interpolation than the FFTs it saves), for K = 20 and s = 0.075 (the
 * lines tfr_hyper runs at D = 2 rather than the full rate) below 4.9e-8
 * (tests/test_hyper.c checks both on exact complex exponentials);
 * 6-point Lagrange interpolation would need s <= 0.022 for 3.6e-7,
 * i.e. 2.3 times more samples from the FFTs. xi and eta use the same
 * weights, so a single component's ratio eta/xi is unaffected.
 */
#ifndef TFR_HYPER_INTERP_H
#define TFR_HYPER_INTERP_H

#include <stddef.h>
#include <stdint.h>

#define TFR_HYPER_FIR_KMAX 24  /* most decimated samples per output */
#define TFR_HYPER_FIR_CHUNK 256  /* most samples per tfr_hyper_fir_scan */
#define TFR_HYPER_FIR_OUT (TFR_HYPER_FIR_CHUNK + 16)  /* room in out, idx */

/* The weights of one decimation, laid out for 8 output samples at a
 * time (lanes): samples u .. u+7 with u a multiple of 8 use the table of
 * lane group (u mod D)/8 (D >= 8: one decimated neighbourhood for all
 * lanes) or of group 0 (D < 8: 8/D neighbourhoods, so K + 8/D - 1
 * taps, zero where a lane does not reach). */
typedef struct {
	int dlog;            /* D = 2^dlog, 1..16 */
	int K, lo;           /* nodes m - lo .. m - lo + K - 1 */
	int ntaps;           /* taps per lane group */
	size_t ngroups;
	float *w;            /* [group][tap][8] */
	size_t ngroups16;    /* the same for 16 lanes (AVX-512) */
	int ntaps16;
	float *w16;
	int avx2, avx512;    /* what the processor has */
	uint8_t lut[256][8]; /* lane permutations by mask (AVX2 scan) */
} tfr_hyper_fir;

/* Weights w[k] of y(t) at t in [0, 1) decimated samples after node 0
 * from nodes k - (K/2 - 1), k < K (K even, <= TFR_HYPER_FIR_KMAX), for
 * a design spectrum of std s per decimated sample. At t = 0 exactly
 * the node. */
void tfr_hyper_fir_weights(int K, double s, double t, double *w);

/* Tables of K weights for D = 2^dlog, for the code paths the TFR_CPU_*
 * flags cpu allow (cpu.h); 0, TFR_EINVAL or TFR_ENOMEM. */
int tfr_hyper_fir_init(tfr_hyper_fir *f, int dlog, double s, int K,
                       unsigned cpu);
void tfr_hyper_fir_free(tfr_hyper_fir *f);

/*
 * Samples u0 .. u0+cnt-1 (u0 a multiple of 16, cnt <= TFR_HYPER_FIR_CHUNK)
 * of a line from its decimated base-band xi and eta, x[2m], x[2m+1] = Re,
 * Im xi(m D), e likewise (both must hold the K neighbourhoods of those
 * samples rounded out to multiples of 8), with the locality pre-test:
 * the samples that may pass |eta| < lint |xi| (lint2 = lint^2 widened
 * by the caller's error margin; the float test passes a superset, and
 * every sample whose |xi|^2 might underflow), in increasing order. For
 * the j-th of them, out[0..3][j] = Re xi, Im xi, Re eta, Im eta and
 * idx[j] = its sample - u0. Returns how many. out and idx have room for
 * TFR_HYPER_FIR_OUT entries (beyond the count they are scratch).
 */
size_t tfr_hyper_fir_scan(const tfr_hyper_fir *f, const float *x,
                          const float *e, size_t u0, size_t cnt,
                          float lint2, float out[4][TFR_HYPER_FIR_OUT],
                          uint16_t *idx);

#endif
