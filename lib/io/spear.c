/*
 * spear.c - reader of SPEAR's text formats (see tfr_spear.h; the writers
 * are spear_write.c).
 *
 * The text is read field by field, never line by line: SPEAR puts all of
 * a partial's points on one line, so a line has no useful bound, but a
 * field has (63 characters), and a record's fields are counted as they
 * come, so a line with too many fields fails at the first extra one.
 * Nothing is allocated from a declared count.
 */
#include "tfr_base.h"
#include "tfr_number.h"
#include "tfr_spear.h"
#include "framelink.h"
#include "idmap.h"
#include "insrc.h"

#include <float.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_FIELD 63
#define MAX_INDEX_PARTIALS 9007199254740992.0  /* 2^53 */
#define MAX_COUNT 9007199254740992.0

enum { TOK_EOF, TOK_EOL, TOK_WORD };
enum { NOTHING = -2 };  /* no character read ahead */

static const char magic_partials[] = "par-text-partials-format";
static const char magic_frames[] = "par-text-frame-format";

struct tfr_spear_reader {
	insrc in;
	tfr_diag diag;
	int failed;
	tfr_spear_format format;
	long line, col;          /* of the next character, 1-based */
	long eol_line, eol_col;  /* where the last line ended */
	int ahead;               /* a character read ahead, or NOTHING */
	int line_open;           /* the current line has had a field */
	char tok[MAX_FIELD + 1];
	long tok_line, tok_col;
	tfr_spear_stats st;
	int64_t partials_count, frame_count;
	int have_partials_count, have_frame_count;
	tfr_breakpoint *bps;     /* partials format: all, in stream order */
	size_t nbps, capbps, pos;
	framelink fl;            /* frame format */
	int at_end;
};

#if defined(__GNUC__)
__attribute__((format(printf, 5, 6)))
#endif
static int fail_at(tfr_spear_reader *r, int code, long line, long col,
                   const char *fmt, ...)
{
	char what[220];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(what, sizeof what, fmt, ap);
	va_end(ap);
	tfr_diag_set(&r->diag, code, what);
	tfr_diag_at(&r->diag, line, col);
	r->failed = code;
	return code;
}

static int read_failed(tfr_spear_reader *r)
{
	return fail_at(r, ferror(r->in.fp) ? TFR_EIO : TFR_ENOMEM, r->line, 0,
	               ferror(r->in.fp) ? "read error" : "out of memory");
}

static int no_memory(tfr_spear_reader *r)
{
	tfr_diag_set(&r->diag, TFR_ENOMEM, "out of memory");
	return r->failed = TFR_ENOMEM;
}

/* ---- fields ---- */

static int getch(tfr_spear_reader *r)
{
	if (r->ahead != NOTHING) {
		int c = r->ahead;
		r->ahead = NOTHING;
		return c;
	}
	return insrc_getc(&r->in);
}

static int blank(int c)
{
	return c == ' ' || c == '\t' || c == '\f' || c == '\v';
}

/* TOK_WORD (the field in r->tok, at r->tok_line:r->tok_col), TOK_EOL
 * (CRLF, LF or CR; also before the end of a last line without one),
 * TOK_EOF, or a negative code. */
static int next_token(tfr_spear_reader *r)
{
	int c;
	while (blank(c = getch(r)))
		r->col++;
	if (c < 0 && r->in.error)
		return read_failed(r);
	if (c < 0 || c == '\r' || c == '\n') {
		if (c < 0 && !r->line_open)
			return TOK_EOF;
		if (c == '\r' && (r->ahead = getch(r)) == '\n')
			r->ahead = NOTHING;
		r->eol_line = r->line;
		r->eol_col = r->col;
		if (c >= 0) {
			r->line++;
			r->col = 1;
		}
		r->line_open = 0;
		return TOK_EOL;
	}
	r->tok_line = r->line;
	r->tok_col = r->col;
	size_t n = 0;
	for (; c >= 0 && !blank(c) && c != '\r' && c != '\n'; c = getch(r)) {
		if (c == 0)
			return fail_at(r, TFR_EFORMAT, r->line, r->col, "NUL byte in text");
		if (n == MAX_FIELD)
			return fail_at(r, TFR_EFORMAT, r->tok_line, r->tok_col,
			               "field longer than %d characters", MAX_FIELD);
		r->tok[n++] = (char)c;
		r->col++;
	}
	r->tok[n] = 0;
	r->ahead = c;
	r->line_open = 1;
	return TOK_WORD;
}

