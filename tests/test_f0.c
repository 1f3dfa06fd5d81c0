/*
 * test_f0.c - tfr_f0: fundamental frequency with voicing, against
 * harmonic signals whose f0 is known by construction.
 *
 *   test_f0                 the unit tests (fast)
 *   test_f0 bench [SEED]    the benchmark set (scripts/bench-f0 says
 *                           what it holds) scored in this process, with
 *                           the CPU time of the estimator alone
 *   test_f0 gen DIR [SEED [TRACK...]]  the benchmark set as
 *                           DIR/NAME.wav (44.1 kHz float) and DIR/NAME.f0
 *                           (time f0, 10 ms grid, 0 where unvoiced), and
 *                           DIR/list (category name seconds per line);
 *                           each TRACK (an f0 track of a recording, as
 *                           tfr-f0 writes it) adds a case "real": its
 *                           voiced runs resynthesised as a sung vowel
 *   test_f0 score LIST      score estimates: LIST lines are "category
 *                           truth estimate cpu_s audio_s"; an estimate
 *                           is text, lines "time f0 [voicing ...]"
 *                           ('#' lines skipped; without a voicing
 *                           column a frame is voiced when f0 > 0)
 *
 * Scores are mir_eval's (melody): RPA, raw pitch accuracy within 50
 * cents over reference-voiced frames (the estimate's pitch counts even
 * where it says unvoiced); VR / VFA, voicing recall and false alarm; OA,
 * overall accuracy; GPE, share of frames voiced in both off by more
 * than 20 %; FPE, median |cents| of the others.
 */
#include "testutil.h"
#include "tfr_audio.h"
#include "tfr_f0.h"

#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define FS 44100.0
#define GRID 0.01
#define RAMP 0.015

/* ---- signals with a known f0 ---- */

typedef struct {
	double t0, t1;         /* s */
	double fa, fb;         /* Hz at t0 and t1 (log-linear between) */
	double vrate, vdepth;  /* vibrato: Hz, relative depth */
	int vowel;             /* formants (speech envelopes) */
	const double *cf;      /* or: f0 on the grid from frame m0 (a
	                          recording's contour), linear between */
	long m0, nm;
} note;

enum { ENV_SLOPE, ENV_VOICE };

typedef struct {
	char name[32];
	const char *cat;
	double dur;
	note notes[200];
	int nn;
	int kmin, kmax;        /* harmonics present */
	double slope;          /* ENV_SLOPE: amplitude k^-slope */
	int env;
	double hum;            /* mains Hz (0: none), its level re the voice: */
	double hum_db;
	double snr_db;         /* white noise (INFINITY: none) */
	int fricatives;        /* noise bursts in some gaps */
	uint64_t seed;
} gcase;

static const double formants[5][3] = {
	{ 730, 1090, 2440 }, { 270, 2290, 3010 }, { 300, 870, 2240 },
	{ 530, 1840, 2480 }, { 570, 840, 2410 }
};

/* The truth's f0 at t (0: unvoiced) and the envelope there. */
static double contour(const gcase *g, double t, double *env, int *vowel)
{
	for (int i = 0; i < g->nn; i++) {
		const note *n = &g->notes[i];
		if (t < n->t0 || t >= n->t1)
			continue;
		double x = (t - n->t0) / (n->t1 - n->t0), f;
		if (n->cf) {
			double u = t / GRID - (double)n->m0;
			long k = (long)floor(u);
			if (k < 0)
				f = n->cf[n->m0];
			else if (k >= n->nm - 1)
				f = n->cf[n->m0 + n->nm - 1];
			else
				f = n->cf[n->m0 + k] + (u - (double)k) *
				    (n->cf[n->m0 + k + 1] - n->cf[n->m0 + k]);
		} else {
			f = n->fa * pow(n->fb / n->fa, x);
			f *= 1 + n->vdepth * sin(2 * M_PI * n->vrate * (t - n->t0));
		}
		double e = 1;
		if (t - n->t0 < RAMP)
			e = 0.5 - 0.5 * cos(M_PI * (t - n->t0) / RAMP);
		if (n->t1 - t < RAMP)
			e = 0.5 - 0.5 * cos(M_PI * (n->t1 - t) / RAMP);
		*env = e;
		*vowel = n->vowel;
		return f;
	}
	*env = 0;
	*vowel = 0;
	return 0;
}

static double harm_amp(const gcase *g, int k, double f0, int vowel)
{
	if (g->env == ENV_SLOPE)
		return pow(k, -g->slope);
	double F = k * f0, a = 0;
	for (int i = 0; i < 3; i++) {
		double b = 60 + 0.05 * formants[vowel][i];
		a += (i == 0 ? 1 : i == 1 ? 0.6 : 0.3) / sqrt(1 + pow((F - formants[vowel][i]) / b, 2));
	}
	return a * pow(F / 100 + 1, -0.7);
}

