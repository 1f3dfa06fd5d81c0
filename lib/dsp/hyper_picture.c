/*
 * hyper_picture.c - tfr_hyper's output picture (the other files:
 * hyper_state.h): rows that grow with the input, the workers' windows
 * added into them after each super-block, the count threshold at the
 * end, and the accessors of the result.
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
	size_t rlo = (size_t)h->win.rlo;
	int e = tfr_hyper_picture_reserve(h, rlo + used, 0);
	for (int t = 0; t < h->p.threads; t++) {
		hy_worker *w = &h->wk[t];
		if (!e)
			for (size_t r = 0; r < used; r++) {
				size_t o = (rlo + r) * hf;
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

/* reference: histo[histc < sqrt(max(histc))] = 0 */
static void threshold(hy_picture *pic, size_t n)
{
	uint32_t mx = 0;
	for (size_t i = 0; i < n; i++)
		if (pic->C[i] > mx)
			mx = pic->C[i];
	pic->maxc = mx;
	double thr = sqrt((double)mx);
	for (size_t i = 0; i < n; i++)
		if ((double)pic->C[i] < thr)
			pic->E[i] = 0;
}

int tfr_hyper_picture_finish(tfr_hyper *h)
{
	hy_picture *pic = &h->pic;
	size_t hf = h->bins.hf;
	pic->ht = (size_t)((h->in.nin + h->p.tdeci - 1) / h->p.tdeci);
	int e = tfr_hyper_picture_reserve(h, pic->ht ? pic->ht : 1, 1);
	if (e)
		return e;
	if (pic->rows_cap > pic->ht && pic->ht > 0) {
		/* give back what geometric growth overshot */
		float *E = realloc(pic->E, pic->ht * hf * sizeof *E);
		uint32_t *C = realloc(pic->C, pic->ht * hf * sizeof *C);
		if (E)
			pic->E = E;
		if (C)
			pic->C = C;
		pic->rows_cap = pic->ht;  /* what both hold at least */
	}
	threshold(pic, pic->ht * hf);
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
