/*
 * track.c - partials from spectral peaks, frame by frame (see
 * tfr_track.h for what it does; additive-model.md §3.5 for Loris's
 * linker, which TFR_TRACK_NEAREST reproduces).
 *
 * State. A pool of partials, each with its recent course (for the
 * prediction), its phase-correction anchor and a ring of the breakpoints
 * it holds back. A partial is alive while it may still be continued; it
 * is "kept" once it has passed the filters. Breakpoints leave in stream
 * order through the release step, which writes, across all partials,
 * every final breakpoint no later than the release time R (the earliest
 * breakpoint that is not final yet, or that may still come).
 *
 * Memory and latency are bounded by the partials alive: a breakpoint is
 * held at most until its partial has passed the filters (min_duration +
 * max_gap + HOLD_EXTRA frames at most, see trim_quiet), has two
 * successors (phase correction) and a successor or its end (max_gap + 1
 * frames each).
 */
#include "tfr_base.h"
#include "tfr_track.h"
#include "assign.h"
#include "internal.h"
#include "phasefit.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* Breakpoints either side of one whose f' and f'' are estimated. */
#define CURV_BACK 2
#define CURV_AHEAD 2
/* Largest curvature correction of a frequency, relative. */
#define CURV_MAX_REL 0.005
/* Breakpoints a partial's prediction is fitted to. */
#define HIST 4
/* Frames beyond min_duration + max_gap a quiet partial is held. */
#define HOLD_EXTRA 16
/* Frames by which peaks may precede their frame's centre: peaks of frame
 * m are assumed no earlier than the centre of frame m - SLACK. */
#define SLACK 2
/* Link costs (tfr_track.h): level change scale (dB) and weights. */
#define AMP_SCALE_DB 20.0
#define AMP_WEIGHT 0.25
#define GAP_WEIGHT 0.5
#define LINK_WORTH 2.0
#define MAX_GAP_LIMIT 1000
/* Onsets (TFR_TRACK_PREDICT): a frame whose peaks' energy rises more
 * than ONSET_RISE (12 dB) over the previous frame's, above ONSET_FLOOR
 * (sum of squared amplitudes: -80 dBFS), starts partials at an onset
 * time; in that frame a link whose level rises more than ONSET_CUT_DB
 * is cut. */
#define ONSET_RISE 15.85
#define ONSET_FLOOR 1e-8
#define ONSET_CUT_DB 6.0
/* The onset time: this quantile of the frame's peak times, weighted by
 * squared amplitude (reassigned times of a burst lie after its start,
 * 1.3 ms late at the 10 % quantile on a noise burst, 2 ms at the mean;
 * lower quantiles follow fewer peaks) */
#define ONSET_QUANTILE 0.05
/* Frames after an onset's that still see it in their windows (4 hops:
 * 18 ms at the default resolution): their new partials that start
 * before ONSET_AFTER frame periods after the onset start at it too. */
#define ONSET_FRAMES 4
#define ONSET_AFTER 2
#define MAX_FRAME ((int64_t)1 << 52)

struct held {
	double time, fmeas, freq;
	float amp, phase, bw;
	tfr_phasefit_mid mid;  /* a breakpoint to write before this one */
	float mid_amp, mid_bw;
};

struct partial {
	int64_t serial;       /* creation order: ties in the output order */
	int64_t id;           /* -1 until its first breakpoint is written */
	int64_t last_frame;
	int in_use, alive, kept;
	float peak_amp;       /* largest amplitude of its breakpoints */
	int hn, hpos;         /* recent course, a ring of HIST */
	double ht[HIST], hf[HIST];
	double last_time, last_freq, last_db;
	tfr_phasefit_anchor anchor;
	float anchor_amp, anchor_bw;  /* of the anchor's breakpoint */
	int cn;               /* the last CURV_BACK breakpoints fixed */
	double ct[CURV_BACK], cf[CURV_BACK];  /* (times, measured freqs) */
	struct held *bp;      /* ring of held breakpoints, cap a power of 2 */
	size_t cap, head, count, committed;
	/* prediction for the current frame: f(t) = pf + slope (t - pt) */
	double pt, pf, slope;
	int64_t gap;
};

struct edge {
	int p, k;             /* rank of the partial, index of the peak */
	double w;             /* worth of the link */
	int comp;
};

struct rel {
	int slot, end;
	struct held h;
};

/* Output order of a released breakpoint: time, then the partial's
 * creation order (breakpoints of one partial never tie). */
struct rel_key {
	double time;
	int64_t serial;
	size_t index;   /* in the rel scratch */
};

struct ivec {
	int *v;
	size_t cap;
};

/* A partial alive and its sort key (predicted or last frequency). */
struct keyed {
	double key;
	int64_t serial;  /* ties: the older partial first */
	int slot;
};

struct tfr_track {
	tfr_track_params p;
	tfr_phasefit_params fit;
	double e_prev;        /* the previous frame's sum of squared
	                         amplitudes */
	int onset;            /* frames left that see the last onset */
	double onset_time;    /* s: where its partials start */
	struct { double t, w; } *otw;  /* scratch: times and weights */
	size_t otw_cap;
	double spacing;       /* s: least time between breakpoints of a
	                         partial (> 0) */
	int max_gap;
	double amp_floor, hold_frames;
	double range_factor;  /* 10^(-range_db / 20) */
	double loudest;       /* reference of range_db: the largest peak
	                         amplitude so far, decaying by range_decay */
	double decay_factor;  /* per frame: 10^(-range_decay period / 20) */

	struct partial *pool;
	size_t pool_n, pool_cap;
	struct ivec free_slots;
	size_t nfree;
	struct ivec live;     /* slots in use */
	size_t nlive;

	int started;
	int64_t frame, next_serial;
	double t_out;         /* time of the last breakpoint written */
	double horizon;       /* the latest release time (tfr_track_horizon) */
	size_t held;
	tfr_track_stats st;

	/* per-frame scratch, grown on demand: by usable (non-impulse) peak
	 * (use: index in the input, match: slot linked, loc_k: column in a
	 * cluster, level: dB), by rank of the partials alive in ascending
	 * prediction (cand: slot, key: prediction, loc_p: row in a cluster,
	 * taken), union-find over ranks and peaks, edge counts by cluster,
	 * and room to merge the live list */
	struct ivec use, match, loc_k, cand, loc_p, taken, uf, count, tmp;
	double *key, *level;
	struct keyed *keyed;
	size_t key_cap, level_cap, keyed_cap, edge_cap, edge2_cap, rel_cap;
	size_t order_cap, order2_cap;
	struct edge *edges, *edges2;
	struct rel *rel;
	struct rel_key *order, *order2;
	tfr_assign_work aw;
	double wmat[TFR_ASSIGN_MAX * TFR_ASSIGN_MAX];
	int rows[TFR_ASSIGN_MAX], cols[TFR_ASSIGN_MAX], rowcol[TFR_ASSIGN_MAX];

