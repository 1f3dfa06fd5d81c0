/* png_io.c - row-by-row 8-bit RGB PNG writer over libpng; see tfr_png.h. */
#include "tfr_base.h"
#include "tfr_png.h"

#include <png.h>
#include <setjmp.h>
#include <stdlib.h>

struct tfr_png {
	png_structp png;
	png_infop info;
	size_t width;
};

/* libpng reports errors by longjmp; these wrappers turn that into codes.
 * Nothing with automatic storage is modified between setjmp and the
 * longjmp, so the jump is well defined. */
int tfr_png_open(tfr_png **out, FILE *f, size_t width, size_t height)
{
	*out = NULL;
	if (!f || width < 1 || height < 1 || width > 0x7fffffff ||
	    height > 0x7fffffff)
		return TFR_EINVAL;
	tfr_png *p = calloc(1, sizeof *p);
	if (!p)
		return TFR_ENOMEM;
	p->width = width;
	p->png = png_create_write_struct(PNG_LIBPNG_VER_STRING, NULL, NULL,
	                                 NULL);
	if (p->png)
		p->info = png_create_info_struct(p->png);
	if (!p->png || !p->info) {
		png_destroy_write_struct(&p->png, &p->info);
		free(p);
		return TFR_ENOMEM;
	}
	if (setjmp(png_jmpbuf(p->png))) {
		png_destroy_write_struct(&p->png, &p->info);
		free(p);
		return TFR_EIO;
	}
	png_init_io(p->png, f);
	png_set_user_limits(p->png, 0x7fffffff, 0x7fffffff);
	png_set_IHDR(p->png, p->info, (png_uint_32)width, (png_uint_32)height,
	             8, PNG_COLOR_TYPE_RGB, PNG_INTERLACE_NONE,
	             PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
	png_write_info(p->png, p->info);
	*out = p;
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