/* The signal of g (len samples at FS, malloc'd) and its truth on the
 * 10 ms grid (*nt values, malloc'd; 0 unvoiced). */
static float *synth(const gcase *g, size_t *len, double **truth, size_t *nt)
{
	size_t n = (size_t)(g->dur * FS);
	float *x = calloc(n, sizeof *x);
	double *ph = calloc((size_t)g->kmax + 1, sizeof *ph);
	double pow_v = 0;
	size_t nv = 0;
	for (size_t i = 0; i < n; i++) {
		double t = (double)i / FS, e;
		int vowel;
		double f = contour(g, t, &e, &vowel);
		double s = 0;
		for (int k = 1; k <= g->kmax; k++) {
			ph[k] = fmod(ph[k] + 2 * M_PI * k * f / FS, 2 * M_PI);
			if (k >= g->kmin && k * f < 0.45 * FS && e > 0)
				s += harm_amp(g, k, f, vowel) * cos(ph[k]);
		}
		x[i] = (float)(e * s);
		if (e >= 1) {
			pow_v += (double)x[i] * x[i];
			nv++;
		}
	}
	pow_v = nv ? pow_v / (double)nv : 1e-6;
	/* peak 0.3 for the voice */
	double peak = 0;
	for (size_t i = 0; i < n; i++)
		peak = fmax(peak, fabs(x[i]));
	double gain = peak > 0 ? 0.3 / peak : 1;
	pow_v *= gain * gain;
	for (size_t i = 0; i < n; i++)
		x[i] = (float)(x[i] * gain);
	uint64_t st = g->seed * 2654435761u + 1;
	if (g->hum > 0) {
		/* mains: harmonics 1..10 at k^-1, its RMS hum_db re the voice */
		double hp = 0;
		for (int k = 1; k <= 10; k++)
			hp += 0.5 / (k * k);
		double a = sqrt(pow_v * pow(10, g->hum_db / 10) / hp);
		double drift = 1 + 0.001 * (test_rand(&st) - 0.5);
		for (int k = 1; k <= 10; k++)
			test_add_cos(x, n, FS, k * g->hum * drift, a / k, 6.28 * test_rand(&st));
	}
	if (isfinite(g->snr_db)) {
		/* uniform in [-A, A): power A^2 / 3 */
		double A = sqrt(3 * pow_v / pow(10, g->snr_db / 10));
		test_add_noise(x, n, A, g->seed + 77);
	}
	if (g->fricatives) {
		/* a hiss in every other gap, 20 dB under the voice */
		for (int i = 0; i + 1 < g->nn; i += 2) {
			double a = g->notes[i].t1 + 0.01, b = g->notes[i + 1].t0 - 0.01;
			if (b - a < 0.04)
				continue;
			double A = sqrt(3 * pow_v / 100);
			uint64_t s2 = g->seed * 31 + (uint64_t)i;
			for (size_t j = (size_t)(a * FS); j < (size_t)(b * FS) && j < n; j++) {
				double t = ((double)j / FS - a) / (b - a);
				x[j] += (float)(A * sin(M_PI * t) * (2 * test_rand(&s2) - 1));
			}
		}
	}
	*nt = (size_t)ceil(g->dur / GRID);
	*truth = calloc(*nt, sizeof **truth);
	for (size_t m = 0; m < *nt; m++) {
		double e;
		int vowel;
		double f = contour(g, (double)m * GRID, &e, &vowel);
		(*truth)[m] = e >= 0.5 ? f : 0;
	}
	free(ph);
	*len = n;
	return x;
}

/* ---- the benchmark set ---- */

static double urand(uint64_t *s, double a, double b)
{
	return a + (b - a) * test_rand(s);
}

static double lrand(uint64_t *s, double a, double b)
{
	return a * pow(b / a, test_rand(s));
}

/* Notes of lengths [la, lb] s with gaps [ga, gb] s over dur. */
static void notes(gcase *g, uint64_t *s, double la, double lb, double ga, double gb)
{
	double t = urand(s, 0.1, 0.3);
	g->nn = 0;
	while (g->nn < 24) {
		double l = urand(s, la, lb);
		if (t + l > g->dur - 0.1)
			break;
		note *n = &g->notes[g->nn++];
		memset(n, 0, sizeof *n);
		n->t0 = t;
		n->t1 = t + l;
		n->vowel = (int)(5 * test_rand(s)) % 5;
		t += l + urand(s, ga, gb);
	}
}

static void base(gcase *g, const char *cat, int i, uint64_t seed)
{
	memset(g, 0, sizeof *g);
	snprintf(g->name, sizeof g->name, "%s-%d", cat, i);
	g->cat = cat;
	g->dur = 3;
	g->kmin = 1;
	g->kmax = 20;
	g->slope = 1;
	g->env = ENV_SLOPE;
	g->snr_db = INFINITY;
	g->seed = seed;
}

