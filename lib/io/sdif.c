/*
 * sdif.c - reader of SDIF partial files: RBEP, 1TRC and legacy 1TRC,
 * RBEL labels (see tfr_sdif.h; the writer is sdif_write.c).
 *
 * Frames are walked matrix by matrix and never skipped by their size
 * field, which Loris gets wrong in every frame (additive-model.md §3.8:
 * it counts 4-byte elements for float64 data). 1TRC streams through
 * framelink (one frame of look-ahead). RBEP needs to know each partial's
 * last row before it can flag it, so it is read twice: the first pass
 * checks everything and counts each partial's breakpoints, the second
 * delivers them, flagging the last; both apply the same rules to the
 * same bytes, so they agree.
 */
#include "tfr_base.h"
#include "tfr_sdif.h"
#include "framelink.h"
#include "idmap.h"
#include "insrc.h"
#include "sdif_common.h"

#include <float.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_INDEX_RBEP 9007199254740992.0  /* 2^53: exact in float64 */
#define MAX_INDEX_1TRC 4294967296.0        /* 2^32: framelink's ids */

enum { STREAMING, PASS1, PASS2 };
enum { DECIDED_LEGACY = 1 };  /* walk_frame: restart as legacy 1TRC */

typedef struct {
	uint32_t sig;
	int32_t size;
	double time;
	int32_t stream;
	int32_t nmat;
	uint64_t at;
} frame_hdr;

typedef struct {
	uint32_t sig;
	uint32_t type;
	int32_t rows, cols;
	unsigned width;
	uint64_t bytes;    /* data without padding */
	uint64_t padded;
	uint64_t at;
} matrix_hdr;

/* A row of an RBEP (or legacy 1TRC) frame. */
typedef struct {
	uint64_t index;
	double t, f, a, bw;
	float ph;
	size_t order;
} env_row;

typedef struct {
	double last;    /* time of the latest breakpoint kept */
	int64_t count;  /* first pass: kept; second pass: still to come */
} part_state;

struct tfr_sdif_reader {
	insrc in;
	tfr_diag diag;
	int failed;
	tfr_sdif_type type;
	uint32_t env_sig;
	int32_t stream;
	int deciding;          /* the first 1TRC matrix tells legacy or not */
	int mode;
	int at_end;
	tfr_sdif_stats st;
	tfr_sdif_label *labels;
	size_t nlabels, caplabels;
	idmap label_at;        /* index -> position in labels */
	env_row *rows;         /* the RBEP frame being read */
	size_t nrows, caprows;
	framelink fl;
	idmap part_at;         /* index -> position in parts */
	part_state *parts;
	size_t nparts, capparts;
	uint64_t frames_start; /* content offset of the first frame */
	double last_time;      /* latest breakpoint time of earlier frames */
	tfr_breakpoint *out;   /* second pass: out[outpos..nout-1] */
	size_t nout, outpos, capout;
};

#if defined(__GNUC__)
__attribute__((format(printf, 4, 5)))
#endif
static int failf(tfr_sdif_reader *r, int code, uint64_t at, const char *fmt, ...)
{
	char what[200];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(what, sizeof what, fmt, ap);
	va_end(ap);
	tfr_diag_setf(&r->diag, code, "byte %llu: %s", (unsigned long long)at, what);
	r->failed = code;
	return code;
}

static int read_failed(tfr_sdif_reader *r)
{
	if (ferror(r->in.fp))
		return failf(r, TFR_EIO, r->in.pos, "read error");
	return failf(r, TFR_ENOMEM, r->in.pos, "out of memory keeping the input");
}

static int no_memory(tfr_sdif_reader *r)
{
	tfr_diag_set(&r->diag, TFR_ENOMEM, "out of memory");
	return r->failed = TFR_ENOMEM;
}

