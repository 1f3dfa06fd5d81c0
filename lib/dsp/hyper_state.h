/*
 * hyper_state.h - the state of a tfr_hyper and the functions between its
 * files (private to libtfr):
 *   hyper_plan.c     parameters, _new and _free: what is decided once
 *                    (scan lines, bands, decimation, block groups, FFT
 *                    plans, frequency-bin edges, work shares)
 *   hyper_run.c      streaming: input buffer, super-blocks, block
 *                    spectra, workers, _process, _flush, _reset
 *   hyper_scan.c     one line over one super-block: filtering, the
 *                    per-point scan and decisions, near-tie refinement
 *   hyper_picture.c  the output picture: growth, merging the workers'
 *                    windows, the count threshold, the accessors
 * How and why it is computed this way: hyper_plan.c's opening comment.
 */
#ifndef TFR_HYPER_STATE_H
#define TFR_HYPER_STATE_H

#include "tfr_base.h"
#include "tfr_hyper.h"

#include "hyper_direct.h"
#include "hyper_interp.h"
#include "tfr_fft.h"

#include <math.h>
#include <stddef.h>
#include <stdint.h>

/* Largest block FFT, 2^HY_MAXLOG samples: larger than the library's
 * TFR_MAX_FFT_SIZE because a block is chosen about 4 margins long
 * (hyper_plan.c), and a margin, the reach of the longest wavelet, may
 * itself be as long as TFR_MAX_FFT_SIZE (tfr_hyper_check). */
#define HY_MAXLOG 24
_Static_assert(((size_t)1 << HY_MAXLOG) == 4 * (size_t)TFR_MAX_FFT_SIZE,
               "blocks of up to 4 margins of TFR_MAX_FFT_SIZE");
#define HY_SUPER 65536   /* output samples per super-block */
/* Error bound on mp beyond which a point is FFT-roundoff froth, decided
 * as it is and not refined (hyper_scan.c): with its error scale that is
 * |xi| below ~2.5 % of the band's rms. A smaller bound (1e-5: 0.5 of
 * the rms) would leave float roundoff to decide the points near the
 * beat nulls of two close tones, 2 % off the reference in those bins.
 * Also the margin of the scan's lint pre-test (hy_bins.lint2w). */
#define HY_DMAX 2e-4

/* One scan line: the filter pair G, D on centre frequency f0. */
typedef struct {
	double f0, sigma;
	double sigt;         /* 1 / (2 pi sigma): sigma_t of the envelope */
	int group;           /* index of the block group */
	int dlog;            /* decimation D = 2^dlog */
	int wide;            /* D = 2 with the longer interpolator */
	int refine;          /* near-ties recomputed directly (not cut at
	                        Nyquist, so hyper_direct.c's kernel is
	                        the reference's) */
	size_t j0;           /* frequency bin of f0 (start of the search) */
	long klo, khi, kc;   /* band and centre bin on the group's grid */
	float *g, *d;        /* G/L and D/L over the band; NULL: no band
	                        below Nyquist, the line is not scanned */
	double gd2;          /* sum of g^2 + d^2 over the band */
} hy_line;

/* Lines sharing a block length and margin, so one forward FFT of each
 * block (overlap-save: output is the middle hop = L - 2 margin). */
typedef struct {
	size_t L, margin, hop;
	int lg;              /* log2 L */
	tfr_fft *fwd;        /* used by one worker at a time (a group's
	                        spectra are one worker's: hyper_run.c) */
	tfr_cpx *spec;       /* nblk_max spectra of L/2+1 bins, sstride
	                        apart */
	size_t sstride;      /* L/2 + 2: even, so each spectrum is 16-byte
	                        aligned as FFTW likes it (tfr_fft.h) */
	double *xrms;        /* per block: rms of the spectrum (error scale) */
	size_t nblk_max;     /* blocks of one super-block */
	size_t nblk;         /* blocks of the current super-block */
} hy_group;

/* One worker thread: its share of the lines, its scratch, and its
 * window on the picture rows the current super-block can reach. */
typedef struct {
	struct tfr_hyper *h;
	size_t *lines, nl;   /* the lines this worker scans */
	int phase;           /* what the next run does: HY_SPECTRA, ... */
	/* window, by frequency column: index jf * wrows + row */
	double *E;
	uint32_t *C;
	/* a line on one block: base-band spectra, decimated outputs */
	tfr_cpx *yx, *ye, *bx, *be;
	double scale;        /* error scale of the current block */
	/* refinement of near-ties (hyper_direct.c) */
	ptrdiff_t budget_d, budget_ld;  /* taps left in this super-block */
	tfr_hyper_kern kern; /* the current line's direct kernel */
} hy_worker;

