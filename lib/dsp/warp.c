/*
 * warp.c - time and pitch warping of partials (tfr_warp.h).
 *
 * Each partial met has a state in a table indexed through an idmap: its
 * new course so far (time, frequency and phase of its last breakpoint
 * out, for the phase integration) and, with formants, its last
 * breakpoint released and its breakpoints still held. Without formants
 * a breakpoint goes out as it comes in. With them every breakpoint waits
 * in a queue (stream order) until the input has gone `lookahead` past
 * it; each partial's held breakpoints are chained through the queue, so
 * that its value at a time between its last one released and its first
 * one held is found in constant time.
 */
#include "tfr_warp.h"
#include "idmap.h"
#include "internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Amplitudes below this (-200 dB) count as this in the log envelope. */
#define AMP_FLOOR 1e-10

struct state {
	int used;
	int64_t id, label;
	/* the new course: the last breakpoint out */
	int started;
	double nt, nf, nph;
	double last_in;       /* input time of the partial's last breakpoint */
	/* formants: the last breakpoint released (input values) ... */
	int released, rend;
	double rt, rf, ra;
	/* ... and the first and last held in the queue (sequence numbers,
	 * -1: none) */
	int64_t head, tail;
};

struct entry {
	tfr_breakpoint b;
	int64_t next;         /* the partial's next held entry, -1: none */
	int64_t state;        /* index of its partial's state */
};

/* A point of the spectral envelope. */
struct point {
	double f, la;         /* Hz, log amplitude */
	int64_t label;
};

struct tfr_warp {
	tfr_warp_params p;
	tfr_envelope *markers, *pitch, *gain, *bandwidth;  /* copies; markers
	                                    with the implied 0 -> 0 */
	int identity, retime, repitch, rescale_amp, rescale_bw;
	double ratio, amp_factor;         /* the constants' */
	idmap at;                         /* partial -> index in st */
	struct state *st;
	size_t nst, capst;
	int64_t *freeidx;
	size_t nfree, capfree;
	struct entry *q;                  /* held (formants): q[qs .. qs+nq-1],
	                                     q[qs] of sequence number base */
	size_t qs, nq, capq;
	int64_t base;
	struct point *pts;
	size_t cappts;
	double last_time;
	tfr_breakpoint *out;
	size_t nout, capout;
	int taken;
	tfr_warp_stats stats;
};

void tfr_warp_params_default(tfr_warp_params *p)
{
	memset(p, 0, sizeof *p);
	p->stretch = 1;
	p->bandwidth_scale = 1;
	p->lookahead = 0.025;
	p->edge = 0.005;
}

static int constant_or(const tfr_envelope *e, double c, double v)
{
	return e ? tfr_envelope_is_constant(e, v) : c == v;
}

int tfr_warp_is_identity(const tfr_warp_params *p)
{
	return p->stretch == 1 && !p->markers && constant_or(p->pitch, p->cents, 0) &&
	       constant_or(p->gain, p->gain_db, 0) &&
	       constant_or(p->bandwidth, p->bandwidth_scale, 1);
}

/* The markers' points, with 0 -> 0 before them when both of the first
 * one's times are above 0 (positions kept). */
static tfr_envelope *marker_map(const tfr_envelope *m)
{
	if (!(m->x[0] > 0 && m->y[0] > 0))
		return tfr_envelope_copy(m);
	size_t n = m->n + 1;
	double *x = malloc(n * sizeof *x), *y = malloc(n * sizeof *y);
	tfr_envelope *r = NULL;
	if (x && y) {
		x[0] = y[0] = 0;
		memcpy(x + 1, m->x, m->n * sizeof *x);
		memcpy(y + 1, m->y, m->n * sizeof *y);
		if ((r = tfr_envelope_new(x, y, n, NULL))) {
			memcpy(r->line + 1, m->line, m->n * sizeof *r->line);
			memcpy(r->xcol + 1, m->xcol, m->n * sizeof *r->xcol);
			memcpy(r->ycol + 1, m->ycol, m->n * sizeof *r->ycol);
		}
	}
	free(x);
	free(y);
	return r;
}

