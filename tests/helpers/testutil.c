/* testutil.c - see testutil.h */
#include "testutil.h"

#include <math.h>
#include <stdlib.h>

int test_failures;

int test_near(const char *file, int line, const char *what, double got,
              double want, double tol)
{
	if (isfinite(got) && fabs(got - want) <= tol)
		return 1;
	fprintf(stderr, "%s:%d: %s: expected %.12g, got %.12g (tol %.3g)\n",
	        file, line, what, want, got, tol);
	test_failures++;
	return 0;
}

int test_true(const char *file, int line, const char *what, int cond)
{
	if (cond)
		return 1;
	fprintf(stderr, "%s:%d: %s: check failed\n", file, line, what);
	test_failures++;
	return 0;
}

int test_finish(const char *name)
{
	if (test_failures) {
		fprintf(stderr, "%s: %d check(s) failed\n", name, test_failures);
		return 1;
	}
	return 0;
}

void test_add_cos(float *x, size_t len, double fs, double f, double amp,
                  double phase)
{
	for (size_t n = 0; n < len; n++) {
		/* reduce the phase argument exactly enough for long signals */
		double cyc = fmod(f * (double)n / fs, 1.0);
		x[n] += (float)(amp * cos(2 * M_PI * cyc + phase));
	}
}

void test_add_chirp(float *x, size_t len, double fs, double f0, double rate,
                    double amp, double phase)
{
	for (size_t n = 0; n < len; n++) {
		double t = (double)n / fs;
		double cyc = fmod(f0 * t + 0.5 * rate * t * t, 1.0);
		x[n] += (float)(amp * cos(2 * M_PI * cyc + phase));
	}
}

double test_rand(uint64_t *s)
{
	*s ^= *s >> 12;
	*s ^= *s << 25;
	*s ^= *s >> 27;
	return (double)((*s * 2685821657736338717ULL) >> 11) * 0x1p-53;
}

void test_add_noise(float *x, size_t len, double amp, uint64_t seed)
{
	uint64_t s = seed ? seed : 88172645463325252ULL;
	for (size_t n = 0; n < len; n++)
		x[n] += (float)(amp * (2 * test_rand(&s) - 1));
}

void test_add_drum(float *x, size_t len, double fs, double at, double amp,
                   double tau, uint64_t seed)
{
	uint64_t s = seed ? seed : 88172645463325252ULL;
	for (size_t n = at > 0 ? (size_t)at : 0; n < len; n++) {
		double t = ((double)n - at) / fs;
		x[n] += (float)(amp * exp(-t / tau) * (2 * test_rand(&s) - 1));
	}
}

void test_add_pluck(float *x, size_t len, double fs, double f0, double at,
                    double amp)
{
	/* the loop's delay is P + 1/2 samples (the average adds half) */
	double period = fs / f0 - 0.5;
	size_t p = (size_t)period;
	double frac = period - (double)p;
	/* first-order allpass for the fractional part */
	double c = (1 - frac) / (1 + frac);
	double *line = calloc(p + 1, sizeof *line);
	if (!line)
		return;
	uint64_t s = 12345;
	for (size_t k = 0; k <= p; k++)
		line[k] = amp * (2 * test_rand(&s) - 1);
	size_t i = 0, start = at > 0 ? (size_t)at : 0;
	double prev = 0, ap_x = 0, ap_y = 0;
	for (size_t n = start; n < len; n++) {
		double y = line[i];
		x[n] += (float)y;
		double avg = 0.5 * (y + prev) * 0.999;
		prev = y;
		double ap = c * avg + ap_x - c * ap_y;
		ap_x = avg;
		ap_y = ap;
		line[i] = ap;
		i = i == p - 1 ? 0 : i + 1;
	}
	free(line);
}

/* The gain of a resonance at f (centre fc, bandwidth bw), 1 at fc. */
static double formant(double f, double fc, double bw)
{
	double d = (f * f - fc * fc) / (f * bw);
	return 1 / sqrt(1 + d * d);
}

