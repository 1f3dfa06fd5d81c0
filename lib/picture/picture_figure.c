/*
 * picture_figure.c - a time-frequency matrix as a figure for a paper
 * (tfr_picture.h): the matrix framed, a frequency axis on the left (Hz or
 * kHz, linear or log), a time axis below (s), a colour bar on the right
 * (dBFS or dB), a title, a legend (RGB) or a label per panel (stacked),
 * black text on white in the built-in font.
 *
 * The figure is laid out once as a list of items (filled rectangles,
 * texts, panels of the matrix, the colour bar) and then drawn row by row
 * into one row buffer and written as it is drawn: memory is one row,
 * however wide the picture (tfr-hyper's ten minutes are 413438 pixels).
 */
#include "tfr_axis.h"
#include "tfr_base.h"
#include "tfr_meta.h"
#include "tfr_picture.h"
#include "tfr_png.h"
#include "level_steps.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { FILL, TEXT, PANEL, BAR };

typedef struct {
	int kind;
	long x, y, w, h;   /* bounding box, pixels of the figure */
	uint8_t rgb[3];    /* FILL, TEXT */
	int upward;        /* TEXT: turned to read bottom to top */
	size_t layer;      /* PANEL: its layer (all three when RGB) */
	char text[160];
} item;

typedef struct {
	const tfr_picture_params *p;
	long s;                /* font scale */
	long cw, gh, cap;      /* advance, line height, cap height */
	long pad, gap, tick;
	item *items;
	size_t n, size;
	int nomem;
	double *ref;           /* per layer */
	tfr_level_steps **steps; /* per layer: its colours (panels, not RGB) */
	tfr_picture_frame fr;
} figure;

static const uint8_t black[3] = { 0, 0, 0 };

static item *push(figure *g, int kind, long x, long y, long w, long h)
{
	if (g->n == g->size) {
		size_t size = g->size ? 2 * g->size : 64;
		item *it = size < SIZE_MAX / sizeof *it
		           ? realloc(g->items, size * sizeof *it) : NULL;
		if (!it) {
			g->nomem = 1;
			return NULL;
		}
		g->items = it;
		g->size = size;
	}
	item *it = &g->items[g->n++];
	memset(it, 0, sizeof *it);
	*it = (item){ .kind = kind, .x = x, .y = y, .w = w, .h = h };
	return it;
}

static void fill(figure *g, long x, long y, long w, long h,
                 const uint8_t rgb[3])
{
	item *it = push(g, FILL, x, y, w, h);
	if (it)
		memcpy(it->rgb, rgb, 3);
}

static long text_width(const figure *g, const char *s)
{
	size_t n = strlen(s);
	if (n >= sizeof ((item *)0)->text)
		n = sizeof ((item *)0)->text - 1;
	return n ? (long)(TFR_FONT_ADVANCE * n - 1) * g->s : 0;
}

static void text(figure *g, long x, long y, const char *s, int upward)
{
	long w = text_width(g, s);
	item *it = upward ? push(g, TEXT, x, y, g->gh, w)
	                  : push(g, TEXT, x, y, w, g->gh);
	if (!it)
		return;
	it->upward = upward;
	snprintf(it->text, sizeof it->text, "%s", s);
}

/* ---- axes ---- */

/* All the ticks of an axis (malloc'd), or NULL with *n 0. */
static tfr_tick *ticks_of(figure *g, const tfr_axis *a, double spacing,
                          size_t *n, double *step)
{
	*n = tfr_axis_ticks(a, spacing, NULL, 0, step);
	if (*n == 0)
		return NULL;
	tfr_tick *t = malloc(*n * sizeof *t);
	if (!t) {
		g->nomem = 1;
		*n = 0;
		return NULL;
	}
	tfr_axis_ticks(a, spacing, t, *n, step);
	return t;
}

/* Hz with "k" for thousands on a log axis; kHz or Hz on a linear one. */
static void freq_label(const tfr_axis *a, int khz, double v, double step,
                       char *buf, size_t size)
{
	if (a->scale == TFR_AXIS_LOG && v >= 1000) {
		tfr_tick_label(v / 1000, step / 1000, buf, size);
		strncat(buf, "k", size - strlen(buf) - 1);
	} else if (khz) {
		tfr_tick_label(v / 1000, step / 1000, buf, size);
	} else {
		tfr_tick_label(v, step, buf, size);
	}
}

