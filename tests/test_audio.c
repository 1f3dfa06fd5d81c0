/*
 * test_audio.c - audio I/O: integer output rounds exactly and clips
 * instead of wrapping (file and pipe paths), the streaming WAV written
 * to a pipe reads back to its end through libsndfile, truncated files
 * are reported, channel selection and mixing.
 */
#include "testutil.h"
#include "tfr.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

enum { LEN = 70000 };

/* Every 16-bit code as float, then four out-of-range values. */
static void fill(float *x)
{
	for (int i = 0; i < 65536; i++)
		x[i] = (float)(i - 32768) / 32768.0f;
	x[65536] = 1.5f;
	x[65537] = -1.5f;
	x[65538] = 1.0f;
	x[65539] = -1.0f;
	for (int i = 65540; i < LEN; i++)
		x[i] = 0.25f;
}

static void write_to(const char *path, const float *x, tfr_sample_format fmt)
{
	tfr_audio_out *o;
	char msg[256];
	if (tfr_audio_out_open(&o, path, 8000, 1, fmt, msg, sizeof msg) != TFR_OK) {
		fprintf(stderr, "open %s: %s\n", path ? path : "stdout", msg);
		exit(1);
	}
	CHECK("write", tfr_audio_out_write(o, x, LEN) == TFR_OK);
	CHECK("three samples clipped", tfr_audio_out_clipped(o) == 3);
	CHECK("close", tfr_audio_out_close(o) == TFR_OK);
}

static void check_read(const char *what, const char *path, const float *x,
                       int pipe_expected)
{
	tfr_audio_in *in;
	char msg[256];
	if (!CHECK(what, tfr_audio_in_open(&in, path, msg, sizeof msg) == TFR_OK))
		return;
	const tfr_audio_info *ai = tfr_audio_in_info(in);
	CHECK(what, ai->channels == 1 && ai->sample_rate == 8000);
	CHECK(what, ai->is_pipe == pipe_expected);
	/* libsndfile zero-fills the rest of a short read: give it room */
	size_t cap = LEN + 1000;
	float *y = calloc(cap, sizeof *y);
	size_t n = 0;
	long got;
	while ((got = tfr_audio_in_read(in, y + n, cap - n < 1000 ? cap - n : 1000)) > 0)
		n += (size_t)got;
	CHECK(what, got == 0 && n == LEN);
	size_t bad = 0;
	for (int i = 0; i < 65536; i++)
		bad += y[i] != x[i];
	CHECK("every 16-bit code exact", bad == 0);
	CHECK_NEAR("+1.5 clipped", y[65536], 32767 / 32768.0, 0);
	CHECK_NEAR("-1.5 clipped", y[65537], -1, 0);
	CHECK_NEAR("+1.0 clipped", y[65538], 32767 / 32768.0, 0);
	free(y);
	tfr_audio_in_close(in);
}

int main(void)
{
	float *x = malloc(LEN * sizeof *x);
	fill(x);
	char path[] = "/tmp/tfr-test-audio-XXXXXX";
	int fd = mkstemp(path);
	close(fd);
	write_to(path, x, TFR_SAMPLE_PCM16);
	check_read("file PCM16", path, x, 0);

	/* A pipe: the writer streams WAV with unknown sizes. */
	int pfd[2];
	if (pipe(pfd) != 0)
		return 1;
	pid_t pid = fork();
	if (pid == 0) {
		close(pfd[0]);
		dup2(pfd[1], 1);
		close(pfd[1]);
		write_to(NULL, x, TFR_SAMPLE_PCM16);
		_exit(test_failures ? 1 : 0);
	}
	close(pfd[1]);
	char fdpath[64];
	snprintf(fdpath, sizeof fdpath, "/dev/fd/%d", pfd[0]);
	check_read("pipe PCM16", fdpath, x, 1);
	close(pfd[0]);
	int status;
	waitpid(pid, &status, 0);
	CHECK("pipe writer exit", WIFEXITED(status) && WEXITSTATUS(status) == 0);

	/* Truncate the file in the middle of its data: reading must fail. */
	CHECK("truncate", truncate(path, 44 + 2 * 1000) == 0);
	tfr_audio_in *in;
	char msg[256];
	if (tfr_audio_in_open(&in, path, msg, sizeof msg) == TFR_OK) {
		float buf[4096];
		long got;
		while ((got = tfr_audio_in_read(in, buf, 4096)) > 0)
			;
		CHECK("truncated file reported", got == TFR_EEOF);
		tfr_audio_in_close(in);
	}

	/* Not audio at all */
	FILE *fp = fopen(path, "w");
	fputs("this is not a sound file\n", fp);
	fclose(fp);
	CHECK("text refused", tfr_audio_in_open(&in, path, msg, sizeof msg) == TFR_EAUDIO);

	/* Stereo: channel pick and mix */
	float st[8] = { 0.5f, -0.25f, 0.5f, -0.25f, 0.5f, -0.25f, 0.5f, -0.25f };
	tfr_audio_out *o;
	tfr_audio_out_open(&o, path, 8000, 2, TFR_SAMPLE_FLOAT, msg, sizeof msg);
	tfr_audio_out_write(o, st, 4);
	tfr_audio_out_close(o);
	float m[4];
	tfr_audio_in_open(&in, path, msg, sizeof msg);
	CHECK("stereo channel 2", tfr_audio_in_read_mono(in, m, 2, 2) == 2 && m[0] == -0.25f);
	CHECK("stereo mix", tfr_audio_in_read_mono(in, m, 2, 0) == 2 && m[1] == 0.125f);
	CHECK("bad channel", tfr_audio_in_read_mono(in, m, 2, 3) == TFR_EINVAL);
	tfr_audio_in_close(in);
	unlink(path);
	free(x);
	return test_finish("test_audio");
}
