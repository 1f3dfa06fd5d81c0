tfr_tool_test(tool_morph tool_morph.sh)
