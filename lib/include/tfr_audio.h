/*
 * tfr_audio.h - audio input and output (I/O module: no DSP here).
 *
 * Input is anything libsndfile reads (WAV, AIFF, FLAC, Ogg, ...), from a
 * file or from standard input, including a pipe: there the frame count
 * in the header means nothing, so readers read until tfr_audio_in_read()
 * returns 0. A truncated input is an error on a pipe as on a file, and
 * so is a sample that is not finite or beyond TFR_MAX_SAMPLE.
 *
 * Output is WAV (or another libsndfile type, by the output's name) on a
 * descriptor the caller opened. On a pipe, where libsndfile refuses WAV,
 * a streaming WAV header is written (with exact sizes when the length is
 * known in advance, "unknown" sizes otherwise) and the samples follow.
 * Integer output is always clipped, never wrapped, and the clipped
 * samples counted.
 */
#ifndef TFR_AUDIO_H
#define TFR_AUDIO_H

#include <stddef.h>
#include <stdint.h>

#include "tfr_base.h"

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
	int is_pipe;         /* 1 when the input is a pipe, FIFO or socket */
	int is_float;        /* 1 when the samples are stored as float/double */
	int pcm_bits;        /* 8, 16, 24 or 32 for integer PCM, else 0 */
} tfr_audio_info;

/*
 * Open path for reading; NULL or "-" means standard input. On a pipe,
 * containers read front to back (WAV, AIFF, AU, CAF, W64, RF64, FLAC)
 * stream through a bounded look-ahead; others (Ogg) are first copied to
 * an unlinked temporary file ($TMPDIR or /tmp). NULL on failure, with
 * the reason in d (TFR_EAUDIO, TFR_EUNSUPPORTED beyond the limits of
 * tfr_base.h, TFR_EIO, TFR_ENOMEM).
 */
tfr_audio_in *tfr_audio_in_new(const char *path, tfr_diag *d);

/*
 * Standard input, whose first n bytes (n <= 4096) a caller has already
 * read to see what kind of input it is: they are given back here, so
 * that a pipe needs no second look. On a seekable standard input the
 * position is moved back instead. Otherwise as tfr_audio_in_new.
 */
tfr_audio_in *tfr_audio_in_new_probed(const unsigned char *prefix, size_t n,
                                      tfr_diag *d);

/*
 * The same for an open descriptor fd (a named pipe a caller opened to
 * look at): fd is closed by tfr_audio_in_free, or here on failure.
 */
tfr_audio_in *tfr_audio_in_new_fd(int fd, const unsigned char *prefix, size_t n,
                                  tfr_diag *d);

/*
 * What audio container some content is, from its first bytes head[0..n-1]
 * (TFR_AUDIO_DETECT_HEAD of them suffice): "WAV" (RIFF....WAVE), "RF64",
 * "W64" (its RIFF GUID), "AIFF", "AIFF-C" (FORM....AIFF/AIFC), "FLAC" (fLaC), "Ogg"
 * (OggS), "MP3" (an ID3 tag or an MPEG frame sync, 0xFFEx), "AU" (.snd),
 * "CAF" (caff); NULL for anything else (a tfr stream starts with '#',
 * which no container does). For messages that say what an input is.
 */
const char *tfr_audio_detect(const void *head, size_t n);
#define TFR_AUDIO_DETECT_HEAD 16

/* Stream properties. */
const tfr_audio_info *tfr_audio_in_info(const tfr_audio_in *in);

/*
 * Read up to nframes interleaved frames as float (integer PCM normalised
 * to [-1, 1)). Returns the number of frames read, 0 at the end of the
 * input, or a negative code with the reason in tfr_audio_in_diag():
 * TFR_EEOF when the input ends before the audio its header announces or
 * inside a frame (the frames that are there are delivered first),
 * TFR_EFORMAT for a sample that is NaN or beyond TFR_MAX_SAMPLE,
 * TFR_EAUDIO for a read error.
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

/* The frames the header announces, also on a pipe (where info.frames
 * is -1, as the input may end sooner: a read then fails with TFR_EEOF);
 * -1 when the header does not say (a stream written live). */
int64_t tfr_audio_in_announced(const tfr_audio_in *in);

/* The detail of the last failure. */
const tfr_diag *tfr_audio_in_diag(const tfr_audio_in *in);

void tfr_audio_in_free(tfr_audio_in *in);

/* Output sample formats. */
typedef enum {
	TFR_SAMPLE_PCM16 = 16,
	TFR_SAMPLE_PCM24 = 24,
	TFR_SAMPLE_FLOAT = 32
} tfr_sample_format;

/* The output format that keeps an input's precision: float for float
 * (and 32-bit) input, 24-bit for 24-bit, else 16-bit. */
tfr_sample_format tfr_audio_format_like(const tfr_audio_info *in);

typedef struct {
	int fd;                 /* where to write; not closed here (1) */
	const char *name;       /* the output's name: its extension chooses
	                           the file type (.wav .aiff .flac .au ...,
	                           WAV when unknown or NULL) */
	double sample_rate;     /* Hz (44100) */
	int channels;           /* (1) */
	tfr_sample_format format; /* (TFR_SAMPLE_FLOAT) */
	int64_t frames;         /* frames that will be written, when known in
	                           advance: a pipe's header then carries the
	                           exact sizes; -1 unknown (default) */
} tfr_audio_out_params;

void tfr_audio_out_params_default(tfr_audio_out_params *p);
int tfr_audio_out_check(const tfr_audio_out_params *p, tfr_diag *d);

/* NULL on failure with the reason in d (TFR_EINVAL, TFR_EAUDIO,
 * TFR_ENOMEM). */
tfr_audio_out *tfr_audio_out_new(const tfr_audio_out_params *p, tfr_diag *d);

/* Write nframes interleaved frames. Returns TFR_OK or TFR_EIO. */
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
 * release it. Returns TFR_OK, or TFR_EIO if anything could not be
 * written; the object is freed either way.
 */
int tfr_audio_out_close(tfr_audio_out *out);

#ifdef __cplusplus
}
#endif

#endif /* TFR_AUDIO_H */
