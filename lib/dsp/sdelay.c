/*
 * sdelay.c - the spectral delay of an audio stream (see tfr_sdelay.h):
 * the block core (sdelay_core.c) wrapped with what a stream needs: input
 * gathered into hop-sized blocks, maps in user units turned into per-bin
 * values and applied when their keys come due, the STFT latency removed,
 * the end completed with silence and a tail that stops at -90 dBFS.
 */
#include "tfr_base.h"
#include "tfr_describe.h"
#include "tfr_sdelay.h"
#include "tfr_wola.h"
#include "sdelay_core.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* A morph's fourth array per configuration and channel: the gain as the
 * core takes it, computed once. */
#define MORPH_LINEAR TFR_SDELAY_NMAPS
#define MORPH_KINDS (TFR_SDELAY_NMAPS + 1)
/* ln 10: dB to a factor by exp */
#define LN10 2.302585092994045684

/* -90 dBFS: where an automatic tail ends. */
#define TAIL_LEVEL 3.1622777e-5f

struct tfr_sdelay {
	tfr_sdelay_params p;
	tfr_sdcore *core;
	size_t hop, nc, bins;
	size_t *key[TFR_SDELAY_NMAPS];  /* next key of each map */
	double *values;                 /* a map sampled onto the bins */
	float *in;                      /* the block being gathered */
	size_t in_n;
	float *out;                     /* the last block's output */
	size_t out_off, out_n;
	int64_t blocks;
	size_t skip;                    /* latency frames still to drop */
	int64_t total;                  /* input frames taken */
	int64_t written;                /* output frames given */
	int64_t limit;                  /* output length, -1 until known */
	int64_t quiet, quiet_need;      /* run of frames below -90 dBFS */
	int ended;                      /* flush has completed the input */
	tfr_describe **desc;            /* per channel, with p.describe */
	float *power;                   /* a spectrum's power, bins */
	tfr_descriptor_frame *frames;   /* the last block's descriptors */
	size_t nframes;
	size_t maxd;                    /* the longest delay, frames */
	double *mv;                     /* morph: [config][channel][kind][bin],
	                                   delay in frames, feedback, gain in
	                                   the user's unit (dB or factor), and
	                                   (MORPH_LINEAR) the gain as a factor */
	int32_t *md;                    /* morph: [config][channel][bin], the
	                                   delays in whole frames */
	double *mfb, *mg;               /* a morph's feedback and gain, bins */
	double last_u;                  /* the morph position applied, NaN */
	double *base;                   /* follow: [channel][kind][bin], the
	                                   maps' values before following */
	double *fv;                     /* a followed map's values, bins */
	tfr_wola **side;                /* the sidechain's analyses */
	float *side_in;                 /* its block being gathered */
	float *side_spec;               /* a spectrum of it, 2*bins */
	float *side_mag;                /* its magnitudes, bins */
};

void tfr_sdelay_params_default(tfr_sdelay_params *p)
{
	memset(p, 0, sizeof *p);
	p->sample_rate = 44100;
	p->channels = 1;
	p->fft_size = 2048;
	p->hop = 512;
	p->window.type = TFR_WINDOW_HANN;
	p->mix = 1;
	p->smooth = 0.05;
	p->freeze_hi = INFINITY;
}

size_t tfr_sdelay_latency(const tfr_sdelay_params *p)
{
	return p->fft_size - p->hop;
}

/* A map value in the units of the core: frames, feedback, linear gain.
 * A delay in seconds is at most the whole frames within 60 s (the core
 * rounds to the nearest frame, which could take 60 s half a hop over). */
static double to_core(const tfr_sdelay_params *p, int kind, double v)
{
	if (kind == TFR_SDELAY_DELAY && p->delay_frames)
		return v;
	if (kind == TFR_SDELAY_DELAY)
		return fmin(v * p->sample_rate / (double)p->hop,
		            floor(TFR_SDELAY_MAX_DELAY * p->sample_rate / (double)p->hop));
	if (kind == TFR_SDELAY_GAIN && !p->gain_linear)
		return pow(10.0, v / 20.0);
	return v;
}

/* The largest even FFT size of factors 2, 3 and 5 that some hop allows
 * with this many channels (channels x size at most the work's bound). */
static size_t max_fft(int channels)
{
	size_t best = 2, lim = (size_t)(TFR_SDELAY_MAX_WORK / channels);
	for (size_t n = 2; n <= lim && n <= TFR_MAX_FFT_SIZE; n += 2) {
		size_t m = n;
		while (m % 2 == 0) m /= 2;
		while (m % 3 == 0) m /= 3;
		while (m % 5 == 0) m /= 5;
		if (m == 1)
			best = n;
	}
	return best;
}

static int bad_value(tfr_diag *d, const tfr_freqmap *m, size_t i,
                     const char *fmt, double v, const char *limit)
{
	tfr_diag_setf(d, TFR_EINVAL, fmt, v, limit);
	return tfr_diag_at(d, (long)m->line[i], (long)m->col[i]);
}

int tfr_sdelay_check_map(const tfr_sdelay_params *p, int kind,
                         const tfr_freqmap *m, tfr_diag *d)
{
	if (!m || m->npoints == 0 || m->nkeys == 0)
		return tfr_diag_set(d, TFR_EINVAL, "empty map");
	for (size_t i = 0; i < m->npoints; i++) {
		double v = m->value[i];
		if (kind == TFR_SDELAY_DELAY) {
			double sec = p->delay_frames ? v * (double)p->hop / p->sample_rate : v;
			if (v < 0)
				return bad_value(d, m, i, "negative delay %g%s", v, "");
			if (sec > TFR_SDELAY_MAX_DELAY && p->delay_frames) {
				/* frames (-D): the maximum in frames, and what they are */
				tfr_diag_setf(d, TFR_EINVAL, "delay %g frames (%.6g s) above "
				              "the maximum of %.0f frames (60 s at a hop of "
				              "%zu samples)", v, sec,
				              floor(TFR_SDELAY_MAX_DELAY * p->sample_rate /
				                    (double)p->hop), p->hop);
				return tfr_diag_at(d, (long)m->line[i], (long)m->col[i]);
			}
			if (sec > TFR_SDELAY_MAX_DELAY)
				return bad_value(d, m, i, "delay %g above the maximum of %s",
				                 v, "60 s");
		} else if (kind == TFR_SDELAY_FEEDBACK) {
			if (!(fabs(v) < 1.0))
				return bad_value(d, m, i, "feedback %g out of range%s", v,
				                 " (|fb| < 1)");
		} else if (p->gain_linear ? fabs(v) > TFR_SDELAY_MAX_GAIN
		                          : v > TFR_SDELAY_MAX_GAIN_DB) {
			return bad_value(d, m, i, "gain %g above the maximum (%s)", v,
			                 p->gain_linear ? "1000" : "60 dB");
		}
	}
	return TFR_OK;
}

