/*
 * stochastic.c - the spectral envelope of a residual as band powers per
 * frame (tfr_stochastic.h).
 *
 * The input goes into a buffer that holds one window, starting with half
 * a window of zeros (frame 0 is centred on sample 0); every time it is
 * full a frame is analysed and the buffer moves on by a hop. A band's
 * power is the periodogram summed over its bins, each bin counted twice
 * but for 0 Hz and Nyquist (the negative frequencies), over N sum w^2
 * (Parseval: the bins of a frame then add up to its windowed mean
 * square, and white noise reads its variance times the band's share of
 * 0..fs/2).
 */
#include "tfr_stochastic.h"
#include "internal.h"

#include "tfr_fft.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

struct tfr_stochastic {
	tfr_stochastic_params p;
	size_t n, hop, nb;      /* window, hop, bands */
	size_t *edge;           /* nb + 1 bin edges: band b is bins
	                           [edge[b], edge[b + 1]) */
	float *w, *buf, *frame;
	tfr_cpx *spec;
	tfr_fft *fft;
	double norm;            /* 1 / (N sum w^2) */
	size_t fill;            /* samples in buf */
	int64_t taken;          /* input samples */
	int64_t frames;         /* frames made */
	int flushed, handed;
	tfr_noise_band *out;
	size_t nout, capout;
};

size_t tfr_stochastic_window(double fs)
{
	double want = 0.0232 * fs;
	size_t n = 16;
	while (n < ((size_t)1 << 22) && fabs(log2((double)n * 2 / want)) < fabs(log2((double)n / want)))
		n *= 2;
	return n;
}

void tfr_stochastic_params_default(tfr_stochastic_params *p)
{
	p->sample_rate = 44100;
	p->window = 0;
	p->hop = 0;
	p->bands = 128;
}

int tfr_stochastic_check(const tfr_stochastic_params *p, tfr_diag *d)
{
	tfr_diag_clear(d);
	if (!p)
		return tfr_diag_set(d, TFR_EINVAL, "no parameters");
	if (!(p->sample_rate > 0 && p->sample_rate <= TFR_MAX_SAMPLE_RATE))
		return tfr_diag_set(d, TFR_EINVAL, "sample_rate must be in (0, 1e7] Hz");
	if (p->window && (p->window < 16 || p->window % 2 || p->window > TFR_MAX_FFT_SIZE))
		return tfr_diag_set(d, TFR_EINVAL,
		                    "window must be even, from 16 to 4194304 samples");
	size_t n = p->window ? p->window : tfr_stochastic_window(p->sample_rate);
	if (p->hop > n)
		return tfr_diag_set(d, TFR_EINVAL, "hop must not exceed the window");
	if (p->bands < 1 || p->bands > TFR_STOCHASTIC_MAX_BANDS)
		return tfr_diag_set(d, TFR_EINVAL, "bands must be from 1 to 4096");
	return TFR_OK;
}

static double erb_rate(double f)
{
	return 21.4 * log10(1 + 0.00437 * f);
}

static double erb_freq(double e)
{
	return (pow(10, e / 21.4) - 1) / 0.00437;
}

/* Band edges in bins: equal steps of ERB rate, two bins at least. */
static size_t make_edges(size_t *edge, size_t bands, size_t n, double fs)
{
	size_t nbins = n / 2 + 1, nb = 0;
	double top = erb_rate(fs / 2);
	edge[0] = 0;
	for (size_t b = 1; b < bands; b++) {
		size_t e = (size_t)ceil(erb_freq(top * (double)b / (double)bands) * (double)n / fs);
		if (e >= edge[nb] + 2 && e + 2 <= nbins)
			edge[++nb] = e;
	}
	edge[++nb] = nbins;
	return nb;
}

tfr_stochastic *tfr_stochastic_new(const tfr_stochastic_params *p, tfr_diag *d)
{
	if (tfr_stochastic_check(p, d) != TFR_OK)
		return NULL;
	tfr_stochastic *s = calloc(1, sizeof *s);
	if (!s)
		goto nomem;
	s->p = *p;
	s->n = p->window ? p->window : tfr_stochastic_window(p->sample_rate);
	s->hop = p->hop ? p->hop : s->n / 4;
	s->edge = malloc((p->bands + 1) * sizeof *s->edge);
	s->w = malloc(s->n * sizeof *s->w);
	s->buf = malloc(s->n * sizeof *s->buf);
	s->frame = malloc(s->n * sizeof *s->frame);
	s->spec = malloc((s->n / 2 + 1) * sizeof *s->spec);
	s->fft = tfr_fft_new(s->n, 1, TFR_FFT_REAL_FORWARD, NULL);
	if (!s->edge || !s->w || !s->buf || !s->frame || !s->spec || !s->fft ||
	    tfr_grow((void **)&s->out, &s->capout, 1, sizeof *s->out))
		goto nomem;
	s->nb = make_edges(s->edge, p->bands, s->n, p->sample_rate);
	double sw2 = 0;
	for (size_t i = 0; i < s->n; i++) {
		s->w[i] = (float)(0.5 - 0.5 * cos(TFR_2PI * (double)i / (double)s->n));
		sw2 += (double)s->w[i] * s->w[i];
	}
	s->norm = 1 / ((double)s->n * sw2);
	tfr_stochastic_reset(s);
	return s;
nomem:
	tfr_stochastic_free(s);
	tfr_diag_set(d, TFR_ENOMEM, "out of memory");
	return NULL;
}

