/*
 * tfr-sdelay - spectral delay: every STFT bin gets its own delay,
 * feedback and gain (Kim-Boyle, DAFx-04). Audio in, WAV out, streaming.
 * See tfr-sdelay(1).
 */
#include "tool.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#define MAX_MAPS 64  /* maps of one kind: one per channel at most */
#define MAX_CONFIGS TFR_SDELAY_MAX_CONFIGS  /* configurations of a morph */

static void usage(void)
{
	printf(
"usage: tfr-sdelay [-DGhLPvV] [-d map] [-f map] [-g map] [-m mix]\n"
"                  [-x cross] [-s time] [-T auto|time] [-n N] [-H hop]\n"
"                  [-w window] [-b bits] [--headroom dB] [--freeze env]\n"
"                  [--freeze-band lo:hi] [--freeze-phase advance|random]\n"
"                  [--morph env maps --next maps...]\n"
"                  [--follow map*desc|map+k*desc] [--sidechain file]\n"
"                  [--sidechain-map gain|feedback] [-o file] [file]\n"
"       tfr-sdelay --describe [-v] [-n N] [-H hop] [-w window] [-o file]\n"
"                  [file]\n"
"Spectral delay: each frequency bin of a WOLA STFT gets its own delay,\n"
"feedback and gain. Audio in, WAV out, sample-aligned with the input.\n"
"\n"
"Maps are inline breakpoints 'freq:value,freq:value,...' (linear over\n"
"frequency, constant beyond the ends; freq in Hz, or with Hz, k or kHz),\n"
"a single value, or a file of 'freq value' or 'time freq value' lines\n"
"(@file or any name that does not start with a digit, sign or point).\n"
"Give a map option once for every channel, or once per channel in\n"
"channel order.\n"
"\n"
"  -d, --delay=MAP          delay in seconds, or with ms or s (default 0),\n"
"                           rounded to hops; 0 ... 60 s\n"
"  -D, --delay-frames       delay map values are frames (hops)\n"
"  -f, --feedback=MAP       feedback, |fb| < 1 (default 0)\n"
"  -g, --gain=MAP           gain in dB, <= 60 (default 0)\n"
"  -G, --gain-linear        gain map values are linear factors\n"
"  -m, --mix=X              wet fraction 0 ... 1 (default 1)\n"
"  -x, --cross-feedback=X   stereo: fraction of each bin's feedback that\n"
"                           goes to the other channel, 0 ... 1 (default 0)\n"
"  -s, --smooth=TIME        glide time of map changes (default 50ms)\n"
"  -T, --tail=auto|TIME     keep going after the input ends: until the\n"
"                           output stays below -90 dBFS, or that long\n"
"      --headroom=DB        attenuate the output by DB (default 0)\n"
"      --freeze=ENV         when to freeze: an envelope over time of 0\n"
"                           (live) and 1 (frozen), 'time:value,...' or a\n"
"                           file; once, or once per channel. A frozen bin\n"
"                           keeps sounding at its pitch, its line held\n"
"      --freeze-band=LO:HI  freeze only LO ... HI (Hz or kHz)\n"
"      --freeze-phase=advance|random  a frozen bin's phase: advanced at\n"
"                           its frequency (tones stay pure; default), or\n"
"                           random every frame (noise, textures)\n"
"      --next               the maps after it are the next configuration\n"
"                           of a morph (-d, -f, -g: all its maps)\n"
"      --morph=ENV          where to be between the configurations over\n"
"                           time: 0 the first, 1 the second, ... (e.g.\n"
"                           '0:0,5:1'); delays crossfade, feedback and\n"
"                           gain (dB) move with it, per bin\n"
"      --follow=RULE        a map follows a descriptor of the input, per\n"
"                           channel: MAP*[K*]DESC scales it, MAP+[K*]DESC\n"
"                           offsets it (MAP delay, feedback or gain; DESC\n"
"                           centroid, flatness, flux or level), e.g.\n"
"                           'feedback*flatness', 'delay+0.0001*centroid'\n"
"      --sidechain=FILE     a second sound whose spectrum drives each bin:\n"
"                           its magnitude over the frame's largest scales\n"
"                           the bin's gain (or feedback), frame-aligned\n"
"      --sidechain-map=gain|feedback  what the sidechain drives (gain)\n"
"  -L, --limit              soft limiter above -1 dBFS (never clips)\n"
"  -n, --fft-size=N         FFT size, even (default 2048)\n"
"  -H, --hop=LEN            hop in samples, or a time with ms or s\n"
"                           (default N/4)\n"
"  -w, --window=NAME        analysis/synthesis window (default hann)\n"
"  -b, --bits=16|24|float   output samples (default: as the input)\n"
"  -P, --print-latency      print the live latency N-H in samples, exit\n"
"      --describe           write the input's spectral descriptors (a\n"
"                           descriptors stream: centroid, level,\n"
"                           flatness, flux per frame and channel), not audio\n"
"  -o, --output=FILE        write to FILE instead of standard output\n"
"  -v, --verbose            say what was made on stderr (one line)\n"
"  -h, --help               show this help and exit\n"
"  -V, --version            show the version and exit\n");
}

