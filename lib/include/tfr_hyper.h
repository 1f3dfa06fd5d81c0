/*
 * tfr_hyper.h - Gardner & Magnasco "linear reassignment" histogram, the
 * hyper-resolution spectrogram (DSP core: arrays in, histogram out).
 *
 * Gardner T.J., Magnasco M.O., "Sparse time-frequency representations",
 * PNAS 103:6094-6099 (2006), computed exactly as the authors' reference
 * implementation does (reassignmentgw.m and its numpy port): a constant-Q
 * bank of Gaussian filters on log-spaced centre frequencies f0 (std in
 * frequency sigma = f0/(2 pi q)), at every sample the ratio
 * mp = eta/xi of the derivative-filter output to the filter output,
 * reassigned time tins = n + Im(mp)/(2 pi sigma) and frequency
 * fins = f0 - Re(mp) sigma, kept when |mp| < lint, histogrammed with
 * weight |xi|^2 and counted; bins whose count is below sqrt(max count)
 * are zeroed at the end.
 *
 * Units: time in samples, frequency in cycles per sample (Hz / rate).
 *
 * Output geometry (the reference's): ht x hf bins, row-major with time
 * as the slow axis: bin (k, j), k = 0 .. ht-1 time, j = 0 .. hf-1
 * frequency DESCENDING (j = 0 is centred on maxf, centre of j is
 * maxf * 2^(-j/noct)); ht = ceil(N/tdeci), hf = ceil(noct log2(maxf/minf)+1).
 * Time bin k holds points with (1-based) tins/tdeci in [k, k+1).
 *
 * Differences from the reference, by design:
 *  - Streaming: the signal is processed in overlapping blocks; memory is
 *    bounded by the block size plus the output histogram, not by N;
 *    and by the block size alone for a caller that takes the finished
 *    time bins as they come and releases them (tfr_hyper_ready).
 *  - Ends: samples before 0 and after N-1 are zero (the reference wraps
 *    the signal around circularly, so its first and last ~q/minf samples
 *    differ).
 *  - Arithmetic: float FFTs (tfr_fft.h: KissFFT, or FFTW3f if built
 *    so) and interpolation of each filter output from a decimated
 *    rate (kriging weights, hyper_interp.h;
 *    lines above 0.236 q cycles/sample, whose sigma exceeds 0.0375,
 *    stay at the full rate: none at q >= 2). Points within the float
 *    error of a decision boundary (which on steady synthetic tones and
 *    clicks are many: they fall exactly on a bin or lint boundary in
 *    exact arithmetic) are recomputed directly in double / long double
 *    and decided as exact arithmetic decides them. Away from the ends,
 *    significant bins agree with the reference to ~2e-5 relative
 *    (tests/test_hyper_ref.c).
 *  - Filters whose Gaussian is cut off at the Nyquist frequency have an
 *    impulse response decaying only like 1/n in the reference (the
 *    whole-file FFT); blocks truncate it at a margin of thousands of
 *    samples, which matters only for signals with energy near Nyquist.
 */
#ifndef TFR_HYPER_H
#define TFR_HYPER_H

#include <stddef.h>
#include <stdint.h>

#include "tfr_base.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct tfr_hyper tfr_hyper;

typedef struct {
	double q;          /* wavelet quality: time width q/f0 samples (> 0) */
	long tdeci;        /* samples per output time bin (>= 1) */
	int over;          /* scan lines per output frequency bin (>= 1) */
	double noct;       /* output frequency bins per octave (> 0) */
	double minf;       /* lowest frequency, cycles/sample (> 0) */
	double maxf;       /* highest frequency, cycles/sample (<= 0.5) */
	double lint;       /* locality limit on |mp| (reference: 0.5) */
	int channels;      /* interleaved input channels, pooled into one
	                      histogram as the reference does (1 ..
	                      TFR_MAX_CHANNELS) */
	int round_away;    /* 0: round half to even (numpy reference, the
	                      default); 1: half away from zero (MATLAB) */
	int threads;       /* worker threads (1 .. TFR_MAX_THREADS) */
	int exact;         /* 1: every line at the full rate (slow, for
	                      checking); 0: decimate + interpolate */
	int64_t frames_hint; /* expected input length in frames, to allocate
	                        the histogram in _new (0: unknown, grows) */
	int portable;      /* 1: no processor-specific code (AVX2, AVX-512;
	                      for checking those): the same decisions but
	                      for float rounding, slower */
} tfr_hyper_params;

