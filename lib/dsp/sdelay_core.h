/*
 * sdelay_core.h - the block core of the spectral delay (private to libtfr;
 * tfr_sdelay.h is the public streaming object around it). Kim-Boyle,
 * DAFx-04: every STFT bin has its own delay (in frames), feedback and
 * gain; arrays only, memory bounded by the longest delay.
 *
 * Model, per channel and bin k, frame m (spectral-delay.md 3.2):
 *     D_m[k] = X_m[k] + fb[k] * D_{m-d[k]}[k]     (no feedback if d[k] = 0)
 *     W_m[k] = gain[k] * D_{m-d[k]}[k]
 * and the output is (1 - mix) * dry + mix * istft(W), where dry is the
 * input delayed by the latency, untouched (mix 0 is bit-exact dry). With
 * frame-local phase a delay of d frames delays the band by exactly
 * d * hop samples; a uniform delay d with feedback g is the time-domain
 * comb y[n] = sum_m g^m x[n - (m+1) d hop].
 *
 * Stereo cross-feedback (cross = c in [0, 1], two channels): the feedback
 * of channel 0 takes (1-c) of its own delayed bin and c of channel 1's,
 * and vice versa; c = 1 is a ping-pong. The loop stays stable for
 * |fb| < 1: every D is X plus |fb| times a convex combination of past D's.
 *
 * Map changes while running glide: gain and feedback with a one-pole
 * smoother per bin, delay with a linear crossfade per bin from the old
 * tap to the new one, both over `smooth` frames, so they do not click.
 *
 * Processing is in blocks of exactly hop frames; the output is the input
 * delayed by latency = fft_size - hop frames.
 */
#ifndef TFR_SDCORE_H
#define TFR_SDCORE_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct tfr_sdcore tfr_sdcore;

typedef struct {
	size_t fft_size;      /* N (even), default 2048 */
	size_t hop;           /* H, default 512 */
	const double *window; /* N analysis window samples, NULL: periodic Hann */
	int channels;         /* >= 1, default 1 */
	size_t max_delay;     /* longest delay in frames (memory), default 0 */
	double mix;           /* wet fraction 0..1, default 1 */
	double cross;         /* cross-feedback 0..1 (2 channels only), 0 */
	double smooth;        /* glide time of map changes in frames, >= 0;
	                         default 4 */
	double out_gain;      /* linear gain after the mix (headroom), 1 */
	double limit;         /* 0: off; else soft limiter threshold in
	                         (0, 1): identity below it, never beyond
	                         full scale above */
	int freeze;           /* 1: the channels may be frozen
	                         (tfr_sdcore_set_freeze), 0 */
	size_t freeze_lo, freeze_hi; /* the bins a freeze holds, lo ... hi
	                         inclusive (0 ... bins - 1) */
	int freeze_random;    /* 0: a frozen bin's phase advances at its
	                         frequency; 1: a new random phase every
	                         frame (tfr_sdcore_set_freeze), 0 */
} tfr_sdcore_params;

void tfr_sdcore_params_default(tfr_sdcore_params *p);

/* Returns NULL and sets *err (TFR_EINVAL, TFR_ENOMEM). Initial maps:
 * delay 0, feedback 0, gain 1 (the identity). */
tfr_sdcore *tfr_sdcore_new(const tfr_sdcore_params *p, int *err);

size_t tfr_sdcore_bins(const tfr_sdcore *s);   /* fft_size/2 + 1 */
size_t tfr_sdcore_hop(const tfr_sdcore *s);
size_t tfr_sdcore_latency(const tfr_sdcore *s); /* fft_size - hop */

/*
 * Set the maps of one channel (0-based), each an array of bins values;
 * NULL leaves that map as it is. delay in frames (rounded to the nearest
 * integer, 0 ... max_delay), feedback |fb| < 1, gain linear (finite).
 * Before the first block the maps apply at once; afterwards they glide.
 * Returns TFR_OK, TFR_EINVAL (channel) or TFR_ERANGE (a value out of
 * range; nothing is changed then).
 */
int tfr_sdcore_set_maps(tfr_sdcore *s, int channel, const double *delay,
                        const double *feedback, const double *gain);

/*
 * Morph channel c between two delay maps in whole frames (0 ...
 * max_delay; the caller rounds them once, not every block): every bin
 * reads
 * (1 - a) tap(d0[k]) + a tap(d1[k]) (and feeds that back), a in [0, 1]
 * held until the next call, not glided: the caller moves it. A bin whose
 * two delays are equal, and every bin at a = 0 or 1, reads its one tap
 * alone, exactly as without a morph. Feedback and gain are set with
 * tfr_sdcore_set_maps. TFR_OK, TFR_EINVAL (channel) or TFR_ERANGE.
 */
int tfr_sdcore_set_morph(tfr_sdcore *s, int channel, const int32_t *d0,
                         const int32_t *d1, double a);

/*
 * Freeze (params.freeze) channel c (0-based) from the next block on, or
 * release it (on = 0). While frozen, each bin of the band freeze_lo ...
 * freeze_hi keeps sounding what it sounded in the first frozen frame:
 * its magnitude, with its phase advanced every frame by the frequency
 * the two frames before gave it (a phase vocoder's estimate, so that a
 * held partial keeps its pitch), times its gain; its delay line holds
 * its state (feedback 1, no new input: D_m = D_{m-d}). With
 * freeze_random each bin takes a new phase every frame instead, uniform
 * and independent across bins and frames (a fixed seed per channel: the
 * output is reproducible), its magnitude scaled by 1 / sqrt(c),
 * c = sum(w^2) sum(s^2) / (N H) (w, s the analysis and synthesis
 * windows): frames of random phase overlap-add incoherently, their
 * power c times the frame's (1/4 for Hann at H = N/4), and the scale
 * gives the frozen sound the expected power of the frame it holds.
 * A release gives
 * the bins back to their taps. TFR_OK or TFR_EINVAL (no such channel,
 * or no freeze asked for at creation).
 */
int tfr_sdcore_set_freeze(tfr_sdcore *s, int channel, int on);

/*
 * Process one block: in and out hold hop interleaved frames (may be the
 * same array). Returns TFR_OK.
 */
int tfr_sdcore_process(tfr_sdcore *s, const float *in, float *out);

/* The input spectrum of channel c (0-based) analysed by the last block,
 * 2 * bins floats (re, im), valid until the next block. */
const float *tfr_sdcore_spectrum(const tfr_sdcore *s, int channel);

/* Blocks processed so far. */
int64_t tfr_sdcore_blocks(const tfr_sdcore *s);

/* Back to a new core: silence, identity maps, no block processed. */
void tfr_sdcore_reset(tfr_sdcore *s);

void tfr_sdcore_free(tfr_sdcore *s);

/* The soft limiter used for params.limit (exposed for tests):
 * |x| <= t unchanged; above, t + (1-t) tanh((|x|-t)/(1-t)) with x's sign. */
float tfr_sdcore_softlimit(float x, float t);

#ifdef __cplusplus
}
#endif

#endif /* TFR_SDCORE_H */