typedef struct {
	const char *input, *output;
	tfr_sdelay_params p;
	tool_map maps[TFR_SDELAY_NMAPS][MAX_MAPS];
	const tfr_freqmap *mapv[TFR_SDELAY_NMAPS][MAX_MAPS];
	tfr_quantity hop;
	int have_hop, bits, print_latency, verbose;
	tool_envelope freeze[MAX_MAPS];
	const tfr_envelope *freezev[MAX_MAPS];
	tfr_quantity band[2];
	int have_band, have_phase;
	/* the configurations after the first (--next), and the morph */
	int ncfg;
	tool_map cmaps[MAX_CONFIGS - 1][TFR_SDELAY_NMAPS][MAX_MAPS];
	const tfr_freqmap *cmapv[MAX_CONFIGS - 1][TFR_SDELAY_NMAPS][MAX_MAPS];
	tfr_sdelay_config cfg[MAX_CONFIGS - 1];
	tool_envelope morph;
	int have_morph;
	const char *sidechain;
} options;

static const char *const kind_name[TFR_SDELAY_NMAPS] = { "delay", "feedback", "gain" };

static void add_map(options *o, int kind, const char *arg)
{
	int *n = o->ncfg ? &o->cfg[o->ncfg - 1].nmaps[kind] : &o->p.nmaps[kind];
	tool_map *m = o->ncfg ? o->cmaps[o->ncfg - 1][kind] : o->maps[kind];
	if (*n == MAX_MAPS)
		tool_usage_error("--%s: more than %d maps", kind_name[kind], MAX_MAPS);
	tool_map_arg(&m[(*n)++], kind_name[kind], arg);
}

/* MAP*DESC, MAP*K*DESC, MAP+DESC or MAP+K*DESC. */
static void add_follow(options *o, const char *arg)
{
	static const char *const maps[] = { "delay", "feedback", "gain", NULL };
	static const char *const descs[] = { "centroid", "flatness", "flux", "level", NULL };
	char buf[128];
	if (o->p.nfollow == TFR_SDELAY_MAX_FOLLOW)
		tool_usage_error("--follow: more than %d rules", TFR_SDELAY_MAX_FOLLOW);
	size_t n = strcspn(arg, "*+");
	const char *star = arg[n] ? strrchr(arg + n + 1, '*') : NULL;
	const char *desc = star ? star + 1 : arg + n + 1;
	int map = -1, which = -1;
	for (int i = 0; maps[i]; i++)
		if (strlen(maps[i]) == n && !strncmp(arg, maps[i], n))
			map = i;
	for (int i = 0; arg[n] && descs[i]; i++)
		if (!strcmp(desc, descs[i]))
			which = i;
	if (map < 0 || which < 0 || strlen(arg) >= sizeof buf)
		tool_usage_error("--follow: '%s' is not MAP*DESC or MAP+K*DESC (MAP "
		                 "delay, feedback or gain; DESC centroid, flatness, "
		                 "flux or level)", arg);
	tfr_sdelay_follow *f = &o->p.follow[o->p.nfollow++];
	f->map = map;
	f->offset = arg[n] == '+';
	f->descriptor = (tfr_sdelay_descriptor)which;
	f->k = 1;
	if (star) {
		size_t kn = (size_t)(star - (arg + n + 1));
		memcpy(buf, arg + n + 1, kn);
		buf[kn] = 0;
		f->k = tool_parse_number("follow", buf, -1e9, 1e9);
	}
}

