# tfr-batch: a pipeline over a directory tree, locally and through GNU
# parallel; the Makefile example.
tfr_tool_test(tool_batch tool_batch.sh)
