/* npy_io.c - NumPy .npy format 1.0 writer; see tfr_npy.h. */
#include "tfr_base.h"
#include "tfr_npy.h"

#include <stdlib.h>
#include <string.h>

int tfr_npy_write_header(FILE *f, tfr_npy_type type, int ndim,
                         const size_t *shape)
{
	char dict[512];
	if (!f || ndim < 1 || ndim > 8 || !shape)
		return TFR_EINVAL;
	int len = snprintf(dict, sizeof dict,
	                   "{'descr': '%s', 'fortran_order': False, "
	                   "'shape': (", type == TFR_NPY_F32 ? "<f4" : "<u4");
	for (int i = 0; i < ndim; i++)
		len += snprintf(dict + len, sizeof dict - (size_t)len,
		                i + 1 < ndim || ndim > 1 ? "%zu, " : "%zu,",
		                shape[i]);
	if (ndim > 1)
		len -= 2;  /* "(a, b)" rather than "(a, b, )" */
	len += snprintf(dict + len, sizeof dict - (size_t)len, "), }");
	/* 10 bytes of preamble + dict + padding + '\n' = multiple of 64 */
	size_t total = 10 + (size_t)len + 1;
	size_t pad = (64 - total % 64) % 64;
	size_t hlen = (size_t)len + pad + 1;
	unsigned char pre[10] = {0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0,
	                         (unsigned char)(hlen & 0xff),
	                         (unsigned char)(hlen >> 8)};
	if (fwrite(pre, 1, 10, f) != 10 ||
	    fwrite(dict, 1, (size_t)len, f) != (size_t)len)
		return TFR_EIO;
	for (size_t i = 0; i < pad; i++)
		if (fputc(' ', f) == EOF)
			return TFR_EIO;
	return fputc('\n', f) == EOF ? TFR_EIO : TFR_OK;
}

static int host_is_le(void)
{
	const uint16_t one = 1;
	unsigned char b;
	memcpy(&b, &one, 1);
	return b == 1;
}

/* 4-byte elements, swapped to little-endian on a big-endian host. */
static int write4(FILE *f, const void *x, size_t n)
{
	if (host_is_le())
		return fwrite(x, 4, n, f) == n ? TFR_OK : TFR_EIO;
	const unsigned char *p = x;
	for (size_t i = 0; i < n; i++) {
		unsigned char b[4] = {p[4 * i + 3], p[4 * i + 2],
		                      p[4 * i + 1], p[4 * i]};
		if (fwrite(b, 1, 4, f) != 4)
			return TFR_EIO;
	}
	return TFR_OK;
}

int tfr_npy_write_f32(FILE *f, const float *x, size_t n)
{
	return write4(f, x, n);
}

int tfr_npy_write_u32(FILE *f, const uint32_t *x, size_t n)
{
	return write4(f, x, n);
}

int tfr_npy_write_matrices(FILE *f, tfr_npy_type type, const void *const *mats,
                           size_t nmat, size_t rows, size_t cols,
                           int transpose)
{
	size_t shape[3];
	int nd = 0;
	if (nmat < 1 || !mats)
		return TFR_EINVAL;
	if (nmat > 1)
		shape[nd++] = nmat;
	shape[nd++] = transpose ? cols : rows;
	shape[nd++] = transpose ? rows : cols;
	int e = tfr_npy_write_header(f, type, nd, shape);
	if (e != TFR_OK || !transpose) {
		for (size_t i = 0; i < nmat && e == TFR_OK; i++)
			e = write4(f, mats[i], rows * cols);
		return e;
	}
	/* a column of the matrix is a row of the transposed one */
	uint32_t *col = malloc((rows ? rows : 1) * sizeof *col);
	if (!col)
		return TFR_ENOMEM;
	for (size_t i = 0; i < nmat && e == TFR_OK; i++) {
		const uint32_t *m = mats[i];  /* both types are 4 bytes */
		for (size_t j = 0; j < cols && e == TFR_OK; j++) {
			for (size_t k = 0; k < rows; k++)
				col[k] = m[k * cols + j];
			e = write4(f, col, rows);
		}
	}
	free(col);
	return e;
}
