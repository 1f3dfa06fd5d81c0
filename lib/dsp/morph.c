/*
 * morph.c - Loris's Morpher (tfr_morph.h).
 *
 * A channel is a label's pair (or one unpaired partial). Each
 * breakpoint of a source makes an output item at its time, where the
 * other source's partial of the channel is evaluated once its next
 * breakpoint arrives (the item waits in the output queue till then);
 * items leave the queue in time order as they are complete, and are
 * morphed then, so that the phase of a channel is integrated in order.
 */
#include "tfr_morph.h"
#include "idmap.h"
#include "internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

struct val {
	int present;
	double f, a, ph, bw;     /* Hz, amplitude, rad, [0, 1] */
};

struct side {
	int64_t id;              /* input partial, -1 none */
	double t, f, a, ph, bw;  /* its last breakpoint */
	int64_t *wait;           /* items waiting for its next breakpoint */
	size_t nwait, capwait;
};

struct chan {
	struct side s[2];
	int64_t label;           /* 0 for an unpaired partial */
	int64_t channel;         /* of a channel-split stream: a label's
	                            pair lies within one channel (0: none) */
	int64_t out;             /* output partial id, while open */
	int open;
	int64_t last_item;       /* queue index of its latest item, -1 */
	double last_item_t;      /* that item's time (-inf: none) */
	double last_t, last_f, last_ph;  /* its last output */
	int has_last;
};

struct item {
	double t;
	size_t chan;
	int need[2];
	struct val v[2];
	int end;
	int64_t out;
};

struct tfr_morph {
	tfr_morph_params p;
	tfr_envelope *env[3];    /* freq, amp, bw */
	idmap by_label;          /* label and channel of the source -> channel */
	idmap single[2];         /* input id of an unpaired partial -> channel */
	struct chan *ch;
	size_t nch, capch;
	size_t ninit;            /* channels whose wait lists are set up */
	size_t *freech;
	size_t nfree, capfree;
	struct item *q;
	size_t head, n, cap;
	int64_t base;
	int64_t next_id;
	double last_time;
	tfr_breakpoint *out;
	size_t nout, capout;
	tfr_morph_stats st;
};

void tfr_morph_params_default(tfr_morph_params *p)
{
	memset(p, 0, sizeof *p);
	p->weight = 0.5;
	p->shape = 1e-5;
}

static int env_bad(const tfr_envelope *e)
{
	double lo, hi;
	if (!e)
		return 0;
	tfr_envelope_extent(e, &lo, &hi);
	return !(lo >= 0 && hi <= 1);
}

int tfr_morph_check(const tfr_morph_params *p, tfr_diag *d)
{
	tfr_diag_clear(d);
	if (!p)
		return tfr_diag_set(d, TFR_EINVAL, "no parameters");
	if (!(p->weight >= 0 && p->weight <= 1) || env_bad(p->freq) ||
	    env_bad(p->amp) || env_bad(p->bw))
		return tfr_diag_set(d, TFR_EINVAL, "morph weights must be in [0, 1]");
	if (!(p->shape > 0 && p->shape <= 1))
		return tfr_diag_set(d, TFR_EINVAL, "the shape must be in (0, 1]");
	return TFR_OK;
}

tfr_morph *tfr_morph_new(const tfr_morph_params *p, tfr_diag *d)
{
	if (tfr_morph_check(p, d) != TFR_OK)
		return NULL;
	tfr_morph *m = calloc(1, sizeof *m);
	int bad = !m || tfr_grow((void **)&m->out, &m->capout, 1, sizeof *m->out);
	const tfr_envelope *e[3] = { p ? p->freq : NULL, p ? p->amp : NULL, p ? p->bw : NULL };
	for (int i = 0; i < 3 && !bad; i++) {
		double w = p->weight;
		m->env[i] = e[i] ? tfr_envelope_copy(e[i]) : tfr_envelope_new(&w, &w, 1, d);
		bad = !m->env[i];
	}
	if (bad) {
		tfr_morph_free(m);
		tfr_diag_set(d, TFR_ENOMEM, "out of memory");
		return NULL;
	}
	m->p = *p;
	m->p.freq = m->env[0];
	m->p.amp = m->env[1];
	m->p.bw = m->env[2];
	idmap_init(&m->by_label);
	idmap_init(&m->single[0]);
	idmap_init(&m->single[1]);
	tfr_morph_reset(m);
	return m;
}

/* ---- values between breakpoints ---- */

static double wrap_turns(double x)
{
	return x - floor(x + 0.5);
}