typedef struct {
	tfr_axis axis;
	tfr_tick *ticks;
	size_t n;
	double step;
	int khz;
	long label_w;     /* widest major label */
} axis_ticks;

static void label_of(const axis_ticks *t, size_t i, int freq, char *buf,
                     size_t size)
{
	if (freq)
		freq_label(&t->axis, t->khz, t->ticks[i].value, t->step, buf, size);
	else
		tfr_tick_label(t->ticks[i].value, t->step, buf, size);
}

static void make_ticks(figure *g, axis_ticks *t, double spacing, int freq)
{
	char buf[48];
	free(t->ticks);
	t->ticks = ticks_of(g, &t->axis, spacing, &t->n, &t->step);
	t->label_w = 0;
	for (size_t i = 0; i < t->n; i++) {
		if (!t->ticks[i].major)
			continue;
		label_of(t, i, freq, buf, sizeof buf);
		long w = text_width(g, buf);
		if (w > t->label_w)
			t->label_w = w;
	}
}

/* ---- layout ---- */

static long auto_scale(long m)
{
	return m >= 1600 ? 4 : m >= 1000 ? 3 : m >= 360 ? 2 : 1;
}

static int is_stacked(const tfr_picture_params *p)
{
	return !p->rgb && p->nlayers > 1;
}

typedef struct {
	long x0, y0, W, H, step, stack_h, np;
	long total_w;
} plot_box;

static void draw_frame(figure *g, long x, long y, long w, long h)
{
	fill(g, x - 1, y - 1, w + 2, 1, black);
	fill(g, x - 1, y + h, w + 2, 1, black);
	fill(g, x - 1, y, 1, h, black);
	fill(g, x + w, y, 1, h, black);
}

/* An axis title, or its short form where it is longer than room. */
static const char *fit(const figure *g, const char *title, const char *short_form,
                       long room)
{
	return text_width(g, title) <= room ? title : short_form;
}

static void freq_axis_items(figure *g, const plot_box *b, const axis_ticks *ft)
{
	char buf[48];
	for (long k = 0; k < b->np; k++) {
		long top = b->y0 + k * b->step;
		for (size_t i = 0; i < ft->n; i++) {
			const tfr_tick *t = &ft->ticks[i];
			long py = top + lround(t->pos), len = t->major ? g->tick : g->tick / 2;
			fill(g, b->x0 - 1 - len, py, len, 1, black);
			if (!t->major)
				continue;
			label_of(ft, i, 1, buf, sizeof buf);
			text(g, b->x0 - 1 - g->tick - g->gap - text_width(g, buf),
			     py - (g->cap - 1) / 2, buf, 0);
		}
	}
	const char *title = fit(g, ft->khz ? "Frequency (kHz)" : "Frequency (Hz)",
	                        ft->khz ? "kHz" : "Hz", b->stack_h);
	long w = text_width(g, title), y = b->y0 + b->stack_h / 2 - w / 2;
	text(g, g->pad, y > g->pad ? y : g->pad, title, 1);
}

static void time_axis_items(figure *g, const plot_box *b, const axis_ticks *tt,
                            long ylab)
{
	char buf[48];
	long yb = b->y0 + b->stack_h + 1, last_end = -1000000;
	for (size_t i = 0; i < tt->n; i++) {
		const tfr_tick *t = &tt->ticks[i];
		long px = b->x0 + lround(t->pos);
		fill(g, px, yb, 1, t->major ? g->tick : g->tick / 2, black);
		if (!t->major)
			continue;
		label_of(tt, i, 0, buf, sizeof buf);
		long w = text_width(g, buf), x = px - (w - 1) / 2;
		if (x < g->pad)
			x = g->pad;
		if (x + w > b->total_w - g->pad)
			x = b->total_w - g->pad - w;
		if (x < last_end + g->cw)
			continue;  /* would touch the previous label */
		text(g, x, ylab, buf, 0);
		last_end = x + w;
	}
	const char *title = "Time (s)";
	text(g, b->x0 + b->W / 2 - text_width(g, title) / 2, ylab + g->gh + g->gap,
	     title, 0);
}

