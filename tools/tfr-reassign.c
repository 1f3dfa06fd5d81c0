/*
 * tfr-reassign - reassigned spectrogram of an audio stream as a point
 * stream (one line per significant STFT cell). See tfr-reassign(1).
 */
#include "tool.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static void usage(void)
{
	printf(
"usage: tfr-reassign [-hVv] [-R Hz] [-w window] [-l length] [-H hop]\n"
"                    [-n fft-size] [-t dBFS] [-c channel] [-C tol] [-I tol]\n"
"                    [-o file] [--max-time-shift time] [--max-freq-shift Hz]\n"
"                    [file]\n"
"Reassigned spectrogram (time, frequency, amplitude, phase and mixed\n"
"derivative of every STFT cell above a threshold) as a tfr point stream.\n"
"\n"
"  -R, --resolution=FREQ    the frequency resolution the analysis is made\n"
"                           for (default 110 Hz): the window's main lobe\n"
"                           reaches FREQ either side of a sinusoid, the hop\n"
"                           is 1 / (2 FREQ); written to the stream, where\n"
"                           tfr-track takes its drift from it\n"
"  -w, --window=NAME        kaiser:90dB (default), hann, hamming, blackman,\n"
"                           blackman-harris, kaiser[:BETA|:ATTdB],\n"
"                           gaussian[:SIGMA], rectangular\n"
"  -l, --window-length=LEN  window length in samples, or a time with ms or s\n"
"                           (default: from the resolution)\n"
"  -H, --hop=LEN            hop between frames (default: from the\n"
"                           resolution, or window length / 8 with -l)\n"
"  -n, --fft-size=N         FFT size >= window length, even (zero padding;\n"
"                           default the window length rounded up to an\n"
"                           even 2-3-5-smooth size)\n"
"  -t, --threshold=DB       keep cells at or above DB dBFS (a full-scale\n"
"                           sine is 0 dBFS; default -80; -inf keeps all)\n"
"  -c, --channel=N          analyse channel N (1-based); default 0 mixes\n"
"                           all channels to mono\n"
"      --max-time-shift=TIME  keep points reassigned by at most TIME\n"
"                           (samples, or with ms or s)\n"
"      --max-freq-shift=FREQ  keep points reassigned by at most FREQ\n"
"  -C, --components=TOL     keep sinusoidal points, |mixed| < TOL\n"
"  -I, --impulses=TOL       keep impulsive points, |mixed - 1| < TOL\n"
"                           (with -C, points passing either are kept)\n"
"  -o, --output=FILE        write to FILE instead of standard output\n"
"  -v, --verbose            print the parameters in use on stderr\n"
"  -h, --help               show this help and exit\n"
"  -V, --version            show the version and exit\n"
"\n"
"Output columns: frame bin time freq amp phase mixed (see tfr(5)).\n");
}

typedef struct {
	const char *input, *output;
	tfr_reassign_params p;
	tfr_quantity length, hop, max_shift;
	int have_length, have_hop, have_shift, have_fft, verbose;
	long long fft_size;
	int channel;
	double resolution;   /* Hz */
} options;

/* The default analysis: a Kaiser window with 90 dB side lobes (Loris's
 * choice), whose main lobe reaches DEFAULT_RESOLUTION either side of a
 * sinusoid: 1581 samples at 44.1 kHz (36 ms), hop 200 (4.5 ms). Short
 * enough to follow the pitch of a voice, long enough to keep apart its
 * harmonics down to ~85 Hz. Resynthesis SNR of speech44k (f0 88-118 Hz)
 * by resolution: 90 Hz 14.7 dB, 100 Hz 15.5, 110 Hz 16.1, 120 Hz 15.9
 * (2048-sample Hann, hop 512: 10.9 dB with stored phases). */
