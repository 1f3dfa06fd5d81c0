# DSP core of tfr-peaks: reassigned points of one frame -> spectral peaks.
tfr_unit_test(test_peaks test_peaks.c)
