/*
 * audio_stdin.h - standard input (or any pipe) as something libsndfile
 * can open like a file (private to the audio input module).
 *
 * libsndfile reads a pipe well only for simple containers, and even then
 * cannot detect a truncated stream; FLAC on a pipe fails outright ("flac
 * decoder lost sync": its format probe consumed bytes it cannot seek
 * back to). Here a pipe is read through libsndfile's virtual I/O with a
 * bounded look-ahead: the first bytes are kept so that the probe and the
 * header parser may seek back over them, later bytes stream through a
 * window. A seek far ahead of what has been read (a header parser looking
 * for chunks after the audio data) reads as the end of the file instead
 * of consuming the stream. Containers whose decoders need the end of the
 * stream first (Ogg looks for its last page) are copied to an unlinked
 * temporary file instead; memory stays bounded either way.
 */
#ifndef TFR_AUDIO_STDIN_H
#define TFR_AUDIO_STDIN_H

#include <sndfile.h>
#include <stdint.h>

#include "tfr_base.h"

typedef struct tfr_pipe_source tfr_pipe_source;

/*
 * Open fd (a pipe) for libsndfile. On success *sf is open: through the
 * returned source (virtual I/O; free it after sf_close), or, when the
 * input was copied to a temporary file, with NULL returned and the file
 * owned by *sf. On failure *sf is NULL and d says why.
 */
tfr_pipe_source *tfr_pipe_source_open(int fd, const unsigned char *prefix,
                                      size_t nprefix, SNDFILE **sf, SF_INFO *info,
                                      tfr_diag *d);

/* Bytes of the input consumed so far, and whether its end was seen. */
int64_t tfr_pipe_source_consumed(const tfr_pipe_source *s);
int tfr_pipe_source_at_end(const tfr_pipe_source *s);
/* The position libsndfile stood at when the open finished: for simple
 * containers, the first byte of the audio data. */
int64_t tfr_pipe_source_data_start(const tfr_pipe_source *s);
/* 1 when the whole input fitted in the look-ahead: libsndfile saw its
 * exact length, as for a file. */
int tfr_pipe_source_whole(const tfr_pipe_source *s);

void tfr_pipe_source_free(tfr_pipe_source *s);

/* libsndfile could not open an input: its reason in d (TFR_EAUDIO), in
 * this library's words where libsndfile's are about itself; empty: the
 * input had no bytes at all. Returns TFR_EAUDIO. */
int tfr_audio_open_failed(tfr_diag *d, int empty);

#endif
