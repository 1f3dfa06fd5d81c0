/*
 * fft_size.c - the FFT size the tools choose for a window
 * (tfr_reassign.h): the smallest even 2^a 3^b 5^c at or above it, the
 * sizes every FFT backend does fast. Its own file: options parsing asks
 * for it without pulling in an FFT.
 */
#include "tfr_reassign.h"

#include <stdint.h>

size_t tfr_fft_size_for(size_t len)
{
	for (size_t n = len + (len & 1); n && n < SIZE_MAX / 2; n += 2) {
		size_t m = n;
		while (m % 2 == 0) m /= 2;
		while (m % 3 == 0) m /= 3;
		while (m % 5 == 0) m /= 5;
		if (m == 1)
			return n;
	}
	return 0;
}
