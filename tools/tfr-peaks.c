/*
 * tfr-peaks - spectral peaks of a reassigned point stream: Loris-style
 * selection and pruning, amplitudes corrected for the window's
 * scalloping, bandwidth from the energy not selected. Points in, peaks
 * out, one frame at a time. See tfr-peaks(1).
 */
#include "tool.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static void usage(void)
{
	printf(
"usage: tfr-peaks [-hVv] [-t dBFS] [-y freq] [-Y freq] [-R Hz] [-C tol]\n"
"                 [-I tol] [-B residue|none] [--select mode] [--fade dB]\n"
"                 [--max-time-shift time] [-o file] [file]\n"
"Spectral peaks of a tfr points stream (tfr-reassign): one line per peak\n"
"with time, frequency, amplitude, phase, bandwidth and mixed derivative.\n"
"\n"
"      --select=MODE        convergence (default: bins whose reassigned\n"
"                           frequencies point into each other, as Loris)\n"
"                           or magnitude (local maxima)\n"
"  -t, --threshold=DB       amplitude floor in dBFS (default -90)\n"
"      --fade=DB            peaks less than DB above the floor fade to 0\n"
"                           at the floor (default 10; 0 turns it off)\n"
"  -y, --min-freq=FREQ      lowest peak frequency (Hz, k, kHz, or a\n"
"                           fraction of the rate with fs; default 0)\n"
"  -Y, --max-freq=FREQ      highest peak frequency (default Nyquist)\n"
"      --max-time-shift=TIME  drop peaks reassigned farther than TIME from\n"
"                           their frame's centre (default a quarter of\n"
"                           the window; off)\n"
"      --separation=FREQ    no weaker peak within FREQ of a stronger one\n"
"                           (default off: masking by the analysis'\n"
"                           resolution drops the harmonics of low voices)\n"
"  -R, --resolution=FREQ    the analysis' frequency resolution, as in\n"
"                           tfr-reassign; written to the stream for\n"
"                           tfr-track (default: the stream's)\n"
"  -C, --components=TOL     keep only sinusoids, |mixed| < TOL\n"
"  -I, --impulses=TOL       with -C, also keep impulses, |mixed - 1| < TOL,\n"
"                           marked impulse = 1\n"
"  -B, --bandwidth=MODE     residue (default: energy not selected becomes\n"
"                           noise of the nearby peaks) or none\n"
"  -o, --output=FILE        write to FILE instead of standard output\n"
"  -v, --verbose            print the parameters in use on stderr\n"
"  -h, --help               show this help and exit\n"
"  -V, --version            show the version and exit\n"
"\n"
"Output columns: frame time freq amp phase bandwidth mixed impulse\n"
"(see tfr(5)).\n");
}

typedef struct {
	const char *input, *output;
	tfr_peaks_params p;
	tfr_quantity minf, maxf, max_shift;
	double resolution; /* Hz; 0: the stream's */
	int have_minf, have_maxf, have_shift, shift_off, verbose;
} options;

static void parse(int argc, char **argv, options *o)
{
	static const char *const names[] = {
		"select", "threshold", "fade", "min-freq", "max-freq",
		"max-time-shift", "separation", "resolution", "components", "impulses",
		"bandwidth", "output", "verbose", "help", "version", NULL
	};
	static const char *const selects[] = { "convergence", "magnitude", NULL };
	static const char *const bws[] = { "none", "residue", NULL };
	tfr_peaks_params_default(&o->p);
	const char *opt, *arg;
	while ((opt = tool_next_option(argc, argv, names, &arg, usage))) {
		if (!strcmp(opt, "select"))
			o->p.select = tool_parse_choice(opt, arg, selects)
			            ? TFR_PEAKS_MAGNITUDE : TFR_PEAKS_CONVERGENCE;
		else if (!strcmp(opt, "threshold"))
			o->p.threshold_db = tool_parse_level(opt, arg, 0);
		else if (!strcmp(opt, "fade")) {
			o->p.fade_db = tool_parse_level(opt, arg, 0);
			if (!(o->p.fade_db >= 0))
				tool_usage_error("--fade: %s is below 0 dB (a fade of 0 dB "
				                 "or more above the floor)", arg);
		}
		else if (!strcmp(opt, "min-freq")) {
			o->minf = tool_parse_freq(opt, arg);
			o->have_minf = 1;
		} else if (!strcmp(opt, "max-freq")) {
			o->maxf = tool_parse_freq(opt, arg);
			o->have_maxf = 1;
		} else if (!strcmp(opt, "max-time-shift")) {
			o->have_shift = 1;
			if (!(o->shift_off = !strcmp(arg, "off")))
				o->max_shift = tool_parse_time(opt, arg, TFR_UNIT_SAMPLES);
		} else if (!strcmp(opt, "separation") || !strcmp(opt, "resolution")) {
			tfr_quantity r = tool_parse_freq(opt, arg);
			if (r.unit != TFR_UNIT_HZ || !(r.value > 0 && r.value < 1e6))
				tool_usage_error("--%s: give it in Hz, above 0 and below 1 MHz", opt);
			*(opt[0] == 's' ? &o->p.separation : &o->resolution) = r.value;
		} else if (!strcmp(opt, "components"))
			o->p.component_tol = tool_parse_number(opt, arg, 0, 1e9);
		else if (!strcmp(opt, "impulses"))
			o->p.impulse_tol = tool_parse_number(opt, arg, 0, 1e9);
		else if (!strcmp(opt, "bandwidth"))
			o->p.bandwidth = tool_parse_choice(opt, arg, bws)
			               ? TFR_PEAKS_BW_RESIDUE : TFR_PEAKS_BW_NONE;
		else if (!strcmp(opt, "output"))
			o->output = arg;
		else if (!strcmp(opt, "verbose"))
			o->verbose = 1;
	}
	o->input = tool_input_operand(argc, argv);
	if (o->p.impulse_tol >= 0 && o->p.component_tol < 0)
		tool_usage_error("--impulses: give --components too (impulses are "
		                 "kept beside the components that test keeps)");
}

