/*
 * synth_channels.c - one synthesiser per channel of a split partials
 * stream, outputs interleaved (tfr_synth_channels.h).
 *
 * A channel's samples are finished once its own breakpoints and the
 * stream's progress (tfr_synth_advance with the time of the latest
 * breakpoint of any channel) say so; what one channel has finished
 * waits in its buffer until every channel has: the wait is the lag of
 * the slowest channel, which its partials in flight bound.
 *
 * A channel that has had no partial yet is silence up to where a
 * partial still to come could fade in; its synthesiser, which finishes
 * nothing before its first segments (their phase verdict), is not asked:
 * the silence is made here and the synthesiser's own samples of that
 * span are skipped when they come. A silent channel so holds nothing
 * back, however long the sound.
 */
#include "tfr_base.h"
#include "tfr_synth_channels.h"
#include "internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

enum { CHUNK = 4096 };

struct chan {
	tfr_synth *s;
	float *buf;      /* finished samples not yet read */
	size_t n, cap;
	int64_t silent;  /* samples of silence made here (no partial yet) */
	int64_t skipped; /* of them, the synthesiser's skipped since */
	int done;        /* after _flush: everything is in buf */
};

struct tfr_synth_channels {
	int nch;
	struct chan *c;
	tfr_synth_params p;
	double time;     /* of the latest breakpoint (s) */
	int flushed;
	tfr_diag diag;
};

tfr_synth_channels *tfr_synth_channels_new(const tfr_synth_params *p,
                                           int channels, tfr_diag *d)
{
	if (channels < 1 || channels > TFR_MAX_CHANNELS) {
		tfr_diag_setf(d, TFR_EINVAL, "channels: %d is not in [1, %d]",
		              channels, TFR_MAX_CHANNELS);
		return NULL;
	}
	tfr_synth_channels *m = calloc(1, sizeof *m);
	if (m && !(m->c = calloc((size_t)channels, sizeof *m->c))) {
		free(m);
		m = NULL;
	}
	if (!m) {
		tfr_diag_set(d, TFR_ENOMEM, "out of memory");
		return NULL;
	}
	m->nch = channels;
	m->p = *p;
	m->time = -INFINITY;
	tfr_synth_params q = *p;
	for (int c = 0; c < channels; c++) {
		/* noise of each channel its own, as two recordings' is */
		q.seed = p->seed + (uint64_t)c;
		if (!(m->c[c].s = tfr_synth_new(&q, d))) {
			tfr_synth_channels_free(m);
			return NULL;
		}
	}
	return m;
}

int tfr_synth_channels_process(tfr_synth_channels *m, const tfr_breakpoint *bp,
                               size_t n)
{
	for (size_t i = 0; i < n; i++) {
		int64_t c = bp[i].channel;
		if (c < 1 || c > m->nch)
			return tfr_diag_setf(&m->diag, TFR_EFORMAT, "channel %lld is not "
			                     "in [1, %d]", (long long)c, m->nch);
		tfr_synth *s = m->c[c - 1].s;
		int e = tfr_synth_process(s, &bp[i], 1);
		if (e != TFR_OK) {
			m->diag = *tfr_synth_diag(s);
			return e;
		}
	}
	if (n)
		m->time = bp[n - 1].time;
	/* the others have gone as far (breakpoints come in time order) */
	for (int c = 0; n && c < m->nch; c++)
		if (tfr_synth_advance(m->c[c].s, bp[n - 1].time) != TFR_OK)
			return tfr_diag_set(&m->diag, TFR_EINVAL, "breakpoints after "
			                    "the end of input");
	return TFR_OK;
}

int tfr_synth_channels_flush(tfr_synth_channels *m)
{
	for (int c = 0; c < m->nch; c++) {
		int e = tfr_synth_flush(m->c[c].s);
		if (e != TFR_OK) {
			m->diag = *tfr_synth_diag(m->c[c].s);
			return e;
		}
	}
	m->flushed = 1;
	return TFR_OK;
}

/* A channel without a partial yet: silence up to where one still to
 * come fades in (as tfr_synth's horizon), at most the output's length. */
