/*
 * fft_args.c - what every FFT backend accepts: an even size for the real
 * kinds (their half spectrum), at most TFR_FFT_MAX_SIZE, and a batch whose
 * samples an int counts twice over (FFTW's many-transform plans take int
 * sizes and strides; KissFFT takes an int size).
 */
#include "tfr_base.h"
#include "fft_args.h"

#include <limits.h>

int tfr_fft_kind_is_real(enum tfr_fft_kind kind)
{
	return kind == TFR_FFT_REAL_FORWARD || kind == TFR_FFT_REAL_INVERSE;
}

int tfr_fft_args_check(size_t n, size_t count, enum tfr_fft_kind kind,
                       tfr_diag *d)
{
	tfr_diag_clear(d);
	if (n < 2 || n > TFR_FFT_MAX_SIZE || n > INT_MAX ||
	    (tfr_fft_kind_is_real(kind) && n % 2) || count < 1 ||
	    count > INT_MAX / 2 / n || kind < TFR_FFT_REAL_FORWARD ||
	    kind > TFR_FFT_COMPLEX_INVERSE)
		return tfr_diag_set(d, TFR_EINVAL, "FFT size not even or not in "
		                    "[2, TFR_FFT_MAX_SIZE], or no transforms");
	return TFR_OK;
}
