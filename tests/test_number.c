/*
 * test_number.c - locale-free number text (tfr_number.h) and quantities
 * with units (tfr_units.h): formatting round trips (every float through 9
 * significant digits, doubles through 17, times and frequencies through
 * their fixed decimals), agreement with the C library's printf under the
 * C locale, strict parsing, and the same under a comma-decimal locale.
 */
#include "testutil.h"
#include "parse_field.h"
#include "tfr.h"

#include <locale.h>
#include <stdint.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

static void formatting(void)
{
	char b[TFR_NUMBER_MAX];
	struct { double v; int d; const char *want; } sig[] = {
		{ 0, 9, "0" }, { 1, 9, "1" }, { -0.25, 9, "-0.25" },
		{ 1234567.0, 9, "1234567" }, { 0.1f, 9, "0.100000001" },
		{ 1e-7, 9, "1e-07" }, { 2.5e10, 9, "2.5e+10" }, { 999999999.6, 9, "1e+09" },
		{ 0.0000123, 9, "0.0000123" }, { 1e300, 9, "1e+300" },
		{ 3.14159265358979, 9, "3.14159265" }, { NAN, 9, "nan" },
	};
	for (size_t i = 0; i < sizeof sig / sizeof sig[0]; i++) {
		tfr_fmt_sig(b, sig[i].v, sig[i].d);
		if (strcmp(b, sig[i].want))
			fprintf(stderr, "fmt_sig(%.17g): '%s' != '%s'\n", sig[i].v, b, sig[i].want);
		CHECK("fmt_sig", !strcmp(b, sig[i].want));
	}
	struct { double v; int d; const char *want; } fix[] = {
		{ 0, 9, "0.000000000" }, { 0.5, 6, "0.500000" }, { -1.25, 1, "-1.2" },
		{ -1.35, 1, "-1.4" }, { 0.125, 2, "0.12" }, { 0.375, 2, "0.38" },
		{ 3600.123456789, 9, "3600.123456789" }, { -0.0000001, 6, "0.000000" },
		{ 2153.3203125, 6, "2153.320312" }, { 2153.32031251, 6, "2153.320313" }, { 42, 0, "42" },
	};
	for (size_t i = 0; i < sizeof fix / sizeof fix[0]; i++) {
		tfr_fmt_fixed(b, fix[i].v, fix[i].d);
		if (strcmp(b, fix[i].want))
			fprintf(stderr, "fmt_fixed(%.17g): '%s' != '%s'\n", fix[i].v, b, fix[i].want);
		CHECK("fmt_fixed", !strcmp(b, fix[i].want));
	}
	tfr_fmt_int(b, INT64_MIN);
	CHECK("fmt_int min", !strcmp(b, "-9223372036854775808"));

	/* every float pattern class round-trips through 9 digits */
	uint64_t s = 12345;
	size_t bad = 0;
	for (int i = 0; i < 200000; i++) {
		uint32_t bits = (uint32_t)(test_rand(&s) * 4294967296.0);
		float f;
		memcpy(&f, &bits, 4);
		if (!isfinite(f))
			continue;
		double back;
		tfr_fmt_sig(b, f, 9);
		if (tfr_parse_double(b, &back) != TFR_OK || (float)back != f)
			bad++;
	}
	CHECK("200000 random floats round-trip through 9 digits", bad == 0);
	/* doubles through 17 digits */
	bad = 0;
	for (int i = 0; i < 100000; i++) {
		double d = (test_rand(&s) - 0.5) * pow(10, (int)(test_rand(&s) * 40) - 20);
		double back;
		tfr_fmt_sig(b, d, 17);
		if (tfr_parse_double(b, &back) != TFR_OK || back != d)
			bad++;
	}
	CHECK("100000 random doubles round-trip through 17 digits", bad == 0);
}

/* The stream reader's parser (parse_field.h) reads t, and t followed by
 * a field separator, as tfr_parse_double_prefix does: the same code,
 * value and end. */
