/*
 * phasefit.h - frequencies that agree with phases (private to libtfr):
 * the phase correction of tfr_track, one breakpoint at a time with a
 * lookahead of a few breakpoints.
 *
 * Between breakpoints (t0, f0, phi0) and (t1, f1, phi1) a frequency
 * that passes through f0 and f1 with curvature f'' advances the phase by
 * pi (f0 + f1) dt - 2 pi f'' dt^3 / 12 (dt = t1 - t0; the trapezoid rule
 * and its error term). Measured frequencies are slightly off, so the
 * phase arrives beside the measured phi1; small nudges to the
 * frequencies make it arrive there. See phasefit.c for the method.
 */
#ifndef TFR_PHASEFIT_H
#define TFR_PHASEFIT_H

/* Breakpoints seen at once: the one to fix and the ones after it. */
#define TFR_PHASEFIT_WINDOW 3

/* A breakpoint as measured. */
typedef struct {
	double time;   /* s */
	double freq;   /* Hz */
	double phase;  /* rad */
	double curv;   /* Hz/s^2: the partial's f'' there (0: unknown) */
} tfr_phasefit_point;

/* The last fixed breakpoint of a partial, with its integrated phase. */
typedef struct {
	int set;       /* 0 before the partial's first breakpoint */
	double time;   /* s */
	double freq;   /* Hz, as fixed */
	double phase;  /* rad: integrated from the partial's start */
	double curv;   /* Hz/s^2 */
} tfr_phasefit_anchor;

/*
 * Fix the frequency of pt[0], the breakpoint after the anchor, seeing
 * pt[0..n-1] (n = 1..TFR_PHASEFIT_WINDOW; fewer at the partial's end):
 * returns it, within pt[0].freq (1 +- max_nudge), and moves the anchor
 * to pt[0].
 */
double tfr_phasefit_commit(tfr_phasefit_anchor *a,
                           const tfr_phasefit_point *pt, int n,
                           double max_nudge);

#endif