	tfr_breakpoint *out;
	size_t nout, out_cap;
	int out_taken;
};

void tfr_track_params_default(tfr_track_params *p)
{
	memset(p, 0, sizeof *p);
	p->sample_rate = 44100;
	p->frame_period = 512.0 / 44100;
	p->link = TFR_TRACK_PREDICT;
	p->max_drift = 40;
	p->max_gap = 3;
	p->min_duration = 0;
	p->min_amp_db = -INFINITY;
	p->range_db = INFINITY;
	p->range_decay = 0;
	p->phase_correct = 1;
	p->max_nudge = 0.002;
	p->phase_tolerance = 0.05;
	p->min_spacing = 0;
	p->onsets = 1;
}

int tfr_track_check(const tfr_track_params *p, tfr_diag *d)
{
	tfr_diag_clear(d);
	if (!p)
		return tfr_diag_set(d, TFR_EINVAL, "no parameters");
	if (!(p->sample_rate > 0 && p->sample_rate <= TFR_MAX_SAMPLE_RATE))
		return tfr_diag_set(d, TFR_EINVAL,
		                    "sample_rate must be positive and at most 10 MHz");
	if (!(p->frame_period > 0 && p->frame_period <= 1e3))
		return tfr_diag_set(d, TFR_EINVAL,
		                    "frame_period must be positive and at most 1000 s");
	if (p->link != TFR_TRACK_PREDICT && p->link != TFR_TRACK_NEAREST)
		return tfr_diag_set(d, TFR_EINVAL, "link must be predict or nearest");
	if (!(p->max_drift > 0 && isfinite(p->max_drift)))
		return tfr_diag_set(d, TFR_EINVAL,
		                    "max_drift must be positive and finite");
	if (p->max_gap < 0 || p->max_gap > MAX_GAP_LIMIT)
		return tfr_diag_set(d, TFR_EINVAL, "max_gap must be 0 to 1000 frames");
	if (!(p->min_duration >= 0 && p->min_duration <= 1e6 * p->frame_period))
		return tfr_diag_set(d, TFR_EINVAL,
		                    "min_duration must be 0 to 10^6 frame periods");
	if (isnan(p->min_amp_db) || p->min_amp_db == INFINITY)
		return tfr_diag_set(d, TFR_EINVAL,
		                    "min_amp_db must be a level or -inf");
	if (!(p->range_db > 0))
		return tfr_diag_set(d, TFR_EINVAL,
		                    "range_db must be above 0 dB (inf: no limit)");
	if (!(p->range_decay >= 0 && p->range_decay <= 1e6))
		return tfr_diag_set(d, TFR_EINVAL,
		                    "range_decay must be 0 to 10^6 dB/s");
	if (p->phase_correct != 0 && p->phase_correct != 1)
		return tfr_diag_set(d, TFR_EINVAL, "phase_correct must be 0 or 1");
	if (p->onsets != 0 && p->onsets != 1)
		return tfr_diag_set(d, TFR_EINVAL, "onsets must be 0 or 1");
	if (!(p->max_nudge >= 0 && p->max_nudge <= 0.1))
		return tfr_diag_set(d, TFR_EINVAL, "max_nudge must be 0 to 0.1");
	if (!(p->phase_tolerance > 0 && p->phase_tolerance <= TFR_PI))
		return tfr_diag_set(d, TFR_EINVAL,
		                    "phase_tolerance must be above 0 and at most pi rad");
	if (!(p->min_spacing >= 0 && p->min_spacing <= p->frame_period))
		return tfr_diag_set(d, TFR_EINVAL,
		                    "min_spacing must be 0 to one frame period");
	if (!(p->window_m2 >= 0 && p->window_m2 <= 1e6))
		return tfr_diag_set(d, TFR_EINVAL,
		                    "window_m2 must be 0 to 10^6 s^2");
	return TFR_OK;
}

/* Room for need elements of size elem in the array whose pointer is at
 * ptr (capacity *cap); the pointer is read and written with memcpy, so
 * that one function serves arrays of every type. */
static int grow(void *ptr, size_t *cap, size_t need, size_t elem)
{
	if (need <= *cap)
		return TFR_OK;
	size_t n = *cap ? *cap : 16;
	while (n < need)
		n = n > SIZE_MAX / 2 ? need : 2 * n;
	size_t bytes = tfr_size_mul(n, elem);
	void *old, *nb;
	memcpy(&old, ptr, sizeof old);
	if (!bytes || !(nb = realloc(old, bytes)))
		return TFR_ENOMEM;
	memcpy(ptr, &nb, sizeof nb);
	*cap = n;
	return TFR_OK;
}

static int ivec_reserve(struct ivec *x, size_t n)
{
	return grow(&x->v, &x->cap, n, sizeof *x->v);
}

tfr_track *tfr_track_new(const tfr_track_params *p, tfr_diag *d)
{
	int e = tfr_track_check(p, d);
	if (e != TFR_OK)
		return NULL;
	tfr_track *t = calloc(1, sizeof *t);
	if (!t) {
		tfr_diag_set(d, TFR_ENOMEM, "out of memory");
		return NULL;
	}
	if (grow(&t->out, &t->out_cap, 64, sizeof *t->out)) {
		free(t);
		tfr_diag_set(d, TFR_ENOMEM, "out of memory");
		return NULL;
	}
	t->p = *p;
	t->max_gap = p->link == TFR_TRACK_NEAREST ? 0 : p->max_gap;
	t->amp_floor = pow(10, p->min_amp_db / 20);
	t->range_factor = pow(10, -p->range_db / 20);
	t->decay_factor = pow(10, -p->range_decay * p->frame_period / 20);
	t->hold_frames = ceil(p->min_duration / p->frame_period) + t->max_gap +
	                 HOLD_EXTRA;
	t->spacing = p->min_spacing > 0 ? p->min_spacing : 0.25 * p->frame_period;
	t->fit = (tfr_phasefit_params){ p->max_nudge, t->spacing,
	                                p->phase_tolerance };
	tfr_track_reset(t);
	return t;
}

/* ---- partials and their held breakpoints ---- */

static struct held *held_at(const struct partial *q, size_t i)
{
	return &q->bp[(q->head + i) & (q->cap - 1)];
}

static const struct held *last_held(const struct partial *q)
{
	return held_at(q, q->count - 1);
}

/* Room for one more breakpoint in q's ring. */
static int ring_reserve(struct partial *q)
{
	if (q->count < q->cap)
		return TFR_OK;
	size_t n = q->cap ? 2 * q->cap : 8;
	struct held *b = malloc(tfr_size_mul(n, sizeof *b));
	if (!b)
		return TFR_ENOMEM;
	for (size_t i = 0; i < q->count; i++)
		b[i] = *held_at(q, i);
	free(q->bp);
	q->bp = b;
	q->cap = n;
	q->head = 0;
	return TFR_OK;
}