/* The bins of the freeze band: lo ... hi Hz, both included. */
static void freeze_bins(const tfr_sdelay_params *p, size_t *lo, size_t *hi)
{
	double per = (double)p->fft_size / p->sample_rate, nb = (double)(p->fft_size / 2);
	*lo = (size_t)fmin(nb + 1, ceil(fmax(0.0, p->freeze_lo) * per));
	*hi = (size_t)fmin(nb, floor(fmin(p->freeze_hi, p->sample_rate) * per));
}

/* The freeze envelopes (values 0 or 1, one or one per channel) and a
 * band that holds a bin. */
static int check_freeze(const tfr_sdelay_params *p, tfr_diag *d)
{
	size_t lo, hi;
	if (p->nfreeze == 0)
		return TFR_OK;
	if (p->nfreeze != 1 && p->nfreeze != p->channels)
		return tfr_diag_setf(d, TFR_EINVAL, "%d freeze envelopes for %d "
		                     "channel%s (give one, or one per channel)",
		                     p->nfreeze, p->channels,
		                     p->channels == 1 ? "" : "s");
	for (int i = 0; i < p->nfreeze; i++) {
		const tfr_envelope *e = p->freeze[i];
		for (size_t j = 0; j < e->n; j++)
			if (e->y[j] != 0 && e->y[j] != 1) {
				tfr_diag_setf(d, TFR_EINVAL, "freeze value %g is not 0 "
				              "(live) or 1 (frozen)", e->y[j]);
				return tfr_diag_at(d, (long)e->line[j], (long)e->ycol[j]);
			}
	}
	if (!(p->freeze_lo >= 0 && p->freeze_hi >= p->freeze_lo))
		return tfr_diag_setf(d, TFR_EINVAL, "freeze band %g ... %g Hz is "
		                     "empty", p->freeze_lo, p->freeze_hi);
	freeze_bins(p, &lo, &hi);
	if (lo > hi)
		return tfr_diag_setf(d, TFR_EINVAL, "freeze band %g ... %g Hz holds "
		                     "no FFT bin (they are %g Hz apart)", p->freeze_lo,
		                     p->freeze_hi, p->sample_rate / (double)p->fft_size);
	return TFR_OK;
}

/* The longest delay of the maps, in whole frames (the core's memory). */
/* The largest value of a descriptor: the level is taken at most 1. */
static double descriptor_max(const tfr_sdelay_params *p, int which)
{
	return which == TFR_SDELAY_CENTROID ? p->sample_rate / 2 : 1.0;
}

static double longest_of(const tfr_sdelay_params *p,
                         const tfr_freqmap *const *maps, int n)
{
	double dmax = 0;
	for (int i = 0; i < n; i++) {
		const tfr_freqmap *m = maps[i];
		for (size_t j = 0; j < m->npoints; j++)
			dmax = fmax(dmax, floor(to_core(p, TFR_SDELAY_DELAY, m->value[j]) + 0.5));
	}
	return dmax;
}

static size_t longest_delay(const tfr_sdelay_params *p)
{
	double dmax = longest_of(p, p->maps[TFR_SDELAY_DELAY],
	                         p->nmaps[TFR_SDELAY_DELAY]);
	for (int j = 0; j < p->nconfigs; j++)
		dmax = fmax(dmax, longest_of(p, p->configs[j].maps[TFR_SDELAY_DELAY],
		                             p->configs[j].nmaps[TFR_SDELAY_DELAY]));
	/* as far as the follows can take it, the descriptors at their most */
	for (int i = 0; i < p->nfollow; i++) {
		const tfr_sdelay_follow *f = &p->follow[i];
		if (f->map != TFR_SDELAY_DELAY)
			continue;
		double reach = fmax(0.0, f->k) * descriptor_max(p, f->descriptor);
		/* in frames, not held to 60 s as a map's value is: a reach
		 * beyond it is refused */
		double frames = p->delay_frames ? reach
		              : reach * p->sample_rate / (double)p->hop;
		dmax = f->offset ? dmax + floor(frames + 0.5) : floor(dmax * reach + 0.5);
	}
	return (size_t)fmin(dmax, 1e15);
}

/* Configuration j of a morph (0: the params' own maps). */
static tfr_sdelay_config config_of(const tfr_sdelay_params *p, int j)
{
	tfr_sdelay_config c;
	if (j > 0)
		return p->configs[j - 1];
	memcpy(c.maps, p->maps, sizeof c.maps);
	memcpy(c.nmaps, p->nmaps, sizeof c.nmaps);
	return c;
}

/* Configuration j's maps (0: the params' own): counts that fit the
 * channels, values in range and, in a morph, no maps with times (the
 * morph envelope moves between configurations). */
