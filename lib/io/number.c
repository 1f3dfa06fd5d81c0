/*
 * number.c - number text without locales and without printf.
 *
 * Writing the point stream is dominated by number formatting
 * (reassignment.md §8: printf costs ~750 ns a line, 25x the FFT work),
 * so numbers are formatted here with integer arithmetic, two digits at a
 * time. Parsing uses strtod under a C locale object so that a program
 * that called setlocale() still reads '.' as the decimal point.
 */
#include "tfr_base.h"
#include "tfr_number.h"

#include <errno.h>
#include <locale.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char pairs[201] =
	"00010203040506070809101112131415161718192021222324252627282930313233"
	"34353637383940414243444546474849505152535455565758596061626364656667"
	"68697071727374757677787980818283848586878889909192939495969798990";

static const double pow10_tab[23] = {
	1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
	1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22
};

static const double neg_pow10_tab[23] = {
	1e0, 1e-1, 1e-2, 1e-3, 1e-4, 1e-5, 1e-6, 1e-7, 1e-8, 1e-9, 1e-10,
	1e-11, 1e-12, 1e-13, 1e-14, 1e-15, 1e-16, 1e-17, 1e-18, 1e-19,
	1e-20, 1e-21, 1e-22
};

/* v * 10^k within a few units of the last place of a double: enough
 * for the at most 15 digits of the fast formatter, and a multiplication
 * is much cheaper than a division. */
static double scale10_fast(double v, int k)
{
	if (k >= 0 && k <= 22)
		return v * pow10_tab[k];
	if (k < 0 && k >= -22)
		return v * neg_pow10_tab[-k];
	return v * pow(10, k);
}

/* v * 10^k, exact in the multiplication/division by an exact power. */
static double scale10(double v, int k)
{
	if (k >= 0 && k <= 22)
		return v * pow10_tab[k];
	if (k < 0 && k >= -22)
		return v / pow10_tab[-k];
	return v * pow(10, k);
}

/* Round a non-negative value below 2^63 to the nearest integer, halves
 * away from zero (as llround, without its call). */
static uint64_t round_pos(double x)
{
	/* via int64_t: one instruction, where a uint64_t conversion needs a
	 * branch for values above 2^63 that never occur here */
	int64_t u = (int64_t)x;
	return (uint64_t)(x - (double)u >= 0.5 ? u + 1 : u);
}

/* A scaled value whose fraction lies within its own rounding error of
 * one half could round either way: such values (about one in a million,
 * and the exact ties, which printf breaks to even) are formatted by
 * printf, which is exact. x is non-negative; its error is at most a few
 * units of its last place. */
static inline int near_half(double x)
{
	double f = x - (double)(int64_t)x;  /* x is below 2^63 here */
	return fabs(f - 0.5) <= (x > 1 ? x : 1) * 0x1p-49;
}

/* printf's rounding, under the C locale whatever the process's locale:
 * snprintf(p, size, fmt, precision, v). */
static __attribute__((noinline, cold)) int printf_c(char *p, size_t size,
                                                     const char *fmt, int prec,
                                                     double v)
{
	locale_t c = newlocale(LC_NUMERIC_MASK, "C", (locale_t)0);
	locale_t old = c ? uselocale(c) : (locale_t)0;
	int n = snprintf(p, size, fmt, prec, v);
	if (c) {
		uselocale(old);
		freelocale(c);
	}
	return n;
}

/* Two digits of v < 100 at p. */
static inline void put2(char *p, uint32_t v)
{
	p[0] = pairs[2 * v];
	p[1] = pairs[2 * v + 1];
}

/* Exactly four digits of v < 10000 at p. */
static inline void put4(char *p, uint32_t v)
{
	put2(p, v / 100);
	put2(p + 2, v % 100);
}

/* Exactly nine digits of v < 10^9 at p, zero-padded. The halves are
 * independent, so the divisions do not wait on each other. */
static inline void put9(char *p, uint32_t v)
{
	uint32_t hi = v / 100000000, lo = v % 100000000;
	p[0] = (char)('0' + hi);
	put4(p + 1, lo / 10000);
	put4(p + 5, lo % 10000);
}

