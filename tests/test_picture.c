/*
 * test_picture.c - pictures (tfr_picture.h, tfr_splat.h): ticks on round
 * values for linear and log axes over many ranges; the built-in font,
 * every printable character within its cell; levels against dB
 * arithmetic; records splatted onto the pixels the axes say; a figure
 * decoded back with libpng (energy where the matrix puts it, the frame,
 * ticks and colour bar where they belong, the geometry chunks); the
 * sidecar; and the bare picture byte for byte as it was before figures
 * existed.
 *
 * With arguments it is the PNG inspector of tests/tool_image.sh:
 *   test_picture dump FILE [X Y]...
 * prints "size W H", "pixels DIGEST" (FNV-1a 64 of the RGB rows), every
 * text chunk as "key=value", and "pixel X Y R G B" for each X Y.
 */
#include "level_steps.h"  /* the figure's colours, private to libtfr */
#include "testutil.h"
#include "tfr.h"

#include <float.h>
#include <math.h>
#include <png.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* ---- a decoded PNG ---- */

typedef struct {
	size_t w, h;
	uint8_t *rgb;           /* w * h * 3 */
	char **keys, **values;
	size_t ntext;
} image;

static void image_free(image *im)
{
	free(im->rgb);
	for (size_t i = 0; i < im->ntext; i++) {
		free(im->keys[i]);
		free(im->values[i]);
	}
	free(im->keys);
	free(im->values);
	memset(im, 0, sizeof *im);
}

static char *dup_text(const char *s, size_t n)
{
	char *d = malloc(n + 1);
	memcpy(d, s, n);
	d[n] = 0;
	return d;
}

/* Decode an 8-bit RGB PNG from f (at its start). 0 on success. */
static int image_read(FILE *f, image *im)
{
	memset(im, 0, sizeof *im);
	png_structp png = png_create_read_struct(PNG_LIBPNG_VER_STRING, NULL, NULL, NULL);
	png_infop info = png ? png_create_info_struct(png) : NULL;
	if (!info)
		return -1;
	if (setjmp(png_jmpbuf(png))) {
		png_destroy_read_struct(&png, &info, NULL);
		return -1;
	}
	png_init_io(png, f);
	png_set_user_limits(png, 0x7fffffff, 0x7fffffff);
	png_read_png(png, info, PNG_TRANSFORM_IDENTITY, NULL);
	if (png_get_color_type(png, info) != PNG_COLOR_TYPE_RGB ||
	    png_get_bit_depth(png, info) != 8) {
		png_destroy_read_struct(&png, &info, NULL);
		return -1;
	}
	im->w = png_get_image_width(png, info);
	im->h = png_get_image_height(png, info);
	im->rgb = malloc(im->w * im->h * 3);
	png_bytepp rows = png_get_rows(png, info);
	for (size_t y = 0; y < im->h; y++)
		memcpy(im->rgb + y * im->w * 3, rows[y], im->w * 3);
	png_textp text;
	int n = 0;
	png_get_text(png, info, &text, &n);
	im->ntext = (size_t)n;
	im->keys = calloc(im->ntext + 1, sizeof *im->keys);
	im->values = calloc(im->ntext + 1, sizeof *im->values);
	for (int i = 0; i < n; i++) {
		size_t len = text[i].compression == PNG_ITXT_COMPRESSION_NONE
		             ? text[i].itxt_length : text[i].text_length;
		im->keys[i] = dup_text(text[i].key, strlen(text[i].key));
		im->values[i] = dup_text(text[i].text, len);
	}
	png_destroy_read_struct(&png, &info, NULL);
	return 0;
}

static const uint8_t *pixel(const image *im, size_t x, size_t y)
{
	static const uint8_t none[3] = { 1, 2, 3 };
	return x < im->w && y < im->h ? im->rgb + (y * im->w + x) * 3 : none;
}

static const char *text_of(const image *im, const char *key)
{
	for (size_t i = 0; i < im->ntext; i++)
		if (!strcmp(im->keys[i], key))
			return im->values[i];
	return NULL;
}

static double number_of(const image *im, const char *key)
{
	const char *v = text_of(im, key);
	return v ? atof(v) : NAN;
}

static int same_rgb(const uint8_t *a, const uint8_t *b)
{
	return a[0] == b[0] && a[1] == b[1] && a[2] == b[2];
}

static int dump(int argc, char **argv)
{
	FILE *f = fopen(argv[2], "rb");
	image im;
	if (!f || image_read(f, &im) != 0) {
		fprintf(stderr, "test_picture: %s: not an 8-bit RGB PNG\n", argv[2]);
		return 1;
	}
	fclose(f);
	printf("size %zu %zu\n", im.w, im.h);
	uint64_t h = 1469598103934665603ull;
	for (size_t i = 0; i < im.w * im.h * 3; i++)
		h = (h ^ im.rgb[i]) * 1099511628211ull;
	printf("pixels %016llx\n", (unsigned long long)h);
	for (size_t i = 0; i < im.ntext; i++)
		printf("%s=%s\n", im.keys[i], im.values[i]);
	for (int i = 3; i + 1 < argc; i += 2) {
		size_t x = (size_t)atol(argv[i]), y = (size_t)atol(argv[i + 1]);
		const uint8_t *p = pixel(&im, x, y);
		printf("pixel %zu %zu %d %d %d\n", x, y, p[0], p[1], p[2]);
	}
	image_free(&im);
	return 0;
}

/* ---- the bare picture, as before figures ---- */

static uint64_t fnv1a(FILE *f, long *len)
{
	rewind(f);
	uint64_t h = 1469598103934665603ull;
	int c;
	*len = 0;
	while ((c = getc(f)) != EOF) {
		h = (h ^ (unsigned)c) * 1099511628211ull;
		(*len)++;
	}
	return h;
}