static int check_markers(const tfr_envelope *m, tfr_diag *d)
{
	if (tfr_envelope_check_increasing(m, "source time", "target time", d) != TFR_OK)
		return TFR_EINVAL;
	double px = 0, py = 0;
	size_t i = 0;
	if (!(m->x[0] > 0 && m->y[0] > 0)) {
		px = m->x[0];
		py = m->y[0];
		i = 1;
	}
	for (; i < m->n; i++) {
		double s = (m->y[i] - py) / (m->x[i] - px);
		if (!(s >= 1 / TFR_WARP_MAX_STRETCH && s <= TFR_WARP_MAX_STRETCH)) {
			tfr_diag_setf(d, TFR_EINVAL, "slope %g from source time %g to %g "
			              "is out of range [%g, %g]", s, px, m->x[i],
			              1 / TFR_WARP_MAX_STRETCH, TFR_WARP_MAX_STRETCH);
			tfr_diag_at(d, (long)m->line[i], (long)m->ycol[i]);
			return TFR_EINVAL;
		}
		px = m->x[i];
		py = m->y[i];
	}
	return TFR_OK;
}

int tfr_warp_check(const tfr_warp_params *p, tfr_diag *d)
{
	tfr_diag_clear(d);
	if (!p)
		return tfr_diag_set(d, TFR_EINVAL, "no parameters");
	if (!(p->stretch >= 1 / TFR_WARP_MAX_STRETCH && p->stretch <= TFR_WARP_MAX_STRETCH))
		return tfr_diag_setf(d, TFR_EINVAL, "stretch %g is out of range [%g, %g]",
		                     p->stretch, 1 / TFR_WARP_MAX_STRETCH,
		                     TFR_WARP_MAX_STRETCH);
	if (p->markers && p->stretch != 1)
		return tfr_diag_set(d, TFR_EINVAL, "a stretch factor and markers: one or "
		                    "the other");
	if (p->markers && check_markers(p->markers, d) != TFR_OK)
		return TFR_EINVAL;
	if (!(fabs(p->cents) <= TFR_WARP_MAX_CENTS))
		return tfr_diag_setf(d, TFR_EINVAL, "pitch shift %g cents is out of range "
		                     "[%g, %g]", p->cents, -TFR_WARP_MAX_CENTS,
		                     TFR_WARP_MAX_CENTS);
	if (p->pitch && tfr_envelope_check_range(p->pitch, -TFR_WARP_MAX_CENTS,
	                                         TFR_WARP_MAX_CENTS, "cents", d))
		return TFR_EINVAL;
	if (!(fabs(p->gain_db) <= TFR_WARP_MAX_GAIN_DB))
		return tfr_diag_setf(d, TFR_EINVAL, "gain %g dB is out of range [%g, %g]",
		                     p->gain_db, -TFR_WARP_MAX_GAIN_DB, TFR_WARP_MAX_GAIN_DB);
	if (p->gain && tfr_envelope_check_range(p->gain, -TFR_WARP_MAX_GAIN_DB,
	                                        TFR_WARP_MAX_GAIN_DB, "dB", d))
		return TFR_EINVAL;
	if (!(p->bandwidth_scale >= 0 && p->bandwidth_scale <= TFR_WARP_MAX_BANDWIDTH_SCALE))
		return tfr_diag_setf(d, TFR_EINVAL, "bandwidth scale %g is out of range "
		                     "[0, %g]", p->bandwidth_scale,
		                     TFR_WARP_MAX_BANDWIDTH_SCALE);
	if (p->bandwidth && tfr_envelope_check_range(p->bandwidth, 0,
	                                             TFR_WARP_MAX_BANDWIDTH_SCALE,
	                                             "factor", d))
		return TFR_EINVAL;
	if (!(p->lookahead >= 0 && p->lookahead <= 10))
		return tfr_diag_setf(d, TFR_EINVAL, "lookahead %g s is out of range [0, 10]",
		                     p->lookahead);
	if (!(p->edge >= 0 && p->edge <= 1))
		return tfr_diag_setf(d, TFR_EINVAL, "edge %g s is out of range [0, 1]",
		                     p->edge);
	return TFR_OK;
}

