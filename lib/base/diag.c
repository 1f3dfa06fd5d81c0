/* diag.c - error detail: what went wrong and where (see tfr_base.h). */
#include "tfr_base.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

void tfr_diag_clear(tfr_diag *d)
{
	if (!d)
		return;
	d->code = TFR_OK;
	d->line = 0;
	d->column = 0;
	d->text[0] = 0;
}

int tfr_diag_set(tfr_diag *d, int code, const char *text)
{
	if (!d)
		return code;
	tfr_diag_clear(d);
	d->code = code;
	if (text) {
		size_t n = strlen(text);
		if (n >= sizeof d->text)
			n = sizeof d->text - 1;
		memcpy(d->text, text, n);
		d->text[n] = 0;
	}
	return code;
}

int tfr_diag_setf(tfr_diag *d, int code, const char *fmt, ...)
{
	if (!d)
		return code;
	tfr_diag_clear(d);
	d->code = code;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(d->text, sizeof d->text, fmt, ap);
	va_end(ap);
	return code;
}

int tfr_diag_at(tfr_diag *d, long line, long column)
{
	if (!d)
		return TFR_OK;
	d->line = line;
	d->column = column;
	return d->code;
}

const char *tfr_diag_format(const tfr_diag *d, const char *label, char *buf,
                            size_t size)
{
	if (!buf || !size)
		return buf;
	const char *text = d && d->text[0] ? d->text
	                 : tfr_strerror(d ? d->code : TFR_OK);
	char where[64] = "";
	if (d && d->line > 0 && d->column > 0)
		snprintf(where, sizeof where, ":%ld:%ld", d->line, d->column);
	else if (d && d->line > 0)
		snprintf(where, sizeof where, ":%ld", d->line);
	if (label && *label) {
		if (d && d->line <= 0 && d->column > 0)
			snprintf(buf, size, "%s: column %ld: %s", label, d->column, text);
		else
			snprintf(buf, size, "%s%s: %s", label, where, text);
	} else if (d && d->line <= 0 && d->column > 0) {
		snprintf(buf, size, "column %ld: %s", d->column, text);
	} else if (where[0]) {
		snprintf(buf, size, "%s: %s", where + 1, text);
	} else {
		snprintf(buf, size, "%s", text);
	}
	return buf;
}
