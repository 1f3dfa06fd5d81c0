/*
 * label.c - harmonic labels of partials (tfr_label.h).
 *
 * Each breakpoint's fractional channel is taken when it arrives, against
 * the reference then; a partial's sums give its label at its end, and
 * the held queue (phold.h) releases it labelled in stream order. The
 * sieve delays a verdict until every partial that started before the
 * partial's end has ended too: then all that overlap it are known.
 */
#include "tfr_label.h"
#include "internal.h"
#include "phold.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* NEAR: the band either side of `near`, and how much louder (amplitude
 * ratio: 6 dB) another partial in it must be to become the reference;
 * a reference older than REF_HOLD s is none. */
#define NEAR_BAND 1.2599210498948732  /* 2^(1/3) */
#define NEAR_SWITCH 2.0
#define REF_HOLD 0.05
/* A partial is labelled from its breakpoints that have a reference when
 * there are MIN_VOICED of them, or they are half of its breakpoints
 * (a partial that lives on into an unvoiced stretch is still the
 * harmonic it was: speech44k, share of the voiced frames' energy in
 * labelled partials 91.9 % when half were needed, 100 % so) */
#define MIN_VOICED 3

struct life {
	double t0, t1;
	int64_t points, voiced;
	double sc, sc2;       /* sums of c and c^2 over the voiced */
	double sr;            /* sum of f / ref over the voiced */
	double energy;        /* amp^2 dt, trapezoid */
	float last_amp;
	int64_t label;        /* once ended */
	int64_t channel;      /* of a channel-split stream (0: none) */
	int ended, waiting;   /* waiting: for the sieve */
};

/* channel: a harmonic is one partial at a time within a channel; the
 * channels of a split stream are sounds of their own */
struct span {
	double t0, t1;
	int64_t label, channel;
	size_t slot;
};

struct tfr_label {
	tfr_label_params p;
	phold h;
	struct life *life;
	size_t caplife;
	/* TRACK */
	tfr_f0_frame *fr;
	size_t nfr, capfr, head;
	int ref_done;
	/* NEAR */
	int64_t ref_id;
	double ref_f, ref_t;
	float ref_amp;
	/* sieve: ended labelled partials that may overlap one undecided */
	struct span *recent;
	size_t nrecent, caprecent;
	size_t *waiting;
	size_t nwaiting, capwaiting;
	double last_time;
	tfr_breakpoint *out;
	size_t nout, capout;
	double *ratio, *weight;  /* fit: per partial judged */
	size_t nratio, capratio, capweight;
	tfr_label_stats st;
};

void tfr_label_params_default(tfr_label_params *p)
{
	memset(p, 0, sizeof *p);
	p->ref = TFR_LABEL_CONSTANT;
	p->near_harmonic = 1;
	p->stretch = 0;
	p->tolerance = 0.5;
}

int tfr_label_check(const tfr_label_params *p, tfr_diag *d)
{
	tfr_diag_clear(d);
	if (!p)
		return tfr_diag_set(d, TFR_EINVAL, "no parameters");
	if (p->ref == TFR_LABEL_CONSTANT && !(p->f0 > 0 && p->f0 < 1e9))
		return tfr_diag_set(d, TFR_EINVAL, "the reference frequency must be > 0");
	if (p->ref == TFR_LABEL_NEAR && !(p->near > 0 && p->near < 1e9))
		return tfr_diag_set(d, TFR_EINVAL, "the frequency to look near must be > 0");
	if (p->ref == TFR_LABEL_NEAR && !(p->near_harmonic >= 1 && p->near_harmonic <= 1000))
		return tfr_diag_set(d, TFR_EINVAL, "the reference's harmonic must be in [1, 1000]");
	if (p->ref != TFR_LABEL_CONSTANT && p->ref != TFR_LABEL_TRACK &&
	    p->ref != TFR_LABEL_NEAR)
		return tfr_diag_set(d, TFR_EINVAL, "unknown reference");
	if (!(p->stretch >= 0 && p->stretch <= 1))
		return tfr_diag_set(d, TFR_EINVAL, "the inharmonicity B must be in [0, 1]");
	if (!(p->tolerance > 0 && p->tolerance <= 0.5))
		return tfr_diag_set(d, TFR_EINVAL, "the tolerance must be in (0, 0.5] channel");
	return TFR_OK;
}

