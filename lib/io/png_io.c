/* png_io.c - row-by-row 8-bit RGB PNG writer over libpng; see tfr_png.h. */
#include "tfr_base.h"
#include "tfr_meta.h"
#include "tfr_png.h"

#include <png.h>
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>

struct tfr_png {
	png_structp png;
	png_infop info;
	size_t width;
};

/* libpng reports errors by longjmp; these wrappers turn that into codes.
 * Nothing with automatic storage is modified between setjmp and the
 * longjmp, so the jump is well defined. libpng's own handlers would
 * also print ("libpng error: Write Error", "No IDATs written into
 * file") on standard error, which a library must not: these jump
 * silently and drop warnings, and the caller says what failed. */
static void png_quiet_error(png_structp png, png_const_charp msg)
{
	(void)msg;
	png_longjmp(png, 1);
}

static void png_quiet_warning(png_structp png, png_const_charp msg)
{
	(void)png;
	(void)msg;
}

/* A PNG keyword: 1 to 79 printable characters, no blank at either end
 * and no two in a row (PNG 1.2, 4.2.3). */
static int good_key(const char *k)
{
	size_t n = strlen(k);
	if (n < 1 || n > 79 || k[0] == ' ' || k[n - 1] == ' ')
		return 0;
	for (size_t i = 0; i < n; i++)
		if (k[i] < 32 || k[i] > 126 || (k[i] == ' ' && k[i + 1] == ' '))
			return 0;
	return 1;
}

static int is_ascii(const char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s > 126 || ((unsigned char)*s < 32 && *s != '\t'))
			return 0;
	return 1;
}

/* The entries of text as libpng's records (pointing into text), or NULL
 * with *err set. */
static png_text *make_text(const tfr_meta *text, size_t *n, int *err)
{
	*n = text ? tfr_meta_count(text) : 0;
	*err = TFR_OK;
	if (*n == 0)
		return NULL;
	if (*n > 0x7fffffff / sizeof(png_text)) {
		*err = TFR_EINVAL;
		return NULL;
	}
	png_text *t = calloc(*n, sizeof *t);
	if (!t) {
		*err = TFR_ENOMEM;
		return NULL;
	}
	for (size_t i = 0; i < *n; i++) {
		const char *k = tfr_meta_key(text, i), *v = tfr_meta_value(text, i);
		if (!good_key(k)) {
			free(t);
			*err = TFR_EINVAL;
			return NULL;
		}
		t[i].key = (png_charp)k;
		t[i].text = (png_charp)v;
		t[i].text_length = strlen(v);
		if (is_ascii(v)) {
			t[i].compression = PNG_TEXT_COMPRESSION_NONE;
		} else {
			t[i].compression = PNG_ITXT_COMPRESSION_NONE;
			t[i].itxt_length = t[i].text_length;
			t[i].text_length = 0;
			t[i].lang = (png_charp)"";
			t[i].lang_key = (png_charp)"";
		}
	}
	return t;
}

/* The writer, its header written; texts is freed here. */
static int start(tfr_png **out, FILE *f, size_t width, size_t height,
                 png_text *texts, size_t ntext)
{
	tfr_png *p = calloc(1, sizeof *p);
	if (!p) {
		free(texts);
		return TFR_ENOMEM;
	}
	p->width = width;
	p->png = png_create_write_struct(PNG_LIBPNG_VER_STRING, NULL,
	                                 png_quiet_error, png_quiet_warning);
	if (p->png)
		p->info = png_create_info_struct(p->png);
	if (!p->png || !p->info) {
		png_destroy_write_struct(&p->png, &p->info);
		free(p);
		free(texts);
		return TFR_ENOMEM;
	}
	if (setjmp(png_jmpbuf(p->png))) {
		png_destroy_write_struct(&p->png, &p->info);
		free(p);
		free(texts);
		return TFR_EIO;
	}
	png_init_io(p->png, f);
	png_set_user_limits(p->png, 0x7fffffff, 0x7fffffff);
	png_set_IHDR(p->png, p->info, (png_uint_32)width, (png_uint_32)height,
	             8, PNG_COLOR_TYPE_RGB, PNG_INTERLACE_NONE,
	             PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
	if (ntext)
		png_set_text(p->png, p->info, texts, (int)ntext);
	png_write_info(p->png, p->info);
	free(texts);
	*out = p;
	return TFR_OK;
}

int tfr_png_open_text(tfr_png **out, FILE *f, size_t width, size_t height,
                      const tfr_meta *text)
{
	*out = NULL;
	if (!f || width < 1 || height < 1 || width > 0x7fffffff ||
	    height > 0x7fffffff)
		return TFR_EINVAL;
	size_t ntext;
	int e;
	png_text *texts = make_text(text, &ntext, &e);
	if (e)
		return e;
	return start(out, f, width, height, texts, ntext);
}

int tfr_png_open(tfr_png **out, FILE *f, size_t width, size_t height)
{
	return tfr_png_open_text(out, f, width, height, NULL);
}

/* A spectrogram's rows are noise to a row filter: libpng's adaptive
 * choice (it tries all five on every row) spent as much as deflate and
 * made the file larger than no filter (tfr-image --plain, 60 s of
 * speech at 1200 x 513: 358 kB adaptive, 260 kB unfiltered, both at
 * level 6). Level 1 (deflate's greedy matching) then halves deflate's
 * work for 312 kB, still fewer bytes than the default's. */
int tfr_png_set_fast(tfr_png *p)
{
	if (setjmp(png_jmpbuf(p->png)))
		return TFR_EIO;
	png_set_filter(p->png, PNG_FILTER_TYPE_BASE, PNG_FILTER_NONE);
	png_set_compression_level(p->png, 1);
	return TFR_OK;
}

int tfr_png_write_row(tfr_png *p, const uint8_t *rgb)
{
	if (setjmp(png_jmpbuf(p->png)))
		return TFR_EIO;
	png_write_row(p->png, (png_const_bytep)rgb);
	return TFR_OK;
}

int tfr_png_close(tfr_png *p)
{
	if (!p)
		return TFR_OK;
	if (setjmp(png_jmpbuf(p->png))) {
		png_destroy_write_struct(&p->png, &p->info);
		free(p);
		return TFR_EIO;
	}
	png_write_end(p->png, NULL);
	png_destroy_write_struct(&p->png, &p->info);
	free(p);
	return TFR_OK;
}
