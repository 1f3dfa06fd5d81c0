/*
 * map_io.c - frequency maps as text: inline breakpoints and map files
 * (see tfr_map.h). Parsing and position bookkeeping only.
 */
#include "tfr_base.h"
#include "tfr_map.h"
#include "tfr_number.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct builder {
	tfr_map *m;
	size_t cap, keycap;
	char *msg;
	size_t msgsize;
};

static int fail(struct builder *b, size_t line, size_t col, int file,
                const char *fmt, ...) __attribute__((format(printf, 5, 6)));

static int fail(struct builder *b, size_t line, size_t col, int file,
                const char *fmt, ...)
{
	char why[160];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(why, sizeof why, fmt, ap);
	va_end(ap);
	if (b->msg && b->msgsize) {
		if (file)
			snprintf(b->msg, b->msgsize, "line %zu, column %zu: %s",
			         line, col, why);
		else
			snprintf(b->msg, b->msgsize, "column %zu: %s", col, why);
	}
	return TFR_EFORMAT;
}

static void *grow(void *p, size_t n, size_t size)
{
	if (n > SIZE_MAX / size)
		return NULL;
	return realloc(p, n * size);
}

static int reserve(struct builder *b)
{
	tfr_map *m = b->m;
	size_t cap;
	void *p;

	if (m->npoints < b->cap)
		return TFR_OK;
	cap = b->cap ? 2 * b->cap : 16;
	if (!(p = grow(m->freq, cap, sizeof(double))))
		return TFR_ENOMEM;
	m->freq = p;
	if (!(p = grow(m->value, cap, sizeof(double))))
		return TFR_ENOMEM;
	m->value = p;
	if (!(p = grow(m->line, cap, sizeof(size_t))))
		return TFR_ENOMEM;
	m->line = p;
	if (!(p = grow(m->col, cap, sizeof(size_t))))
		return TFR_ENOMEM;
	m->col = p;
	b->cap = cap;
	return TFR_OK;
}

/* Open a new key at time t (the caller has checked the order). */
static int new_key(struct builder *b, double t)
{
	tfr_map *m = b->m;
	void *p;

	if (m->nkeys + 1 >= b->keycap) {
		size_t cap = b->keycap ? 2 * b->keycap : 8;
		if (!(p = grow(m->key_time, cap, sizeof(double))))
			return TFR_ENOMEM;
		m->key_time = p;
		if (!(p = grow(m->key_first, cap, sizeof(size_t))))
			return TFR_ENOMEM;
		m->key_first = p;
		b->keycap = cap;
	}
	m->key_time[m->nkeys] = t;
	m->key_first[m->nkeys] = m->npoints;
	m->nkeys++;
	m->key_first[m->nkeys] = m->npoints;
	return TFR_OK;
}

/* Append a breakpoint to the last key, checking the frequency order. */
static int add_point(struct builder *b, double f, double v, size_t line,
                     size_t fcol, size_t vcol, int file)
{
	tfr_map *m = b->m;
	size_t first = m->key_first[m->nkeys - 1];

	if (f < 0.0)
		return fail(b, line, fcol, file, "negative frequency %g", f);
	if (m->npoints > first && f < m->freq[m->npoints - 1])
		return fail(b, line, fcol, file,
		            "frequency %g after %g: frequencies must not decrease",
		            f, m->freq[m->npoints - 1]);
	if (reserve(b) != TFR_OK)
		return TFR_ENOMEM;
	m->freq[m->npoints] = f;
	m->value[m->npoints] = v;
	m->line[m->npoints] = line;
	m->col[m->npoints] = vcol;
	m->npoints++;
	m->key_first[m->nkeys] = m->npoints;
	return TFR_OK;
}

static int start(struct builder *b, tfr_map **map, char *msg,
                 size_t msgsize)
{
	memset(b, 0, sizeof *b);
	b->msg = msg;
	b->msgsize = msgsize;
	if (msg && msgsize)
		msg[0] = '\0';
	*map = NULL;
	b->m = calloc(1, sizeof *b->m);
	return b->m ? TFR_OK : TFR_ENOMEM;
}

static int finish(struct builder *b, int err, tfr_map **map)
{
	if (err == TFR_OK) {
		*map = b->m;
		return TFR_OK;
	}
	if (err == TFR_ENOMEM && b->msg && b->msgsize)
		snprintf(b->msg, b->msgsize, "out of memory");
	tfr_map_free(b->m);
	return err;
}

/* A number at s (column col): TFR_OK and *end, or a positioned error. */
static int number(struct builder *b, const char *s, char **end, double *v,
                  size_t line, size_t col, int file)
{
	int e = tfr_parse_double_prefix(s, end, v);
	if (e == TFR_OK)
		return TFR_OK;
	if (e == TFR_ERANGE)
		return fail(b, line, col, file, "number out of range");
	{
		size_t n = strcspn(s, ", \t\r\n:");
		if (n == 0)
			return fail(b, line, col, file, "number expected");
		return fail(b, line, col, file, "'%.*s' is not a number",
		            (int)(n > 40 ? 40 : n), s);
	}
}

