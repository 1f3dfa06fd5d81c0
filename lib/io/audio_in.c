/*
 * audio_in.c - audio input through libsndfile, from a file or a pipe,
 * with the checks libsndfile leaves to its callers.
 *
 * Facts this module is built on (unix-io.md §1): libsndfile silently
 * shortens a data chunk that runs past the end of a file and, on a pipe,
 * cannot know the length at all, so truncation is detected here: against
 * the header's size where it is not a streaming placeholder, and by a
 * sample cut in half at the end. Float files may hold any value; samples
 * that are not finite or beyond TFR_MAX_SAMPLE are refused, so that no
 * analysis overflows to inf or NaN.
 */
#include "tfr_base.h"
#include "tfr_audio.h"
#include "internal.h"
#include "audio_stdin.h"

#include <sndfile.h>

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

enum { MONO_CHUNK = 4096, S16_CHUNK = 1 << 15 };

struct tfr_audio_in {
	SNDFILE *sf;
	tfr_pipe_source *pipe;  /* virtual I/O of a pipe, or NULL */
	int fd;                 /* a descriptor opened here, or -1 */
	tfr_audio_info info;
	int64_t announced;      /* frames the header announces, -1 if it
	                           says nothing trustworthy */
	int bytes_per_frame;    /* of plain PCM/float data, else 0 */
	int64_t file_data;      /* a regular file whose header gives no
	                           size: the bytes libsndfile takes for its
	                           data (to the end of the file), else -1 */
	int64_t delivered;
	float *mix;             /* interleaved scratch for read_mono */
	int pcm16;              /* 16-bit PCM of libsndfile's pcm codec */
	short *s16;             /* ... read as shorts, S16_CHUNK samples */
	tfr_diag diag;
};

static int fd_is_pipe(int fd)
{
	struct stat st;
	return fstat(fd, &st) == 0 && !S_ISREG(st.st_mode) && !S_ISBLK(st.st_mode) &&
	       lseek(fd, 0, SEEK_CUR) < 0;
}

/*
 * The size a header gives for its data when it is read from libsndfile's
 * log: "data : 88200 (should be 2000)" for a file shorter than its
 * header says, or "data : 88200" otherwise (SSND for AIFF).
 */
static int64_t header_data_size(SNDFILE *sf, int *overstated)
{
	char log[8192];
	*overstated = 0;
	sf_command(sf, SFC_GET_LOG_INFO, log, sizeof log);
	for (char *line = log; line && *line; line = strchr(line, '\n')) {
		if (*line == '\n')
			line++;
		unsigned long long said, real;
		int n = sscanf(line, "data : %llu (should be %llu)", &said, &real);
		if (n < 1)
			n = sscanf(line, "SSND : %llu (should be %llu)", &said, &real);
		if (n >= 1) {
			*overstated = n == 2 && said > real;
			return (int64_t)said;
		}
	}
	return -1;
}

/* Sizes streaming writers put in a header for "unknown": 0, sox's
 * 0x7FFFF000, 0xFFFFFFFF and 0x7FFFFFFF. A header size from these on
 * is no promise about the length. */
