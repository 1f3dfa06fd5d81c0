/*
 * text_lines.c - lines and fields of the users' small text files
 * (text_lines.h).
 */
#include "text_lines.h"

#include <ctype.h>

int tfr_text_line(FILE *fp, char *buf, size_t max_line, size_t max_bytes,
                  size_t *total, int *why)
{
	size_t n = 0;
	int c, any = 0;
	while ((c = getc(fp)) != EOF) {
		any = 1;
		if (++*total > max_bytes)
			return *why = TEXT_TOO_LONG, -1;
		if (c == '\n')
			break;
		if (c == 0)
			return *why = TEXT_NUL_BYTE, -1;
		if (n == max_line - 1)
			return *why = TEXT_LONG_LINE, -1;
		buf[n++] = (char)c;
	}
	buf[n] = 0;
	return any;
}

int tfr_text_fields(const char *line, const char **f, size_t *len, size_t *col,
                    int max)
{
	int n = 0;
	const char *p = line;
	for (;;) {
		while (*p == ' ' || *p == '\t' || *p == '\r')
			p++;
		if (*p == '\0' || *p == '\n' || *p == '#')
			return n;
		if (n == max) {
			col[n] = (size_t)(p - line) + 1;
			return max + 1;
		}
		f[n] = p;
		col[n] = (size_t)(p - line) + 1;
		while (*p && !isspace((unsigned char)*p) && *p != '#')
			p++;
		len[n] = (size_t)(p - f[n]);
		n++;
	}
}
