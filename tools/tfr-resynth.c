/*
 * tfr-resynth - additive synthesis of a partials stream: one oscillator
 * per partial through every breakpoint's frequency and phase, with
 * bandwidth-enhanced noise. Partials in, WAV out, streaming. With
 * --residual, the analysed sound minus that synthesis (SMS's residual),
 * and with --stochastic its spectral envelope as a noise stream, which
 * tfr-resynth turns back into noise. See tfr-resynth(1).
 */
#include "tool.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void usage(void)
{
	printf(
"usage: tfr-resynth [-hVv] [-r rate] [-g dB] [-b bits] [-B on|off] [-S seed]\n"
"                   [-p auto|stored|free] [--fade time] [--length time]\n"
"                   [--residual in.wav [--stochastic file] [--bands n]]\n"
"                   [-o file] [file]\n"
"Additive synthesis of a tfr partials stream (tfr-track) as WAV; noise\n"
"from a noise stream (--stochastic).\n"
"\n"
"  -r, --rate=FREQ          output sample rate (default: the stream's)\n"
"      --length=TIME|auto   output length: samples, or a time with ms or s;\n"
"                           auto runs until the last partial has faded\n"
"                           (default: the analysed sound's length, unless\n"
"                           the partials run past it: an edited stream)\n"
"  -g, --gain=DB            gain in dB (default 0)\n"
"  -b, --bits=16|24|float   output samples (default float)\n"
"  -B, --bandwidth=on|off   bandwidth-enhanced noise (default on)\n"
"  -S, --seed=N             seed of the noise (default 1)\n"
"  -p, --phase=MODE         auto (default: follow the stored phases where\n"
"                           they fit the frequencies, else run free),\n"
"                           stored, or free (integrated frequency)\n"
"      --fade=TIME          fade before the first and after the last\n"
"                           breakpoint of a partial (default a quarter\n"
"                           of the analysis window, else 1ms)\n"
"      --residual=FILE      write FILE (the analysed sound) minus the\n"
"                           synthesis, sample-aligned: its residual\n"
"                           (bandwidth off unless -B on is given)\n"
"      --stochastic=FILE    with --residual: write the residual's\n"
"                           spectral envelope to FILE as a noise stream\n"
"      --bands=N            bands of that envelope (default 128)\n"
"  -o, --output=FILE        write to FILE instead of standard output\n"
"  -v, --verbose            print what was made on stderr\n"
"  -h, --help               show this help and exit\n"
"  -V, --version            show the version and exit\n");
}

typedef struct {
	const char *input, *output;
	const char *residual, *stochastic;  /* --residual, --stochastic */
	tfr_synth_params p;
	tfr_quantity rate, length;
	int have_rate, have_length, length_auto, have_fade, have_bandwidth;
	int bits, verbose, bands;
	double gain_db;
} options;

