/*
 * audio_io.c - audio input through libsndfile, audio output through
 * libsndfile or, on a pipe, through a streaming WAV writer of our own.
 *
 * Facts this module is built on (unix-io.md §1): on a pipe libsndfile's
 * frame count is meaningless, so input is read until a read returns 0;
 * libsndfile refuses to open WAV for writing on a pipe, so there we write
 * a RIFF header whose sizes say "unknown" (0xFFFFFFFF) and stream the
 * samples after it; float to integer conversion wraps in libsndfile unless
 * clipping is on, so integer samples are converted (and clipped) here.
 */
#include "tfr_base.h"
#include "tfr_audio.h"
#include "internal.h"

#include <sndfile.h>

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <fcntl.h>
#include <unistd.h>

enum { MONO_CHUNK = 4096 };

struct tfr_audio_in {
	SNDFILE *sf;
	tfr_audio_info info;
	int truncated;      /* the header promises more data than there is */
	int64_t delivered;
	float *mix;         /* interleaved scratch for read_mono */
};

static void set_msg(char *msg, size_t size, const char *text)
{
	if (msg && size)
		snprintf(msg, size, "%s", text);
}

static int fd_is_pipe(int fd)
{
	struct stat st;
	return fstat(fd, &st) == 0 && (S_ISFIFO(st.st_mode) || S_ISSOCK(st.st_mode));
}

static int stdio_path(const char *path)
{
	return !path || !strcmp(path, "-");
}

/*
 * libsndfile silently shortens a data chunk that runs past the end of a
 * seekable file (a truncated download or copy), noting it in its log as
 * "data : 88200 (should be 2000)". A shortened file is an error for us,
 * except when the header size is one of the placeholders streaming
 * writers use for "unknown" (0, 0x7FFFF000 as sox, 0xFFFFFFFF as tfr).
 */
static int header_overstates(SNDFILE *sf)
{
	char log[8192];
	sf_command(sf, SFC_GET_LOG_INFO, log, sizeof log);
	for (char *line = log; line && *line; line = strchr(line, '\n')) {
		if (*line == '\n')
			line++;
		unsigned long long said, real;
		if ((sscanf(line, "data : %llu (should be %llu)", &said, &real) == 2 ||
		     sscanf(line, "SSND : %llu (should be %llu)", &said, &real) == 2) &&
		    said > real && said != 0xFFFFFFFFull && said != 0x7FFFF000ull &&
		    said != 0x7FFFFFFFull)
			return 1;
	}
	return 0;
}

static int pcm_bits(int format)
{
	switch (format & SF_FORMAT_SUBMASK) {
	case SF_FORMAT_PCM_S8: case SF_FORMAT_PCM_U8: return 8;
	case SF_FORMAT_PCM_16: return 16;
	case SF_FORMAT_PCM_24: return 24;
	case SF_FORMAT_PCM_32: return 32;
	}
	return 0;
}

int tfr_audio_in_open(tfr_audio_in **out, const char *path, char *msg,
                      size_t msgsize)
{
	SF_INFO si;
	memset(&si, 0, sizeof si);
	*out = NULL;
	int fd = -1;
	if (stdio_path(path)) {
		fd = 0;
	} else if ((fd = open(path, O_RDONLY)) < 0) {
		set_msg(msg, msgsize, strerror(errno));
		return TFR_EAUDIO;
	}
	/* Opening by descriptor lets a named FIFO be detected like stdin. */
	int pipe = fd_is_pipe(fd);
	SNDFILE *sf = sf_open_fd(fd, SFM_READ, &si, fd != 0);
	if (!sf) {
		const char *e = sf_strerror(NULL);
		/* libsndfile's words for "not a sound file" are cryptic */
		set_msg(msg, msgsize, e && *e ? e : "not a readable audio file");
		if (fd != 0)
			close(fd);
		return TFR_EAUDIO;
	}
	if (si.channels < 1 || si.samplerate < 1) {
		set_msg(msg, msgsize, "invalid channel count or sample rate");
		sf_close(sf);
		return TFR_EAUDIO;
	}
	tfr_audio_in *in = calloc(1, sizeof *in);
	size_t mixsize = tfr_size_mul(MONO_CHUNK, (size_t)si.channels);
	if (!in || !mixsize || !(in->mix = malloc(mixsize * sizeof(float)))) {
		free(in);
		sf_close(sf);
		set_msg(msg, msgsize, "out of memory");
		return TFR_ENOMEM;
	}
	in->sf = sf;
	in->info.sample_rate = si.samplerate;
	in->info.channels = si.channels;
	in->info.is_pipe = pipe || !si.seekable;
	in->info.frames = in->info.is_pipe ? -1 : (int64_t)si.frames;
	in->info.pcm_bits = pcm_bits(si.format);
	int sub = si.format & SF_FORMAT_SUBMASK;
	in->info.is_float = sub == SF_FORMAT_FLOAT || sub == SF_FORMAT_DOUBLE;
	in->truncated = !in->info.is_pipe && header_overstates(sf);
	*out = in;
	return TFR_OK;
}

