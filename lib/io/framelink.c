/* framelink.c - see framelink.h. */
#include "tfr_base.h"
#include "framelink.h"
#include "internal.h"

#include <stdlib.h>
#include <string.h>

void framelink_init(framelink *f)
{
	memset(f, 0, sizeof *f);
	idmap_init(&f->lives);
}

void framelink_free(framelink *f)
{
	free(f->cur);
	free(f->next);
	free(f->out);
	idmap_free(&f->lives);
	memset(f, 0, sizeof *f);
}

int framelink_row(framelink *f, uint64_t index, double freq, double amp,
                  double phase, double bandwidth)
{
	if (tfr_grow((void **)&f->next, &f->capnext, f->nnext + 1, sizeof *f->next))
		return TFR_ENOMEM;
	f->next[f->nnext] = (linked_row){ index, f->nnext, -1, freq, amp,
	                                     phase, bandwidth };
	f->nnext++;
	return TFR_OK;
}

static int by_index(const void *a, const void *b)
{
	const linked_row *x = a, *y = b;
	if (x->index != y->index)
		return x->index < y->index ? -1 : 1;
	return x->order < y->order ? -1 : x->order > y->order;
}

/* Sort the new frame by index and drop repeated indexes. */
static void sort_unique(framelink *f)
{
	if (f->nnext > 1)
		qsort(f->next, f->nnext, sizeof *f->next, by_index);
	size_t kept = 0;
	for (size_t i = 0; i < f->nnext; i++) {
		if (kept && f->next[kept - 1].index == f->next[i].index) {
			f->duplicates++;
			continue;
		}
		f->next[kept++] = f->next[i];
	}
	f->nnext = kept;
}

/* A new life of the row's index. */
static int start_life(framelink *f, linked_row *r)
{
	int64_t *lives = idmap_find(&f->lives, r->index);
	int64_t k = lives ? *lives : 0;
	if (k >= ((int64_t)1 << 30))
		k = ((int64_t)1 << 30);  /* never reached by a real file */
	r->id = (int64_t)r->index + k * (int64_t)FRAMELINK_MAX_INDEX;
	f->partials++;
	return TFR_OK;
}

static int end_life(framelink *f, uint64_t index)
{
	int64_t *lives = idmap_get(&f->lives, index, 0, NULL);
	if (!lives)
		return TFR_ENOMEM;
	++*lives;
	return TFR_OK;
}

static int emit(framelink *f, const linked_row *r, int end)
{
	if (f->outpos == f->nout)
		f->outpos = f->nout = 0;
	if (tfr_grow((void **)&f->out, &f->capout, f->nout + 1, sizeof *f->out))
		return TFR_ENOMEM;
	f->out[f->nout++] = (tfr_breakpoint){ r->id, f->tcur, r->freq,
	                                      (float)r->amp, (float)r->phase,
	                                      (float)r->bandwidth, end, 0, 0 };
	return TFR_OK;
}

static void swap_frames(framelink *f, double time)
{
	linked_row *t = f->cur;
	size_t cap = f->capcur;
	f->cur = f->next;
	f->capcur = f->capnext;
	f->ncur = f->nnext;
	f->next = t;
	f->capnext = cap;
	f->nnext = 0;
	f->tcur = time;
	f->have_cur = 1;
}

/* A frame at the current time again: add its new indexes to the
 * current frame, drop the rest. */
static int merge(framelink *f)
{
	size_t n = f->ncur;
	for (size_t i = 0, j = 0; i < f->nnext; i++) {
		while (j < n && f->cur[j].index < f->next[i].index)
			j++;
		if (j < n && f->cur[j].index == f->next[i].index) {
			f->duplicates++;
			continue;
		}
		if (tfr_grow((void **)&f->cur, &f->capcur, f->ncur + 1, sizeof *f->cur))
			return TFR_ENOMEM;
		f->cur[f->ncur] = f->next[i];
		f->cur[f->ncur].order = f->ncur;
		start_life(f, &f->cur[f->ncur++]);
	}
	f->nnext = 0;
	if (f->ncur > 1)
		qsort(f->cur, f->ncur, sizeof *f->cur, by_index);
	return TFR_OK;
}

/* The current frame is final: emit it, linking its partials to the new
 * frame's rows (both sorted by index). */
static int advance(framelink *f, double time)
{
	size_t j = 0;
	for (size_t i = 0; i < f->ncur; i++) {
		const linked_row *r = &f->cur[i];
		while (j < f->nnext && f->next[j].index < r->index)
			start_life(f, &f->next[j++]);
		int goes_on = j < f->nnext && f->next[j].index == r->index;
		if (goes_on)
			f->next[j++].id = r->id;
		if (emit(f, r, !goes_on) != TFR_OK || (!goes_on && end_life(f, r->index)))
			return TFR_ENOMEM;
	}
	while (j < f->nnext)
		start_life(f, &f->next[j++]);
	swap_frames(f, time);
	return TFR_OK;
}

int framelink_frame(framelink *f, double time)
{
	sort_unique(f);
	if (!f->have_cur) {
		for (size_t i = 0; i < f->nnext; i++)
			start_life(f, &f->next[i]);
		swap_frames(f, time);
		return TFR_OK;
	}
	if (time < f->tcur) {
		f->nnext = 0;
		return TFR_EFORMAT;
	}
	if (time == f->tcur)
		return merge(f);
	return advance(f, time);
}

int framelink_finish(framelink *f)
{
	if (!f->have_cur)
		return TFR_OK;
	for (size_t i = 0; i < f->ncur; i++)
		if (emit(f, &f->cur[i], 1) != TFR_OK)
			return TFR_ENOMEM;
	f->ncur = 0;
	f->have_cur = 0;
	return TFR_OK;
}

size_t framelink_take(framelink *f, tfr_breakpoint *dst, size_t max)
{
	size_t k = f->nout - f->outpos;
	if (k > max)
		k = max;
	if (k)
		memcpy(dst, f->out + f->outpos, k * sizeof *dst);
	f->outpos += k;
	return k;
}