static void next_config(options *o)
{
	if (o->ncfg + 1 == MAX_CONFIGS)
		tool_usage_error("--next: more than %d configurations", MAX_CONFIGS);
	o->ncfg++;
}

static void add_freeze(options *o, const char *arg)
{
	if (o->p.nfreeze == MAX_MAPS)
		tool_usage_error("--freeze: more than %d envelopes", MAX_MAPS);
	tool_envelope_arg(&o->freeze[o->p.nfreeze++], "freeze envelope", arg);
}

/* LO:HI, two frequencies */
static void parse_band(options *o, const char *arg)
{
	char lo[64];
	const char *colon = strchr(arg, ':');
	if (!colon || (size_t)(colon - arg) >= sizeof lo)
		tool_usage_error("--freeze-band: '%s' is not LO:HI (two frequencies, "
		                 "e.g. 200:2k)", arg);
	memcpy(lo, arg, (size_t)(colon - arg));
	lo[colon - arg] = 0;
	o->band[0] = tool_parse_freq("freeze-band", lo);
	o->band[1] = tool_parse_freq("freeze-band", colon + 1);
	o->have_band = 1;
}

static void parse(int argc, char **argv, options *o)
{
	static const char *const names[] = {
		"delay", "delay-frames", "feedback", "gain", "gain-linear", "mix",
		"cross-feedback", "smooth", "tail", "headroom", "limit",
		"fft-size", "hop", "window", "bits", "print-latency", "describe",
		"freeze", "freeze-band", "freeze-phase", "next", "morph", "follow", "sidechain",
		"sidechain-map", "output", "verbose",
		"help", "version", NULL
	};
	static const char *const bits[] = { "16", "24", "float", "32", NULL };
	static const char *const side_maps[] = { "gain", "feedback", NULL };
	static const char *const phases[] = { "advance", "random", NULL };
	tfr_sdelay_params_default(&o->p);
	o->p.side_map = TFR_SDELAY_GAIN;
	const char *opt, *arg;
	while ((opt = tool_next_option(argc, argv, names, &arg, usage))) {
		if (!strcmp(opt, "delay"))
			add_map(o, TFR_SDELAY_DELAY, arg);
		else if (!strcmp(opt, "delay-frames"))
			o->p.delay_frames = 1;
		else if (!strcmp(opt, "feedback"))
			add_map(o, TFR_SDELAY_FEEDBACK, arg);
		else if (!strcmp(opt, "gain"))
			add_map(o, TFR_SDELAY_GAIN, arg);
		else if (!strcmp(opt, "gain-linear"))
			o->p.gain_linear = 1;
		else if (!strcmp(opt, "mix"))
			o->p.mix = tool_parse_number(opt, arg, 0, 1);
		else if (!strcmp(opt, "cross-feedback"))
			o->p.cross = tool_parse_number(opt, arg, 0, 1);
		else if (!strcmp(opt, "smooth"))
			o->p.smooth = tool_parse_time(opt, arg, TFR_UNIT_SECONDS).value;
		else if (!strcmp(opt, "tail") && !strcmp(arg, "auto"))
			o->p.tail = TFR_SDELAY_TAIL_AUTO;
		else if (!strcmp(opt, "tail")) {
			o->p.tail = TFR_SDELAY_TAIL_TIME;
			o->p.tail_time = tool_parse_time(opt, arg, TFR_UNIT_SECONDS).value;
		} else if (!strcmp(opt, "headroom"))
			o->p.headroom_db = tool_parse_level(opt, arg, 0);
		else if (!strcmp(opt, "limit"))
			o->p.limit = 1;
		else if (!strcmp(opt, "fft-size"))
			o->p.fft_size = (size_t)tool_parse_int(opt, arg, 2, TFR_MAX_FFT_SIZE);
		else if (!strcmp(opt, "hop")) {
			o->hop = tool_parse_time(opt, arg, TFR_UNIT_SAMPLES);
			o->have_hop = 1;
		} else if (!strcmp(opt, "window"))
			o->p.window = tool_parse_window(opt, arg);
		else if (!strcmp(opt, "bits"))
			o->bits = (int[]){ 16, 24, 32, 32 }[tool_parse_choice(opt, arg, bits)];
		else if (!strcmp(opt, "print-latency"))
			o->print_latency = 1;
		else if (!strcmp(opt, "describe"))
			o->p.describe = 1;
		else if (!strcmp(opt, "freeze"))
			add_freeze(o, arg);
		else if (!strcmp(opt, "freeze-band"))
			parse_band(o, arg);
		else if (!strcmp(opt, "freeze-phase")) {
			o->p.freeze_random = tool_parse_choice(opt, arg, phases);
			o->have_phase = 1;
		}
		else if (!strcmp(opt, "next"))
			next_config(o);
		else if (!strcmp(opt, "follow"))
			add_follow(o, arg);
		else if (!strcmp(opt, "sidechain"))
			o->sidechain = arg;
		else if (!strcmp(opt, "sidechain-map"))
			o->p.side_map = (int[]){ TFR_SDELAY_GAIN, TFR_SDELAY_FEEDBACK }
			                [tool_parse_choice(opt, arg, side_maps)];
		else if (!strcmp(opt, "morph")) {
			tool_envelope_arg(&o->morph, "morph envelope", arg);
			o->have_morph = 1;
		}
		else if (!strcmp(opt, "output"))
			o->output = arg;
		else if (!strcmp(opt, "verbose"))
			o->verbose = 1;
	}
	o->input = tool_input_operand(argc, argv);
	o->p.fft_size = tool_fft_size("fft-size", (long long)o->p.fft_size);
}

