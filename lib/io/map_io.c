/*
 * map_io.c - frequency maps as text: inline breakpoints and map files
 * (see tfr_map.h). Parsing and position bookkeeping only.
 */
#include "tfr_base.h"
#include "tfr_map.h"
#include "tfr_number.h"
#include "tfr_units.h"
#include "text_lines.h"

#include <ctype.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct builder {
	tfr_freqmap *m;
	size_t cap, keycap;
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

static void *grow(void *p, size_t n, size_t size)
{
	if (n > SIZE_MAX / size)
		return NULL;
	return realloc(p, n * size);
}

static int reserve(struct builder *b)
{
	tfr_freqmap *m = b->m;
	void *p;
	if (m->npoints < b->cap)
		return TFR_OK;
	size_t cap = b->cap ? 2 * b->cap : 16;
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
	tfr_freqmap *m = b->m;
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
                     size_t fcol, size_t vcol)
{
	tfr_freqmap *m = b->m;
	size_t first = m->key_first[m->nkeys - 1];
	if (m->npoints > first && f < m->freq[m->npoints - 1])
		return fail(b, line, fcol,
		            "frequency %g after %g: frequencies must not decrease",
		            f, m->freq[m->npoints - 1]);
	if (m->npoints == TFR_MAP_MAX_POINTS)
		return fail(b, line, fcol, "more than %d breakpoints", TFR_MAP_MAX_POINTS);
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

static int start(struct builder *b, tfr_freqmap **map, tfr_diag *d)
{
	memset(b, 0, sizeof *b);
	b->d = d;
	tfr_diag_clear(d);
	*map = NULL;
	b->m = calloc(1, sizeof *b->m);
	return b->m ? TFR_OK : TFR_ENOMEM;
}

static int finish(struct builder *b, int err, tfr_freqmap **map)
{
	if (err == TFR_OK) {
		*map = b->m;
		return TFR_OK;
	}
	if (err == TFR_ENOMEM)
		tfr_diag_set(b->d, TFR_ENOMEM, NULL);
	tfr_freqmap_free(b->m);
	return err;
}

enum token { FREQ, TIME, VALUE };

/* The token s[0 .. n-1] as a frequency, time or value of the map's kind;
 * positioned error otherwise. */
static int token(struct builder *b, const char *s, size_t n, enum token what,
                 tfr_map_values values, double *v, size_t line, size_t col)
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
	const char *kind;
	if (what == FREQ) {
		e = tfr_parse_freq(t, &q);
		if (e == TFR_OK && q.unit != TFR_UNIT_HZ)
			e = TFR_EFORMAT;
		kind = "a frequency (Hz or kHz)";
	} else if (what == TIME || values == TFR_MAP_TIME) {
		e = tfr_parse_time(t, TFR_UNIT_SECONDS, &q);
		kind = "a time (seconds, or with ms or s)";
	} else if (values == TFR_MAP_LEVEL) {
		e = tfr_parse_level(t, 0, &q);
		kind = "a level in dB";
	} else {
		e = tfr_parse_double(t, &q.value);
		kind = "a number";
	}
	if (e == TFR_ERANGE)
		return fail(b, line, col, "number out of range");
	if (e != TFR_OK || !isfinite(q.value))
		return fail(b, line, col, "'%s' is not %s", t, kind);
	if ((what == FREQ || what == TIME) && q.value < 0)
		return fail(b, line, col, "negative %s %g",
		            what == FREQ ? "frequency" : "time", q.value);
	*v = q.value;
	return TFR_OK;
}

static int parse_inline(struct builder *b, const char *text,
                        tfr_map_values values)
{
	const char *p = text;
	double f, v;
	int e;
	if ((e = new_key(b, 0.0)) != TFR_OK)
		return e;
	if (!strchr(text, ':')) {
		if ((e = token(b, text, strlen(text), VALUE, values, &v, 0, 1)) != TFR_OK)
			return e;
		return add_point(b, 0.0, v, 0, 1, 1);
	}
	for (;;) {
		size_t fcol = (size_t)(p - text) + 1;
		size_t n = strcspn(p, ":,");
		if ((e = token(b, p, n, FREQ, values, &f, 0, fcol)) != TFR_OK)
			return e;
		if (p[n] != ':')
			return fail(b, 0, (size_t)(p + n - text) + 1,
			            "expected ':' after the frequency");
		p += n + 1;
		size_t vcol = (size_t)(p - text) + 1;
		n = strcspn(p, ":,");
		if ((e = token(b, p, n, VALUE, values, &v, 0, vcol)) != TFR_OK)
			return e;
		if ((e = add_point(b, f, v, 0, fcol, vcol)) != TFR_OK)
			return e;
		if (p[n] == '\0')
			return TFR_OK;
		if (p[n] != ',')
			return fail(b, 0, (size_t)(p + n - text) + 1,
			            "expected ',' between breakpoints");
		p += n + 1;
	}
}

