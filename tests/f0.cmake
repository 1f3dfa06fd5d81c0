# tfr-f0: fundamental frequency with voicing (library and tool).
tfr_unit_test(test_f0 test_f0.c)
tfr_tool_test(tool_f0 tool_f0.sh)