#define DEFAULT_RESOLUTION 110.0
#define DEFAULT_SIDELOBES_DB 90.0
/* The floor: text costs the pipeline more than the DSP does, and the
 * cells below -80 dBFS (a fifth of speech44k's 300 000 at -90) change
 * its resynthesis by nothing measurable (16.1 dB SNR at -90, 16.4 at
 * -80). */
#define DEFAULT_THRESHOLD_DB -80.0

static void parse(int argc, char **argv, options *o)
{
	static const char *const names[] = {
		"window", "window-length", "hop", "fft-size", "threshold",
		"channel", "max-time-shift", "max-freq-shift", "components",
		"impulses", "output", "resolution", "verbose", "help", "version",
		NULL
	};
	tfr_reassign_params_default(&o->p);
	o->p.window.type = TFR_WINDOW_KAISER;
	o->p.window.param = tfr_kaiser_beta_for_sidelobe(DEFAULT_SIDELOBES_DB);
	o->resolution = DEFAULT_RESOLUTION;
	o->p.threshold_db = DEFAULT_THRESHOLD_DB;
	const char *opt, *arg;
	while ((opt = tool_next_option(argc, argv, names, &arg, usage))) {
		if (!strcmp(opt, "window")) {
			o->p.window = tool_parse_window(opt, arg);
		} else if (!strcmp(opt, "window-length")) {
			o->length = tool_parse_time(opt, arg, TFR_UNIT_SAMPLES);
			o->have_length = 1;
		} else if (!strcmp(opt, "resolution")) {
			tfr_quantity r = tool_parse_freq(opt, arg);
			if (r.unit != TFR_UNIT_HZ || !(r.value > 0))
				tool_usage_error("--resolution: give it in Hz, above 0");
			o->resolution = r.value;
		} else if (!strcmp(opt, "verbose")) {
			o->verbose = 1;
		} else if (!strcmp(opt, "hop")) {
			o->hop = tool_parse_time(opt, arg, TFR_UNIT_SAMPLES);
			o->have_hop = 1;
		} else if (!strcmp(opt, "fft-size")) {
			o->fft_size = tool_parse_int(opt, arg, 2, TFR_MAX_FFT_SIZE);
			o->have_fft = 1;
		} else if (!strcmp(opt, "threshold")) {
			o->p.threshold_db = tool_parse_level(opt, arg, 1);
		} else if (!strcmp(opt, "channel")) {
			o->channel = (int)tool_parse_int(opt, arg, 0, TFR_MAX_CHANNELS);
		} else if (!strcmp(opt, "max-time-shift")) {
			o->max_shift = tool_parse_time(opt, arg, TFR_UNIT_SAMPLES);
			o->have_shift = 1;
		} else if (!strcmp(opt, "max-freq-shift")) {
			tfr_quantity f = tool_parse_freq(opt, arg);
			if (f.unit != TFR_UNIT_HZ)
				tool_usage_error("--%s: give it in Hz", opt);
			o->p.max_freq_shift = f.value;
		} else if (!strcmp(opt, "components")) {
			o->p.component_tol = tool_parse_number(opt, arg, 0, 1e9);
		} else if (!strcmp(opt, "impulses")) {
			o->p.impulse_tol = tool_parse_number(opt, arg, 0, 1e9);
		} else if (!strcmp(opt, "output")) {
			o->output = arg;
		}
	}
	o->input = tool_input_operand(argc, argv);
}

/* Half the main lobe of the window, in bins of the window (fs / L): the
 * first zero of its transform. Kaiser (Kaiser & Schafer 1980):
 * sqrt(1 + (beta / pi)^2); the others from their tables. */
static double lobe_bins(const tfr_window_spec *w)
{
	switch (w->type) {
	case TFR_WINDOW_KAISER:
		return hypot(1, w->param / acos(-1.0));
	case TFR_WINDOW_RECTANGULAR:
		return 1;
	case TFR_WINDOW_HANN:
	case TFR_WINDOW_HAMMING:
		return 2;
	case TFR_WINDOW_BLACKMAN:
		return 3;
	case TFR_WINDOW_BLACKMAN_HARRIS:
		return 4;
	default:  /* Gaussian: no zero; about where it is 60 dB down */
		return 3;
	}
}

