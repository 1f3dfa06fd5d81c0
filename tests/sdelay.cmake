# tfr-sdelay: spectral delay (Kim-Boyle, DAFx-04).
tfr_unit_test(test_sdelay test_sdelay.c)
tfr_unit_test(test_sdelay_map test_sdelay_map.c)
# comparison helper for the tool test (an analytic comb over WAV files)
add_executable(sdelay-cmp test_sdelay_cmp.c)
target_link_libraries(sdelay-cmp PRIVATE tfrtest)
tfr_tool_test(tool_sdelay tool_sdelay.sh)
