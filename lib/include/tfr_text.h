/*
 * tfr_text.h - the tfr stream format (I/O module), documented in tfr(5).
 *
 * A stream is text, one record per line, fields separated by one tab,
 * numbers in C-locale notation. It starts with a header:
 *
 *   #tfr KIND VERSION
 *   # key=value            metadata (sample_rate, source, hop, ...)
 *   # history=COMMAND      one line per tool that touched the stream
 *   # columns=a<TAB>b...   the names of the fields
 *
 * Any later line starting with '#' is a comment; a comment of the form
 * "# key=value" after the records is a trailer (e.g. the source length,
 * known only at the end of a pipe) and is added to the metadata.
 */
#ifndef TFR_TEXT_H
#define TFR_TEXT_H

#include <stddef.h>
#include <stdio.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Ordered key=value metadata; keys may repeat (history). */
typedef struct tfr_meta tfr_meta;

tfr_meta *tfr_meta_new(void);
void tfr_meta_free(tfr_meta *m);
/* Replace the first entry with this key, or append. TFR_OK, TFR_ENOMEM,
 * TFR_EINVAL (key empty or with '=' or a newline; value with a newline). */
int tfr_meta_set(tfr_meta *m, const char *key, const char *value);
/* Append (for repeated keys such as history). */
int tfr_meta_add(tfr_meta *m, const char *key, const char *value);
int tfr_meta_set_double(tfr_meta *m, const char *key, double v);
int tfr_meta_set_int(tfr_meta *m, const char *key, long long v);
/* Copy every entry of src (history included) into dst. */
int tfr_meta_copy(tfr_meta *dst, const tfr_meta *src);
/* The first value for key, or NULL. */
const char *tfr_meta_get(const tfr_meta *m, const char *key);
/* Strictly parsed numeric value: TFR_OK, TFR_EINVAL (absent),
 * TFR_EFORMAT (not a finite number). */
int tfr_meta_get_double(const tfr_meta *m, const char *key, double *v);
size_t tfr_meta_count(const tfr_meta *m);
const char *tfr_meta_key(const tfr_meta *m, size_t i);
const char *tfr_meta_value(const tfr_meta *m, size_t i);

/* ---- writer ---- */
typedef struct tfr_text_writer tfr_text_writer;

/* A buffered writer on fp (not closed by the writer). */
tfr_text_writer *tfr_text_writer_new(FILE *fp, int *err);

/* The header: kind line, metadata, column names. TFR_OK or TFR_EIO. */
int tfr_text_write_header(tfr_text_writer *w, const char *kind, int version,
                          const tfr_meta *meta, const char *const *columns,
                          size_t ncolumns);

/* A "# key=value" comment line (trailer). */
int tfr_text_write_comment(tfr_text_writer *w, const char *key,
                           const char *value);

/* Reserve room for one record line of at most `size` bytes; returns a
 * pointer to write into, then commit the bytes used (including '\n'). */
char *tfr_text_reserve(tfr_text_writer *w, size_t size);
void tfr_text_commit(tfr_text_writer *w, size_t used);

/* Push buffered text to fp and fflush it. TFR_OK or TFR_EIO. */
int tfr_text_flush(tfr_text_writer *w);

/* Flush and free. TFR_OK or TFR_EIO. */
int tfr_text_writer_free(tfr_text_writer *w);

/* ---- reader ---- */
typedef struct tfr_text_reader tfr_text_reader;

/* A reader on fp; label names the input in messages ("stdin", a path). */
tfr_text_reader *tfr_text_reader_new(FILE *fp, const char *label, int *err);

/*
 * Read and check the header: kind must match, version must be between 1
 * and max_version, the first ncolumns column names must be `columns`
 * (more columns may follow and are ignored). TFR_OK or TFR_EFORMAT,
 * TFR_EEOF (empty input), TFR_EIO; see tfr_text_reader_error().
 */
int tfr_text_read_header(tfr_text_reader *r, const char *kind,
                         int max_version, const char *const *columns,
                         size_t ncolumns);

/*
 * Read the next record into fields[0..nfields-1] (numbers, each finite).
 * Returns 1 for a record, 0 at the end of the input, or a negative code
 * (TFR_EFORMAT, TFR_EIO, TFR_ENOMEM) with a message.
 */
int tfr_text_read_record(tfr_text_reader *r, double *fields, size_t nfields);

/* Set a format error at the current line (for checks made by callers on
 * a record's values): the message becomes "LABEL:LINE: text". */
int tfr_text_reader_fail(tfr_text_reader *r, const char *text);

const tfr_meta *tfr_text_reader_meta(const tfr_text_reader *r);
int tfr_text_reader_version(const tfr_text_reader *r);
/* Line number of the last line read (1-based). */
long tfr_text_reader_line(const tfr_text_reader *r);
/* "LABEL:LINE: what is wrong" for the last error. */
const char *tfr_text_reader_error(const tfr_text_reader *r);

void tfr_text_reader_free(tfr_text_reader *r);

#ifdef __cplusplus
}
#endif

#endif
