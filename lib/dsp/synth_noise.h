/*
 * synth_noise.h - the narrow-band noise of tfr_synth's bandwidth
 * enhancement (private to libtfr).
 *
 * Loris modulates a partial's amplitude by Gaussian noise through a
 * fixed 3rd-order low-pass (additive-model.md §3.6); here the modulator
 * z(t) is a uniform cubic B-spline through random knot values spaced
 * every K samples (K a multiple of 8, about 0.36 ms: 16 samples at
 * 44.1 and 48 kHz). Its spectrum is sinc^8(f K / fs), -3 dB at
 * 0.225 fs / K (620 Hz at 44.1 kHz, near Loris's 547 Hz) and -53 dB at
 * the first side lobe; a sample costs one cubic, vectorisable, where a
 * recursive filter would be sequential.
 *
 * Knot values are sums of four uniform integers (close to Gaussian),
 * drawn from a hash of (seed, partial id, knot index): the noise of a
 * partial depends on nothing else, so it is the same however the input
 * is split. With unit-variance knots the spline's variance, averaged
 * over an interval, is the integral of the squared B-spline, 151/315;
 * the knots are scaled by sqrt(315/151) so that z has unit mean power.
 */
#ifndef TFR_SYNTH_NOISE_H
#define TFR_SYNTH_NOISE_H

#include <stdint.h>

typedef struct {
	uint64_t key;    /* the partial's stream: hash of seed and id */
	int64_t knot;    /* interval j (samples j K .. j K + K - 1) whose
	                    spline is in c; INT64_MIN: none yet */
	float z[4];      /* knot values j - 1 .. j + 2 */
	float c[4];      /* z(v) = c0 + v (c1 + v (c2 + v c3)), v in [0, 1) */
} tfr_synth_noise;

/* The knot spacing K in samples for sample rate fs (a multiple of 8). */
int tfr_synth_knot_period(double fs);

/* The noise of partial id for seed, before any interval. */
void tfr_synth_noise_start(tfr_synth_noise *z, uint64_t seed, int64_t id);

/* Make c the spline of interval j (j >= 0). */
void tfr_synth_noise_at(tfr_synth_noise *z, int64_t j);

#endif
