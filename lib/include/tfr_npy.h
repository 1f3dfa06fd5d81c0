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

#ifdef __cplusplus
}
#endif

#endif /* TFR_NPY_H */