/* Reference config A: q 2, tdeci 64, over 4, noct 48, minf 0.0025,
 * maxf 0.45, lint 0.5, 1 channel, half-even, 1 thread, exact 0. */
void tfr_hyper_params_default(tfr_hyper_params *p);

/* Number of frequency bins for p (0 if p is invalid). */
size_t tfr_hyper_freq_bins(const tfr_hyper_params *p);

/*
 * What one histogram may cost before any input, whatever the
 * parameters (tfr_base.h's limits), so that a short input cannot take
 * unbounded time or memory:
 *  - scan lines (frequency bins * over) times channels, at most
 *    TFR_HYPER_MAX_LINES: every block of 65536 samples (a short input's
 *    one block too) runs every line over every channel, ~60 us each;
 *  - the memory _new allocates (the picture's rows aside, which grow
 *    with the input), at most TFR_HYPER_MAX_MEMORY bytes: the workers'
 *    windows (threads * 65536/tdeci rows * frequency bins * 12 bytes),
 *    each channel's input buffer, the blocks' spectra.
 */
#define TFR_HYPER_MAX_LINES (1 << 17)
#define TFR_HYPER_MAX_MEMORY (1 << 30)

/* Scan lines times channels of p (0 if p is invalid otherwise). */
double tfr_hyper_lines(const tfr_hyper_params *p);

/* The memory (bytes, an estimate from above) tfr_hyper_new allocates
 * for p before any input, besides the picture; 0 if p is invalid
 * otherwise, HUGE_VAL if the plan itself does not fit in memory. */
double tfr_hyper_memory(const tfr_hyper_params *p);

/* TFR_OK (d cleared), or TFR_EINVAL with the first problem of p in d
 * (a parameter out of its range, or a cost beyond the limits above). */
int tfr_hyper_check(const tfr_hyper_params *p, tfr_diag *d);

/* NULL on failure with the code and reason in d: TFR_EINVAL (what
 * _check finds), TFR_ENOMEM, or TFR_ERANGE (the picture for frames_hint
 * or the workers' windows for lint * q / minf would not fit in
 * memory); d cleared on success. The work is planned and allocated
 * here, once. */
tfr_hyper *tfr_hyper_new(const tfr_hyper_params *p, tfr_diag *d);

/*
 * Feed nframes interleaved frames (p.channels floats each). Work is done
 * in blocks as soon as enough input (and look-ahead) is buffered. The
 * histogram grows with the input (the one allocation outside _new when
 * frames_hint was too small). Returns TFR_OK, TFR_ENOMEM, TFR_ERANGE;
 * TFR_EINVAL after _flush.
 */
int tfr_hyper_process(tfr_hyper *h, const float *x, size_t nframes);

/*
 * End of input: the remaining blocks (zeros after the end), then the
 * count threshold on the rows held (all of them, the reference's global
 * threshold, unless some were released). After it, only the accessors
 * below, _reset and _free may be called. TFR_OK, TFR_ENOMEM, TFR_ERANGE;
 * TFR_EINVAL if called twice, or after _end.
 */
int tfr_hyper_flush(tfr_hyper *h);

/* The same without the threshold: for a caller that thresholds the
 * rows it takes itself (tfr_hyper_threshold). */
int tfr_hyper_end(tfr_hyper *h);

