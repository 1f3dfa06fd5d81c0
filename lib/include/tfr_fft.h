/*
 * tfr_fft.h - the library's one FFT interface. Every transform of libtfr
 * goes through it, and one backend is compiled in, chosen when the
 * library is configured (CMake option TFR_FFT): KissFFT (the default,
 * fft_kiss.c) or FFTW3f (fft_fftw.c). Nothing else includes a backend's
 * header, so changing the backend changes no caller.
 *
 * Scaling, for both backends: neither direction is scaled,
 *   forward  X[k] = sum_n x[n] e^{-2 pi i k n / N}
 *   inverse  x[n] = sum_k X[k] e^{+2 pi i k n / N}
 * so inverse(forward(x)) = N x. That is KissFFT's convention, kept so
 * that every caller computes the numbers it computed before the
 * interface (the KissFFT build's outputs are byte-identical to it).
 *
 * A real transform of even size n maps n floats to the n/2 + 1 bins
 * 0..n/2 (the rest are their conjugates). An object can do `count`
 * transforms of one size at a call, on contiguous arrays: transform j
 * reads in + j n and writes out + j (n/2 + 1) (forward), or the other
 * way round (inverse); FFTW then plans them as one (four-wide work,
 * such as tfr_reassign's four windows, is faster so).
 *
 * Object contract: _new makes the plans (once per object; nothing is
 * planned or allocated when transforming), _free releases. The
 * transforms cannot fail. Arrays of any alignment are accepted, and a
 * transform's result depends on its input's values only; with FFTW,
 * 16-byte aligned arrays (malloc's) are not copied first, and complex
 * transforms should be given such (else FFTW takes a plan for
 * misaligned arrays, with other roundoff).
 * Threads: a real transform may use scratch of its object (KissFFT's,
 * or FFTW's aligned copies), so a real object serves one thread at a
 * time; a complex transform (always out of place) touches nothing of
 * its object and may run on several threads at once (tfr_hyper's
 * workers share them). Making and freeing objects is safe from several
 * threads: FFTW's planner, which keeps global state, is serialised by a
 * lock in fft_fftw.c (the library's only global, there because FFTW's
 * planner is one). With FFTW_MEASURE plans (a build option), the plan,
 * and so the roundoff, may differ from run to run.
 */
#ifndef TFR_FFT_H
#define TFR_FFT_H

#include "tfr_base.h"

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/* A complex number: real and imaginary part interleaved, the layout of
 * kiss_fft_cpx and of FFTW's fftwf_complex (float[2]). */
typedef struct {
	float r, i;
} tfr_cpx;

/* What an object computes. */
enum tfr_fft_kind {
	TFR_FFT_REAL_FORWARD,    /* n floats -> n/2 + 1 bins */
	TFR_FFT_REAL_INVERSE,    /* n/2 + 1 bins -> n floats */
	TFR_FFT_COMPLEX_FORWARD, /* n bins -> n bins, e^{-...} */
	TFR_FFT_COMPLEX_INVERSE  /* n bins -> n bins, e^{+...} */
};

typedef struct tfr_fft tfr_fft;

/* Largest size: the library's longest transform (tfr_hyper's blocks are
 * up to 4 TFR_MAX_FFT_SIZE). */
#define TFR_FFT_MAX_SIZE (4 * (size_t)TFR_MAX_FFT_SIZE)

/* count transforms of size n (even for the real kinds, at most
 * TFR_FFT_MAX_SIZE; count at least 1); NULL with TFR_EINVAL or
 * TFR_ENOMEM in d. */
tfr_fft *tfr_fft_new(size_t n, size_t count, enum tfr_fft_kind kind,
                     tfr_diag *d);

/* TFR_FFT_REAL_FORWARD: in, count n floats; out, count (n/2 + 1) bins.
 * in is left as it was. */
void tfr_fft_forward(tfr_fft *f, const float *in, tfr_cpx *out);

/* TFR_FFT_REAL_INVERSE: in, count (n/2 + 1) bins, of which the
 * imaginary parts of bins 0 and n/2 are ignored; out, count n floats.
 * in is scratch: it may be overwritten (FFTW's real inverse does). */
void tfr_fft_inverse(tfr_fft *f, tfr_cpx *in, float *out);

/* TFR_FFT_COMPLEX_*: count n bins in, count n out (in != out); in is
 * left as it was. */
void tfr_fft_complex(const tfr_fft *f, const tfr_cpx *in, tfr_cpx *out);

size_t tfr_fft_size(const tfr_fft *f);

void tfr_fft_free(tfr_fft *f);

/* The backend compiled in: "KissFFT" or "FFTW3f", with how FFTW plans. */
const char *tfr_fft_backend(void);

#ifdef __cplusplus
}
#endif

#endif /* TFR_FFT_H */
