/*
 * fuzz_post.c - the objects between analysis and resynthesis (tfr_select,
 * tfr_label, tfr_distill, tfr_morph, tfr_warp) on any partials stream
 * that reads without error, as tfr-select, tfr-label, tfr-morph and
 * tfr-warp drive them.
 *
 * The first byte chooses the object and its options; the rest is the
 * stream (labelled or not). The records are taken while they keep the
 * stream's contract (each partial's times increasing, no id after its
 * end: what the tools' inputs promise), at most MAX_RECORDS. Checked:
 * what comes out keeps the contract too (fuzz_partials.h: stream order,
 * each partial's times increasing, ids not met again after their end,
 * values in range), a selection's two outputs are the input breakpoint
 * for breakpoint, and a refusal carries a code.
 */
#include "fuzz_partials.h"

enum { MAX_RECORDS = 4096 };

/* The contract of an input prefix: a checker that says "stop" instead
 * of aborting. */
static size_t valid_prefix(tfr_breakpoint *b, size_t n)
{
	fp_checker c;
	fp_init(&c);
	c.phase_max = FLT_MAX;
	size_t k = 0;
	for (; k < n; k++) {
		const tfr_breakpoint *x = &b[k];
		if (!(x->partial >= 0 && isfinite(x->time) && x->time >= c.last_time &&
		      x->label >= 0 && x->label <= 1000000))
			break;
		fp_slot *s = fp_find(&c, x->partial);
		if (s->ended || !(x->time > s->last))
			break;
		s->last = x->time;
		s->ended = x->end;
		c.last_time = x->time;
	}
	fp_discard(&c);
	return k;
}

/* Feed, collect, check: the object behind three calls. */
typedef struct {
	int (*process)(void *o, const tfr_breakpoint *b, size_t n);
	int (*flush)(void *o);
	const tfr_breakpoint *(*ready)(void *o, size_t *n);
} calls;

static size_t drive(void *o, const calls *k, const tfr_breakpoint *b, size_t n,
                    unsigned chunk, tfr_breakpoint *out, size_t max)
{
	fp_checker c;
	fp_init(&c);
	c.phase_max = FLT_MAX;
	size_t m = 0, got;
	for (size_t i = 0;; i += chunk) {
		if (i > n)
			i = n;  /* the flush */
		int e = i < n ? k->process(o, b + i, n - i < chunk ? n - i : chunk)
		              : k->flush(o);
		FUZZ_CHECK(e == TFR_OK || e == TFR_ENOMEM);
		if (e != TFR_OK)
			break;
		const tfr_breakpoint *r = k->ready(o, &got);
		FUZZ_CHECK(r != NULL);
		for (size_t j = 0; j < got; j++) {
			fp_take(&c, &r[j]);
			if (out && m < max)
				out[m] = r[j];
			m++;
		}
		if (i >= n)
			break;
	}
	fp_discard(&c);
	return m;
}

static int lab_process(void *o, const tfr_breakpoint *b, size_t n) { return tfr_label_process(o, b, n); }
static int lab_flush(void *o) { return tfr_label_flush(o); }
static const tfr_breakpoint *lab_ready(void *o, size_t *n) { return tfr_label_ready(o, n); }
static int dis_process(void *o, const tfr_breakpoint *b, size_t n) { return tfr_distill_process(o, b, n); }
static int dis_flush(void *o) { return tfr_distill_flush(o); }
static const tfr_breakpoint *dis_ready(void *o, size_t *n) { return tfr_distill_ready(o, n); }
static int war_process(void *o, const tfr_breakpoint *b, size_t n) { return tfr_warp_process(o, b, n); }
static int war_flush(void *o) { return tfr_warp_flush(o); }
static const tfr_breakpoint *war_ready(void *o, size_t *n) { return tfr_warp_ready(o, n); }

