/*
 * tfr-reassign - reassigned spectrogram of an audio stream as a point
 * stream (one line per significant STFT cell). See tfr-reassign(1).
 */
#include "tool.h"
#include "tfr.h"

#include <getopt.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

_Noreturn static void usage(void)
{
	printf(
"usage: tfr-reassign [-hV] [-w window] [-l length] [-H hop] [-n fft-size]\n"
"                    [-t dBFS] [-c channel] [-d shift] [-F Hz] [-C tol]\n"
"                    [-I tol] [-o file] [file]\n"
"Reassigned spectrogram (time, frequency, amplitude, phase and mixed\n"
"derivative of every STFT cell above a threshold) as a tfr point stream.\n"
"\n"
"  -w, --window=NAME        hann (default), hamming, blackman,\n"
"                           blackman-harris, kaiser[:BETA|:ATTdB],\n"
"                           gaussian[:SIGMA], rectangular\n"
"  -l, --window-length=LEN  window length in samples, or time with ms or s\n"
"                           (default 2048)\n"
"  -H, --hop=LEN            hop between frames (default window length / 4)\n"
"  -n, --fft-size=N         FFT size >= window length, even (zero padding;\n"
"                           default the window length rounded up to an\n"
"                           even 2-3-5-smooth size)\n"
"  -t, --threshold=DB       keep cells at or above DB dBFS (a full-scale\n"
"                           sine is 0 dBFS; default -90; -inf keeps all)\n"
"  -c, --channel=N          analyse channel N (1-based); default 0 mixes\n"
"                           all channels to mono\n"
"  -d, --max-time-shift=LEN keep points reassigned by at most LEN in time\n"
"  -F, --max-freq-shift=HZ  keep points reassigned by at most HZ\n"
"  -C, --components=TOL     keep sinusoidal points, |mixed| < TOL\n"
"  -I, --impulses=TOL       keep impulsive points, |mixed - 1| < TOL\n"
"                           (with -C, points passing either are kept)\n"
"  -o, --output=FILE        write to FILE instead of standard output\n"
"  -h, --help               show this help and exit\n"
"  -V, --version            show the version and exit\n"
"\n"
"Output columns: frame bin time freq amp phase mixed (see tfr(5)).\n");
	exit(TOOL_EXIT_OK);
}

typedef struct {
	const char *input, *output;
	tfr_reassign_params p;
	tool_length length, hop, max_shift;
	int have_hop, have_shift, have_fft;
	long fft_size;
	int channel;
	char *history;
} options;

static void parse(int argc, char **argv, options *o)
{
	static const struct option longopts[] = {
		{ "window", required_argument, NULL, 'w' },
		{ "window-length", required_argument, NULL, 'l' },
		{ "hop", required_argument, NULL, 'H' },
		{ "fft-size", required_argument, NULL, 'n' },
		{ "threshold", required_argument, NULL, 't' },
		{ "channel", required_argument, NULL, 'c' },
		{ "max-time-shift", required_argument, NULL, 'd' },
		{ "max-freq-shift", required_argument, NULL, 'F' },
		{ "components", required_argument, NULL, 'C' },
		{ "impulses", required_argument, NULL, 'I' },
		{ "output", required_argument, NULL, 'o' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 }
	};
	tfr_reassign_params_default(&o->p);
	o->length = (tool_length){ 2048, 0 };
	o->history = tool_history(argc, argv);
	int c;
	while ((c = getopt_long(argc, argv, "w:l:H:n:t:c:d:F:C:I:o:hV",
	                        longopts, NULL)) != -1) {
		switch (c) {
		case 'w':
			if (tfr_window_parse(optarg, &o->p.window) != TFR_OK)
				tool_usage_error("--window: unknown window '%s'", optarg);
			break;
		case 'l': o->length = tool_parse_length("--window-length", optarg); break;
		case 'H':
			o->hop = tool_parse_length("--hop", optarg);
			o->have_hop = 1;
			break;
		case 'n':
			o->fft_size = tool_parse_long("--fft-size", optarg, 2, 1L << 26);
			o->have_fft = 1;
			break;
		case 't':
			if (!strcmp(optarg, "-inf"))
				o->p.threshold_db = -INFINITY;
			else
				o->p.threshold_db = tool_parse_double("--threshold", optarg, -1000, 1000);
			break;
		case 'c': o->channel = (int)tool_parse_long("--channel", optarg, 0, 1024); break;
		case 'd':
			o->max_shift = tool_parse_length("--max-time-shift", optarg);
			o->have_shift = 1;
			break;
		case 'F':
			o->p.max_freq_shift = tool_parse_double("--max-freq-shift", optarg, 0, 1e9);
			break;
		case 'C': o->p.component_tol = tool_parse_double("--components", optarg, 0, 1e9); break;
		case 'I': o->p.impulse_tol = tool_parse_double("--impulses", optarg, 0, 1e9); break;
		case 'o': o->output = optarg; break;
		case 'h': usage();
		case 'V': tool_version();
		default: tool_usage_error("unknown option");
		}
	}
	if (optind < argc)
		o->input = argv[optind++];
	if (optind < argc)
		tool_usage_error("more than one input file");
}

