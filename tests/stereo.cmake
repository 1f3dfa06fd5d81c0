# Channels apart through the additive pipeline (--channels split).
tfr_unit_test(test_track_merge test_track_merge.c)
tfr_tool_test(tool_stereo tool_stereo.sh)
tfr_unit_test(test_synth_channels test_synth_channels.c)
