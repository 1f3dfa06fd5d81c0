/*
 * sdelay.c - spectral delay with per-bin delay, feedback and gain
 * (Kim-Boyle, DAFx-04; model of spectral-delay.md 3.2, see tfr_sdcore.h).
 *
 * Per channel the delay memory is a ring of L = max_delay + 1 spectra:
 * frame m writes D_m into slot m mod L after reading D_{m-d[k]} from slot
 * (m - d[k]) mod L, so L slots are enough for every d <= max_delay and
 * memory depends on the longest delay only, never on the input length.
 * A frame before the first (m - d < 0) is read from one more row that
 * stays zero, not from its slot: a slot is then first touched by its
 * write, so each page of a fresh ring faults once (a read first would
 * map the zero page, and the write then fault again to copy it, with a
 * TLB flush: a third of the job's kernel time on a virtual machine).
 */
#include "tfr_base.h"
#include "internal.h"
#include "sdelay_core.h"
#include "tfr_wola.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* A gliding gain or feedback closer than this to its target snaps onto
 * it, so a finished glide is exact and the fast path can resume. */
#define SNAP 1e-7f

/* The random phases of a freeze_random: this many, 2 pi / PHASES apart
 * (a table, not a cosine and sine per bin and frame). */
#define PHASE_BITS 12
#define PHASES (1 << PHASE_BITS)

/* The maps of a channel that are gliding (chan.smoothing). */
#define SMOOTH_FB 1
#define SMOOTH_GAIN 2

/* Bins k0 ... k1 - 1 of a channel with one delay d: their taps are
 * adjacent in one row, so the settled pass over them is a loop the
 * compiler vectorises, with one row lookup per run, not per bin. */
struct run {
	size_t k0, k1;
	int32_t d;
};

struct chan {
	tfr_wola *wola;
	float *x;       /* input spectrum, 2*bins */
	float *r;       /* delayed bins read from the taps, then W, 2*bins */
	float *fbin;    /* the part of r that feeds back (taps with d >= 1) */
	float *ring;    /* L spectra of D, and a row of zeros after them */
	struct run *runs; /* the bins in runs of one delay (da) */
	size_t nruns;
	int runs_stale; /* da changed since the runs were made */
	float *wet;     /* hop synthesised samples */
	int32_t *da;    /* current delay per bin */
	int32_t *db;    /* delay being faded to (== da when not fading) */
	int32_t *pend;  /* delay requested while a fade was running */
	float *fade;    /* crossfade position 0..1 from da to db */
	float *fb, *fb_tgt, *g, *g_tgt;
	int fading;     /* some bin's delay is crossfading (da != db) */
	int smoothing;  /* which maps are gliding: SMOOTH_FB | SMOOTH_GAIN */
	int onepass;    /* this frame took bins_settled's single pass */
	/* freeze (params.freeze only) */
	float *prev;    /* the last frame's taps, 2*bins: a phase's advance */
	float *famp;    /* magnitudes of the band's bins at the freeze */
	double *fraw;   /* each bin's own phase advance per frame, rad */
	double *fz;     /* the frozen bins' values, 2*bins (re, im) */
	double *frot;   /* e^(i advance) of each, 2*bins: a rotation per
	                   frame, not a cosine and sine per bin and frame */
	uint64_t rng;   /* freeze_random: xorshift64* state */
	int morphing;   /* the fades are the morph's (set_morph), not glides */
	int frozen;     /* a freeze is asked for */
	int held;       /* ... and has captured its frame */
};

struct tfr_sdcore {
	tfr_sdcore_params p;
	size_t bins, hop, slots, slot;
	int64_t blocks;
	float alpha;    /* one-pole coefficient of gain/feedback glides */
	float step;     /* crossfade advance per frame */
	float rscale;   /* freeze_random: the magnitudes' scale, 1 / sqrt(c) */
	float *phasor;  /* freeze_random: PHASES unit phasors, (cos, sin) */
	struct chan *ch;
};

void tfr_sdcore_params_default(tfr_sdcore_params *p)
{
	p->fft_size = 2048;
	p->hop = 512;
	p->window = NULL;
	p->channels = 1;
	p->max_delay = 0;
	p->mix = 1.0;
	p->cross = 0.0;
	p->smooth = 4.0;
	p->out_gain = 1.0;
	p->limit = 0.0;
	p->freeze = 0;
	p->freeze_lo = 0;
	p->freeze_hi = SIZE_MAX;
	p->freeze_random = 0;
}

