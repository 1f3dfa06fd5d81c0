# tfr-hyper: Gardner & Magnasco hyper-resolution histogram.
tfr_unit_test(test_hyper test_hyper.c)
tfr_unit_test(test_hyper_ref test_hyper_ref.c)
tfr_tool_test(tool_hyper tool_hyper.sh)
tfr_unit_test(test_npy test_npy.c)
# tfr-hyper's figures, sidecars and pages
tfr_tool_test(tool_hyper_picture tool_hyper_picture.sh)
