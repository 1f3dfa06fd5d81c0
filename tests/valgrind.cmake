# Every tool under valgrind memcheck (label "valgrind"): slow, so only
# with -DTFR_VALGRIND=ON (.ci/run adds it to a normal build).
option(TFR_VALGRIND "Add the valgrind memcheck test of the tools" OFF)
if(TFR_VALGRIND)
  tfr_tool_test(tool_valgrind tool_valgrind.sh)
  set_tests_properties(tool_valgrind PROPERTIES LABELS valgrind
    SKIP_RETURN_CODE 77 TIMEOUT 1200)
endif()
