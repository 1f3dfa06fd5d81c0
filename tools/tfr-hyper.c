/*
 * tfr-hyper - Gardner & Magnasco hyper-resolution spectrogram (linear
 * reassignment histogram) of an audio file or stream: PNG figures (or
 * bare pictures), whole or in pages written as the input is analysed,
 * and .npy matrices with their geometry in sidecars. See tfr-hyper(1).
 */
#include "tool.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define MAXOUT 4

static void usage(void)
{
	printf(
"usage: tfr-hyper [-hVX] [-o file]... [-F npy|png] [-k file] [-q list]\n"
"                 [-i len] [-O n] [-N n] [-y freq] [-Y freq] [-z dB] [-Z dBFS]\n"
"                 [-M map] [-j n] [--lint x] [--channels pool|split]\n"
"                 [--transpose] [--rounding even|away] [--start time]\n"
"                 [--duration time] [--page time] [--title text] [--bare] [file]\n"
"Hyper-resolution spectrogram (Gardner & Magnasco 2006 linear reassignment)\n"
"of an audio file or standard input.\n"
"\n"
"  -o, --output=FILE        .npy (float32 histogram, and FILE.txt: its axes)\n"
"                           or .png figure; repeatable\n"
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
"      --start=TIME         analyse from TIME (s or ms) on; times stay\n"
"                           absolute (default 0)\n"
"      --duration=TIME      analyse TIME of the input (default: to the end)\n"
"      --page=TIME          pictures of TIME each, FILE-0001.png, ...,\n"
"                           written as the input goes: any length in\n"
"                           bounded memory (a count threshold per page)\n"
"  -z, --range=DB           picture dynamic range in dB (default 80)\n"
"  -Z, --top=DBFS           level at the top of the colour scale (default:\n"
"                           the picture's maximum)\n"
"  -M, --colormap=NAME      inferno (default), viridis, gray or print\n"
"      --title=TEXT         title above the picture\n"
"      --bare               the histogram's pixels only, no axes\n"
"      --rounding=MODE      even (default, numpy reference) or away (MATLAB)\n"
"  -j, --jobs=N             worker threads (default: the number of cores)\n"
"  -X, --exact              compute every line at the full rate (slow check)\n"
"  -v, --verbose            say what was computed on stderr\n"
"  -h, --help               show this help and exit\n"
"  -V, --version            show the version and exit\n");
}

typedef struct {
	tool_hyper an;
	const char *out[MAXOUT], *format, *counts, *input;
	size_t nout;
	int transpose, verbose;
	tool_picture_opts look;
} options;

static void parse(int argc, char **argv, options *o)
{
	static const char *const names[] = {
		"output", "format", "counts", "q", "tdeci", "over", "noct", "min-freq",
		"max-freq", "lint", "channels", "transpose", "start", "duration", "page", "range", "top",
		"colormap", "title", "bare", "rounding", "jobs", "exact", "verbose", "help",
		"version", NULL
	};
	static const char *const formats[] = { "npy", "png", NULL };
	const char *opt, *arg;
	while ((opt = tool_next_option(argc, argv, names, &arg, usage))) {
		if (tool_picture_option(&o->look, opt, arg) || tool_hyper_option(&o->an, opt, arg))
			continue;
		if (!strcmp(opt, "output")) {
			if (o->nout == MAXOUT)
				tool_usage_error("at most %d outputs", MAXOUT);
			o->out[o->nout++] = arg;
		} else if (!strcmp(opt, "format")) {
			o->format = formats[tool_parse_choice(opt, arg, formats)];
		} else if (!strcmp(opt, "counts")) {
			o->counts = arg;
		} else if (!strcmp(opt, "transpose")) {
			o->transpose = 1;
		} else if (!strcmp(opt, "verbose")) {
			o->verbose = 1;
		}
	}
	o->input = tool_input_operand(argc, argv);
	if (o->nout == 0)
		tool_usage_error("no output: give -o FILE.npy and/or -o FILE.png");
	for (size_t i = 0; i < o->nout; i++) {
		(void)tool_matrix_is_png(o->out[i], o->format);
		tool_check_output(o->out[i], o->input);
	}
	if (o->counts) {
		tool_check_extension("--counts", o->counts, "npy");
		tool_check_output(o->counts, o->input);
	}
}

