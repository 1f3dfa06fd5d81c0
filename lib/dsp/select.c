/*
 * select.c - partials selected by their whole life, the rest kept
 * (tfr_select.h). Each partial's figures grow with its breakpoints; at
 * its end it is judged, and the held queue (phold.h) releases it to the
 * kept or the rest in stream order.
 */
#include "tfr_select.h"
#include "internal.h"
#include "phold.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* A partial's life so far. */
struct life {
	double t0, t1;        /* first and last time */
	int64_t points;
	double peak;
	double area;          /* integral of amplitude over time */
	double last_amp;
	double fa, a;         /* sums of amp * freq and amp */
	double f;             /* sum of freq (all amplitudes 0) */
	int64_t label;
};

struct tfr_select {
	tfr_select_params p;
	int64_t *labels;
	phold h;
	struct life *life;
	size_t caplife;
	tfr_breakpoint *out[2];
	size_t nout[2], capout[2];
	double last_time;
	tfr_select_stats st;
};

void tfr_select_params_default(tfr_select_params *p)
{
	memset(p, 0, sizeof *p);
	p->min_duration = 0;
	p->max_duration = INFINITY;
	p->min_points = 1;
	p->max_points = INT64_MAX;
	p->amp_peak = 1;
	p->min_amp = 0;
	p->max_amp = INFINITY;
	p->min_freq = 0;
	p->max_freq = INFINITY;
	p->from = -INFINITY;
	p->to = INFINITY;
}

static int range_bad(double lo, double hi)
{
	return isnan(lo) || isnan(hi) || lo > hi;
}

int tfr_select_check(const tfr_select_params *p, tfr_diag *d)
{
	tfr_diag_clear(d);
	if (!p)
		return tfr_diag_set(d, TFR_EINVAL, "no parameters");
	if (range_bad(p->min_duration, p->max_duration) || p->min_duration < 0)
		return tfr_diag_set(d, TFR_EINVAL, "durations: need 0 <= min <= max");
	if (p->min_points < 1 || p->min_points > p->max_points)
		return tfr_diag_set(d, TFR_EINVAL, "breakpoints: need 1 <= min <= max");
	if (range_bad(p->min_amp, p->max_amp) || p->min_amp < 0)
		return tfr_diag_set(d, TFR_EINVAL, "amplitudes: need 0 <= min <= max");
	if (range_bad(p->min_freq, p->max_freq) || p->min_freq < 0)
		return tfr_diag_set(d, TFR_EINVAL, "frequencies: need 0 <= min <= max");
	if (range_bad(p->from, p->to))
		return tfr_diag_set(d, TFR_EINVAL, "time range: need from <= to");
	if (p->nlabels > TFR_SELECT_MAX_LABELS || (p->nlabels && !p->labels))
		return tfr_diag_set(d, TFR_EINVAL, "labels: too many, or none given");
	return TFR_OK;
}

tfr_select *tfr_select_new(const tfr_select_params *p, tfr_diag *d)
{
	if (tfr_select_check(p, d) != TFR_OK)
		return NULL;
	tfr_select *s = calloc(1, sizeof *s);
	if (!s || (p->nlabels && !(s->labels = malloc(p->nlabels * sizeof *s->labels))) ||
	    tfr_grow((void **)&s->out[0], &s->capout[0], 1, sizeof(tfr_breakpoint)) ||
	    tfr_grow((void **)&s->out[1], &s->capout[1], 1, sizeof(tfr_breakpoint))) {
		tfr_select_free(s);
		tfr_diag_set(d, TFR_ENOMEM, "out of memory");
		return NULL;
	}
	s->p = *p;
	if (p->nlabels)
		memcpy(s->labels, p->labels, p->nlabels * sizeof *s->labels);
	s->p.labels = s->labels;
	phold_init(&s->h);
	tfr_select_reset(s);
	return s;
}

static int has_label(const tfr_select *s, int64_t label)
{
	if (!s->p.nlabels)
		return 1;
	for (size_t i = 0; i < s->p.nlabels; i++)
		if (s->labels[i] == label)
			return 1;
	return 0;
}