tfr_warp *tfr_warp_new(const tfr_warp_params *p, tfr_diag *d)
{
	if (tfr_warp_check(p, d) != TFR_OK)
		return NULL;
	tfr_warp *w = calloc(1, sizeof *w);
	if (!w) {
		tfr_diag_set(d, TFR_ENOMEM, "out of memory");
		return NULL;
	}
	w->p = *p;
	idmap_init(&w->at);
	int bad = tfr_grow((void **)&w->out, &w->capout, 1, sizeof *w->out) != TFR_OK;
	if (!bad && p->markers)
		bad = !(w->markers = marker_map(p->markers));
	if (!bad && p->pitch)
		bad = !(w->pitch = tfr_envelope_copy(p->pitch));
	if (!bad && p->gain)
		bad = !(w->gain = tfr_envelope_copy(p->gain));
	if (!bad && p->bandwidth)
		bad = !(w->bandwidth = tfr_envelope_copy(p->bandwidth));
	if (bad) {
		tfr_warp_free(w);
		tfr_diag_set(d, TFR_ENOMEM, "out of memory");
		return NULL;
	}
	w->p.markers = w->p.pitch = w->p.gain = w->p.bandwidth = NULL;
	w->identity = tfr_warp_is_identity(p);
	w->retime = p->stretch != 1 || p->markers;
	w->repitch = !constant_or(p->pitch, p->cents, 0);
	w->rescale_amp = !constant_or(p->gain, p->gain_db, 0) ||
	                 (p->formants && w->repitch);
	w->rescale_bw = !constant_or(p->bandwidth, p->bandwidth_scale, 1);
	w->ratio = exp2(p->cents / 1200);
	w->amp_factor = pow(10, p->gain_db / 20);
	tfr_warp_reset(w);
	return w;
}

double tfr_warp_time(const tfr_warp *w, double t)
{
	const tfr_envelope *m = w->markers;
	if (!m)
		return w->p.stretch == 1 ? t : t * w->p.stretch;
	/* slope 1 outside the markers (exact at the ends) */
	if (t <= m->x[0])
		return m->y[0] - (m->x[0] - t);
	if (t >= m->x[m->n - 1])
		return m->y[m->n - 1] + (t - m->x[m->n - 1]);
	return tfr_envelope_at(m, t);
}

static int push(tfr_warp *w, const tfr_breakpoint *b)
{
	if (tfr_grow((void **)&w->out, &w->capout, w->nout + 1, sizeof *w->out))
		return TFR_ENOMEM;
	w->out[w->nout++] = *b;
	w->stats.breakpoints++;
	return TFR_OK;
}

/* The state of partial id (made if new), its index in *idx; NULL: no
 * memory. */
static struct state *state_of(tfr_warp *w, int64_t id, int64_t *idx)
{
	int added;
	int64_t next = w->nfree ? w->freeidx[w->nfree - 1] : (int64_t)w->nst;
	int64_t *i = idmap_get(&w->at, (uint64_t)id, next, &added);
	if (!i)
		return NULL;
	if (added) {
		if (w->nfree) {
			w->nfree--;
		} else {
			if (tfr_grow((void **)&w->st, &w->capst, w->nst + 1, sizeof *w->st)) {
				idmap_remove(&w->at, (uint64_t)id);
				return NULL;
			}
			w->nst++;
		}
		struct state *s = &w->st[*i];
		memset(s, 0, sizeof *s);
		s->used = 1;
		s->id = id;
		s->last_in = -INFINITY;
		s->head = s->tail = -1;
		w->stats.partials++;
	}
	*idx = *i;
	return &w->st[*i];
}

static int forget(tfr_warp *w, int64_t id)
{
	int64_t *i = idmap_find(&w->at, (uint64_t)id);
	if (!i)
		return TFR_OK;
	if (tfr_grow((void **)&w->freeidx, &w->capfree, w->nfree + 1, sizeof *w->freeidx))
		return TFR_ENOMEM;
	w->st[*i].used = 0;
	w->freeidx[w->nfree++] = *i;
	idmap_remove(&w->at, (uint64_t)id);
	return TFR_OK;
}

static double cents_at(const tfr_warp *w, double t)
{
	return w->pitch ? exp2(tfr_envelope_at(w->pitch, t) / 1200) : w->ratio;
}

/* ---- formants: the spectral envelope at a time ---- */

/* The held entry of sequence number seq. */
static struct entry *entry(const tfr_warp *w, int64_t seq)
{
	return &w->q[w->qs + (size_t)(seq - w->base)];
}

