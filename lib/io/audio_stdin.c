/*
 * audio_stdin.c - a pipe opened by libsndfile through virtual I/O with a
 * bounded look-ahead, or through a temporary copy (see audio_stdin.h).
 */
#include "audio_stdin.h"
#include "tfr_stream.h"

#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/* Bytes kept from the start of the input while libsndfile probes and
 * parses the header (seeks back into them are served). Once the file is
 * open, the same buffer is a sliding window. */
enum { HEAD = 1 << 20 };
/* A read this far beyond what has arrived is a header parser looking
 * past the audio data: answered as the end of the file. */
enum { SLACK = 1 << 16 };

struct tfr_pipe_source {
	int fd;
	unsigned char *buf;   /* input bytes [base, base + len) */
	size_t len;
	int64_t base;
	int64_t pos;          /* libsndfile's position */
	int eof, failed;
	int opened;           /* the header is parsed: the window may slide */
	int whole;            /* get_filelen saw the end: length is exact */
	int64_t data_start;
};

static int64_t consumed(const tfr_pipe_source *s)
{
	return s->base + (int64_t)s->len;
}

/* Read more of the input into the buffer, sliding the window forward
 * (once the file is open) when it is full. 0 when nothing more came. */
static size_t more(tfr_pipe_source *s)
{
	if (s->eof || s->failed)
		return 0;
	if (s->len == HEAD) {
		if (!s->opened || s->pos <= s->base)
			return 0;
		/* drop what libsndfile has read past */
		size_t drop = (size_t)(s->pos - s->base);
		if (drop > s->len)
			drop = s->len;
		memmove(s->buf, s->buf + drop, s->len - drop);
		s->len -= drop;
		s->base += (int64_t)drop;
	}
	for (;;) {
		ssize_t r = read(s->fd, s->buf + s->len, HEAD - s->len);
		if (r > 0) {
			s->len += (size_t)r;
			return (size_t)r;
		}
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			s->failed = 1;
		else
			s->eof = 1;
		return 0;
	}
}

static sf_count_t vio_read(void *ptr, sf_count_t n, void *user)
{
	tfr_pipe_source *s = user;
	unsigned char *out = ptr;
	sf_count_t done = 0;
	if (s->pos < s->base || s->pos > consumed(s) + SLACK)
		return 0;
	while (done < n) {
		if (s->pos >= consumed(s)) {
			if (!more(s))
				break;
			continue;
		}
		size_t at = (size_t)(s->pos - s->base);
		size_t k = s->len - at;
		if ((sf_count_t)k > n - done)
			k = (size_t)(n - done);
		memcpy(out + done, s->buf + at, k);
		done += (sf_count_t)k;
		s->pos += (int64_t)k;
	}
	return done;
}