/* Sizes in samples, known once the sample rate is. Without -l the
 * window is as long as its main lobe needs to reach the resolution
 * either side of a sinusoid (Loris: width = 2 resolution); without -H
 * the hop is 1 / (2 resolution) (Loris: 1 / width), or L / 8 with -l. */
static void resolve(options *o, const tfr_audio_info *ai)
{
	tfr_reassign_params *p = &o->p;
	double fs = ai->sample_rate;
	if (o->channel > ai->channels)
		tool_usage_error("--channel: %d, but %s has %d channel(s)", o->channel,
		                 tool_input_label(o->input), ai->channels);
	p->sample_rate = fs;
	if (o->have_length) {
		p->window_length = tool_samples("window-length", o->length, fs, 2);
	} else {
		double len = ceil(lobe_bins(&p->window) * fs / o->resolution);
		if (!(len <= TFR_MAX_FFT_SIZE))
			tool_usage_error("--resolution: %g Hz needs a window longer "
			                 "than %d samples", o->resolution, TFR_MAX_FFT_SIZE);
		p->window_length = len < 2 ? 2 : (size_t)len;
	}
	if (o->have_hop)
		p->hop = tool_samples("hop", o->hop, fs, 1);
	else if (o->have_length)
		p->hop = p->window_length / 8 ? p->window_length / 8 : 1;
	else
		p->hop = (size_t)fmax(1, floor(fs / (2 * o->resolution) + 0.5));
	if (o->have_fft) {
		if (o->fft_size < (long long)p->window_length)
			tool_usage_error("--fft-size: %lld is smaller than the window (%zu samples)",
			                 o->fft_size, p->window_length);
		if (o->fft_size % 2)
			tool_usage_error("--fft-size: %lld is odd (the real FFT needs an even size)",
			                 o->fft_size);
		p->fft_size = (size_t)o->fft_size;
	} else {
		p->fft_size = tfr_fft_size_for(p->window_length);
		if (p->fft_size > TFR_MAX_FFT_SIZE)
			tool_usage_error("--window-length: %zu samples needs an FFT larger than %d",
			                 p->window_length, TFR_MAX_FFT_SIZE);
	}
	if (o->have_shift)
		p->max_time_shift = tfr_quantity_seconds(o->max_shift, fs);
}

/* The header's metadata: what the points mean and how they were made. */
static tfr_meta *make_meta(const options *o, const tfr_audio_info *ai)
{
	char buf[64];
	const tfr_reassign_params *p = &o->p;
	tfr_meta *m = tfr_meta_new();
	int e = m ? TFR_OK : TFR_ENOMEM;
	if (!e) e = tfr_meta_set_double(m, "sample_rate", p->sample_rate);
	if (!e) e = tfr_meta_set(m, "source", tool_meta_text(tool_input_label(o->input)));
	if (!e && ai->frames >= 0)
		e = tfr_meta_set_int(m, "source_frames", ai->frames);
	if (!e) e = tfr_meta_set_int(m, "source_channels", ai->channels);
	if (!e) e = o->channel ? tfr_meta_set_int(m, "channel", o->channel)
	                       : tfr_meta_set(m, "channel", "mix");
	if (!e) e = tfr_meta_set(m, "window", tfr_window_name(&p->window, buf, sizeof buf));
	if (!e) e = tfr_meta_set_int(m, "window_length", (long long)p->window_length);
	if (!e) e = tfr_meta_set_int(m, "hop", (long long)p->hop);
	if (!e) e = tfr_meta_set_double(m, "resolution", o->resolution);
	if (!e) e = tfr_meta_set_int(m, "fft_size", (long long)p->fft_size);
	if (!e) e = isinf(p->threshold_db) ? tfr_meta_set(m, "threshold_db", "-inf")
	                                   : tfr_meta_set_double(m, "threshold_db", p->threshold_db);
	if (!e) e = tfr_meta_set(m, "amp", "2|X|/sum(w)");
	if (!e) e = tfr_meta_set(m, "phase", "cosine phase at the reassigned time");
	if (e)
		tool_die(TOOL_EXIT_FAIL, "%s", tfr_strerror(e));
	return m;
}