enum { HY_SPECTRA, HY_LINES };

/* The filter bank and its transforms. */
typedef struct {
	size_t nlines, ngroups;
	hy_line *line;       /* by f0 ascending: f0 = minf 2^(l/(over noct)) */
	hy_group *group;
	tfr_fft *icfg[HY_MAXLOG + 1];        /* inverse FFTs of 2^k, shared by
	                                        the workers (tfr_fft.h) */
	tfr_hyper_fir fir[HY_MAXLOG + 1];    /* interpolators by dlog */
	tfr_hyper_fir fir_w;                 /* the wide lines' */
	unsigned cpu;        /* code paths allowed: TFR_CPU_* (cpu.h) */
} hy_plan;

/* The output's bins and the constants of a point's decision. */
typedef struct {
	size_t hf;           /* frequency bins */
	double *fedge;       /* bin j holds fins in [fedge[j+1], fedge[j]) */
	double noct32;       /* noct as the numpy port has it (float32) */
	double lint2;        /* lint^2: the locality test on |mp|^2 */
	double lint2w;       /* lint^2 widened by the float error margin:
	                        the scan's candidates */
	double tdinv;        /* 1 / tdeci if tdeci is a power of two, or 0 */
} hy_bins;

/* The input, per channel: global samples [pos - back, pos - back +
 * have) of the super-block starting at pos, its margins and look-ahead. */
typedef struct {
	float **buf;
	size_t back;         /* samples before pos: the longest margin */
	size_t bufsz;        /* back + HY_SUPER + the longest block */
	size_t have;
	int64_t pos;
	int64_t nin;         /* frames taken so far */
	int finished;        /* _flush was called: samples from nin on are 0 */
	int chan;            /* the channel being analysed */
	double nlimit;       /* tins < nlimit: nin once finished */
} hy_input;

/* The workers' windows: the picture rows one super-block can reach,
 * |tins - n| < lint sigma_t from its samples. */
typedef struct {
	double maxshift;     /* largest reach, samples (+2) */
	size_t wrows;        /* rows of a window */
	int bin32;           /* window indices fit an int32_t */
	int64_t rlo;         /* picture row of window row 0 */
} hy_window;

/* The output picture, ht x hf, row-major (time the slow axis), held
 * from row base on: a caller streaming a long input releases the rows
 * it has taken (tfr_hyper_release), and the rest slide down. */
typedef struct {
	float *E;            /* energy (zeroed below the threshold) */
	uint32_t *C;         /* counts */
	size_t rows_cap;     /* rows allocated, from row base */
	size_t base;         /* picture row of E[0] and C[0] */
	size_t hi;           /* rows before it may be nonzero (>= base) */
	size_t done;         /* rows before it are final */
	size_t ht;           /* rows of the result (after _flush) */
	uint32_t maxc;       /* largest count (after a threshold) */
} hy_picture;

struct tfr_hyper {
	tfr_hyper_params p;  /* as given */
	hy_plan plan;        /* fixed in _new */
	hy_bins bins;        /* fixed in _new */
	hy_window win;       /* geometry fixed in _new, rlo per super-block */
	hy_input in;
	hy_worker *wk;       /* p.threads workers */
	hy_picture pic;
};

/* numpy's rounding (half to even) or MATLAB's (half away from zero) */
static inline double hy_round(double x, int away)
{
	return away ? round(x) : nearbyint(x);
}

/* hyper_scan.c: line ln of worker w over the current super-block. */
void tfr_hyper_scan_line(hy_worker *w, const hy_line *ln);

/* tfr_hyper_check, which also gives the scan lines times channels and
 * the memory before input of p (what its limits bound), for a bank to
 * add up. */
int tfr_hyper_check_costs(const tfr_hyper_params *p, double *lines, double *bytes,
                          tfr_diag *d);

/* hyper_picture.c: room for the picture up to row rows, exclusive
 * (exactly that many if exact); TFR_OK, TFR_ENOMEM or TFR_ERANGE. */
int tfr_hyper_picture_reserve(tfr_hyper *h, size_t rows, int exact);
/* Add the workers' windows into the picture and clear them. */
int tfr_hyper_picture_merge(tfr_hyper *h);
/* Rows before done are final: no later super-block reaches them. */
int tfr_hyper_picture_final(tfr_hyper *h, size_t done);
/* The final ht rows, trimmed (no threshold). */
int tfr_hyper_picture_finish(tfr_hyper *h);
/* All zero, as a new object's (the allocation is kept). */
void tfr_hyper_picture_clear(tfr_hyper *h);

#endif
