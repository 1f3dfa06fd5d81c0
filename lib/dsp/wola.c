/*
 * wola.c - streaming weighted overlap-add STFT with perfect
 * reconstruction (see tfr_wola.h).
 *
 * Why the envelope division: with analysis window w and synthesis window
 * g, overlap-add of unmodified frames gives x[n] * sum_m w[n-mH] g[n-mH].
 * Choosing g = w / sum_m w^2[n-mH] (the least-squares inverse of Griffin &
 * Lim 1984; librosa's window_sumsquare) makes that sum exactly 1 for any hop at which the
 * envelope has no zero, so the identity needs no special window/hop pair.
 */
#include "tfr_base.h"
#include "tfr_wola.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "tfr_fft.h"

#include "internal.h"

/* An envelope below this fraction of its maximum makes the inverse
 * ill-conditioned (noise gain > 1000): refuse such window/hop pairs. */
#define WOLA_MIN_ENVELOPE 1e-3

/*
 * The input and the overlap-add accumulator slide along buffers of
 * `cap` = SPAN frames' length: a block moves their window on by the hop,
 * and only when a window reaches the end are its samples moved back to
 * the front, once in several blocks, instead of the n - hop samples of
 * both every block.
 */
#define SPAN 3

struct tfr_wola {
	size_t n, hop, bins, cap;
	float *win;     /* analysis window, n */
	float *syn;     /* synthesis window incl. 1/n of the inverse DFT, n */
	float *in;      /* input, cap: the latest n samples at in + at */
	size_t at;
	float *frame;   /* windowed frame / inverse DFT output, n */
	float *acc;     /* overlap-add accumulator, cap: its n sums at
	                   acc + sum, zeros beyond them */
	size_t sum;
	tfr_cpx *spec;      /* bins */
	tfr_fft *fwd, *inv;
};

void tfr_wola_params_default(tfr_wola_params *p)
{
	p->fft_size = 2048;
	p->hop = 512;
	p->window = NULL;
}

int tfr_wola_check(const tfr_wola_params *p, tfr_diag *d)
{
	if (!p || p->fft_size < 2 || p->fft_size % 2 != 0 ||
	    p->fft_size > TFR_MAX_FFT_SIZE)
		return tfr_diag_set(d, TFR_EINVAL, "FFT size not even or not in "
		                    "[2, TFR_MAX_FFT_SIZE]");
	if (p->hop < 1 || p->hop > p->fft_size)
		return tfr_diag_set(d, TFR_EINVAL, "hop not in [1, FFT size]");
	return TFR_OK;
}

/* Periodic (DFT-even) Hann: exactly 3 non-zero DFT bins for a bin-centred
 * sinusoid, which keeps band delays exact (spectral-delay.md 3.3 item 5). */
static void fill_hann(double *w, size_t n)
{
	for (size_t i = 0; i < n; i++)
		w[i] = 0.5 - 0.5 * cos(2.0 * TFR_PI * (double)i / (double)n);
}

/* g[n] = w[n] / (N * env[n mod H]); returns 0 if env has a near-zero. */
static int make_synthesis(tfr_wola *w, const double *win)
{
	double *env = calloc(w->hop, sizeof *env);
	double emax = 0.0, emin = INFINITY;
	if (!env)
		return -1;
	for (size_t i = 0; i < w->n; i++)
		env[i % w->hop] += win[i] * win[i];
	for (size_t j = 0; j < w->hop; j++) {
		emax = fmax(emax, env[j]);
		emin = fmin(emin, env[j]);
	}
	if (!(emax > 0.0) || emin < WOLA_MIN_ENVELOPE * emax) {
		free(env);
		return 0;
	}
	for (size_t i = 0; i < w->n; i++) {
		w->win[i] = (float)win[i];
		w->syn[i] = (float)(win[i] / ((double)w->n * env[i % w->hop]));
	}
	free(env);
	return 1;
}

static int alloc_buffers(tfr_wola *w)
{
	w->win = malloc(w->n * sizeof *w->win);
	w->syn = malloc(w->n * sizeof *w->syn);
	w->in = calloc(w->cap, sizeof *w->in);
	w->frame = malloc(w->n * sizeof *w->frame);
	w->acc = calloc(w->cap, sizeof *w->acc);
	w->spec = malloc(w->bins * sizeof *w->spec);
	w->fwd = tfr_fft_new(w->n, 1, TFR_FFT_REAL_FORWARD, NULL);
	w->inv = tfr_fft_new(w->n, 1, TFR_FFT_REAL_INVERSE, NULL);
	return w->win && w->syn && w->in && w->frame && w->acc && w->spec &&
	       w->fwd && w->inv;
}