typedef struct {
	tfr_hyper_bank *bank;
	tool_matrix *out;
	tfr_meta *prov;
	size_t nh, page;        /* histograms; columns per page (or all) */
	double fs, length, dt;  /* Hz; s, or -1 not known; s per column */
	int64_t frames;         /* analysed, or -1 not known */
	long long columns;      /* written */
	char label[TFR_HYPER_BANK_MAX][40];
	const char *labels[TFR_HYPER_BANK_MAX];
	double full[TFR_HYPER_BANK_MAX];     /* each histogram's 0 dBFS */
} run;

static void new_bank(options *o, const tfr_audio_info *ai, run *r)
{
	tfr_hyper_bank_params bp;
	tfr_audio_info span = *ai;  /* the part analysed */
	span.frames = tool_span_frames(&o->look, ai);
	/* pages: the picture is never held whole, so none is reserved */
	tool_hyper_resolve(&o->an, &span, !o->look.have_page, &bp);
	tfr_diag d;
	if (tfr_hyper_bank_check(&bp, &d) != TFR_OK)
		tool_usage_error("%s", d.text);
	if (!(r->bank = tfr_hyper_bank_new(&bp, &d))) {
		if (d.code == TFR_ENOMEM || d.code == TFR_ERANGE)
			tool_usage_error("picture too large for memory (%.0f frames at tdeci %ld)",
			                 (double)o->an.p.frames_hint, o->an.p.tdeci);
		tool_die(TOOL_EXIT_FAIL, "%s", d.text);
	}
	r->nh = tfr_hyper_bank_count(r->bank);
	r->fs = ai->sample_rate;
	r->frames = span.frames;
	r->length = span.frames >= 0 ? (double)span.frames / r->fs : -1;
}

/* The outputs and their axes: histogram i has q i / per and, split,
 * channel i % per, and its own full scale (which falls with q). */
static void open_outputs(const options *o, const tfr_audio_info *ai, run *r)
{
	size_t per = r->nh / o->an.nq, hf = tfr_hyper_freq_bins(&o->an.p);
	double dt = r->dt = (double)o->an.p.tdeci / r->fs;
	tool_matrix_params mp = { .paths = o->out, .npaths = o->nout, .format = o->format,
		.counts = o->counts, .input = o->input, .rows = hf, .nlayers = r->nh,
		.bare = o->look.bare, .transpose = o->transpose, .dt = dt,
		.t0 = o->look.start + tfr_hyper_bin_time(&o->an.p, 0) / r->fs };
	for (size_t i = 0; i < r->nh; i++) {
		tfr_hyper_params hp = o->an.p;
		hp.q = o->an.q[i / per];
		r->full[i] = tfr_hyper_full_scale(&hp);
		int n = o->an.nq > 1 ? snprintf(r->label[i], 40, "q=%g", hp.q) : 0;
		if (per > 1)
			snprintf(r->label[i] + n, (size_t)(40 - n), "%schannel %zu", n ? " " : "",
			         i % per + 1);
		r->labels[i] = r->label[i];
	}
	tfr_picture_params_default(&mp.pic);
	tool_picture_look(&o->look, &mp.pic);
	mp.pic.rgb = r->nh == 3;
	mp.pic.labels = r->nh > 1 ? r->labels : NULL;
	mp.pic.freq_first = tfr_hyper_bin_freq(&o->an.p, 0) * r->fs;
	mp.pic.freq_last = tfr_hyper_bin_freq(&o->an.p, hf - 1) * r->fs;
	mp.pic.freq_scale = TFR_AXIS_LOG;
	mp.pic.dbfs = 1;
	mp.pic.full_scales = r->full;
	mp.pic.ref = o->look.have_top ? pow(10, o->look.top / 10) : 0;
	mp.columns = r->frames > 0 ? (size_t)((r->frames + o->an.p.tdeci - 1) / o->an.p.tdeci) : 0;
	mp.page = o->look.have_page ? (size_t)fmax(2, round(o->look.page / dt)) : 0;
	r->page = mp.page ? mp.page : SIZE_MAX;
	r->prov = tool_audio_provenance(o->input, ai);
	tool_hyper_provenance(&o->an, r->fs, r->prov);
	/* the count threshold, sqrt(largest count): of the whole input, or
	   of each page when the input is never held whole */
	tool_meta_set(r->prov, "threshold", o->look.have_page ? "page" : "whole");
	tool_meta_set(r->prov, "history", "%s", tool_meta_text(tool_history()));
	mp.text = r->prov;
	r->out = tool_matrix_open(&mp);
}

