/*
 * test_stream.c - the tfr stream format: number formatting round trips
 * (every float through 9 significant digits, times and frequencies
 * through their fixed decimals), independence from LC_NUMERIC, the point
 * writer and reader, and the reader's error messages with line numbers.
 */
#include "testutil.h"
#include "tfr.h"

#include <locale.h>
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
		{ 0, 9, "0.000000000" }, { 0.5, 6, "0.500000" }, { -1.25, 1, "-1.3" },
		{ 3600.123456789, 9, "3600.123456789" }, { -0.0000001, 6, "0.000000" },
		{ 2153.3203125, 6, "2153.320313" }, { 42, 0, "42" },
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

static void parsing(void)
{
	double v;
	const char *bad[] = { "", "nan", "inf", "-inf", "0x10", " 1", "1 ", "1,5", "abc", "1e", "--1", "1e999" };
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		CHECK(bad[i], tfr_parse_double(bad[i], &v) != TFR_OK);
	CHECK("1.5", tfr_parse_double("1.5", &v) == TFR_OK && v == 1.5);
	CHECK(".5", tfr_parse_double(".5", &v) == TFR_OK && v == 0.5);
	CHECK("-2e-3", tfr_parse_double("-2e-3", &v) == TFR_OK && v == -2e-3);
	CHECK("long", tfr_parse_double("0.12345678901234567890123", &v) == TFR_OK &&
	              v == 0.12345678901234567890123);
}

static const char *write_points(FILE *fp)
{
	tfr_meta *m = tfr_meta_new();
	tfr_meta_set_double(m, "sample_rate", 44100);
	tfr_meta_set(m, "source", "a.wav");
	tfr_meta_add(m, "history", "tfr-reassign a.wav");
	tfr_text_writer *w = tfr_text_writer_new(fp, NULL);
	CHECK("header", tfr_points_write_header(w, m) == TFR_OK);
	tfr_point p[2] = {
		{ 3, 100, 0.034829932123, 2153.3203125, 0.999999881f, -1.5e-8f, 2.6e-5f },
		{ 4, 7, 1234.5, 0.0, 1e-6f, 3.14159f, 1.0f },
	};
	CHECK("write", tfr_points_write(w, p, 2) == TFR_OK);
	tfr_text_write_comment(w, "source_frames", "44100");
	CHECK("writer close", tfr_text_writer_free(w) == TFR_OK);
	tfr_meta_free(m);
	return NULL;
}

static void points_round_trip(void)
{
	FILE *fp = tmpfile();
	write_points(fp);
	rewind(fp);
	tfr_text_reader *r = tfr_text_reader_new(fp, "mem", NULL);
	CHECK("read header", tfr_points_read_header(r) == TFR_OK);
	const tfr_meta *m = tfr_text_reader_meta(r);
	CHECK("meta source", !strcmp(tfr_meta_get(m, "source"), "a.wav"));
	CHECK("meta history", !strcmp(tfr_meta_get(m, "history"), "tfr-reassign a.wav"));
	tfr_point q;
	CHECK("record 1", tfr_points_read(r, &q) == 1);
	CHECK("frame/bin", q.frame == 3 && q.bin == 100);
	CHECK_NEAR("time to 1 ns", q.time, 0.034829932123, 0.5e-9);
	CHECK_NEAR("freq to 1 uHz", q.freq, 2153.3203125, 0.5001e-6);
	CHECK("amp exact", q.amp == 0.999999881f);
	CHECK("phase exact", q.phase == -1.5e-8f);
	CHECK("mixed exact", q.mixed == 2.6e-5f);
	CHECK("record 2", tfr_points_read(r, &q) == 1 && q.bin == 7 && q.phase == 3.14159f);
	CHECK("end", tfr_points_read(r, &q) == 0);
	CHECK("trailer in meta", !strcmp(tfr_meta_get(tfr_text_reader_meta(r), "source_frames"), "44100"));
	tfr_text_reader_free(r);
	fclose(fp);
}

