/*
 * stochastic_synth.c - noise from a stochastic envelope (tfr_stochastic.h).
 *
 * Envelope frames come as band records; each, once complete (a record
 * of a later time, or the end), becomes the power of every FFT bin of
 * the synthesiser's window (a band's power spread over the bins it
 * covers, by the share of each bin's width inside it) and waits in a
 * queue. Output frames are made when read: frame j (centred on sample
 * j hop) needs the envelope frames on both sides of its time, after
 * which the queue's older frames go. The output accumulates in a buffer
 * of two windows; samples before the next frame's first are final.
 */
#include "tfr_stochastic.h"
#include "internal.h"

#include "tfr_fft.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

struct env {
	double time;
	float *pw;             /* nbins powers */
};

struct tfr_noise_synth {
	tfr_noise_synth_params p;
	size_t n, hop, nbins;
	float *w;
	float *frame;
	tfr_cpx *spec;
	tfr_fft *ifft;
	double scale;          /* gain / sqrt(sum of overlapping w^2) */
	/* the envelope frame being read */
	tfr_noise_band *cur;
	size_t ncur;
	double last_time;      /* of the last record, -inf at first */
	/* complete envelope frames, oldest first: q[qhead .. qhead + nq) */
	struct env *q;
	size_t qhead, nq, capq;
	float **spare;         /* power arrays free for reuse */
	size_t nspare, capspare;
	int64_t frames;        /* envelope frames complete */
	double end_time;       /* of the last one */
	/* output */
	float *acc;            /* 2 n samples: acc[off] is sample base */
	size_t off;
	int64_t base;          /* first sample not read */
	int64_t next;          /* the next output frame to make */
	int64_t length;        /* resolved at flush when -1 */
	int flushed;
	tfr_diag diag;
};

void tfr_noise_synth_params_default(tfr_noise_synth_params *p)
{
	p->sample_rate = 44100;
	p->window = 0;
	p->seed = 1;
	p->gain = 1;
	p->length = -1;
}

int tfr_noise_synth_check(const tfr_noise_synth_params *p, tfr_diag *d)
{
	tfr_diag_clear(d);
	if (!p)
		return tfr_diag_set(d, TFR_EINVAL, "no parameters");
	if (!(p->sample_rate > 0 && p->sample_rate <= TFR_MAX_SAMPLE_RATE))
		return tfr_diag_set(d, TFR_EINVAL, "sample_rate must be in (0, 1e7] Hz");
	if (p->window && (p->window < 16 || p->window % 4 || p->window > TFR_MAX_FFT_SIZE))
		return tfr_diag_set(d, TFR_EINVAL,
		                    "window must be a multiple of 4, from 16 to 4194304 samples");
	if (!(p->gain >= 0 && p->gain <= 1e12))
		return tfr_diag_set(d, TFR_EINVAL, "gain must be in [0, 1e12]");
	if (p->length < -1)
		return tfr_diag_set(d, TFR_EINVAL, "length must be -1 or at least 0");
	return TFR_OK;
}

tfr_noise_synth *tfr_noise_synth_new(const tfr_noise_synth_params *p, tfr_diag *d)
{
	if (tfr_noise_synth_check(p, d) != TFR_OK)
		return NULL;
	tfr_noise_synth *s = calloc(1, sizeof *s);
	if (!s)
		goto nomem;
	s->p = *p;
	s->n = p->window ? p->window : tfr_stochastic_window(p->sample_rate);
	s->hop = s->n / 4;
	s->nbins = s->n / 2 + 1;
	s->w = malloc(s->n * sizeof *s->w);
	s->frame = malloc(s->n * sizeof *s->frame);
	s->spec = malloc(s->nbins * sizeof *s->spec);
	s->acc = malloc(2 * s->n * sizeof *s->acc);
	s->cur = malloc(TFR_STOCHASTIC_MAX_BANDS * sizeof *s->cur);
	s->ifft = tfr_fft_new(s->n, 1, TFR_FFT_REAL_INVERSE, NULL);
	if (!s->w || !s->frame || !s->spec || !s->acc || !s->cur || !s->ifft)
		goto nomem;
	for (size_t i = 0; i < s->n; i++)
		s->w[i] = (float)(0.5 - 0.5 * cos(TFR_2PI * (double)i / (double)s->n));
	/* a periodic Hann window's squares overlapping every quarter of it
	 * add up to 3/2 everywhere */
	s->scale = p->gain / sqrt(1.5);
	tfr_noise_synth_reset(s);
	return s;
nomem:
	tfr_noise_synth_free(s);
	tfr_diag_set(d, TFR_ENOMEM, "out of memory");
	return NULL;
}

