/*
 * tfr_stream.h - the tfr stream format (I/O module), documented in
 * tfr(5): text, one record per line, fields separated by one tab, numbers
 * in C-locale notation, after a header
 *
 *   #tfr KIND VERSION
 *   # key=value            metadata (sample_rate, source, hop, ...)
 *   # history=COMMAND      one line per tool that touched the stream
 *   # columns=a<TAB>b...   the names of the fields
 *
 * A later line starting with '#' is a comment; one of the form
 * "# key=value" after the records is a trailer (a value known only at the
 * end, such as the length of a piped source) and updates the metadata.
 *
 * Every kind is a schema: its columns (name, storage in the record
 * struct, text format, valid range) and rules. One generic reader and
 * writer serve every kind: a new kind is one table (kinds.c).
 */
#ifndef TFR_STREAM_H
#define TFR_STREAM_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "tfr_base.h"
#include "tfr_meta.h"
#include "tfr_records.h"

#ifdef __cplusplus
extern "C" {
#endif

/* How a column is held in its record struct. */
typedef enum {
	TFR_COL_I64, TFR_COL_I32, TFR_COL_F64, TFR_COL_F32
} tfr_col_storage;

/* How a column is written: an integer, fixed decimals, or significant
 * digits (9 round-trip any float, 17 any double). */
typedef enum {
	TFR_COL_INT, TFR_COL_FIXED, TFR_COL_SIG
} tfr_col_format;

typedef struct {
	const char *name;
	tfr_col_storage storage;
	size_t offset;          /* of the field in the record struct */
	tfr_col_format format;
	int digits;             /* decimals (FIXED) or significant digits */
	double min, max;        /* valid values, inclusive */
	const char *unit;       /* "s", "Hz", "rad", "" (documentation) */
} tfr_column;

typedef struct {
	const char *kind;            /* "points" */
	int version;
	const tfr_column *columns;
	size_t ncolumns;
	size_t record_size;          /* sizeof the record struct */
	int frame_column;            /* records sharing this column's value
	                                are one frame (-1: none) */
	int order_column;            /* this column never decreases (-1) */
	const char *const *required; /* metadata keys every stream of the
	                                kind carries (NULL-terminated) */
} tfr_schema;

extern const tfr_schema tfr_points_schema;   /* tfr_point */
extern const tfr_schema tfr_peaks_schema;    /* tfr_peak */
extern const tfr_schema tfr_partials_schema; /* tfr_breakpoint */
/* partials with a last column "label" (tfr-label) */
extern const tfr_schema tfr_labelled_partials_schema; /* tfr_breakpoint */
extern const tfr_schema tfr_f0_schema;       /* tfr_f0_frame */
extern const tfr_schema tfr_noise_schema;    /* tfr_noise_band */
extern const tfr_schema tfr_descriptors_schema; /* tfr_descriptor_frame */

/*
 * The variant of points, peaks or partials schema s with or without a
 * "label" column (partials only) and a "channel" column (last: a
 * channel-split stream, tfr-reassign --channels split); NULL for
 * another kind, or a label asked of points or peaks.
 */
const tfr_schema *tfr_schema_variant(const tfr_schema *s, int label, int channel);

/* The schema of a kind, or NULL. */
const tfr_schema *tfr_schema_find(const char *kind);

/* The index of a column of s by name, or -1. */
int tfr_schema_column(const tfr_schema *s, const char *name);

/* 1 when content starting with head[0..n-1] is a tfr stream (its first
 * line "#tfr KIND ..."), with KIND in kind (size bytes, cut to fit);
 * else 0. For messages that say what an input is. */
int tfr_stream_detect(const void *head, size_t n, char *kind, size_t size);

/* ---- writer ---- */
typedef struct tfr_stream_writer tfr_stream_writer;

/*
 * A buffered writer of schema s on fp (fp is not closed here), with the
 * metadata of meta (copied; the kind's columns are written by the
 * writer, a "columns" entry in meta is ignored). The header goes out with
 * the first record, or at _close. NULL with d on TFR_ENOMEM.
 */
tfr_stream_writer *tfr_stream_writer_new(FILE *fp, const tfr_schema *s,
                                         const tfr_meta *meta, tfr_diag *d);

/* Write gzip-compressed text at level (1-9; 6 is gzip's default):
 * before anything is written. TFR_OK, TFR_EINVAL (too late, a bad
 * level), TFR_ENOMEM. The reader takes gzip input by its magic bytes,
 * whatever it is called. */
int tfr_stream_writer_gzip(tfr_stream_writer *w, int level);

/* Write the header now (idempotent). TFR_OK or TFR_EIO. */
int tfr_stream_write_header(tfr_stream_writer *w);

/* n records of the writer's schema, one line each. TFR_OK or TFR_EIO. */
int tfr_stream_write(tfr_stream_writer *w, const void *records, size_t n);

/* A "# key=value" trailer line (after the header). TFR_OK or TFR_EIO. */
int tfr_stream_write_trailer(tfr_stream_writer *w, const char *key,
                             const char *value);

/* Push buffered text to fp and fflush it (live pipes). */
int tfr_stream_flush(tfr_stream_writer *w);

/* Header if not yet written, flush, free. TFR_OK or TFR_EIO (the
 * writer is freed either way). */
int tfr_stream_writer_close(tfr_stream_writer *w);

/* ---- reader ---- */
typedef struct tfr_stream_reader tfr_stream_reader;

/* A reader on fp; label names the input in messages ("stdin", a path).
 * Nothing is read yet. NULL with d on TFR_ENOMEM. */
tfr_stream_reader *tfr_stream_reader_new(FILE *fp, const char *label,
                                         tfr_diag *d);

/*
 * Read and check the header. expect: the schema the caller needs (kind,
 * version at most expect->version, the schema's columns first, more
 * columns allowed and ignored, the required metadata), or NULL for any
 * stream: a known kind is checked against its schema, an unknown one is
 * read generically (tfr_stream_read_values only). Returns TFR_OK,
 * TFR_EFORMAT, TFR_EEOF (empty input), TFR_EIO, TFR_ENOMEM; the detail in
 * tfr_stream_reader_diag().
 */
int tfr_stream_read_header(tfr_stream_reader *r, const tfr_schema *expect);

/* After the header: the stream's schema (NULL for an unknown kind), its
 * kind and version, its metadata (trailers are added as they are read). */
const tfr_schema *tfr_stream_reader_schema(const tfr_stream_reader *r);
const char *tfr_stream_reader_kind(const tfr_stream_reader *r);
int tfr_stream_reader_version(const tfr_stream_reader *r);
const tfr_meta *tfr_stream_reader_meta(const tfr_stream_reader *r);

/* The label and the file the reader was made with (a tool with two
 * inputs names each in its own messages, and closes each). */
const char *tfr_stream_reader_label(const tfr_stream_reader *r);
FILE *tfr_stream_reader_file(const tfr_stream_reader *r);

/* After the header: read the records as schema s, which must be of the
 * same kind and whose columns the stream has first (a labelled partials
 * stream read as such when it is one). TFR_OK, or TFR_EFORMAT with
 * "missing column 'label'" in the diag and the reader unchanged. */
int tfr_stream_reader_use(tfr_stream_reader *r, const tfr_schema *s);

/* The stream's columns (as its header names them) and lookup by name
 * (-1 when absent): what generic consumers use. */
size_t tfr_stream_reader_ncolumns(const tfr_stream_reader *r);
const char *tfr_stream_reader_column(const tfr_stream_reader *r, size_t i);
int tfr_stream_reader_find(const tfr_stream_reader *r, const char *name);

/*
 * The next record into *record (a struct of the schema's kind): 1, 0 at
 * the end, or a negative code (TFR_EFORMAT, TFR_EIO, TFR_ENOMEM) with
 * "LINE: what" in the diag: a field that is not a number or is outside
 * its column's range, too few or too many fields, the order column going
 * back.
 */
int tfr_stream_read(tfr_stream_reader *r, void *record);

/* The next record as the values of all its columns (tfr_stream_reader_
 * ncolumns of them; columns of the schema checked against their ranges,
 * others only for being finite). Returns as tfr_stream_read. */
int tfr_stream_read_values(tfr_stream_reader *r, double *values);

/*
 * The records of the next frame (records sharing the frame column; the
 * kind must have one): *records points to *n structs owned by the reader,
 * valid until the next call. 1, 0 at the end, or a negative code. A frame
 * of more than TFR_STREAM_MAX_FRAME records is an error.
 */
int tfr_stream_read_frame(tfr_stream_reader *r, const void **records,
                          size_t *n);
#define TFR_STREAM_MAX_FRAME (1 << 21)

/* Longest line the reader takes (bytes, end of line included). */
#define TFR_STREAM_MAX_LINE 65536

/* When the header was refused because the input is audio (its first
 * bytes are a container's: tfr_audio_detect), the container's name
 * ("WAV", "FLAC", ...); else NULL. The kind named by a first line that
 * was read whole is tfr_stream_reader_kind's (empty otherwise), so a
 * caller can tell a stream of another kind from text that is none. */
const char *tfr_stream_reader_audio(const tfr_stream_reader *r);

/* The detail of the last failure (line number in its position). */
const tfr_diag *tfr_stream_reader_diag(const tfr_stream_reader *r);

/* Line number of the last line read (1-based). */
long tfr_stream_reader_line(const tfr_stream_reader *r);

/* Line number of record i of the frame the last tfr_stream_read_frame
 * gave (the reader has read one record past it), or 0 when there is no
 * such record: where a fault of the frame's records is reported. */
long tfr_stream_reader_frame_line(const tfr_stream_reader *r, size_t i);

/* Line number of the header's last line (where a fault of the header as
 * a whole, such as a missing key, is reported). */
long tfr_stream_reader_header_end(const tfr_stream_reader *r);

void tfr_stream_reader_free(tfr_stream_reader *r);

#ifdef __cplusplus
}
#endif

#endif /* TFR_STREAM_H */
