/* hyper_bank.c - several hyper-resolution histograms of one stream
 * (tfr_hyper_bank.h): the channel splitting and the q of a picture. */
#include "tfr_base.h"
#include "tfr_hyper_bank.h"
#include "hyper_state.h"

#include <stdlib.h>
#include <string.h>

enum { CHUNK = 8192 };

struct tfr_hyper_bank {
	tfr_hyper **h;
	size_t n, per_q;
	int channels, split;
	float *mono;            /* one channel of a chunk (split) */
};

void tfr_hyper_bank_params_default(tfr_hyper_bank_params *p)
{
	static const double two = 2;
	memset(p, 0, sizeof *p);
	tfr_hyper_params_default(&p->hyper);
	p->q = &two;
	p->nq = 1;
	p->channels = 1;
}

int tfr_hyper_bank_check(const tfr_hyper_bank_params *p, tfr_diag *d)
{
	if (!p->q || p->nq < 1)
		return tfr_diag_set(d, TFR_EINVAL, "no q");
	if (p->channels < 1 || p->channels > TFR_MAX_CHANNELS)
		return tfr_diag_set(d, TFR_EINVAL, "channel count out of range");
	size_t n = p->nq * (p->split ? (size_t)p->channels : 1);
	if (n > TFR_HYPER_BANK_MAX)
		return tfr_diag_setf(d, TFR_EINVAL, "%zu histograms (%zu q x %d "
		                     "channels split): at most %d", n, p->nq,
		                     p->split ? p->channels : 1, TFR_HYPER_BANK_MAX);
	tfr_hyper_params hp = p->hyper;
	hp.channels = p->split ? 1 : p->channels;
	double lines = 0, bytes = 0, per_q = p->split ? p->channels : 1;
	for (size_t i = 0; i < p->nq; i++) {
		hp.q = p->q[i];
		double l, b;
		int e = tfr_hyper_check_costs(&hp, &l, &b, d);
		if (e != TFR_OK)
			return e;
		lines += per_q * l;
		bytes += per_q * b;
	}
	/* the limits of one histogram hold for them all together */
	if (lines > TFR_HYPER_MAX_LINES)
		return tfr_diag_setf(d, TFR_EINVAL, "%.0f scan lines x %d channels "
		                     "x %zu q: at most %d (fewer channels or q, "
		                     "bins per octave, scan lines per bin, or a "
		                     "narrower band)", lines / p->channels / (double)p->nq,
		                     p->channels, p->nq, TFR_HYPER_MAX_LINES);
	if (bytes > TFR_HYPER_MAX_MEMORY)
		return tfr_diag_setf(d, TFR_EINVAL, "the analysis would take %.4g MB "
		                     "before any input, more than %d MB (fewer q, "
		                     "threads or channels, a longer time bin)",
		                     bytes / 1048576, TFR_HYPER_MAX_MEMORY >> 20);
	return TFR_OK;
}

tfr_hyper_bank *tfr_hyper_bank_new(const tfr_hyper_bank_params *p,
                                   tfr_diag *d)
{
	tfr_diag_clear(d);
	if (tfr_hyper_bank_check(p, d) != TFR_OK)
		return NULL;
	tfr_hyper_bank *b = calloc(1, sizeof *b);
	if (!b)
		goto nomem;
	b->channels = p->channels;
	b->split = p->split;
	b->per_q = p->split ? (size_t)p->channels : 1;
	b->n = p->nq * b->per_q;
	if (!(b->h = calloc(b->n, sizeof *b->h)) ||
	    (p->split && !(b->mono = malloc(CHUNK * sizeof *b->mono))))
		goto nomem;
	tfr_hyper_params hp = p->hyper;
	hp.channels = p->split ? 1 : p->channels;
	for (size_t i = 0; i < b->n; i++) {
		hp.q = p->q[i / b->per_q];
		if (!(b->h[i] = tfr_hyper_new(&hp, d))) {
			tfr_hyper_bank_free(b);
			return NULL;
		}
	}
	return b;
nomem:
	tfr_hyper_bank_free(b);
	tfr_diag_set(d, TFR_ENOMEM, NULL);
	return NULL;
}

int tfr_hyper_bank_process(tfr_hyper_bank *b, const float *x, size_t nframes)
{
	size_t C = (size_t)b->channels;
	for (size_t off = 0; off < nframes; off += CHUNK) {
		size_t n = nframes - off < CHUNK ? nframes - off : CHUNK;
		const float *chunk = x + off * C;
		for (size_t i = 0; i < b->n; i++) {
			int e;
			if (b->split) {
				size_t c = i % C;
				for (size_t k = 0; k < n; k++)
					b->mono[k] = chunk[k * C + c];
				e = tfr_hyper_process(b->h[i], b->mono, n);
			} else {
				e = tfr_hyper_process(b->h[i], chunk, n);
			}
			if (e != TFR_OK)
				return e;
		}
	}
	return TFR_OK;
}

static int each(tfr_hyper_bank *b, int (*f)(tfr_hyper *))
{
	for (size_t i = 0; i < b->n; i++) {
		int e = f(b->h[i]);
		if (e != TFR_OK)
			return e;
	}
	return TFR_OK;
}

int tfr_hyper_bank_flush(tfr_hyper_bank *b)
{
	return each(b, tfr_hyper_flush);
}

int tfr_hyper_bank_end(tfr_hyper_bank *b)
{
	return each(b, tfr_hyper_end);
}

/* Histograms of other q reach farther (q / minf): the rows final in
 * all of them. Released together, they share the first row. */
void tfr_hyper_bank_ready(const tfr_hyper_bank *b, size_t *first, size_t *n)
{
	tfr_hyper_ready(b->h[0], first, n);
	for (size_t i = 1; i < b->n; i++) {
		size_t f, m;
		tfr_hyper_ready(b->h[i], &f, &m);
		if (m < *n)
			*n = m;
	}
}

int tfr_hyper_bank_release(tfr_hyper_bank *b, size_t upto)
{
	for (size_t i = 0; i < b->n; i++) {
		int e = tfr_hyper_release(b->h[i], upto);
		if (e != TFR_OK)
			return e;
	}
	return TFR_OK;
}

void tfr_hyper_bank_threshold(tfr_hyper_bank *b, size_t first, size_t n)
{
	for (size_t i = 0; i < b->n; i++)
		tfr_hyper_threshold(b->h[i], first, n);
}

size_t tfr_hyper_bank_count(const tfr_hyper_bank *b)
{
	return b->n;
}

const tfr_hyper *tfr_hyper_bank_get(const tfr_hyper_bank *b, size_t i)
{
	return i < b->n ? b->h[i] : NULL;
}

void tfr_hyper_bank_reset(tfr_hyper_bank *b)
{
	for (size_t i = 0; i < b->n; i++)
		tfr_hyper_reset(b->h[i]);
}

void tfr_hyper_bank_free(tfr_hyper_bank *b)
{
	if (!b)
		return;
	for (size_t i = 0; b->h && i < b->n; i++)
		tfr_hyper_free(b->h[i]);
	free(b->h);
	free(b->mono);
	free(b);
}
