/* tool_input.c - stream input of the tfr tools, and the look at an
 * input's first bytes that tells audio from a stream (see tool.h; the
 * audio reader is tool_audio_in.c). */
#include "tool.h"
#include "tool_probe.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

const char *tool_input_label(const char *path)
{
	return !path || !strcmp(path, "-") ? "stdin" : path;
}

/* Reading a terminal would wait for typed audio or text: refused. */
void tool_refuse_terminal(const char *path)
{
	if ((!path || !strcmp(path, "-")) && isatty(STDIN_FILENO))
		tool_usage_error("no input file, and standard input is a terminal");
}

/* The first byte of standard input when tool_input_is_stream took it
 * from a pipe for audio: the audio reader gets it back. */
static unsigned char probed;
static size_t nprobed;

/* The first byte of gzip (RFC 1952): no audio container starts so, and
 * the stream reader takes gzip-compressed streams. */
#define GZIP_FIRST 0x1f

/* A named pipe (mkfifo, or a shell's <(...)) given to a tool that looks
 * at its input's first byte: a look through a second opening would take
 * bytes that no reader gets back, so the pipe is opened once, its first
 * byte kept, and the reader chosen takes both. */
static int fifo_fd = -1;
static const char *fifo_path;
static unsigned char fifo_byte;

/* Is path the named pipe kept by tool_input_is_stream? */
static int kept_fifo(const char *path)
{
	return fifo_fd >= 0 && path && !strcmp(path, fifo_path);
}

int tool_probed_stdin(unsigned char *c)
{
	if (!nprobed)
		return 0;
	*c = probed;
	return 1;
}

int tool_take_fifo(const char *path, unsigned char *first)
{
	if (!kept_fifo(path))
		return -1;
	int fd = fifo_fd;
	*first = fifo_byte;
	fifo_fd = -1;
	return fd;
}

int tool_is_kept_fifo(const char *path)
{
	return kept_fifo(path);
}

/* The first byte of the named pipe at path (a tfr stream: '#' or gzip's). */
static int fifo_first(const char *path)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		tool_die(TOOL_EXIT_FAIL, "%s: %s", path, strerror(errno));
	ssize_t n;
	do
		n = read(fd, &fifo_byte, 1);
	while (n < 0 && errno == EINTR);
	if (n <= 0)
		tool_die(TOOL_EXIT_FAIL, "%s: %s", path, n < 0 ? strerror(errno)
		         : "empty input");
	fifo_fd = fd;
	fifo_path = path;
	return fifo_byte;
}

int tool_input_is_stream(const char *path)
{
	tool_refuse_terminal(path);
	const char *label = tool_input_label(path);
	struct stat ps;
	if (path && strcmp(path, "-") && !stat(path, &ps) && S_ISFIFO(ps.st_mode)) {
		int c = fifo_first(path);
		return c == '#' || c == GZIP_FIRST;
	}
	if (path && strcmp(path, "-")) {
		FILE *f = fopen(path, "rb");
		if (!f)
			tool_die(TOOL_EXIT_FAIL, "%s: %s", label, strerror(errno));
		int c = getc(f);
		fclose(f);
		return c == '#' || c == GZIP_FIRST;
	}
	unsigned char c;
	ssize_t n;
	do
		n = read(STDIN_FILENO, &c, 1);
	while (n < 0 && errno == EINTR);
	if (n < 0)
		tool_die(TOOL_EXIT_FAIL, "stdin: %s", strerror(errno));
	if (n == 0)
		tool_die(TOOL_EXIT_FAIL, "stdin: empty input");
	if (c == '#' || c == GZIP_FIRST) {
		ungetc(c, stdin);  /* the stream reader reads stdin's FILE */
		return 1;
	}
	probed = c;
	nprobed = 1;
	return 0;
}

tfr_stream_reader *tool_stream_open(const char *path, const tfr_schema *expect)
{
	tool_refuse_terminal(path);
	const char *label = tool_input_label(path);
	FILE *fp = stdin;
	if (kept_fifo(path)) {  /* its first byte given back */
		if (!(fp = fdopen(fifo_fd, "r")) || ungetc(fifo_byte, fp) == EOF)
			tool_die(TOOL_EXIT_FAIL, "%s: %s", path, strerror(errno));
		fifo_fd = -1;
	} else if (path && strcmp(path, "-") && !(fp = fopen(path, "r"))) {
		tool_die(TOOL_EXIT_FAIL, "%s: %s", path, strerror(errno));
	}
	return tool_stream_open_fp(fp, label, expect);
}

