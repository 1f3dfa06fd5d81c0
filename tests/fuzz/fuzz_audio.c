/*
 * fuzz_audio.c - audio input through libsndfile (tfr_audio.h) on any
 * bytes, from a regular file and from a pipe (virtual I/O with a
 * bounded look-ahead, or a temporary copy for containers that cannot
 * stream), into each analysis the tools run on audio, with small
 * parameters.
 *
 * The first byte chooses: bit 0 a pipe or a file; bits 1-3 the analysis
 * (reading only, reassignment, reassignment then peaks, hyper with
 * channels pooled or split, reading a frame at a time, spectral delay,
 * read_mono mixing or picking a channel); bits 4-7 with the second byte
 * the parameters (window length, hop, q, chunk size). The rest is the
 * file. (Hyper costs ~50 ms a run whatever the input's length, its
 * blocks being 65536 samples: one mode of eight.)
 *
 * Checked: the input's description is within the library's limits; a
 * read returns at most what was asked, finite samples within
 * +-TFR_MAX_SAMPLE, a failure with a code and a text; reassigned points
 * are within the ranges a point stream may hold (what tfr-reassign
 * writes, tfr-peaks must read); peaks, histogram bins and delayed
 * samples are finite.
 */
#include "fuzz_util.h"

#include "tfr.h"

#include <fcntl.h>
#include <math.h>
#include <string.h>

/* Input frames analysed at most (formats can make many samples of few
 * bytes; the fuzzer's time goes to parsing, not to long analyses). */
enum { MAX_FRAMES = 1 << 16, MAX_CHUNK = 4096 };

typedef struct {
	int what;
	unsigned par;
	const tfr_audio_info *info;
	/* reassign, peaks */
	tfr_reassign *ra;
	tfr_framer *fr;
	tfr_point *pts;
	tfr_peaks *pk;
	tfr_peak *peaks;
	/* hyper */
	tfr_hyper_bank *hb;
	/* sdelay */
	tfr_sdelay *sd;
	tfr_freqmap *map;
	const tfr_freqmap *maps[1];
	float *mono;
} analysis;

enum { READ_ONLY, REASSIGN, PEAKS, HYPER, FRAME_BY_FRAME, SDELAY, MONO, MONO_CH };

static void check_points(const tfr_point *p, size_t n)
{
	const tfr_schema *s = &tfr_points_schema;
	for (size_t i = 0; i < n; i++) {
		double v[7] = { (double)p[i].frame, p[i].bin, p[i].time, p[i].freq,
		                p[i].amp, p[i].phase, p[i].mixed };
		for (size_t c = 0; c < 7; c++)
			if (!(v[c] >= s->columns[c].min && v[c] <= s->columns[c].max)) {
				fprintf(stderr, "point %zu: %s = %.17g, outside [%g, %g]\n",
				        i, s->columns[c].name, v[c], s->columns[c].min,
				        s->columns[c].max);
				abort();
			}
	}
}

static void frame_done(analysis *a, const float *frame, int64_t index)
{
	size_t n, np;
	FUZZ_CHECK(tfr_reassign_process(a->ra, frame, index, a->pts, &n) == TFR_OK);
	FUZZ_CHECK(n <= tfr_reassign_max_points(a->ra));
	check_points(a->pts, n);
	if (a->pk) {
		FUZZ_CHECK(tfr_peaks_process(a->pk, a->pts, n, a->peaks, &np) == TFR_OK);
		FUZZ_CHECK(np <= n);
		for (size_t i = 0; i < np; i++)
			FUZZ_CHECK(isfinite(a->peaks[i].freq) && isfinite(a->peaks[i].amp) &&
			           isfinite(a->peaks[i].time) && a->peaks[i].amp >= 0 &&
			           a->peaks[i].bandwidth >= 0 && a->peaks[i].bandwidth <= 1);
	}
}

