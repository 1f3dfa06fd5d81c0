/*
 * colormap.c - colour maps for pictures: the degree-6 polynomial fits
 * (Matt Zucker, CC0) of matplotlib's perceptual inferno and viridis (van
 * der Walt & Smith), which stay within about 1/255 of the tables; grey
 * levels, light for loud (gray) or dark for loud on white paper (print).
 */
#include "tfr_base.h"
#include "tfr_picture.h"

#include <math.h>
#include <string.h>

static const double inferno[7][3] = {
	{0.0002189403691192265, 0.001651004631001012, -0.01948089843709184},
	{0.1065134194856116, 0.5639564367884091, 3.932712388889277},
	{11.60249308247187, -3.972853965665698, -15.9423941062914},
	{-41.70399613139459, 17.43639888205313, 44.35414519872813},
	{77.162935699427, -33.40235894210092, -81.80730925738993},
	{-71.31942824499214, 32.62606426397723, 73.20951985803202},
	{25.13112622477341, -12.24266895238567, -23.07032500287172}};

static const double viridis[7][3] = {
	{0.2777273272234177, 0.005407344544966578, 0.3340998053353061},
	{0.1050930431085774, 1.404613529898575, 1.384590162594685},
	{-0.3308618287255563, 0.214847559468213, 0.09509516302823659},
	{-4.634230498983486, -5.799100973351585, -19.33244095627987},
	{6.228269936347081, 14.17993336680509, 56.69055260068105},
	{4.776384997670288, -13.74514537774601, -65.35303263337234},
	{-5.435455855934631, 4.645852612178535, 26.3124352495832}};

static uint8_t to8(double v)
{
	if (!(v > 0))
		return 0;
	if (v >= 1)
		return 255;
	return (uint8_t)lrint(v * 255);
}

void tfr_colormap_rgb(tfr_colormap map, double t, uint8_t rgb[3])
{
	if (!(t > 0))
		t = 0;
	if (t > 1)
		t = 1;
	if (map == TFR_COLORMAP_GRAY || map == TFR_COLORMAP_PRINT) {
		rgb[0] = rgb[1] = rgb[2] = to8(map == TFR_COLORMAP_GRAY ? t : 1 - t);
		return;
	}
	const double (*c)[3] = map == TFR_COLORMAP_VIRIDIS ? viridis : inferno;
	for (int ch = 0; ch < 3; ch++) {
		double v = c[6][ch];
		for (int i = 5; i >= 0; i--)
			v = c[i][ch] + t * v;  /* Horner */
		rgb[ch] = to8(v);
	}
}

int tfr_colormap_parse(const char *name, tfr_colormap *map)
{
	if (!strcmp(name, "inferno"))
		*map = TFR_COLORMAP_INFERNO;
	else if (!strcmp(name, "viridis"))
		*map = TFR_COLORMAP_VIRIDIS;
	else if (!strcmp(name, "gray") || !strcmp(name, "grey"))
		*map = TFR_COLORMAP_GRAY;
	else if (!strcmp(name, "print"))
		*map = TFR_COLORMAP_PRINT;
	else
		return TFR_EINVAL;
	return TFR_OK;
}

double tfr_level_db(double v, double vmax, double range_db)
{
	if (!(v > 0) || !(vmax > 0) || !(range_db > 0))
		return 0;
	double t = 1 + 10 * log10(v / vmax) / range_db;
	return t < 0 ? 0 : t > 1 ? 1 : t;
}
