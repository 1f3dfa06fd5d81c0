/*
 * stream_writer.c - the generic writer of tfr streams: any kind, driven
 * by its schema (tfr_stream.h). Writing the point stream is dominated by
 * number formatting (reassignment.md §8), so records are formatted into a
 * large buffer with the library's printf-free formatters.
 */
#include "tfr_base.h"
#include "tfr_meta.h"
#include "tfr_number.h"
#include "tfr_stream.h"
#include "gzio.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

enum { BUFSIZE = 1 << 16 };

/* How one column is written, decided once: the writer's inner loop is
 * the hottest code of tfr-reassign. */
enum { OP_I64, OP_I32, OP_F64_FIXED, OP_F64_SIG, OP_F32_FIXED, OP_F32_SIG };

typedef struct {
	unsigned char op, digits;
	unsigned short offset;
} column_op;

struct tfr_stream_writer {
	FILE *fp;
	const tfr_schema *s;
	column_op ops[64];
	tfr_meta *meta;
	char *buf;
	size_t used;
	size_t line_max;     /* longest record line */
	int header_done;
	int failed;
	int gz;              /* compressing (tfr_stream_writer_gzip) */
	tfr_gz_out gzout;
};

tfr_stream_writer *tfr_stream_writer_new(FILE *fp, const tfr_schema *s,
                                         const tfr_meta *meta, tfr_diag *d)
{
	tfr_diag_clear(d);
	if (!fp || !s) {
		tfr_diag_set(d, TFR_EINVAL, "no output or no kind");
		return NULL;
	}
	tfr_stream_writer *w = calloc(1, sizeof *w);
	if (!w || !(w->buf = malloc(BUFSIZE)) || !(w->meta = tfr_meta_new()) ||
	    (meta && tfr_meta_copy(w->meta, meta) != TFR_OK)) {
		if (w) {
			tfr_meta_free(w->meta);
			free(w->buf);
		}
		free(w);
		tfr_diag_set(d, TFR_ENOMEM, NULL);
		return NULL;
	}
	w->fp = fp;
	w->s = s;
	w->line_max = s->ncolumns * TFR_NUMBER_MAX + 1;
	for (size_t i = 0; i < s->ncolumns && i < 64; i++) {
		const tfr_column *c = &s->columns[i];
		int fixed = c->format == TFR_COL_FIXED;
		w->ops[i].op = c->storage == TFR_COL_I64 ? OP_I64
		             : c->storage == TFR_COL_I32 ? OP_I32
		             : c->storage == TFR_COL_F64 ? (fixed ? OP_F64_FIXED : OP_F64_SIG)
		             : (fixed ? OP_F32_FIXED : OP_F32_SIG);
		w->ops[i].digits = (unsigned char)c->digits;
		w->ops[i].offset = (unsigned short)c->offset;
	}
	return w;
}

/* The buffer out (through gzip, with flush as zlib's). */
static void drain_as(tfr_stream_writer *w, int flush)
{
	if (w->gz) {
		if ((w->used || flush != Z_NO_FLUSH) &&
		    tfr_gz_out_write(&w->gzout, w->fp, w->buf, w->used, flush) != TFR_OK)
			w->failed = 1;
	} else if (w->used && fwrite(w->buf, 1, w->used, w->fp) != w->used) {
		w->failed = 1;
	}
	w->used = 0;
}

static void drain(tfr_stream_writer *w)
{
	drain_as(w, Z_NO_FLUSH);
}

int tfr_stream_writer_gzip(tfr_stream_writer *w, int level)
{
	if (w->header_done || w->used || w->gz || level < 1 || level > 9)
		return TFR_EINVAL;
	if (tfr_gz_out_start(&w->gzout, level) != TFR_OK)
		return TFR_ENOMEM;
	w->gz = 1;
	return TFR_OK;
}

/* Append a string, in pieces if it is longer than the buffer. */
static void put(tfr_stream_writer *w, const char *str)
{
	size_t n = strlen(str);
	while (n) {
		if (w->used == BUFSIZE)
			drain(w);
		size_t k = BUFSIZE - w->used;
		if (k > n)
			k = n;
		memcpy(w->buf + w->used, str, k);
		w->used += k;
		str += k;
		n -= k;
	}
}

