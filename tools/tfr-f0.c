/*
 * tfr-f0 - fundamental frequency with voicing, from audio (an analysis
 * of its own: decimated, reassigned, streaming) or from a partials
 * stream (tfr-track); one frame per period on a regular grid. The
 * estimator is the library's (tfr_f0.h). See tfr-f0(1).
 */
#include "tool.h"
#include "tfr_f0.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static void usage(void)
{
	printf(
"usage: tfr-f0 [-hVv] [-y freq] [-Y freq] [-R freq] [-H time] [-t dBFS]\n"
"              [-c channel] [--hum on|off] [-o file] [file]\n"
"Fundamental frequency with voicing of audio or of a tfr partials stream\n"
"(tfr-track): one line per frame with time, f0, voicing and salience.\n"
"\n"
"  -y, --min-freq=FREQ      lowest f0 (Hz, k, kHz; default 40)\n"
"  -Y, --max-freq=FREQ      highest f0 (default 1700 Hz)\n"
"  -R, --resolution=FREQ    audio: the analysis window's main lobe reaches\n"
"                           FREQ either side (default 0.8 of the lowest\n"
"                           f0: its harmonics stay apart)\n"
"  -H, --hop=TIME           time between frames (samples, or with ms or s;\n"
"                           default 10 ms)\n"
"  -t, --threshold=DB       frames quieter than DB dBFS are unvoiced\n"
"                           (default -60)\n"
"  -c, --channel=N          audio: analyse channel N (1-based); default 0\n"
"                           mixes all channels to mono\n"
"      --hum=on|off         set aside mains hum, steady partials at\n"
"                           multiples of 50 or 60 Hz (default on)\n"
"  -o, --output=FILE        write to FILE instead of standard output\n"
"  -v, --verbose            print the analysis and counts on stderr\n"
"  -h, --help               show this help and exit\n"
"  -V, --version            show the version and exit\n"
"\n"
"Output columns: time f0 voicing salience (see tfr(5)); a frame is\n"
"voiced when voicing >= 0.5.\n");
}

typedef struct {
	const char *input, *output;
	tfr_f0_params p;
	tfr_quantity minf, maxf, res, hop;
	int have_minf, have_maxf, have_res, have_hop, channel, verbose;
} options;

static void parse(int argc, char **argv, options *o)
{
	static const char *const names[] = {
		"min-freq", "max-freq", "resolution", "hop", "threshold", "channel",
		"hum", "output", "verbose", "help", "version", NULL
	};
	static const char *const onoff[] = { "off", "on", NULL };
	tfr_f0_params_default(&o->p);
	const char *opt, *arg;
	while ((opt = tool_next_option(argc, argv, names, &arg, usage))) {
		if (!strcmp(opt, "min-freq")) {
			o->minf = tool_parse_freq(opt, arg);
			o->have_minf = 1;
		} else if (!strcmp(opt, "max-freq")) {
			o->maxf = tool_parse_freq(opt, arg);
			o->have_maxf = 1;
		} else if (!strcmp(opt, "resolution")) {
			o->res = tool_parse_freq(opt, arg);
			o->have_res = 1;
		} else if (!strcmp(opt, "hop")) {
			o->hop = tool_parse_time(opt, arg, TFR_UNIT_SAMPLES);
			o->have_hop = 1;
		} else if (!strcmp(opt, "threshold"))
			o->p.floor_db = tool_parse_level(opt, arg, 1);
		else if (!strcmp(opt, "channel"))
			o->channel = (int)tool_parse_int(opt, arg, 0, TFR_MAX_CHANNELS);
		else if (!strcmp(opt, "hum"))
			o->p.hum = tool_parse_choice(opt, arg, onoff);
		else if (!strcmp(opt, "output"))
			o->output = arg;
		else if (!strcmp(opt, "verbose"))
			o->verbose = 1;
	}
	o->input = tool_input_operand(argc, argv);
}

/* Options in Hz and s at rate fs (0: a stream, whose rate does not
 * matter; "fs" fractions then need the stream's sample_rate). */