/* Speech-like: syllables of 120-350 ms, gaps of 40-250 ms, a declining
 * line with rising and falling accents, vowel formants, a hiss in some
 * gaps. */
static void speech(gcase *g, uint64_t *s)
{
	int female = test_rand(s) < 0.5;
	double top = female ? urand(s, 190, 260) : urand(s, 100, 150);
	notes(g, s, 0.12, 0.35, 0.04, 0.25);
	for (int i = 0; i < g->nn; i++) {
		note *n = &g->notes[i];
		double line = top * (1 - 0.25 * n->t0 / g->dur);
		n->fa = line * urand(s, 0.85, 1.15);
		n->fb = n->fa * urand(s, 0.8, 1.25);
		n->vrate = urand(s, 2, 5);
		n->vdepth = urand(s, 0, 0.02);
	}
	g->env = ENV_VOICE;
	g->kmax = 60;
	g->fricatives = 1;
}

static size_t make_set(gcase *set, uint64_t seed)
{
	size_t n = 0;
	uint64_t s = seed * 7919 + 13;
	for (int i = 0; i < 4; i++) {
		gcase *g = &set[n++];
		base(g, "steady", i, seed + n);
		notes(g, &s, 0.4, 0.7, 0.1, 0.3);
		g->kmax = (int)urand(&s, 8, 25);
		for (int j = 0; j < g->nn; j++)
			g->notes[j].fa = g->notes[j].fb = lrand(&s, 80, 800);
	}
	for (int i = 0; i < 3; i++) {
		gcase *g = &set[n++];
		base(g, "vibrato", i, seed + n);
		notes(g, &s, 0.6, 1.0, 0.1, 0.3);
		for (int j = 0; j < g->nn; j++) {
			note *q = &g->notes[j];
			q->fa = q->fb = lrand(&s, 100, 700);
			q->vrate = urand(&s, 4.5, 7);
			q->vdepth = urand(&s, 0.01, 0.03);
		}
		g->env = ENV_VOICE;
		g->kmax = 40;
	}
	for (int i = 0; i < 3; i++) {
		gcase *g = &set[n++];
		base(g, "glide", i, seed + n);
		notes(g, &s, 0.5, 1.0, 0.1, 0.3);
		for (int j = 0; j < g->nn; j++) {
			note *q = &g->notes[j];
			q->fa = lrand(&s, 100, 500);
			q->fb = q->fa * pow(2, urand(&s, -1, 1));
		}
	}
	for (int i = 0; i < 3; i++) {
		gcase *g = &set[n++];
		base(g, "missing", i, seed + n);
		notes(g, &s, 0.4, 0.7, 0.1, 0.3);
		g->kmin = 2 + i % 2;
		g->kmax = 15;
		g->slope = 0.5;
		for (int j = 0; j < g->nn; j++)
			g->notes[j].fa = g->notes[j].fb = lrand(&s, 100, 400);
	}
	for (int i = 0; i < 3; i++) {
		gcase *g = &set[n++];
		base(g, "bass", i, seed + n);
		notes(g, &s, 0.4, 0.8, 0.1, 0.3);
		g->kmax = 30;
		for (int j = 0; j < g->nn; j++)
			g->notes[j].fa = g->notes[j].fb = urand(&s, 40, 60);
	}
	for (int i = 0; i < 3; i++) {
		gcase *g = &set[n++];
		base(g, "soprano", i, seed + n);
		notes(g, &s, 0.4, 0.8, 0.1, 0.3);
		g->slope = 1.5;
		for (int j = 0; j < g->nn; j++) {
			note *q = &g->notes[j];
			q->fa = q->fb = urand(&s, 1000, 1600);
			q->vrate = 5.5;
			q->vdepth = urand(&s, 0, 0.015);
		}
	}
	for (int i = 0; i < 4; i++) {
		gcase *g = &set[n++];
		base(g, "speech", i, seed + n);
		speech(g, &s);
	}
	static const char *const hums[2] = { "hum50", "hum60" };
	for (int h = 0; h < 2; h++)
		for (int i = 0; i < 2; i++) {
			gcase *g = &set[n++];
			base(g, hums[h], i, seed + n);
			speech(g, &s);
			g->hum = h ? 60 : 50;
			g->hum_db = -3;
		}
	static const char *const snrs[3] = { "snr20", "snr10", "snr0" };
	for (int k = 0; k < 3; k++)
		for (int i = 0; i < 3; i++) {
			gcase *g = &set[n++];
			base(g, snrs[k], i, seed + n);
			speech(g, &s);
			g->snr_db = 20 - 10 * k;
		}
	return n;
}

/* ---- scoring ---- */

typedef struct {
	const char *cat;
	double ref_v, unv, hit, vr, vfa, both, gross, right_unv;
	double *cents;
	size_t nc, capc;
	double cpu, audio;
} score;