/* Partial s's frequency and amplitude at time t, if it sounds then. */
static int sounding(const tfr_warp *w, const struct state *s, double t,
                    double *f, double *a)
{
	const tfr_breakpoint *h = s->head >= 0 ? &entry(w, s->head)->b : NULL;
	if (!s->released) {
		if (!h || h->time - t > w->p.edge)
			return 0;
		*f = h->freq;
		*a = h->amp;
		return 1;
	}
	if (s->rend && t - s->rt > w->p.edge)
		return 0;
	if (!h || h->time == s->rt) {
		*f = s->rf;
		*a = s->ra;
		return 1;
	}
	double u = (t - s->rt) / (h->time - s->rt);
	*f = s->rf + u * (h->freq - s->rf);
	*a = s->ra + u * (h->amp - s->ra);
	return 1;
}

/* The envelope's points at time t into w->pts, by frequency, one per
 * label (the louder); their number, or -1: no memory. */
static long envelope_points(tfr_warp *w, double t)
{
	size_t n = 0;
	for (size_t i = 0; i < w->nst; i++) {
		const struct state *s = &w->st[i];
		double f, a;
		if (!s->used || s->label <= 0 || !sounding(w, s, t, &f, &a))
			continue;
		if (tfr_grow((void **)&w->pts, &w->cappts, n + 1, sizeof *w->pts))
			return -1;
		/* insertion by label (states are met in any order) */
		struct point x = { f, log(fmax(a, AMP_FLOOR)), s->label };
		size_t j = n;
		while (j > 0 && w->pts[j - 1].label > x.label) {
			w->pts[j] = w->pts[j - 1];
			j--;
		}
		if (j > 0 && w->pts[j - 1].label == x.label) {
			/* the same label twice: the louder stays */
			if (x.la > w->pts[j - 1].la)
				w->pts[j - 1] = x;
			memmove(w->pts + j, w->pts + j + 1, (n - j) * sizeof *w->pts);
			continue;
		}
		w->pts[j] = x;
		n++;
	}
	/* by frequency (harmonics in label order are nearly so already) */
	for (size_t i = 1; i < n; i++) {
		struct point x = w->pts[i];
		size_t j = i;
		while (j > 0 && w->pts[j - 1].f > x.f) {
			w->pts[j] = w->pts[j - 1];
			j--;
		}
		w->pts[j] = x;
	}
	return (long)n;
}

/* The log envelope at frequency f from n points by frequency. */
static double envelope_at(const struct point *pts, size_t n, double f)
{
	if (f <= pts[0].f)
		return pts[0].la;
	if (f >= pts[n - 1].f)
		return pts[n - 1].la;
	size_t lo = 0, hi = n - 1;
	while (hi - lo > 1) {
		size_t mid = lo + (hi - lo) / 2;
		if (pts[mid].f <= f)
			lo = mid;
		else
			hi = mid;
	}
	double u = (f - pts[lo].f) / (pts[hi].f - pts[lo].f);
	return pts[lo].la + u * (pts[hi].la - pts[lo].la);
}

/* ---- one breakpoint out ---- */

static int emit(tfr_warp *w, struct state *s, const tfr_breakpoint *b)
{
	tfr_breakpoint x = *b;
	double t = b->time;
	if (w->retime)
		x.time = tfr_warp_time(w, t);
	if (w->repitch)
		x.freq = b->freq * cents_at(w, t);
	if (w->rescale_amp) {
		double g = w->gain ? pow(10, tfr_envelope_at(w->gain, t) / 20) : w->amp_factor;
		if (w->p.formants && w->repitch && b->label > 0) {
			long n = envelope_points(w, t);
			if (n < 0)
				return TFR_ENOMEM;
			if (n > 0) {
				g *= exp(envelope_at(w->pts, (size_t)n, x.freq) -
				         envelope_at(w->pts, (size_t)n, b->freq));
				w->stats.formant++;
			}
		}
		x.amp = (float)(b->amp * g);
	}
	if (w->rescale_bw) {
		double s2 = w->bandwidth ? tfr_envelope_at(w->bandwidth, t) : w->p.bandwidth_scale;
		double bw = b->bandwidth * s2;
		if (bw > 1) {
			bw = 1;
			w->stats.clamped++;
		}
		x.bandwidth = (float)bw;
	}
	if (w->retime || w->repitch) {
		double ph = b->phase;
		if (s->started)
			ph = remainder(s->nph + TFR_PI * (s->nf + x.freq) * (x.time - s->nt),
			               TFR_2PI);
		s->started = 1;
		s->nt = x.time;
		s->nf = x.freq;
		s->nph = ph;
		x.phase = (float)ph;
	}
	return push(w, &x);
}