/* The analysis from the points' header, the options in its units. */
static void resolve(options *o, const tfr_stream_reader *r)
{
	tfr_peaks_params *p = &o->p;
	p->sample_rate = tool_stream_meta(r, "sample_rate", 1, TFR_MAX_SAMPLE_RATE);
	p->window = tool_stream_meta_window(r);
	p->window_length = (size_t)tool_stream_meta(r, "window_length", 2, TFR_MAX_FFT_SIZE);
	p->fft_size = (size_t)tool_stream_meta(r, "fft_size", 2, TFR_MAX_FFT_SIZE);
	p->hop = (size_t)tool_stream_meta(r, "hop", 1, TFR_MAX_FFT_SIZE);
	double fs = p->sample_rate;
	if (o->have_minf)
		p->min_freq = tool_freq_hz("min-freq", o->minf, fs);
	if (o->have_maxf)
		p->max_freq = tool_freq_hz("max-freq", o->maxf, fs);
	if (!(p->min_freq < p->max_freq))
		tool_usage_error("--min-freq: %g Hz is not below --max-freq %g Hz",
		                 p->min_freq, p->max_freq);
	if (o->have_shift)
		p->max_time_shift = o->shift_off ? INFINITY
		                  : tfr_quantity_seconds(o->max_shift, fs);
	tfr_diag d;
	if (tfr_peaks_check(p, &d) != TFR_OK)
		tool_usage_error("%s", d.text);
}

static void print_params(const tfr_peaks_params *p)
{
	char w[64];
	fprintf(stderr, "%s: analysis: %g Hz, window %s of %zu samples, FFT %zu, hop %zu\n",
	        tool_name(), p->sample_rate, tfr_window_name(&p->window, w, sizeof w),
	        p->window_length, p->fft_size, p->hop);
	fprintf(stderr, "%s: selection %s, floor %g dBFS with a %g dB fade, "
	        "%g ... %g Hz, time shift <= %g s, separation %g Hz\n", tool_name(),
	        p->select == TFR_PEAKS_MAGNITUDE ? "magnitude" : "convergence",
	        p->threshold_db, p->fade_db, p->min_freq, p->max_freq,
	        isnan(p->max_time_shift) ? (double)p->window_length / 4 / p->sample_rate
	                                 : p->max_time_shift, p->separation);
	fprintf(stderr, "%s: mixed test %s, bandwidth %s\n", tool_name(),
	        p->component_tol < 0 ? "off" : "on",
	        p->bandwidth == TFR_PEAKS_BW_NONE ? "none" : "residue");
}

/* This tool's keys in the output's header. */
static tfr_meta *make_meta(const tfr_peaks_params *p, double resolution)
{
	tfr_meta *m = tfr_meta_new();
	int e = m ? TFR_OK : TFR_ENOMEM;
	if (!e) e = tfr_meta_set(m, "peaks_select", p->select == TFR_PEAKS_MAGNITUDE
	                                             ? "magnitude" : "convergence");
	if (!e) e = tfr_meta_set_double(m, "peaks_threshold_db", p->threshold_db);
	if (!e) e = tfr_meta_set_double(m, "peaks_fade_db", p->fade_db);
	if (!e && resolution > 0)
		e = tfr_meta_set_double(m, "resolution", resolution);
	if (!e) e = tfr_meta_set(m, "bandwidth", p->bandwidth == TFR_PEAKS_BW_NONE
	                                         ? "none" : "residue");
	if (!e) e = tfr_meta_set(m, "amp", "sinusoid amplitude, scalloping corrected");
	if (e)
		tool_die(TOOL_EXIT_FAIL, "%s", tfr_strerror(e));
	return m;
}

