/*
 * audio_out.c - audio output: WAV (or any type libsndfile writes, by the
 * output's name) through libsndfile on a file, and a streaming WAV writer
 * of our own on a pipe, where libsndfile refuses WAV (unix-io.md §1.2),
 * and for float WAV on a file, whose header from libsndfile makes sox
 * warn. On a pipe the header carries the exact sizes when the caller
 * knows the length in advance, and "unknown" (0xFFFFFFFF) sizes
 * otherwise, which libsndfile, sox and Python's soundfile read to the end
 * of the stream; on a file it is rewritten with the sizes at the end.
 * Float to integer conversion is done here, rounding and clipping (never
 * wrapping, as libsndfile's does unless told), counting what clipped.
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
#include <unistd.h>

enum { OUT_BUFSIZE = 1 << 16, CONV_FRAMES = 1024, CONV16 = 1 << 15 };

struct tfr_audio_out {
	SNDFILE *sf;             /* libsndfile path (files) */
	int fd;                  /* streaming path (pipes) */
	int channels;
	tfr_sample_format format;
	int64_t clipped;
	unsigned char *bytes;    /* streaming buffer */
	size_t nbytes;
	int *conv;               /* integer conversion scratch */
	short *conv16;           /* 16-bit samples to libsndfile, CONV16 */
	int failed;              /* a write failed: close reports it */
	int pipe;                /* streaming to a pipe */
	off_t header_at;         /* own WAV on a file: where its header is,
	                            rewritten with the sizes at the end (-1:
	                            not seekable) */
	double rate;
	int64_t written;         /* frames written (own WAV) */
};

/* Float to integer with rounding and clipping (never wrapping). */
static int to_int(const tfr_audio_out *o, float x, int64_t *clipped)
{
	double full = o->format == TFR_SAMPLE_PCM16 ? 32768.0 : 8388608.0;
	double v = nearbyint((double)x * full);
	if (isnan(v)) {
		(*clipped)++;
		return 0;
	}
	if (v > full - 1) {
		(*clipped)++;
		return (int)(full - 1);
	}
	if (v < -full) {
		(*clipped)++;
		return (int)-full;
	}
	return (int)v;
}

/*
 * to_int of n samples, left-aligned by shift into y, counting what
 * clipped: the same integers (checked for every float), in a loop the
 * compiler vectorises, which to_int's branches and nearbyint call are
 * not (one sample at a time was 12 % of tfr-sdelay's instructions). The
 * scaling by a power of two is exact in float; below 2^23 adding and
 * taking 2^23 rounds to the nearest integer, ties to even, as nearbyint;
 * from 2^23 on a float is an integer. The decisions are made on the
 * bits (for |v|, their order is the values'): float compares may trap
 * and are not if-converted.
 */
