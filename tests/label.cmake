tfr_unit_test(test_label test_label.c)
tfr_tool_test(tool_label tool_label.sh)