/* The next field of the current line, or a failure saying which. */
static int field(tfr_spear_reader *r, const char *what)
{
	int t = next_token(r);
	if (t < 0)
		return t;
	if (t != TOK_WORD)
		return fail_at(r, TFR_EFORMAT, r->eol_line, r->eol_col, "missing field: %s", what);
	return TFR_OK;
}

static int end_of_line(tfr_spear_reader *r, const char *after)
{
	int t = next_token(r);
	if (t < 0)
		return t;
	if (t == TOK_WORD)
		return fail_at(r, TFR_EFORMAT, r->tok_line, r->tok_col,
		               "unexpected field '%s' after %s", r->tok, after);
	return TFR_OK;
}

/* r->tok as a finite number; a decimal comma is taken for a point. */
static int number(tfr_spear_reader *r, const char *what, double *v)
{
	char *comma = strchr(r->tok, ',');
	int commas = comma && !strchr(r->tok, '.') && !strchr(comma + 1, ',');
	if (commas)
		*comma = '.';
	if (tfr_parse_double(r->tok, v) != TFR_OK) {
		if (commas)
			*comma = ',';
		return fail_at(r, TFR_EFORMAT, r->tok_line, r->tok_col,
		               "%s: '%s' is not a finite number", what, r->tok);
	}
	r->st.decimal_commas += commas;
	return TFR_OK;
}

/* r->tok as an integer in [0, max). */
static int integer(tfr_spear_reader *r, const char *what, double max, int64_t *v)
{
	double x;
	int e = number(r, what, &x);
	if (e != TFR_OK)
		return e;
	if (!(x >= 0 && x < max && x == floor(x)))
		return fail_at(r, TFR_EFORMAT, r->tok_line, r->tok_col,
		               "%s: '%s' is not an integer in [0, 2^%d)", what, r->tok,
		               max == MAX_COUNT ? 53 : 32);
	*v = (int64_t)x;
	return TFR_OK;
}

static int next_number(tfr_spear_reader *r, const char *what, double *v)
{
	int e = field(r, what);
	return e != TFR_OK ? e : number(r, what, v);
}

static int next_integer(tfr_spear_reader *r, const char *what, double max, int64_t *v)
{
	int e = field(r, what);
	return e != TFR_OK ? e : integer(r, what, max, v);
}

/* Frequency and amplitude as a synthesiser can use them. */
static int check_point(tfr_spear_reader *r, double f, double a, long fl, long fc,
                       long al, long ac)
{
	if (f < 0)
		return fail_at(r, TFR_EFORMAT, fl, fc, "negative frequency %g", f);
	if (a < 0)
		return fail_at(r, TFR_EFORMAT, al, ac, "negative amplitude %g", a);
	if (a > FLT_MAX)
		return fail_at(r, TFR_EFORMAT, al, ac, "amplitude %g beyond float range", a);
	return TFR_OK;
}

/* ---- header ---- */

static int read_magic(tfr_spear_reader *r)
{
	int t = next_token(r);
	if (t < 0)
		return t;
	if (t != TOK_WORD)
		return fail_at(r, TFR_EEOF, r->line, 0, "empty input (not a SPEAR text file)");
	const char *s = r->tok;
	if (!strncmp(s, "\xEF\xBB\xBF", 3))
		s += 3;  /* a UTF-8 byte-order mark */
	if (!strcmp(s, magic_partials))
		r->format = TFR_SPEAR_PARTIALS;
	else if (!strcmp(s, magic_frames))
		r->format = TFR_SPEAR_FRAMES;
	else
		return fail_at(r, TFR_EFORMAT, 1, 1,
		               "not a SPEAR text file (first line is not '%s' or '%s')",
		               magic_partials, magic_frames);
	return end_of_line(r, "the format name");
}

