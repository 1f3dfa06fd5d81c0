/*
 * tfr-sdelay - spectral delay: every STFT bin gets its own delay,
 * feedback and gain (Kim-Boyle, DAFx-04). WAV in, WAV out, streaming.
 * See tfr-sdelay(1).
 */
#include "tool.h"
#include "tfr.h"

#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#define MAX_DELAY_S 60.0   /* documented maximum delay */
#define MAX_TAIL_S 600.0   /* auto tail never runs longer */
#define MAX_MAPS 64        /* per-channel maps of one kind */
#define TAIL_LEVEL 3.1622777e-5f /* -90 dBFS: where an auto tail ends */

enum { DELAY, FEEDBACK, GAIN, NKINDS };
static const char *const kind_name[NKINDS] = { "delay", "feedback", "gain" };

_Noreturn static void usage(void)
{
	printf(
"usage: tfr-sdelay [-FGhLlV] [-d map] [-f map] [-g map] [-m mix]\n"
"                  [-x cross] [-s time] [-t auto|time] [-r dB] [-n N]\n"
"                  [-H hop] [-w window] [-b bits] [-o file] [file]\n"
"Spectral delay: each frequency bin of a WOLA STFT gets its own delay,\n"
"feedback and gain. WAV in, WAV out, sample-aligned with the input.\n"
"\n"
"Maps are inline breakpoints 'Hz:value,Hz:value,...' (linear over\n"
"frequency, constant beyond the ends), a single value, or a file of\n"
"'freq value' or 'time freq value' lines (@file or any name that does not\n"
"start with a digit, sign or point). Give a map option once for every\n"
"channel, or once per channel in channel order.\n"
"\n"
"  -d, --delay=MAP          delay in seconds (default 0), rounded to hops;\n"
"                           0 ... 60 s\n"
"  -F, --delay-frames       delay map values are frames (hops), not seconds\n"
"  -f, --feedback=MAP       feedback, |fb| < 1 (default 0)\n"
"  -g, --gain=MAP           gain in dB, <= 60 (default 0)\n"
"  -G, --gain-linear        gain map values are linear factors\n"
"  -m, --mix=X              wet fraction 0 ... 1 (default 1)\n"
"  -x, --cross-feedback=X   stereo: fraction of each bin's feedback that\n"
"                           goes to the other channel, 0 ... 1 (default 0)\n"
"  -s, --smooth=SECONDS     glide time of map changes (default 0.05)\n"
"  -t, --tail=auto|SECONDS  keep going after the input ends: until the\n"
"                           output stays below -90 dBFS, or that long\n"
"  -r, --headroom=DB        attenuate the output by DB (default 0)\n"
"  -l, --limit              soft limiter above -1 dBFS (never clips)\n"
"  -n, --fft-size=N         FFT size, even (default 2048)\n"
"  -H, --hop=H              hop in samples (default N/4)\n"
"  -w, --window=NAME        analysis/synthesis window (default hann)\n"
"  -b, --bits=16|24|float   output samples (default: as the input)\n"
"  -L, --print-latency      print the live latency N-H in samples, exit\n"
"  -o, --output=FILE        write to FILE instead of standard output\n"
"  -h, --help               show this help and exit\n"
"  -V, --version            show the version and exit\n");
	exit(TOOL_EXIT_OK);
}

/* One map as given, with the option text for messages. */
typedef struct {
	const char *arg;
	int is_file;
	tfr_map *map;
	size_t key;        /* next key to apply */
} map_src;

typedef struct {
	const char *input, *output;
	map_src maps[NKINDS][MAX_MAPS];
	int nmaps[NKINDS];
	int delay_frames, gain_linear, limit, print_latency;
	double mix, cross, smooth, headroom, tail_s;
	int tail_auto, have_tail;
	long fft_size, hop;
	int have_hop, bits;
	tfr_window_spec window;
} options;

static int is_inline(const char *a)
{
	return (a[0] >= '0' && a[0] <= '9') || a[0] == '-' || a[0] == '+' ||
	       (a[0] == '.' && a[1] >= '0' && a[1] <= '9');
}

static void add_map(options *o, int kind, const char *arg)
{
	map_src *m;

	if (o->nmaps[kind] == MAX_MAPS)
		tool_usage_error("--%s: more than %d maps", kind_name[kind],
		                 MAX_MAPS);
	m = &o->maps[kind][o->nmaps[kind]++];
	m->is_file = arg[0] == '@' || !is_inline(arg);
	m->arg = arg[0] == '@' ? arg + 1 : arg;
}