static void parse(int argc, char **argv, options *o)
{
	static const char *const names[] = {
		"rate", "length", "gain", "bits", "bandwidth", "seed", "phase",
		"fade", "residual", "stochastic", "bands", "output", "verbose",
		"help", "version", NULL
	};
	static const char *const bits[] = { "16", "24", "float", "32", NULL };
	static const char *const onoff[] = { "off", "on", "none", NULL };
	static const char *const phases[] = { "auto", "stored", "free", NULL };
	tfr_synth_params_default(&o->p);
	o->bits = 32;
	const char *opt, *arg;
	while ((opt = tool_next_option(argc, argv, names, &arg, usage))) {
		if (!strcmp(opt, "rate")) {
			o->rate = tool_parse_freq(opt, arg);
			if (o->rate.unit != TFR_UNIT_HZ)
				tool_usage_error("--rate: give it in Hz");
			if (!(o->rate.value >= 1 && o->rate.value <= TFR_MAX_SAMPLE_RATE))
				tool_usage_error("--rate: %s is not a sample rate in [1, %d] Hz",
				                 arg, TFR_MAX_SAMPLE_RATE);
			o->have_rate = 1;
		} else if (!strcmp(opt, "length")) {
			o->have_length = 1;
			if (!(o->length_auto = !strcmp(arg, "auto")))
				o->length = tool_parse_time(opt, arg, TFR_UNIT_SAMPLES);
		} else if (!strcmp(opt, "gain")) {
			o->gain_db = tool_parse_level(opt, arg, 0);
		} else if (!strcmp(opt, "bits")) {
			o->bits = (int[]){ 16, 24, 32, 32 }[tool_parse_choice(opt, arg, bits)];
		} else if (!strcmp(opt, "bandwidth")) {
			o->p.bandwidth = tool_parse_choice(opt, arg, onoff) == 1;
			o->have_bandwidth = 1;
		} else if (!strcmp(opt, "seed")) {
			o->p.seed = (uint64_t)tool_parse_int(opt, arg, 0, INT64_MAX);
		} else if (!strcmp(opt, "phase")) {
			int m = tool_parse_choice(opt, arg, phases);
			o->p.phase = m == 0 ? TFR_SYNTH_PHASE_AUTO
			           : m == 1 ? TFR_SYNTH_PHASE_STORED : TFR_SYNTH_PHASE_FREE;
		} else if (!strcmp(opt, "fade")) {
			o->p.fade_time = tool_parse_time(opt, arg, TFR_UNIT_SECONDS).value;
			o->have_fade = 1;
		} else if (!strcmp(opt, "residual")) {
			o->residual = arg;
		} else if (!strcmp(opt, "stochastic")) {
			o->stochastic = arg;
		} else if (!strcmp(opt, "bands")) {
			o->bands = (int)tool_parse_int(opt, arg, 1, TFR_STOCHASTIC_MAX_BANDS);
		} else if (!strcmp(opt, "output")) {
			o->output = arg;
		} else if (!strcmp(opt, "verbose")) {
			o->verbose = 1;
		}
	}
	o->input = tool_input_operand(argc, argv);
	if (o->stochastic && !o->residual)
		tool_usage_error("--stochastic: it is the envelope of --residual's "
		                 "residual: give --residual too");
	if (o->bands && !o->stochastic)
		tool_usage_error("--bands: it is of --stochastic's envelope");
	if (o->residual && o->have_length)
		tool_usage_error("--length: a residual has its input's length");
	if (o->residual && !o->have_bandwidth)
		o->p.bandwidth = 0;  /* SMS's sinusoids, without noise */
	if (!o->bands)
		o->bands = 128;
}

/*
 * The output's length: what --length says; else the analysed sound's
 * (the header's source_frames at the stream's rate, or a trailer's at
 * the end of a piped analysis) unless the partials run past it by more
 * than the hold-back (an edited, e.g. time-stretched, stream), then
 * until the last partial has faded.
 */
enum { HOLD_SECONDS = 1 };

/* The output's ceiling without --length: this long after the analysed
 * sound (a time-stretch of an hour by 20 stays within it). */
#define MAX_PAST_SOURCE (24.0 * 3600)

typedef struct {
	float *buf;        /* the last samples made, not yet written */
	size_t n, cap;     /* held; the hold-back (at least cap are kept) */
	size_t room;       /* buf's size: 2 cap, so that the held samples are
	                      moved down once per cap samples made, not on
	                      every read */
	int64_t written;   /* samples written out */
	int64_t limit;     /* exact output length when known, else -1 */
	size_t nch;        /* samples a frame (0: 1); counts are of frames */
} holdback;

static void hold(holdback *h, tool_output *out, tfr_audio_out *a,
                 const float *y, size_t n)
{
	size_t c = h->nch ? h->nch : 1;
	if (h->limit >= 0) {
		/* the length is known: write up to it, drop the rest */
		if ((int64_t)n > h->limit - h->written)
			n = (size_t)(h->limit - h->written);
		tool_audio_write(out, a, y, n);
		h->written += (int64_t)n;
		return;
	}
	if (h->n + n > h->room) {
		/* write all but the last cap samples, at once */
		size_t k = h->n > h->cap ? h->n - h->cap : 0;
		tool_audio_write(out, a, h->buf, k);
		h->written += (int64_t)k;
		memmove(h->buf, h->buf + k * c, (h->n - k) * c * sizeof *h->buf);
		h->n -= k;
	}
	while (n > h->room - h->n) {  /* more than the room: the oldest go */
		tool_audio_write(out, a, y, 1);
		h->written++;
		y += c;
		n--;
	}
	memcpy(h->buf + h->n * c, y, n * c * sizeof *y);
	h->n += n;
}

