/*
 * envelope_io.c - envelopes over time as text: inline points and
 * envelope files (see tfr_envelope_io.h). Parsing and position
 * bookkeeping only; the points go into a tfr_envelope.
 */
#include "internal.h"
#include "tfr_base.h"
#include "tfr_envelope_io.h"
#include "tfr_number.h"
#include "tfr_units.h"
#include "text_lines.h"

#include <ctype.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct builder {
	tfr_envelope *e;
	size_t cap;
	tfr_diag *d;
};

static int fail(struct builder *b, size_t line, size_t col, const char *fmt,
                ...) __attribute__((format(printf, 4, 5)));

static int fail(struct builder *b, size_t line, size_t col, const char *fmt,
                ...)
{
	char why[200];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(why, sizeof why, fmt, ap);
	va_end(ap);
	tfr_diag_set(b->d, TFR_EFORMAT, why);
	tfr_diag_at(b->d, (long)line, (long)col);
	return TFR_EFORMAT;
}

static int add_point(struct builder *b, double x, double y, size_t line,
                     size_t xcol, size_t ycol)
{
	tfr_envelope *e = b->e;
	if (e->n && x < e->x[e->n - 1])
		return fail(b, line, xcol, "time %g after %g: times must not decrease",
		            x, e->x[e->n - 1]);
	if (e->n == TFR_MAP_MAX_POINTS)
		return fail(b, line, xcol, "more than %d points", TFR_MAP_MAX_POINTS);
	if (e->n == b->cap) {
		size_t cap = b->cap;
		if (tfr_grow((void **)&e->x, &cap, e->n + 1, sizeof *e->x))
			return TFR_ENOMEM;
		cap = b->cap;
		if (tfr_grow((void **)&e->y, &cap, e->n + 1, sizeof *e->y))
			return TFR_ENOMEM;
		cap = b->cap;
		if (tfr_grow((void **)&e->line, &cap, e->n + 1, sizeof *e->line))
			return TFR_ENOMEM;
		cap = b->cap;
		if (tfr_grow((void **)&e->xcol, &cap, e->n + 1, sizeof *e->xcol))
			return TFR_ENOMEM;
		cap = b->cap;
		if (tfr_grow((void **)&e->ycol, &cap, e->n + 1, sizeof *e->ycol))
			return TFR_ENOMEM;
		b->cap = cap;
	}
	e->x[e->n] = x;
	e->y[e->n] = y;
	e->line[e->n] = line;
	e->xcol[e->n] = xcol;
	e->ycol[e->n] = ycol;
	e->n++;
	return TFR_OK;
}

static int start(struct builder *b, tfr_envelope **env, tfr_diag *d)
{
	memset(b, 0, sizeof *b);
	b->d = d;
	tfr_diag_clear(d);
	*env = NULL;
	b->e = calloc(1, sizeof *b->e);
	return b->e ? TFR_OK : TFR_ENOMEM;
}

static int finish(struct builder *b, int err, tfr_envelope **env)
{
	if (err == TFR_OK) {
		*env = b->e;
		return TFR_OK;
	}
	if (err == TFR_ENOMEM)
		tfr_diag_set(b->d, TFR_ENOMEM, NULL);
	tfr_envelope_free(b->e);
	return err;
}

/* The token s[0 .. n-1] as a value of kind; positioned error otherwise. */
static int token(struct builder *b, const char *s, size_t n,
                 tfr_map_values kind, double *v, size_t line, size_t col)
{
	char t[64];
	if (n == 0)
		return fail(b, line, col, "number expected");
	if (n >= sizeof t)
		return fail(b, line, col, "'%.20s...' is not a number", s);
	memcpy(t, s, n);
	t[n] = 0;
	tfr_quantity q;
	int e;
	const char *what;
	if (kind == TFR_MAP_TIME) {
		e = tfr_parse_time(t, TFR_UNIT_SECONDS, &q);
		what = "a time (seconds, or with ms or s)";
	} else if (kind == TFR_MAP_LEVEL) {
		e = tfr_parse_level(t, 0, &q);
		what = "a level in dB";
	} else {
		e = tfr_parse_double(t, &q.value);
		what = "a number";
	}
	if (e == TFR_ERANGE)
		return fail(b, line, col, "number out of range");
	if (e != TFR_OK || !isfinite(q.value))
		return fail(b, line, col, "'%s' is not %s", t, what);
	if (kind == TFR_MAP_TIME && q.value < 0)
		return fail(b, line, col, "negative time %g", q.value);
	*v = q.value;
	return TFR_OK;
}

