/*
 * tfr-hyper - Gardner & Magnasco hyper-resolution spectrogram (linear
 * reassignment histogram) of an audio file or stream, as .npy matrices
 * and/or a PNG picture. Wiring only: options, audio in, lib/hyper.c,
 * lib/npy_io.c, lib/png_io.c out.
 */
#include "tfr.h"
#include "tool.h"

#include <getopt.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#define MAXQ 8
#define MAXOUT 4
#define CHUNK 8192

typedef struct {
	double value;
	int is_hz;
} freq_arg;

typedef struct {
	tfr_hyper_params p;
	double q[MAXQ];
	size_t nq;
	freq_arg minf, maxf;
	const char *out[MAXOUT];
	size_t nout;
	const char *format;
	const char *counts;
	int split, transpose;
	double range_db;
	tfr_colormap cmap;
	const char *input;
} options;

_Noreturn static void usage(void)
{
	printf(
"usage: tfr-hyper [options] [input]\n"
"Hyper-resolution spectrogram (Gardner & Magnasco 2006 linear reassignment)\n"
"of an audio file or standard input.\n"
"  -o, --output FILE      .npy (float32 histogram) or .png picture; repeatable\n"
"  -f, --format FMT       npy or png (for standard output or other names)\n"
"  -c, --counts FILE      also write the point counts (.npy, uint32)\n"
"  -q, --q LIST           wavelet Q, comma list (default 2): >1 tones, <1 clicks\n"
"  -t, --tdeci N          samples per time bin (default 64)\n"
"  -s, --over N           scan lines per frequency bin (default 4)\n"
"  -n, --noct N           frequency bins per octave (default 48)\n"
"  -l, --minf F           lowest frequency (default 0.0025 = fraction of rate)\n"
"  -u, --maxf F           highest frequency (default 0.45); F is Hz with a\n"
"                         Hz/kHz suffix or when >= 1, else a fraction of the rate\n"
"  -L, --lint X           locality limit on |eta/xi| (default 0.5)\n"
"  -C, --channels MODE    pool (default, as the reference) or split\n"
"  -T, --transpose        .npy as (frequency, time) instead of (time, frequency)\n"
"  -r, --range DB         picture dynamic range in dB (default 80)\n"
"  -m, --colormap NAME    inferno (default), viridis or gray\n"
"  -R, --rounding MODE    even (default, numpy reference) or away (MATLAB)\n"
"  -j, --threads N        worker threads (default: the number of cores)\n"
"  -x, --exact            compute every line at the full rate (slow check)\n"
"  -h, --help             this help\n"
"  -V, --version          version\n");
	exit(TOOL_EXIT_OK);
}

static freq_arg parse_freq(const char *opt, const char *arg)
{
	freq_arg f = {0, 0};
	char *end;
	/* the library's strict, locale-free number parser, as every option */
	if (tfr_parse_double_prefix(arg, &end, &f.value) != TFR_OK)
		tool_usage_error("%s: '%s' is not a frequency", opt, arg);
	if (!strcasecmp(end, "hz")) {
		f.is_hz = 1;
	} else if (!strcasecmp(end, "khz")) {
		f.is_hz = 1;
		f.value *= 1000;
	} else if (*end) {
		tool_usage_error("%s: '%s' is not a frequency", opt, arg);
	} else {
		f.is_hz = f.value >= 1;
	}
	if (!isfinite(f.value) || !(f.value > 0))
		tool_usage_error("%s: frequency must be positive", opt);
	return f;
}

