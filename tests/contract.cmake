tfr_unit_test(test_contract test_contract.c)