static uint32_t to_ints(const tfr_audio_out *o, const float *x, int *y,
                        size_t n, int shift)
{
	float full = o->format == TFR_SAMPLE_PCM16 ? 32768.0f : 8388608.0f;
	uint32_t big = tfr_float_bits(8388608.0f), hi = tfr_float_bits(full - 1.0f);
	uint32_t lo = tfr_float_bits(-full), top = tfr_float_bits(full), clipped = 0;
	for (size_t i = 0; i < n; i++) {
		float v = x[i] * full;
		uint32_t b = tfr_float_bits(v), sign = b & 0x80000000u, a = b ^ sign;
		uint32_t t = tfr_float_bits((tfr_bits_float(a) + tfr_bits_float(big)) - tfr_bits_float(big)) | sign;
		uint32_t ms = 0u - (uint32_t)(a < big);
		uint32_t r = (t & ms) | (b & ~ms), ra = r & 0x7fffffffu;
		uint32_t pos = (sign >> 31) ^ 1u, nan = a > 0x7f800000u;
		uint32_t over = pos & (ra > hi), under = (pos ^ 1u) & (ra > top);
		uint32_t mo = 0u - over, mu = 0u - under, mn = 0u - nan;
		uint32_t c = ((hi & mo) | (lo & mu) | (r & ~(mo | mu))) & ~mn;
		clipped += nan | over | under;
		y[i] = (int)((uint32_t)(int)tfr_bits_float(c) << shift);
	}
	return clipped;
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

static int sample_bytes(tfr_sample_format fmt)
{
	return fmt == TFR_SAMPLE_PCM16 ? 2 : fmt == TFR_SAMPLE_PCM24 ? 3 : 4;
}

/* The longest streaming header (float: fmt with its extension size, a
 * fact chunk). */
enum { WAV_HEADER_MAX = 58 };

/* A RIFF/WAVE header for a stream: its length (44 bytes for PCM, 58 for
 * float). With frames < 0 (or too many for 32-bit sizes) the sizes say
 * "unknown" (0xFFFFFFFF) and readers that honour it read to the end of
 * the stream. Float data (not PCM) has what the format asks of it and
 * sox checks: a fmt chunk of 18 bytes (its extension's size, 0) and a
 * fact chunk with the frame count (without them sox warns "wave header
 * missing extended part of fmt chunk"). */
static size_t wav_stream_header(unsigned char h[WAV_HEADER_MAX], double rate,
                                int channels, tfr_sample_format fmt,
                                int64_t frames)
{
	int bytes = sample_bytes(fmt);
	int flt = fmt == TFR_SAMPLE_FLOAT;
	uint32_t fmtsize = flt ? 18 : 16;
	uint32_t head = 4 + 8 + fmtsize + (flt ? 12 : 0) + 8;  /* "WAVE" to data */
	uint32_t sr = (uint32_t)lrint(rate);
	uint32_t riff = 0xFFFFFFFFu, data = 0xFFFFFFFFu, count = 0xFFFFFFFFu;
	uint64_t dbytes = frames < 0 ? UINT64_MAX
	                : (uint64_t)frames * (uint64_t)(channels * bytes);
	if (dbytes <= 0xFFFFFFFFull - head) {
		data = (uint32_t)dbytes;
		riff = data + head;
		count = (uint32_t)frames;
	}
	unsigned char *p = h;
	memcpy(p, "RIFF", 4);
	put_le(p + 4, riff, 4);
	memcpy(p + 8, "WAVEfmt ", 8);
	put_le(p + 16, fmtsize, 4);
	put_le(p + 20, flt ? 3 : 1, 2);  /* IEEE float : PCM */
	put_le(p + 22, (uint32_t)channels, 2);
	put_le(p + 24, sr, 4);
	put_le(p + 28, sr * (uint32_t)(channels * bytes), 4);
	put_le(p + 32, (uint32_t)(channels * bytes), 2);
	put_le(p + 34, (uint32_t)(8 * bytes), 2);
	p += 36;
	if (flt) {
		put_le(p, 0, 2);  /* no more format bytes */
		memcpy(p + 2, "fact", 4);
		put_le(p + 6, 4, 4);
		put_le(p + 10, count, 4);
		p += 14;
	}
	memcpy(p, "data", 4);
	put_le(p + 4, data, 4);
	return (size_t)(p + 8 - h);
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

static int open_sndfile(tfr_audio_out *o, const tfr_audio_out_params *p,
                        tfr_diag *d)
{
	int major = major_for(p->name);
	int sub = o->format == TFR_SAMPLE_PCM16 ? SF_FORMAT_PCM_16
	        : o->format == TFR_SAMPLE_PCM24 ? SF_FORMAT_PCM_24
	        : SF_FORMAT_FLOAT;
	if (major == SF_FORMAT_FLAC && sub == SF_FORMAT_FLOAT)
		sub = SF_FORMAT_PCM_24;  /* FLAC holds integers only */
	SF_INFO si = { .samplerate = (int)lrint(p->sample_rate),
	               .channels = o->channels, .format = major | sub };
	if (!sf_format_check(&si))
		return tfr_diag_set(d, TFR_EINVAL,
		                    "sample format not supported by this file type");
	errno = 0;
	if (!(o->sf = sf_open_fd(p->fd, SFM_WRITE, &si, SF_FALSE))) {
		/* the header could not be written: say why as a write error */
		if (errno)
			return tfr_diag_setf(d, TFR_EIO, "write error: %s", strerror(errno));
		const char *e = sf_strerror(NULL);
		return tfr_diag_set(d, TFR_EAUDIO, e && *e ? e : "cannot write audio");
	}
	/* the PEAK chunk of float files holds the time of writing: without
	 * it, the same input gives the same bytes */
	sf_command(o->sf, SFC_SET_ADD_PEAK_CHUNK, NULL, SF_FALSE);
	if (sub == SF_FORMAT_FLOAT)
		o->format = TFR_SAMPLE_FLOAT;
	else if (sub == SF_FORMAT_PCM_24)
		o->format = TFR_SAMPLE_PCM24;
	return TFR_OK;
}

void tfr_audio_out_params_default(tfr_audio_out_params *p)
{
	memset(p, 0, sizeof *p);
	p->fd = 1;
	p->name = NULL;
	p->sample_rate = 44100;
	p->channels = 1;
	p->format = TFR_SAMPLE_FLOAT;
	p->frames = -1;
}

int tfr_audio_out_check(const tfr_audio_out_params *p, tfr_diag *d)
{
	if (p->fd < 0)
		return tfr_diag_set(d, TFR_EINVAL, "no output descriptor");
	if (!(p->sample_rate >= 1 && p->sample_rate <= TFR_MAX_SAMPLE_RATE))
		return tfr_diag_setf(d, TFR_EINVAL, "sample rate %g Hz out of range [1, %d]",
		                     p->sample_rate, TFR_MAX_SAMPLE_RATE);
	if (p->channels < 1 || p->channels > TFR_MAX_CHANNELS)
		return tfr_diag_setf(d, TFR_EINVAL, "%d channels (1 to %d)",
		                     p->channels, TFR_MAX_CHANNELS);
	if (p->format != TFR_SAMPLE_PCM16 && p->format != TFR_SAMPLE_PCM24 &&
	    p->format != TFR_SAMPLE_FLOAT)
		return tfr_diag_set(d, TFR_EINVAL, "unknown sample format");
	return TFR_OK;
}

static int fd_is_pipe(int fd)
{
	struct stat st;
	return fstat(fd, &st) == 0 && (S_ISFIFO(st.st_mode) || S_ISSOCK(st.st_mode));
}

tfr_audio_out *tfr_audio_out_new(const tfr_audio_out_params *p, tfr_diag *d)
{
	tfr_diag_clear(d);
	if (tfr_audio_out_check(p, d) != TFR_OK)
		return NULL;
	tfr_audio_out *o = calloc(1, sizeof *o);
	if (!o || !(o->conv = malloc(CONV_FRAMES * (size_t)p->channels * sizeof(int)))) {
		free(o);
		tfr_diag_set(d, TFR_ENOMEM, NULL);
		return NULL;
	}
	o->channels = p->channels;
	o->format = p->format;
	o->fd = p->fd;
	o->rate = p->sample_rate;
	o->header_at = -1;
	o->pipe = fd_is_pipe(p->fd);
	int e;
	/* float WAV on a file too: libsndfile's has a 16-byte fmt chunk,
	 * on which sox warns (and its WAVE_FORMAT_EXTENSIBLE as well, sox
	 * 14.4.2 reading the float subformat as lacking its extension) */
	int own = o->pipe || (major_for(p->name) == SF_FORMAT_WAV &&
	                      p->format == TFR_SAMPLE_FLOAT);
	if (own) {
		if (!o->pipe)
			o->header_at = lseek(p->fd, 0, SEEK_CUR);
		if (!(o->bytes = malloc(OUT_BUFSIZE))) {
			e = tfr_diag_set(d, TFR_ENOMEM, NULL);
		} else {
			o->nbytes = wav_stream_header(o->bytes, p->sample_rate,
			                              p->channels, p->format, p->frames);
			e = TFR_OK;
		}
	} else {
		e = open_sndfile(o, p, d);
		if (e == TFR_OK && o->format == TFR_SAMPLE_PCM16 &&
		    !(o->conv16 = malloc(CONV16 * sizeof *o->conv16)))
			e = tfr_diag_set(d, TFR_ENOMEM, NULL);
	}
	if (e != TFR_OK) {
		tfr_audio_out_close(o);
		return NULL;
	}
	return o;
}

/* Append frames to the streaming buffer as little-endian samples. */
static int stream_write(tfr_audio_out *o, const float *buf, size_t nsamples)
{
	int bytes = sample_bytes(o->format);
	for (size_t i = 0; i < nsamples; i++) {
		if (o->nbytes + 4 > OUT_BUFSIZE) {
			if (write_all(o->fd, o->bytes, o->nbytes) != TFR_OK) {
				o->failed = 1;
				return TFR_EIO;
			}
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
	o->written += (int64_t)(nsamples / (size_t)o->channels);
	return TFR_OK;
}

/*
 * 16 bits through libsndfile as shorts, CONV16 samples a call: it writes
 * them as they are (on a little-endian machine) with one system call,
 * where its conversion of ints wrote 4 KB a call (the kernel's time for
 * 5.7 MB: 15 ms in 4 KB writes, 7 ms in 64 KB ones, on a virtual
 * machine). The same samples either way.
 */
static int write_pcm16(tfr_audio_out *o, const float *buf, size_t nframes)
{
	size_t ch = (size_t)o->channels, per = CONV16 / ch;
	while (nframes) {
		size_t n = nframes < per ? nframes : per;
		for (size_t done = 0; done < n * ch;) {
			size_t k = n * ch - done < CONV_FRAMES ? n * ch - done : CONV_FRAMES;
			o->clipped += to_ints(o, buf + done, o->conv, k, 0);
			for (size_t i = 0; i < k; i++)
				o->conv16[done + i] = (short)o->conv[i];
			done += k;
		}
		if (sf_writef_short(o->sf, o->conv16, (sf_count_t)n) != (sf_count_t)n) {
			o->failed = 1;
			return TFR_EIO;
		}
		buf += n * ch;
		nframes -= n;
	}
	return TFR_OK;
}

int tfr_audio_out_write(tfr_audio_out *o, const float *buf, size_t nframes)
{
	size_t ch = (size_t)o->channels;
	if (!o->sf)
		return stream_write(o, buf, nframes * ch);
	if (o->format == TFR_SAMPLE_FLOAT) {
		if (sf_writef_float(o->sf, buf, (sf_count_t)nframes) == (sf_count_t)nframes)
			return TFR_OK;
		o->failed = 1;
		return TFR_EIO;
	}
	if (o->format == TFR_SAMPLE_PCM16)
		return write_pcm16(o, buf, nframes);
	/* libsndfile takes int samples left-aligned in 32 bits */
	int shift = 8;
	while (nframes) {
		size_t n = nframes < CONV_FRAMES ? nframes : CONV_FRAMES;
		o->clipped += to_ints(o, buf, o->conv, n * ch, shift);
		if (sf_writef_int(o->sf, o->conv, (sf_count_t)n) != (sf_count_t)n) {
			o->failed = 1;
			return TFR_EIO;
		}
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
	if (e != TFR_OK)
		o->failed = 1;
	return e;
}

int tfr_audio_out_is_stream(const tfr_audio_out *o)
{
	return o->pipe;
}

int64_t tfr_audio_out_clipped(const tfr_audio_out *o)
{
	return o->clipped;
}

int tfr_audio_out_close(tfr_audio_out *o)
{
	if (!o)
		return TFR_OK;
	int e = o->failed ? TFR_EIO : TFR_OK;
	if (o->sf) {
		if (sf_error(o->sf) != SF_ERR_NO_ERROR)
			e = TFR_EIO;
		if (sf_close(o->sf) != 0)
			e = TFR_EIO;
	} else if (o->bytes && tfr_audio_out_flush(o) != TFR_OK) {
		e = TFR_EIO;
	} else if (o->bytes && o->header_at >= 0 && e == TFR_OK) {
		/* a file: the header says how long it is now */
		unsigned char h[WAV_HEADER_MAX];
		size_t n = wav_stream_header(h, o->rate, o->channels, o->format,
		                             o->written);
		if (pwrite(o->fd, h, n, o->header_at) != (ssize_t)n)
			e = TFR_EIO;
	}
	free(o->bytes);
	free(o->conv);
	free(o->conv16);
	free(o);
	return e;
}

tfr_sample_format tfr_audio_format_like(const tfr_audio_info *in)
{
	if (in->is_float || in->pcm_bits == 32)
		return TFR_SAMPLE_FLOAT;
	return in->pcm_bits == 24 ? TFR_SAMPLE_PCM24 : TFR_SAMPLE_PCM16;
}