/* The hop in samples, once the sample rate is known (0: not yet). */
static void resolve_hop(options *o, double rate)
{
	size_t n = o->p.fft_size;
	o->p.hop = !o->have_hop ? (n / 4 > 0 ? n / 4 : 1)
	         : tool_samples("hop", o->hop, rate, 1);
	if (o->p.hop > n)
		tool_usage_error("--hop: %zu samples is larger than the FFT size %zu",
		                 o->p.hop, n);
}

/* How the values of a map of kind k are written. */
static tfr_map_values map_values(const options *o, int k)
{
	return k == TFR_SDELAY_FEEDBACK ? TFR_MAP_NUMBER
	     : k == TFR_SDELAY_DELAY ? (o->p.delay_frames ? TFR_MAP_NUMBER : TFR_MAP_TIME)
	     : o->p.gain_linear ? TFR_MAP_NUMBER : TFR_MAP_LEVEL;
}

/* Every map in its kind's units, checked for this input. */
static void load_maps(options *o)
{
	for (int k = 0; k < TFR_SDELAY_NMAPS; k++) {
		tfr_map_values v = map_values(o, k);
		for (int i = 0; i < o->p.nmaps[k]; i++) {
			tool_map_load(&o->maps[k][i], v);
			o->mapv[k][i] = o->maps[k][i].map;
		}
		o->p.maps[k] = o->mapv[k];
	}
	for (int j = 0; j < o->ncfg; j++) {
		for (int k = 0; k < TFR_SDELAY_NMAPS; k++) {
			for (int i = 0; i < o->cfg[j].nmaps[k]; i++) {
				tool_map_load(&o->cmaps[j][k][i], map_values(o, k));
				o->cmapv[j][k][i] = o->cmaps[j][k][i].map;
			}
			o->cfg[j].maps[k] = o->cmapv[j][k];
		}
	}
	o->p.configs = o->cfg;
	o->p.nconfigs = o->ncfg;
	if (o->have_morph) {
		tool_envelope_load(&o->morph, TFR_MAP_TIME, TFR_MAP_NUMBER);
		o->p.morph = o->morph.env;
	}
	for (int i = 0; i < o->p.nfreeze; i++) {
		tool_envelope_load(&o->freeze[i], TFR_MAP_TIME, TFR_MAP_NUMBER);
		o->freezev[i] = o->freeze[i].env;
	}
	o->p.freeze = o->freezev;
}