/* A signature as text, unprintable bytes as '?'. */
static const char *sig_text(uint32_t s, char out[5])
{
	for (int i = 0; i < 4; i++) {
		unsigned char c = (unsigned char)(s >> (24 - 8 * i));
		out[i] = c >= 0x20 && c < 0x7f ? (char)c : '?';
	}
	out[4] = 0;
	return out;
}

/* Exactly n bytes, or EEOF naming what the input ended inside. */
static int need(tfr_sdif_reader *r, void *dst, size_t n, const char *what)
{
	uint64_t at = r->in.pos;
	if (insrc_read(&r->in, dst, n) == n)
		return TFR_OK;
	if (r->in.error)
		return read_failed(r);
	return failf(r, TFR_EEOF, at, "input ends inside %s", what);
}

static int skip(tfr_sdif_reader *r, uint64_t n, const char *what, uint32_t sig)
{
	uint64_t at = r->in.pos;
	if (insrc_skip(&r->in, n) == n)
		return TFR_OK;
	if (r->in.error)
		return read_failed(r);
	char s[5];
	return failf(r, TFR_EEOF, at, "input ends inside %s '%s' (%llu bytes declared)",
	             what, sig_text(sig, s), (unsigned long long)n);
}

/* ---- the structure: file header, frames, matrices ---- */

static int read_file_header(tfr_sdif_reader *r)
{
	unsigned char h[SDIF_FILE_HEADER];
	size_t got = insrc_read(&r->in, h, sizeof h);
	if (r->in.error)
		return read_failed(r);
	if (got < 4 && memcmp(h, "SDIF", got) == 0)
		return failf(r, got ? TFR_EEOF : TFR_EFORMAT, got,
		             got ? "input ends inside the file header"
		                 : "empty input (not an SDIF file)");
	if (sdif_get32(h) != SIG_SDIF)
		return failf(r, TFR_EFORMAT, 0, "not an SDIF file (no \"SDIF\" at the start)");
	if (got < sizeof h)
		return failf(r, TFR_EEOF, got, "input ends inside the file header");
	uint32_t size = sdif_get32(h + 4);
	if (size < 8 || size > INT32_MAX)
		return failf(r, TFR_EFORMAT, 4, "file header size %lu (expected 8)",
		             (unsigned long)size);
	if (size > 8) {
		int e = skip(r, size - 8, "the file header", SIG_SDIF);
		if (e != TFR_OK)
			return e;
	}
	r->frames_start = r->in.pos;
	return TFR_OK;
}

#define COUNT(r, field) ((r)->mode == PASS2 ? (void)0 : (void)(r)->st.field++)

/* 1 and *f, 0 at the end of the input (between frames), or an error. */
static int read_frame_header(tfr_sdif_reader *r, frame_hdr *f)
{
	unsigned char h[SDIF_FRAME_HEADER];
	f->at = r->in.pos;
	size_t got = insrc_read(&r->in, h, sizeof h);
	if (r->in.error)
		return read_failed(r);
	if (got == 0)
		return 0;
	if (got < sizeof h)
		return failf(r, TFR_EEOF, f->at, "input ends inside a frame header");
	f->sig = sdif_get32(h);
	f->size = (int32_t)sdif_get32(h + 4);
	f->time = sdif_get_f64(h + 8);
	f->stream = (int32_t)sdif_get32(h + 16);
	f->nmat = (int32_t)sdif_get32(h + 20);
	char s[5];
	if (f->nmat < 0)
		return failf(r, TFR_EFORMAT, f->at, "frame '%s' with a negative matrix count (%ld)",
		             sig_text(f->sig, s), (long)f->nmat);
	COUNT(r, frames);
	return 1;
}