/*
 * The digests (FNV-1a 64 and length) of tfr_picture_write_png's output
 * for four fixed matrices, recorded with the code before the figure
 * existed (commit aadbcaf, Debian 12: libpng 1.6.39, zlib 1.2.13):
 * tfr-hyper's --bare promises these bytes.
 */
static void bare_unchanged(void)
{
	enum { W = 37, H = 23 };
	static float L[3][W * H];
	for (int l = 0; l < 3; l++)
		for (int x = 0; x < W; x++)
			for (int y = 0; y < H; y++) {
				unsigned v = (unsigned)(x * 7 + y * 13 + l * 5) % 17;
				L[l][x * H + y] = v == 0 ? 0.0f : (float)(v * v) * 1e-3f * (float)(l + 1);
			}
	L[0][5 * H + 7] = 2.0f;
	const float *layers[3] = { L[0], L[1], L[2] };
	static const struct {
		size_t n;
		int rgb;
		tfr_colormap map;
		double range, ref;
		long len;
		uint64_t fnv;
	} cases[] = {
		{ 1, 0, TFR_COLORMAP_INFERNO, 80, 0, 298, 0x27925357ac8db202ull },
		{ 3, 1, TFR_COLORMAP_INFERNO, 80, 0, 285, 0xa4fde34dc0b6354bull },
		{ 2, 0, TFR_COLORMAP_VIRIDIS, 40, 0, 528, 0xa9e5dbad40510cbbull },
		{ 1, 0, TFR_COLORMAP_GRAY, 30, 0.5, 277, 0x5ab479ba321d8df6ull },
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		tfr_picture_params p;
		tfr_picture_params_default(&p);
		p.width = W;
		p.height = H;
		p.layers = layers;
		p.nlayers = cases[i].n;
		p.rgb = cases[i].rgb;
		p.colormap = cases[i].map;
		p.range_db = cases[i].range;
		p.ref = cases[i].ref;
		FILE *f = tmpfile();
		tfr_diag d;
		CHECK("bare write", tfr_picture_write_png(f, &p, &d) == TFR_OK);
		fflush(f);
		long len;
		uint64_t h = fnv1a(f, &len);
		CHECK_NEAR("bare length", len, cases[i].len, 0);
		if (!CHECK("bare bytes as before", h == cases[i].fnv))
			fprintf(stderr, "case %zu: fnv 0x%016llx\n", i, (unsigned long long)h);
		fclose(f);
	}
	printf("bare: 4 pictures byte-identical to the recorded digests\n");
}

/* ---- ticks ---- */

/* 1 when s is 1, 2 or 5 times a power of ten. */
static int nice(double s)
{
	double m = s / pow(10, floor(log10(s) + 1e-12));
	return fabs(m - 1) < 1e-9 || fabs(m - 2) < 1e-9 || fabs(m - 5) < 1e-9;
}

static double prev_nice(double s)
{
	double m = s / pow(10, floor(log10(s) + 1e-12));
	return fabs(m - 1) < 1e-9 ? s / 2 : fabs(m - 2) < 1e-9 ? s / 2 : s * 0.4;
}

/* Every major tick round, in order, inside the axis, spacing apart; the
 * next finer step would crowd them (the step is the finest that fits). */
static void check_linear_axis(double first, double last, size_t n,
                              double spacing, double *worst_gap)
{
	tfr_axis a = { first, last, n, TFR_AXIS_LINEAR };
	static tfr_tick t[20000];
	double step;
	size_t k = tfr_axis_ticks(&a, spacing, t, 20000, &step);
	char what[160];
	snprintf(what, sizeof what, "linear [%g, %g] over %zu cells", first, last, n);
	if (!CHECK(what, k >= 1 && k <= 20000 && step > 0 && nice(step)))
		return;
	double cells_per_unit = (double)(n - 1) / fabs(last - first);
	for (size_t i = 0; i < k; i++) {
		double q = t[i].value / step;
		CHECK(what, fabs(q - round(q)) < 1e-6 && t[i].major);
		CHECK(what, t[i].pos >= -0.5 - 1e-9 && t[i].pos <= (double)n - 0.5 + 1e-9);
		CHECK_NEAR(what, t[i].pos, tfr_axis_pos(&a, t[i].value), 1e-6);
		if (i) {
			double gap = t[i].pos - t[i - 1].pos;
			CHECK(what, gap >= spacing - 1e-6);
			*worst_gap = fmin(*worst_gap, gap);
		}
	}
	if ((double)n >= 5 * spacing)
		CHECK(what, k >= 2);
	/* the step is the finest 1-2-5 step that keeps the spacing (or, on
	   an axis too short for two labels, the roundest value on it) */
	if (k >= 2)
		CHECK(what, prev_nice(step) * cells_per_unit < spacing - 1e-6);
}

static int mantissa_ok(double v)
{
	double m = v / pow(10, floor(log10(v) + 1e-12));
	return fabs(m - round(m)) < 1e-9 && round(m) >= 1 && round(m) <= 9;
}