/* The tool that makes each kind, and a pipeline from audio to it. */
static const struct {
	const char *kind, *maker, *pipeline;
} makers[] = {
	{ "points", "tfr-reassign", "tfr-reassign %s" },
	{ "peaks", "tfr-peaks", "tfr-reassign %s | tfr-peaks" },
	{ "partials", "tfr-track", "tfr-reassign %s | tfr-peaks | tfr-track" },
};

static int maker_of(const char *kind)
{
	for (int i = 0; i < (int)(sizeof makers / sizeof makers[0]); i++)
		if (!strcmp(kind, makers[i].kind))
			return i;
	return -1;
}

/* Audio (a container's name) where a stream of kind expect is read. */
static _Noreturn void audio_refused(const char *label, const char *audio,
                                    const tfr_schema *expect)
{
	int want = expect ? maker_of(expect->kind) : -1;
	const char *an = strchr("AEIMOR", audio[0]) ? "n" : "";  /* an AIFF */
	if (want < 0)
		tool_die(TOOL_EXIT_FAIL, "%s is a%s %s file, not a tfr stream", label,
		         an, audio);
	char pipeline[256];
	snprintf(pipeline, sizeof pipeline, makers[want].pipeline,
	         strcmp(label, "stdin") ? label : "a.wav");
	tool_die(TOOL_EXIT_FAIL, "%s is a%s %s file; %s reads the %s of %s: %s | %s",
	         label, an, audio, tool_name(), expect->kind, makers[want].maker,
	         pipeline, tool_name());
}

void tool_refuse_audio(const char *label, const void *head, size_t n,
                       const tfr_schema *expect)
{
	const char *audio = tfr_audio_detect(head, n);
	if (audio)
		audio_refused(label, audio, expect);
}

/* The header was refused: audio, or a stream of another kind, are said
 * with the tool that makes what this one reads; the rest as the reader
 * words it. */
static _Noreturn void stream_refused(const tfr_stream_reader *r, const char *label,
                                     const tfr_schema *expect)
{
	const char *kind = tfr_stream_reader_kind(r);
	int want = expect ? maker_of(expect->kind) : -1;
	if (tfr_stream_reader_audio(r))
		audio_refused(label, tfr_stream_reader_audio(r), expect);
	if (expect && kind[0] && strcmp(kind, expect->kind)) {
		int got = maker_of(kind);
		char made[64] = "";
		if (got >= 0)
			snprintf(made, sizeof made, " (made by %s)", makers[got].maker);
		tool_die(TOOL_EXIT_FAIL, "%s:%ld: expected a '%s' stream%s%s%s, got '%s'%s",
		         label, tfr_stream_reader_diag(r)->line, expect->kind,
		         want >= 0 ? " (made by " : "", want >= 0 ? makers[want].maker : "",
		         want >= 0 ? ")" : "", kind, made);
	}
	tool_die_diag(label, tfr_stream_reader_diag(r));
}

/* Set by a tool that reads channel-split streams (tool_accept_split). */
static int accept_split;

void tool_accept_split(void)
{
	accept_split = 1;
}

/* A header fault at the end of the header. */
static _Noreturn void header_fault(const tfr_stream_reader *r, const char *fmt,
                                   const char *key);

/* A channel-split stream: read with its channel (and its label, if it
 * has one), or refused by a tool that would mix its channels. */
static void open_split(tfr_stream_reader *r, const tfr_schema *expect)
{
	const tfr_schema *plain = tfr_schema_variant(expect, 0, 0);
	if (!plain || tfr_stream_reader_find(r, "channel") < 0)
		return;
	if (!accept_split)
		header_fault(r, "header: a channel-split stream (a 'channel' column): "
		             "%s takes one channel (tfr-select --channel N first)",
		             tool_name());
	int label = tfr_schema_column(expect, "label") >= 0 ||
	            tfr_stream_reader_find(r, "label") >= 0;
	if (tfr_stream_reader_use(r, tfr_schema_variant(plain, label, 1)) != TFR_OK)
		header_fault(r, "header: %s", tfr_stream_reader_diag(r)->text);
}