static int read_matrix_header(tfr_sdif_reader *r, matrix_hdr *m)
{
	unsigned char h[SDIF_MATRIX_HEADER];
	memset(m, 0, sizeof *m);
	m->at = r->in.pos;
	int e = need(r, h, sizeof h, "a matrix header");
	if (e != TFR_OK)
		return e;
	m->sig = sdif_get32(h);
	m->type = sdif_get32(h + 4);
	m->rows = (int32_t)sdif_get32(h + 8);
	m->cols = (int32_t)sdif_get32(h + 12);
	m->width = m->type & 0xff;
	char s[5];
	sig_text(m->sig, s);
	if (m->rows < 0 || m->cols < 0)
		return failf(r, TFR_EFORMAT, m->at, "matrix '%s' with %ld rows and %ld columns",
		             s, (long)m->rows, (long)m->cols);
	if (m->width != 1 && m->width != 2 && m->width != 4 && m->width != 8)
		return failf(r, TFR_EFORMAT, m->at, "matrix '%s' of unknown data type 0x%04lx",
		             s, (unsigned long)m->type);
	uint64_t cells = (uint64_t)m->rows * (uint64_t)m->cols;
	if (cells > (UINT64_MAX - 7) / m->width)
		return failf(r, TFR_EFORMAT, m->at,
		             "matrix '%s' of %ld x %ld elements of %u bytes: the size overflows",
		             s, (long)m->rows, (long)m->cols, m->width);
	m->bytes = cells * m->width;
	m->padded = (m->bytes + 7) & ~(uint64_t)7;
	return TFR_OK;
}

/* The first k values of each row, as doubles, one row at a time: only
 * what was read is kept, so a huge declared size costs nothing but the
 * bytes the input really has. */
typedef int (*row_fn)(tfr_sdif_reader *r, const frame_hdr *f, int32_t row,
                      const double *v, uint64_t at);

static int read_rows(tfr_sdif_reader *r, const frame_hdr *f, const matrix_hdr *m,
                     int k, row_fn fn)
{
	char s[5];
	if (m->type != SDIF_FLOAT32 && m->type != SDIF_FLOAT64)
		return failf(r, TFR_EFORMAT, m->at,
		             "matrix '%s' of data type 0x%04lx "
		             "(float32 0x0004 or float64 0x0008 expected)",
		             sig_text(m->sig, s), (unsigned long)m->type);
	unsigned char raw[8 * 8];
	double v[8];
	uint64_t rest = (uint64_t)(m->cols - k) * m->width;
	for (int32_t i = 0; i < m->rows; i++) {
		uint64_t at = r->in.pos;
		int e = need(r, raw, (size_t)k * m->width, "a matrix row");
		if (e != TFR_OK)
			return e;
		for (int j = 0; j < k; j++)
			v[j] = m->width == 8 ? sdif_get_f64(raw + 8 * j)
			                     : (double)sdif_get_f32(raw + 4 * j);
		if (rest && (e = skip(r, rest, "matrix", m->sig)) != TFR_OK)
			return e;
		if ((e = fn(r, f, i, v, at)) != TFR_OK)
			return e;
	}
	return skip(r, m->padded - m->bytes, "the padding of matrix", m->sig);
}

/* ---- labels ---- */

static int whole(double v, double max)
{
	return v >= 0 && v < max && v == floor(v);
}

static int label_row(tfr_sdif_reader *r, const frame_hdr *f, int32_t row,
                     const double *v, uint64_t at)
{
	(void)f;
	if (!whole(v[0], MAX_INDEX_RBEP))
		return failf(r, TFR_EFORMAT, at,
		             "RBEL row %ld: index %.17g is not an integer in [0, 2^53)",
		             (long)row, v[0]);
	if (!(fabs(v[1]) < MAX_INDEX_RBEP && v[1] == floor(v[1])))
		return failf(r, TFR_EFORMAT, at, "RBEL row %ld: label %.17g is not an integer",
		             (long)row, v[1]);
	int added;
	int64_t *pos = idmap_get(&r->label_at, (uint64_t)v[0], (int64_t)r->nlabels, &added);
	if (!pos)
		return no_memory(r);
	if (added) {
		if (tfr_grow((void **)&r->labels, &r->caplabels, r->nlabels + 1, sizeof *r->labels))
			return no_memory(r);
		r->nlabels++;
	}
	r->labels[*pos] = (tfr_sdif_label){ (int64_t)v[0], (int64_t)v[1] };
	return TFR_OK;
}

