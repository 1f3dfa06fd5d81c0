/*
 * synth.c - additive synthesis of partials, streaming (tfr_synth.h).
 *
 * Breakpoints are queued per partial as they come; samples are rendered
 * only when read, block by block, each partial adding its segments in
 * the order the partials started (so a sample's sum does not depend on
 * how input and output were split into calls). A partial's segment is
 * built when rendering reaches it, from the phase the previous one ended
 * with: fade-in (to the first breakpoint), one per pair of breakpoints,
 * fade-out (from the last). Memory: the partials open, the breakpoints
 * not yet rendered past, one block.
 *
 * Phase between breakpoints k and k+1 (McAulay & Quatieri, IEEE Trans.
 * ASSP 34(4), 1986: the cubic phase; here in turns and samples):
 * theta(x) = theta_k + w_k x + a x^2 + b x^3 with
 * theta'(L) = w_{k+1} and theta(L) = theta_k + (w_k + w_{k+1}) L / 2 + d,
 * i.e. linear frequency plus a correction d (turns) spread as
 * d (3 u^2 - 2 u^3): a = (w_{k+1} - w_k) / 2L + 3 d / L^2, b = -2 d / L^3.
 * The stored phase is reached with d = e, the wrapped difference between
 * it and the linear-frequency phase: the unwrapping integer that makes
 * the phase "maximally smooth" in MQ's sense (the least integral of the
 * squared second derivative). The correction bends the frequency
 * from its linear course by at most 1.5 |d| / L turns per sample
 * (1.5 |d| / T Hz over a segment of T s).
 */
#include "tfr_base.h"
#include "tfr_synth.h"
#include "internal.h"
#include "cpu.h"
#include "synth_noise.h"
#include "synth_osc.h"
#include "idset.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Samples rendered per pass over the partials (16 KiB of floats: the
 * block stays in the first-level cache while every partial adds to it). */
#define SY_BLOCK 4096

/* Largest |time| in samples: phases stay below 2^51 turns (so_cos's
 * rounding) and sample indices exact in double. */
#define SY_MAX_SAMPLES 4398046511104.0  /* 2^42 */

/* AUTO (tfr_synth.h): two running means over the segments, of their
 * |misfit| and of the share that miss by more than SY_FIT turn. Each
 * starts at a uniform misfit's (1/4 turn; 96 %), weighted as
 * SY_MISFIT_PRIOR segments, is the plain mean of that and the segments
 * seen up to SY_MISFIT_SPAN of them, then an exponential mean over that
 * many; a stream follows its stored phases while the mean |misfit| is
 * below SY_COHERENT and the share below SY_MISS. tfr-track's analyses
 * show a mean |misfit| of 0.001-0.006 turn on 18 recordings (speech44k
 * 0.004, 5 % of its segments missing; before its phase consistency,
 * 0.03), edited streams 1/4; the share tells an edit that moves every
 * phase alike (a steady tone's frequency x 1.5 at a 5 ms hop: 0.1 turn
 * each, all missing) from an analysis. Until SY_DECIDE segments came,
 * the means are theirs alone (evidence replaces the prior), and they
 * wait for them to be judged (no output is made before), so that an
 * analysis is trusted from its first segment, an edited stream is not,
 * and any split of a coherent stream's partials (tfr-select --rest)
 * sounds as the whole when the parts are added. */
#define SY_FIT 0.02
#define SY_MISFIT_PRIOR 2.0
#define SY_MISFIT_SPAN 32.0
#define SY_MISFIT_START 0.25
#define SY_MISS_START 0.96
#define SY_DECIDE 32
#define SY_COHERENT 0.1
#define SY_MISS 0.9

/* Shortest segment (samples) given a phase correction: shorter ones
 * hold no sample or one, where a correction could only be a jump. */
#define SY_MIN_CORRECT_LEN 1e-6

typedef struct {
	double time, freq;
	float amp, phase, bw;
	int coherent;   /* AUTO: the stream's stored phases fitted their
	                   frequencies when this breakpoint came (-1: one
	                   of the first, s->first_verdict tells) */
} sy_point;

enum { SY_FADE_IN, SY_BODY, SY_DONE };