tfr_wola *tfr_wola_new(const tfr_wola_params *p, tfr_diag *d)
{
	double *hann = NULL;
	tfr_wola *w = NULL;
	tfr_diag_clear(d);
	if (tfr_wola_check(p, d) != TFR_OK)
		return NULL;
	if (!(w = calloc(1, sizeof *w)))
		goto nomem;
	w->n = p->fft_size;
	w->hop = p->hop;
	w->bins = w->n / 2 + 1;
	w->cap = SPAN * w->n;
	if (!alloc_buffers(w))
		goto nomem;
	const double *win = p->window;
	if (!win) {
		if (!(hann = malloc(w->n * sizeof *hann)))
			goto nomem;
		fill_hann(hann, w->n);
		win = hann;
	}
	int ok = make_synthesis(w, win);
	free(hann);
	if (ok < 0)
		goto nomem;
	if (ok == 0) {
		tfr_diag_set(d, TFR_EINVAL, "no exact inverse STFT for this window "
		             "and hop (their overlap envelope comes near zero)");
		tfr_wola_free(w);
		return NULL;
	}
	return w;
nomem:
	tfr_wola_free(w);
	tfr_diag_set(d, TFR_ENOMEM, NULL);
	return NULL;
}

size_t tfr_wola_bins(const tfr_wola *w) { return w->bins; }
size_t tfr_wola_hop(const tfr_wola *w) { return w->hop; }
size_t tfr_wola_fft_size(const tfr_wola *w) { return w->n; }
size_t tfr_wola_latency(const tfr_wola *w) { return w->n - w->hop; }

void tfr_wola_analyze(tfr_wola *w, const float *x, size_t stride,
                      float *spec)
{
	size_t keep = w->n - w->hop;

	if (w->at + w->hop + w->n > w->cap) {
		/* the window at the end: its samples to keep to the front */
		memmove(w->in, w->in + w->at + w->hop, keep * sizeof *w->in);
		w->at = 0;
	} else {
		w->at += w->hop;
	}
	float *in = w->in + w->at;
	for (size_t i = 0; i < w->hop; i++)
		in[keep + i] = x[i * stride];
	for (size_t i = 0; i < w->n; i++)
		w->frame[i] = in[i] * w->win[i];
	/* straight into spec: its floats are the bins' parts, which the
	 * transform stores as floats (spec's type from then on) */
	tfr_fft_forward(w->fwd, w->frame, (tfr_cpx *)(void *)spec);
}

const float *tfr_wola_dry(const tfr_wola *w)
{
	return w->in + w->at;
}

/* Overlap-add the inverse of spec (bins, may be overwritten by it) and
 * give the hop finished samples. */
static void overlap_add(tfr_wola *w, tfr_cpx *spec, float *y, size_t stride)
{
	size_t keep = w->n - w->hop;
	float *acc = w->acc + w->sum;

	tfr_fft_inverse(w->inv, spec, w->frame);
	for (size_t i = 0; i < w->n; i++)
		acc[i] += w->frame[i] * w->syn[i];
	for (size_t i = 0; i < w->hop; i++)
		y[i * stride] = acc[i];
	/* the sums given are done with: zeros again, as all beyond the
	 * window (the window's next hop, past its end, is then zero) */
	memset(acc, 0, w->hop * sizeof *acc);
	if (w->sum + w->hop + w->n <= w->cap) {
		w->sum += w->hop;
		return;
	}
	/* the window at the end: its open sums to the front, and zeros
	 * where they were and are no longer */
	size_t from = w->sum + w->hop, to = w->sum + w->n;
	memmove(w->acc, w->acc + from, keep * sizeof *acc);
	if (from < keep)
		from = keep;
	memset(w->acc + from, 0, (to - from) * sizeof *acc);
	w->sum = 0;
}

void tfr_wola_synthesize(tfr_wola *w, const float *spec, float *y,
                         size_t stride)
{
	memcpy(w->spec, spec, w->bins * sizeof *w->spec);
	overlap_add(w, w->spec, y, stride);
}

void tfr_wola_synthesize_scratch(tfr_wola *w, float *spec, float *y,
                                 size_t stride)
{
	overlap_add(w, (tfr_cpx *)(void *)spec, y, stride);
}

void tfr_wola_reset(tfr_wola *w)
{
	memset(w->in, 0, w->cap * sizeof *w->in);
	memset(w->acc, 0, w->cap * sizeof *w->acc);
	w->at = w->sum = 0;
}

void tfr_wola_free(tfr_wola *w)
{
	if (!w)
		return;
	free(w->win);
	free(w->syn);
	free(w->in);
	free(w->frame);
	free(w->acc);
	free(w->spec);
	tfr_fft_free(w->fwd);
	tfr_fft_free(w->inv);
	free(w);
}
