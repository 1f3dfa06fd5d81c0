# Partial-file interchange: SDIF (RBEP, 1TRC, RBEL), SPEAR text, format
# detection, and the grid resampler the frame formats are written from.
tfr_unit_test(test_bpgrid test_bpgrid.c)
tfr_unit_test(test_sdif test_sdif.c)
tfr_unit_test(test_spear test_spear.c)
tfr_tool_test(tool_gzip tool_gzip.sh)
