/*
 * test_sdif.c - SDIF partial files: Loris's own RBEP and 1TRC files (with
 * their wrong frame sizes), round trips through the writer (RBEP bit for
 * bit, 1TRC within float precision), the writer's bytes parsed by hand,
 * tolerated oddities, and hostile input: every truncation of small
 * files (seekable and through a pipe), impossible sizes, bad values.
 */
#include "testutil.h"
#include "tfr_bpgrid.h"
#include "tfr_sdif.h"

#include <math.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/* ---- bytes, built by hand and read back ---- */

typedef struct {
	unsigned char *p;
	size_t n, cap;
} bytes;

static void b_put(bytes *b, const void *s, size_t n)
{
	if (b->n + n > b->cap) {
		b->cap = (b->n + n) * 2 + 64;
		b->p = realloc(b->p, b->cap);
	}
	memcpy(b->p + b->n, s, n);
	b->n += n;
}

static void b_u32(bytes *b, uint32_t v)
{
	unsigned char q[4] = { (unsigned char)(v >> 24), (unsigned char)(v >> 16),
	                       (unsigned char)(v >> 8), (unsigned char)v };
	b_put(b, q, 4);
}

static void b_f64(bytes *b, double v)
{
	uint64_t u;
	memcpy(&u, &v, 8);
	b_u32(b, (uint32_t)(u >> 32));
	b_u32(b, (uint32_t)u);
}

static void b_f32(bytes *b, float v)
{
	uint32_t u;
	memcpy(&u, &v, 4);
	b_u32(b, u);
}

static void b_header(bytes *b)
{
	b_put(b, "SDIF", 4);
	b_u32(b, 8);
	b_u32(b, 3);
	b_u32(b, 1);
}

/* A frame header; returns its offset for b_frame_size. */
static size_t b_frame(bytes *b, const char *sig, double t, int32_t stream, int32_t nmat)
{
	size_t at = b->n;
	b_put(b, sig, 4);
	b_u32(b, 0);
	b_f64(b, t);
	b_u32(b, (uint32_t)stream);
	b_u32(b, (uint32_t)nmat);
	return at;
}

/* Set the size field right (or wrong by `off`). */
static void b_frame_size(bytes *b, size_t at, long off)
{
	uint32_t size = (uint32_t)((long)(b->n - at - 8) + off);
	unsigned char *q = b->p + at + 4;
	q[0] = (unsigned char)(size >> 24);
	q[1] = (unsigned char)(size >> 16);
	q[2] = (unsigned char)(size >> 8);
	q[3] = (unsigned char)size;
}

/* A matrix with its data (float64 or float32) and padding. */
static void b_matrix(bytes *b, const char *sig, int width, int32_t rows, int32_t cols,
                     const double *v)
{
	b_put(b, sig, 4);
	b_u32(b, width == 8 ? 8 : 4);
	b_u32(b, (uint32_t)rows);
	b_u32(b, (uint32_t)cols);
	size_t start = b->n;
	for (int32_t i = 0; i < rows * cols; i++) {
		if (width == 8)
			b_f64(b, v[i]);
		else
			b_f32(b, (float)v[i]);
	}
	while ((b->n - start) % 8)
		b_put(b, "", 1);
}

