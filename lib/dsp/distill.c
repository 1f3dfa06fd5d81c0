/*
 * distill.c - one partial per label at a time (tfr_distill.h).
 *
 * Output goes through a queue in time order; a carrier's last
 * breakpoint waits in it, held, until the next partial of its label
 * continues it (the end flag cleared) or join_gap passes (the end flag
 * kept). Everything after a held breakpoint waits behind it: the delay
 * is join_gap.
 */
#include "tfr_distill.h"
#include "idmap.h"
#include "internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

struct item {
	tfr_breakpoint b;
	int held;
};

struct chan {
	int64_t out;        /* output partial id */
	int64_t carrier;    /* input partial carrying it, -1 when it ended */
	int active;         /* an output partial of the label is open */
	double last_time;   /* of its last breakpoint */
	int64_t held;       /* queue index of the held end, or -1 */
	double noise;       /* energy (amp^2) waiting for the carrier */
};

struct tfr_distill {
	tfr_distill_params p;
	idmap chan_of;          /* label and channel -> index in ch */
	struct chan *ch;
	size_t nch, capch;
	size_t *holding;        /* channels with a held end */
	size_t nholding, capholding;
	idmap pass;             /* unlabelled input id -> output id */
	idmap seen;             /* labelled input ids met */
	struct item *q;
	size_t head, n, cap;
	int64_t base;           /* queue index of q[0] */
	int64_t next_id;
	double last_time;
	tfr_breakpoint *out;
	size_t nout, capout;
	tfr_distill_stats st;
};

void tfr_distill_params_default(tfr_distill_params *p)
{
	p->join_gap = 0.01;
}

int tfr_distill_check(const tfr_distill_params *p, tfr_diag *d)
{
	tfr_diag_clear(d);
	if (!p)
		return tfr_diag_set(d, TFR_EINVAL, "no parameters");
	if (!(p->join_gap >= 0 && p->join_gap <= 10))
		return tfr_diag_set(d, TFR_EINVAL, "the join gap must be in [0, 10] s");
	return TFR_OK;
}

tfr_distill *tfr_distill_new(const tfr_distill_params *p, tfr_diag *d)
{
	if (tfr_distill_check(p, d) != TFR_OK)
		return NULL;
	tfr_distill *x = calloc(1, sizeof *x);
	if (!x || tfr_grow((void **)&x->out, &x->capout, 1, sizeof *x->out)) {
		free(x);
		tfr_diag_set(d, TFR_ENOMEM, "out of memory");
		return NULL;
	}
	x->p = *p;
	idmap_init(&x->chan_of);
	idmap_init(&x->pass);
	idmap_init(&x->seen);
	tfr_distill_reset(x);
	return x;
}

static struct item *at(tfr_distill *x, int64_t i)
{
	return &x->q[i - x->base];
}

/* Queue b; its queue index. */
static int push(tfr_distill *x, const tfr_breakpoint *b, int held, int64_t *index)
{
	if (x->head && x->head >= x->n - x->head) {
		memmove(x->q, x->q + x->head, (x->n - x->head) * sizeof *x->q);
		x->base += (int64_t)x->head;
		x->n -= x->head;
		x->head = 0;
	}
	if (tfr_grow((void **)&x->q, &x->cap, x->n + 1, sizeof *x->q))
		return TFR_ENOMEM;
	x->q[x->n] = (struct item){ *b, held };
	*index = x->base + (int64_t)x->n++;
	return TFR_OK;
}

static int release(tfr_distill *x)
{
	while (x->head < x->n && !x->q[x->head].held) {
		if (tfr_grow((void **)&x->out, &x->capout, x->nout + 1, sizeof *x->out))
			return TFR_ENOMEM;
		x->out[x->nout++] = x->q[x->head++].b;
	}
	return TFR_OK;
}

/* The held end of channel c: continued (keep = 0) or final. */
static void settle(tfr_distill *x, size_t c, int final)
{
	struct chan *ch = &x->ch[c];
	struct item *it = at(x, ch->held);
	it->held = 0;
	it->b.end = final;
	ch->held = -1;
	if (final)
		ch->active = 0;
	for (size_t i = 0; i < x->nholding; i++)
		if (x->holding[i] == c) {
			x->holding[i] = x->holding[--x->nholding];
			break;
		}
}

/* Held ends that join_gap has passed by time t are final. */
static void expire(tfr_distill *x, double t)
{
	for (size_t i = 0; i < x->nholding;) {
		size_t c = x->holding[i];
		if (t > x->ch[c].last_time + x->p.join_gap)
			settle(x, c, 1);  /* moves the last entry to i */
		else
			i++;
	}
}

/* b, as a breakpoint of channel c's output partial, with the noise
 * absorbed so far. */
