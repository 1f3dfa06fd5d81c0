/* tool.c - identity, messages and exit of the tfr tools (see tool.h). */
#include "tool.h"
#include "tool_temp.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/* The program's name and command line: per-process state of a
 * command-line program, deliberately outside the library. */
static const char *progname = "tfr";
static char *history;

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

/* Append a quoted (if need be) word at p; returns the new end. */
static char *put_word(char *p, const char *a)
{
	if (!needs_quotes(a)) {
		size_t n = strlen(a);
		memcpy(p, a, n);
		return p + n;
	}
	*p++ = '\'';
	for (; *a; a++) {
		if (*a == '\'') {
			memcpy(p, "'\\''", 4);
			p += 4;
		} else {
			/* keep the history on one line */
			*p++ = *a == '\n' || *a == '\r' || *a == '\t' ? ' ' : *a;
		}
	}
	*p++ = '\'';
	return p;
}

/* The history line: the program's own name (not argv[0], which may be
 * anything), then the arguments. */
static char *make_history(int argc, char **argv)
{
	size_t size = strlen(progname) + 1;
	for (int i = 1; i < argc; i++)
		size += 4 * strlen(argv[i]) + 3;
	char *h = malloc(size), *p = h;
	if (!h)
		return NULL;
	p = put_word(p, progname);
	for (int i = 1; i < argc; i++) {
		*p++ = ' ';
		p = put_word(p, argv[i]);
	}
	*p = 0;
	return h;
}

/* ---- progress: one line on a terminal, rewritten in place ---- */

static void show_progress(double done, double total, long long page);

static struct {
	int tty;                   /* -1 not known yet, 0, 1 */
	int shown;                 /* a line is on the terminal */
	int quiet;                 /* --quiet */
	int own;                   /* the tool reports its own progress */
	double t0, last;           /* when the program began, the last line */
	double delay;              /* s of work before the first line */
} prog = { -1, 0, 0, 0, 0, 0, 2 };

static double now(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

void tool_init(const char *name, int argc, char **argv)
{
	progname = name;
	prog.t0 = prog.last = now();
	/* TFR_PROGRESS_DELAY: seconds of work before a progress line (2) */
	const char *d = getenv("TFR_PROGRESS_DELAY");
	char *end;
	double v = d ? strtod(d, &end) : NAN;
	if (d && end != d && !*end && v >= 0 && v < 1e6)
		prog.delay = v;
	if (!(history = make_history(argc, argv)))
		tool_die(TOOL_EXIT_FAIL, "out of memory");
}

const char *tool_name(void)
{
	return progname;
}

const char *tool_history(void)
{
	return history ? history : progname;
}

void tool_set_quiet(void)
{
	prog.quiet = 1;
}

void tool_progress_input(double done, double total)
{
	if (!prog.own)
		show_progress(done, total, 0);
}

void tool_progress(double done, double total, long long page)
{
	prog.own = 1;
	show_progress(done, total, page);
}

static void show_progress(double done, double total, long long page)
{
	if (prog.tty < 0)
		prog.tty = isatty(STDERR_FILENO);
	if (!prog.tty || prog.quiet)
		return;
	/* quiet for short work; at most twice a second */
	double t = now();
	if (t - prog.t0 < prog.delay || (prog.shown && t - prog.last < 0.5))
		return;
	prog.last = t;
	char line[96];
	int n = snprintf(line, sizeof line, "%s: %.1f s", progname, done);
	if (total >= 0 && n > 0 && (size_t)n < sizeof line)
		n += snprintf(line + n, sizeof line - (size_t)n, " of %.1f s", total);
	if (page > 0 && n > 0 && (size_t)n < sizeof line)
		snprintf(line + n, sizeof line - (size_t)n, ", page %lld", page);
	/* the cursor back at the start, for the next line */
	fprintf(stderr, "%-60s\r", line);
	prog.shown = 1;
}

void tool_progress_done(void)
{
	if (prog.shown)
		fprintf(stderr, "%60s\r", "");
	prog.shown = 0;
}

static void vmessage(const char *fmt, va_list ap)
{
	tool_progress_done();
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
	tool_temps_abandon();
	exit(status);
}

void tool_usage_error(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vmessage(fmt, ap);
	va_end(ap);
	fprintf(stderr, "Try '%s --help' for more information.\n", progname);
	tool_temps_abandon();
	exit(TOOL_EXIT_USAGE);
}

void tool_die_diag(const char *label, const tfr_diag *d)
{
	char buf[512];
	tool_die(TOOL_EXIT_FAIL, "%s", tfr_diag_format(d, label, buf, sizeof buf));
}

void tool_print_done(void)
{
	int bad = fflush(stdout) != 0 || ferror(stdout);
	int err = errno;
	if (fclose(stdout) != 0 && !bad) {
		bad = 1;
		err = errno;
	}
	if (bad)
		tool_die(TOOL_EXIT_FAIL, "stdout: write error: %s", strerror(err));
	exit(TOOL_EXIT_OK);
}

void tool_version(void)
{
	/* GNU's form, then the FFT backend compiled in (tfr_fft.h): the
	 * build option changes speed and the licence of the binary */
	printf("%s (tfr) %s\nFFT backend: %s\n", progname, tfr_version(),
	       tfr_fft_backend());
	tool_print_done();
}