/* "point-type" and the three names that must follow it. */
static int read_point_type(tfr_spear_reader *r)
{
	static const char *const partials[] = { "time", "frequency", "amplitude" };
	static const char *const frames[] = { "index", "frequency", "amplitude" };
	const char *const *want = r->format == TFR_SPEAR_PARTIALS ? partials : frames;
	long line = r->tok_line, col = r->tok_col;
	int ok = 1, n = 0, t;
	while ((t = next_token(r)) == TOK_WORD) {
		ok = ok && n < 3 && !strcmp(r->tok, want[n]);
		n++;
	}
	if (t < 0)
		return t;
	if (!ok || n != 3)
		return fail_at(r, TFR_EUNSUPPORTED, line, col,
		               "point-type is not '%s %s %s' (the only one read)",
		               want[0], want[1], want[2]);
	return TFR_OK;
}

static int skip_line(tfr_spear_reader *r)
{
	int t;
	while ((t = next_token(r)) == TOK_WORD)
		;
	return t < 0 ? t : TFR_OK;
}

static int read_header(tfr_spear_reader *r)
{
	int e = read_magic(r);
	if (e != TFR_OK)
		return e;
	int frames = r->format == TFR_SPEAR_FRAMES;
	const char *data = frames ? "frame-data" : "partials-data";
	for (;;) {
		int t = next_token(r);
		if (t < 0)
			return t;
		if (t == TOK_EOF)
			return fail_at(r, TFR_EFORMAT, r->line, 0, "the header has no '%s' line",
			               data);
		if (t == TOK_EOL)
			continue;
		if (!strcmp(r->tok, "point-type")) {
			e = read_point_type(r);
		} else if (!strcmp(r->tok, "partials-count")) {
			e = next_integer(r, "partials-count", MAX_COUNT, &r->partials_count);
			r->have_partials_count = 1;
			if (e == TFR_OK)
				e = end_of_line(r, "partials-count");
		} else if (frames && !strcmp(r->tok, "frame-count")) {
			e = next_integer(r, "frame-count", MAX_COUNT, &r->frame_count);
			r->have_frame_count = 1;
			if (e == TFR_OK)
				e = end_of_line(r, "frame-count");
		} else if (!strcmp(r->tok, data)) {
			e = end_of_line(r, data);
			break;
		} else {
			e = skip_line(r);  /* a header line this reader does not know */
		}
		if (e != TFR_OK)
			return e;
	}
	if (e != TFR_OK)
		return e;
	if (!r->have_partials_count)
		return fail_at(r, TFR_EFORMAT, r->eol_line, 0, "the header has no partials-count");
	if (frames && !r->have_frame_count)
		return fail_at(r, TFR_EFORMAT, r->eol_line, 0, "the header has no frame-count");
	return TFR_OK;
}

/* ---- par-text-partials-format: the whole file ---- */

static int add_bp(tfr_spear_reader *r, const tfr_breakpoint *b)
{
	if (r->nbps == r->capbps) {
		size_t cap = r->capbps ? 2 * r->capbps : 1024;
		tfr_breakpoint *p = cap < SIZE_MAX / sizeof *p ? realloc(r->bps, cap * sizeof *p)
		                                                : NULL;
		if (!p)
			return no_memory(r);
		r->bps = p;
		r->capbps = cap;
	}
	r->bps[r->nbps++] = *b;
	return TFR_OK;
}

