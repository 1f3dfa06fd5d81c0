/*
 * gzio.h - gzip-compressed streams under the tfr stream reader and
 * writer (private to lib/io): text streams are large (10 min of speech
 * make 237 MB of partials) and compress about 3:1, so a .gz file or a
 * gzip pipe is read and written as the text it holds.
 */
#ifndef TFR_GZIO_H
#define TFR_GZIO_H

#include <stddef.h>
#include <stdio.h>
#include <zlib.h>

/* The two bytes every gzip member starts with (RFC 1952, 2.3.1). */
int tfr_gz_magic(const void *head, size_t n);

typedef struct {
	z_stream z;
	unsigned char *in;   /* compressed bytes read from the file */
	int started, done;
} tfr_gz_in;

/* Start decompressing; the first n bytes of the file, already read, are
 * head. TFR_OK or TFR_ENOMEM. */
int tfr_gz_in_start(tfr_gz_in *g, const void *head, size_t n);
/* Up to n decompressed bytes into dst, reading fp as needed (members
 * one after another, as gzip -c a b writes them): the count, 0 at the
 * end, or a negative code (TFR_EFORMAT: not gzip data or corrupt,
 * TFR_EIO). */
long tfr_gz_in_read(tfr_gz_in *g, FILE *fp, void *dst, size_t n);
void tfr_gz_in_end(tfr_gz_in *g);

typedef struct {
	z_stream z;
	unsigned char *out;
	int started;
} tfr_gz_out;

/* Start compressing at level (1-9). TFR_OK or TFR_ENOMEM. */
int tfr_gz_out_start(tfr_gz_out *g, int level);
/* Compress n bytes of src onto fp; flush: Z_NO_FLUSH, Z_SYNC_FLUSH (a
 * live pipe's reader gets all so far) or Z_FINISH (the end). TFR_OK or
 * TFR_EIO. */
int tfr_gz_out_write(tfr_gz_out *g, FILE *fp, const void *src, size_t n, int flush);
void tfr_gz_out_end(tfr_gz_out *g);

#endif