float tfr_sdcore_softlimit(float x, float t)
{
	float a = fabsf(x), y;

	if (a <= t)
		return x;
	y = t + (1.0f - t) * tanhf((a - t) / (1.0f - t));
	return x < 0.0f ? -y : y;
}

static int params_valid(const tfr_sdcore_params *p)
{
	if (!p || p->channels < 1 || p->channels > 1024)
		return 0;
	if (!(p->mix >= 0.0 && p->mix <= 1.0))
		return 0;
	if (!(p->cross >= 0.0 && p->cross <= 1.0))
		return 0;
	if (p->cross > 0.0 && p->channels != 2)
		return 0;
	if (!(p->smooth >= 0.0 && p->smooth <= 1e9))
		return 0;
	if (!isfinite(p->out_gain))
		return 0;
	if (!(p->limit == 0.0 || (p->limit > 0.0 && p->limit < 1.0)))
		return 0;
	return p->max_delay < INT32_MAX;
}

static void chan_free(struct chan *c)
{
	tfr_wola_free(c->wola);
	free(c->x);
	free(c->r);
	free(c->fbin);
	free(c->ring);
	free(c->runs);
	free(c->wet);
	free(c->da);
	free(c->db);
	free(c->pend);
	free(c->fade);
	free(c->fb);
	free(c->fb_tgt);
	free(c->g);
	free(c->g_tgt);
	free(c->prev);
	free(c->famp);
	free(c->fraw);
	free(c->fz);
	free(c->frot);
}

static int chan_init(struct chan *c, const tfr_sdcore *s,
                     const tfr_wola_params *wp)
{
	size_t nb = s->bins, spec = 2 * nb;
	tfr_diag d;

	if (s->slots + 1 > SIZE_MAX / sizeof(float) / spec)
		return TFR_ENOMEM;
	c->wola = tfr_wola_new(wp, &d);
	if (!c->wola)
		return d.code;
	c->x = calloc(spec, sizeof *c->x);
	c->r = calloc(spec, sizeof *c->r);
	c->fbin = calloc(spec, sizeof *c->fbin);
	c->ring = calloc((s->slots + 1) * spec, sizeof *c->ring);
	c->runs = malloc(nb * sizeof *c->runs);
	c->runs_stale = 1;
	c->wet = calloc(s->hop, sizeof *c->wet);
	c->da = calloc(nb, sizeof *c->da);
	c->db = calloc(nb, sizeof *c->db);
	c->pend = calloc(nb, sizeof *c->pend);
	c->fade = calloc(nb, sizeof *c->fade);
	c->fb = calloc(nb, sizeof *c->fb);
	c->fb_tgt = calloc(nb, sizeof *c->fb_tgt);
	c->g = malloc(nb * sizeof *c->g);
	c->g_tgt = malloc(nb * sizeof *c->g_tgt);
	if (!c->x || !c->r || !c->fbin || !c->ring || !c->runs || !c->wet || !c->da ||
	    !c->db || !c->pend || !c->fade || !c->fb || !c->fb_tgt || !c->g ||
	    !c->g_tgt)
		return TFR_ENOMEM;
	for (size_t k = 0; k < nb; k++)
		c->g[k] = c->g_tgt[k] = 1.0f;
	if (!s->p.freeze)
		return TFR_OK;
	c->prev = calloc(spec, sizeof *c->prev);
	c->famp = calloc(nb, sizeof *c->famp);
	c->fraw = calloc(nb, sizeof *c->fraw);
	c->fz = calloc(spec, sizeof *c->fz);
	c->frot = calloc(spec, sizeof *c->frot);
	return c->prev && c->famp && c->fraw && c->fz && c->frot ? TFR_OK
	                                                         : TFR_ENOMEM;
}

/* The random phases' first state for channel c: fixed, so that a
 * random freeze is reproducible, and different for every channel. */
static uint64_t seed(int c)
{
	return 0x9E3779B97F4A7C15u * (uint64_t)(c + 1);
}

/* xorshift64* (Vigna, ACM TOMS 42(4), 2016): the top bits of the next
 * number, a phase index 0 ... PHASES - 1. */
static size_t next_phase(uint64_t *x)
{
	*x ^= *x >> 12;
	*x ^= *x << 25;
	*x ^= *x >> 27;
	return (size_t)((*x * 0x2545F4914F6CDD1Du) >> (64 - PHASE_BITS));
}

/*
 * The power of frames of random phase after overlap-add, over the
 * frame's own: c = sum(w^2) sum(s^2) / (N H), with the synthesis window
 * s[n] = w[n] / env[n mod H], env[j] = sum of w^2 over n = j mod H
 * (tfr_wola.h). Each frame's samples then have the mean power
 * sum(w^2) / N times the input's (Parseval, the phases spreading it
 * evenly over the frame), and H samples of output sum the squares of
 * s over one frame: sum(s^2) / H.
 */