static void check_log_axis(double first, double last, size_t n, double spacing,
                           size_t *decade_axes)
{
	tfr_axis a = { first, last, n, TFR_AXIS_LOG };
	static tfr_tick t[20000];
	double step;
	size_t k = tfr_axis_ticks(&a, spacing, t, 20000, &step);
	char what[160];
	snprintf(what, sizeof what, "log [%g, %g] over %zu cells", first, last, n);
	if (!CHECK(what, k >= 1 && k <= 20000))
		return;
	size_t majors = 0;
	double last_major = NAN;
	for (size_t i = 0; i < k; i++) {
		CHECK(what, t[i].value > 0 && t[i].pos >= -0.5 - 1e-9 &&
		            t[i].pos <= (double)n - 0.5 + 1e-9);
		CHECK_NEAR(what, t[i].pos, tfr_axis_pos(&a, t[i].value), 1e-6);
		if (i)
			CHECK(what, t[i].pos > t[i - 1].pos);
		if (step == 0)
			CHECK(what, mantissa_ok(t[i].value));
		else
			CHECK(what, fabs(t[i].value / step - round(t[i].value / step)) < 1e-6);
		if (!t[i].major)
			continue;
		if (majors++)
			CHECK(what, t[i].pos - last_major >= spacing - 1e-6);
		last_major = t[i].pos;
	}
	if (step == 0)
		(*decade_axes)++;
	/* two labels at least whenever there is room for them */
	if ((double)n >= 5 * spacing)
		CHECK(what, majors >= 2);
}

static void ticks(void)
{
	double worst = INFINITY;
	size_t nlin = 0, nlog = 0, decade_axes = 0;
	uint64_t seed = 7;
	static const double spans[] = { 1e-6, 0.001, 0.37, 1, 3, 7.5, 10, 44.1,
	                                600, 3600, 22050, 1e6, 3.3e9 };
	static const size_t sizes[] = { 50, 200, 500, 1000, 4096, 413438 };
	for (size_t i = 0; i < sizeof spans / sizeof spans[0]; i++)
		for (size_t j = 0; j < sizeof sizes / sizeof sizes[0]; j++) {
			double off = (test_rand(&seed) - 0.3) * spans[i] * 3;
			double spacing = 20 + 100 * test_rand(&seed);
			double lo = off, hi = off + spans[i];
			/* centres half a cell inside the edges; both directions */
			tfr_axis e = tfr_axis_from_edges(lo, hi, sizes[j], TFR_AXIS_LINEAR);
			check_linear_axis(e.first, e.last, sizes[j], spacing, &worst);
			e = tfr_axis_from_edges(hi, lo, sizes[j], TFR_AXIS_LINEAR);
			check_linear_axis(e.first, e.last, sizes[j], spacing, &worst);
			nlin += 2;
		}
	static const double ratios[] = { 1.05, 1.5, 3, 10, 100, 1000, 1e6, 1e12 };
	for (size_t i = 0; i < sizeof ratios / sizeof ratios[0]; i++)
		for (size_t j = 0; j < sizeof sizes / sizeof sizes[0] - 1; j++) {
			double lo = 20 * pow(10, 3 * test_rand(&seed) - 1);
			double spacing = 20 + 60 * test_rand(&seed);
			tfr_axis e = tfr_axis_from_edges(lo * ratios[i], lo, sizes[j], TFR_AXIS_LOG);
			check_log_axis(e.first, e.last, sizes[j], spacing, &decade_axes);
			e = tfr_axis_from_edges(lo, lo * ratios[i], sizes[j], TFR_AXIS_LOG);
			check_log_axis(e.first, e.last, sizes[j], spacing, &decade_axes);
			nlog += 2;
		}
	/* a known case: 20 Hz to 20 kHz over 600 rows, labels 50 rows apart */
	tfr_axis a = tfr_axis_from_edges(20000, 20, 600, TFR_AXIS_LOG);
	tfr_tick t[64];
	double step;
	size_t k = tfr_axis_ticks(&a, 50, t, 64, &step), m = 0;
	double want[] = { 20000, 10000, 5000, 2000, 1000, 500, 200, 100, 50, 20 };
	for (size_t i = 0; i < k; i++)
		if (t[i].major && m < 10)
			CHECK_NEAR("20 Hz - 20 kHz ticks", t[i].value, want[m++], 1e-9);
	CHECK_NEAR("20 Hz - 20 kHz major ticks", m, 10, 0);
	/* and 0 - 22050 Hz over 500 rows: every 2 kHz */
	a = tfr_axis_from_edges(22050, 0, 500, TFR_AXIS_LINEAR);
	k = tfr_axis_ticks(&a, 40, t, 64, &step);
	CHECK_NEAR("0 - 22050 Hz step", step, 2000, 0);
	CHECK_NEAR("0 - 22050 Hz ticks", k, 12, 0);
	CHECK_NEAR("top tick 22 kHz", t[0].value, 22000, 0);
	CHECK_NEAR("last tick on the bottom edge", t[k - 1].pos, 499.5, 1e-9);
	printf("ticks: %zu linear and %zu log axes round and spaced, smallest "
	       "gap %.2f cells, %zu log axes by decades\n", nlin, nlog, worst,
	       decade_axes);

	char buf[32];
	CHECK("label 0.5", !strcmp(tfr_tick_label(0.5, 0.5, buf, sizeof buf), "0.5"));
	CHECK("label -20", !strcmp(tfr_tick_label(-20, 10, buf, sizeof buf), "-20"));
	CHECK("label 0.30", !strcmp(tfr_tick_label(0.1 * 3, 0.1, buf, sizeof buf), "0.3"));
	CHECK("label -0", !strcmp(tfr_tick_label(-1e-17, 0.5, buf, sizeof buf), "0.0"));
	CHECK("label 20 shortest", !strcmp(tfr_tick_label(20, 0, buf, sizeof buf), "20"));
	CHECK("label 0.25 shortest", !strcmp(tfr_tick_label(0.25, 0, buf, sizeof buf), "0.25"));
	CHECK("label 1e-9", !strcmp(tfr_tick_label(1e-9, 0, buf, sizeof buf), "1e-09"));
}

