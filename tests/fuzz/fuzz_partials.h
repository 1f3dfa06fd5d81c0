/*
 * fuzz_partials.h - the contract of a partial-file reader's output
 * (tfr_sdif.h, tfr_spear.h), checked breakpoint by breakpoint: stream
 * order (nondecreasing time), each partial's times strictly increasing,
 * an id never met again after its end, every value in its documented
 * range, and at the end of the input every partial ended.
 */
#ifndef TFR_FUZZ_PARTIALS_H
#define TFR_FUZZ_PARTIALS_H

#include "fuzz_util.h"

#include "tfr.h"

#include <float.h>
#include <math.h>
#include <string.h>

typedef struct {
	int64_t id;
	double last;
	int ended;
	int used;
} fp_slot;

typedef struct {
	fp_slot *slot;
	size_t cap, n, open;
	double last_time;
	int64_t count;
	float phase_max;  /* pi; FLT_MAX where phases come as they were given */
} fp_checker;

static inline void fp_init(fp_checker *c)
{
	memset(c, 0, sizeof *c);
	c->cap = 1024;
	c->slot = calloc(c->cap, sizeof *c->slot);
	FUZZ_CHECK(c->slot);
	c->last_time = -INFINITY;
	c->phase_max = (float)M_PI;
}

static inline fp_slot *fp_find(fp_checker *c, int64_t id)
{
	if (2 * (c->n + 1) > c->cap) {
		fp_slot *old = c->slot;
		size_t oc = c->cap;
		c->cap *= 2;
		c->slot = calloc(c->cap, sizeof *c->slot);
		FUZZ_CHECK(c->slot);
		c->n = 0;
		for (size_t i = 0; i < oc; i++)
			if (old[i].used)
				*fp_find(c, old[i].id) = old[i];
		free(old);
	}
	size_t h = (size_t)((uint64_t)id * 0x9E3779B97F4A7C15ull >> 20) & (c->cap - 1);
	while (c->slot[h].used && c->slot[h].id != id)
		h = (h + 1) & (c->cap - 1);
	if (!c->slot[h].used) {
		c->slot[h].used = 1;
		c->slot[h].id = id;
		c->slot[h].last = -INFINITY;
		c->n++;
	}
	return &c->slot[h];
}

static inline void fp_take(fp_checker *c, const tfr_breakpoint *b)
{
	if (!(isfinite(b->time) && b->time >= c->last_time)) {
		fprintf(stderr, "breakpoint %lld: time %.17g after %.17g\n",
		        (long long)c->count, b->time, c->last_time);
		abort();
	}
	if (!(b->partial >= 0 && isfinite(b->freq) && b->freq >= 0 &&
	      isfinite(b->amp) && b->amp >= 0 && b->phase >= -c->phase_max &&
	      b->phase <= c->phase_max && b->bandwidth >= 0 &&
	      b->bandwidth <= 1 && (b->end == 0 || b->end == 1))) {
		fprintf(stderr, "breakpoint %lld out of range: partial %lld time "
		        "%.17g freq %.17g amp %.9g phase %.9g bandwidth %.9g "
		        "end %d\n", (long long)c->count, (long long)b->partial,
		        b->time, b->freq, (double)b->amp, (double)b->phase,
		        (double)b->bandwidth, (int)b->end);
		abort();
	}
	fp_slot *s = fp_find(c, b->partial);
	FUZZ_CHECK(!s->ended);
	if (!(b->time > s->last)) {
		fprintf(stderr, "partial %lld: time %.17g after %.17g\n",
		        (long long)b->partial, b->time, s->last);
		abort();
	}
	if (s->last == -INFINITY)
		c->open++;
	s->last = b->time;
	if (b->end) {
		s->ended = 1;
		c->open--;
	}
	c->last_time = b->time;
	c->count++;
}

/* At the end of the input: every partial has ended. */
static inline void fp_done(fp_checker *c)
{
	if (c->open != 0) {
		fprintf(stderr, "%zu partials without an end\n", c->open);
		abort();
	}
	free(c->slot);
}

static inline void fp_discard(fp_checker *c)
{
	free(c->slot);
}

/* Two reads gave the same breakpoints. */
static inline int fp_same(const tfr_breakpoint *a, const tfr_breakpoint *b,
                          size_t na, size_t nb)
{
	if (na != nb)
		return 0;
	for (size_t i = 0; i < na; i++)
		if (a[i].partial != b[i].partial || a[i].time != b[i].time ||
		    a[i].freq != b[i].freq || a[i].amp != b[i].amp ||
		    a[i].phase != b[i].phase || a[i].bandwidth != b[i].bandwidth ||
		    a[i].end != b[i].end)
			return 0;
	return 1;
}