static void score_frames(score *s, const double *ref, size_t nref,
                         const double *est, const double *voi, size_t nest)
{
	for (size_t m = 0; m < nref; m++) {
		double r = ref[m];
		double e = m < nest ? est[m] : 0;
		int ev = m < nest && voi[m] >= 0.5 && e > 0;
		if (r > 0) {
			s->ref_v++;
			double c = e > 0 ? 1200 * log2(e / r) : INFINITY;
			int ok = fabs(c) <= 50;
			s->hit += ok;
			if (ev) {
				s->vr++;
				s->both++;
				if (fabs(e / r - 1) > 0.2) {
					s->gross++;
				} else {
					if (s->nc == s->capc) {
						s->capc = s->capc ? 2 * s->capc : 1024;
						s->cents = realloc(s->cents, s->capc * sizeof *s->cents);
					}
					s->cents[s->nc++] = fabs(c);
				}
				s->right_unv += ok;
			}
		} else {
			s->unv++;
			if (ev)
				s->vfa++;
			else
				s->right_unv++;
		}
	}
}

static int cmpd(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

static void print_header(void)
{
	printf("%-9s %6s %6s %6s %6s %6s %6s %7s %9s\n", "category", "RPA", "OA",
	       "GPE", "VR", "VFA", "frames", "FPE_c", "cpu_s/s");
}

static void print_score(score *s)
{
	qsort(s->cents, s->nc, sizeof *s->cents, cmpd);
	double fpe = s->nc ? s->cents[s->nc / 2] : NAN;
	printf("%-9s %6.3f %6.3f %6.3f %6.3f %6.3f %6.0f %7.2f %9.5f\n", s->cat,
	       s->ref_v ? s->hit / s->ref_v : NAN,
	       s->right_unv / (s->ref_v + s->unv),
	       s->both ? s->gross / s->both : NAN, s->ref_v ? s->vr / s->ref_v : NAN,
	       s->unv ? s->vfa / s->unv : NAN, s->ref_v + s->unv, fpe,
	       s->audio > 0 ? s->cpu / s->audio : NAN);
}

static void merge(score *all, const score *s)
{
	all->ref_v += s->ref_v;
	all->unv += s->unv;
	all->hit += s->hit;
	all->vr += s->vr;
	all->vfa += s->vfa;
	all->both += s->both;
	all->gross += s->gross;
	all->right_unv += s->right_unv;
	all->cpu += s->cpu;
	all->audio += s->audio;
	for (size_t i = 0; i < s->nc; i++) {
		if (all->nc == all->capc) {
			all->capc = all->capc ? 2 * all->capc : 1024;
			all->cents = realloc(all->cents, all->capc * sizeof *all->cents);
		}
		all->cents[all->nc++] = s->cents[i];
	}
}

/* Scores per category in order of first appearance, then "all". */
typedef struct {
	score s[32];
	int n;
} table;

static score *cat_of(table *t, const char *cat)
{
	for (int i = 0; i < t->n; i++)
		if (!strcmp(t->s[i].cat, cat))
			return &t->s[i];
	score *s = &t->s[t->n++];
	memset(s, 0, sizeof *s);
	s->cat = strdup(cat);
	return s;
}

static void print_table(table *t)
{
	print_header();
	score all;
	memset(&all, 0, sizeof all);
	all.cat = "all";
	for (int i = 0; i < t->n; i++) {
		print_score(&t->s[i]);
		merge(&all, &t->s[i]);
	}
	print_score(&all);
	for (int i = 0; i < t->n; i++) {
		free(t->s[i].cents);
		free((char *)t->s[i].cat);
	}
	free(all.cents);
	t->n = 0;
}

/* ---- running the estimator ---- */

/* f0 and voicing of x on the 10 ms grid (*n frames). */
static tfr_f0_frame *run_audio(const tfr_f0_params *p, const float *x, size_t len,
                               size_t chunk, size_t *n)
{
	tfr_diag d;
	tfr_f0 *f = tfr_f0_new(p, &d);
	if (!f) {
		fprintf(stderr, "test_f0: %s\n", d.text);
		exit(1);
	}
	tfr_f0_frame *out = NULL;
	size_t nout = 0, got;
	for (size_t i = 0; i <= len; i += chunk) {
		size_t k = len - i < chunk ? len - i : chunk;
		if (i < len && tfr_f0_process(f, x + i, k) != TFR_OK)
			exit(1);
		if (i + chunk > len && tfr_f0_flush(f) != TFR_OK)
			exit(1);
		const tfr_f0_frame *r = tfr_f0_ready(f, &got);
		out = realloc(out, (nout + got + 1) * sizeof *out);
		memcpy(out + nout, r, got * sizeof *r);
		nout += got;
	}
	tfr_f0_free(f);
	*n = nout;
	return out;
}

static void score_run(score *s, const double *truth, size_t nt, const tfr_f0_frame *fr,
                      size_t n)
{
	double *e = malloc((n + 1) * sizeof *e), *v = malloc((n + 1) * sizeof *v);
	for (size_t i = 0; i < n; i++) {
		e[i] = fr[i].f0;
		v[i] = fr[i].voicing;
	}
	score_frames(s, truth, nt, e, v, n);
	free(e);
	free(v);
}

static int bench(uint64_t seed)
{
	static gcase set[64];
	size_t n = make_set(set, seed);
	table t = { .n = 0 };
	for (size_t i = 0; i < n; i++) {
		size_t len, nt, nf;
		double *truth;
		float *x = synth(&set[i], &len, &truth, &nt);
		tfr_f0_params p;
		tfr_f0_params_default(&p);
		p.sample_rate = FS;
		clock_t c0 = clock();
		tfr_f0_frame *fr = run_audio(&p, x, len, 4096, &nf);
		double cpu = (double)(clock() - c0) / CLOCKS_PER_SEC;
		score *s = cat_of(&t, set[i].cat);
		score one;
		memset(&one, 0, sizeof one);
		one.cat = set[i].name;
		score_run(&one, truth, nt, fr, nf);
		one.cpu = cpu;
		one.audio = (double)len / FS;
		if (getenv("F0_VERBOSE"))
			print_score(&one);
		merge(s, &one);
		free(one.cents);
		free(fr);
		free(truth);
		free(x);
	}
	print_table(&t);
	return 0;
}

static void write_wav(const char *path, const float *x, size_t n)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	tfr_audio_out_params p;
	tfr_audio_out_params_default(&p);
	p.fd = fd;
	p.name = path;
	p.sample_rate = FS;
	tfr_diag d;
	tfr_audio_out *a = tfr_audio_out_new(&p, &d);
	if (fd < 0 || !a || tfr_audio_out_write(a, x, n) || tfr_audio_out_close(a)) {
		fprintf(stderr, "test_f0: cannot write %s\n", path);
		exit(1);
	}
	close(fd);
}

