/*
 * tfr-warp - time and pitch warping of a partials stream: a time factor
 * or Dilator markers, a pitch shift in cents, amplitude and bandwidth
 * scaling (each a constant or an envelope over time), formants kept for
 * labelled partials; times and frequencies in double precision, phases
 * made again for the new course. Partials in, partials out, streaming.
 * See tfr-warp(1).
 */
#include "tool.h"
#include "tfr_warp.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* With --formants a breakpoint waits until the input has gone this many
 * analysis frames past it: the partials around it have their next
 * breakpoints by then (tfr-track bridges gaps of up to 3 frames). */
#define LOOKAHEAD_FRAMES 5

static void usage(void)
{
	printf(
"usage: tfr-warp [-hVv] [--stretch factor | --markers list|file]\n"
"                [--pitch cents|list|file] [-g dB|list|file]\n"
"                [--bandwidth-scale factor|list|file] [--formants]\n"
"                [-o file] [file]\n"
"Time and pitch warping of a tfr partials stream (tfr-track), exact:\n"
"times and frequencies in double precision, phases integrated again.\n"
"A LIST is \"time:value,time:value\" (linear between, the ends' values\n"
"beyond), a FILE has \"time value\" lines; times are the input's.\n"
"\n"
"      --stretch=FACTOR     every time multiplied by FACTOR (2: twice as\n"
"                           long, the same pitch)\n"
"      --markers=LIST|FILE  Dilator markers: times mapped piecewise\n"
"                           linearly through source:target pairs\n"
"                           (\"0.5:1,1.2:2.5\"; a file: \"source target\"\n"
"                           lines), shifted beyond the last\n"
"      --pitch=CENTS|LIST|FILE  pitch shift in cents (700: a fifth up),\n"
"                           constant or over time\n"
"  -g, --gain=DB|LIST|FILE  amplitude gain in dB, constant or over time\n"
"      --bandwidth-scale=FACTOR|LIST|FILE  bandwidth (noise fraction)\n"
"                           multiplied by FACTOR, at most 1\n"
"      --formants           transposed labelled partials (tfr-label) keep\n"
"                           the spectral envelope: their amplitudes follow\n"
"                           it at the new frequencies\n"
"  -o, --output=FILE        write to FILE instead of standard output\n"
"  -v, --verbose            print what was done on stderr\n"
"  -h, --help               show this help and exit\n"
"  -V, --version            show the version and exit\n"
"\n"
"Output columns: those of the input (label kept) (see tfr(5)).\n");
}

typedef struct {
	const char *input, *output;
	tfr_warp_params p;
	tool_envelope markers, pitch, gain, bandwidth;
	const char *stretch_arg;
	int verbose;
} options;

/* e's check alone (tfr_warp_check with only it set): a fault names the
 * envelope's point. */
static void check_alone(const tool_envelope *e, const tfr_warp_params *only)
{
	tfr_diag d;
	if (tfr_warp_check(only, &d) != TFR_OK)
		tool_envelope_fault(e, &d);
}

static void load(options *o)
{
	tfr_warp_params q;
	if (o->markers.arg) {
		tool_envelope_load(&o->markers, TFR_MAP_TIME, TFR_MAP_TIME);
		if (!o->markers.env->timed)
			tool_usage_error("--markers: '%s' is no source:target pair",
			                 o->markers.arg);
		tfr_warp_params_default(&q);
		q.markers = o->markers.env;
		check_alone(&o->markers, &q);
		o->p.markers = o->markers.env;
	}
	if (o->pitch.arg) {
		tool_envelope_load(&o->pitch, TFR_MAP_TIME, TFR_MAP_NUMBER);
		tfr_warp_params_default(&q);
		q.pitch = o->pitch.env;
		check_alone(&o->pitch, &q);
		o->p.pitch = o->pitch.env;
	}
	if (o->gain.arg) {
		tool_envelope_load(&o->gain, TFR_MAP_TIME, TFR_MAP_LEVEL);
		tfr_warp_params_default(&q);
		q.gain = o->gain.env;
		check_alone(&o->gain, &q);
		o->p.gain = o->gain.env;
	}
	if (o->bandwidth.arg) {
		tool_envelope_load(&o->bandwidth, TFR_MAP_TIME, TFR_MAP_NUMBER);
		tfr_warp_params_default(&q);
		q.bandwidth = o->bandwidth.env;
		check_alone(&o->bandwidth, &q);
		o->p.bandwidth = o->bandwidth.env;
	}
}