/* ---- the font ---- */

static void font(void)
{
	static const char descenders[] = "gjpqy,_|";
	unsigned glyph[95][TFR_FONT_HEIGHT];
	size_t ink = 0;
	for (int c = 32; c < 127; c++) {
		char what[32];
		snprintf(what, sizeof what, "glyph '%c'", c);
		int pixels = 0, below = 0;
		for (int y = -2; y < TFR_FONT_HEIGHT + 2; y++) {
			unsigned r = tfr_font_row(c, y);
			if (y < 0 || y >= TFR_FONT_HEIGHT) {
				CHECK(what, r == 0);  /* nothing outside the cell */
				continue;
			}
			CHECK(what, r < (1u << TFR_FONT_WIDTH));
			glyph[c - 32][y] = r;
			for (unsigned b = r; b; b >>= 1)
				pixels += b & 1;
			if (y >= TFR_FONT_ASCENT && r)
				below = 1;
		}
		ink += (size_t)pixels;
		CHECK(what, c == ' ' ? pixels == 0 : pixels > 0);
		/* only descenders reach below the baseline */
		CHECK(what, !below || strchr(descenders, c));
	}
	/* 95 different glyphs */
	size_t same = 0;
	for (int a = 0; a < 95; a++)
		for (int b = a + 1; b < 95; b++)
			same += !memcmp(glyph[a], glyph[b], sizeof glyph[a]);
	CHECK_NEAR("identical glyphs", same, 0, 0);
	/* anything else draws as '?' */
	for (int y = 0; y < TFR_FONT_HEIGHT; y++) {
		CHECK("non-ASCII as ?", tfr_font_row(200, y) == tfr_font_row('?', y));
		CHECK("control as ?", tfr_font_row('\n', y) == tfr_font_row('?', y));
	}
	printf("font: 95 glyphs within their 5x9 cells, all different, %zu pixels\n", ink);
}

/* ---- levels ---- */

static void levels(void)
{
	double worst = 0;
	for (double ref = 1e-6; ref < 1e6; ref *= 31.6)
		for (double range = 10; range <= 120; range += 30)
			for (double x = 0; x <= range; x += range / 8) {
				double v = ref * pow(10, -x / 10);
				double got = tfr_level_db(v, ref, range);
				worst = fmax(worst, fabs(got - (1 - x / range)));
			}
	CHECK_NEAR("level vs 1 - dB/range", worst, 0, 1e-9);
	CHECK_NEAR("above the reference", tfr_level_db(10, 1, 80), 1, 0);
	CHECK_NEAR("below the range", tfr_level_db(1e-9, 1, 80), 0, 0);
	CHECK_NEAR("zero", tfr_level_db(0, 1, 80), 0, 0);
	CHECK_NEAR("negative", tfr_level_db(-1, 1, 80), 0, 0);
	CHECK_NEAR("-40 dB of 80", tfr_level_db(1e-4, 1, 80), 0.5, 1e-12);
	uint8_t a[3], b[3];
	tfr_colormap_rgb(TFR_COLORMAP_PRINT, 1, a);
	tfr_colormap_rgb(TFR_COLORMAP_PRINT, 0, b);
	CHECK("print: loud is black, silence white",
	      a[0] == 0 && a[1] == 0 && a[2] == 0 && b[0] == 255 && b[1] == 255 && b[2] == 255);
	tfr_colormap m;
	CHECK("parse print", tfr_colormap_parse("print", &m) == TFR_OK && m == TFR_COLORMAP_PRINT);
	printf("levels: largest error against 1 - dB/range %.2g\n", worst);
}

/* ---- a figure's colours as steps over the values ---- */

static float float_of_bits(uint32_t b)
{
	float v;
	memcpy(&v, &b, sizeof v);
	return v;
}

/* Values whose colour by steps is not the exact one, of n from bits
 * b0 on (every float, stride 1, or a stride through the range). */
static long step_misses(const tfr_level_steps *s, tfr_colormap map, double ref,
                        double range, uint32_t b0, long n, uint32_t stride)
{
	long miss = 0;
	for (long i = 0; i < n; i++) {
		float v = float_of_bits(b0 + (uint32_t)i * stride);
		uint8_t want[3];
		tfr_colormap_rgb(map, tfr_level_db(v, ref, range), want);
		miss += memcmp(tfr_level_steps_rgb(s, v), want, 3) != 0;
	}
	return miss;
}

/* Each colour by steps is the exact one (tfr_colormap_rgb of
 * tfr_level_db), for every float: all of 2^20 consecutive floats
 * around the middle of the range (some 0.4 dB, a few steps of each
 * channel, each change on its float), a stride through the whole range
 * and beyond, and 0, negatives, NaN and infinity; for each map, small
 * and large references, narrow and wide ranges, a range whose floor is
 * below the smallest float, and no reference. */
