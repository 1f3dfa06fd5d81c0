/*
 * tfr_sdif.h - SDIF partial files (I/O module): read RBEP and 1TRC
 * (with RBEL labels) into breakpoints in stream order; write RBEP from
 * breakpoints and 1TRC from grid frames (tfr_grid.h), with RBEL labels.
 *
 * SDIF (additive-model.md §3.8, §6.3): a 16-byte file header ("SDIF",
 * size 8, versions 3 and 1), then frames: signature, size, float64 time,
 * stream id, matrix count; each matrix: signature, data type (0x0004
 * float32, 0x0008 float64), rows, columns, the data row-major and
 * zero-padded to a multiple of 8 bytes. Everything is big-endian.
 *   RBEP (Loris): index, frequency Hz, amplitude, phase rad [0, 2pi),
 *        bandwidth [0, 1], time offset s (breakpoint time = frame time +
 *        offset). A partial may skip frames; it ends at its last row.
 *   1TRC: index, frequency, amplitude, phase, at the frame time. A
 *        partial ends when its index is absent from the next frame.
 *   RBEL (Loris): index, label.
 *
 * Reading is tolerant:
 *  - frame sizes are not trusted: a frame is walked matrix header by
 *    matrix header (Loris writes a wrong size in every frame); frames
 *    whose size field disagrees are counted (stats.size_mismatches);
 *  - frames and matrices of other types, and envelope frames of another
 *    stream than the first envelope frame's, are skipped by the sizes of
 *    their matrices; a file's envelope type is that of its first RBEP or
 *    1TRC frame, and frames of the other type are skipped;
 *  - float32 or float64 data; more columns than needed are ignored;
 *    Loris's legacy 7-column 1TRC (index, frequency, amplitude, phase,
 *    bandwidth, time offset, resampled flag) is read like RBEP, rows
 *    with the flag set left out (stats.flagged);
 *  - a breakpoint whose time is not after its partial's previous one (a
 *    repeated row) is dropped, the earlier one kept (stats.duplicates);
 *  - phases are wrapped to [-pi, pi); bandwidths are clamped to [0, 1].
 * It refuses, with TFR_EFORMAT: another magic, negative or overflowing
 * matrix sizes, data types other than float32/float64 in the matrices it
 * reads, indexes that are not integers in range, negative or non-finite
 * frequencies or amplitudes, non-finite phases, bandwidths, offsets or
 * times, envelope frames whose time goes back; and TFR_EEOF for input
 * that ends inside a frame (input cut at a frame boundary reads as the
 * shorter file it is). Where: the diag text starts with "byte N: ", the
 * content offset (counting the head bytes) of the frame, matrix or row
 * at fault; diag line and column stay 0.
 *
 * Memory and passes:
 *  - 1TRC streams with one frame of look-ahead: memory is two frames
 *    plus 8 bytes for each index whose partial has ended (see ids);
 *  - RBEP (and legacy 1TRC) is read in two passes, since a partial's end
 *    is its last row anywhere in the file: on a regular file the second
 *    pass seeks back (memory ~50 bytes per partial); on a pipe the whole
 *    input is kept in memory first (memory ~ the file's size).
 *
 * Ids: RBEP partials keep their index as id (indexes below 2^53). 1TRC
 * indexes (below 2^32) are ids too; an index that comes back after an
 * absence is a new partial with id index + k 2^32 for its (k+1)-th life,
 * so that ids are never reused.
 */
#ifndef TFR_SDIF_H
#define TFR_SDIF_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "tfr_base.h"
#include "tfr_grid.h"
#include "tfr_records.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum {
	TFR_SDIF_NONE = 0,     /* no envelope frame (an empty file) */
	TFR_SDIF_RBEP,         /* Loris's bandwidth-enhanced partials */
	TFR_SDIF_1TRC,         /* sinusoidal tracks */
	TFR_SDIF_1TRC_LEGACY   /* Loris's old 7-column 1TRC (read only) */
} tfr_sdif_type;

/* A partial's label (Loris: the harmonic number given by Channelizer). */
typedef struct {
	int64_t partial;
	int64_t label;
} tfr_sdif_label;

/* What a reader met so far (for tools' -v and the tests). */
typedef struct {
	int64_t frames;            /* frames walked, all types */
	int64_t envelope_frames;   /* RBEP or 1TRC frames read */
	int64_t skipped_frames;    /* frames of other types or streams */
	int64_t skipped_matrices;  /* other matrices inside envelope frames */
	int64_t size_mismatches;   /* frames whose size field is wrong */
	int64_t duplicates;        /* rows dropped: repeated times */
	int64_t flagged;           /* legacy 1TRC rows with the flag set */
	int64_t partials;          /* partials started */
	int64_t breakpoints;       /* breakpoints delivered */
} tfr_sdif_stats;

/* ---- reader ---- */

typedef struct tfr_sdif_reader tfr_sdif_reader;

/*
 * A reader of fp. head[0..nhead-1] are bytes the caller already took
 * from fp (to detect the format; NULL, 0 for none): they are the first
 * bytes of the content. Reads the file header and every frame up to the
 * first envelope frame (for RBEP: the first pass over the whole file).
 * NULL on failure, with the reason in d: TFR_EFORMAT, TFR_EEOF, TFR_EIO,
 * TFR_ENOMEM. fp is not closed by the reader.
 */
