/*
 * tfr-hyper - Gardner & Magnasco hyper-resolution spectrogram (linear
 * reassignment histogram) of an audio file or stream, as .npy matrices
 * and/or PNG pictures. See tfr-hyper(1).
 */
#include "tool.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#define MAXQ 8
#define MAXOUT 4

static void usage(void)
{
	printf(
"usage: tfr-hyper [-hVX] [-o file]... [-F npy|png] [-k file] [-q list]\n"
"                 [-i len] [-O n] [-N n] [-y freq] [-Y freq] [-z dB]\n"
"                 [-M map] [-j n] [--lint x] [--channels pool|split]\n"
"                 [--transpose] [--rounding even|away] [file]\n"
"Hyper-resolution spectrogram (Gardner & Magnasco 2006 linear reassignment)\n"
"of an audio file or standard input.\n"
"\n"
"  -o, --output=FILE        .npy (float32 histogram) or .png picture;\n"
"                           repeatable\n"
"  -F, --format=FMT         npy or png (for standard output or other names)\n"
"  -k, --counts=FILE        also write the point counts (.npy, uint32)\n"
"  -q, --q=LIST             wavelet Q, comma list (default 2): >1 tones,\n"
"                           <1 clicks\n"
"  -i, --tdeci=LEN          time bin: samples, or a time with ms or s\n"
"                           (default 64)\n"
"  -O, --over=N             scan lines per frequency bin (default 4)\n"
"  -N, --noct=N             frequency bins per octave (default 48)\n"
"  -y, --min-freq=FREQ      lowest frequency: Hz (or k, kHz), or a\n"
"                           fraction of the sample rate with fs\n"
"                           (default 0.0025fs)\n"
"  -Y, --max-freq=FREQ      highest frequency (default 0.45fs)\n"
"      --lint=X             locality limit on |eta/xi| (default 0.5)\n"
"      --channels=MODE      pool (default, as the reference) or split\n"
"      --transpose          .npy as (frequency, time), not (time, frequency)\n"
"  -z, --range=DB           picture dynamic range in dB (default 80)\n"
"  -M, --colormap=NAME      inferno (default), viridis or gray\n"
"      --rounding=MODE      even (default, numpy reference) or away (MATLAB)\n"
"  -j, --jobs=N             worker threads (default: the number of cores)\n"
"  -X, --exact              compute every line at the full rate (slow check)\n"
"  -h, --help               show this help and exit\n"
"  -V, --version            show the version and exit\n");
}

typedef struct {
	tfr_hyper_params p;
	double q[MAXQ];
	size_t nq;
	tfr_quantity minf, maxf, tdeci;
	const char *out[MAXOUT];
	size_t nout;
	const char *format;
	const char *counts;
	int split, transpose;
	tfr_picture_params pic;
	const char *input;
} options;

static void parse(int argc, char **argv, options *o)
{
	static const char *const names[] = {
		"output", "format", "counts", "q", "tdeci", "over", "noct",
		"min-freq", "max-freq", "lint", "channels", "transpose", "range",
		"colormap", "rounding", "jobs", "exact", "help", "version", NULL
	};
	static const char *const formats[] = { "npy", "png", NULL };
	static const char *const modes[] = { "pool", "split", NULL };
	static const char *const roundings[] = { "even", "away", NULL };
	static const char *const maps[] = { "inferno", "viridis", "gray", "grey", NULL };
	const char *opt, *arg;
	while ((opt = tool_next_option(argc, argv, names, &arg, usage))) {
		if (!strcmp(opt, "output")) {
			if (o->nout == MAXOUT)
				tool_usage_error("at most %d outputs", MAXOUT);
			o->out[o->nout++] = arg;
		} else if (!strcmp(opt, "format")) {
			o->format = formats[tool_parse_choice(opt, arg, formats)];
		} else if (!strcmp(opt, "counts")) {
			o->counts = arg;
		} else if (!strcmp(opt, "q")) {
			o->nq = tool_parse_list(opt, arg, o->q, MAXQ, 1e-3, 1e3);
		} else if (!strcmp(opt, "tdeci")) {
			o->tdeci = tool_parse_time(opt, arg, TFR_UNIT_SAMPLES);
		} else if (!strcmp(opt, "over")) {
			o->p.over = (int)tool_parse_int(opt, arg, 1, 1000);
		} else if (!strcmp(opt, "noct")) {
			o->p.noct = tool_parse_number(opt, arg, 1e-3, 1e5);
		} else if (!strcmp(opt, "min-freq")) {
			o->minf = tool_parse_freq(opt, arg);
		} else if (!strcmp(opt, "max-freq")) {
			o->maxf = tool_parse_freq(opt, arg);
		} else if (!strcmp(opt, "lint")) {
			o->p.lint = tool_parse_number(opt, arg, 1e-6, 1e3);
		} else if (!strcmp(opt, "channels")) {
			o->split = tool_parse_choice(opt, arg, modes);
		} else if (!strcmp(opt, "transpose")) {
			o->transpose = 1;
		} else if (!strcmp(opt, "range")) {
			o->pic.range_db = tool_parse_number(opt, arg, 1, 1000);
		} else if (!strcmp(opt, "colormap")) {
			int m = tool_parse_choice(opt, arg, maps);
			o->pic.colormap = m == 0 ? TFR_COLORMAP_INFERNO
			                : m == 1 ? TFR_COLORMAP_VIRIDIS : TFR_COLORMAP_GRAY;
		} else if (!strcmp(opt, "rounding")) {
			o->p.round_away = tool_parse_choice(opt, arg, roundings);
		} else if (!strcmp(opt, "jobs")) {
			o->p.threads = (int)tool_parse_int(opt, arg, 1, TFR_MAX_THREADS);
		} else if (!strcmp(opt, "exact")) {
			o->p.exact = 1;
		}
	}
	o->input = tool_input_operand(argc, argv);
	if (o->nout == 0)
		tool_usage_error("no output: give -o FILE.npy and/or -o FILE.png");
}

