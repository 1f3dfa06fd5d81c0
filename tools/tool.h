/*
 * tool.h - plumbing shared by every tfr-* program: diagnostics, strict
 * option parsing, output handling. Lives once here so that every tool
 * speaks, parses and fails the same way.
 *
 * Exit status convention (documented in every man page):
 *   0 success, 1 bad input / I/O / library error, 2 usage error.
 */
#ifndef TFR_TOOL_H
#define TFR_TOOL_H

#include <stdio.h>
#include <stddef.h>

#define TOOL_EXIT_OK 0
#define TOOL_EXIT_FAIL 1
#define TOOL_EXIT_USAGE 2

/* Set the program name used as prefix of every message ("tfr-reassign"). */
void tool_init(const char *name);
const char *tool_name(void);

/* "name: message" on stderr. */
void tool_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* "name: message" on stderr, remove the partial output file (if one was
 * registered with tool_set_output_file), exit with status. */
_Noreturn void tool_die(int status, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Usage error: "name: message" plus a hint to --help, exit 2. */
_Noreturn void tool_usage_error(const char *fmt, ...)
	__attribute__((format(printf, 1, 2)));

/* Print "name (tfr) VERSION" on stdout and exit 0. */
_Noreturn void tool_version(void);

/*
 * Strict number parsing for option arguments: the whole argument must be
 * a finite number within [min, max]; otherwise a usage error naming the
 * option ("--hop: 'abc' is not a number"), exit 2.
 */
double tool_parse_double(const char *opt, const char *arg,
                         double min, double max);
long tool_parse_long(const char *opt, const char *arg, long min, long max);

/* A list of doubles separated by commas ("0.5,2,8"); returns the count,
 * at most maxn, each within [min, max]. */
size_t tool_parse_list(const char *opt, const char *arg, double *out,
                       size_t maxn, double min, double max);

/*
 * A length given in samples ("2048") or in time ("46.4ms", "0.5s"),
 * resolved later, once the sample rate is known.
 */
typedef struct {
	double value;
	int is_time;  /* 1: value is in seconds */
} tool_length;

tool_length tool_parse_length(const char *opt, const char *arg);
/* Samples, rounded to nearest; usage error when below min. */
size_t tool_length_samples(const char *opt, tool_length len,
                           double sample_rate, size_t min);

/* "stdin" for NULL or "-", else path: the name to use in messages. */
const char *tool_input_label(const char *path);

/*
 * Output handling. tool_open_output returns stdout for NULL or "-", else
 * the named file opened for writing (registered for removal on failure).
 * binary: refuse a terminal ("refusing to write binary data to a
 * terminal"). Exits 1 on failure.
 */
FILE *tool_open_output(const char *path, int binary);

/* Register (or clear with NULL) a file to delete if the tool dies. */
void tool_set_output_file(const char *path);

/*
 * Flush and close an output stream, checking for write errors (a full
 * disk, a closed pipe). Dies with status 1 on error; on success the file
 * is no longer removed on failure.
 */
void tool_close_output(FILE *fp);

/*
 * The command line as one history string ("tfr-reassign -l 2048 a.wav"),
 * arguments with blanks or quotes single-quoted; caller frees.
 */
char *tool_history(int argc, char **argv);

#endif /* TFR_TOOL_H */
