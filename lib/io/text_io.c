/*
 * text_io.c - reader and writer of the tfr stream format (see tfr(5)).
 * Every tool reads and writes streams through here, so all of them parse,
 * check and report identically.
 */
#include "tfr_base.h"
#include "tfr_number.h"
#include "tfr_text.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { WRITE_BUFSIZE = 1 << 16, MAX_COLUMNS = 64 };

struct tfr_text_writer {
	FILE *fp;
	char *buf;
	size_t used;
	int failed;
};

tfr_text_writer *tfr_text_writer_new(FILE *fp, int *err)
{
	tfr_text_writer *w = calloc(1, sizeof *w);
	if (!w || !(w->buf = malloc(WRITE_BUFSIZE))) {
		free(w);
		if (err)
			*err = TFR_ENOMEM;
		return NULL;
	}
	w->fp = fp;
	if (err)
		*err = TFR_OK;
	return w;
}

static void drain(tfr_text_writer *w)
{
	if (w->used && fwrite(w->buf, 1, w->used, w->fp) != w->used)
		w->failed = 1;
	w->used = 0;
}

char *tfr_text_reserve(tfr_text_writer *w, size_t size)
{
	if (size > WRITE_BUFSIZE)
		return NULL;
	if (w->used + size > WRITE_BUFSIZE)
		drain(w);
	return w->buf + w->used;
}

void tfr_text_commit(tfr_text_writer *w, size_t used)
{
	w->used += used;
}

/* Append a string, in pieces if it is longer than the buffer. */
static void put(tfr_text_writer *w, const char *s)
{
	size_t n = strlen(s);
	while (n) {
		size_t room = WRITE_BUFSIZE - w->used;
		if (!room) {
			drain(w);
			continue;
		}
		size_t k = n < room ? n : room;
		memcpy(w->buf + w->used, s, k);
		w->used += k;
		s += k;
		n -= k;
	}
}

int tfr_text_write_header(tfr_text_writer *w, const char *kind, int version,
                          const tfr_meta *meta, const char *const *columns,
                          size_t ncolumns)
{
	char num[TFR_NUMBER_MAX];
	put(w, "#tfr ");
	put(w, kind);
	put(w, " ");
	tfr_fmt_int(num, version);
	put(w, num);
	put(w, "\n");
	for (size_t i = 0; meta && i < tfr_meta_count(meta); i++) {
		if (!strcmp(tfr_meta_key(meta, i), "columns"))
			continue;
		put(w, "# ");
		put(w, tfr_meta_key(meta, i));
		put(w, "=");
		put(w, tfr_meta_value(meta, i));
		put(w, "\n");
	}
	put(w, "# columns=");
	for (size_t i = 0; i < ncolumns; i++) {
		put(w, columns[i]);
		put(w, i + 1 < ncolumns ? "\t" : "\n");
	}
	return w->failed ? TFR_EIO : TFR_OK;
}

int tfr_text_write_comment(tfr_text_writer *w, const char *key,
                           const char *value)
{
	put(w, "# ");
	put(w, key);
	put(w, "=");
	put(w, value);
	put(w, "\n");
	return w->failed ? TFR_EIO : TFR_OK;
}

int tfr_text_flush(tfr_text_writer *w)
{
	drain(w);
	if (fflush(w->fp) != 0 || ferror(w->fp))
		w->failed = 1;
	return w->failed ? TFR_EIO : TFR_OK;
}

int tfr_text_writer_free(tfr_text_writer *w)
{
	if (!w)
		return TFR_OK;
	int e = tfr_text_flush(w);
	free(w->buf);
	free(w);
	return e;
}

/* ------------------------------------------------------------------ */

struct tfr_text_reader {
	FILE *fp;
	char *label;
	char *line;
	size_t cap;
	ssize_t len;
	long lineno;
	int pending;     /* line holds a record read while parsing the header */
	int version;
	size_t ncolumns; /* columns declared by the header */
	char *columns[MAX_COLUMNS];
	tfr_meta *meta;
	char err[512];
};

