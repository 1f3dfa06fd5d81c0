/*
 * tfr_picture.h - pictures of time-frequency matrices (lib/picture, the
 * drawing above the formats: it writes through tfr_png.h): levels
 * on a dB scale, colour maps, several layers as the R, G, B of one
 * picture or as panels stacked top to bottom, written as PNG row by row;
 * either bare (the matrix's pixels only) or as a figure for a paper
 * (axes in seconds and Hz with ticks on round values, a colour bar in
 * dB, a title, labels or a legend for the layers), carrying its geometry
 * and provenance in PNG text chunks.
 *
 * A layer is a matrix of width x height non-negative values (energies),
 * stored column by column: value (x, y) at layer[x * height + y], x the
 * time from left to right, y the row from the top. This is the layout of
 * tfr_hyper's histogram (time-major, frequency descending) and of
 * tfr_splat's grid. A page of columns [x0, x1) of a layer is the matrix
 * at layer + x0 * height of width x1 - x0: long pictures are drawn page
 * by page without copying (tfr_picture_page), each written as it is
 * drawn.
 *
 * Geometry and provenance (the keys of the PNG text chunks, and of the
 * sidecar of a .npy matrix, tfr_picture_sidecar_write):
 *   time_first, time_last   s at the centres of the first and last columns
 *   freq_first, freq_last   Hz at the centres of the first (top) and last
 *                           (bottom) rows
 *   freq_axis               linear or log (rows evenly spaced in Hz or in
 *                           log Hz)
 *   columns, rows           the matrix's size (of one panel)
 *   layers, layout          how many layers, drawn as single, rgb or
 *                           stacked
 *   label                   one per layer, in order (when given)
 *   level_unit              dBFS (the values are energies re full scale:
 *                           level_top is absolute) or dB (relative: each
 *                           layer's top is its own maximum, 0 dB)
 *   level_ref               max (the top of the scale is the largest
 *                           value) or fixed (the caller's ref)
 *   level_top, level_range  dB at full colour, and the range shown below
 *   full_scale              with level_unit dBFS: the value of 0 dBFS
 *                           (when not 1; one per layer with full_scales)
 *   plot_x, plot_y          pixel of the first column and row of the
 *                           (first) panel in the PNG (0 0 when bare)
 *   panel_step              rows from one stacked panel's top to the next
 *   Software, Title         PNG's own keywords
 * followed by the caller's text (sample_rate, source, history, ...).
 */
#ifndef TFR_PICTURE_H
#define TFR_PICTURE_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "tfr_axis.h"
#include "tfr_base.h"
#include "tfr_meta.h"
#include "tfr_png.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ---- levels and colour maps (colormap.c) ---- */

/* Colour maps: t in [0, 1] (clamped) to 8-bit RGB. */
typedef enum {
	TFR_COLORMAP_INFERNO,  /* black - purple - orange - yellow */
	TFR_COLORMAP_VIRIDIS,  /* blue - green - yellow */
	TFR_COLORMAP_GRAY,     /* black - white */
	TFR_COLORMAP_PRINT     /* white - black: black on white, for print */
} tfr_colormap;

void tfr_colormap_rgb(tfr_colormap map, double t, uint8_t rgb[3]);

/* Parse "inferno", "viridis", "gray" (or "grey") or "print": TFR_OK or
 * TFR_EINVAL. */
int tfr_colormap_parse(const char *name, tfr_colormap *map);

/*
 * Level of value v on a logarithmic scale: 1 at vmax, 0 at range_db
 * decibels (10 log10, an energy) below it or less (and for v <= 0).
 */
double tfr_level_db(double v, double vmax, double range_db);

/* ---- pictures ---- */