/*
 * Side s of a partial at t between its last breakpoint and b, as a
 * synthesiser plays the segment: amplitude and bandwidth linear, phase
 * the cubic through both ends' phases with both ends' frequencies
 * (McAulay-Quatieri), frequency that cubic's slope - so that the two
 * segments the point splits it into make the same cubic again.
 */
static struct val between(const struct side *s, const tfr_breakpoint *b, double t)
{
	double T = b->time - s->t, u = t - s->t;
	struct val v = { 1, b->freq, b->amp, b->phase, b->bandwidth };
	if (!(T > 0) || u >= T)
		return v;
	double r = u / T;
	double th0 = s->ph / TFR_2PI;
	double d = wrap_turns(b->phase / TFR_2PI - th0 - (s->f + b->freq) * T / 2);
	double c2 = (b->freq - s->f) / (2 * T) + 3 * d / (T * T);
	double c3 = -2 * d / (T * T * T);
	double th = th0 + s->f * u + c2 * u * u + c3 * u * u * u;
	v.f = s->f + 2 * c2 * u + 3 * c3 * u * u;
	/* a segment whose phases its frequencies cannot reach (an edited
	 * stream, a misfit over a short span) bends its cubic below 0 Hz or
	 * far above both ends: the line between the ends' frequencies then */
	if (!(v.f >= 0 && v.f <= 2 * fmax(s->f, b->freq) + 1))
		v.f = s->f + (b->freq - s->f) * r;
	v.ph = TFR_2PI * wrap_turns(th);
	v.a = s->a + (b->amp - s->a) * r;
	v.bw = s->bw + (b->bandwidth - s->bw) * r;
	return v;
}

/* ---- the morph ---- */

static double mix_log(double x, double y, double w, double s)
{
	if (w <= 0)
		return x;
	if (w >= 1)
		return y;
	return (x + s) * pow((y + s) / (x + s), w) - s;
}

static double mix(double x, double y, double w)
{
	return w <= 0 ? x : w >= 1 ? y : (1 - w) * x + w * y;
}

/* The output breakpoint of a complete item. */
static tfr_breakpoint morph(tfr_morph *m, const struct item *it)
{
	struct chan *c = &m->ch[it->chan];
	double wf = tfr_envelope_at(m->env[0], it->t);
	double wa = tfr_envelope_at(m->env[1], it->t);
	double wb = tfr_envelope_at(m->env[2], it->t);
	const struct val *A = &it->v[0], *B = &it->v[1];
	struct val o;
	if (A->present && B->present) {
		o.f = m->p.log_freq && A->f > 0 && B->f > 0 && wf > 0 && wf < 1
		    ? A->f * pow(B->f / A->f, wf) : mix(A->f, B->f, wf);
		o.a = m->p.lin_amp ? mix(A->a, B->a, wa) : mix_log(A->a, B->a, wa, m->p.shape);
		o.bw = m->p.lin_amp ? mix(A->bw, B->bw, wb) : mix_log(A->bw, B->bw, wb, m->p.shape);
		if (wf <= 0)
			o.ph = A->ph;
		else if (wf >= 1)
			o.ph = B->ph;
		else if (c->has_last && c->last_t < it->t)
			o.ph = TFR_2PI * wrap_turns((c->last_ph / TFR_2PI) +
			                            (c->last_f + o.f) * (it->t - c->last_t) / 2);
		else
			o.ph = A->ph;
	} else {
		/* one source: its frequency, phase and noise share; the
		 * amplitude fades as if the other's were 0 */
		const struct val *v = A->present ? A : B;
		double w = A->present ? wa : 1 - wa;
		o = *v;
		o.a = m->p.lin_amp ? (1 - w) * v->a : mix_log(v->a, 0, w, m->p.shape);
		if (o.a < 0)
			o.a = 0;
	}
	c->has_last = 1;
	c->last_t = it->t;
	c->last_f = o.f;
	c->last_ph = o.ph;
	tfr_breakpoint b = { it->out, it->t, o.f, (float)fmax(o.a, 0), (float)o.ph,
	                     (float)fmin(fmax(o.bw, 0), 1), it->end, c->label, c->channel };
	return b;
}

/* ---- queue and channels ---- */

static struct item *item_at(tfr_morph *m, int64_t i)
{
	return &m->q[i - m->base];
}

static int push(tfr_morph *m, const struct item *it, int64_t *index)
{
	if (m->head && m->head >= m->n - m->head) {
		memmove(m->q, m->q + m->head, (m->n - m->head) * sizeof *m->q);
		m->base += (int64_t)m->head;
		m->n -= m->head;
		m->head = 0;
	}
	if (tfr_grow((void **)&m->q, &m->cap, m->n + 1, sizeof *m->q))
		return TFR_ENOMEM;
	m->q[m->n] = *it;
	*index = m->base + (int64_t)m->n++;
	return TFR_OK;
}

