# Hostile and broken input for every tool, as one table (label "tool").
tfr_tool_test(tool_hostile tool_hostile.sh)
