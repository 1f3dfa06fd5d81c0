/*
 * fft_args.h - the check of tfr_fft_new's arguments, one for every
 * backend (fft_kiss.c, fft_fftw.c), so that the sizes a build accepts do
 * not depend on the backend it was built with.
 */
#ifndef TFR_FFT_ARGS_H
#define TFR_FFT_ARGS_H

#include "tfr_fft.h"

/* TFR_OK, or TFR_EINVAL with the reason in d. */
int tfr_fft_args_check(size_t n, size_t count, enum tfr_fft_kind kind,
                       tfr_diag *d);

/* Whether kind transforms real samples. */
int tfr_fft_kind_is_real(enum tfr_fft_kind kind);

#endif
