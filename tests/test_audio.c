/*
 * test_audio.c - audio I/O: integer output rounds exactly and clips
 * instead of wrapping (file and pipe paths), the streaming WAV written
 * to a pipe reads back to its end (with exact sizes when the length is
 * known), every container libsndfile reads works on a pipe (FLAC, Ogg,
 * AIFF), truncated input is reported on files and pipes alike (short
 * data, a sample cut in half), samples that are not finite or beyond
 * TFR_MAX_SAMPLE are refused, channel selection and mixing.
 */
#include "testutil.h"
#include "tfr.h"

#include <fcntl.h>
#include <math.h>
#include <sndfile.h>
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

/* Write x through tfr_audio_out on fd (the name gives the type). */
static void write_fd(int fd, const char *name, const float *x, size_t n,
                     int channels, tfr_sample_format fmt, int64_t frames,
                     int64_t want_clipped)
{
	tfr_audio_out_params p;
	tfr_diag d;
	tfr_audio_out_params_default(&p);
	p.fd = fd;
	p.name = name;
	p.sample_rate = 8000;
	p.channels = channels;
	p.format = fmt;
	p.frames = frames;
	tfr_audio_out *o = tfr_audio_out_new(&p, &d);
	if (!CHECK("audio_out_new", o != NULL)) {
		fprintf(stderr, "%s\n", d.text);
		exit(1);
	}
	CHECK("write", tfr_audio_out_write(o, x, n) == TFR_OK);
	if (want_clipped >= 0)
		CHECK("clipped samples counted", tfr_audio_out_clipped(o) == want_clipped);
	CHECK("close", tfr_audio_out_close(o) == TFR_OK);
}

static void write_path(const char *path, const float *x, size_t n,
                       int channels, tfr_sample_format fmt)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	write_fd(fd, path, x, n, channels, fmt, -1, -1);
	close(fd);
}

/* Read everything; the count, and the last return value in *last. */
static size_t read_all(tfr_audio_in *in, float *y, size_t cap, long *last)
{
	size_t n = 0;
	long got;
	while ((got = tfr_audio_in_read(in, y + n, cap - n < 1000 ? cap - n : 1000)) > 0)
		n += (size_t)got;
	*last = got;
	return n;
}

/* A child that writes the bytes of file (or buf) to a pipe: the read end,
 * as a path /dev/fd/N, and the child's pid. */
static pid_t pipe_from(const char *file, const unsigned char *buf, size_t n,
                       char path[64], int *rfd)
{
	int pfd[2];
	if (pipe(pfd) != 0)
		exit(1);
	pid_t pid = fork();
	if (pid == 0) {
		close(pfd[0]);
		if (file) {
			int fd = open(file, O_RDONLY);
			char b[8192];
			ssize_t k;
			while ((k = read(fd, b, sizeof b)) > 0)
				if (write(pfd[1], b, (size_t)k) != k)
					_exit(1);
		} else if (write(pfd[1], buf, n) != (ssize_t)n) {
			_exit(1);
		}
		_exit(0);
	}
	close(pfd[1]);
	*rfd = pfd[0];
	snprintf(path, 64, "/dev/fd/%d", pfd[0]);
	return pid;
}

static void end_pipe(pid_t pid, int rfd)
{
	int status;
	close(rfd);
	waitpid(pid, &status, 0);
}