/* Release the oldest held breakpoint. */
static int release(tfr_warp *w)
{
	struct entry e = w->q[w->qs];
	struct state *s = &w->st[e.state];
	s->head = e.next;
	if (s->head < 0)
		s->tail = -1;
	s->released = 1;
	s->rend = e.b.end;
	s->rt = e.b.time;
	s->rf = e.b.freq;
	s->ra = e.b.amp;
	int r = emit(w, s, &e.b);
	w->base++;
	w->qs++;
	w->nq--;
	/* partials ended more than `edge` ago are done with */
	for (size_t i = 0; !r && i < w->nst; i++) {
		const struct state *x = &w->st[i];
		if (x->used && x->released && x->rend && e.b.time - x->rt > w->p.edge)
			r = forget(w, x->id);
	}
	return r;
}

static int hold(tfr_warp *w, struct state *s, int64_t idx, const tfr_breakpoint *b)
{
	if (w->qs && w->qs + w->nq == w->capq) {
		/* the released front's room, used again */
		memmove(w->q, w->q + w->qs, w->nq * sizeof *w->q);
		w->qs = 0;
	}
	if (tfr_grow((void **)&w->q, &w->capq, w->qs + w->nq + 1, sizeof *w->q))
		return TFR_ENOMEM;
	int64_t seq = w->base + (int64_t)w->nq;
	w->q[w->qs + w->nq++] = (struct entry){ *b, -1, idx };
	if (s->tail >= 0)
		entry(w, s->tail)->next = seq;
	else
		s->head = seq;
	s->tail = seq;
	s->label = b->label;
	return TFR_OK;
}

static int take(tfr_warp *w, const tfr_breakpoint *b)
{
	if (b->time < w->last_time)
		return TFR_EINVAL;
	if (w->identity) {
		w->last_time = b->time;
		return push(w, b);
	}
	int64_t idx;
	struct state *s = state_of(w, b->partial, &idx);
	if (!s)
		return TFR_ENOMEM;
	if (!(b->time > s->last_in))
		return TFR_EINVAL;
	w->last_time = b->time;
	s->last_in = b->time;
	s->label = b->label;
	if (!w->rescale_amp || !w->p.formants) {
		int r = emit(w, s, b);
		if (!r && b->end)
			r = forget(w, b->partial);
		return r;
	}
	int r = hold(w, s, idx, b);
	while (!r && w->nq && b->time - w->q[w->qs].b.time > w->p.lookahead)
		r = release(w);
	return r;
}

static void start_output(tfr_warp *w)
{
	if (w->taken) {
		w->nout = 0;
		w->taken = 0;
	}
}

int tfr_warp_process(tfr_warp *w, const tfr_breakpoint *b, size_t n)
{
	start_output(w);
	for (size_t i = 0; i < n; i++) {
		int e = take(w, &b[i]);
		if (e)
			return e;
	}
	return TFR_OK;
}

int tfr_warp_flush(tfr_warp *w)
{
	start_output(w);
	while (w->nq) {
		int e = release(w);
		if (e)
			return e;
	}
	return TFR_OK;
}

const tfr_breakpoint *tfr_warp_ready(tfr_warp *w, size_t *n)
{
	*n = w->nout;
	w->taken = 1;
	return w->out;
}

void tfr_warp_get_stats(const tfr_warp *w, tfr_warp_stats *s)
{
	*s = w->stats;
}

void tfr_warp_reset(tfr_warp *w)
{
	idmap_clear(&w->at);
	w->nst = w->nfree = 0;
	w->qs = w->nq = 0;
	w->base = 0;
	w->last_time = -INFINITY;
	w->nout = 0;
	w->taken = 0;
	memset(&w->stats, 0, sizeof w->stats);
}

void tfr_warp_free(tfr_warp *w)
{
	if (!w)
		return;
	idmap_free(&w->at);
	tfr_envelope_free(w->markers);
	tfr_envelope_free(w->pitch);
	tfr_envelope_free(w->gain);
	tfr_envelope_free(w->bandwidth);
	free(w->st);
	free(w->freeidx);
	free(w->q);
	free(w->pts);
	free(w->out);
	free(w);
}
