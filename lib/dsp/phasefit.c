/*
 * phasefit.c - phase-consistent partials: measured frequencies pulled
 * gently, midpoints where the phases demand more.
 *
 * Each partial carries its integrated phase PHI: the phase a free-running
 * synthesiser reaches, starting from the partial's first measured phase
 * and integrating its piecewise-linear frequency by the trapezoid rule
 * (pi (f_j + f_j+1) dt per segment: what Loris, SPEAR and Csound do).
 * At breakpoint i the phase error is E_i = wrap(PHI_i - phi_i), phi_i the
 * measured phase. Two corrections keep |E| small, in this order:
 *
 * 1. A slow pull of the frequency. Reassigned frequencies are accurate
 *    (0.0009 % RMS on a vibrato tone), but a tiny bias, 0.02 Hz, still
 *    adds up to 0.3 rad over two seconds; the phases, measured over the
 *    whole partial, know the mean frequency better. The frequency of
 *    breakpoint i is moved by the amount that would remove E over
 *    PULL_TIME (d = -E / (2 pi PULL_TIME), E predicted with the measured
 *    frequency), clamped to max_nudge: a first-order loop that follows
 *    the phases' mean frequency and ignores their jitter (phase noise
 *    of 1e-3 rad moves frequencies by 0.002 Hz). On a steady tone this
 *    alone keeps |E| near 0.01 rad and makes frequencies more accurate,
 *    not less.
 * 2. A midpoint. Where the error left after the pull exceeds the
 *    tolerance (a vibrato's turn, a voice's jitter, a noisy partial:
 *    phases that move faster than any smooth frequency), a breakpoint
 *    is inserted halfway between i-1 and i with the frequency that makes
 *    the trapezoid arrive exactly at phi_i: adding delta to the
 *    midpoint's frequency (from the mean of its neighbours) adds
 *    pi dt delta to the segment's travel, so delta = -E / (pi dt). This
 *    is the "extra breakpoints where the parabola departs from the line"
 *    of McAulay & Quatieri's cubic phase (1986, eq. 37): the stored-
 *    phase synthesis sweeps the same excursion, implicitly. Segments
 *    shorter than twice the minimum spacing get no midpoint; their error
 *    is carried to the next breakpoint.
 *
 * So every breakpoint's phase is met within the tolerance by a free-
 * running synthesiser, measured phases are kept exactly (unlike Loris,
 * which overwrites phases it cannot meet within its 0.2 % clamp), and
 * measured frequencies move only by the slow pull.
 */
#include "phasefit.h"
#include "internal.h"

#include <math.h>
#include <stdint.h>

/* The pull's time constant, s. */
#define PULL_TIME 0.05

/* To [-pi, pi], the nearest whole turn removed (by a conversion to an
 * integer: floor() is a library call on baseline x86-64). */
static double wrap(double ph)
{
	double turns = ph * (1 / TFR_2PI);
	if (!(fabs(turns) < 0x1p52))
		return ph - TFR_2PI * floor(turns + 0.5);
	return ph - TFR_2PI * (double)(int64_t)(turns + (turns < 0 ? -0.5 : 0.5));
}

/* The pull on frequency f given the error e it would leave (step 1). */
static double pull(double f, double e, double max_nudge)
{
	double d = -e / (TFR_2PI * PULL_TIME), lim = max_nudge * f;
	/* times far from their frames' (hostile streams) can leave e not
	 * finite: no pull rather than NaN */
	if (!isfinite(d))
		return 0;
	return d < -lim ? -lim : d > lim ? lim : d;
}

double tfr_phasefit_commit(tfr_phasefit_anchor *a, const tfr_phasefit_point *pt,
                           const tfr_phasefit_params *p, tfr_phasefit_mid *mid)
{
	double f = pt->freq, phi = pt->phase;
	mid->set = 0;
	if (a->set) {
		double dt = pt->time - a->time;
		double e = wrap(a->phase + TFR_PI * (a->freq + f) * dt - pt->phase);
		if (f > 0 && p->max_nudge > 0) {
			double d = pull(f, e, p->max_nudge);
			f += d;
			e = wrap(e + TFR_PI * d * dt);
		}
		if (fabs(e) > p->tolerance && dt >= 2 * p->min_spacing) {
			double fm = 0.5 * (a->freq + f) - e / (TFR_PI * dt);
			mid->set = 1;
			mid->time = a->time + 0.5 * dt;
			mid->freq = fm > 0 ? fm : 0;
			mid->phase = wrap(a->phase + TFR_PI * (a->freq + mid->freq) * 0.5 * dt);
			/* a frequency clipped at 0 leaves part of the error */
			e = wrap(mid->phase + TFR_PI * (mid->freq + f) * 0.5 * dt - pt->phase);
		}
		phi = wrap(pt->phase + e);
	}
	a->set = 1;
	a->time = pt->time;
	a->freq = f;
	a->phase = phi;
	return f;
}
