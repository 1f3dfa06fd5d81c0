/*
 * fft_fftw.c - tfr_fft.h over FFTW3f (single precision), the backend of
 * -DTFR_FFT=fftw: the only file that includes fftw3.h.
 *
 * Plans are made once, in _new, for FFTW's new-array execute functions,
 * on arrays of FFTW's SIMD alignment (fftwf_malloc'd, 16 bytes); FFTW
 * requires the arrays of a transform to have the alignment of the
 * plan's. A real transform whose arrays do not is copied through the
 * object's own aligned arrays, so that it runs the same plan: its result
 * then depends on its input's values only, not on where they lie (with a
 * second, FFTW_UNALIGNED plan for those, the roundoff of tfr-hyper's
 * block spectra would depend on the blocks' offsets in its buffer, which
 * --start moves). A complex transform, which tfr_hyper's workers share
 * and so may not use scratch, takes an FFTW_UNALIGNED plan for
 * misaligned arrays (the library passes it malloc'd arrays only).
 *
 * FFTW's planner (and fftwf_destroy_plan) keeps global state and is not
 * thread-safe: every call of it here holds planner_lock, so objects may
 * be made and freed from several threads. That lock is the library's
 * only global, there because FFTW's planner is one.
 *
 * TFR_FFTW_MEASURE (CMake TFR_FFTW_PLAN=measure) plans with FFTW_MEASURE:
 * it times candidate algorithms when the object is made (milliseconds per
 * size, more for large ones), for a faster plan; the default is
 * FFTW_ESTIMATE (see README.md for what each costs and gives).
 */
#include "tfr_base.h"
#include "tfr_fft.h"
#include "fft_args.h"

#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <fftw3.h>

#ifdef TFR_FFTW_MEASURE
#define PLAN_RIGOR FFTW_MEASURE
#else
#define PLAN_RIGOR FFTW_ESTIMATE
#endif

_Static_assert(sizeof(tfr_cpx) == sizeof(fftwf_complex),
               "tfr_cpx is fftwf_complex's layout");

static pthread_mutex_t planner_lock = PTHREAD_MUTEX_INITIALIZER;

struct tfr_fft {
	size_t n, count, bins;
	enum tfr_fft_kind kind;
	fftwf_plan aligned;
	fftwf_plan unaligned;  /* complex kinds: for misaligned arrays */
	float *sin, *sout;     /* real kinds: aligned copies of misaligned
	                          arrays, count n floats or count bins */
};

/* One plan of kind for f, on the arrays in and out (of the sizes the
 * kind needs); NULL if FFTW cannot make it. */
static fftwf_plan make_plan(const tfr_fft *f, void *in, void *out,
                            unsigned flags)
{
	int n = (int)f->n, howmany = (int)f->count, bins = (int)f->bins;
	switch (f->kind) {
	case TFR_FFT_REAL_FORWARD:
		return fftwf_plan_many_dft_r2c(1, &n, howmany, in, NULL, 1, n,
		                               out, NULL, 1, bins, flags);
	case TFR_FFT_REAL_INVERSE:
		return fftwf_plan_many_dft_c2r(1, &n, howmany, in, NULL, 1, bins,
		                               out, NULL, 1, n, flags);
	case TFR_FFT_COMPLEX_FORWARD:
	case TFR_FFT_COMPLEX_INVERSE:
		return fftwf_plan_many_dft(1, &n, howmany, in, NULL, 1, n,
		                           out, NULL, 1, n,
		                           f->kind == TFR_FFT_COMPLEX_FORWARD ?
		                           FFTW_FORWARD : FFTW_BACKWARD, flags);
	}
	return NULL;
}

/* f's plans, made on its scratch arrays (real kinds, kept for
 * misaligned arrays) or on arrays freed afterwards; 0 or -1. */
