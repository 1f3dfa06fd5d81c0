/* fft_kiss_name.c - the KissFFT backend's name (tfr_fft.h). */
#include "tfr_fft.h"

const char *tfr_fft_backend(void)
{
	return "KissFFT";
}