static void parse(int argc, char **argv, options *o)
{
	static const char *const names[] = {
		"stretch", "markers", "pitch", "gain", "bandwidth-scale", "formants",
		"output", "verbose", "help", "version", NULL
	};
	tfr_warp_params_default(&o->p);
	const char *opt, *arg;
	while ((opt = tool_next_option(argc, argv, names, &arg, usage))) {
		if (!strcmp(opt, "stretch")) {
			o->p.stretch = tool_parse_number(opt, arg, 1 / TFR_WARP_MAX_STRETCH,
			                                 TFR_WARP_MAX_STRETCH);
			o->stretch_arg = arg;
		} else if (!strcmp(opt, "markers"))
			tool_envelope_arg(&o->markers, "markers", arg);
		else if (!strcmp(opt, "pitch"))
			tool_envelope_arg(&o->pitch, "pitch envelope", arg);
		else if (!strcmp(opt, "gain"))
			tool_envelope_arg(&o->gain, "gain envelope", arg);
		else if (!strcmp(opt, "bandwidth-scale"))
			tool_envelope_arg(&o->bandwidth, "bandwidth envelope", arg);
		else if (!strcmp(opt, "formants"))
			o->p.formants = 1;
		else if (!strcmp(opt, "output"))
			o->output = arg;
		else if (!strcmp(opt, "verbose"))
			o->verbose = 1;
	}
	o->input = tool_input_operand(argc, argv);
	if (o->stretch_arg && o->markers.arg)
		tool_usage_error("--stretch and --markers: give one or the other");
	if (o->p.formants && !o->pitch.arg)
		tool_usage_error("--formants keeps the spectral envelope through a "
		                 "transposition: give --pitch");
	load(o);
}

/* The source's length warped: the new end of the sound, in samples. */
static int warped_frames(const tfr_warp *w, const tfr_meta *m, char *buf,
                         size_t size)
{
	double frames, fs;
	if (tfr_meta_get_double(m, "source_frames", &frames) != TFR_OK ||
	    tfr_meta_get_double(m, "sample_rate", &fs) != TFR_OK ||
	    !(frames >= 0 && frames < 1e15 && fs > 0))
		return 0;
	double t = tfr_warp_time(w, frames / fs) * fs;
	snprintf(buf, size, "%lld", t > 0 ? (long long)llround(t) : 0LL);
	return 1;
}

static tfr_meta *make_meta(const options *o, const tfr_warp *w,
                           const tfr_stream_reader *in)
{
	tfr_meta *m = tfr_meta_new();
	if (!m)
		tool_die(TOOL_EXIT_FAIL, "out of memory");
	char buf[64];
	if (o->stretch_arg)
		tool_meta_set(m, "warp_stretch", "%.17g", o->p.stretch);
	if (o->markers.arg)
		tool_meta_set(m, "warp_markers", "%s", tool_meta_text(o->markers.arg));
	if (o->pitch.arg)
		tool_meta_set(m, "warp_pitch", "%s", tool_meta_text(o->pitch.arg));
	if (o->gain.arg)
		tool_meta_set(m, "warp_gain", "%s", tool_meta_text(o->gain.arg));
	if (o->bandwidth.arg)
		tool_meta_set(m, "warp_bandwidth_scale", "%s",
		              tool_meta_text(o->bandwidth.arg));
	if (o->p.formants)
		tool_meta_set(m, "warp_formants", "on");
	/* tfr-resynth makes the sound's length: the warped one */
	if ((o->stretch_arg || o->markers.arg) &&
	    warped_frames(w, tfr_stream_reader_meta(in), buf, sizeof buf))
		tool_meta_set(m, "source_frames", "%s", buf);
	return m;
}

/* A breakpoint the warp took outside what a stream may hold (a time
 * past 1e9 s, a frequency past 1e9 Hz, an amplitude past a float's
 * range): the next tool could not read it, so it is not written. */
static void check_range(const tfr_schema *s, const tfr_breakpoint *b,
                        const char *input)
{
	for (size_t i = 0; i < s->ncolumns; i++) {
		const tfr_column *c = &s->columns[i];
		const char *at = (const char *)b + c->offset;
		double v;
		if (c->storage == TFR_COL_F64)
			memcpy(&v, at, sizeof v);
		else if (c->storage == TFR_COL_F32) {
			float f;
			memcpy(&f, at, sizeof f);
			v = f;
		} else
			continue;
		if (!(v >= c->min && v <= c->max))
			tool_die(TOOL_EXIT_FAIL, "%s: the warp takes partial %lld to %s %g%s%s, "
			         "outside what a stream holds [%g, %g]", tool_input_label(input),
			         (long long)b->partial, c->name, v, *c->unit ? " " : "", c->unit,
			         c->min, c->max);
	}
}