tfr_sdif_reader *tfr_sdif_reader_new(FILE *fp, const void *head,
                                     size_t nhead, tfr_diag *d);

tfr_sdif_type tfr_sdif_reader_type(const tfr_sdif_reader *r);

/*
 * Up to max breakpoints, in stream order (nondecreasing time; each
 * partial's last one has end = 1), into bp. Returns how many, 0 at the
 * end of the input, or a negative code (TFR_EFORMAT, TFR_EEOF, TFR_EIO,
 * TFR_ENOMEM; the detail in tfr_sdif_reader_diag). RBEP breakpoints carry
 * every field; 1TRC ones have bandwidth 0.
 */
long tfr_sdif_reader_read(tfr_sdif_reader *r, tfr_breakpoint *bp, size_t max);

/* The RBEL labels read so far (for RBEP: all of the file's), in file
 * order, by partial index; *n their count. */
const tfr_sdif_label *tfr_sdif_reader_labels(const tfr_sdif_reader *r,
                                             size_t *n);

/* The label of a partial id (for 1TRC: of its index): 1 and *label, or
 * 0 when it has none. */
int tfr_sdif_reader_label(const tfr_sdif_reader *r, int64_t partial,
                          int64_t *label);

void tfr_sdif_reader_stats(const tfr_sdif_reader *r, tfr_sdif_stats *s);

/* The detail of the last failure. */
const tfr_diag *tfr_sdif_reader_diag(const tfr_sdif_reader *r);

void tfr_sdif_reader_free(tfr_sdif_reader *r);

/* ---- writer ---- */

typedef struct tfr_sdif_writer tfr_sdif_writer;

typedef struct {
	tfr_sdif_type type;      /* TFR_SDIF_RBEP (default) or TFR_SDIF_1TRC */
	int float_bytes;         /* 1TRC data: 4 (float32) or 8 (float64,
	                            default); RBEP is always float64 */
	const tfr_sdif_label *labels;  /* written first, in an RBEL frame at
	                                  time 0 (stream 2); copied by _new */
	size_t nlabels;          /* 0: no RBEL frame (default) */
} tfr_sdif_writer_params;

void tfr_sdif_writer_params_default(tfr_sdif_writer_params *p);

/* TFR_OK, or TFR_EINVAL with the first problem of p in d. */
int tfr_sdif_writer_check(const tfr_sdif_writer_params *p, tfr_diag *d);

/*
 * A writer on fp (not closed by the writer): writes the file header and
 * the RBEL frame at once. Output is exact: big-endian, 8-byte padded,
 * correct frame sizes; envelope frames are in stream 1 and carry one
 * matrix each. NULL on failure with the reason in d (TFR_EINVAL,
 * TFR_ENOMEM, TFR_EIO).
 */
tfr_sdif_writer *tfr_sdif_writer_new(FILE *fp, const tfr_sdif_writer_params *p,
                                     tfr_diag *d);

/*
 * RBEP: n breakpoints in stream order (the end flags are not needed: a
 * partial ends at its last row). A frame collects breakpoints as they
 * come; it is written when a partial would appear in it twice, or when
 * a breakpoint's time would not read back exactly as the frame time plus
 * its offset (the frame time is its first breakpoint's time, so offsets
 * are >= 0). Every value reads back bit for bit (the float fields as the
 * floats they are) except that phases are written in [0, 2pi) as Loris
 * writes them, which is exact for phases in [-pi, pi] (the two phases
 * whose shift by 2pi would not read back, -pi as a float and negatives
 * above -1e-8, are written as they are). Returns TFR_OK, TFR_EINVAL
 * (breakpoints out of order, negative or non-finite frequency or
 * amplitude, non-finite phase or time, bandwidth outside [0, 1]),
 * TFR_ERANGE (an id of 2^53 or more), TFR_ENOMEM, TFR_EIO; the detail in
 * tfr_sdif_writer_diag.
 */
int tfr_sdif_write_breakpoints(tfr_sdif_writer *w, const tfr_breakpoint *bp,
                               size_t n);

/*
 * 1TRC: one frame at time (nondecreasing from frame to frame), n rows
 * (from tfr_bpgrid; n = 0 writes an empty frame). Indexes are the ids
 * (below 2^24 for float32, 2^53 for float64); phases in [0, 2pi).
 * Returns TFR_OK, TFR_EINVAL, TFR_ERANGE, TFR_ENOMEM, TFR_EIO.
 */
int tfr_sdif_write_frame(tfr_sdif_writer *w, double time,
                         const tfr_grid_row *rows, size_t n);

/* The detail of the last failure. */
const tfr_diag *tfr_sdif_writer_diag(const tfr_sdif_writer *w);

/* Write what is held, flush fp and release the writer: TFR_OK, or
 * TFR_EIO when anything could not be written (also after an earlier
 * failure). */
int tfr_sdif_writer_close(tfr_sdif_writer *w);

#ifdef __cplusplus
}
#endif

#endif /* TFR_SDIF_H */