void test_add_voice(float *x, size_t len, double fs, double f0, double vib,
                    double amp)
{
	static const double fc[3] = { 700, 1220, 2600 }, bw[3] = { 130, 70, 160 };
	static const double g[3] = { 1, 0.5, 0.25 };
	int nh = (int)(0.45 * fs / (f0 * (1 + vib)));
	double *ph = calloc((size_t)nh + 1, sizeof *ph);
	double *w = calloc((size_t)nh + 1, sizeof *w);
	if (!ph || !w) {
		free(ph);
		free(w);
		return;
	}
	double sum = 0;
	for (int k = 1; k <= nh; k++) {
		for (int j = 0; j < 3; j++)
			w[k] += g[j] * formant(k * f0, fc[j], bw[j]);
		w[k] /= k;
		sum += w[k];
	}
	for (size_t n = 0; n < len; n++) {
		double t = (double)n / fs;
		double f = f0 * (1 + vib * sin(2 * M_PI * 5.5 * t));
		double v = 0;
		for (int k = 1; k <= nh; k++) {
			ph[k] += 2 * M_PI * k * f / fs;
			v += w[k] * sin(ph[k]);
		}
		x[n] += (float)(amp * v / sum);
	}
	free(ph);
	free(w);
}

const char *test_data_path(const char *name)
{
	static char buf[4096];
	const char *dir = getenv("TFR_DATA");
	snprintf(buf, sizeof buf, "%s/%s", dir ? dir : "data", name);
	return buf;
}

#include "analyse.h"

static void push_point(point_list *l, const tfr_point *pt)
{
	if (l->n == l->cap) {
		l->cap = l->cap ? 2 * l->cap : 4096;
		l->p = realloc(l->p, l->cap * sizeof *l->p);
		if (!l->p) {
			fprintf(stderr, "out of memory\n");
			exit(1);
		}
	}
	l->p[l->n++] = *pt;
}

point_list analyse_signal(const tfr_reassign_params *p, const float *x,
                          size_t len)
{
	point_list l = { 0 };
	tfr_framer_params fp = { p->window_length, p->hop };
	tfr_reassign *r = tfr_reassign_new(p, NULL);
	tfr_framer *f = tfr_framer_new(&fp, NULL);
	tfr_point *pts = r ? malloc(tfr_reassign_max_points(r) * sizeof *pts) : NULL;
	if (!r || !f || !pts) {
		fprintf(stderr, "analyse_signal: setup failed\n");
		exit(1);
	}
	const float *frame;
	int64_t m;
	size_t n;
	for (size_t off = 0; off < len;) {
		off += tfr_framer_process(f, x + off, len - off);
		while ((frame = tfr_framer_next(f, &m))) {
			tfr_reassign_process(r, frame, m, pts, &n);
			for (size_t i = 0; i < n; i++)
				push_point(&l, &pts[i]);
			l.frames++;
		}
	}
	tfr_framer_flush(f);
	while ((frame = tfr_framer_next(f, &m))) {
		tfr_reassign_process(r, frame, m, pts, &n);
		for (size_t i = 0; i < n; i++)
			push_point(&l, &pts[i]);
		l.frames++;
	}
	free(pts);
	tfr_framer_free(f);
	tfr_reassign_free(r);
	return l;
}

const tfr_point *find_point(const point_list *l, int64_t frame, int bin)
{
	size_t lo = 0, hi = l->n;
	while (lo < hi) {  /* points are sorted by (frame, bin) */
		size_t mid = (lo + hi) / 2;
		const tfr_point *q = &l->p[mid];
		if (q->frame < frame || (q->frame == frame && q->bin < bin))
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo < l->n && l->p[lo].frame == frame && l->p[lo].bin == bin)
		return &l->p[lo];
	return NULL;
}

void point_list_free(point_list *l)
{
	free(l->p);
	l->p = NULL;
	l->n = l->cap = 0;
}
