/*
 * test_npy.c - the .npy writer (tfr_npy.h) against the format's
 * definition (numpy/lib/format.py, version 1.0): magic and version, a
 * little-endian header length, the dict literal, padding to a 64-byte
 * boundary ending in a newline, then the data little-endian in C order;
 * read back by hand, for 1 to 3 dimensions and both element types.
 * Matrices streamed a few rows at a time give the file the whole
 * writer gives, in every layout; and, their number of rows not known in
 * advance, the same data under a header made final at the end.
 */
#include "testutil.h"
#include "tfr.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static void check_file(const char *what, tfr_npy_type type, int nd,
                       const size_t *shape, const char *want_dict)
{
	FILE *fp = tmpfile();
	size_t n = 1;
	for (int i = 0; i < nd; i++)
		n *= shape[i];
	float *f = malloc(n * sizeof *f);
	uint32_t *u = malloc(n * sizeof *u);
	for (size_t i = 0; i < n; i++) {
		f[i] = (float)i * 0.5f - 3;
		u[i] = (uint32_t)(i * 1000003u);
	}
	CHECK(what, tfr_npy_write_header(fp, type, nd, shape) == TFR_OK);
	CHECK(what, (type == TFR_NPY_F32 ? tfr_npy_write_f32(fp, f, n)
	                                 : tfr_npy_write_u32(fp, u, n)) == TFR_OK);
	long size = ftell(fp);
	rewind(fp);
	unsigned char *b = malloc((size_t)size);
	CHECK(what, fread(b, 1, (size_t)size, fp) == (size_t)size);
	CHECK("magic", !memcmp(b, "\x93NUMPY\x01\x00", 8));
	size_t hlen = b[8] | (size_t)b[9] << 8, data = 10 + hlen;
	CHECK("data on a 64-byte boundary", data % 64 == 0);
	CHECK("header ends in a newline", b[data - 1] == '\n');
	char *dict = (char *)b + 10;
	size_t dl = strlen(want_dict);
	if (!CHECK(what, !strncmp(dict, want_dict, dl)))
		fprintf(stderr, "%s: dict '%.*s'\n", what, (int)dl, dict);
	for (size_t i = 10 + dl; i < data - 1; i++)
		CHECK("padded with spaces", b[i] == ' ');
	CHECK("data size", (size_t)size == data + 4 * n);
	size_t bad = 0;
	for (size_t i = 0; i < n; i++) {
		uint32_t v = (uint32_t)b[data + 4 * i] | (uint32_t)b[data + 4 * i + 1] << 8 |
		             (uint32_t)b[data + 4 * i + 2] << 16 | (uint32_t)b[data + 4 * i + 3] << 24;
		uint32_t want;
		if (type == TFR_NPY_F32)
			memcpy(&want, &f[i], 4);
		else
			want = u[i];
		bad += v != want;
	}
	CHECK("data little-endian in C order", bad == 0);
	free(b);
	free(f);
	free(u);
	fclose(fp);
}

/* The bytes of a file. */
static unsigned char *slurp(FILE *fp, long *size)
{
	fflush(fp);
	fseek(fp, 0, SEEK_END);
	*size = ftell(fp);
	rewind(fp);
	unsigned char *b = malloc((size_t)*size + 1);
	if (fread(b, 1, (size_t)*size, fp) != (size_t)*size)
		*size = -1;
	return b;
}

/* nmat matrices of 23 x 5 floats streamed in pieces of 7, 1 and the
 * rest: rows known, against tfr_npy_write_matrices. */