static void level_steps(void)
{
	static const tfr_colormap maps[] = { TFR_COLORMAP_INFERNO, TFR_COLORMAP_VIRIDIS,
	                                     TFR_COLORMAP_GRAY, TFR_COLORMAP_PRINT };
	static const double cases[][2] = { { 1, 80 }, { 3.7e-9, 30 }, { 2.5e20, 120 },
	                                   { 1, 1000 }, { 0, 80 } };
	const float special[] = { 0.0f, -0.0f, -1.0f, NAN, INFINITY, -INFINITY,
	                          FLT_MIN / 4, FLT_MAX };
	long miss = 0, tried = 0;
	for (size_t m = 0; m < 4; m++)
		for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++) {
			double ref = cases[c][0], range = cases[c][1];
			tfr_level_steps *s = tfr_level_steps_new(maps[m], ref, range);
			if (!CHECK("steps made", s != NULL))
				return;
			float mid = (float)(ref * pow(10, -range / 20));
			uint32_t b;
			memcpy(&b, &mid, sizeof b);
			miss += step_misses(s, maps[m], ref, range, b - (1u << 19), 1L << 20, 1);
			/* from 1e-45 to 3.4e38: 2^17 values */
			miss += step_misses(s, maps[m], ref, range, 1, 1L << 17, 0x7f7fffffu >> 17);
			for (size_t i = 0; i < sizeof special / sizeof special[0]; i++) {
				uint8_t want[3];
				tfr_colormap_rgb(maps[m], tfr_level_db(special[i], ref, range), want);
				miss += memcmp(tfr_level_steps_rgb(s, special[i]), want, 3) != 0;
			}
			tried += (1L << 20) + (1L << 17) + (long)(sizeof special / sizeof special[0]);
			tfr_level_steps_free(s);
		}
	CHECK_NEAR("colours by steps that are not the exact ones", (double)miss, 0, 0);
	printf("level steps: %ld of %ld values off the exact colour\n", miss, tried);
}

/* Full scales: a layer's level in dBFS is re its own full scale; a
 * fixed ref is in those units, so layers of different full scales
 * share one dBFS scale; the matrix's own keys for a sidecar. */
static void full_scales(void)
{
	enum { W = 4, H = 3 };
	static const float a[W * H] = { 1, 2, 4 }, b[W * H] = { 8 };
	const float *layers[2] = { a, b };
	static const double fs[2] = { 2, 8 };
	static const char *const names[2] = { "q=1", "q=4" };
	tfr_picture_params p;
	tfr_picture_params_default(&p);
	p.width = W;
	p.height = H;
	p.layers = layers;
	p.nlayers = 2;
	p.dbfs = 1;
	p.full_scales = fs;
	p.labels = names;
	double top;
	CHECK("several layers at their maxima: relative", !tfr_picture_level_top(&p, &top));
	p.ref = 0.5;
	CHECK_NEAR("ref in units of each full scale", tfr_picture_layer_ref(&p, 1), 4, 0);
	CHECK("one dBFS scale", tfr_picture_level_top(&p, &top));
	CHECK_NEAR("its top", top, -3.0103, 1e-4);
	p.full_scales = NULL;
	p.full_scale = 4;
	CHECK_NEAR("one full scale", tfr_picture_layer_ref(&p, 0), 2, 0);
	p.nlayers = 1;
	p.ref = 0;
	CHECK("one layer at its maximum: absolute", tfr_picture_level_top(&p, &top) &&
	      fabs(top - 0) < 1e-12);
	p.nlayers = 2;
	p.full_scales = fs;
	p.ref = 1;
	tfr_meta *m = tfr_meta_new();
	CHECK("geometry", tfr_picture_geometry(&p, NULL, m) == TFR_OK);
	size_t nfs = 0;
	for (size_t i = 0; i < tfr_meta_count(m); i++)
		nfs += !strcmp(tfr_meta_key(m, i), "full_scale");
	CHECK_NEAR("a full scale per layer", nfs, 2, 0);
	tfr_meta_free(m);
	m = tfr_meta_new();
	CHECK("matrix geometry", tfr_picture_matrix_geometry(&p, m) == TFR_OK);
	CHECK("matrix keys: no picture, no levels", tfr_meta_get(m, "columns") &&
	      tfr_meta_get(m, "label") && !tfr_meta_get(m, "plot_x") &&
	      !tfr_meta_get(m, "level_top") && !tfr_meta_get(m, "layout"));
	tfr_meta_free(m);
	printf("full scales: layers of different full scales on one dBFS scale\n");
}

/* ---- splatting ---- */

/* A frame's bins at once: each bin's energy (amp^2) on its rows of the
 * columns given, the larger where two bins share a row, none for a bin
 * without rows or without a positive amplitude. */
static void splat_bins(void)
{
	tfr_splat_params sp;
	sp.time = tfr_axis_from_edges(0, 1, 10, TFR_AXIS_LINEAR);
	sp.freq = tfr_axis_from_edges(1000, 0, 20, TFR_AXIS_LINEAR);
	tfr_diag d;
	tfr_splat *s = tfr_splat_new(&sp, &d);
	if (!CHECK("splat for bins", s != NULL))
		return;
	const long rows[5][2] = { { 5, 7 }, { 7, 9 }, { -1, -1 }, { 11, 12 }, { 14, 15 } };
	const float amp[5] = { 0.5f, 1, 3, 0, -2 };
	tfr_splat_bins(s, 3, 4, rows, amp, 5);
	const float *g = tfr_splat_grid(s);
	long off = 0;
	for (long x = 0; x < 10; x++)
		for (long y = 0; y < 20; y++) {
			float want = x < 3 || x > 4 ? 0 : y >= 5 && y <= 6 ? 0.25f
			           : y >= 7 && y <= 9 ? 1 : 0;
			off += g[x * 20 + y] != want;
		}
	CHECK_NEAR("bins: pixels not amp^2 of the loudest bin on them", off, 0, 0);
	tfr_splat_free(s);
}