/* Write u (decimal) right-aligned ending at end; return start. */
static char *utoa_rev(char *end, uint64_t u)
{
	if (u <= UINT32_MAX) {  /* 32-bit arithmetic is cheaper */
		uint32_t v = (uint32_t)u;
		while (v >= 100) {
			uint32_t r = v % 100;
			v /= 100;
			end -= 2;
			end[0] = pairs[2 * r];
			end[1] = pairs[2 * r + 1];
		}
		if (v >= 10) {
			end -= 2;
			end[0] = pairs[2 * v];
			end[1] = pairs[2 * v + 1];
		} else {
			*--end = (char)('0' + v);
		}
		return end;
	}
	while (u >= 100) {
		unsigned r = (unsigned)(u % 100);
		u /= 100;
		end -= 2;
		memcpy(end, pairs + 2 * r, 2);
	}
	if (u >= 10) {
		end -= 2;
		memcpy(end, pairs + 2 * u, 2);
	} else {
		*--end = (char)('0' + u);
	}
	return end;
}

size_t tfr_fmt_int(char *p, int64_t v)
{
	char tmp[24], *end = tmp + sizeof tmp;
	uint64_t u = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
	char *s = utoa_rev(end, u);
	size_t n = 0;
	if (v < 0)
		p[n++] = '-';
	memcpy(p + n, s, (size_t)(end - s));
	n += (size_t)(end - s);
	p[n] = 0;
	return n;
}

static size_t special(char *p, double v)
{
	const char *s = isnan(v) ? "nan" : v < 0 ? "-inf" : "inf";
	size_t n = strlen(s);
	memcpy(p, s, n + 1);
	return n;
}

/* a * p (p a power of ten, exact) rounded to an integer as printf rounds
 * it, where scaled, the product rounded to a double, lies within its
 * rounding error of a half: the product is exactly scaled + err
 * (TwoProduct: fma gives the rounding error of a product exactly), so
 * the sign of (scaled - floor - 1/2) + err, a sum whose rounding keeps
 * its sign, says which way; an exact tie goes to the even neighbour.
 * Midpoints of 9-decimal times (tfr-track's phase fit) are common
 * among such values, so this is not left to printf. */
static __attribute__((noinline)) uint64_t round_exact(double a, double p, double scaled)
{
	double err = fma(a, p, -scaled);
	int64_t fl = (int64_t)scaled;  /* scaled < 10^15 here */
	double d = (scaled - (double)fl - 0.5) + err;
	return (uint64_t)fl + (d > 0 || (d == 0 && (fl & 1)));
}

size_t tfr_fmt_fixed(char *p, double v, int decimals)
{
	if (decimals < 0)
		decimals = 0;
	if (decimals > 9)
		decimals = 9;
	double scaled = scale10(fabs(v), decimals);
	if (!isfinite(v) || !(scaled < 1e15))
		return tfr_fmt_sig(p, v, 17);
	uint64_t u = near_half(scaled) ? round_exact(fabs(v), pow10_tab[decimals], scaled)
	                               : round_pos(scaled);
	/* the stream's decimals (tfr(5)) divide by constants, which the
	 * compiler turns into multiplications */
	uint64_t ip, fp;
	if (decimals == 9) {
		ip = u / 1000000000u;
		fp = u % 1000000000u;
	} else if (decimals == 6) {
		ip = u / 1000000u;
		fp = u % 1000000u;
	} else {
		uint64_t div = (uint64_t)pow10_tab[decimals];
		ip = u / div;
		fp = u % div;
	}
	size_t n = 0;
	if (signbit(v) && u != 0)
		p[n++] = '-';
	if (ip < 10) {  /* most times and many frequencies */
		p[n++] = (char)('0' + ip);
	} else {
		char tmp[24], *end = tmp + sizeof tmp;
		for (char *s = utoa_rev(end, ip); s < end; s++)
			p[n++] = *s;
	}
	if (decimals > 0) {
		/* the fraction, zero-padded to `decimals` digits */
		p[n++] = '.';
		if (decimals == 9) {
			put9(p + n, (uint32_t)fp);
		} else if (decimals == 6) {
			put2(p + n, (uint32_t)fp / 10000);
			put4(p + n + 2, (uint32_t)fp % 10000);
		} else {
			char *fe = p + n + decimals;
			char *fs = utoa_rev(fe, fp);
			while (fs > p + n)
				*--fs = '0';
		}
		n += (size_t)decimals;
	}
	p[n] = 0;
	return n;
}

