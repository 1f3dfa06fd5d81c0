/*
 * tfr_npy.h - NumPy .npy writer (I/O module: no DSP here).
 *
 * Format 1.0 (numpy/lib/format.py): the magic "\x93NUMPY", version 1.0,
 * a little-endian uint16 header length, then a Python dict literal
 * {'descr': ..., 'fortran_order': False, 'shape': (...), } padded with
 * spaces and a newline so that the data start on a 64-byte boundary,
 * then the array in C order, little-endian. numpy.load reads it.
 */
#ifndef TFR_NPY_H
#define TFR_NPY_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Element types the writer knows. */
typedef enum {
	TFR_NPY_F32,  /* '<f4' */
	TFR_NPY_U32   /* '<u4' */
} tfr_npy_type;

/* Write the header of an ndim-dimensional (1..8) C-order array.
 * Returns TFR_OK, TFR_EINVAL or TFR_EIO. */
int tfr_npy_write_header(FILE *f, tfr_npy_type type, int ndim,
                         const size_t *shape);

/* Append n elements little-endian. Returns TFR_OK or TFR_EIO. */
int tfr_npy_write_f32(FILE *f, const float *x, size_t n);
int tfr_npy_write_u32(FILE *f, const uint32_t *x, size_t n);

/*
 * A whole file of nmat matrices of rows x cols elements of type (the
 * shape (rows, cols), or (nmat, rows, cols) with more than one), each
 * given row-major by mats[i]; transposed: shape (.., cols, rows), each
 * matrix written column by column. Returns TFR_OK, TFR_EINVAL, TFR_ENOMEM
 * or TFR_EIO.
 */
int tfr_npy_write_matrices(FILE *f, tfr_npy_type type, const void *const *mats,
                           size_t nmat, size_t rows, size_t cols,
                           int transpose);

/*
 * A file of nmat matrices of rows x cols elements, as tfr_npy_write_
 * matrices lays it out, written a few rows at a time as they are made
 * (a long input's matrix, never held whole). rows 0: not known yet; the
 * header then holds room for any number and is written again by _close
 * (the file must be seekable, and hold one matrix, not transposed).
 * Otherwise the rows of one matrix, not transposed, go out in order,
 * which a pipe takes; other layouts seek to each matrix's (or
 * transposed, each column's) place in the file.
 */
typedef struct {
	FILE *f;
	tfr_npy_type type;
	size_t nmat, rows, cols;
	int transpose;
	int known;           /* rows given at _open */
	size_t done;         /* rows written so far */
	size_t head;         /* bytes of the header */
	long long at;        /* bytes written before the file position */
} tfr_npy_stream;

/* Write the header. TFR_OK, TFR_EINVAL (no rows known with several
 * matrices or transposed, a size of 0), TFR_EIO. */
int tfr_npy_stream_open(tfr_npy_stream *s, FILE *f, tfr_npy_type type,
                        size_t nmat, size_t rows, size_t cols, int transpose);
/* The next n rows of each matrix: mats[i] holds n x cols elements of
 * matrix i, row-major. TFR_OK, TFR_EINVAL (more rows than announced),
 * TFR_ENOMEM, TFR_EIO (a write or a seek failed: errno says which). */
int tfr_npy_stream_rows(tfr_npy_stream *s, const void *const *mats, size_t n);
/* The header's shape made final (rows not known at _open), or a check
 * that every row announced was written (TFR_EINVAL if not); the file is
 * left at its end, not closed. TFR_OK, TFR_EINVAL, TFR_EIO. */
int tfr_npy_stream_close(tfr_npy_stream *s);

#ifdef __cplusplus
}
#endif

#endif /* TFR_NPY_H */
