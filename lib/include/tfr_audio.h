/*
 * tfr_audio.h - audio input and output (I/O module: no DSP here).
 *
 * Input is anything libsndfile reads, from a file or from standard input,
 * including a pipe: on a pipe the frame count in the header means nothing,
 * so readers simply read until tfr_audio_in_read() returns 0.
 *
 * Output is WAV (or any libsndfile format for a named file). On a pipe,
 * where libsndfile refuses WAV, a streaming WAV header with "unknown"
 * sizes (0xFFFFFFFF) is written and the samples follow; libsndfile, sox
 * and Python's soundfile read such a stream to its end. Integer output is
 * always clipped, never wrapped.
 */
#ifndef TFR_AUDIO_H
#define TFR_AUDIO_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct tfr_audio_in tfr_audio_in;
typedef struct tfr_audio_out tfr_audio_out;

/* What is known about an input stream. */
typedef struct {
	double sample_rate;  /* Hz */
	int channels;
	int64_t frames;      /* frames announced by the header, -1 if unknown
	                        (always -1 on a pipe) */
	int is_pipe;         /* 1 when the input is a FIFO or socket */
	int is_float;        /* 1 when the samples are stored as float/double */
	int pcm_bits;        /* 8, 16, 24 or 32 for integer PCM, else 0 */
} tfr_audio_info;

/*
 * Open path for reading; NULL or "-" means standard input.
 * On failure returns a negative code and, if msg is not NULL, writes a
 * one-line reason (without the path) into msg[msgsize].
 * Returns TFR_OK, TFR_EAUDIO, TFR_ENOMEM, TFR_EINVAL.
 */
int tfr_audio_in_open(tfr_audio_in **in, const char *path,
                      char *msg, size_t msgsize);

/* Stream properties (valid after a successful open). */
const tfr_audio_info *tfr_audio_in_info(const tfr_audio_in *in);

/*
 * Read up to nframes interleaved frames as float (integer PCM normalised to
 * [-1, 1)). Returns the number of frames read, 0 at the end of the input,
 * or a negative code: TFR_EAUDIO for a read error, TFR_EEOF at the end of
 * a truncated file (a seekable file whose header announces more data than
 * it holds; the frames that are there are delivered first).
 */
long tfr_audio_in_read(tfr_audio_in *in, float *buf, size_t nframes);

/*
 * Read up to nframes frames reduced to one channel: channel 1..channels
 * picks that channel, channel 0 averages all channels. Internally reads
 * through a buffer of its own, so buf holds nframes floats only.
 * Returns as tfr_audio_in_read(); TFR_EINVAL for a channel out of range.
 */
long tfr_audio_in_read_mono(tfr_audio_in *in, float *buf, size_t nframes,
                            int channel);

/* Frames delivered so far. */
int64_t tfr_audio_in_frames_read(const tfr_audio_in *in);

/* The last libsndfile error text for this stream (never NULL). */
const char *tfr_audio_in_error(const tfr_audio_in *in);

void tfr_audio_in_close(tfr_audio_in *in);

/* Output sample formats. */
typedef enum {
	TFR_SAMPLE_PCM16 = 16,
	TFR_SAMPLE_PCM24 = 24,
	TFR_SAMPLE_FLOAT = 32
} tfr_sample_format;

/*
 * Open path for writing a WAV stream; NULL or "-" means standard output.
 * A named file's type follows its extension when libsndfile knows it
 * (.wav .aiff .flac .au ...), WAV otherwise. Refuses a terminal
 * (TFR_ETTY). On failure writes a reason into msg like tfr_audio_in_open.
 * Returns TFR_OK, TFR_ETTY, TFR_EAUDIO, TFR_EINVAL, TFR_ENOMEM.
 */
int tfr_audio_out_open(tfr_audio_out **out, const char *path,
                       double sample_rate, int channels,
                       tfr_sample_format format, char *msg, size_t msgsize);

/*
 * Write nframes interleaved frames. Integer formats clip to full scale.
 * Returns TFR_OK or TFR_EIO.
 */
int tfr_audio_out_write(tfr_audio_out *out, const float *buf, size_t nframes);

/* Push buffered samples to the descriptor (for live pipes). */
int tfr_audio_out_flush(tfr_audio_out *out);

/* 1 when the output is a pipe or socket, written as a streaming WAV: a
 * live consumer may be waiting, so callers flush as they go. */
int tfr_audio_out_is_stream(const tfr_audio_out *out);

/* Samples that were clipped so far (integer formats only). */
int64_t tfr_audio_out_clipped(const tfr_audio_out *out);

/*
 * Finish the stream (final header sizes where the output can seek) and
 * release it. Returns TFR_OK or TFR_EIO; the object is freed either way.
 */
int tfr_audio_out_close(tfr_audio_out *out);

#ifdef __cplusplus
}
#endif

#endif /* TFR_AUDIO_H */
