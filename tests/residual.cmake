# The residual of a resynthesis (tfr-resynth --residual) and its
# stochastic envelope (--stochastic), turned back into noise.
tfr_unit_test(test_stochastic test_stochastic.c)
tfr_tool_test(tool_residual tool_residual.sh)