tfr_label *tfr_label_new(const tfr_label_params *p, tfr_diag *d)
{
	if (tfr_label_check(p, d) != TFR_OK)
		return NULL;
	tfr_label *l = calloc(1, sizeof *l);
	if (!l || tfr_grow((void **)&l->out, &l->capout, 1, sizeof *l->out)) {
		free(l);
		tfr_diag_set(d, TFR_ENOMEM, "out of memory");
		return NULL;
	}
	l->p = *p;
	phold_init(&l->h);
	tfr_label_reset(l);
	return l;
}

/* ---- the reference ---- */

int tfr_label_reference(tfr_label *l, const tfr_f0_frame *f, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if ((l->nfr && !(f[i].time > l->fr[l->nfr - 1].time)) || !(f[i].f0 >= 0))
			return TFR_EINVAL;
		/* frames the breakpoints have passed go, but the one before
		 * the latest breakpoint */
		if (l->head && l->head >= l->nfr - l->head) {
			memmove(l->fr, l->fr + l->head, (l->nfr - l->head) * sizeof *l->fr);
			l->nfr -= l->head;
			l->head = 0;
		}
		if (tfr_grow((void **)&l->fr, &l->capfr, l->nfr + 1, sizeof *l->fr))
			return TFR_ENOMEM;
		l->fr[l->nfr++] = f[i];
	}
	return TFR_OK;
}

double tfr_label_reference_end(const tfr_label *l)
{
	return l->nfr ? l->fr[l->nfr - 1].time : -INFINITY;
}

void tfr_label_reference_done(tfr_label *l)
{
	l->ref_done = 1;
}

static int voiced(const tfr_f0_frame *f)
{
	return f->voicing >= 0.5f && f->f0 > 0;
}

/* TRACK: ref at t, 0 for none. */
static double track_ref(tfr_label *l, double t)
{
	while (l->head + 1 < l->nfr && l->fr[l->head + 1].time <= t)
		l->head++;
	if (l->head >= l->nfr)
		return 0;
	const tfr_f0_frame *a = &l->fr[l->head];
	const tfr_f0_frame *b = l->head + 1 < l->nfr ? a + 1 : NULL;
	if (t < a->time)  /* before the first frame */
		return 0;
	if (!b)
		return voiced(a) && t - a->time <= 0.05 ? a->f0 : 0;
	double half = (b->time - a->time) / 2;
	if (voiced(a) && voiced(b))
		return a->f0 + (b->f0 - a->f0) * (t - a->time) / (b->time - a->time);
	if (voiced(a) && t - a->time <= half)
		return a->f0;
	if (voiced(b) && b->time - t <= half)
		return b->f0;
	return 0;
}

/* NEAR: follow the loudest partial in the band; ref at b, 0 for none. */
static double near_ref(tfr_label *l, const tfr_breakpoint *b)
{
	double lo = l->p.near / NEAR_BAND, hi = l->p.near * NEAR_BAND;
	int in = b->freq >= lo && b->freq <= hi;
	if (b->partial == l->ref_id || (in && (l->ref_id < 0 ||
	    b->time - l->ref_t > REF_HOLD || b->amp > NEAR_SWITCH * l->ref_amp))) {
		l->ref_id = b->partial;
		l->ref_f = b->freq / l->p.near_harmonic;
		l->ref_t = b->time;
		l->ref_amp = b->amp;
	}
	double r = l->ref_id >= 0 && fabs(b->time - l->ref_t) <= REF_HOLD ? l->ref_f : 0;
	if (b->partial == l->ref_id && b->end)
		l->ref_id = -1;
	return r;
}

static double reference(tfr_label *l, const tfr_breakpoint *b)
{
	switch (l->p.ref) {
	case TFR_LABEL_CONSTANT:
		return l->p.f0;
	case TFR_LABEL_TRACK:
		return track_ref(l, b->time);
	default:
		return near_ref(l, b);
	}
}

/* The fractional channel of frequency f at ref (tfr_label.h). */
static double channel(double f, double ref, double B)
{
	double r = f / ref;
	if (B <= 0)
		return r;
	return sqrt((sqrt(1 + 4 * B * r * r) - 1) / (2 * B));
}

/* ---- verdicts ---- */