static int release(tfr_morph *m)
{
	while (m->head < m->n && !m->q[m->head].need[0] && !m->q[m->head].need[1]) {
		if (tfr_grow((void **)&m->out, &m->capout, m->nout + 1, sizeof *m->out))
			return TFR_ENOMEM;
		struct item *it = &m->q[m->head++];
		m->out[m->nout++] = morph(m, it);
		m->st.breakpoints++;
		if (it->end)
			m->ch[it->chan].has_last = 0;
	}
	return TFR_OK;
}

static int new_chan(tfr_morph *m, int64_t label, int64_t channel, size_t *c)
{
	if (m->nfree) {
		*c = m->freech[--m->nfree];
	} else {
		if (tfr_grow((void **)&m->ch, &m->capch, m->nch + 1, sizeof *m->ch) ||
		    tfr_grow((void **)&m->freech, &m->capfree, m->nch + 1, sizeof *m->freech))
			return TFR_ENOMEM;
		*c = m->nch++;
		if (*c == m->ninit) {
			memset(&m->ch[*c], 0, sizeof m->ch[*c]);
			m->ninit++;
		}
	}
	struct chan *ch = &m->ch[*c];
	for (int s = 0; s < 2; s++) {
		ch->s[s].id = -1;
		ch->s[s].nwait = 0;
	}
	ch->label = label;
	ch->channel = channel;
	ch->open = 0;
	ch->last_item = -1;
	ch->last_item_t = -INFINITY;
	ch->has_last = 0;
	return TFR_OK;
}

/* The channel of b from source s. */
static int channel_of(tfr_morph *m, int s, const tfr_breakpoint *b, size_t *c)
{
	int64_t *v = idmap_find(&m->single[s], (uint64_t)b->partial);
	if (v) {
		*c = (size_t)*v;
		return TFR_OK;
	}
	if (b->label > 0) {
		uint64_t key = (uint64_t)b->label * (TFR_MAX_CHANNELS + 1) + (uint64_t)b->channel;
		v = idmap_find(&m->by_label, key);
		if (!v) {
			if (new_chan(m, b->label, b->channel, c) != TFR_OK)
				return TFR_ENOMEM;
			int added;
			v = idmap_get(&m->by_label, key, (int64_t)*c, &added);
			if (!v)
				return TFR_ENOMEM;
		}
		struct side *sd = &m->ch[*v].s[s];
		if (sd->id < 0 || sd->id == b->partial) {
			*c = (size_t)*v;
			return TFR_OK;
		}
	}
	/* unlabelled, or a second partial of a label at once */
	int added;
	if (new_chan(m, 0, b->channel, c) != TFR_OK ||
	    !idmap_get(&m->single[s], (uint64_t)b->partial, (int64_t)*c, &added))
		return TFR_ENOMEM;
	return TFR_OK;
}

static void fill_waiting(tfr_morph *m, struct side *sd, int s, const tfr_breakpoint *b)
{
	for (size_t i = 0; i < sd->nwait; i++) {
		struct item *it = item_at(m, sd->wait[i]);
		it->v[s] = between(sd, b, it->t);
		it->need[s] = 0;
	}
	sd->nwait = 0;
}

static int wait_for(struct side *sd, int64_t index)
{
	if (tfr_grow((void **)&sd->wait, &sd->capwait, sd->nwait + 1, sizeof *sd->wait))
		return TFR_ENOMEM;
	sd->wait[sd->nwait++] = index;
	return TFR_OK;
}

/* Item index i is still in the queue. */
static int queued(const tfr_morph *m, int64_t i)
{
	return i >= m->base + (int64_t)m->head && i < m->base + (int64_t)m->n;
}

/* Source s alone at t is weighted out: its amplitude morphs to 0. */
static int silent(const tfr_morph *m, int s, double t)
{
	double wa = tfr_envelope_at(m->env[1], t);
	return s ? wa <= 0 : wa >= 1;
}

