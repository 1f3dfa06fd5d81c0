/*
 * tfr_records.h - the records that flow between the tools, as plain
 * structs (shared by the DSP cores that make them and the text format
 * that carries them).
 */
#ifndef TFR_RECORDS_H
#define TFR_RECORDS_H

#include <stdint.h>

/*
 * One reassigned STFT cell ("point").
 *  frame  analysis frame index m (frame m is centred on sample m*hop)
 *  bin    FFT bin k
 *  time   reassigned time t^ (s from the first input sample)
 *  freq   reassigned frequency f^ (Hz)
 *  amp    2|X|/sum(w): a sinusoid of amplitude A centred on bin k reads A
 *  phase  phase (rad, in [-pi, pi)) of a cosine at time t^: the frame-local
 *         STFT phase, referred to the window centre and advanced by
 *         2 pi f^ (t^ - frame centre time)
 *  mixed  mixed partial derivative d2phi/dt dw: 0 for a sinusoid, 1 for an
 *         impulse
 *  channel  the source channel (1-based) in a channel-split stream, 0
 *         in others (a column only of split streams)
 */
typedef struct {
	int64_t frame;
	int32_t bin;
	double time;
	double freq;
	float amp;
	float phase;
	float mixed;
	int32_t channel;
} tfr_point;

/*
 * One spectral peak (tfr-peaks): a sinusoidal component of one frame, or
 * an impulse kept on request.
 *  frame      analysis frame index m (as the points it came from)
 *  time       reassigned time (s)
 *  freq       reassigned frequency (Hz)
 *  amp        amplitude: a stationary sinusoid of amplitude A reads A
 *             wherever its frequency falls between bins (the window's
 *             scalloping at freq is corrected). With bandwidth b > 0 it
 *             carries the noise energy too: sinusoidal energy
 *             (1 - b) amp^2 / 2, noise energy b amp^2 / 2 (Loris's
 *             bandwidth-enhanced convention).
 *  phase      phase (rad, [-pi, pi)) of a cosine at time
 *  bandwidth  noise fraction of the energy, [0, 1]
 *  mixed      mixed derivative d2phi/dt dw of the peak's cell
 *  impulse    1 for an impulse kept as such (|mixed - 1| small), else 0
 *  channel    as tfr_point.channel
 */
typedef struct {
	int64_t frame;
	double time;
	double freq;
	float amp;
	float phase;
	float bandwidth;
	float mixed;
	int32_t impulse;
	int32_t channel;
} tfr_peak;

/*
 * One breakpoint of a partial (tfr-track, tfr-resynth).
 *  partial    id of the partial (>= 0; ids are not reused)
 *  time       s; strictly increasing within a partial
 *  freq       Hz
 *  amp        amplitude (as tfr_peak.amp)
 *  phase      phase (rad, [-pi, pi)) of the partial at time
 *  bandwidth  noise fraction of the energy, [0, 1]
 *  end        1 on the last breakpoint of its partial, else 0
 *  label      harmonic number of the partial (tfr-label), 0 unlabelled;
 *             a column only of labelled streams
 *             (tfr_labelled_partials_schema), 0 when read from others
 *  channel    as tfr_point.channel
 * In a stream breakpoints are in nondecreasing time order (tfr(5)).
 */
typedef struct {
	int64_t partial;
	double time;
	double freq;
	float amp;
	float phase;
	float bandwidth;
	int32_t end;
	int64_t label;  /* 64 bits: the struct has no padding, which memcmp would see */
	int64_t channel;  /* 64 bits for the same reason */
} tfr_breakpoint;

/*
 * One frame of a fundamental-frequency track (tfr-f0).
 *  time      s, the frame's centre; strictly increasing
 *  f0        Hz: the best estimate, also in unvoiced frames (where
 *            there is none at all: 0)
 *  voicing   probability that the frame is voiced, [0, 1]; voiced
 *            when >= 0.5
 *  salience  how strongly the harmonics of f0 stand out of the frame's
 *            energy, [0, 1]
 */
typedef struct {
	double time;
	double f0;
	float voicing;
	float salience;
} tfr_f0_frame;

/*
 * One band of one frame of a stochastic envelope (tfr_stochastic.h,
 * the "noise" kind).
 *  time   s, the frame's centre; the bands of a frame share it
 *  lo     Hz, the band's lower edge (included)
 *  hi     Hz, its upper edge (excluded), > lo
 *  power  the mean square of the signal's part within the band over
 *         the frame (a sine of amplitude A reads A^2 / 2 in its band)
 */
typedef struct {
	double time;
	double lo;
	double hi;
	double power;
} tfr_noise_band;

/*
 * The descriptors of one analysis frame of one channel (tfr_describe.h,
 * the "descriptors" kind, tfr-sdelay --describe).
 *  time      s, the frame's centre; the channels of a frame share it
 *  freq      Hz, the spectral centroid: the power-weighted mean frequency
 *            of the frame's bins (0 for silence)
 *  channel   1-based channel of the input
 *  amp       the level as an amplitude: sqrt(2 x the frame's mean
 *            square), so that a sine of amplitude A reads A
 *  flatness  spectral flatness, [0, 1]: geometric over arithmetic mean
 *            of the bins' power, divided by its expectation for white
 *            noise (e^-gamma), clipped at 1; white noise reads about 1,
 *            a pure tone near 0, silence 0
 *  flux      spectral flux, [0, 1]: the rise of the bins' magnitudes
 *            since the previous frame (increases only) over the frame's
 *            magnitudes, as root sums of squares; 0 for a steady sound,
 *            1 for an onset out of silence
 */
typedef struct {
	double time;
	double freq;
	int32_t channel;
	float amp;
	float flatness;
	float flux;
} tfr_descriptor_frame;

#endif
