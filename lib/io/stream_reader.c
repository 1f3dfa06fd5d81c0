/*
 * stream_reader.c - the generic reader of tfr streams: any kind, checked
 * against its schema (tfr_stream.h), with every fault reported as "LINE:
 * what is wrong" in a tfr_diag. Lines are cut from a large buffer with
 * memchr and numbers parsed by the library's locale-free parser, so that
 * reading a point stream costs about as much as writing it.
 */
#include "tfr_audio.h"
#include "tfr_base.h"
#include "tfr_meta.h"
#include "tfr_number.h"
#include "tfr_stream.h"
#include "gzio.h"
#include "parse_field.h"

#include <float.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { BUFSIZE = 1 << 18, MAX_COLUMNS = 64 };

struct tfr_stream_reader {
	FILE *fp;
	char *label;
	char *buf;            /* input bytes [start, end) not yet cut */
	size_t start, end;
	int eof;
	char *line;           /* the current line, NUL-terminated in buf */
	size_t len;
	long lineno;
	int pending;          /* line holds a record read with the header */
	long header_end;      /* the header's last line */
	const tfr_schema *s;  /* NULL: an unknown kind, read generically */
	char kind[64];
	int version;
	const char *audio;    /* the input is audio of this container */
	size_t ncolumns;      /* columns the header declares */
	char *columns[MAX_COLUMNS];
	tfr_meta *meta;
	int have_order;
	double last_order;    /* the order column's last value */
	/* read_frame: the frame being gathered, and a record read ahead */
	char *frame;
	long *frame_line;     /* the line of each record of the frame */
	size_t frame_n, frame_cap;
	char *ahead;
	long ahead_line;
	int have_ahead;
	int gz;               /* the input is gzip-compressed text */
	tfr_gz_in gzin;
	tfr_diag diag;
};

tfr_stream_reader *tfr_stream_reader_new(FILE *fp, const char *label,
                                         tfr_diag *d)
{
	tfr_diag_clear(d);
	tfr_stream_reader *r = calloc(1, sizeof *r);
	size_t n = strlen(label ? label : "") + 1;
	if (!r || !(r->meta = tfr_meta_new()) || !(r->label = malloc(n)) ||
	    !(r->buf = malloc(BUFSIZE + 1))) {
		tfr_stream_reader_free(r);
		tfr_diag_set(d, TFR_ENOMEM, NULL);
		return NULL;
	}
	memcpy(r->label, label ? label : "", n);
	r->fp = fp;
	return r;
}

void tfr_stream_reader_free(tfr_stream_reader *r)
{
	if (!r)
		return;
	for (size_t i = 0; i < r->ncolumns; i++)
		free(r->columns[i]);
	tfr_meta_free(r->meta);
	if (r->gz)
		tfr_gz_in_end(&r->gzin);
	free(r->frame);
	free(r->frame_line);
	free(r->ahead);
	free(r->buf);
	free(r->label);
	free(r);
}