static void pop_front(tfr_track *t, struct partial *q)
{
	q->head = (q->head + 1) & (q->cap - 1);
	q->count--;
	if (q->committed)
		q->committed--;
	t->held--;
}

/* A free slot of the pool, made ready for a new partial (room reserved
 * by reserve_frame). */
static int slot_take(tfr_track *t)
{
	int s = t->nfree ? t->free_slots.v[--t->nfree] : (int)t->pool_n++;
	struct partial *q = &t->pool[s];
	struct held *bp = q->bp;
	size_t cap = q->cap;
	memset(q, 0, sizeof *q);
	q->bp = bp;
	q->cap = cap;
	q->in_use = 1;
	q->alive = 1;
	q->id = -1;
	q->serial = t->next_serial++;
	t->live.v[t->nlive++] = s;
	return s;
}

static void slot_release(tfr_track *t, int s)
{
	struct partial *q = &t->pool[s];
	t->held -= q->count;
	q->count = q->committed = 0;
	q->in_use = 0;
	t->free_slots.v[t->nfree++] = s;
}

/* Has q passed the filters (duration and amplitude) on what it holds? */
static int passes(const tfr_track *t, const struct partial *q)
{
	if (!q->count)
		return 0;
	double dur = last_held(q)->time - held_at(q, 0)->time;
	return dur >= t->p.min_duration && q->peak_amp >= t->amp_floor &&
	       q->peak_amp >= t->loudest * t->range_factor;
}

double tfr_track_window_m2(const double *w, size_t len, double fs)
{
	double s0 = 0, s2 = 0, half = (double)len / 2;
	for (size_t n = 0; n < len; n++) {
		double tau = (double)n - half;
		s0 += w[n];
		s2 += tau * tau * w[n];
	}
	return s0 > 0 && fs > 0 ? s2 / s0 / (fs * fs) : 0;
}

/* f' and f'' at x = 0 of the least-squares parabola through the n
 * points (x[k], f[k]) (x in s, relative to the breakpoint): 3 or more
 * points give both, 2 the slope only, fewer nothing. */
static void parabola(const double *x, const double *f, int n, double *d1,
                     double *d2)
{
	*d1 = *d2 = 0;
	if (n < 2)
		return;
	if (n == 2) {
		*d1 = (f[1] - f[0]) / (x[1] - x[0]);
		return;
	}
	double s[5] = { 0 }, r[3] = { 0 };
	for (int k = 0; k < n; k++) {
		double p = 1;
		for (int i = 0; i < 5; i++, p *= x[k])
			s[i] += p;
		r[0] += f[k];
		r[1] += x[k] * f[k];
		r[2] += x[k] * x[k] * f[k];
	}
	/* normal equations [s0 s1 s2; s1 s2 s3; s2 s3 s4] (a b c) = r, by
	 * Cramer's rule for b and c */
	double det = s[0] * (s[2] * s[4] - s[3] * s[3]) -
	             s[1] * (s[1] * s[4] - s[3] * s[2]) +
	             s[2] * (s[1] * s[3] - s[2] * s[2]);
	if (!(fabs(det) > 0))
		return;
	double db = s[0] * (r[1] * s[4] - s[3] * r[2]) -
	            r[0] * (s[1] * s[4] - s[3] * s[2]) +
	            s[2] * (s[1] * r[2] - r[1] * s[2]);
	double dc = s[0] * (s[2] * r[2] - r[1] * s[3]) -
	            s[1] * (s[1] * r[2] - r[1] * s[2]) +
	            r[0] * (s[1] * s[3] - s[2] * s[2]);
	*d1 = db / det;
	*d2 = 2 * dc / det;
}

/* The breakpoint j of the sequence (t, f) (n of them) corrected for the
 * window's averaging (tfr_track.h): frequency and phase into *pt. */
static void curvature_correct(double m2, const double *t, const double *f,
                              int n, int j, float phase,
                              tfr_phasefit_point *pt)
{
	double x[CURV_BACK + CURV_AHEAD + 1], y[CURV_BACK + CURV_AHEAD + 1];
	int lo = j - CURV_BACK > 0 ? j - CURV_BACK : 0;
	int hi = j + CURV_AHEAD < n - 1 ? j + CURV_AHEAD : n - 1, m = 0;
	for (int k = lo; k <= hi; k++, m++) {
		x[m] = t[k] - t[j];
		y[m] = f[k];
	}
	double d1, d2;
	parabola(x, y, m, &d1, &d2);
	/* a parabola through noisy frequencies (speech, noise) can bend
	 * anywhere: the correction is bounded by what a vibrato or glide
	 * of the voice needs */
	double df = 0.5 * d2 * m2, lim = CURV_MAX_REL * f[j];
	pt->time = t[j];
	pt->freq = f[j] - (df < -lim ? -lim : df > lim ? lim : df);
	pt->phase = phase - 0.5 * atan(TFR_2PI * d1 * m2);
}

/* The midpoint m of q before h: amplitude and bandwidth halfway
 * between the anchor's and h's (it lies halfway in time). */
static void fill_mid(const struct partial *q, struct held *h,
                     const tfr_phasefit_mid *m)
{
	h->mid = *m;
	h->mid_amp = 0.5f * (q->anchor_amp + h->amp);
	h->mid_bw = 0.5f * (q->anchor_bw + h->bw);
}

/* Fix the frequency of the next breakpoint not yet fixed: correct it
 * for curvature (seeing CURV_AHEAD breakpoints ahead), then make it
 * agree with the phases (phasefit.c). */
static void commit_one(const tfr_track *t, struct partial *q)
{
	struct held *h = held_at(q, q->committed);
	h->mid.set = 0;
	tfr_phasefit_point pt = { h->time, h->fmeas, h->phase };
	if (t->p.window_m2 > 0) {
		enum { SPAN = CURV_BACK + 1 + CURV_AHEAD };
		double ts[SPAN], fs[SPAN];
		int n0 = q->cn, n = n0;
		for (int k = 0; k < n0; k++) {
			ts[k] = q->ct[k];
			fs[k] = q->cf[k];
		}
		for (size_t i = q->committed; i < q->count && n < SPAN; i++, n++) {
			ts[n] = held_at(q, i)->time;
			fs[n] = held_at(q, i)->fmeas;
		}
		curvature_correct(t->p.window_m2, ts, fs, n, n0, h->phase, &pt);
	}
	h->phase = (float)pt.phase;
	if (t->p.phase_correct) {
		tfr_phasefit_mid m;
		h->freq = tfr_phasefit_commit(&q->anchor, &pt, &t->fit, &m);
		if (m.set)
			fill_mid(q, h, &m);
		q->anchor_amp = h->amp;
		q->anchor_bw = h->bw;
	} else {
		h->freq = pt.freq;
	}
	/* the history keeps measured frequencies: the parabola is fitted
	 * to what the frames saw */
	if (q->cn == CURV_BACK) {
		q->ct[0] = q->ct[1];
		q->cf[0] = q->cf[1];
		q->cn--;
	}
	q->ct[q->cn] = h->time;
	q->cf[q->cn++] = h->fmeas;
	q->committed++;
}