static int placeholder(int64_t size)
{
	return size <= 0 || size >= 0x7FFFF000LL;
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

/* Bytes per frame of uncompressed data in a simple container. */
static int frame_bytes(const SF_INFO *si)
{
	int major = si->format & SF_FORMAT_TYPEMASK;
	if (major != SF_FORMAT_WAV && major != SF_FORMAT_WAVEX &&
	    major != SF_FORMAT_AIFF && major != SF_FORMAT_AU &&
	    major != SF_FORMAT_W64 && major != SF_FORMAT_RF64 &&
	    major != SF_FORMAT_CAF)
		return 0;
	int sub = si->format & SF_FORMAT_SUBMASK;
	int b = sub == SF_FORMAT_FLOAT ? 4 : sub == SF_FORMAT_DOUBLE ? 8
	      : pcm_bits(si->format) / 8;
	return b ? b * si->channels : 0;
}

static int open_fd(tfr_audio_in *in, int fd, int own,
                   const unsigned char *prefix, size_t nprefix, tfr_diag *d)
{
	SF_INFO si;
	memset(&si, 0, sizeof si);
	int pipe = fd_is_pipe(fd);
	struct stat st;
	int64_t size = fstat(fd, &st) == 0 && S_ISREG(st.st_mode) ? (int64_t)st.st_size : -1;
	in->file_data = -1;
	if (own)
		in->fd = fd;  /* closed by _free, after libsndfile is done */
	if (!pipe && nprefix && lseek(fd, -(off_t)nprefix, SEEK_CUR) < 0)
		return tfr_diag_setf(d, TFR_EIO, "cannot seek back: %s",
		                     strerror(errno));
	if (pipe) {
		in->pipe = tfr_pipe_source_open(fd, prefix, nprefix, &in->sf, &si, d);
		if (!in->sf)
			return d ? d->code : TFR_EAUDIO;
	} else if (!(in->sf = sf_open_fd(fd, SFM_READ, &si, SF_FALSE))) {
		return tfr_audio_open_failed(d, size == 0);
	}
	if (si.channels < 1 || si.samplerate < 1)
		return tfr_diag_set(d, TFR_EAUDIO, "invalid channel count or sample rate");
	if (si.channels > TFR_MAX_CHANNELS)
		return tfr_diag_setf(d, TFR_EUNSUPPORTED, "%d channels (at most %d)",
		                     si.channels, TFR_MAX_CHANNELS);
	if (si.samplerate > TFR_MAX_SAMPLE_RATE)
		return tfr_diag_setf(d, TFR_EUNSUPPORTED, "sample rate %d Hz (at most %d)",
		                     si.samplerate, TFR_MAX_SAMPLE_RATE);
	in->info.sample_rate = si.samplerate;
	in->info.channels = si.channels;
	in->info.is_pipe = pipe;
	int sub = si.format & SF_FORMAT_SUBMASK;
	int major = si.format & SF_FORMAT_TYPEMASK;
	in->pcm16 = sub == SF_FORMAT_PCM_16 &&
	            (major == SF_FORMAT_WAV || major == SF_FORMAT_WAVEX ||
	             major == SF_FORMAT_W64 || major == SF_FORMAT_RF64 ||
	             major == SF_FORMAT_AIFF || major == SF_FORMAT_AU ||
	             major == SF_FORMAT_CAF);
	in->info.is_float = sub == SF_FORMAT_FLOAT || sub == SF_FORMAT_DOUBLE;
	in->info.pcm_bits = pcm_bits(si.format);
	in->bytes_per_frame = frame_bytes(&si);
	int overstated;
	int64_t said = header_data_size(in->sf, &overstated);
	int flac = (si.format & SF_FORMAT_TYPEMASK) == SF_FORMAT_FLAC;
	in->announced = -1;
	/* a file (or a pipe short enough to be seen whole) shorter than its
	 * header promises: libsndfile would shorten it silently */
	if (overstated && !placeholder(said) &&
	    (!pipe || (in->pipe && tfr_pipe_source_whole(in->pipe))))
		in->announced = INT64_MAX;
	/* a length the header states exactly: PCM data sizes, FLAC's total
	 * (compressed formats' counts can be estimates: not checked) */
	else if ((in->bytes_per_frame && !placeholder(said)) ||
	         (flac && si.frames > 0 && si.frames < ((sf_count_t)1 << 40)))
		in->announced = (int64_t)si.frames;
	/* a FLAC file far shorter than its header's count (2^36 frames in
	 * 9 KB): every block of at most 65535 frames takes at least 9
	 * bytes (frame header 6, a constant subframe 2, CRC 2 less the
	 * smallest value), so no file holds more than size / 8 + 1 blocks.
	 * Said now, as the truncation it is, before a tool sizes its work
	 * or its pictures from the count. */
	if (flac && !pipe && size >= 0 && si.frames > 0 &&
	    (double)si.frames > ((double)size / 8 + 1) * 65536)
		return tfr_diag_set(d, TFR_EEOF, "truncated: the input ends before "
		                    "the audio its header announces");
	/* a file whose header says "unknown": libsndfile takes the data to
	 * the end of the file (it has left the descriptor at the data's
	 * start), and silently drops a frame cut short there */
	if (!pipe && in->announced < 0 && in->bytes_per_frame && size >= 0 &&
	    placeholder(said)) {
		off_t at = lseek(fd, 0, SEEK_CUR);
		if (at >= 0 && at <= size)
			in->file_data = size - (int64_t)at;
	}
	in->info.frames = pipe ? -1 : (int64_t)si.frames;
	return TFR_OK;
}

/* Open path, or else fd (standard input, or a descriptor closed by
 * _free when own), of which a caller has read the first nprefix bytes. */
static tfr_audio_in *audio_open(const char *path, int fd, int own,
                                const unsigned char *prefix, size_t nprefix,
                                tfr_diag *d)
{
	tfr_diag_clear(d);
	tfr_audio_in *in = calloc(1, sizeof *in);
	if (!in) {
		if (own)
			close(fd);
		tfr_diag_set(d, TFR_ENOMEM, NULL);
		return NULL;
	}
	in->fd = -1;
	if (path && strcmp(path, "-") != 0) {
		if ((fd = open(path, O_RDONLY)) < 0) {
			tfr_diag_set(d, TFR_EAUDIO, strerror(errno));
			tfr_audio_in_free(in);
			return NULL;
		}
		own = 1;
	}
	int e = open_fd(in, fd, own, prefix, nprefix, d);
	if (e == TFR_OK) {
		size_t n = tfr_size_mul(MONO_CHUNK, (size_t)in->info.channels);
		if (!n || !(in->mix = malloc(n * sizeof(float))) ||
		    (in->pcm16 && !(in->s16 = malloc(S16_CHUNK * sizeof *in->s16))))
			e = tfr_diag_set(d, TFR_ENOMEM, NULL);
	}
	if (e != TFR_OK) {
		tfr_audio_in_free(in);
		return NULL;
	}
	return in;
}

tfr_audio_in *tfr_audio_in_new(const char *path, tfr_diag *d)
{
	return audio_open(path, STDIN_FILENO, 0, NULL, 0, d);
}

tfr_audio_in *tfr_audio_in_new_probed(const unsigned char *prefix, size_t n,
                                      tfr_diag *d)
{
	tfr_diag_clear(d);
	if (n > 4096 || (n && !prefix)) {
		tfr_diag_set(d, TFR_EINVAL, "a probe of 0 to 4096 bytes");
		return NULL;
	}
	return audio_open(NULL, STDIN_FILENO, 0, prefix, n, d);
}

tfr_audio_in *tfr_audio_in_new_fd(int fd, const unsigned char *prefix, size_t n,
                                  tfr_diag *d)
{
	tfr_diag_clear(d);
	if (fd < 0 || n > 4096 || (n && !prefix)) {
		if (fd >= 0)
			close(fd);
		tfr_diag_set(d, TFR_EINVAL, "a descriptor and a probe of 0 to 4096 bytes");
		return NULL;
	}
	return audio_open(NULL, fd, 1, prefix, n, d);
}

const tfr_audio_info *tfr_audio_in_info(const tfr_audio_in *in)
{
	return &in->info;
}

/* At the end of the data: did the input stop short? */
static int truncated(const tfr_audio_in *in)
{
	if (in->announced >= 0 && in->delivered < in->announced)
		return 1;
	if (in->file_data >= 0 && in->file_data % in->bytes_per_frame != 0)
		return 1;
	/* a pipe whose data stops inside a frame (a placeholder size, so
	 * the header could not tell) */
	if (in->pipe && in->bytes_per_frame && tfr_pipe_source_at_end(in->pipe)) {
		int64_t data = tfr_pipe_source_consumed(in->pipe) -
		               tfr_pipe_source_data_start(in->pipe);
		if (in->announced < 0 && data % in->bytes_per_frame != 0)
			return 1;
	}
	return 0;
}

/* Samples an analysis can take: finite and within TFR_MAX_SAMPLE. */
static int check_samples(tfr_audio_in *in, const float *buf, size_t n)
{
	/* first a pass without branches, which the compiler vectorises (a
	 * sample at a time was 3 % of tfr-sdelay's instructions): |x| on
	 * the bits, whose order is the values' (NaN above them all) */
	uint32_t most = 0, limit;
	float lim = (float)TFR_MAX_SAMPLE;
	memcpy(&limit, &lim, sizeof limit);
	for (size_t i = 0; i < n; i++) {
		uint32_t u;
		memcpy(&u, &buf[i], sizeof u);
		u &= 0x7fffffffu;
		most = u > most ? u : most;
	}
	if (most <= limit)
		return TFR_OK;
	for (size_t i = 0; i < n; i++) {
		float x = buf[i];
		if (fabsf(x) <= (float)TFR_MAX_SAMPLE)
			continue;
		long long frame = (long long)(in->delivered +
		                              (int64_t)(i / (size_t)in->info.channels));
		if (isnan(x))
			return tfr_diag_setf(&in->diag, TFR_EFORMAT,
			                     "sample %lld is not a number", frame);
		return tfr_diag_setf(&in->diag, TFR_EFORMAT,
		                     "sample %lld is %g, beyond +-%g (+120 dBFS)",
		                     frame, (double)x, TFR_MAX_SAMPLE);
	}
	return TFR_OK;
}

/*
 * 16-bit PCM read as shorts and scaled here: libsndfile reads shorts
 * with one system call a call, where its floats come through a buffer
 * of 8 KB, a read each (dear on a virtual machine); the scaling is its
 * own (x 2^-15, exact), so the floats are the same.
 */
static sf_count_t read_pcm16(tfr_audio_in *in, float *buf, size_t nframes)
{
	size_t ch = (size_t)in->info.channels, per = S16_CHUNK / ch;
	sf_count_t total = 0;
	while (nframes) {
		size_t n = nframes < per ? nframes : per;
		sf_count_t got = sf_readf_short(in->sf, in->s16, (sf_count_t)n);
		if (got <= 0)
			break;
		for (size_t i = 0; i < (size_t)got * ch; i++)
			buf[i] = (float)in->s16[i] * (1.0f / 32768.0f);
		buf += (size_t)got * ch;
		total += got;
		nframes -= (size_t)got;
		if ((size_t)got < n)
			break;
	}
	return total;
}

long tfr_audio_in_read(tfr_audio_in *in, float *buf, size_t nframes)
{
	if (nframes > (size_t)1 << 24)
		nframes = (size_t)1 << 24;
	sf_count_t got = in->pcm16 ? read_pcm16(in, buf, nframes)
	               : sf_readf_float(in->sf, buf, (sf_count_t)nframes);
	if (got < 0 || sf_error(in->sf) != SF_ERR_NO_ERROR) {
		const char *e = sf_strerror(in->sf);
		return tfr_diag_set(&in->diag, TFR_EAUDIO, e && *e ? e : "read error");
	}
	if (got == 0 && nframes > 0 && truncated(in))
		return tfr_diag_set(&in->diag, TFR_EEOF,
		                    "truncated: the input ends before the audio its header announces");
	int e = check_samples(in, buf, (size_t)got * (size_t)in->info.channels);
	if (e != TFR_OK)
		return e;
	in->delivered += got;
	return (long)got;
}

long tfr_audio_in_read_mono(tfr_audio_in *in, float *buf, size_t nframes,
                            int channel)
{
	int ch = in->info.channels;
	if (channel < 0 || channel > ch)
		return tfr_diag_set(&in->diag, TFR_EINVAL, "no such channel");
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

int64_t tfr_audio_in_announced(const tfr_audio_in *in)
{
	return in->announced == INT64_MAX ? -1 : in->announced;
}

const tfr_diag *tfr_audio_in_diag(const tfr_audio_in *in)
{
	return &in->diag;
}

void tfr_audio_in_free(tfr_audio_in *in)
{
	if (!in)
		return;
	if (in->sf)
		sf_close(in->sf);
	tfr_pipe_source_free(in->pipe);
	if (in->fd >= 0)
		close(in->fd);
	free(in->mix);
	free(in->s16);
	free(in);
}