static double random_power(const double *w, size_t n, size_t hop)
{
	double ww = 0, ss = 0;
	for (size_t j = 0; j < hop; j++) {
		double env = 0, sum = 0;
		for (size_t i = j; i < n; i += hop) {
			double wi = w ? w[i] : 0.5 - 0.5 * cos(TFR_2PI * (double)i / (double)n);
			env += wi * wi;
		}
		for (size_t i = j; i < n; i += hop) {
			double wi = w ? w[i] : 0.5 - 0.5 * cos(TFR_2PI * (double)i / (double)n);
			sum += wi * wi;
			ss += env > 0 ? wi * wi / (env * env) : 0.0;
		}
		ww += sum;
	}
	return ww * ss / ((double)n * (double)hop);
}

/* A random freeze's phasors and magnitude scale (window: as params). */
static int random_init(tfr_sdcore *s, const double *window)
{
	s->phasor = malloc(2 * PHASES * sizeof *s->phasor);
	if (!s->phasor)
		return TFR_ENOMEM;
	for (size_t i = 0; i < PHASES; i++) {
		s->phasor[2 * i] = (float)cos(TFR_2PI * (double)i / PHASES);
		s->phasor[2 * i + 1] = (float)sin(TFR_2PI * (double)i / PHASES);
	}
	double c = random_power(window, s->p.fft_size, s->hop);
	s->rscale = c > 0 ? (float)(1.0 / sqrt(c)) : 1.0f;
	return TFR_OK;
}

tfr_sdcore *tfr_sdcore_new(const tfr_sdcore_params *p, int *err)
{
	tfr_wola_params wp;
	tfr_sdcore *s;
	int e = TFR_EINVAL;

	if (!params_valid(p))
		goto fail_early;
	wp.fft_size = p->fft_size;
	wp.hop = p->hop;
	wp.window = p->window;
	e = TFR_ENOMEM;
	s = calloc(1, sizeof *s);
	if (!s)
		goto fail_early;
	s->p = *p;
	s->p.window = NULL; /* copied by the wola objects; not kept */
	s->bins = p->fft_size / 2 + 1;
	s->hop = p->hop;
	if (s->p.freeze_hi > s->bins - 1)
		s->p.freeze_hi = s->bins - 1;
	s->slots = p->max_delay + 1;
	s->alpha = p->smooth >= 1.0 ? (float)(1.0 - exp(-1.0 / p->smooth))
	                            : 1.0f;
	s->step = p->smooth >= 1.0 ? (float)(1.0 / p->smooth) : 1.0f;
	s->ch = calloc((size_t)p->channels, sizeof *s->ch);
	if (!s->ch) {
		free(s);
		goto fail_early;
	}
	for (int c = 0; c < p->channels; c++) {
		e = chan_init(&s->ch[c], s, &wp);
		if (e != TFR_OK) {
			tfr_sdcore_free(s);
			goto fail_early;
		}
		s->ch[c].rng = seed(c);
	}
	if (p->freeze && p->freeze_random &&
	    (e = random_init(s, p->window)) != TFR_OK) {
		tfr_sdcore_free(s);
		goto fail_early;
	}
	if (err)
		*err = TFR_OK;
	return s;
fail_early:
	if (err)
		*err = e;
	return NULL;
}

size_t tfr_sdcore_bins(const tfr_sdcore *s) { return s->bins; }
size_t tfr_sdcore_hop(const tfr_sdcore *s) { return s->hop; }
size_t tfr_sdcore_latency(const tfr_sdcore *s)
{
	return s->p.fft_size - s->hop;
}
int64_t tfr_sdcore_blocks(const tfr_sdcore *s) { return s->blocks; }
const float *tfr_sdcore_spectrum(const tfr_sdcore *s, int channel)
{
	return s->ch[channel].x;
}

static int maps_in_range(const tfr_sdcore *s, const double *delay,
                         const double *feedback, const double *gain)
{
	int bad = 0;
	double dmax = (double)s->p.max_delay + 0.5;
	/* no early exit: branch-free loops, one per map */
	for (size_t k = 0; delay && k < s->bins; k++)
		bad |= !(delay[k] > -0.5 && delay[k] < dmax);
	for (size_t k = 0; feedback && k < s->bins; k++)
		bad |= !(fabs(feedback[k]) < 1.0);
	for (size_t k = 0; gain && k < s->bins; k++)
		bad |= !isfinite(gain[k]);
	return !bad;
}

