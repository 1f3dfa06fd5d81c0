/*
 * fft_kiss.c - tfr_fft.h over KissFFT (Debian's float build,
 * kissfft-float), the default backend: the only file that includes a
 * KissFFT header. The calls are exactly the ones the callers made
 * before the interface, so their outputs are byte-identical to then.
 * Several transforms at a call are simply done one after the other:
 * KissFFT has no batched plan.
 */
#include "tfr_base.h"
#include "tfr_fft.h"
#include "fft_args.h"

#include <stdlib.h>

#include "kiss_fft.h"
#include "kiss_fftr.h"

/* The interface's complex type is passed to KissFFT as its own: the
 * same two floats (the header promises the layout). */
_Static_assert(sizeof(tfr_cpx) == sizeof(kiss_fft_cpx) &&
               _Alignof(tfr_cpx) == _Alignof(kiss_fft_cpx),
               "tfr_cpx is kiss_fft_cpx's layout");

struct tfr_fft {
	size_t n, count, bins;
	enum tfr_fft_kind kind;
	kiss_fftr_cfg real;   /* the real kinds */
	kiss_fft_cfg cpx;     /* the complex kinds */
};

tfr_fft *tfr_fft_new(size_t n, size_t count, enum tfr_fft_kind kind,
                     tfr_diag *d)
{
	int real = tfr_fft_kind_is_real(kind);
	int inverse = kind == TFR_FFT_REAL_INVERSE ||
	              kind == TFR_FFT_COMPLEX_INVERSE;
	if (tfr_fft_args_check(n, count, kind, d) != TFR_OK)
		return NULL;
	tfr_fft *f = calloc(1, sizeof *f);
	if (!f)
		goto nomem;
	f->n = n;
	f->count = count;
	f->kind = kind;
	f->bins = real ? n / 2 + 1 : n;
	if (real)
		f->real = kiss_fftr_alloc((int)n, inverse, NULL, NULL);
	else
		f->cpx = kiss_fft_alloc((int)n, inverse, NULL, NULL);
	if (!f->real && !f->cpx)
		goto nomem;
	return f;
nomem:
	tfr_fft_free(f);
	tfr_diag_set(d, TFR_ENOMEM, NULL);
	return NULL;
}

void tfr_fft_forward(tfr_fft *f, const float *in, tfr_cpx *out)
{
	for (size_t j = 0; j < f->count; j++)
		kiss_fftr(f->real, in + j * f->n, (kiss_fft_cpx *)out + j * f->bins);
}

void tfr_fft_inverse(tfr_fft *f, tfr_cpx *in, float *out)
{
	for (size_t j = 0; j < f->count; j++)
		kiss_fftri(f->real, (const kiss_fft_cpx *)in + j * f->bins,
		           out + j * f->n);
}

void tfr_fft_complex(const tfr_fft *f, const tfr_cpx *in, tfr_cpx *out)
{
	/* out of place, kiss_fft uses no scratch of the plan: safe on
	 * several threads at once */
	for (size_t j = 0; j < f->count; j++)
		kiss_fft(f->cpx, (const kiss_fft_cpx *)in + j * f->n,
		         (kiss_fft_cpx *)out + j * f->n);
}

size_t tfr_fft_size(const tfr_fft *f)
{
	return f->n;
}

void tfr_fft_free(tfr_fft *f)
{
	if (!f)
		return;
	kiss_fftr_free(f->real);
	kiss_fft_free(f->cpx);
	free(f);
}