/* Fix every frequency whose lookahead is complete (all, once ended). */
static void commit_ready(const tfr_track *t, struct partial *q)
{
	size_t look = t->p.window_m2 > 0 ? CURV_AHEAD : 0;
	while (q->committed < q->count &&
	       (!q->alive || q->count - 1 - q->committed >= look))
		commit_one(t, q);
}

/* End partial s: it takes no more peaks; kept or dropped now. */
static void end_partial(tfr_track *t, int s)
{
	struct partial *q = &t->pool[s];
	q->alive = 0;
	if (!q->kept && !(q->kept = passes(t, q))) {
		t->st.dropped++;
		slot_release(t, s);
		return;
	}
	commit_ready(t, q);
}

/* Level in dB (floored at -600 dB so that silence compares), to 1e-4 dB
 * from the float's exponent and a series for the log of its mantissa m:
 * ln m = 2 atanh((m - 1) / (m + 1)). The cost only compares levels, and
 * this runs on every peak, where log10 is a library call. */
static double level_db(float amp)
{
	if (!(amp > 1e-30f))
		amp = 1e-30f;
	uint32_t u;
	memcpy(&u, &amp, sizeof u);
	int e = (int)((u >> 23) & 0xff) - 127;
	u = (u & 0x7fffffu) | 0x3f800000u;
	float m;
	memcpy(&m, &u, sizeof m);
	double x = (m - 1.0) / (m + 1.0), x2 = x * x;
	double ln_m = 2 * x * (1 + x2 * (1.0 / 3 + x2 * (1.0 / 5 + x2 / 7)));
	/* 20 log10(2) and 20 / ln(10) */
	return 6.020599913279624 * e + 8.685889638065036 * ln_m;
}

/* pk moved to time, its phase moved as a steady sinusoid's. */
static tfr_peak moved(const tfr_peak *pk, double time)
{
	tfr_peak x = *pk;
	x.phase = (float)remainder(pk->phase + TFR_2PI * pk->freq * (time - pk->time),
	                           TFR_2PI);
	x.time = time;
	return x;
}

static void append(tfr_track *t, int s, int64_t frame, const tfr_peak *pk,
                   double level)
{
	struct partial *q = &t->pool[s];
	/* the first frames' reassigned times can be before the sound's
	 * start, where importers (Loris) refuse partials: such a
	 * breakpoint moves to 0, its phase advanced as a steady sinusoid's */
	tfr_peak at0;
	if (!(pk->time > 0)) {
		at0 = moved(pk, 0);
		pk = &at0;
	}
	double time = pk->time;
	if (q->count && time < q->last_time + t->spacing) {
		/* a peak closer than the spacing to the partial's last
		 * breakpoint (frames either side of an onset, reassigned to
		 * it) continues the partial without a breakpoint of its own */
		q->last_frame = frame;
		t->st.merged++;
		return;
	}
	struct held *h = &q->bp[(q->head + q->count) & (q->cap - 1)];
	h->time = time;
	h->mid.set = 0;  /* until it is committed */
	h->fmeas = h->freq = pk->freq;
	h->amp = pk->amp;
	h->phase = pk->phase;
	h->bw = pk->bandwidth;
	q->count++;
	t->held++;
	q->ht[q->hpos] = time;
	q->hf[q->hpos] = pk->freq;
	q->hpos = (q->hpos + 1) % HIST;
	if (q->hn < HIST)
		q->hn++;
	q->last_time = time;
	q->last_freq = pk->freq;
	q->last_db = level;
	if (pk->amp > q->peak_amp)
		q->peak_amp = pk->amp;
	q->last_frame = frame;
	if (!q->kept)
		q->kept = passes(t, q);
	commit_ready(t, q);
}

/* End the partials that cannot take a peak in frame m: those that
 * missed more than max_gap frames before it. */
static void end_lapsed(tfr_track *t, int64_t m)
{
	for (size_t i = 0; i < t->nlive; i++) {
		int s = t->live.v[i];
		struct partial *q = &t->pool[s];
		if (q->in_use && q->alive && m - q->last_frame - 1 > t->max_gap)
			end_partial(t, s);
	}
}

/* ---- linking ---- */

/* Line through q's recent course (ridge-regularised against breakpoints
 * close in time, whose slope would be noise), for frame m. */
static void predict(const tfr_track *t, struct partial *q, int64_t m)
{
	double tb = 0, fb = 0, sxx = 0, sxy = 0;
	for (int i = 0; i < q->hn; i++) {
		tb += q->ht[i];
		fb += q->hf[i];
	}
	tb /= q->hn;
	fb /= q->hn;
	for (int i = 0; i < q->hn; i++) {
		sxx += (q->ht[i] - tb) * (q->ht[i] - tb);
		sxy += (q->ht[i] - tb) * (q->hf[i] - fb);
	}
	double T = t->p.frame_period;
	q->pt = tb;
	q->pf = fb;
	q->slope = sxy / (sxx + 0.25 * T * T);
	q->gap = m - q->last_frame - 1;
}

static double predicted(const struct partial *q, double time)
{
	return q->pf + q->slope * (time - q->pt);
}

/* The worth of linking peak pk to q, or 0 if it is no candidate. */
static double link_worth(const tfr_track *t, const struct partial *q,
                         const tfr_peak *pk, double level)
{
	double df = fabs(pk->freq - predicted(q, pk->time));
	if (!(df <= t->p.max_drift) || !(pk->time > q->last_time))
		return 0;
	/* at an onset, a partial that grows loud starts anew (below):
	 * linked, its level would ramp up before the onset */
	if (t->onset && level - q->last_db > ONSET_CUT_DB)
		return 0;
	double cf = df / t->p.max_drift;
	double da = (level - q->last_db) / AMP_SCALE_DB;
	double cost = cf * cf + AMP_WEIGHT * (da * da < 1 ? da * da : 1) +
	              GAP_WEIGHT * (double)q->gap / (t->max_gap + 1);
	return LINK_WORTH - cost;
}

static int cmp_keyed(const void *a, const void *b)
{
	const struct keyed *x = a, *y = b;
	if (x->key != y->key)
		return (x->key > y->key) - (x->key < y->key);
	return (x->serial > y->serial) - (x->serial < y->serial);
}

/* Rank the n partials of t->keyed by key: cand[r] and key[r]. They come
 * in the order of the live list, kept in ascending frequency (merge_new),
 * so that an insertion sort has little to do. */
static void rank_partials(tfr_track *t, size_t n)
{
	struct keyed *a = t->keyed;
	for (size_t i = 1; i < n; i++) {
		struct keyed v = a[i];
		size_t j = i;
		for (; j > 0 && cmp_keyed(&a[j - 1], &v) > 0; j--)
			a[j] = a[j - 1];
		a[j] = v;
	}
	for (size_t r = 0; r < n; r++) {
		t->cand.v[r] = t->keyed[r].slot;
		t->key[r] = t->keyed[r].key;
		t->taken.v[r] = 0;
		t->loc_p.v[r] = -1;
	}
}