static void read_track(const char *path, double **f, double **v, size_t *n);

/* A case of category "real": the voiced runs (5 frames or more) of a
 * recording's track (text "time f0 voicing"), resynthesised as a sung
 * vowel whose vowel changes with each run: its f0 is known exactly on
 * the grid. */
static int real_case(gcase *g, const char *path, int i, double **keep)
{
	double *f, *v;
	size_t n;
	read_track(path, &f, &v, &n);
	base(g, "real", i, 500 + (uint64_t)i);
	g->dur = (double)n * GRID;
	g->env = ENV_VOICE;
	g->kmax = 60;
	for (size_t m = 0; m < n; m++)
		if (v[m] < 0.5)
			f[m] = 0;
	uint64_t s = 99 + (uint64_t)i;
	for (size_t m = 0; m < n && g->nn < 200;) {
		if (!(f[m] > 0)) {
			m++;
			continue;
		}
		size_t e = m;
		while (e < n && f[e] > 0)
			e++;
		if (e - m >= 5 && m > 0) {
			note *q = &g->notes[g->nn++];
			memset(q, 0, sizeof *q);
			/* whole at the run's first and last frames, the ramps
			 * outside them */
			q->t0 = (double)m * GRID - RAMP;
			q->t1 = (double)(e - 1) * GRID + RAMP;
			q->cf = f;
			q->m0 = (long)m;
			q->nm = (long)(e - m);
			q->vowel = (int)(5 * test_rand(&s)) % 5;
		}
		m = e;
	}
	free(v);
	*keep = f;
	return g->nn > 0;
}

static int gen(const char *dir, uint64_t seed, char **contours, int ncont)
{
	static gcase set[64];
	double *keep[16] = { 0 };
	size_t n = make_set(set, seed);
	for (int i = 0; i < ncont && i < 16; i++)
		if (real_case(&set[n], contours[i], i, &keep[i]))
			n++;
	if (strlen(dir) > 4000)
		return 1;
	char path[4200];
	snprintf(path, sizeof path, "%.4000s/list", dir);
	FILE *list = fopen(path, "w");
	if (!list)
		return 1;
	for (size_t i = 0; i < n; i++) {
		size_t len, nt;
		double *truth;
		float *x = synth(&set[i], &len, &truth, &nt);
		snprintf(path, sizeof path, "%.4000s/%.31s.wav", dir, set[i].name);
		write_wav(path, x, len);
		snprintf(path, sizeof path, "%.4000s/%.31s.f0", dir, set[i].name);
		FILE *fp = fopen(path, "w");
		for (size_t m = 0; m < nt; m++)
			fprintf(fp, "%.2f %.4f\n", (double)m * GRID, truth[m]);
		fclose(fp);
		fprintf(list, "%s %s %.3f\n", set[i].cat, set[i].name, (double)len / FS);
		free(truth);
		free(x);
	}
	fclose(list);
	for (int i = 0; i < 16; i++)
		free(keep[i]);
	return 0;
}