static void parse_args(int argc, char **argv, options *o)
{
	static const struct option lo[] = {
		{"output", required_argument, 0, 'o'},
		{"format", required_argument, 0, 'f'},
		{"counts", required_argument, 0, 'c'},
		{"q", required_argument, 0, 'q'},
		{"tdeci", required_argument, 0, 't'},
		{"over", required_argument, 0, 's'},
		{"noct", required_argument, 0, 'n'},
		{"minf", required_argument, 0, 'l'},
		{"maxf", required_argument, 0, 'u'},
		{"lint", required_argument, 0, 'L'},
		{"channels", required_argument, 0, 'C'},
		{"transpose", no_argument, 0, 'T'},
		{"range", required_argument, 0, 'r'},
		{"colormap", required_argument, 0, 'm'},
		{"rounding", required_argument, 0, 'R'},
		{"threads", required_argument, 0, 'j'},
		{"exact", no_argument, 0, 'x'},
		{"help", no_argument, 0, 'h'},
		{"version", no_argument, 0, 'V'},
		{0, 0, 0, 0}};
	int c;
	while ((c = getopt_long(argc, argv, "o:f:c:q:t:s:n:l:u:L:C:Tr:m:R:j:xhV",
	                        lo, NULL)) != -1) {
		switch (c) {
		case 'o':
			if (o->nout == MAXOUT)
				tool_usage_error("at most %d outputs", MAXOUT);
			o->out[o->nout++] = optarg;
			break;
		case 'f':
			if (strcmp(optarg, "npy") && strcmp(optarg, "png"))
				tool_usage_error("--format: '%s' is not npy or png",
				                 optarg);
			o->format = optarg;
			break;
		case 'c': o->counts = optarg; break;
		case 'q':
			o->nq = tool_parse_list("--q", optarg, o->q, MAXQ,
			                        -HUGE_VAL, HUGE_VAL);
			for (size_t i = 0; i < o->nq; i++)
				if (!(o->q[i] > 0))
					tool_usage_error("--q: q must be positive");
			break;
		case 't':
			o->p.tdeci = tool_parse_long("--tdeci", optarg, 1,
			                             1L << 30);
			break;
		case 's':
			o->p.over = (int)tool_parse_long("--over", optarg, 1,
			                                 1000);
			break;
		case 'n':
			o->p.noct = tool_parse_double("--noct", optarg, 1e-3,
			                              1e5);
			break;
		case 'l': o->minf = parse_freq("--minf", optarg); break;
		case 'u': o->maxf = parse_freq("--maxf", optarg); break;
		case 'L':
			o->p.lint = tool_parse_double("--lint", optarg, 1e-6,
			                              1e3);
			break;
		case 'C':
			if (!strcmp(optarg, "pool"))
				o->split = 0;
			else if (!strcmp(optarg, "split"))
				o->split = 1;
			else
				tool_usage_error("--channels: '%s' is not pool "
				                 "or split", optarg);
			break;
		case 'T': o->transpose = 1; break;
		case 'r':
			o->range_db = tool_parse_double("--range", optarg, 1,
			                                1000);
			break;
		case 'm':
			if (tfr_colormap_parse(optarg, &o->cmap))
				tool_usage_error("--colormap: unknown map '%s'",
				                 optarg);
			break;
		case 'R':
			if (!strcmp(optarg, "even"))
				o->p.round_away = 0;
			else if (!strcmp(optarg, "away"))
				o->p.round_away = 1;
			else
				tool_usage_error("--rounding: '%s' is not even "
				                 "or away", optarg);
			break;
		case 'j':
			o->p.threads = (int)tool_parse_long("--threads", optarg,
			                                    1, 256);
			break;
		case 'x': o->p.exact = 1; break;
		case 'h': usage();
		case 'V': tool_version();
		default:
			tool_usage_error("unknown option");
		}
	}
	if (optind < argc)
		o->input = argv[optind++];
	if (optind < argc)
		tool_usage_error("too many arguments");
	if (o->nout == 0)
		tool_usage_error("no output: give -o FILE.npy and/or -o FILE.png");
}

/* The format of output i: --format, else the extension. */
static int is_png(const options *o, const char *path)
{
	if (o->format)
		return !strcmp(o->format, "png");
	size_t n = strlen(path);
	if (n > 4 && !strcasecmp(path + n - 4, ".png"))
		return 1;
	if (n > 4 && !strcasecmp(path + n - 4, ".npy"))
		return 0;
	tool_usage_error("%s: unknown output format (use .npy, .png or -f)",
	                 path);
}

static double resolve_freq(freq_arg f, double rate)
{
	return f.is_hz ? f.value / rate : f.value;
}

typedef struct {
	tfr_hyper **h;
	size_t nh;
	int chans;   /* input channels */
	size_t ht, hf;
} analysis;

