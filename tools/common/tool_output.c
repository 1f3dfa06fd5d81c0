/*
 * tool_output.c - outputs that never lose a user's data (see tool.h).
 *
 * A regular file named by -o is written under a temporary name in its
 * directory and renamed over the name only when complete, so a failed or
 * killed run leaves the old file (or nothing) there, never half a result;
 * a run removes only the temporary files it made. Devices, FIFOs and
 * sockets are written directly and never removed. An output that is the
 * input is refused before anything is opened.
 */
/* realpath() is XSI */
#define _XOPEN_SOURCE 700

#include "tool.h"
#include "tool_output_impl.h"
#include "tool_temp.h"

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>


static int is_stdio(const char *path)
{
	return !path || !strcmp(path, "-");
}

void tool_check_output(const char *output, const char *input)
{
	struct stat so, si;
	if (is_stdio(output) || stat(output, &so) != 0)
		return;
	int in = is_stdio(input) ? fstat(0, &si) : stat(input, &si);
	if (in == 0 && so.st_dev == si.st_dev && so.st_ino == si.st_ino &&
	    S_ISREG(so.st_mode))
		tool_usage_error("%s: the output is the input file (%s)", output,
		                 tool_input_label(input));
}

/* A temporary file beside final, with the permissions a new file (or
 * the file it replaces) would have. */
static int make_temp(tool_output *o, int slot, const struct stat *old)
{
	char dir[PATH_MAX], base[PATH_MAX], name[PATH_MAX];
	snprintf(dir, sizeof dir, "%s", o->final);
	snprintf(base, sizeof base, "%s", o->final);
	int n = snprintf(name, sizeof name, "%s/.%s.tfr-XXXXXX", dirname(dir),
	                 basename(base));
	if (n < 0 || n >= PATH_MAX)
		tool_die(TOOL_EXIT_FAIL, "%s: name too long", o->label);
	int fd = tool_temp_create(slot, name);
	if (fd < 0)
		tool_die(TOOL_EXIT_FAIL, "%s: %s", o->label, strerror(errno));
	mode_t mode;
	if (old) {
		mode = old->st_mode & 07777;
	} else {
		mode_t mask = umask(0);
		umask(mask);
		mode = 0666 & ~mask;
	}
	fchmod(fd, mode);
	return fd;
}

static int free_slot(void)
{
	int slot = tool_temp_slot();
	if (slot < 0)
		tool_die(TOOL_EXIT_FAIL, "too many outputs");
	return slot;
}

tool_output *tool_output_open(const char *path, int binary)
{
	tool_output *o = calloc(1, sizeof *o);
	if (!o)
		tool_die(TOOL_EXIT_FAIL, "out of memory");
	o->slot = -1;
	if (is_stdio(path)) {
		if (binary && isatty(STDOUT_FILENO))
			tool_die(TOOL_EXIT_FAIL, "refusing to write binary data to a "
			         "terminal (use -o FILE or a pipe)");
		o->label = "stdout";
		o->fd = STDOUT_FILENO;
		o->fp = stdout;
		return o;
	}
	o->label = path;
	struct stat st;
	int exists = lstat(path, &st) == 0;
	if (exists && S_ISLNK(st.st_mode)) {
		/* write the file the link points to, keeping the link */
		if (!(o->final = realpath(path, NULL)) || stat(o->final, &st) != 0)
			tool_die(TOOL_EXIT_FAIL, "%s: a symbolic link to nothing", path);
	} else if (!(o->final = strdup(path))) {
		tool_die(TOOL_EXIT_FAIL, "out of memory");
	}
	if (exists && S_ISDIR(st.st_mode))
		tool_die(TOOL_EXIT_FAIL, "%s: %s", path, strerror(EISDIR));
	if (exists && !S_ISREG(st.st_mode)) {
		/* a device, FIFO or socket: written in place, never removed */
		if ((o->fd = open(o->final, O_WRONLY)) < 0)
			tool_die(TOOL_EXIT_FAIL, "%s: %s", path, strerror(errno));
	} else {
		/* a read-only file stays as it is, even for root (who could
		 * write it, but should not have it replaced by accident) */
		if (exists && (access(o->final, W_OK) != 0 ||
		               !(st.st_mode & (S_IWUSR | S_IWGRP | S_IWOTH))))
			tool_die(TOOL_EXIT_FAIL, "%s: %s", path, strerror(EACCES));
		o->slot = free_slot();
		o->fd = make_temp(o, o->slot, exists ? &st : NULL);
	}
	if (!(o->fp = fdopen(o->fd, binary ? "wb" : "w")))
		tool_die(TOOL_EXIT_FAIL, "%s: %s", path, strerror(errno));
	return o;
}

FILE *tool_output_file(tool_output *o)
{
	return o->fp;
}

int tool_output_fd(const tool_output *o)
{
	return o->fd;
}

const char *tool_output_label(const tool_output *o)
{
	return o->label;
}