typedef struct {
	int64_t id;
	int stage;            /* next segment to build: SY_* */
	int ended;            /* its end breakpoint taken (or flushed) */
	int silent;           /* beyond the output's length: not queued */
	double last_time;     /* of its latest breakpoint taken */
	double last_freq;     /* and its frequency and phase */
	float last_phase;
	sy_point prev;        /* the breakpoint the next segment starts at */
	double theta;         /* phase at prev, turns, in [-1/2, 1/2] */
	int has_seg;          /* seg is being rendered */
	int seg_noise;        /* seg has bandwidth noise */
	int64_t seg_lo, seg_end;  /* its samples: seg_lo <= n < seg_end */
	tfr_synth_seg seg;
	sy_point *q;          /* breakpoints after prev: ring of qcap */
	size_t qcap, qhead, qlen;
	tfr_synth_noise nz;
} sy_partial;

/* A breakpoint queue of a partial gone, kept for the next one (so that
 * a stream whose partials come and go allocates nothing once the most
 * partials it had at once have been seen). */
typedef struct {
	sy_point *q;
	size_t cap;
} sy_spare;

/* id -> index into the partial array, for the partials still open
 * (linear probing; id -1 marks a free slot). */
typedef struct {
	int64_t id;
	size_t idx;
} sy_slot;

struct tfr_synth {
	tfr_synth_params p;
	unsigned cpu;         /* code paths allowed (cpu.h) */
	int knot_period;      /* of the noise, samples */
	double nyquist;
	sy_partial *parts;    /* in the order they started */
	size_t nparts, capparts;
	sy_slot *map;
	size_t mapcap, mapcount;
	idset gone;           /* ids whose end breakpoint came */
	sy_spare *spare;      /* queues to reuse: nspare of capspare */
	size_t nspare, capspare;
	float *block;         /* SY_BLOCK + 8 */
	int64_t pos;          /* next sample to hand out */
	double last_time;     /* latest breakpoint time (-inf: none yet) */
	double misfit;        /* AUTO: running mean of |c| (turns), below */
	int64_t segments;     /* segments taken (for that mean) */
	int first_verdict;    /* the first segments' coherence, once
	                         SY_DECIDE segments came (-1 before) */
	double first_time;    /* of the stream's first breakpoint */
	double first_sum;     /* of |c| over the first segments */
	double miss;          /* AUTO: running share of missing segments */
	double first_miss;    /* missing among the first segments */
	int64_t known_end;    /* the output reaches at least this far */
	int flushed;
	size_t held;          /* breakpoints queued */
	tfr_synth_stats st;
	tfr_diag diag;
};

void tfr_synth_params_default(tfr_synth_params *p)
{
	memset(p, 0, sizeof *p);
	p->sample_rate = 44100;
	p->fade_time = 0.001;
	p->bandwidth = 1;
	p->seed = 1;
	p->phase = TFR_SYNTH_PHASE_AUTO;
	p->max_bend = 20;
	p->gain = 1;
	p->length = -1;
	p->portable = 0;
}

int tfr_synth_check(const tfr_synth_params *p, tfr_diag *d)
{
	if (!p)
		return tfr_diag_set(d, TFR_EINVAL, "no parameters");
	if (!(p->sample_rate > 0 && p->sample_rate <= TFR_MAX_SAMPLE_RATE))
		return tfr_diag_set(d, TFR_EINVAL,
		                    "sample_rate must be in (0, 10^7] Hz");
	if (!(p->fade_time >= 0 && p->fade_time <= 1))
		return tfr_diag_set(d, TFR_EINVAL,
		                    "fade_time must be in [0, 1] s");
	if (p->bandwidth != 0 && p->bandwidth != 1)
		return tfr_diag_set(d, TFR_EINVAL, "bandwidth must be 0 or 1");
	if (p->phase != TFR_SYNTH_PHASE_AUTO &&
	    p->phase != TFR_SYNTH_PHASE_STORED &&
	    p->phase != TFR_SYNTH_PHASE_FREE)
		return tfr_diag_set(d, TFR_EINVAL,
		                    "phase must be AUTO, STORED or FREE");
	if (!(p->max_bend >= 0 && p->max_bend < INFINITY))
		return tfr_diag_set(d, TFR_EINVAL,
		                    "max_bend must be finite and >= 0 Hz");
	if (!(fabs(p->gain) <= TFR_MAX_SAMPLE))
		return tfr_diag_set(d, TFR_EINVAL,
		                    "gain must be finite, |gain| <= 2^20");
	if (p->length < -1)
		return tfr_diag_set(d, TFR_EINVAL,
		                    "length must be >= 0, or -1 (to the end)");
	if (p->portable != 0 && p->portable != 1)
		return tfr_diag_set(d, TFR_EINVAL, "portable must be 0 or 1");
	return tfr_diag_set(d, TFR_OK, NULL);
}

