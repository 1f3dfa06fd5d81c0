/*
 * tfr-resynth - additive synthesis of a partials stream: one oscillator
 * per partial through every breakpoint's frequency and phase, with
 * bandwidth-enhanced noise. Partials in, WAV out, streaming. See
 * tfr-resynth(1).
 */
#include "tool.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static void usage(void)
{
	printf(
"usage: tfr-resynth [-hVv] [-r rate] [-g dB] [-b bits] [-B on|off] [-S seed]\n"
"                   [-p auto|stored|free] [--fade time] [--length time]\n"
"                   [-o file] [file]\n"
"Additive synthesis of a tfr partials stream (tfr-track) as WAV.\n"
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
"  -o, --output=FILE        write to FILE instead of standard output\n"
"  -v, --verbose            print what was made on stderr\n"
"  -h, --help               show this help and exit\n"
"  -V, --version            show the version and exit\n");
}

typedef struct {
	const char *input, *output;
	tfr_synth_params p;
	tfr_quantity rate, length;
	int have_rate, have_length, length_auto, have_fade, bits, verbose;
	double gain_db;
} options;

static void parse(int argc, char **argv, options *o)
{
	static const char *const names[] = {
		"rate", "length", "gain", "bits", "bandwidth", "seed", "phase",
		"fade", "output", "verbose", "help", "version", NULL
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
		} else if (!strcmp(opt, "seed")) {
			o->p.seed = (uint64_t)tool_parse_int(opt, arg, 0, INT64_MAX);
		} else if (!strcmp(opt, "phase")) {
			int m = tool_parse_choice(opt, arg, phases);
			o->p.phase = m == 0 ? TFR_SYNTH_PHASE_AUTO
			           : m == 1 ? TFR_SYNTH_PHASE_STORED : TFR_SYNTH_PHASE_FREE;
		} else if (!strcmp(opt, "fade")) {
			o->p.fade_time = tool_parse_time(opt, arg, TFR_UNIT_SECONDS).value;
			o->have_fade = 1;
		} else if (!strcmp(opt, "output")) {
			o->output = arg;
		} else if (!strcmp(opt, "verbose")) {
			o->verbose = 1;
		}
	}
	o->input = tool_input_operand(argc, argv);
}

/*
 * The output's length: what --length says; else the analysed sound's
 * (the header's source_frames at the stream's rate, or a trailer's at
 * the end of a piped analysis) unless the partials run past it by more
 * than the hold-back (an edited, e.g. time-stretched, stream), then
 * until the last partial has faded.
 */
enum { HOLD_SECONDS = 1 };

typedef struct {
	float *buf;        /* the last samples made, not yet written */
	size_t n, cap;     /* held; the hold-back (at least cap are kept) */
	size_t room;       /* buf's size: 2 cap, so that the held samples are
	                      moved down once per cap samples made, not on
	                      every read */
	int64_t written;   /* samples written out */
	int64_t limit;     /* exact output length when known, else -1 */
} holdback;

static void hold(holdback *h, tool_output *out, tfr_audio_out *a,
                 const float *y, size_t n)
{
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
		memmove(h->buf, h->buf + k, (h->n - k) * sizeof *h->buf);
		h->n -= k;
	}
	while (n > h->room - h->n) {  /* more than the room: the oldest go */
		tool_audio_write(out, a, y, 1);
		h->written++;
		y++;
		n--;
	}
	memcpy(h->buf + h->n, y, n * sizeof *y);
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
	while (h->written < want) {
		size_t k = want - h->written < 4096 ? (size_t)(want - h->written) : 4096;
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

int main(int argc, char **argv)
{
	options o;
	memset(&o, 0, sizeof o);
	tool_init("tfr-resynth", argc, argv);
	parse(argc, argv, &o);
	tool_check_output(o.output, o.input);

	tfr_stream_reader *in = tool_stream_open(o.input, &tfr_partials_schema);
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
	holdback h = { 0 };
	h.limit = -1;
	if (o.have_length && !o.length_auto)
		h.limit = (int64_t)llround(tfr_quantity_samples(o.length, o.p.sample_rate));
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
	tfr_sample_format fmt = o.bits == 16 ? TFR_SAMPLE_PCM16
	                      : o.bits == 24 ? TFR_SAMPLE_PCM24 : TFR_SAMPLE_FLOAT;
	int64_t src = o.length_auto ? -1 : source_length(in, o.p.sample_rate);
	tfr_audio_out *a = tool_audio_out(out, o.p.sample_rate, 1, fmt, h.limit);
	enum { CHUNK = 4096 };
	float y[CHUNK];
	size_t n;
	tfr_breakpoint bp;
	/* output is read once the stream has gone a chunk further: reading
	 * looks at every partial held, and after every breakpoint that cost
	 * more than the oscillators (the samples are the same either way) */
	double next_read = -INFINITY;
	while (tool_stream_read(in, &bp) > 0) {
		if (tfr_synth_process(s, &bp, 1) != TFR_OK) {
			tfr_diag f = *tfr_synth_diag(s);
			tfr_diag_at(&f, tfr_stream_reader_line(in), 0);
			tool_die_diag(tool_input_label(o.input), &f);
		}
		if (bp.time < next_read)
			continue;
		next_read = bp.time + CHUNK / o.p.sample_rate;
		while ((n = tfr_synth_read(s, y, CHUNK)) > 0)
			hold(&h, out, a, y, n);
	}
	if (tfr_synth_flush(s) != TFR_OK)
		tool_die(TOOL_EXIT_FAIL, "%s", tfr_synth_diag(s)->text);
	while ((n = tfr_synth_read(s, y, CHUNK)) > 0)
		hold(&h, out, a, y, n);
	if (!o.length_auto && src < 0)
		src = source_length(in, o.p.sample_rate);  /* from a trailer */
	hold_end(&h, out, a, o.length_auto ? -1 : src);
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
	}
	tool_audio_close(out, a);

	tool_stream_close_input(in);
	tfr_synth_free(s);
	free(h.buf);
	return TOOL_EXIT_OK;
}
