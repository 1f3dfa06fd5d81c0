/* npy_io.c - NumPy .npy format 1.0 writer; see tfr_npy.h. */
#include "tfr_base.h"
#include "tfr_npy.h"

#include <stdlib.h>
#include <string.h>
#include <sys/types.h>

/* The dict of the header into dict (room for 8 dimensions of 20
 * digits): its length. */
static size_t dict_of(char *dict, size_t size, tfr_npy_type type, int ndim,
                      const size_t *shape)
{
	int len = snprintf(dict, size, "{'descr': '%s', 'fortran_order': False, "
	                   "'shape': (", type == TFR_NPY_F32 ? "<f4" : "<u4");
	for (int i = 0; i < ndim; i++)
		len += snprintf(dict + len, size - (size_t)len,
		                i + 1 < ndim || ndim > 1 ? "%zu, " : "%zu,",
		                shape[i]);
	if (ndim > 1)
		len -= 2;  /* "(a, b)" rather than "(a, b, )" */
	len += snprintf(dict + len, size - (size_t)len, "), }");
	return (size_t)len;
}

/* 10 bytes of preamble + dict + padding + '\n': a multiple of 64, and at
 * least min (a header written again in the room of the first) */
static size_t header_size(size_t len, size_t min)
{
	size_t total = 10 + len + 1;
	total += (64 - total % 64) % 64;
	return total < min ? min : total;
}

/* The header, padded to at least min bytes: its size in *size. */
static int header(FILE *f, tfr_npy_type type, int ndim, const size_t *shape,
                  size_t min, size_t *size)
{
	char dict[512];
	if (!f || ndim < 1 || ndim > 8 || !shape)
		return TFR_EINVAL;
	size_t len = dict_of(dict, sizeof dict, type, ndim, shape);
	*size = header_size(len, min);
	size_t hlen = *size - 10, pad = hlen - len - 1;
	unsigned char pre[10] = {0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0,
	                         (unsigned char)(hlen & 0xff),
	                         (unsigned char)(hlen >> 8)};
	if (fwrite(pre, 1, 10, f) != 10 || fwrite(dict, 1, len, f) != len)
		return TFR_EIO;
	for (size_t i = 0; i < pad; i++)
		if (fputc(' ', f) == EOF)
			return TFR_EIO;
	return fputc('\n', f) == EOF ? TFR_EIO : TFR_OK;
}

int tfr_npy_write_header(FILE *f, tfr_npy_type type, int ndim,
                         const size_t *shape)
{
	size_t size;
	return header(f, type, ndim, shape, 0, &size);
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

/* The shape of s's file, with rows rows: (rows, cols), transposed
 * (cols, rows), with a leading nmat when there are several. */
static int shape_of(const tfr_npy_stream *s, size_t rows, size_t *shape)
{
	int nd = 0;
	if (s->nmat > 1)
		shape[nd++] = s->nmat;
	shape[nd++] = s->transpose ? s->cols : rows;
	shape[nd++] = s->transpose ? rows : s->cols;
	return nd;
}

/* Room for any number of rows in a header not final yet */
#define ANY_ROWS ((size_t)-1)

int tfr_npy_stream_open(tfr_npy_stream *s, FILE *f, tfr_npy_type type,
                        size_t nmat, size_t rows, size_t cols, int transpose)
{
	memset(s, 0, sizeof *s);
	*s = (tfr_npy_stream){ .f = f, .type = type, .nmat = nmat, .rows = rows,
	                       .cols = cols, .transpose = transpose, .known = rows > 0 };
	if (!f || nmat < 1 || cols < 1 || (!s->known && (nmat > 1 || transpose)))
		return TFR_EINVAL;
	size_t shape[3], room = 0;
	if (!s->known) {
		/* the final header goes where this one is: the room of the
		 * widest */
		char dict[512];
		int nd = shape_of(s, ANY_ROWS, shape);
		room = header_size(dict_of(dict, sizeof dict, type, nd, shape), 0);
	}
	int e = header(f, type, shape_of(s, rows, shape), shape, room, &s->head);
	s->at = (long long)s->head;
	return e;
}

/* n elements from x at element offset off of the data. */
static int put(tfr_npy_stream *s, const void *x, size_t off, size_t n)
{
	long long to = (long long)s->head + 4 * (long long)off;
	if (to != s->at && fseeko(s->f, (off_t)to, SEEK_SET) != 0)
		return TFR_EIO;
	s->at = to + 4 * (long long)n;
	return write4(s->f, x, n);
}

int tfr_npy_stream_rows(tfr_npy_stream *s, const void *const *mats, size_t n)
{
	if (s->known && n > s->rows - s->done)
		return TFR_EINVAL;
	size_t rows = s->rows, cols = s->cols, k0 = s->done;
	int e = TFR_OK;
	uint32_t *col = NULL;
	if (s->transpose && n && !(col = malloc(n * sizeof *col)))
		return TFR_ENOMEM;
	for (size_t i = 0; i < s->nmat && !e; i++) {
		const uint32_t *m = mats[i];  /* both types are 4 bytes */
		if (!s->transpose) {
			e = put(s, m, (i * rows + k0) * cols, n * cols);
			continue;
		}
		/* a column of the matrix is a row of the transposed one */
		for (size_t j = 0; j < cols && !e; j++) {
			for (size_t k = 0; k < n; k++)
				col[k] = m[k * cols + j];
			e = put(s, col, (i * cols + j) * rows + k0, n);
		}
	}
	free(col);
	if (!e)
		s->done += n;
	return e;
}

int tfr_npy_stream_close(tfr_npy_stream *s)
{
	if (s->known)
		return s->done == s->rows ? TFR_OK : TFR_EINVAL;
	size_t shape[3], size;
	if (fseeko(s->f, 0, SEEK_SET) != 0)
		return TFR_EIO;
	int e = header(s->f, s->type, shape_of(s, s->done, shape), shape, s->head, &size);
	if (!e && fseeko(s->f, 0, SEEK_END) != 0)
		e = TFR_EIO;
	return e;
}

int tfr_npy_write_matrices(FILE *f, tfr_npy_type type, const void *const *mats,
                           size_t nmat, size_t rows, size_t cols,
                           int transpose)
{
	tfr_npy_stream s;
	if (nmat < 1 || !mats)
		return TFR_EINVAL;
	if (rows == 0 || cols == 0) {
		/* an empty matrix: its header alone */
		size_t shape[3];
		s = (tfr_npy_stream){ .nmat = nmat, .cols = cols, .transpose = transpose };
		return tfr_npy_write_header(f, type, shape_of(&s, rows, shape), shape);
	}
	int e = tfr_npy_stream_open(&s, f, type, nmat, rows, cols, transpose);
	if (!e)
		e = tfr_npy_stream_rows(&s, mats, rows);
	return e ? e : tfr_npy_stream_close(&s);
}
