/*
 * pclip.c - partials kept within a time range (tfr_pclip.h).
 *
 * Each partial met has a state in a table indexed through an idmap:
 * NEW, BEFORE (its last breakpoint before `from`, held), IN (its last
 * written in `last`), or CLOSED (ended at `to`). Breakpoints before
 * `from` all come first in a stream, so the held ones are written, moved
 * to `from`, when the first breakpoint after `from` arrives: the output
 * stays in time order.
 */
#include "tfr_pclip.h"
#include "idmap.h"
#include "internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

enum { NEW, BEFORE, IN, CLOSED };

struct state {
	int what;
	tfr_breakpoint last;  /* BEFORE: held; IN: the last written */
};

struct tfr_pclip {
	tfr_pclip_params p;
	idmap at;             /* partial -> index in st */
	struct state *st;
	size_t nst, capst;
	int64_t *freeidx;     /* indexes of st free for reuse */
	size_t nfree, capfree;
	int reached;          /* a breakpoint at or after `from` was met */
	double last_time;
	tfr_breakpoint *out;
	size_t nout, capout;
	int taken;
	tfr_pclip_stats stats;
};

void tfr_pclip_params_default(tfr_pclip_params *p)
{
	p->from = 0;
	p->to = INFINITY;
}

int tfr_pclip_check(const tfr_pclip_params *p, tfr_diag *d)
{
	tfr_diag_clear(d);
	if (!p)
		return tfr_diag_set(d, TFR_EINVAL, "no parameters");
	if (!isfinite(p->from))
		return tfr_diag_set(d, TFR_EINVAL, "from must be finite");
	if (!(p->to > p->from))
		return tfr_diag_set(d, TFR_EINVAL, "to must be after from");
	return TFR_OK;
}

tfr_pclip *tfr_pclip_new(const tfr_pclip_params *p, tfr_diag *d)
{
	if (tfr_pclip_check(p, d) != TFR_OK)
		return NULL;
	tfr_pclip *c = calloc(1, sizeof *c);
	if (!c) {
		tfr_diag_set(d, TFR_ENOMEM, "out of memory");
		return NULL;
	}
	c->p = *p;
	idmap_init(&c->at);
	/* _ready never returns NULL */
	if (tfr_grow((void **)&c->out, &c->capout, 1, sizeof *c->out)) {
		free(c);
		tfr_diag_set(d, TFR_ENOMEM, "out of memory");
		return NULL;
	}
	tfr_pclip_reset(c);
	return c;
}

static int push(tfr_pclip *c, const tfr_breakpoint *b)
{
	if (tfr_grow((void **)&c->out, &c->capout, c->nout + 1, sizeof *c->out))
		return TFR_ENOMEM;
	c->out[c->nout++] = *b;
	return TFR_OK;
}

/* The state of partial id, made (as `what`) if new; NULL: no memory. */
static struct state *state_of(tfr_pclip *c, int64_t id, int what)
{
	int added;
	int64_t next = c->nfree ? c->freeidx[c->nfree - 1] : (int64_t)c->nst;
	int64_t *i = idmap_get(&c->at, (uint64_t)id, next, &added);
	if (!i)
		return NULL;
	if (added) {
		if (c->nfree) {
			c->nfree--;
		} else {
			if (tfr_grow((void **)&c->st, &c->capst, c->nst + 1, sizeof *c->st)) {
				idmap_remove(&c->at, (uint64_t)id);
				return NULL;
			}
			c->nst++;
		}
		c->st[*i].what = what;
	}
	return &c->st[*i];
}

static int forget(tfr_pclip *c, int64_t id)
{
	int64_t *i = idmap_find(&c->at, (uint64_t)id);
	if (!i)
		return TFR_OK;
	if (tfr_grow((void **)&c->freeidx, &c->capfree, c->nfree + 1, sizeof *c->freeidx))
		return TFR_ENOMEM;
	c->freeidx[c->nfree++] = *i;
	idmap_remove(&c->at, (uint64_t)id);
	return TFR_OK;
}

/* b moved to time t as a steady sinusoid. */
static tfr_breakpoint moved(const tfr_breakpoint *b, double t)
{
	tfr_breakpoint x = *b;
	x.end = 0;
	x.phase = (float)remainder(b->phase + TFR_2PI * b->freq * (t - b->time), TFR_2PI);
	x.time = t;
	return x;
}

