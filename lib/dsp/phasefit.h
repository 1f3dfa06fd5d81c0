/*
 * phasefit.h - frequencies that agree with phases (private to libtfr):
 * the phase consistency of tfr_track, one breakpoint at a time.
 *
 * A synthesiser that runs free (Loris, SPEAR, Csound's beadsynt, any
 * consumer of an edited stream) integrates a piecewise-linear frequency:
 * between breakpoints (t0, f0) and (t1, f1) the phase advances by
 * pi (f0 + f1) dt, the trapezoid rule. A partial is phase-consistent
 * when that integral, started from its first breakpoint's phase,
 * arrives at every later breakpoint's phase. See phasefit.c for how the
 * measured frequencies and phases are made to agree.
 */
#ifndef TFR_PHASEFIT_H
#define TFR_PHASEFIT_H

/* A breakpoint as measured. */
typedef struct {
	double time;   /* s */
	double freq;   /* Hz */
	double phase;  /* rad */
} tfr_phasefit_point;

/* The last fixed breakpoint of a partial, with its integrated phase. */
typedef struct {
	int set;       /* 0 before the partial's first breakpoint */
	double time;   /* s */
	double freq;   /* Hz, as fixed */
	double phase;  /* rad: integrated from the partial's start, wrapped */
} tfr_phasefit_anchor;

/* How hard the frequencies are pulled (tfr_track_params). */
typedef struct {
	double max_nudge;    /* largest relative change of a measured
	                        frequency */
	double min_spacing;  /* s: a midpoint is inserted only into a
	                        segment at least twice this long */
	double tolerance;    /* rad: largest phase error left at a
	                        breakpoint without a midpoint */
} tfr_phasefit_params;

/* A breakpoint inserted between the anchor and the point fixed. */
typedef struct {
	int set;
	double time;   /* s, halfway */
	double freq;   /* Hz */
	double phase;  /* rad, wrapped */
} tfr_phasefit_mid;

/*
 * Fix the frequency of pt, the breakpoint after the anchor: returns it,
 * within pt->freq (1 +- max_nudge), with a midpoint before it in *mid
 * where the phase error would exceed the tolerance, and moves the
 * anchor to pt.
 */
double tfr_phasefit_commit(tfr_phasefit_anchor *a, const tfr_phasefit_point *pt,
                           const tfr_phasefit_params *p, tfr_phasefit_mid *mid);

#endif