/* Parse text and return the reader's error (or "" when all is fine). */
static const char *read_text(const char *text)
{
	static char err[512];
	FILE *fp = tmpfile();
	fputs(text, fp);
	rewind(fp);
	tfr_text_reader *r = tfr_text_reader_new(fp, "in", NULL);
	int e = tfr_points_read_header(r);
	tfr_point q;
	while (e == TFR_OK && (e = tfr_points_read(r, &q)) == 1)
		e = TFR_OK;
	snprintf(err, sizeof err, "%s", e < 0 ? tfr_text_reader_error(r) : "");
	tfr_text_reader_free(r);
	fclose(fp);
	return err;
}

#define HDR "#tfr points 1\n# sample_rate=44100\n# columns=frame\tbin\ttime\tfreq\tamp\tphase\tmixed\n"

static void expect_error(const char *text, const char *want)
{
	const char *got = read_text(text);
	if (strcmp(got, want))
		fprintf(stderr, "reader error '%s', expected '%s'\n", got, want);
	CHECK("reader error message", !strcmp(got, want));
}

static void reader_errors(void)
{
	expect_error(HDR "1\t2\t0.5\t100\t0.1\t0\t0\n", "");
	expect_error("", "in: empty input (expected a tfr points stream)");
	expect_error("hello\n", "in:1: not a tfr stream (expected a first line '#tfr points VERSION')");
	expect_error("#tfr peaks 1\n", "in:1: expected a 'points' stream, got 'peaks'");
	expect_error("#tfr points 2\n", "in:1: unsupported points stream version 2");
	expect_error("#tfr points 1\n# sample_rate=44100\n1\t2\n", "in:3: header has no '# columns=' line");
	expect_error("#tfr points 1\n# columns=frame\tbin\ttime\tfreq\tamp\tphase\tmixed\n",
	             "in:2: header: sample_rate missing or not in (0, 1e7]");
	expect_error("#tfr points 1\n# sample_rate=-5\n# columns=frame\tbin\ttime\tfreq\tamp\tphase\tmixed\n",
	             "in:3: header: sample_rate missing or not in (0, 1e7]");
	expect_error("#tfr points 1\n# sample_rate=44100\n# columns=frame\tbin\ttime\tfreq\tamp\tphase\n",
	             "in:3: missing column 'mixed'");
	expect_error(HDR "1\t2\t0.5\n", "in:4: expected 7 fields, got 3");
	expect_error(HDR "1\t2\t0.5\t100\t0.1\t0\t0\t9\n", "in:4: expected 7 fields, got 8");
	expect_error(HDR "1\t2\tabc\t100\t0.1\t0\t0\n", "in:4: time: 'abc' is not a finite number");
	expect_error(HDR "1\t2\t0.5\tnan\t0.1\t0\t0\n", "in:4: freq: 'nan' is not a finite number");
	expect_error(HDR "1\t2\t0,5\t100\t0.1\t0\t0\n", "in:4: time: '0,5' is not a finite number");
	expect_error(HDR "1.5\t2\t0.5\t100\t0.1\t0\t0\n", "in:4: frame: not a non-negative integer");
	expect_error(HDR "1\t-2\t0.5\t100\t0.1\t0\t0\n", "in:4: bin: not a non-negative integer");
	expect_error(HDR "1\t2\t0.5\t100\t-0.1\t0\t0\n", "in:4: amp: negative amplitude");
	expect_error(HDR "# a comment\n\n1\t2\t0.5\t100\t0.1\t0\t0\n1\t2\t0.5\t100\t0.1\t0\n",
	             "in:7: expected 7 fields, got 6");
}

int main(void)
{
	formatting();
	parsing();
	points_round_trip();
	reader_errors();
	/* The same under a comma-decimal locale, when the system has one. */
	if (setlocale(LC_ALL, "de_DE.UTF-8")) {
		formatting();
		parsing();
		points_round_trip();
		reader_errors();
	} else {
		printf("de_DE.UTF-8 locale not installed: locale pass skipped\n");
	}
	return test_finish("test_stream");
}