static void resolve(options *o, double fs)
{
	tfr_f0_params *p = &o->p;
	if (o->have_minf)
		p->min_f0 = tfr_quantity_hz(o->minf, fs);
	if (o->have_maxf)
		p->max_f0 = tfr_quantity_hz(o->maxf, fs);
	if (o->have_res)
		p->resolution = tfr_quantity_hz(o->res, fs);
	if (o->have_hop)
		p->frame_period = tfr_quantity_seconds(o->hop, fs);
	if (!(p->min_f0 < p->max_f0))
		tool_usage_error("--min-freq: %g Hz is not below --max-freq %g Hz",
		                 p->min_f0, p->max_f0);
	if (!(p->min_f0 >= 10))
		tool_usage_error("--min-freq: %g Hz is below 10 Hz", p->min_f0);
	if (p->input == TFR_F0_AUDIO && !(p->max_f0 < 0.45 * fs))
		tool_usage_error("--max-freq: %g Hz is not below 0.45 of the sample "
		                 "rate (%g Hz)", p->max_f0, 0.45 * fs);
	if (o->have_res && !(p->resolution >= 1))
		tool_usage_error("--resolution: %g Hz is below 1 Hz", p->resolution);
	if (!(p->frame_period >= 1e-4 && p->frame_period <= 1))
		tool_usage_error("--hop: %g s is not within 0.1 ms ... 1 s", p->frame_period);
	tfr_diag d;
	if (tfr_f0_check(p, &d) != TFR_OK)
		tool_usage_error("%s", d.text);
}

static tfr_meta *make_meta(const options *o, const tfr_audio_info *ai)
{
	const tfr_f0_params *p = &o->p;
	tfr_meta *m = tfr_meta_new();
	int e = m ? TFR_OK : TFR_ENOMEM;
	if (ai) {
		if (!e) e = tfr_meta_set_double(m, "sample_rate", ai->sample_rate);
		if (!e) e = tfr_meta_set(m, "source", tool_meta_text(tool_input_label(o->input)));
		if (!e && ai->frames >= 0)
			e = tfr_meta_set_int(m, "source_frames", ai->frames);
		if (!e) e = tfr_meta_set_int(m, "source_channels", ai->channels);
		if (!e) e = o->channel ? tfr_meta_set_int(m, "channel", o->channel)
		                       : tfr_meta_set(m, "channel", "mix");
	}
	if (!e) e = tfr_meta_set_double(m, "frame_period", p->frame_period);
	if (!e) e = tfr_meta_set_double(m, "f0_min", p->min_f0);
	if (!e) e = tfr_meta_set_double(m, "f0_max", p->max_f0);
	if (!e) e = tfr_meta_set_double(m, "f0_threshold_db", p->floor_db);
	if (!e) e = tfr_meta_set(m, "f0_hum", p->hum ? "on" : "off");
	if (!e) e = tfr_meta_set_int(m, "f0_latency_frames", p->lookahead);
	if (e)
		tool_die(TOOL_EXIT_FAIL, "%s", tfr_strerror(e));
	return m;
}

static void put_ready(tool_output *out, tfr_stream_writer *w, tfr_f0 *f)
{
	size_t n;
	const tfr_f0_frame *fr = tfr_f0_ready(f, &n);
	if (n)
		tool_stream_write(out, w, fr, n);
}

static tfr_f0 *make(const options *o)
{
	tfr_diag d;
	tfr_f0 *f = tfr_f0_new(&o->p, &d);
	if (!f)
		tool_die(TOOL_EXIT_FAIL, "cannot set up the analysis: %s", d.text);
	if (o->verbose) {
		int dec;
		size_t wl, nfft;
		tfr_f0_get_analysis(f, &dec, &wl, &nfft);
		if (dec)
			tool_warn("analysis: decimated by %d to %g Hz, Hann window of %zu "
			          "samples (%.1f ms), FFT %zu", dec, o->p.sample_rate / dec,
			          wl, 1e3 * (double)wl * dec / o->p.sample_rate, nfft);
		tool_warn("f0 %g ... %g Hz, a frame every %g s, floor %g dBFS, hum %s",
		          o->p.min_f0, o->p.max_f0, o->p.frame_period, o->p.floor_db,
		          o->p.hum ? "set aside" : "kept");
	}
	return f;
}

static void report(const options *o, const tfr_f0 *f)
{
	if (!o->verbose)
		return;
	tfr_f0_stats s;
	tfr_f0_get_stats(f, &s);
	if (s.hum_frames)
		tool_warn("%lld frames, %lld voiced; hum (%g Hz) set aside in %lld",
		          (long long)s.frames, (long long)s.voiced, s.hum_freq,
		          (long long)s.hum_frames);
	else
		tool_warn("%lld frames, %lld voiced; no hum", (long long)s.frames,
		          (long long)s.voiced);
}

