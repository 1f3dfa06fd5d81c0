/* tool_input.c - audio and stream input of the tfr tools (see tool.h). */
#include "tool.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

const char *tool_input_label(const char *path)
{
	return !path || !strcmp(path, "-") ? "stdin" : path;
}

/* Reading a terminal would wait for typed audio or text: refused. */
static void refuse_terminal(const char *path)
{
	if ((!path || !strcmp(path, "-")) && isatty(STDIN_FILENO))
		tool_usage_error("no input file, and standard input is a terminal");
}

/* The input's name for messages (one audio or stream input per tool). */
static const char *audio_label = "stdin";
static const char *stream_label = "stdin";
static FILE *stream_file;

tfr_audio_in *tool_audio_open(const char *path)
{
	refuse_terminal(path);
	audio_label = tool_input_label(path);
	tfr_diag d;
	tfr_audio_in *in = tfr_audio_in_new(path, &d);
	if (!in)
		tool_die_diag(tool_input_label(path), &d);
	return in;
}

static long checked(tfr_audio_in *in, long got)
{
	if (got < 0)
		tool_die_diag(audio_label, tfr_audio_in_diag(in));
	if (got == 0 && tfr_audio_in_frames_read(in) == 0)
		tool_die(TOOL_EXIT_FAIL, "%s: no audio samples in the input", audio_label);
	return got;
}

long tool_audio_read(tfr_audio_in *in, float *buf, size_t nframes)
{
	return checked(in, tfr_audio_in_read(in, buf, nframes));
}

long tool_audio_read_mono(tfr_audio_in *in, float *buf, size_t nframes,
                          int channel)
{
	return checked(in, tfr_audio_in_read_mono(in, buf, nframes, channel));
}

tfr_stream_reader *tool_stream_open(const char *path, const tfr_schema *expect)
{
	refuse_terminal(path);
	const char *label = tool_input_label(path);
	FILE *fp = stdin;
	if (path && strcmp(path, "-") && !(fp = fopen(path, "r")))
		tool_die(TOOL_EXIT_FAIL, "%s: %s", path, strerror(errno));
	stream_label = label;
	stream_file = fp;
	tfr_diag d;
	tfr_stream_reader *r = tfr_stream_reader_new(fp, label, &d);
	if (!r)
		tool_die_diag(label, &d);
	if (tfr_stream_read_header(r, expect) != TFR_OK)
		tool_die_diag(label, tfr_stream_reader_diag(r));
	return r;
}

int tool_stream_read(tfr_stream_reader *r, void *record)
{
	int e = tfr_stream_read(r, record);
	if (e < 0)
		tool_die_diag(stream_label, tfr_stream_reader_diag(r));
	return e;
}

int tool_stream_read_frame(tfr_stream_reader *r, const void **records,
                           size_t *n)
{
	int e = tfr_stream_read_frame(r, records, n);
	if (e < 0)
		tool_die_diag(stream_label, tfr_stream_reader_diag(r));
	return e;
}

void tool_stream_close_input(tfr_stream_reader *r)
{
	tfr_stream_reader_free(r);
	if (stream_file && stream_file != stdin)
		fclose(stream_file);
	stream_file = NULL;
}