static void splat(void)
{
	tfr_splat_params sp;
	/* 100 columns over [0, 1) s, 50 rows from 1000 Hz down to 0 */
	sp.time = tfr_axis_from_edges(0, 1, 100, TFR_AXIS_LINEAR);
	sp.freq = tfr_axis_from_edges(1000, 0, 50, TFR_AXIS_LINEAR);
	tfr_diag d;
	tfr_splat *s = tfr_splat_new(&sp, &d);
	if (!CHECK("splat", s != NULL))
		return;
	const float *g = tfr_splat_grid(s);
	/* (0.255 s, 610 Hz): column 25, row (1000 - 610) / 20 = 19.5 -> 19 */
	tfr_splat_point(s, 0.255, 610, 0.25f);
	tfr_splat_point(s, 0.255, 610, 0.125f);  /* the larger stays */
	CHECK_NEAR("point", g[25 * 50 + 19], 0.25, 0);
	size_t lit = 0;
	for (size_t i = 0; i < 100 * 50; i++)
		lit += g[i] != 0;
	CHECK_NEAR("one pixel lit", lit, 1, 0);
	tfr_splat_point(s, 1.0, 500, 1);     /* right edge: outside */
	tfr_splat_point(s, -0.001, 500, 1);
	tfr_splat_point(s, 0.5, 1000.5, 1);
	CHECK_NEAR("outside points", g[0] + g[99 * 50 + 25], 0, 0);
	/* a cell of [0.1, 0.2) s x [100, 200) Hz: columns 10..19, rows 40..44 */
	tfr_splat_reset(s);
	tfr_splat_cell(s, 0.1, 0.2, 100, 200, 1);
	lit = 0;
	for (size_t x = 0; x < 100; x++)
		for (size_t y = 0; y < 50; y++) {
			int in = x >= 10 && x <= 19 && y >= 40 && y <= 44;
			lit += g[x * 50 + y] != 0;
			if (in)
				CHECK("cell covers", g[x * 50 + y] == 1);
		}
	CHECK_NEAR("cell pixels", lit, 50, 0);
	/* a cell smaller than a pixel lights the pixel of its centre */
	tfr_splat_reset(s);
	tfr_splat_cell(s, 0.5021, 0.5029, 333, 334, 1);
	CHECK_NEAR("small cell", g[50 * 50 + 33], 1, 0);
	/* a line from (0.005 s, 990 Hz) to (0.995 s, 10 Hz): the diagonal,
	   amplitude from 1 to 0 */
	tfr_splat_reset(s);
	tfr_splat_line(s, 0.005, 990, 1, 0.995, 10, 0);
	CHECK_NEAR("line start", g[0], 1, 0);
	CHECK_NEAR("line middle (amplitude 1/2)", g[50 * 50 + 25], 0.25, 0.02);
	CHECK_NEAR("line end", g[99 * 50 + 49], 0, 1e-6);
	lit = 0;
	for (size_t x = 0; x < 100; x++) {
		size_t on = 0;
		for (size_t y = 0; y < 50; y++)
			on += g[x * 50 + y] != 0;
		lit += on >= 1 || x == 99;
	}
	CHECK_NEAR("a line without gaps", lit, 100, 0);
	/* clipped: a line from far outside only draws inside */
	tfr_splat_reset(s);
	tfr_splat_line(s, -1e9, 500, 1, 0.5, 500, 1);
	CHECK_NEAR("clipped line", g[50 * 50 + 25], 1, 0);
	/* dots: radius 2 is 13 pixels */
	tfr_splat_reset(s);
	tfr_splat_dot(s, 0.505, 510, 1, 2);
	lit = 0;
	for (size_t i = 0; i < 100 * 50; i++)
		lit += g[i] != 0;
	CHECK_NEAR("dot pixels", lit, 13, 0);
	/* pages: the time axis moves, the grid empties */
	CHECK("move", tfr_splat_move(s, 1.005, 1.995) == TFR_OK);
	CHECK_NEAR("moved grid empty", g[50 * 50 + 24], 0, 0);
	tfr_splat_point(s, 1.255, 610, 1);
	CHECK_NEAR("point on page 2", g[25 * 50 + 19], 1, 0);
	tfr_splat_free(s);
	/* log rows: 100 Hz to 10 kHz over 40 rows, 20 per decade */
	sp.freq = tfr_axis_from_edges(10000, 100, 40, TFR_AXIS_LOG);
	s = tfr_splat_new(&sp, &d);
	g = tfr_splat_grid(s);
	tfr_splat_point(s, 0.5, 1000, 1);  /* the edge between rows 19 and 20 */
	tfr_splat_point(s, 0.5, 1000 * pow(10, 0.5 / 20), 0.5);  /* centre of 19 */
	CHECK_NEAR("log row 19", g[50 * 40 + 19], 0.5, 0);
	CHECK_NEAR("log edge rounds down the page", g[50 * 40 + 20], 1, 0);
	tfr_splat_point(s, 0.5, 0, 1);  /* 0 Hz has no row */
	tfr_splat_free(s);
	sp.freq.n = 1;
	CHECK("one row refused", tfr_splat_new(&sp, &d) == NULL && d.code == TFR_EINVAL);
	printf("splat: points, cells, lines, dots and pages on the pixels the axes say\n");
}

/* ---- the figure ---- */

