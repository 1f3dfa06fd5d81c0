/*
 * tfr_f0.h - fundamental frequency with voicing (DSP core, streaming:
 * audio samples or a partials stream in, f0 frames on a regular grid
 * out; memory bounded by the analysis window and the partials alive at
 * once).
 *
 * One estimator for both inputs. Each frame (every frame_period, centred
 * on k * frame_period) is a list of sinusoids (frequency, amplitude):
 *  - from audio: the input decimated to about 11 kHz, a Hann window
 *    whose main lobe reaches `resolution` either side (2 / resolution s),
 *    reassigned (tfr_reassign) and its peaks picked by reassignment
 *    convergence (tfr_peaks): frequencies exact to a fraction of a Hz
 *    for steady harmonics, which autocorrelation trackers do not have;
 *  - from partials: every partial alive at the frame's time, its
 *    frequency and amplitude interpolated between its breakpoints.
 * Then:
 *  1. mains hum set aside: a partial held within 1 Hz of 50 or 60 Hz
 *     (the mains fundamental) for most of the last half second makes its
 *     multiples that are held as steadily hum; they take no part in the
 *     pitch nor in the frame's energy;
 *  2. candidates f/h of the strongest sinusoids (h = 1..6: a missing
 *     fundamental is a candidate) and the previous frame's choices,
 *     each scored by a harmonic template over the 40 strongest (a
 *     positive lobe at each multiple, a negative one half-way: Camacho &
 *     Harris 2008, SWIPE's kernel, on peaks rather than on a spectrum;
 *     harmonic h weighted 1/sqrt(h), which puts f0 above f0/2 and 2 f0;
 *     a candidate whose odd harmonics are empty scores half);
 *  3. each candidate refined from the reassigned frequencies of the
 *     harmonics it matches (least squares of f_i = h_i f0, weights
 *     a_i^2 h_i^2);
 *  4. a fixed-lag Viterbi path through the candidates (a jump costs its
 *     size in octaves, scaled by how voiced both frames are; Boersma
 *     1993 and Talkin 1995 use such costs) and the voicing probability
 *     from the share of the frame's energy (hum included) in the best
 *     candidate's harmonics, the template's normalised score, the
 *     frame's level and how well the harmonics' reassigned times sit on
 *     the frame's centre, median-filtered over 5 frames. A frame leaves
 *     `lookahead` frames after it came in.
 */
#ifndef TFR_F0_H
#define TFR_F0_H

#include <stddef.h>
#include <stdint.h>

#include "tfr_base.h"
#include "tfr_records.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct tfr_f0 tfr_f0;

typedef enum {
	TFR_F0_AUDIO,     /* tfr_f0_process: mono samples */
	TFR_F0_PARTIALS   /* tfr_f0_process_partials: breakpoints */
} tfr_f0_input;

typedef struct {
	tfr_f0_input input;   /* default TFR_F0_AUDIO */
	double sample_rate;   /* Hz of the audio (AUDIO only; default 44100) */
	double min_f0;        /* Hz, lowest f0 (default 40) */
	double max_f0;        /* Hz, highest f0 (default 1700) */
	double frame_period;  /* s between output frames (default 0.01) */
	double resolution;    /* Hz: the analysis window's main lobe reaches
	                         this far either side of a sinusoid (AUDIO;
	                         default 0: 0.8 min_f0, which keeps apart
	                         the harmonics of the lowest f0) */
	double floor_db;      /* dBFS: frames quieter than this are unvoiced
	                         (default -60) */
	int hum;              /* 1: mains hum (50/60 Hz) set aside (default) */
	int lookahead;        /* frames of look-ahead of the smoothing,
	                         1..100 (default 8) */
	double max_gap;       /* s: PARTIALS, breakpoints of a partial
	                         farther apart than this are not joined
	                         (default 0.05) */
	double duration;      /* s: PARTIALS, the sound's length: frames
	                         go on to it after the last breakpoint, as
	                         they would from the audio (default 0: to
	                         the last breakpoint) */
} tfr_f0_params;

void tfr_f0_params_default(tfr_f0_params *p);
/* TFR_OK, or TFR_EINVAL with the problem in d. */
int tfr_f0_check(const tfr_f0_params *p, tfr_diag *d);
tfr_f0 *tfr_f0_new(const tfr_f0_params *p, tfr_diag *d);

/* The next n samples of the audio (AUDIO). TFR_OK, TFR_EINVAL (the
 * object reads partials), TFR_ENOMEM. */
int tfr_f0_process(tfr_f0 *f, const float *x, size_t n);
/* The next n breakpoints of a partials stream (PARTIALS; nondecreasing
 * time, each partial's last with end = 1). TFR_OK, TFR_EINVAL (time
 * going back, a bad value, or the object reads audio: b is not taken),
 * TFR_ENOMEM. */
int tfr_f0_process_partials(tfr_f0 *f, const tfr_breakpoint *b, size_t n);
/* The sound's length (s) when it is known only at the end (a piped
 * analysis says it in a trailer): as params.duration, until _reset.
 * TFR_OK, or TFR_EINVAL for a length out of range. */
int tfr_f0_set_duration(tfr_f0 *f, double duration);
/* End of input: every frame up to the end is made ready. For audio the
 * frames cover the input (k * frame_period < its length); for partials
 * they reach the last breakpoint, and the duration when it is longer. */
int tfr_f0_flush(tfr_f0 *f);
/* What became ready since the last call, in time order; valid until the
 * next call on f. Never NULL. */
const tfr_f0_frame *tfr_f0_ready(tfr_f0 *f, size_t *n);

typedef struct {
	int64_t frames;     /* frames made ready */
	int64_t voiced;     /* of which voiced (voicing >= 0.5) */
	int64_t hum_frames; /* frames in which hum was set aside */
	double hum_freq;    /* 50 or 60 when hum was last seen, else 0 */
} tfr_f0_stats;

void tfr_f0_get_stats(const tfr_f0 *f, tfr_f0_stats *s);
/* The analysis in use (AUDIO): decimation factor, window length and FFT
 * size at the decimated rate; zeros for PARTIALS. */
void tfr_f0_get_analysis(const tfr_f0 *f, int *decimation, size_t *window_length,
                         size_t *fft_size);
void tfr_f0_reset(tfr_f0 *f);
void tfr_f0_free(tfr_f0 *f);

#ifdef __cplusplus
}
#endif

#endif