static int64_t label_of(const tfr_label *l, const struct life *x)
{
	if (!x->voiced || (x->voiced < MIN_VOICED && 2 * x->voiced < x->points))
		return 0;
	double m = x->sc / (double)x->voiced;
	double k = floor(m + 0.5);
	double ms = x->sc2 / (double)x->voiced - 2 * k * m + k * k;
	/* 0.5, the largest tolerance, is none: a partial whose channel
	 * wanders (a glide the partial does not follow) is still labelled
	 * with the nearest to its mean, as Loris does */
	if (k < 1 || k > 1000000 ||
	    (l->p.tolerance < 0.5 && sqrt(fmax(ms, 0)) > l->p.tolerance))
		return 0;
	return (int64_t)k;
}

static void decide(tfr_label *l, size_t slot, int64_t label)
{
	struct life *x = &l->life[slot];
	phold_decide(&l->h, slot, label);
	l->st.partials++;
	l->st.energy += x->energy;
	if (label > 0) {
		l->st.labelled++;
		l->st.labelled_energy += x->energy;
		if (label > l->st.max_label)
			l->st.max_label = label;
	}
}

/* Start of the earliest partial still open (inf: none). */
static double open_start(const tfr_label *l)
{
	double t = INFINITY;
	for (size_t k = 0; k < phold_nslots(&l->h); k++)
		if (phold_undecided(&l->h, k) && !l->life[k].ended && l->life[k].t0 < t)
			t = l->life[k].t0;
	return t;
}

/* q wins p's label from it: it overlaps p and is longer (earlier, at a
 * tie). */
static int beats(const struct span *q, const struct life *p, size_t pslot)
{
	if (q->slot == pslot || q->t0 > p->t1 || q->t1 < p->t0)
		return 0;
	double dq = q->t1 - q->t0, dp = p->t1 - p->t0;
	return dq > dp || (dq == dp && q->t0 < p->t0);
}

/* Decide the waiting partials all of whose overlaps are known. */
static void sieve(tfr_label *l)
{
	double open = open_start(l);
	size_t k = 0;
	for (size_t i = 0; i < l->nwaiting; i++) {
		size_t s = l->waiting[i];
		struct life *p = &l->life[s];
		if (p->t1 >= open) {
			l->waiting[k++] = s;
			continue;
		}
		int64_t label = p->label;
		for (size_t j = 0; j < l->nrecent; j++)
			if (l->recent[j].label == label && l->recent[j].channel == p->channel &&
			    beats(&l->recent[j], p, s)) {
				label = 0;
				l->st.sieved++;
				break;
			}
		p->waiting = 0;
		decide(l, s, label);
	}
	l->nwaiting = k;
	/* spans that no partial waiting or open can overlap go */
	double keep = open;
	for (size_t i = 0; i < l->nwaiting; i++)
		keep = fmin(keep, l->life[l->waiting[i]].t0);
	k = 0;
	for (size_t j = 0; j < l->nrecent; j++)
		if (l->recent[j].t1 >= keep)
			l->recent[k++] = l->recent[j];
	l->nrecent = k;
}

static int end_partial(tfr_label *l, size_t slot)
{
	struct life *x = &l->life[slot];
	x->ended = 1;
	x->label = label_of(l, x);
	if (l->p.fit && x->voiced) {
		if (tfr_grow((void **)&l->ratio, &l->capratio, l->nratio + 1, sizeof *l->ratio) ||
		    tfr_grow((void **)&l->weight, &l->capweight, l->nratio + 1, sizeof *l->weight))
			return TFR_ENOMEM;
		l->ratio[l->nratio] = x->sr / (double)x->voiced;
		l->weight[l->nratio++] = x->energy > 0 ? x->energy : 1e-30;
	}
	if (!l->p.sieve || !x->label) {
		decide(l, slot, x->label);
		return TFR_OK;
	}
	if (tfr_grow((void **)&l->recent, &l->caprecent, l->nrecent + 1, sizeof *l->recent) ||
	    tfr_grow((void **)&l->waiting, &l->capwaiting, l->nwaiting + 1, sizeof *l->waiting))
		return TFR_ENOMEM;
	l->recent[l->nrecent++] = (struct span){ x->t0, x->t1, x->label, x->channel, slot };
	l->waiting[l->nwaiting++] = slot;
	x->waiting = 1;
	return TFR_OK;
}

/* ---- the stream ---- */