static void check_pcm16(const char *what, const char *path, const float *x,
                        int pipe_expected)
{
	tfr_diag d;
	tfr_audio_in *in = tfr_audio_in_new(path, &d);
	if (!CHECK(what, in != NULL))
		return;
	const tfr_audio_info *ai = tfr_audio_in_info(in);
	CHECK(what, ai->channels == 1 && ai->sample_rate == 8000);
	CHECK(what, ai->is_pipe == pipe_expected);
	size_t cap = LEN + 1000;
	float *y = calloc(cap, sizeof *y);
	long last;
	size_t n = read_all(in, y, cap, &last);
	CHECK(what, last == 0 && n == LEN);
	size_t bad = 0;
	for (int i = 0; i < 65536; i++)
		bad += y[i] != x[i];
	CHECK("every 16-bit code exact", bad == 0);
	CHECK_NEAR("+1.5 clipped", y[65536], 32767 / 32768.0, 0);
	CHECK_NEAR("-1.5 clipped", y[65537], -1, 0);
	CHECK_NEAR("+1.0 clipped", y[65538], 32767 / 32768.0, 0);
	free(y);
	tfr_audio_in_free(in);
}

/* The pipe writer: unknown sizes, or exact ones when the length is
 * given; both read back whole, through a pipe. */
static void stream_writer(const float *x)
{
	for (int exact = 0; exact < 2; exact++) {
		int pfd[2];
		if (pipe(pfd) != 0)
			exit(1);
		pid_t pid = fork();
		if (pid == 0) {
			close(pfd[0]);
			write_fd(pfd[1], NULL, x, LEN, 1, TFR_SAMPLE_PCM16,
			         exact ? LEN : -1, 3);
			_exit(test_failures ? 1 : 0);
		}
		close(pfd[1]);
		unsigned char h[44];
		CHECK("stream header", read(pfd[0], h, 44) == 44);
		uint32_t data = (uint32_t)h[40] | (uint32_t)h[41] << 8 |
		                (uint32_t)h[42] << 16 | (uint32_t)h[43] << 24;
		uint32_t riff = (uint32_t)h[4] | (uint32_t)h[5] << 8 |
		                (uint32_t)h[6] << 16 | (uint32_t)h[7] << 24;
		if (exact)
			CHECK("exact sizes when the length is known",
			      data == 2 * LEN && riff == 2 * LEN + 36);
		else
			CHECK("unknown sizes otherwise", data == 0xFFFFFFFFu);
		size_t total = 44;
		char b[8192];
		ssize_t k;
		while ((k = read(pfd[0], b, sizeof b)) > 0)
			total += (size_t)k;
		CHECK("stream length", total == 44 + 2 * (size_t)LEN);
		close(pfd[0]);
		int status;
		waitpid(pid, &status, 0);
		CHECK("pipe writer exit", WIFEXITED(status) && WEXITSTATUS(status) == 0);
	}
}

/* Write a file in another container with libsndfile itself. */
static void write_sndfile(const char *path, int format, const float *x,
                          size_t n)
{
	SF_INFO si = { .samplerate = 8000, .channels = 1, .format = format };
	SNDFILE *sf = sf_open(path, SFM_WRITE, &si);
	if (!CHECK("libsndfile writes the test file", sf != NULL))
		return;
	sf_writef_float(sf, x, (sf_count_t)n);
	sf_close(sf);
}

/* FLAC, Ogg Vorbis and AIFF through a pipe: whole and in order. */
static void containers(const char *path)
{
	static const struct { const char *name; int format; double tol; } c[] = {
		{ "flac", SF_FORMAT_FLAC | SF_FORMAT_PCM_16, 1.0 / 32768 },
		{ "ogg", SF_FORMAT_OGG | SF_FORMAT_VORBIS, 0.05 },
		{ "aiff", SF_FORMAT_AIFF | SF_FORMAT_PCM_24, 1.0 / 8388608 },
	};
	size_t n = 3 * 48000;  /* 18 s: beyond any look-ahead */
	float *x = malloc(n * sizeof *x), *y = malloc((n + 1000) * sizeof *y);
	for (size_t i = 0; i < n; i++)
		x[i] = 0.5f * (float)sin(2 * M_PI * 440 * (double)i / 8000);
	for (size_t k = 0; k < sizeof c / sizeof c[0]; k++) {
		write_sndfile(path, c[k].format, x, n);
		char fdpath[64];
		int rfd;
		pid_t pid = pipe_from(path, NULL, 0, fdpath, &rfd);
		tfr_diag d;
		tfr_audio_in *in = tfr_audio_in_new(fdpath, &d);
		if (!CHECK(c[k].name, in != NULL)) {
			fprintf(stderr, "%s on a pipe: %s\n", c[k].name, d.text);
			end_pipe(pid, rfd);
			continue;
		}
		long last;
		size_t got = read_all(in, y, n + 1000, &last);
		double err = 0;
		for (size_t i = 1000; i < n - 1000 && got == n; i++)
			err = fmax(err, fabs(y[i] - x[i]));
		if (!CHECK(c[k].name, last == 0 && got == n && err <= c[k].tol))
			fprintf(stderr, "%s on a pipe: %zu of %zu frames, error %g\n",
			        c[k].name, got, n, err);
		tfr_audio_in_free(in);
		end_pipe(pid, rfd);
	}
	free(x);
	free(y);
}