tfr_stream_reader *tool_stream_open_fp(FILE *fp, const char *label,
                                       const tfr_schema *expect)
{
	tfr_diag d;
	tfr_stream_reader *r = tfr_stream_reader_new(fp, label, &d);
	if (!r)
		tool_die_diag(label, &d);
	if (tfr_stream_read_header(r, expect) != TFR_OK)
		stream_refused(r, label, expect);
	if (expect)
		open_split(r, expect);
	return r;
}

int tool_stream_split(const tfr_stream_reader *r)
{
	const tfr_schema *s = tfr_stream_reader_schema(r);
	return s && tfr_schema_column(s, "channel") >= 0;
}

int tool_stream_read(tfr_stream_reader *r, void *record)
{
	int e = tfr_stream_read(r, record);
	if (e < 0)
		tool_die_diag(tfr_stream_reader_label(r), tfr_stream_reader_diag(r));
	return e;
}

int tool_stream_read_frame(tfr_stream_reader *r, const void **records,
                           size_t *n)
{
	int e = tfr_stream_read_frame(r, records, n);
	if (e < 0)
		tool_die_diag(tfr_stream_reader_label(r), tfr_stream_reader_diag(r));
	return e;
}

_Noreturn void tool_frame_error(const tfr_stream_reader *r, size_t i,
                                const char *what)
{
	tfr_diag f;
	tfr_diag_set(&f, TFR_EFORMAT, what);
	tfr_diag_at(&f, tfr_stream_reader_frame_line(r, i), 0);
	tool_die_diag(tfr_stream_reader_label(r), &f);
}

void tool_stream_close_input(tfr_stream_reader *r)
{
	FILE *fp = r ? tfr_stream_reader_file(r) : NULL;
	tfr_stream_reader_free(r);
	if (fp && fp != stdin)
		fclose(fp);
}

/* A header fault at the end of the header. */
static _Noreturn void header_fault(const tfr_stream_reader *r, const char *fmt,
                                   const char *key)
{
	tfr_diag d;
	tfr_diag_setf(&d, TFR_EFORMAT, fmt, key);
	tfr_diag_at(&d, tfr_stream_reader_header_end(r), 0);
	tool_die_diag(tfr_stream_reader_label(r), &d);
}

double tool_stream_meta_or(const tfr_stream_reader *r, const char *key,
                           double min, double max, double def)
{
	const tfr_meta *m = tfr_stream_reader_meta(r);
	double v;
	if (!tfr_meta_get(m, key))
		return def;
	if (tfr_meta_get_double(m, key, &v) != TFR_OK || !(v >= min && v <= max))
		header_fault(r, "header: '%s' is not a number in range", key);
	return v;
}

double tool_stream_meta(const tfr_stream_reader *r, const char *key,
                        double min, double max)
{
	if (!tfr_meta_get(tfr_stream_reader_meta(r), key))
		header_fault(r, "header: no '%s'", key);
	return tool_stream_meta_or(r, key, min, max, 0);
}

tfr_window_spec tool_stream_meta_window(const tfr_stream_reader *r)
{
	const char *name = tfr_meta_get(tfr_stream_reader_meta(r), "window");
	tfr_window_spec w;
	if (!name)
		header_fault(r, "header: no '%s'", "window");
	if (tfr_window_parse(name, &w) != TFR_OK)
		header_fault(r, "header: unknown window '%s'", name);
	return w;
}

int tool_stream_labels(tfr_stream_reader *r, const char *why)
{
	if (tfr_stream_reader_find(r, "label") < 0) {
		if (why)
			header_fault(r, "header: no 'label' column (%s: tfr-label "
			             "writes it)", why);
		return 0;
	}
	const tfr_schema *s = tfr_schema_variant(&tfr_partials_schema, 1,
	                                         tool_stream_split(r));
	if (tfr_stream_reader_use(r, s) != TFR_OK)
		header_fault(r, "header: %s", tfr_stream_reader_diag(r)->text);
	return 1;
}