/* Text "time f0 [voicing]" onto the 10 ms grid (nearest frame). */
static void read_track(const char *path, double **f, double **v, size_t *n)
{
	FILE *fp = fopen(path, "r");
	if (!fp) {
		fprintf(stderr, "test_f0: cannot read %s\n", path);
		exit(1);
	}
	char line[1024];
	size_t cap = 0;
	*n = 0;
	*f = *v = NULL;
	while (fgets(line, sizeof line, fp)) {
		if (line[0] == '#')
			continue;
		double t, x, y;
		int k = sscanf(line, "%lf %lf %lf", &t, &x, &y);
		if (k < 2)
			continue;
		long m = lround(t / GRID);
		if (m < 0 || m > 10000000)
			continue;
		if ((size_t)m >= cap) {
			size_t c = 2 * (size_t)m + 16;
			*f = realloc(*f, c * sizeof **f);
			*v = realloc(*v, c * sizeof **v);
			for (size_t i = cap; i < c; i++)
				(*f)[i] = (*v)[i] = 0;
			cap = c;
		}
		(*f)[m] = x;
		(*v)[m] = k >= 3 ? y : x > 0;
		if ((size_t)m + 1 > *n)
			*n = (size_t)m + 1;
	}
	fclose(fp);
}

static int score_list(const char *path)
{
	FILE *fp = fopen(path, "r");
	if (!fp)
		return 1;
	char cat[256], tp[4096], ep[4096];
	double cpu, audio;
	table t = { .n = 0 };
	while (fscanf(fp, "%255s %4095s %4095s %lf %lf", cat, tp, ep, &cpu, &audio) == 5) {
		double *rf, *rv, *ef, *ev;
		size_t nr, ne;
		read_track(tp, &rf, &rv, &nr);
		read_track(ep, &ef, &ev, &ne);
		score *s = cat_of(&t, cat);
		score_frames(s, rf, nr, ef, ev, ne);
		s->cpu += cpu;
		s->audio += audio;
		free(rf);
		free(rv);
		free(ef);
		free(ev);
	}
	fclose(fp);
	print_table(&t);
	return 0;
}

/* ---- unit tests ---- */

/* A case of one note over [0.1, dur - 0.1] s. */
static void one_note(gcase *g, const char *name, double dur, double fa, double fb)
{
	base(g, name, 0, 5);
	g->dur = dur;
	g->nn = 1;
	memset(&g->notes[0], 0, sizeof g->notes[0]);
	g->notes[0].t0 = 0.1;
	g->notes[0].t1 = dur - 0.1;
	g->notes[0].fa = fa;
	g->notes[0].fb = fb;
}

/* Run g; check RPA >= rpa, voicing recall >= vr, false alarm <= vfa,
 * median fine error <= fpe cents. */
static void check_case(const gcase *g, double rpa, double vr, double vfa, double fpe)
{
	size_t len, nt, nf;
	double *truth;
	float *x = synth(g, &len, &truth, &nt);
	tfr_f0_params p;
	tfr_f0_params_default(&p);
	p.sample_rate = FS;
	tfr_f0_frame *fr = run_audio(&p, x, len, 1000, &nf);
	CHECK("one frame per 10 ms", nf == nt);
	score s;
	memset(&s, 0, sizeof s);
	score_run(&s, truth, nt, fr, nf);
	qsort(s.cents, s.nc, sizeof *s.cents, cmpd);
	double med = s.nc ? s.cents[s.nc / 2] : INFINITY;
	char what[128];
	if (s.ref_v > 0) {
		snprintf(what, sizeof what, "%s: RPA", g->name);
		CHECK_NEAR(what, s.hit / s.ref_v, 1, 1 - rpa);
		snprintf(what, sizeof what, "%s: voicing recall", g->name);
		CHECK_NEAR(what, s.vr / s.ref_v, 1, 1 - vr);
		snprintf(what, sizeof what, "%s: fine error (cents)", g->name);
		CHECK_NEAR(what, med, 0, fpe);
	}
	if (s.unv > 0) {
		snprintf(what, sizeof what, "%s: voicing false alarm", g->name);
		CHECK_NEAR(what, s.vfa / s.unv, 0, vfa);
	}
	free(s.cents);
	free(fr);
	free(truth);
	free(x);
}