/* The format of output path: --format, else the extension. */
static int is_png(const options *o, const char *path)
{
	if (o->format)
		return !strcmp(o->format, "png");
	size_t n = strlen(path);
	if (n > 4 && !strcasecmp(path + n - 4, ".png"))
		return 1;
	if (n > 4 && !strcasecmp(path + n - 4, ".npy"))
		return 0;
	tool_usage_error("%s: unknown output format (use .npy, .png or -F)", path);
}

/* Frequencies and the time bin in the analysis' units, with messages in
 * the user's. */
static void resolve(options *o, const tfr_audio_info *info)
{
	double fs = info->sample_rate;
	double lo = tfr_quantity_hz(o->minf, fs), hi = tfr_quantity_hz(o->maxf, fs);
	if (!(lo > 0))
		tool_usage_error("--min-freq: %g Hz must be above 0", lo);
	if (hi > fs / 2)
		tool_usage_error("--max-freq: %g Hz is above the Nyquist frequency %g Hz",
		                 hi, fs / 2);
	if (!(lo < hi))
		tool_usage_error("--min-freq: %g Hz is not below --max-freq %g Hz", lo, hi);
	o->p.minf = lo / fs;
	o->p.maxf = hi / fs;
	o->p.tdeci = (long)tool_samples("tdeci", o->tdeci, fs, 1);
	o->p.channels = o->split ? 1 : info->channels;
	o->p.frames_hint = info->frames > 0 ? info->frames : 0;
}

typedef struct {
	tfr_hyper_bank *bank;
	size_t nh;   /* histograms */
	size_t ht, hf;
} analysis;

static void analyse(options *o, tfr_audio_in *in, analysis *a)
{
	const tfr_audio_info *info = tfr_audio_in_info(in);
	tfr_hyper_bank_params bp;
	tfr_hyper_bank_params_default(&bp);
	bp.hyper = o->p;
	bp.q = o->q;
	bp.nq = o->nq;
	bp.channels = info->channels;
	bp.split = o->split;
	tfr_diag d;
	if (tfr_hyper_bank_check(&bp, &d) != TFR_OK)
		tool_usage_error("%s", d.text);
	if (!(a->bank = tfr_hyper_bank_new(&bp, &d))) {
		if (d.code == TFR_ENOMEM || d.code == TFR_ERANGE)
			tool_usage_error("picture too large for memory (%.0f frames "
			                 "at tdeci %ld)", (double)o->p.frames_hint,
			                 o->p.tdeci);
		tool_die(TOOL_EXIT_FAIL, "%s", d.text);
	}
	a->nh = tfr_hyper_bank_count(a->bank);
	enum { CHUNK = 8192 };
	float *buf = malloc(CHUNK * (size_t)info->channels * sizeof *buf);
	if (!buf)
		tool_die(TOOL_EXIT_FAIL, "%s", tfr_strerror(TFR_ENOMEM));
	long n;
	int e = TFR_OK;
	while (!e && (n = tool_audio_read(in, buf, CHUNK)) > 0)
		e = tfr_hyper_bank_process(a->bank, buf, (size_t)n);
	if (!e)
		e = tfr_hyper_bank_flush(a->bank);
	if (e)
		tool_die(TOOL_EXIT_FAIL, "%s", tfr_strerror(e));
	tfr_hyper_size(tfr_hyper_bank_get(a->bank, 0), &a->ht, &a->hf);
	free(buf);
}