const tfr_audio_info *tfr_audio_in_info(const tfr_audio_in *in)
{
	return &in->info;
}

long tfr_audio_in_read(tfr_audio_in *in, float *buf, size_t nframes)
{
	if (nframes > (size_t)1 << 30)
		nframes = (size_t)1 << 30;
	sf_count_t got = sf_readf_float(in->sf, buf, (sf_count_t)nframes);
	if (got < 0 || sf_error(in->sf) != SF_ERR_NO_ERROR)
		return TFR_EAUDIO;
	if (got == 0 && nframes > 0 && in->truncated)
		return TFR_EEOF;  /* a seekable file shorter than its header */
	in->delivered += got;
	return (long)got;
}

long tfr_audio_in_read_mono(tfr_audio_in *in, float *buf, size_t nframes,
                            int channel)
{
	int ch = in->info.channels;
	if (channel < 0 || channel > ch)
		return TFR_EINVAL;
	if (ch == 1)
		return tfr_audio_in_read(in, buf, nframes);
	if (nframes > MONO_CHUNK)
		nframes = MONO_CHUNK;
	long got = tfr_audio_in_read(in, in->mix, nframes);
	for (long i = 0; i < got; i++) {
		const float *f = in->mix + (size_t)i * (size_t)ch;
		if (channel) {
			buf[i] = f[channel - 1];
		} else {
			double s = 0;
			for (int c = 0; c < ch; c++)
				s += f[c];
			buf[i] = (float)(s / ch);
		}
	}
	return got;
}

int64_t tfr_audio_in_frames_read(const tfr_audio_in *in)
{
	return in->delivered;
}

const char *tfr_audio_in_error(const tfr_audio_in *in)
{
	const char *e = sf_strerror(in ? in->sf : NULL);
	return e ? e : "unknown libsndfile error";
}

void tfr_audio_in_close(tfr_audio_in *in)
{
	if (!in)
		return;
	sf_close(in->sf);
	free(in->mix);
	free(in);
}

/* ------------------------------------------------------------------ */

enum { OUT_BUFSIZE = 1 << 16, CONV_FRAMES = 1024 };

struct tfr_audio_out {
	SNDFILE *sf;             /* libsndfile path (seekable outputs) */
	int fd;                  /* streaming path (pipes) */
	int close_fd;
	int channels;
	tfr_sample_format format;
	int64_t clipped;
	unsigned char *bytes;    /* streaming buffer */
	size_t nbytes;
	int *conv;               /* integer conversion scratch */
};

/* Float to integer with rounding and clipping (never wrapping). */
static int to_int(const tfr_audio_out *o, float x, int64_t *clipped)
{
	double full = o->format == TFR_SAMPLE_PCM16 ? 32768.0 : 8388608.0;
	double v = nearbyint((double)x * full);
	if (v > full - 1) {
		(*clipped)++;
		return (int)(full - 1);
	}
	if (v < -full) {
		(*clipped)++;
		return (int)-full;
	}
	if (isnan(v)) {
		(*clipped)++;
		return 0;
	}
	return (int)v;
}

static int write_all(int fd, const unsigned char *p, size_t n)
{
	while (n) {
		ssize_t w = write(fd, p, n);
		if (w < 0) {
			if (errno == EINTR)
				continue;
			return TFR_EIO;
		}
		p += w;
		n -= (size_t)w;
	}
	return TFR_OK;
}

static void put_le(unsigned char *p, uint32_t v, int bytes)
{
	for (int i = 0; i < bytes; i++)
		p[i] = (unsigned char)(v >> (8 * i));
}

/* Canonical 44-byte RIFF/WAVE header with "unknown" (0xFFFFFFFF) sizes:
 * readers that honour it read to the end of the stream. */