static void from_audio(options *o)
{
	tfr_audio_in *in = tool_audio_open(o->input);
	const tfr_audio_info *ai = tfr_audio_in_info(in);
	if (o->channel > ai->channels)
		tool_usage_error("--channel: %d, but %s has %d channel(s)", o->channel,
		                 tool_input_label(o->input), ai->channels);
	o->p.input = TFR_F0_AUDIO;
	o->p.sample_rate = ai->sample_rate;
	resolve(o, ai->sample_rate);
	tfr_f0 *f = make(o);
	tfr_meta *meta = make_meta(o, ai);
	tool_output *out = tool_output_open(o->output, 0);
	tfr_stream_writer *w = tool_stream_create(out, &tfr_f0_schema, NULL, meta);

	enum { BLOCK = 4096 };
	float block[BLOCK];
	long got;
	int64_t total = 0;
	while ((got = tool_audio_read_mono(in, block, BLOCK, o->channel)) > 0) {
		if (tfr_f0_process(f, block, (size_t)got) != TFR_OK)
			tool_die(TOOL_EXIT_FAIL, "out of memory");
		total += got;
		put_ready(out, w, f);
	}
	if (tfr_f0_flush(f) != TFR_OK)
		tool_die(TOOL_EXIT_FAIL, "out of memory");
	put_ready(out, w, f);
	report(o, f);
	tool_stream_close_frames(out, w, total, NULL);
	tfr_meta_free(meta);
	tfr_f0_free(f);
	tfr_audio_in_free(in);
}

static void from_partials(options *o)
{
	tfr_stream_reader *in = tool_stream_open(o->input, &tfr_partials_schema);
	tool_stream_labels(in, NULL);
	double fs = tool_stream_meta_or(in, "sample_rate", 1, TFR_MAX_SAMPLE_RATE, 0);
	if (o->have_res)
		tool_usage_error("--resolution: the analysis of a partials stream "
		                 "is the one that made it");
	if (o->channel)
		tool_usage_error("--channel: a partials stream has no channels");
	if (fs == 0 && ((o->have_minf && o->minf.unit == TFR_UNIT_FS) ||
	                (o->have_maxf && o->maxf.unit == TFR_UNIT_FS)))
		tool_usage_error("a frequency in fs needs the stream's sample_rate, "
		                 "which %s does not give", tool_input_label(o->input));
	if (fs == 0 && o->have_hop && o->hop.unit == TFR_UNIT_SAMPLES)
		tool_usage_error("--hop: samples need the stream's sample_rate, "
		                 "which %s does not give: give ms or s",
		                 tool_input_label(o->input));
	o->p.input = TFR_F0_PARTIALS;
	resolve(o, fs > 0 ? fs : 1);
	tfr_f0 *f = make(o);
	tfr_meta *meta = make_meta(o, NULL);
	tool_output *out = tool_output_open(o->output, 0);
	tfr_stream_writer *w = tool_stream_create(out, &tfr_f0_schema, in, meta);

	tfr_breakpoint b;
	while (tool_stream_read(in, &b) > 0) {
		int r = tfr_f0_process_partials(f, &b, 1);
		if (r == TFR_ENOMEM)
			tool_die(TOOL_EXIT_FAIL, "out of memory");
		if (r != TFR_OK) {
			tfr_diag e;
			tfr_diag_set(&e, TFR_EFORMAT, "a breakpoint out of time order or "
			             "with a value out of range");
			tfr_diag_at(&e, tfr_stream_reader_line(in), 0);
			tool_die_diag(tool_input_label(o->input), &e);
		}
		put_ready(out, w, f);
	}
	/* to the end of the sound, as from the audio: its length is in
	 * the header, or in a trailer of a piped analysis */
	double n = tool_stream_meta_or(in, "source_frames", 0, 1e15, 0);
	if (fs > 0 && n > 0)
		tfr_f0_set_duration(f, n / fs);
	if (tfr_f0_flush(f) != TFR_OK)
		tool_die(TOOL_EXIT_FAIL, "out of memory");
	put_ready(out, w, f);
	report(o, f);
	tool_stream_close(out, w, in, NULL);
	tool_stream_close_input(in);
	tfr_meta_free(meta);
	tfr_f0_free(f);
}

int main(int argc, char **argv)
{
	options o;
	memset(&o, 0, sizeof o);
	tool_init("tfr-f0", argc, argv);
	parse(argc, argv, &o);
	tool_check_output(o.output, o.input);
	if (tool_input_is_stream(o.input))
		from_partials(&o);
	else
		from_audio(&o);
	return TOOL_EXIT_OK;
}