static int parse_inline(struct builder *b, const char *text)
{
	const char *p = text;
	char *end;
	double f, v;
	int e;

	if ((e = new_key(b, 0.0)) != TFR_OK)
		return e;
	if (!strchr(text, ':')) {
		if ((e = number(b, p, &end, &v, 1, 1, 0)) != TFR_OK)
			return e;
		if (*end)
			return fail(b, 1, (size_t)(end - text) + 1, 0,
			            "unexpected '%c'", *end);
		return add_point(b, 0.0, v, 1, 1, 1, 0);
	}
	for (;;) {
		size_t fcol = (size_t)(p - text) + 1, vcol;
		if ((e = number(b, p, &end, &f, 1, fcol, 0)) != TFR_OK)
			return e;
		if (*end != ':')
			return fail(b, 1, (size_t)(end - text) + 1, 0,
			            "expected ':' after the frequency");
		p = end + 1;
		vcol = (size_t)(p - text) + 1;
		if ((e = number(b, p, &end, &v, 1, vcol, 0)) != TFR_OK)
			return e;
		if ((e = add_point(b, f, v, 1, fcol, vcol, 0)) != TFR_OK)
			return e;
		if (*end == '\0')
			return TFR_OK;
		if (*end != ',')
			return fail(b, 1, (size_t)(end - text) + 1, 0,
			            "expected ',' between breakpoints");
		p = end + 1;
	}
}

int tfr_map_parse(const char *text, tfr_map **map, char *msg,
                  size_t msgsize)
{
	struct builder b;
	int e = start(&b, map, msg, msgsize);

	if (e != TFR_OK)
		return e;
	return finish(&b, parse_inline(&b, text), map);
}

/* Split a line into up to 4 fields; returns the field count. */
static int fields(char *line, char **f, size_t *col, const char *base)
{
	int n = 0;
	char *p = line;

	for (;;) {
		while (*p == ' ' || *p == '\t' || *p == '\r')
			p++;
		if (*p == '\0' || *p == '\n' || *p == '#')
			return n;
		if (n == 4)
			return 5;
		f[n] = p;
		col[n] = (size_t)(p - base) + 1;
		n++;
		while (*p && !isspace((unsigned char)*p) && *p != '#')
			p++;
		if (*p == '#') {
			*p = '\0';
			return n;
		}
		if (*p)
			*p++ = '\0';
	}
}

static int file_line(struct builder *b, char *buf, size_t ln, int *ncols)
{
	char *f[4], *end;
	size_t col[4];
	double v[3];
	int n = fields(buf, f, col, buf), e;

	if (n == 0)
		return TFR_OK;
	if (n < 2 || n > 3)
		return fail(b, ln, n < 2 ? 1 : col[3], 1,
		            "expected 'freq value' or 'time freq value'");
	if (*ncols && n != *ncols)
		return fail(b, ln, 1, 1, "%d columns after lines of %d", n, *ncols);
	*ncols = n;
	for (int i = 0; i < n; i++) {
		if ((e = number(b, f[i], &end, &v[i], ln, col[i], 1)) != TFR_OK)
			return e;
		if (*end)
			return fail(b, ln, col[i], 1, "'%s' is not a number", f[i]);
	}
	if (n == 3) {
		tfr_map *m = b->m;
		if (v[0] < 0.0)
			return fail(b, ln, col[0], 1, "negative time %g", v[0]);
		if (m->nkeys && v[0] < m->key_time[m->nkeys - 1])
			return fail(b, ln, col[0], 1,
			            "time %g after %g: times must not decrease", v[0],
			            m->key_time[m->nkeys - 1]);
		if (!m->nkeys || v[0] > m->key_time[m->nkeys - 1])
			if ((e = new_key(b, v[0])) != TFR_OK)
				return e;
		return add_point(b, v[1], v[2], ln, col[1], col[2], 1);
	}
	if (!b->m->nkeys && (e = new_key(b, 0.0)) != TFR_OK)
		return e;
	return add_point(b, v[0], v[1], ln, col[0], col[1], 1);
}

static int read_lines(struct builder *b, FILE *fp)
{
	char *buf = NULL;
	size_t cap = 0, ln = 0;
	int ncols = 0, e = TFR_OK;

	while (getline(&buf, &cap, fp) >= 0) {
		ln++;
		if ((e = file_line(b, buf, ln, &ncols)) != TFR_OK)
			break;
	}
	free(buf);
	if (e != TFR_OK)
		return e;
	if (ferror(fp)) {
		if (b->msg && b->msgsize)
			snprintf(b->msg, b->msgsize, "read error");
		return TFR_EIO;
	}
	if (b->m->npoints == 0)
		return fail(b, ln + 1, 1, 1, "no breakpoints");
	b->m->timed = ncols == 3;
	return TFR_OK;
}

int tfr_map_read(FILE *fp, tfr_map **map, char *msg, size_t msgsize)
{
	struct builder b;
	int e = start(&b, map, msg, msgsize);

	if (e != TFR_OK)
		return e;
	return finish(&b, read_lines(&b, fp), map);
}

void tfr_map_free(tfr_map *map)
{
	if (!map)
		return;
	free(map->key_time);
	free(map->key_first);
	free(map->freq);
	free(map->value);
	free(map->line);
	free(map->col);
	free(map);
}