/* A selection: kept and rest together are the input. */
static void selection(const tfr_breakpoint *b, size_t n, unsigned opt)
{
	tfr_select_params p;
	tfr_select_params_default(&p);
	p.min_duration = (opt & 3) * 0.01;
	p.amp_peak = opt >> 2 & 1;
	p.min_amp = opt & 8 ? 0.01 : 0;
	int64_t labels[2] = { 0, 1 };
	if (opt & 16) {
		p.labels = labels;
		p.nlabels = 2;
	}
	tfr_diag d;
	tfr_select *s = tfr_select_new(&p, &d);
	if (!s)
		return;
	size_t kept = 0, rest = 0, got;
	fp_checker c[2];
	fp_init(&c[0]);
	fp_init(&c[1]);
	c[0].phase_max = c[1].phase_max = FLT_MAX;
	for (size_t i = 0;; i += 7) {
		if (i > n)
			i = n;  /* the flush */
		int e = i < n ? tfr_select_process(s, b + i, n - i < 7 ? n - i : 7)
		              : tfr_select_flush(s);
		FUZZ_CHECK(e == TFR_OK || e == TFR_ENOMEM);
		if (e != TFR_OK)
			break;
		for (int k = 0; k < 2; k++) {
			const tfr_breakpoint *r = tfr_select_ready(s, k, &got);
			for (size_t j = 0; j < got; j++)
				fp_take(&c[k], &r[j]);
			*(k ? &rest : &kept) += got;
		}
		if (i >= n) {
			FUZZ_CHECK(kept + rest == n);
			break;
		}
	}
	fp_discard(&c[0]);
	fp_discard(&c[1]);
	tfr_select_free(s);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	unsigned opt = data[0];
	FILE *fp = fuzz_stream(data + 1, size - 1);
	if (!fp)
		return 0;
	tfr_diag d;
	tfr_stream_reader *r = tfr_stream_reader_new(fp, "fuzz", &d);
	static tfr_breakpoint b[MAX_RECORDS], out[4 * MAX_RECORDS];
	size_t n = 0;
	if (r && tfr_stream_read_header(r, &tfr_partials_schema) == TFR_OK) {
		if (tfr_stream_reader_find(r, "label") >= 0)
			tfr_stream_reader_use(r, &tfr_labelled_partials_schema);
		while (n < MAX_RECORDS && tfr_stream_read(r, &b[n]) == 1)
			n++;
	}
	tfr_stream_reader_free(r);
	fclose(fp);
	n = valid_prefix(b, n);
	unsigned what = opt & 7, o = opt >> 3;
	if (what == 0) {
		selection(b, n, o);
	} else if (what <= 2) {
		tfr_label_params p;
		tfr_label_params_default(&p);
		p.ref = what == 1 ? TFR_LABEL_CONSTANT : TFR_LABEL_NEAR;
		p.f0 = 50 + 50 * (o & 7);
		p.near = p.f0;
		p.stretch = o & 8 ? 1e-4 : 0;
		p.sieve = o >> 4 & 1;
		p.fit = 1;
		tfr_label *l = tfr_label_new(&p, &d);
		if (l) {
			static const calls k = { lab_process, lab_flush, lab_ready };
			size_t m = drive(l, &k, b, n, 1 + (o & 3), out, 4 * MAX_RECORDS);
			FUZZ_CHECK(m == n);
			double B;
			int e = tfr_label_fit(l, &B);
			FUZZ_CHECK((e == TFR_OK || e == TFR_EINVAL) && B >= 0 && B <= 1);
			tfr_label_free(l);
			/* distilled from the labels just made */
			tfr_distill_params dp;
			tfr_distill_params_default(&dp);
			dp.join_gap = (o & 3) * 0.01;
			tfr_distill *x = tfr_distill_new(&dp, &d);
			if (x) {
				static const calls kd = { dis_process, dis_flush, dis_ready };
				FUZZ_CHECK(drive(x, &kd, out, m < 4 * MAX_RECORDS ? m : 4 * MAX_RECORDS,
				                 3, NULL, 0) <= m);
				tfr_distill_free(x);
			}
		}
	} else if (what <= 4) {
		/* a morph of the stream with itself, delayed a little */
		tfr_morph_params p;
		tfr_morph_params_default(&p);
		p.weight = (o & 3) / 3.0;
		p.log_freq = o >> 2 & 1;
		p.lin_amp = o >> 3 & 1;
		tfr_morph *m = tfr_morph_new(&p, &d);
		if (m) {
			fp_checker c;
			fp_init(&c);
			c.phase_max = FLT_MAX;
			double shift = what == 3 ? 0 : 0.003;
			size_t i = 0, j = 0, got;
			while (i < n || j < n) {
				int s = i >= n ? 1 : j >= n ? 0 : b[j].time + shift < b[i].time;
				tfr_breakpoint x = s ? b[j++] : b[i++];
				if (s)
					x.time += shift;
				int e = tfr_morph_process(m, s, &x, 1);
				FUZZ_CHECK(e == TFR_OK || e == TFR_ENOMEM || e == TFR_EINVAL);
				if (e != TFR_OK)
					break;
				const tfr_breakpoint *r = tfr_morph_ready(m, &got);
				for (size_t k = 0; k < got; k++)
					fp_take(&c, &r[k]);
			}
			if (tfr_morph_flush(m) == TFR_OK) {
				const tfr_breakpoint *r = tfr_morph_ready(m, &got);
				for (size_t k = 0; k < got; k++)
					fp_take(&c, &r[k]);
			}
			fp_discard(&c);
			tfr_morph_free(m);
		}
	} else {
		tfr_warp_params p;
		tfr_warp_params_default(&p);
		p.stretch = what == 5 ? 1 : what == 6 ? 0.5 + (o & 7) : 1.5;
		p.cents = what == 7 ? 100.0 * (o & 15) - 700 : 0;
		p.formants = o >> 4 & 1;
		tfr_warp *w = tfr_warp_new(&p, &d);
		if (w) {
			static const calls k = { war_process, war_flush, war_ready };
			drive(w, &k, b, n, 1 + (o & 3), NULL, 0);
			tfr_warp_free(w);
		}
	}
	return 0;
}