/* Sizes in samples, known once the sample rate is. */
static void resolve(options *o, double fs)
{
	tfr_reassign_params *p = &o->p;
	p->sample_rate = fs;
	p->window_length = tool_length_samples("--window-length", o->length, fs, 2);
	p->hop = o->have_hop ? tool_length_samples("--hop", o->hop, fs, 1)
	                     : (p->window_length / 4 ? p->window_length / 4 : 1);
	if (o->have_fft) {
		if (o->fft_size < (long)p->window_length)
			tool_usage_error("--fft-size: %ld is smaller than the window (%zu samples)",
			                 o->fft_size, p->window_length);
		if (o->fft_size % 2)
			tool_usage_error("--fft-size: %ld is odd (the real FFT needs an even size)",
			                 o->fft_size);
		p->fft_size = (size_t)o->fft_size;
	} else {
		p->fft_size = tfr_fft_size_for(p->window_length);
	}
	if (o->have_shift)
		p->max_time_shift = o->max_shift.is_time ? o->max_shift.value
		                                         : o->max_shift.value / fs;
}

static void put_meta(tfr_meta *m, const options *o, const tfr_audio_info *ai)
{
	char buf[64];
	const tfr_reassign_params *p = &o->p;
	int e = tfr_meta_set_double(m, "sample_rate", p->sample_rate);
	e |= tfr_meta_set(m, "source", tool_input_label(o->input));
	if (ai->frames >= 0)
		e |= tfr_meta_set_int(m, "source_frames", ai->frames);
	e |= tfr_meta_set_int(m, "source_channels", ai->channels);
	if (o->channel)
		e |= tfr_meta_set_int(m, "channel", o->channel);
	else
		e |= tfr_meta_set(m, "channel", "mix");
	e |= tfr_meta_set(m, "window", tfr_window_name(&p->window, buf, sizeof buf));
	e |= tfr_meta_set_int(m, "window_length", (long long)p->window_length);
	e |= tfr_meta_set_int(m, "hop", (long long)p->hop);
	e |= tfr_meta_set_int(m, "fft_size", (long long)p->fft_size);
	if (isinf(p->threshold_db))
		e |= tfr_meta_set(m, "threshold_db", "-inf");
	else
		e |= tfr_meta_set_double(m, "threshold_db", p->threshold_db);
	e |= tfr_meta_set(m, "amp", "2|X|/sum(w)");
	e |= tfr_meta_set(m, "phase", "cosine phase at the reassigned time");
	e |= tfr_meta_add(m, "history", o->history);
	if (e)
		tool_die(TOOL_EXIT_FAIL, "out of memory");
}

typedef struct {
	tfr_reassign *ra;
	tfr_point *pts;
	tfr_text_writer *w;
	int64_t frames;
} analysis;