/* First usable peak with frequency >= f, searched from *at (the
 * partials come in ascending prediction, so the answer moves little). */
static size_t lower_bound(const tfr_peak *pk, const int *use, size_t n,
                          double f, size_t *at)
{
	size_t k = *at < n ? *at : n;
	while (k > 0 && pk[use[k - 1]].freq >= f)
		k--;
	while (k < n && pk[use[k]].freq < f)
		k++;
	*at = k;
	return k;
}

static int uf_find(int *uf, int x)
{
	while (uf[x] != x) {
		uf[x] = uf[uf[x]];
		x = uf[x];
	}
	return x;
}

/* The candidate pairs of the ranked partials cand[0..np-1] and the
 * usable peaks; returns their number or -1 (no memory). */
static long find_edges(tfr_track *t, size_t np, const tfr_peak *pk,
                       size_t nu, double tm)
{
	double dtmax = 0;
	for (size_t k = 0; k < nu; k++)
		dtmax = fmax(dtmax, fabs(pk[t->use.v[k]].time - tm));
	size_t ne = 0, at = 0;
	for (size_t r = 0; r < np; r++) {
		const struct partial *q = &t->pool[t->cand.v[r]];
		double f = predicted(q, tm);
		double reach = t->p.max_drift + fabs(q->slope) * dtmax;
		for (size_t k = lower_bound(pk, t->use.v, nu, f - reach, &at);
		     k < nu && pk[t->use.v[k]].freq <= f + reach; k++) {
			double w = link_worth(t, q, &pk[t->use.v[k]], t->level[k]);
			if (w <= 0)
				continue;
			if (grow(&t->edges, &t->edge_cap, ne + 1, sizeof *t->edges))
				return -1;
			t->edges[ne++] = (struct edge){ (int)r, (int)k, w, 0 };
		}
	}
	return (long)ne;
}

static int cmp_edge_worth(const void *a, const void *b)
{
	const struct edge *x = a, *y = b;
	if (x->w != y->w)
		return (x->w < y->w) - (x->w > y->w);
	if (x->p != y->p)
		return (x->p > y->p) - (x->p < y->p);
	return (x->k > y->k) - (x->k < y->k);
}

/* Label each edge with its cluster (connected component: the smallest
 * rank in it) and order the edges by cluster (a stable counting sort, so
 * that within a cluster they stay in rank and frequency order). */
static int label_clusters(tfr_track *t, size_t np, size_t nu, size_t ne)
{
	int *uf = t->uf.v;
	if (ivec_reserve(&t->count, np + 1) ||
	    grow(&t->edges2, &t->edge2_cap, ne, sizeof *t->edges2))
		return TFR_ENOMEM;
	for (size_t i = 0; i < np + nu; i++)
		uf[i] = (int)i;
	for (size_t e = 0; e < ne; e++) {
		int a = uf_find(uf, t->edges[e].p);
		int b = uf_find(uf, (int)np + t->edges[e].k);
		if (a != b)
			uf[a < b ? b : a] = a < b ? a : b;
	}
	int *cnt = t->count.v;
	memset(cnt, 0, (np + 1) * sizeof *cnt);
	for (size_t e = 0; e < ne; e++) {
		t->edges[e].comp = uf_find(uf, t->edges[e].p);
		cnt[t->edges[e].comp + 1]++;
	}
	for (size_t c = 0; c < np; c++)
		cnt[c + 1] += cnt[c];
	for (size_t e = 0; e < ne; e++)
		t->edges2[cnt[t->edges[e].comp]++] = t->edges[e];
	struct edge *x = t->edges;
	t->edges = t->edges2;
	t->edges2 = x;
	size_t c = t->edge_cap;
	t->edge_cap = t->edge2_cap;
	t->edge2_cap = c;
	return TFR_OK;
}

/* Greedy by worth: the fallback for clusters too large to solve. */
static void link_greedy(tfr_track *t, struct edge *e, size_t n)
{
	qsort(e, n, sizeof *e, cmp_edge_worth);
	for (size_t i = 0; i < n; i++)
		if (!t->taken.v[e[i].p] && t->match.v[e[i].k] < 0) {
			t->taken.v[e[i].p] = 1;
			t->match.v[e[i].k] = t->cand.v[e[i].p];
		}
}

/* Exact best links of one cluster's edges e[0..n-1]. */
static void link_cluster(tfr_track *t, struct edge *e, size_t n)
{
	int nr = 0, nc = 0;
	for (size_t i = 0; i < n; i++) {
		if (t->loc_p.v[e[i].p] < 0) {
			if (nr == TFR_ASSIGN_MAX)
				goto too_large;
			t->rows[nr] = e[i].p;
			t->loc_p.v[e[i].p] = nr++;
		}
		if (t->loc_k.v[e[i].k] < 0) {
			if (nc == TFR_ASSIGN_MAX)
				goto too_large;
			t->cols[nc] = e[i].k;
			t->loc_k.v[e[i].k] = nc++;
		}
	}
	memset(t->wmat, 0, (size_t)(nr * nc) * sizeof *t->wmat);
	for (size_t i = 0; i < n; i++)
		t->wmat[t->loc_p.v[e[i].p] * nc + t->loc_k.v[e[i].k]] = e[i].w;
	tfr_assign_max_weight(&t->aw, t->wmat, nr, nc, t->rowcol);
	for (int r = 0; r < nr; r++)
		if (t->rowcol[r] >= 0)
			t->match.v[t->cols[t->rowcol[r]]] = t->cand.v[t->rows[r]];
	goto done;
too_large:
	link_greedy(t, e, n);
done:
	for (size_t i = 0; i < n; i++)
		t->loc_p.v[e[i].p] = t->loc_k.v[e[i].k] = -1;
}

/* TFR_TRACK_PREDICT: match[k] = the slot linked to usable peak k. */
static int link_predict(tfr_track *t, int64_t m, const tfr_peak *pk,
                        size_t nu)
{
	double tm = (double)m * t->p.frame_period;
	size_t np = 0;
	for (size_t i = 0; i < t->nlive; i++) {
		int s = t->live.v[i];
		struct partial *q = &t->pool[s];
		if (!q->in_use || !q->alive)
			continue;
		predict(t, q, m);
		t->keyed[np++] = (struct keyed){ predicted(q, tm), q->serial, s };
	}
	rank_partials(t, np);
	long ne = find_edges(t, np, pk, nu, tm);
	if (ne < 0)
		return TFR_ENOMEM;
	if (label_clusters(t, np, nu, (size_t)ne))
		return TFR_ENOMEM;
	for (size_t a = 0, b; a < (size_t)ne; a = b) {
		for (b = a + 1; b < (size_t)ne && t->edges[b].comp == t->edges[a].comp;)
			b++;
		if (b - a == 1)
			t->match.v[t->edges[a].k] = t->cand.v[t->edges[a].p];
		else
			link_cluster(t, t->edges + a, b - a);
	}
	return TFR_OK;
}