/* Milliseconds since an arbitrary start. */
static long long now_ms(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (long long)t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

/*
 * The input's length, as far as it can be known without waiting: what
 * arrives within a few milliseconds is read (a short input written into
 * the pipe at once, a file cat'ed, is then seen whole and its exact
 * length given, as libsndfile sees a file), but a live source that sends
 * its samples as they are made is not waited for.
 */
static sf_count_t vio_get_filelen(void *user)
{
	tfr_pipe_source *s = user;
	long long until = now_ms() + 50;
	while (!s->opened && !s->eof && s->len < HEAD) {
		struct pollfd p = { .fd = s->fd, .events = POLLIN };
		long long left = until - now_ms();
		if (left <= 0 || poll(&p, 1, (int)(left < 20 ? left : 20)) <= 0 ||
		    !more(s))
			break;
	}
	if (s->eof) {
		s->whole = s->base == 0 && !s->opened;
		return consumed(s);
	}
	return SF_COUNT_MAX;
}

static sf_count_t vio_seek(sf_count_t off, int whence, void *user)
{
	tfr_pipe_source *s = user;
	int64_t to = whence == SEEK_SET ? off
	           : whence == SEEK_CUR ? s->pos + off
	           : (s->eof ? consumed(s) : INT64_MAX / 2) + off;
	s->pos = to < 0 ? 0 : to;
	return s->pos;
}

static sf_count_t vio_tell(void *user)
{
	return ((tfr_pipe_source *)user)->pos;
}

static sf_count_t vio_write(const void *ptr, sf_count_t n, void *user)
{
	(void)ptr;
	(void)n;
	(void)user;
	return 0;
}

/* Containers libsndfile reads front to back (header, then data): the
 * others are copied to a file first. */
static int streamable(const unsigned char *b, size_t n)
{
	static const char *const magic[] = {
		"RIFF", "RIFX", "RF64", "FORM", ".snd", "fLaC", "caff", "riff",
	};
	if (n < 4)
		return 1;  /* too short to be anything: let libsndfile say so */
	for (size_t i = 0; i < sizeof magic / sizeof magic[0]; i++)
		if (!memcmp(b, magic[i], 4))
			return 1;
	return 0;
}

static int write_all(int fd, const unsigned char *p, size_t n)
{
	while (n) {
		ssize_t w = write(fd, p, n);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return -1;
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

/* Copy what is buffered and the rest of the input to an unlinked
 * temporary file; its descriptor, or -1 with d set. */
static int spool(tfr_pipe_source *s, tfr_diag *d)
{
	const char *dir = getenv("TMPDIR");
	char path[4096];
	snprintf(path, sizeof path, "%s/tfr-input-XXXXXX", dir && *dir ? dir : "/tmp");
	int fd = mkstemp(path);
	if (fd < 0) {
		tfr_diag_setf(d, TFR_EIO, "cannot make a temporary copy of the input: %s",
		              strerror(errno));
		return -1;
	}
	unlink(path);
	int bad = 0;
	do {
		bad = write_all(fd, s->buf, s->len) != 0;
		s->base += (int64_t)s->len;
		s->len = 0;
	} while (!bad && more(s));
	if (bad || s->failed) {
		tfr_diag_setf(d, TFR_EIO, "cannot make a temporary copy of the input: %s",
		              strerror(errno));
		close(fd);
		return -1;
	}
	if (lseek(fd, 0, SEEK_SET) != 0) {
		close(fd);
		tfr_diag_set(d, TFR_EIO, "cannot read back the temporary copy of the input");
		return -1;
	}
	return fd;
}

int tfr_audio_open_failed(tfr_diag *d, int empty)
{
	const char *e = sf_strerror(NULL);
	if (empty)
		return tfr_diag_set(d, TFR_EAUDIO, "empty input (no audio file)");
	/* libsndfile's words for a sample rate or channel count of 0 (or
	 * beyond INT_MAX) */
	if (e && strstr(e, "SF_INFO struct incomplete"))
		return tfr_diag_set(d, TFR_EAUDIO, "the header's sample rate or "
		                    "channel count is not valid");
	/* what libsndfile says when a decoder (libmpg123 on a stream of one
	 * MPEG frame) could not start: not about the file's existence */
	if (e && strstr(e, "File does not exist or is not a regular file"))
		return tfr_diag_set(d, TFR_EAUDIO, "the audio cannot be decoded "
		                    "(a damaged or too short stream?)");
	return tfr_diag_set(d, TFR_EAUDIO, e && *e ? e : "not a readable audio file");
}

tfr_pipe_source *tfr_pipe_source_open(int fd, const unsigned char *prefix,
                                      size_t nprefix, SNDFILE **sf,
                                      SF_INFO *info, tfr_diag *d)
{
	*sf = NULL;
	tfr_pipe_source *s = calloc(1, sizeof *s);
	if (!s || !(s->buf = malloc(HEAD))) {
		free(s);
		tfr_diag_set(d, TFR_ENOMEM, NULL);
		return NULL;
	}
	s->fd = fd;
	if (nprefix && nprefix <= HEAD) {  /* bytes read before us: first */
		memcpy(s->buf, prefix, nprefix);
		s->len = nprefix;
	}
	while (s->len < 12 && more(s))
		;
	if (s->failed) {
		tfr_diag_setf(d, TFR_EAUDIO, "read error: %s", strerror(errno));
		tfr_pipe_source_free(s);
		return NULL;
	}
	/* a tfr stream (a named pipe of text, where the tools could not
	 * look first): said at its first line, not spooled to the end */
	while (s->len >= 5 && !memcmp(s->buf, "#tfr ", 5) && s->len < 64 &&
	       !memchr(s->buf, '\n', s->len) && more(s))
		;
	char kind[32];
	if (tfr_stream_detect(s->buf, s->len, kind, sizeof kind)) {
		tfr_diag_setf(d, TFR_EAUDIO, "a tfr %s stream, not audio (WAV, "
		              "FLAC, AIFF, Ogg, ...)", kind);
		tfr_pipe_source_free(s);
		return NULL;
	}
	if (!streamable(s->buf, s->len)) {
		int tmp = spool(s, d);
		tfr_pipe_source_free(s);
		if (tmp < 0)
			return NULL;
		if (!(*sf = sf_open_fd(tmp, SFM_READ, info, SF_TRUE))) {
			tfr_audio_open_failed(d, 0);
			close(tmp);
		}
		return NULL;
	}
	SF_VIRTUAL_IO io = { vio_get_filelen, vio_seek, vio_read, vio_write,
	                     vio_tell };
	if (!(*sf = sf_open_virtual(&io, SFM_READ, info, s))) {
		tfr_audio_open_failed(d, s->eof && s->base == 0 && s->len == 0);
		tfr_pipe_source_free(s);
		return NULL;
	}
	s->opened = 1;
	s->data_start = s->pos;
	return s;
}

int64_t tfr_pipe_source_consumed(const tfr_pipe_source *s)
{
	return consumed(s);
}

int tfr_pipe_source_at_end(const tfr_pipe_source *s)
{
	return s->eof;
}

int64_t tfr_pipe_source_data_start(const tfr_pipe_source *s)
{
	return s->data_start;
}

int tfr_pipe_source_whole(const tfr_pipe_source *s)
{
	return s->whole;
}

void tfr_pipe_source_free(tfr_pipe_source *s)
{
	if (!s)
		return;
	free(s->buf);
	free(s);
}