/* A format error at the current line. */
static int fail(tfr_stream_reader *r, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static int fail(tfr_stream_reader *r, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	tfr_diag_clear(&r->diag);
	r->diag.code = TFR_EFORMAT;
	vsnprintf(r->diag.text, sizeof r->diag.text, fmt, ap);
	va_end(ap);
	r->diag.line = r->lineno;
	return TFR_EFORMAT;
}

/* More input into the buffer: 1, 0 at the end, TFR_EIO. */
static int refill(tfr_stream_reader *r)
{
	if (r->eof)
		return 0;
	if (r->start > 0) {
		memmove(r->buf, r->buf + r->start, r->end - r->start);
		r->end -= r->start;
		r->start = 0;
	}
	if (r->gz) {
		long got = tfr_gz_in_read(&r->gzin, r->fp, r->buf + r->end, BUFSIZE - r->end);
		if (got < 0)
			return tfr_diag_set(&r->diag, (int)got, got == TFR_EIO ? "read error"
			                    : "gzip data corrupt or cut short");
		r->end += (size_t)got;
		if (got == 0)
			r->eof = 1;
		return got > 0;
	}
	size_t got = fread(r->buf + r->end, 1, BUFSIZE - r->end, r->fp);
	if (r->lineno == 0 && r->end == 0 && tfr_gz_magic(r->buf, got)) {
		/* gzip: what was read is the start of the compressed data */
		if (tfr_gz_in_start(&r->gzin, r->buf, got) != TFR_OK)
			return tfr_diag_set(&r->diag, TFR_ENOMEM, NULL);
		r->gz = 1;
		return refill(r);
	}
	r->end += got;
	if (got == 0) {
		if (ferror(r->fp))
			return tfr_diag_set(&r->diag, TFR_EIO, "read error");
		r->eof = 1;
		return 0;
	}
	return 1;
}

/* The next line without its end of line: 1, 0 at the end, or a code. */
static int next_line(tfr_stream_reader *r)
{
	if (r->pending) {
		r->pending = 0;
		return 1;
	}
	char *nl;
	for (;;) {
		nl = memchr(r->buf + r->start, '\n', r->end - r->start);
		if (nl)
			break;
		if (r->end - r->start >= TFR_STREAM_MAX_LINE) {
			r->lineno++;
			return fail(r, "line longer than %d bytes", TFR_STREAM_MAX_LINE);
		}
		int e = refill(r);
		if (e < 0)
			return e;
		if (e == 0) {
			if (r->start == r->end)
				return 0;
			nl = r->buf + r->end;  /* a last line without '\n' */
			break;
		}
	}
	r->line = r->buf + r->start;
	r->len = (size_t)(nl - r->line);
	r->start = r->len + r->start + (nl < r->buf + r->end);
	r->lineno++;
	if (r->len > TFR_STREAM_MAX_LINE)
		return fail(r, "line longer than %d bytes", TFR_STREAM_MAX_LINE);
	if (r->len && r->line[r->len - 1] == '\r')
		r->len--;  /* CRLF */
	r->line[r->len] = 0;
	if (memchr(r->line, 0, r->len))
		return fail(r, "NUL byte in text");
	return 1;
}

/* "# key=value" -> key, value (in place); 0 for other comments. */
static int split_meta(char *line, char **key, char **value)
{
	char *p = line + 1;
	while (*p == ' ')
		p++;
	char *eq = strchr(p, '=');
	if (!eq || eq == p)
		return 0;
	for (char *q = p; q < eq; q++)
		if (*q == ' ' || *q == '\t')
			return 0;
	*eq = 0;
	*key = p;
	*value = eq + 1;
	return 1;
}

static int set_columns(tfr_stream_reader *r, char *value)
{
	char *save = NULL;
	for (char *c = strtok_r(value, " \t", &save); c; c = strtok_r(NULL, " \t", &save)) {
		if (r->ncolumns == MAX_COLUMNS)
			return fail(r, "more than %d columns", MAX_COLUMNS);
		size_t n = strlen(c) + 1;
		if (!(r->columns[r->ncolumns] = malloc(n)))
			return tfr_diag_set(&r->diag, TFR_ENOMEM, NULL);
		memcpy(r->columns[r->ncolumns++], c, n);
	}
	return TFR_OK;
}

static int read_kind(tfr_stream_reader *r, const tfr_schema *expect)
{
	const char *want = expect ? expect->kind : "KIND";
	/* audio where a stream was expected: say what it is, not that its
	 * first "line" holds a NUL byte */
	if (r->lineno == 0 && !r->pending) {
		if (r->end - r->start < TFR_AUDIO_DETECT_HEAD && refill(r) < 0)
			return TFR_EIO;
		if ((r->audio = tfr_audio_detect(r->buf + r->start, r->end - r->start))) {
			tfr_diag_setf(&r->diag, TFR_EFORMAT, "a %s file, not a tfr stream",
			              r->audio);
			return tfr_diag_at(&r->diag, 1, 0);
		}
	}
	int e = next_line(r);
	if (e < 0)
		return e;
	if (e == 0)
		return tfr_diag_setf(&r->diag, TFR_EEOF,
		                     "empty input (expected a tfr %s stream)",
		                     expect ? expect->kind : "");
	int v, used = 0;
	if (strncmp(r->line, "#tfr ", 5) != 0 ||
	    sscanf(r->line + 5, "%63s %d%n", r->kind, &v, &used) != 2 ||
	    r->line[5 + used] != 0) {
		r->kind[0] = 0;  /* no kind: the line is not a stream's first */
		return fail(r, "not a tfr stream (expected a first line '#tfr %s VERSION')",
		            want);
	}
	if (expect && strcmp(r->kind, expect->kind) != 0)
		return fail(r, "expected a '%s' stream, got '%s'", expect->kind, r->kind);
	r->s = expect ? expect : tfr_schema_find(r->kind);
	if (v < 1 || (r->s && v > r->s->version))
		return fail(r, "unsupported %s stream version %d", r->kind, v);
	r->version = v;
	return TFR_OK;
}

static int check_columns(tfr_stream_reader *r)
{
	if (!r->ncolumns)
		return fail(r, "header has no '# columns=' line");
	if (!r->s)
		return TFR_OK;
	if (r->ncolumns < r->s->ncolumns)
		return fail(r, "missing column '%s'", r->s->columns[r->ncolumns].name);
	for (size_t i = 0; i < r->s->ncolumns; i++)
		if (strcmp(r->columns[i], r->s->columns[i].name) != 0)
			return fail(r, "expected column '%s', got '%s'",
			            r->s->columns[i].name, r->columns[i]);
	for (const char *const *k = r->s->required; k && *k; k++) {
		double v;
		if (!strcmp(*k, "sample_rate") &&
		    (tfr_meta_get_double(r->meta, *k, &v) != TFR_OK ||
		     !(v > 0 && v <= TFR_MAX_SAMPLE_RATE)))
			return fail(r, "header: sample_rate missing or not in (0, %d]",
			            TFR_MAX_SAMPLE_RATE);
		if (!tfr_meta_get(r->meta, *k))
			return fail(r, "header: no '%s'", *k);
	}
	return TFR_OK;
}

int tfr_stream_read_header(tfr_stream_reader *r, const tfr_schema *expect)
{
	int e = read_kind(r, expect);
	if (e != TFR_OK)
		return e;
	for (;;) {
		if ((e = next_line(r)) < 0)
			return e;
		if (e == 1 && r->line[0] == 0)
			continue;  /* empty lines are ignored (tfr(5)) */
		if (e == 0 || r->line[0] != '#') {
			r->pending = e == 1;
			r->header_end = r->lineno - r->pending;
			break;
		}
		char *key, *value;
		if (!split_meta(r->line, &key, &value))
			continue;
		if (!strcmp(key, "columns")) {
			if (r->ncolumns)
				return fail(r, "second columns line");
			if ((e = set_columns(r, value)) != TFR_OK)
				return e;
		} else if ((e = tfr_meta_add(r->meta, key, value)) != TFR_OK) {
			return e == TFR_ENOMEM ? tfr_diag_set(&r->diag, e, NULL)
			                       : fail(r, "bad metadata line");
		}
	}
	return check_columns(r);
}

const char *tfr_stream_reader_label(const tfr_stream_reader *r)
{
	return r->label;
}

FILE *tfr_stream_reader_file(const tfr_stream_reader *r)
{
	return r->fp;
}

int tfr_stream_reader_use(tfr_stream_reader *r, const tfr_schema *s)
{
	if (!r->s || strcmp(r->s->kind, s->kind) != 0)
		return tfr_diag_setf(&r->diag, TFR_EFORMAT, "not a '%s' stream", s->kind);
	const tfr_schema *was = r->s;
	r->s = s;
	int e = check_columns(r);
	if (e != TFR_OK) {
		r->s = was;
		return tfr_diag_at(&r->diag, r->header_end, 0);
	}
	return TFR_OK;
}

/* A trailer comment after the records updates the metadata; the sample
 * rate, which a stream of a known kind must carry, only to a valid one
 * (the metadata never holds what the header would have refused). */
static int trailer(tfr_stream_reader *r)
{
	char *key, *value;
	if (!split_meta(r->line, &key, &value) || !strcmp(key, "columns"))
		return TFR_OK;
	double v;
	if (r->s && !strcmp(key, "sample_rate") &&
	    (tfr_parse_double(value, &v) != TFR_OK ||
	     !(v > 0 && v <= TFR_MAX_SAMPLE_RATE)))
		return fail(r, "trailer: sample_rate not in (0, %d]",
		            TFR_MAX_SAMPLE_RATE);
	if (tfr_meta_set(r->meta, key, value) == TFR_ENOMEM)
		return tfr_diag_set(&r->diag, TFR_ENOMEM, NULL);
	return TFR_OK;
}

/* The next record line: 1, 0 at the end, or a code. */
static int record_line(tfr_stream_reader *r)
{
	int e;
	while ((e = next_line(r)) == 1) {
		if (r->line[0] == '#') {
			if ((e = trailer(r)) != TFR_OK)
				return e;
			continue;
		}
		if (r->line[0] != 0)
			return 1;
	}
	return e;
}

static const char *column_name(const tfr_stream_reader *r, size_t i)
{
	return i < r->ncolumns ? r->columns[i] : "?";
}

static int blank(char c)
{
	return c == ' ' || c == '\t';
}

/*
 * Split the current line into its fields as numbers: values[i] for
 * i < nparse, the rest only counted. Fields are separated by any run of
 * tabs and spaces, as awk, cut -w and sort see columns: a line that awk
 * rewrote (spaces) reads as the tabs tfr writes. Checks the field count
 * and, for schema columns, the range.
 */
static int parse_fields(tfr_stream_reader *r, double *values, size_t nparse)
{
	char *p = r->line;
	size_t got = 0;
	while (blank(*p))
		p++;
	while (*p) {
		if (got < nparse) {
			char *end;
			int pe = tfr_parse_field(p, &end, &values[got]);
			if (pe != TFR_OK || (!blank(*end) && *end != 0)) {
				size_t n = strcspn(p, " \t");
				return fail(r, "%s: '%.*s' is not a finite number",
				            column_name(r, got), (int)(n > 40 ? 40 : n), p);
			}
			p = end;
		} else {
			while (*p && !blank(*p))
				p++;
		}
		got++;
		while (blank(*p))
			p++;
	}
	if (got != r->ncolumns)
		return fail(r, "expected %zu fields, got %zu", r->ncolumns, got);
	const tfr_schema *s = r->s;
	for (size_t i = 0; s && i < s->ncolumns; i++) {
		const tfr_column *c = &s->columns[i];
		double v = values[i];
		/* bounds as exact as their column: whole numbers in full,
		 * floats to 10 digits (9 tell floats apart, 10 show 1e9 whole) */
		int whole = c->storage == TFR_COL_I64 || c->storage == TFR_COL_I32;
		if (!(v >= c->min && v <= c->max))
			return fail(r, whole ? "%s: %.17g is outside [%.0f, %.0f]"
			                     : "%s: %.17g is outside [%.10g, %.10g]",
			            c->name, v, c->min, c->max);
		/* a conversion, not floor()'s call: every double past 2^63
		 * is whole */
		if (whole && fabs(v) < 0x1p63 && v != (double)(int64_t)v)
			return fail(r, "%s: %.17g is not a whole number", c->name, v);
	}
	if (s && s->order_column >= 0) {
		double v = values[s->order_column];
		if (r->have_order && v < r->last_order)
			return fail(r, "%s goes back from %.17g to %.17g (a %s stream is "
			            "in order of %s)", s->columns[s->order_column].name,
			            r->last_order, v, s->kind,
			            s->columns[s->order_column].name);
		r->last_order = v;
		r->have_order = 1;
	}
	return 1;
}

static void store(const tfr_schema *s, const double *values, char *rec)
{
	for (size_t i = 0; i < s->ncolumns; i++) {
		const tfr_column *c = &s->columns[i];
		char *f = rec + c->offset;
		switch (c->storage) {
		case TFR_COL_I64: {
			int64_t v = (int64_t)values[i];
			memcpy(f, &v, sizeof v);
			break;
		}
		case TFR_COL_I32: {
			int32_t v = (int32_t)values[i];
			memcpy(f, &v, sizeof v);
			break;
		}
		case TFR_COL_F64:
			memcpy(f, &values[i], sizeof(double));
			break;
		case TFR_COL_F32: {
			/* within the column's range, which may pass FLT_MAX by
			 * less than half its last place (kinds.c): FLT_MAX */
			double x = values[i];
			float v = x > FLT_MAX ? FLT_MAX : x < -FLT_MAX ? -FLT_MAX : (float)x;
			memcpy(f, &v, sizeof v);
			break;
		}
		}
	}
}

int tfr_stream_read_values(tfr_stream_reader *r, double *values)
{
	int e = record_line(r);
	if (e <= 0)
		return e;
	return parse_fields(r, values, r->ncolumns);
}

int tfr_stream_read(tfr_stream_reader *r, void *record)
{
	if (!r->s)
		return tfr_diag_set(&r->diag, TFR_EINVAL, "records of an unknown kind");
	double v[MAX_COLUMNS];
	int e = record_line(r);
	if (e <= 0)
		return e;
	if ((e = parse_fields(r, v, r->s->ncolumns)) != 1)
		return e;
	memset(record, 0, r->s->record_size);
	store(r->s, v, record);
	return 1;
}

/* The frame number of a record of the schema. */
static double frame_of(const tfr_schema *s, const char *rec)
{
	const tfr_column *c = &s->columns[s->frame_column];
	if (c->storage == TFR_COL_I64) {
		int64_t v;
		memcpy(&v, rec + c->offset, sizeof v);
		return (double)v;
	}
	int32_t v;
	memcpy(&v, rec + c->offset, sizeof v);
	return v;
}

int tfr_stream_read_frame(tfr_stream_reader *r, const void **records,
                          size_t *n)
{
	const tfr_schema *s = r->s;
	*n = 0;
	if (!s || s->frame_column < 0)
		return tfr_diag_set(&r->diag, TFR_EINVAL, "this kind has no frames");
	size_t size = s->record_size;
	if (!r->ahead && !(r->ahead = malloc(size)))
		return tfr_diag_set(&r->diag, TFR_ENOMEM, NULL);
	r->frame_n = 0;
	for (;;) {
		if (!r->have_ahead) {
			int e = tfr_stream_read(r, r->ahead);
			if (e < 0)
				return e;
			if (e == 0)
				break;
			r->have_ahead = 1;
			r->ahead_line = r->lineno;
		}
		if (r->frame_n && frame_of(s, r->ahead) != frame_of(s, r->frame))
			break;
		if (r->frame_n == r->frame_cap) {
			if (r->frame_cap == TFR_STREAM_MAX_FRAME)
				return fail(r, "more than %d records in one frame",
				            TFR_STREAM_MAX_FRAME);
			size_t cap = r->frame_cap ? 2 * r->frame_cap : 1024;
			char *p = realloc(r->frame, cap * size);
			if (p)
				r->frame = p;
			long *l = p ? realloc(r->frame_line, cap * sizeof *l) : NULL;
			if (!l)
				return tfr_diag_set(&r->diag, TFR_ENOMEM, NULL);
			r->frame_line = l;
			r->frame_cap = cap;
		}
		r->frame_line[r->frame_n] = r->ahead_line;
		memcpy(r->frame + r->frame_n * size, r->ahead, size);
		r->frame_n++;
		r->have_ahead = 0;
	}
	*records = r->frame;
	*n = r->frame_n;
	return r->frame_n > 0;
}

const tfr_schema *tfr_stream_reader_schema(const tfr_stream_reader *r)
{
	return r->s;
}

const char *tfr_stream_reader_kind(const tfr_stream_reader *r)
{
	return r->kind;
}

int tfr_stream_reader_version(const tfr_stream_reader *r)
{
	return r->version;
}

const tfr_meta *tfr_stream_reader_meta(const tfr_stream_reader *r)
{
	return r->meta;
}

size_t tfr_stream_reader_ncolumns(const tfr_stream_reader *r)
{
	return r->ncolumns;
}

const char *tfr_stream_reader_column(const tfr_stream_reader *r, size_t i)
{
	return i < r->ncolumns ? r->columns[i] : NULL;
}

int tfr_stream_reader_find(const tfr_stream_reader *r, const char *name)
{
	for (size_t i = 0; i < r->ncolumns; i++)
		if (!strcmp(r->columns[i], name))
			return (int)i;
	return -1;
}

const char *tfr_stream_reader_audio(const tfr_stream_reader *r)
{
	return r->audio;
}

int tfr_stream_detect(const void *head, size_t n, char *kind, size_t size)
{
	const char *p = head;
	if (n < 6 || memcmp(p, "#tfr ", 5) != 0)
		return 0;
	size_t i = 5, k = 0;
	while (i < n && p[i] == ' ')
		i++;
	while (i < n && p[i] != ' ' && p[i] != '\t' && p[i] != '\n' && p[i] != '\r' &&
	       p[i] != 0) {
		if (size && k + 1 < size)
			kind[k++] = p[i];
		i++;
	}
	if (size)
		kind[k] = 0;
	return k > 0;
}

const tfr_diag *tfr_stream_reader_diag(const tfr_stream_reader *r)
{
	return &r->diag;
}

long tfr_stream_reader_line(const tfr_stream_reader *r)
{
	return r->lineno;
}

long tfr_stream_reader_frame_line(const tfr_stream_reader *r, size_t i)
{
	return i < r->frame_n ? r->frame_line[i] : 0;
}

long tfr_stream_reader_header_end(const tfr_stream_reader *r)
{
	return r->header_end;
}