static int setup(analysis *a)
{
	const tfr_audio_info *ai = a->info;
	tfr_diag d;
	if (a->what == REASSIGN || a->what == PEAKS) {
		tfr_reassign_params p;
		tfr_reassign_params_default(&p);
		static const size_t lens[] = { 2, 3, 16, 64, 100, 256, 512, 1024 };
		p.sample_rate = ai->sample_rate;
		p.window_length = lens[a->par & 7];
		p.hop = 1 + (a->par >> 3) % p.window_length;
		p.fft_size = tfr_fft_size_for(p.window_length);
		p.window.type = (tfr_window_type)((a->par >> 8) % 7);
		p.threshold_db = (a->par & 0x800) ? -INFINITY : -90;
		tfr_framer_params fp = { p.window_length, p.hop };
		if (tfr_reassign_check(&p, &d) != TFR_OK)
			return 0;  /* an analysis tfr-reassign refuses */
		if (!(a->ra = tfr_reassign_new(&p, &d)) ||
		    !(a->fr = tfr_framer_new(&fp, &d)) ||
		    !(a->pts = malloc(tfr_reassign_max_points(a->ra) * sizeof *a->pts)))
			return -1;
		if (a->what == PEAKS) {
			tfr_peaks_params q;
			tfr_peaks_params_default(&q);
			q.sample_rate = p.sample_rate;
			q.window = p.window;
			q.window_length = p.window_length;
			q.fft_size = p.fft_size;
			q.hop = p.hop;
			if (tfr_peaks_check(&q, &d) != TFR_OK)
				return 0;  /* an analysis tfr-peaks refuses */
			if (!(a->pk = tfr_peaks_new(&q, &d)) ||
			    !(a->peaks = malloc(tfr_reassign_max_points(a->ra) *
			                        sizeof *a->peaks)))
				return -1;
		}
	} else if (a->what == HYPER) {
		static const double qs[] = { 0.5, 2, 8, 1 };
		tfr_hyper_bank_params p;
		tfr_hyper_bank_params_default(&p);
		p.hyper.noct = 4;
		p.hyper.over = 1;
		p.hyper.minf = 0.02;
		p.hyper.maxf = 0.45;
		/* small time bins cost a calloc of 65536 / tdeci rows per block:
		 * kept to 16 and more, the fuzzer runs fast enough to matter */
		p.hyper.tdeci = 16 + (long)(a->par % 113);
		p.hyper.threads = 1;
		p.hyper.frames_hint = ai->frames > 0 && ai->frames < MAX_FRAMES ? ai->frames : 0;
		p.q = &qs[(a->par >> 6) & 3];
		p.nq = 1;
		p.channels = ai->channels;
		p.split = (a->par >> 8) & 1;
		if (tfr_hyper_bank_check(&p, &d) != TFR_OK)
			return 0;  /* refused: not an error of the input */
		if (!(a->hb = tfr_hyper_bank_new(&p, &d)))
			return -1;
	} else if (a->what == SDELAY) {
		tfr_sdelay_params p;
		tfr_sdelay_params_default(&p);
		p.sample_rate = ai->sample_rate;
		p.channels = ai->channels;
		p.fft_size = 64;
		p.hop = 16 << (a->par & 1);
		p.tail = (a->par & 2) ? TFR_SDELAY_TAIL_AUTO : TFR_SDELAY_TAIL_NONE;
		p.limit = (a->par >> 2) & 1;
		if (a->par & 8) {
			FUZZ_CHECK(tfr_map_parse("0:2,1000:1,2000:0", TFR_MAP_NUMBER,
			                         &a->map, &d) == TFR_OK);
			a->maps[0] = a->map;
			p.maps[TFR_SDELAY_DELAY] = a->maps;
			p.nmaps[TFR_SDELAY_DELAY] = 1;
			p.delay_frames = 1;
		}
		if (tfr_sdelay_check(&p, &d) != TFR_OK)
			return 0;
		if (!(a->sd = tfr_sdelay_new(&p, &d)))
			return -1;
	}
	return 0;
}

static void check_sdelay_output(analysis *a)
{
	size_t n;
	const float *y = tfr_sdelay_output(a->sd, &n);
	for (size_t i = 0; i < n * (size_t)a->info->channels; i++)
		FUZZ_CHECK(isfinite(y[i]));
}

static void process(analysis *a, const float *x, size_t n)
{
	const float *frame;
	int64_t index;
	if (a->ra) {
		for (size_t off = 0; off < n;) {
			off += tfr_framer_process(a->fr, x + off, n - off);
			while ((frame = tfr_framer_next(a->fr, &index)))
				frame_done(a, frame, index);
		}
	} else if (a->hb) {
		FUZZ_CHECK(tfr_hyper_bank_process(a->hb, x, n) == TFR_OK);
	} else if (a->sd) {
		for (size_t off = 0; off < n;) {
			off += tfr_sdelay_process(a->sd, x + off * (size_t)a->info->channels,
			                          n - off);
			check_sdelay_output(a);
		}
	}
}

static void finish(analysis *a)
{
	const float *frame;
	int64_t index;
	if (a->ra) {
		tfr_framer_flush(a->fr);
		while ((frame = tfr_framer_next(a->fr, &index)))
			frame_done(a, frame, index);
	} else if (a->hb) {
		FUZZ_CHECK(tfr_hyper_bank_flush(a->hb) == TFR_OK);
		for (size_t i = 0; i < tfr_hyper_bank_count(a->hb); i++) {
			const tfr_hyper *h = tfr_hyper_bank_get(a->hb, i);
			size_t ht, hf;
			tfr_hyper_size(h, &ht, &hf);
			const float *e = tfr_hyper_energy(h);
			for (size_t k = 0; k < ht * hf; k++)
				FUZZ_CHECK(isfinite(e[k]) && e[k] >= 0);
		}
	} else if (a->sd) {
		/* an automatic tail ends at -90 dBFS or after 600 s: bounded
		 * here to what a few seconds of tail make */
		for (int b = 0; b < 20000 && tfr_sdelay_flush(a->sd) > 0; b++)
			check_sdelay_output(a);
	}
}