/* The values of one configuration's maps, each fault said at its map's
 * place (FILE:LINE or the option's column). */
static void check_maps(const options *o, tool_map (*maps)[MAX_MAPS],
                       const int *nmaps)
{
	tfr_diag d;
	for (int k = 0; k < TFR_SDELAY_NMAPS; k++)
		for (int i = 0; i < nmaps[k]; i++)
			if (tfr_sdelay_check_map(&o->p, k, maps[k][i].map, &d) != TFR_OK)
				tool_map_fault(&maps[k][i], &d);
}

static void check(options *o, double rate)
{
	tfr_diag d;
	if (o->have_band && !o->p.nfreeze)
		tool_usage_error("--freeze-band: give --freeze too");
	if (o->have_phase && !o->p.nfreeze)
		tool_usage_error("--freeze-phase: give --freeze too");
	if (o->have_band) {
		o->p.freeze_lo = tfr_quantity_hz(o->band[0], rate);
		o->p.freeze_hi = tfr_quantity_hz(o->band[1], rate);
		if (!(o->p.freeze_hi > o->p.freeze_lo))
			tool_usage_error("--freeze-band: %g:%g Hz is empty (LO below HI)",
			                 o->p.freeze_lo, o->p.freeze_hi);
	}
	for (int i = 0; i < o->p.nfreeze; i++)
		for (size_t j = 0; j < o->freeze[i].env->n; j++) {
			double v = o->freeze[i].env->y[j];
			if (v != 0 && v != 1) {
				tfr_diag_setf(&d, TFR_EINVAL, "freeze value %g is not 0 "
				              "(live) or 1 (frozen)", v);
				tfr_diag_at(&d, (long)o->freeze[i].env->line[j],
				            (long)o->freeze[i].env->ycol[j]);
				tool_envelope_fault(&o->freeze[i], &d);
			}
		}
	if (o->have_morph && !o->ncfg)
		tool_usage_error("--morph: give the configurations to morph, "
		                 "separated by --next");
	if (o->ncfg && !o->have_morph)
		tool_usage_error("--next: give --morph, the path between the "
		                 "configurations");
	if (o->have_morph)
		tool_envelope_range(&o->morph, 0, o->ncfg, "morph position");
	for (int j = 0; j < o->ncfg; j++)
		check_maps(o, o->cmaps[j], o->cfg[j].nmaps);
	if (o->p.nfreeze > 1 && o->p.nfreeze != o->p.channels)
		tool_usage_error("--freeze: %d envelopes for %d channel%s (give one, "
		                 "or one per channel)", o->p.nfreeze, o->p.channels,
		                 o->p.channels == 1 ? "" : "s");
	check_maps(o, o->maps, o->p.nmaps);
	if (tfr_sdelay_check(&o->p, &d) != TFR_OK)
		tool_usage_error("%s", d.text);
}

/*
 * Where the blocks' output goes: on a pipe, each block at once (a live
 * consumer may be waiting); to a file, in batches of `cap` frames, since
 * a block's 512 frames a write cost a system call each (libsndfile does
 * not buffer), as much CPU as the spectral delay's own work.
 */
typedef struct {
	tool_output *out;
	tfr_audio_out *a;
	float *buf;       /* frames held for a file */
	size_t n, cap;    /* frames held, room */
	int channels, stream, verbose;
	int64_t frames;   /* written */
	float peak;       /* largest |sample| (-v) */
} sink;

/* The frames held, written. */
static void drain(sink *k)
{
	if (k->n)
		tool_audio_write(k->out, k->a, k->buf, k->n);
	k->n = 0;
}