/* The end: the held samples, cut or completed to the length. */
static void hold_end(holdback *h, tool_output *out, tfr_audio_out *a,
                     int64_t source)
{
	int64_t total = h->written + (int64_t)h->n;
	int64_t want = total;
	if (h->limit >= 0)
		want = h->limit;
	else if (source >= 0 && total - source <= (int64_t)h->cap && source >= h->written)
		want = source;
	size_t keep = want - h->written < (int64_t)h->n ? (size_t)(want - h->written) : h->n;
	tool_audio_write(out, a, h->buf, keep);
	h->written += (int64_t)keep;
	static const float zeros[4096];
	size_t c = h->nch ? h->nch : 1, most = 4096 / c;
	while (h->written < want) {
		size_t k = want - h->written < (int64_t)most ? (size_t)(want - h->written) : most;
		tool_audio_write(out, a, zeros, k);
		h->written += (int64_t)k;
	}
}

/* The analysed sound's length in output samples, or -1. */
static int64_t source_length(const tfr_stream_reader *in, double rate)
{
	const tfr_meta *m = tfr_stream_reader_meta(in);
	double frames, fs;
	if (tfr_meta_get_double(m, "source_frames", &frames) != TFR_OK ||
	    tfr_meta_get_double(m, "sample_rate", &fs) != TFR_OK ||
	    !(frames >= 0 && frames < 1e15))
		return -1;
	return (int64_t)llround(frames * rate / fs);
}

/*
 * The input, opened as the kind its first line names: a noise stream
 * (tfr-resynth --stochastic) or partials (everything else is refused as
 * a partials reader refuses it). *noise is set for a noise stream.
 */
static tfr_stream_reader *open_input(const char *path, int *noise)
{
	const char *label = tool_input_label(path);
	FILE *fp = stdin;
	if ((!path || !strcmp(path, "-")) && isatty(STDIN_FILENO))
		tool_usage_error("no input file, and standard input is a terminal");
	if (path && strcmp(path, "-") && !(fp = fopen(path, "r")))
		tool_die(TOOL_EXIT_FAIL, "%s: %s", path, strerror(errno));
	char head[64], kind[16];
	size_t n = fread(head, 1, sizeof head, fp);
	*noise = tfr_stream_detect(head, n, kind, sizeof kind) && !strcmp(kind, "noise");
	/* the stream reader reads from the start: the head goes back */
	if (fseek(fp, 0, SEEK_SET) != 0)
		for (size_t i = n; i-- > 0;)
			if (ungetc((unsigned char)head[i], fp) == EOF)
				tool_die(TOOL_EXIT_FAIL, "%s: cannot re-read the input", label);
	return tool_stream_open_fp(fp, label, *noise ? &tfr_noise_schema
	                                             : &tfr_partials_schema);
}

static tfr_sample_format sample_format(int bits)
{
	return bits == 16 ? TFR_SAMPLE_PCM16 : bits == 24 ? TFR_SAMPLE_PCM24
	                                                  : TFR_SAMPLE_FLOAT;
}

enum { CHUNK = 4096 };