static int fill_silent(const tfr_synth_channels *m, struct chan *x)
{
	double fs = m->p.sample_rate;
	double h = floor((m->time - m->p.fade_time) * fs) + 1;
	if (m->p.length >= 0 && h > (double)m->p.length)
		h = (double)m->p.length;
	if (!(h > (double)x->silent))
		return TFR_OK;
	size_t k = (size_t)(h - (double)x->silent);
	if (tfr_grow((void **)&x->buf, &x->cap, x->n + k, sizeof *x->buf))
		return TFR_ENOMEM;
	memset(x->buf + x->n, 0, k * sizeof *x->buf);
	x->n += k;
	x->silent += (int64_t)k;
	return TFR_OK;
}

/* What channel x has finished, into its buffer (the silence made here
 * skipped). */
static int fill(const tfr_synth_channels *m, struct chan *x)
{
	tfr_synth_stats st;
	tfr_synth_get_stats(x->s, &st);
	if (!m->flushed && !st.partials)
		return fill_silent(m, x);
	size_t k;
	do {
		if (tfr_grow((void **)&x->buf, &x->cap, x->n + CHUNK, sizeof *x->buf))
			return TFR_ENOMEM;
		k = tfr_synth_read(x->s, x->buf + x->n, CHUNK);
		size_t drop = x->silent - x->skipped < (int64_t)k
		            ? (size_t)(x->silent - x->skipped) : k;
		x->skipped += (int64_t)drop;
		memmove(x->buf + x->n, x->buf + x->n + drop, (k - drop) * sizeof *x->buf);
		x->n += k - drop;
	} while (k == CHUNK);
	if (m->flushed && !k)
		x->done = 1;
	return TFR_OK;
}

/* Every channel ended: the shorter ones completed with silence. */
static int pad(tfr_synth_channels *m)
{
	size_t len = 0;
	for (int c = 0; c < m->nch; c++) {
		if (!m->c[c].done)
			return TFR_OK;
		len = m->c[c].n > len ? m->c[c].n : len;
	}
	for (int c = 0; c < m->nch; c++) {
		struct chan *x = &m->c[c];
		if (tfr_grow((void **)&x->buf, &x->cap, len, sizeof *x->buf))
			return TFR_ENOMEM;
		memset(x->buf + x->n, 0, (len - x->n) * sizeof *x->buf);
		x->n = len;
	}
	return TFR_OK;
}

int tfr_synth_channels_read(tfr_synth_channels *m, float *out, size_t max,
                            size_t *got)
{
	*got = 0;
	size_t k = max;
	for (int c = 0; c < m->nch; c++) {
		if (!m->c[c].done && fill(m, &m->c[c]) != TFR_OK)
			return tfr_diag_set(&m->diag, TFR_ENOMEM, NULL);
	}
	if (m->flushed && pad(m) != TFR_OK)
		return tfr_diag_set(&m->diag, TFR_ENOMEM, NULL);
	for (int c = 0; c < m->nch; c++)
		k = m->c[c].n < k ? m->c[c].n : k;
	size_t nch = (size_t)m->nch;
	for (size_t c = 0; k && c < nch; c++) {
		struct chan *x = &m->c[c];
		for (size_t i = 0; i < k; i++)
			out[i * nch + c] = x->buf[i];
		memmove(x->buf, x->buf + k, (x->n - k) * sizeof *x->buf);
		x->n -= k;
	}
	*got = k;
	return TFR_OK;
}

const tfr_diag *tfr_synth_channels_diag(const tfr_synth_channels *m)
{
	return &m->diag;
}

void tfr_synth_channels_get_stats(const tfr_synth_channels *m, tfr_synth_stats *st)
{
	memset(st, 0, sizeof *st);
	for (int c = 0; c < m->nch; c++) {
		tfr_synth_stats x;
		tfr_synth_get_stats(m->c[c].s, &x);
		st->partials += x.partials;
		st->breakpoints += x.breakpoints;
		st->merged += x.merged;
		st->samples += x.samples;
		st->seg_stored += x.seg_stored;
		st->seg_bent += x.seg_bent;
		st->seg_free += x.seg_free;
		st->alive += x.alive;
		st->held += x.held;
		st->bytes += x.bytes;
	}
}

void tfr_synth_channels_free(tfr_synth_channels *m)
{
	if (!m)
		return;
	for (int c = 0; c < m->nch; c++) {
		tfr_synth_free(m->c[c].s);
		free(m->c[c].buf);
	}
	free(m->c);
	free(m);
}
