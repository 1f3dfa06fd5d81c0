/*
 * fuzz_stream.c - the tfr stream reader (tfr_stream.h) on any bytes.
 *
 * The first byte chooses what the caller expects and how it reads: bits
 * 0-1 the schema (any stream, points, peaks, partials), bits 2-3 the call
 * (records, frames, values, or records and values in turn). The rest is
 * the stream's text. Checked beyond "no crash, no leak":
 *  - every record handed out has each column within the column's range
 *    and whole where the column is an integer (the reader must never hand
 *    out a value its schema refuses, such as an inf from a float column);
 *  - a frame's records share their frame number, and a frame is never
 *    longer than TFR_STREAM_MAX_FRAME;
 *  - the order column never goes back;
 *  - a failure carries a code and a line;
 *  - what was read, written again by the stream writer (header, records,
 *    metadata), reads back: the same records, float and integer fields
 *    bit for bit, fixed-point fields within their written precision.
 */
#include "fuzz_util.h"

#include "tfr.h"

#include <math.h>
#include <string.h>

enum { MAX_KEEP = 4096 };

/* A column of a record as a double. */
static double column_value(const tfr_column *c, const char *rec)
{
	const char *f = rec + c->offset;
	switch (c->storage) {
	case TFR_COL_I64: {
		int64_t v;
		memcpy(&v, f, sizeof v);
		return (double)v;
	}
	case TFR_COL_I32: {
		int32_t v;
		memcpy(&v, f, sizeof v);
		return v;
	}
	case TFR_COL_F64: {
		double v;
		memcpy(&v, f, sizeof v);
		return v;
	}
	case TFR_COL_F32: {
		float v;
		memcpy(&v, f, sizeof v);
		return v;
	}
	}
	abort();
}

static void check_record(const tfr_schema *s, const char *rec)
{
	for (size_t i = 0; i < s->ncolumns; i++) {
		const tfr_column *c = &s->columns[i];
		double v = column_value(c, rec);
		if (!(isfinite(v) && v >= c->min && v <= c->max)) {
			fprintf(stderr, "column %s: %.17g outside [%g, %g]\n",
			        c->name, v, c->min, c->max);
			abort();
		}
	}
}

static void check_failure(const tfr_stream_reader *r, int e)
{
	const tfr_diag *d = tfr_stream_reader_diag(r);
	FUZZ_CHECK(e < 0);
	FUZZ_CHECK(d->code == e);
	if (e == TFR_EFORMAT)
		FUZZ_CHECK(d->line > 0 && d->text[0]);
}

/* Write the records kept back through the stream writer and read them
 * again: they must come back as they were. */
static void round_trip(const tfr_schema *s, const tfr_meta *meta,
                       const char *recs, size_t n)
{
	char *text = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&text, &len);
	FUZZ_CHECK(out);
	tfr_stream_writer *w = tfr_stream_writer_new(out, s, meta, NULL);
	FUZZ_CHECK(w);
	FUZZ_CHECK(tfr_stream_write(w, recs, n) == TFR_OK);
	FUZZ_CHECK(tfr_stream_writer_close(w) == TFR_OK);
	fclose(out);

	FILE *in = fmemopen(text, len, "r");
	FUZZ_CHECK(in);
	tfr_stream_reader *r = tfr_stream_reader_new(in, "again", NULL);
	FUZZ_CHECK(r);
	int e = tfr_stream_read_header(r, s);
	if (e != TFR_OK) {
		fprintf(stderr, "written header does not read back: %s\n",
		        tfr_stream_reader_diag(r)->text);
		abort();
	}
	char *rec = malloc(s->record_size);
	FUZZ_CHECK(rec);
	for (size_t i = 0; i < n; i++) {
		e = tfr_stream_read(r, rec);
		if (e != 1) {
			fprintf(stderr, "written record %zu does not read back: %s\n",
			        i, tfr_stream_reader_diag(r)->text);
			abort();
		}
		const char *was = recs + i * s->record_size;
		for (size_t c = 0; c < s->ncolumns; c++) {
			const tfr_column *col = &s->columns[c];
			double a = column_value(col, was), b = column_value(col, rec);
			/* FIXED columns: the decimals written, or 17 digits for
			 * values too large for them; SIG columns of fewer than 9
			 * digits (tfr(5): amp and phase 6, bandwidth and mixed 4):
			 * half a unit of the last digit, and the float's own
			 * rounding of what was read (relative, or a subnormal's
			 * step); 9 digits give every float back exactly */
			double tol = col->format == TFR_COL_FIXED
			           ? 0.51 * pow(10, -col->digits) + 1e-15 * fabs(a)
			           : col->digits < 9
			           ? (0.5 * pow(10, 1 - col->digits) + 1.2e-7) * fabs(a) + 1.5e-45
			           : 0;
			if (!(fabs(a - b) <= tol)) {
				fprintf(stderr, "record %zu column %s: %.17g came back "
				        "as %.17g\n", i, col->name, a, b);
				abort();
			}
		}
	}
	FUZZ_CHECK(tfr_stream_read(r, rec) == 0);
	free(rec);
	tfr_stream_reader_free(r);
	fclose(in);
	free(text);
}