/* Take the output of the block just made. */
static void put(sink *k, tfr_sdelay *s)
{
	size_t n, nc = (size_t)k->channels;
	const float *y = tfr_sdelay_output(s, &n);
	if (!n)
		return;
	k->frames += (int64_t)n;
	for (size_t i = 0; k->verbose && i < n * nc; i++)
		k->peak = fabsf(y[i]) > k->peak ? fabsf(y[i]) : k->peak;
	if (k->stream) {
		tool_audio_write(k->out, k->a, y, n);
		tool_audio_flush(k->out, k->a);
		return;
	}
	if (n > k->cap - k->n)
		drain(k);
	if (n > k->cap) {
		tool_audio_write(k->out, k->a, y, n);
		return;
	}
	memcpy(k->buf + k->n * nc, y, n * nc * sizeof *y);
	k->n += n;
}

/* Frames read at a time, and written to a file: whole hops, about
 * 32768 samples (64 KB of 16-bit audio: a system call for less is
 * dear), at least one hop. */
static size_t chunk_frames(size_t hop, int channels)
{
	size_t hops = 32768 / (hop * (size_t)channels);
	return hop * (hops > 1 ? hops : 1);
}

/* -v: one line of what was made. */
static void summary(const options *o, const tfr_audio_info *ai,
                    int64_t in_frames, const sink *wr, tfr_audio_out *a)
{
	double fs = ai->sample_rate;
	tool_warn("%.3f s in, %.3f s out (%.3f s of tail), %d channel%s, N %zu, "
	          "hop %zu, latency %zu samples removed; peak %.1f dBFS, %lld "
	          "samples clipped", (double)in_frames / fs,
	          (double)wr->frames / fs, (double)(wr->frames - in_frames) / fs,
	          ai->channels, ai->channels == 1 ? "" : "s", o->p.fft_size,
	          o->p.hop, tfr_sdelay_latency(&o->p),
	          wr->peak > 0 ? 20 * log10(wr->peak) : -INFINITY,
	          (long long)tfr_audio_out_clipped(a));
}

/* The metadata of a descriptors stream: the input and the analysis. */
static tfr_meta *describe_meta(const options *o, const tfr_audio_info *ai)
{
	char buf[64];
	tfr_meta *m = tfr_meta_new();
	int e = m ? TFR_OK : TFR_ENOMEM;
	if (!e) e = tfr_meta_set_double(m, "sample_rate", ai->sample_rate);
	if (!e) e = tfr_meta_set(m, "source", tool_meta_text(tool_input_label(o->input)));
	if (!e && ai->frames >= 0)
		e = tfr_meta_set_int(m, "source_frames", ai->frames);
	if (!e) e = tfr_meta_set_int(m, "source_channels", ai->channels);
	if (!e) e = tfr_meta_set(m, "window", tfr_window_name(&o->p.window, buf, sizeof buf));
	if (!e) e = tfr_meta_set_int(m, "fft_size", (long long)o->p.fft_size);
	if (!e) e = tfr_meta_set_int(m, "hop", (long long)o->p.hop);
	if (e)
		tool_die(TOOL_EXIT_FAIL, "%s", tfr_strerror(e));
	return m;
}

/* Write the descriptors of the block just made (none when its frame is
 * outside the input); the audio is thrown away. Returns how many. */
static size_t put_descriptors(tool_output *out, tfr_stream_writer *w,
                              tfr_sdelay *s)
{
	size_t n;
	tfr_sdelay_output(s, &n);
	const tfr_descriptor_frame *f = tfr_sdelay_descriptors(s, &n);
	if (n)
		tool_stream_write(out, w, f, n);
	return n;
}