static int check_config(const tfr_sdelay_params *p, int j, tfr_diag *d)
{
	static const char *const kinds[] = { "delay", "feedback", "gain" };
	tfr_sdelay_config c = config_of(p, j);
	const char *s = p->channels == 1 ? "" : "s";
	for (int k = 0; k < TFR_SDELAY_NMAPS; k++) {
		if (c.nmaps[k] != 0 && c.nmaps[k] != 1 && c.nmaps[k] != p->channels)
			return j == 0
			     ? tfr_diag_setf(d, TFR_EINVAL, "%d %s maps for %d channel%s "
			                     "(give one, or one per channel)", c.nmaps[k],
			                     kinds[k], p->channels, s)
			     : tfr_diag_setf(d, TFR_EINVAL, "configuration %d has %d %s "
			                     "maps for %d channel%s (give one, or one per "
			                     "channel)", j + 1, c.nmaps[k], kinds[k],
			                     p->channels, s);
		for (int i = 0; i < c.nmaps[k]; i++) {
			if (p->morph && c.maps[k][i]->nkeys > 1)
				return tfr_diag_setf(d, TFR_EINVAL, "configuration %d: a %s "
				                     "map with times cannot be morphed (the "
				                     "morph envelope moves between "
				                     "configurations)", j + 1, kinds[k]);
			int e = tfr_sdelay_check_map(p, k, c.maps[k][i], d);
			if (e != TFR_OK)
				return e;
		}
	}
	return TFR_OK;
}

/* A morph: its configurations (the params' own are checked with the
 * rest) and its envelope (0 ... nconfigs). */
static int check_morph(const tfr_sdelay_params *p, tfr_diag *d)
{
	if (!p->morph != !p->nconfigs)
		return tfr_diag_set(d, TFR_EINVAL, p->morph
		                    ? "a morph needs two configurations or more"
		                    : "configurations to morph need a morph envelope");
	if (!p->morph)
		return TFR_OK;
	if (p->nconfigs < 1 || p->nconfigs + 1 > TFR_SDELAY_MAX_CONFIGS)
		return tfr_diag_setf(d, TFR_EINVAL, "%d configurations: a morph takes "
		                     "2 ... %d", p->nconfigs + 1, TFR_SDELAY_MAX_CONFIGS);
	for (int j = 1; j <= p->nconfigs; j++) {
		int e = check_config(p, j, d);
		if (e != TFR_OK)
			return e;
	}
	return tfr_envelope_check_range(p->morph, 0, p->nconfigs, "morph position", d);
}

/* 1 when some follow changes maps of kind k. */
static int followed(const tfr_sdelay_params *p, int k)
{
	if (p->side_channels && p->side_map == k)
		return 1;
	for (int i = 0; i < p->nfollow; i++)
		if (p->follow[i].map == k)
			return 1;
	return 0;
}

/* Maps that follow descriptors: known kinds, finite factors, no morph,
 * and a delay that stays within 60 s however the descriptors go. */
static int check_follow(const tfr_sdelay_params *p, tfr_diag *d)
{
	if (p->nfollow < 0 || p->nfollow > TFR_SDELAY_MAX_FOLLOW)
		return tfr_diag_setf(d, TFR_EINVAL, "%d maps to follow descriptors, "
		                     "at most %d", p->nfollow, TFR_SDELAY_MAX_FOLLOW);
	if (p->nfollow && p->morph)
		return tfr_diag_set(d, TFR_EINVAL, "maps cannot follow descriptors "
		                    "in a morph");
	for (int i = 0; i < p->nfollow; i++) {
		const tfr_sdelay_follow *f = &p->follow[i];
		if (f->map < 0 || f->map >= TFR_SDELAY_NMAPS ||
		    f->descriptor < TFR_SDELAY_CENTROID || f->descriptor > TFR_SDELAY_LEVEL ||
		    !isfinite(f->k))
			return tfr_diag_set(d, TFR_EINVAL, "a map to follow a descriptor "
			                    "is not valid");
	}
	/* the maps alone are checked by their values: only a follow can
	 * take the delay further */
	double reach = (double)longest_delay(p) * (double)p->hop / p->sample_rate;
	if (followed(p, TFR_SDELAY_DELAY) && reach > TFR_SDELAY_MAX_DELAY)
		return tfr_diag_setf(d, TFR_EINVAL, "the delay could follow its "
		                     "descriptor up to %.6g s, above the maximum of "
		                     "60 s", reach);
	return TFR_OK;
}

/* A sidechain: its channels fit the input's, it drives gain or
 * feedback, alone. */
static int check_side(const tfr_sdelay_params *p, tfr_diag *d)
{
	if (p->side_channels != 1 && p->side_channels != p->channels)
		return tfr_diag_setf(d, TFR_EINVAL, "a sidechain of %d channels for "
		                     "an input of %d (give 1, or as many)",
		                     p->side_channels, p->channels);
	if (p->side_map != TFR_SDELAY_GAIN && p->side_map != TFR_SDELAY_FEEDBACK)
		return tfr_diag_set(d, TFR_EINVAL, "a sidechain drives the gain or "
		                    "the feedback");
	if (p->morph || p->nfollow)
		return tfr_diag_set(d, TFR_EINVAL, "a sidechain cannot drive a morph "
		                    "or maps that follow descriptors");
	return TFR_OK;
}

