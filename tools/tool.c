/* tool.c - plumbing shared by the tfr-* programs (see tool.h). */
#include "tool.h"
#include "tfr.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* The program's own name and its partial output file: per-process state
 * of a command-line program, deliberately outside the library. */
static const char *progname = "tfr";
static const char *partial_output;

void tool_init(const char *name)
{
	progname = name;
}

const char *tool_name(void)
{
	return progname;
}

static void vmessage(const char *fmt, va_list ap)
{
	fprintf(stderr, "%s: ", progname);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
}

void tool_warn(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vmessage(fmt, ap);
	va_end(ap);
}

void tool_die(int status, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vmessage(fmt, ap);
	va_end(ap);
	if (partial_output)
		unlink(partial_output);
	exit(status);
}

void tool_usage_error(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vmessage(fmt, ap);
	va_end(ap);
	fprintf(stderr, "Try '%s --help' for more information.\n", progname);
	exit(TOOL_EXIT_USAGE);
}

void tool_version(void)
{
	printf("%s (tfr) %s\n", progname, tfr_version());
	exit(fflush(stdout) == 0 ? TOOL_EXIT_OK : TOOL_EXIT_FAIL);
}

double tool_parse_double(const char *opt, const char *arg, double min,
                         double max)
{
	double v;
	int e = tfr_parse_double(arg, &v);
	if (e != TFR_OK)
		tool_usage_error("%s: '%s' is not a number", opt, arg);
	if (v < min || v > max)
		tool_usage_error("%s: %s is out of range [%g, %g]", opt, arg, min, max);
	return v;
}

long tool_parse_long(const char *opt, const char *arg, long min, long max)
{
	char *end;
	errno = 0;
	long v = strtol(arg, &end, 10);
	if (end == arg || *end || errno == ERANGE)
		tool_usage_error("%s: '%s' is not an integer", opt, arg);
	if (v < min || v > max)
		tool_usage_error("%s: %s is out of range [%ld, %ld]", opt, arg, min, max);
	return v;
}

size_t tool_parse_list(const char *opt, const char *arg, double *out,
                       size_t maxn, double min, double max)
{
	size_t n = 0;
	const char *p = arg;
	for (;;) {
		const char *comma = strchr(p, ',');
		size_t len = comma ? (size_t)(comma - p) : strlen(p);
		char item[64];
		if (len == 0 || len >= sizeof item)
			tool_usage_error("%s: bad list '%s'", opt, arg);
		if (n == maxn)
			tool_usage_error("%s: more than %zu values", opt, maxn);
		memcpy(item, p, len);
		item[len] = 0;
		out[n++] = tool_parse_double(opt, item, min, max);
		if (!comma)
			return n;
		p = comma + 1;
	}
}

tool_length tool_parse_length(const char *opt, const char *arg)
{
	tool_length len = { 0, 0 };
	char *end;
	double v;
	if (tfr_parse_double_prefix(arg, &end, &v) != TFR_OK)
		tool_usage_error("%s: '%s' is not a length (samples, or time with ms or s)",
		                 opt, arg);
	if (!strcmp(end, "ms")) {
		len.value = v / 1000;
		len.is_time = 1;
	} else if (!strcmp(end, "s")) {
		len.value = v;
		len.is_time = 1;
	} else if (*end == 0) {
		if (v != floor(v))
			tool_usage_error("%s: '%s' is not a whole number of samples", opt, arg);
		len.value = v;
	} else {
		tool_usage_error("%s: '%s' is not a length (samples, or time with ms or s)",
		                 opt, arg);
	}
	if (!(len.value > 0) || len.value > 1e12)
		tool_usage_error("%s: '%s' must be positive", opt, arg);
	return len;
}

size_t tool_length_samples(const char *opt, tool_length len,
                           double sample_rate, size_t min)
{
	double n = len.is_time ? floor(len.value * sample_rate + 0.5) : len.value;
	if (n < (double)min)
		tool_usage_error("%s: %.0f samples is too short (at least %zu)", opt, n, min);
	if (n > (double)((size_t)1 << 26))
		tool_usage_error("%s: %.0f samples is too long", opt, n);
	return (size_t)n;
}

const char *tool_input_label(const char *path)
{
	return !path || !strcmp(path, "-") ? "stdin" : path;
}

void tool_set_output_file(const char *path)
{
	partial_output = path;
}

FILE *tool_open_output(const char *path, int binary)
{
	if (!path || !strcmp(path, "-")) {
		if (binary && isatty(STDOUT_FILENO))
			tool_die(TOOL_EXIT_FAIL, "%s (use -o FILE or a pipe)",
			         tfr_strerror(TFR_ETTY));
		return stdout;
	}
	FILE *fp = fopen(path, binary ? "wb" : "w");
	if (!fp)
		tool_die(TOOL_EXIT_FAIL, "%s: %s", path, strerror(errno));
	tool_set_output_file(path);
	return fp;
}

void tool_close_output(FILE *fp)
{
	int bad = fflush(fp) != 0 || ferror(fp);
	int err = errno;
	if (fclose(fp) != 0 && !bad) {
		bad = 1;
		err = errno;
	}
	if (bad)
		tool_die(TOOL_EXIT_FAIL, "write error: %s", strerror(err));
	tool_set_output_file(NULL);
}

/* Shell-safe: letters, digits and a few punctuation marks need no quotes. */
static int needs_quotes(const char *s)
{
	if (!*s)
		return 1;
	for (; *s; s++)
		if (!strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
		            "0123456789-_./:,=+%@", *s))
			return 1;
	return 0;
}

char *tool_history(int argc, char **argv)
{
	size_t size = 1;
	for (int i = 0; i < argc; i++)
		size += 4 * strlen(argv[i]) + 3;
	char *h = malloc(size), *p = h;
	if (!h)
		tool_die(TOOL_EXIT_FAIL, "out of memory");
	for (int i = 0; i < argc; i++) {
		const char *a = i == 0 ? progname : argv[i];
		if (i)
			*p++ = ' ';
		if (!needs_quotes(a)) {
			p += sprintf(p, "%s", a);
			continue;
		}
		*p++ = '\'';
		for (; *a; a++) {
			if (*a == '\'') {
				memcpy(p, "'\\''", 4);
				p += 4;
			} else if (*a == '\n' || *a == '\r' || *a == '\t') {
				*p++ = ' ';  /* keep the history on one line */
			} else {
				*p++ = *a;
			}
		}
		*p++ = '\'';
	}
	*p = 0;
	return h;
}