/* TFR_TRACK_NEAREST: Loris's PartialBuilder::formPartials, step by step
 * (a cursor over the eligible partials in ascending last frequency). */
static void link_nearest(tfr_track *t, const tfr_peak *pk, size_t nu)
{
	size_t ne = 0;
	for (size_t i = 0; i < t->nlive; i++) {
		int s = t->live.v[i];
		struct partial *q = &t->pool[s];
		if (!q->in_use || !q->alive)
			continue;
		t->keyed[ne++] = (struct keyed){ q->last_freq, q->serial, s };
	}
	rank_partials(t, ne);
	double drift = t->p.max_drift;
	size_t e = 0;
	for (size_t k = 0; k < nu; k++) {
		const tfr_peak *p = &pk[t->use.v[k]];
		size_t nx = e;
		const double *key = t->key;
		if (e < ne && key[e] < p->freq) {
			for (nx = e + 1; nx < ne && key[nx] < p->freq; nx++)
				e++;
			if (nx < ne && fabs(key[nx] - p->freq) < fabs(key[e] - p->freq))
				e = nx;
		}
		if (e < ne) {
			const struct partial *q = &t->pool[t->cand.v[e]];
			double d = fabs(key[e] - p->freq);
			int next_better = k + 1 < nu &&
				fabs(key[e] - pk[t->use.v[k + 1]].freq) < d;
			if (d <= drift && !next_better && !t->taken.v[e] &&
			    p->time > q->last_time) {
				t->taken.v[e] = 1;
				t->match.v[k] = t->cand.v[e];
			}
		}
		e = nx;
	}
}

/* ---- frames ---- */

static int peaks_valid(const tfr_peak *pk, size_t n)
{
	for (size_t k = 0; k < n; k++) {
		const tfr_peak *p = &pk[k];
		if (!isfinite(p->time) || !(p->freq >= 0 && p->freq < INFINITY) ||
		    !(p->amp >= 0 && p->amp < INFINITY) || !isfinite(p->phase) ||
		    !isfinite(p->bandwidth))
			return 0;
		if (k && !(p->freq >= pk[k - 1].freq))
			return 0;
	}
	return 1;
}

/* Scratch for n peaks and the partials held, and room for what the
 * frame may add (new partials, breakpoints, output), so that nothing
 * after the linking can fail. */
/* Room to release `held` breakpoints, each of which may bring a
 * midpoint. */
static int reserve_release(tfr_track *t, size_t held)
{
	size_t n = 2 * held;
	return grow(&t->rel, &t->rel_cap, n, sizeof *t->rel) ||
	       grow(&t->order, &t->order_cap, n, sizeof *t->order) ||
	       grow(&t->order2, &t->order2_cap, n, sizeof *t->order2) ||
	       grow(&t->out, &t->out_cap, t->nout + n, sizeof *t->out)
	       ? TFR_ENOMEM : TFR_OK;
}

static int reserve_frame(tfr_track *t, size_t n)
{
	/* a peak can start a partial with two breakpoints (at an onset) */
	size_t slots = t->pool_n + n, total = t->held + 2 * n;
	size_t old = t->pool_cap;
	if (grow(&t->pool, &t->pool_cap, slots, sizeof *t->pool))
		return TFR_ENOMEM;
	if (t->pool_cap > old)
		memset(t->pool + old, 0, (t->pool_cap - old) * sizeof *t->pool);
	struct ivec *by_slot[] = { &t->free_slots, &t->live, &t->cand,
	                           &t->loc_p, &t->taken, &t->tmp };
	for (size_t i = 0; i < sizeof by_slot / sizeof *by_slot; i++)
		if (ivec_reserve(by_slot[i], slots))
			return TFR_ENOMEM;
	if (ivec_reserve(&t->use, n) || ivec_reserve(&t->match, n) ||
	    ivec_reserve(&t->loc_k, n) || ivec_reserve(&t->uf, slots + n) ||
	    grow(&t->key, &t->key_cap, slots, sizeof *t->key) ||
	    grow(&t->keyed, &t->keyed_cap, slots, sizeof *t->keyed) ||
	    grow(&t->level, &t->level_cap, n, sizeof *t->level) ||
	    reserve_release(t, total))
		return TFR_ENOMEM;
	return TFR_OK;
}

/* Rings with room for one more breakpoint: the partials matched, and
 * the free slots new partials will take. */
static int reserve_rings(tfr_track *t, size_t nu)
{
	size_t fresh = 0;
	for (size_t k = 0; k < nu; k++) {
		if (t->match.v[k] >= 0) {
			if (ring_reserve(&t->pool[t->match.v[k]]))
				return TFR_ENOMEM;
		} else {
			fresh++;
		}
	}
	for (size_t i = 0; i < fresh && i < t->nfree; i++)
		if (ring_reserve(&t->pool[t->free_slots.v[t->nfree - 1 - i]]))
			return TFR_ENOMEM;
	for (size_t s = t->pool_n; fresh > t->nfree && s < t->pool_n + fresh - t->nfree; s++)
		if (ring_reserve(&t->pool[s]))
			return TFR_ENOMEM;
	return TFR_OK;
}

/* Merge the partials started in this frame, live[old..nlive) in
 * ascending frequency, into the live list, which stays (nearly) in
 * ascending last frequency. */
static void merge_new(tfr_track *t, size_t old)
{
	int *live = t->live.v, *tmp = t->tmp.v;
	size_t i = 0, j = old, k = 0;
	while (i < old && j < t->nlive) {
		if (t->pool[live[j]].last_freq < t->pool[live[i]].last_freq)
			tmp[k++] = live[j++];
		else
			tmp[k++] = live[i++];
	}
	while (i < old)
		tmp[k++] = live[i++];
	while (j < t->nlive)
		tmp[k++] = live[j++];
	if (k)
		memcpy(live, tmp, k * sizeof *live);
}

/* Start partial s with peak pk of an onset's frame m: silent until the
 * onset, then at pk's level from a spacing later (or pk's own time, if
 * later): no fade-in reaching back before the onset, which would sound
 * as pre-echo, and the attack whole. On a noise burst, zero a spacing
 * before the estimate instead of at it: SNR 6.7 -> 7.2 dB, pre-echo the
 * same 2.7 dB; two spacings before, the pre-echo grows to 10.6 dB. */
/* No partial starts before this: the output written, and with
 * strict_horizon the release time too (tfr_track_horizon's promise). */
static double start_floor(const tfr_track *t)
{
	return t->p.strict_horizon && t->horizon > t->t_out ? t->horizon : t->t_out;
}

