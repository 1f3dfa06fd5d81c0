/*
 * test_stream.c - the record-stream layer (tfr_stream.h): a round trip of
 * every kind through the generic writer and reader (every value back
 * within its format's precision, metadata and trailers kept), frames read
 * one at a time, column lookup for generic consumers, a bad value in
 * every column with its message and line, the order rule, hostile text
 * (long lines, NUL, CRLF, decimal commas, wrong kind or version), and the
 * same under a comma-decimal locale.
 */
#include "testutil.h"
#include "tfr.h"

#include <float.h>
#include <locale.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

static tfr_meta *meta(void)
{
	tfr_meta *m = tfr_meta_new();
	tfr_meta_set_double(m, "sample_rate", 44100);
	tfr_meta_set(m, "source", "a.wav");
	tfr_meta_add(m, "history", "tfr-reassign a.wav");
	return m;
}

/* Write n records of kind s with a trailer; the stream's text. */
static FILE *write_stream(const tfr_schema *s, const void *rec, size_t n)
{
	FILE *fp = tmpfile();
	tfr_meta *m = meta();
	tfr_diag d;
	tfr_stream_writer *w = tfr_stream_writer_new(fp, s, m, &d);
	CHECK("writer", w != NULL);
	CHECK("write", tfr_stream_write(w, rec, n) == TFR_OK);
	CHECK("trailer", tfr_stream_write_trailer(w, "source_frames", "44100") == TFR_OK);
	CHECK("close", tfr_stream_writer_close(w) == TFR_OK);
	tfr_meta_free(m);
	rewind(fp);
	return fp;
}

static tfr_stream_reader *open_stream(FILE *fp, const tfr_schema *s)
{
	tfr_diag d;
	tfr_stream_reader *r = tfr_stream_reader_new(fp, "mem", &d);
	int e = tfr_stream_read_header(r, s);
	if (!CHECK("read header", e == TFR_OK))
		fprintf(stderr, "%s\n", tfr_stream_reader_diag(r)->text);
	return r;
}

static void points_round_trip(void)
{
	tfr_point p[2] = {
		{ 3, 100, 0.034829932123, 2153.3203125, 0.999999881f, -1.5e-8f, 2.6e-5f },
		{ 4, 7, 1234.5, -0.25, 1e-6f, 3.14159f, 1.0f },
	};
	FILE *fp = write_stream(&tfr_points_schema, p, 2);
	char first[64];
	CHECK("kind line", fgets(first, sizeof first, fp) && !strcmp(first, "#tfr points 1\n"));
	rewind(fp);
	tfr_stream_reader *r = open_stream(fp, &tfr_points_schema);
	const tfr_meta *m = tfr_stream_reader_meta(r);
	CHECK("meta source", !strcmp(tfr_meta_get(m, "source"), "a.wav"));
	CHECK("meta history", !strcmp(tfr_meta_get(m, "history"), "tfr-reassign a.wav"));
	tfr_point q;
	CHECK("record 1", tfr_stream_read(r, &q) == 1);
	CHECK("frame/bin", q.frame == 3 && q.bin == 100);
	CHECK_NEAR("time to 1 ns", q.time, 0.034829932123, 0.5e-9);
	CHECK_NEAR("freq to 1 uHz", q.freq, 2153.3203125, 0.5001e-6);
	/* float columns carry the digits their use needs (tfr(5)): amp 6
	 * significant (half a unit of the 6th: 5e-6 relative), mixed 4 */
	CHECK_NEAR("amp to 6 digits", q.amp, 0.999999881f, 5e-6);
	CHECK("amp as written", q.amp == 1.0f);
	CHECK("phase exact", q.phase == -1.5e-8f);
	CHECK("mixed exact", q.mixed == 2.6e-5f);
	CHECK("record 2", tfr_stream_read(r, &q) == 1 && q.bin == 7 && q.phase == 3.14159f &&
	                  q.freq == -0.25);
	CHECK("end", tfr_stream_read(r, &q) == 0);
	CHECK("trailer in meta", !strcmp(tfr_meta_get(m, "source_frames"), "44100"));
	tfr_stream_reader_free(r);
	fclose(fp);
}