tfr_synth *tfr_synth_new(const tfr_synth_params *p, tfr_diag *d)
{
	int e = tfr_synth_check(p, d);
	if (e != TFR_OK)
		return NULL;
	tfr_synth *s = calloc(1, sizeof *s);
	if (s)
		s->block = malloc((SY_BLOCK + 8) * sizeof *s->block);
	if (!s || !s->block) {
		tfr_synth_free(s);
		tfr_diag_set(d, TFR_ENOMEM, "out of memory");
		return NULL;
	}
	s->p = *p;
	s->cpu = p->portable ? 0 : tfr_cpu_features();
	s->knot_period = tfr_synth_knot_period(p->sample_rate);
	s->nyquist = p->sample_rate / 2;
	tfr_synth_reset(s);
	return s;
}

/* ---- the open partials by id ---- */

static size_t sy_hash(const tfr_synth *s, int64_t id)
{
	return (size_t)(((uint64_t)id * 0x9e3779b97f4a7c15u) >> 17) &
	       (s->mapcap - 1);
}

static sy_slot *sy_find(const tfr_synth *s, int64_t id)
{
	if (!s->mapcap)
		return NULL;
	for (size_t i = sy_hash(s, id);; i = (i + 1) & (s->mapcap - 1)) {
		if (s->map[i].id == id)
			return &s->map[i];
		if (s->map[i].id < 0)
			return NULL;
	}
}

static void sy_map_put(tfr_synth *s, int64_t id, size_t idx)
{
	size_t i = sy_hash(s, id);
	while (s->map[i].id >= 0 && s->map[i].id != id)
		i = (i + 1) & (s->mapcap - 1);
	s->mapcount += s->map[i].id < 0;
	s->map[i].id = id;
	s->map[i].idx = idx;
}

/* Room for one more id (the table at most half full). */
static int sy_map_reserve(tfr_synth *s)
{
	if (2 * (s->mapcount + 1) <= s->mapcap)
		return TFR_OK;
	size_t cap = s->mapcap ? 2 * s->mapcap : 64;
	sy_slot *m = malloc(tfr_size_mul(cap, sizeof *m));
	if (!m)
		return TFR_ENOMEM;
	for (size_t i = 0; i < cap; i++)
		m[i].id = -1;
	sy_slot *old = s->map;
	size_t oldcap = s->mapcap;
	s->map = m;
	s->mapcap = cap;
	s->mapcount = 0;
	for (size_t i = 0; i < oldcap; i++)
		if (old[i].id >= 0)
			sy_map_put(s, old[i].id, old[i].idx);
	free(old);
	return TFR_OK;
}

/* Remove slot e, moving later entries of its probe run back
 * (Knuth, TAOCP vol. 3, 6.4 algorithm R): no tombstones. */
static void sy_map_del(tfr_synth *s, sy_slot *e)
{
	size_t mask = s->mapcap - 1, i = (size_t)(e - s->map), j = i;
	for (;;) {
		s->map[i].id = -1;
		for (;;) {
			j = (j + 1) & mask;
			if (s->map[j].id < 0) {
				s->mapcount--;
				return;
			}
			size_t h = sy_hash(s, s->map[j].id);
			/* j's entry may move to i unless its home lies
			 * cyclically in (i, j] */
			if (i <= j ? (i < h && h <= j) : (i < h || h <= j))
				continue;
			break;
		}
		s->map[i] = s->map[j];
		i = j;
	}
}

/* ---- breakpoint queues ---- */

static int sy_push(tfr_synth *s, sy_partial *pt, const sy_point *b)
{
	if (pt->qlen == pt->qcap) {
		size_t cap = pt->qcap ? 2 * pt->qcap : 4;
		sy_point *q = malloc(tfr_size_mul(cap, sizeof *q));
		if (!q)
			return TFR_ENOMEM;
		for (size_t i = 0; i < pt->qlen; i++)
			q[i] = pt->q[(pt->qhead + i) % pt->qcap];
		free(pt->q);
		pt->q = q;
		pt->qcap = cap;
		pt->qhead = 0;
	}
	pt->q[(pt->qhead + pt->qlen) % pt->qcap] = *b;
	pt->qlen++;
	s->held++;
	return TFR_OK;
}

static sy_point sy_pop(tfr_synth *s, sy_partial *pt)
{
	sy_point b = pt->q[pt->qhead];
	pt->qhead = (pt->qhead + 1) % pt->qcap;
	pt->qlen--;
	s->held--;
	return b;
}

/* ---- segments ---- */

/* t in turns, wrapped to [-1/2, 1/2) */
static double sy_wrap(double t)
{
	return t - floor(t + 0.5);
}

