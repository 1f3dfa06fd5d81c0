# libFuzzer harnesses (tests/fuzz/fuzz_*.c), built only when configured
# with -DTFR_FUZZ=ON and clang (scripts/setup-fuzz). Label "fuzz": each
# harness runs for TFR_FUZZ_SECONDS on a scratch copy of its seed corpus
# (tests/fuzz/corpus/NAME), and a regression run executes every seed and
# every minimised crash input once (tests/fuzz/regress/NAME). The longer
# local run is scripts/fuzz.
if(TFR_FUZZ)
  set(TFR_FUZZ_SECONDS 20 CACHE STRING
    "Seconds each fuzz harness runs under ctest -L fuzz")
  # the longest input each harness is given (bytes)
  set(TFR_FUZZ_MAXLEN_stream 16384)
  set(TFR_FUZZ_MAXLEN_map 4096)
  set(TFR_FUZZ_MAXLEN_sdif 16384)
  set(TFR_FUZZ_MAXLEN_spear 16384)
  set(TFR_FUZZ_MAXLEN_audio 32768)
  set(TFR_FUZZ_MAXLEN_consumers 16384)
  set(TFR_FUZZ_MAXLEN_post 16384)
  file(GLOB TFR_FUZZ_SOURCES CONFIGURE_DEPENDS
    ${CMAKE_CURRENT_SOURCE_DIR}/fuzz/fuzz_*.c)
  foreach(src ${TFR_FUZZ_SOURCES})
    get_filename_component(exe ${src} NAME_WE)
    string(REGEX REPLACE "^fuzz_" "" h ${exe})
    add_executable(${exe} ${src})
    target_link_libraries(${exe} PRIVATE tfr)
    target_link_options(${exe} PRIVATE -fsanitize=fuzzer)
    set(run ${CMAKE_CURRENT_SOURCE_DIR}/fuzz/run.sh)
    add_test(NAME fuzz_${h}
      COMMAND sh ${run} fuzz $<TARGET_FILE:${exe}> ${h} ${TFR_FUZZ_SECONDS}
        ${TFR_FUZZ_MAXLEN_${h}} ${CMAKE_CURRENT_BINARY_DIR}/fuzz-work/${h})
    add_test(NAME fuzz_${h}_regress
      COMMAND sh ${run} regress $<TARGET_FILE:${exe}> ${h})
    set_tests_properties(fuzz_${h} fuzz_${h}_regress PROPERTIES LABELS fuzz
      ENVIRONMENT "TFR_FUZZ_DIR=${CMAKE_CURRENT_SOURCE_DIR}/fuzz")
    # one fuzzer at a time (2 cores: the fuzzer and the rest of the run)
    set_tests_properties(fuzz_${h} PROPERTIES RUN_SERIAL TRUE
      TIMEOUT 600)
  endforeach()
endif()