static void peaks_round_trip(void)
{
	tfr_peak p[3] = {
		{ 0, -0.001, 219.987654321, 0.29292f, -3.1415f, 0.0f, 0.001f, 0 },
		{ 0, 0.002, 440.5, 0.146f, 1.0f, 0.25f, -0.02f, 0 },
		{ 1, 0.0116, 6000.000001, 0.5f, 0.0f, 1.0f, 0.999f, 1 },
	};
	FILE *fp = write_stream(&tfr_peaks_schema, p, 3);
	tfr_stream_reader *r = open_stream(fp, &tfr_peaks_schema);
	const void *recs;
	size_t n;
	CHECK("frame 0", tfr_stream_read_frame(r, &recs, &n) == 1 && n == 2);
	const tfr_peak *q = recs;
	CHECK("peak 0", q[0].frame == 0 && q[0].amp == 0.29292f && q[0].phase == -3.1415f &&
	                fabs(q[0].freq - 219.987654321) < 0.5e-6 && q[0].time == -0.001);
	CHECK("peak 1", q[1].bandwidth == 0.25f && q[1].mixed == -0.02f && q[1].impulse == 0);
	CHECK("frame 1", tfr_stream_read_frame(r, &recs, &n) == 1 && n == 1);
	q = recs;
	CHECK("impulse kept", q[0].impulse == 1 && q[0].bandwidth == 1.0f &&
	                      q[0].freq == 6000.000001);
	CHECK("no more frames", tfr_stream_read_frame(r, &recs, &n) == 0 && n == 0);
	tfr_stream_reader_free(r);
	fclose(fp);
}

static void partials_round_trip(void)
{
	tfr_breakpoint b[3] = {
		{ 0, 0.012335, 222.7622, 0.129493f, 2.5f, 0.0f, 0 },
		{ 1, 0.012335, 445.5, 0.05f, -1.0f, 0.5f, 1 },
		{ 0, 0.015433, 221.9757, 0.203827f, 0.1f, 0.0f, 1 },
	};
	FILE *fp = write_stream(&tfr_partials_schema, b, 3);
	tfr_stream_reader *r = open_stream(fp, &tfr_partials_schema);
	tfr_breakpoint q;
	for (int i = 0; i < 3; i++) {
		CHECK("breakpoint", tfr_stream_read(r, &q) == 1);
		CHECK("partial, end, floats exact", q.partial == b[i].partial && q.end == b[i].end &&
		      q.amp == b[i].amp && q.phase == b[i].phase && q.bandwidth == b[i].bandwidth);
		CHECK_NEAR("time", q.time, b[i].time, 0.5e-9);
		CHECK_NEAR("freq", q.freq, b[i].freq, 0.5e-6);
	}
	CHECK("end", tfr_stream_read(r, &q) == 0);
	const void *recs;
	size_t n;
	CHECK("partials have no frames", tfr_stream_read_frame(r, &recs, &n) == TFR_EINVAL);
	tfr_stream_reader_free(r);
	fclose(fp);
}

/* Any stream through the generic reader: kind, columns by name, values;
 * an unknown kind read generically. */
