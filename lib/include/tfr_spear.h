/*
 * tfr_spear.h - SPEAR's two text formats of partials (I/O module), read
 * into breakpoints in stream order, written from breakpoints (partials
 * format) or from grid frames (frame format, tfr_grid.h).
 *
 * par-text-partials-format (additive-model.md §6.1), partial by partial:
 *   par-text-partials-format
 *   point-type time frequency amplitude
 *   partials-count P
 *   partials-data
 *   INDEX NPOINTS START END                  one line per partial,
 *   T1 F1 A1 T2 F2 A2 ...                    then its points on one line
 * par-text-frame-format (§6.2), frame by frame on a time grid:
 *   par-text-frame-format
 *   point-type index frequency amplitude
 *   partials-count P
 *   frame-count F
 *   frame-data
 *   TIME N IDX1 F1 A1 IDX2 F2 A2 ...         one line per frame
 * Times in s, frequencies in Hz, linear amplitudes; no phase and no
 * bandwidth (tfr_pformat_fields tells what a format keeps).
 *
 * Reading is tolerant of decimal commas (counted), CRLF or CR line ends,
 * a UTF-8 byte-order mark, header lines it does not know (skipped),
 * blank lines between records, one-point partials, and repeated point
 * times within a partial (the later point is dropped, counted in
 * stats.duplicates). It refuses, with TFR_EFORMAT and the line and
 * column of the fault in the diag: a wrong first line, a record with
 * fields missing or too many, a field that is not a number or longer
 * than 63 characters, indexes and counts that are not integers in range,
 * negative or non-finite frequencies and amplitudes, point times that go
 * back within a partial, frame times that go back, an index twice in the
 * partials format, and counts that disagree with the header's
 * partials-count (partials format) or frame-count (frame format), which
 * is how a truncated file shows (except a cut inside the last number of
 * the last line, which text cannot tell from a shorter number: the final
 * newline is not required); TFR_EUNSUPPORTED for another point-type
 * (RTcmix's extended format). No declared count is used to allocate.
 *
 * Memory: the partials format must be read whole before the first
 * breakpoint is known (a partial's points are all on one line): memory
 * ~ the data. The frame format streams with one frame of look-ahead: a
 * partial ends when its index is absent from the next frame (ids: the
 * file's index; an index back after an absence is a new partial, index +
 * k 2^32, as for SDIF 1TRC); memory is two frames plus 8 bytes per index
 * whose partial has ended.
 *
 * Writing is exact: "%f"-style numbers with six decimals, whatever the
 * process locale, '\n' line ends. Partials are numbered 0, 1, 2... in the
 * order of their first breakpoint (readers such as Ellis's spearread
 * size their arrays by partials-count and index them by these numbers),
 * so a tfr stream whose ids are already given that way keeps them. The
 * header counts come first, so both writers hold their output until
 * _close: the breakpoints (partials format) or the formatted frame lines
 * (frame format).
 */
#ifndef TFR_SPEAR_H
#define TFR_SPEAR_H

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
	TFR_SPEAR_PARTIALS = 1,  /* par-text-partials-format */
	TFR_SPEAR_FRAMES = 2     /* par-text-frame-format */
} tfr_spear_format;

/* What a reader met so far. */
typedef struct {
	int64_t partials;        /* partials started */
	int64_t breakpoints;     /* breakpoints delivered */
	int64_t frames;          /* frame lines read (frame format) */
	int64_t duplicates;      /* points dropped: repeated times */
	int64_t decimal_commas;  /* numbers written with a decimal comma */
} tfr_spear_stats;

/* ---- reader (either format) ---- */

typedef struct tfr_spear_reader tfr_spear_reader;

/*
 * A reader of fp; head[0..nhead-1] are bytes the caller already took
 * from fp (to detect the format; NULL, 0 for none), the first bytes of
 * the content. Reads the header, and for the partials format the whole
 * file. NULL on failure with the reason in d (TFR_EFORMAT,
 * TFR_EUNSUPPORTED, TFR_EEOF for empty input, TFR_EIO, TFR_ENOMEM). fp is
 * not closed by the reader.
 */
tfr_spear_reader *tfr_spear_reader_new(FILE *fp, const void *head,
                                       size_t nhead, tfr_diag *d);

tfr_spear_format tfr_spear_reader_format(const tfr_spear_reader *r);

/*
 * Up to max breakpoints in stream order (each partial's last one with
 * end = 1; phase and bandwidth 0) into bp: returns how many, 0 at the
 * end, or a negative code with the detail in tfr_spear_reader_diag.
 */
long tfr_spear_reader_read(tfr_spear_reader *r, tfr_breakpoint *bp, size_t max);

void tfr_spear_reader_stats(const tfr_spear_reader *r, tfr_spear_stats *s);

const tfr_diag *tfr_spear_reader_diag(const tfr_spear_reader *r);

void tfr_spear_reader_free(tfr_spear_reader *r);

/* ---- par-text-partials-format writer ---- */

typedef struct tfr_spear_partials_writer tfr_spear_partials_writer;

/* A writer on fp (not closed by it). NULL with TFR_ENOMEM in d. */
tfr_spear_partials_writer *tfr_spear_partials_writer_new(FILE *fp, tfr_diag *d);

/*
 * Take n breakpoints: each partial's in increasing time (the stream
 * order gives that); phase and bandwidth are not written. Returns TFR_OK,
 * TFR_EINVAL (a partial's time not after its previous one, an id met
 * again after its end flag, negative id, negative or non-finite
 * frequency or amplitude, non-finite time), TFR_ENOMEM.
 */
int tfr_spear_partials_write(tfr_spear_partials_writer *w,
                             const tfr_breakpoint *bp, size_t n);

const tfr_diag *tfr_spear_partials_writer_diag(const tfr_spear_partials_writer *w);

/* Write the file, flush fp, release: TFR_OK or TFR_EIO. */
int tfr_spear_partials_writer_close(tfr_spear_partials_writer *w);

/* ---- par-text-frame-format writer ---- */

typedef struct tfr_spear_frames_writer tfr_spear_frames_writer;

/* A writer on fp (not closed by it). NULL with TFR_ENOMEM in d. */
tfr_spear_frames_writer *tfr_spear_frames_writer_new(FILE *fp, tfr_diag *d);

/*
 * One frame (from tfr_bpgrid): time nondecreasing from frame to frame, n
 * rows with distinct ids (n = 0 writes an empty frame). A partial keeps
 * its number while its id is in consecutive frames; bandwidth and phase
 * are not written. Returns TFR_OK, TFR_EINVAL, TFR_ENOMEM.
 */
int tfr_spear_frames_write(tfr_spear_frames_writer *w, double time,
                           const tfr_grid_row *rows, size_t n);

const tfr_diag *tfr_spear_frames_writer_diag(const tfr_spear_frames_writer *w);

/* Write the file, flush fp, release: TFR_OK or TFR_EIO. */
int tfr_spear_frames_writer_close(tfr_spear_frames_writer *w);

#ifdef __cplusplus
}
#endif

#endif /* TFR_SPEAR_H */