static void start_at_onset(tfr_track *t, int s, int64_t m, const tfr_peak *pk,
                           double level)
{
	/* silent a spacing before the onset's time, which is late by about
	 * that much (ONSET_QUANTILE); a peak earlier than a spacing after
	 * the silent breakpoint (a window's reassignment is noisy near an
	 * edge) moves there */
	double t0 = t->onset_time - t->spacing;
	double floor = start_floor(t);
	t0 = t0 > floor ? t0 : floor;
	double t1 = pk->time > t0 + t->spacing ? pk->time : t0 + t->spacing;
	tfr_peak zero = moved(pk, t0);
	zero.amp = 0;
	zero.bandwidth = 0;
	tfr_peak first = moved(pk, t1);
	append(t, s, m, &zero, level);
	append(t, s, m, &first, level);
	t->st.onset_starts++;
}

static int cmp_otw(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

/* Are frame's peaks (n of pk) an onset's (see ONSET_RISE)? Sets
 * t->onset, and t->onset_time if so. Frames skipped were silent, and
 * so were those before the first if it is not frame 0; frame 0, the
 * sound's start, is no onset: what came before it is not known (a sound
 * that fades in from its first sample would start with a step). */
static int detect_onset(tfr_track *t, int64_t frame, const tfr_peak *pk,
                        size_t n)
{
	if (!t->started)
		t->e_prev = frame > 0 ? 0 : INFINITY;
	else if (frame > t->frame + 1)
		t->e_prev = 0;
	double e = 0;
	for (size_t k = 0; k < n; k++)
		e += (double)pk[k].amp * pk[k].amp;
	int rise = t->p.onsets && t->p.link == TFR_TRACK_PREDICT && e > ONSET_FLOOR &&
	           e > ONSET_RISE * t->e_prev;
	t->e_prev = e;
	if (!rise) {
		if (t->onset)
			t->onset--;
		return TFR_OK;
	}
	t->onset = ONSET_FRAMES;
	if (grow(&t->otw, &t->otw_cap, n, sizeof *t->otw))
		return TFR_ENOMEM;
	for (size_t k = 0; k < n; k++) {
		t->otw[k].t = pk[k].time;
		t->otw[k].w = (double)pk[k].amp * pk[k].amp;
	}
	qsort(t->otw, n, sizeof *t->otw, cmp_otw);
	double acc = 0;
	size_t k = 0;
	while (k + 1 < n && (acc += t->otw[k].w) < ONSET_QUANTILE * e)
		k++;
	t->onset_time = t->otw[k].t > 0 ? t->otw[k].t : 0;
	t->st.onsets++;
	return TFR_OK;
}

/* Link the usable peaks of frame m, or start partials with them. */
static void apply_links(tfr_track *t, int64_t m, const tfr_peak *pk,
                        size_t nu)
{
	size_t old = t->nlive;
	for (size_t k = 0; k < nu; k++) {
		const tfr_peak *p = &pk[t->use.v[k]];
		int s = t->match.v[k];
		if (s < 0) {
			if (p->time < start_floor(t)) {
				t->st.late++;
				continue;
			}
			s = slot_take(t);
			if (t->onset &&
			    p->time < t->onset_time + ONSET_AFTER * t->p.frame_period) {
				start_at_onset(t, s, m, p, t->level[k]);
				continue;
			}
		}
		append(t, s, m, p, t->level[k]);
	}
	merge_new(t, old);
}

/* Cut the quiet head of partials that have not passed the filters
 * within hold_frames: the output's lag stays bounded. */
static void trim_quiet(tfr_track *t, int64_t m)
{
	if (t->p.min_duration <= 0 && t->amp_floor <= 0 && t->range_factor <= 0)
		return;  /* every partial passes with its first breakpoint */
	double limit = ((double)m - t->hold_frames) * t->p.frame_period;
	for (size_t i = 0; i < t->nlive; i++) {
		struct partial *q = &t->pool[t->live.v[i]];
		if (!q->in_use || q->kept)
			continue;
		while (q->count > 1 && held_at(q, 0)->time < limit) {
			if (!q->committed) {
				q->anchor.set = 0;
				q->cn = 0;
			}
			pop_front(t, q);
		}
		/* the partial now starts here: nothing before it */
		if (q->count)
			held_at(q, 0)->mid.set = 0;
	}
}

/* ---- output ---- */

static int rel_before(const struct rel_key *x, const struct rel_key *y)
{
	return x->time < y->time || (x->time == y->time && x->serial < y->serial);
}

/* Sort a[0..n-1] into output order: a bottom-up merge sort through
 * b[0..n-1] (no comparison calls through a pointer: this runs on every
 * breakpoint). Returns the array holding the result. */
static struct rel_key *sort_rel(struct rel_key *a, struct rel_key *b, size_t n)
{
	for (size_t w = 1; w < n; w *= 2) {
		for (size_t lo = 0; lo < n; lo += 2 * w) {
			size_t mid = lo + w < n ? lo + w : n;
			size_t hi = lo + 2 * w < n ? lo + 2 * w : n;
			size_t i = lo, j = mid, k = lo;
			while (i < mid && j < hi)
				b[k++] = rel_before(&a[j], &a[i]) ? a[j++] : a[i++];
			while (i < mid)
				b[k++] = a[i++];
			while (j < hi)
				b[k++] = a[j++];
		}
		struct rel_key *x = a;
		a = b;
		b = x;
	}
	return a;
}

/* Breakpoint i of q is final: frequency fixed, successor or end known. */
static int is_final(const struct partial *q, size_t i)
{
	return i < q->committed && (i + 1 < q->count || !q->alive);
}

/* The time of held breakpoint b's output: its midpoint's, if any. */
static double held_start(const struct held *b)
{
	return b->mid.set ? b->mid.time : b->time;
}

/* The release time: no breakpoint still to come, and none held that is
 * not final, is earlier. */
static double release_time(const tfr_track *t, double horizon)
{
	double r = horizon;
	for (size_t i = 0; i < t->nlive; i++) {
		const struct partial *q = &t->pool[t->live.v[i]];
		if (!q->in_use || !q->count)
			continue;
		if (!q->kept) {
			double h = held_start(held_at(q, 0));
			r = h < r ? h : r;
		} else if (q->alive) {
			size_t j = q->committed < q->count - 1 ? q->committed
			                                        : q->count - 1;
			double h = held_start(held_at(q, j));
			/* the midpoint fixed with breakpoint `committed` will lie
			 * after the anchor, the breakpoint before it */
			if (q->committed < q->count && q->anchor.set &&
			    q->anchor.time < h)
				h = q->anchor.time;
			r = h < r ? h : r;
		}
	}
	return r;
}

/* Breakpoint h of the partial in slot s (creation order serial) into
 * the release scratch at i. */
static void put_rel(tfr_track *t, size_t i, int s, int64_t serial,
                    const struct held *h, int end)
{
	t->order[i] = (struct rel_key){ h->time, serial, i };
	t->rel[i] = (struct rel){ s, end, *h };
}

/* Move the final breakpoints up to time r of every kept partial to the
 * scratch; returns how many. */
static size_t gather(tfr_track *t, double r)
{
	size_t n = 0;
	for (size_t i = 0; i < t->nlive; i++) {
		int s = t->live.v[i];
		struct partial *q = &t->pool[s];
		if (!q->in_use || !q->kept)
			continue;
		while (q->count && is_final(q, 0) && held_start(held_at(q, 0)) <= r) {
			struct held *b = held_at(q, 0);
			if (b->mid.set) {
				/* written on its own: the breakpoint after it may
				 * be later than r */
				struct held m = { .time = b->mid.time,
				                  .freq = b->mid.freq,
				                  .amp = b->mid_amp,
				                  .phase = (float)b->mid.phase,
				                  .bw = b->mid_bw };
				put_rel(t, n++, s, q->serial, &m, 0);
				b->mid.set = 0;
				continue;
			}
			struct held h = *b;
			pop_front(t, q);
			put_rel(t, n++, s, q->serial, &h, !q->alive && !q->count);
		}
	}
	return n;
}

static void write_out(tfr_track *t, const struct rel_key *order, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		const struct rel *x = &t->rel[order[i].index];
		struct partial *q = &t->pool[x->slot];
		if (q->id < 0)
			q->id = t->st.partials++;
		tfr_breakpoint *b = &t->out[t->nout++];
		b->partial = q->id;
		b->time = x->h.time;
		b->freq = x->h.freq;
		b->amp = x->h.amp;
		b->phase = x->h.phase;
		b->bandwidth = x->h.bw;
		b->end = x->end;
		b->label = 0;
		b->channel = 0;
		t->st.breakpoints++;
		if (x->h.time > t->t_out)
			t->t_out = x->h.time;
	}
}