static void bar_items(figure *g, const plot_box *b, const axis_ticks *lt,
                      long bar_x, long bar_w, int absolute)
{
	char buf[48];
	push(g, BAR, bar_x, b->y0, bar_w, b->stack_h);
	draw_frame(g, bar_x, b->y0, bar_w, b->stack_h);
	long lx = bar_x + bar_w + 1 + g->tick + g->gap;
	for (size_t i = 0; i < lt->n; i++) {
		long py = b->y0 + lround(lt->ticks[i].pos);
		fill(g, bar_x + bar_w + 1, py, g->tick, 1, black);
		label_of(lt, i, 0, buf, sizeof buf);
		text(g, lx, py - (g->cap - 1) / 2, buf, 0);
	}
	const char *title = fit(g, absolute ? "Level (dBFS)" : "Level (dB)",
	                        absolute ? "dBFS" : "dB", b->stack_h);
	long w = text_width(g, title), y = b->y0 + b->stack_h / 2 - w / 2;
	text(g, lx + lt->label_w + 2 * g->gap, y > g->pad ? y : g->pad, title, 1);
}

static long legend_width(const figure *g)
{
	long w = 0;
	for (size_t c = 0; c < 3; c++)
		w += g->cap + g->cw + 2 * g->cw +
		     text_width(g, g->p->labels[c] ? g->p->labels[c] : "");
	return w;
}

static void legend_items(figure *g, long x, long y)
{
	static const uint8_t rgb[3][3] = { { 255, 0, 0 }, { 0, 255, 0 }, { 0, 0, 255 } };
	const tfr_picture_params *p = g->p;
	for (size_t c = 0; c < 3; c++) {
		fill(g, x, y, g->cap, g->cap, black);
		fill(g, x + 1, y + 1, g->cap - 2, g->cap - 2, rgb[c]);
		x += g->cap + g->cw;
		const char *s = p->labels[c] ? p->labels[c] : "";
		text(g, x, y, s, 0);
		x += text_width(g, s) + 2 * g->cw;
	}
}

/* Font and spacings in font pixels, so that all grows together; the
 * panels' vertical geometry. */
static void metrics(figure *g, plot_box *b)
{
	const tfr_picture_params *p = g->p;
	b->W = (long)p->width;
	b->H = (long)p->height;
	b->np = p->rgb ? 1 : (long)p->nlayers;
	long s = p->font_scale ? p->font_scale
	                       : auto_scale(b->W < b->H * b->np ? b->W : b->H * b->np);
	g->s = s;
	g->cw = TFR_FONT_ADVANCE * s;
	g->gh = TFR_FONT_HEIGHT * s;
	g->cap = TFR_FONT_ASCENT * s;
	g->pad = 4 * s;
	g->gap = 3 * s;
	g->tick = 4 * s;
	/* between panels: two frame lines, a label, half a tick label */
	long panel_gap = 2 + g->gh + 2 * g->gap + g->cap / 2;
	b->step = b->H + panel_gap;
	b->stack_h = b->np * b->H + (b->np - 1) * panel_gap;
}

typedef struct {
	axis_ticks freq, time, level;
	int absolute;          /* the level scale is dBFS */
} all_ticks;

/* Ticks far enough apart for their labels: a few lines on the vertical
 * axes, the widest label and three characters on the time axis. */
static void make_all_ticks(figure *g, const plot_box *b, all_ticks *t)
{
	const tfr_picture_params *p = g->p;
	t->freq.axis = (tfr_axis){ p->freq_first, p->freq_last, p->height, p->freq_scale };
	double fhi = fmax(fabs(tfr_axis_edge_first(&t->freq.axis)),
	                  fabs(tfr_axis_edge_last(&t->freq.axis)));
	t->freq.khz = p->freq_scale == TFR_AXIS_LINEAR && fhi >= 2000;
	make_ticks(g, &t->freq, 3.0 * (double)g->gh, 1);
	t->time.axis = (tfr_axis){ p->time_first, p->time_last, p->width, TFR_AXIS_LINEAR };
	make_ticks(g, &t->time, 6.0 * (double)g->cw, 0);
	if (t->time.label_w + 3 * g->cw > 6 * g->cw)
		make_ticks(g, &t->time, (double)(t->time.label_w + 3 * g->cw), 0);
	double top;
	t->absolute = tfr_picture_level_top(p, &top);
	t->level.axis = (tfr_axis){ top, top - p->range_db, (size_t)b->stack_h,
	                            TFR_AXIS_LINEAR };
	make_ticks(g, &t->level, 2.5 * (double)g->gh, 0);
}