static void parse_tail(options *o, const char *arg)
{
	o->have_tail = 1;
	if (strcmp(arg, "auto") == 0)
		o->tail_auto = 1;
	else
		o->tail_s = tool_parse_double("--tail", arg, 0, MAX_TAIL_S);
}

static int parse_bits(const char *arg)
{
	if (strcmp(arg, "16") == 0)
		return 16;
	if (strcmp(arg, "24") == 0)
		return 24;
	if (strcmp(arg, "float") == 0 || strcmp(arg, "32") == 0)
		return 32;
	tool_usage_error("--bits: '%s' is not 16, 24 or float", arg);
}

static void parse(int argc, char **argv, options *o)
{
	static const struct option longopts[] = {
		{ "delay", required_argument, NULL, 'd' },
		{ "delay-frames", no_argument, NULL, 'F' },
		{ "feedback", required_argument, NULL, 'f' },
		{ "gain", required_argument, NULL, 'g' },
		{ "gain-linear", no_argument, NULL, 'G' },
		{ "mix", required_argument, NULL, 'm' },
		{ "cross-feedback", required_argument, NULL, 'x' },
		{ "smooth", required_argument, NULL, 's' },
		{ "tail", required_argument, NULL, 't' },
		{ "headroom", required_argument, NULL, 'r' },
		{ "limit", no_argument, NULL, 'l' },
		{ "fft-size", required_argument, NULL, 'n' },
		{ "hop", required_argument, NULL, 'H' },
		{ "window", required_argument, NULL, 'w' },
		{ "bits", required_argument, NULL, 'b' },
		{ "print-latency", no_argument, NULL, 'L' },
		{ "output", required_argument, NULL, 'o' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 }
	};
	int c;

	memset(o, 0, sizeof *o);
	o->mix = 1.0;
	o->smooth = 0.05;
	o->fft_size = 2048;
	o->window.type = TFR_WINDOW_HANN;
	while ((c = getopt_long(argc, argv, "d:Ff:g:Gm:x:s:t:r:ln:H:w:b:Lo:hV",
	                        longopts, NULL)) != -1) {
		switch (c) {
		case 'd': add_map(o, DELAY, optarg); break;
		case 'F': o->delay_frames = 1; break;
		case 'f': add_map(o, FEEDBACK, optarg); break;
		case 'g': add_map(o, GAIN, optarg); break;
		case 'G': o->gain_linear = 1; break;
		case 'm': o->mix = tool_parse_double("--mix", optarg, 0, 1); break;
		case 'x':
			o->cross = tool_parse_double("--cross-feedback", optarg, 0, 1);
			break;
		case 's':
			o->smooth = tool_parse_double("--smooth", optarg, 0, 60);
			break;
		case 't': parse_tail(o, optarg); break;
		case 'r':
			o->headroom = tool_parse_double("--headroom", optarg, 0, 120);
			break;
		case 'l': o->limit = 1; break;
		case 'n':
			o->fft_size = tool_parse_long("--fft-size", optarg, 2, 1L << 20);
			break;
		case 'H':
			o->hop = tool_parse_long("--hop", optarg, 1, 1L << 20);
			o->have_hop = 1;
			break;
		case 'w':
			if (tfr_window_parse(optarg, &o->window) != TFR_OK)
				tool_usage_error("--window: unknown window '%s'", optarg);
			break;
		case 'b': o->bits = parse_bits(optarg); break;
		case 'L': o->print_latency = 1; break;
		case 'o': o->output = optarg; break;
		case 'h': usage();
		case 'V': tool_version();
		default: tool_usage_error("unknown option");
		}
	}
	if (argc - optind > 1)
		tool_usage_error("more than one input file");
	o->input = optind < argc ? argv[optind] : NULL;
	if (o->fft_size % 2)
		tool_usage_error("--fft-size: %ld is odd (the real FFT needs an "
		                 "even size)", o->fft_size);
	if (!o->have_hop)
		o->hop = o->fft_size / 4 > 0 ? o->fft_size / 4 : 1;
	if (o->hop > o->fft_size)
		tool_usage_error("--hop: %ld is larger than the FFT size %ld",
		                 o->hop, o->fft_size);
}