/* Truncation: data shorter than the header says and a frame cut in
 * half, on a file and on a pipe; the frames that are there come first. */
static void truncation(const char *path, const float *x)
{
	write_path(path, x, LEN, 1, TFR_SAMPLE_PCM16);
	FILE *fp = fopen(path, "rb");
	static unsigned char wav[44 + 2 * LEN];
	size_t size = fread(wav, 1, sizeof wav, fp);
	fclose(fp);
	CHECK("wav size", size == sizeof wav);
	/* cut: in the data (a file, a pipe), inside a sample with the header
	 * saying so; a streaming header (unknown size) cut inside a sample */
	for (int c = 0; c < 4; c++) {
		size_t keep = c == 2 ? 44 + 2001 : 44 + 2000;
		unsigned char *buf = malloc(keep);
		memcpy(buf, wav, keep);
		if (c == 3) {
			keep = 44 + 2001;
			memset(buf + 40, 0xFF, 4);
			memset(buf + 4, 0xFF, 4);
		}
		char fdpath[64];
		int rfd = -1;
		pid_t pid = 0;
		const char *src = path;
		if (c == 0) {
			fp = fopen(path, "wb");
			fwrite(buf, 1, keep, fp);
			fclose(fp);
		} else {
			pid = pipe_from(NULL, buf, keep, fdpath, &rfd);
			src = fdpath;
		}
		tfr_diag d;
		tfr_audio_in *in = tfr_audio_in_new(src, &d);
		if (CHECK("truncated input opens", in != NULL)) {
			float y[LEN];
			long last;
			size_t n = read_all(in, y, LEN, &last);
			if (!CHECK("truncated input reported", last == TFR_EEOF && n == 1000))
				fprintf(stderr, "cut %d: last %ld after %zu frames\n", c, last, n);
			tfr_audio_in_free(in);
		}
		if (pid)
			end_pipe(pid, rfd);
		free(buf);
	}
}

/* Float input with NaN, infinity or huge values: refused, after the
 * frames before them. */
static void bad_samples(const char *path)
{
	float bad[] = { NAN, INFINITY, 1e20f, 2e37f, -3e6f };
	for (size_t k = 0; k < sizeof bad / sizeof bad[0]; k++) {
		float x[100] = { 0 };
		x[50] = bad[k];
		write_sndfile(path, SF_FORMAT_WAV | SF_FORMAT_FLOAT, x, 100);
		tfr_diag d;
		tfr_audio_in *in = tfr_audio_in_new(path, &d);
		float y[100];
		long got = tfr_audio_in_read(in, y, 100);
		CHECK("bad sample refused", got == TFR_EFORMAT);
		CHECK("its frame named", strstr(tfr_audio_in_diag(in)->text, "sample 50") != NULL);
		tfr_audio_in_free(in);
	}
	float ok[3] = { 1e6f, -1e6f, 1.5f };  /* loud, but within +120 dBFS */
	write_sndfile(path, SF_FORMAT_WAV | SF_FORMAT_FLOAT, ok, 3);
	tfr_diag d;
	tfr_audio_in *in = tfr_audio_in_new(path, &d);
	float y[3];
	CHECK("large finite samples within the limit pass",
	      tfr_audio_in_read(in, y, 3) == 3 && y[0] == 1e6f);
	tfr_audio_in_free(in);
}

