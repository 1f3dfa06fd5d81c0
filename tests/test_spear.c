/*
 * test_spear.c - SPEAR text partials: the reference files against Loris's
 * RBEP and against the grid resampler, round trips through both writers,
 * output under a decimal-comma locale, tolerated and hostile input
 * (missing fields, a 1 MB line, huge counts, every truncation), format
 * detection, and a full disk.
 */
#include "testutil.h"
#include "tfr_bpgrid.h"
#include "tfr_pformat.h"
#include "tfr_sdif.h"
#include "tfr_spear.h"

#include <locale.h>
#include <math.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/* ---- text in, breakpoints out ---- */

typedef struct {
	char *p;
	size_t n;
} text;

static text file_text(const char *name)
{
	text t = { NULL, 0 };
	FILE *f = fopen(test_data_path(name), "rb");
	if (!CHECK(name, f != NULL))
		return t;
	size_t cap = 0, k;
	char buf[65536];
	while ((k = fread(buf, 1, sizeof buf, f)) > 0) {
		if (t.n + k + 1 > cap) {
			cap = 2 * (t.n + k) + 1;
			t.p = realloc(t.p, cap);
		}
		memcpy(t.p + t.n, buf, k);
		t.n += k;
	}
	if (t.p)
		t.p[t.n] = 0;
	fclose(f);
	return t;
}

typedef struct {
	int fd;
	const char *p;
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
			break;
		done += (size_t)k;
	}
	close(q->fd);
	return NULL;
}

static FILE *pipe_open(piped *q, const char *p, size_t n)
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

typedef struct {
	tfr_breakpoint *bp;
	size_t n, cap;
	int err;
	tfr_diag diag;
	tfr_spear_format format;
	tfr_spear_stats st;
} result;

static result read_all(FILE *fp, const void *head, size_t nhead)
{
	result r = { 0 };
	tfr_spear_reader *rd = tfr_spear_reader_new(fp, head, nhead, &r.diag);
	if (!rd) {
		r.err = r.diag.code;
		return r;
	}
	r.format = tfr_spear_reader_format(rd);
	long k;
	for (;;) {
		if (r.n + 64 > r.cap) {
			r.cap = 2 * r.cap + 64;
			r.bp = realloc(r.bp, r.cap * sizeof *r.bp);
		}
		if ((k = tfr_spear_reader_read(rd, r.bp + r.n, 11)) <= 0)
			break;
		r.n += (size_t)k;
	}
	if (k < 0) {
		r.err = (int)k;
		r.diag = *tfr_spear_reader_diag(rd);
	}
	tfr_spear_reader_stats(rd, &r.st);
	tfr_spear_reader_free(rd);
	return r;
}

static result read_text(const char *p, size_t n, int through_pipe)
{
	if (through_pipe) {
		piped q;
		FILE *f = pipe_open(&q, p, n);
		result r = read_all(f, NULL, 0);
		pipe_close(&q);
		return r;
	}
	FILE *f = tmpfile();
	fwrite(p, 1, n, f);
	rewind(f);
	result r = read_all(f, NULL, 0);
	fclose(f);
	return r;
}

static result read_string(const char *s)
{
	return read_text(s, strlen(s), 0);
}

static void result_free(result *r)
{
	free(r->bp);
	r->bp = NULL;
}

/* Per partial, breakpoints in order: index of the k-th of partial id. */
static const tfr_breakpoint *nth_of(const result *r, int64_t id, size_t k)
{
	for (size_t i = 0; i < r->n; i++)
		if (r->bp[i].partial == id && k-- == 0)
			return &r->bp[i];
	return NULL;
}

static int stream_ok(const result *r)
{
	int ok = 1;
	for (size_t i = 1; i < r->n; i++)
		ok = ok && r->bp[i].time >= r->bp[i - 1].time;
	for (size_t i = 0; i < r->n && ok; i++) {
		if (!r->bp[i].end)
			continue;
		for (size_t j = i + 1; j < r->n; j++)
			ok = ok && r->bp[j].partial != r->bp[i].partial;
	}
	return ok;
}

/* A stream of np partials with increasing birth times (ids in birth
 * order), values at random, times off any grid. */
static size_t make_stream(tfr_breakpoint *out, int np, uint64_t seed, int64_t id0,
                          int64_t id_step)
{
	static tfr_breakpoint all[20000];
	size_t start[101], idx[100] = { 0 }, n = 0;
	uint64_t s = seed;
	for (int k = 0; k < np && k < 100; k++) {
		start[k] = n;
		double t = 0.01 * k + 0.005 * test_rand(&s) + 1e-7;
		int m = 1 + (int)(50 * test_rand(&s));
		for (int i = 0; i < m; i++) {
			all[n++] = (tfr_breakpoint){ id0 + k * id_step, t, 20 + 20000 * test_rand(&s),
			                             (float)test_rand(&s), 1, 0.5f, i == m - 1 };
			t += 0.001 + 0.006 * test_rand(&s);
		}
	}
	start[np] = n;
	for (size_t m = 0; m < n; m++) {
		int best = -1;
		for (int k = 0; k < np; k++)
			if (start[k] + idx[k] < start[k + 1] &&
			    (best < 0 || all[start[k] + idx[k]].time < all[start[best] + idx[best]].time))
				best = k;
		out[m] = all[start[best] + idx[best]++];
	}
	return n;
}