tfr_text_reader *tfr_text_reader_new(FILE *fp, const char *label, int *err)
{
	tfr_text_reader *r = calloc(1, sizeof *r);
	size_t n = strlen(label) + 1;
	if (!r || !(r->meta = tfr_meta_new()) || !(r->label = malloc(n))) {
		tfr_text_reader_free(r);
		if (err)
			*err = TFR_ENOMEM;
		return NULL;
	}
	memcpy(r->label, label, n);
	r->fp = fp;
	if (err)
		*err = TFR_OK;
	return r;
}

void tfr_text_reader_free(tfr_text_reader *r)
{
	if (!r)
		return;
	for (size_t i = 0; i < r->ncolumns; i++)
		free(r->columns[i]);
	tfr_meta_free(r->meta);
	free(r->line);
	free(r->label);
	free(r);
}

static int fail(tfr_text_reader *r, int code, const char *fmt, const char *a,
                const char *b)
{
	char what[400];
	snprintf(what, sizeof what, fmt, a ? a : "", b ? b : "");
	snprintf(r->err, sizeof r->err, "%s:%ld: %s", r->label, r->lineno, what);
	return code;
}

int tfr_text_reader_fail(tfr_text_reader *r, const char *text)
{
	return fail(r, TFR_EFORMAT, "%s", text, NULL);
}