void tool_output_close(tool_output *o)
{
	int bad = fflush(o->fp) != 0 || ferror(o->fp);
	int err = errno;
	if (o->fp == stdout) {
		/* stdout stays open for the C library's own exit; its errors
		 * are the ones to report */
		if (bad)
			tool_die(TOOL_EXIT_FAIL, "%s: write error: %s", o->label, strerror(err));
		free(o->final);
		free(o);
		return;
	}
	if (fclose(o->fp) != 0 && !bad) {
		bad = 1;
		err = errno;
	}
	if (bad)
		tool_die(TOOL_EXIT_FAIL, "%s: write error: %s", o->label, strerror(err));
	if (o->slot >= 0) {
		if (tool_temp_commit(o->slot, o->final) != 0)
			tool_die(TOOL_EXIT_FAIL, "%s: %s", o->label, strerror(errno));
	}
	free(o->final);
	free(o);
}

void tool_output_failed(tool_output *o)
{
	tool_die(TOOL_EXIT_FAIL, "%s: write error: %s", o->label,
	         errno ? strerror(errno) : "input/output error");
}

/* The input's metadata as it was when the header went out. */
static tfr_meta *header_input_meta;

tfr_stream_writer *tool_stream_create(tool_output *o, const tfr_schema *s,
                                      const tfr_stream_reader *in,
                                      const tfr_meta *meta)
{
	tfr_meta *m = tfr_meta_new();
	int e = m ? TFR_OK : TFR_ENOMEM;
	if (!e && in) {
		e = tfr_meta_copy(m, tfr_stream_reader_meta(in));
		tfr_meta_free(header_input_meta);
		if (!e && !(header_input_meta = tfr_meta_new()))
			e = TFR_ENOMEM;
		if (!e)
			e = tfr_meta_copy(header_input_meta, tfr_stream_reader_meta(in));
	}
	for (size_t i = 0; !e && meta && i < tfr_meta_count(meta); i++)
		e = tfr_meta_set(m, tfr_meta_key(meta, i), tfr_meta_value(meta, i));
	if (!e)
		e = tfr_meta_add(m, "history", tool_history());
	if (e)
		tool_die(TOOL_EXIT_FAIL, "%s", tfr_strerror(e));
	tfr_diag d;
	tfr_stream_writer *w = tfr_stream_writer_new(o->fp, s, m, &d);
	tfr_meta_free(m);
	if (!w)
		tool_die_diag(o->label, &d);
	/* a name ending in .gz gets what it says: gzip (gzip's level 6) */
	size_t n = strlen(o->label);
	if (n > 3 && !strcmp(o->label + n - 3, ".gz") &&
	    tfr_stream_writer_gzip(w, 6) != TFR_OK)
		tool_die(TOOL_EXIT_FAIL, "out of memory");
	return w;
}

void tool_stream_write(tool_output *o, tfr_stream_writer *w,
                       const void *records, size_t n)
{
	errno = 0;
	if (tfr_stream_write(w, records, n) != TFR_OK)
		tool_output_failed(o);
}

void tool_stream_close(tool_output *o, tfr_stream_writer *w,
                       const tfr_stream_reader *in, const tfr_meta *trailers)
{
	errno = 0;
	int e = tfr_stream_write_header(w);
	const tfr_meta *now = in ? tfr_stream_reader_meta(in) : NULL;
	for (size_t i = 0; !e && now && i < tfr_meta_count(now); i++) {
		const char *k = tfr_meta_key(now, i), *v = tfr_meta_value(now, i);
		const char *was = header_input_meta ? tfr_meta_get(header_input_meta, k) : NULL;
		if (strcmp(k, "history") && (!was || strcmp(was, v)))
			e = tfr_stream_write_trailer(w, k, v);
	}
	for (size_t i = 0; !e && trailers && i < tfr_meta_count(trailers); i++)
		e = tfr_stream_write_trailer(w, tfr_meta_key(trailers, i),
		                             tfr_meta_value(trailers, i));
	if (tfr_stream_writer_close(w) != TFR_OK || e)
		tool_output_failed(o);
	tfr_meta_free(header_input_meta);
	header_input_meta = NULL;
	tool_output_close(o);
}

void tool_stream_close_frames(tool_output *o, tfr_stream_writer *w,
                              int64_t frames, const tfr_meta *more)
{
	tfr_meta *end = tfr_meta_new();
	int e = end ? tfr_meta_set_int(end, "source_frames", frames) : TFR_ENOMEM;
	for (size_t i = 0; !e && more && i < tfr_meta_count(more); i++)
		e = tfr_meta_set(end, tfr_meta_key(more, i), tfr_meta_value(more, i));
	if (e)
		tool_die(TOOL_EXIT_FAIL, "out of memory");
	tool_stream_close(o, w, NULL, end);
	tfr_meta_free(end);
}

const char *tool_meta_text(const char *s)
{
	static char buf[4096];
	snprintf(buf, sizeof buf, "%s", s);
	for (char *p = buf; *p; p++)
		if (*p == '\n' || *p == '\r')
			*p = ' ';
	return buf;
}
