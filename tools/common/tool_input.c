/* tool_input.c - audio and stream input of the tfr tools (see tool.h). */
#include "tool.h"

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
static void refuse_terminal(const char *path)
{
	if ((!path || !strcmp(path, "-")) && isatty(STDIN_FILENO))
		tool_usage_error("no input file, and standard input is a terminal");
}

/* The input's name for messages (one audio or stream input per tool). */
static const char *audio_label = "stdin";
static int audio_named;  /* the audio is a file (named, or < FILE) */
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
	refuse_terminal(path);
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

/* A tfr stream where audio is expected: one line that says so. */
static void refuse_stream(const char *label, const unsigned char *head, size_t n)
{
	char kind[32];
	if (tfr_stream_detect(head, n, kind, sizeof kind))
		tool_die(TOOL_EXIT_FAIL, "%s is a tfr %s stream, not audio; %s reads "
		         "audio (WAV, FLAC, AIFF, Ogg, ...)", label, kind, tool_name());
}

enum { HEAD_LINE = 64 };

/*
 * libsndfile's decoders may print on standard error themselves
 * (libmpg123, on a stream of one MPEG frame: "[src/libmpg123/parse.c:
 * do_readahead():1140] warning: ..."), and neither lets a caller turn
 * that off; a tool's stderr holds its own line only. Around the calls
 * into libsndfile that open and decode, stdio's stderr points at
 * /dev/null (glibc lets stderr be assigned; elsewhere nothing changes).
 * The audio is opened and read by one thread, which prints nothing
 * meanwhile.
 */
static FILE *quiet(void)
{
	FILE *saved = stderr;
#ifdef __GLIBC__
	static FILE *null;
	if (!null) {
		/* above 2: with stdout or stderr closed, /dev/null must not
		 * take their place (the output would vanish into it) */
		int fd = open("/dev/null", O_WRONLY | O_CLOEXEC);
		if (fd >= 0 && fd <= 2) {
			int high = fcntl(fd, F_DUPFD_CLOEXEC, 3);
			close(fd);
			fd = high;
		}
		if (fd >= 0 && !(null = fdopen(fd, "w")))
			close(fd);
	}
	if (null)
		stderr = null;
#endif
	return saved;
}

static void loud(FILE *saved)
{
#ifdef __GLIBC__
	stderr = saved;
#else
	(void)saved;
#endif
}

tfr_audio_in *tool_audio_open(const char *path)
{
	refuse_terminal(path);
	audio_label = tool_input_label(path);
	tfr_diag d;
	int std = !path || !strcmp(path, "-");
	/* a progress line for a file, unless standard input is a pipe: a
	 * tool in the middle of a pipeline (tfr-resynth --residual a.wav at
	 * the end of one from tfr-reassign a.wav) leaves the line to the
	 * first tool */
	struct stat st = { 0 };
	int in_pipe = !fstat(STDIN_FILENO, &st) && S_ISFIFO(st.st_mode);
	audio_named = std ? !in_pipe && S_ISREG(st.st_mode) : !in_pipe;
	unsigned char head[HEAD_LINE];
	size_t n = 0;
	struct stat ps;
	/* a named pipe's bytes are read once: its head is left to the
	 * reader (a look here would take them) */
	int fifo = !std && (kept_fifo(path) || (!stat(path, &ps) && S_ISFIFO(ps.st_mode)));
	if (!std && !fifo) {
		FILE *f = fopen(path, "rb");
		if (f) {  /* (a file that cannot be opened: the reader says why) */
			n = fread(head, 1, sizeof head, f);
			int err = ferror(f);
			fclose(f);
			if (n == 0 && !err)  /* (as /dev/null: said as a pipe's) */
				tool_die(TOOL_EXIT_FAIL, "%s: empty input (no audio file)",
				         audio_label);
			refuse_stream(audio_label, head, n);
		}
	} else if (fifo) {
		/* nothing to look at before the reader */
	} else if (nprobed) {  /* tool_input_is_stream took a byte: not '#' */
		head[0] = probed;
		n = nprobed;
	} else {
		/* the first byte, and a text line's first bytes when it is '#'
		 * (no audio container starts so): given back to the reader */
		ssize_t got;
		while (n < sizeof head) {
			do
				got = read(STDIN_FILENO, head + n, 1);
			while (got < 0 && errno == EINTR);
			if (got <= 0 || (head[n++] != '#' && n == 1) || head[n - 1] == '\n')
				break;
		}
		if (got < 0)
			tool_die(TOOL_EXIT_FAIL, "stdin: %s", strerror(errno));
		/* nothing at all (a pipe closed at once, < /dev/null) */
		if (n == 0)
			tool_die(TOOL_EXIT_FAIL, "stdin: empty input (no audio file)");
		refuse_stream(audio_label, head, n);
	}
	FILE *q = quiet();
	tfr_audio_in *in;
	if (kept_fifo(path)) {  /* its first byte is not a stream's */
		head[0] = fifo_byte;
		in = tfr_audio_in_new_fd(fifo_fd, head, 1, &d);
		fifo_fd = -1;
	} else {
		in = std ? tfr_audio_in_new_probed(head, n, &d)
		         : tfr_audio_in_new(path, &d);
	}
	loud(q);
	if (!in)
		tool_die_diag(tool_input_label(path), &d);
	return in;
}

/* The progress line of a tool reading an audio file (a pipe's reader is
 * not the first of its pipeline, whose line it would overwrite). */
static void progress(tfr_audio_in *in, long got)
{
	if (!audio_named)
		return;
	const tfr_audio_info *ai = tfr_audio_in_info(in);
	if (got == 0 || !(ai->sample_rate > 0)) {
		tool_progress_done();
		return;
	}
	double fs = ai->sample_rate;
	tool_progress_input((double)tfr_audio_in_frames_read(in) / fs,
	                    ai->frames > 0 ? (double)ai->frames / fs : -1);
}

static long checked(tfr_audio_in *in, long got)
{
	if (got < 0)
		tool_die_diag(audio_label, tfr_audio_in_diag(in));
	if (got == 0 && tfr_audio_in_frames_read(in) == 0)
		tool_die(TOOL_EXIT_FAIL, "%s: no audio samples in the input", audio_label);
	progress(in, got);
	return got;
}

long tool_audio_read(tfr_audio_in *in, float *buf, size_t nframes)
{
	FILE *q = quiet();
	long got = tfr_audio_in_read(in, buf, nframes);
	loud(q);
	return checked(in, got);
}

long tool_audio_read_mono(tfr_audio_in *in, float *buf, size_t nframes,
                          int channel)
{
	FILE *q = quiet();
	long got = tfr_audio_in_read_mono(in, buf, nframes, channel);
	loud(q);
	return checked(in, got);
}

tfr_stream_reader *tool_stream_open(const char *path, const tfr_schema *expect)
{
	refuse_terminal(path);
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