/* Amplitude of b as synthesised: 0 at or above Nyquist. */
static float sy_amp(const tfr_synth *s, const sy_point *b)
{
	return b->freq >= s->nyquist ? 0.0f : (float)(b->amp * s->p.gain);
}

/* Frequency in turns per sample; above the sample rate the partial is
 * silent and its phase needs only to stay finite. */
static double sy_turns(const tfr_synth *s, const sy_point *b)
{
	double f = b->freq < s->p.sample_rate ? b->freq : s->p.sample_rate;
	return f / s->p.sample_rate;
}

/* The noise's share of b's amplitude, sqrt(bandwidth). It is what is
 * interpolated linearly between breakpoints (the sine's share is
 * sqrt(1 - r^2)): the power stays exact at every sample with one square
 * root per sample, where interpolating the bandwidth itself needs two. */
static float sy_bw(const tfr_synth *s, const sy_point *b)
{
	return s->p.bandwidth ? sqrtf(b->bw) : 0.0f;
}

/* The samples of a segment from sample position a to b: a < n <= b. */
static void sy_span(sy_partial *pt, double a, double b)
{
	pt->seg.s0 = a;
	pt->seg.inv_len = b > a ? 1 / (b - a) : 0;
	pt->seg_lo = (int64_t)floor(a) + 1;
	pt->seg_end = (int64_t)floor(b) + 1;
	pt->has_seg = 1;
}

static void sy_set_bw(const tfr_synth *s, sy_partial *pt, float b0, float b1)
{
	pt->seg.bw[0] = b0;
	pt->seg.bw[1] = b1 - b0;
	pt->seg_noise = s->p.bandwidth && (b0 > 0 || b1 > 0);
}

/* Fade-in to the first breakpoint b: constant frequency, arriving at
 * b's stored phase, amplitude a (3u^2 - 2u^3). */
static void sy_fade_in(tfr_synth *s, sy_partial *pt, const sy_point *b)
{
	double fs = s->p.sample_rate;
	double a = (b->time - s->p.fade_time) * fs, e = b->time * fs;
	double w = sy_turns(s, b), th = b->phase / TFR_2PI;
	float amp = sy_amp(s, b);
	sy_span(pt, a, e);
	pt->seg.ph[0] = sy_wrap(th - w * (e - a));
	pt->seg.ph[1] = w;
	pt->seg.ph[2] = pt->seg.ph[3] = 0;
	pt->seg.amp[0] = pt->seg.amp[1] = 0;
	pt->seg.amp[2] = 3 * amp;
	pt->seg.amp[3] = -2 * amp;
	sy_set_bw(s, pt, sy_bw(s, b), sy_bw(s, b));
	pt->theta = sy_wrap(th);
	pt->prev = *b;
}

/* Fade-out after the last breakpoint: constant frequency, amplitude
 * a (1 - 3u^2 + 2u^3). */
static void sy_fade_out(tfr_synth *s, sy_partial *pt)
{
	const sy_point *b = &pt->prev;
	double fs = s->p.sample_rate;
	float amp = sy_amp(s, b);
	sy_span(pt, b->time * fs, (b->time + s->p.fade_time) * fs);
	pt->seg.ph[0] = pt->theta;
	pt->seg.ph[1] = sy_turns(s, b);
	pt->seg.ph[2] = pt->seg.ph[3] = 0;
	pt->seg.amp[0] = amp;
	pt->seg.amp[1] = 0;
	pt->seg.amp[2] = -3 * amp;
	pt->seg.amp[3] = 2 * amp;
	sy_set_bw(s, pt, sy_bw(s, b), sy_bw(s, b));
}

/* How far the stored phases of b0 and b1 disagree with their
 * frequencies, turns in [-1/2, 1/2): the misfit of the segment between
 * them (linear frequency from b0's phase). */
static double sy_misfit(const tfr_synth *s, const sy_point *b0,
                        const sy_point *b1)
{
	double L = (b1->time - b0->time) * s->p.sample_rate;
	double travel = (sy_turns(s, b0) + sy_turns(s, b1)) * L / 2;
	return sy_wrap((b1->phase - b0->phase) / TFR_2PI - travel);
}

/*
 * The correction d (turns) of the segment from b0 to b1, L samples, that
 * starts at phase theta; e reaches b1's stored phase from here. AUTO
 * follows the stored phases of a coherent stream (b1->coherent, see
 * sy_take), with a bend of at most max(|misfit|, what max_bend Hz
 * absorbs): a partial on its stored phases meets e = misfit and follows
 * them exactly; one off them (it ran free before) is pulled back by at
 * most max_bend per segment.
 */