/* ---- envelope rows ---- */

/* Checks shared by every envelope row: index, frequency, amplitude,
 * phase (v[0..3]). */
static int check_row(tfr_sdif_reader *r, int32_t row, const double *v,
                     double max_index, uint64_t at)
{
	char s[5];
	sig_text(r->env_sig, s);
	if (!whole(v[0], max_index))
		return failf(r, TFR_EFORMAT, at,
		             "%s row %ld: index %.17g is not an integer in [0, 2^%d)",
		             s, (long)row, v[0], max_index == MAX_INDEX_RBEP ? 53 : 32);
	if (!(v[1] >= 0) || !isfinite(v[1]))
		return failf(r, TFR_EFORMAT, at,
		             "%s row %ld: frequency %.17g is negative or not finite",
		             s, (long)row, v[1]);
	if (!(v[2] >= 0 && v[2] <= FLT_MAX))
		return failf(r, TFR_EFORMAT, at,
		             "%s row %ld: amplitude %.17g is negative, not finite or "
		             "beyond float range",
		             s, (long)row, v[2]);
	if (!isfinite(v[3]))
		return failf(r, TFR_EFORMAT, at, "%s row %ld: phase is not finite", s, (long)row);
	return TFR_OK;
}

static int track_row(tfr_sdif_reader *r, const frame_hdr *f, int32_t row,
                     const double *v, uint64_t at)
{
	(void)f;
	int e = check_row(r, row, v, MAX_INDEX_1TRC, at);
	if (e != TFR_OK)
		return e;
	if (framelink_row(&r->fl, (uint64_t)v[0], v[1], v[2], sdif_phase_in(v[3]), 0))
		return no_memory(r);
	return TFR_OK;
}

/* RBEP: index, freq, amp, phase, bandwidth, offset; legacy 1TRC adds a
 * flag. */
static int rbep_row(tfr_sdif_reader *r, const frame_hdr *f, int32_t row,
                    const double *v, uint64_t at)
{
	int e = check_row(r, row, v, MAX_INDEX_RBEP, at);
	if (e != TFR_OK)
		return e;
	char s[5];
	sig_text(r->env_sig, s);
	if (!isfinite(v[4]))
		return failf(r, TFR_EFORMAT, at, "%s row %ld: bandwidth is not finite", s,
		             (long)row);
	double t = f->time + v[5];
	if (!isfinite(t))
		return failf(r, TFR_EFORMAT, at,
		             "%s row %ld: time (frame time + offset %.17g) is not finite",
		             s, (long)row, v[5]);
	if (r->type == TFR_SDIF_1TRC_LEGACY && v[6] != 0) {
		COUNT(r, flagged);
		return TFR_OK;
	}
	if (tfr_grow((void **)&r->rows, &r->caprows, r->nrows + 1, sizeof *r->rows))
		return no_memory(r);
	double bw = v[4] < 0 ? 0 : v[4] > 1 ? 1 : v[4];
	r->rows[r->nrows] = (env_row){ (uint64_t)v[0], t, v[1], v[2], bw,
	                               sdif_phase_in(v[3]), r->nrows };
	r->nrows++;
	return TFR_OK;
}

static int read_envelope(tfr_sdif_reader *r, const frame_hdr *f, const matrix_hdr *m)
{
	if (r->deciding) {
		r->deciding = 0;
		if (m->cols == 7)
			return DECIDED_LEGACY;
		insrc_stop_recording(&r->in);  /* 1TRC streams */
	}
	int k = r->type == TFR_SDIF_RBEP ? 6 : r->type == TFR_SDIF_1TRC_LEGACY ? 7 : 4;
	if (m->cols < k) {
		char s[5];
		return failf(r, TFR_EFORMAT, m->at, "'%s' matrix with %ld columns (%d needed)",
		             sig_text(m->sig, s), (long)m->cols, k);
	}
	return read_rows(r, f, m, k, r->type == TFR_SDIF_1TRC ? track_row : rbep_row);
}

