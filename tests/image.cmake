# tfr-image and the picture library (figures, ticks, font, splatting).
tfr_unit_test(test_picture test_picture.c)
tfr_tool_test(tool_image tool_image.sh)
tfr_tool_test(tool_image_overlay tool_image_overlay.sh)