/* The final columns, a page at a time (at the end, the rest), each
 * thresholded on its own with pages, written, released. */
static void take(run *r, int end)
{
	const float *E[TFR_HYPER_BANK_MAX];
	const uint32_t *C[TFR_HYPER_BANK_MAX];
	size_t first, n;
	tfr_hyper_bank_ready(r->bank, &first, &n);
	while (n > 0 && (n >= r->page || end)) {
		size_t k = n < r->page ? n : r->page;
		if (r->page != SIZE_MAX)
			tfr_hyper_bank_threshold(r->bank, first, k);
		for (size_t i = 0; i < r->nh; i++) {
			E[i] = tfr_hyper_energy(tfr_hyper_bank_get(r->bank, i));
			C[i] = tfr_hyper_counts(tfr_hyper_bank_get(r->bank, i));
		}
		tool_matrix_put(r->out, E, C, k);
		r->columns += (long long)k;
		tfr_hyper_bank_release(r->bank, first + k);
		first += k;
		n -= k;
	}
}

static void analyse(const options *o, tfr_audio_in *in, run *r)
{
	enum { CHUNK = 8192 };
	float *buf = malloc(CHUNK * (size_t)tfr_audio_in_info(in)->channels * sizeof *buf);
	if (!buf)
		tool_die(TOOL_EXIT_FAIL, "%s", tfr_strerror(TFR_ENOMEM));
	long n;
	int e = TFR_OK;
	double done = 0;
	int64_t pos = 0;
	while (!e && (n = tool_audio_read_span(in, &o->look, buf, CHUNK, &pos)) > 0) {
		e = tfr_hyper_bank_process(r->bank, buf, (size_t)n);
		take(r, 0);
		done += (double)n / r->fs;
		tool_progress(done, r->length, r->page == SIZE_MAX ? 0 :
		              (long long)(done / ((double)r->page * r->dt)) + 1);
	}
	if (!e)
		e = o->look.have_page ? tfr_hyper_bank_end(r->bank) : tfr_hyper_bank_flush(r->bank);
	if (e)
		tool_die(TOOL_EXIT_FAIL, "%s", tfr_strerror(e));
	take(r, 1);
	tool_progress_done();
	if (o->verbose)
		tool_warn("%zu histogram%s of %lld columns (%.3g ms each) from %.3f s of audio",
		          r->nh, r->nh == 1 ? "" : "s", r->columns, 1e3 * r->dt, done);
	free(buf);
}

int main(int argc, char **argv)
{
	options o = { 0 };
	tool_init("tfr-hyper", argc, argv);
	tool_hyper_default(&o.an);
	tool_picture_opts_default(&o.look);
	parse(argc, argv, &o);
	tfr_audio_in *in = tool_audio_open(o.input);
	const tfr_audio_info *info = tfr_audio_in_info(in);
	run r = { 0 };
	new_bank(&o, info, &r);
	open_outputs(&o, info, &r);
	analyse(&o, in, &r);
	tfr_audio_in_free(in);
	tool_matrix_close(r.out);
	tfr_meta_free(r.prov);
	tfr_hyper_bank_free(r.bank);
	return TOOL_EXIT_OK;
}