int tfr_stream_write_header(tfr_stream_writer *w)
{
	if (w->header_done)
		return w->failed ? TFR_EIO : TFR_OK;
	char num[TFR_NUMBER_MAX];
	w->header_done = 1;
	put(w, "#tfr ");
	put(w, w->s->kind);
	put(w, " ");
	tfr_fmt_int(num, w->s->version);
	put(w, num);
	put(w, "\n");
	for (size_t i = 0; i < tfr_meta_count(w->meta); i++) {
		if (!strcmp(tfr_meta_key(w->meta, i), "columns"))
			continue;
		put(w, "# ");
		put(w, tfr_meta_key(w->meta, i));
		put(w, "=");
		put(w, tfr_meta_value(w->meta, i));
		put(w, "\n");
	}
	put(w, "# columns=");
	for (size_t i = 0; i < w->s->ncolumns; i++) {
		put(w, w->s->columns[i].name);
		put(w, i + 1 < w->s->ncolumns ? "\t" : "\n");
	}
	return w->failed ? TFR_EIO : TFR_OK;
}

/* One field of a record at p; returns its length. */
static inline size_t format_field(char *p, column_op c, const char *rec)
{
	const char *f = rec + c.offset;
	int64_t i64;
	int32_t i32;
	double d;
	float x;
	switch (c.op) {
	case OP_I64:
		memcpy(&i64, f, sizeof i64);
		return tfr_fmt_int(p, i64);
	case OP_I32:
		memcpy(&i32, f, sizeof i32);
		return tfr_fmt_int(p, i32);
	case OP_F64_FIXED:
		memcpy(&d, f, sizeof d);
		return tfr_fmt_fixed(p, d, c.digits);
	case OP_F64_SIG:
		memcpy(&d, f, sizeof d);
		return tfr_fmt_sig(p, d, c.digits);
	case OP_F32_FIXED:
		memcpy(&x, f, sizeof x);
		return tfr_fmt_fixed(p, x, c.digits);
	default:
		memcpy(&x, f, sizeof x);
		return tfr_fmt_sig(p, x, c.digits);
	}
}

int tfr_stream_write(tfr_stream_writer *w, const void *records, size_t n)
{
	if (tfr_stream_write_header(w) != TFR_OK)
		return TFR_EIO;
	const char *rec = records;
	const tfr_schema *s = w->s;
	for (size_t r = 0; r < n; r++, rec += s->record_size) {
		if (w->used + w->line_max > BUFSIZE)
			drain(w);
		char *p = w->buf + w->used;
		size_t len = 0;
		for (size_t i = 0; i < s->ncolumns; i++) {
			len += format_field(p + len, w->ops[i], rec);
			p[len++] = '\t';
		}
		p[len - 1] = '\n';
		w->used += len;
	}
	return w->failed ? TFR_EIO : TFR_OK;
}

int tfr_stream_write_trailer(tfr_stream_writer *w, const char *key,
                             const char *value)
{
	if (tfr_stream_write_header(w) != TFR_OK)
		return TFR_EIO;
	put(w, "# ");
	put(w, key);
	put(w, "=");
	put(w, value);
	put(w, "\n");
	return w->failed ? TFR_EIO : TFR_OK;
}

int tfr_stream_flush(tfr_stream_writer *w)
{
	drain_as(w, Z_SYNC_FLUSH);
	if (fflush(w->fp) != 0 || ferror(w->fp))
		w->failed = 1;
	return w->failed ? TFR_EIO : TFR_OK;
}

int tfr_stream_writer_close(tfr_stream_writer *w)
{
	if (!w)
		return TFR_OK;
	tfr_stream_write_header(w);
	if (w->gz) {
		drain_as(w, Z_FINISH);
		tfr_gz_out_end(&w->gzout);
		w->gz = 0;
	}
	int e = tfr_stream_flush(w);
	tfr_meta_free(w->meta);
	free(w->buf);
	free(w);
	return e;
}