static void analyse(analysis *a, const float *frame, int64_t index)
{
	size_t n;
	tfr_reassign_frame(a->ra, frame, index, a->pts, &n);
	if (tfr_points_write(a->w, a->pts, n) != TFR_OK)
		tool_die(TOOL_EXIT_FAIL, "write error");
	a->frames++;
}

int main(int argc, char **argv)
{
	options o;
	memset(&o, 0, sizeof o);
	tool_init("tfr-reassign");
	parse(argc, argv, &o);

	char msg[256];
	tfr_audio_in *in;
	const char *label = tool_input_label(o.input);
	if (tfr_audio_in_open(&in, o.input, msg, sizeof msg) != TFR_OK)
		tool_die(TOOL_EXIT_FAIL, "%s: %s", label, msg);
	const tfr_audio_info *ai = tfr_audio_in_info(in);
	if (o.channel > ai->channels)
		tool_usage_error("--channel: %d, but %s has %d channel(s)", o.channel,
		                 label, ai->channels);
	resolve(&o, ai->sample_rate);

	int err;
	analysis a = { 0 };
	if (!(a.ra = tfr_reassign_new(&o.p, &err)))
		tool_die(TOOL_EXIT_FAIL, "cannot set up the analysis: %s", tfr_strerror(err));
	tfr_framer *fr = tfr_framer_new(o.p.window_length, o.p.hop, &err);
	a.pts = malloc(tfr_reassign_max_points(a.ra) * sizeof *a.pts);
	if (!fr || !a.pts)
		tool_die(TOOL_EXIT_FAIL, "out of memory");

	FILE *out = tool_open_output(o.output, 0);
	if (!(a.w = tfr_text_writer_new(out, &err)))
		tool_die(TOOL_EXIT_FAIL, "out of memory");
	tfr_meta *meta = tfr_meta_new();
	if (!meta)
		tool_die(TOOL_EXIT_FAIL, "out of memory");
	put_meta(meta, &o, ai);

	enum { BLOCK = 4096 };
	float block[BLOCK];
	long got;
	int started = 0;
	int64_t index;
	const float *frame;
	while ((got = tfr_audio_in_read_mono(in, block, BLOCK, o.channel)) > 0) {
		/* The header goes out with the first samples, so that input
		 * that is not audio leaves no stream behind. */
		if (!started && tfr_points_write_header(a.w, meta) != TFR_OK)
			tool_die(TOOL_EXIT_FAIL, "write error");
		started = 1;
		for (size_t off = 0; off < (size_t)got;) {
			off += tfr_framer_push(fr, block + off, (size_t)got - off);
			while ((frame = tfr_framer_next(fr, &index)))
				analyse(&a, frame, index);
		}
	}
	if (got == TFR_EEOF)
		tool_die(TOOL_EXIT_FAIL, "%s: truncated: the file ends before the audio its header announces",
		         label);
	if (got < 0)
		tool_die(TOOL_EXIT_FAIL, "%s: %s", label, tfr_audio_in_error(in));
	if (!started)
		tool_die(TOOL_EXIT_FAIL, "%s: no audio samples in the input", label);
	tfr_framer_finish(fr);
	while ((frame = tfr_framer_next(fr, &index)))
		analyse(&a, frame, index);

	/* Trailer: the length is only certain now (a pipe announces none). */
	char num[TFR_NUMBER_MAX];
	tfr_fmt_int(num, tfr_framer_samples(fr));
	tfr_text_write_comment(a.w, "source_frames", num);
	tfr_fmt_int(num, a.frames);
	tfr_text_write_comment(a.w, "analysis_frames", num);
	if (tfr_text_writer_free(a.w) != TFR_OK)
		tool_die(TOOL_EXIT_FAIL, "write error");
	tool_close_output(out);

	tfr_meta_free(meta);
	tfr_framer_free(fr);
	tfr_reassign_free(a.ra);
	tfr_audio_in_close(in);
	free(a.pts);
	free(o.history);
	return TOOL_EXIT_OK;
}
