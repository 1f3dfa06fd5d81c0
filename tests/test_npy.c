/*
 * test_npy.c - the .npy writer (tfr_npy.h) against the format's
 * definition (numpy/lib/format.py, version 1.0): magic and version, a
 * little-endian header length, the dict literal, padding to a 64-byte
 * boundary ending in a newline, then the data little-endian in C order;
 * read back by hand, for 1 to 3 dimensions and both element types.
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

int main(void)
{
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