static double sy_correction(tfr_synth *s, const sy_point *b0,
                            const sy_point *b1, double theta, double L)
{
	double w0 = sy_turns(s, b0), w1 = sy_turns(s, b1);
	double travel = (w0 + w1) * L / 2;
	double e = sy_wrap(b1->phase / TFR_2PI - (theta + travel));
	int muted = b0->freq >= s->nyquist || b1->freq >= s->nyquist;
	if (s->p.phase == TFR_SYNTH_PHASE_FREE || muted ||
	    !(L >= SY_MIN_CORRECT_LEN) ||
	    (s->p.phase == TFR_SYNTH_PHASE_AUTO &&
	     !(b1->coherent < 0 ? s->first_verdict : b1->coherent))) {
		s->st.seg_free++;
		return 0;
	}
	if (s->p.phase == TFR_SYNTH_PHASE_STORED) {
		s->st.seg_stored++;
		return e;
	}
	double c = fabs(sy_misfit(s, b0, b1));
	double dmax = s->p.max_bend * (L / s->p.sample_rate) / 1.5;
	if (c > dmax)
		dmax = c;
	/* a partial on its stored phases meets e = c but for the rounding
	 * of float phases */
	if (fabs(e) <= dmax + 1e-6) {
		s->st.seg_stored++;
		return e;
	}
	s->st.seg_bent++;
	return e > 0 ? dmax : -dmax;
}

/* The segment from prev to b (cubic phase, linear amplitude and
 * bandwidth). */
static void sy_body(tfr_synth *s, sy_partial *pt, const sy_point *b)
{
	const sy_point *b0 = &pt->prev;
	double fs = s->p.sample_rate;
	double a = b0->time * fs, e = b->time * fs, L = e - a;
	double w0 = sy_turns(s, b0), w1 = sy_turns(s, b);
	double d = sy_correction(s, b0, b, pt->theta, L);
	float a0 = sy_amp(s, b0), a1 = sy_amp(s, b);
	sy_span(pt, a, e);
	pt->seg.ph[0] = pt->theta;
	pt->seg.ph[1] = w0;
	pt->seg.ph[2] = L > 0 ? (w1 - w0) / (2 * L) + 3 * d / (L * L) : 0;
	pt->seg.ph[3] = L > 0 ? -2 * d / (L * L * L) : 0;
	pt->seg.amp[0] = a0;
	pt->seg.amp[1] = a1 - a0;
	pt->seg.amp[2] = pt->seg.amp[3] = 0;
	sy_set_bw(s, pt, sy_bw(s, b0), sy_bw(s, b));
	pt->theta = sy_wrap(pt->theta + (w0 + w1) * L / 2 + d);
	pt->prev = *b;
}

/* Build pt's next segment; 0 if it needs a breakpoint not yet here or
 * the partial is done. */
static int sy_next_segment(tfr_synth *s, sy_partial *pt)
{
	if (pt->stage == SY_FADE_IN && pt->qlen) {
		sy_point b = sy_pop(s, pt);
		sy_fade_in(s, pt, &b);
		pt->stage = SY_BODY;
		return 1;
	}
	if (pt->stage != SY_BODY)
		return 0;
	if (pt->qlen) {
		sy_point b = sy_pop(s, pt);
		sy_body(s, pt, &b);
		return 1;
	}
	if (!pt->ended)
		return 0;
	sy_fade_out(s, pt);
	pt->stage = SY_DONE;
	return 1;
}

/* Add pt's samples r0 <= n < r1 into the block (block[0] = sample b0). */
static void sy_render(tfr_synth *s, sy_partial *pt, int64_t b0, int64_t r0,
                      int64_t r1)
{
	for (;;) {
		if (!pt->has_seg && !sy_next_segment(s, pt))
			return;
		int64_t lo = pt->seg_lo > r0 ? pt->seg_lo : r0;
		int64_t hi = pt->seg_end < r1 ? pt->seg_end : r1;
		const float *a = pt->seg.amp;
		if (lo < hi && (a[0] != 0 || a[1] != 0 || a[2] != 0 || a[3] != 0))
			tfr_synth_osc_add(&pt->seg, pt->seg_noise ? &pt->nz : NULL,
			                  s->knot_period, b0, lo, hi,
			                  s->block, s->cpu);
		if (pt->seg_end > r1)
			return;
		pt->has_seg = 0;
	}
}

/* ---- input ---- */