/* The breakpoint at time t between a and b (a.time < t < b.time). */
static tfr_breakpoint between(const tfr_breakpoint *a, const tfr_breakpoint *b,
                              double t)
{
	double x = (t - a->time) / (b->time - a->time);
	tfr_breakpoint m = *a;
	m.time = t;
	m.freq = a->freq + x * (b->freq - a->freq);
	m.amp = (float)(a->amp + x * (b->amp - a->amp));
	m.bandwidth = (float)(a->bandwidth + x * (b->bandwidth - a->bandwidth));
	m.phase = (float)remainder(a->phase + TFR_PI * (a->freq + m.freq) * (t - a->time),
	                           TFR_2PI);
	m.end = 0;
	return m;
}

/* Write the held breakpoints before `from`, moved to it: the stream has
 * gone past it (a breakpoint at `from` itself replaces its partial's
 * held one instead). */
static int release_before(tfr_pclip *c)
{
	c->reached = 1;
	for (size_t i = 0; i < c->at.cap; i++) {
		if (!c->at.keys[i])
			continue;
		struct state *s = &c->st[c->at.vals[i]];
		if (s->what != BEFORE)
			continue;
		tfr_breakpoint m = moved(&s->last, c->p.from);
		if (push(c, &m))
			return TFR_ENOMEM;
		s->last = m;
		s->what = IN;
		c->stats.moved++;
	}
	return TFR_OK;
}

/* b, before `from`: held, replacing the one held before it. */
static int take_before(tfr_pclip *c, struct state *s, const tfr_breakpoint *b)
{
	if (s->what == BEFORE)
		c->stats.dropped++;
	s->last = *b;
	s->what = BEFORE;
	if (!b->end)
		return TFR_OK;
	c->stats.dropped++;  /* the whole partial was before `from` */
	return forget(c, b->partial);
}

/* b, within [from, to]; at `to` it ends its partial. */
static int take_inside(tfr_pclip *c, struct state *s, const tfr_breakpoint *b)
{
	if (s->what == CLOSED) {
		c->stats.dropped++;
		return TFR_OK;
	}
	if (s->what == BEFORE)
		c->stats.dropped++;  /* replaced by b, at `from` */
	tfr_breakpoint x = *b;
	if (b->time == c->p.to && !b->end) {
		x.end = 1;
		c->stats.ended++;
		s->what = CLOSED;
	} else {
		s->what = IN;
	}
	s->last = x;
	return push(c, &x);
}

/* b, past `to`: its partial ends at `to`, if it sounded before. */
static int take_after(tfr_pclip *c, struct state *s, const tfr_breakpoint *b)
{
	c->stats.dropped++;
	if (s->what != IN)
		return TFR_OK;
	tfr_breakpoint m = between(&s->last, b, c->p.to);
	m.end = 1;
	s->what = CLOSED;
	c->stats.ended++;
	return push(c, &m);
}

static int take(tfr_pclip *c, const tfr_breakpoint *b)
{
	if (b->time < c->last_time)
		return TFR_EINVAL;
	c->last_time = b->time;
	if (b->time > c->p.from && !c->reached && release_before(c))
		return TFR_ENOMEM;
	struct state *s = state_of(c, b->partial, NEW);
	if (!s)
		return TFR_ENOMEM;
	int e = b->time < c->p.from ? take_before(c, s, b)
	      : b->time <= c->p.to ? take_inside(c, s, b)
	      : take_after(c, s, b);
	if (!e && b->end && b->time >= c->p.from)
		e = forget(c, b->partial);
	return e;
}

int tfr_pclip_process(tfr_pclip *c, const tfr_breakpoint *b, size_t n)
{
	if (c->taken) {
		c->nout = 0;
		c->taken = 0;
	}
	for (size_t i = 0; i < n; i++) {
		int e = take(c, &b[i]);
		if (e)
			return e;
	}
	return TFR_OK;
}

/* A valid stream has ended every partial: nothing is held at its end
 * (partials before `from` that never ended are dropped). */
int tfr_pclip_flush(tfr_pclip *c)
{
	if (c->taken) {
		c->nout = 0;
		c->taken = 0;
	}
	return TFR_OK;
}

const tfr_breakpoint *tfr_pclip_ready(tfr_pclip *c, size_t *n)
{
	*n = c->nout;
	c->taken = 1;
	return c->out;
}

void tfr_pclip_get_stats(const tfr_pclip *c, tfr_pclip_stats *s)
{
	*s = c->stats;
}

void tfr_pclip_reset(tfr_pclip *c)
{
	idmap_clear(&c->at);
	c->nst = c->nfree = 0;
	c->reached = 0;
	c->last_time = -INFINITY;
	c->nout = 0;
	c->taken = 0;
	memset(&c->stats, 0, sizeof c->stats);
}

void tfr_pclip_free(tfr_pclip *c)
{
	if (!c)
		return;
	idmap_free(&c->at);
	free(c->st);
	free(c->freeidx);
	free(c->out);
	free(c);
}
