/*
 * hyper_picture.c - tfr_hyper's output picture (the other files:
 * hyper_state.h): rows that grow with the input, the workers' windows
 * added into them after each super-block, the rows a streaming caller
 * takes and releases, the count threshold, and the accessors of the
 * result.
 */
#include "tfr_base.h"
#include "tfr_hyper.h"

#include "hyper_state.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Room for rows picture rows: exactly that many when the caller knows
 * the final size (exact), else grown by 1/16 steps, so that the
 * overshoot stays a small part of the picture (glibc grows large
 * blocks in place, by mremap, so the steps cost no copies). The first
 * allocation is calloc'd: pages of rows no point reaches are never
 * touched. */
int tfr_hyper_picture_reserve(tfr_hyper *h, size_t rows, int exact)
{
	hy_picture *pic = &h->pic;
	size_t hf = h->bins.hf;
	rows -= pic->base;  /* the caller never asks below base */
	if (rows <= pic->rows_cap)
		return TFR_OK;
	size_t cap = exact ? rows : pic->rows_cap ? pic->rows_cap : 64;
	while (cap < rows) {
		if (cap > SIZE_MAX / 2)
			return TFR_ERANGE;
		cap += cap / 16 + 64;
	}
	if (cap > SIZE_MAX / hf / sizeof(float))
		return TFR_ERANGE;
	size_t n = cap * hf, old = pic->rows_cap * hf;
	float *E = old ? realloc(pic->E, n * sizeof *E) : calloc(n, sizeof *E);
	if (!E)
		return TFR_ENOMEM;
	pic->E = E;
	uint32_t *C = old ? realloc(pic->C, n * sizeof *C) :
	              calloc(n, sizeof *C);
	if (!C)
		return TFR_ENOMEM;
	pic->C = C;
	if (old) {
		memset(pic->E + old, 0, (n - old) * sizeof *E);
		memset(pic->C + old, 0, (n - old) * sizeof *C);
	}
	pic->rows_cap = cap;
	return TFR_OK;
}

/* Window rows up to the last one any worker's points reached. */
static size_t rows_used(const tfr_hyper *h)
{
	size_t hf = h->bins.hf, wr = h->win.wrows, used = 0;
	for (int t = 0; t < h->p.threads; t++)
		for (size_t j = 0; j < hf; j++) {
			const uint32_t *c = h->wk[t].C + j * wr;
			for (size_t r = wr; r > used; r--)
				if (c[r - 1]) {
					used = r;
					break;
				}
		}
	return used;
}

/* The windows are stored by frequency column (index jf * wrows + row):
 * a line's points then walk memory in order, where picture rows would
 * put them hf values apart. */
int tfr_hyper_picture_merge(tfr_hyper *h)
{
	hy_picture *pic = &h->pic;
	size_t hf = h->bins.hf, wr = h->win.wrows, used = rows_used(h);
	/* at or after base: rows before the window's are final, and only
	 * final rows are released */
	size_t rlo = (size_t)h->win.rlo;
	int e = tfr_hyper_picture_reserve(h, rlo + used, 0);
	if (!e && rlo + used > pic->hi)
		pic->hi = rlo + used;
	for (int t = 0; t < h->p.threads; t++) {
		hy_worker *w = &h->wk[t];
		if (!e)
			for (size_t r = 0; r < used; r++) {
				size_t o = (rlo + r - pic->base) * hf;
				for (size_t j = 0; j < hf; j++) {
					size_t i = j * wr + r;
					if (!w->C[i])
						continue;
					float *pe = &pic->E[o + j];
					*pe = (float)((double)*pe + w->E[i]);
					pic->C[o + j] += w->C[i];
				}
			}
		memset(w->E, 0, wr * hf * sizeof *w->E);
		memset(w->C, 0, wr * hf * sizeof *w->C);
	}
	return e;
}

/* reference: histo[histc < sqrt(max(histc))] = 0, over n bins */
static uint32_t threshold(float *E, const uint32_t *C, size_t n)
{
	uint32_t mx = 0;
	for (size_t i = 0; i < n; i++)
		if (C[i] > mx)
			mx = C[i];
	double thr = sqrt((double)mx);
	for (size_t i = 0; i < n; i++)
		if ((double)C[i] < thr)
			E[i] = 0;
	return mx;
}

