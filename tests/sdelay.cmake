# tfr-sdelay: spectral delay (Kim-Boyle, DAFx-04).
tfr_unit_test(test_sdelay test_sdelay.c)
tfr_unit_test(test_wola test_wola.c)
tfr_unit_test(test_map test_map.c)
tfr_unit_test(test_freqmap test_freqmap.c)
# comparison helper for the tool test (an analytic comb over WAV files)
add_executable(sdelay-cmp helpers/sdelay_cmp.c)
target_link_libraries(sdelay-cmp PRIVATE tfrtest)
tfr_tool_test(tool_sdelay tool_sdelay.sh)
