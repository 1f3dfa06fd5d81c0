/*
 * image.h - the parts of tfr-image (tools/tfr-image.c, image_*.c): its
 * options, the geometry of its pictures, the pages records are drawn on
 * and written from, and the drawing of records (points, peaks, the lines
 * of partials).
 */
#ifndef TFR_TOOL_IMAGE_H
#define TFR_TOOL_IMAGE_H

#include "tool.h"

#include <stdint.h>

#define MAXLAYERS 16
#define MAX_WIDTH (1 << 20)     /* pixels of one page or picture */
#define MAX_HEIGHT (1 << 15)
#define DOT_PEAKS 2.0           /* default dot radius of peaks, pixels */

/* ---- options ---- */

typedef struct {
	const char *input, *output;
	/* analysis of audio */
	tool_analysis an;
	int channel, split;
	/* geometry */
	tfr_quantity minf, maxf;
	int have_minf, have_maxf, log;
	double pps;
	int have_pps, have_width;
	long long width, height;
	/* levels, look and pages */
	tool_picture_opts look;
	double dot;
	int have_dot;
	const char *overlay;    /* a stream drawn over a spectrogram */
	int plain;              /* --plain: a frame a column, no padding */
	int verbose;            /* -v: what was drawn, on stderr */
} options;

typedef struct {
	double fs;              /* Hz; 0 unknown (a stream without it) */
	double start, span;     /* left edge of page 0; the time of a page */
	int paged;
	long long npages;       /* -1 until known */
	double end;             /* end of the input, s; NAN unknown */
	size_t width, height, nlayers;
	tfr_axis freq;          /* rows, top first */
	const char *labels[MAXLAYERS];
	char label_text[MAXLAYERS][32];
} geometry;

/* ---- pages: where records are drawn, and written ---- */

typedef struct {
	const options *o;
	tool_output *out;            /* the picture, opened early; NULL with
	                                pages (opened one by one) */
	geometry g;
	tfr_splat *pg[2][MAXLAYERS + 1]; /* the oldest open page and the next
	                                 (and the overlay) */
	int nopen;
	long long page;              /* index of pg[0] */
	const tfr_meta *prov;        /* provenance of every page */
	double t_seen;               /* latest time drawn (progress) */
	unsigned calls;
	int overlay;                 /* 1: a layer more, pg[.][nlayers], of
	                                lines drawn over the picture */
	double range;                /* the default of -z for this kind */
} plotter;

/* ---- drawing records ---- */

/* One record to draw: a breakpoint of partial id, or a point (id 0). */
typedef struct {
	int64_t id;
	double t;
	float f, amp;
	int end;
} held;

enum { DRAW_POINTS, DRAW_DOTS, DRAW_LINES };

/* The last breakpoint of each partial still going, by id: open
 * addressing with linear probing, deletion by backward shift (Knuth,
 * TAOCP vol. 3, 6.4, Algorithm R), so memory follows the partials alive
 * at once, not all the partials of an hour. */
typedef struct {
	int64_t id;      /* -1: empty */
	double t, f;
	float e;
} last_bp;

typedef struct {
	last_bp *slot;
	size_t cap, n;   /* cap a power of two */
} partial_map;

typedef struct {
	plotter *pl;
	size_t layer;         /* the layer drawn into (0; the overlay's) */
	int mode;
	double dot;           /* radius of points and peaks */
	partial_map partials;
} drawer;

/* image_pages.c */
void image_resolve_freq(const options *o, geometry *g);
/* The time window once the length of the input is known (NAN: not
 * known, and not needed: pages, or a duration given). */
void image_resolve_time(const options *o, geometry *g, double length);
double image_page_left(const plotter *pl, long long k);
void image_plot_start(plotter *pl, const options *o, tool_output *out,
                      const tfr_meta *prov);
/* The input has reached time t: pages nothing can reach any more are
 * written. */
void image_plot_front(plotter *pl, double t);
/* End of input: the rest of the pages, empty ones included. */
void image_plot_finish(plotter *pl);
/* What every picture of this run carries after its geometry. */
tfr_meta *image_provenance(const tfr_meta *in, const char *kind, const char *pixel);
void image_meta_or_die(int e);

/* image_draw.c */
void image_draw_record(drawer *dr, const held *h);
void image_drawer_free(drawer *dr);

#endif