/* The frame read so far, as bin powers, onto the queue. */
static int complete(tfr_noise_synth *s)
{
	if (!s->ncur)
		return TFR_OK;
	float *pw;
	if (s->nspare) {
		pw = s->spare[--s->nspare];
	} else if (!(pw = malloc(s->nbins * sizeof *pw))) {
		return TFR_ENOMEM;
	}
	if (s->qhead && s->qhead + s->nq == s->capq) {
		memmove(s->q, s->q + s->qhead, s->nq * sizeof *s->q);
		s->qhead = 0;
	}
	if (tfr_grow((void **)&s->q, &s->capq, s->qhead + s->nq + 1, sizeof *s->q)) {
		free(pw);
		return TFR_ENOMEM;
	}
	/* bin k covers [k - 1/2, k + 1/2) bins of width fs / n, within
	 * [0, fs / 2]; a band of density power / (hi - lo) gives it the
	 * power of their overlap */
	double bw = s->p.sample_rate / (double)s->n, nyq = s->p.sample_rate / 2;
	size_t b = 0;
	for (size_t k = 0; k < s->nbins; k++) {
		double lo = fmax(0, ((double)k - 0.5) * bw);
		double hi = fmin(nyq, ((double)k + 0.5) * bw);
		while (b < s->ncur && s->cur[b].hi <= lo)
			b++;
		double e = 0;
		for (size_t c = b; c < s->ncur && s->cur[c].lo < hi; c++) {
			double o = fmin(hi, s->cur[c].hi) - fmax(lo, s->cur[c].lo);
			if (o > 0)
				e += s->cur[c].power * o / (s->cur[c].hi - s->cur[c].lo);
		}
		pw[k] = (float)e;
	}
	struct env *v = &s->q[s->qhead + s->nq++];
	v->time = s->cur[0].time;
	v->pw = pw;
	s->end_time = v->time;
	s->frames++;
	s->ncur = 0;
	return TFR_OK;
}

static int bad(tfr_noise_synth *s, const char *why)
{
	return tfr_diag_set(&s->diag, TFR_EFORMAT, why);
}

int tfr_noise_synth_process(tfr_noise_synth *s, const tfr_noise_band *b, size_t n)
{
	tfr_diag_clear(&s->diag);
	if (s->flushed)
		return tfr_diag_set(&s->diag, TFR_EINVAL, "input after the end");
	for (size_t i = 0; i < n; i++) {
		const tfr_noise_band *r = &b[i];
		/* 2^42 samples, as tfr_synth: an output of terabytes is a fault */
		if (!(fabs(r->time) * s->p.sample_rate <= 4398046511104.0))
			return bad(s, "time is not a finite number within 2^42 samples");
		if (!(r->lo >= 0 && r->hi > r->lo && r->hi <= 1e9))
			return bad(s, "a band must have 0 <= lo < hi");
		if (!(r->power >= 0 && r->power <= 1e30))
			return bad(s, "power must be a number from 0 to 1e30");
		if (r->time < s->last_time)
			return tfr_diag_setf(&s->diag, TFR_EFORMAT,
			                     "time goes back from %.9g to %.9g s",
			                     s->last_time, r->time);
		if (r->time > s->last_time) {
			int e = complete(s);
			if (e)
				return tfr_diag_set(&s->diag, e, "out of memory");
		} else if (s->ncur && r->lo < s->cur[s->ncur - 1].hi) {
			return bad(s, "the bands of a frame overlap or are not in "
			              "increasing frequency");
		}
		if (s->ncur == TFR_STOCHASTIC_MAX_BANDS)
			return bad(s, "a frame of more than 4096 bands");
		s->last_time = r->time;
		s->cur[s->ncur++] = *r;
	}
	return TFR_OK;
}

int tfr_noise_synth_flush(tfr_noise_synth *s)
{
	tfr_diag_clear(&s->diag);
	if (s->flushed)
		return TFR_OK;
	if (complete(s))
		return tfr_diag_set(&s->diag, TFR_ENOMEM, "out of memory");
	s->flushed = 1;
	if (s->length < 0)
		s->length = s->frames ? (int64_t)llround(s->end_time * s->p.sample_rate) +
		                        (int64_t)s->hop : 0;
	if (s->length < 0)
		s->length = 0;
	return TFR_OK;
}

static uint64_t mix64(uint64_t z)
{
	z += 0x9E3779B97F4A7C15ULL;
	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
	return z ^ (z >> 31);
}

