# tfr-track: partials from spectral peaks.
tfr_unit_test(test_track test_track.c)
