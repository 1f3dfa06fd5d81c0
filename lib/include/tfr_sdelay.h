/*
 * tfr_sdelay.h - spectral delay (Kim-Boyle, DAFx-04) of an audio stream:
 * every STFT bin has its own delay, feedback and gain, given as maps over
 * frequency that may change while the sound plays (DSP core: samples in,
 * samples out, memory bounded by the longest delay).
 *
 * Model, per channel and bin k, frame m (spectral-delay.md 3.2):
 *     D_m[k] = X_m[k] + fb[k] * D_{m-d[k]}[k]     (no feedback if d[k] = 0)
 *     W_m[k] = gain[k] * D_{m-d[k]}[k]
 * and the output is (1 - mix) dry + mix istft(W), then the headroom and
 * the limiter. With frame-local phase a delay of d frames delays its band
 * by exactly d * hop samples; a uniform delay d with feedback g is the
 * time-domain comb y[n] = sum_m g^m x[n - (m+1) d hop]. Map changes glide
 * over `smooth` seconds (no clicks). Stereo cross-feedback sends a
 * fraction of each bin's feedback to the other channel (1: ping-pong).
 *
 * The output is sample-aligned with the input: the STFT's latency
 * (fft_size - hop samples) is removed, the end of the input is completed
 * with silence, and the output has the input's length plus the tail. A
 * timed map's keys apply at the input time of the block that reaches
 * them; during the tail the maps stay as they are.
 *
 * Use:
 *   while (input) {
 *       for (off = 0; off < n; off += taken) {
 *           taken = tfr_sdelay_process(s, x + off * channels, n - off);
 *           y = tfr_sdelay_output(s, &m);   write m frames of y
 *       }
 *   }
 *   while (tfr_sdelay_flush(s) > 0) { y = tfr_sdelay_output(s, &m); ... }
 */
#ifndef TFR_SDELAY_H
#define TFR_SDELAY_H

#include <stddef.h>
#include <stdint.h>

#include "tfr_base.h"
#include "tfr_envelope.h"
#include "tfr_freqmap.h"
#include "tfr_records.h"
#include "tfr_window.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct tfr_sdelay tfr_sdelay;

/* The kinds of map. */
enum { TFR_SDELAY_DELAY, TFR_SDELAY_FEEDBACK, TFR_SDELAY_GAIN,
       TFR_SDELAY_NMAPS };

/* The documented limits of the maps' values. */
#define TFR_SDELAY_MAX_DELAY 60.0    /* s */
#define TFR_SDELAY_MAX_GAIN_DB 60.0  /* dB */
#define TFR_SDELAY_MAX_GAIN 1000.0   /* linear factor */
/* An automatic tail never runs longer; it ends at -90 dBFS. */
#define TFR_SDELAY_MAX_TAIL 600.0    /* s */
/*
 * What a small input may cost, whatever the options (tfr_base.h's
 * limits): every block transforms fft_size samples of every channel and
 * there are fft_size / hop blocks per fft_size samples, the latency
 * included, so channels * fft_size * fft_size / hop, the samples
 * transformed while one FFT's length of input goes through, is at most
 * TFR_SDELAY_MAX_WORK (2^25, about a second: one channel at fft_size
 * 65536 needs a hop of at least 128 samples); the delay lines,
 * channels * (longest delay in frames + 1) * (fft_size + 2) floats, take
 * at most TFR_SDELAY_MAX_MEMORY bytes. tfr_sdelay_check refuses more.
 */
#define TFR_SDELAY_MAX_WORK (1 << 25)
#define TFR_SDELAY_MAX_MEMORY (1 << 30)

/* A complete configuration to morph to: maps as in tfr_sdelay_params. */
typedef struct {
	const tfr_freqmap *const *maps[TFR_SDELAY_NMAPS];
	int nmaps[TFR_SDELAY_NMAPS];
} tfr_sdelay_config;

/* At most this many configurations in a morph (the params' own maps
 * and configs[]). */
#define TFR_SDELAY_MAX_CONFIGS 16

/* The descriptors a map may follow (tfr_describe.h, per channel). */
typedef enum {
	TFR_SDELAY_CENTROID,   /* Hz */
	TFR_SDELAY_FLATNESS,   /* 0 ... 1 */
	TFR_SDELAY_FLUX,       /* 0 ... 1 */
	TFR_SDELAY_LEVEL       /* amp: a sine of amplitude A reads A */
} tfr_sdelay_descriptor;