/* A new delay for bin k: at once before the first block or without
 * smoothing; otherwise fade to it (or queue it behind a running fade). */
static void set_delay(tfr_sdcore *s, struct chan *c, size_t k, int32_t d)
{
	if (s->blocks == 0 || s->step >= 1.0f) {
		c->runs_stale |= c->da[k] != d;
		c->da[k] = c->db[k] = c->pend[k] = d;
		c->fade[k] = 0.0f;
		return;
	}
	c->pend[k] = d;
	if (c->da[k] == c->db[k] && d != c->da[k]) {
		c->db[k] = d;
		c->fade[k] = 0.0f;
		c->fading = 1;
	}
}

/* New targets of a glide, and the values at once when now is given. */
static void set_targets(float *tgt, float *now, const double *v, size_t n)
{
	for (size_t k = 0; k < n; k++)
		tgt[k] = (float)v[k];
	if (now)
		memcpy(now, tgt, n * sizeof *now);
}

int tfr_sdcore_set_maps(tfr_sdcore *s, int channel, const double *delay,
                        const double *feedback, const double *gain)
{
	struct chan *c;
	int now;

	if (!s || channel < 0 || channel >= s->p.channels)
		return TFR_EINVAL;
	if (!maps_in_range(s, delay, feedback, gain))
		return TFR_ERANGE;
	c = &s->ch[channel];
	now = s->blocks == 0 || s->alpha >= 1.0f;
	/* one loop per map: a follow or a sidechain sets one every block */
	for (size_t k = 0; delay && k < s->bins; k++)
		set_delay(s, c, k, (int32_t)lround(delay[k]));
	if (feedback)
		set_targets(c->fb_tgt, now ? c->fb : NULL, feedback, s->bins);
	if (gain)
		set_targets(c->g_tgt, now ? c->g : NULL, gain, s->bins);
	if (!now)
		c->smoothing |= (feedback ? SMOOTH_FB : 0) | (gain ? SMOOTH_GAIN : 0);
	return TFR_OK;
}

/* Every delay within 0 ... max_delay frames. */
static int frames_in_range(const tfr_sdcore *s, const int32_t *d)
{
	int bad = 0;
	int32_t most = (int32_t)s->p.max_delay;   /* < INT32_MAX: params_valid */
	for (size_t k = 0; k < s->bins; k++)
		bad |= (d[k] < 0) | (d[k] > most);
	return !bad;
}

int tfr_sdcore_set_morph(tfr_sdcore *s, int channel, const int32_t *d0,
                         const int32_t *d1, double a)
{
	if (!s || channel < 0 || channel >= s->p.channels)
		return TFR_EINVAL;
	if (!frames_in_range(s, d0) || !frames_in_range(s, d1) ||
	    !(a >= 0.0 && a <= 1.0))
		return TFR_ERANGE;
	struct chan *c = &s->ch[channel];
	int mixed = 0;
	/* at an end the other configuration's taps are not read at all */
	const int32_t *x = a == 1.0 ? d1 : d0, *y = a == 0.0 ? d0 : d1;
	float fa = (float)a;
	size_t nb = s->bins;
	float *fade = c->fade;
	/* loops the compiler vectorises: a block of a morph sets them all */
	memcpy(c->da, x, nb * sizeof *x);
	c->runs_stale = 1;
	memcpy(c->db, y, nb * sizeof *y);
	memcpy(c->pend, y, nb * sizeof *y);
	for (size_t k = 0; k < nb; k++)
		fade[k] = x[k] != y[k] ? fa : 0.0f;
	for (size_t k = 0; k < nb; k++)
		mixed |= x[k] != y[k];
	c->morphing = 1;
	c->fading |= mixed;
	return TFR_OK;
}

int tfr_sdcore_set_freeze(tfr_sdcore *s, int channel, int on)
{
	if (!s || !s->p.freeze || channel < 0 || channel >= s->p.channels)
		return TFR_EINVAL;
	s->ch[channel].frozen = on != 0;
	return TFR_OK;
}

/* The row holding D_{m-d} for the frame m being made: its slot, or the
 * zero row for a frame before the first (m - d < 0: never written). */
static float *row_of(const tfr_sdcore *s, const struct chan *c, int32_t d)
{
	size_t ud = (size_t)d, row;
	if ((int64_t)d > s->blocks)
		row = s->slots;
	else
		row = s->slot >= ud ? s->slot - ud : s->slot + s->slots - ud;
	return c->ring + row * 2 * s->bins;
}