static int kept(const tfr_select *s, const struct life *l)
{
	const tfr_select_params *p = &s->p;
	double dur = l->t1 - l->t0;
	double amp = p->amp_peak ? l->peak : dur > 0 ? l->area / dur : l->last_amp;
	double freq = l->a > 0 ? l->fa / l->a : l->f / (double)l->points;
	return dur >= p->min_duration && dur <= p->max_duration &&
	       l->points >= p->min_points && l->points <= p->max_points &&
	       amp >= p->min_amp && amp <= p->max_amp &&
	       freq >= p->min_freq && freq <= p->max_freq &&
	       l->t0 <= p->to && l->t1 >= p->from && has_label(s, l->label);
}

static void grow_life(struct life *l, const tfr_breakpoint *b, int first)
{
	double a = b->amp;
	if (first) {
		*l = (struct life){ b->time, b->time, 0, 0, 0, a, 0, 0, 0, b->label };
	} else {
		l->area += 0.5 * (l->last_amp + a) * (b->time - l->t1);
		l->t1 = b->time;
		l->last_amp = a;
	}
	l->points++;
	l->peak = fmax(l->peak, a);
	l->fa += a * b->freq;
	l->a += a;
	l->f += b->freq;
}

/* Release what is decided to the outputs. */
static int release(tfr_select *s)
{
	tfr_breakpoint b;
	int64_t v;
	while (phold_next(&s->h, &b, &v)) {
		int k = v != 0;
		if (tfr_grow((void **)&s->out[k], &s->capout[k], s->nout[k] + 1, sizeof b))
			return TFR_ENOMEM;
		s->out[k][s->nout[k]++] = b;
		if (k)
			s->st.dropped_points++;
		else
			s->st.kept_points++;
	}
	return TFR_OK;
}

static void judge(tfr_select *s, size_t slot)
{
	int k = kept(s, &s->life[slot]);
	phold_decide(&s->h, slot, k ? 0 : 1);
	if (k)
		s->st.kept++;
	else
		s->st.dropped++;
}

static void start_output(tfr_select *s)
{
	s->nout[0] = s->nout[1] = 0;
}

int tfr_select_process(tfr_select *s, const tfr_breakpoint *b, size_t n)
{
	start_output(s);
	for (size_t i = 0; i < n; i++) {
		if (b[i].time < s->last_time)
			return TFR_EINVAL;
		s->last_time = b[i].time;
		size_t slot;
		int first;
		if (phold_put(&s->h, &b[i], &slot, &first) != TFR_OK ||
		    tfr_grow((void **)&s->life, &s->caplife, phold_nslots(&s->h),
		             sizeof *s->life))
			return TFR_ENOMEM;
		grow_life(&s->life[slot], &b[i], first);
		if (b[i].end)
			judge(s, slot);
		if (release(s) != TFR_OK)
			return TFR_ENOMEM;
	}
	return TFR_OK;
}

int tfr_select_flush(tfr_select *s)
{
	start_output(s);
	for (size_t k = 0; k < phold_nslots(&s->h); k++)
		if (phold_undecided(&s->h, k))
			judge(s, k);
	return release(s);
}

const tfr_breakpoint *tfr_select_ready(tfr_select *s, int rest, size_t *n)
{
	int k = rest != 0;
	*n = s->nout[k];
	return s->out[k];
}

void tfr_select_get_stats(const tfr_select *s, tfr_select_stats *st)
{
	*st = s->st;
}

void tfr_select_reset(tfr_select *s)
{
	phold_clear(&s->h);
	start_output(s);
	s->last_time = -INFINITY;
	memset(&s->st, 0, sizeof s->st);
}

void tfr_select_free(tfr_select *s)
{
	if (!s)
		return;
	phold_free(&s->h);
	free(s->labels);
	free(s->life);
	free(s->out[0]);
	free(s->out[1]);
	free(s);
}