static text take_file(FILE *f)
{
	text t;
	long len = ftell(f);
	rewind(f);
	t.p = malloc((size_t)len + 1);
	t.n = fread(t.p, 1, (size_t)len, f);
	t.p[t.n] = 0;
	fclose(f);
	return t;
}

static text write_partials(const tfr_breakpoint *bp, size_t n)
{
	FILE *f = tmpfile();
	tfr_diag d;
	tfr_spear_partials_writer *w = tfr_spear_partials_writer_new(f, &d);
	CHECK("partials write", tfr_spear_partials_write(w, bp, n) == TFR_OK);
	CHECK("partials close", tfr_spear_partials_writer_close(w) == TFR_OK);
	return take_file(f);
}

/* Grid frames of a stream. */
typedef struct {
	double *t;
	tfr_grid_row *row;
	size_t *start;
	size_t nf, nr;
} frames;

static frames grid_of(const tfr_breakpoint *bp, size_t n, double period, int empty)
{
	frames g = { 0 };
	tfr_bpgrid_params p;
	tfr_bpgrid_params_default(&p);
	p.period = period;
	p.empty_frames = empty;
	tfr_diag d;
	tfr_bpgrid *gr = tfr_bpgrid_new(&p, &d);
	size_t capf = 4096, capr = 65536;
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

static void frames_free(frames *g)
{
	free(g->t);
	free(g->row);
	free(g->start);
}

static text write_frames(const frames *g)
{
	FILE *f = tmpfile();
	tfr_diag d;
	tfr_spear_frames_writer *w = tfr_spear_frames_writer_new(f, &d);
	for (size_t i = 0; i < g->nf; i++)
		CHECK("frames write", tfr_spear_frames_write(w, g->t[i], g->row + g->start[i],
		                                             g->start[i + 1] - g->start[i]) == TFR_OK);
	CHECK("frames close", tfr_spear_frames_writer_close(w) == TFR_OK);
	return take_file(f);
}

/* ---- the reference files ---- */

/* S1: the partials text against Loris's RBEP: the same 4380 breakpoints
 * within the text's precision (6 decimals; its converter rounded the
 * frequencies to 4, so they agree within 5e-5 Hz). */
static void s1_loris_partials(void)
{
	text t = file_text("additive/loris_tone_main.as-spear.partials.txt");
	result r = read_text(t.p, t.n, 0), q = read_text(t.p, t.n, 1);
	CHECK("S1 reads", r.err == TFR_OK && r.format == TFR_SPEAR_PARTIALS);
	CHECK("S1 10 partials, 4380 breakpoints", r.n == 4380 && r.st.partials == 10);
	CHECK("S1 stream order", stream_ok(&r));
	CHECK("S1 through a pipe: the same", q.n == r.n && !memcmp(q.bp, r.bp, r.n * sizeof *r.bp));
	FILE *f = fopen(test_data_path("additive/loris_tone_main.rbep.sdif"), "rb");
	tfr_diag d;
	tfr_sdif_reader *sd = f ? tfr_sdif_reader_new(f, NULL, 0, &d) : NULL;
	static tfr_breakpoint e[5000];
	long ne = sd ? tfr_sdif_reader_read(sd, e, 5000) : 0;
	tfr_sdif_reader_free(sd);
	if (f)
		fclose(f);
	CHECK("S1 RBEP for comparison", ne == 4380);
	double et = 0, ef = 0, ea = 0;
	size_t matched = 0;
	for (int64_t id = 0; id < 10; id++) {
		size_t k = 0;
		for (long i = 0; i < ne; i++) {
			if (e[i].partial != id)
				continue;
			const tfr_breakpoint *x = nth_of(&r, id, k++);
			if (!x)
				break;
			et = fmax(et, fabs(x->time - e[i].time));
			ef = fmax(ef, fabs(x->freq - e[i].freq));
			ea = fmax(ea, fabs(x->amp - e[i].amp));
			matched += x->end == e[i].end;
		}
	}
	CHECK("S1 every breakpoint matched, ends alike", matched == 4380);
	CHECK_NEAR("S1 time (6 decimals, s)", et, 0, 5e-7 + 1e-12);
	/* the converter's amplitudes are off by up to 5.49e-7 (not quite
	 * correctly rounded); both sides are floats */
	CHECK_NEAR("S1 amplitude (6 decimals)", ea, 0, 5.5e-7 + 3e-8);
	CHECK_NEAR("S1 frequency (4 decimals in this file, Hz)", ef, 0, 5e-5 + 1e-9);
	printf("S1 SPEAR partials text vs Loris RBEP: %zu breakpoints; |dt| %.2g s, |df| %.2g Hz, |da| %.2g\n",
	       matched, et, ef, ea);
	result_free(&r);
	result_free(&q);
	free(t.p);
}

/* S2: the frame text is the partials text resampled every 5 ms: the grid
 * resampler, given the partials text, makes the same frames (the text
 * has no birth and death rows, the grid has one of each per partial). */
static void s2_loris_frames(void)
{
	text tp = file_text("additive/loris_tone_main.as-spear.partials.txt");
	text tf = file_text("additive/loris_tone_main.as-spear.frames.txt");
	result rp = read_text(tp.p, tp.n, 0), rf = read_text(tf.p, tf.n, 1);
	CHECK("S2 frame text reads", rf.err == TFR_OK && rf.format == TFR_SPEAR_FRAMES);
	CHECK("S2 397 frames, 3950 rows, 10 partials",
	      rf.st.frames == 397 && rf.n == 3950 && rf.st.partials == 10 && stream_ok(&rf));
	frames g = grid_of(rp.bp, rp.n, 0.005, 1);
	CHECK("S2 the grid has the same 397 frames (0.010 to 1.990 s)",
	      g.nf == 397 && fabs(g.t[0] - 0.01) < 1e-12 && fabs(g.t[396] - 1.99) < 1e-12);
	size_t zero = 0;
	for (size_t i = 0; i < g.nr; i++)
		zero += g.row[i].amp == 0;
	CHECK("S2 3950 rows with amplitude, a birth and a death row per partial",
	      g.nr - zero == 3950 && zero == 20);
	double ef = 0, ea = 0;
	size_t matched = 0, f = 0;
	for (size_t i = 0; i < rf.n; i++) {
		const tfr_breakpoint *x = &rf.bp[i];
		while (f < g.nf && g.t[f] < x->time - 1e-9)
			f++;
		if (f == g.nf || fabs(g.t[f] - x->time) > 1e-9)
			break;
		for (size_t j = g.start[f]; j < g.start[f + 1]; j++) {
			if (g.row[j].partial != x->partial)
				continue;
			ef = fmax(ef, fabs(g.row[j].freq - x->freq));
			ea = fmax(ea, fabs(g.row[j].amp - x->amp));
			matched++;
		}
	}
	CHECK("S2 every row of the text matched", matched == 3950);
	CHECK_NEAR("S2 frequency vs bpgrid (Hz)", ef, 0, 1e-6);
	CHECK_NEAR("S2 amplitude vs bpgrid", ea, 0, 1e-6 + 3e-8);
	printf("S2 SPEAR frame text vs bpgrid of the partials text (5 ms): %zu rows in %zu frames; |df| %.2g Hz, |da| %.2g\n",
	       matched, g.nf, ef, ea);
	frames_free(&g);
	result_free(&rp);
	result_free(&rf);
	free(tp.p);
	free(tf.p);
}

/* ---- round trips ---- */

/* S3: breakpoints -> partials text -> breakpoints, within 6 decimals;
 * ids in birth order kept, others renumbered in that order. */
static void s3_partials_round_trip(void)
{
	static tfr_breakpoint bp[20000];
	for (int sparse = 0; sparse < 2; sparse++) {
		size_t n = make_stream(bp, 70, 4, sparse ? 3 : 0, sparse ? 17 : 1);
		text t = write_partials(bp, n);
		result r = read_text(t.p, t.n, sparse);
		CHECK("S3 reads", r.err == TFR_OK && r.n == n && r.st.partials == 70 && stream_ok(&r));
		double et = 0, ef = 0, ea = 0;
		int ids = 1, lost = 1;
		for (int k = 0; k < 70; k++) {
			int64_t id = sparse ? 3 + k * 17 : k;
			for (size_t i = 0, j = 0; i < n; i++) {
				if (bp[i].partial != id)
					continue;
				const tfr_breakpoint *x = nth_of(&r, k, j++);
				if (!x) {
					ids = 0;
					break;
				}
				et = fmax(et, fabs(x->time - bp[i].time));
				ef = fmax(ef, fabs(x->freq - bp[i].freq));
				ea = fmax(ea, fabs(x->amp - bp[i].amp));
				lost = lost && x->phase == 0 && x->bandwidth == 0 && x->end == bp[i].end;
			}
		}
		CHECK(sparse ? "S3 sparse ids renumbered 0, 1, 2... by first breakpoint"
		             : "S3 ids 0, 1, 2... in birth order kept", ids);
		CHECK("S3 phase and bandwidth lost, ends kept", lost);
		CHECK_NEAR("S3 time (s)", et, 0, 5e-7 + 1e-12);
		CHECK_NEAR("S3 frequency (Hz)", ef, 0, 5e-7 + 1e-11);
		CHECK_NEAR("S3 amplitude", ea, 0, 5e-7 + 6e-8);
		if (!sparse)
			printf("S3 partials text round trip: %zu breakpoints of 70 partials (%zu bytes); |dt| %.2g s, |df| %.2g Hz, |da| %.2g\n",
			       n, t.n, et, ef, ea);
		result_free(&r);
		free(t.p);
	}
	/* renumbering: the first line of data is partial 0 */
	tfr_breakpoint two[] = { { 40, 1.0, 100, 0.5f, 0, 0, 0 }, { 9, 1.5, 200, 0.25f, 0, 0, 1 },
	                         { 40, 2.0, 100, 0.5f, 0, 0, 1 } };
	text t = write_partials(two, 3);
	CHECK("S3 exact text", !strcmp(t.p,
	      "par-text-partials-format\npoint-type time frequency amplitude\npartials-count 2\n"
	      "partials-data\n0 2 1.000000 2.000000\n1.000000 100.000000 0.500000 2.000000 100.000000 0.500000\n"
	      "1 1 1.500000 1.500000\n1.500000 200.000000 0.250000\n"));
	free(t.p);
}

/* S4: breakpoints -> grid -> frame text -> breakpoints: the grid rows
 * within 6 decimals. */
static void s4_frames_round_trip(void)
{
	static tfr_breakpoint bp[20000];
	size_t n = make_stream(bp, 50, 8, 3, 1);
	frames g = grid_of(bp, n, 0.01, 1);
	text t = write_frames(&g);
	result r = read_text(t.p, t.n, 1);
	CHECK("S4 reads", r.err == TFR_OK && r.n == g.nr && r.st.frames == (int64_t)g.nf &&
	      r.st.partials == 50 && stream_ok(&r));
	double et = 0, ef = 0, ea = 0;
	int ids = r.n == g.nr;
	for (size_t f = 0, i = 0; ids && f < g.nf; f++)
		for (size_t j = g.start[f]; j < g.start[f + 1]; j++, i++) {
			ids = ids && r.bp[i].partial == g.row[j].partial - 3;
			et = fmax(et, fabs(r.bp[i].time - g.t[f]));
			ef = fmax(ef, fabs(r.bp[i].freq - g.row[j].freq));
			ea = fmax(ea, fabs(r.bp[i].amp - g.row[j].amp));
		}
	CHECK("S4 every row, partials numbered by first appearance", ids);
	CHECK_NEAR("S4 time (s)", et, 0, 5e-7 + 1e-12);
	CHECK_NEAR("S4 frequency (Hz)", ef, 0, 5e-7 + 1e-11);
	CHECK_NEAR("S4 amplitude", ea, 0, 5e-7 + 6e-8);
	printf("S4 frame text round trip: %zu frames, %zu rows (%zu bytes); |dt| %.2g s, |df| %.2g Hz, |da| %.2g\n",
	       g.nf, g.nr, t.n, et, ef, ea);
	CHECK("S4 header", !strncmp(t.p, "par-text-frame-format\npoint-type index frequency amplitude\n"
	                                 "partials-count 50\nframe-count ", 89));
	result_free(&r);
	free(t.p);
	frames_free(&g);
}

/* S5: the same bytes under a locale with a decimal comma. */
static void s5_locale(void)
{
	static tfr_breakpoint bp[20000];
	size_t n = make_stream(bp, 10, 2, 0, 1);
	frames g = grid_of(bp, n, 0.01, 0);
	text a = write_partials(bp, n), b = write_frames(&g);
	if (!setlocale(LC_ALL, "de_DE.UTF-8") && !setlocale(LC_ALL, "de_DE.utf8")) {
		printf("S5 locale de_DE.UTF-8 not installed: locale check skipped\n");
	} else {
		char num[32];
		snprintf(num, sizeof num, "%.1f", 0.5);
		text c = write_partials(bp, n), d = write_frames(&g);
		CHECK("S5 the locale does write a decimal comma", !strcmp(num, "0,5"));
		CHECK("S5 partials text identical under de_DE", a.n == c.n && !memcmp(a.p, c.p, a.n));
		CHECK("S5 frame text identical under de_DE", b.n == d.n && !memcmp(b.p, d.p, b.n));
		result r = read_text(c.p, c.n, 0);
		CHECK("S5 read back under de_DE", r.err == TFR_OK && r.n == n && r.st.decimal_commas == 0);
		result_free(&r);
		free(c.p);
		free(d.p);
		printf("S5 output under de_DE.UTF-8 identical to the C locale's (%zu + %zu bytes)\n", a.n, b.n);
	}
	setlocale(LC_ALL, "C");
	free(a.p);
	free(b.p);
	frames_free(&g);
}

/* ---- tolerated input ---- */

static void t1_tolerated(void)
{
	/* a byte-order mark, CRLF, decimal commas, an unknown header line,
	 * blank lines, a one-point partial, a repeated point time, trailing
	 * blanks, no newline at the end */
	result r = read_string("\xEF\xBB\xBFpar-text-partials-format\r\n"
	                       "point-type time frequency amplitude\r\n"
	                       "made-by somebody else\r\n"
	                       "partials-count 4\r\n"
	                       "partials-data\r\n"
	                       "\r\n"
	                       "5 3 0,5 0,7  \r\n"
	                       "0,5 100,25 0,1 0,6 101 0,2 0,6 102 0,3\r\n"
	                       "\r\n"
	                       "2 1 0.55 0.55\r\n"
	                       "0.55 300 0.01\r\n"
	                       "7 0 0 0\r\n"
	                       "\r\n"
	                       "9 2 1 2\r\n"
	                       "1 50 0.5 2 50 0.5");
	if (!CHECK("T1 reads", r.err == TFR_OK))
		fprintf(stderr, "  %ld:%ld %s\n", r.diag.line, r.diag.column, r.diag.text);
	CHECK("T1 five breakpoints, one dropped", r.n == 5 && r.st.duplicates == 1 &&
	      r.st.decimal_commas == 9 && r.st.partials == 3);
	if (r.n == 5) {
		CHECK("T1 stream order", r.bp[0].partial == 5 && r.bp[1].partial == 2 && r.bp[2].partial == 5 &&
		      r.bp[3].partial == 9 && r.bp[4].partial == 9);
		CHECK("T1 decimal commas", r.bp[0].time == 0.5 && r.bp[0].freq == 100.25 &&
		      r.bp[0].amp == 0.1f);
		CHECK("T1 one-point partial ends", r.bp[1].end == 1 && r.bp[1].freq == 300);
		CHECK("T1 the repeated time keeps the first point", r.bp[2].time == 0.6 &&
		      r.bp[2].freq == 101 && r.bp[2].end == 1);
	}
	result_free(&r);
	/* frame text: CR line ends, equal times merged, an index back after an
	 * absence, an empty frame */
	r = read_string("par-text-frame-format\rpoint-type index frequency amplitude\r"
	                "partials-count 2\rframe-count 5\rframe-data\r"
	                "0.1 2 0 100 0.5 1 200 0.5\r"
	                "0.1 1 0 999 0.5\r"
	                "0.2 1 1 201 0.5\r"
	                "0.3 0\r"
	                "0.4 1 0 110 0.5\r");
	CHECK("T1 frame text reads", r.err == TFR_OK && r.n == 4 && r.st.frames == 5 &&
	      r.st.duplicates == 1 && r.st.partials == 3);
	if (r.n == 4)
		CHECK("T1 frames linked", r.bp[0].partial == 0 && r.bp[0].end && r.bp[0].freq == 100 &&
		      r.bp[1].partial == 1 && !r.bp[1].end && r.bp[2].partial == 1 && r.bp[2].end &&
		      r.bp[3].partial == ((int64_t)1 << 32) && r.bp[3].end);
	result_free(&r);
}

/* ---- hostile input ---- */

static const char head_p[] = "par-text-partials-format\npoint-type time frequency amplitude\n"
                             "partials-count 1\npartials-data\n";
static const char head_f[] = "par-text-frame-format\npoint-type index frequency amplitude\n"
                             "partials-count 1\nframe-count 1\nframe-data\n";

/* Fails with code at line:col (col 0: any), through a file and a pipe. */
static void fails(const char *what, const char *s, size_t n, int code, long line, long col)
{
	for (int through = 0; through < 2; through++) {
		result r = read_text(s, n, through);
		int ok = r.err == code && r.diag.text[0] && (line == 0 || r.diag.line == line) &&
		         (col == 0 || r.diag.column == col);
		if (!CHECK(what, ok))
			fprintf(stderr, "  got %d at %ld:%ld (%s), expected %d at %ld:%ld\n", r.err,
			        r.diag.line, r.diag.column, r.diag.text, code, line, col);
		result_free(&r);
	}
}

static void fails_str(const char *what, const char *body, int frames, int code, long line, long col)
{
	size_t n = strlen(frames ? head_f : head_p) + strlen(body);
	char *s = malloc(n + 1);
	strcpy(s, frames ? head_f : head_p);
	strcat(s, body);
	fails(what, s, n, code, line, col);
	free(s);
}

#define FAILS(what, lit, code, line, col) fails(what, lit, sizeof(lit) - 1, code, line, col)

static void h1_hostile(void)
{
	FAILS("H1 empty input", "", TFR_EEOF, 0, 0);
	FAILS("H1 not SPEAR", "hello world\n", TFR_EFORMAT, 1, 1);
	FAILS("H1 extended point-type",
	      "par-text-partials-format\npoint-type time frequency amplitude bandwidth\n",
	      TFR_EUNSUPPORTED, 2, 1);
	FAILS("H1 no partials-data", "par-text-partials-format\npartials-count 1\n", TFR_EFORMAT, 0, 0);
	FAILS("H1 no partials-count", "par-text-partials-format\npartials-data\n", TFR_EFORMAT, 0, 0);
	fails_str("H1 partial line with 3 fields", "0 1 0.5\n0.5 100 0.1\n", 0, TFR_EFORMAT, 5, 8);
	fails_str("H1 points line one number short", "0 2 0.5 0.6\n0.5 100 0.1 0.6 100\n", 0,
	          TFR_EFORMAT, 6, 20);
	fails_str("H1 points line one number long", "0 1 0.5 0.5\n0.5 100 0.1 7\n", 0, TFR_EFORMAT, 6, 13);
	fails_str("H1 NaN amplitude", "0 1 0.5 0.5\n0.5 100 nan\n", 0, TFR_EFORMAT, 6, 9);
	fails_str("H1 negative frequency", "0 1 0.5 0.5\n0.5 -100 0.1\n", 0, TFR_EFORMAT, 6, 5);
	fails_str("H1 amplitude beyond float", "0 1 0.5 0.5\n0.5 100 1e300\n", 0, TFR_EFORMAT, 6, 9);
	fails_str("H1 overflowing number", "0 1 0.5 0.5\n0.5 1e999 0.1\n", 0, TFR_EFORMAT, 6, 5);
	fails_str("H1 time going back", "0 2 0.5 0.4\n0.5 100 0.1 0.4 100 0.1\n", 0, TFR_EFORMAT, 6, 13);
	fails_str("H1 fractional index", "0.5 1 0.5 0.5\n0.5 100 0.1\n", 0, TFR_EFORMAT, 5, 1);
	fails_str("H1 index twice", "0 1 0.5 0.5\n0.5 100 0.1\n0 1 0.7 0.7\n0.7 100 0.1\n", 0,
	          TFR_EFORMAT, 7, 1);
	fails_str("H1 more partials than counted", "0 1 0.5 0.5\n0.5 100 0.1\n1 1 0.7 0.7\n0.7 100 0.1\n", 0,
	          TFR_EFORMAT, 0, 0);
	fails_str("H1 huge point count", "0 1000000000000000 0.5 0.5\n0.5 100 0.1\n", 0, TFR_EFORMAT, 6, 12);
	FAILS("H1 NUL byte", "par-text-partials-format\npartials-count 1\npartials-data\n"
	      "0 1 0.5 0.5\n0.5 1\0000 0.1\n", TFR_EFORMAT, 5, 6);
	FAILS("H1 huge partials-count",
	      "par-text-partials-format\npartials-count 1000000000000000000\npartials-data\n"
	      "0 1 1 1\n1 1 1\n", TFR_EFORMAT, 0, 0);
	fails_str("H1 frame with a missing amplitude", "0.1 1 0 100\n", 1, TFR_EFORMAT, 6, 12);
	fails_str("H1 frame with a huge count", "0.1 1000000000000000 0 100 0.1\n", 1, TFR_EFORMAT, 6, 0);
	fails_str("H1 frame index beyond 2^32", "0.1 1 4294967296 100 0.1\n", 1, TFR_EFORMAT, 6, 7);
	fails_str("H1 frame times going back", "0.2 0\n0.1 0\n", 1, TFR_EFORMAT, 7, 1);
	fails_str("H1 fewer frames than counted", "", 1, TFR_EFORMAT, 0, 0);
	fails_str("H1 more frames than counted", "0.1 0\n0.2 0\n", 1, TFR_EFORMAT, 0, 0);

	/* a 1 MB line: of digits (one field), of fields on a partial's line,
	 * of points on a partial's points line */
	size_t big = 1 << 20, hp = strlen(head_p);
	char *s = malloc(hp + big + 64);
	strcpy(s, head_p);
	memset(s + hp, '7', big);
	strcpy(s + hp + big, "\n");
	clock_t c0 = clock();
	fails("H1 1 MB field", s, hp + big + 1, TFR_EFORMAT, 5, 1);
	for (size_t i = 0; i < big; i += 2)
		memcpy(s + hp + i, "1 ", 2);
	fails("H1 1 MB partial line", s, hp + big + 1, TFR_EFORMAT, 5, 9);
	size_t k = (size_t)sprintf(s + hp, "0 99999999999 0 1\n");
	for (size_t i = 0; i + 8 < big; i += 8)
		k += (size_t)sprintf(s + hp + k, "1 1 0.5 ");
	strcpy(s + hp + k, "\n");
	fails("H1 1 MB points line, points missing", s, hp + k + 1, TFR_EFORMAT, 6, 0);
	printf("H1 three 1 MB lines refused in %.0f ms (file and pipe each)\n",
	       1e3 * (double)(clock() - c0) / CLOCKS_PER_SEC);
	result r = read_string("par-text-partials-format\npartials-count 1\npartials-data\n0 2 1 2\n1 1 1 2 -1 1\n");
	char msg[300];
	printf("H1 e.g. \"%s\"\n", tfr_diag_format(&r.diag, "in.txt", msg, sizeof msg));
	CHECK("H1 message with line and column", !strcmp(msg, "in.txt:5:9: negative frequency -1"));
	result_free(&r);
	free(s);
}

/* H2: small files cut at every byte: an error, or the whole file less
 * the end of its last line (text cannot tell a shortened last number). */
static void h2_truncated(void)
{
	tfr_breakpoint bp[] = {
		{ 0, 0.1, 100, 0.5f, 0, 0, 0 }, { 1, 0.104, 150.5, 0.25f, 0, 0, 1 },
		{ 0, 0.113, 101, 0.5f, 0, 0, 0 }, { 2, 0.12, 300, 0.125f, 0, 0, 0 },
		{ 0, 0.131, 102, 0.5f, 0, 0, 1 }, { 2, 0.141, 301, 0.25f, 0, 0, 1 },
	};
	size_t n = sizeof bp / sizeof bp[0];
	text tp = write_partials(bp, n);
	frames g = grid_of(bp, n, 0.01, 1);
	text tf = write_frames(&g);
	const text *files[] = { &tp, &tf };
	const char *names[] = { "partials text", "frame text" };
	for (int k = 0; k < 2; k++) {
		size_t errors = 0, clean = 0, bad = 0;
		result whole = read_text(files[k]->p, files[k]->n, 0);
		const char *last = strrchr(files[k]->p, ' ');  /* the last field */
		size_t last_field = last ? (size_t)(last - files[k]->p) + 1 : 0;
		for (size_t cut = 0; cut < files[k]->n; cut++)
			for (int through = 0; through < 2; through++) {
				result r = read_text(files[k]->p, cut, through);
				if (r.err != TFR_OK) {
					errors++;
					bad += !r.diag.text[0];
				} else {
					clean++;
					bad += cut <= last_field || r.n != whole.n || !stream_ok(&r);
				}
				result_free(&r);
			}
		CHECK("H2 every cut is an error with a reason, or inside the last field", bad == 0);
		printf("H2 %s of %zu bytes cut at every byte (file and pipe): %zu errors, %zu clean reads\n",
		       names[k], files[k]->n, errors, clean);
		result_free(&whole);
	}
	free(tp.p);
	free(tf.p);
	frames_free(&g);
}

/* ---- detection ---- */

static void d1_detect(void)
{
	struct {
		const char *head;
		size_t n;
		tfr_pformat want;
	} cases[] = {
		{ "SDIF\0\0\0\x08", 8, TFR_PFORMAT_SDIF },
		{ "par-text-partials-format\npoint-type", 35, TFR_PFORMAT_SPEAR_PARTIALS },
		{ "\xEF\xBB\xBFpar-text-partials-format\r\n", 29, TFR_PFORMAT_SPEAR_PARTIALS },
		{ "par-text-frame-format\r\npoint", 28, TFR_PFORMAT_SPEAR_FRAMES },
		{ "par-text-frame-format", 21, TFR_PFORMAT_SPEAR_FRAMES },
		{ "#tfr partials 1\n# columns=", 26, TFR_PFORMAT_TFR },
		{ "#tfr points 1\n", 14, TFR_PFORMAT_UNKNOWN },
		{ "#tfr partialsX 1\n", 17, TFR_PFORMAT_UNKNOWN },
		{ "par-text-partials-formatX\n", 26, TFR_PFORMAT_UNKNOWN },
		{ "par-text-frame", 14, TFR_PFORMAT_UNKNOWN },
		{ "SDI", 3, TFR_PFORMAT_UNKNOWN },
		{ "", 0, TFR_PFORMAT_UNKNOWN },
		{ "RIFF\0\0\0\0WAVE", 12, TFR_PFORMAT_UNKNOWN },
	};
	int ok = 1;
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		tfr_pformat got = tfr_pformat_detect(cases[i].head, cases[i].n);
		if (got != cases[i].want) {
			fprintf(stderr, "  detect case %zu: got %s\n", i, tfr_pformat_name(got));
			ok = 0;
		}
	}
	CHECK("D1 detection of every case", ok);
	unsigned lost = TFR_PFIELD_PHASE | TFR_PFIELD_BANDWIDTH;
	CHECK("D1 SPEAR partials text keeps time, frequency, amplitude",
	      (tfr_pformat_fields(TFR_PFORMAT_SPEAR_PARTIALS) & lost) == 0 &&
	      (tfr_pformat_fields(TFR_PFORMAT_SPEAR_PARTIALS) & TFR_PFIELD_TIME));
	CHECK("D1 frame formats resample the times",
	      !(tfr_pformat_fields(TFR_PFORMAT_SPEAR_FRAMES) & TFR_PFIELD_TIME) &&
	      !(tfr_pformat_fields(TFR_PFORMAT_1TRC) & TFR_PFIELD_TIME) &&
	      (tfr_pformat_fields(TFR_PFORMAT_1TRC) & TFR_PFIELD_PHASE));
	CHECK("D1 RBEP keeps everything", (tfr_pformat_fields(TFR_PFORMAT_RBEP) & 63) == 63);
	int names = 1;
	for (int f = 1; f <= TFR_PFORMAT_SPEAR_FRAMES; f++)
		names = names && tfr_pformat_from_name(tfr_pformat_name((tfr_pformat)f)) == (tfr_pformat)f;
	CHECK("D1 names", names && tfr_pformat_from_name("wav") == TFR_PFORMAT_UNKNOWN &&
	      !strcmp(tfr_pformat_name((tfr_pformat)99), "unknown"));
	/* detection, then the reader with the bytes taken */
	text t = file_text("additive/loris_tone_main.as-spear.frames.txt");
	piped q;
	FILE *f = pipe_open(&q, t.p, t.n);
	unsigned char head[TFR_PFORMAT_HEAD];
	size_t nh = fread(head, 1, sizeof head, f);
	CHECK("D1 detected on a pipe", tfr_pformat_detect(head, nh) == TFR_PFORMAT_SPEAR_FRAMES);
	result r = read_all(f, head, nh);
	CHECK("D1 then read with the head bytes", r.err == TFR_OK && r.n == 3950);
	result_free(&r);
	pipe_close(&q);
	free(t.p);
}