static int take(tfr_morph *m, int s, const tfr_breakpoint *b)
{
	size_t c;
	if (channel_of(m, s, b, &c) != TFR_OK)
		return TFR_ENOMEM;
	struct chan *ch = &m->ch[c];
	struct side *sd = &ch->s[s], *od = &ch->s[1 - s];
	if (sd->id >= 0)
		fill_waiting(m, sd, s, b);
	sd->id = b->partial;
	struct item *last = queued(m, ch->last_item) ? item_at(m, ch->last_item) : NULL;
	if (od->id < 0 && silent(m, s, b->time)) {
		/* alone and weighted out: nothing to hear, and a point at
		 * amplitude 0 would change how its neighbour fades (morph 0
		 * would not be A): the output partial ends at its last */
		if (ch->open && last) {
			last->end = 1;
			ch->open = 0;
		}
	} else if (ch->last_item_t == b->time) {
		/* the other source's breakpoint at the same time made the
		 * item: b's values are exactly its (if it is still here) */
		if (last && !last->v[s].present && !last->need[s])
			last->v[s] = (struct val){ 1, b->freq, b->amp, b->phase, b->bandwidth };
	} else {
		/* a new item at b's time */
		struct item it = { b->time, c, { 0, 0 }, { { 0, 0, 0, 0, 0 }, { 0, 0, 0, 0, 0 } }, 0, 0 };
		it.v[s] = (struct val){ 1, b->freq, b->amp, b->phase, b->bandwidth };
		if (!ch->open) {
			ch->open = 1;
			ch->out = m->next_id++;
			if (ch->label > 0)
				m->st.paired++;
			else
				m->st.single++;
		}
		it.out = ch->out;
		int64_t idx;
		if (push(m, &it, &idx) != TFR_OK)
			return TFR_ENOMEM;
		if (od->id >= 0) {
			item_at(m, idx)->need[1 - s] = 1;
			if (wait_for(od, idx) != TFR_OK)
				return TFR_ENOMEM;
		}
		ch->last_item = idx;
		ch->last_item_t = b->time;
		ch = &m->ch[c];
		sd = &ch->s[s];
		od = &ch->s[1 - s];
	}
	sd->t = b->time;
	sd->f = b->freq;
	sd->a = b->amp;
	sd->ph = b->phase;
	sd->bw = b->bandwidth;
	if (b->end) {
		sd->id = -1;
		if (ch->label == 0)
			idmap_remove(&m->single[s], (uint64_t)b->partial);
	}
	if (sd->id < 0 && od->id < 0) {
		/* both sides done: the output partial ends here */
		if (ch->open && queued(m, ch->last_item))
			item_at(m, ch->last_item)->end = 1;
		ch->open = 0;
		if (ch->label == 0)
			m->freech[m->nfree++] = c;
	}
	return TFR_OK;
}

int tfr_morph_process(tfr_morph *m, int source, const tfr_breakpoint *b, size_t n)
{
	m->nout = 0;
	for (size_t i = 0; i < n; i++) {
		if (b[i].time < m->last_time)
			return TFR_EINVAL;
		m->last_time = b[i].time;
		if (take(m, source != 0, &b[i]) != TFR_OK || release(m) != TFR_OK)
			return TFR_ENOMEM;
	}
	return TFR_OK;
}

int tfr_morph_flush(tfr_morph *m)
{
	m->nout = 0;
	/* partials without an end hold their last values */
	for (size_t c = 0; c < m->nch; c++)
		for (int s = 0; s < 2; s++) {
			struct side *sd = &m->ch[c].s[s];
			for (size_t i = 0; i < sd->nwait; i++) {
				struct item *it = item_at(m, sd->wait[i]);
				it->v[s] = (struct val){ 1, sd->f, sd->a, sd->ph, sd->bw };
				it->need[s] = 0;
			}
			sd->nwait = 0;
		}
	return release(m);
}

const tfr_breakpoint *tfr_morph_ready(tfr_morph *m, size_t *n)
{
	*n = m->nout;
	return m->out;
}

void tfr_morph_get_stats(const tfr_morph *m, tfr_morph_stats *st)
{
	*st = m->st;
}

void tfr_morph_reset(tfr_morph *m)
{
	idmap_clear(&m->by_label);
	idmap_clear(&m->single[0]);
	idmap_clear(&m->single[1]);
	for (size_t c = 0; c < m->nch; c++)
		for (int s = 0; s < 2; s++)
			m->ch[c].s[s].nwait = 0;
	m->nch = m->nfree = 0;
	m->head = m->n = 0;
	m->base = 0;
	m->next_id = 0;
	m->last_time = -INFINITY;
	m->nout = 0;
	memset(&m->st, 0, sizeof m->st);
}

void tfr_morph_free(tfr_morph *m)
{
	if (!m)
		return;
	for (int i = 0; i < 3; i++)
		tfr_envelope_free(m->env[i]);
	idmap_free(&m->by_label);
	idmap_free(&m->single[0]);
	idmap_free(&m->single[1]);
	/* wait lists: every channel ever set up (a reset keeps them) */
	for (size_t c = 0; c < m->ninit; c++)
		for (int s = 0; s < 2; s++)
			free(m->ch[c].s[s].wait);
	free(m->ch);
	free(m->freech);
	free(m->q);
	free(m->out);
	free(m);
}