int tfr_sdelay_check(const tfr_sdelay_params *p, tfr_diag *d)
{
	if (!(p->sample_rate > 0 && p->sample_rate <= TFR_MAX_SAMPLE_RATE))
		return tfr_diag_set(d, TFR_EINVAL, "sample rate out of range");
	if (p->channels < 1 || p->channels > TFR_MAX_CHANNELS)
		return tfr_diag_set(d, TFR_EINVAL, "channel count out of range");
	if (p->fft_size < 2 || p->fft_size % 2 || p->fft_size > TFR_MAX_FFT_SIZE)
		return tfr_diag_setf(d, TFR_EINVAL, "FFT size %zu is not even, or not "
		                     "in [2, %d]", p->fft_size, TFR_MAX_FFT_SIZE);
	if (p->hop < 1 || p->hop > p->fft_size)
		return tfr_diag_setf(d, TFR_EINVAL, "hop %zu is not in [1, FFT size %zu]",
		                     p->hop, p->fft_size);
	if (!(p->mix >= 0 && p->mix <= 1))
		return tfr_diag_set(d, TFR_EINVAL, "mix out of range [0, 1]");
	if (!(p->cross >= 0 && p->cross <= 1))
		return tfr_diag_set(d, TFR_EINVAL, "cross-feedback out of range [0, 1]");
	if (p->cross > 0 && p->channels != 2)
		return tfr_diag_setf(d, TFR_EINVAL, "cross-feedback needs 2 channels, "
		                     "the input has %d", p->channels);
	if (!(p->smooth >= 0 && p->smooth <= 60))
		return tfr_diag_set(d, TFR_EINVAL, "smoothing time out of range [0, 60] s");
	if (!(p->headroom_db >= 0 && p->headroom_db <= 120))
		return tfr_diag_set(d, TFR_EINVAL, "headroom out of range [0, 120] dB");
	if (p->tail == TFR_SDELAY_TAIL_TIME &&
	    !(p->tail_time >= 0 && p->tail_time <= TFR_SDELAY_MAX_TAIL))
		return tfr_diag_set(d, TFR_EINVAL, "tail out of range [0, 600] s");
	int e = check_config(p, 0, d);
	if (e == TFR_OK)
		e = check_freeze(p, d);
	if (e == TFR_OK)
		e = check_morph(p, d);
	if (e == TFR_OK)
		e = check_follow(p, d);
	if (e == TFR_OK && p->side_channels)
		e = check_side(p, d);
	if (e != TFR_OK)
		return e;
	/* what a small input could otherwise cost without bound */
	double n = (double)p->fft_size, ch = (double)p->channels;
	/* the hop is at most the FFT size: some sizes no hop allows */
	if (ch * n > TFR_SDELAY_MAX_WORK)
		return tfr_diag_setf(d, TFR_EINVAL, "FFT size %zu is too large for "
		                     "%d channel%s: at most %zu (channels x FFT size x "
		                     "FFT size / hop is at most 2^25, the hop at most "
		                     "the FFT size)", p->fft_size, p->channels,
		                     p->channels == 1 ? "" : "s",
		                     max_fft(p->channels));
	if (ch * n * n / (double)p->hop > TFR_SDELAY_MAX_WORK) {
		double hmin = ceil(ch * n * n / TFR_SDELAY_MAX_WORK);
		return tfr_diag_setf(d, TFR_EINVAL, "hop %zu is too small for FFT "
		                     "size %zu%s: at least %.0f (channels x FFT "
		                     "size x FFT size / hop is at most 2^25)",
		                     p->hop, p->fft_size,
		                     p->channels > 1 ? " and this many channels" : "",
		                     hmin);
	}
	double morph = (p->morph ? p->nconfigs + 1.0 : 0.0) * ch * (TFR_SDELAY_NMAPS + 1) *
	               (n / 2 + 1) * sizeof(double);
	if (morph > TFR_SDELAY_MAX_MEMORY)
		return tfr_diag_setf(d, TFR_EINVAL, "the morph's maps would take %.0f "
		                     "MB, more than %d MB: fewer configurations or a "
		                     "smaller FFT size", morph / 1048576,
		                     TFR_SDELAY_MAX_MEMORY >> 20);
	double ring = ch * ((double)longest_delay(p) + 1) * (n + 2) * sizeof(float);
	if (ring > TFR_SDELAY_MAX_MEMORY)
		return tfr_diag_setf(d, TFR_EINVAL, "the delay lines would take %.0f "
		                     "MB, more than %d MB: give a shorter delay, a "
		                     "larger hop or a smaller FFT size", ring / 1048576,
		                     TFR_SDELAY_MAX_MEMORY >> 20);
	return TFR_OK;
}

int64_t tfr_sdelay_output_frames(const tfr_sdelay_params *p,
                                 int64_t input_frames)
{
	if (input_frames < 0 || p->tail == TFR_SDELAY_TAIL_AUTO)
		return -1;
	if (p->tail == TFR_SDELAY_TAIL_TIME)
		return input_frames + (int64_t)llround(p->tail_time * p->sample_rate);
	return input_frames;
}

static tfr_sdcore *make_core(const tfr_sdelay_params *p, size_t maxd,
                             tfr_diag *d)
{
	tfr_sdcore_params cp;
	double *win = malloc(p->fft_size * sizeof *win);
	if (!win || tfr_window_fill(&p->window, p->fft_size, win, NULL) != TFR_OK) {
		free(win);
		tfr_diag_set(d, win ? TFR_EINVAL : TFR_ENOMEM, win ? "bad window" : NULL);
		return NULL;
	}
	tfr_sdcore_params_default(&cp);
	cp.fft_size = p->fft_size;
	cp.hop = p->hop;
	cp.window = win;
	cp.channels = p->channels;
	cp.max_delay = maxd;
	cp.mix = p->mix;
	cp.cross = p->cross;
	cp.smooth = p->smooth * p->sample_rate / (double)p->hop;
	cp.out_gain = pow(10.0, -p->headroom_db / 20.0);
	cp.limit = p->limit ? pow(10.0, -1.0 / 20.0) : 0.0;
	cp.freeze = p->nfreeze > 0;
	cp.freeze_random = p->freeze_random != 0;
	if (cp.freeze)
		freeze_bins(p, &cp.freeze_lo, &cp.freeze_hi);
	int err;
	tfr_sdcore *core = tfr_sdcore_new(&cp, &err);
	free(win);
	if (!core)
		tfr_diag_set(d, err, err == TFR_EINVAL
		             ? "no exact inverse STFT for this window and hop" : NULL);
	return core;
}

/* Apply the keys of every map that are due at input time t (s): all of
 * them when first is set (the state of time 0). */
