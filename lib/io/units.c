/* units.c - quantities with units as people type them; see tfr_units.h. */
#include "tfr_base.h"
#include "tfr_number.h"
#include "tfr_units.h"

#include <math.h>
#include <string.h>
#include <strings.h>

/* The number at s and the suffix after it. */
static int number(const char *s, double *v, const char **suffix)
{
	char *end;
	int e = tfr_parse_double_prefix(s, &end, v);
	if (e != TFR_OK)
		return e;
	*suffix = end;
	return TFR_OK;
}

int tfr_parse_time(const char *s, tfr_unit bare, tfr_quantity *q)
{
	double v;
	const char *u;
	int e = number(s, &v, &u);
	if (e != TFR_OK)
		return e;
	tfr_quantity r = { v, TFR_UNIT_SECONDS };
	if (!strcmp(u, "ms"))
		r.value = v / 1000;
	else if (!strcmp(u, "s"))
		;
	else if (*u)
		return TFR_EFORMAT;
	else if (bare == TFR_UNIT_SAMPLES && v != floor(v))
		return TFR_EFORMAT;
	else
		r.unit = bare;
	*q = r;
	return TFR_OK;
}

int tfr_parse_freq(const char *s, tfr_quantity *q)
{
	double v;
	const char *u;
	int e = number(s, &v, &u);
	if (e != TFR_OK)
		return e;
	tfr_quantity r = { v, TFR_UNIT_HZ };
	if (!*u || !strcasecmp(u, "hz"))
		;
	else if (!strcasecmp(u, "k") || !strcasecmp(u, "khz"))
		r.value = v * 1000;
	else if (!strcmp(u, "fs"))
		r.unit = TFR_UNIT_FS;
	else
		return TFR_EFORMAT;
	*q = r;
	return TFR_OK;
}

int tfr_parse_level(const char *s, int allow_inf, tfr_quantity *q)
{
	if (allow_inf && (!strcmp(s, "-inf") || !strcmp(s, "-infdB") ||
	                  !strcmp(s, "-infdBFS"))) {
		q->value = -INFINITY;
		q->unit = TFR_UNIT_DB;
		return TFR_OK;
	}
	double v;
	const char *u;
	int e = number(s, &v, &u);
	if (e != TFR_OK)
		return e;
	if (*u && strcmp(u, "dB") && strcmp(u, "dBFS"))
		return TFR_EFORMAT;
	q->value = v;
	q->unit = TFR_UNIT_DB;
	return TFR_OK;
}

int tfr_parse_int(const char *s, long long min, long long max, long long *v)
{
	const char *p = s;
	int neg = 0;
	if (*p == '+' || *p == '-')
		neg = *p++ == '-';
	if (*p < '0' || *p > '9')
		return TFR_EFORMAT;
	unsigned long long u = 0;
	for (; *p >= '0' && *p <= '9'; p++) {
		if (u > (0x7fffffffffffffffULL - (unsigned)(*p - '0')) / 10)
			return TFR_ERANGE;
		u = u * 10 + (unsigned)(*p - '0');
	}
	if (*p)
		return TFR_EFORMAT;
	long long x = neg ? -(long long)u : (long long)u;
	if (x < min || x > max)
		return TFR_ERANGE;
	*v = x;
	return TFR_OK;
}

double tfr_quantity_seconds(tfr_quantity q, double sample_rate)
{
	return q.unit == TFR_UNIT_SAMPLES ? q.value / sample_rate : q.value;
}

double tfr_quantity_samples(tfr_quantity q, double sample_rate)
{
	return q.unit == TFR_UNIT_SAMPLES ? q.value : q.value * sample_rate;
}

double tfr_quantity_hz(tfr_quantity q, double sample_rate)
{
	return q.unit == TFR_UNIT_FS ? q.value * sample_rate : q.value;
}
