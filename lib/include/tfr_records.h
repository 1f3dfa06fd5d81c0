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
 */
typedef struct {
	int64_t frame;
	int32_t bin;
	double time;
	double freq;
	float amp;
	float phase;
	float mixed;
} tfr_point;

#endif
