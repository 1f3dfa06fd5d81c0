/*
 * tool_map.c - maps over frequency given on the command line (see
 * tool.h): inline text, or the name of a map file. A fault names the map
 * and where it is: "FILE:LINE:COLUMN: KIND map: what" for a file (bad
 * input, exit 1), "KIND map 'TEXT': column C: what" inline (a usage
 * error).
 */
#include "tool.h"

#include <errno.h>
#include <string.h>

/* Inline text starts like a number; anything else is a file's name. */
static int is_inline(const char *a)
{
	return (a[0] >= '0' && a[0] <= '9') || a[0] == '-' || a[0] == '+' ||
	       (a[0] == '.' && a[1] >= '0' && a[1] <= '9');
}

void tool_map_arg(tool_map *m, const char *kind, const char *arg)
{
	m->kind = kind;
	m->is_file = arg[0] == '@' || !is_inline(arg);
	m->arg = arg[0] == '@' ? arg + 1 : arg;
	m->map = NULL;
}

void tool_map_fault(const tool_map *m, tfr_diag *d)
{
	char label[512], buf[800];
	if (m->is_file) {
		char text[sizeof d->text];
		memcpy(text, d->text, sizeof text);
		snprintf(d->text, sizeof d->text, "%s map: %.200s", m->kind, text);
		tool_die_diag(m->arg, d);
	}
	snprintf(label, sizeof label, "%s map '%s'", m->kind, m->arg);
	tool_usage_error("%s", tfr_diag_format(d, label, buf, sizeof buf));
}

void tool_map_load(tool_map *m, tfr_map_values values)
{
	tfr_diag d;
	int e;
	if (m->is_file) {
		FILE *fp = fopen(m->arg, "r");
		if (!fp)
			tool_die(TOOL_EXIT_FAIL, "%s: %s", m->arg, strerror(errno));
		e = tfr_map_read(fp, values, &m->map, &d);
		fclose(fp);
	} else {
		e = tfr_map_parse(m->arg, values, &m->map, &d);
	}
	if (e != TFR_OK)
		tool_map_fault(m, &d);
}