static int parse_inline(struct builder *b, const char *text,
                        tfr_map_values xkind, tfr_map_values ykind)
{
	const char *p = text;
	double x, y;
	int e;
	if (!strchr(text, ':')) {
		if ((e = token(b, text, strlen(text), ykind, &y, 0, 1)) != TFR_OK)
			return e;
		return add_point(b, 0.0, y, 0, 0, 1);
	}
	b->e->timed = 1;
	for (;;) {
		size_t xcol = (size_t)(p - text) + 1;
		size_t n = strcspn(p, ":,");
		if ((e = token(b, p, n, xkind, &x, 0, xcol)) != TFR_OK)
			return e;
		if (p[n] != ':')
			return fail(b, 0, (size_t)(p + n - text) + 1,
			            "expected ':' after the time");
		p += n + 1;
		size_t ycol = (size_t)(p - text) + 1;
		n = strcspn(p, ":,");
		if ((e = token(b, p, n, ykind, &y, 0, ycol)) != TFR_OK)
			return e;
		if ((e = add_point(b, x, y, 0, xcol, ycol)) != TFR_OK)
			return e;
		if (p[n] == '\0')
			return TFR_OK;
		if (p[n] != ',')
			return fail(b, 0, (size_t)(p + n - text) + 1,
			            "expected ',' between points");
		p += n + 1;
	}
}

int tfr_envelope_parse(const char *text, tfr_map_values xkind,
                       tfr_map_values ykind, tfr_envelope **env, tfr_diag *d)
{
	struct builder b;
	int e = start(&b, env, d);
	if (e != TFR_OK)
		return finish(&b, e, env);
	return finish(&b, parse_inline(&b, text, xkind, ykind), env);
}

/* One data line: "x y" (a '#' starts a comment), or nothing. */
static int file_line(struct builder *b, const char *line, size_t ln,
                     tfr_map_values xkind, tfr_map_values ykind)
{
	const char *f[2];
	size_t len[2], col[3];
	int n = tfr_text_fields(line, f, len, col, 2);
	if (n == 3)
		return fail(b, ln, col[2], "expected 'time value': a third field");
	if (n == 0)
		return TFR_OK;
	if (n == 1)
		return fail(b, ln, col[0], "expected 'time value': one field");
	double x, y;
	int e;
	if ((e = token(b, f[0], len[0], xkind, &x, ln, col[0])) != TFR_OK ||
	    (e = token(b, f[1], len[1], ykind, &y, ln, col[1])) != TFR_OK)
		return e;
	return add_point(b, x, y, ln, col[0], col[1]);
}

static int read_lines(struct builder *b, FILE *fp, tfr_map_values xkind,
                      tfr_map_values ykind)
{
	char *buf = malloc(TFR_MAP_MAX_LINE);
	size_t ln = 0, total = 0;
	int e = TFR_OK, r, why = 0;
	if (!buf)
		return TFR_ENOMEM;
	b->e->timed = 1;
	while ((r = tfr_text_line(fp, buf, TFR_MAP_MAX_LINE, TFR_MAP_MAX_BYTES,
	                          &total, &why)) != 0) {
		ln++;
		if (r < 0) {
			e = why == TEXT_LONG_LINE
			  ? fail(b, ln, 1, "line longer than %d bytes", TFR_MAP_MAX_LINE - 1)
			  : why == TEXT_NUL_BYTE ? fail(b, ln, 1, "a NUL byte: not a text file")
			  : fail(b, ln, 1, "more than %d bytes: not an envelope file",
			         TFR_MAP_MAX_BYTES);
			break;
		}
		if ((e = file_line(b, buf, ln, xkind, ykind)) != TFR_OK)
			break;
	}
	free(buf);
	if (e != TFR_OK)
		return e;
	if (ferror(fp))
		return tfr_diag_set(b->d, TFR_EIO, "read error");
	if (b->e->n == 0)
		return fail(b, ln + 1, 1, "no points");
	return TFR_OK;
}

int tfr_envelope_read(FILE *fp, tfr_map_values xkind, tfr_map_values ykind,
                      tfr_envelope **env, tfr_diag *d)
{
	struct builder b;
	int e = start(&b, env, d);
	if (e != TFR_OK)
		return finish(&b, e, env);
	return finish(&b, read_lines(&b, fp, xkind, ykind), env);
}