/* More than 15 digits exceed what the scaled-integer method gets exactly
 * right; printf is exact, and runs here under the C locale. */
static size_t fmt_exact(char *p, double v, int digits)
{
	int n = printf_c(p, TFR_NUMBER_MAX, "%.*g", digits, v);
	return n > 0 ? (size_t)n : 0;
}

/* The digits-digit mantissa and the decimal exponent of a > 0, by
 * printf's exact rounding. */
static __attribute__((noinline, cold)) uint64_t exact_digits(double a,
                                                             int digits, int *e)
{
	char buf[64];
	printf_c(buf, sizeof buf, "%.*e", digits - 1, a);
	uint64_t m = 0;
	char *q = buf;
	for (; *q && *q != 'e'; q++)
		if (*q >= '0' && *q <= '9')
			m = m * 10 + (uint64_t)(*q - '0');
	*e = *q == 'e' ? atoi(q + 1) : 0;
	return m;
}

size_t tfr_fmt_sig(char *p, double v, int digits)
{
	if (!isfinite(v))
		return special(p, v);
	if (digits < 1)
		digits = 1;
	if (digits > 17)
		digits = 17;
	if (digits > 15)
		return fmt_exact(p, v, digits);
	size_t n = 0;
	if (signbit(v) && v != 0)
		p[n++] = '-';
	double a = fabs(v);
	if (a == 0) {
		p[n++] = '0';
		p[n] = 0;
		return n;
	}
	/* m = a * 10^(digits-1-e) rounded, with 10^(digits-1) <= m < 10^digits */
	/* decimal exponent from the binary one (log10(2) = 0.30103), off by
	 * at most one, which the range checks below correct */
	uint64_t bits;
	memcpy(&bits, &a, sizeof bits);
	int e2 = (int)((bits >> 52) & 0x7ff) - 1022;  /* as frexp for normals */
	if (e2 == -1022)
		frexp(a, &e2);
	/* floor((e2 - 1) log10(2)) in integers: 78913 / 2^18 = 0.301029...,
	 * exact for |e2| < 1700; the shift of a negative value floors */
	int e = ((e2 - 1) * 78913) >> 18;
	uint64_t lo = (uint64_t)pow10_tab[digits - 1], hi = lo * 10;
	double x = scale10_fast(a, digits - 1 - e);
	uint64_t m = round_pos(x);
	if (m >= hi) {
		e++;
		m = round_pos(x = scale10_fast(a, digits - 1 - e));
	} else if (m < lo) {
		e--;
		m = round_pos(x = scale10_fast(a, digits - 1 - e));
	}
	if (m >= hi) {  /* rounding carried into a new digit: 9.99.. -> 10.0 */
		m /= 10;
		e++;
	}
	if (near_half(x))
		m = exact_digits(a, digits, &e);
	/* the digits end at dig + 24; the bytes after are '0's, so that
	 * they are copied 16 at a time below (p holds TFR_NUMBER_MAX) */
	char dig[24 + 24], *end = dig + 24;
	memset(end, '0', 24);
	char *s;
	/* the stream's float columns (tfr(5)): the hot paths */
	if (digits == 9) {
		s = end - 9;
		put9(s, (uint32_t)m);
	} else if (digits == 6) {
		s = end - 6;
		put2(s, (uint32_t)m / 10000);
		put4(s + 2, (uint32_t)m % 10000);
	} else if (digits == 4) {
		s = end - 4;
		put4(s, (uint32_t)m);
	} else {
		s = utoa_rev(end, m);
	}
	int nd = (int)(end - s);
	while (nd > 1 && s[nd - 1] == '0')
		nd--;
	if (e >= -5 && e < digits) {
		/* fixed-size copies: memcpy of a constant size is a move or two,
		 * and what lands past the number is overwritten or past its NUL */
		if (e < 0) {  /* 0.000ddd: at most four zeros after the point */
			memcpy(p + n, "0.000000", 8);
			n += (size_t)(1 - e);
			memcpy(p + n, s, 16);
			n += (size_t)nd;
		} else {  /* ddd.ddd, or ddd00 (s[] holds '0' past nd and end) */
			memcpy(p + n, s, 16);
			if (nd > e + 1) {
				p[n + (size_t)e + 1] = '.';
				memcpy(p + n + e + 2, s + e + 1, 16);
				n += (size_t)nd + 1;
			} else {
				n += (size_t)e + 1;
			}
		}
	} else {
		p[n++] = s[0];
		if (nd > 1) {
			p[n++] = '.';
			for (int i = 1; i < nd; i++)
				p[n++] = s[i];
		}
		p[n++] = 'e';
		p[n++] = e < 0 ? '-' : '+';
		int ae = e < 0 ? -e : e;
		if (ae >= 100)
			p[n++] = (char)('0' + ae / 100);
		p[n++] = (char)('0' + ae / 10 % 10);
		p[n++] = (char)('0' + ae % 10);
	}
	p[n] = 0;
	return n;
}

