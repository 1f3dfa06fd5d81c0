tfr_tool_test(tool_convert tool_convert.sh)
