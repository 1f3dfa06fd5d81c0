/*
 * synth_osc.h - tfr_synth's oscillator: one segment of one partial added
 * into an output block, 8 samples at a time (private to libtfr).
 *
 * A segment is a cubic phase and a cubic amplitude over local time
 * x = n - s0 samples (u = x / length in [0, 1]). The phase, in turns, is
 * evaluated in double at every 8th sample (a 50 ms segment spans ~10^4
 * turns, and a long one far more: double keeps them to 10^-12) and
 * reduced to [-1/2, 1/2] turn; the 8 samples from there add their
 * offsets in float, and the cosine is an odd minimax polynomial over a
 * quarter turn in float (error 3.4e-9 before float rounding; 1.6e-6 with
 * the float offsets: 116 dB below the partial). The loop is written in
 * GCC's vector extensions, so that it becomes vector code on any
 * processor: SSE2 on any x86-64, AVX2 with FMA where the processor has
 * them (chosen at run time, cpu.h).
 */
#ifndef TFR_SYNTH_OSC_H
#define TFR_SYNTH_OSC_H

#include <stddef.h>
#include <stdint.h>

#include "synth_noise.h"

typedef struct {
	double s0;        /* start of the segment, samples (fractional) */
	double ph[4];     /* phase, turns: ph0 + x (ph1 + x (ph2 + x ph3)) */
	double inv_len;   /* 1 / length in samples (0 for an empty one) */
	float amp[4];     /* amplitude: amp0 + u (amp1 + u (amp2 + u amp3)) */
	float bw[2];      /* noise share of the amplitude, sqrt(bandwidth):
	                     bw0 + u bw1 (with noise only) */
} tfr_synth_seg;

/*
 * Add segment g's samples n0 <= n < n1 into out, whose out[0] is sample
 * b0 (a multiple of 8, b0 <= n0; out has room up to the multiple of 8 at
 * or after n1). With z (n0 >= 0), the partial's bandwidth noise of knot
 * period kp (a multiple of 8): y = a (sqrt(1 - r^2) + r z) cos with r
 * from bw, else y = a cos. cpu: the TFR_CPU_* code paths allowed.
 */
void tfr_synth_osc_add(const tfr_synth_seg *g, tfr_synth_noise *z, int kp,
                       int64_t b0, int64_t n0, int64_t n1, float *out,
                       unsigned cpu);

/* out[i] = cos(2 pi turns[i]) by the oscillator's polynomial (for the
 * tests; |turns| < 2^51). */
void tfr_synth_osc_cos(const double *turns, float *out, size_t n,
                       unsigned cpu);

#endif