static void apply_maps(tfr_sdelay *s, double t, int first)
{
	const tfr_sdelay_params *p = &s->p;
	for (int k = 0; k < TFR_SDELAY_NMAPS; k++) {
		for (int i = 0; i < p->nmaps[k]; i++) {
			const tfr_freqmap *m = p->maps[k][i];
			size_t key = first ? 0 : s->key[k][i];
			while (key + 1 < m->nkeys && m->key_time[key + 1] <= t)
				key++;
			if (!first && key == s->key[k][i])
				continue;
			s->key[k][i] = key;
			size_t f = m->key_first[key];
			tfr_freqmap_fill(m->freq + f, m->value + f,
			                 m->key_first[key + 1] - f, p->sample_rate,
			                 p->fft_size, s->values);
			for (size_t j = 0; j < s->bins; j++)
				s->values[j] = to_core(p, k, s->values[j]);
			for (int c = 0; c < p->channels; c++) {
				if (p->nmaps[k] > 1 && c != i)
					continue;
				if (s->base) {
					/* a followed map goes to the core by apply_follow */
					memcpy(s->base + ((size_t)c * TFR_SDELAY_NMAPS + (size_t)k) * s->bins,
					       s->values, s->bins * sizeof *s->values);
					if (followed(p, k))
						continue;
				}
				tfr_sdcore_set_maps(s->core, c,
				                    k == TFR_SDELAY_DELAY ? s->values : NULL,
				                    k == TFR_SDELAY_FEEDBACK ? s->values : NULL,
				                    k == TFR_SDELAY_GAIN ? s->values : NULL);
			}
		}
	}
}

/* The descriptors' objects, one per channel (their flux follows the
 * channel's frames), told the window's energy for the level. */
static int make_describers(tfr_sdelay *s, tfr_diag *d)
{
	const tfr_sdelay_params *p = &s->p;
	tfr_describe_params dp;
	double *win = malloc(p->fft_size * sizeof *win);
	if (!win || tfr_window_fill(&p->window, p->fft_size, win, NULL) != TFR_OK) {
		free(win);
		return tfr_diag_set(d, win ? TFR_EINVAL : TFR_ENOMEM, win ? "bad window" : NULL);
	}
	tfr_describe_params_default(&dp);
	dp.fft_size = p->fft_size;
	dp.sample_rate = p->sample_rate;
	dp.window_energy = 0;
	for (size_t i = 0; i < p->fft_size; i++)
		dp.window_energy += win[i] * win[i];
	free(win);
	s->desc = calloc(s->nc, sizeof *s->desc);
	s->power = malloc(s->bins * sizeof *s->power);
	s->frames = calloc(s->nc, sizeof *s->frames);
	if (!s->desc || !s->power || !s->frames)
		return tfr_diag_set(d, TFR_ENOMEM, NULL);
	for (size_t c = 0; c < s->nc; c++)
		if (!(s->desc[c] = tfr_describe_new(&dp, d)))
			return d ? d->code : TFR_ENOMEM;
	return TFR_OK;
}

/* The descriptors of the frames block `m` analysed, when its centre
 * (input sample m * hop + hop - fft_size / 2) is within the input. */
static void describe(tfr_sdelay *s, int64_t m)
{
	int64_t centre = m * (int64_t)s->hop + (int64_t)s->hop -
	                 (int64_t)(s->p.fft_size / 2);
	s->nframes = 0;
	for (size_t c = 0; c < s->nc; c++) {
		const float *x = tfr_sdcore_spectrum(s->core, (int)c);
		for (size_t k = 0; k < s->bins; k++)
			s->power[k] = x[2 * k] * x[2 * k] + x[2 * k + 1] * x[2 * k + 1];
		tfr_describe_process(s->desc[c], s->power, &s->frames[c]);
		s->frames[c].time = (double)centre / s->p.sample_rate;
		s->frames[c].channel = (int32_t)c + 1;
	}
	if (centre >= 0 && (!s->ended || centre < s->total))
		s->nframes = s->nc;
}

const tfr_descriptor_frame *tfr_sdelay_descriptors(const tfr_sdelay *s,
                                                   size_t *n)
{
	*n = s->nframes;
	return s->frames;
}

/* The maps' own values (the identity where a kind has none) under the
 * follows, and room for a followed map. */
static int make_follow(tfr_sdelay *s, tfr_diag *d)
{
	size_t n = s->nc * TFR_SDELAY_NMAPS * s->bins;
	s->base = malloc(n * sizeof *s->base);
	s->fv = malloc(s->bins * sizeof *s->fv);
	if (!s->base || !s->fv)
		return tfr_diag_set(d, TFR_ENOMEM, NULL);
	for (size_t i = 0; i < n; i++)
		s->base[i] = (i / s->bins) % TFR_SDELAY_NMAPS == TFR_SDELAY_GAIN ? 1.0 : 0.0;
	return TFR_OK;
}

/* Descriptor `which` of a frame (the level at most 1). */
static double descriptor_of(const tfr_descriptor_frame *f, int which)
{
	return which == TFR_SDELAY_CENTROID ? f->freq
	     : which == TFR_SDELAY_FLATNESS ? f->flatness
	     : which == TFR_SDELAY_FLUX ? f->flux : fmin(f->amp, 1.0);
}

/* One follow on the values v of its map, x its descriptor's value. */
static void follow_one(const tfr_sdelay *s, const tfr_sdelay_follow *f,
                       double x, double *v)
{
	double kx = f->k * x;
	if (f->offset && f->map == TFR_SDELAY_DELAY)
		kx = to_core(&s->p, TFR_SDELAY_DELAY, kx);
	else if (f->offset && f->map == TFR_SDELAY_GAIN)
		kx = pow(10.0, kx / 20.0);   /* dB added: a factor */
	int times = !f->offset || f->map == TFR_SDELAY_GAIN;
	for (size_t b = 0; b < s->bins; b++)
		v[b] = times ? v[b] * kx : v[b] + kx;
}

/* Every followed map of every channel, from the channel's descriptors
 * of the last block, held in range and given to the core (to glide). */