/* Next line without its end-of-line; 1, 0 at EOF, or TFR_EIO. */
static int next_line(tfr_text_reader *r)
{
	if (r->pending) {
		r->pending = 0;
		return 1;
	}
	r->len = getline(&r->line, &r->cap, r->fp);
	if (r->len < 0) {
		if (ferror(r->fp)) {
			snprintf(r->err, sizeof r->err, "%s: read error", r->label);
			return TFR_EIO;
		}
		return 0;
	}
	r->lineno++;
	while (r->len > 0 && (r->line[r->len - 1] == '\n' || r->line[r->len - 1] == '\r'))
		r->line[--r->len] = 0;
	if ((size_t)r->len != strlen(r->line))
		return fail(r, TFR_EFORMAT, "NUL byte in text", NULL, NULL);
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

static int set_columns(tfr_text_reader *r, char *value)
{
	char *save = NULL;
	for (char *c = strtok_r(value, "\t", &save); c; c = strtok_r(NULL, "\t", &save)) {
		if (r->ncolumns == MAX_COLUMNS)
			return fail(r, TFR_EFORMAT, "too many columns", NULL, NULL);
		size_t n = strlen(c) + 1;
		if (!(r->columns[r->ncolumns] = malloc(n)))
			return TFR_ENOMEM;
		memcpy(r->columns[r->ncolumns++], c, n);
	}
	return TFR_OK;
}

static int read_kind(tfr_text_reader *r, const char *kind, int max_version)
{
	int e = next_line(r);
	if (e < 0)
		return e;
	if (e == 0) {
		snprintf(r->err, sizeof r->err, "%s: empty input (expected a tfr %s stream)",
		         r->label, kind);
		return TFR_EEOF;
	}
	char k[64];
	int v, used = 0;
	if (strncmp(r->line, "#tfr ", 5) != 0 ||
	    sscanf(r->line + 5, "%63s %d%n", k, &v, &used) != 2 ||
	    r->line[5 + used] != 0)
		return fail(r, TFR_EFORMAT,
		            "not a tfr stream (expected a first line '#tfr %s VERSION')",
		            kind, NULL);
	if (strcmp(k, kind) != 0)
		return fail(r, TFR_EFORMAT, "expected a '%s' stream, got '%s'", kind, k);
	if (v < 1 || v > max_version) {
		char num[TFR_NUMBER_MAX];
		tfr_fmt_int(num, v);
		return fail(r, TFR_EFORMAT, "unsupported %s stream version %s", kind, num);
	}
	r->version = v;
	return TFR_OK;
}

int tfr_text_read_header(tfr_text_reader *r, const char *kind,
                         int max_version, const char *const *columns,
                         size_t ncolumns)
{
	int e = read_kind(r, kind, max_version);
	if (e != TFR_OK)
		return e;
	for (;;) {
		if ((e = next_line(r)) < 0)
			return e;
		if (e == 0 || r->line[0] != '#') {
			r->pending = e == 1;
			break;
		}
		char *key, *value;
		if (!split_meta(r->line, &key, &value))
			continue;
		if (!strcmp(key, "columns")) {
			if (r->ncolumns)
				return fail(r, TFR_EFORMAT, "second columns line", NULL, NULL);
			if ((e = set_columns(r, value)) != TFR_OK)
				return e;
		} else if ((e = tfr_meta_add(r->meta, key, value)) != TFR_OK) {
			return e == TFR_ENOMEM ? e
			       : fail(r, TFR_EFORMAT, "bad metadata line", NULL, NULL);
		}
	}
	if (!r->ncolumns)
		return fail(r, TFR_EFORMAT, "header has no '# columns=' line", NULL, NULL);
	if (r->ncolumns < ncolumns)
		return fail(r, TFR_EFORMAT, "missing column '%s'", columns[r->ncolumns], NULL);
	for (size_t i = 0; i < ncolumns; i++)
		if (strcmp(r->columns[i], columns[i]) != 0)
			return fail(r, TFR_EFORMAT, "expected column '%s', got '%s'",
			            columns[i], r->columns[i]);
	return TFR_OK;
}

/* A trailer comment after the records updates the metadata. */
static int trailer(tfr_text_reader *r)
{
	char *key, *value;
	if (split_meta(r->line, &key, &value) && strcmp(key, "columns") != 0)
		return tfr_meta_set(r->meta, key, value) == TFR_ENOMEM ? TFR_ENOMEM : TFR_OK;
	return TFR_OK;
}

int tfr_text_read_record(tfr_text_reader *r, double *fields, size_t nfields)
{
	int e;
	while ((e = next_line(r)) == 1) {
		if (r->line[0] == '#') {
			if ((e = trailer(r)) != TFR_OK)
				return e;
			continue;
		}
		if (r->line[0] == 0)
			continue;
		break;
	}
	if (e <= 0)
		return e;
	char *p = r->line;
	size_t got = 0;
	for (;;) {
		if (got < nfields) {
			char *end;
			int pe = tfr_parse_double_prefix(p, &end, &fields[got]);
			if (pe != TFR_OK || (*end != '\t' && *end != 0)) {
				char *tab = strchr(p, '\t');
				if (tab)
					*tab = 0;
				char col[80];
				snprintf(col, sizeof col, "%s", got < r->ncolumns ? r->columns[got] : "?");
				return fail(r, TFR_EFORMAT, "%s: '%s' is not a finite number",
				            col, p);
			}
			p = end;
		} else {
			p += strcspn(p, "\t");
		}
		got++;
		if (*p == 0)
			break;
		p++;
	}
	if (got != r->ncolumns) {
		char a[TFR_NUMBER_MAX], b[TFR_NUMBER_MAX];
		tfr_fmt_int(a, (int64_t)r->ncolumns);
		tfr_fmt_int(b, (int64_t)got);
		return fail(r, TFR_EFORMAT, "expected %s fields, got %s", a, b);
	}
	return 1;
}

const tfr_meta *tfr_text_reader_meta(const tfr_text_reader *r)
{
	return r->meta;
}

int tfr_text_reader_version(const tfr_text_reader *r)
{
	return r->version;
}

long tfr_text_reader_line(const tfr_text_reader *r)
{
	return r->lineno;
}

const char *tfr_text_reader_error(const tfr_text_reader *r)
{
	return r->err;
}
