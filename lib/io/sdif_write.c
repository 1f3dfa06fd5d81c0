/*
 * sdif_write.c - writer of SDIF partial files: RBEP from breakpoints,
 * 1TRC from grid frames, RBEL labels (see tfr_sdif.h).
 *
 * Each frame is built whole in memory (header, one matrix, data, zero
 * padding) so that its size field is the number of bytes that follow
 * it, exactly, and then written with one fwrite.
 */
#include "tfr_base.h"
#include "tfr_sdif.h"
#include "idmap.h"
#include "sdif_common.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_ID_F64 9007199254740992.0  /* 2^53 */
#define MAX_ID_F32 16777216.0          /* 2^24 */

struct tfr_sdif_writer {
	FILE *fp;
	tfr_sdif_writer_params p;
	tfr_diag diag;
	int io_failed;
	unsigned char *buf;     /* the frame being built */
	size_t capbuf;
	tfr_breakpoint *rows;   /* RBEP: the frame being collected */
	size_t nrows, caprows;
	idmap in_frame;         /* ids in that frame */
	double ft;              /* its time */
	double last_time;       /* of the latest breakpoint or frame */
};

void tfr_sdif_writer_params_default(tfr_sdif_writer_params *p)
{
	memset(p, 0, sizeof *p);
	p->type = TFR_SDIF_RBEP;
	p->float_bytes = 8;
	p->labels = NULL;
	p->nlabels = 0;
}

int tfr_sdif_writer_check(const tfr_sdif_writer_params *p, tfr_diag *d)
{
	if (!p)
		return tfr_diag_set(d, TFR_EINVAL, "no parameters");
	if (p->type != TFR_SDIF_RBEP && p->type != TFR_SDIF_1TRC)
		return tfr_diag_set(d, TFR_EINVAL, "type: RBEP or 1TRC expected");
	if (p->float_bytes != 4 && p->float_bytes != 8)
		return tfr_diag_set(d, TFR_EINVAL, "float_bytes: 4 or 8 expected");
	if (p->type == TFR_SDIF_RBEP && p->float_bytes != 8)
		return tfr_diag_set(d, TFR_EINVAL, "float_bytes: RBEP is written as float64");
	if (p->nlabels && !p->labels)
		return tfr_diag_set(d, TFR_EINVAL, "labels: NULL with a count");
	if (p->nlabels > ((size_t)1 << 26))
		return tfr_diag_set(d, TFR_EINVAL, "labels: more than 2^26 (one RBEL frame)");
	for (size_t i = 0; i < p->nlabels; i++) {
		const tfr_sdif_label *l = &p->labels[i];
		const int64_t lim = (int64_t)1 << 53;
		if (l->partial < 0 || l->partial >= lim || l->label <= -lim || l->label >= lim)
			return tfr_diag_setf(d, TFR_EINVAL, "labels: entry %zu is not in "
			                     "[0, 2^53) x (-2^53, 2^53)", i);
	}
	tfr_diag_clear(d);
	return TFR_OK;
}

static int failf(tfr_sdif_writer *w, int code, const char *fmt, ...)
#if defined(__GNUC__)
	__attribute__((format(printf, 3, 4)))
#endif
	;

static int failf(tfr_sdif_writer *w, int code, const char *fmt, ...)
{
	char what[200];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(what, sizeof what, fmt, ap);
	va_end(ap);
	if (code == TFR_EIO)
		w->io_failed = 1;
	return tfr_diag_set(&w->diag, code, what);
}

/*
 * Start a frame of one matrix of rows x cols elements of width bytes in
 * w->buf: returns the data area (zeroed padding included) and the frame's
 * total length in *len, or NULL (diag set).
 */
static unsigned char *frame_begin(tfr_sdif_writer *w, uint32_t sig, double time,
                                  int32_t stream, unsigned width, size_t rows,
                                  size_t cols, size_t *len)
{
	size_t cells = tfr_size_mul(rows, cols);
	size_t data = tfr_size_mul(cells, width);
	size_t padded = (data + 7) & ~(size_t)7;
	size_t size = 16 + SDIF_MATRIX_HEADER + padded;  /* after the size field */
	if ((rows && cols && !data) || padded < data || size > INT32_MAX || rows > INT32_MAX) {
		failf(w, TFR_ERANGE, "a frame of %zu rows is too large for SDIF", rows);
		return NULL;
	}
	*len = size + 8;
	if (tfr_grow((void **)&w->buf, &w->capbuf, *len, 1)) {
		failf(w, TFR_ENOMEM, "out of memory");
		return NULL;
	}
	unsigned char *b = w->buf;
	sdif_put32(b, sig);
	sdif_put32(b + 4, (uint32_t)size);
	sdif_put_f64(b + 8, time);
	sdif_put32(b + 16, (uint32_t)stream);
	sdif_put32(b + 20, 1);
	sdif_put32(b + 24, sig);
	sdif_put32(b + 28, width == 8 ? SDIF_FLOAT64 : SDIF_FLOAT32);
	sdif_put32(b + 32, (uint32_t)rows);
	sdif_put32(b + 36, (uint32_t)cols);
	memset(b + 40 + data, 0, padded - data);
	return b + 40;
}