/* What is wrong with b, or NULL. */
static const char *sy_invalid(const tfr_synth *s, const tfr_breakpoint *b)
{
	if (b->partial < 0)
		return "negative partial id";
	if (!(fabs(b->time * s->p.sample_rate) <= SY_MAX_SAMPLES))
		return "time not finite or beyond 2^42 samples";
	if (b->time < s->last_time)
		return "time goes back (breakpoints must come in "
		       "nondecreasing time)";
	if (!(b->freq >= 0 && b->freq < INFINITY))
		return "frequency negative or not finite";
	if (!(b->amp >= 0 && b->amp <= TFR_MAX_SAMPLE))
		return "amplitude negative, not finite or above 2^20";
	if (!isfinite(b->phase))
		return "phase not finite";
	if (!(b->bandwidth >= 0 && b->bandwidth <= 1))
		return "bandwidth outside [0, 1]";
	return NULL;
}

static int sy_grow_parts(tfr_synth *s)
{
	if (s->nparts < s->capparts)
		return TFR_OK;
	size_t cap = s->capparts ? 2 * s->capparts : 16;
	sy_partial *p = realloc(s->parts, tfr_size_mul(cap, sizeof *p));
	if (!p)
		return TFR_ENOMEM;
	s->parts = p;
	s->capparts = cap;
	return TFR_OK;
}

/* pt's end breakpoint came: its id may not come back (tfr(5)). */
static int sy_end(tfr_synth *s, sy_partial *pt, sy_slot *slot)
{
	pt->ended = 1;
	sy_map_del(s, slot);
	if (idset_add(&s->gone, pt->id) != 0)
		return tfr_diag_set(&s->diag, TFR_ENOMEM, "out of memory");
	return TFR_OK;
}

static int sy_start(tfr_synth *s, const tfr_breakpoint *b, sy_partial **out)
{
	if (sy_grow_parts(s) != TFR_OK || sy_map_reserve(s) != TFR_OK)
		return TFR_ENOMEM;
	sy_partial *pt = &s->parts[s->nparts];
	memset(pt, 0, sizeof *pt);
	if (s->nspare) {
		s->nspare--;
		pt->q = s->spare[s->nspare].q;
		pt->qcap = s->spare[s->nspare].cap;
	}
	pt->id = b->partial;
	pt->stage = SY_FADE_IN;
	pt->last_time = -INFINITY;
	tfr_synth_noise_start(&pt->nz, s->p.seed, b->partial);
	/* a partial that fades in after the output's end is only
	 * followed (ids, times), not held */
	double from = (b->time - s->p.fade_time) * s->p.sample_rate;
	if (s->p.length >= 0 && from >= (double)s->p.length) {
		pt->silent = 1;
		pt->stage = SY_DONE;
	}
	sy_map_put(s, pt->id, s->nparts);
	s->nparts++;
	s->st.partials++;
	*out = pt;
	return TFR_OK;
}