typedef struct {
	/* the matrix (bare pictures and figures) */
	size_t width, height;      /* of every layer */
	size_t filled;             /* columns the layers hold: the rest, to
	                              width, are past the end of the input
	                              (the last page of a long recording on
	                              its page's time axis), drawn hatched
	                              grey, not as silence; 0: all */
	const float *const *layers;
	size_t nlayers;            /* >= 1 */
	int rgb;                   /* 3 layers as R, G, B (each grey level of
	                              its own layer); else stacked panels */
	double range_db;           /* dynamic range shown (80) */
	double ref;                /* the value drawn at full level, in
	                              units of each layer's full scale
	                              (full_scale, full_scales; 1 without):
	                              0 for each layer's own maximum
	                              (default) */
	const double *refs;        /* nlayers references that replace the
	                              maxima when ref is 0 (pages of one
	                              matrix: its maxima), or NULL */
	tfr_colormap colormap;     /* for panels (inferno) */
	const float *overlay;      /* width x height values, as a layer:
	                              where > 0 the pixel of every panel is
	                              overlay_rgb (lines drawn over the
	                              picture: an f0 track, partials); NULL
	                              for none */
	uint8_t overlay_rgb[3];    /* (default cyan; tfr_picture_overlay_rgb
	                              gives one that stands out of a map) */
	/* the figure (tfr_picture_write_figure only) */
	double time_first, time_last;  /* s at the centres of the first and
	                                  last columns (width >= 2) */
	double freq_first, freq_last;  /* Hz at the centres of the first
	                                  (top) and last rows (height >= 2) */
	tfr_axis_scale freq_scale;     /* TFR_AXIS_LINEAR (default) or LOG */
	int dbfs;                  /* the values are energies re full scale
	                              (a full-scale sinusoid reads
	                              full_scale): the colour bar reads dBFS;
	                              else dB below each layer's reference
	                              (default) */
	double full_scale;         /* with dbfs: the value of 0 dBFS (0: 1,
	                              the amp^2 of a full-scale sinusoid) */
	const double *full_scales; /* nlayers values of 0 dBFS, one per layer
	                              (layers in units of their own), or
	                              NULL: full_scale for all */
	const char *title;         /* above the picture, or NULL */
	const char *const *labels; /* nlayers names (the RGB legend, the
	                              panels' labels), or NULL */
	int font_scale;            /* screen pixels per font pixel, 1 to 8;
	                              0 (default) chooses from the size */
	/* provenance: more text chunks after the geometry, or NULL (the
	   bare writer writes only these) */
	const tfr_meta *text;
} tfr_picture_params;

void tfr_picture_params_default(tfr_picture_params *p);

/* The colour of pixel (x, y) of a column past the end of the input:
 * diagonal grey hatching, which no colour map uses for a level. */
void tfr_picture_past_end_rgb(size_t x, size_t y, uint8_t rgb[3]);

/* A colour for lines over a picture in colour map `map`: cyan over the
 * dark maps, red over gray and print. */
void tfr_picture_overlay_rgb(tfr_colormap map, uint8_t rgb[3]);

/* The matrix part of p (all a bare picture needs). */
int tfr_picture_check(const tfr_picture_params *p, tfr_diag *d);

/* The bare picture as PNG on f (not closed here): width x (height x
 * panels) pixels, one per value, and a text chunk per entry of p->text
 * (none when NULL). TFR_OK, or a code with the reason in d. */
int tfr_picture_write_png(FILE *f, const tfr_picture_params *p, tfr_diag *d);

/* Where a figure puts things (pixels of the PNG). */
typedef struct {
	size_t width, height;      /* the whole PNG */
	size_t plot_x, plot_y;     /* first column and row of the first panel */
	size_t panel_step;         /* rows between the tops of two panels */
	size_t panels;
	int font_scale;            /* the one used */
} tfr_picture_frame;

/* The figure part of p too (axes, labels, font). */
int tfr_picture_figure_check(const tfr_picture_params *p, tfr_diag *d);

/* The frame of p's figure. TFR_OK or a _check failure. */
int tfr_picture_frame_of(const tfr_picture_params *p, tfr_picture_frame *fr,
                         tfr_diag *d);

/* The figure as PNG on f (not closed here), with the geometry and
 * provenance chunks. Memory: one row of the figure, whatever its width.
 * TFR_OK, or a code with the reason in d. */
int tfr_picture_write_figure(FILE *f, const tfr_picture_params *p,
                             tfr_diag *d);

/* The columns with values: p->filled, or all (p->width). */
size_t tfr_picture_filled(const tfr_picture_params *p);

/* The reference (full-level value) of layer i: p->ref times the
 * layer's full scale, p->refs[i], or the layer's largest value. */