static void generic(void)
{
	const char *text = "#tfr mykind 3\n# sample_rate=8000\n# columns=t\tf\tlevel\n"
	                   "0.5\t100\t-3\n0.6\t200\t-4\n";
	FILE *fp = fmemopen((void *)text, strlen(text), "r");
	tfr_diag d;
	tfr_stream_reader *r = tfr_stream_reader_new(fp, "g", &d);
	CHECK("any kind", tfr_stream_read_header(r, NULL) == TFR_OK);
	CHECK("unknown kind: no schema", tfr_stream_reader_schema(r) == NULL &&
	      !strcmp(tfr_stream_reader_kind(r), "mykind") && tfr_stream_reader_version(r) == 3);
	CHECK("columns by name", tfr_stream_reader_find(r, "f") == 1 &&
	      tfr_stream_reader_find(r, "amp") == -1 && tfr_stream_reader_ncolumns(r) == 3);
	double v[3];
	CHECK("values", tfr_stream_read_values(r, v) == 1 && v[0] == 0.5 && v[2] == -3);
	CHECK("values 2", tfr_stream_read_values(r, v) == 1 && v[1] == 200);
	CHECK("end", tfr_stream_read_values(r, v) == 0);
	tfr_stream_reader_free(r);
	fclose(fp);
	/* a known kind through the generic path is still checked */
	tfr_point p = { 1, 2, 0.5, 100, 0.1f, 0, 0 };
	fp = write_stream(&tfr_points_schema, &p, 1);
	r = tfr_stream_reader_new(fp, "g", &d);
	CHECK("known kind found", tfr_stream_read_header(r, NULL) == TFR_OK &&
	      tfr_stream_reader_schema(r) == &tfr_points_schema);
	double w[7];
	CHECK("points as values", tfr_stream_read_values(r, w) == 1 && w[3] == 100);
	tfr_stream_reader_free(r);
	fclose(fp);
	CHECK("schema lookup", tfr_schema_find("partials") == &tfr_partials_schema &&
	      !tfr_schema_find("nope") && tfr_schema_column(&tfr_peaks_schema, "bandwidth") == 5);
}

/* Read text as kind s to the end: "" or the reader's message. */
static const char *read_text(const char *text, const tfr_schema *s)
{
	static char err[512];
	FILE *fp = tmpfile();
	fwrite(text, 1, strlen(text), fp);
	rewind(fp);
	tfr_diag d;
	tfr_stream_reader *r = tfr_stream_reader_new(fp, "in", &d);
	int e = tfr_stream_read_header(r, s);
	char rec[128];
	while (e == TFR_OK && (e = tfr_stream_read(r, rec)) == 1)
		e = TFR_OK;
	err[0] = 0;
	if (e < 0)
		tfr_diag_format(tfr_stream_reader_diag(r), "in", err, sizeof err);
	tfr_stream_reader_free(r);
	fclose(fp);
	return err;
}

static void expect_error(const char *text, const tfr_schema *s, const char *want)
{
	const char *got = read_text(text, s);
	if (strcmp(got, want))
		fprintf(stderr, "reader error '%s', expected '%s'\n", got, want);
	CHECK("reader error message", !strcmp(got, want));
}

#define HDR "#tfr points 1\n# sample_rate=44100\n# columns=frame\tbin\ttime\tfreq\tamp\tphase\tmixed\n"