/* Drop ended, emptied partials from the live list. */
static void compact_live(tfr_track *t)
{
	size_t j = 0;
	for (size_t i = 0; i < t->nlive; i++) {
		int s = t->live.v[i];
		struct partial *q = &t->pool[s];
		if (q->in_use && !q->alive && !q->count)
			slot_release(t, s);
		if (q->in_use)
			t->live.v[j++] = s;
	}
	t->nlive = j;
}

static void release(tfr_track *t, double horizon)
{
	double r = release_time(t, horizon);
	if (r > t->horizon)
		t->horizon = r;
	size_t n = gather(t, r);
	write_out(t, sort_rel(t->order, t->order2, n), n);
	compact_live(t);
}

/* The output of the previous call is gone once the caller took it. */
static void out_begin(tfr_track *t)
{
	if (t->out_taken) {
		t->nout = 0;
		t->out_taken = 0;
	}
}

int tfr_track_process(tfr_track *t, int64_t frame, const tfr_peak *peaks,
                      size_t n)
{
	out_begin(t);
	/* frame indexes beyond 2^52 would lose their times in doubles */
	if (frame > MAX_FRAME || frame < -MAX_FRAME ||
	    (t->started && frame <= t->frame) || (n && !peaks) ||
	    !peaks_valid(peaks, n))
		return TFR_EINVAL;
	if (reserve_frame(t, n))
		return TFR_ENOMEM;
	if (t->started && frame > t->frame + 1) {
		end_lapsed(t, frame);  /* frames were skipped */
		compact_live(t);
	}
	if (t->started)
		t->loudest *= pow(t->decay_factor, (double)(frame - t->frame));
	if (detect_onset(t, frame, peaks, n))
		return TFR_ENOMEM;
	size_t nu = 0;
	for (size_t k = 0; k < n; k++)
		if (!peaks[k].impulse) {
			t->match.v[nu] = -1;
			t->loc_k.v[nu] = -1;
			t->level[nu] = level_db(peaks[k].amp);
			t->use.v[nu++] = (int)k;
			if (peaks[k].amp > t->loudest)
				t->loudest = peaks[k].amp;
		}
	if (t->p.link == TFR_TRACK_NEAREST)
		link_nearest(t, peaks, nu);
	else if (link_predict(t, frame, peaks, nu))
		return TFR_ENOMEM;
	if (reserve_rings(t, nu))
		return TFR_ENOMEM;
	t->started = 1;
	t->frame = frame;
	apply_links(t, frame, peaks, nu);
	end_lapsed(t, frame + 1);
	trim_quiet(t, frame);
	release(t, (double)(frame + 1 - SLACK) * t->p.frame_period);
	return TFR_OK;
}

int tfr_track_flush(tfr_track *t)
{
	out_begin(t);
	if (reserve_release(t, t->held))
		return TFR_ENOMEM;
	for (size_t i = 0; i < t->nlive; i++) {
		int s = t->live.v[i];
		if (t->pool[s].in_use && t->pool[s].alive)
			end_partial(t, s);
	}
	release(t, INFINITY);
	return TFR_OK;
}

double tfr_track_horizon(const tfr_track *t)
{
	return t->horizon;
}

const tfr_breakpoint *tfr_track_ready(tfr_track *t, size_t *n)
{
	out_begin(t);
	t->out_taken = 1;
	*n = t->nout;
	return t->out;
}

void tfr_track_get_stats(const tfr_track *t, tfr_track_stats *s)
{
	*s = t->st;
	s->held = (int64_t)t->held;
	s->alive = (int64_t)t->nlive;
}

void tfr_track_reset(tfr_track *t)
{
	for (size_t s = 0; s < t->pool_n; s++) {
		t->pool[s].in_use = 0;
		t->pool[s].count = t->pool[s].committed = 0;
	}
	t->nfree = 0;
	for (size_t s = t->pool_n; s-- > 0;)
		t->free_slots.v[t->nfree++] = (int)s;
	t->nlive = 0;
	t->started = 0;
	t->frame = 0;
	t->next_serial = 0;
	t->t_out = -INFINITY;
	t->horizon = -INFINITY;
	t->held = 0;
	t->loudest = 0;
	t->e_prev = 0;
	t->onset = 0;
	memset(&t->st, 0, sizeof t->st);
	t->nout = 0;
	t->out_taken = 0;
}

void tfr_track_free(tfr_track *t)
{
	if (!t)
		return;
	for (size_t s = 0; s < t->pool_cap; s++)
		free(t->pool[s].bp);  /* rings may be reserved beyond pool_n */
	free(t->pool);
	struct ivec *iv[] = { &t->free_slots, &t->live, &t->use, &t->match,
	                      &t->loc_k, &t->cand, &t->loc_p, &t->taken,
	                      &t->uf, &t->count, &t->tmp };
	for (size_t i = 0; i < sizeof iv / sizeof *iv; i++)
		free(iv[i]->v);
	free(t->key);
	free(t->keyed);
	free(t->level);
	free(t->edges);
	free(t->edges2);
	free(t->order);
	free(t->order2);
	free(t->rel);
	free(t->out);
	free(t->otw);
	free(t);
}