static void wav_stream_header(unsigned char h[44], double rate, int channels,
                              tfr_sample_format fmt)
{
	int bytes = fmt == TFR_SAMPLE_PCM16 ? 2 : fmt == TFR_SAMPLE_PCM24 ? 3 : 4;
	uint32_t sr = (uint32_t)lrint(rate);
	memcpy(h, "RIFF", 4);
	put_le(h + 4, 0xFFFFFFFFu, 4);
	memcpy(h + 8, "WAVEfmt ", 8);
	put_le(h + 16, 16, 4);
	put_le(h + 20, fmt == TFR_SAMPLE_FLOAT ? 3 : 1, 2);  /* IEEE float : PCM */
	put_le(h + 22, (uint32_t)channels, 2);
	put_le(h + 24, sr, 4);
	put_le(h + 28, sr * (uint32_t)(channels * bytes), 4);
	put_le(h + 32, (uint32_t)(channels * bytes), 2);
	put_le(h + 34, (uint32_t)(8 * bytes), 2);
	memcpy(h + 36, "data", 4);
	put_le(h + 40, 0xFFFFFFFFu, 4);
}

/* Major format from a file name's extension (WAV when unknown). */
static int major_for(const char *path)
{
	static const struct { const char *ext; int major; } t[] = {
		{ "wav", SF_FORMAT_WAV }, { "aif", SF_FORMAT_AIFF },
		{ "aiff", SF_FORMAT_AIFF }, { "au", SF_FORMAT_AU },
		{ "snd", SF_FORMAT_AU }, { "flac", SF_FORMAT_FLAC },
		{ "caf", SF_FORMAT_CAF }, { "w64", SF_FORMAT_W64 },
		{ "rf64", SF_FORMAT_RF64 },
	};
	const char *dot = path ? strrchr(path, '.') : NULL;
	if (dot)
		for (size_t i = 0; i < sizeof t / sizeof t[0]; i++)
			if (!strcasecmp(dot + 1, t[i].ext))
				return t[i].major;
	return SF_FORMAT_WAV;
}

static int open_sndfile(tfr_audio_out *o, int fd, const char *path,
                        double rate, char *msg, size_t msgsize)
{
	int major = major_for(path);
	int sub = o->format == TFR_SAMPLE_PCM16 ? SF_FORMAT_PCM_16
	        : o->format == TFR_SAMPLE_PCM24 ? SF_FORMAT_PCM_24
	        : SF_FORMAT_FLOAT;
	if (major == SF_FORMAT_FLAC && sub == SF_FORMAT_FLOAT)
		sub = SF_FORMAT_PCM_24;  /* FLAC holds integers only */
	SF_INFO si = { .samplerate = (int)lrint(rate), .channels = o->channels,
	               .format = major | sub };
	if (!sf_format_check(&si)) {
		set_msg(msg, msgsize, "sample format not supported by this file type");
		return TFR_EINVAL;
	}
	o->sf = sf_open_fd(fd, SFM_WRITE, &si, o->close_fd);
	if (!o->sf) {
		set_msg(msg, msgsize, sf_strerror(NULL));
		return TFR_EAUDIO;
	}
	o->close_fd = 0;  /* libsndfile owns the descriptor now */
	if (sub == SF_FORMAT_FLOAT)
		o->format = TFR_SAMPLE_FLOAT;
	else if (sub == SF_FORMAT_PCM_24)
		o->format = TFR_SAMPLE_PCM24;
	return TFR_OK;
}