/*
 * A map that follows a descriptor of the channel's own input: every
 * bin's value v of map kind `map` becomes v * (k x) (scale) or
 * v + k x (offset), x the descriptor of the frame before (a hop late:
 * the frame being delayed is not yet described), in the map's core
 * units: delay in s (frames with delay_frames), feedback, gain as a
 * factor for a scale and in dB for an offset. The result is held in
 * range (delay 0 ... the longest it can reach, |feedback| <= 0.999,
 * gain <= 60 dB) and glides (smooth) as map changes do.
 */
typedef struct {
	int map;                       /* TFR_SDELAY_DELAY ... */
	int offset;                    /* 0: scale, 1: offset */
	double k;
	tfr_sdelay_descriptor descriptor;
} tfr_sdelay_follow;

#define TFR_SDELAY_MAX_FOLLOW 8

typedef enum {
	TFR_SDELAY_TAIL_NONE,   /* stop with the input (default) */
	TFR_SDELAY_TAIL_TIME,   /* tail_time seconds more */
	TFR_SDELAY_TAIL_AUTO    /* until the output stays below -90 dBFS */
} tfr_sdelay_tail;

typedef struct {
	double sample_rate;     /* Hz (default 44100) */
	int channels;           /* interleaved channels (1) */
	size_t fft_size;        /* N, even (2048) */
	size_t hop;             /* H, 1 <= H <= N (N / 4) */
	tfr_window_spec window; /* analysis window (hann); the synthesis
	                           window makes the STFT exactly invertible */
	/*
	 * maps[k][i] for kind k (TFR_SDELAY_DELAY ...): nmaps[k] is 0 (the
	 * identity: delay 0, feedback 0, gain 1), 1 (every channel) or the
	 * number of channels (map i for channel i). Not copied: they must
	 * live as long as the object.
	 */
	const tfr_freqmap *const *maps[TFR_SDELAY_NMAPS];
	int nmaps[TFR_SDELAY_NMAPS];
	int delay_frames;       /* delay values are frames (hops), not s */
	int gain_linear;        /* gain values are factors, not dB */
	double mix;             /* wet fraction 0 ... 1 (1) */
	double cross;           /* cross-feedback 0 ... 1, stereo only (0) */
	double smooth;          /* glide time of map changes, s (0.05) */
	double headroom_db;     /* attenuation of the output, dB >= 0 (0) */
	int limit;              /* soft limiter above -1 dBFS (0) */
	tfr_sdelay_tail tail;
	double tail_time;       /* s, for TFR_SDELAY_TAIL_TIME */
	int describe;           /* compute the descriptors of the input's
	                           frames (tfr_sdelay_descriptors) (0) */
	/*
	 * Freeze: freeze[i] says when channel i (or every channel, nfreeze
	 * 1) is frozen: from a block whose input time (block_time, as the
	 * maps' keys) finds the envelope at 1/2 or more, values 0 (live) or
	 * 1 (frozen) only; nfreeze 0: never. The granularity is a hop; a
	 * freeze holds the bins of freeze_lo ... freeze_hi Hz (0 and
	 * infinity: all) as tfr_sdcore_set_freeze says: the sound of the
	 * first frozen frame, each partial at its pitch, the delay lines
	 * held. The envelopes are also followed during the tail. Not
	 * copied: they must live as long as the object.
	 */
	const tfr_envelope *const *freeze;
	int nfreeze;
	double freeze_lo, freeze_hi;
	/* 0: a frozen bin's phase advances at its partial's frequency (a
	 * held tone stays one line); 1: a new random phase every frame, at
	 * the frozen frame's power (a held noise or texture without the
	 * phase vocoder's metallic ring; a tone becomes a narrow noise band
	 * one bin wide). sdelay_core.h says how. */
	int freeze_random;
	/*
	 * Morph: the params' maps are configuration 0 and configs[j]
	 * configuration j + 1; the envelope `morph` (values 0 ... nconfigs)
	 * says where between them each block is: u = 1.25 is a quarter of
	 * the way from configuration 1 to 2. Per bin, the delay crossfades
	 * the two configurations' taps by the fraction, feedback moves
	 * linearly and the gain linearly in dB (in factors with
	 * gain_linear), then glide as map changes do. At a whole u the
	 * configuration alone sounds, bit for bit as without a morph once
	 * the glides have settled; a morph between equal configurations is
	 * no morph. Maps with times are refused in a morph. Not copied.
	 */
	const tfr_sdelay_config *configs;
	int nconfigs;
	const tfr_envelope *morph;
	/* maps that follow descriptors, applied in order (0 ... MAX_FOLLOW);
	 * not with a morph */
	tfr_sdelay_follow follow[TFR_SDELAY_MAX_FOLLOW];
	int nfollow;
	/*
	 * Spectral sidechain (Kim-Boyle's cross-modulation): a second signal
	 * of side_channels channels (1: drives every channel; or as many as
	 * the input), given with tfr_sdelay_process_side, frame-aligned with
	 * the input (the same N, hop and window: its block m is analysed with
	 * the input's block m, no latency between them). Each bin's value of
	 * the map kind side_map (TFR_SDELAY_GAIN or _FEEDBACK; the delay is
	 * refused) is multiplied by the sidechain's magnitude in that bin
	 * over its largest magnitude in that frame (0 ... 1; 0 for a silent
	 * frame), and glides as map changes do. 0: no sidechain. Not with a
	 * morph or follows.
	 */
	int side_channels;
	int side_map;
} tfr_sdelay_params;

