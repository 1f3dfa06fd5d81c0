/* meta.c - ordered key=value metadata of a tfr stream header. */
#include "tfr_base.h"
#include "tfr_meta.h"
#include "tfr_number.h"

#include <stdlib.h>
#include <string.h>

struct tfr_meta {
	char **keys, **values;
	size_t n, cap;
};

tfr_meta *tfr_meta_new(void)
{
	return calloc(1, sizeof(tfr_meta));
}

void tfr_meta_free(tfr_meta *m)
{
	if (!m)
		return;
	for (size_t i = 0; i < m->n; i++) {
		free(m->keys[i]);
		free(m->values[i]);
	}
	free(m->keys);
	free(m->values);
	free(m);
}

static char *dup(const char *s)
{
	size_t n = strlen(s) + 1;
	char *d = malloc(n);
	if (d)
		memcpy(d, s, n);
	return d;
}

static int valid(const char *key, const char *value)
{
	return key && *key && !strpbrk(key, "=\n\r\t ") && value &&
	       !strpbrk(value, "\n\r");
}

int tfr_meta_add(tfr_meta *m, const char *key, const char *value)
{
	if (!valid(key, value))
		return TFR_EINVAL;
	if (m->n == m->cap) {
		size_t cap = m->cap ? 2 * m->cap : 16;
		char **k = realloc(m->keys, cap * sizeof *k);
		if (!k)
			return TFR_ENOMEM;
		m->keys = k;
		char **v = realloc(m->values, cap * sizeof *v);
		if (!v)
			return TFR_ENOMEM;
		m->values = v;
		m->cap = cap;
	}
	char *k = dup(key), *v = dup(value);
	if (!k || !v) {
		free(k);
		free(v);
		return TFR_ENOMEM;
	}
	m->keys[m->n] = k;
	m->values[m->n] = v;
	m->n++;
	return TFR_OK;
}

int tfr_meta_set(tfr_meta *m, const char *key, const char *value)
{
	if (!valid(key, value))
		return TFR_EINVAL;
	for (size_t i = 0; i < m->n; i++) {
		if (strcmp(m->keys[i], key))
			continue;
		char *v = dup(value);
		if (!v)
			return TFR_ENOMEM;
		free(m->values[i]);
		m->values[i] = v;
		return TFR_OK;
	}
	return tfr_meta_add(m, key, value);
}

int tfr_meta_set_double(tfr_meta *m, const char *key, double v)
{
	char buf[TFR_NUMBER_MAX];
	tfr_fmt_sig(buf, v, 17);
	return tfr_meta_set(m, key, buf);
}

int tfr_meta_set_int(tfr_meta *m, const char *key, long long v)
{
	char buf[TFR_NUMBER_MAX];
	tfr_fmt_int(buf, v);
	return tfr_meta_set(m, key, buf);
}

int tfr_meta_copy(tfr_meta *dst, const tfr_meta *src)
{
	for (size_t i = 0; i < src->n; i++) {
		int e = tfr_meta_add(dst, src->keys[i], src->values[i]);
		if (e != TFR_OK)
			return e;
	}
	return TFR_OK;
}

const char *tfr_meta_get(const tfr_meta *m, const char *key)
{
	for (size_t i = 0; i < m->n; i++)
		if (!strcmp(m->keys[i], key))
			return m->values[i];
	return NULL;
}

int tfr_meta_get_double(const tfr_meta *m, const char *key, double *v)
{
	const char *s = tfr_meta_get(m, key);
	if (!s)
		return TFR_EINVAL;
	return tfr_parse_double(s, v) == TFR_OK ? TFR_OK : TFR_EFORMAT;
}

size_t tfr_meta_count(const tfr_meta *m)
{
	return m->n;
}

const char *tfr_meta_key(const tfr_meta *m, size_t i)
{
	return i < m->n ? m->keys[i] : NULL;
}

const char *tfr_meta_value(const tfr_meta *m, size_t i)
{
	return i < m->n ? m->values[i] : NULL;
}
