/*
 * picture_meta.c - what a picture or matrix says about itself
 * (tfr_picture.h): its geometry and level scale as key=value text, for
 * PNG text chunks and the sidecar of a .npy matrix, so that a reader can
 * map any pixel or element back to seconds, hertz and decibels.
 */
#include "tfr_base.h"
#include "tfr_meta.h"
#include "tfr_picture.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

static double full_scale_of(const tfr_picture_params *p, size_t i)
{
	double fs = p->full_scales ? p->full_scales[i] : p->full_scale;
	return fs > 0 ? fs : 1;
}

int tfr_picture_level_top(const tfr_picture_params *p, double *top_db)
{
	*top_db = 0;
	if (!p->dbfs)
		return 0;
	/* one absolute scale: a fixed reference, references at one level,
	   or one layer (its maximum) */
	if (p->ref <= 0 && !p->refs && p->nlayers != 1)
		return 0;
	double top = 0;
	for (size_t i = 0; i < p->nlayers; i++) {
		double ref = tfr_picture_layer_ref(p, i);
		if (!(ref > 0))
			return 0;
		double t = 10 * log10(ref / full_scale_of(p, i));
		if (i > 0 && !(fabs(t - top) <= 1e-9 * fmax(1, fabs(top))))
			return 0;
		top = i ? top : t;
	}
	*top_db = top;
	return 1;
}

/* key = the shortest decimal that reads back as v */
static int set_num(tfr_meta *m, const char *key, double v)
{
	char buf[40];
	return tfr_meta_set(m, key, tfr_tick_label(v, 0, buf, sizeof buf));
}

static const char *layout_name(const tfr_picture_params *p)
{
	return p->rgb ? "rgb" : p->nlayers > 1 ? "stacked" : "single";
}

/* time_first .. layers */
static int axes(const tfr_picture_params *p, tfr_meta *m)
{
	int e = set_num(m, "time_first", p->time_first);
	if (!e) e = set_num(m, "time_last", p->time_last);
	if (!e) e = set_num(m, "freq_first", p->freq_first);
	if (!e) e = set_num(m, "freq_last", p->freq_last);
	if (!e) e = tfr_meta_set(m, "freq_axis",
	                         p->freq_scale == TFR_AXIS_LOG ? "log" : "linear");
	if (!e) e = set_num(m, "columns", (double)p->width);
	if (!e) e = set_num(m, "rows", (double)p->height);
	if (!e) e = set_num(m, "layers", (double)p->nlayers);
	return e;
}

static int labels(const tfr_picture_params *p, tfr_meta *m)
{
	int e = TFR_OK;
	for (size_t i = 0; p->labels && i < p->nlayers && !e; i++)
		e = tfr_meta_add(m, "label", p->labels[i] ? p->labels[i] : "");
	return e;
}

int tfr_picture_matrix_geometry(const tfr_picture_params *p, tfr_meta *m)
{
	int e = axes(p, m);
	return e ? e : labels(p, m);
}

int tfr_picture_geometry(const tfr_picture_params *p,
                         const tfr_picture_frame *fr, tfr_meta *m)
{
	char num[40];
	double top;
	int absolute = tfr_picture_level_top(p, &top);
	int e = axes(p, m);
	if (!e) e = tfr_meta_set(m, "layout", layout_name(p));
	if (!e) e = labels(p, m);
	if (!e) e = tfr_meta_set(m, "level_unit", absolute ? "dBFS" : "dB");
	if (!e) e = tfr_meta_set(m, "level_ref", p->ref > 0 ? "fixed" : "max");
	if (!e) e = set_num(m, "level_top", absolute ? round(top * 1e6) / 1e6 : 0);
	if (!e) e = set_num(m, "level_range", p->range_db);
	for (size_t i = 0; absolute && i < p->nlayers && !e; i++)
		if (p->full_scales || (i == 0 && full_scale_of(p, 0) != 1))
			e = tfr_meta_add(m, "full_scale",
			                 tfr_tick_label(full_scale_of(p, i), 0, num, sizeof num));
	if (!e) e = set_num(m, "plot_x", fr ? (double)fr->plot_x : 0);
	if (!e) e = set_num(m, "plot_y", fr ? (double)fr->plot_y : 0);
	if (!e && !p->rgb && p->nlayers > 1)
		e = set_num(m, "panel_step", fr ? (double)fr->panel_step : (double)p->height);
	return e;
}

int tfr_picture_sidecar_write(FILE *f, const tfr_meta *m)
{
	if (fputs("# tfr matrix geometry 1\n", f) == EOF)
		return TFR_EIO;
	for (size_t i = 0; i < tfr_meta_count(m); i++) {
		if (fprintf(f, "%s=", tfr_meta_key(m, i)) < 0)
			return TFR_EIO;
		for (const char *v = tfr_meta_value(m, i); *v; v++)
			if (putc(*v == '\n' || *v == '\r' ? ' ' : *v, f) == EOF)
				return TFR_EIO;
		if (putc('\n', f) == EOF)
			return TFR_EIO;
	}
	return fflush(f) == 0 ? TFR_OK : TFR_EIO;
}
