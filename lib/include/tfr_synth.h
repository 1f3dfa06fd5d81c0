/*
 * tfr_synth.h - additive synthesis of partials (DSP core, streaming:
 * breakpoints in stream order in, samples out, memory bounded by the
 * partials alive at once and the longest segment between two
 * breakpoints, not by the output length).
 *
 * One oscillator per partial. Amplitude is interpolated linearly between
 * breakpoints; phase by a cubic (McAulay-Quatieri) through each
 * breakpoint's frequency and phase, or free-running from the integrated
 * frequency where stored phases do not fit the frequencies (edited
 * streams). A partial fades in before its first breakpoint and out after
 * its last, over fade_time; the onset keeps its analysed phase, so
 * attacks stay sharp. Breakpoints above the Nyquist frequency are muted.
 *
 * Bandwidth-enhanced noise (Loris): a breakpoint with bandwidth b puts
 * that fraction of its energy into narrow-band noise around its
 * frequency. Unlike Loris (+1.7 dB at b = 1) the output power equals the
 * partial's power amp^2 / 2 for every b. Deterministic for a seed.
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

typedef enum {
	TFR_SYNTH_PHASE_AUTO,   /* stored where it fits, else free (default) */
	TFR_SYNTH_PHASE_STORED, /* always through the stored phases */
	TFR_SYNTH_PHASE_FREE    /* integrated frequency, stored phase only at
	                           each partial's onset */
} tfr_synth_phase;

typedef struct {
	double sample_rate;     /* output rate, Hz (default 44100) */
	double fade_time;       /* s (default 0.001) */
	int bandwidth;          /* 1: bandwidth-enhanced noise (default), 0:
	                           sinusoids only */
	uint64_t seed;          /* of the noise (default 1) */
	tfr_synth_phase phase;
	double gain;            /* linear factor on the output (default 1) */
	int64_t length;         /* output frames, sample 0 at time 0; -1:
	                           until the last partial has faded out */
} tfr_synth_params;

void tfr_synth_params_default(tfr_synth_params *p);

/* TFR_OK, or TFR_EINVAL with the first problem of p in d. */
int tfr_synth_check(const tfr_synth_params *p, tfr_diag *d);

tfr_synth *tfr_synth_new(const tfr_synth_params *p, tfr_diag *d);

/*
 * Take n breakpoints in stream order (nondecreasing time; a partial's
 * times strictly increasing; its end flag on its last one). Returns
 * TFR_OK, TFR_ENOMEM, or TFR_EFORMAT for breakpoints out of that order
 * or with values a synthesiser cannot use (negative or non-finite
 * frequency or amplitude, bandwidth outside [0, 1]), with the reason in
 * tfr_synth_diag(); the breakpoints before the bad one were taken. (The
 * caller knows where a breakpoint came from and adds the position.)
 */
int tfr_synth_process(tfr_synth *s, const tfr_breakpoint *bp, size_t n);

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

void tfr_synth_reset(tfr_synth *s);
void tfr_synth_free(tfr_synth *s);

#ifdef __cplusplus
}
#endif

#endif /* TFR_SYNTH_H */