int tfr_map_parse(const char *text, tfr_map_values values,
                  tfr_freqmap **map, tfr_diag *d)
{
	struct builder b;
	int e = start(&b, map, d);
	if (e != TFR_OK)
		return finish(&b, e, map);
	return finish(&b, parse_inline(&b, text, values), map);
}

static int file_line(struct builder *b, const char *buf, size_t ln,
                     int *ncols, tfr_map_values values)
{
	const char *f[4];
	size_t len[4], col[5];
	double v[3];
	int n = tfr_text_fields(buf, f, len, col, 4), e;
	if (n == 0)
		return TFR_OK;
	if (n < 2 || n > 3)
		return fail(b, ln, n < 2 ? 1 : col[3],
		            "expected 'freq value' or 'time freq value'");
	if (*ncols && n != *ncols)
		return fail(b, ln, 1, "%d columns after lines of %d", n, *ncols);
	*ncols = n;
	for (int i = 0; i < n; i++) {
		enum token what = i == n - 1 ? VALUE : i == n - 2 ? FREQ : TIME;
		if ((e = token(b, f[i], len[i], what, values, &v[i], ln, col[i])) != TFR_OK)
			return e;
	}
	if (n == 3) {
		tfr_freqmap *m = b->m;
		if (m->nkeys && v[0] < m->key_time[m->nkeys - 1])
			return fail(b, ln, col[0],
			            "time %g after %g: times must not decrease", v[0],
			            m->key_time[m->nkeys - 1]);
		if (!m->nkeys || v[0] > m->key_time[m->nkeys - 1])
			if ((e = new_key(b, v[0])) != TFR_OK)
				return e;
		return add_point(b, v[1], v[2], ln, col[1], col[2]);
	}
	if (!b->m->nkeys && (e = new_key(b, 0.0)) != TFR_OK)
		return e;
	return add_point(b, v[0], v[1], ln, col[0], col[1]);
}

static int read_lines(struct builder *b, FILE *fp, tfr_map_values values)
{
	char *buf = malloc(TFR_MAP_MAX_LINE);
	size_t ln = 0, total = 0;
	int ncols = 0, e = TFR_OK, r;
	int why = 0;
	if (!buf)
		return TFR_ENOMEM;
	while ((r = tfr_text_line(fp, buf, TFR_MAP_MAX_LINE, TFR_MAP_MAX_BYTES,
	                          &total, &why)) != 0) {
		ln++;
		if (r < 0) {
			e = why == TEXT_LONG_LINE
			  ? fail(b, ln, 1, "line longer than %d bytes", TFR_MAP_MAX_LINE - 1)
			  : why == TEXT_NUL_BYTE ? fail(b, ln, 1, "a NUL byte: not a text file")
			  : fail(b, ln, 1, "more than %d bytes: not a map file",
			         TFR_MAP_MAX_BYTES);
			break;
		}
		if ((e = file_line(b, buf, ln, &ncols, values)) != TFR_OK)
			break;
	}
	free(buf);
	if (e != TFR_OK)
		return e;
	if (ferror(fp))
		return tfr_diag_set(b->d, TFR_EIO, "read error");
	if (b->m->npoints == 0)
		return fail(b, ln + 1, 1, "no breakpoints");
	b->m->timed = ncols == 3;
	return TFR_OK;
}

int tfr_map_read(FILE *fp, tfr_map_values values, tfr_freqmap **map,
                 tfr_diag *d)
{
	struct builder b;
	int e = start(&b, map, d);
	if (e != TFR_OK)
		return finish(&b, e, map);
	return finish(&b, read_lines(&b, fp, values), map);
}
