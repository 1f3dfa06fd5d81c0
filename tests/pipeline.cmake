# The additive pipeline with default options, through real pipes: the
# fidelity, accuracy and partial-count targets (scripts/fidelity-report).
tfr_tool_test(pipeline pipeline.sh)