int tfr_audio_out_open(tfr_audio_out **out, const char *path,
                       double sample_rate, int channels,
                       tfr_sample_format format, char *msg, size_t msgsize)
{
	*out = NULL;
	if (!(sample_rate >= 1 && sample_rate <= 4e6) || channels < 1 ||
	    channels > 1024 || (format != TFR_SAMPLE_PCM16 &&
	    format != TFR_SAMPLE_PCM24 && format != TFR_SAMPLE_FLOAT)) {
		set_msg(msg, msgsize, "invalid output parameters");
		return TFR_EINVAL;
	}
	tfr_audio_out *o = calloc(1, sizeof *o);
	if (!o || !(o->conv = malloc(CONV_FRAMES * (size_t)channels * sizeof(int)))) {
		free(o);
		set_msg(msg, msgsize, "out of memory");
		return TFR_ENOMEM;
	}
	o->channels = channels;
	o->format = format;
	int fd = 1;
	if (!stdio_path(path)) {
		fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0666);
		if (fd < 0) {
			set_msg(msg, msgsize, strerror(errno));
			tfr_audio_out_close(o);
			return TFR_EAUDIO;
		}
		o->close_fd = 1;
	} else if (isatty(1)) {
		set_msg(msg, msgsize, tfr_strerror(TFR_ETTY));
		tfr_audio_out_close(o);
		return TFR_ETTY;
	}
	o->fd = fd;
	int e;
	if (fd_is_pipe(fd)) {
		unsigned char h[44];
		if (!(o->bytes = malloc(OUT_BUFSIZE))) {
			set_msg(msg, msgsize, "out of memory");
			tfr_audio_out_close(o);
			return TFR_ENOMEM;
		}
		wav_stream_header(h, sample_rate, channels, format);
		memcpy(o->bytes, h, sizeof h);
		o->nbytes = sizeof h;
		e = TFR_OK;
	} else {
		e = open_sndfile(o, fd, path, sample_rate, msg, msgsize);
	}
	if (e != TFR_OK) {
		tfr_audio_out_close(o);
		return e;
	}
	*out = o;
	return TFR_OK;
}

/* Append frames to the streaming buffer as little-endian samples. */
static int stream_write(tfr_audio_out *o, const float *buf, size_t nsamples)
{
	int bytes = o->format == TFR_SAMPLE_PCM16 ? 2 : o->format == TFR_SAMPLE_PCM24 ? 3 : 4;
	for (size_t i = 0; i < nsamples; i++) {
		if (o->nbytes + 4 > OUT_BUFSIZE) {
			if (write_all(o->fd, o->bytes, o->nbytes) != TFR_OK)
				return TFR_EIO;
			o->nbytes = 0;
		}
		uint32_t v;
		if (o->format == TFR_SAMPLE_FLOAT)
			memcpy(&v, &buf[i], 4);
		else
			v = (uint32_t)to_int(o, buf[i], &o->clipped);
		put_le(o->bytes + o->nbytes, v, bytes);
		o->nbytes += (size_t)bytes;
	}
	return TFR_OK;
}

int tfr_audio_out_write(tfr_audio_out *o, const float *buf, size_t nframes)
{
	size_t ch = (size_t)o->channels;
	if (!o->sf)
		return stream_write(o, buf, nframes * ch);
	if (o->format == TFR_SAMPLE_FLOAT)
		return sf_writef_float(o->sf, buf, (sf_count_t)nframes) == (sf_count_t)nframes
		       ? TFR_OK : TFR_EIO;
	/* libsndfile takes int samples left-aligned in 32 bits */
	int shift = o->format == TFR_SAMPLE_PCM16 ? 16 : 8;
	while (nframes) {
		size_t n = nframes < CONV_FRAMES ? nframes : CONV_FRAMES;
		for (size_t i = 0; i < n * ch; i++)
			o->conv[i] = (int)((uint32_t)to_int(o, buf[i], &o->clipped) << shift);
		if (sf_writef_int(o->sf, o->conv, (sf_count_t)n) != (sf_count_t)n)
			return TFR_EIO;
		buf += n * ch;
		nframes -= n;
	}
	return TFR_OK;
}

int tfr_audio_out_flush(tfr_audio_out *o)
{
	if (o->sf) {
		sf_write_sync(o->sf);
		return TFR_OK;
	}
	int e = write_all(o->fd, o->bytes, o->nbytes);
	o->nbytes = 0;
	return e;
}

int tfr_audio_out_is_stream(const tfr_audio_out *o)
{
	return o->sf == NULL;
}

int64_t tfr_audio_out_clipped(const tfr_audio_out *o)
{
	return o->clipped;
}

int tfr_audio_out_close(tfr_audio_out *o)
{
	if (!o)
		return TFR_OK;
	int e = TFR_OK;
	if (o->sf) {
		if (sf_error(o->sf) != SF_ERR_NO_ERROR)
			e = TFR_EIO;
		if (sf_close(o->sf) != 0)
			e = TFR_EIO;
	} else if (o->bytes) {
		e = tfr_audio_out_flush(o);
	}
	if (o->close_fd && close(o->fd) != 0)
		e = TFR_EIO;
	free(o->bytes);
	free(o->conv);
	free(o);
	return e;
}