/* Short garbage on a pipe is refused like the same bytes in a file. */
static void garbage_pipe(void)
{
	static const unsigned char g[26] = "RIFF\x12\x00\x00\x00WAVEfmt \x10\x00\x00\x00\x01\x00";
	char fdpath[64];
	int rfd;
	pid_t pid = pipe_from(NULL, g, sizeof g, fdpath, &rfd);
	tfr_diag d;
	tfr_audio_in *in = tfr_audio_in_new(fdpath, &d);
	CHECK("26 bytes of a WAV header refused on a pipe", in == NULL && d.code == TFR_EAUDIO);
	tfr_audio_in_free(in);
	end_pipe(pid, rfd);
}

/* Float output is the same bytes every time (no PEAK chunk time stamp). */
static void deterministic(const char *path, const float *x)
{
	unsigned char a[2048], b[2048];
	size_t na, nb;
	write_path(path, x, 400, 1, TFR_SAMPLE_FLOAT);
	FILE *fp = fopen(path, "rb");
	na = fread(a, 1, sizeof a, fp);
	fclose(fp);
	sleep(1);
	write_path(path, x, 400, 1, TFR_SAMPLE_FLOAT);
	fp = fopen(path, "rb");
	nb = fread(b, 1, sizeof b, fp);
	fclose(fp);
	CHECK("float WAV output is reproducible", na == nb && !memcmp(a, b, na));
}

int main(void)
{
	float *x = malloc(LEN * sizeof *x);
	fill(x);
	char path[] = "/tmp/tfr-test-audio-XXXXXX";
	int fd = mkstemp(path);
	close(fd);

	/* integer output: exact, clipped not wrapped (file) */
	fd = open(path, O_WRONLY | O_TRUNC);
	write_fd(fd, path, x, LEN, 1, TFR_SAMPLE_PCM16, -1, 3);
	close(fd);
	check_pcm16("file PCM16", path, x, 0);
	/* the same bytes through a pipe */
	char fdpath[64];
	int rfd;
	pid_t pid = pipe_from(path, NULL, 0, fdpath, &rfd);
	check_pcm16("pipe PCM16", fdpath, x, 1);
	end_pipe(pid, rfd);

	stream_writer(x);
	containers(path);
	truncation(path, x);
	bad_samples(path);
	garbage_pipe();
	deterministic(path, x);

	/* not audio at all */
	FILE *fp = fopen(path, "w");
	fputs("this is not a sound file\n", fp);
	fclose(fp);
	tfr_diag d;
	CHECK("text refused", tfr_audio_in_new(path, &d) == NULL && d.code == TFR_EAUDIO);

	/* stereo: channel pick and mix */
	float st[8] = { 0.5f, -0.25f, 0.5f, -0.25f, 0.5f, -0.25f, 0.5f, -0.25f };
	write_path(path, st, 4, 2, TFR_SAMPLE_FLOAT);
	float m[4];
	tfr_audio_in *in = tfr_audio_in_new(path, &d);
	CHECK("stereo channel 2", tfr_audio_in_read_mono(in, m, 2, 2) == 2 && m[0] == -0.25f);
	CHECK("stereo mix", tfr_audio_in_read_mono(in, m, 2, 0) == 2 && m[1] == 0.125f);
	CHECK("bad channel", tfr_audio_in_read_mono(in, m, 2, 3) == TFR_EINVAL);
	tfr_audio_in_free(in);
	tfr_audio_in_free(NULL);
	CHECK("close NULL", tfr_audio_out_close(NULL) == TFR_OK);
	unlink(path);
	free(x);
	return test_finish("test_audio");
}
