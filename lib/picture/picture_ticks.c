/*
 * picture_ticks.c - axis ticks on round values and their labels
 * (tfr_picture.h). Round means what a reader expects on a printed axis:
 * multiples of 1, 2 or 5 times a power of ten on a linear axis (Heckbert,
 * "Nice numbers for graph labels", Graphics Gems 1990), decades and their
 * 2 and 5 multiples on a log axis.
 */
#include "tfr_axis.h"
#include "tfr_picture.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

/* The axis's value range between its outer edges, low to high. */
static void value_range(const tfr_axis *a, double *lo, double *hi)
{
	double u = tfr_axis_edge_first(a), v = tfr_axis_edge_last(a);
	*lo = fmin(u, v);
	*hi = fmax(u, v);
}

static int on_axis(const tfr_axis *a, double pos)
{
	return pos >= -0.5 - 1e-9 && pos <= (double)a->n - 0.5 + 1e-9;
}

/* The smallest of 1, 2, 5 times a power of ten that is >= x (> 0). */
static double nice_step(double x)
{
	double p = pow(10, floor(log10(x)));
	static const double m[] = { 1, 2, 5, 10 };
	for (int i = 0; i < 4; i++)
		if (m[i] * p >= x * (1 - 1e-9))
			return m[i] * p;
	return 10 * p;
}

/* The next larger step of the 1-2-5 series. */
static double next_step(double s)
{
	return nice_step(s * 1.5);
}

/* Keep ticks in increasing position; n counts all, max are stored. */
static void add(tfr_tick *t, size_t max, size_t *n, double v, double pos,
                int major)
{
	if (*n < max)
		t[*n] = (tfr_tick){ v, pos, major };
	(*n)++;
}

/* The multiples k step that lie in [lo, hi] (k >= 1 on a log axis):
 * k from *k0 to *k1; returns how many. */
static double multiples(const tfr_axis *a, double lo, double hi, double step,
                        double *k0, double *k1)
{
	*k0 = ceil(lo / step - 1e-9);
	*k1 = floor(hi / step + 1e-9);
	if (a->scale == TFR_AXIS_LOG && *k0 < 1)
		*k0 = 1;
	return *k1 - *k0 + 1;
}

/* The smallest gap between the positions of k step, for the multiples
 * of step in [lo, hi] (a log axis spaces them unevenly). */
static double min_gap(const tfr_axis *a, double lo, double hi, double step)
{
	double k0, k1;
	if (multiples(a, lo, hi, step, &k0, &k1) < 2)
		return INFINITY;
	if (a->scale == TFR_AXIS_LINEAR)
		return fabs(tfr_axis_pos(a, step) - tfr_axis_pos(a, 0));
	/* positions crowd towards high values on a log axis */
	return fabs(tfr_axis_pos(a, k1 * step) - tfr_axis_pos(a, (k1 - 1) * step));
}

static size_t linear_ticks(const tfr_axis *a, double spacing, tfr_tick *t,
                           size_t max, double *step_out)
{
	double lo, hi;
	value_range(a, &lo, &hi);
	/* the finest step whose multiples are spacing cells apart */
	double step = nice_step(spacing * (hi - lo) / (double)a->n);
	if (a->scale == TFR_AXIS_LOG)
		while (min_gap(a, lo, hi, step) < spacing && step < hi)
			step = next_step(step);
	/* a short axis between two multiples: one finer round value, alone */
	double k0, k1;
	int alone = 0;
	for (int i = 0; i < 60 && multiples(a, lo, hi, step, &k0, &k1) < 1; i++) {
		step = step / (step / pow(10, floor(log10(step) + 1e-12)) > 4 ? 2.5 : 2);
		alone = 1;
	}
	*step_out = step;
	size_t n = 0;
	if (alone)
		k1 = k0;
	int up = tfr_axis_pos(a, hi) > tfr_axis_pos(a, lo);
	for (double i = 0; i <= k1 - k0 && i < 1e7; i++) {
		double k = up ? k0 + i : k1 - i;
		double v = k * step;
		if (v == 0)
			v = 0;  /* no -0 */
		double pos = tfr_axis_pos(a, v);
		if (on_axis(a, pos))
			add(t, max, &n, v, pos, 1);
	}
	return n;
}

/* The mantissas of a log axis's major ticks, sparse to dense. */
static const double set1[] = { 1 };
static const double set125[] = { 1, 2, 5 };
static const double set1to9[] = { 1, 2, 3, 4, 5, 6, 7, 8, 9 };
static const struct {
	const double *m;
	int n;
} sets[] = { { set1, 1 }, { set125, 3 }, { set1to9, 9 } };