static int frame_write(tfr_sdif_writer *w, size_t len)
{
	if (fwrite(w->buf, 1, len, w->fp) != len || ferror(w->fp))
		return failf(w, TFR_EIO, "write error");
	return TFR_OK;
}

static int write_file_header(tfr_sdif_writer *w)
{
	unsigned char h[SDIF_FILE_HEADER];
	sdif_put32(h, SIG_SDIF);
	sdif_put32(h + 4, 8);
	sdif_put32(h + 8, 3);   /* SDIF specification version */
	sdif_put32(h + 12, 1);  /* types version */
	if (fwrite(h, 1, sizeof h, w->fp) != sizeof h)
		return failf(w, TFR_EIO, "write error");
	return TFR_OK;
}

static int write_labels(tfr_sdif_writer *w)
{
	size_t len;
	unsigned char *d = frame_begin(w, SIG_RBEL, 0, SDIF_STREAM_LABELS, 8,
	                               w->p.nlabels, 2, &len);
	if (!d)
		return w->diag.code;
	for (size_t i = 0; i < w->p.nlabels; i++, d += 16) {
		sdif_put_f64(d, (double)w->p.labels[i].partial);
		sdif_put_f64(d + 8, (double)w->p.labels[i].label);
	}
	return frame_write(w, len);
}

tfr_sdif_writer *tfr_sdif_writer_new(FILE *fp, const tfr_sdif_writer_params *p,
                                     tfr_diag *d)
{
	if (tfr_sdif_writer_check(p, d) != TFR_OK)
		return NULL;
	tfr_sdif_writer *w = calloc(1, sizeof *w);
	if (!w) {
		tfr_diag_set(d, TFR_ENOMEM, "out of memory");
		return NULL;
	}
	w->fp = fp;
	w->p = *p;
	w->p.labels = NULL;  /* the labels are written now, not kept */
	w->last_time = -INFINITY;
	idmap_init(&w->in_frame);
	int e = write_file_header(w);
	if (e == TFR_OK && p->nlabels) {
		w->p.labels = p->labels;
		e = write_labels(w);
		w->p.labels = NULL;
	}
	if (e != TFR_OK) {
		if (d)
			*d = w->diag;
		idmap_free(&w->in_frame);
		free(w->buf);
		free(w);
		return NULL;
	}
	tfr_diag_clear(d);
	return w;
}

const tfr_diag *tfr_sdif_writer_diag(const tfr_sdif_writer *w)
{
	return &w->diag;
}

/* ---- RBEP ---- */

static int write_rbep_frame(tfr_sdif_writer *w)
{
	if (!w->nrows)
		return TFR_OK;
	size_t len;
	unsigned char *d = frame_begin(w, SIG_RBEP, w->ft, SDIF_STREAM_ENVELOPES, 8,
	                               w->nrows, 6, &len);
	if (!d)
		return w->diag.code;
	for (size_t i = 0; i < w->nrows; i++, d += 48) {
		const tfr_breakpoint *b = &w->rows[i];
		sdif_put_f64(d, (double)b->partial);
		sdif_put_f64(d + 8, b->freq);
		sdif_put_f64(d + 16, b->amp);
		sdif_put_f64(d + 24, sdif_phase_out(b->phase));
		sdif_put_f64(d + 32, b->bandwidth);
		sdif_put_f64(d + 40, b->time - w->ft);
	}
	w->nrows = 0;
	idmap_clear(&w->in_frame);
	return frame_write(w, len);
}

static int check_breakpoint(tfr_sdif_writer *w, const tfr_breakpoint *b)
{
	if (!isfinite(b->time))
		return failf(w, TFR_EINVAL, "breakpoint of partial %lld: time is not finite",
		             (long long)b->partial);
	if (b->time < w->last_time)
		return failf(w, TFR_EINVAL,
		             "breakpoint of partial %lld: time %.17g before %.17g "
		             "(not in stream order)",
		             (long long)b->partial, b->time, w->last_time);
	if (b->partial < 0)
		return failf(w, TFR_EINVAL, "partial id %lld is negative", (long long)b->partial);
	if ((double)b->partial >= MAX_ID_F64)
		return failf(w, TFR_ERANGE, "partial id %lld is not below 2^53 (float64 index)",
		             (long long)b->partial);
	if (!(b->freq >= 0) || !isfinite(b->freq) || !(b->amp >= 0) || !isfinite(b->amp) ||
	    !isfinite(b->phase) || !(b->bandwidth >= 0 && b->bandwidth <= 1))
		return failf(w, TFR_EINVAL,
		             "breakpoint of partial %lld at %.17g: frequency or amplitude "
		             "negative or not finite, phase not finite, or bandwidth "
		             "outside [0, 1]",
		             (long long)b->partial, b->time);
	return TFR_OK;
}