/*
 * Streaming a long input in bounded memory. The picture is held from a
 * first row on; rows [first, first + n) are final: no later input can
 * change them (a row is final once the analysis has passed it by the
 * reach of the longest filter, lint q / minf samples, plus a block of
 * 65536 samples; every row after _end or _flush). Their energies are
 * before the threshold unless _flush or _threshold applied it.
 */
void tfr_hyper_ready(const tfr_hyper *h, size_t *first, size_t *n);

/* Forget the rows before upto (first <= upto <= first + n of _ready):
 * the picture then starts at row upto (tfr_hyper_energy, _counts).
 * The rows a caller never releases are kept: without a release the
 * whole picture is held, as before. TFR_OK, or TFR_EINVAL for rows not
 * final or not held. */
int tfr_hyper_release(tfr_hyper *h, size_t upto);

/* The count threshold on final rows [first, first + n) alone: their
 * energies counted fewer times than the square root of the largest
 * count among them are zeroed (the reference's rule, on a stretch of
 * the picture: a page). Returns that largest count (0 if the rows are
 * not final and held, or n is 0). */
uint32_t tfr_hyper_threshold(tfr_hyper *h, size_t first, size_t n);

/* Back to the state of a new object on the same parameters (the
 * allocations are kept): the same input then gives the same result. */
void tfr_hyper_reset(tfr_hyper *h);

/* Geometry of the result (valid after _flush): ht time x hf freq bins. */
void tfr_hyper_size(const tfr_hyper *h, size_t *ht, size_t *hf);

/* Energy histogram after the threshold, ht*hf floats, index k*hf + j
 * (rows from the first held, k - first: tfr_hyper_ready). */
const float *tfr_hyper_energy(const tfr_hyper *h);

/* Point counts before the threshold, same layout. */
const uint32_t *tfr_hyper_counts(const tfr_hyper *h);

/* Largest count of the last threshold applied (the threshold was its
 * square root): after _flush, of the whole picture held. */
uint32_t tfr_hyper_max_count(const tfr_hyper *h);

/* Centre of frequency bin j in cycles/sample: maxf * 2^(-j/noct). */
double tfr_hyper_bin_freq(const tfr_hyper_params *p, size_t j);

/* Centre of time bin k in 0-based samples: (k + 1/2) tdeci - 1 (bin k
 * holds the 1-based tins in [k tdeci, (k+1) tdeci); bin 0 starts at
 * sample 0, half a sample later). */
double tfr_hyper_bin_time(const tfr_hyper_params *p, size_t k);

/*
 * The energy a full-scale sinusoid (amplitude 1, on every one of the
 * p->channels pooled channels) puts in its frequency bin per time bin,
 * away from the ends of the signal and of [minf, maxf]: the level of
 * 0 dBFS. A tone of amplitude a at f puts (a^2/4) G(f - f0)^2 into bin
 * round(noct log2(maxf/f)) for each of the tdeci samples and each line
 * f0 with |f - f0| < lint sigma (for a pure tone |mp| = |f - f0| /
 * sigma); the sum over the lines, whose density is over noct / (f0 ln 2)
 * per cycle, is the integral
 *   tdeci over noct / 4 * int exp(-u^2) dx,  u = 2 pi q (2^x - 1),
 * over the octaves x = log2(f / f0) with |u| < lint, computed here
 * numerically (the closed form tdeci over noct sqrt(pi) erf(lint) /
 * (8 pi q ln 2) to 1e-3 at q = 2). The lines being discrete, a given
 * frequency reads within about +-0.2 dB of it at the default over 4,
 * noct 48 (the sum's steps of 2 pi q ln 2 / (over noct) in u at the
 * edges |u| = lint). 0 if p is invalid.
 */
double tfr_hyper_full_scale(const tfr_hyper_params *p);

/* Frames consumed so far. */
int64_t tfr_hyper_frames(const tfr_hyper *h);

/* NULL does nothing. */
void tfr_hyper_free(tfr_hyper *h);

#ifdef __cplusplus
}
#endif

#endif /* TFR_HYPER_H */