/* The points line of partial index: npoints triples, nothing else. */
static int read_points(tfr_spear_reader *r, int64_t index, int64_t npoints)
{
	double prev = -INFINITY;
	size_t first = r->nbps;
	for (int64_t i = 0; i < npoints; i++) {
		double v[3];
		long line[3], col[3];
		for (int j = 0; j < 3; j++) {
			int t = next_token(r);
			if (t < 0)
				return t;
			if (t != TOK_WORD)
				return fail_at(r, TFR_EFORMAT, r->eol_line, r->eol_col,
				               "partial %lld: %lld points announced, the line has "
				               "%lld numbers", (long long)index, (long long)npoints,
				               (long long)(3 * i + j));
			line[j] = r->tok_line;
			col[j] = r->tok_col;
			static const char *const what[] = { "time", "frequency", "amplitude" };
			int e = number(r, what[j], &v[j]);
			if (e != TFR_OK)
				return e;
		}
		int e = check_point(r, v[1], v[2], line[1], col[1], line[2], col[2]);
		if (e != TFR_OK)
			return e;
		if (v[0] < prev)
			return fail_at(r, TFR_EFORMAT, line[0], col[0],
			               "partial %lld: point time %.9g before the previous "
			               "point's (%.9g)",
			               (long long)index, v[0], prev);
		if (v[0] == prev) {
			r->st.duplicates++;
			continue;
		}
		prev = v[0];
		tfr_breakpoint b = { index, v[0], v[1], (float)v[2], 0, 0, 0, 0, 0 };
		if ((e = add_bp(r, &b)) != TFR_OK)
			return e;
	}
	if (r->nbps > first)
		r->bps[r->nbps - 1].end = 1;
	char after[64];
	snprintf(after, sizeof after, "the %lld points of partial %lld",
	         (long long)npoints, (long long)index);
	return end_of_line(r, after);
}

static int stream_order(const void *a, const void *b)
{
	const tfr_breakpoint *x = a, *y = b;
	if (x->time != y->time)
		return x->time < y->time ? -1 : 1;
	return x->partial < y->partial ? -1 : x->partial > y->partial;
}

static int read_partials(tfr_spear_reader *r)
{
	idmap seen;
	idmap_init(&seen);
	int64_t count = 0;
	int e = TFR_OK;
	for (;;) {
		int t = next_token(r);
		if (t < 0 || t == TOK_EOF) {
			e = t < 0 ? t : TFR_OK;
			break;
		}
		if (t == TOK_EOL)
			continue;
		long line = r->tok_line, col = r->tok_col;
		int64_t index = 0, npoints = 0;
		double start, end;
		if ((e = integer(r, "partial index", MAX_INDEX_PARTIALS, &index)) ||
		    (e = next_integer(r, "point count", MAX_COUNT, &npoints)) ||
		    (e = next_number(r, "start time", &start)) ||
		    (e = next_number(r, "end time", &end)) ||
		    (e = end_of_line(r, "a partial's index, point count, start and end")))
			break;
		int fresh;
		if (!idmap_get(&seen, (uint64_t)index, 0, &fresh)) {
			e = no_memory(r);
			break;
		}
		if (!fresh) {
			e = fail_at(r, TFR_EFORMAT, line, col, "partial index %lld appears twice",
			            (long long)index);
			break;
		}
		size_t before = r->nbps;
		if ((e = read_points(r, index, npoints)) != TFR_OK)
			break;
		count++;
		r->st.partials += r->nbps > before;  /* a partial of no points starts none */
	}
	idmap_free(&seen);
	if (e != TFR_OK)
		return e;
	if (count != r->partials_count)
		return fail_at(r, TFR_EFORMAT, r->line, 0,
		               "partials-count is %lld but the file has %lld partials (cut short?)",
		               (long long)r->partials_count, (long long)count);
	if (r->nbps > 1)
		qsort(r->bps, r->nbps, sizeof *r->bps, stream_order);
	return TFR_OK;
}

/* ---- par-text-frame-format: a frame at a time ---- */