static void reader_errors(void)
{
	const tfr_schema *P = &tfr_points_schema;
	expect_error(HDR "1\t2\t0.5\t100\t0.1\t0\t0\n", P, "");
	expect_error(HDR "1\t2\t0.5\t100\t0.1\t0\t0\r\n2\t2\t0.5\t100\t0.1\t0\t0\r\n", P, "");
	/* what awk writes back (spaces), runs of blanks, blanks at the ends */
	expect_error(HDR "1 2 0.5 100 0.1 0 0\n  2\t 2  0.5\t\t100 0.1 0 0 \t\n", P, "");
	expect_error("", P, "in: empty input (expected a tfr points stream)");
	expect_error("hello\n", P, "in:1: not a tfr stream (expected a first line '#tfr points VERSION')");
	expect_error("#tfr peaks 1\n", P, "in:1: expected a 'points' stream, got 'peaks'");
	expect_error("#tfr points 2\n", P, "in:1: unsupported points stream version 2");
	expect_error("#tfr points 1\n# sample_rate=44100\n1\t2\n", P, "in:3: header has no '# columns=' line");
	expect_error("#tfr points 1\n# columns=frame\tbin\ttime\tfreq\tamp\tphase\tmixed\n", P,
	             "in:2: header: sample_rate missing or not in (0, 10000000]");
	expect_error("#tfr points 1\n# sample_rate=-5\n# columns=frame\tbin\ttime\tfreq\tamp\tphase\tmixed\n",
	             P, "in:3: header: sample_rate missing or not in (0, 10000000]");
	expect_error("#tfr points 1\n# sample_rate=44100\n# columns=frame\tbin\ttime\tfreq\tamp\tphase\n",
	             P, "in:3: missing column 'mixed'");
	expect_error("#tfr points 1\n# sample_rate=44100\n# columns=frame\tbin\ttime\tf\tamp\tphase\tmixed\n",
	             P, "in:3: expected column 'freq', got 'f'");
	expect_error(HDR "1\t2\t0.5\n", P, "in:4: expected 7 fields, got 3");
	expect_error(HDR "1\t2\t0.5\t100\t0.1\t0\t0\t9\n", P, "in:4: expected 7 fields, got 8");
	expect_error(HDR "1\t2\tabc\t100\t0.1\t0\t0\n", P, "in:4: time: 'abc' is not a finite number");
	expect_error(HDR "1\t2\t0.5\tnan\t0.1\t0\t0\n", P, "in:4: freq: 'nan' is not a finite number");
	expect_error(HDR "1\t2\t0.5\tinf\t0.1\t0\t0\n", P, "in:4: freq: 'inf' is not a finite number");
	expect_error(HDR "1\t2\t0,5\t100\t0.1\t0\t0\n", P, "in:4: time: '0,5' is not a finite number");
	/* fields are split on runs of blanks, as awk splits them: an
	 * empty field is a missing one */
	expect_error(HDR "1\t2\t\t100\t0.1\t0\t0\n", P, "in:4: expected 7 fields, got 6");
	expect_error(HDR "1 2  0.5x 100\t0.1\t0\t0\n", P, "in:4: time: '0.5x' is not a finite number");
	expect_error(HDR "# a comment\n\n1\t2\t0.5\t100\t0.1\t0\t0\n1\t2\t0.5\t100\t0.1\t0\n", P,
	             "in:7: expected 7 fields, got 6");
	/* the order column */
	expect_error(HDR "5\t2\t0.5\t100\t0.1\t0\t0\n3\t2\t0.5\t100\t0.1\t0\t0\n", P,
	             "in:5: frame goes back from 5 to 3 (a points stream is in order of frame)");
	/* hostile lines */
	char *big = malloc(TFR_STREAM_MAX_LINE + 200);
	strcpy(big, HDR);
	size_t h = strlen(big);
	memset(big + h, '1', TFR_STREAM_MAX_LINE + 50);
	strcpy(big + h + TFR_STREAM_MAX_LINE + 50, "\n");
	expect_error(big, P, "in:4: line longer than 65536 bytes");
	free(big);
	const char nul[] = HDR "1\t2\t0.5\t1\0" "00\t0.1\t0\t0\n";
	FILE *fp = tmpfile();
	fwrite(nul, 1, sizeof nul - 1, fp);
	rewind(fp);
	tfr_diag d;
	tfr_stream_reader *r = tfr_stream_reader_new(fp, "in", &d);
	tfr_point q;
	int e = tfr_stream_read_header(r, P);
	if (e == TFR_OK)
		e = tfr_stream_read(r, &q);
	CHECK("NUL in text", e == TFR_EFORMAT && tfr_stream_reader_diag(r)->line == 4 &&
	      !strcmp(tfr_stream_reader_diag(r)->text, "NUL byte in text"));
	tfr_stream_reader_free(r);
	fclose(fp);
	/* empty lines are ignored in the header too (one ended the header,
	 * and the metadata after it became trailers) */
	expect_error("#tfr points 1\n\n# sample_rate=44100\n\n"
	             "# columns=frame\tbin\ttime\tfreq\tamp\tphase\tmixed\n\n"
	             "1\t2\t0.5\t100\t0.1\t0\t0\n", P, "");
	/* a trailer never makes the metadata what the header refuses
	 * (fuzz_stream: a rate that was no number after the records) */
	expect_error(HDR "1\t2\t0.5\t100\t0.1\t0\t0\n# sample_rate=\n", P,
	             "in:5: trailer: sample_rate not in (0, 10000000]");
	expect_error(HDR "1\t2\t0.5\t100\t0.1\t0\t0\n# sample_rate=0\n", P,
	             "in:5: trailer: sample_rate not in (0, 10000000]");
	expect_error(HDR "1\t2\t0.5\t100\t0.1\t0\t0\n# sample_rate=48000\n", P, "");
}

