# tfr-image and the picture library (figures, ticks, font, splatting).
tfr_unit_test(test_picture test_picture.c)
tfr_tool_test(tool_image tool_image.sh)
# the PNG inspector of the shell test (test_picture dump FILE [X Y]...)
set_property(TEST tool_image APPEND PROPERTY ENVIRONMENT
  "TFR_PNGDUMP=$<TARGET_FILE:test_picture>")
# peak RSS says nothing under AddressSanitizer (its quarantine keeps what
# is freed): the memory check is skipped there
if(TFR_SANITIZE)
  set_property(TEST tool_image APPEND PROPERTY ENVIRONMENT "TFR_SANITIZE=1")
endif()
