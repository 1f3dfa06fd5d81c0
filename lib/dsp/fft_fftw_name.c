/* fft_fftw_name.c - the FFTW3f backend's name and planning (tfr_fft.h). */
#include "tfr_fft.h"

const char *tfr_fft_backend(void)
{
#ifdef TFR_FFTW_MEASURE
	return "FFTW3f (FFTW_MEASURE plans)";
#else
	return "FFTW3f (FFTW_ESTIMATE plans)";
#endif
}