/* Output frame j with the bin powers of envelopes a and b mixed by x. */
static void render(tfr_noise_synth *s, int64_t j, const float *a, const float *b,
                   double x)
{
	uint64_t h = mix64(s->p.seed ^ mix64((uint64_t)j));
	size_t last = s->n / 2;
	for (size_t k = 0; k < s->nbins; k++) {
		double pk = b ? (1 - x) * a[k] + x * b[k] : a[k];
		uint64_t r = mix64(h + k);
		if (k == 0 || k == last) {
			s->spec[k].r = (float)((r >> 63) ? -sqrt(pk) : sqrt(pk));
			s->spec[k].i = 0;
		} else {
			/* a cosine of amplitude sqrt(2 pk): half of it here, the
			 * other half in the mirrored bin */
			double ph = TFR_2PI * (double)(r >> 11) * 0x1p-53;
			double m = sqrt(pk / 2);
			s->spec[k].r = (float)(m * cos(ph));
			s->spec[k].i = (float)(m * sin(ph));
		}
	}
	tfr_fft_inverse(s->ifft, s->spec, s->frame);
	int64_t first = j * (int64_t)s->hop - (int64_t)s->n / 2;
	for (size_t i = 0; i < s->n; i++) {
		int64_t at = first + (int64_t)i;
		if (at < s->base)
			continue;
		s->acc[s->off + (size_t)(at - s->base)] += (float)(s->scale * s->w[i] * s->frame[i]);
	}
}

/* Make the next output frame if the envelope allows: 1 made, 0 not
 * yet. */
static int make_next(tfr_noise_synth *s)
{
	double t = (double)s->next * (double)s->hop / s->p.sample_rate;
	/* the older frames go while the one after them is not later than t */
	while (s->nq >= 2 && s->q[s->qhead + 1].time <= t) {
		if (tfr_grow((void **)&s->spare, &s->capspare, s->nspare + 1, sizeof *s->spare))
			free(s->q[s->qhead].pw);
		else
			s->spare[s->nspare++] = s->q[s->qhead].pw;
		s->qhead++;
		s->nq--;
	}
	const float *a = NULL, *b = NULL;
	double x = 0;
	if (s->nq && (s->q[s->qhead].time >= t || (s->nq == 1 && s->flushed))) {
		a = s->q[s->qhead].pw;  /* before the first, after the last */
	} else if (s->nq >= 2) {
		const struct env *u = &s->q[s->qhead], *v = u + 1;
		a = u->pw;
		b = v->pw;
		x = (t - u->time) / (v->time - u->time);
	} else if (!s->flushed) {
		return 0;
	}
	/* room for the frame: it ends a window after base */
	if (s->off > s->n) {
		memmove(s->acc, s->acc + s->off, (2 * s->n - s->off) * sizeof *s->acc);
		memset(s->acc + 2 * s->n - s->off, 0, s->off * sizeof *s->acc);
		s->off = 0;
	}
	if (a)
		render(s, s->next, a, b, x);
	s->next++;
	return 1;
}

size_t tfr_noise_synth_read(tfr_noise_synth *s, float *out, size_t max)
{
	size_t got = 0;
	while (got < max) {
		int64_t end = s->next * (int64_t)s->hop - (int64_t)s->n / 2;
		if (s->length >= 0 && end > s->length)
			end = s->length;
		if (end > s->base) {
			size_t k = (size_t)(end - s->base) < max - got ? (size_t)(end - s->base)
			                                               : max - got;
			memcpy(out + got, s->acc + s->off, k * sizeof *out);
			memset(s->acc + s->off, 0, k * sizeof *out);
			s->off += k;
			s->base += (int64_t)k;
			got += k;
			continue;
		}
		if (s->length >= 0 && s->base >= s->length)
			break;
		if (!make_next(s))
			break;
	}
	return got;
}

const tfr_diag *tfr_noise_synth_diag(const tfr_noise_synth *s)
{
	return &s->diag;
}

int64_t tfr_noise_synth_frames(const tfr_noise_synth *s)
{
	return s->frames;
}

void tfr_noise_synth_reset(tfr_noise_synth *s)
{
	for (size_t i = 0; i < s->nq; i++) {
		free(s->q[s->qhead + i].pw);
	}
	s->qhead = s->nq = 0;
	s->ncur = 0;
	s->last_time = -INFINITY;
	s->frames = 0;
	s->end_time = 0;
	memset(s->acc, 0, 2 * s->n * sizeof *s->acc);
	s->off = 0;
	s->base = 0;
	/* the first frame that reaches sample 0 */
	s->next = -(int64_t)(s->n / 2 / s->hop) + 1;
	s->length = s->p.length;
	s->flushed = 0;
	tfr_diag_clear(&s->diag);
}

void tfr_noise_synth_free(tfr_noise_synth *s)
{
	if (!s)
		return;
	if (s->q)
		for (size_t i = 0; i < s->nq; i++)
			free(s->q[s->qhead + i].pw);
	for (size_t i = 0; i < s->nspare; i++)
		free(s->spare[i]);
	free(s->spare);
	free(s->q);
	free(s->w);
	free(s->frame);
	free(s->spec);
	free(s->acc);
	free(s->cur);
	tfr_fft_free(s->ifft);
	free(s);
}