static void make_analysis(options *o, const tfr_audio_info *info,
                          analysis *a)
{
	const char *why;
	a->chans = info->channels;
	o->p.minf = resolve_freq(o->minf, info->sample_rate);
	o->p.maxf = resolve_freq(o->maxf, info->sample_rate);
	o->p.channels = o->split ? 1 : info->channels;
	o->p.frames_hint = info->frames > 0 ? info->frames : 0;
	size_t per_q = o->split ? (size_t)info->channels : 1;
	a->nh = o->nq * per_q;
	a->h = calloc(a->nh, sizeof *a->h);
	if (!a->h)
		tool_die(TOOL_EXIT_FAIL, "%s", tfr_strerror(TFR_ENOMEM));
	for (size_t i = 0; i < a->nh; i++) {
		int err;
		o->p.q = o->q[i / per_q];
		if (tfr_hyper_check(&o->p, &why))
			tool_usage_error("%s", why);
		a->h[i] = tfr_hyper_new(&o->p, &err);
		if (!a->h[i]) {
			if (err == TFR_ENOMEM || err == TFR_ERANGE)
				tool_usage_error("picture too large for memory "
				                 "(%.0f frames at tdeci %ld)",
				                 (double)o->p.frames_hint,
				                 o->p.tdeci);
			tool_die(TOOL_EXIT_FAIL, "%s", tfr_strerror(err));
		}
	}
}

static void feed(options *o, tfr_audio_in *in, analysis *a)
{
	size_t C = (size_t)a->chans;
	float *buf = malloc(CHUNK * C * sizeof *buf);
	float *mono = malloc(CHUNK * sizeof *mono);
	if (!buf || !mono)
		tool_die(TOOL_EXIT_FAIL, "%s", tfr_strerror(TFR_ENOMEM));
	long n;
	while ((n = tfr_audio_in_read(in, buf, CHUNK)) > 0) {
		for (size_t i = 0; i < a->nh; i++) {
			int e;
			if (o->split) {
				size_t c = i % C;
				for (long k = 0; k < n; k++)
					mono[k] = buf[(size_t)k * C + c];
				e = tfr_hyper_process(a->h[i], mono, (size_t)n);
			} else {
				e = tfr_hyper_process(a->h[i], buf, (size_t)n);
			}
			if (e)
				tool_die(TOOL_EXIT_FAIL, "%s", tfr_strerror(e));
		}
	}
	if (n < 0)
		tool_die(TOOL_EXIT_FAIL, "%s: %s", tool_input_label(o->input),
		         tfr_audio_in_error(in));
	for (size_t i = 0; i < a->nh; i++) {
		int e = tfr_hyper_finish(a->h[i]);
		if (e)
			tool_die(TOOL_EXIT_FAIL, "%s", tfr_strerror(e));
	}
	tfr_hyper_size(a->h[0], &a->ht, &a->hf);
	free(buf);
	free(mono);
}

/* One histogram (energy or counts) in the chosen axis order. */
static int write_matrix(FILE *f, const options *o, const analysis *a,
                        size_t i, int counts)
{
	size_t ht = a->ht, hf = a->hf;
	const float *E = tfr_hyper_energy(a->h[i]);
	const uint32_t *C = tfr_hyper_counts(a->h[i]);
	if (!o->transpose)
		return counts ? tfr_npy_write_u32(f, C, ht * hf)
		              : tfr_npy_write_f32(f, E, ht * hf);
	float *rowf = malloc((ht ? ht : 1) * sizeof *rowf);
	uint32_t *rowc = malloc((ht ? ht : 1) * sizeof *rowc);
	int e = rowf && rowc ? TFR_OK : TFR_ENOMEM;
	for (size_t j = 0; j < hf && !e; j++) {
		for (size_t k = 0; k < ht; k++) {
			rowf[k] = E[k * hf + j];
			rowc[k] = C[k * hf + j];
		}
		e = counts ? tfr_npy_write_u32(f, rowc, ht)
		           : tfr_npy_write_f32(f, rowf, ht);
	}
	free(rowf);
	free(rowc);
	return e;
}

static void write_npy(const char *path, const options *o, const analysis *a,
                      int counts)
{
	size_t shape[3];
	int nd = 0;
	if (a->nh > 1)
		shape[nd++] = a->nh;
	shape[nd++] = o->transpose ? a->hf : a->ht;
	shape[nd++] = o->transpose ? a->ht : a->hf;
	FILE *f = tool_open_output(path, 1);
	int e = tfr_npy_write_header(f, counts ? TFR_NPY_U32 : TFR_NPY_F32,
	                             nd, shape);
	for (size_t i = 0; i < a->nh && !e; i++)
		e = write_matrix(f, o, a, i, counts);
	if (e)
		tool_die(TOOL_EXIT_FAIL, "%s: %s", path, tfr_strerror(e));
	tool_close_output(f);
}