/* The bins in runs of one current delay. */
static void make_runs(const tfr_sdcore *s, struct chan *c)
{
	size_t n = 0;
	for (size_t k = 0; k < s->bins; n++) {
		size_t k0 = k;
		while (k < s->bins && c->da[k] == c->da[k0])
			k++;
		c->runs[n].k0 = k0;
		c->runs[n].k1 = k;
		c->runs[n].d = c->da[k0];
	}
	c->nruns = n;
	c->runs_stale = 0;
}

/* n bins without a line (d = 0): D_m = X_m, W_m = g X_m. */
static void run_direct(float *restrict dm, float *restrict w,
                       const float *restrict x, const float *restrict g,
                       size_t n)
{
	for (size_t k = 0; k < n; k++) {
		dm[2 * k] = x[2 * k];
		dm[2 * k + 1] = x[2 * k + 1];
		w[2 * k] = g[k] * x[2 * k];
		w[2 * k + 1] = g[k] * x[2 * k + 1];
	}
}

/* n bins reading their taps t = D_{m-d}: D_m = X_m + fb t, W_m = g t.
 * (restrict: t is another row than dm's, d >= 1.) */
static void run_taps(float *restrict dm, float *restrict w,
                     const float *restrict x, const float *restrict t,
                     const float *restrict fb, const float *restrict g,
                     size_t n)
{
	for (size_t k = 0; k < n; k++) {
		dm[2 * k] = x[2 * k] + fb[k] * t[2 * k];
		dm[2 * k + 1] = x[2 * k + 1] + fb[k] * t[2 * k + 1];
		w[2 * k] = g[k] * t[2 * k];
		w[2 * k + 1] = g[k] * t[2 * k + 1];
	}
}

/*
 * The common case, maps settled and no cross-feedback: one pass per bin
 * reads D_{m-d}, writes D_m = X_m + fb D_{m-d} and forms W_m = g D_{m-d},
 * run by run of bins with one delay.
 */
static void bins_settled(tfr_sdcore *s, struct chan *c)
{
	float *wrow = c->ring + s->slot * 2 * s->bins;

	if (c->runs_stale)
		make_runs(s, c);
	for (size_t i = 0; i < c->nruns; i++) {
		size_t k0 = c->runs[i].k0, n = c->runs[i].k1 - k0;
		int32_t d = c->runs[i].d;
		if (d == 0)
			run_direct(wrow + 2 * k0, c->r + 2 * k0, c->x + 2 * k0,
			           c->g + k0, n);
		else
			run_taps(wrow + 2 * k0, c->r + 2 * k0, c->x + 2 * k0,
			         row_of(s, c, d) + 2 * k0, c->fb + k0, c->g + k0, n);
	}
}

/* Tap value of delay d for bin k: the current input for d = 0 (no loop),
 * else the stored D_{m-d}. */
static const float *tap(const tfr_sdcore *s, const struct chan *c,
                        size_t k, int32_t d)
{
	if (d == 0)
		return c->x + 2 * k;
	return row_of(s, c, d) + 2 * k;
}

/* Read r (output) and fbin (fed-back part) with crossfades between the
 * old and the new tap of bins whose delay is changing. */
static void bins_read(const tfr_sdcore *s, struct chan *c)
{
	for (size_t k = 0; k < s->bins; k++) {
		int32_t a = c->da[k], b = c->db[k];
		const float *ta = tap(s, c, k, a);
		float ua = 1.0f, ub = 0.0f;
		float rr = ta[0], ri = ta[1], fr, fi;
		if (b != a) {
			const float *tb = tap(s, c, k, b);
			ub = c->fade[k];
			ua = 1.0f - ub;
			rr = ua * ta[0] + ub * tb[0];
			ri = ua * ta[1] + ub * tb[1];
			fr = (a ? ua * ta[0] : 0.0f) + (b ? ub * tb[0] : 0.0f);
			fi = (a ? ua * ta[1] : 0.0f) + (b ? ub * tb[1] : 0.0f);
		} else {
			fr = a ? rr : 0.0f;
			fi = a ? ri : 0.0f;
		}
		c->r[2 * k] = rr;
		c->r[2 * k + 1] = ri;
		c->fbin[2 * k] = fr;
		c->fbin[2 * k + 1] = fi;
	}
}