/* ---- writers ---- */

static void w1_writers(void)
{
	tfr_diag d;
	FILE *f = tmpfile();
	tfr_spear_partials_writer *w = tfr_spear_partials_writer_new(f, &d);
	tfr_breakpoint a = { 1, 1.0, 100, 1, 0, 0, 1 };
	CHECK("W1 first", tfr_spear_partials_write(w, &a, 1) == TFR_OK);
	a.time = 2;
	CHECK("W1 after its end", tfr_spear_partials_write(w, &a, 1) == TFR_EINVAL);
	a.partial = 2;
	a.amp = NAN;
	CHECK("W1 NaN amplitude", tfr_spear_partials_write(w, &a, 1) == TFR_EINVAL &&
	      tfr_spear_partials_writer_diag(w)->text[0]);
	a.amp = 1;
	a.end = 0;
	CHECK("W1 second", tfr_spear_partials_write(w, &a, 1) == TFR_OK);
	CHECK("W1 same time", tfr_spear_partials_write(w, &a, 1) == TFR_EINVAL);
	CHECK("W1 close", tfr_spear_partials_writer_close(w) == TFR_OK);
	fclose(f);
	f = tmpfile();
	tfr_spear_frames_writer *fw = tfr_spear_frames_writer_new(f, &d);
	tfr_grid_row rows[] = { { 5, 100, 1, 0, 0 }, { 5, 200, 1, 0, 0 } };
	CHECK("W1 an id twice in a frame", tfr_spear_frames_write(fw, 1, rows, 2) == TFR_EINVAL &&
	      tfr_spear_frames_writer_diag(fw)->text[0]);
	CHECK("W1 frame", tfr_spear_frames_write(fw, 1, rows, 1) == TFR_OK);
	CHECK("W1 frame time back", tfr_spear_frames_write(fw, 0.5, rows, 1) == TFR_EINVAL);
	CHECK("W1 frames close", tfr_spear_frames_writer_close(fw) == TFR_OK);
	text t = take_file(f);
	CHECK("W1 the refused frame left nothing behind",
	      !strcmp(t.p, "par-text-frame-format\npoint-type index frequency amplitude\n"
	                   "partials-count 1\nframe-count 1\nframe-data\n1.000000 1 0 100.000000 1.000000\n"));
	free(t.p);
	CHECK("W1 close NULL", tfr_spear_partials_writer_close(NULL) == TFR_OK &&
	      tfr_spear_frames_writer_close(NULL) == TFR_OK);
	tfr_spear_reader_free(NULL);
	/* a full disk */
	static tfr_breakpoint bp[20000];
	size_t n = make_stream(bp, 50, 1, 0, 1);
	frames g = grid_of(bp, n, 0.01, 0);
	f = fopen("/dev/full", "wb");
	if (!f) {
		printf("W1 /dev/full missing: full-disk check skipped\n");
	} else {
		w = tfr_spear_partials_writer_new(f, &d);
		tfr_spear_partials_write(w, bp, n);
		CHECK("W1 partials text on a full disk: TFR_EIO", tfr_spear_partials_writer_close(w) == TFR_EIO);
		fw = tfr_spear_frames_writer_new(f, &d);
		for (size_t i = 0; i < g.nf; i++)
			tfr_spear_frames_write(fw, g.t[i], g.row + g.start[i], g.start[i + 1] - g.start[i]);
		CHECK("W1 frame text on a full disk: TFR_EIO", tfr_spear_frames_writer_close(fw) == TFR_EIO);
		fclose(f);
	}
	frames_free(&g);
}

int main(void)
{
	signal(SIGPIPE, SIG_IGN);  /* a reader that fails stops reading its pipe */
	s1_loris_partials();
	s2_loris_frames();
	s3_partials_round_trip();
	s4_frames_round_trip();
	s5_locale();
	t1_tolerated();
	h1_hostile();
	h2_truncated();
	d1_detect();
	w1_writers();
	return test_finish("test_spear");
}
