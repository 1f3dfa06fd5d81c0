/*
 * hyper_direct.h - one sample of one scan line of tfr_hyper, evaluated
 * directly in the time domain at high precision (private to libtfr).
 *
 * tfr_hyper computes its filter outputs with float FFTs, whose roundoff
 * (~1e-7) decides points that lie within that distance of a decision
 * boundary (a time or frequency bin edge, the locality limit) at random.
 * On exactly periodic tones and clicks such points are not rare, and the
 * reference (float64) decides them by the signal itself. These functions
 * recompute xi and eta at such a point from the input samples, so that
 * the decision is the reference's.
 */
#ifndef TFR_HYPER_DIRECT_H
#define TFR_HYPER_DIRECT_H

#include <stddef.h>

/*
 * xi(n) = sum_m x[n-m] g(m), eta(n) = sum_m x[n-m] d(m) with the time-
 * domain kernels of the reference's filters (hyper_plan.c, paper eq.
 * 1/2):
 *   g(m) = sigma sqrt(2 pi) exp(-2 pi^2 sigma^2 m^2) exp(i 2 pi f0 m),
 *   d(m) = -i 2 pi sigma m g(m),
 * i.e. the inverse Fourier transforms of G(f) = exp(-(f-f0)^2/(2 sigma^2))
 * and D(f) = -(f-f0)/sigma G(f); exact for lines whose Gaussian is
 * negligible at the Nyquist frequency. x[i] is taken as 0 outside
 * [lo, hi). out = {Re xi, Im xi, Re eta, Im eta}.
 */

/* Double precision: the kernel of one line tabulated once (truncated at
 * 8 sigma_t, relative error ~1e-14), then a dot product per sample. */
typedef struct {
	double f0, sigma;
	ptrdiff_t K, cap;      /* taps m = 1..K tabulated; room for cap */
	double *e, *ec, *es;   /* e_m, e_m cos(2 pi f0 m), e_m sin(...) */
	double *me, *mec, *mes;  /* the same times m */
	int avx2;              /* the processor has AVX2 and FMA */
} tfr_hyper_kern;

/* Room for lines down to frequency fmin at quality q, using the code
 * paths the TFR_CPU_* flags cpu allow (cpu.h); 0 or TFR_ENOMEM. */
int tfr_hyper_kern_init(tfr_hyper_kern *k, double q, double fmin,
                        unsigned cpu);
void tfr_hyper_kern_free(tfr_hyper_kern *k);

/* Tabulate line (f0, sigma) unless it is the one tabulated: the number
 * of taps computed (0 if it was). */
size_t tfr_hyper_kern_set(tfr_hyper_kern *k, double f0, double sigma);

/* No line tabulated, as after _init: the next _set computes its taps. */
void tfr_hyper_kern_forget(tfr_hyper_kern *k);

/* xi, eta at x[n] from the tabulated line, and the scale of their
 * roundoff, sum |x| (|g| + |d|), in *scale. Returns the taps used. */
size_t tfr_hyper_direct_d(const tfr_hyper_kern *k, const float *x,
                          ptrdiff_t n, ptrdiff_t lo, ptrdiff_t hi,
                          double out[4], double *scale);

/* Long double, every tap from expl/cosl/sinl, zero input samples
 * skipped, truncated at 9.5 sigma_t (relative error ~1e-18): decides
 * exact ties (a click, whose |mp| equals lint in exact arithmetic) as
 * exact arithmetic on the reference's parameters does. Returns the
 * number of nonzero taps (the caller's budget). */
size_t tfr_hyper_direct_ld(const float *x, ptrdiff_t n, ptrdiff_t lo,
                           ptrdiff_t hi, double f0, double sigma,
                           long double out[4]);

#endif