/* 1 when a frame was read, 0 at the end of the input, or an error. */
static int read_frame(tfr_spear_reader *r)
{
	int t;
	while ((t = next_token(r)) == TOK_EOL)
		;
	if (t <= 0)
		return t;
	long line = r->tok_line, col = r->tok_col;
	double time = 0;
	int64_t n = 0;
	int e = number(r, "frame time", &time);
	if (e == TFR_OK)
		e = next_integer(r, "point count", MAX_COUNT, &n);
	for (int64_t i = 0; e == TFR_OK && i < n; i++) {
		int64_t index = 0;
		double f = 0, a = 0;
		long fl, fc;
		if ((e = next_integer(r, "partial index", (double)FRAMELINK_MAX_INDEX, &index)) ||
		    (e = next_number(r, "frequency", &f)))
			break;
		fl = r->tok_line;
		fc = r->tok_col;
		if ((e = next_number(r, "amplitude", &a)) ||
		    (e = check_point(r, f, a, fl, fc, r->tok_line, r->tok_col)))
			break;
		if (framelink_row(&r->fl, (uint64_t)index, f, a, 0, 0) != TFR_OK)
			return no_memory(r);
	}
	if (e == TFR_OK)
		e = end_of_line(r, "the frame's points");
	if (e != TFR_OK)
		return e;
	e = framelink_frame(&r->fl, time);
	if (e == TFR_EFORMAT)
		return fail_at(r, e, line, col,
		               "frame time %.9g before the previous frame's (%.9g)",
		               time, r->fl.tcur);
	if (e != TFR_OK)
		return no_memory(r);
	r->st.frames++;
	return 1;
}

static int frames_end(tfr_spear_reader *r)
{
	r->at_end = 1;
	if (r->st.frames != r->frame_count)
		return fail_at(r, TFR_EFORMAT, r->line, 0,
		               "frame-count is %lld but the file has %lld frames (cut short?)",
		               (long long)r->frame_count, (long long)r->st.frames);
	return framelink_finish(&r->fl) == TFR_OK ? TFR_OK : no_memory(r);
}

/* ---- the reader ---- */

tfr_spear_reader *tfr_spear_reader_new(FILE *fp, const void *head, size_t nhead,
                                       tfr_diag *d)
{
	tfr_spear_reader *r = calloc(1, sizeof *r);
	if (!r || insrc_init(&r->in, fp, head, nhead, 0) != TFR_OK) {
		if (r)
			insrc_free(&r->in);
		free(r);
		tfr_diag_set(d, TFR_ENOMEM, "out of memory");
		return NULL;
	}
	framelink_init(&r->fl);
	r->line = r->col = 1;
	r->ahead = NOTHING;
	int e = read_header(r);
	if (e == TFR_OK && r->format == TFR_SPEAR_PARTIALS)
		e = read_partials(r);
	if (e != TFR_OK) {
		if (d)
			*d = r->diag;
		tfr_spear_reader_free(r);
		return NULL;
	}
	tfr_diag_clear(d);
	return r;
}

void tfr_spear_reader_free(tfr_spear_reader *r)
{
	if (!r)
		return;
	insrc_free(&r->in);
	framelink_free(&r->fl);
	free(r->bps);
	free(r);
}

tfr_spear_format tfr_spear_reader_format(const tfr_spear_reader *r)
{
	return r->format;
}

static size_t take(tfr_spear_reader *r, tfr_breakpoint *bp, size_t max)
{
	if (r->format == TFR_SPEAR_FRAMES)
		return framelink_take(&r->fl, bp, max);
	size_t k = r->nbps - r->pos;
	if (k > max)
		k = max;
	if (k)
		memcpy(bp, r->bps + r->pos, k * sizeof *bp);
	r->pos += k;
	return k;
}

long tfr_spear_reader_read(tfr_spear_reader *r, tfr_breakpoint *bp, size_t max)
{
	if (r->failed)
		return r->failed;
	if (max > LONG_MAX)
		max = LONG_MAX;
	size_t n = 0;
	for (;;) {
		n += take(r, bp + n, max - n);
		if (n == max || r->format != TFR_SPEAR_FRAMES || r->at_end)
			break;
		int e = read_frame(r);
		if (e == 0)
			e = frames_end(r);
		if (e < 0)
			break;
	}
	r->st.breakpoints += (int64_t)n;
	return n || !r->failed ? (long)n : r->failed;
}

void tfr_spear_reader_stats(const tfr_spear_reader *r, tfr_spear_stats *s)
{
	*s = r->st;
	if (r->format == TFR_SPEAR_FRAMES) {
		s->partials = r->fl.partials;
		s->duplicates += r->fl.duplicates;
	}
}

const tfr_diag *tfr_spear_reader_diag(const tfr_spear_reader *r)
{
	return &r->diag;
}
