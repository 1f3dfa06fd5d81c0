/*
 * gzio.c - gzip under the stream reader and writer (gzio.h), on zlib.
 */
#include "gzio.h"
#include "tfr_base.h"

#include <stdlib.h>
#include <string.h>

enum { CHUNK = 1 << 16 };

int tfr_gz_magic(const void *head, size_t n)
{
	const unsigned char *h = head;
	return n >= 2 && h[0] == 0x1f && h[1] == 0x8b;
}

int tfr_gz_in_start(tfr_gz_in *g, const void *head, size_t n)
{
	memset(g, 0, sizeof *g);
	if (!(g->in = malloc(CHUNK > n ? CHUNK : n)))
		return TFR_ENOMEM;
	memcpy(g->in, head, n);
	g->z.next_in = g->in;
	g->z.avail_in = (uInt)n;
	/* 15 + 16: a gzip header and trailer, not zlib's */
	if (inflateInit2(&g->z, 15 + 16) != Z_OK) {
		free(g->in);
		g->in = NULL;
		return TFR_ENOMEM;
	}
	g->started = 1;
	return TFR_OK;
}

/* More compressed input: 1, 0 at the end of the file, or TFR_EIO. */
static int more_in(tfr_gz_in *g, FILE *fp)
{
	size_t got = fread(g->in, 1, CHUNK, fp);
	g->z.next_in = g->in;
	g->z.avail_in = (uInt)got;
	if (got)
		return 1;
	return ferror(fp) ? TFR_EIO : 0;
}

long tfr_gz_in_read(tfr_gz_in *g, FILE *fp, void *dst, size_t n)
{
	if (g->done)
		return 0;
	g->z.next_out = dst;
	g->z.avail_out = (uInt)(n > CHUNK * 64 ? CHUNK * 64 : n);
	size_t want = g->z.avail_out;
	while (g->z.avail_out == want) {
		if (g->z.avail_in == 0) {
			int e = more_in(g, fp);
			if (e < 0)
				return e;
			if (e == 0) {
				g->done = 1;
				/* the end of the file inside a member: cut short */
				return g->started == 2 ? 0 : TFR_EFORMAT;
			}
		}
		int e = inflate(&g->z, Z_NO_FLUSH);
		if (e == Z_STREAM_END) {
			/* a member ends: another may follow (gzip -c a b) */
			g->started = 2;
			if (inflateReset(&g->z) != Z_OK)
				return TFR_EFORMAT;
			if (g->z.avail_out != want)
				break;
			continue;
		}
		if (e != Z_OK && e != Z_BUF_ERROR)
			return TFR_EFORMAT;
		g->started = 1;
	}
	return (long)(want - g->z.avail_out);
}

void tfr_gz_in_end(tfr_gz_in *g)
{
	if (g->in)
		inflateEnd(&g->z);
	free(g->in);
	g->in = NULL;
}

int tfr_gz_out_start(tfr_gz_out *g, int level)
{
	memset(g, 0, sizeof *g);
	if (!(g->out = malloc(CHUNK)))
		return TFR_ENOMEM;
	if (deflateInit2(&g->z, level, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK) {
		free(g->out);
		g->out = NULL;
		return TFR_ENOMEM;
	}
	g->started = 1;
	return TFR_OK;
}

int tfr_gz_out_write(tfr_gz_out *g, FILE *fp, const void *src, size_t n, int flush)
{
	g->z.next_in = (Bytef *)src;
	g->z.avail_in = (uInt)n;
	for (;;) {
		g->z.next_out = g->out;
		g->z.avail_out = CHUNK;
		int e = deflate(&g->z, flush);
		size_t made = CHUNK - g->z.avail_out;
		if (made && fwrite(g->out, 1, made, fp) != made)
			return TFR_EIO;
		if (e == Z_STREAM_ERROR)
			return TFR_EIO;
		if (g->z.avail_out != 0 && g->z.avail_in == 0 &&
		    (flush != Z_FINISH || e == Z_STREAM_END))
			return TFR_OK;
	}
}

void tfr_gz_out_end(tfr_gz_out *g)
{
	if (g->out)
		deflateEnd(&g->z);
	free(g->out);
	g->out = NULL;
}