/* ---- the two passes over RBEP frames ---- */

static int by_time(const void *a, const void *b)
{
	const env_row *x = a, *y = b;
	if (x->t != y->t)
		return x->t < y->t ? -1 : 1;
	return x->order < y->order ? -1 : x->order > y->order;
}

static part_state *part_of(tfr_sdif_reader *r, uint64_t index)
{
	int added;
	int64_t *pos = idmap_get(&r->part_at, index, (int64_t)r->nparts, &added);
	if (!pos)
		return NULL;
	if (added) {
		if (tfr_grow((void **)&r->parts, &r->capparts, r->nparts + 1, sizeof *r->parts))
			return NULL;
		r->parts[r->nparts++] = (part_state){ -INFINITY, 0 };
		r->st.partials++;
	}
	return &r->parts[*pos];
}

static int emit(tfr_sdif_reader *r, const env_row *row, int end)
{
	if (r->outpos == r->nout)
		r->outpos = r->nout = 0;
	if (tfr_grow((void **)&r->out, &r->capout, r->nout + 1, sizeof *r->out))
		return TFR_ENOMEM;
	r->out[r->nout++] = (tfr_breakpoint){ (int64_t)row->index, row->t, row->f,
	                                      (float)row->a, row->ph, (float)row->bw, end, 0, 0 };
	return TFR_OK;
}

/* The rows of one RBEP frame, in time order: the first pass counts each
 * partial's breakpoints, the second gives them out, flagging the last. */
static int end_rbep_frame(tfr_sdif_reader *r, const frame_hdr *f)
{
	if (r->nrows > 1)
		qsort(r->rows, r->nrows, sizeof *r->rows, by_time);
	if (r->nrows && r->rows[0].t < r->last_time)
		return failf(r, TFR_EFORMAT, f->at,
		             "breakpoint time %.17g is before %.17g of an earlier frame "
		             "(frames out of time order)",
		             r->rows[0].t, r->last_time);
	for (size_t i = 0; i < r->nrows; i++) {
		const env_row *row = &r->rows[i];
		part_state *p = part_of(r, row->index);
		if (!p)
			return no_memory(r);
		if (!(row->t > p->last)) {
			COUNT(r, duplicates);
			continue;
		}
		p->last = row->t;
		if (r->mode == PASS1) {
			p->count++;
		} else if (emit(r, row, --p->count == 0) != TFR_OK) {
			return no_memory(r);
		}
	}
	if (r->nrows && r->rows[r->nrows - 1].t > r->last_time)
		r->last_time = r->rows[r->nrows - 1].t;
	return TFR_OK;
}

static int end_envelope_frame(tfr_sdif_reader *r, const frame_hdr *f)
{
	if (r->type != TFR_SDIF_1TRC)
		return end_rbep_frame(r, f);
	int e = framelink_frame(&r->fl, f->time);
	if (e == TFR_EFORMAT)
		return failf(r, e, f->at, "frame time %.17g is before the previous frame's (%.17g)",
		             f->time, r->fl.tcur);
	return e == TFR_OK ? e : no_memory(r);
}