static void apply_follow(tfr_sdelay *s)
{
	double dmax = (double)s->maxd;
	for (size_t c = 0; c < s->nc; c++) {
		for (int k = 0; k < TFR_SDELAY_NMAPS; k++) {
			int any = 0;
			memcpy(s->fv, s->base + (c * TFR_SDELAY_NMAPS + (size_t)k) * s->bins,
			       s->bins * sizeof *s->fv);
			for (int i = 0; i < s->p.nfollow; i++) {
				const tfr_sdelay_follow *f = &s->p.follow[i];
				if (f->map != k)
					continue;
				follow_one(s, f, descriptor_of(&s->frames[c], f->descriptor), s->fv);
				any = 1;
			}
			if (!any)
				continue;
			double lo = k == TFR_SDELAY_DELAY ? 0.0 : k == TFR_SDELAY_FEEDBACK
			          ? -0.999 : -TFR_SDELAY_MAX_GAIN;
			double hi = k == TFR_SDELAY_DELAY ? dmax : k == TFR_SDELAY_FEEDBACK
			          ? 0.999 : TFR_SDELAY_MAX_GAIN;
			for (size_t b = 0; b < s->bins; b++) {
				double v = s->fv[b];
				s->fv[b] = v < lo ? lo : v > hi ? hi : v;
			}
			tfr_sdcore_set_maps(s->core, (int)c,
			                    k == TFR_SDELAY_DELAY ? s->fv : NULL,
			                    k == TFR_SDELAY_FEEDBACK ? s->fv : NULL,
			                    k == TFR_SDELAY_GAIN ? s->fv : NULL);
		}
	}
}

/* The sidechain's analyses, one per channel (same N, hop, window). */
static int make_side(tfr_sdelay *s, tfr_diag *d)
{
	const tfr_sdelay_params *p = &s->p;
	tfr_wola_params wp;
	size_t nsc = (size_t)p->side_channels;
	double *win = malloc(p->fft_size * sizeof *win);
	s->side = calloc(nsc, sizeof *s->side);
	s->side_in = calloc(s->hop * nsc, sizeof *s->side_in);
	s->side_spec = malloc(2 * s->bins * sizeof *s->side_spec);
	s->side_mag = malloc(s->bins * sizeof *s->side_mag);
	if (!win || !s->side || !s->side_in || !s->side_spec || !s->side_mag) {
		free(win);
		return tfr_diag_set(d, TFR_ENOMEM, NULL);
	}
	tfr_window_fill(&p->window, p->fft_size, win, NULL);
	wp.fft_size = p->fft_size;
	wp.hop = p->hop;
	wp.window = win;
	for (size_t c = 0; c < nsc; c++)
		if (!(s->side[c] = tfr_wola_new(&wp, d))) {
			free(win);
			return d ? d->code : TFR_ENOMEM;
		}
	free(win);
	return TFR_OK;
}

/* The sidechain's block: each input channel's driven map is its own
 * values times the sidechain's magnitudes over their largest. */
static void apply_side(tfr_sdelay *s)
{
	size_t nsc = (size_t)s->p.side_channels, nb = s->bins;
	int k = s->p.side_map;
	for (size_t c = 0; c < s->nc; c++) {
		size_t sc = nsc == 1 ? 0 : c;
		if (sc == c || c == 0)
			tfr_wola_analyze(s->side[sc], s->side_in + sc, nsc, s->side_spec);
		/* the power first, one square root per bin after: a loop the
		 * compiler vectorises (the magnitudes are floats already) */
		float peak = 0;
		const double *base = s->base + (c * TFR_SDELAY_NMAPS + (size_t)k) * nb;
		for (size_t b = 0; b < nb; b++) {
			float re = s->side_spec[2 * b], im = s->side_spec[2 * b + 1];
			s->side_mag[b] = re * re + im * im;
			peak = s->side_mag[b] > peak ? s->side_mag[b] : peak;
		}
		for (size_t b = 0; b < nb; b++)
			s->side_mag[b] = sqrtf(s->side_mag[b]);
		double inv = peak > 0 ? 1.0 / sqrt((double)peak) : 0.0;
		for (size_t b = 0; b < nb; b++)
			s->fv[b] = base[b] * (s->side_mag[b] * inv);
		tfr_sdcore_set_maps(s->core, (int)c, NULL,
		                    k == TFR_SDELAY_FEEDBACK ? s->fv : NULL,
		                    k == TFR_SDELAY_GAIN ? s->fv : NULL);
	}
}

static void start(tfr_sdelay *s)
{
	s->in_n = 0;
	s->out_off = s->out_n = 0;
	s->blocks = 0;
	s->skip = tfr_sdelay_latency(&s->p);
	s->total = s->written = 0;
	s->limit = -1;
	s->quiet = 0;
	s->ended = 0;
	s->nframes = 0;
	s->last_u = NAN;
	if (s->frames)
		memset(s->frames, 0, s->nc * sizeof *s->frames);
	for (size_t c = 0; s->desc && c < s->nc; c++)
		tfr_describe_reset(s->desc[c]);
	apply_maps(s, 0.0, 1);
}

static int make_morph(tfr_sdelay *s, tfr_diag *d);

tfr_sdelay *tfr_sdelay_new(const tfr_sdelay_params *p, tfr_diag *d)
{
	tfr_diag_clear(d);
	if (tfr_sdelay_check(p, d) != TFR_OK)
		return NULL;
	tfr_sdelay *s = calloc(1, sizeof *s);
	if (!s) {
		tfr_diag_set(d, TFR_ENOMEM, NULL);
		return NULL;
	}
	s->p = *p;
	s->hop = p->hop;
	s->nc = (size_t)p->channels;
	s->bins = p->fft_size / 2 + 1;
	size_t maxd = longest_delay(p);
	s->maxd = maxd;
	s->quiet_need = (int64_t)((maxd + 1) * s->hop) + (int64_t)p->fft_size;
	if (!(s->core = make_core(p, maxd, d)))
		goto fail;
	int ok = (s->values = malloc(s->bins * sizeof *s->values)) &&
	         (s->in = calloc(s->hop * s->nc, sizeof *s->in)) &&
	         (s->out = malloc(s->hop * s->nc * sizeof *s->out));
	for (int k = 0; ok && k < TFR_SDELAY_NMAPS; k++)
		ok = !p->nmaps[k] || (s->key[k] = calloc((size_t)p->nmaps[k], sizeof(size_t)));
	if (!ok) {
		tfr_diag_set(d, TFR_ENOMEM, NULL);
		goto fail;
	}
	if ((p->nfollow || p->side_channels) && make_follow(s, d) != TFR_OK)
		goto fail;
	if (p->side_channels && make_side(s, d) != TFR_OK)
		goto fail;
	if ((p->describe || p->nfollow) && make_describers(s, d) != TFR_OK)
		goto fail;
	if (p->morph && make_morph(s, d) != TFR_OK)
		goto fail;
	start(s);
	return s;
fail:
	tfr_sdelay_free(s);
	return NULL;
}