static void test_cases(void)
{
	gcase g;
	/* a steady harmonic tone: achieved RPA 1, fine error < 0.1 cent */
	one_note(&g, "tone 220", 1, 220, 220);
	check_case(&g, 1, 0.97, 0.2, 0.5);
	one_note(&g, "tone 131.7", 1, 131.7, 131.7);
	check_case(&g, 1, 0.97, 0.2, 0.5);
	/* missing fundamental: harmonics 3..15 of 150 Hz */
	one_note(&g, "missing fundamental", 1, 150, 150);
	g.kmin = 3;
	g.kmax = 15;
	check_case(&g, 0.98, 0.95, 0.2, 1);
	/* vibrato 5.5 Hz +-3 % on a vowel */
	one_note(&g, "vibrato", 1.5, 300, 300);
	g.notes[0].vrate = 5.5;
	g.notes[0].vdepth = 0.03;
	g.env = ENV_VOICE;
	g.kmax = 40;
	check_case(&g, 0.97, 0.95, 0.2, 5);
	/* a glide of an octave in a second */
	one_note(&g, "glide", 1.2, 200, 400);
	check_case(&g, 0.97, 0.95, 0.2, 5);
	/* bass and soprano */
	one_note(&g, "bass 45", 1.2, 45, 45);
	g.kmax = 30;
	check_case(&g, 0.97, 0.95, 0.2, 2);
	one_note(&g, "soprano 1250", 1, 1250, 1250);
	g.slope = 1.5;
	check_case(&g, 0.97, 0.95, 0.2, 1);
	/* hum 3 dB under a voice-like signal, through the pauses: no 50,
	 * 60 or any hum multiple taken for f0, pauses unvoiced */
	for (int h = 50; h <= 60; h += 10) {
		base(&g, h == 50 ? "hum 50" : "hum 60", 0, 9);
		uint64_t s = 42;
		speech(&g, &s);
		g.hum = h;
		g.hum_db = -3;
		g.fricatives = 0;
		check_case(&g, 0.9, 0.9, 0.15, 10);
	}
	/* white noise alone, and silence: unvoiced */
	base(&g, "noise", 0, 3);
	g.nn = 0;
	g.snr_db = 0;
	{
		size_t len, nt, nf;
		double *truth;
		float *x = synth(&g, &len, &truth, &nt);
		test_add_noise(x, len, 0.1, 99);
		tfr_f0_params p;
		tfr_f0_params_default(&p);
		p.sample_rate = FS;
		tfr_f0_frame *fr = run_audio(&p, x, len, 777, &nf);
		int voiced = 0;
		for (size_t i = 0; i < nf; i++)
			voiced += fr[i].voicing >= 0.5f;
		CHECK_NEAR("white noise: share of frames voiced", (double)voiced / (double)nf,
		           0, 0.05);
		memset(x, 0, len * sizeof *x);
		free(fr);
		fr = run_audio(&p, x, len, 777, &nf);
		voiced = 0;
		int zero = 0;
		for (size_t i = 0; i < nf; i++) {
			voiced += fr[i].voicing >= 0.5f;
			zero += fr[i].f0 == 0 && fr[i].salience == 0;
		}
		CHECK("silence: unvoiced", voiced == 0);
		CHECK("silence: f0 0, salience 0", zero == (int)nf);
		free(fr);
		free(truth);
		free(x);
	}
}

/* The same audio in any chunks gives the same frames; reset starts
 * over; the partials path gives the f0 of breakpoints exactly. */