static void panel_items(figure *g, const plot_box *b, int labelled)
{
	for (long k = 0; k < b->np; k++) {
		long top = b->y0 + k * b->step;
		item *it = push(g, PANEL, b->x0, top, b->W, b->H);
		if (it)
			it->layer = (size_t)k;
		draw_frame(g, b->x0, top, b->W, b->H);
		if (labelled && g->p->labels[k])
			text(g, b->x0, top - 1 - g->s - g->gh, g->p->labels[k], 0);
	}
}

static int layout(figure *g)
{
	const tfr_picture_params *p = g->p;
	plot_box b = { 0 };
	all_ticks t = { 0 };
	metrics(g, &b);
	make_all_ticks(g, &b, &t);
	int titled = p->title && *p->title, legend = p->rgb && p->labels;
	int labelled = is_stacked(p) && p->labels;
	/* left to right: axis title, labels, ticks, plot, bar, labels, title */
	b.x0 = g->pad + g->gh + 2 * g->gap + t.freq.label_w + g->gap + g->tick + 1;
	long bar_x = b.x0 + b.W + 1 + 2 * g->cw, bar_w = 2 * g->cw;
	b.total_w = bar_x + bar_w + 1 + g->tick + g->gap + t.level.label_w +
	            2 * g->gap + g->gh + g->pad;
	/* top to bottom: title, legend, (label,) plot, ticks, labels, title */
	long title_y = g->pad;
	long legend_y = title_y + (titled ? g->gh + 2 * g->gap : 0);
	long y = legend_y + (legend ? g->gh + 2 * g->gap : 0);
	b.y0 = y + (labelled ? g->gh + 2 * g->s : (g->cap + 1) / 2) + 1;
	long ylab = b.y0 + b.stack_h + 1 + g->tick + g->gap;
	long total_h = ylab + 2 * g->gh + g->gap + g->pad;
	/* room for whatever is longer than the plot: the title and legend
	   across, the axis titles (turned) down */
	long wide = titled ? text_width(g, p->title) : 0;
	if (legend)
		wide = wide > legend_width(g) ? wide : legend_width(g);
	if (wide + 2 * g->pad > b.total_w)
		b.total_w = wide + 2 * g->pad;
	long tall = text_width(g, "dBFS") + 2 * g->pad;
	if (tall > total_h)
		total_h = tall;

	panel_items(g, &b, labelled);
	if (titled) {
		long w = text_width(g, p->title), x = b.x0 + b.W / 2 - w / 2;
		if (x + w > b.total_w - g->pad)
			x = b.total_w - g->pad - w;
		text(g, x > g->pad ? x : g->pad, title_y, p->title, 0);
	}
	if (legend)
		legend_items(g, b.x0, legend_y);
	freq_axis_items(g, &b, &t.freq);
	time_axis_items(g, &b, &t.time, ylab);
	bar_items(g, &b, &t.level, bar_x, bar_w, t.absolute);
	free(t.freq.ticks);
	free(t.time.ticks);
	free(t.level.ticks);

	g->fr = (tfr_picture_frame){ (size_t)b.total_w, (size_t)total_h,
	                             (size_t)b.x0, (size_t)b.y0, (size_t)b.step,
	                             (size_t)b.np, (int)g->s };
	if (b.total_w > 0x7fffffff || total_h > 0x7fffffff)
		return TFR_EINVAL;
	return g->nomem ? TFR_ENOMEM : TFR_OK;
}

/* ---- drawing, one row at a time ---- */

static void put_pixels(uint8_t *row, long width, long x, long n,
                       const uint8_t rgb[3])
{
	for (long i = 0; i < n; i++)
		if (x + i >= 0 && x + i < width)
			memcpy(row + 3 * (x + i), rgb, 3);
}

