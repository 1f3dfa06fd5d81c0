/*
 * tfr_synth.h - additive synthesis of partials (DSP core, streaming:
 * breakpoints in stream order in, samples out, memory bounded by the
 * partials alive at once and the longest segment between two
 * breakpoints, not by the output length).
 *
 * One oscillator per partial. Amplitude is interpolated linearly between
 * breakpoints; phase by a cubic (McAulay & Quatieri 1986) that has each
 * breakpoint's frequency and reaches its stored
 * phase, or, where the stored phases do not fit the frequencies (streams
 * edited in time or frequency), by integrating the linearly interpolated
 * frequency (phase modes below). A partial fades in before its first
 * breakpoint and out after its last, over fade_time (a smoothstep,
 * 3u^2 - 2u^3, so the amplitude leaves and reaches 0 with zero slope);
 * the onset keeps its analysed phase, so attacks stay sharp. A
 * breakpoint at or above the Nyquist frequency has amplitude 0, so a
 * partial that crosses it fades out over one segment instead of
 * aliasing or clicking.
 *
 * Bandwidth-enhanced noise (Loris): a breakpoint with bandwidth b puts
 * that fraction of its energy into narrow-band noise around its
 * frequency: y = A (sqrt(1 - r^2) + r z(t)) cos(phase(t)) with r =
 * sqrt(b) (interpolated linearly between breakpoints), z a smooth random
 * signal of unit power whose spectrum falls 3 dB at about 630 Hz from
 * the partial at 44.1 kHz (a cubic B-spline through random values every
 * 0.36 ms). Unlike Loris (+1.7 dB at b = 1), the expected output power
 * is the partial's power A^2 / 2 for every b. The noise is a function of
 * (seed, partial id, time) only: deterministic for a seed, and the same
 * however the input is split into calls.
 *
 * Output is final once no breakpoint still to come can change it: up to
 * the earliest last breakpoint of the partials still open, and up to
 * fade_time before the latest breakpoint time seen (a new partial may
 * fade in there). Nothing is rendered before it is read.
 */
#ifndef TFR_SYNTH_H
#define TFR_SYNTH_H

#include <stddef.h>
#include <stdint.h>

#include "tfr_base.h"
#include "tfr_records.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct tfr_synth tfr_synth;

/*
 * How a segment between two breakpoints gets its phase. Every mode
 * starts a partial at its first breakpoint's stored phase and keeps
 * phase and frequency continuous (no mode can click); they differ in
 * whether the oscillator bends its frequency between breakpoints to
 * arrive at the next stored phase.
 */
typedef enum {
	/* Stored on unedited streams, free on edited ones (default). The
	 * misfit of a segment, c = wrap(phi1 - phi0 - pi (f0 + f1) dt)
	 * (turns), says how far its breakpoints' stored phases disagree
	 * with their frequencies: |c| is small for an analysis, whose
	 * phases were measured with its frequencies (speech: mean 0.004
	 * turn), and uniform in [0, 1/2) once breakpoints were moved in
	 * time or frequency (mean 1/4). Running means over the stream's
	 * segments, in input order (the first 32 on their own evidence,
	 * then over the last 32 or so), of |c| and of the share of |c| >
	 * 0.02 turn decide: below 1/10 turn and 90 %, segments follow
	 * their stored phases (as STORED); else they run free (as FREE). A partial
	 * off its stored phases (it ran free before) is pulled back by at
	 * most max_bend per segment. */
	TFR_SYNTH_PHASE_AUTO,
	/* Always through the stored phases (McAulay-Quatieri), whatever
	 * frequency excursion that takes. */
	TFR_SYNTH_PHASE_STORED,
	/* Integrated frequency; stored phase only at each partial's onset. */
	TFR_SYNTH_PHASE_FREE
} tfr_synth_phase;