/* A noise stream: its noise, as long as its source by default. */
static void run_noise(const options *o, tfr_stream_reader *in)
{
	if (o->residual)
		tool_usage_error("--residual: %s is a noise stream; a residual is "
		                 "taken of partials", tool_input_label(o->input));
	double fs = tool_stream_meta(in, "sample_rate", 1, TFR_MAX_SAMPLE_RATE);
	double rate = o->have_rate ? o->rate.value : fs;
	tfr_noise_synth_params p;
	tfr_noise_synth_params_default(&p);
	p.sample_rate = rate;
	p.seed = o->p.seed;
	p.gain = pow(10.0, o->gain_db / 20.0);
	holdback h = { 0 };
	h.limit = -1;
	if (o->have_length && !o->length_auto)
		h.limit = (int64_t)llround(tfr_quantity_samples(o->length, rate));
	p.length = h.limit;
	h.cap = HOLD_SECONDS * (size_t)ceil(rate);
	h.room = 2 * h.cap;
	if (!(h.buf = malloc(h.room * sizeof *h.buf)))
		tool_die(TOOL_EXIT_FAIL, "out of memory");
	tfr_diag d;
	if (tfr_noise_synth_check(&p, &d) != TFR_OK)
		tool_usage_error("%s", d.text);
	tfr_noise_synth *s = tfr_noise_synth_new(&p, &d);
	if (!s)
		tool_die(TOOL_EXIT_FAIL, "%s", d.text);
	tool_output *out = tool_output_open(o->output, 1);
	int64_t src = o->length_auto ? -1 : source_length(in, rate);
	tfr_audio_out *a = tool_audio_out(out, rate, 1, sample_format(o->bits), h.limit);
	float y[CHUNK];
	size_t n;
	tfr_noise_band b;
	while (tool_stream_read(in, &b) > 0) {
		if (tfr_noise_synth_process(s, &b, 1) != TFR_OK) {
			tfr_diag f = *tfr_noise_synth_diag(s);
			tfr_diag_at(&f, tfr_stream_reader_line(in), 0);
			tool_die_diag(tool_input_label(o->input), &f);
		}
		while ((n = tfr_noise_synth_read(s, y, CHUNK)) > 0)
			hold(&h, out, a, y, n);
	}
	if (tfr_noise_synth_flush(s) != TFR_OK)
		tool_die(TOOL_EXIT_FAIL, "%s", tfr_noise_synth_diag(s)->text);
	while ((n = tfr_noise_synth_read(s, y, CHUNK)) > 0)
		hold(&h, out, a, y, n);
	if (!o->length_auto && src < 0)
		src = source_length(in, rate);  /* from a trailer */
	hold_end(&h, out, a, o->length_auto ? -1 : src);
	if (o->verbose)
		tool_warn("%lld envelope frames, %lld samples (%.3f s at %g Hz)",
		          (long long)tfr_noise_synth_frames(s), (long long)h.written,
		          (double)h.written / rate, rate);
	tool_audio_close(out, a);
	tool_stream_close_input(in);
	tfr_noise_synth_free(s);
	free(h.buf);
}

/* --residual: the analysed sound, read along with the synthesis. */
typedef struct {
	tfr_audio_in *in;
	int channel;
	int64_t frames;          /* its length, -1 when not known yet */
	int64_t done;            /* samples read */
	int ended;
	double ex, er;           /* energies of the input and the residual */
	tfr_stochastic *env;     /* --stochastic */
	tool_output *sout;
	tfr_stream_writer *w;
	float x[CHUNK], r[CHUNK];
} residual;

/* The analysed sound: its rate, length and channel those of the
 * partials' source (a fault names it), the envelope's output opened. */