static int sy_take(tfr_synth *s, const tfr_breakpoint *b)
{
	const char *why = sy_invalid(s, b);
	if (why)
		return tfr_diag_set(&s->diag, TFR_EFORMAT, why);
	sy_slot *slot = sy_find(s, b->partial);
	sy_partial *pt;
	if (slot) {
		pt = &s->parts[slot->idx];
		/* times rounded into collision by an edit (awk prints 6
		 * digits) are merged, not refused: the stream's order makes
		 * b no earlier than the partial's last breakpoint */
		if (b->time * s->p.sample_rate < pt->last_time * s->p.sample_rate + 1) {
			s->st.merged++;
			return b->end ? sy_end(s, pt, slot) : TFR_OK;
		}
	} else if (idset_has(&s->gone, b->partial)) {
		return tfr_diag_setf(&s->diag, TFR_EFORMAT,
		                     "partial %lld comes back after its end "
		                     "(ids are never reused)", (long long)b->partial);
	} else if (sy_start(s, b, &pt) != TFR_OK) {
		return tfr_diag_set(&s->diag, TFR_ENOMEM, "out of memory");
	}
	/* once a segment starts at or after the output's end, what follows
	 * cannot reach the output */
	double fs = s->p.sample_rate;
	if (s->p.length >= 0 && pt->last_time * fs >= (double)s->p.length)
		pt->silent = 1;
	sy_point q = { b->time, b->freq, b->amp, b->phase, b->bandwidth, 0 };
	if (pt->last_time > -INFINITY) {
		sy_point p0 = { pt->last_time, pt->last_freq, 0, pt->last_phase,
		                0, 0 };
		double n = (double)++s->segments + SY_MISFIT_PRIOR;
		double c = fabs(sy_misfit(s, &p0, &q)), miss = c > SY_FIT;
		double w = n < SY_MISFIT_SPAN ? n : SY_MISFIT_SPAN;
		if (s->first_verdict < 0) {
			s->first_sum += c;
			s->first_miss += miss;
		}
		s->misfit += (c - s->misfit) / w;
		s->miss += (miss - s->miss) / w;
	}
	if (s->first_verdict < 0 && s->segments) {
		/* evidence over the prior */
		s->misfit = s->first_sum / (double)s->segments;
		s->miss = s->first_miss / (double)s->segments;
	}
	q.coherent = s->misfit < SY_COHERENT && s->miss < SY_MISS;
	if (s->first_verdict < 0) {
		if (isinf(s->first_time))
			s->first_time = b->time;
		/* a stream of lone breakpoints decides after a second, so
		 * that what waits stays bounded */
		if (s->segments >= SY_DECIDE || b->time - s->first_time > 1.0)
			s->first_verdict = q.coherent;
		else
			q.coherent = -1;
	}
	if (!pt->silent && sy_push(s, pt, &q) != TFR_OK)
		return tfr_diag_set(&s->diag, TFR_ENOMEM, "out of memory");
	pt->last_time = b->time;
	pt->last_freq = b->freq;
	pt->last_phase = b->phase;
	if (b->end && sy_end(s, pt, sy_find(s, b->partial)) != TFR_OK)
		return TFR_ENOMEM;
	s->last_time = b->time;
	double end = floor((b->time + s->p.fade_time) * fs) + 1;
	if (end > (double)s->known_end)
		s->known_end = (int64_t)end;
	s->st.breakpoints++;
	return TFR_OK;
}

int tfr_synth_process(tfr_synth *s, const tfr_breakpoint *bp, size_t n)
{
	if (s->flushed)
		return tfr_diag_set(&s->diag, TFR_EINVAL,
		                    "breakpoints after the end of input");
	for (size_t i = 0; i < n; i++) {
		int e = sy_take(s, &bp[i]);
		if (e != TFR_OK)
			return e;
	}
	return TFR_OK;
}

/* The first segments' verdict from the evidence there is, when no more
 * is coming before it is needed (the end, or a second of silence). */
static void sy_decide_first(tfr_synth *s)
{
	if (s->first_verdict < 0)
		s->first_verdict = s->segments &&
		                   s->first_sum < SY_COHERENT * (double)s->segments &&
		                   s->first_miss < SY_MISS * (double)s->segments;
}

int tfr_synth_flush(tfr_synth *s)
{
	for (size_t i = 0; i < s->nparts; i++)
		s->parts[i].ended = 1;
	for (size_t i = 0; i < s->mapcap; i++)
		s->map[i].id = -1;
	s->mapcount = 0;
	s->flushed = 1;
	sy_decide_first(s);
	return TFR_OK;
}

/* Another channel's stream went on to time (tfr_synth_channels): this
 * one's input has too, and its output reaches that far. */
int tfr_synth_advance(tfr_synth *s, double time)
{
	if (s->flushed || !(fabs(time * s->p.sample_rate) <= SY_MAX_SAMPLES))
		return TFR_EINVAL;
	if (time > s->last_time)
		s->last_time = time;
	/* a channel silent a second after its first breakpoint decides as
	 * a stream of lone breakpoints does, or its few segments would
	 * hold every other channel's output until the end */
	if (time - s->first_time > 1.0)
		sy_decide_first(s);
	double end = floor(time * s->p.sample_rate) + 1;
	if (end > (double)s->known_end)
		s->known_end = (int64_t)end;
	return TFR_OK;
}

/* ---- output ---- */

/* The end of the finished samples (exclusive). */
static int64_t sy_horizon(const tfr_synth *s)
{
	int64_t end = s->p.length >= 0 ? s->p.length : s->known_end;
	if (s->flushed)
		return end;
	if (s->first_verdict < 0)
		return 0;  /* the first segments wait for their verdict */
	double fs = s->p.sample_rate;
	/* a partial still to come fades in after (t - fade) fs, t no
	 * earlier than the latest time seen */
	double h = floor((s->last_time - s->p.fade_time) * fs) + 1;
	for (size_t i = 0; i < s->nparts; i++) {
		const sy_partial *pt = &s->parts[i];
		if (!pt->ended) {
			double hp = floor(pt->last_time * fs) + 1;
			h = hp < h ? hp : h;
		}
	}
	if (!(h > 0))
		return 0;
	return h < (double)end ? (int64_t)h : end;
}