void tfr_sdelay_params_default(tfr_sdelay_params *p);

/*
 * TFR_OK, or TFR_EINVAL with the first problem in d. A bad map value is
 * reported with its map's position (the breakpoint's line and column);
 * tfr_sdelay_check_map tells which map.
 */
int tfr_sdelay_check(const tfr_sdelay_params *p, tfr_diag *d);

/* Check the values of one map of kind k under p's units: TFR_OK or
 * TFR_EINVAL with the breakpoint's position and what is wrong. */
int tfr_sdelay_check_map(const tfr_sdelay_params *p, int kind,
                         const tfr_freqmap *map, tfr_diag *d);

tfr_sdelay *tfr_sdelay_new(const tfr_sdelay_params *p, tfr_diag *d);

/*
 * Take up to n interleaved frames; returns how many were taken. Stops
 * after a block (hop frames) has been processed, so that its output can
 * be collected with tfr_sdelay_output before more input is given.
 */
size_t tfr_sdelay_process(tfr_sdelay *s, const float *x, size_t n);

/* tfr_sdelay_process with the sidechain's frames side (side_channels
 * interleaved, as many frames as x): the two stay aligned. At the end
 * of the input the sidechain is taken as silence. */
size_t tfr_sdelay_process_side(tfr_sdelay *s, const float *x,
                               const float *side, size_t n);

/*
 * End of input, one block per call: the rest of the input completed
 * with silence, then the tail. Returns 1 when a block was made (collect
 * its output), 0 when the output is complete.
 */
int tfr_sdelay_flush(tfr_sdelay *s);

/* The output of the last block (interleaved, *n frames, possibly 0),
 * valid until the next call on s; collecting it empties it. */
const float *tfr_sdelay_output(tfr_sdelay *s, size_t *n);

/*
 * With params.describe: the descriptors (tfr_describe.h) of the input
 * frames the block made by the last call of tfr_sdelay_process or
 * tfr_sdelay_flush analysed, one per channel (channel 1 ...), and *n of
 * them: 0 when the call made no block, or when that frame's centre is before the first input
 * sample or, once the input has ended, at or past its end. Frame m is
 * centred on input sample m * hop (time m * hop / rate), so the frames
 * given are 0, hop, 2 hop, ... up to the end of the input. Valid until
 * the next call on s.
 */
const tfr_descriptor_frame *tfr_sdelay_descriptors(const tfr_sdelay *s,
                                                   size_t *n);

/* fft_size - hop: how many samples the output lags the input inside (the
 * object removes them; a live pipe hears them). */
size_t tfr_sdelay_latency(const tfr_sdelay_params *p);

/* Frames the output will have for an input of input_frames (-1 when
 * unknown: an unknown input length or an automatic tail). */
int64_t tfr_sdelay_output_frames(const tfr_sdelay_params *p,
                                 int64_t input_frames);

/* Back to the state of a new object (maps as at time 0). */
void tfr_sdelay_reset(tfr_sdelay *s);

void tfr_sdelay_free(tfr_sdelay *s);

#ifdef __cplusplus
}
#endif

#endif /* TFR_SDELAY_H */