static void residual_open(residual *res, const options *o,
                          const tfr_stream_reader *in, double fs)
{
	memset(res, 0, sizeof *res);
	const char *label = tool_input_label(o->residual);
	res->in = tool_audio_open(o->residual);
	const tfr_audio_info *ai = tfr_audio_in_info(res->in);
	if (ai->sample_rate != fs)
		tool_die(TOOL_EXIT_FAIL, "%s: %g Hz, but the partials of %s were analysed "
		         "at %g Hz", label, ai->sample_rate, tool_input_label(o->input), fs);
	if (o->have_rate && o->rate.value != fs)
		tool_usage_error("--rate: a residual is at its input's rate (%g Hz)", fs);
	const tfr_meta *m = tfr_stream_reader_meta(in);
	double ch;
	res->channel = tfr_meta_get_double(m, "channel", &ch) == TFR_OK &&
	               ch >= 1 && ch <= TFR_MAX_CHANNELS ? (int)ch : 0;
	if (res->channel > ai->channels)
		tool_die(TOOL_EXIT_FAIL, "%s: %d channel(s), but the partials are of "
		         "channel %d of their source", label, ai->channels, res->channel);
	res->frames = ai->frames;
	int64_t src = source_length(in, fs);
	if (src >= 0 && res->frames >= 0 && src != res->frames)
		tool_die(TOOL_EXIT_FAIL, "%s: %lld samples, but the partials' source "
		         "had %lld (source_frames)", label, (long long)res->frames,
		         (long long)src);
	if (!o->stochastic)
		return;
	tfr_stochastic_params p;
	tfr_stochastic_params_default(&p);
	p.sample_rate = fs;
	p.bands = (size_t)o->bands;
	tfr_diag d;
	if (tfr_stochastic_check(&p, &d) != TFR_OK)
		tool_usage_error("--stochastic: %s", d.text);
	if (!(res->env = tfr_stochastic_new(&p, &d)))
		tool_die(TOOL_EXIT_FAIL, "%s", d.text);
	tfr_meta *meta = tfr_meta_new();
	if (!meta)
		tool_die(TOOL_EXIT_FAIL, "out of memory");
	tool_meta_set(meta, "sample_rate", "%.17g", fs);
	tool_meta_set(meta, "source", "%s", tool_meta_text(label));
	if (res->frames >= 0)
		tool_meta_set(meta, "source_frames", "%lld", (long long)res->frames);
	tool_meta_set(meta, "source_channels", "%d", ai->channels);
	if (res->channel)
		tool_meta_set(meta, "channel", "%d", res->channel);
	else
		tool_meta_set(meta, "channel", "mix");
	tool_meta_set(meta, "window", "hann");
	tool_meta_set(meta, "window_length", "%zu", tfr_stochastic_window_of(res->env));
	tool_meta_set(meta, "hop", "%zu", tfr_stochastic_hop_of(res->env));
	tool_meta_set(meta, "bands", "%zu", tfr_stochastic_bands_of(res->env));
	res->sout = tool_output_open(o->stochastic, 0);
	res->w = tool_stream_create(res->sout, &tfr_noise_schema, NULL, meta);
	tfr_meta_free(meta);
}

/* The residual of n samples to the output and the envelope. */
static void residual_put(residual *res, tool_output *out, tfr_audio_out *a,
                         const float *r, size_t n)
{
	tool_audio_write(out, a, r, n);
	for (size_t i = 0; i < n; i++)
		res->er += (double)r[i] * r[i];
	if (!res->env)
		return;
	size_t k;
	int e = tfr_stochastic_process(res->env, r, n);
	if (e != TFR_OK)
		tool_die(TOOL_EXIT_FAIL, "%s", e == TFR_ENOMEM ? "out of memory"
		         : "the residual has a sample out of range");
	const tfr_noise_band *b = tfr_stochastic_ready(res->env, &k);
	if (k)
		tool_stream_write(res->sout, res->w, b, k);
}

/* y, n samples of the synthesis: the input's next n minus them (the
 * synthesis past the input's end is dropped). */
static void residual_take(residual *res, tool_output *out, tfr_audio_out *a,
                          const float *y, size_t n)
{
	while (n && !res->ended) {
		long got = tool_audio_read_mono(res->in, res->x, n < CHUNK ? n : CHUNK,
		                                res->channel);
		if (got <= 0) {
			res->ended = 1;
			break;
		}
		for (long i = 0; i < got; i++) {
			res->ex += (double)res->x[i] * res->x[i];
			res->r[i] = (float)((double)res->x[i] - (double)y[i]);
		}
		residual_put(res, out, a, res->r, (size_t)got);
		res->done += got;
		y += got;
		n -= (size_t)got;
	}
}

/* The synthesis has ended: the rest of the input is residual; the
 * lengths are checked (a piped analysis says its source's at its end). */