static double hist_max(const analysis *a, size_t i)
{
	const float *E = tfr_hyper_energy(a->h[i]);
	double m = 0;
	for (size_t n = 0; n < a->ht * a->hf; n++)
		if (E[n] > m)
			m = E[n];
	return m;
}

/* Picture: time left to right, high frequency at the top. Three
 * histograms become the R, G, B channels (Magnasco's multi-q image);
 * otherwise the histograms are stacked top to bottom. */
static void write_png(const char *path, const options *o, const analysis *a)
{
	int rgb3 = a->nh == 3;
	size_t bands = rgb3 ? 1 : a->nh;
	size_t w = a->ht ? a->ht : 1;
	double vmax[MAXQ * 64];
	for (size_t i = 0; i < a->nh && i < MAXQ * 64; i++)
		vmax[i] = hist_max(a, i);
	FILE *f = tool_open_output(path, 1);
	tfr_png *png;
	int e = tfr_png_open(&png, f, w, a->hf * bands);
	uint8_t *row = calloc(w, 3);
	if (!e && !row)
		e = TFR_ENOMEM;
	for (size_t b = 0; b < bands && !e; b++)
		for (size_t j = 0; j < a->hf && !e; j++) {
			for (size_t k = 0; k < a->ht; k++) {
				if (rgb3) {
					for (int c = 0; c < 3; c++) {
						const float *E =
							tfr_hyper_energy(a->h[c]);
						double t = tfr_level_db(
							E[k * a->hf + j],
							vmax[c], o->range_db);
						row[3 * k + (size_t)c] =
							(uint8_t)lrint(255 * t);
					}
				} else {
					const float *E = tfr_hyper_energy(a->h[b]);
					tfr_colormap_rgb(o->cmap, tfr_level_db(
						E[k * a->hf + j], vmax[b],
						o->range_db), row + 3 * k);
				}
			}
			e = tfr_png_write_row(png, row);
		}
	int e2 = tfr_png_close(png);
	free(row);
	if (e || e2)
		tool_die(TOOL_EXIT_FAIL, "%s: %s", path,
		         tfr_strerror(e ? e : e2));
	tool_close_output(f);
}

int main(int argc, char **argv)
{
	options o;
	memset(&o, 0, sizeof o);
	tool_init("tfr-hyper");
	tfr_hyper_params_default(&o.p);
	long ncpu = sysconf(_SC_NPROCESSORS_ONLN);
	o.p.threads = ncpu > 0 && ncpu < 256 ? (int)ncpu : 1;
	o.q[0] = 2;
	o.nq = 1;
	o.minf.value = 0.0025;
	o.maxf.value = 0.45;
	o.range_db = 80;
	o.cmap = TFR_COLORMAP_INFERNO;
	parse_args(argc, argv, &o);
	for (size_t i = 0; i < o.nout; i++)
		(void)is_png(&o, o.out[i]);
	for (size_t i = 0; i < o.nout; i++)
		if (!strcmp(o.out[i], "-") && !o.format)
			tool_usage_error("-o -: give the format with -f");

	char msg[256];
	tfr_audio_in *in;
	int e = tfr_audio_in_open(&in, o.input, msg, sizeof msg);
	if (e)
		tool_die(TOOL_EXIT_FAIL, "%s: %s", tool_input_label(o.input), msg);
	const tfr_audio_info *info = tfr_audio_in_info(in);
	analysis a;
	memset(&a, 0, sizeof a);
	make_analysis(&o, info, &a);
	feed(&o, in, &a);
	tfr_audio_in_close(in);

	for (size_t i = 0; i < o.nout; i++) {
		if (is_png(&o, o.out[i]))
			write_png(o.out[i], &o, &a);
		else
			write_npy(o.out[i], &o, &a, 0);
	}
	if (o.counts)
		write_npy(o.counts, &o, &a, 1);
	for (size_t i = 0; i < a.nh; i++)
		tfr_hyper_free(a.h[i]);
	free(a.h);
	return TOOL_EXIT_OK;
}