/*
 * One frame of a glide of n values towards their targets (one-pole);
 * returns 1 while some value has not arrived. A step that no longer
 * moves the value (alpha times the distance below half an ulp: 2 ulps
 * short of 1 at a 50 ms glide) snaps too, or the glide would stall short
 * of its target for ever; so does a value within SNAP of its target
 * (relative beyond 1: feedbacks, |t| < 1, within SNAP). The tests are
 * made on the bits (values and targets finite: set_maps checks them):
 * float compares may trap and are not vectorised, integer ones are, and
 * a follow or a sidechain glides every bin every block (3x faster).
 */
static int smooth(float *v, const float *tgt, size_t n, float alpha)
{
	uint32_t moving = 0, one = tfr_float_bits(1.0f);

	for (size_t k = 0; k < n; k++) {
		float x = v[k], t = tgt[k], y = x + alpha * (t - x);
		uint32_t at = tfr_float_bits(fabsf(t));
		float lim = SNAP * tfr_bits_float(at > one ? at : one);
		uint32_t same = tfr_float_bits(y) == tfr_float_bits(x);
		uint32_t near = tfr_float_bits(fabsf(y - t)) <= tfr_float_bits(lim);
		uint32_t snap = same | near;  /* | not ||: no branch */
		uint32_t mask = 0u - snap, r = (tfr_float_bits(t) & mask) | (tfr_float_bits(y) & ~mask);
		v[k] = tfr_bits_float(r);
		moving |= r ^ tfr_float_bits(t);
	}
	return moving != 0;
}

/* One frame of the feedback and gain glides: only of the maps that are
 * moving (a sidechain or a follow moves one of the two every frame). */
static void smooth_all(const tfr_sdcore *s, struct chan *c)
{
	if ((c->smoothing & SMOOTH_FB) &&
	    !smooth(c->fb, c->fb_tgt, s->bins, s->alpha))
		c->smoothing &= ~SMOOTH_FB;
	if ((c->smoothing & SMOOTH_GAIN) &&
	    !smooth(c->g, c->g_tgt, s->bins, s->alpha))
		c->smoothing &= ~SMOOTH_GAIN;
}

/* One frame of the delay crossfades of every bin: a glide's fade moves
 * on by `step` and, once complete, takes up a delay asked for meanwhile;
 * a morph's fades are where set_morph put them. Clears `fading` once no
 * bin has two taps. */
static void fade_all(const tfr_sdcore *s, struct chan *c)
{
	int moving = 0;

	for (size_t k = 0; k < s->bins; k++) {
		if (c->da[k] == c->db[k])
			continue;
		if (!c->morphing) {
			c->fade[k] += s->step;
			if (c->fade[k] >= 1.0f) {
				c->da[k] = c->db[k];
				c->runs_stale = 1;
				c->fade[k] = 0.0f;
				if (c->pend[k] != c->da[k])
					c->db[k] = c->pend[k];
			}
		}
		moving |= c->da[k] != c->db[k] || c->fade[k] != 0.0f;
	}
	c->fading = moving;
}

/* The phase advance per frame of bin k whose taps were p (the frame
 * before) and t (this one): the bin centre's advance 2 pi k H / N plus
 * the deviation the two phases show, wrapped to [-pi, pi] (a phase
 * vocoder's instantaneous frequency, exact for a steady partial within
 * N / (2 H) bins of the bin's centre). */
static double advance(const tfr_sdcore *s, size_t k, const float *p,
                      const float *t)
{
	double centre = TFR_2PI * (double)k * (double)s->hop /
	                (double)s->p.fft_size;
	double dev = atan2(t[1], t[0]) - atan2(p[1], p[0]) - centre;
	dev -= TFR_2PI * floor(dev / (TFR_2PI) + 0.5);
	return centre + dev;
}

/* The magnitude peak of the band that bin k belongs to: uphill from k
 * to the first bin whose neighbours are no larger. */
static size_t peak_of(const tfr_sdcore *s, const float *amp, size_t k)
{
	size_t lo = s->p.freeze_lo, hi = s->p.freeze_hi;
	for (;;) {
		float up = k < hi ? amp[k + 1] : -1.0f;
		float down = k > lo ? amp[k - 1] : -1.0f;
		if (up > amp[k] && up >= down)
			k++;
		else if (down > amp[k])
			k--;
		else
			return k;
	}
}

/* A freeze that starts this frame takes the band's taps (magnitude,
 * phase and advance); the taps are kept for the next frame's advance.
 * Every bin advances as the peak it belongs to (the phase locking of
 * Laroche and Dolson, IEEE Trans. Speech Audio Proc. 7(3), 1999): the
 * bins of one partial's lobe keep their phases relative to each other,
 * so a held partial stays one line however long it is held, instead of
 * its bins drifting apart by their estimates' rounding. */