static double block_time(const tfr_sdelay *s);

/* The per-bin values of every configuration of a morph, every channel
 * and kind (a kind without maps: the identity). */
static int make_morph(tfr_sdelay *s, tfr_diag *d)
{
	const tfr_sdelay_params *p = &s->p;
	size_t nk = (size_t)p->nconfigs + 1, nb = s->bins;
	s->mv = malloc(nk * s->nc * MORPH_KINDS * nb * sizeof *s->mv);
	s->md = malloc(nk * s->nc * nb * sizeof *s->md);
	s->mfb = malloc(nb * sizeof *s->mfb);
	s->mg = malloc(nb * sizeof *s->mg);
	if (!s->mv || !s->md || !s->mfb || !s->mg)
		return tfr_diag_set(d, TFR_ENOMEM, NULL);
	for (size_t j = 0; j < nk; j++) {
		tfr_sdelay_config c = config_of(p, (int)j);
		for (size_t ch = 0; ch < s->nc; ch++)
			for (int k = 0; k < TFR_SDELAY_NMAPS; k++) {
				double *v = s->mv + ((j * s->nc + ch) * MORPH_KINDS + (size_t)k) * nb;
				const tfr_freqmap *m = c.nmaps[k] == 0 ? NULL
				                     : c.maps[k][c.nmaps[k] > 1 ? ch : 0];
				double id = k == TFR_SDELAY_GAIN && p->gain_linear ? 1.0 : 0.0;
				if (m)
					tfr_freqmap_fill(m->freq, m->value, m->npoints,
					                 p->sample_rate, p->fft_size, v);
				for (size_t b = 0; b < nb; b++)
					v[b] = !m ? id : k == TFR_SDELAY_GAIN ? v[b] : to_core(p, k, v[b]);
				if (k == TFR_SDELAY_GAIN)
					for (size_t b = 0; b < nb; b++)
						v[b + nb] = to_core(p, k, v[b]);
				if (k == TFR_SDELAY_DELAY)
					for (size_t b = 0; b < nb; b++)
						s->md[(j * s->nc + ch) * nb + b] = (int32_t)lround(v[b]);
			}
	}
	s->last_u = NAN;
	return TFR_OK;
}

/*
 * Feedback and gain a fraction 0 < a < 1 of the way between two
 * configurations' (v0, v1: their arrays of kinds, bins each): feedback
 * linear, gain linear in dB (in factors with gain_linear). A bin whose
 * two values are equal keeps its value exactly (x + a 0 = x).
 */
static void morph_between(const tfr_sdelay *s, const double *v0,
                          const double *v1, double a)
{
	size_t nb = s->bins;
	const double *f0 = v0 + TFR_SDELAY_FEEDBACK * nb, *f1 = v1 + TFR_SDELAY_FEEDBACK * nb;
	const double *x0 = v0 + TFR_SDELAY_GAIN * nb, *x1 = v1 + TFR_SDELAY_GAIN * nb;
	const double *g0 = v0 + MORPH_LINEAR * nb;
	for (size_t b = 0; b < nb; b++)
		s->mfb[b] = f0[b] + a * (f1[b] - f0[b]);
	if (s->p.gain_linear) {
		for (size_t b = 0; b < nb; b++)
			s->mg[b] = x0[b] + a * (x1[b] - x0[b]);
		return;
	}
	/* expf, not pow: the half of a morph's time that pow took (the
	 * core keeps the gain as a float) */
	for (size_t b = 0; b < nb; b++)
		s->mg[b] = x0[b] == x1[b] ? g0[b]
		         : expf((float)((x0[b] + a * (x1[b] - x0[b])) * (LN10 / 20.0)));
}

/* Where the morph envelope is at time t: the two configurations around
 * it and the fraction between them, every channel's bins set. At a
 * whole position the configuration's own values go to the core as they
 * are (bit for bit as without a morph). */
static void apply_morph(tfr_sdelay *s, double t)
{
	const tfr_sdelay_params *p = &s->p;
	double u = fmin(fmax(tfr_envelope_at(p->morph, t), 0.0), p->nconfigs);
	if (u == s->last_u)
		return;
	s->last_u = u;
	size_t i = (size_t)floor(u), nb = s->bins, nm = MORPH_KINDS;
	if (i == (size_t)p->nconfigs)
		i--;
	double a = u - (double)i;
	for (size_t c = 0; c < s->nc; c++) {
		const double *v0 = s->mv + (i * s->nc + c) * nm * nb;
		const double *v1 = s->mv + ((i + 1) * s->nc + c) * nm * nb;
		const double *fb = s->mfb, *g = s->mg;
		if (a == 0.0 || a == 1.0) {
			const double *v = a == 0.0 ? v0 : v1;
			fb = v + TFR_SDELAY_FEEDBACK * nb;
			g = v + MORPH_LINEAR * nb;
		} else {
			morph_between(s, v0, v1, a);
		}
		tfr_sdcore_set_morph(s->core, (int)c, s->md + (i * s->nc + c) * nb,
		                     s->md + ((i + 1) * s->nc + c) * nb, a);
		tfr_sdcore_set_maps(s->core, (int)c, NULL, fb, g);
	}
}

/* Freeze or release every channel as its envelope says at time t. */
static void apply_freeze(tfr_sdelay *s, double t)
{
	for (int c = 0; c < s->p.nfreeze && c < s->p.channels; c++) {
		int on = tfr_envelope_at(s->p.freeze[c], t) >= 0.5;
		if (s->p.nfreeze == 1)
			for (int i = 0; i < s->p.channels; i++)
				tfr_sdcore_set_freeze(s->core, i, on);
		else
			tfr_sdcore_set_freeze(s->core, c, on);
	}
}