static void residual_end(residual *res, const options *o, const tfr_stream_reader *in,
                         double fs, tool_output *out, tfr_audio_out *a)
{
	long got;
	while (!res->ended &&
	       (got = tool_audio_read_mono(res->in, res->x, CHUNK, res->channel)) > 0) {
		for (long i = 0; i < got; i++)
			res->ex += (double)res->x[i] * res->x[i];
		residual_put(res, out, a, res->x, (size_t)got);
		res->done += got;
	}
	int64_t src = source_length(in, fs);
	if (src >= 0 && src != res->done)
		tool_die(TOOL_EXIT_FAIL, "%s: %lld samples, but the partials' source "
		         "had %lld (source_frames)", tool_input_label(o->residual),
		         (long long)res->done,
		         (long long)src);
	tfr_audio_in_free(res->in);
	if (!res->env)
		return;
	size_t k;
	if (tfr_stochastic_flush(res->env) != TFR_OK)
		tool_die(TOOL_EXIT_FAIL, "out of memory");
	const tfr_noise_band *b = tfr_stochastic_ready(res->env, &k);
	if (k)
		tool_stream_write(res->sout, res->w, b, k);
	tfr_meta *end = NULL;
	if (res->frames < 0) {
		if (!(end = tfr_meta_new()))
			tool_die(TOOL_EXIT_FAIL, "out of memory");
		tool_meta_set(end, "source_frames", "%lld", (long long)res->done);
	}
	tool_stream_close(res->sout, res->w, NULL, end);
	tfr_meta_free(end);
	tfr_stochastic_free(res->env);
}

/* A channel-split stream: a channel of output for each of its source's
 * channels, each from its own partials (tfr_synth_channels). */
static void run_split(const options *o, tfr_stream_reader *in)
{
	int nch = (int)tool_stream_meta(in, "source_channels", 1, TFR_MAX_CHANNELS);
	double rate = o->p.sample_rate;
	holdback h = { 0 };
	h.limit = -1;
	if (o->have_length && !o->length_auto)
		h.limit = (int64_t)llround(tfr_quantity_samples(o->length, rate));
	tfr_synth_params p = o->p;
	p.length = h.limit;
	h.nch = (size_t)nch;
	h.cap = HOLD_SECONDS * (size_t)ceil(rate);
	h.room = 2 * h.cap;
	float *y = malloc((size_t)CHUNK * h.nch * sizeof *y);
	if (!y || !(h.buf = malloc(h.room * h.nch * sizeof *h.buf)))
		tool_die(TOOL_EXIT_FAIL, "out of memory");
	tfr_diag d;
	if (tfr_synth_check(&p, &d) != TFR_OK)
		tool_usage_error("%s", d.text);
	tfr_synth_channels *s = tfr_synth_channels_new(&p, nch, &d);
	if (!s)
		tool_die(TOOL_EXIT_FAIL, "%s", d.text);
	tool_output *out = tool_output_open(o->output, 1);
	int64_t src = o->length_auto ? -1 : source_length(in, rate);
	tfr_audio_out *a = tool_audio_out(out, rate, nch, sample_format(o->bits), h.limit);
	double src_s = source_length(in, rate) / rate;
	double ceiling = (src_s > 0 ? src_s : 0) + MAX_PAST_SOURCE;
	double next_read = -INFINITY;
	size_t n;
	tfr_breakpoint bp;
	while (tool_stream_read(in, &bp) > 0) {
		tfr_diag f;
		if (h.limit < 0 && bp.time > ceiling)
			tfr_diag_setf(&f, TFR_EFORMAT, "time: %g s is more than %g h past "
			              "the analysed sound (give --length to make a longer "
			              "output)", bp.time, MAX_PAST_SOURCE / 3600);
		else if (tfr_synth_channels_process(s, &bp, 1) != TFR_OK)
			f = *tfr_synth_channels_diag(s);
		else
			f.code = TFR_OK;
		if (f.code != TFR_OK) {
			tfr_diag_at(&f, tfr_stream_reader_line(in), 0);
			tool_die_diag(tool_input_label(o->input), &f);
		}
		if (bp.time < next_read)
			continue;
		next_read = bp.time + CHUNK / rate;
		do {
			if (tfr_synth_channels_read(s, y, CHUNK, &n) != TFR_OK)
				tool_die(TOOL_EXIT_FAIL, "out of memory");
			hold(&h, out, a, y, n);
		} while (n);
	}
	if (tfr_synth_channels_flush(s) != TFR_OK)
		tool_die(TOOL_EXIT_FAIL, "%s", tfr_synth_channels_diag(s)->text);
	do {
		if (tfr_synth_channels_read(s, y, CHUNK, &n) != TFR_OK)
			tool_die(TOOL_EXIT_FAIL, "out of memory");
		hold(&h, out, a, y, n);
	} while (n);
	if (!o->length_auto && src < 0)
		src = source_length(in, rate);  /* from a trailer */
	hold_end(&h, out, a, o->length_auto ? -1 : src);
	if (o->verbose) {
		tfr_synth_stats st;
		tfr_synth_channels_get_stats(s, &st);
		tool_warn("%d channels: %lld partials, %lld breakpoints, %lld frames "
		          "(%.3f s at %g Hz)", nch, (long long)st.partials,
		          (long long)st.breakpoints, (long long)h.written,
		          (double)h.written / rate, rate);
	}
	tool_audio_close(out, a);
	tool_stream_close_input(in);
	tfr_synth_channels_free(s);
	free(h.buf);
	free(y);
}