/* Clinger's fast path: a decimal with at most 15 significant digits and
 * a power-of-ten scale within 10^±22 is m * 10^k or m / 10^k with m and
 * 10^k exact doubles, so one correctly rounded operation gives the
 * correctly rounded result. Returns 0 when the text needs strtod. */
static int parse_fast(const char *s, char **end, double *v)
{
	const char *q = s;
	int neg = 0;
	if (*q == '+' || *q == '-')
		neg = *q++ == '-';
	/* the digits are counted from positions, not one by one: leading
	 * zeros are skipped first, the rest are all significant (m wraps
	 * past 19 digits, and more than 15 leave this path anyway) */
	const char *z = q;
	while (*q == '0')
		q++;
	int any = q > z;
	uint64_t m = 0;
	const char *d = q;
	while (*q >= '0' && *q <= '9')
		m = m * 10 + (uint64_t)(*q++ - '0');
	long nsig = q - d, scale = 0;
	any |= nsig > 0;
	if (*q == '.') {
		const char *f = ++q;
		if (!nsig)
			while (*q == '0')  /* 0.000123: zeros before the first digit */
				q++;
		const char *g = q;
		while (*q >= '0' && *q <= '9')
			m = m * 10 + (uint64_t)(*q++ - '0');
		nsig += q - g;
		scale = -(q - f);
		any |= q > f;
	}
	if (!any || nsig > 15)
		return 0;
	if (*q == 'e' || *q == 'E') {
		const char *e = q + 1;
		int eneg = 0, ev = 0, edig = 0;
		if (*e == '+' || *e == '-')
			eneg = *e++ == '-';
		while (*e >= '0' && *e <= '9' && edig < 4) {
			ev = ev * 10 + (*e++ - '0');
			edig++;
		}
		if (!edig || (*e >= '0' && *e <= '9'))
			return 0;
		scale += eneg ? -ev : ev;
		q = e;
	}
	if (scale < -22 || scale > 22)
		return 0;
	double x = (double)m;
	x = scale >= 0 ? x * pow10_tab[scale] : x / pow10_tab[-scale];
	*v = neg ? -x : x;
	*end = (char *)q;
	return 1;
}

int tfr_parse_double_prefix(const char *s, char **end, double *v)
{
	/* strtod also accepts "nan", "inf", hex floats and leading blanks;
	 * the stream format allows none of them. */
	const char *q = s;
	if (*q == '+' || *q == '-')
		q++;
	if (!((*q >= '0' && *q <= '9') || (*q == '.' && q[1] >= '0' && q[1] <= '9')))
		return TFR_EFORMAT;
	if (q[0] == '0' && (q[1] == 'x' || q[1] == 'X'))
		return TFR_EFORMAT;
	if (parse_fast(s, end, v))
		return TFR_OK;
	locale_t c = newlocale(LC_NUMERIC_MASK, "C", (locale_t)0);
	locale_t old = c ? uselocale(c) : (locale_t)0;
	errno = 0;
	double x = strtod(s, end);
	int err = errno;
	if (c) {
		uselocale(old);
		freelocale(c);
	}
	if (*end == s)
		return TFR_EFORMAT;
	if (err == ERANGE && (x == HUGE_VAL || x == -HUGE_VAL))
		return TFR_ERANGE;
	*v = x;  /* underflow to a tiny or zero value is accepted */
	return TFR_OK;
}

int tfr_parse_double(const char *s, double *v)
{
	char *end;
	int e = tfr_parse_double_prefix(s, &end, v);
	if (e != TFR_OK)
		return e;
	return *end ? TFR_EFORMAT : TFR_OK;
}