/* --describe: the input's descriptors as a stream, not audio. */
static void describe(const options *o, tfr_audio_in *in, tfr_sdelay *s)
{
	const tfr_audio_info *ai = tfr_audio_in_info(in);
	tfr_meta *meta = describe_meta(o, ai);
	tool_output *out = tool_output_open(o->output, 0);
	tfr_stream_writer *w = tool_stream_create(out, &tfr_descriptors_schema,
	                                          NULL, meta);
	size_t chunk = chunk_frames(o->p.hop, ai->channels);
	float *buf = malloc(chunk * (size_t)ai->channels * sizeof *buf);
	if (!buf)
		tool_die(TOOL_EXIT_FAIL, "out of memory");
	long got;
	int64_t total = 0;
	size_t nrec = 0;
	while ((got = tool_audio_read(in, buf, chunk)) > 0) {
		total += got;
		for (size_t off = 0; off < (size_t)got;) {
			off += tfr_sdelay_process(s, buf + off * (size_t)ai->channels,
			                          (size_t)got - off);
			nrec += put_descriptors(out, w, s);
		}
	}
	while (tfr_sdelay_flush(s) > 0)
		nrec += put_descriptors(out, w, s);
	if (o->verbose)
		tool_warn("%lld descriptor frames of %d channel%s for %.3f s of input "
		          "(N %zu, hop %zu)", (long long)(nrec / (size_t)ai->channels),
		          ai->channels, ai->channels == 1 ? "" : "s",
		          (double)total / ai->sample_rate, o->p.fft_size, o->p.hop);
	tool_stream_close_frames(out, w, total, NULL);
	tfr_meta_free(meta);
	free(buf);
}

/* Exactly n frames of the sidechain into buf: one that ends before the
 * input is bad data (the output, unfinished, is not kept). */
static void read_side(const options *o, tfr_audio_in *side, float *buf,
                      size_t n, int64_t *pos)
{
	size_t nsc = (size_t)tfr_audio_in_info(side)->channels;
	for (size_t got = 0; got < n;) {
		long r = tool_audio_read(side, buf + got * nsc, n - got);
		if (r <= 0)
			tool_die(TOOL_EXIT_FAIL, "--sidechain: %s ends after %lld "
			         "frames, before the input", tool_input_label(o->sidechain),
			         (long long)*pos);
		got += (size_t)r;
		*pos += r;
	}
}

/* The spectral delay itself: audio in, audio out. */
static void delay(const options *o, tfr_audio_in *in, tfr_sdelay *s,
                  tfr_audio_in *side)
{
	const tfr_audio_info *ai = tfr_audio_in_info(in);
	tool_output *out = tool_output_open(o->output, 1);
	tfr_sample_format fmt = o->bits == 16 ? TFR_SAMPLE_PCM16
	                      : o->bits == 24 ? TFR_SAMPLE_PCM24
	                      : o->bits == 32 ? TFR_SAMPLE_FLOAT
	                      : tfr_audio_format_like(ai);
	tfr_audio_out *a = tool_audio_out(out, ai->sample_rate, ai->channels, fmt,
	                                  tfr_sdelay_output_frames(&o->p, ai->frames));
	sink k = { .out = out, .a = a, .channels = ai->channels,
	           .stream = tfr_audio_out_is_stream(a), .verbose = o->verbose };
	/* on a pipe a block at a time, as the output goes */
	size_t chunk = k.stream ? o->p.hop : chunk_frames(o->p.hop, ai->channels);
	size_t nc = (size_t)ai->channels, nsc = (size_t)o->p.side_channels;
	float *buf = malloc(chunk * nc * sizeof *buf);
	float *sb = nsc ? malloc(chunk * nsc * sizeof *sb) : NULL;
	k.cap = k.stream ? 0 : chunk;
	k.buf = k.stream ? NULL : malloc(chunk * nc * sizeof *k.buf);
	if (!buf || (nsc && !sb) || (!k.stream && !k.buf))
		tool_die(TOOL_EXIT_FAIL, "out of memory");
	long got;
	int64_t spos = 0, total = 0;
	while ((got = tool_audio_read(in, buf, chunk)) > 0) {
		if (side)
			read_side(o, side, sb, (size_t)got, &spos);
		total += got;
		for (size_t off = 0; off < (size_t)got;) {
			off += tfr_sdelay_process_side(s, buf + off * nc,
			                               sb ? sb + off * nsc : NULL,
			                               (size_t)got - off);
			put(&k, s);
		}
	}
	while (tfr_sdelay_flush(s) > 0)
		put(&k, s);
	drain(&k);
	if (o->verbose)
		summary(o, ai, total, &k, a);
	tool_audio_close(out, a);
	free(buf);
	free(sb);
	free(k.buf);
}