static void release(analysis *a)
{
	tfr_reassign_free(a->ra);
	tfr_framer_free(a->fr);
	free(a->pts);
	tfr_peaks_free(a->pk);
	free(a->peaks);
	tfr_hyper_bank_free(a->hb);
	tfr_sdelay_free(a->sd);
	tfr_freqmap_free(a->map);
	free(a->mono);
}

/* A path that opens the bytes as a pipe or a regular file; the
 * descriptor to close afterwards in *fd. */
static int make_input(const uint8_t *data, size_t size, int pipe_in,
                      char *path, size_t pathsize, int *fd)
{
	if (pipe_in) {
		int p[2];
		if (pipe(p) != 0)
			return -1;
		if (size > 65536)
			fcntl(p[1], F_SETPIPE_SZ, (int)size);
		size_t done = 0;
		fcntl(p[1], F_SETFL, O_NONBLOCK);
		while (done < size) {
			ssize_t w = write(p[1], data + done, size - done);
			if (w <= 0)
				break;
			done += (size_t)w;
		}
		close(p[1]);
		if (done < size) {
			close(p[0]);
			return -1;
		}
		*fd = p[0];
	} else {
		FILE *fp = fuzz_file(data, size, fd);
		if (!fp)
			return -1;
		*fd = dup(*fd);
		fclose(fp);
	}
	snprintf(path, pathsize, "/proc/self/fd/%d", *fd);
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 2)
		return 0;
	analysis a;
	memset(&a, 0, sizeof a);
	int pipe_in = data[0] & 1;
	a.what = (data[0] >> 1) & 7;
	a.par = (unsigned)(data[0] >> 4) | (unsigned)data[1] << 4;
	char path[64];
	int fd;
	if (make_input(data + 2, size - 2, pipe_in, path, sizeof path, &fd) != 0)
		return 0;
	tfr_diag d;
	tfr_audio_in *in = tfr_audio_in_new(path, &d);
	close(fd);
	if (!in) {
		FUZZ_CHECK(d.code < 0 && (d.text[0] || d.code == TFR_ENOMEM));
		return 0;
	}
	const tfr_audio_info *ai = tfr_audio_in_info(in);
	a.info = ai;
	FUZZ_CHECK(ai->sample_rate >= 1 && ai->sample_rate <= TFR_MAX_SAMPLE_RATE);
	FUZZ_CHECK(ai->channels >= 1 && ai->channels <= TFR_MAX_CHANNELS);
	FUZZ_CHECK(ai->is_pipe == pipe_in);
	int mono = a.what == MONO || a.what == MONO_CH || a.what == REASSIGN ||
	           a.what == PEAKS;
	int channel = a.what == MONO_CH ? 1 + (int)(a.par % (unsigned)ai->channels) : 0;
	if (setup(&a) != 0) {
		release(&a);
		tfr_audio_in_free(in);
		return 0;
	}
	size_t chunk = a.what == FRAME_BY_FRAME ? 1 : 1 + (a.par * 37u) % MAX_CHUNK;
	size_t width = mono ? 1 : (size_t)ai->channels;
	float *buf = malloc(chunk * width * sizeof *buf);
	FUZZ_CHECK(buf);
	int64_t total = 0;
	long got;
	for (;;) {
		got = mono ? tfr_audio_in_read_mono(in, buf, chunk, channel)
		           : tfr_audio_in_read(in, buf, chunk);
		if (got <= 0)
			break;
		FUZZ_CHECK((size_t)got <= chunk);
		for (size_t i = 0; i < (size_t)got * width; i++)
			FUZZ_CHECK(isfinite(buf[i]) && fabsf(buf[i]) <= (float)TFR_MAX_SAMPLE);
		total += got;
		FUZZ_CHECK(tfr_audio_in_frames_read(in) == total);
		if (total > MAX_FRAMES)
			break;
		process(&a, buf, (size_t)got);
	}
	if (got < 0) {
		const tfr_diag *e = tfr_audio_in_diag(in);
		FUZZ_CHECK(e->code == got && e->text[0]);
	} else if (got == 0) {
		finish(&a);
	}
	free(buf);
	release(&a);
	tfr_audio_in_free(in);
	return 0;
}