static void check_stream(size_t nmat, int transpose, int known)
{
	enum { R = 23, C = 5 };
	float m[3][R * C];
	const void *whole[3], *part[3];
	for (size_t i = 0; i < nmat; i++) {
		for (size_t k = 0; k < R * C; k++)
			m[i][k] = (float)(i * 1000 + k) * 0.25f;
		whole[i] = m[i];
	}
	FILE *a = tmpfile(), *b = tmpfile();
	CHECK("whole", tfr_npy_write_matrices(a, TFR_NPY_F32, whole, nmat, R, C,
	                                      transpose) == TFR_OK);
	tfr_npy_stream s;
	CHECK("stream open", tfr_npy_stream_open(&s, b, TFR_NPY_F32, nmat, known ? R : 0,
	                                         C, transpose) == TFR_OK);
	static const size_t pieces[] = { 7, 1, R - 8 };
	size_t k0 = 0;
	for (size_t p = 0; p < 3; p++) {
		for (size_t i = 0; i < nmat; i++)
			part[i] = m[i] + k0 * C;
		CHECK("stream rows", tfr_npy_stream_rows(&s, part, pieces[p]) == TFR_OK);
		k0 += pieces[p];
	}
	if (known)
		CHECK("rows beyond those announced", tfr_npy_stream_rows(&s, part, 1) == TFR_EINVAL);
	CHECK("stream close", tfr_npy_stream_close(&s) == TFR_OK);
	long na, nb;
	unsigned char *fa = slurp(a, &na), *fb = slurp(b, &nb);
	if (known) {
		CHECK("streamed = whole", na == nb && !memcmp(fa, fb, (size_t)na));
	} else {
		/* a longer header (room for any row count), the same dict
		 * and data */
		size_t ha = 10 + (fa[8] | (size_t)fa[9] << 8), hb = 10 + (fb[8] | (size_t)fb[9] << 8);
		char *nl = memchr(fa, '}', ha);
		size_t dl = nl ? (size_t)(nl - (char *)fa) + 1 : 0;
		CHECK("unknown rows: header on a 64-byte boundary", hb % 64 == 0 && hb >= ha);
		CHECK("unknown rows: the final shape", dl && !memcmp(fa, fb, 8) &&
		      !memcmp(fa + 10, fb + 10, dl - 10) && fb[hb - 1] == '\n');
		CHECK("unknown rows: the data", na - (long)ha == nb - (long)hb &&
		      !memcmp(fa + ha, fb + hb, (size_t)(na - (long)ha)));
	}
	free(fa);
	free(fb);
	fclose(a);
	fclose(b);
}

static void test_stream(void)
{
	for (int t = 0; t < 2; t++) {
		check_stream(1, t, 1);
		check_stream(3, t, 1);
	}
	check_stream(1, 0, 0);
	tfr_npy_stream s;
	FILE *fp = tmpfile();
	CHECK("unknown rows of several matrices refused",
	      tfr_npy_stream_open(&s, fp, TFR_NPY_F32, 2, 0, 5, 0) == TFR_EINVAL);
	CHECK("unknown rows transposed refused",
	      tfr_npy_stream_open(&s, fp, TFR_NPY_F32, 1, 0, 5, 1) == TFR_EINVAL);
	CHECK("open", tfr_npy_stream_open(&s, fp, TFR_NPY_U32, 1, 4, 5, 0) == TFR_OK);
	uint32_t x[20] = { 0 };
	const void *m[1] = { x };
	CHECK("rows", tfr_npy_stream_rows(&s, m, 3) == TFR_OK);
	CHECK("fewer rows than announced", tfr_npy_stream_close(&s) == TFR_EINVAL);
	fclose(fp);
}

int main(void)
{
	test_stream();
	size_t s1[] = { 5 }, s2[] = { 690, 361 }, s3[] = { 3, 4, 7 };
	check_file("1-d", TFR_NPY_F32, 1, s1,
	           "{'descr': '<f4', 'fortran_order': False, 'shape': (5,), }");
	check_file("2-d", TFR_NPY_F32, 2, s2,
	           "{'descr': '<f4', 'fortran_order': False, 'shape': (690, 361), }");
	check_file("3-d counts", TFR_NPY_U32, 3, s3,
	           "{'descr': '<u4', 'fortran_order': False, 'shape': (3, 4, 7), }");
	FILE *fp = tmpfile();
	CHECK("0 dimensions refused", tfr_npy_write_header(fp, TFR_NPY_F32, 0, s1) == TFR_EINVAL);
	fclose(fp);
	fp = fopen("/dev/full", "w");
	if (fp) {
		float x[4096] = { 0 };
		int e = tfr_npy_write_header(fp, TFR_NPY_F32, 1, s1);
		for (int i = 0; i < 64 && e == TFR_OK; i++)
			e = tfr_npy_write_f32(fp, x, 4096);
		if (e == TFR_OK)
			e = fflush(fp) == 0 ? TFR_OK : TFR_EIO;
		CHECK("a full disk is an error", e == TFR_EIO);
		fclose(fp);
	}
	return test_finish("test_npy");
}