int main(int argc, char **argv)
{
	options o;
	memset(&o, 0, sizeof o);
	tool_init("tfr-resynth", argc, argv);
	parse(argc, argv, &o);
	tool_check_output(o.output, o.input);
	if (o.residual) {
		if (!strcmp(o.residual, "-") && (!o.input || !strcmp(o.input, "-")))
			tool_usage_error("--residual -: the partials are on standard input: "
			                 "give their file");
		tool_check_output(o.output, o.residual);
		tool_check_output(o.stochastic, o.input);
		tool_check_output(o.stochastic, o.residual);
		if (o.stochastic && o.output && !strcmp(o.stochastic, o.output) &&
		    strcmp(o.output, "-"))
			tool_usage_error("--stochastic and -o name the same file");
		if (o.stochastic && (!o.output || !strcmp(o.output, "-")) &&
		    !strcmp(o.stochastic, "-"))
			tool_usage_error("--stochastic and the residual both on standard output");
	}

	int noise;
	tool_accept_split();
	tfr_stream_reader *in = open_input(o.input, &noise);
	if (noise) {
		run_noise(&o, in);
		return TOOL_EXIT_OK;
	}
	double fs = tool_stream_meta(in, "sample_rate", 1, TFR_MAX_SAMPLE_RATE);
	o.p.sample_rate = o.have_rate ? o.rate.value : fs;
	o.p.gain = pow(10.0, o.gain_db / 20.0);
	/* A partial's first breakpoint lies at the energy centroid of the
	 * first frame that saw it, up to a quarter window (tfr-peaks' crop)
	 * after its onset: fading in over that span restores the onset
	 * (tone220_vib, 20 ms fades, Kaiser 1581: SNR over the first and
	 * last 0.1 s 24.3 dB with 1 ms, 33.7 with 8 ms; speech44k 15.9 ->
	 * 16.2 dB). */
	double wlen = tool_stream_meta_or(in, "window_length", 0, TFR_MAX_FFT_SIZE, 0);
	if (!o.have_fade && wlen >= 2)
		o.p.fade_time = fmin(1, wlen / 4 / fs);
	if (tool_stream_split(in)) {
		if (o.residual)
			tool_usage_error("--residual: %s is channel-split; take one "
			                 "channel's: tfr-select --channel N | tfr-resynth "
			                 "--residual", tool_input_label(o.input));
		run_split(&o, in);
		return TOOL_EXIT_OK;
	}
	static residual res;
	if (o.residual)
		residual_open(&res, &o, in, fs);
	holdback h = { 0 };
	h.limit = -1;
	if (o.have_length && !o.length_auto)
		h.limit = (int64_t)llround(tfr_quantity_samples(o.length, o.p.sample_rate));
	/* the synthesiser makes nothing past a given length (a partial
	 * reaching far past it is not rendered there, only cut) */
	o.p.length = h.limit;
	h.cap = HOLD_SECONDS * (size_t)ceil(o.p.sample_rate);
	h.room = 2 * h.cap;
	if (!(h.buf = malloc(h.room * sizeof *h.buf)))
		tool_die(TOOL_EXIT_FAIL, "out of memory");
	tfr_diag d;
	if (tfr_synth_check(&o.p, &d) != TFR_OK)
		tool_usage_error("%s", d.text);
	tfr_synth *s = tfr_synth_new(&o.p, &d);
	if (!s)
		tool_die(TOOL_EXIT_FAIL, "%s", d.text);

	tool_output *out = tool_output_open(o.output, 1);
	int64_t src = o.length_auto ? -1 : source_length(in, o.p.sample_rate);
	tfr_audio_out *a = tool_audio_out(out, o.p.sample_rate, 1, sample_format(o.bits),
	                                  o.residual ? res.frames : h.limit);
	float y[CHUNK];
	size_t n;
	tfr_breakpoint bp;
	/* output is read once the stream has gone a chunk further: reading
	 * looks at every partial held, and after every breakpoint that cost
	 * more than the oscillators (the samples are the same either way) */
	double next_read = -INFINITY;
	/* without --length, the output ends where the partials do: a
	 * breakpoint far past the analysed sound (a stray time: 9e7 s) would
	 * write terabytes; past the ceiling it is refused */
	double src_s = source_length(in, o.p.sample_rate) / o.p.sample_rate;
	double ceiling = (src_s > 0 ? src_s : 0) + MAX_PAST_SOURCE;
	while (tool_stream_read(in, &bp) > 0) {
		if (h.limit < 0 && !o.residual && bp.time > ceiling) {
			tfr_diag f;
			tfr_diag_setf(&f, TFR_EFORMAT, "time: %g s is more than %g h past the "
			              "analysed sound (give --length to make a longer output)",
			              bp.time, MAX_PAST_SOURCE / 3600);
			tfr_diag_at(&f, tfr_stream_reader_line(in), 0);
			tool_die_diag(tool_input_label(o.input), &f);
		}
		if (tfr_synth_process(s, &bp, 1) != TFR_OK) {
			tfr_diag f = *tfr_synth_diag(s);
			tfr_diag_at(&f, tfr_stream_reader_line(in), 0);
			tool_die_diag(tool_input_label(o.input), &f);
		}
		if (bp.time < next_read)
			continue;
		next_read = bp.time + CHUNK / o.p.sample_rate;
		while ((n = tfr_synth_read(s, y, CHUNK)) > 0) {
			if (o.residual)
				residual_take(&res, out, a, y, n);
			else
				hold(&h, out, a, y, n);
		}
	}
	if (tfr_synth_flush(s) != TFR_OK)
		tool_die(TOOL_EXIT_FAIL, "%s", tfr_synth_diag(s)->text);
	while ((n = tfr_synth_read(s, y, CHUNK)) > 0) {
		if (o.residual)
			residual_take(&res, out, a, y, n);
		else
			hold(&h, out, a, y, n);
	}
	if (o.residual) {
		residual_end(&res, &o, in, fs, out, a);
		h.written = res.done;
	} else {
		if (!o.length_auto && src < 0)
			src = source_length(in, o.p.sample_rate);  /* from a trailer */
		hold_end(&h, out, a, o.length_auto ? -1 : src);
	}
	if (o.verbose) {
		tfr_synth_stats st;
		tfr_synth_get_stats(s, &st);
		tool_warn("%lld partials, %lld breakpoints (%lld more merged: less than "
		          "a sample after their partial's previous one), %lld samples "
		          "(%.3f s at %g Hz); "
		          "segments: %lld on their stored phases, %lld bent, %lld free",
		          (long long)st.partials, (long long)st.breakpoints,
		          (long long)st.merged,
		          (long long)h.written, (double)h.written / o.p.sample_rate,
		          o.p.sample_rate, (long long)st.seg_stored,
		          (long long)st.seg_bent, (long long)st.seg_free);
		if (o.residual)
			tool_warn("residual %.2f dB re the input (%s)",
			          res.ex > 0 ? 10 * log10(res.er / res.ex) : -INFINITY,
			          o.residual);
	}
	tool_audio_close(out, a);

	tool_stream_close_input(in);
	tfr_synth_free(s);
	free(h.buf);
	return TOOL_EXIT_OK;
}