/* Walk one frame's matrices: envelope rows, labels, or skipped. */
static int walk_frame(tfr_sdif_reader *r, const frame_hdr *f)
{
	int env = r->type != TFR_SDIF_NONE && f->sig == r->env_sig && f->stream == r->stream;
	int labels = f->sig == SIG_RBEL;
	char s[5];
	if (env && !isfinite(f->time))
		return failf(r, TFR_EFORMAT, f->at, "frame '%s': time is not finite",
		             sig_text(f->sig, s));
	if (env)
		COUNT(r, envelope_frames);
	else if (!labels)
		COUNT(r, skipped_frames);
	r->nrows = 0;
	uint64_t walked = 16;  /* time, stream id and count follow the size */
	for (int32_t i = 0; i < f->nmat; i++) {
		matrix_hdr m = { 0 };
		int e = read_matrix_header(r, &m);
		if (e != TFR_OK)
			return e;
		if (env && m.sig == r->env_sig) {
			e = read_envelope(r, f, &m);
		} else if (labels && m.sig == SIG_RBEL && r->mode != PASS2) {
			e = m.cols < 2 ? failf(r, TFR_EFORMAT, m.at,
			                       "RBEL matrix with %ld columns (2 needed)",
			                       (long)m.cols)
			               : read_rows(r, f, &m, 2, label_row);
		} else {
			if (env)
				COUNT(r, skipped_matrices);
			e = skip(r, m.padded, "matrix", m.sig);
		}
		if (e != TFR_OK)
			return e;
		walked = walked + SDIF_MATRIX_HEADER + m.padded < walked ? UINT64_MAX
		         : walked + SDIF_MATRIX_HEADER + m.padded;
	}
	if (f->size < 0 || (uint64_t)f->size != walked)
		COUNT(r, size_mismatches);
	return env ? end_envelope_frame(r, f) : TFR_OK;
}

static int start_two_passes(tfr_sdif_reader *r);

/* A frame while 1TRC streams: its first 1TRC matrix may reveal legacy
 * 1TRC, to be read in two passes like RBEP. */
static int walk_envelope_frame(tfr_sdif_reader *r, const frame_hdr *f)
{
	int e = walk_frame(r, f);
	if (e != DECIDED_LEGACY)
		return e;
	r->type = TFR_SDIF_1TRC_LEGACY;
	return start_two_passes(r);
}

/* Walk every frame from the first: the first pass of RBEP. */
static int first_pass(tfr_sdif_reader *r)
{
	for (;;) {
		frame_hdr f;
		int e = read_frame_header(r, &f);
		if (e <= 0)
			return e;
		if ((e = walk_frame(r, &f)) != TFR_OK)
			return e;
	}
}

static int rewind_frames(tfr_sdif_reader *r)
{
	if (insrc_seek(&r->in, r->frames_start) != 0)
		return failf(r, TFR_EIO, r->frames_start, "cannot go back to the first frame");
	return TFR_OK;
}

/* RBEP and legacy 1TRC: keep a pipe's input, count, then go back. */
static int start_two_passes(tfr_sdif_reader *r)
{
	r->deciding = 0;
	framelink_free(&r->fl);
	framelink_init(&r->fl);
	if (!r->in.seekable) {
		int e = insrc_to_memory(&r->in);
		if (e != TFR_OK)
			return read_failed(r);
	}
	int e = rewind_frames(r);
	if (e != TFR_OK)
		return e;
	memset(&r->st, 0, sizeof r->st);
	r->mode = PASS1;
	r->last_time = -INFINITY;
	if ((e = first_pass(r)) != TFR_OK)
		return e;
	for (size_t i = 0; i < r->nparts; i++)
		r->parts[i].last = -INFINITY;
	r->mode = PASS2;
	r->last_time = -INFINITY;
	return rewind_frames(r);
}

/* The frames before the first envelope frame, and the way to read the
 * rest. */
static int open_content(tfr_sdif_reader *r)
{
	int e = read_file_header(r);
	if (e != TFR_OK)
		return e;
	frame_hdr f;
	for (;;) {
		if ((e = read_frame_header(r, &f)) < 0)
			return e;
		if (e == 0) {
			r->at_end = 1;
			return TFR_OK;
		}
		if (f.sig == SIG_RBEP || f.sig == SIG_1TRC)
			break;
		if ((e = walk_frame(r, &f)) != TFR_OK)
			return e;
	}
	r->env_sig = f.sig;
	r->stream = f.stream;
	if (f.sig == SIG_RBEP) {
		r->type = TFR_SDIF_RBEP;
		return start_two_passes(r);
	}
	r->type = TFR_SDIF_1TRC;
	r->deciding = 1;
	return walk_envelope_frame(r, &f);
}