/* Whether output frame i of the block has a sample at -90 dBFS or
 * above. */
static int loud(const tfr_sdelay *s, size_t i)
{
	int any = 0;
	for (size_t c = 0; c < s->nc; c++)
		any |= fabsf(s->out[i * s->nc + c]) >= TAIL_LEVEL;
	return any;
}

/* One block through the core; its output (after the latency, within the
 * known length) becomes the object's output. */
static void block(tfr_sdelay *s)
{
	if (s->p.nfreeze)
		apply_freeze(s, block_time(s));
	if (s->p.morph)
		apply_morph(s, block_time(s));
	if (s->p.nfollow)
		apply_follow(s);
	if (s->p.side_channels)
		apply_side(s);
	tfr_sdcore_process(s->core, s->in, s->out);
	if (s->desc)
		describe(s, s->blocks);
	s->blocks++;
	size_t off = 0, n = s->hop;
	if (s->skip) {
		off = s->skip < n ? s->skip : n;
		s->skip -= off;
		n -= off;
	}
	if (s->limit >= 0 && (int64_t)n > s->limit - s->written)
		n = (size_t)(s->limit - s->written);
	/* the run of quiet frames at the end: back from the last frame to
	 * the first loud one (usually the last: one look, not one a
	 * sample) */
	size_t i = off + n;
	while (i > off && !loud(s, i - 1))
		i--;
	s->quiet = i > off ? (int64_t)(off + n - i) : s->quiet + (int64_t)n;
	s->out_off = off;
	s->out_n = n;
	s->written += (int64_t)n;
}

/* The input time of the block about to be made: the input sample at the
 * centre of its last frame. */
static double block_time(const tfr_sdelay *s)
{
	return ((double)s->blocks * (double)s->hop + (double)s->hop -
	        (double)s->p.fft_size / 2) / s->p.sample_rate;
}

size_t tfr_sdelay_process_side(tfr_sdelay *s, const float *x,
                               const float *side, size_t n)
{
	size_t take = s->hop - s->in_n, nsc = (size_t)s->p.side_channels;
	if (take > n)
		take = n;
	if (s->side_in && side)
		memcpy(s->side_in + s->in_n * nsc, side, take * nsc * sizeof *side);
	return tfr_sdelay_process(s, x, n);
}

size_t tfr_sdelay_process(tfr_sdelay *s, const float *x, size_t n)
{
	size_t take = s->hop - s->in_n;
	if (take > n)
		take = n;
	memcpy(s->in + s->in_n * s->nc, x, take * s->nc * sizeof *x);
	s->in_n += take;
	s->out_n = 0;
	s->nframes = 0;
	if (s->in_n == s->hop) {
		s->total += (int64_t)s->hop;
		apply_maps(s, block_time(s), 0);
		block(s);
		s->in_n = 0;
	}
	return take;
}

int tfr_sdelay_flush(tfr_sdelay *s)
{
	s->out_n = 0;
	s->nframes = 0;
	if (!s->ended) {
		s->ended = 1;
		if (s->side_in)  /* the sidechain ends with the input: silence */
			memset(s->side_in + s->in_n * (size_t)s->p.side_channels, 0,
			       (s->hop - s->in_n) * (size_t)s->p.side_channels *
			       sizeof *s->side_in);
		int64_t partial = (int64_t)s->in_n;
		s->total += partial;
		const tfr_sdelay_params *p = &s->p;
		s->limit = s->total;
		if (p->tail == TFR_SDELAY_TAIL_TIME)
			s->limit += (int64_t)llround(p->tail_time * p->sample_rate);
		else if (p->tail == TFR_SDELAY_TAIL_AUTO)
			s->limit += (int64_t)(TFR_SDELAY_MAX_TAIL * p->sample_rate);
		if (partial) {
			memset(s->in + s->in_n * s->nc, 0,
			       (s->hop - s->in_n) * s->nc * sizeof *s->in);
			apply_maps(s, block_time(s), 0);
			block(s);
			memset(s->in, 0, s->hop * s->nc * sizeof *s->in);
			if (s->side_in)
				memset(s->side_in, 0, s->hop * (size_t)s->p.side_channels *
				       sizeof *s->side_in);
			s->in_n = 0;
			return 1;
		}
		memset(s->in, 0, s->hop * s->nc * sizeof *s->in);
	}
	if (s->written >= s->limit)
		return 0;
	if (s->p.tail == TFR_SDELAY_TAIL_AUTO && s->written >= s->total &&
	    s->quiet >= s->quiet_need)
		return 0;
	block(s);
	return 1;
}

const float *tfr_sdelay_output(tfr_sdelay *s, size_t *n)
{
	*n = s->out_n;
	s->out_n = 0;
	return s->out + s->out_off * s->nc;
}

void tfr_sdelay_reset(tfr_sdelay *s)
{
	tfr_sdcore_reset(s->core);
	for (int c = 0; s->side && c < s->p.side_channels; c++)
		tfr_wola_reset(s->side[c]);
	start(s);
}

void tfr_sdelay_free(tfr_sdelay *s)
{
	if (!s)
		return;
	tfr_sdcore_free(s->core);
	for (int k = 0; k < TFR_SDELAY_NMAPS; k++)
		free(s->key[k]);
	for (size_t c = 0; s->desc && c < s->nc; c++)
		tfr_describe_free(s->desc[c]);
	free(s->desc);
	free(s->power);
	free(s->frames);
	for (int c = 0; s->side && c < s->p.side_channels; c++)
		tfr_wola_free(s->side[c]);
	free(s->side);
	free(s->side_in);
	free(s->side_spec);
	free(s->side_mag);
	free(s->base);
	free(s->fv);
	free(s->mv);
	free(s->md);
	free(s->mfb);
	free(s->mg);
	free(s->values);
	free(s->in);
	free(s->out);
	free(s);
}
