tfr_unit_test(test_pclip test_pclip.c)
