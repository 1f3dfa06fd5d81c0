/*
 * tool_probe.h - what tool_input.c's look at an input's first bytes
 * leaves for the audio reader (tool_audio_in.c), private to
 * tools/common: the stream side and the audio side are two files, so
 * that a tool reading only streams links without libsndfile.
 */
#ifndef TOOL_PROBE_H
#define TOOL_PROBE_H

/* A terminal as the input (path NULL or "-") is a usage error. */
void tool_refuse_terminal(const char *path);

/* The first byte of standard input that tool_input_is_stream took (it is
 * not a stream's): 1 with it in *c, else 0. */
int tool_probed_stdin(unsigned char *c);

/* Is path the named pipe tool_input_is_stream opened? */
int tool_is_kept_fifo(const char *path);

/* That pipe's descriptor, handed over (-1 when path is not it), and its
 * first byte in *first. */
int tool_take_fifo(const char *path, unsigned char *first);

#endif
