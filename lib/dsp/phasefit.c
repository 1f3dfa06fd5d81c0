/*
 * phasefit.c - phase-consistent frequencies by fixed-lag least squares.
 *
 * The method (quotable): each partial carries an integrated phase PHI,
 * the phase its frequency reaches when it starts from the partial's
 * first measured phase, the frequency passing through each breakpoint's
 * with the curvature f'' the tracker estimated there: a segment of dt
 * adds pi (f_j + f_j+1) dt - 2 pi f''_j,j+1 dt^3 / 12 (the trapezoid rule
 * and its error term, f'' the mean of the two ends). Without the
 * curvature term the nudges would absorb it: 0.018 rad per segment for
 * harmonic 10 of tone220_vib, which pushed frequencies 0.024 -> 0.036 %
 * off instead of closer. At breakpoint i the cumulative phase error is
 * E_i = wrap(PHI_i - phi_i), phi_i the measured phase. The frequency of
 * breakpoint i is fixed when the next two breakpoints are known: the
 * nudges d_i, d_i+1, d_i+2 minimise
 *
 *     sum_j (E_j / eps)^2  +  sum_j (d_j / (rho f_j))^2
 *
 * over the breakpoints of that window (E_j is linear in the nudges: each
 * segment adds pi (d_j + d_j+1) dt_j to the phase), with eps = 1e-3 rad
 * the phase error aimed at and rho = max_nudge / 4 the scale of a
 * plausible frequency error. Only d_i is kept, clamped to
 * +-max_nudge f_i, and the window moves on by one breakpoint: a fixed-lag
 * smoother. (Loris's fixFrequency, additive-model.md §3.5, removes half
 * of E_i+1 at each breakpoint, seeing no further, and overwrites the
 * measured phases with PHI.) Measured phases are kept: phase correction
 * changes frequencies only. When |E_i| exceeds RESET_ERROR (an error the
 * nudges could only close over many breakpoints, pinning frequencies at
 * the clamp meanwhile), PHI restarts from the measured phase.
 *
 * Since E is cumulative, the residual a synthesiser meets when it starts
 * a segment at the measured phase, wrap(phi_i + pi (f_i + f_i+1) dt -
 * phi_i+1), is E_i+1 - E_i, and one that runs free from the partial's
 * first phase follows PHI, within E of the measured phases (until a
 * restart).
 */
#include "phasefit.h"
#include "internal.h"

#include <math.h>
#include <stdint.h>

/* The phase error aimed at, rad. */
#define PHASE_EPS 1e-3
/* Cumulative error beyond which the integrated phase restarts, rad. */
#define RESET_ERROR 0.1

/* To [-pi, pi], the nearest whole turn removed (by a conversion to an
 * integer: floor() is a library call on baseline x86-64, and this runs
 * a few times per breakpoint). */
static double wrap(double ph)
{
	double turns = ph * (1 / TFR_2PI);
	if (!(fabs(turns) < 0x1p52))
		return ph - TFR_2PI * floor(turns + 0.5);
	return ph - TFR_2PI * (double)(int64_t)(turns + (turns < 0 ? -0.5 : 0.5));
}

/* Solve the n x n symmetric positive definite system a x = b in place. */
static void solve_spd(int n, double a[][TFR_PHASEFIT_WINDOW], double *b,
                      double *x)
{
	for (int i = 0; i < n; i++)
		for (int j = i + 1; j < n; j++) {
			double m = a[j][i] / a[i][i];
			for (int k = i; k < n; k++)
				a[j][k] -= m * a[i][k];
			b[j] -= m * b[i];
		}
	for (int i = n - 1; i >= 0; i--) {
		double s = b[i];
		for (int k = i + 1; k < n; k++)
			s -= a[i][k] * x[k];
		x[i] = s / a[i][i];
	}
}

/* Add the error row (e0 + row . d) to the normal equations: its upper
 * triangle (row[m..] is zero). */
static void add_row(int m, const double *row, double e0,
                    double a[][TFR_PHASEFIT_WINDOW], double *b)
{
	double w = 1 / (PHASE_EPS * PHASE_EPS);
	for (int l = 0; l < m; l++) {
		double wl = w * row[l];
		b[l] -= wl * e0;
		for (int q = l; q < m; q++)
			a[l][q] += wl * row[q];
	}
}

/* The curvature term of a segment of dt between breakpoints of f''
 * c0 and c1, rad. */
static double curvature_term(double c0, double c1, double dt)
{
	return -TFR_2PI * 0.5 * (c0 + c1) * dt * dt * dt / 12;
}

/* The least-squares nudge of pt[0] (see the top of the file). */
static double best_nudge(const tfr_phasefit_anchor *an,
                         const tfr_phasefit_point *pt, int n, double rho)
{
	double a[TFR_PHASEFIT_WINDOW][TFR_PHASEFIT_WINDOW] = { { 0 } };
	double b[TFR_PHASEFIT_WINDOW] = { 0 }, x[TFR_PHASEFIT_WINDOW] = { 0 };
	double row[TFR_PHASEFIT_WINDOW] = { 0 };
	for (int l = 0; l < n; l++) {
		double s = rho * (pt[l].freq > 1e-9 ? pt[l].freq : 1e-9);
		a[l][l] = 1 / (s * s);
	}
	double phi = pt[0].phase;
	if (an->set) {
		double dt = pt[0].time - an->time;
		phi = an->phase + TFR_PI * (an->freq + pt[0].freq) * dt +
		      curvature_term(an->curv, pt[0].curv, dt);
		row[0] = TFR_PI * dt;
		add_row(1, row, wrap(phi - pt[0].phase), a, b);
	}
	for (int j = 1; j < n; j++) {
		double dt = pt[j].time - pt[j - 1].time;
		phi += TFR_PI * (pt[j - 1].freq + pt[j].freq) * dt +
		       curvature_term(pt[j - 1].curv, pt[j].curv, dt);
		row[j - 1] += TFR_PI * dt;
		row[j] += TFR_PI * dt;
		add_row(j + 1, row, wrap(phi - pt[j].phase), a, b);
	}
	for (int l = 0; l < n; l++)
		for (int q = 0; q < l; q++)
			a[l][q] = a[q][l];
	solve_spd(n, a, b, x);
	return x[0];
}

double tfr_phasefit_commit(tfr_phasefit_anchor *a,
                           const tfr_phasefit_point *pt, int n,
                           double max_nudge)
{
	double f = pt[0].freq;
	if (max_nudge > 0 && f > 0 && (a->set || n > 1)) {
		double lim = max_nudge * f;
		double d = best_nudge(a, pt, n, max_nudge / 4);
		/* segments so long (a stream's times far from its frames') that
		 * the nudges' prior is lost in rounding leave the system
		 * singular: no nudge rather than NaN */
		if (!isfinite(d))
			d = 0;
		f += d < -lim ? -lim : d > lim ? lim : d;
	}
	double phi = pt[0].phase;
	if (a->set) {
		double dt = pt[0].time - a->time;
		phi = wrap(a->phase + TFR_PI * (a->freq + f) * dt +
		           curvature_term(a->curv, pt[0].curv, dt));
	}
	if (fabs(wrap(phi - pt[0].phase)) > RESET_ERROR)
		phi = pt[0].phase;
	a->set = 1;
	a->time = pt[0].time;
	a->freq = f;
	a->phase = phi;
	a->curv = pt[0].curv;
	return f;
}