static int same_as_field(const char *t)
{
	char buf[96] = { 0 };
	size_t n = strlen(t);
	if (n + 2 > sizeof buf)
		return 0;
	memcpy(buf, t, n);
	for (int sep = 0; sep < 2; sep++) {
		buf[n] = sep ? '\t' : 0;
		char *e1 = NULL, *e2 = NULL;
		double v1 = 0, v2 = 0;
		int r1 = tfr_parse_double_prefix(buf, &e1, &v1);
		int r2 = tfr_parse_field(buf, &e2, &v2);
		if (r1 != r2 || (r1 == TFR_OK && (e1 != e2 || memcmp(&v1, &v2, sizeof v1)))) {
			fprintf(stderr, "field parse of '%s': %d %.17g at %td, "
			        "general %d %.17g at %td\n", t, r2, v2, e2 - buf, r1, v1,
			        e1 - buf);
			return 0;
		}
	}
	return 1;
}

static void parsing(void)
{
	double v;
	const char *bad[] = { "", "nan", "inf", "-inf", "0x10", " 1", "1 ", "1,5", "abc", "1e", "--1", "1e999" };
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		CHECK(bad[i], tfr_parse_double(bad[i], &v) != TFR_OK);
	const char *odd[] = { "", ".", "-", "+.", "-.5", "5.", "0x1", "0X1", "1e5",
	                      "1E+5", "1.5e", "007", "-0", "0.0000000000000000000000001",
	                      "12345678901234567890", "999999999999999.9",
	                      "1000000000000000", "0.1234567890123456789012",
	                      "1x", "1.2.3", "nan", "inf", "\3771", "9\xfa" };
	for (size_t i = 0; i < sizeof odd / sizeof odd[0]; i++)
		CHECK(odd[i], same_as_field(odd[i]));
	CHECK("1.5", tfr_parse_double("1.5", &v) == TFR_OK && v == 1.5);
	CHECK(".5", tfr_parse_double(".5", &v) == TFR_OK && v == 0.5);
	CHECK("-2e-3", tfr_parse_double("-2e-3", &v) == TFR_OK && v == -2e-3);
	CHECK("long", tfr_parse_double("0.12345678901234567890123", &v) == TFR_OK &&
	              v == 0.12345678901234567890123);
}

/* Decimal text of every shape the parser's fast path sorts (leading
 * zeros, zeros after the point, a bare point, an exponent, 1 to 18
 * digits) reads as strtod reads it under the C locale, bit for bit. */
static void parsing_against_strtod(void)
{
	uint64_t s = 777;
	size_t bad = 0, n = 0;
	char t[64];
	for (int i = 0; i < 300000; i++) {
		size_t k = 0;
		if (test_rand(&s) < 0.3)
			t[k++] = test_rand(&s) < 0.5 ? '-' : '+';
		int lead = (int)(test_rand(&s) * 4), nint = (int)(test_rand(&s) * 10);
		int nfrac = (int)(test_rand(&s) * 12), zfrac = (int)(test_rand(&s) * 6);
		for (int j = 0; j < lead; j++)
			t[k++] = '0';
		for (int j = 0; j < nint; j++)
			t[k++] = (char)('0' + (int)(test_rand(&s) * 10));
		if (nfrac || zfrac || test_rand(&s) < 0.2) {
			t[k++] = '.';
			for (int j = 0; j < zfrac; j++)
				t[k++] = '0';
			for (int j = 0; j < nfrac; j++)
				t[k++] = (char)('0' + (int)(test_rand(&s) * 10));
		}
		if (test_rand(&s) < 0.3)
			k += (size_t)snprintf(t + k, sizeof t - k, "e%d", (int)(test_rand(&s) * 60) - 30);
		t[k] = 0;
		const char *u = t + (t[0] == '-' || t[0] == '+');
		if (!(u[0] >= '0' && u[0] <= '9') && !(u[0] == '.' && u[1] >= '0' && u[1] <= '9'))
			continue;  /* not a number ("", ".", ".e5") */
		double v, w = strtod(t, NULL);
		n++;
		if (tfr_parse_double(t, &v) != TFR_OK || memcmp(&v, &w, sizeof v)) {
			if (bad++ < 5)
				fprintf(stderr, "parse '%s': %.17g, strtod %.17g\n", t, v, w);
		}
		if (!same_as_field(t))
			bad++;
	}
	printf("%zu decimal texts parsed as strtod parses them\n", n - bad);
	CHECK("random decimal text reads as strtod reads it", bad == 0 && n > 200000);
}

