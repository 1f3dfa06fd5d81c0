/*
 * picture.c - time-frequency matrices as bare PNG pictures (tfr_picture.h):
 * a level per value on a dB scale below a reference, through a colour
 * map (panels) or as the grey level of one colour (RGB of three layers,
 * Gardner & Magnasco's picture of several q). The figure around a matrix
 * is picture_figure.c's.
 */
#include "tfr_base.h"
#include "tfr_picture.h"
#include "tfr_png.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

void tfr_picture_params_default(tfr_picture_params *p)
{
	memset(p, 0, sizeof *p);
	p->range_db = 80;
	p->colormap = TFR_COLORMAP_INFERNO;
	p->freq_scale = TFR_AXIS_LINEAR;
	tfr_picture_overlay_rgb(p->colormap, p->overlay_rgb);
}

void tfr_picture_past_end_rgb(size_t x, size_t y, uint8_t rgb[3])
{
	uint8_t v = (x + y) % 8 < 3 ? 150 : 100;
	rgb[0] = rgb[1] = rgb[2] = v;
}

void tfr_picture_overlay_rgb(tfr_colormap map, uint8_t rgb[3])
{
	int red = map == TFR_COLORMAP_GRAY || map == TFR_COLORMAP_PRINT;
	rgb[0] = red ? 255 : 0;
	rgb[1] = red ? 0 : 255;
	rgb[2] = red ? 0 : 255;
}

int tfr_picture_check(const tfr_picture_params *p, tfr_diag *d)
{
	if (!p->layers || p->nlayers < 1)
		return tfr_diag_set(d, TFR_EINVAL, "no layers");
	if (p->rgb && p->nlayers != 3)
		return tfr_diag_set(d, TFR_EINVAL, "an RGB picture takes 3 layers");
	if (p->width < 1 || p->height < 1)
		return tfr_diag_set(d, TFR_EINVAL, "empty picture");
	if (p->width > 0x7fffffff || p->height > 0x7fffffff / p->nlayers)
		return tfr_diag_set(d, TFR_EINVAL, "picture too large for PNG");
	if (!(p->range_db > 0 && p->range_db <= 1000))
		return tfr_diag_set(d, TFR_EINVAL, "dynamic range out of (0, 1000] dB");
	if (!(p->ref >= 0) || !isfinite(p->ref))
		return tfr_diag_set(d, TFR_EINVAL, "bad reference level");
	return TFR_OK;
}

size_t tfr_picture_filled(const tfr_picture_params *p)
{
	return p->filled && p->filled < p->width ? p->filled : p->width;
}

/* The largest value of a layer (0 for none above 0; NaN skipped), in
 * eight lanes of floats: a max is exact in floats, and lanes the
 * compiler turns into vector maxima (a figure asks for it three times,
 * 3 % of a plain spectrogram done one value at a time). */
static double layer_max(const float *v, size_t n)
{
	float lane[8] = { 0 };
	size_t i = 0;
	for (; i + 8 <= n; i += 8)
		for (int k = 0; k < 8; k++)
			lane[k] = v[i + k] > lane[k] ? v[i + k] : lane[k];
	for (; i < n; i++)
		lane[0] = v[i] > lane[0] ? v[i] : lane[0];
	float m = 0;
	for (int k = 0; k < 8; k++)
		m = lane[k] > m ? lane[k] : m;
	return m;
}

double tfr_picture_layer_ref(const tfr_picture_params *p, size_t i)
{
	if (p->ref > 0) {
		double fs = p->full_scales ? p->full_scales[i] : p->full_scale;
		return fs > 0 ? p->ref * fs : p->ref;
	}
	return p->refs ? p->refs[i] : layer_max(p->layers[i], tfr_picture_filled(p) * p->height);
}

int tfr_picture_page(const tfr_picture_params *p, size_t x0, size_t x1,
                     const float **layers, const double *refs,
                     tfr_picture_params *page, tfr_diag *d)
{
	tfr_diag_clear(d);
	int e = tfr_picture_check(p, d);
	if (e)
		return e;
	if (!(x0 < x1 && x1 <= p->width))
		return tfr_diag_set(d, TFR_EINVAL, "page columns outside the matrix");
	*page = *p;
	for (size_t i = 0; i < p->nlayers; i++)
		layers[i] = p->layers[i] + x0 * p->height;
	page->layers = layers;
	page->refs = refs;
	page->width = x1 - x0;
	page->filled = 0;
	/* column x of the matrix, on its time axis */
	double dt = p->width > 1 ? (p->time_last - p->time_first) / (double)(p->width - 1) : 0;
	page->time_first = p->time_first + (double)x0 * dt;
	page->time_last = p->time_first + (double)(x1 - 1) * dt;
	return TFR_OK;
}

int tfr_picture_write_png(FILE *f, const tfr_picture_params *p, tfr_diag *d)
{
	tfr_diag_clear(d);
	int e = tfr_picture_check(p, d);
	if (e != TFR_OK)
		return e;
	size_t w = p->width, h = p->height, nl = p->nlayers, nf = tfr_picture_filled(p);
	size_t panels = p->rgb ? 1 : nl;
	double *ref = malloc(nl * sizeof *ref);
	uint8_t *row = calloc(w, 3);
	tfr_png *png = NULL;
	if (!ref || !row) {
		e = tfr_diag_set(d, TFR_ENOMEM, NULL);
		goto done;
	}
	for (size_t i = 0; i < nl; i++)
		ref[i] = tfr_picture_layer_ref(p, i);
	if ((e = tfr_png_open_text(&png, f, w, h * panels, p->text)) != TFR_OK) {
		tfr_diag_set(d, e, NULL);
		goto done;
	}
	for (size_t b = 0; b < panels && !e; b++)
		for (size_t y = 0; y < h && !e; y++) {
			for (size_t x = 0; x < w; x++) {
				if (p->rgb) {
					for (int c = 0; c < 3; c++) {
						double t = x < nf ? tfr_level_db(p->layers[c][x * h + y],
						                                 ref[c], p->range_db) : 0;
						row[3 * x + (size_t)c] = (uint8_t)lrint(255 * t);
					}
				} else {
					tfr_colormap_rgb(p->colormap, x < nf ?
					                 tfr_level_db(p->layers[b][x * h + y],
					                              ref[b], p->range_db) : 0,
					                 row + 3 * x);
				}
				if (p->overlay && x < nf && p->overlay[x * h + y] > 0)
					memcpy(row + 3 * x, p->overlay_rgb, 3);
				if (x >= nf)
					tfr_picture_past_end_rgb(x, b * h + y, row + 3 * x);
			}
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
	free(ref);
	free(row);
	return e;
}