tfr_sdif_reader *tfr_sdif_reader_new(FILE *fp, const void *head, size_t nhead,
                                     tfr_diag *d)
{
	tfr_sdif_reader *r = calloc(1, sizeof *r);
	if (!r) {
		tfr_diag_set(d, TFR_ENOMEM, "out of memory");
		return NULL;
	}
	idmap_init(&r->label_at);
	idmap_init(&r->part_at);
	framelink_init(&r->fl);
	if (insrc_init(&r->in, fp, head, nhead, 1) != TFR_OK) {
		tfr_diag_set(d, TFR_ENOMEM, "out of memory");
		tfr_sdif_reader_free(r);
		return NULL;
	}
	if (open_content(r) != TFR_OK) {
		if (d)
			*d = r->diag;
		tfr_sdif_reader_free(r);
		return NULL;
	}
	tfr_diag_clear(d);
	return r;
}

void tfr_sdif_reader_free(tfr_sdif_reader *r)
{
	if (!r)
		return;
	insrc_free(&r->in);
	framelink_free(&r->fl);
	idmap_free(&r->label_at);
	idmap_free(&r->part_at);
	free(r->labels);
	free(r->rows);
	free(r->parts);
	free(r->out);
	free(r);
}

tfr_sdif_type tfr_sdif_reader_type(const tfr_sdif_reader *r)
{
	return r->type;
}

static size_t take(tfr_sdif_reader *r, tfr_breakpoint *bp, size_t max)
{
	if (r->type == TFR_SDIF_1TRC)
		return framelink_take(&r->fl, bp, max);
	size_t k = r->nout - r->outpos;
	if (k > max)
		k = max;
	if (k)
		memcpy(bp, r->out + r->outpos, k * sizeof *bp);
	r->outpos += k;
	return k;
}

/* Read one more frame (or see the end). */
static int next_frame(tfr_sdif_reader *r)
{
	frame_hdr f;
	int e = read_frame_header(r, &f);
	if (e < 0)
		return e;
	if (e == 0) {
		r->at_end = 1;
		if (r->type == TFR_SDIF_1TRC && framelink_finish(&r->fl) != TFR_OK)
			return no_memory(r);
		return TFR_OK;
	}
	return walk_envelope_frame(r, &f);
}

long tfr_sdif_reader_read(tfr_sdif_reader *r, tfr_breakpoint *bp, size_t max)
{
	if (r->failed)
		return r->failed;
	if (max > LONG_MAX)
		max = LONG_MAX;
	size_t n = 0;
	for (;;) {
		n += take(r, bp + n, max - n);
		if (n == max || r->at_end || next_frame(r) != TFR_OK)
			break;
	}
	r->st.breakpoints += (int64_t)n;
	/* breakpoints read before a failure come first; the failure at the
	 * next call */
	return n || !r->failed ? (long)n : r->failed;
}

const tfr_sdif_label *tfr_sdif_reader_labels(const tfr_sdif_reader *r, size_t *n)
{
	*n = r->nlabels;
	return r->labels;
}

int tfr_sdif_reader_label(const tfr_sdif_reader *r, int64_t partial, int64_t *label)
{
	if (partial < 0)
		return 0;
	uint64_t index = (uint64_t)partial;
	if (r->type == TFR_SDIF_1TRC)
		index %= FRAMELINK_MAX_INDEX;
	const int64_t *pos = idmap_find(&r->label_at, index);
	if (!pos)
		return 0;
	*label = r->labels[*pos].label;
	return 1;
}

void tfr_sdif_reader_stats(const tfr_sdif_reader *r, tfr_sdif_stats *s)
{
	*s = r->st;
	if (r->type == TFR_SDIF_1TRC) {
		s->partials = r->fl.partials;
		s->duplicates += r->fl.duplicates;
	}
}

const tfr_diag *tfr_sdif_reader_diag(const tfr_sdif_reader *r)
{
	return &r->diag;
}
