/*
 * text_lines.h - the lines and fields of the small text files users
 * write for the tools (frequency maps, envelopes over time), private to
 * lib/io: one line reader that refuses what is no such file, one field
 * splitter with the columns messages point at.
 */
#ifndef TFR_TEXT_LINES_H
#define TFR_TEXT_LINES_H

#include <stddef.h>
#include <stdio.h>

/* What is wrong with a file that is no text of ours. */
enum { TEXT_LONG_LINE = 1, TEXT_NUL_BYTE, TEXT_TOO_LONG };

/*
 * One line into buf (at most max_line - 1 bytes, without its '\n'),
 * *total counting the file's bytes: 1, 0 at the end, or -1 with *why: a
 * longer line, a NUL byte (/dev/zero), more than max_bytes in all (a
 * file that never ends: /dev/urandom, an endless pipe).
 */
int tfr_text_line(FILE *fp, char *buf, size_t max_line, size_t max_bytes,
                  size_t *total, int *why);

/*
 * The blank-separated fields of line ('#' starts a comment): up to max
 * of them in f, their lengths and 1-based columns; the count, or max + 1
 * when there are more (col[max] is then the first extra field's column,
 * so col needs max + 1 places).
 */
int tfr_text_fields(const char *line, const char **f, size_t *len, size_t *col,
                    int max);

#endif