/* One value out of its column's range, in every column of every kind. */
static void every_column(void)
{
	const tfr_schema *kinds[] = { &tfr_points_schema, &tfr_peaks_schema,
	                              &tfr_partials_schema };
	for (size_t k = 0; k < 3; k++) {
		const tfr_schema *s = kinds[k];
		char head[256], good[256];
		int n = snprintf(head, sizeof head, "#tfr %s 1\n# sample_rate=44100\n# columns=", s->kind);
		for (size_t i = 0; i < s->ncolumns; i++)
			n += snprintf(head + n, sizeof head - (size_t)n, "%s%s", s->columns[i].name,
			              i + 1 < s->ncolumns ? "\t" : "\n");
		/* a valid record: each column's minimum, clamped to something plain */
		for (size_t c = 0; c < s->ncolumns; c++) {
			char text[1024], want[256];
			size_t m = (size_t)snprintf(text, sizeof text, "%s", head);
			for (size_t i = 0; i < s->ncolumns; i++) {
				const tfr_column *col = &s->columns[i];
				double v = col->min > 0 ? col->min : col->max < 0 ? col->max : 0;
				if (i == c)
					v = col->max >= 1e30 ? 1e300 : col->max + 1;
				m += (size_t)snprintf(text + m, sizeof text - m, "%.17g%s", v,
				                      i + 1 < s->ncolumns ? "\t" : "\n");
			}
			const tfr_column *col = &s->columns[c];
			double bad = col->max >= 1e30 ? 1e300 : col->max + 1;
			int whole = col->storage == TFR_COL_I64 || col->storage == TFR_COL_I32;
			snprintf(want, sizeof want, whole ? "in:4: %s: %.17g is outside [%.0f, %.0f]"
			                                  : "in:4: %s: %.17g is outside [%.10g, %.10g]",
			         col->name, bad, col->min, col->max);
			expect_error(text, s, want);
		}
		(void)good;
	}
	/* below the minimum, and not whole */
	expect_error(HDR "1\t-2\t0.5\t100\t0.1\t0\t0\n", &tfr_points_schema,
	             "in:4: bin: -2 is outside [0, 2147483647]");
	expect_error(HDR "1.5\t2\t0.5\t100\t0.1\t0\t0\n", &tfr_points_schema,
	             "in:4: frame: 1.5 is not a whole number");
	expect_error(HDR "1\t2\t0.5\t100\t-0.1\t0\t0\n", &tfr_points_schema,
	             "in:4: amp: -0.10000000000000001 is outside [0, 3.40282347e+38]");
}

int main(void)
{
	points_round_trip();
	peaks_round_trip();
	partials_round_trip();
	generic();
	reader_errors();
	every_column();
	/* The same under a comma-decimal locale, when the system has one. */
	if (setlocale(LC_ALL, "de_DE.UTF-8")) {
		points_round_trip();
		peaks_round_trip();
		partials_round_trip();
		reader_errors();
	} else {
		printf("de_DE.UTF-8 locale not installed: locale pass skipped\n");
	}
	return test_finish("test_stream");
}