/* The histograms (energy or counts), one file. */
static void write_npy(const char *path, const options *o, const analysis *a,
                      int counts)
{
	const void **m = malloc(a->nh * sizeof *m);
	if (!m)
		tool_die(TOOL_EXIT_FAIL, "%s", tfr_strerror(TFR_ENOMEM));
	for (size_t i = 0; i < a->nh; i++) {
		const tfr_hyper *h = tfr_hyper_bank_get(a->bank, i);
		m[i] = counts ? (const void *)tfr_hyper_counts(h)
		              : (const void *)tfr_hyper_energy(h);
	}
	tool_output *out = tool_output_open(path, 1);
	errno = 0;
	int e = tfr_npy_write_matrices(tool_output_file(out),
	                               counts ? TFR_NPY_U32 : TFR_NPY_F32, m,
	                               a->nh, a->ht, a->hf, o->transpose);
	if (e == TFR_EIO)
		tool_output_failed(out);
	if (e)
		tool_die(TOOL_EXIT_FAIL, "%s: %s", tool_output_label(out), tfr_strerror(e));
	tool_output_close(out);
	free(m);
}

/* Picture: time left to right, high frequency at the top; three
 * histograms are the R, G, B of one picture, others stacked panels. */
static void write_png(const char *path, const options *o, const analysis *a)
{
	const float **layers = malloc(a->nh * sizeof *layers);
	if (!layers)
		tool_die(TOOL_EXIT_FAIL, "%s", tfr_strerror(TFR_ENOMEM));
	for (size_t i = 0; i < a->nh; i++)
		layers[i] = tfr_hyper_energy(tfr_hyper_bank_get(a->bank, i));
	tfr_picture_params pp = o->pic;
	pp.width = a->ht;
	pp.height = a->hf;
	pp.layers = layers;
	pp.nlayers = a->nh;
	pp.rgb = a->nh == 3;
	tool_output *out = tool_output_open(path, 1);
	tfr_diag d;
	errno = 0;
	int e = tfr_picture_write_png(tool_output_file(out), &pp, &d);
	if (e == TFR_EIO)
		tool_output_failed(out);
	if (e != TFR_OK)
		tool_die_diag(tool_output_label(out), &d);
	tool_output_close(out);
	free(layers);
}

int main(int argc, char **argv)
{
	options o;
	memset(&o, 0, sizeof o);
	tool_init("tfr-hyper", argc, argv);
	tfr_hyper_params_default(&o.p);
	long ncpu = sysconf(_SC_NPROCESSORS_ONLN);
	o.p.threads = ncpu < 1 ? 1 : ncpu > TFR_MAX_THREADS ? TFR_MAX_THREADS : (int)ncpu;
	o.q[0] = 2;
	o.nq = 1;
	o.minf = (tfr_quantity){ 0.0025, TFR_UNIT_FS };
	o.maxf = (tfr_quantity){ 0.45, TFR_UNIT_FS };
	o.tdeci = (tfr_quantity){ 64, TFR_UNIT_SAMPLES };
	tfr_picture_params_default(&o.pic);
	parse(argc, argv, &o);
	for (size_t i = 0; i < o.nout; i++) {
		(void)is_png(&o, o.out[i]);
		if (!strcmp(o.out[i], "-") && !o.format)
			tool_usage_error("-o -: give the format with -F");
		tool_check_output(o.out[i], o.input);
	}
	if (o.counts)
		tool_check_output(o.counts, o.input);

	tfr_audio_in *in = tool_audio_open(o.input);
	const tfr_audio_info *info = tfr_audio_in_info(in);
	resolve(&o, info);
	analysis a;
	memset(&a, 0, sizeof a);
	analyse(&o, in, &a);
	tfr_audio_in_free(in);

	for (size_t i = 0; i < o.nout; i++) {
		if (is_png(&o, o.out[i]))
			write_png(o.out[i], &o, &a);
		else
			write_npy(o.out[i], &o, &a, 0);
	}
	if (o.counts)
		write_npy(o.counts, &o, &a, 1);
	tfr_hyper_bank_free(a.bank);
	return TOOL_EXIT_OK;
}
