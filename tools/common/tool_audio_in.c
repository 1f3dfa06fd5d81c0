/* tool_audio_in.c - audio input of the tfr tools (see tool.h): opening
 * with a look at the first bytes (a stream where audio is expected is
 * named), reading with progress, libsndfile's own messages kept off
 * stderr. */
#include "tool.h"
#include "tool_probe.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* The input's name for messages (one audio input per tool). */
static const char *audio_label = "stdin";
static int audio_named;  /* the audio is a file (named, or < FILE) */

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
	tool_refuse_terminal(path);
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
	int fifo = !std && (tool_is_kept_fifo(path) ||
	                    (!stat(path, &ps) && S_ISFIFO(ps.st_mode)));
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
	} else if (tool_probed_stdin(head)) {  /* not '#': taken by
		                                      tool_input_is_stream */
		n = 1;
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
	int kept = tool_take_fifo(path, head);
	if (kept >= 0) {  /* its first byte is not a stream's */
		in = tfr_audio_in_new_fd(kept, head, 1, &d);
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