static void freeze_capture(tfr_sdcore *s, struct chan *c)
{
	size_t lo = s->p.freeze_lo, hi = s->p.freeze_hi;
	if (c->frozen && !c->held && s->p.freeze_random) {
		for (size_t k = lo; k <= hi; k++)
			c->famp[k] = hypotf(c->r[2 * k], c->r[2 * k + 1]);
		c->held = 1;
	} else if (c->frozen && !c->held) {
		for (size_t k = lo; k <= hi; k++) {
			const float *t = c->r + 2 * k;
			c->famp[k] = hypotf(t[0], t[1]);
			c->fz[2 * k] = t[0];
			c->fz[2 * k + 1] = t[1];
			c->fraw[k] = advance(s, k, c->prev + 2 * k, t);
		}
		for (size_t k = lo; k <= hi; k++) {
			double a = c->fraw[peak_of(s, c->famp, k)];
			c->frot[2 * k] = cos(a);
			c->frot[2 * k + 1] = sin(a);
		}
		c->held = 1;
	} else if (!c->frozen) {
		c->held = 0;
	}
	memcpy(c->prev, c->r, 2 * s->bins * sizeof *c->prev);
}

/* A random freeze's bin k: its captured magnitude, scaled, at a new
 * random phase (bins 0 and N/2 are real: a random sign). */
static void random_bin(const tfr_sdcore *s, struct chan *c, size_t k)
{
	size_t i = next_phase(&c->rng);
	float a = c->g[k] * c->famp[k] * s->rscale;
	if (k == 0 || k + 1 == s->bins) {
		c->r[2 * k] = i < PHASES / 2 ? a : -a;
		c->r[2 * k + 1] = 0.0f;
	} else {
		c->r[2 * k] = a * s->phasor[2 * i];
		c->r[2 * k + 1] = a * s->phasor[2 * i + 1];
	}
}

/* While frozen: the band's lines hold (D_m = D_{m-d}, no input; a bin
 * without a line, d = 0, has nothing to hold) and its bins sound the
 * captured magnitudes at advancing (or random) phases, times their
 * gains. */
static void freeze_apply(tfr_sdcore *s, struct chan *c)
{
	float *wrow = c->ring + s->slot * 2 * s->bins;
	for (size_t k = s->p.freeze_lo; k <= s->p.freeze_hi; k++) {
		if (c->da[k] > 0) {
			const float *t = tap(s, c, k, c->da[k]);
			wrow[2 * k] = t[0];
			wrow[2 * k + 1] = t[1];
		}
		if (s->p.freeze_random) {
			random_bin(s, c, k);
			continue;
		}
		double zr = c->fz[2 * k], zi = c->fz[2 * k + 1];
		double cr = c->frot[2 * k], ci = c->frot[2 * k + 1];
		c->r[2 * k] = c->g[k] * (float)zr;
		c->r[2 * k + 1] = c->g[k] * (float)zi;
		c->fz[2 * k] = zr * cr - zi * ci;
		c->fz[2 * k + 1] = zr * ci + zi * cr;
	}
}

/* Write D_m = X_m + fb * ((1-x) own + x other) and W_m = g * r, then
 * advance the glides. other is NULL without cross-feedback. */
static void bins_write(tfr_sdcore *s, struct chan *c,
                       const struct chan *other)
{
	size_t nb = s->bins;
	float *wrow = c->ring + s->slot * 2 * nb;
	float xo = other ? (float)s->p.cross : 0.0f, xs = 1.0f - xo;

	for (size_t k = 0; k < nb; k++) {
		float fr = c->fbin[2 * k], fi = c->fbin[2 * k + 1];
		if (other) {
			fr = xs * fr + xo * other->fbin[2 * k];
			fi = xs * fi + xo * other->fbin[2 * k + 1];
		}
		wrow[2 * k] = c->x[2 * k] + c->fb[k] * fr;
		wrow[2 * k + 1] = c->x[2 * k + 1] + c->fb[k] * fi;
		c->r[2 * k] *= c->g[k];
		c->r[2 * k + 1] *= c->g[k];
	}
}

/* The glides of one frame, after its bins have used their values. */
static void glide(const tfr_sdcore *s, struct chan *c)
{
	if (c->smoothing)
		smooth_all(s, c);
	if (c->fading)
		fade_all(s, c);
}

/*
 * One frame of every channel. A channel whose delays are settled (no
 * crossfade: one tap per bin) takes the one-pass path even while its
 * gains and feedbacks glide (what a followed or sidechained map does
 * every frame); crossfades, cross-feedback and freezes read first and
 * write after.
 */