static int make_plans(tfr_fft *f, int real)
{
	/* either side, in floats: count n reals or count bins complex */
	size_t floats = f->count * 2 * f->bins;
	float *a = fftwf_malloc(floats * sizeof *a);
	float *b = fftwf_malloc(floats * sizeof *b);
	int ok = 0;
	if (a && b) {
		pthread_mutex_lock(&planner_lock);
		f->aligned = make_plan(f, a, b, PLAN_RIGOR);
		if (!real)
			f->unaligned = make_plan(f, a, b,
			                         FFTW_ESTIMATE | FFTW_UNALIGNED);
		pthread_mutex_unlock(&planner_lock);
		ok = f->aligned && (real || f->unaligned);
	}
	if (ok && real) {
		f->sin = a;
		f->sout = b;
		return 0;
	}
	fftwf_free(a);
	fftwf_free(b);
	return ok ? 0 : -1;
}

tfr_fft *tfr_fft_new(size_t n, size_t count, enum tfr_fft_kind kind,
                     tfr_diag *d)
{
	int real = tfr_fft_kind_is_real(kind);
	if (tfr_fft_args_check(n, count, kind, d) != TFR_OK)
		return NULL;
	tfr_fft *f = calloc(1, sizeof *f);
	if (!f)
		goto nomem;
	f->n = n;
	f->count = count;
	f->kind = kind;
	f->bins = real ? n / 2 + 1 : n;
	if (make_plans(f, real))
		goto nomem;
	return f;
nomem:
	tfr_fft_free(f);
	tfr_diag_set(d, TFR_ENOMEM, NULL);
	return NULL;
}

/* Whether p has the alignment the plans were made for. */
static int aligned(const void *p)
{
	/* fftwf_alignment_of only reads the address */
	return fftwf_alignment_of((float *)(uintptr_t)p) == 0;
}

void tfr_fft_forward(tfr_fft *f, const float *in, tfr_cpx *out)
{
	size_t nin = f->count * f->n, nout = f->count * f->bins;
	/* an out-of-place real forward plan leaves its input as it was
	 * (FFTW_PRESERVE_INPUT is its default): the cast only fits the
	 * prototype */
	float *x = (float *)(uintptr_t)in;
	fftwf_complex *y = (fftwf_complex *)out;
	if (!aligned(x))
		x = memcpy(f->sin, in, nin * sizeof *in);
	if (!aligned(y))
		y = (fftwf_complex *)f->sout;
	fftwf_execute_dft_r2c(f->aligned, x, y);
	if (y != (fftwf_complex *)out)
		memcpy(out, y, nout * sizeof *out);
}

void tfr_fft_inverse(tfr_fft *f, tfr_cpx *in, float *out)
{
	size_t nin = f->count * f->bins, nout = f->count * f->n;
	fftwf_complex *x = (fftwf_complex *)in;
	float *y = out;
	if (!aligned(x))
		x = memcpy(f->sin, in, nin * sizeof *in);
	if (!aligned(y))
		y = f->sout;
	fftwf_execute_dft_c2r(f->aligned, x, y);
	if (y != out)
		memcpy(out, y, nout * sizeof *out);
}

void tfr_fft_complex(const tfr_fft *f, const tfr_cpx *in, tfr_cpx *out)
{
	/* out of place: the input is preserved (FFTW's default) */
	fftwf_execute_dft(aligned(in) && aligned(out) ? f->aligned :
	                  f->unaligned, (fftwf_complex *)(uintptr_t)in,
	                  (fftwf_complex *)out);
}

size_t tfr_fft_size(const tfr_fft *f)
{
	return f->n;
}

void tfr_fft_free(tfr_fft *f)
{
	if (!f)
		return;
	pthread_mutex_lock(&planner_lock);
	if (f->aligned)
		fftwf_destroy_plan(f->aligned);
	if (f->unaligned)
		fftwf_destroy_plan(f->unaligned);
	pthread_mutex_unlock(&planner_lock);
	fftwf_free(f->sin);
	fftwf_free(f->sout);
	free(f);
}