size_t tfr_stochastic_window_of(const tfr_stochastic *s) { return s->n; }
size_t tfr_stochastic_hop_of(const tfr_stochastic *s) { return s->hop; }
size_t tfr_stochastic_bands_of(const tfr_stochastic *s) { return s->nb; }
int64_t tfr_stochastic_samples(const tfr_stochastic *s) { return s->taken; }

/* The frame in buf: its bands out, buf moved on by a hop. */
static int analyse(tfr_stochastic *s)
{
	if (tfr_grow((void **)&s->out, &s->capout, s->nout + s->nb, sizeof *s->out))
		return TFR_ENOMEM;
	for (size_t i = 0; i < s->n; i++)
		s->frame[i] = s->w[i] * s->buf[i];
	tfr_fft_forward(s->fft, s->frame, s->spec);
	double fs = s->p.sample_rate, bin = fs / (double)s->n;
	double t = (double)s->frames * (double)s->hop / fs;
	size_t last = s->n / 2;
	for (size_t b = 0; b < s->nb; b++) {
		double e = 0;
		for (size_t k = s->edge[b]; k < s->edge[b + 1]; k++) {
			double pk = (double)s->spec[k].r * s->spec[k].r +
			            (double)s->spec[k].i * s->spec[k].i;
			e += (k == 0 || k == last) ? pk : 2 * pk;
		}
		tfr_noise_band *o = &s->out[s->nout++];
		o->time = t;
		o->lo = fmax(0, ((double)s->edge[b] - 0.5) * bin);
		o->hi = fmin(fs / 2, ((double)s->edge[b + 1] - 0.5) * bin);
		o->power = e * s->norm;
	}
	s->frames++;
	memmove(s->buf, s->buf + s->hop, (s->n - s->hop) * sizeof *s->buf);
	s->fill -= s->hop;
	return TFR_OK;
}

static void start_call(tfr_stochastic *s)
{
	if (s->handed) {
		s->nout = 0;
		s->handed = 0;
	}
}

int tfr_stochastic_process(tfr_stochastic *s, const float *x, size_t n)
{
	start_call(s);
	if (s->flushed)
		return TFR_EINVAL;
	for (size_t i = 0; i < n;) {
		size_t k = s->n - s->fill < n - i ? s->n - s->fill : n - i;
		for (size_t j = 0; j < k; j++) {
			float v = x[i + j];
			if (!(fabsf(v) <= TFR_MAX_SAMPLE)) {
				s->taken += (int64_t)j;
				s->fill += j;
				return TFR_EFORMAT;
			}
			s->buf[s->fill + j] = v;
		}
		s->fill += k;
		s->taken += (int64_t)k;
		i += k;
		if (s->fill == s->n && analyse(s))
			return TFR_ENOMEM;
	}
	return TFR_OK;
}

int tfr_stochastic_flush(tfr_stochastic *s)
{
	start_call(s);
	if (s->flushed)
		return TFR_OK;
	/* every frame centred on a sample of the input: m hop <= taken - 1 */
	while (s->taken > 0 && s->frames * (int64_t)s->hop <= s->taken - 1) {
		memset(s->buf + s->fill, 0, (s->n - s->fill) * sizeof *s->buf);
		s->fill = s->n;
		if (analyse(s))
			return TFR_ENOMEM;
	}
	s->flushed = 1;
	return TFR_OK;
}

const tfr_noise_band *tfr_stochastic_ready(tfr_stochastic *s, size_t *n)
{
	*n = s->nout;
	s->handed = 1;
	return s->out;
}

void tfr_stochastic_reset(tfr_stochastic *s)
{
	memset(s->buf, 0, s->n * sizeof *s->buf);
	s->fill = s->n / 2;
	s->taken = 0;
	s->frames = 0;
	s->flushed = 0;
	s->handed = 0;
	s->nout = 0;
}

void tfr_stochastic_free(tfr_stochastic *s)
{
	if (!s)
		return;
	free(s->edge);
	free(s->w);
	free(s->buf);
	free(s->frame);
	free(s->spec);
	tfr_fft_free(s->fft);
	free(s->out);
	free(s);
}