/* Keep a copy of a record (the first MAX_KEEP) for the round trip. */
static char *keep_record(char *keep, size_t *n, size_t *cap,
                         const tfr_schema *s, const char *rec)
{
	if (*n == MAX_KEEP)
		return keep;
	if (*n == *cap) {
		*cap = *cap ? 2 * *cap : 16;
		keep = realloc(keep, *cap * s->record_size);
		FUZZ_CHECK(keep);
	}
	memcpy(keep + s->record_size * (*n)++, rec, s->record_size);
	return keep;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const tfr_schema *const schemas[] = {
		NULL, &tfr_points_schema, &tfr_peaks_schema, &tfr_partials_schema
	};
	if (size < 1)
		return 0;
	const tfr_schema *expect = schemas[data[0] & 3];
	int how = (data[0] >> 2) & 3;
	FILE *fp = fuzz_stream(data + 1, size - 1);
	if (!fp)
		return 0;
	tfr_stream_reader *r = tfr_stream_reader_new(fp, "fuzz", NULL);
	FUZZ_CHECK(r);
	int e = tfr_stream_read_header(r, expect);
	if (e != TFR_OK) {
		check_failure(r, e);
		goto done;
	}
	const tfr_schema *s = tfr_stream_reader_schema(r);
	if (expect)
		FUZZ_CHECK(s == expect);
	size_t nc = tfr_stream_reader_ncolumns(r);
	FUZZ_CHECK(nc >= 1 && (!s || nc >= s->ncolumns));
	for (size_t i = 0; i < nc; i++)
		FUZZ_CHECK(tfr_stream_reader_column(r, i) != NULL);
	double sr;
	if (s)
		FUZZ_CHECK(tfr_meta_get_double(tfr_stream_reader_meta(r),
		                               "sample_rate", &sr) == TFR_OK &&
		           sr > 0 && sr <= TFR_MAX_SAMPLE_RATE);

	double *values = malloc((nc ? nc : 1) * sizeof *values);
	char *keep = NULL;
	char *rec = s ? malloc(s->record_size) : NULL;
	size_t nkeep = 0, capkeep = 0;
	int have_order = 0;
	double last_order = 0;
	FUZZ_CHECK(values && (!s || rec));
	for (int turn = 0;; turn++) {
		int use_values = !s || how == 2 || (how == 3 && turn % 2);
		if (s && how == 1 && s->frame_column >= 0) {
			const void *recs;
			size_t n;
			e = tfr_stream_read_frame(r, &recs, &n);
			if (e <= 0)
				break;
			FUZZ_CHECK(n >= 1 && n <= TFR_STREAM_MAX_FRAME);
			const tfr_column *fc = &s->columns[s->frame_column];
			double f0 = column_value(fc, recs);
			for (size_t i = 0; i < n; i++) {
				const char *x = (const char *)recs + i * s->record_size;
				check_record(s, x);
				FUZZ_CHECK(column_value(fc, x) == f0);
				keep = keep_record(keep, &nkeep, &capkeep, s, x);
			}
			continue;
		}
		if (use_values) {
			e = tfr_stream_read_values(r, values);
			if (e <= 0)
				break;
			for (size_t i = 0; i < nc; i++)
				FUZZ_CHECK(isfinite(values[i]));
			for (size_t i = 0; s && i < s->ncolumns; i++)
				FUZZ_CHECK(values[i] >= s->columns[i].min &&
				           values[i] <= s->columns[i].max);
			continue;
		}
		e = tfr_stream_read(r, rec);
		if (e <= 0)
			break;
		check_record(s, rec);
		if (s->order_column >= 0) {
			double v = column_value(&s->columns[s->order_column], rec);
			FUZZ_CHECK(!have_order || v >= last_order);
			have_order = 1;
			last_order = v;
		}
		keep = keep_record(keep, &nkeep, &capkeep, s, rec);
	}
	if (e < 0)
		check_failure(r, e);
	else if (s && how != 2 && how != 3)
		round_trip(s, tfr_stream_reader_meta(r), keep, nkeep);
	free(values);
	free(keep);
	free(rec);
done:
	tfr_stream_reader_free(r);
	fclose(fp);
	return 0;
}