/* "delay map '0:x'" for messages. */
static void die_map(const map_src *m, int kind, const char *fmt, ...)
	__attribute__((format(printf, 3, 4), noreturn));

static void die_map(const map_src *m, int kind, const char *fmt, ...)
{
	char why[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(why, sizeof why, fmt, ap);
	va_end(ap);
	tool_die(m->is_file ? TOOL_EXIT_FAIL : TOOL_EXIT_USAGE,
	         "%s map '%s': %s", kind_name[kind], m->arg, why);
}

static void load_map(map_src *m, int kind)
{
	char msg[256];
	int e;

	if (m->is_file) {
		FILE *fp = fopen(m->arg, "r");
		if (!fp)
			die_map(m, kind, "%s", strerror(errno));
		e = tfr_map_read(fp, &m->map, msg, sizeof msg);
		fclose(fp);
	} else {
		e = tfr_map_parse(m->arg, &m->map, msg, sizeof msg);
	}
	if (e != TFR_OK)
		die_map(m, kind, "%s", msg);
}

/* A map value in the units of the core: frames, fb, linear gain. */
static double convert(const options *o, int kind, double v, double fs)
{
	if (kind == DELAY)
		return o->delay_frames ? v : v * fs / (double)o->hop;
	if (kind == GAIN && !o->gain_linear)
		return pow(10.0, v / 20.0);
	return v;
}

/* Check every breakpoint's value, naming its place. Returns the largest
 * delay in frames for delay maps. */
static double check_values(const options *o, const map_src *m, int kind,
                           double fs)
{
	double dmax = 0.0;

	for (size_t i = 0; i < m->map->npoints; i++) {
		double v = m->map->value[i], sec;
		char where[64];
		if (m->is_file)
			snprintf(where, sizeof where, "line %zu, column %zu",
			         m->map->line[i], m->map->col[i]);
		else
			snprintf(where, sizeof where, "column %zu", m->map->col[i]);
		switch (kind) {
		case DELAY:
			if (v < 0)
				die_map(m, kind, "%s: negative delay %g", where, v);
			sec = o->delay_frames ? v * (double)o->hop / fs : v;
			if (sec > MAX_DELAY_S)
				die_map(m, kind, "%s: delay %g above the maximum of "
				        "%g s", where, v, MAX_DELAY_S);
			dmax = fmax(dmax, floor(convert(o, kind, v, fs) + 0.5));
			break;
		case FEEDBACK:
			if (!(fabs(v) < 1.0))
				die_map(m, kind, "%s: feedback %g out of range "
				        "(|fb| < 1)", where, v);
			break;
		default:
			if (o->gain_linear ? fabs(v) > 1000.0 : v > 60.0)
				die_map(m, kind, "%s: gain %g above the maximum "
				        "(%s)", where, v,
				        o->gain_linear ? "1000" : "60 dB");
			break;
		}
	}
	return dmax;
}

/* Load and check all maps; returns the longest delay in frames. */
static size_t load_maps(options *o, int channels, double fs)
{
	double dmax = 0.0;

	for (int k = 0; k < NKINDS; k++) {
		if (o->nmaps[k] > 1 && o->nmaps[k] != channels)
			tool_usage_error("--%s given %d times for %d channel%s "
			                 "(give it once, or once per channel)",
			                 kind_name[k], o->nmaps[k], channels,
			                 channels == 1 ? "" : "s");
		for (int i = 0; i < o->nmaps[k]; i++) {
			load_map(&o->maps[k][i], k);
			dmax = fmax(dmax, check_values(o, &o->maps[k][i], k, fs));
		}
	}
	return (size_t)dmax;
}

/* Apply the keys of every map that are due at input time t (s). */
static void apply_maps(options *o, tfr_sdelay *s, int channels, double fs,
                       double t, double *bins, int first)
{
	size_t nb = tfr_sdelay_bins(s);

	for (int k = 0; k < NKINDS; k++) {
		for (int i = 0; i < o->nmaps[k]; i++) {
			map_src *m = &o->maps[k][i];
			const tfr_map *mp = m->map;
			size_t key = m->key, f;
			while (key + 1 < mp->nkeys && mp->key_time[key + 1] <= t)
				key++;
			if (!first && key == m->key)
				continue;
			m->key = key;
			f = mp->key_first[key];
			tfr_freqmap_fill(mp->freq + f, mp->value + f,
			                 mp->key_first[key + 1] - f, fs,
			                 (size_t)o->fft_size, bins);
			for (size_t j = 0; j < nb; j++)
				bins[j] = convert(o, k, bins[j], fs);
			for (int c = 0; c < channels; c++) {
				if (o->nmaps[k] > 1 && c != i)
					continue;
				tfr_sdelay_set_maps(s, c, k == DELAY ? bins : NULL,
				                    k == FEEDBACK ? bins : NULL,
				                    k == GAIN ? bins : NULL);
			}
		}
	}
}

static tfr_sample_format out_format(const options *o,
                                    const tfr_audio_info *ai)
{
	int bits = o->bits;

	if (!bits)
		bits = ai->is_float ? 32 : ai->pcm_bits == 24 ? 24
		     : ai->pcm_bits == 16 || ai->pcm_bits == 8 ? 16 : 32;
	return bits == 16 ? TFR_SAMPLE_PCM16
	     : bits == 24 ? TFR_SAMPLE_PCM24 : TFR_SAMPLE_FLOAT;
}

/* The running state of the stream through the core. */
typedef struct {
	tfr_sdelay *s;
	tfr_audio_out *out;
	int channels, live;
	size_t hop, skip;        /* output samples still to drop (latency) */
	int64_t written, limit;  /* frames written; limit (-1: unknown yet) */
	int64_t quiet, quiet_need; /* run of frames below -90 dBFS */
	float *inb, *outb;
} stream;

static void emit(stream *st)
{
	size_t off = 0, n = st->hop, nc = (size_t)st->channels;

	if (st->skip) {
		off = st->skip < n ? st->skip : n;
		st->skip -= off;
		n -= off;
	}
	if (st->limit >= 0 && (int64_t)n > st->limit - st->written)
		n = (size_t)(st->limit - st->written);
	if (n == 0)
		return;
	for (size_t i = off; i < off + n; i++) {
		int loud = 0;
		for (size_t c = 0; c < nc; c++)
			loud |= fabsf(st->outb[i * nc + c]) >= TAIL_LEVEL;
		st->quiet = loud ? 0 : st->quiet + 1;
	}
	if (tfr_audio_out_write(st->out, st->outb + off * nc, n) != TFR_OK)
		tool_die(TOOL_EXIT_FAIL, "write error");
	st->written += (int64_t)n;
	if (st->live && tfr_audio_out_flush(st->out) != TFR_OK)
		tool_die(TOOL_EXIT_FAIL, "write error");
}

/* Read exactly hop frames unless the input ends; returns frames read. */
static size_t read_block(tfr_audio_in *in, float *buf, size_t hop,
                         int channels, const char *label)
{
	size_t got = 0;

	while (got < hop) {
		long n = tfr_audio_in_read(in, buf + got * (size_t)channels,
		                           hop - got);
		if (n == TFR_EEOF)
			tool_die(TOOL_EXIT_FAIL, "%s: truncated: the file ends before the audio its header announces",
			         label);
		if (n < 0)
			tool_die(TOOL_EXIT_FAIL, "%s: %s", label,
			         tfr_audio_in_error(in));
		if (n == 0)
			break;
		got += (size_t)n;
	}
	memset(buf + got * (size_t)channels, 0,
	       (hop - got) * (size_t)channels * sizeof *buf);
	return got;
}

static void run(options *o, tfr_audio_in *in, stream *st, double fs,
                double *bins)
{
	const char *label = tool_input_label(o->input);
	int64_t total = 0, b = 0, maxtail = (int64_t)(MAX_TAIL_S * fs);
	size_t got;

	do {
		double t = ((double)b * st->hop + (double)st->hop -
		            (double)o->fft_size / 2) / fs;
		got = read_block(in, st->inb, st->hop, st->channels, label);
		if (got == 0)
			break;
		total += (int64_t)got;
		apply_maps(o, st->s, st->channels, fs, t, bins, 0);
		tfr_sdelay_process(st->s, st->inb, st->outb);
		b++;
		emit(st);
	} while (got == st->hop);
	if (total == 0 && tfr_audio_in_info(in)->is_pipe)
		tool_warn("%s: no samples read", label);
	st->limit = total + (o->have_tail && !o->tail_auto ?
	                     (int64_t)llround(o->tail_s * fs) : 0);
	if (o->tail_auto)
		st->limit = total + maxtail;
	memset(st->inb, 0, st->hop * (size_t)st->channels * sizeof *st->inb);
	while (st->written < st->limit) {
		if (o->tail_auto && st->written >= total &&
		    st->quiet >= st->quiet_need)
			break;
		tfr_sdelay_process(st->s, st->inb, st->outb);
		emit(st);
	}
}

static tfr_sdelay *make_core(const options *o, int channels, double fs,
                             size_t maxd)
{
	tfr_sdelay_params p;
	double *win = malloc((size_t)o->fft_size * sizeof *win);
	tfr_sdelay *s;
	int err;

	if (!win || tfr_window_fill(&o->window, (size_t)o->fft_size, win,
	                            NULL) != TFR_OK)
		tool_die(TOOL_EXIT_FAIL, "cannot make the window");
	tfr_sdelay_params_default(&p);
	p.fft_size = (size_t)o->fft_size;
	p.hop = (size_t)o->hop;
	p.window = win;
	p.channels = channels;
	p.max_delay = maxd;
	p.mix = o->mix;
	p.cross = o->cross;
	p.smooth = o->smooth * fs / (double)o->hop;
	p.out_gain = pow(10.0, -o->headroom / 20.0);
	p.limit = o->limit ? pow(10.0, -1.0 / 20.0) : 0.0;
	if (o->cross > 0 && channels != 2)
		tool_usage_error("--cross-feedback needs 2 channels, the input "
		                 "has %d", channels);
	s = tfr_sdelay_new(&p, &err);
	free(win);
	if (!s)
		tool_die(err == TFR_EINVAL ? TOOL_EXIT_USAGE : TOOL_EXIT_FAIL,
		         "--window/--hop: %s (no exact inverse STFT for this "
		         "window and hop?)", tfr_strerror(err));
	return s;
}

int main(int argc, char **argv)
{
	options o;
	tfr_audio_in *in;
	const tfr_audio_info *ai;
	stream st;
	char msg[256];
	double fs, *bins;
	size_t maxd;
	int e;

	tool_init("tfr-sdelay");
	parse(argc, argv, &o);
	if (o.print_latency) {
		printf("%ld\n", o.fft_size - o.hop);
		return TOOL_EXIT_OK;
	}
	if (tfr_audio_in_open(&in, o.input, msg, sizeof msg) != TFR_OK)
		tool_die(TOOL_EXIT_FAIL, "%s: %s", tool_input_label(o.input), msg);
	ai = tfr_audio_in_info(in);
	fs = ai->sample_rate;
	maxd = load_maps(&o, ai->channels, fs);
	memset(&st, 0, sizeof st);
	st.s = make_core(&o, ai->channels, fs, maxd);
	st.channels = ai->channels;
	st.hop = (size_t)o.hop;
	st.skip = tfr_sdelay_latency(st.s);
	st.limit = -1;
	st.quiet_need = (int64_t)((maxd + 1) * st.hop) + o.fft_size;
	st.inb = malloc(st.hop * (size_t)st.channels * sizeof *st.inb);
	st.outb = malloc(st.hop * (size_t)st.channels * sizeof *st.outb);
	bins = malloc(tfr_sdelay_bins(st.s) * sizeof *bins);
	if (!st.inb || !st.outb || !bins)
		tool_die(TOOL_EXIT_FAIL, "out of memory");
	apply_maps(&o, st.s, st.channels, fs, 0.0, bins, 1);
	if (o.output && strcmp(o.output, "-") != 0)
		tool_set_output_file(o.output);
	e = tfr_audio_out_open(&st.out, o.output, fs, st.channels,
	                       out_format(&o, ai), msg, sizeof msg);
	if (e != TFR_OK)
		tool_die(TOOL_EXIT_FAIL, "%s: %s",
		         o.output ? o.output : "stdout", msg);
	/* live on a pipe: every hop goes out at once */
	st.live = tfr_audio_out_is_stream(st.out);
	run(&o, in, &st, fs, bins);
	if (tfr_audio_out_close(st.out) != TFR_OK)
		tool_die(TOOL_EXIT_FAIL, "write error");
	tool_set_output_file(NULL);
	tfr_audio_in_close(in);
	tfr_sdelay_free(st.s);
	for (int k = 0; k < NKINDS; k++)
		for (int i = 0; i < o.nmaps[k]; i++)
			tfr_map_free(o.maps[k][i].map);
	free(st.inb);
	free(st.outb);
	free(bins);
	return TOOL_EXIT_OK;
}