static void print_params(const options *o)
{
	char w[64];
	const tfr_reassign_params *p = &o->p;
	tool_warn("resolution %g Hz: window %s of %zu samples (%.1f ms), hop %zu "
	          "(%.2f ms), FFT %zu", o->resolution,
	          tfr_window_name(&p->window, w, sizeof w), p->window_length,
	          1e3 * (double)p->window_length / p->sample_rate, p->hop,
	          1e3 * (double)p->hop / p->sample_rate, p->fft_size);
	tool_warn("threshold %g dBFS%s", p->threshold_db,
	          o->channel ? "" : ", channels mixed to mono");
}

typedef struct {
	tfr_reassign *ra;
	tfr_point *pts;
	tool_output *out;
	tfr_stream_writer *w;
	int64_t frames;
} analysis;

static void analyse(analysis *a, const float *frame, int64_t index)
{
	size_t n;
	tfr_reassign_frame(a->ra, frame, index, a->pts, &n);
	tool_stream_write(a->out, a->w, a->pts, n);
	a->frames++;
}

int main(int argc, char **argv)
{
	options o;
	memset(&o, 0, sizeof o);
	tool_init("tfr-reassign", argc, argv);
	parse(argc, argv, &o);
	tool_check_output(o.output, o.input);

	tfr_audio_in *in = tool_audio_open(o.input);
	const tfr_audio_info *ai = tfr_audio_in_info(in);
	resolve(&o, ai);
	if (o.verbose)
		print_params(&o);
	int err;
	analysis a = { 0 };
	if (!(a.ra = tfr_reassign_new(&o.p, &err)))
		tool_die(TOOL_EXIT_FAIL, "cannot set up the analysis: %s", tfr_strerror(err));
	tfr_framer *fr = tfr_framer_new(o.p.window_length, o.p.hop, &err);
	a.pts = malloc(tfr_reassign_max_points(a.ra) * sizeof *a.pts);
	if (!fr || !a.pts)
		tool_die(TOOL_EXIT_FAIL, "out of memory");
	tfr_meta *meta = make_meta(&o, ai);
	a.out = tool_output_open(o.output, 0);
	a.w = tool_stream_create(a.out, &tfr_points_schema, NULL, meta);

	enum { BLOCK = 4096 };
	float block[BLOCK];
	long got;
	int64_t index;
	const float *frame;
	while ((got = tool_audio_read_mono(in, block, BLOCK, o.channel)) > 0) {
		for (size_t off = 0; off < (size_t)got;) {
			off += tfr_framer_push(fr, block + off, (size_t)got - off);
			while ((frame = tfr_framer_next(fr, &index)))
				analyse(&a, frame, index);
		}
	}
	tfr_framer_finish(fr);
	while ((frame = tfr_framer_next(fr, &index)))
		analyse(&a, frame, index);

	/* trailers: the length is only certain now (a pipe announces none) */
	tfr_meta *end = tfr_meta_new();
	if (!end || tfr_meta_set_int(end, "source_frames", tfr_framer_samples(fr)) ||
	    tfr_meta_set_int(end, "analysis_frames", a.frames))
		tool_die(TOOL_EXIT_FAIL, "out of memory");
	tool_stream_close(a.out, a.w, NULL, end);

	tfr_meta_free(end);
	tfr_meta_free(meta);
	tfr_framer_free(fr);
	tfr_reassign_free(a.ra);
	tfr_audio_in_free(in);
	free(a.pts);
	return TOOL_EXIT_OK;
}