static int emit(tfr_distill *x, size_t c, const tfr_breakpoint *b)
{
	struct chan *ch = &x->ch[c];
	tfr_breakpoint o = *b;
	o.partial = ch->out;
	if (ch->noise > 0) {
		double a2 = (double)b->amp * b->amp, t = a2 + ch->noise;
		o.amp = (float)sqrt(t);
		o.bandwidth = (float)fmin(1, ((double)b->bandwidth * a2 + ch->noise) / t);
		ch->noise = 0;
	}
	ch->last_time = b->time;
	o.end = 0;
	int64_t idx;
	if (push(x, &o, b->end, &idx) != TFR_OK)
		return TFR_ENOMEM;
	if (b->end) {
		if (tfr_grow((void **)&x->holding, &x->capholding, x->nholding + 1,
		             sizeof *x->holding))
			return TFR_ENOMEM;
		x->holding[x->nholding++] = c;
		ch->held = idx;
		ch->carrier = -1;
	}
	return TFR_OK;
}

static int take_labelled(tfr_distill *x, const tfr_breakpoint *b)
{
	int added;
	/* a label per channel of a split stream (channel 0: none) */
	uint64_t key = (uint64_t)b->label * (TFR_MAX_CHANNELS + 1) + (uint64_t)b->channel;
	int64_t *ci = idmap_get(&x->chan_of, key, (int64_t)x->nch, &added);
	if (!ci)
		return TFR_ENOMEM;
	if (added) {
		if (tfr_grow((void **)&x->ch, &x->capch, x->nch + 1, sizeof *x->ch))
			return TFR_ENOMEM;
		x->ch[x->nch++] = (struct chan){ 0, -1, 0, -INFINITY, -1, 0 };
	}
	size_t c = (size_t)*ci;
	int64_t *seen = idmap_get(&x->seen, (uint64_t)b->partial, 0, &added);
	if (!seen)
		return TFR_ENOMEM;
	if (added)
		x->st.partials_in++;
	if (b->end)
		idmap_remove(&x->seen, (uint64_t)b->partial);
	struct chan *ch = &x->ch[c];
	if (ch->active && ch->carrier == b->partial)
		return emit(x, c, b);
	if (ch->active && (ch->carrier >= 0 || b->time <= ch->last_time)) {
		double a2 = (double)b->amp * b->amp;
		ch->noise = fmax(ch->noise, a2);
		x->st.absorbed++;
		return TFR_OK;
	}
	if (ch->active) {
		/* the carrier ended within join_gap: b's partial goes on */
		settle(x, c, 0);
		x->st.joined++;
	} else {
		ch->active = 1;
		ch->out = x->next_id++;
		ch->noise = 0;
		x->st.partials_out++;
	}
	ch->carrier = b->partial;
	return emit(x, c, b);
}

static int take_plain(tfr_distill *x, const tfr_breakpoint *b)
{
	int added;
	int64_t *id = idmap_get(&x->pass, (uint64_t)b->partial, x->next_id, &added);
	if (!id)
		return TFR_ENOMEM;
	if (added)
		x->next_id++;
	tfr_breakpoint o = *b;
	o.partial = *id;
	if (b->end)
		idmap_remove(&x->pass, (uint64_t)b->partial);
	int64_t idx;
	return push(x, &o, 0, &idx);
}

int tfr_distill_process(tfr_distill *x, const tfr_breakpoint *b, size_t n)
{
	x->nout = 0;
	for (size_t i = 0; i < n; i++) {
		if (b[i].time < x->last_time)
			return TFR_EINVAL;
		x->last_time = b[i].time;
		expire(x, b[i].time);
		int e = b[i].label > 0 ? take_labelled(x, &b[i]) : take_plain(x, &b[i]);
		if (e != TFR_OK || release(x) != TFR_OK)
			return TFR_ENOMEM;
	}
	return TFR_OK;
}

int tfr_distill_flush(tfr_distill *x)
{
	x->nout = 0;
	expire(x, INFINITY);
	return release(x);
}

const tfr_breakpoint *tfr_distill_ready(tfr_distill *x, size_t *n)
{
	*n = x->nout;
	return x->out;
}

void tfr_distill_get_stats(const tfr_distill *x, tfr_distill_stats *st)
{
	*st = x->st;
}

void tfr_distill_reset(tfr_distill *x)
{
	idmap_clear(&x->chan_of);
	idmap_clear(&x->pass);
	idmap_clear(&x->seen);
	x->nch = x->nholding = 0;
	x->head = x->n = 0;
	x->base = 0;
	x->next_id = 0;
	x->last_time = -INFINITY;
	x->nout = 0;
	memset(&x->st, 0, sizeof x->st);
}

void tfr_distill_free(tfr_distill *x)
{
	if (!x)
		return;
	idmap_free(&x->chan_of);
	idmap_free(&x->pass);
	idmap_free(&x->seen);
	free(x->ch);
	free(x->holding);
	free(x->q);
	free(x->out);
	free(x);
}
