tfr_unit_test(test_select test_select.c)
tfr_tool_test(tool_select tool_select.sh)
tfr_tool_test(tool_post_edges tool_post_edges.sh)