/* ---- a partial-file reader read whole, from a pipe and from a file ---- */

/* One reader's calls, behind void pointers (SDIF and SPEAR readers
 * have the same shape); check runs at a clean end with the breakpoints
 * read, for what only that reader offers. */
typedef struct {
	void *(*open)(FILE *fp, const unsigned char *head, size_t nhead, tfr_diag *d);
	long (*read)(void *r, tfr_breakpoint *bp, size_t max);
	const tfr_diag *(*diag)(const void *r);
	int64_t (*breakpoints)(const void *r);   /* its stats' count */
	void (*check)(void *r, const tfr_breakpoint *bp, size_t n);
	void (*close)(void *r);
} fp_reader;

typedef struct {
	tfr_breakpoint *bp;
	size_t n, cap;
	int err;
} fp_result;

/* Read fp whole as tfr-convert does (its first TFR_PFORMAT_HEAD bytes
 * taken for detection and given back as the head), every breakpoint
 * through the contract, into out. */
static inline void fp_read_all(const fp_reader *rd, FILE *fp, const uint8_t *data,
                               size_t size, fp_result *out)
{
	enum { CHUNK = 257 };
	unsigned char head[TFR_PFORMAT_HEAD];
	size_t nhead = fread(head, 1, sizeof head, fp);
	FUZZ_CHECK(nhead == (size < sizeof head ? size : sizeof head));
	FUZZ_CHECK(!memcmp(head, data, nhead));
	tfr_diag d;
	memset(out, 0, sizeof *out);
	void *r = rd->open(fp, head, nhead, &d);
	if (!r) {
		FUZZ_CHECK(d.code < 0 && d.text[0]);
		out->err = d.code;
		return;
	}
	fp_checker c;
	fp_init(&c);
	tfr_breakpoint buf[CHUNK];
	long n;
	while ((n = rd->read(r, buf, CHUNK)) > 0) {
		FUZZ_CHECK(n <= CHUNK);
		for (long i = 0; i < n; i++)
			fp_take(&c, &buf[i]);
		if (out->n + (size_t)n > out->cap) {
			out->cap = 2 * (out->n + (size_t)n);
			out->bp = realloc(out->bp, out->cap * sizeof *out->bp);
			FUZZ_CHECK(out->bp);
		}
		memcpy(out->bp + out->n, buf, (size_t)n * sizeof *buf);
		out->n += (size_t)n;
	}
	if (n < 0) {
		const tfr_diag *e = rd->diag(r);
		FUZZ_CHECK(e->code == n && e->text[0]);
		out->err = (int)n;
		fp_discard(&c);
	} else {
		FUZZ_CHECK(rd->read(r, buf, CHUNK) == 0);
		fp_done(&c);
		FUZZ_CHECK(rd->breakpoints(r) == (int64_t)out->n);
		rd->check(r, out->bp, out->n);
	}
	rd->close(r);
}

/* The whole harness: the format detected from the first bytes, as
 * tfr-convert does first; then the input read from a pipe and from a
 * file, which must agree (the same breakpoints, or the same failure). */
static inline int fp_pipe_and_file(const fp_reader *rd, const uint8_t *data, size_t size)
{
	fp_result a, b;
	tfr_pformat f = tfr_pformat_detect(data, size < TFR_PFORMAT_HEAD ? size
	                                                             : TFR_PFORMAT_HEAD);
	FUZZ_CHECK(f >= TFR_PFORMAT_UNKNOWN && f <= TFR_PFORMAT_SPEAR_FRAMES);
	FUZZ_CHECK(tfr_pformat_name(f) != NULL);
	FILE *fp = fuzz_stream(data, size);
	if (!fp)
		return 0;
	fp_read_all(rd, fp, data, size, &a);
	fclose(fp);
	fp = fuzz_file(data, size, NULL);
	if (!fp) {
		free(a.bp);
		return 0;
	}
	fp_read_all(rd, fp, data, size, &b);
	fclose(fp);
	if (a.err != b.err || !fp_same(a.bp, b.bp, a.n, b.n)) {
		fprintf(stderr, "pipe and file disagree: %d/%zu vs %d/%zu\n",
		        a.err, a.n, b.err, b.n);
		abort();
	}
	free(a.bp);
	free(b.bp);
	return 0;
}

#endif
