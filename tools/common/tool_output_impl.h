/*
 * tool_output_impl.h - an output's parts (tool.h's tool_output), private
 * to tools/common: shared by the output itself (tool_output.c) and the
 * audio written to it (tool_audio_out.c), two files so that a tool
 * writing only streams links without libsndfile.
 */
#ifndef TOOL_OUTPUT_IMPL_H
#define TOOL_OUTPUT_IMPL_H

#include <stdio.h>

struct tool_output {
	const char *label;      /* as given, or "stdout" */
	char *final;            /* where a temporary goes on success */
	int fd;
	FILE *fp;
	int slot;               /* its temporary's (tool_temp.h), or -1 */
};

#endif