/* The formatters agree with the C library's %.9g and %.*f under the C
 * locale: the same digits, so the same value when read back. */
static void against_printf(void)
{
	char a[TFR_NUMBER_MAX], b[64];
	uint64_t s = 777;
	size_t bad_sig = 0, bad_fix = 0;
	locale_t c = newlocale(LC_NUMERIC_MASK, "C", (locale_t)0);
	locale_t old = uselocale(c);
	for (int i = 0; i < 300000; i++) {
		uint32_t bits = (uint32_t)(test_rand(&s) * 4294967296.0);
		float f;
		memcpy(&f, &bits, 4);
		if (!isfinite(f))
			continue;
		tfr_fmt_sig(a, f, 9);
		snprintf(b, sizeof b, "%.9g", (double)f);
		if (strtod(a, NULL) != strtod(b, NULL))
			bad_sig++;
		/* the stream's other widths (amplitude and phase 6, bandwidth 4)
		 * and 15, over the magnitudes that take the fixed and the
		 * exponent forms */
		static const int widths[] = { 4, 6, 9, 15 };
		int dg = widths[i % 4];
		double x = (test_rand(&s) - 0.5) * pow(10, (int)(test_rand(&s) * 20) - 10);
		size_t len = tfr_fmt_sig(a, x, dg);
		snprintf(b, sizeof b, "%.*g", dg, x);
		if (strtod(a, NULL) != strtod(b, NULL) || len != strlen(a))
			bad_sig++;
		/* times and frequencies: 9 and 6 decimals */
		double t = (test_rand(&s) - 0.3) * pow(10, (int)(test_rand(&s) * 10) - 4);
		int dec = i % 2 ? 9 : 6;
		tfr_fmt_fixed(a, t, dec);
		snprintf(b, sizeof b, "%.*f", dec, t);
		if (strcmp(a, b) && !(strcmp(b + (b[0] == '-'), a) == 0 && strtod(b, NULL) == 0))
			bad_fix++;
	}
	/* values a half away from two neighbours: midpoints of two 9- or
	 * 6-decimal values (tfr-track's phase fit writes them), which lie
	 * within a rounding error of the half, and exact binary ties
	 * (odd / 2^k), which printf breaks to even */
	for (int i = 0; i < 200000; i++) {
		int dec = i % 2 ? 9 : 6;
		double t;
		if (i % 3) {
			double q = pow(10, dec), scale = pow(10, (int)(test_rand(&s) * 5));
			double t1 = floor(test_rand(&s) * scale * q) / q;
			double t2 = t1 + floor(test_rand(&s) * 1000) / q;
			t = (t1 + t2) / 2;
		} else {
			t = (2 * floor(test_rand(&s) * 4096) + 1) / pow(2, 1 + (int)(test_rand(&s) * 14));
		}
		if (i % 5 == 0)
			t = -t;
		tfr_fmt_fixed(a, t, dec);
		snprintf(b, sizeof b, "%.*f", dec, t);
		if (strcmp(a, b) && !(strcmp(b + (b[0] == '-'), a) == 0 && strtod(b, NULL) == 0))
			if (bad_fix++ < 5)
				fprintf(stderr, "%.*f: '%s', printf '%s'\n", dec, t, a, b);
	}
	uselocale(old);
	freelocale(c);
	if (bad_sig || bad_fix)
		fprintf(stderr, "against printf: %zu %%.9g and %zu %%.*f differ\n", bad_sig, bad_fix);
	CHECK("300000 random floats and doubles: the digits of %.9g, %.4g, %.6g, "
	      "%.15g", bad_sig == 0);
	CHECK("300000 random doubles and 200000 near and exact halves: the "
	      "digits of %.6f / %.9f", bad_fix == 0);
}