static void spectral_frame(tfr_sdcore *s)
{
	int nc = s->p.channels, cross = s->p.cross > 0.0;
	int freeze = s->p.freeze;

	for (int i = 0; i < nc; i++) {
		struct chan *c = &s->ch[i];
		c->onepass = !c->fading && !cross && !freeze;
		if (c->onepass) {
			bins_settled(s, c);
			glide(s, c);
		} else {
			bins_read(s, c);
			if (freeze)
				freeze_capture(s, c);
		}
	}
	for (int i = 0; i < nc; i++) {
		struct chan *c = &s->ch[i];
		if (c->onepass)
			continue;
		bins_write(s, c, cross ? &s->ch[1 - i] : NULL);
		glide(s, c);
		if (freeze && c->held)
			freeze_apply(s, c);
	}
	s->slot = s->slot + 1 == s->slots ? 0 : s->slot + 1;
}

/* Dry/wet mix, headroom and limiter, interleaving into out. mix 0 and 1
 * copy one path untouched so that either is bit-exact. Each stage is a
 * pass over the channel's wet buffer (scratch until the next block), so
 * that the common case, none of them, is the interleaving alone. */
static void output_stage(tfr_sdcore *s, float *out)
{
	size_t nc = (size_t)s->p.channels, hop = s->hop;
	float mix = (float)s->p.mix, og = (float)s->p.out_gain;
	float lim = (float)s->p.limit;

	for (size_t i = 0; i < nc; i++) {
		const float *dry = tfr_wola_dry(s->ch[i].wola);
		float *y = s->ch[i].wet;
		if (mix == 0.0f)
			memcpy(y, dry, hop * sizeof *y);
		else if (mix != 1.0f)
			for (size_t n = 0; n < hop; n++)
				y[n] = (1.0f - mix) * dry[n] + mix * y[n];
		if (og != 1.0f)
			for (size_t n = 0; n < hop; n++)
				y[n] *= og;
		if (lim > 0.0f)
			for (size_t n = 0; n < hop; n++)
				y[n] = tfr_sdcore_softlimit(y[n], lim);
		for (size_t n = 0; n < hop; n++)
			out[n * nc + i] = y[n];
	}
}

int tfr_sdcore_process(tfr_sdcore *s, const float *in, float *out)
{
	size_t nc = (size_t)s->p.channels;

	for (size_t i = 0; i < nc; i++)
		tfr_wola_analyze(s->ch[i].wola, in + i, nc, s->ch[i].x);
	spectral_frame(s);
	for (size_t i = 0; i < nc; i++)
		/* r is made anew every frame: the inverse may use it */
		tfr_wola_synthesize_scratch(s->ch[i].wola, s->ch[i].r,
		                            s->ch[i].wet, 1);
	output_stage(s, out);
	s->blocks++;
	return TFR_OK;
}

void tfr_sdcore_reset(tfr_sdcore *s)
{
	size_t nb = s->bins, spec = 2 * nb;
	for (int i = 0; i < s->p.channels; i++) {
		struct chan *c = &s->ch[i];
		tfr_wola_reset(c->wola);
		memset(c->x, 0, spec * sizeof *c->x);
		memset(c->r, 0, spec * sizeof *c->r);
		memset(c->fbin, 0, spec * sizeof *c->fbin);
		memset(c->ring, 0, (s->slots + 1) * spec * sizeof *c->ring);
		c->runs_stale = 1;
		memset(c->wet, 0, s->hop * sizeof *c->wet);
		memset(c->da, 0, nb * sizeof *c->da);
		memset(c->db, 0, nb * sizeof *c->db);
		memset(c->pend, 0, nb * sizeof *c->pend);
		memset(c->fade, 0, nb * sizeof *c->fade);
		memset(c->fb, 0, nb * sizeof *c->fb);
		memset(c->fb_tgt, 0, nb * sizeof *c->fb_tgt);
		for (size_t k = 0; k < nb; k++)
			c->g[k] = c->g_tgt[k] = 1.0f;
		c->fading = c->smoothing = 0;
		c->morphing = 0;
		c->frozen = c->held = 0;
		c->rng = seed(i);
		if (s->p.freeze)
			memset(c->prev, 0, spec * sizeof *c->prev);
	}
	s->slot = 0;
	s->blocks = 0;
}

void tfr_sdcore_free(tfr_sdcore *s)
{
	if (!s)
		return;
	if (s->ch)
		for (int i = 0; i < s->p.channels; i++)
			chan_free(&s->ch[i]);
	free(s->ch);
	free(s->phasor);
	free(s);
}
