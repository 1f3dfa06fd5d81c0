tfr_unit_test(test_synth test_synth.c)