static void put_ready(tool_output *out, tfr_stream_writer *sw, tfr_warp *w,
                      const tfr_schema *s, const char *input)
{
	size_t n;
	const tfr_breakpoint *bp = tfr_warp_ready(w, &n);
	for (size_t i = 0; i < n; i++)
		check_range(s, &bp[i], input);
	if (n)
		tool_stream_write(out, sw, bp, n);
}

int main(int argc, char **argv)
{
	options o;
	memset(&o, 0, sizeof o);
	tool_init("tfr-warp", argc, argv);
	parse(argc, argv, &o);
	tool_check_output(o.output, o.input);

	tool_accept_split();
	tfr_stream_reader *in = tool_stream_open(o.input, &tfr_partials_schema);
	int labels = tool_stream_labels(in, o.p.formants ? "--formants" : NULL);
	int split = tool_stream_split(in);
	/* the envelope is of the partials sounding together: of one channel */
	if (split && o.p.formants)
		tool_usage_error("--formants: %s is channel-split; warp one channel "
		                 "at a time: tfr-select --channel N | tfr-warp --formants",
		                 tool_input_label(o.input));
	if (o.p.formants) {
		double fs = tool_stream_meta(in, "sample_rate", 1, TFR_MAX_SAMPLE_RATE);
		double hop = tool_stream_meta_or(in, "hop", 1, TFR_MAX_FFT_SIZE, 0);
		if (hop > 0) {
			o.p.lookahead = LOOKAHEAD_FRAMES * hop / fs;
			o.p.edge = hop / fs;
		}
	}
	tfr_diag d;
	tfr_warp *w = tfr_warp_new(&o.p, &d);
	if (!w)
		tool_die(TOOL_EXIT_FAIL, "%s", d.text);
	/* the source's length as the header has it: a later one (a trailer
	 * of a piped analysis) is warped at the end */
	const char *f0 = tfr_meta_get(tfr_stream_reader_meta(in), "source_frames");
	char *frames_then = f0 ? strdup(f0) : NULL;
	tfr_meta *meta = make_meta(&o, w, in);
	tool_output *out = tool_output_open(o.output, 0);
	const tfr_schema *schema = tfr_schema_variant(&tfr_partials_schema, labels,
	                                              split);
	tfr_stream_writer *sw = tool_stream_create(out, schema, in, meta);
	tfr_breakpoint bp;
	while (tool_stream_read(in, &bp) > 0) {
		if (tfr_warp_process(w, &bp, 1) != TFR_OK) {
			tfr_diag f;
			tfr_diag_set(&f, TFR_EFORMAT, "breakpoints out of time order");
			tfr_diag_at(&f, tfr_stream_reader_line(in), 0);
			tool_die_diag(tool_input_label(o.input), &f);
		}
		put_ready(out, sw, w, schema, o.input);
	}
	if (tfr_warp_flush(w) != TFR_OK)
		tool_die(TOOL_EXIT_FAIL, "out of memory");
	put_ready(out, sw, w, schema, o.input);

	tfr_meta *trail = tfr_meta_new();
	if (!trail)
		tool_die(TOOL_EXIT_FAIL, "out of memory");
	const tfr_meta *now = tfr_stream_reader_meta(in);
	const char *f1 = tfr_meta_get(now, "source_frames");
	char buf[64];
	if ((o.stretch_arg || o.markers.arg) && f1 &&
	    (!frames_then || strcmp(f1, frames_then)) &&
	    warped_frames(w, now, buf, sizeof buf))
		tool_meta_set(trail, "source_frames", "%s", buf);
	if (o.verbose) {
		tfr_warp_stats st;
		tfr_warp_get_stats(w, &st);
		if (tfr_warp_is_identity(&o.p))
			tool_warn("%lld breakpoints passed through unchanged",
			          (long long)st.breakpoints);
		else
			tool_warn("%lld partials, %lld breakpoints; %lld amplitudes moved "
			          "by the spectral envelope, %lld bandwidths held at 1",
			          (long long)st.partials, (long long)st.breakpoints,
			          (long long)st.formant, (long long)st.clamped);
	}
	tool_stream_close(out, sw, in, trail);
	tfr_meta_free(trail);
	tfr_meta_free(meta);
	free(frames_then);
	tool_stream_close_input(in);
	tfr_warp_free(w);
	tfr_envelope_free(o.markers.env);
	tfr_envelope_free(o.pitch.env);
	tfr_envelope_free(o.gain.env);
	tfr_envelope_free(o.bandwidth.env);
	return TOOL_EXIT_OK;
}
