/*
 * tool_envelope.c - envelopes over time given on the command line (see
 * tool.h): inline text, or the name of an envelope file, told apart as
 * the frequency maps' arguments are (tool_map_arg). A fault names the
 * envelope and where it is: "FILE:LINE:COLUMN: KIND: what" for a file
 * (bad input, exit 1), "KIND 'TEXT': column C: what" inline (a usage
 * error).
 */
#include "tool.h"
#include "tfr_envelope_io.h"

#include <errno.h>
#include <string.h>

void tool_envelope_arg(tool_envelope *e, const char *kind, const char *arg)
{
	tool_map m;
	tool_map_arg(&m, kind, arg);
	e->kind = kind;
	e->arg = m.arg;
	e->is_file = m.is_file;
	e->env = NULL;
}

void tool_envelope_fault(const tool_envelope *e, tfr_diag *d)
{
	char label[512], buf[800];
	if (e->is_file) {
		char text[sizeof d->text];
		memcpy(text, d->text, sizeof text);
		snprintf(d->text, sizeof d->text, "%s: %.200s", e->kind, text);
		tool_die_diag(e->arg, d);
	}
	snprintf(label, sizeof label, "%s '%s'", e->kind, e->arg);
	tool_usage_error("%s", tfr_diag_format(d, label, buf, sizeof buf));
}

void tool_envelope_load(tool_envelope *e, tfr_map_values xkind,
                        tfr_map_values ykind)
{
	tfr_diag d;
	int r;
	if (e->is_file) {
		FILE *fp = fopen(e->arg, "r");
		if (!fp)
			tool_die(TOOL_EXIT_FAIL, "%s: %s", e->arg, strerror(errno));
		r = tfr_envelope_read(fp, xkind, ykind, &e->env, &d);
		fclose(fp);
	} else {
		r = tfr_envelope_parse(e->arg, xkind, ykind, &e->env, &d);
	}
	if (r != TFR_OK)
		tool_envelope_fault(e, &d);
}

void tool_envelope_range(const tool_envelope *e, double min, double max,
                         const char *what)
{
	tfr_diag d;
	if (tfr_envelope_check_range(e->env, min, max, what, &d) != TFR_OK)
		tool_envelope_fault(e, &d);
}
