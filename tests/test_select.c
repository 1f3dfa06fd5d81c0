/*
 * test_select.c - partials selected by their whole life (tfr_select.h):
 * each criterion at its edge, the kept and the rest partitioning the
 * input breakpoint for breakpoint, each output in time order even when a
 * long partial decided last holds back shorter ones decided first, and
 * partials whose end never came judged at the flush.
 */
#include "testutil.h"
#include "tfr.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static tfr_breakpoint bp(int64_t p, double t, double f, float a, int end, int64_t label)
{
	return (tfr_breakpoint){ p, t, f, a, 0, 0, end, label };
}

/*
 * Four partials, in time order:
 *   0: 0.0-1.0 s, 100 Hz, amp 0.5 (peak 0.5, mean 0.5), 3 points
 *   1: 0.1-0.2 s, 1000 Hz, amp 0.1 then 0.3 (peak 0.3, mean 0.2), 2 points
 *   2: 0.3 s alone, 5000 Hz, amp 0.01, 1 point, label 5
 *   3: 0.4-0.9 s, 200 Hz -> 300 Hz at amps 0.1/0.3 (weighted mean 275),
 *      no end: lasts to the end of the stream, label 2
 */
static const tfr_breakpoint *input(size_t *n)
{
	static tfr_breakpoint b[10];
	size_t k = 0;
	b[k++] = bp(0, 0.0, 100, 0.5f, 0, 1);
	b[k++] = bp(1, 0.1, 1000, 0.1f, 0, 0);
	b[k++] = bp(1, 0.2, 1000, 0.3f, 1, 0);
	b[k++] = bp(2, 0.3, 5000, 0.01f, 1, 5);
	b[k++] = bp(3, 0.4, 200, 0.1f, 0, 2);
	b[k++] = bp(0, 0.5, 100, 0.5f, 0, 1);
	b[k++] = bp(3, 0.9, 300, 0.3f, 0, 2);
	b[k++] = bp(0, 1.0, 100, 0.5f, 1, 1);
	*n = k;
	return b;
}

typedef struct {
	tfr_breakpoint b[2][16];
	size_t n[2];
	tfr_select_stats st;
} result;

static void take(tfr_select *s, result *r)
{
	for (int k = 0; k < 2; k++) {
		size_t m;
		const tfr_breakpoint *b = tfr_select_ready(s, k, &m);
		memcpy(r->b[k] + r->n[k], b, m * sizeof *b);
		r->n[k] += m;
	}
}

/* Run p over the input, one breakpoint at a time: the kept partials' ids
 * as a bit set (bit i: partial i kept). */
static unsigned run(const tfr_select_params *p, result *r)
{
	memset(r, 0, sizeof *r);
	size_t n;
	const tfr_breakpoint *in = input(&n);
	tfr_diag d;
	tfr_select *s = tfr_select_new(p, &d);
	CHECK("new", s != NULL);
	if (!s)
		return 0;
	for (size_t i = 0; i < n; i++) {
		CHECK("process", tfr_select_process(s, &in[i], 1) == TFR_OK);
		take(s, r);
	}
	CHECK("flush", tfr_select_flush(s) == TFR_OK);
	take(s, r);
	tfr_select_get_stats(s, &r->st);
	tfr_select_free(s);
	unsigned kept = 0;
	for (size_t i = 0; i < r->n[0]; i++)
		kept |= 1u << r->b[0][i].partial;
	/* a partition of the input, each part in time order and with each
	 * partial whole in one part */
	CHECK("kept + rest = input", r->n[0] + r->n[1] == n);
	for (int k = 0; k < 2; k++)
		for (size_t i = 1; i < r->n[k]; i++)
			CHECK("each output in time order", r->b[k][i].time >= r->b[k][i - 1].time);
	for (size_t i = 0; i < r->n[1]; i++)
		CHECK("a partial whole in one output", !(kept >> r->b[1][i].partial & 1));
	for (size_t i = 0; i < n; i++) {
		int found = 0;
		for (int k = 0; k < 2; k++)
			for (size_t j = 0; j < r->n[k]; j++)
				found += !memcmp(&r->b[k][j], &in[i], sizeof in[i]);
		CHECK("every breakpoint once, unchanged", found == 1);
	}
	return kept;
}

int main(void)
{
	tfr_select_params p;
	result r;
	tfr_select_params_default(&p);
	CHECK("defaults keep all", run(&p, &r) == 0xF && r.st.kept == 4 && r.st.dropped == 0);

	tfr_select_params_default(&p);
	p.min_duration = 0.5;  /* partial 3 lasts exactly 0.5 s */
	CHECK("min duration, inclusive", run(&p, &r) == 0x9);
	CHECK("stats", r.st.kept == 2 && r.st.dropped == 2 && r.st.kept_points == 5 &&
	      r.st.dropped_points == 3);
	/* partial 0 (to 1.0 s) is decided last: partials 1 and 2, decided
	 * at 0.2 and 0.3 s, still come out in order behind it */
	CHECK("rest in order behind a long partial", r.n[1] == 3 && r.b[1][0].time == 0.1 &&
	      r.b[1][2].time == 0.3);
	tfr_select_params_default(&p);
	p.max_duration = 0.1;
	CHECK("max duration", run(&p, &r) == 0x6);
	tfr_select_params_default(&p);
	p.min_points = 2;
	p.max_points = 2;
	CHECK("points", run(&p, &r) == 0xA);
	tfr_select_params_default(&p);
	p.min_amp = 0.3;
	CHECK("peak amplitude, inclusive", run(&p, &r) == 0xB);
	p.amp_peak = 0;
	/* means: 0.5, 0.2, 0.01, 0.2 */
	p.min_amp = 0.2 - 1e-6;
	CHECK("mean amplitude over time", run(&p, &r) == 0xB);
	p.min_amp = 0.2 + 1e-6;
	CHECK("mean amplitude over time, above", run(&p, &r) == 0x1);
	tfr_select_params_default(&p);
	p.min_freq = 270;
	p.max_freq = 280;
	CHECK("amplitude-weighted mean frequency (275 Hz)", run(&p, &r) == 0x8);
	tfr_select_params_default(&p);
	p.from = 0.25;
	p.to = 0.35;
	CHECK("sounding in a time range", run(&p, &r) == 0x5);
	tfr_select_params_default(&p);
	int64_t labels[] = { 2, 5 };
	p.labels = labels;
	p.nlabels = 2;
	CHECK("labels", run(&p, &r) == 0xC);
	labels[0] = 0;
	p.nlabels = 1;
	CHECK("label 0: unlabelled", run(&p, &r) == 0x2);

	tfr_diag d;
	tfr_select_params_default(&p);
	p.min_duration = 2;
	p.max_duration = 1;
	CHECK("min > max refused", tfr_select_check(&p, &d) == TFR_EINVAL && d.text[0]);
	tfr_select_params_default(&p);
	p.min_points = 0;
	CHECK("min points 0 refused", tfr_select_check(&p, &d) == TFR_EINVAL);
	tfr_select_params_default(&p);
	tfr_select *s = tfr_select_new(&p, &d);
	tfr_breakpoint b[2] = { bp(0, 1, 100, 1, 0, 0), bp(1, 0.5, 100, 1, 0, 0) };
	CHECK("time going back refused", tfr_select_process(s, b, 2) == TFR_EINVAL);
	tfr_select_free(s);
	tfr_select_free(NULL);
	return test_finish("test_select");
}