/* The sidechain, opened and checked against the input before anything
 * is written: the same rate, and not shorter when both lengths are
 * known (data: exit 1). */
static tfr_audio_in *open_side(options *o, const tfr_audio_info *ai)
{
	if (!o->sidechain)
		return NULL;
	if (o->p.describe)
		tool_usage_error("--sidechain: --describe describes the input alone");
	if ((!o->input || !strcmp(o->input, "-")) && !strcmp(o->sidechain, "-"))
		tool_usage_error("--sidechain: standard input is the input already");
	tfr_audio_in *side = tool_audio_open(o->sidechain);
	const tfr_audio_info *si = tfr_audio_in_info(side);
	if (si->sample_rate != ai->sample_rate)
		tool_die(TOOL_EXIT_FAIL, "--sidechain: %s is at %g Hz, the input at "
		         "%g Hz", tool_input_label(o->sidechain), si->sample_rate,
		         ai->sample_rate);
	if (si->frames >= 0 && ai->frames >= 0 && si->frames < ai->frames)
		tool_die(TOOL_EXIT_FAIL, "--sidechain: %s has %lld frames, fewer than "
		         "the input's %lld", tool_input_label(o->sidechain),
		         (long long)si->frames, (long long)ai->frames);
	o->p.side_channels = si->channels;
	return side;
}

int main(int argc, char **argv)
{
	options o;
	memset(&o, 0, sizeof o);
	tool_init("tfr-sdelay", argc, argv);
	parse(argc, argv, &o);
	if (o.print_latency) {
		if (o.have_hop && o.hop.unit != TFR_UNIT_SAMPLES)
			tool_usage_error("--print-latency: give --hop in samples");
		resolve_hop(&o, 1);
		printf("%zu\n", tfr_sdelay_latency(&o.p));
		tool_print_done();
	}
	if (o.p.describe && o.bits)
		tool_usage_error("--bits: --describe writes a stream, not audio");
	tool_check_output(o.output, o.input);
	load_maps(&o);

	tfr_audio_in *in = tool_audio_open(o.input);
	const tfr_audio_info *ai = tfr_audio_in_info(in);
	o.p.sample_rate = ai->sample_rate;
	o.p.channels = ai->channels;
	resolve_hop(&o, ai->sample_rate);
	tfr_audio_in *side = open_side(&o, ai);
	check(&o, ai->sample_rate);
	tfr_diag d;
	tfr_sdelay *s = tfr_sdelay_new(&o.p, &d);
	if (!s)
		tool_die(d.code == TFR_EINVAL ? TOOL_EXIT_USAGE : TOOL_EXIT_FAIL,
		         "--window/--hop: %s", d.text[0] ? d.text : tfr_strerror(d.code));
	if (o.p.describe)
		describe(&o, in, s);
	else
		delay(&o, in, s, side);

	tfr_audio_in_free(in);
	tfr_audio_in_free(side);
	tfr_sdelay_free(s);
	for (int k = 0; k < TFR_SDELAY_NMAPS; k++)
		for (int i = 0; i < o.p.nmaps[k]; i++)
			tfr_freqmap_free(o.maps[k][i].map);
	for (int i = 0; i < o.p.nfreeze; i++)
		tfr_envelope_free(o.freeze[i].env);
	for (int j = 0; j < o.ncfg; j++)
		for (int k = 0; k < TFR_SDELAY_NMAPS; k++)
			for (int i = 0; i < o.cfg[j].nmaps[k]; i++)
				tfr_freqmap_free(o.cmaps[j][k][i].map);
	tfr_envelope_free(o.morph.env);
	return TOOL_EXIT_OK;
}
