/* insrc.c - see insrc.h. */
#include "tfr_base.h"
#include "insrc.h"

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

enum { BUFSIZE = 1 << 16 };

int insrc_init(insrc *s, FILE *fp, const void *head, size_t nhead, int record)
{
	memset(s, 0, sizeof *s);
	s->fp = fp;
	if (!(s->buf = malloc(BUFSIZE)))
		return TFR_ENOMEM;
	if (nhead) {
		if (!(s->head = malloc(nhead)))
			return TFR_ENOMEM;
		memcpy(s->head, head, nhead);
		s->nhead = nhead;
	}
	/* only a regular file can go back: asking a pipe to seek could
	 * disturb what stdio buffered of it */
	struct stat st;
	int fd = fileno(fp);
	if (fd >= 0 && fstat(fd, &st) == 0 && S_ISREG(st.st_mode) &&
	    (s->fp_base = ftello(fp)) >= 0)
		s->seekable = 1;
	s->recording = record && !s->seekable;
	if (s->recording && nhead) {
		if (!(s->mem = malloc(nhead)))
			return TFR_ENOMEM;
		memcpy(s->mem, head, nhead);
		s->mlen = s->mcap = nhead;
	}
	return TFR_OK;
}

void insrc_free(insrc *s)
{
	free(s->head);
	free(s->buf);
	free(s->mem);
	memset(s, 0, sizeof *s);
}

static int tape(insrc *s, const unsigned char *p, size_t n)
{
	if (s->mlen + n > s->mcap) {
		size_t cap = s->mcap ? s->mcap : BUFSIZE;
		while (cap < s->mlen + n) {
			if (cap > SIZE_MAX / 2)
				return -1;
			cap *= 2;
		}
		unsigned char *m = realloc(s->mem, cap);
		if (!m)
			return -1;
		s->mem = m;
		s->mcap = cap;
	}
	memcpy(s->mem + s->mlen, p, n);
	s->mlen += n;
	return 0;
}

/* Refill buf from fp; the number of bytes now in it (0: end or error). */
static size_t refill(insrc *s)
{
	s->bpos = 0;
	s->blen = fread(s->buf, 1, BUFSIZE, s->fp);
	if (s->blen == 0 && ferror(s->fp))
		s->error = 1;
	if (s->recording && s->blen && tape(s, s->buf, s->blen) != 0) {
		s->error = 1;
		s->blen = 0;
	}
	return s->blen;
}

int insrc_fill(insrc *s)
{
	if (s->error)
		return -1;
	if (s->in_mem)
		return insrc_getc(s);
	if (s->pos < s->nhead)
		return s->head[s->pos++];
	if (s->bpos == s->blen && !refill(s))
		return -1;
	s->pos++;
	return s->buf[s->bpos++];
}

size_t insrc_read(insrc *s, void *dst, size_t n)
{
	unsigned char *d = dst;
	size_t got = 0;
	while (got < n && !s->error) {
		size_t k;
		if (s->in_mem) {
			size_t left = s->pos < s->mlen ? s->mlen - (size_t)s->pos : 0;
			if (!left)
				break;
			k = n - got < left ? n - got : left;
			memcpy(d + got, s->mem + s->pos, k);
		} else if (s->pos < s->nhead) {
			size_t left = s->nhead - (size_t)s->pos;
			k = n - got < left ? n - got : left;
			memcpy(d + got, s->head + s->pos, k);
		} else {
			if (s->bpos == s->blen && !refill(s))
				break;
			size_t left = s->blen - s->bpos;
			k = n - got < left ? n - got : left;
			memcpy(d + got, s->buf + s->bpos, k);
			s->bpos += k;
		}
		got += k;
		s->pos += k;
	}
	return got;
}

uint64_t insrc_skip(insrc *s, uint64_t n)
{
	unsigned char scratch[4096];
	uint64_t done = 0;
	while (done < n) {
		size_t k = n - done < sizeof scratch ? (size_t)(n - done) : sizeof scratch;
		size_t got = insrc_read(s, scratch, k);
		done += got;
		if (got < k)
			break;
	}
	return done;
}

void insrc_stop_recording(insrc *s)
{
	if (s->in_mem || !s->recording)
		return;
	s->recording = 0;
	free(s->mem);
	s->mem = NULL;
	s->mlen = s->mcap = 0;
}

int insrc_seek(insrc *s, uint64_t pos)
{
	if (s->in_mem) {
		s->pos = pos;
		return 0;
	}
	if (!s->seekable)
		return -1;
	off_t to = s->fp_base + (off_t)(pos > s->nhead ? pos - s->nhead : 0);
	if (fseeko(s->fp, to, SEEK_SET) != 0)
		return -1;
	s->blen = s->bpos = 0;
	s->pos = pos;
	return 0;
}

int insrc_to_memory(insrc *s)
{
	if (s->in_mem)
		return TFR_OK;
	if (!s->recording)
		return TFR_EIO;
	while (!s->error && refill(s))
		;
	if (s->error)
		return ferror(s->fp) ? TFR_EIO : TFR_ENOMEM;
	s->in_mem = 1;
	s->recording = 0;
	return TFR_OK;
}