static void draw_text_row(const figure *g, const item *it, long y,
                          uint8_t *row, long width)
{
	long s = g->s, r = (y - it->y) / s;
	size_t n = strlen(it->text);
	if (!it->upward) {
		for (size_t i = 0; i < n; i++) {
			unsigned bits = tfr_font_row((unsigned char)it->text[i], (int)r);
			for (int c = 0; c < TFR_FONT_WIDTH; c++)
				if (bits & (1u << (TFR_FONT_WIDTH - 1 - c)))
					put_pixels(row, width,
					           it->x + ((long)i * TFR_FONT_ADVANCE + c) * s, s,
					           it->rgb);
		}
		return;
	}
	/* reading upwards: the text's column u is this row, its rows go
	   left to right */
	long u = (long)(TFR_FONT_ADVANCE * n - 1) - 1 - r;
	long i = u / TFR_FONT_ADVANCE, c = u % TFR_FONT_ADVANCE;
	if (u < 0 || c >= TFR_FONT_WIDTH)
		return;
	for (int v = 0; v < TFR_FONT_HEIGHT; v++)
		if (tfr_font_row((unsigned char)it->text[i], v) &
		    (1u << (TFR_FONT_WIDTH - 1 - c)))
			put_pixels(row, width, it->x + v * s, s, it->rgb);
}

static void draw_panel_row(const figure *g, const item *it, long y,
                           uint8_t *row)
{
	const tfr_picture_params *p = g->p;
	size_t h = p->height, r = (size_t)(y - it->y), nf = tfr_picture_filled(p);
	uint8_t *o = row + 3 * it->x;
	for (size_t x = 0; x < p->width; x++, o += 3) {
		if (p->rgb) {
			for (int c = 0; c < 3; c++)
				o[c] = x < nf ? (uint8_t)lrint(255 * tfr_level_db(p->layers[c][x * h + r],
				                                                  g->ref[c], p->range_db)) : 0;
		} else if (x < nf && g->steps) {
			size_t l = it->layer;
			memcpy(o, tfr_level_steps_rgb(g->steps[l], p->layers[l][x * h + r]), 3);
		} else if (x < nf) {
			size_t l = it->layer;
			tfr_colormap_rgb(p->colormap, tfr_level_db(p->layers[l][x * h + r],
			                                           g->ref[l], p->range_db), o);
		}
		if (p->overlay && x < nf && p->overlay[x * h + r] > 0)
			memcpy(o, p->overlay_rgb, 3);
		if (x >= nf)
			tfr_picture_past_end_rgb(x, (size_t)y, o);
	}
}

static void draw_bar_row(const figure *g, const item *it, long y, uint8_t *row)
{
	double t = it->h > 1 ? 1 - (double)(y - it->y) / (double)(it->h - 1) : 1;
	uint8_t rgb[3];
	if (g->p->rgb)
		rgb[0] = rgb[1] = rgb[2] = (uint8_t)lrint(255 * t);
	else
		tfr_colormap_rgb(g->p->colormap, t, rgb);
	put_pixels(row, (long)g->fr.width, it->x, it->w, rgb);
}

static void draw_row(const figure *g, long y, uint8_t *row)
{
	long width = (long)g->fr.width;
	memset(row, 255, (size_t)width * 3);
	for (size_t i = 0; i < g->n; i++) {
		const item *it = &g->items[i];
		if (y < it->y || y >= it->y + it->h)
			continue;
		switch (it->kind) {
		case PANEL: draw_panel_row(g, it, y, row); break;
		case BAR: draw_bar_row(g, it, y, row); break;
		case FILL: put_pixels(row, width, it->x, it->w, it->rgb); break;
		default: draw_text_row(g, it, y, row, width); break;
		}
	}
}

/* ---- the public face ---- */

int tfr_picture_figure_check(const tfr_picture_params *p, tfr_diag *d)
{
	int e = tfr_picture_check(p, d);
	if (e)
		return e;
	tfr_axis t = { p->time_first, p->time_last, p->width, TFR_AXIS_LINEAR };
	tfr_axis f = { p->freq_first, p->freq_last, p->height, p->freq_scale };
	if (!tfr_axis_valid(&t))
		return tfr_diag_set(d, TFR_EINVAL, "a figure needs 2 columns or more "
		                    "and distinct finite times of the first and last");
	if (!tfr_axis_valid(&f))
		return tfr_diag_set(d, TFR_EINVAL, "a figure needs 2 rows or more and "
		                    "distinct finite frequencies of the first and last "
		                    "(> 0 on a log axis)");
	if (p->font_scale < 0 || p->font_scale > 8)
		return tfr_diag_set(d, TFR_EINVAL, "font scale out of [0, 8]");
	return TFR_OK;
}