/* The peak pickers: one for a stream, or one per channel of a split
 * stream (made when the channel first comes), each with its own state. */
typedef struct {
	const tfr_peaks_params *p;
	tfr_peaks *one;
	tfr_peaks *ch[TFR_MAX_CHANNELS];
} pickers;

static tfr_peaks *picker(pickers *pk, int channel)
{
	tfr_peaks **x = channel ? &pk->ch[channel - 1] : &pk->one;
	tfr_diag d;
	if (!*x && !(*x = tfr_peaks_new(pk->p, &d)))
		tool_die(TOOL_EXIT_FAIL, "%s", d.text);
	return *x;
}

static void pickers_free(pickers *pk)
{
	tfr_peaks_free(pk->one);
	for (int c = 0; c < TFR_MAX_CHANNELS; c++)
		tfr_peaks_free(pk->ch[c]);
}

/* The first point of pts[i..j-1] not above its predecessor's bin (the
 * line a refused frame is reported at). */
static size_t first_out_of_order(const tfr_point *pts, size_t i, size_t j)
{
	for (size_t k = i + 1; k < j; k++)
		if (pts[k].bin <= pts[k - 1].bin)
			return k;
	return i;
}

/* The peaks of a frame's points pts[0..n-1] into peaks (room for 2 n):
 * each channel's run on its own, the channel kept. Returns the count. */
static size_t frame_peaks(pickers *pk, const tfr_stream_reader *in,
                          const tfr_point *pts, size_t n, tfr_peak *peaks)
{
	size_t total = 0;
	for (size_t i = 0, j; i < n; i = j) {
		int c = pts[i].channel;
		for (j = i + 1; j < n && pts[j].channel == c; j++)
			;
		if (j < n && pts[j].channel < c)
			tool_frame_error(in, j, "the channels of a frame are not in "
			                 "ascending order");
		size_t np;
		if (tfr_peaks_process(picker(pk, c), pts + i, j - i, peaks + total,
		                      &np) != TFR_OK)
			tool_frame_error(in, first_out_of_order(pts, i, j),
			                 "the points of a frame are not in ascending bin order");
		for (size_t k = 0; c && k < np; k++)
			peaks[total + k].channel = c;
		total += np;
	}
	return total;
}

int main(int argc, char **argv)
{
	options o;
	memset(&o, 0, sizeof o);
	tool_init("tfr-peaks", argc, argv);
	parse(argc, argv, &o);
	tool_check_output(o.output, o.input);

	tool_accept_split();
	tfr_stream_reader *in = tool_stream_open(o.input, &tfr_points_schema);
	resolve(&o, in);
	if (o.verbose)
		print_params(&o.p);
	static pickers pk;
	pk.p = &o.p;
	picker(&pk, 0);  /* the parameters' faults before any output */
	tfr_meta *meta = make_meta(&o.p, o.resolution);
	tool_output *out = tool_output_open(o.output, 0);
	tfr_stream_writer *w = tool_stream_create(
		out, tfr_schema_variant(&tfr_peaks_schema, 0, tool_stream_split(in)),
		in, meta);

	tfr_peak *peaks = NULL;
	size_t cap = 0, n, np;
	long long frames = 0, npeaks = 0;
	const void *pts;
	while (tool_stream_read_frame(in, &pts, &n) > 0) {
		if (n > cap) {
			free(peaks);
			cap = 2 * n;
			if (!(peaks = malloc(cap * sizeof *peaks)))
				tool_die(TOOL_EXIT_FAIL, "out of memory");
		}
		np = frame_peaks(&pk, in, pts, n, peaks);
		tool_stream_write(out, w, peaks, np);
		frames++;
		npeaks += (long long)np;
	}
	tool_stream_close(out, w, in, NULL);
	if (o.verbose)
		tool_warn("%lld peaks in %lld frames (%.1f a frame)", npeaks, frames,
		          frames ? (double)npeaks / (double)frames : 0.0);

	tool_stream_close_input(in);
	pickers_free(&pk);
	tfr_meta_free(meta);
	free(peaks);
	return TOOL_EXIT_OK;
}