/* The ticks of a log axis, major ones from mantissa set s on every
 * every-th decade, minor ones at the other multiples 1..9 when they are
 * at least 3 cells apart. Returns how many there are (max stored), with
 * the number of major ones in *nmajor and their smallest gap in *gap. */
static size_t log_pass(const tfr_axis *a, int s, int every, tfr_tick *t,
                       size_t max, size_t *nmajor, double *gap)
{
	double lo, hi;
	value_range(a, &lo, &hi);
	int e0 = (int)floor(log10(lo)) - 1, e1 = (int)ceil(log10(hi)) + 1;
	double cells_per_decade = fabs(tfr_axis_pos(a, 10 * lo) - tfr_axis_pos(a, lo));
	int minor = every == 1 && s < 2 && cells_per_decade * log10(10.0 / 9) >= 3;
	int up = tfr_axis_pos(a, hi) > tfr_axis_pos(a, lo);
	size_t n = 0;
	double last = NAN;
	*gap = INFINITY;
	*nmajor = 0;
	for (int i = 0; i <= e1 - e0; i++) {
		int e = up ? e0 + i : e1 - i;
		double p10 = pow(10, e);
		for (int j = 0; j < 9; j++) {
			int m = up ? j + 1 : 9 - j;
			int major = 0;
			for (int k = 0; k < sets[s].n; k++)
				major |= sets[s].m[k] == m;
			major &= m != 1 || (e % every + every) % every == 0;
			major &= m == 1 || every == 1;
			if (!major && !minor)
				continue;
			double v = m * p10, pos = tfr_axis_pos(a, v);
			if (v < lo * (1 - 1e-12) || v > hi * (1 + 1e-12) || !on_axis(a, pos))
				continue;
			if (major) {
				if (!isnan(last))
					*gap = fmin(*gap, fabs(pos - last));
				last = pos;
				(*nmajor)++;
			}
			add(t, max, &n, v, pos, major);
		}
	}
	return n;
}

static size_t log_ticks(const tfr_axis *a, double spacing, tfr_tick *t,
                        size_t max, double *step)
{
	double gap;
	size_t nmajor;
	int best = -1;
	for (int s = 0; s < 3; s++) {
		log_pass(a, s, 1, NULL, 0, &nmajor, &gap);
		if (nmajor >= 2 && gap >= spacing)
			best = s;
	}
	if (best >= 0) {
		*step = 0;
		return log_pass(a, best, 1, t, max, &nmajor, &gap);
	}
	/* decades too close: every few decades, if that leaves two */
	double lo, hi;
	value_range(a, &lo, &hi);
	double per_decade = fabs(tfr_axis_pos(a, 10 * lo) - tfr_axis_pos(a, lo));
	int every = per_decade > 0 ? (int)ceil(spacing / per_decade) : 1;
	if (every > 1 && every < 1000) {
		log_pass(a, 0, every, NULL, 0, &nmajor, &gap);
		if (nmajor >= 2) {
			*step = 0;
			return log_pass(a, 0, every, t, max, &nmajor, &gap);
		}
	}
	/* within a decade: round values spaced evenly */
	return linear_ticks(a, spacing, t, max, step);
}

size_t tfr_axis_ticks(const tfr_axis *a, double spacing, tfr_tick *ticks,
                      size_t max, double *step)
{
	double dummy;
	if (!step)
		step = &dummy;
	*step = 0;
	if (!tfr_axis_valid(a) || !(spacing > 0))
		return 0;
	if (a->scale == TFR_AXIS_LOG)
		return log_ticks(a, spacing, ticks, max, step);
	return linear_ticks(a, spacing, ticks, max, step);
}

const char *tfr_tick_label(double value, double step, char *buf, size_t size)
{
	if (step > 0) {
		int dec = (int)ceil(-log10(step) - 1e-9);
		if (dec < 0)
			dec = 0;
		if (dec > 15)
			dec = 15;
		snprintf(buf, size, "%.*f", dec, value);
	} else if (value != 0 && (fabs(value) >= 1e15 || fabs(value) < 1e-6)) {
		/* the shortest of up to 17 significant digits that reads back */
		for (int p = 1; p <= 17; p++) {
			snprintf(buf, size, "%.*g", p, value);
			double back;
			if (sscanf(buf, "%lf", &back) == 1 && back == value)
				break;
		}
	} else {
		/* the fewest decimals that read back */
		for (int dec = 0; dec <= 20; dec++) {
			snprintf(buf, size, "%.*f", dec, value);
			double back;
			if (sscanf(buf, "%lf", &back) == 1 && back == value)
				break;
		}
	}
	/* "-0", "-0.0": a zero is unsigned */
	if (buf[0] == '-' && strspn(buf + 1, "0.") == strlen(buf + 1))
		memmove(buf, buf + 1, strlen(buf));
	return buf;
}