static void grow_life(struct life *x, const tfr_breakpoint *b, int first,
                      double c, double r)
{
	if (first) {
		memset(x, 0, sizeof *x);
		x->t0 = b->time;
		x->channel = b->channel;
	} else {
		double dt = b->time - x->t1;
		x->energy += 0.5 * ((double)x->last_amp * x->last_amp +
		                    (double)b->amp * b->amp) * dt;
	}
	x->t1 = b->time;
	x->last_amp = b->amp;
	x->points++;
	if (c > 0) {
		x->voiced++;
		x->sc += c;
		x->sc2 += c * c;
		x->sr += r;
	}
}

static int release(tfr_label *l)
{
	tfr_breakpoint b;
	int64_t v;
	while (phold_next(&l->h, &b, &v)) {
		if (tfr_grow((void **)&l->out, &l->capout, l->nout + 1, sizeof b))
			return TFR_ENOMEM;
		b.label = v;
		l->out[l->nout++] = b;
	}
	return TFR_OK;
}

int tfr_label_process(tfr_label *l, const tfr_breakpoint *b, size_t n)
{
	l->nout = 0;
	for (size_t i = 0; i < n; i++) {
		if (b[i].time < l->last_time)
			return TFR_EINVAL;
		l->last_time = b[i].time;
		double ref = reference(l, &b[i]);
		double c = ref > 0 ? channel(b[i].freq, ref, l->p.stretch) : 0;
		double r = ref > 0 ? b[i].freq / ref : 0;
		size_t slot;
		int first;
		if (phold_put(&l->h, &b[i], &slot, &first) != TFR_OK ||
		    tfr_grow((void **)&l->life, &l->caplife, phold_nslots(&l->h),
		             sizeof *l->life))
			return TFR_ENOMEM;
		grow_life(&l->life[slot], &b[i], first, c, r);
		if (b[i].end) {
			if (end_partial(l, slot) != TFR_OK)
				return TFR_ENOMEM;
			if (l->p.sieve)
				sieve(l);
		}
		if (release(l) != TFR_OK)
			return TFR_ENOMEM;
	}
	return TFR_OK;
}

int tfr_label_flush(tfr_label *l)
{
	l->nout = 0;
	for (size_t k = 0; k < phold_nslots(&l->h); k++)
		if (phold_undecided(&l->h, k) && !l->life[k].ended &&
		    end_partial(l, k) != TFR_OK)
			return TFR_ENOMEM;
	if (l->p.sieve)
		sieve(l);
	return release(l);
}

/* One step of tfr_label_fit: B from the labels that B0 gives the
 * ratios up to rmax. */
static double fit_step(const tfr_label *l, double B0, double rmax)
{
	double num = 0, den = 0;
	for (size_t i = 0; i < l->nratio; i++) {
		double r = l->ratio[i];
		double k = floor(channel(r, 1, B0) + 0.5);
		if (r > rmax || k < 1)
			continue;
		double w = l->weight[i], k2 = k * k;
		num += w * k2 * ((r / k) * (r / k) - 1);
		den += w * k2 * k2;
	}
	return den > 0 ? fmax(0, fmin(1, num / den)) : 0;
}

int tfr_label_fit(const tfr_label *l, double *B)
{
	*B = 0;
	if (l->nratio < 3)
		return TFR_EINVAL;
	double b = fit_step(l, 0, 8.5);
	for (int it = 0; it < 50; it++) {
		double nb = fit_step(l, b, INFINITY);
		if (fabs(nb - b) <= 1e-12 + 1e-9 * b) {
			b = nb;
			break;
		}
		b = nb;
	}
	*B = b;
	return TFR_OK;
}

const tfr_breakpoint *tfr_label_ready(tfr_label *l, size_t *n)
{
	*n = l->nout;
	return l->out;
}

void tfr_label_get_stats(const tfr_label *l, tfr_label_stats *st)
{
	*st = l->st;
}

void tfr_label_reset(tfr_label *l)
{
	phold_clear(&l->h);
	l->nfr = l->head = 0;
	l->ref_done = 0;
	l->ref_id = -1;
	l->ref_f = l->ref_t = 0;
	l->ref_amp = 0;
	l->nrecent = l->nwaiting = 0;
	l->nratio = 0;
	l->last_time = -INFINITY;
	l->nout = 0;
	memset(&l->st, 0, sizeof l->st);
}

void tfr_label_free(tfr_label *l)
{
	if (!l)
		return;
	phold_free(&l->h);
	free(l->life);
	free(l->fr);
	free(l->recent);
	free(l->waiting);
	free(l->ratio);
	free(l->weight);
	free(l->out);
	free(l);
}