typedef struct {
	double sample_rate;     /* output rate, Hz (default 44100) */
	double fade_time;       /* s, in [0, 1] (default 0.001, as Loris) */
	int bandwidth;          /* 1: bandwidth-enhanced noise (default), 0:
	                           sinusoids only, at the full amplitude */
	uint64_t seed;          /* of the noise (default 1) */
	tfr_synth_phase phase;  /* default TFR_SYNTH_PHASE_AUTO */
	double max_bend;        /* Hz: largest departure of a partial's
	                           frequency from its linear course that AUTO
	                           makes, beyond the segment's own misfit, to
	                           pull a partial back onto its stored phases
	                           (default 20) */
	double gain;            /* linear factor on the output (default 1) */
	int64_t length;         /* output frames, sample 0 at time 0; -1:
	                           until the last partial has faded out */
	int portable;           /* 1: no processor-specific code (AVX2; for
	                           checking it): the same output but for
	                           float rounding, slower (default 0) */
} tfr_synth_params;

void tfr_synth_params_default(tfr_synth_params *p);

/* TFR_OK, or TFR_EINVAL with the first problem of p (naming the
 * parameter) in d. */
int tfr_synth_check(const tfr_synth_params *p, tfr_diag *d);

tfr_synth *tfr_synth_new(const tfr_synth_params *p, tfr_diag *d);

/*
 * Take n breakpoints in stream order (nondecreasing time; a partial's
 * times strictly increasing; its end flag on its last one; an id seen
 * again after its partial ended starts a new partial). Returns TFR_OK,
 * TFR_ENOMEM, or TFR_EFORMAT for breakpoints out of that order or with
 * values a synthesiser cannot use (negative id, non-finite time or time
 * beyond 2^42 samples, negative or non-finite frequency or amplitude,
 * amplitude above TFR_MAX_SAMPLE, non-finite phase, bandwidth outside
 * [0, 1]), with the reason in tfr_synth_diag(); the breakpoints before
 * the bad one were taken. (The caller knows where a breakpoint came from
 * and adds the position.) TFR_EINVAL after _flush.
 *
 * Call tfr_synth_read between calls: breakpoints are held until the
 * samples they shape are read.
 */
int tfr_synth_process(tfr_synth *s, const tfr_breakpoint *bp, size_t n);

/*
 * No breakpoint to come is earlier than time (s): the input has gone on
 * without breakpoints for this synthesiser (the stream of one channel
 * among several, tfr_synth_channels), so the samples before it that no
 * partial held can change are finished, and the output is at least that
 * long. TFR_OK, or TFR_EINVAL after _flush or for a time not finite or
 * beyond 2^42 samples. A time before the latest seen changes nothing.
 */
int tfr_synth_advance(tfr_synth *s, double time);
/* End of input: every partial ends, all output becomes final. */
int tfr_synth_flush(tfr_synth *s);

/*
 * Copy up to max finished output samples (mono) to out; returns how many.
 * Samples are finished once no breakpoint still to come can change them.
 * After _flush, returns 0 at the end of the output.
 */
size_t tfr_synth_read(tfr_synth *s, float *out, size_t max);

/* The detail of the last failure of tfr_synth_process. */
const tfr_diag *tfr_synth_diag(const tfr_synth *s);

/* What the synthesiser has done and holds (for tools' -v and tests). */
typedef struct {
	int64_t partials;       /* partials started */
	int64_t breakpoints;    /* breakpoints taken */
	int64_t merged;         /* breakpoints merged into their partial's
	                           previous one: less than a sample after
	                           it (an edit that rounded times, as awk's
	                           6 digits do, into collision) */
	int64_t samples;        /* output samples read */
	int64_t seg_stored;     /* segments that reached their stored phase */
	int64_t seg_bent;       /* AUTO: pulled toward it by max_bend only */
	int64_t seg_free;       /* ran on the integrated frequency */
	size_t alive;           /* partials held now */
	size_t held;            /* breakpoints held now */
	size_t bytes;           /* memory held now, in bytes */
} tfr_synth_stats;

void tfr_synth_get_stats(const tfr_synth *s, tfr_synth_stats *st);

void tfr_synth_reset(tfr_synth *s);
void tfr_synth_free(tfr_synth *s);

#ifdef __cplusplus
}
#endif

#endif /* TFR_SYNTH_H */
