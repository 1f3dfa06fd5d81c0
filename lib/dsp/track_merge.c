/*
 * track_merge.c - the breakpoints of several channels' trackers merged
 * into one partials stream (tfr_track_merge.h).
 *
 * Each channel has a queue of breakpoints waiting and a horizon. The
 * earliest head of a queue leaves when no channel with an empty queue
 * has a horizon before it (the channels with a waiting head are not
 * earlier: it is the earliest). A partial's global id is given when its
 * first breakpoint leaves, from (channel, local id), and forgotten at
 * its end.
 */
#include "tfr_base.h"
#include "tfr_track_merge.h"
#include "idmap.h"
#include "internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

struct queue {
	tfr_breakpoint *v;
	size_t head, n, cap;   /* waiting: v[head .. n-1] */
	double horizon;
	double last;           /* time of the last breakpoint taken */
};

struct tfr_track_merge {
	int nch;
	struct queue *q;
	idmap ids;             /* local id x nch + channel - 1 -> global id */
	int64_t next_id;
	tfr_breakpoint *out;
	size_t nout, out_cap;
	int out_taken;
};

tfr_track_merge *tfr_track_merge_new(int channels, tfr_diag *d)
{
	if (channels < 1 || channels > TFR_MAX_CHANNELS) {
		tfr_diag_setf(d, TFR_EINVAL, "channels: %d is not in [1, %d]",
		              channels, TFR_MAX_CHANNELS);
		return NULL;
	}
	tfr_track_merge *m = calloc(1, sizeof *m);
	if (m)
		m->q = calloc((size_t)channels, sizeof *m->q);
	if (m && m->q && tfr_grow((void **)&m->out, &m->out_cap, 64, sizeof *m->out))
		m->out_cap = 0;
	if (!m || !m->q || !m->out_cap) {
		if (m)
			free(m->q);
		free(m);
		tfr_diag_set(d, TFR_ENOMEM, "out of memory");
		return NULL;
	}
	m->nch = channels;
	for (int c = 0; c < channels; c++)
		m->q[c].horizon = m->q[c].last = -INFINITY;
	idmap_init(&m->ids);
	return m;
}

/* Room for n more at the end of q, the taken ones moved out first. */
static int queue_reserve(struct queue *q, size_t n)
{
	if (q->head && q->n + n > q->cap) {
		memmove(q->v, q->v + q->head, (q->n - q->head) * sizeof *q->v);
		q->n -= q->head;
		q->head = 0;
	}
	return tfr_grow((void **)&q->v, &q->cap, q->n + n, sizeof *q->v);
}

int tfr_track_merge_process(tfr_track_merge *m, int channel,
                            const tfr_breakpoint *bp, size_t n, double horizon)
{
	if (channel < 1 || channel > m->nch || (n && !bp))
		return TFR_EINVAL;
	struct queue *q = &m->q[channel - 1];
	if (isnan(horizon) || horizon < q->horizon)
		return TFR_EINVAL;
	double t = q->last;
	for (size_t i = 0; i < n; i++) {
		if (!(bp[i].time >= t && bp[i].time >= q->horizon) || bp[i].partial < 0)
			return TFR_EINVAL;
		t = bp[i].time;
	}
	if (n) {
		if (queue_reserve(q, n))
			return TFR_ENOMEM;
		memcpy(q->v + q->n, bp, n * sizeof *bp);
		q->n += n;
	}
	q->last = t;
	q->horizon = horizon;
	return TFR_OK;
}

int tfr_track_merge_flush(tfr_track_merge *m)
{
	for (int c = 0; c < m->nch; c++)
		m->q[c].horizon = INFINITY;
	return TFR_OK;
}

/* The channel whose head leaves next, or -1: the earliest head, if no
 * channel waiting for input may still give an earlier breakpoint. */
static int next_channel(const tfr_track_merge *m)
{
	int best = -1;
	double bound = INFINITY;
	for (int c = 0; c < m->nch; c++) {
		const struct queue *q = &m->q[c];
		if (q->head == q->n) {
			bound = q->horizon < bound ? q->horizon : bound;
		} else if (best < 0 || q->v[q->head].time < m->q[best].v[m->q[best].head].time) {
			best = c;
		}
	}
	if (best < 0 || m->q[best].v[m->q[best].head].time > bound)
		return -1;
	return best;
}

/* The head of channel c out, with its global id. */
static int emit(tfr_track_merge *m, int c)
{
	struct queue *q = &m->q[c];
	tfr_breakpoint b = q->v[q->head++];
	uint64_t key = (uint64_t)b.partial * (uint64_t)m->nch + (uint64_t)c;
	int added;
	int64_t *id = idmap_get(&m->ids, key, m->next_id, &added);
	if (!id || tfr_grow((void **)&m->out, &m->out_cap, m->nout + 1, sizeof *m->out)) {
		q->head--;
		return TFR_ENOMEM;
	}
	if (added)
		m->next_id++;
	b.partial = *id;
	b.channel = c + 1;
	if (b.end)
		idmap_remove(&m->ids, key);
	m->out[m->nout++] = b;
	return TFR_OK;
}

const tfr_breakpoint *tfr_track_merge_ready(tfr_track_merge *m, size_t *n)
{
	if (m->out_taken)
		m->nout = 0;  /* the caller has taken the previous call's */
	m->out_taken = 1;
	int c;
	*n = 0;
	while ((c = next_channel(m)) >= 0)
		if (emit(m, c) != TFR_OK) {
			m->out_taken = 0;  /* what left is given by the next call */
			return NULL;
		}
	*n = m->nout;
	return m->out;
}

void tfr_track_merge_free(tfr_track_merge *m)
{
	if (!m)
		return;
	for (int c = 0; c < m->nch; c++)
		free(m->q[c].v);
	free(m->q);
	idmap_free(&m->ids);
	free(m->out);
	free(m);
}