int tfr_sdif_write_breakpoints(tfr_sdif_writer *w, const tfr_breakpoint *bp,
                               size_t n)
{
	if (w->p.type != TFR_SDIF_RBEP)
		return failf(w, TFR_EINVAL, "breakpoints given to a 1TRC writer (it takes frames)");
	if (w->io_failed)
		return TFR_EIO;
	for (size_t i = 0; i < n; i++) {
		const tfr_breakpoint *b = &bp[i];
		int e = check_breakpoint(w, b);
		if (e != TFR_OK)
			return e;
		/* offsets must give the time back exactly: ft + (t - ft) == t
		 * holds when t is not far beyond ft (Sterbenz), checked anyway */
		if (w->nrows && (idmap_find(&w->in_frame, (uint64_t)b->partial) ||
		                 w->ft + (b->time - w->ft) != b->time) &&
		    (e = write_rbep_frame(w)) != TFR_OK)
			return e;
		if (!w->nrows)
			w->ft = b->time;
		if (tfr_grow((void **)&w->rows, &w->caprows, w->nrows + 1, sizeof *w->rows) ||
		    !idmap_get(&w->in_frame, (uint64_t)b->partial, 0, NULL))
			return failf(w, TFR_ENOMEM, "out of memory");
		w->rows[w->nrows++] = *b;
		w->last_time = b->time;
	}
	return TFR_OK;
}

/* ---- 1TRC ---- */

static int check_row(tfr_sdif_writer *w, const tfr_grid_row *r)
{
	double max = w->p.float_bytes == 4 ? MAX_ID_F32 : MAX_ID_F64;
	if (r->partial < 0)
		return failf(w, TFR_EINVAL, "partial id %lld is negative", (long long)r->partial);
	if ((double)r->partial >= max)
		return failf(w, TFR_ERANGE, "partial id %lld is not below 2^%d (exact %s index)",
		             (long long)r->partial, w->p.float_bytes == 4 ? 24 : 53,
		             w->p.float_bytes == 4 ? "float32" : "float64");
	if (!(r->freq >= 0) || !isfinite(r->freq) || !(r->amp >= 0) || !isfinite(r->amp) ||
	    !isfinite(r->phase))
		return failf(w, TFR_EINVAL,
		             "row of partial %lld: frequency or amplitude negative or not "
		             "finite, or phase not finite",
		             (long long)r->partial);
	return TFR_OK;
}

static void put_value(unsigned char *d, int width, double v)
{
	if (width == 8)
		sdif_put_f64(d, v);
	else
		sdif_put_f32(d, (float)v);
}

int tfr_sdif_write_frame(tfr_sdif_writer *w, double time,
                         const tfr_grid_row *rows, size_t n)
{
	if (w->p.type != TFR_SDIF_1TRC)
		return failf(w, TFR_EINVAL,
		             "a frame given to an RBEP writer (it takes breakpoints)");
	if (w->io_failed)
		return TFR_EIO;
	if (!isfinite(time) || time < w->last_time)
		return failf(w, TFR_EINVAL,
		             "frame time %.17g is not finite or before the previous frame's", time);
	for (size_t i = 0; i < n; i++) {
		int e = check_row(w, &rows[i]);
		if (e != TFR_OK)
			return e;
	}
	int width = w->p.float_bytes;
	size_t len;
	unsigned char *d = frame_begin(w, SIG_1TRC, time, SDIF_STREAM_ENVELOPES,
	                               (unsigned)width, n, 4, &len);
	if (!d)
		return w->diag.code;
	for (size_t i = 0; i < n; i++, d += 4 * width) {
		put_value(d, width, (double)rows[i].partial);
		put_value(d + width, width, rows[i].freq);
		put_value(d + 2 * width, width, rows[i].amp);
		put_value(d + 3 * width, width, sdif_phase_out_double(rows[i].phase));
	}
	w->last_time = time;
	return frame_write(w, len);
}

int tfr_sdif_writer_close(tfr_sdif_writer *w)
{
	if (!w)
		return TFR_OK;
	if (!w->io_failed && w->p.type == TFR_SDIF_RBEP && write_rbep_frame(w) != TFR_OK)
		w->io_failed = 1;
	if (fflush(w->fp) != 0 || ferror(w->fp))
		w->io_failed = 1;
	int e = w->io_failed ? TFR_EIO : TFR_OK;
	idmap_free(&w->in_frame);
	free(w->rows);
	free(w->buf);
	free(w);
	return e;
}