static void units(void)
{
	tfr_quantity q;
	CHECK("2048 samples", tfr_parse_time("2048", TFR_UNIT_SAMPLES, &q) == TFR_OK &&
	      q.value == 2048 && q.unit == TFR_UNIT_SAMPLES);
	CHECK("20.5 samples refused", tfr_parse_time("20.5", TFR_UNIT_SAMPLES, &q) != TFR_OK);
	CHECK("46.4ms", tfr_parse_time("46.4ms", TFR_UNIT_SAMPLES, &q) == TFR_OK &&
	      q.unit == TFR_UNIT_SECONDS && fabs(q.value - 0.0464) < 1e-15);
	CHECK("0.5s", tfr_parse_time("0.5s", TFR_UNIT_SAMPLES, &q) == TFR_OK && q.value == 0.5);
	CHECK("1.5 seconds", tfr_parse_time("1.5", TFR_UNIT_SECONDS, &q) == TFR_OK &&
	      q.unit == TFR_UNIT_SECONDS && q.value == 1.5);
	CHECK("10xs refused", tfr_parse_time("10xs", TFR_UNIT_SAMPLES, &q) != TFR_OK);
	CHECK("' 10ms' refused", tfr_parse_time(" 10ms", TFR_UNIT_SAMPLES, &q) != TFR_OK);
	CHECK("20k", tfr_parse_freq("20k", &q) == TFR_OK && q.value == 20000 && q.unit == TFR_UNIT_HZ);
	CHECK("2kHz", tfr_parse_freq("2kHz", &q) == TFR_OK && q.value == 2000);
	CHECK("440hz", tfr_parse_freq("440hz", &q) == TFR_OK && q.value == 440);
	CHECK("440", tfr_parse_freq("440", &q) == TFR_OK && q.value == 440 && q.unit == TFR_UNIT_HZ);
	CHECK("0.45fs", tfr_parse_freq("0.45fs", &q) == TFR_OK && q.value == 0.45 &&
	      q.unit == TFR_UNIT_FS && tfr_quantity_hz(q, 44100) == 0.45 * 44100);
	CHECK("5MHz refused", tfr_parse_freq("5MHz", &q) != TFR_OK);
	CHECK("-90", tfr_parse_level("-90", 0, &q) == TFR_OK && q.value == -90);
	CHECK("-90dB", tfr_parse_level("-90dB", 0, &q) == TFR_OK && q.value == -90);
	CHECK("-90dBFS", tfr_parse_level("-90dBFS", 0, &q) == TFR_OK && q.value == -90);
	CHECK("-inf only when allowed", tfr_parse_level("-inf", 0, &q) != TFR_OK &&
	      tfr_parse_level("-inf", 1, &q) == TFR_OK && isinf(q.value));
	long long v;
	CHECK("int", tfr_parse_int("-12", -100, 100, &v) == TFR_OK && v == -12);
	CHECK("int blank refused", tfr_parse_int(" 128", 0, 1000, &v) == TFR_EFORMAT);
	CHECK("int trailing refused", tfr_parse_int("128 ", 0, 1000, &v) == TFR_EFORMAT);
	CHECK("int range", tfr_parse_int("1001", 0, 1000, &v) == TFR_ERANGE);
	CHECK("int overflow", tfr_parse_int("99999999999999999999", 0, 1000, &v) == TFR_ERANGE);
	CHECK("seconds of samples", tfr_quantity_seconds((tfr_quantity){ 22050, TFR_UNIT_SAMPLES },
	                                                 44100) == 0.5);
	CHECK("samples of seconds", tfr_quantity_samples((tfr_quantity){ 0.5, TFR_UNIT_SECONDS },
	                                                 44100) == 22050);
}

int main(void)
{
	formatting();
	parsing();
	parsing_against_strtod();
	against_printf();
	units();
	/* The same under a comma-decimal locale, when the system has one. */
	if (setlocale(LC_ALL, "de_DE.UTF-8")) {
		formatting();
		parsing();
		units();
	} else {
		printf("de_DE.UTF-8 locale not installed: locale pass skipped\n");
	}
	return test_finish("test_number");
}