static void test_stream(void)
{
	gcase g;
	base(&g, "stream", 0, 11);
	uint64_t s = 5;
	speech(&g, &s);
	size_t len, nt, n1, n2;
	double *truth;
	float *x = synth(&g, &len, &truth, &nt);
	tfr_f0_params p;
	tfr_f0_params_default(&p);
	p.sample_rate = FS;
	tfr_f0_frame *a = run_audio(&p, x, len, 1, &n1);
	tfr_f0_frame *b = run_audio(&p, x, len, 100000, &n2);
	CHECK("chunks: the same count", n1 == n2);
	CHECK("chunks: the same frames", n1 == n2 && !memcmp(a, b, n1 * sizeof *a));
	CHECK("frames on the grid", n1 == nt && a[7].time == 7 * 0.01);
	free(a);
	free(b);
	free(truth);
	free(x);

	/* partials: 8 harmonics of a glide 180 -> 240 Hz, 5 ms breakpoints */
	tfr_f0_params_default(&p);
	p.input = TFR_F0_PARTIALS;
	tfr_diag d;
	tfr_f0 *f = tfr_f0_new(&p, &d);
	CHECK("partials: new", f != NULL);
	tfr_breakpoint bp[8];
	size_t nout = 0, got;
	tfr_f0_frame all[200];
	for (int i = 0; i <= 201; i++) {
		double t = 0.1 + 0.005 * i, f0 = 180 * pow(240.0 / 180, (t - 0.1) / 1.0);
		const tfr_f0_frame *r;
		if (i <= 200) {
			for (int k = 0; k < 8; k++) {
				memset(&bp[k], 0, sizeof bp[k]);
				bp[k].partial = k;
				bp[k].time = t;
				bp[k].freq = (k + 1) * f0;
				bp[k].amp = (float)(0.1 / (k + 1));
				bp[k].end = i == 200;
			}
			CHECK("partials: taken", tfr_f0_process_partials(f, bp, 8) == TFR_OK);
		} else {
			CHECK("partials: flush", tfr_f0_flush(f) == TFR_OK);
		}
		r = tfr_f0_ready(f, &got);
		for (size_t j = 0; j < got && nout < 200; j++)
			all[nout++] = r[j];
	}
	double maxerr = 0;
	int voiced = 0;
	for (size_t j = 0; j < nout; j++) {
		double tt = all[j].time;
		if (tt > 0.12 && tt < 1.08) {
			double want = 180 * pow(240.0 / 180, (tt - 0.1) / 1.0);
			maxerr = fmax(maxerr, fabs(1200 * log2(all[j].f0 / want)));
			voiced += all[j].voicing >= 0.5f;
		}
	}
	CHECK("partials: frames to the last breakpoint", nout == 111);
	/* linear interpolation of an exponential glide: < 0.01 cent */
	CHECK_NEAR("partials: f0 of the breakpoints (cents)", maxerr, 0, 0.05);
	CHECK_NEAR("partials: voiced frames", voiced, 96, 2);
	/* the sound's length, known late: frames to it */
	tfr_f0_reset(f);
	CHECK("partials: a duration", tfr_f0_set_duration(f, 1.5) == TFR_OK);
	CHECK("partials: a bad duration", tfr_f0_set_duration(f, -1) == TFR_EINVAL);
	bp[0].time = 0.5;
	bp[0].end = 1;
	tfr_f0_process_partials(f, bp, 1);
	tfr_f0_flush(f);
	tfr_f0_ready(f, &got);
	CHECK("partials: frames to the duration", got == 150);
	/* time going back is refused */
	tfr_f0_reset(f);
	bp[0].time = 1;
	bp[0].end = 0;
	CHECK("partials: after reset", tfr_f0_process_partials(f, bp, 1) == TFR_OK);
	bp[0].time = 0.5;
	CHECK("partials: time going back", tfr_f0_process_partials(f, bp, 1) == TFR_EINVAL);
	float z = 0;
	CHECK("partials: audio refused", tfr_f0_process(f, &z, 1) == TFR_EINVAL);
	tfr_f0_free(f);
}

static void test_params(void)
{
	tfr_f0_params p;
	tfr_diag d;
	tfr_f0_params_default(&p);
	CHECK("defaults are valid", tfr_f0_check(&p, &d) == TFR_OK);
	p.min_f0 = 2000;
	CHECK("range upside down", tfr_f0_check(&p, &d) == TFR_EINVAL);
	tfr_f0_params_default(&p);
	p.sample_rate = 8000;
	p.max_f0 = 4000;
	CHECK("max above 0.45 fs", tfr_f0_check(&p, &d) == TFR_EINVAL);
	CHECK("new refuses", tfr_f0_new(&p, &d) == NULL && d.code == TFR_EINVAL);
	tfr_f0_free(NULL);
	/* 8 kHz audio works, without decimation */
	tfr_f0_params_default(&p);
	p.sample_rate = 8000;
	p.max_f0 = 1000;
	tfr_f0 *f = tfr_f0_new(&p, &d);
	int dec;
	size_t wl, nfft;
	tfr_f0_get_analysis(f, &dec, &wl, &nfft);
	CHECK("8 kHz: no decimation", dec == 1);
	float x[8000];
	memset(x, 0, sizeof x);
	test_add_cos(x, 8000, 8000, 210, 0.3, 0);
	test_add_cos(x, 8000, 8000, 420, 0.2, 0);
	test_add_cos(x, 8000, 8000, 630, 0.1, 0);
	size_t n;
	CHECK("8 kHz: process", tfr_f0_process(f, x, 8000) == TFR_OK && tfr_f0_flush(f) == TFR_OK);
	const tfr_f0_frame *r = tfr_f0_ready(f, &n);
	CHECK("8 kHz: 100 frames", n == 100);
	CHECK_NEAR("8 kHz: f0 at 0.5 s", n == 100 ? r[50].f0 : 0, 210, 0.05);
	tfr_f0_free(f);
}

int main(int argc, char **argv)
{
	if (argc >= 2 && !strcmp(argv[1], "bench"))
		return bench(argc > 2 ? strtoull(argv[2], NULL, 10) : 1000);
	if (argc >= 3 && !strcmp(argv[1], "gen"))
		return gen(argv[2], argc > 3 ? strtoull(argv[3], NULL, 10) : 1000,
		           argv + (argc > 4 ? 4 : argc), argc > 4 ? argc - 4 : 0);
	if (argc >= 3 && !strcmp(argv[1], "score"))
		return score_list(argv[2]);
	test_params();
	test_cases();
	test_stream();
	return test_finish("test_f0");
}
