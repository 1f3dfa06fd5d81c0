# The FFT interface, whichever backend is built (TFR_FFT).
tfr_unit_test(test_fft test_fft.c)