static void figure(void)
{
	enum { W = 200, H = 150 };
	static float m[W * H], m2[W * H];
	for (size_t i = 0; i < W * H; i++) {
		m[i] = 1e-12f;
		m2[i] = 1e-6f;
	}
	m[50 * H + 30] = 1;   /* column 50, row 30 */
	m2[150 * H + 70] = 1;
	const float *layers[2] = { m, m2 };
	const char *labels[2] = { "first", "second" };
	tfr_meta *prov = tfr_meta_new();
	tfr_meta_set(prov, "source", "a \xc3\xa9t\xc3\xa9.wav");  /* UTF-8: iTXt */
	tfr_meta_set(prov, "sample_rate", "44100");
	tfr_picture_params p;
	tfr_picture_params_default(&p);
	p.width = W;
	p.height = H;
	p.layers = layers;
	p.nlayers = 1;
	/* columns 10 ms apart from 0.002 s; rows 10 Hz apart from 1492 Hz:
	   no round value falls between two pixels */
	p.time_first = 0.002;
	p.time_last = 1.992;
	p.freq_first = 1492;
	p.freq_last = 2;
	p.dbfs = 1;
	p.title = "Test";
	p.text = prov;
	tfr_picture_frame fr;
	tfr_diag d;
	CHECK("frame", tfr_picture_frame_of(&p, &fr, &d) == TFR_OK);
	FILE *f = tmpfile();
	CHECK("figure", tfr_picture_write_figure(f, &p, &d) == TFR_OK);
	rewind(f);
	image im;
	if (!CHECK("decode", image_read(f, &im) == 0))
		return;
	fclose(f);
	CHECK_NEAR("width", im.w, fr.width, 0);
	CHECK_NEAR("height", im.h, fr.height, 0);
	CHECK("plot inside", fr.plot_x > 20 && fr.plot_y > 10 &&
	      fr.plot_x + W < fr.width && fr.plot_y + H < fr.height);
	/* the chunks say where the plot is and what it shows */
	CHECK_NEAR("plot_x chunk", number_of(&im, "plot_x"), fr.plot_x, 0);
	CHECK_NEAR("plot_y chunk", number_of(&im, "plot_y"), fr.plot_y, 0);
	CHECK_NEAR("time_first chunk", number_of(&im, "time_first"), 0.002, 0);
	CHECK_NEAR("time_last chunk", number_of(&im, "time_last"), 1.992, 0);
	CHECK_NEAR("freq_first chunk", number_of(&im, "freq_first"), 1492, 0);
	CHECK_NEAR("freq_last chunk", number_of(&im, "freq_last"), 2, 0);
	CHECK_NEAR("level_top chunk (0 dBFS)", number_of(&im, "level_top"), 0, 0);
	CHECK("chunks", text_of(&im, "freq_axis") && !strcmp(text_of(&im, "freq_axis"), "linear") &&
	      text_of(&im, "level_unit") && !strcmp(text_of(&im, "level_unit"), "dBFS") &&
	      text_of(&im, "Software") && text_of(&im, "Title") &&
	      !strcmp(text_of(&im, "Title"), "Test"));
	CHECK("UTF-8 provenance", text_of(&im, "source") &&
	      !strcmp(text_of(&im, "source"), "a \xc3\xa9t\xc3\xa9.wav"));
	/* energy where the matrix puts it: full colour, background empty */
	uint8_t top[3], floor[3], black[3] = { 0, 0, 0 }, white[3] = { 255, 255, 255 };
	tfr_colormap_rgb(TFR_COLORMAP_INFERNO, 1, top);
	tfr_colormap_rgb(TFR_COLORMAP_INFERNO, 0, floor);
	size_t x0 = fr.plot_x, y0 = fr.plot_y;
	CHECK("energy at (50, 30)", same_rgb(pixel(&im, x0 + 50, y0 + 30), top));
	size_t bright = 0;
	for (size_t y = 0; y < H; y++)
		for (size_t x = 0; x < W; x++)
			bright += !same_rgb(pixel(&im, x0 + x, y0 + y), floor);
	CHECK_NEAR("one bright pixel in the plot", bright, 1, 0);
	/* the frame around the plot, white beyond the ticks */
	size_t frame_ok = 0;
	for (size_t x = 0; x < W; x++)
		frame_ok += same_rgb(pixel(&im, x0 + x, y0 - 1), black) &&
		            same_rgb(pixel(&im, x0 + x, y0 + H), black);
	for (size_t y = 0; y < H; y++)
		frame_ok += same_rgb(pixel(&im, x0 - 1, y0 + y), black) &&
		            same_rgb(pixel(&im, x0 + W, y0 + y), black);
	CHECK_NEAR("frame", frame_ok, W + H, 0);
	/* time ticks below the frame at 0, 0.5, 1 and 1.5 s (labels 36
	   pixels apart at least: 0.36 s, rounded up to 0.5), each on the
	   column nearest its place: column x is centred on 0.002 + 0.01 x s
	   (the pixel row just below the frame, outside the plot) */
	size_t ticks = 0, placed = 0;
	for (long x = -1; x <= W; x++)
		ticks += same_rgb(pixel(&im, x0 + (size_t)x, y0 + H + 2), black);
	for (double v = 0; v <= 1.5; v += 0.5) {
		long x = lround((v - 0.002) / 0.01);
		placed += same_rgb(pixel(&im, x0 + (size_t)x, y0 + H + 2), black);
	}
	CHECK_NEAR("time ticks", ticks, 4, 0);
	CHECK_NEAR("time ticks in place", placed, 4, 0);
	/* frequency ticks left of the frame at 0, 500 and 1000 Hz (27 rows
	   apart at least: 270 Hz, rounded up to 500): row y is centred on
	   1492 - 10 y Hz */
	ticks = placed = 0;
	for (long y = -1; y <= H; y++)
		ticks += same_rgb(pixel(&im, x0 - 3, y0 + (size_t)y), black);
	for (double f = 0; f <= 1000; f += 500) {
		long y = lround((1492 - f) / 10);
		placed += same_rgb(pixel(&im, x0 - 3, y0 + (size_t)y), black);
	}
	CHECK_NEAR("frequency ticks", ticks, 3, 0);
	CHECK_NEAR("frequency ticks in place", placed, 3, 0);
	/* the colour bar: right of the plot, full colour at its top row,
	   the floor at its bottom; white between plot and bar */
	size_t bx = 0;
	for (size_t x = x0 + W + 1; x < im.w && !bx; x++)
		if (same_rgb(pixel(&im, x, y0), top))
			bx = x;
	CHECK("colour bar", bx > x0 + W + 2 &&
	      same_rgb(pixel(&im, bx, y0 + H - 1), floor) &&
	      same_rgb(pixel(&im, x0 + W + 2, y0 + H / 2), white));
	/* text drawn: black pixels in the left margin (labels, axis title) */
	size_t ink = 0;
	for (size_t y = 0; y < im.h; y++)
		for (size_t x = 0; x + 4 < x0; x++)
			ink += same_rgb(pixel(&im, x, y), black);
	CHECK("labels in the left margin", ink > 50);
	/* nothing but white in the outer padding */
	size_t stray = 0;
	for (size_t x = 0; x < im.w; x++)
		stray += !same_rgb(pixel(&im, x, 0), white) + !same_rgb(pixel(&im, x, im.h - 1), white);
	CHECK_NEAR("clear edges", stray, 0, 0);
	printf("figure: %zux%zu, plot at (%zu, %zu), energy, frame, 4 + 3 ticks and "
	       "colour bar where the axes say\n", im.w, im.h, x0, y0);
	image_free(&im);

	/* a page of the matrix: columns 100 to 199, the whole matrix's level
	   scale; the peak of layer 2 (column 150) is column 50 of the page */
	const float *page_layers[1];
	tfr_picture_params pg;
	p.layers = layers + 1;  /* m2 alone, its peak 1 at (150, 70) */
	double refs[1] = { tfr_picture_layer_ref(&p, 0) };
	CHECK("page", tfr_picture_page(&p, 100, 200, page_layers, refs, &pg, &d) == TFR_OK);
	CHECK_NEAR("page time_first", pg.time_first, 1.002, 1e-12);
	CHECK_NEAR("page time_last", pg.time_last, 1.992, 1e-12);
	CHECK("page of columns beyond the matrix refused",
	      tfr_picture_page(&p, 150, 201, page_layers, refs, &pg, &d) == TFR_EINVAL);
	tfr_picture_page(&p, 100, 200, page_layers, refs, &pg, &d);
	CHECK("page frame", tfr_picture_frame_of(&pg, &fr, &d) == TFR_OK);
	f = tmpfile();
	CHECK("page figure", tfr_picture_write_figure(f, &pg, &d) == TFR_OK);
	rewind(f);
	if (CHECK("decode page", image_read(f, &im) == 0)) {
		CHECK_NEAR("page chunk time_first", number_of(&im, "time_first"), 1.002, 0);
		CHECK_NEAR("page chunk columns", number_of(&im, "columns"), 100, 0);
		CHECK("peak of the matrix on its page column",
		      same_rgb(pixel(&im, fr.plot_x + 50, fr.plot_y + 70), top));
		image_free(&im);
	}
	fclose(f);
	p.layers = layers;

	/* stacked panels, log axis: a label above each, chunks */
	p.nlayers = 2;
	p.labels = labels;
	p.freq_scale = TFR_AXIS_LOG;
	p.freq_first = 10000;
	p.freq_last = 100;
	p.ref = 1;
	CHECK("stacked frame", tfr_picture_frame_of(&p, &fr, &d) == TFR_OK);
	f = tmpfile();
	CHECK("stacked figure", tfr_picture_write_figure(f, &p, &d) == TFR_OK);
	rewind(f);
	if (CHECK("decode stacked", image_read(f, &im) == 0)) {
		CHECK("stacked chunks", !strcmp(text_of(&im, "layout"), "stacked") &&
		      !strcmp(text_of(&im, "freq_axis"), "log") &&
		      !strcmp(text_of(&im, "level_ref"), "fixed"));
		CHECK_NEAR("panel_step", number_of(&im, "panel_step"), fr.panel_step, 0);
		CHECK("panels apart", fr.panel_step > H + 10);
		CHECK("energy in panel 2", same_rgb(pixel(&im, fr.plot_x + 150,
		                                          fr.plot_y + fr.panel_step + 70), top));
		CHECK("panel 1 empty there", !same_rgb(pixel(&im, fr.plot_x + 150,
		                                            fr.plot_y + 70), top));
		image_free(&im);
	}
	fclose(f);
	/* geometry keys as a sidecar */
	tfr_meta *g = tfr_meta_new();
	CHECK("geometry", tfr_picture_geometry(&p, NULL, g) == TFR_OK);
	f = tmpfile();
	CHECK("sidecar", tfr_picture_sidecar_write(f, g) == TFR_OK);
	rewind(f);
	char line[256];
	CHECK("sidecar first line", fgets(line, sizeof line, f) &&
	      !strcmp(line, "# tfr matrix geometry 1\n"));
	int found = 0;
	while (fgets(line, sizeof line, f))
		found += !strcmp(line, "freq_first=10000\n") + !strcmp(line, "label=second\n") +
		         !strcmp(line, "plot_x=0\n");
	CHECK_NEAR("sidecar keys", found, 3, 0);
	fclose(f);
	tfr_meta_free(g);
	/* bad figures are refused with a reason */
	p.time_last = p.time_first;
	f = tmpfile();
	CHECK("equal times refused", tfr_picture_write_figure(f, &p, &d) == TFR_EINVAL &&
	      strstr(d.text, "times"));
	fclose(f);
	tfr_meta_free(prov);
}

int main(int argc, char **argv)
{
	if (argc >= 3 && !strcmp(argv[1], "dump"))
		return dump(argc, argv);
	bare_unchanged();
	ticks();
	font();
	levels();
	level_steps();
	full_scales();
	splat();
	splat_bins();
	figure();
	return test_finish("test_picture");
}