static uint32_t get32(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static double get64(const unsigned char *p)
{
	uint64_t u = (uint64_t)get32(p) << 32 | get32(p + 4);
	double v;
	memcpy(&v, &u, 8);
	return v;
}

static float getf32(const unsigned char *p)
{
	uint32_t u = get32(p);
	float v;
	memcpy(&v, &u, 4);
	return v;
}

static FILE *seekable_of(const void *p, size_t n)
{
	FILE *f = tmpfile();
	if (n)
		fwrite(p, 1, n, f);
	rewind(f);
	return f;
}

/* A pipe fed by a thread, so that any size goes through. */
typedef struct {
	int fd;
	const unsigned char *p;
	size_t n;
	pthread_t th;
	FILE *fp;
} piped;

static void *feed(void *arg)
{
	piped *q = arg;
	size_t done = 0;
	while (done < q->n) {
		ssize_t k = write(q->fd, q->p + done, q->n - done);
		if (k <= 0)
			break;  /* the reader stopped early */
		done += (size_t)k;
	}
	close(q->fd);
	return NULL;
}

static FILE *pipe_open(piped *q, const void *p, size_t n)
{
	int fd[2];
	if (pipe(fd) != 0)
		return NULL;
	q->fd = fd[1];
	q->p = p;
	q->n = n;
	q->fp = fdopen(fd[0], "rb");
	pthread_create(&q->th, NULL, feed, q);
	return q->fp;
}

static void pipe_close(piped *q)
{
	fclose(q->fp);
	pthread_join(q->th, NULL);
}

static bytes file_bytes(const char *name)
{
	bytes b = { 0 };
	FILE *f = fopen(test_data_path(name), "rb");
	if (!CHECK(name, f != NULL))
		return b;
	char buf[65536];
	size_t k;
	while ((k = fread(buf, 1, sizeof buf, f)) > 0)
		b_put(&b, buf, k);
	fclose(f);
	return b;
}

/* ---- reading everything ---- */

typedef struct {
	tfr_breakpoint *bp;
	size_t n, cap;
	int err;             /* TFR_OK, or the failure (of _new or _read) */
	tfr_diag diag;
	tfr_sdif_type type;
	tfr_sdif_stats st;
	tfr_sdif_label labels[16];
	size_t nlabels;
} result;

static result read_all(FILE *fp, const void *head, size_t nhead, size_t batch)
{
	result r = { 0 };
	tfr_sdif_reader *rd = tfr_sdif_reader_new(fp, head, nhead, &r.diag);
	if (!rd) {
		r.err = r.diag.code;
		return r;
	}
	r.type = tfr_sdif_reader_type(rd);
	long k;
	for (;;) {
		if (r.n + batch > r.cap) {
			r.cap = (r.n + batch) * 2;
			r.bp = realloc(r.bp, r.cap * sizeof *r.bp);
		}
		if ((k = tfr_sdif_reader_read(rd, r.bp + r.n, batch)) <= 0)
			break;
		r.n += (size_t)k;
	}
	if (k < 0) {
		r.err = (int)k;
		r.diag = *tfr_sdif_reader_diag(rd);
	}
	tfr_sdif_reader_stats(rd, &r.st);
	size_t nl;
	const tfr_sdif_label *l = tfr_sdif_reader_labels(rd, &nl);
	r.nlabels = nl < 16 ? nl : 16;
	if (r.nlabels)
		memcpy(r.labels, l, r.nlabels * sizeof *l);
	tfr_sdif_reader_free(rd);
	return r;
}

static result read_bytes(const bytes *b, int through_pipe)
{
	if (through_pipe) {
		piped q;
		FILE *f = pipe_open(&q, b->p, b->n);
		result r = read_all(f, NULL, 0, 7);
		pipe_close(&q);
		return r;
	}
	FILE *f = seekable_of(b->p, b->n);
	result r = read_all(f, NULL, 0, 7);
	fclose(f);
	return r;
}

typedef struct {
	int64_t partial;
	size_t pos;
	double time;
	int end;
} keyed;

static int by_partial(const void *a, const void *b)
{
	const keyed *x = a, *y = b;
	if (x->partial != y->partial)
		return x->partial < y->partial ? -1 : 1;
	return x->pos < y->pos ? -1 : x->pos > y->pos;
}

/* Stream order: time nondecreasing, each partial's times increasing and
 * its end flag on its last breakpoint only. Returns the partial count. */
static int64_t check_stream(const char *what, const tfr_breakpoint *bp, size_t n)
{
	int ok = 1;
	for (size_t i = 1; i < n; i++)
		ok = ok && bp[i].time >= bp[i - 1].time;
	keyed *k = malloc((n ? n : 1) * sizeof *k);
	for (size_t i = 0; i < n; i++)
		k[i] = (keyed){ bp[i].partial, i, bp[i].time, bp[i].end };
	qsort(k, n, sizeof *k, by_partial);
	int64_t parts = 0;
	for (size_t i = 0; i < n; i++) {
		int last = i + 1 == n || k[i + 1].partial != k[i].partial;
		ok = ok && k[i].end == last;
		if (!last)
			ok = ok && k[i + 1].time > k[i].time;
		parts += last;
	}
	free(k);
	CHECK(what, ok);
	return parts;
}

/* ---- a synthetic stream with awkward values ---- */

static size_t make_stream(tfr_breakpoint *out, size_t max, int np, uint64_t seed)
{
	static tfr_breakpoint all[20000];
	size_t start[101], idx[100] = { 0 }, n = 0;
	const float fpi = (float)M_PI;
	const float odd_phase[] = { -fpi, fpi, -1e-9f, -0.0f, 0.0f, -3.1415925f, 1e-30f, -1e-30f };
	uint64_t s = seed;
	for (int k = 0; k < np && k < 100; k++) {
		start[k] = n;
		double t = 0.01 * k + 0.005 * test_rand(&s) + 1e-7;
		int m = 1 + (int)(60 * test_rand(&s));
		for (int i = 0; i < m && n < 20000; i++) {
			float ph = (float)(2 * M_PI * test_rand(&s) - M_PI);
			if (test_rand(&s) < 0.1)
				ph = odd_phase[(int)(8 * test_rand(&s))];
			float bw = (float)test_rand(&s);
			if (test_rand(&s) < 0.1)
				bw = test_rand(&s) < 0.5 ? 0.0f : 1.0f;
			all[n++] = (tfr_breakpoint){ k, t, 20 + 20000 * test_rand(&s),
			                             (float)test_rand(&s), ph, bw, i == m - 1 };
			t += 0.001 + 0.006 * test_rand(&s);
		}
	}
	start[np] = n;
	size_t m = 0;
	while (m < n && m < max) {
		int best = -1;
		for (int k = 0; k < np; k++)
			if (start[k] + idx[k] < start[k + 1] &&
			    (best < 0 || all[start[k] + idx[k]].time < all[start[best] + idx[best]].time))
				best = k;
		out[m++] = all[start[best] + idx[best]++];
	}
	return m;
}

static int same_bits(const void *a, const void *b, size_t n)
{
	return memcmp(a, b, n) == 0;
}

static int same_breakpoint(const tfr_breakpoint *a, const tfr_breakpoint *b)
{
	return a->partial == b->partial && same_bits(&a->time, &b->time, 8) &&
	       same_bits(&a->freq, &b->freq, 8) && same_bits(&a->amp, &b->amp, 4) &&
	       same_bits(&a->phase, &b->phase, 4) && same_bits(&a->bandwidth, &b->bandwidth, 4) &&
	       a->end == b->end;
}

static bytes write_rbep(const tfr_breakpoint *bp, size_t n, const tfr_sdif_label *labels,
                        size_t nlabels, size_t batch)
{
	bytes b = { 0 };
	FILE *f = tmpfile();
	tfr_sdif_writer_params p;
	tfr_sdif_writer_params_default(&p);
	p.labels = labels;
	p.nlabels = nlabels;
	tfr_diag d;
	tfr_sdif_writer *w = tfr_sdif_writer_new(f, &p, &d);
	if (!CHECK("RBEP writer", w != NULL))
		return b;
	for (size_t i = 0; i < n; i += batch)
		CHECK("RBEP write", tfr_sdif_write_breakpoints(w, bp + i, n - i < batch ? n - i : batch) == TFR_OK);
	CHECK("RBEP close", tfr_sdif_writer_close(w) == TFR_OK);
	long len = ftell(f);
	rewind(f);
	b.p = malloc((size_t)len + 1);
	b.n = b.cap = fread(b.p, 1, (size_t)len, f);
	fclose(f);
	return b;
}

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

/* ---- Loris's files ---- */

static result loris_rbep;

/* L1: RBEP as Loris wrote it: 10 partials, the 4380 breakpoints of the
 * analysis, a wrong size in every frame; the same through a pipe. */
static void l1_loris_rbep(void)
{
	bytes b = file_bytes("additive/loris_tone_main.rbep.sdif");
	result r = read_bytes(&b, 0), q = read_bytes(&b, 1);
	CHECK("L1 RBEP reads", r.err == TFR_OK && r.type == TFR_SDIF_RBEP);
	if (!CHECK("L1 4380 breakpoints", r.n == 4380))
		return;
	CHECK("L1 10 partials", check_stream("L1 stream order", r.bp, r.n) == 10 && r.st.partials == 10);
	int per = 1;
	for (int k = 0; k < 10; k++) {
		size_t c = 0;
		for (size_t i = 0; i < r.n; i++)
			c += r.bp[i].partial == k;
		per = per && c == 438;
	}
	CHECK("L1 438 breakpoints per partial", per);
	CHECK("L1 438 frames, all with a wrong size field",
	      r.st.frames == 438 && r.st.envelope_frames == 438 && r.st.size_mismatches == 438);
	CHECK("L1 no labels, nothing skipped or dropped",
	      r.nlabels == 0 && r.st.skipped_frames == 0 && r.st.duplicates == 0);
	/* the first breakpoint: frame 0.012 + offset 0.000329134 (partial 9) */
	CHECK_NEAR("L1 first time", r.bp[0].time, 0.012329134, 1e-9);
	int same = q.err == TFR_OK && q.n == r.n;
	for (size_t i = 0; same && i < r.n; i++)
		same = same_breakpoint(&r.bp[i], &q.bp[i]);
	CHECK("L1 through a pipe: the same breakpoints", same);
	FILE *f = seekable_of(b.p, b.n);
	int reps = 20;
	double t0 = now();
	for (int i = 0; i < reps; i++) {
		rewind(f);
		result x = read_all(f, NULL, 0, 4096);
		free(x.bp);
	}
	double dt = (now() - t0) / reps;
	fclose(f);
	printf("L1 Loris RBEP: %zu breakpoints, %lld partials, %lld of %lld frame sizes wrong (tolerated); read in %.2f ms (%.0f ns/breakpoint, two passes)\n",
	       r.n, (long long)r.st.partials, (long long)r.st.size_mismatches,
	       (long long)r.st.frames, 1e3 * dt, 1e9 * dt / (double)r.n);
	loris_rbep = r;
	free(q.bp);
	free(b.p);
}

/* L2: 1TRC of the same partials: Loris resamples them at its frame times
 * (Partial::parametersAt), so every row must equal the RBEP breakpoints
 * interpolated there (frequency, amplitude linear; phase advanced by the
 * integral of the linear frequency), and rows before a partial's first
 * breakpoint have amplitude 0. */
static void l2_loris_1trc(void)
{
	bytes b = file_bytes("additive/loris_tone_main.1trc.sdif");
	result r = read_bytes(&b, 0), q = read_bytes(&b, 1);
	if (!CHECK("L2 1TRC reads", r.err == TFR_OK && r.type == TFR_SDIF_1TRC && loris_rbep.n))
		return;
	CHECK("L2 4380 rows, 10 partials",
	      r.n == 4380 && check_stream("L2 stream order", r.bp, r.n) == 10 && r.st.partials == 10);
	CHECK("L2 438 frames, all with a wrong size field",
	      r.st.frames == 438 && r.st.size_mismatches == 438);
	int same = q.err == TFR_OK && q.n == r.n;
	for (size_t i = 0; same && i < r.n; i++)
		same = same_breakpoint(&r.bp[i], &q.bp[i]);
	CHECK("L2 through a pipe: the same", same);
	/* each partial's breakpoints, in time order */
	const result *e = &loris_rbep;
	static const tfr_breakpoint *of[10][438];
	size_t count[10] = { 0 };
	for (size_t j = 0; j < e->n; j++)
		if (e->bp[j].partial >= 0 && e->bp[j].partial < 10 && count[e->bp[j].partial] < 438)
			of[e->bp[j].partial][count[e->bp[j].partial]++] = &e->bp[j];
	double ef = 0, ea = 0, ep = 0;
	size_t births = 0, checked = 0;
	for (size_t i = 0; i < r.n; i++) {
		const tfr_breakpoint *x = &r.bp[i];
		const tfr_breakpoint *a = NULL, *c = NULL;
		int64_t k = x->partial >= 0 && x->partial < 10 ? x->partial : 0;
		for (size_t j = 0; j < count[k] && !c; j++) {
			if (of[k][j]->time <= x->time)
				a = of[k][j];
			else
				c = of[k][j];
		}
		if (!a) {
			births++;
			CHECK("L2 row before the first breakpoint has amplitude 0", x->amp == 0 && c &&
			      x->freq == c->freq);
			continue;
		}
		if (!c)
			continue;  /* none here: Loris's last frame is before the last breakpoint */
		double u = (x->time - a->time) / (c->time - a->time);
		double f = a->freq + u * (c->freq - a->freq);
		double amp = a->amp + u * (c->amp - a->amp);
		double cyc = (x->time - a->time) * (a->freq + 0.5 * u * (c->freq - a->freq));
		double ph = a->phase + 2 * M_PI * cyc;
		ef = fmax(ef, fabs(x->freq - f) / f);
		ea = fmax(ea, fabs(x->amp - amp));
		ep = fmax(ep, fabs(remainder(x->phase - ph, 2 * M_PI)));
		checked++;
	}
	CHECK("L2 one birth row per partial", births == 10 && checked == 4370);
	CHECK_NEAR("L2 frequency vs RBEP interpolated (relative)", ef, 0, 1e-12);
	CHECK_NEAR("L2 frequency, tight", ef, 0, 1e-15);
	CHECK_NEAR("L2 amplitude vs RBEP interpolated (float)", ea, 0, 1e-7);
	CHECK_NEAR("L2 amplitude, tight", ea, 0, 8e-8);
	CHECK_NEAR("L2 phase vs RBEP integrated (float phases, rad)", ep, 0, 1e-6);
	CHECK_NEAR("L2 phase, tight", ep, 0, 7e-7);
	printf("L2 Loris 1TRC: %zu rows, %lld partials, %lld frame sizes wrong; vs RBEP at the frame times: |df|/f %.2g, |da| %.2g, |dphase| %.2g rad (float fields)\n",
	       r.n, (long long)r.st.partials, (long long)r.st.size_mismatches, ef, ea, ep);
	free(r.bp);
	free(q.bp);
	free(b.p);
}

/* ---- round trips ---- */

/* R1: breakpoints -> RBEP -> breakpoints, bit for bit, with labels, on a
 * file and through a pipe, written in batches of any size. */
static void r1_rbep_round_trip(void)
{
	static tfr_breakpoint bp[20000];
	size_t n = make_stream(bp, 20000, 80, 3);
	tfr_sdif_label labels[] = { { 0, 1 }, { 5, 2 }, { 79, -3 } };
	bytes b = write_rbep(bp, n, labels, 3, 13);
	bytes b1 = write_rbep(bp, n, labels, 3, 1);
	CHECK("R1 the batch size does not change the file", b.n == b1.n && !memcmp(b.p, b1.p, b.n));
	int exact = 1, piped_exact = 1;
	for (int through = 0; through < 2; through++) {
		result r = read_bytes(&b, through);
		int ok = r.err == TFR_OK && r.n == n && r.nlabels == 3;
		for (size_t i = 0; ok && i < n; i++)
			ok = same_breakpoint(&r.bp[i], &bp[i]);
		for (size_t i = 0; ok && i < 3; i++)
			ok = r.labels[i].partial == labels[i].partial && r.labels[i].label == labels[i].label;
		if (through)
			piped_exact = ok;
		else
			exact = ok;
		free(r.bp);
	}
	CHECK("R1 RBEP round trip is bit-exact (file)", exact);
	CHECK("R1 RBEP round trip is bit-exact (pipe)", piped_exact);
	/* the label of a partial, through the reader's lookup */
	FILE *f = seekable_of(b.p, b.n);
	tfr_diag d;
	tfr_sdif_reader *rd = tfr_sdif_reader_new(f, NULL, 0, &d);
	int64_t label = 0;
	CHECK("R1 label of partial 79", rd && tfr_sdif_reader_label(rd, 79, &label) && label == -3);
	CHECK("R1 no label for partial 1", rd && !tfr_sdif_reader_label(rd, 1, &label));
	tfr_sdif_reader_free(rd);
	fclose(f);
	/* the format detection's head bytes are given back */
	f = seekable_of(b.p, b.n);
	unsigned char head[32];
	size_t nh = fread(head, 1, sizeof head, f);
	result r = read_all(f, head, nh, 1000);
	CHECK("R1 with head bytes taken out first", r.err == TFR_OK && r.n == n &&
	      same_breakpoint(&r.bp[n - 1], &bp[n - 1]));
	free(r.bp);
	fclose(f);
	piped q;
	f = pipe_open(&q, b.p, b.n);
	nh = fread(head, 1, 5, f);
	r = read_all(f, head, nh, 1000);
	CHECK("R1 head bytes from a pipe", r.err == TFR_OK && r.n == n &&
	      same_breakpoint(&r.bp[n / 2], &bp[n / 2]));
	free(r.bp);
	pipe_close(&q);
	size_t frames = 0;
	for (size_t i = 16; i + 24 <= b.n; i += 8 + get32(b.p + i + 4))
		frames++;
	printf("R1 RBEP round trip: %zu breakpoints of 80 partials in %zu frames (%zu bytes) read back bit for bit\n",
	       n, frames, b.n);
	free(b.p);
	free(b1.p);
}

/* R2: the bytes of a small RBEP file with labels, parsed by hand. */
static void r2_rbep_bytes(void)
{
	tfr_breakpoint bp[] = {
		{ 4, 0.5, 440, 0.25f, -1.5f, 0.125f, 0 },
		{ 7, 0.5, 660, 0.5f, 2.0f, 0, 1 },
		{ 4, 0.75, 441, 0.25f, 0.5f, 1, 1 },  /* partial 4 again: a new frame */
	};
	tfr_sdif_label lab[] = { { 4, 1 } };
	bytes b = write_rbep(bp, 3, lab, 1, 3);
	const unsigned char *p = b.p;
	CHECK("R2 length: 16 + RBEL 56 + 2 RBEP frames (136, 88)", b.n == 16 + 56 + 136 + 88);
	if (b.n != 16 + 56 + 136 + 88)
		return;
	CHECK("R2 file header", !memcmp(p, "SDIF", 4) && get32(p + 4) == 8 && get32(p + 8) == 3 &&
	      get32(p + 12) == 1);
	p += 16;
	CHECK("R2 RBEL frame header", !memcmp(p, "RBEL", 4) && get32(p + 4) == 48 && get64(p + 8) == 0 &&
	      get32(p + 16) == 2 && get32(p + 20) == 1);
	CHECK("R2 RBEL matrix", !memcmp(p + 24, "RBEL", 4) && get32(p + 28) == 8 &&
	      get32(p + 32) == 1 && get32(p + 36) == 2 && get64(p + 40) == 4 && get64(p + 48) == 1);
	p += 56;
	CHECK("R2 first RBEP frame: size 16 + 16 + 2 x 48, time 0.5, stream 1",
	      !memcmp(p, "RBEP", 4) && get32(p + 4) == 128 && get64(p + 8) == 0.5 &&
	      get32(p + 16) == 1 && get32(p + 20) == 1);
	CHECK("R2 its matrix: float64, 2 x 6", !memcmp(p + 24, "RBEP", 4) && get32(p + 28) == 8 &&
	      get32(p + 32) == 2 && get32(p + 36) == 6);
	const unsigned char *row = p + 40;
	CHECK("R2 row 1: index, freq, amp, phase + 2 pi, bandwidth, offset 0",
	      get64(row) == 4 && get64(row + 8) == 440 && get64(row + 16) == 0.25 &&
	      get64(row + 24) == -1.5 + 2 * M_PI && get64(row + 32) == 0.125 && get64(row + 40) == 0);
	CHECK("R2 row 2", get64(row + 48) == 7 && get64(row + 72) == 2.0);
	p += 136;
	CHECK("R2 second RBEP frame at 0.75, one row, offset 0",
	      !memcmp(p, "RBEP", 4) && get32(p + 4) == 80 && get64(p + 8) == 0.75 &&
	      get32(p + 32) == 1 && get64(p + 40) == 4 && get64(p + 40 + 40) == 0);
	free(b.p);
}

/* Frames of a grid resampling, written as 1TRC and read back. */
typedef struct {
	double *t;
	tfr_grid_row *row;
	size_t *start;
	size_t nf, nr;
} frames;

static frames grid_of(const tfr_breakpoint *bp, size_t n, double period)
{
	frames g = { 0 };
	tfr_bpgrid_params p;
	tfr_bpgrid_params_default(&p);
	p.period = period;
	tfr_diag d;
	tfr_bpgrid *gr = tfr_bpgrid_new(&p, &d);
	size_t capf = 1024, capr = 16384;
	g.t = malloc(capf * sizeof *g.t);
	g.start = malloc((capf + 1) * sizeof *g.start);
	g.row = malloc(capr * sizeof *g.row);
	g.start[0] = 0;
	CHECK("grid process", tfr_bpgrid_process(gr, bp, n) == TFR_OK);
	tfr_bpgrid_flush(gr);
	double t;
	const tfr_grid_row *rows;
	size_t k;
	while (tfr_bpgrid_next(gr, &t, &rows, &k) == 1) {
		if (g.nf + 1 >= capf) {
			capf *= 2;
			g.t = realloc(g.t, capf * sizeof *g.t);
			g.start = realloc(g.start, (capf + 1) * sizeof *g.start);
		}
		while (g.nr + k > capr) {
			capr *= 2;
			g.row = realloc(g.row, capr * sizeof *g.row);
		}
		memcpy(g.row + g.nr, rows, k * sizeof *rows);
		g.nr += k;
		g.t[g.nf++] = t;
		g.start[g.nf] = g.nr;
	}
	tfr_bpgrid_free(gr);
	return g;
}

static bytes write_1trc(const frames *g, int width)
{
	bytes b = { 0 };
	FILE *f = tmpfile();
	tfr_sdif_writer_params p;
	tfr_sdif_writer_params_default(&p);
	p.type = TFR_SDIF_1TRC;
	p.float_bytes = width;
	tfr_diag d;
	tfr_sdif_writer *w = tfr_sdif_writer_new(f, &p, &d);
	for (size_t i = 0; i < g->nf; i++)
		CHECK("1TRC write", tfr_sdif_write_frame(w, g->t[i], g->row + g->start[i],
		                                         g->start[i + 1] - g->start[i]) == TFR_OK);
	CHECK("1TRC close", tfr_sdif_writer_close(w) == TFR_OK);
	long len = ftell(f);
	rewind(f);
	b.p = malloc((size_t)len);
	b.n = b.cap = fread(b.p, 1, (size_t)len, f);
	fclose(f);
	return b;
}

/* R3: breakpoints -> grid -> 1TRC float32 / float64 -> breakpoints: the
 * grid rows within float precision, births and deaths as absences. */
static void r3_1trc_round_trip(void)
{
	static tfr_breakpoint bp[20000];
	size_t n = make_stream(bp, 20000, 60, 5);
	frames g = grid_of(bp, n, 0.004);
	for (int width = 4; width <= 8; width += 4) {
		bytes b = write_1trc(&g, width);
		result r = read_bytes(&b, width == 4);
		CHECK("R3 1TRC reads", r.err == TFR_OK && r.type == TFR_SDIF_1TRC);
		CHECK("R3 one breakpoint per grid row", r.n == g.nr);
		check_stream("R3 stream order", r.bp, r.n);
		double ef = 0, ea = 0, ep = 0;
		int same_rows = r.n == g.nr;
		/* the reader gives a frame's rows in index order, as bpgrid */
		for (size_t f = 0, i = 0; same_rows && f < g.nf; f++) {
			for (size_t j = g.start[f]; j < g.start[f + 1]; j++, i++) {
				const tfr_grid_row *x = &g.row[j];
				const tfr_breakpoint *y = &r.bp[i];
				same_rows = y->partial == x->partial && y->time == g.t[f];
				ef = fmax(ef, fabs(y->freq - x->freq) / fmax(x->freq, 1e-300));
				ea = fmax(ea, fabs(y->amp - x->amp));
				ep = fmax(ep, fabs(remainder(y->phase - x->phase, 2 * M_PI)));
				/* a partial ends on its death row (amplitude 0) */
				if (y->end)
					same_rows = same_rows && x->amp == 0;
			}
		}
		CHECK("R3 ids and times of every row", same_rows);
		if (width == 4) {
			CHECK_NEAR("R3 float32 frequency (relative)", ef, 0, 6e-8);
			CHECK_NEAR("R3 float32 amplitude", ea, 0, 6e-8);
			CHECK_NEAR("R3 float32 phase (rad)", ep, 0, 1e-6);
		} else {
			CHECK_NEAR("R3 float64 frequency (relative)", ef, 0, 1e-15);
			CHECK_NEAR("R3 float64 amplitude (float field)", ea, 0, 6e-8);
			CHECK_NEAR("R3 float64 phase (float field, rad)", ep, 0, 5e-7);
		}
		printf("R3 1TRC float%d round trip: %zu frames, %zu rows: |df|/f %.2g, |da| %.2g, |dphase| %.2g rad\n",
		       8 * width, g.nf, g.nr, ef, ea, ep);
		if (width == 4) {
			/* by hand: the first frame's header and first row */
			const unsigned char *p = b.p + 16;
			size_t rows = g.start[1];
			CHECK("R3 1TRC frame by hand", !memcmp(p, "1TRC", 4) &&
			      get32(p + 4) == 32 + 16 * rows && get64(p + 8) == g.t[0] &&
			      !memcmp(p + 24, "1TRC", 4) && get32(p + 28) == 4 && get32(p + 32) == rows &&
			      get32(p + 36) == 4 && getf32(p + 40) == (float)g.row[0].partial &&
			      getf32(p + 44) == (float)g.row[0].freq);
		}
		free(r.bp);
		free(b.p);
	}
	free(g.t);
	free(g.row);
	free(g.start);
}

/* L3: Loris's frame times all lie on a 1 ms grid, so bpgrid over the RBEP
 * breakpoints with a 1 ms period makes every 1TRC frame Loris wrote:
 * same rows, same values (birth rows included), up to the float fields
 * the reader gives. */
static void l3_bpgrid_vs_loris(void)
{
	bytes b = file_bytes("additive/loris_tone_main.1trc.sdif");
	result r = read_bytes(&b, 0);
	const result *e = &loris_rbep;
	if (!CHECK("L3 inputs", r.n == 4380 && e->n == 4380))
		return;
	frames g = grid_of(e->bp, e->n, 0.001);
	double ef = 0, ea = 0, ep = 0;
	size_t matched = 0, f = 0;
	for (size_t i = 0; i < r.n; i++) {
		const tfr_breakpoint *x = &r.bp[i];
		while (f < g.nf && g.t[f] < x->time - 1e-12)
			f++;
		if (f == g.nf || fabs(g.t[f] - x->time) > 1e-12)
			break;
		for (size_t j = g.start[f]; j < g.start[f + 1]; j++) {
			if (g.row[j].partial != x->partial)
				continue;
			ef = fmax(ef, fabs(g.row[j].freq - x->freq) / x->freq);
			ea = fmax(ea, fabs(g.row[j].amp - x->amp));
			ep = fmax(ep, fabs(remainder(g.row[j].phase - x->phase, 2 * M_PI)));
			matched++;
		}
	}
	CHECK("L3 every row of Loris's 1TRC found in the grid", matched == 4380);
	CHECK_NEAR("L3 frequency (relative)", ef, 0, 1e-12);
	CHECK_NEAR("L3 frequency, tight", ef, 0, 1e-15);
	CHECK_NEAR("L3 amplitude (float fields)", ea, 0, 1e-7);
	CHECK_NEAR("L3 amplitude, tight", ea, 0, 8e-8);
	CHECK_NEAR("L3 phase (float fields, rad)", ep, 0, 1e-6);
	CHECK_NEAR("L3 phase, tight", ep, 0, 7e-7);
	printf("L3 bpgrid (1 ms) of Loris's RBEP vs Loris's own 1TRC: %zu rows; |df|/f %.2g, |da| %.2g, |dphase| %.2g rad\n",
	       matched, ef, ea, ep);
	free(g.t);
	free(g.row);
	free(g.start);
	free(r.bp);
	free(b.p);
}

/* ---- tolerated oddities ---- */

/* T1: unknown frames and matrices, a frame of another stream, float32
 * RBEP with an extra column, wrong sizes, a padded float32 matrix,
 * repeated rows. */
static void t1_tolerated(void)
{
	bytes b = { 0 };
	b_header(&b);
	size_t at = b_frame(&b, "1NVT", 0, 0, 1);  /* IRCAM name-value table */
	b_put(&b, "1NVT", 4);
	b_u32(&b, 0x0301);
	b_u32(&b, 13);
	b_u32(&b, 1);
	b_put(&b, "Creator\tdemo\n\0\0\0", 16);
	b_frame_size(&b, at, 0);
	double r1[] = { 1, 100, 0.5, 1, 0.25, 0.001, 99, 2, 200, 0.25, 2, 0, 0, 99 };
	at = b_frame(&b, "RBEP", 1.0, 1, 2);
	b_matrix(&b, "RBEP", 4, 2, 7, r1);  /* float32, 7 columns */
	double junk[] = { 1, 2, 3 };
	b_matrix(&b, "XXXX", 8, 1, 3, junk);
	b_frame_size(&b, at, -100);  /* wrong, as Loris's */
	double other[] = { 9, 900, 1, 0, 0, 0 };
	at = b_frame(&b, "RBEP", 1.5, 7, 1);  /* another stream: skipped */
	b_matrix(&b, "RBEP", 8, 1, 6, other);
	b_frame_size(&b, at, 0);
	double r2[] = { 1, 110, 0.5, 1, 0.25, 0.0, 2, 210, 0.25, 2, 0, 0 };
	double t2 = 1.0 + (double)0.001f;  /* partial 1's time again: dropped */
	at = b_frame(&b, "RBEP", t2, 1, 1);
	b_matrix(&b, "RBEP", 8, 2, 6, r2);
	b_frame_size(&b, at, 0);
	double odd[] = { 1, 2, 3, 4, 5 };
	at = b_frame(&b, "ZZZZ", 2, 1, 1);  /* float32, 5 values: 4 bytes of padding */
	b_matrix(&b, "ZZZZ", 4, 1, 5, odd);
	b_frame_size(&b, at, 0);
	for (int through = 0; through < 2; through++) {
		result r = read_bytes(&b, through);
		if (!CHECK("T1 reads", r.err == TFR_OK && r.type == TFR_SDIF_RBEP))
			fprintf(stderr, "  %s\n", r.diag.text);
		CHECK("T1 three breakpoints (one repeated time dropped)",
		      r.n == 3 && r.st.duplicates == 1);
		CHECK("T1 skipped: 1NVT, the other stream, ZZZZ; the XXXX matrix",
		      r.st.skipped_frames == 3 && r.st.skipped_matrices == 1 && r.st.size_mismatches == 1);
		if (r.n == 3) {
			CHECK("T1 float32 values", r.bp[0].partial == 2 && r.bp[0].time == 1.0 &&
			      r.bp[0].freq == 200 && r.bp[1].partial == 1 && r.bp[1].time == 1.0 + (double)0.001f &&
			      r.bp[1].bandwidth == 0.25f && r.bp[1].end == 1);
			CHECK("T1 partial 2 continues", r.bp[2].partial == 2 && r.bp[2].time == t2 &&
			      r.bp[2].end == 1 && r.bp[0].end == 0);
		}
		free(r.bp);
	}
	free(b.p);
}

/* T2: 1TRC: equal frame times merged, an index back after an absence is
 * a new partial (id + 2^32), more columns than four. */
static void t2_1trc_lives(void)
{
	bytes b = { 0 };
	b_header(&b);
	double f1[] = { 3, 100, 0.5, 0, 7, 4, 400, 0.5, 1, 7 };
	double f2[] = { 3, 101, 0.5, 0, 7 };   /* same time: 3 dropped */
	double f3[] = { 4, 401, 0.5, 0, 7 };   /* 3 ends at 1.0 */
	double f4[] = { 3, 102, 0.5, 0, 7, 4, 402, 0.5, 1, 7 };  /* 3 again */
	double times[] = { 1.0, 1.0, 1.01, 1.02 };
	const double *m[] = { f1, f2, f3, f4 };
	int rows[] = { 2, 1, 1, 2 };
	for (int i = 0; i < 4; i++) {
		size_t at = b_frame(&b, "1TRC", times[i], 1, 1);
		b_matrix(&b, "1TRC", 8, rows[i], 5, m[i]);
		b_frame_size(&b, at, 0);
	}
	result r = read_bytes(&b, 0);
	CHECK("T2 reads", r.err == TFR_OK && r.type == TFR_SDIF_1TRC && r.n == 5);
	int64_t life2 = 3 + ((int64_t)1 << 32);
	if (r.n == 5) {
		CHECK("T2 partial 3 ends at 1.0", r.bp[0].partial == 3 && r.bp[0].end == 1 &&
		      r.bp[0].freq == 100);
		CHECK("T2 partial 4 goes on", r.bp[1].partial == 4 && !r.bp[1].end && r.bp[2].partial == 4);
		CHECK("T2 index 3 again is partial 3 + 2^32", r.bp[3].partial == life2 && r.bp[3].end == 1 &&
		      r.bp[3].time == 1.02);
		CHECK("T2 counts", r.st.partials == 3 && r.st.duplicates == 1);
	}
	free(r.bp);
	free(b.p);
}

/* T3: Loris's legacy 7-column 1TRC: read like RBEP, flagged rows out. */
static void t3_legacy(void)
{
	bytes b = { 0 };
	b_header(&b);
	double f1[] = { 0, 100, 0.5, 1, 0.5, 0.002, 0, 1, 200, 0.5, 1, 0, 0, 1 };
	double f2[] = { 0, 101, 0.5, 1, 0.5, 0.003, 0 };
	size_t at = b_frame(&b, "1TRC", 0.5, 1, 1);
	b_matrix(&b, "1TRC", 8, 2, 7, f1);
	b_frame_size(&b, at, 0);
	at = b_frame(&b, "1TRC", 0.6, 1, 1);
	b_matrix(&b, "1TRC", 8, 1, 7, f2);
	b_frame_size(&b, at, 0);
	for (int through = 0; through < 2; through++) {
		result r = read_bytes(&b, through);
		CHECK("T3 legacy 1TRC", r.err == TFR_OK && r.type == TFR_SDIF_1TRC_LEGACY);
		CHECK("T3 the flagged row is left out", r.n == 2 && r.st.flagged == 1);
		if (r.n == 2)
			CHECK("T3 times with offsets, bandwidth", r.bp[0].time == 0.502 && r.bp[1].time == 0.603 &&
			      r.bp[1].bandwidth == 0.5f && r.bp[1].end == 1 && r.bp[0].end == 0);
		free(r.bp);
	}
	free(b.p);
}

/* ---- hostile input ---- */

static int fails_with(const bytes *b, int code, const char *what)
{
	int ok = 1;
	for (int through = 0; through < 2; through++) {
		result r = read_bytes(b, through);
		ok = ok && r.err == code && r.diag.text[0];
		if (!ok)
			fprintf(stderr, "%s: got %d (%s), expected %d\n", what, r.err, r.diag.text, code);
		free(r.bp);
	}
	return CHECK(what, ok);
}

static void h1_hostile(void)
{
	bytes b = { 0 };
	CHECK("H1 empty input", fails_with(&b, TFR_EFORMAT, "H1 empty input"));
	b_put(&b, "RIFF....WAVEfmt ", 16);
	fails_with(&b, TFR_EFORMAT, "H1 wrong magic");
	b.n = 0;
	b_put(&b, "SDI", 3);
	fails_with(&b, TFR_EEOF, "H1 three bytes of the magic");
	b.n = 0;
	b_put(&b, "SDIF", 4);
	b_u32(&b, 0x7fffffff);
	b_u32(&b, 3);
	b_u32(&b, 1);
	fails_with(&b, TFR_EEOF, "H1 a huge file header size");

	/* rows x cols x 8 beyond size_t */
	b.n = 0;
	b_header(&b);
	b_frame(&b, "RBEP", 0, 1, 1);
	b_put(&b, "RBEP", 4);
	b_u32(&b, 8);
	b_u32(&b, 0x7fffffff);
	b_u32(&b, 0x7fffffff);
	fails_with(&b, TFR_EFORMAT, "H1 matrix size overflows");
	/* beyond the file */
	b.n = 0;
	b_header(&b);
	b_frame(&b, "1TRC", 0, 1, 1);
	b_put(&b, "1TRC", 4);
	b_u32(&b, 8);
	b_u32(&b, 1000000);
	b_u32(&b, 4);
	double row[] = { 0, 100, 1, 0 };
	for (int i = 0; i < 4; i++)
		b_f64(&b, row[i]);
	fails_with(&b, TFR_EEOF, "H1 matrix beyond the end of the file");
	/* an unknown frame declaring a huge matrix */
	b.n = 0;
	b_header(&b);
	b_frame(&b, "ABCD", 0, 1, 1);
	b_put(&b, "ABCD", 4);
	b_u32(&b, 8);
	b_u32(&b, 0x7fffffff);
	b_u32(&b, 0x7ffffff);
	fails_with(&b, TFR_EEOF, "H1 huge unknown matrix");
	/* negative rows, negative or huge matrix counts */
	b.n = 0;
	b_header(&b);
	b_frame(&b, "1TRC", 0, 1, 1);
	b_put(&b, "1TRC", 4);
	b_u32(&b, 8);
	b_u32(&b, (uint32_t)-5);
	b_u32(&b, 4);
	fails_with(&b, TFR_EFORMAT, "H1 negative rows");
	b.n = 0;
	b_header(&b);
	b_frame(&b, "1TRC", 0, 1, -1);
	fails_with(&b, TFR_EFORMAT, "H1 negative matrix count");
	b.n = 0;
	b_header(&b);
	b_frame(&b, "1TRC", 0, 1, 0x7fffffff);
	fails_with(&b, TFR_EEOF, "H1 huge matrix count");
	/* bad values */
	struct {
		double v[6];
		int code;
		const char *what;
	} bad[] = {
		{ { 0, -100, 1, 0, 0, 0 }, TFR_EFORMAT, "H1 negative frequency" },
		{ { 0, NAN, 1, 0, 0, 0 }, TFR_EFORMAT, "H1 NaN frequency" },
		{ { 0, 100, -1, 0, 0, 0 }, TFR_EFORMAT, "H1 negative amplitude" },
		{ { 0, 100, 1e300, 0, 0, 0 }, TFR_EFORMAT, "H1 amplitude beyond float" },
		{ { 0, 100, 1, INFINITY, 0, 0 }, TFR_EFORMAT, "H1 infinite phase" },
		{ { 0.5, 100, 1, 0, 0, 0 }, TFR_EFORMAT, "H1 fractional index" },
		{ { -1, 100, 1, 0, 0, 0 }, TFR_EFORMAT, "H1 negative index" },
		{ { 1e300, 100, 1, 0, 0, 0 }, TFR_EFORMAT, "H1 huge index" },
		{ { 0, 100, 1, 0, NAN, 0 }, TFR_EFORMAT, "H1 NaN bandwidth" },
		{ { 0, 100, 1, 0, 0, INFINITY }, TFR_EFORMAT, "H1 infinite offset" },
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		b.n = 0;
		b_header(&b);
		size_t at = b_frame(&b, "RBEP", 0, 1, 1);
		b_matrix(&b, "RBEP", 8, 1, 6, bad[i].v);
		b_frame_size(&b, at, 0);
		fails_with(&b, bad[i].code, bad[i].what);
	}
	result r = read_bytes(&b, 0);
	CHECK("H1 the position is the row's byte offset", strstr(r.diag.text, "byte 56:") == r.diag.text);
	printf("H1 e.g. \"%s\"\n", r.diag.text);
	free(r.bp);
	/* int32 data where floats are read; too few columns */
	b.n = 0;
	b_header(&b);
	size_t at = b_frame(&b, "1TRC", 0, 1, 1);
	b_put(&b, "1TRC", 4);
	b_u32(&b, 0x0104);
	b_u32(&b, 1);
	b_u32(&b, 4);
	for (int i = 0; i < 4; i++)
		b_u32(&b, 1);
	b_frame_size(&b, at, 0);
	fails_with(&b, TFR_EFORMAT, "H1 int32 1TRC data");
	b.n = 0;
	b_header(&b);
	at = b_frame(&b, "RBEP", 0, 1, 1);
	b_matrix(&b, "RBEP", 8, 1, 4, row);
	b_frame_size(&b, at, 0);
	fails_with(&b, TFR_EFORMAT, "H1 RBEP with 4 columns");
	/* time going back */
	b.n = 0;
	b_header(&b);
	for (int i = 0; i < 2; i++) {
		at = b_frame(&b, "1TRC", 1.0 - i, 1, 1);
		b_matrix(&b, "1TRC", 8, 1, 4, row);
		b_frame_size(&b, at, 0);
	}
	fails_with(&b, TFR_EFORMAT, "H1 1TRC frame time going back");
	b.n = 0;
	b_header(&b);
	double rb[] = { 0, 100, 1, 0, 0, 0 };
	for (int i = 0; i < 2; i++) {
		at = b_frame(&b, "RBEP", 1.0 - i, 1, 1);
		rb[0] = i;
		b_matrix(&b, "RBEP", 8, 1, 6, rb);
		b_frame_size(&b, at, 0);
	}
	fails_with(&b, TFR_EFORMAT, "H1 RBEP breakpoints going back");
	free(b.p);
}

/* H2: a small file cut at every byte: each cut is an error or a clean
 * shorter file, through a seekable file and through a pipe. */
static void h2_truncated(void)
{
	static tfr_breakpoint bp[2000];
	size_t n = make_stream(bp, 20, 4, 9);
	tfr_sdif_label lab[] = { { 1, 7 } };
	bytes rbep = write_rbep(bp, n, lab, 1, 5);
	frames g = grid_of(bp, n, 0.01);
	bytes trc = write_1trc(&g, 4);
	const bytes *files[] = { &rbep, &trc };
	const char *names[] = { "RBEP", "1TRC" };
	for (int k = 0; k < 2; k++) {
		const bytes *b = files[k];
		result whole = read_bytes(b, 0);
		size_t errors = 0, clean = 0, bad = 0;
		for (size_t cut = 0; cut < b->n; cut++) {
			bytes c = { b->p, cut, cut };
			for (int through = 0; through < 2; through++) {
				result r = read_bytes(&c, through);
				if (r.err != TFR_OK) {
					errors++;
					bad += !r.diag.text[0];
				} else {
					clean++;
					/* a shorter file: fewer breakpoints, in stream order */
					bad += r.n > whole.n;
					check_stream("H2 a clean cut gives a stream", r.bp, r.n);
				}
				free(r.bp);
			}
		}
		CHECK("H2 every failure explains itself", bad == 0);
		printf("H2 %s of %zu bytes cut at every byte (file and pipe): %zu errors, %zu clean shorter reads\n",
		       names[k], b->n, errors, clean);
		free(whole.bp);
	}
	free(rbep.p);
	free(trc.p);
	free(g.t);
	free(g.row);
	free(g.start);
}

/* ---- writers ---- */

/* W1: refused input, and a full disk. */
static void w1_writers(void)
{
	tfr_sdif_writer_params p;
	tfr_sdif_writer_params_default(&p);
	tfr_diag d;
	p.float_bytes = 4;
	CHECK("W1 RBEP float32 refused", tfr_sdif_writer_check(&p, &d) == TFR_EINVAL);
	p.float_bytes = 8;
	p.nlabels = 1;
	CHECK("W1 labels NULL refused", tfr_sdif_writer_new(stdout, &p, &d) == NULL && d.code == TFR_EINVAL);
	p.nlabels = 0;
	FILE *f = tmpfile();
	tfr_sdif_writer *w = tfr_sdif_writer_new(f, &p, &d);
	tfr_breakpoint a = { 1, 1.0, 100, 1, 0, 0, 0 }, b = { 2, 0.5, 100, 1, 0, 0, 0 };
	CHECK("W1 first", tfr_sdif_write_breakpoints(w, &a, 1) == TFR_OK);
	CHECK("W1 out of order", tfr_sdif_write_breakpoints(w, &b, 1) == TFR_EINVAL &&
	      tfr_sdif_writer_diag(w)->text[0]);
	b.time = 2;
	b.freq = -1;
	CHECK("W1 negative frequency", tfr_sdif_write_breakpoints(w, &b, 1) == TFR_EINVAL);
	b.freq = 1;
	b.partial = (int64_t)1 << 53;
	CHECK("W1 id beyond 2^53", tfr_sdif_write_breakpoints(w, &b, 1) == TFR_ERANGE);
	tfr_grid_row row = { 1, 100, 1, 0, 0 };
	CHECK("W1 a frame to an RBEP writer", tfr_sdif_write_frame(w, 0, &row, 1) == TFR_EINVAL);
	CHECK("W1 close", tfr_sdif_writer_close(w) == TFR_OK);
	fclose(f);
	p.type = TFR_SDIF_1TRC;
	p.float_bytes = 4;
	f = tmpfile();
	w = tfr_sdif_writer_new(f, &p, &d);
	row.partial = 1 << 24;
	CHECK("W1 float32 index beyond 2^24", tfr_sdif_write_frame(w, 0, &row, 1) == TFR_ERANGE);
	row.partial = 1;
	CHECK("W1 frame", tfr_sdif_write_frame(w, 1, &row, 1) == TFR_OK);
	CHECK("W1 frame time back", tfr_sdif_write_frame(w, 0.5, &row, 1) == TFR_EINVAL);
	CHECK("W1 breakpoints to a 1TRC writer", tfr_sdif_write_breakpoints(w, &a, 1) == TFR_EINVAL);
	CHECK("W1 close 1TRC", tfr_sdif_writer_close(w) == TFR_OK);
	fclose(f);
	CHECK("W1 close NULL", tfr_sdif_writer_close(NULL) == TFR_OK);
	tfr_sdif_reader_free(NULL);
	/* a full disk */
	static tfr_breakpoint bp[20000];
	size_t n = make_stream(bp, 20000, 50, 1);
	for (int type = 0; type < 2; type++) {
		f = fopen("/dev/full", "wb");
		if (!f) {
			printf("W1 /dev/full missing: full-disk check skipped\n");
			return;
		}
		tfr_sdif_writer_params_default(&p);
		if (type)
			p.type = TFR_SDIF_1TRC;
		w = tfr_sdif_writer_new(f, &p, &d);
		int e = TFR_OK;
		for (size_t i = 0; w && i < n && e == TFR_OK; i++)
			e = type ? tfr_sdif_write_frame(w, bp[i].time, &row, 1)
			         : tfr_sdif_write_breakpoints(w, &bp[i], 1);
		int c = tfr_sdif_writer_close(w);
		CHECK(type ? "W1 1TRC on a full disk: TFR_EIO" : "W1 RBEP on a full disk: TFR_EIO",
		      w && (e == TFR_EIO || e == TFR_OK) && c == TFR_EIO);
		fclose(f);
	}
}

int main(void)
{
	signal(SIGPIPE, SIG_IGN);  /* a reader that fails stops reading its pipe */
	l1_loris_rbep();
	l2_loris_1trc();
	r1_rbep_round_trip();
	r2_rbep_bytes();
	r3_1trc_round_trip();
	l3_bpgrid_vs_loris();
	t1_tolerated();
	t2_1trc_lives();
	t3_legacy();
	h1_hostile();
	h2_truncated();
	w1_writers();
	free(loris_rbep.bp);
	return test_finish("test_sdif");
}
