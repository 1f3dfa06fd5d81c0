# tfr-warp: envelopes over time, the warp of partials (unit), the tool
# through real pipes against analytic targets on tone220_vib.
tfr_unit_test(test_warp test_warp.c)
tfr_tool_test(tool_warp tool_warp.sh)