int tfr_hyper_picture_final(tfr_hyper *h, size_t done)
{
	hy_picture *pic = &h->pic;
	/* not beyond the rows of the input so far (the last blocks' reach
	   goes past its end) */
	size_t rows = (size_t)((h->in.nin + h->p.tdeci - 1) / h->p.tdeci);
	if (done > rows)
		done = rows;
	if (done <= pic->done)
		return TFR_OK;
	/* final rows are held even where no point reached them */
	int e = tfr_hyper_picture_reserve(h, done, 0);
	if (!e)
		pic->done = done;
	return e;
}

int tfr_hyper_picture_finish(tfr_hyper *h)
{
	hy_picture *pic = &h->pic;
	size_t hf = h->bins.hf;
	pic->ht = (size_t)((h->in.nin + h->p.tdeci - 1) / h->p.tdeci);
	size_t rows = pic->ht - pic->base;
	int e = tfr_hyper_picture_reserve(h, pic->ht > pic->base ? pic->ht :
	                                  pic->base + 1, 1);
	if (e)
		return e;
	if (pic->rows_cap > rows && rows > 0) {
		/* give back what geometric growth overshot */
		float *E = realloc(pic->E, rows * hf * sizeof *E);
		uint32_t *C = realloc(pic->C, rows * hf * sizeof *C);
		if (E)
			pic->E = E;
		if (C)
			pic->C = C;
		pic->rows_cap = rows;  /* what both hold at least */
	}
	pic->done = pic->ht;
	return TFR_OK;
}

/* Rows [first, first + n) held and final. */
static int final_rows(const tfr_hyper *h, size_t first, size_t n)
{
	const hy_picture *pic = &h->pic;
	return first >= pic->base && first <= pic->done &&
	       n <= pic->done - first;
}

uint32_t tfr_hyper_threshold(tfr_hyper *h, size_t first, size_t n)
{
	if (!h || !final_rows(h, first, n) || n == 0)
		return 0;
	hy_picture *pic = &h->pic;
	size_t o = (first - pic->base) * h->bins.hf;
	pic->maxc = threshold(pic->E + o, pic->C + o, n * h->bins.hf);
	return pic->maxc;
}

void tfr_hyper_ready(const tfr_hyper *h, size_t *first, size_t *n)
{
	*first = h->pic.base;
	*n = h->pic.done - h->pic.base;
}

/* The rows after upto slide down to the start; only those that may be
 * nonzero (before hi) are moved, and the ones they leave are zeroed,
 * so a caller taking pages moves a block's reach, not the page. */
int tfr_hyper_release(tfr_hyper *h, size_t upto)
{
	if (!h || upto < h->pic.base ||
	    !final_rows(h, h->pic.base, upto - h->pic.base))
		return TFR_EINVAL;
	hy_picture *pic = &h->pic;
	size_t hf = h->bins.hf, drop = upto - pic->base;
	if (drop == 0)
		return TFR_OK;
	size_t keep = pic->hi > upto ? pic->hi - upto : 0;
	size_t held = pic->hi > pic->base ? pic->hi - pic->base : 0;
	memmove(pic->E, pic->E + drop * hf, keep * hf * sizeof *pic->E);
	memmove(pic->C, pic->C + drop * hf, keep * hf * sizeof *pic->C);
	memset(pic->E + keep * hf, 0, (held - keep) * hf * sizeof *pic->E);
	memset(pic->C + keep * hf, 0, (held - keep) * hf * sizeof *pic->C);
	pic->base = upto;
	if (pic->hi < upto)
		pic->hi = upto;
	/* the rows freed are at the end, so rows_cap counts from base */
	return TFR_OK;
}

void tfr_hyper_picture_clear(tfr_hyper *h)
{
	hy_picture *pic = &h->pic;
	size_t n = pic->rows_cap * h->bins.hf;
	if (n) {
		memset(pic->E, 0, n * sizeof *pic->E);
		memset(pic->C, 0, n * sizeof *pic->C);
	}
	pic->ht = 0;
	pic->maxc = 0;
	pic->base = pic->hi = pic->done = 0;
}

void tfr_hyper_size(const tfr_hyper *h, size_t *ht, size_t *hf)
{
	if (ht)
		*ht = h->pic.ht;
	if (hf)
		*hf = h->bins.hf;
}

const float *tfr_hyper_energy(const tfr_hyper *h)
{
	return h->pic.E;
}

const uint32_t *tfr_hyper_counts(const tfr_hyper *h)
{
	return h->pic.C;
}

uint32_t tfr_hyper_max_count(const tfr_hyper *h)
{
	return h->pic.maxc;
}
