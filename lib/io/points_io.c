/* points_io.c - the "points" stream: tfr_point records as text lines. */
#include "tfr_base.h"
#include "tfr_number.h"
#include "tfr_points.h"

#include <math.h>
#include <string.h>

const char *const tfr_points_columns[TFR_POINTS_NCOLUMNS] = {
	"frame", "bin", "time", "freq", "amp", "phase", "mixed"
};

int tfr_points_write_header(tfr_text_writer *w, const tfr_meta *meta)
{
	return tfr_text_write_header(w, TFR_POINTS_KIND, TFR_POINTS_VERSION,
	                             meta, tfr_points_columns,
	                             TFR_POINTS_NCOLUMNS);
}

static size_t format_point(char *s, const tfr_point *p)
{
	size_t n = tfr_fmt_int(s, p->frame);
	s[n++] = '\t';
	n += tfr_fmt_int(s + n, p->bin);
	s[n++] = '\t';
	n += tfr_fmt_fixed(s + n, p->time, 9);
	s[n++] = '\t';
	n += tfr_fmt_fixed(s + n, p->freq, 6);
	s[n++] = '\t';
	n += tfr_fmt_sig(s + n, p->amp, 9);
	s[n++] = '\t';
	n += tfr_fmt_sig(s + n, p->phase, 9);
	s[n++] = '\t';
	n += tfr_fmt_sig(s + n, p->mixed, 9);
	s[n++] = '\n';
	return n;
}

int tfr_points_write(tfr_text_writer *w, const tfr_point *p, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		char *s = tfr_text_reserve(w, TFR_POINTS_LINE_MAX);
		if (!s)
			return TFR_EIO;
		tfr_text_commit(w, format_point(s, &p[i]));
	}
	return TFR_OK;
}

int tfr_points_read_header(tfr_text_reader *r)
{
	int e = tfr_text_read_header(r, TFR_POINTS_KIND, TFR_POINTS_VERSION,
	                             tfr_points_columns, TFR_POINTS_NCOLUMNS);
	if (e != TFR_OK)
		return e;
	double fs;
	const tfr_meta *m = tfr_text_reader_meta(r);
	if (tfr_meta_get_double(m, "sample_rate", &fs) != TFR_OK ||
	    !(fs > 0 && fs <= 1e7))
		return tfr_text_reader_fail(r, "header: sample_rate missing or not in (0, 1e7]");
	return TFR_OK;
}

static int whole(double v, double max)
{
	return v >= 0 && v <= max && v == floor(v);
}

int tfr_points_read(tfr_text_reader *r, tfr_point *p)
{
	double f[TFR_POINTS_NCOLUMNS];
	int e = tfr_text_read_record(r, f, TFR_POINTS_NCOLUMNS);
	if (e <= 0)
		return e;
	if (!whole(f[0], 9e15))
		return tfr_text_reader_fail(r, "frame: not a non-negative integer");
	if (!whole(f[1], 2147483647.0))
		return tfr_text_reader_fail(r, "bin: not a non-negative integer");
	if (!(f[4] >= 0))
		return tfr_text_reader_fail(r, "amp: negative amplitude");
	p->frame = (int64_t)f[0];
	p->bin = (int32_t)f[1];
	p->time = f[2];
	p->freq = f[3];
	p->amp = (float)f[4];
	p->phase = (float)f[5];
	p->mixed = (float)f[6];
	return 1;
}