double tfr_picture_layer_ref(const tfr_picture_params *p, size_t i);

/*
 * A page of p (a matrix filled whole): the columns [x0, x1) of the same
 * matrix (no copy: layers,
 * room for p->nlayers pointers, is filled), its time axis cut to match,
 * and refs (p->nlayers values, from tfr_picture_layer_ref of the whole
 * matrix: compute them once) as its references, so that every page of a
 * long matrix shares one level scale. TFR_OK, or TFR_EINVAL when the
 * columns are not within the matrix.
 */
int tfr_picture_page(const tfr_picture_params *p, size_t x0, size_t x1,
                     const float **layers, const double *refs,
                     tfr_picture_params *page, tfr_diag *d);

/* The top of the colour scale: 1 with *top_db in dBFS (re each
 * layer's full scale) when p->dbfs and the scale is one for all layers
 * (a fixed ref or refs at one level in dBFS, or one layer); else 0
 * (each layer's top is 0 dB re its reference). */
int tfr_picture_level_top(const tfr_picture_params *p, double *top_db);

/*
 * The geometry keys above for p into m (appended in that order): with
 * fr, a figure's (plot_x, plot_y, panel_step); without, a bare matrix's
 * (plot_x = plot_y = 0). The time and frequency keys need p's axes.
 * TFR_OK or TFR_ENOMEM.
 */
int tfr_picture_geometry(const tfr_picture_params *p,
                         const tfr_picture_frame *fr, tfr_meta *m);

/*
 * The keys of the matrix alone (a .npy's sidecar: no picture, no level
 * scale): time_first .. layers and the labels, in the order above.
 * TFR_OK or TFR_ENOMEM.
 */
int tfr_picture_matrix_geometry(const tfr_picture_params *p, tfr_meta *m);

/*
 * The sidecar of a matrix written as .npy (NAME.npy.txt beside
 * NAME.npy): a first line "# tfr matrix geometry 1", then one
 * "key=value" line per entry of m (newlines in values become blanks).
 * TFR_OK or TFR_EIO.
 */
int tfr_picture_sidecar_write(FILE *f, const tfr_meta *m);

/* ---- ticks on round values ---- */

typedef struct {
	double value;   /* round: a multiple of the step, or m 10^k on a log
	                   axis (m of 1, 2, 5, or 1 to 9) */
	double pos;     /* its position on the axis (cell index) */
	int major;      /* 1: labelled; 0: a minor tick (log axes) */
} tfr_tick;

/*
 * The ticks of axis a within its outer edges, major ticks at least
 * spacing cells apart (minor ones at least 3): on a linear axis the
 * multiples of the smallest step of 1, 2 or 5 times a power of ten that
 * keeps them apart (*step set to it); on a log axis decades, or 1, 2, 5
 * or 1 to 9 times each power of ten, with minor ticks between (*step set
 * to 0), or linear ticks when a decade gives fewer than two. At most max
 * are stored, in increasing position; returns how many there are.
 */
size_t tfr_axis_ticks(const tfr_axis *a, double spacing, tfr_tick *ticks,
                      size_t max, double *step);

/* The label of a tick value: with step > 0 the decimals the step needs
 * ("0.5", "10", "-20"); with step 0 the fewest decimals that read back
 * exactly ("20", "0.25"; exponent form beyond 1e15 or below 1e-6). No
 * "-0". Returns buf. */
const char *tfr_tick_label(double value, double step, char *buf, size_t size);

/* ---- the built-in bitmap font (font.c) ---- */

/* Glyph cell: 5 x 9 pixels, the baseline below row 6 (rows 7 and 8 hold
 * descenders), advance 6. */
#define TFR_FONT_WIDTH 5
#define TFR_FONT_HEIGHT 9
#define TFR_FONT_ASCENT 7
#define TFR_FONT_ADVANCE 6

/* Row y (0 the top) of the glyph of character c (printable ASCII; any
 * other character draws as '?'): bit 4 is the leftmost pixel, bit 0 the
 * rightmost; 0 outside the cell. */
unsigned tfr_font_row(int c, int y);

#ifdef __cplusplus
}
#endif

#endif /* TFR_PICTURE_H */