/* Let pt go: its queue to the spares (or freed if there is no room). */
static void sy_free_partial(tfr_synth *s, sy_partial *pt)
{
	s->held -= pt->qlen;
	if (pt->q && s->nspare == s->capspare) {
		size_t cap = s->capspare ? 2 * s->capspare : 16;
		sy_spare *sp = realloc(s->spare, tfr_size_mul(cap, sizeof *sp));
		if (sp) {
			s->spare = sp;
			s->capspare = cap;
		}
	}
	if (pt->q && s->nspare < s->capspare)
		s->spare[s->nspare++] = (sy_spare){ pt->q, pt->qcap };
	else
		free(pt->q);
	pt->q = NULL;
	pt->qlen = pt->qcap = 0;
}

/* Drop the partials rendered to their end, keeping the others' order. */
static void sy_collect(tfr_synth *s)
{
	size_t k = 0;
	for (size_t i = 0; i < s->nparts; i++) {
		sy_partial *pt = &s->parts[i];
		if (pt->ended && pt->stage == SY_DONE && !pt->has_seg) {
			sy_free_partial(s, pt);
			continue;
		}
		if (k != i) {
			s->parts[k] = *pt;
			sy_slot *slot = pt->ended ? NULL : sy_find(s, pt->id);
			if (slot)
				slot->idx = k;
		}
		k++;
	}
	s->nparts = k;
}

size_t tfr_synth_read(tfr_synth *s, float *out, size_t max)
{
	int64_t h = sy_horizon(s);
	if (h <= s->pos || !max)
		return 0;
	size_t n = (uint64_t)(h - s->pos) < max ? (size_t)(h - s->pos) : max;
	for (size_t done = 0; done < n;) {
		int64_t b0 = s->pos & ~(int64_t)7;
		size_t off = (size_t)(s->pos - b0);
		size_t m = n - done < SY_BLOCK - off ? n - done : SY_BLOCK - off;
		memset(s->block, 0, (off + m + 8) * sizeof *s->block);
		for (size_t i = 0; i < s->nparts; i++)
			sy_render(s, &s->parts[i], b0, s->pos,
			          s->pos + (int64_t)m);
		memcpy(out + done, s->block + off, m * sizeof *out);
		s->pos += (int64_t)m;
		done += m;
	}
	sy_collect(s);
	s->st.samples += (int64_t)n;
	return n;
}

const tfr_diag *tfr_synth_diag(const tfr_synth *s)
{
	return &s->diag;
}

void tfr_synth_get_stats(const tfr_synth *s, tfr_synth_stats *st)
{
	*st = s->st;
	st->alive = s->nparts;
	st->held = s->held;
	size_t bytes = sizeof *s + (SY_BLOCK + 8) * sizeof *s->block +
	               s->capparts * sizeof *s->parts +
	               s->mapcap * sizeof *s->map +
	               s->capspare * sizeof *s->spare;
	for (size_t i = 0; i < s->nparts; i++)
		bytes += s->parts[i].qcap * sizeof *s->parts[i].q;
	for (size_t i = 0; i < s->nspare; i++)
		bytes += s->spare[i].cap * sizeof *s->spare[i].q;
	st->bytes = bytes;
}

void tfr_synth_reset(tfr_synth *s)
{
	for (size_t i = 0; i < s->nparts; i++)
		sy_free_partial(s, &s->parts[i]);
	s->nparts = 0;
	for (size_t i = 0; i < s->mapcap; i++)
		s->map[i].id = -1;
	s->mapcount = 0;
	idset_free(&s->gone);
	s->pos = 0;
	s->last_time = -INFINITY;
	s->misfit = SY_MISFIT_START;
	s->segments = 0;
	s->first_verdict = -1;
	s->first_time = INFINITY;
	s->first_sum = 0;
	s->miss = SY_MISS_START;
	s->first_miss = 0;
	s->known_end = 0;
	s->flushed = 0;
	s->held = 0;
	memset(&s->st, 0, sizeof s->st);
	tfr_diag_clear(&s->diag);
}

void tfr_synth_free(tfr_synth *s)
{
	if (!s)
		return;
	for (size_t i = 0; i < s->nparts; i++)
		free(s->parts[i].q);
	for (size_t i = 0; i < s->nspare; i++)
		free(s->spare[i].q);
	free(s->spare);
	free(s->parts);
	free(s->map);
	idset_free(&s->gone);
	free(s->block);
	free(s);
}
