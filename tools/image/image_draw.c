/*
 * image_draw.c - tfr-image's records on its pages: points, the dots of
 * peaks, and the lines of partials, each from its previous breakpoint.
 */
#include "image.h"

#include <stdlib.h>

static size_t slot_of(const partial_map *m, int64_t id)
{
	uint64_t h = (uint64_t)id * 0x9E3779B97F4A7C15ull;
	return (size_t)(h >> 20) & (m->cap - 1);
}

static last_bp *map_find(partial_map *m, int64_t id)
{
	if (!m->cap)
		return NULL;
	for (size_t i = slot_of(m, id);; i = (i + 1) & (m->cap - 1)) {
		if (m->slot[i].id == id)
			return &m->slot[i];
		if (m->slot[i].id < 0)
			return NULL;
	}
}

static void map_grow(partial_map *m)
{
	partial_map b = { NULL, m->cap ? 2 * m->cap : 64, 0 };
	if (!(b.slot = malloc(b.cap * sizeof *b.slot)))
		tool_die(TOOL_EXIT_FAIL, "out of memory");
	for (size_t i = 0; i < b.cap; i++)
		b.slot[i].id = -1;
	for (size_t i = 0; i < m->cap; i++)
		if (m->slot[i].id >= 0) {
			size_t j = slot_of(&b, m->slot[i].id);
			while (b.slot[j].id >= 0)
				j = (j + 1) & (b.cap - 1);
			b.slot[j] = m->slot[i];
			b.n++;
		}
	free(m->slot);
	*m = b;
}

static last_bp *map_put(partial_map *m, int64_t id)
{
	last_bp *b = map_find(m, id);
	if (b)
		return b;
	if (2 * (m->n + 1) > m->cap)
		map_grow(m);
	size_t i = slot_of(m, id);
	while (m->slot[i].id >= 0)
		i = (i + 1) & (m->cap - 1);
	m->slot[i].id = id;
	m->n++;
	return &m->slot[i];
}

static void map_remove(partial_map *m, last_bp *b)
{
	size_t mask = m->cap - 1, i = (size_t)(b - m->slot), j = i;
	m->slot[i].id = -1;
	m->n--;
	for (;;) {
		j = (j + 1) & mask;
		if (m->slot[j].id < 0)
			return;
		size_t k = slot_of(m, m->slot[j].id);
		/* move j back to the hole at i unless its home k lies in (i, j] */
		if (i <= j ? (i < k && k <= j) : (i < k || k <= j))
			continue;
		m->slot[i] = m->slot[j];
		m->slot[j].id = -1;
		i = j;
	}
}

void image_draw_record(drawer *dr, const held *h)
{
	int64_t id = h->id;
	double t = h->t, f = h->f, amp = h->amp;
	int end = h->end;
	plotter *pl = dr->pl;
	float e = (float)(amp * amp);
	image_plot_front(pl, t);
	last_bp *b = dr->mode == DRAW_LINES ? map_find(&dr->partials, id) : NULL;
	for (int j = 0; j < pl->nopen; j++) {
		tfr_splat *s = pl->pg[j][dr->layer];
		if (dr->mode == DRAW_DOTS)
			tfr_splat_dot(s, t, f, e, dr->dot);
		else if (b)
			tfr_splat_line(s, b->t, b->f, b->e, t, f, e);
		else
			tfr_splat_point(s, t, f, e);
	}
	if (dr->mode != DRAW_LINES)
		return;
	if (end) {
		if (b)
			map_remove(&dr->partials, b);
		return;
	}
	if (!b)
		b = map_put(&dr->partials, id);
	b->t = t;
	b->f = f;
	b->e = e;
}

void image_drawer_free(drawer *dr)
{
	free(dr->partials.slot);
	dr->partials.slot = NULL;
}