static void figure_free(figure *g)
{
	for (size_t i = 0; g->steps && i < g->p->nlayers; i++)
		tfr_level_steps_free(g->steps[i]);
	free(g->steps);
	free(g->items);
	free(g->ref);
}

/* Lay out p's figure into g. */
static int figure_make(figure *g, const tfr_picture_params *p, tfr_diag *d)
{
	memset(g, 0, sizeof *g);
	g->p = p;
	int e = tfr_picture_figure_check(p, d);
	if (e)
		return e;
	if (!(g->ref = malloc(p->nlayers * sizeof *g->ref)))
		return tfr_diag_set(d, TFR_ENOMEM, NULL);
	for (size_t i = 0; i < p->nlayers; i++)
		g->ref[i] = tfr_picture_layer_ref(p, i);
	e = layout(g);
	if (e == TFR_EINVAL)
		return tfr_diag_set(d, e, "figure too large for PNG");
	return e ? tfr_diag_set(d, e, NULL) : TFR_OK;
}

int tfr_picture_frame_of(const tfr_picture_params *p, tfr_picture_frame *fr,
                         tfr_diag *d)
{
	tfr_diag_clear(d);
	figure g;
	int e = figure_make(&g, p, d);
	if (!e)
		*fr = g.fr;
	figure_free(&g);
	return e;
}

/* The panels' colours as steps over each layer's values: a log10 and
 * a colour map a pixel were a third of a plain spectrogram's work.
 * Finding the steps costs some 20 000 of those (4.5 M instructions a
 * layer), so a panel of fewer pixels than about that many is coloured
 * pixel by pixel, as before: the same colours either way. */
static int figure_colours(figure *g, tfr_diag *d)
{
	const tfr_picture_params *p = g->p;
	if (p->rgb || p->width * p->height < 32768)
		return TFR_OK;
	if (!(g->steps = calloc(p->nlayers, sizeof *g->steps)))
		return tfr_diag_set(d, TFR_ENOMEM, NULL);
	for (size_t i = 0; i < p->nlayers; i++)
		if (!(g->steps[i] = tfr_level_steps_new(p->colormap, g->ref[i], p->range_db)))
			return tfr_diag_set(d, TFR_ENOMEM, NULL);
	return TFR_OK;
}

/* The text chunks: PNG's own keywords, the geometry, the caller's. */
static tfr_meta *chunks(const figure *g)
{
	const tfr_picture_params *p = g->p;
	char soft[64];
	snprintf(soft, sizeof soft, "tfr %s", tfr_version());
	tfr_meta *m = tfr_meta_new();
	int e = m ? tfr_meta_set(m, "Software", soft) : TFR_ENOMEM;
	if (!e && p->title && *p->title)
		e = tfr_meta_set(m, "Title", p->title);
	if (!e)
		e = tfr_picture_geometry(p, &g->fr, m);
	if (!e && p->text)
		e = tfr_meta_copy(m, p->text);
	if (e) {
		tfr_meta_free(m);
		return NULL;
	}
	return m;
}

int tfr_picture_write_figure(FILE *f, const tfr_picture_params *p,
                             tfr_diag *d)
{
	tfr_diag_clear(d);
	figure g;
	int e = figure_make(&g, p, d);
	if (!e)
		e = figure_colours(&g, d);
	tfr_meta *m = NULL;
	uint8_t *row = NULL;
	tfr_png *png = NULL;
	if (e)
		goto done;
	m = chunks(&g);
	row = malloc(g.fr.width * 3);
	if (!m || !row) {
		e = tfr_diag_set(d, TFR_ENOMEM, NULL);
		goto done;
	}
	if ((e = tfr_png_open_text(&png, f, g.fr.width, g.fr.height, m))) {
		tfr_diag_set(d, e, e == TFR_EINVAL ? "bad text chunk key" : NULL);
		goto done;
	}
	/* a figure is mostly a spectrogram's noise (the bare picture keeps
	   the bytes it promises) */
	e = tfr_png_set_fast(png);
	for (size_t y = 0; y < g.fr.height && !e; y++) {
		draw_row(&g, (long)y, row);
		e = tfr_png_write_row(png, row);
	}
	int e2 = tfr_png_close(png);
	png = NULL;
	if (!e)
		e = e2;
	if (e)
		tfr_diag_set(d, e, NULL);
done:
	tfr_png_close(png);
	tfr_meta_free(m);
	free(row);
	figure_free(&g);
	return e;
}
