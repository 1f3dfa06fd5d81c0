/*
 * test_contract.c - every object of the library keeps the contract of
 * tfr_base.h: _free(NULL) does nothing; _check passes the defaults and
 * explains a bad parameter with TFR_EINVAL and a sentence; _new on bad
 * parameters returns NULL with the same code; _reset gives back an object
 * that behaves exactly like a new one (same input, bit-identical output),
 * after it was fed something else. Objects: framer, reassign, peaks,
 * track, synth, bpgrid, hyper, hyper_bank, wola, sdelay, pclip, warp,
 * stochastic and noise_synth,
 * f0 (audio and partials).
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "testutil.h"
#include "tfr.h"
#include "tfr_bpgrid.h"
#include "tfr_f0.h"
#include "tfr_framer.h"
#include "tfr_freqmap.h"
#include "tfr_hyper.h"
#include "tfr_hyper_bank.h"
#include "tfr_peaks.h"
#include "tfr_reassign.h"
#include "tfr_sdelay.h"
#include "tfr_stochastic.h"
#include "tfr_synth.h"
#include "tfr_track.h"
#include "tfr_warp.h"
#include "tfr_wola.h"

#define LEN 4096

static float sig_a[LEN], sig_b[LEN];

static void make_signals(void)
{
	test_add_cos(sig_a, LEN, 8000, 440, 0.5, 0.3);
	test_add_noise(sig_a, LEN, 0.2, 7);
	test_add_chirp(sig_b, LEN, 8000, 300, 2000, 0.4, 0.0);
	test_add_noise(sig_b, LEN, 0.05, 11);
}

/* The diag of a refused parameter set: code EINVAL and a sentence. */
static void check_refusal(const char *what, int rc, const tfr_diag *d)
{
	char msg[128];
	snprintf(msg, sizeof msg, "%s: _check refuses with TFR_EINVAL", what);
	CHECK(msg, rc == TFR_EINVAL && d->code == TFR_EINVAL);
	snprintf(msg, sizeof msg, "%s: _check says why", what);
	CHECK(msg, d->text[0] != '\0');
}

static void check_new_refuses(const char *what, const void *obj,
                              const tfr_diag *d)
{
	char msg[128];
	snprintf(msg, sizeof msg, "%s: _new on bad parameters is NULL + EINVAL",
	         what);
	CHECK(msg, obj == NULL && d->code == TFR_EINVAL && d->text[0]);
}

/* ---- tfr_hyper and tfr_hyper_bank ---- */

static void hyper_params(tfr_hyper_params *p)
{
	tfr_hyper_params_default(p);
	p->q = 2;
	p->tdeci = 64;
	p->minf = 0.02;
	p->maxf = 0.4;
	p->noct = 24;
	p->threads = 1;
}

static int same_hyper(const tfr_hyper *x, const tfr_hyper *y)
{
	size_t ht1, hf1, ht2, hf2;
	tfr_hyper_size(x, &ht1, &hf1);
	tfr_hyper_size(y, &ht2, &hf2);
	return ht1 == ht2 && hf1 == hf2 && ht1 * hf1 > 0 &&
	       memcmp(tfr_hyper_energy(x), tfr_hyper_energy(y),
	              ht1 * hf1 * sizeof(float)) == 0 &&
	       memcmp(tfr_hyper_counts(x), tfr_hyper_counts(y),
	              ht1 * hf1 * sizeof(uint32_t)) == 0;
}

static void test_hyper(void)
{
	tfr_hyper_params p;
	tfr_diag d;
	tfr_hyper_free(NULL);
	hyper_params(&p);
	CHECK("hyper: defaults pass _check", tfr_hyper_check(&p, &d) == TFR_OK);
	p.q = -1;
	check_refusal("hyper q=-1", tfr_hyper_check(&p, &d), &d);
	check_new_refuses("hyper q=-1", tfr_hyper_new(&p, &d), &d);

	hyper_params(&p);
	tfr_hyper *used = tfr_hyper_new(&p, &d), *fresh = tfr_hyper_new(&p, &d);
	CHECK("hyper: _new", used && fresh);
	if (!used || !fresh)
		goto out;
	tfr_hyper_process(used, sig_a, LEN);
	tfr_hyper_flush(used);
	tfr_hyper_reset(used);
	CHECK("hyper: reset forgets the frames", tfr_hyper_frames(used) == 0);
	tfr_hyper_process(used, sig_b, LEN);
	tfr_hyper_flush(used);
	tfr_hyper_process(fresh, sig_b, LEN);
	tfr_hyper_flush(fresh);
	CHECK("hyper: _reset = new (same histogram)", same_hyper(used, fresh));
out:
	tfr_hyper_free(used);
	tfr_hyper_free(fresh);
}

static void test_hyper_bank(void)
{
	static const double qs[2] = { 1, 4 };
	tfr_hyper_bank_params p;
	tfr_diag d;
	tfr_hyper_bank_free(NULL);
	tfr_hyper_bank_params_default(&p);
	hyper_params(&p.hyper);
	p.q = qs;
	p.nq = 2;
	p.channels = 1;
	CHECK("hyper_bank: parameters pass _check",
	      tfr_hyper_bank_check(&p, &d) == TFR_OK);
	p.nq = 0;
	check_refusal("hyper_bank nq=0", tfr_hyper_bank_check(&p, &d), &d);
	check_new_refuses("hyper_bank nq=0", tfr_hyper_bank_new(&p, &d), &d);
	p.nq = 2;
	tfr_hyper_bank *used = tfr_hyper_bank_new(&p, &d);
	tfr_hyper_bank *fresh = tfr_hyper_bank_new(&p, &d);
	CHECK("hyper_bank: _new", used && fresh);
	if (!used || !fresh)
		goto out;
	tfr_hyper_bank_process(used, sig_a, LEN);
	tfr_hyper_bank_flush(used);
	tfr_hyper_bank_reset(used);
	tfr_hyper_bank_process(used, sig_b, LEN);
	tfr_hyper_bank_flush(used);
	tfr_hyper_bank_process(fresh, sig_b, LEN);
	tfr_hyper_bank_flush(fresh);
	int same = tfr_hyper_bank_count(used) == 2;
	for (size_t i = 0; same && i < 2; i++)
		same = same_hyper(tfr_hyper_bank_get(used, i),
		                  tfr_hyper_bank_get(fresh, i));
	CHECK("hyper_bank: _reset = new", same);
out:
	tfr_hyper_bank_free(used);
	tfr_hyper_bank_free(fresh);
}

/* ---- tfr_sdelay ---- */

/* All output of x through s, flushed (a tail of 0.1 s). */
static size_t sdelay_run(tfr_sdelay *s, const float *x, float *out,
                         size_t max)
{
	size_t n = 0, got, off = 0;
	const float *y;
	while (off < LEN) {
		off += tfr_sdelay_process(s, x + off, LEN - off);
		y = tfr_sdelay_output(s, &got);
		for (size_t i = 0; i < got && n < max; i++)
			out[n++] = y[i];
	}
	while (tfr_sdelay_flush(s) > 0) {
		y = tfr_sdelay_output(s, &got);
		if (got == 0)
			break;
		for (size_t i = 0; i < got && n < max; i++)
			out[n++] = y[i];
	}
	return n;
}

static void test_sdelay(void)
{
	static double df[2] = { 0, 4000 }, dv[2] = { 0.01, 0.05 };
	static double ff[1] = { 0 }, fv[1] = { 0.7 };
	static double kt[1] = { 0 };
	static size_t dk[2] = { 0, 2 }, fk[2] = { 0, 1 }, pos[2] = { 0, 0 };
	tfr_freqmap delay_map = { 0, 1, kt, dk, 2, df, dv, pos, pos };
	tfr_freqmap fb_map = { 0, 1, kt, fk, 1, ff, fv, pos, pos };
	const tfr_freqmap *dm[1] = { &delay_map }, *fm[1] = { &fb_map };
	tfr_sdelay_params p;
	tfr_diag d;
	static float out1[3 * LEN], out2[3 * LEN];

	tfr_sdelay_free(NULL);
	tfr_sdelay_params_default(&p);
	p.sample_rate = 8000;
	p.fft_size = 256;
	p.hop = 64;
	p.maps[TFR_SDELAY_DELAY] = dm;
	p.nmaps[TFR_SDELAY_DELAY] = 1;
	p.maps[TFR_SDELAY_FEEDBACK] = fm;
	p.nmaps[TFR_SDELAY_FEEDBACK] = 1;
	p.tail = TFR_SDELAY_TAIL_TIME;
	p.tail_time = 0.1;
	CHECK("sdelay: parameters pass _check", tfr_sdelay_check(&p, &d) == 0);
	p.hop = 0;
	check_refusal("sdelay hop=0", tfr_sdelay_check(&p, &d), &d);
	check_new_refuses("sdelay hop=0", tfr_sdelay_new(&p, &d), &d);
	p.hop = 64;

	tfr_sdelay *used = tfr_sdelay_new(&p, &d), *fresh = tfr_sdelay_new(&p, &d);
	CHECK("sdelay: _new", used && fresh);
	if (used && fresh) {
		sdelay_run(used, sig_a, out1, 3 * LEN);
		tfr_sdelay_reset(used);
		size_t n1 = sdelay_run(used, sig_b, out1, 3 * LEN);
		size_t n2 = sdelay_run(fresh, sig_b, out2, 3 * LEN);
		CHECK("sdelay: output of the whole input and tail",
		      n1 == LEN + 800);
		CHECK("sdelay: _reset = new (feedback forgotten)",
		      n1 == n2 && memcmp(out1, out2, n1 * sizeof(float)) == 0);
	}
	tfr_sdelay_free(used);
	tfr_sdelay_free(fresh);
}

/* ---- tfr_wola ---- */

static void wola_run(tfr_wola *w, const float *x, float *y)
{
	size_t h = tfr_wola_hop(w), nb = tfr_wola_bins(w);
	float *spec = malloc(2 * nb * sizeof(float));
	for (size_t off = 0; spec && off + h <= LEN; off += h) {
		tfr_wola_analyze(w, x + off, 1, spec);
		for (size_t k = 0; k < nb; k++) { /* a filter: halve bins above 1/4 */
			if (k > nb / 4) {
				spec[2 * k] *= 0.5f;
				spec[2 * k + 1] *= 0.5f;
			}
		}
		tfr_wola_synthesize(w, spec, y + off, 1);
	}
	free(spec);
}

static void test_wola(void)
{
	tfr_wola_params p;
	tfr_diag d;
	static float y1[LEN], y2[LEN];
	tfr_wola_free(NULL);
	tfr_wola_params_default(&p);
	p.fft_size = 256;
	p.hop = 64;
	CHECK("wola: parameters pass _check", tfr_wola_check(&p, &d) == TFR_OK);
	p.fft_size = 255;
	check_refusal("wola odd N", tfr_wola_check(&p, &d), &d);
	check_new_refuses("wola odd N", tfr_wola_new(&p, &d), &d);
	p.fft_size = 256;
	tfr_wola *used = tfr_wola_new(&p, &d), *fresh = tfr_wola_new(&p, &d);
	CHECK("wola: _new", used && fresh);
	if (used && fresh) {
		wola_run(used, sig_a, y1);
		tfr_wola_reset(used);
		wola_run(used, sig_b, y1);
		wola_run(fresh, sig_b, y2);
		CHECK("wola: _reset = new", memcmp(y1, y2, sizeof y1) == 0);
	}
	tfr_wola_free(used);
	tfr_wola_free(fresh);
}

/* ---- tfr_framer and tfr_reassign ---- */

/* Sum of every point's amp * freq * time of x through a framer and a
 * reassigner: one number that changes with any point. */
static double reassign_run(tfr_framer *f, tfr_reassign *r, const float *x,
                           tfr_point *pts)
{
	double sum = 0;
	const float *frame;
	int64_t m;
	size_t n;
	for (size_t off = 0; off < LEN;) {
		off += tfr_framer_process(f, x + off, LEN - off);
		while ((frame = tfr_framer_next(f, &m))) {
			tfr_reassign_process(r, frame, m, pts, &n);
			for (size_t i = 0; i < n; i++)
				sum += pts[i].amp * pts[i].freq * pts[i].time;
		}
	}
	tfr_framer_flush(f);
	while ((frame = tfr_framer_next(f, &m))) {
		tfr_reassign_process(r, frame, m, pts, &n);
		for (size_t i = 0; i < n; i++)
			sum += pts[i].amp * pts[i].freq * pts[i].time;
	}
	return sum;
}

static void test_reassign(void)
{
	tfr_framer_params fp;
	tfr_reassign_params rp;
	tfr_diag d;
	tfr_framer_free(NULL);
	tfr_reassign_free(NULL);
	tfr_framer_params_default(&fp);
	tfr_reassign_params_default(&rp);
	CHECK("framer: defaults pass _check", tfr_framer_check(&fp, &d) == 0);
	CHECK("reassign: defaults pass _check", tfr_reassign_check(&rp, &d) == 0);
	fp.hop = 0;
	check_refusal("framer hop=0", tfr_framer_check(&fp, &d), &d);
	check_new_refuses("framer hop=0", tfr_framer_new(&fp, &d), &d);
	rp.fft_size = 1000;  /* smaller than the window */
	check_refusal("reassign fft<window", tfr_reassign_check(&rp, &d), &d);
	check_new_refuses("reassign fft<window", tfr_reassign_new(&rp, &d), &d);

	tfr_reassign_params_default(&rp);
	rp.sample_rate = 8000;
	rp.window_length = rp.fft_size = 256;
	rp.hop = 64;
	fp.len = 256;
	fp.hop = 64;
	tfr_framer *f1 = tfr_framer_new(&fp, &d), *f2 = tfr_framer_new(&fp, &d);
	tfr_reassign *r1 = tfr_reassign_new(&rp, &d), *r2 = tfr_reassign_new(&rp, &d);
	static tfr_point pts[129];
	CHECK("framer, reassign: _new", f1 && f2 && r1 && r2);
	if (f1 && f2 && r1 && r2) {
		reassign_run(f1, r1, sig_a, pts);
		tfr_framer_reset(f1);
		tfr_reassign_reset(r1);
		double s1 = reassign_run(f1, r1, sig_b, pts);
		double s2 = reassign_run(f2, r2, sig_b, pts);
		CHECK("framer, reassign: _reset = new", s1 == s2 && s1 != 0);
	}
	tfr_framer_free(f1);
	tfr_framer_free(f2);
	tfr_reassign_free(r1);
	tfr_reassign_free(r2);
}

/* ---- tfr_peaks ---- */

static void test_peaks(void)
{
	tfr_peaks_params p;
	tfr_diag d;
	tfr_peaks_free(NULL);
	tfr_peaks_params_default(&p);
	CHECK("peaks: defaults pass _check", tfr_peaks_check(&p, &d) == TFR_OK);
	p.sample_rate = -1;
	check_refusal("peaks rate=-1", tfr_peaks_check(&p, &d), &d);
	check_new_refuses("peaks rate=-1", tfr_peaks_new(&p, &d), &d);
}

/* ---- partial streams: tfr_track, tfr_synth, tfr_bpgrid ---- */

/* Two frames' worth of peaks of a harmonic tone drifting with k. */
static size_t peaks_of(int64_t frame, double period, int seed, tfr_peak *pk)
{
	size_t n = 0;
	for (int h = 1; h <= 4; h++) {
		pk[n] = (tfr_peak){ .frame = frame, .time = frame * period,
		                    .freq = h * (200.0 + seed) + frame * 0.1,
		                    .amp = 0.1f / h, .phase = 0.3f * h,
		                    .bandwidth = 0.1f * seed };
		n++;
	}
	return n;
}

static size_t track_run(tfr_track *t, int seed, tfr_breakpoint *out,
                        size_t max)
{
	tfr_peak pk[8];
	const tfr_breakpoint *r;
	size_t n = 0, got;
	for (int64_t f = 0; f < 50; f++) {
		size_t np = peaks_of(f, 0.01, seed, pk);
		tfr_track_process(t, f, pk, np);
		r = tfr_track_ready(t, &got);
		for (size_t i = 0; i < got && n < max; i++)
			out[n++] = r[i];
	}
	tfr_track_flush(t);
	r = tfr_track_ready(t, &got);
	for (size_t i = 0; i < got && n < max; i++)
		out[n++] = r[i];
	return n;
}

static void test_track(void)
{
	tfr_track_params p;
	tfr_diag d;
	static tfr_breakpoint b1[512], b2[512];
	tfr_track_free(NULL);
	tfr_track_params_default(&p);
	p.sample_rate = 8000;
	p.frame_period = 0.01;
	CHECK("track: parameters pass _check", tfr_track_check(&p, &d) == 0);
	p.frame_period = 0;
	check_refusal("track period=0", tfr_track_check(&p, &d), &d);
	check_new_refuses("track period=0", tfr_track_new(&p, &d), &d);
	p.frame_period = 0.01;
	tfr_track *used = tfr_track_new(&p, &d), *fresh = tfr_track_new(&p, &d);
	CHECK("track: _new", used && fresh);
	if (used && fresh) {
		track_run(used, 0, b1, 512);
		tfr_track_reset(used);
		size_t n1 = track_run(used, 3, b1, 512);
		size_t n2 = track_run(fresh, 3, b2, 512);
		/* 200 measured, and the midpoints phase consistency adds */
		CHECK("track: four partials of 50 breakpoints and more", n1 >= 200);
		CHECK("track: _reset = new (partial numbers restart too)",
		      n1 == n2 && memcmp(b1, b2, n1 * sizeof *b1) == 0);
	}
	tfr_track_free(used);
	tfr_track_free(fresh);
}

/* The breakpoints of one partial per harmonic, 0.5 s, in stream order. */
static size_t partials_of(int seed, tfr_breakpoint *bp)
{
	size_t n = 0;
	for (int k = 0; k <= 50; k++)
		for (int h = 1; h <= 3; h++)
			bp[n++] = (tfr_breakpoint){
				.partial = h, .time = 0.01 * k,
				.freq = h * (300.0 + 10 * seed), .amp = 0.2f / h,
				.phase = 0, .bandwidth = seed ? 0.3f : 0.0f,
				.end = k == 50 };
	return n;
}

static size_t synth_run(tfr_synth *s, int seed, float *out, size_t max)
{
	static tfr_breakpoint bp[256];
	size_t n = partials_of(seed, bp);
	tfr_synth_process(s, bp, n);
	tfr_synth_flush(s);
	return tfr_synth_read(s, out, max);
}

static void test_synth(void)
{
	tfr_synth_params p;
	tfr_diag d;
	static float y1[LEN * 2], y2[LEN * 2];
	tfr_synth_free(NULL);
	tfr_synth_params_default(&p);
	p.sample_rate = 8000;
	CHECK("synth: parameters pass _check", tfr_synth_check(&p, &d) == 0);
	p.fade_time = 5;
	check_refusal("synth fade=5 s", tfr_synth_check(&p, &d), &d);
	check_new_refuses("synth fade=5 s", tfr_synth_new(&p, &d), &d);
	p.fade_time = 0.001;
	tfr_synth *used = tfr_synth_new(&p, &d), *fresh = tfr_synth_new(&p, &d);
	CHECK("synth: _new", used && fresh);
	if (used && fresh) {
		synth_run(used, 0, y1, LEN * 2);
		tfr_synth_reset(used);
		size_t n1 = synth_run(used, 1, y1, LEN * 2);
		size_t n2 = synth_run(fresh, 1, y2, LEN * 2);
		/* last breakpoint at sample 4000, faded out over 8 samples */
		CHECK("synth: 0.5 s and the fade", n1 == 4009);
		CHECK("synth: _reset = new (noise seed restarts too)",
		      n1 == n2 && memcmp(y1, y2, n1 * sizeof(float)) == 0);
	}
	tfr_synth_free(used);
	tfr_synth_free(fresh);
}

static size_t bpgrid_run(tfr_bpgrid *g, int seed, double *sum)
{
	static tfr_breakpoint bp[256];
	size_t n = partials_of(seed, bp), frames = 0, rows;
	const tfr_grid_row *r;
	double t;
	tfr_bpgrid_process(g, bp, n);
	tfr_bpgrid_flush(g);
	*sum = 0;
	while (tfr_bpgrid_next(g, &t, &r, &rows) == 1) {
		frames++;
		for (size_t i = 0; i < rows; i++)
			*sum += t * r[i].freq * r[i].amp;
	}
	return frames;
}

static void test_bpgrid(void)
{
	tfr_bpgrid_params p;
	tfr_diag d;
	double s1, s2;
	tfr_bpgrid_free(NULL);
	tfr_bpgrid_params_default(&p);
	p.period = 0.01;
	CHECK("bpgrid: parameters pass _check", tfr_bpgrid_check(&p, &d) == 0);
	p.period = 0;
	check_refusal("bpgrid period=0", tfr_bpgrid_check(&p, &d), &d);
	check_new_refuses("bpgrid period=0", tfr_bpgrid_new(&p, &d), &d);
	p.period = 0.01;
	tfr_bpgrid *used = tfr_bpgrid_new(&p, &d), *fresh = tfr_bpgrid_new(&p, &d);
	CHECK("bpgrid: _new", used && fresh);
	if (used && fresh) {
		bpgrid_run(used, 0, &s1);
		tfr_bpgrid_reset(used);
		size_t n1 = bpgrid_run(used, 1, &s1);
		size_t n2 = bpgrid_run(fresh, 1, &s2);
		/* frames 0 ... 0.5 s and the death rows at 0.51 s */
		CHECK("bpgrid: 52 frames", n1 == 52);
		CHECK("bpgrid: _reset = new", n1 == n2 && s1 == s2);
	}
	tfr_bpgrid_free(used);
	tfr_bpgrid_free(fresh);
}

/* partials_of(seed) shifted by -0.1 s and clipped to [0, 0.3]: the
 * breakpoints out. */
static size_t pclip_run(tfr_pclip *c, int seed, tfr_breakpoint *out)
{
	static tfr_breakpoint bp[256];
	size_t n = partials_of(seed, bp), m;
	for (size_t i = 0; i < n; i++)
		bp[i].time -= 0.1;
	tfr_pclip_process(c, bp, n);
	tfr_pclip_flush(c);
	const tfr_breakpoint *r = tfr_pclip_ready(c, &m);
	memcpy(out, r, m * sizeof *r);
	return m;
}

static void test_pclip(void)
{
	tfr_pclip_params p;
	tfr_diag d;
	static tfr_breakpoint b1[256], b2[256];
	tfr_pclip_free(NULL);
	tfr_pclip_params_default(&p);
	p.to = 0.3;
	CHECK("pclip: parameters pass _check", tfr_pclip_check(&p, &d) == 0);
	p.to = -1;
	check_refusal("pclip to<from", tfr_pclip_check(&p, &d), &d);
	check_new_refuses("pclip to<from", tfr_pclip_new(&p, &d), &d);
	p.to = 0.3;
	tfr_pclip *used = tfr_pclip_new(&p, &d), *fresh = tfr_pclip_new(&p, &d);
	CHECK("pclip: _new", used && fresh);
	if (used && fresh) {
		pclip_run(used, 0, b1);
		tfr_pclip_reset(used);
		size_t n1 = pclip_run(used, 1, b1);
		size_t n2 = pclip_run(fresh, 1, b2);
		/* 3 partials of 0, 0.01 ... 0.3 s: the breakpoint at 0 itself
		 * replaces the ones before it */
		CHECK("pclip: 3 partials of 31 breakpoints", n1 == 93);
		CHECK("pclip: _reset = new",
		      n1 == n2 && memcmp(b1, b2, n1 * sizeof *b1) == 0);
	}
	tfr_pclip_free(used);
	tfr_pclip_free(fresh);
}

/* partials_of(seed) through a selection (durations of 0.5 s at least:
 * all), a labelling at 300 + 10 seed Hz, or a distillation of those
 * labels (kind 0, 1, 2): the breakpoints out, collected after each call. */
static size_t post_run(void *obj, int kind, int seed, tfr_breakpoint *out)
{
	static tfr_breakpoint bp[256];
	size_t n = partials_of(seed, bp), m = 0, k;
	const tfr_breakpoint *r;
	for (size_t i = 0; i < n; i++)
		bp[i].label = bp[i].partial;
	for (int call = 0; call < 2; call++) {
		if (kind == 0) {
			if (call == 0)
				tfr_select_process(obj, bp, n);
			else
				tfr_select_flush(obj);
			r = tfr_select_ready(obj, 0, &k);
		} else if (kind == 1) {
			if (call == 0)
				tfr_label_process(obj, bp, n);
			else
				tfr_label_flush(obj);
			r = tfr_label_ready(obj, &k);
		} else {
			if (call == 0)
				tfr_distill_process(obj, bp, n);
			else
				tfr_distill_flush(obj);
			r = tfr_distill_ready(obj, &k);
		}
		memcpy(out + m, r, k * sizeof *r);
		m += k;
	}
	return m;
}

static void test_post(void)
{
	tfr_diag d;
	static tfr_breakpoint b1[256], b2[256];
	tfr_select_free(NULL);
	tfr_label_free(NULL);
	tfr_distill_free(NULL);
	tfr_select_params sp;
	tfr_select_params_default(&sp);
	CHECK("select: parameters pass _check", tfr_select_check(&sp, &d) == 0);
	sp.min_points = 0;
	check_refusal("select min_points=0", tfr_select_check(&sp, &d), &d);
	check_new_refuses("select min_points=0", tfr_select_new(&sp, &d), &d);
	sp.min_points = 1;
	sp.min_duration = 0.5;
	tfr_label_params lp;
	tfr_label_params_default(&lp);
	lp.f0 = 300;
	CHECK("label: parameters pass _check", tfr_label_check(&lp, &d) == 0);
	lp.f0 = 0;
	check_refusal("label f0=0", tfr_label_check(&lp, &d), &d);
	check_new_refuses("label f0=0", tfr_label_new(&lp, &d), &d);
	lp.f0 = 310;
	tfr_distill_params dp;
	tfr_distill_params_default(&dp);
	CHECK("distill: parameters pass _check", tfr_distill_check(&dp, &d) == 0);
	dp.join_gap = -1;
	check_refusal("distill join_gap=-1", tfr_distill_check(&dp, &d), &d);
	check_new_refuses("distill join_gap=-1", tfr_distill_new(&dp, &d), &d);
	tfr_distill_params_default(&dp);
	static const char *const names[] = { "select", "label", "distill" };
	for (int kind = 0; kind < 3; kind++) {
		void *used, *fresh;
		if (kind == 0) {
			used = tfr_select_new(&sp, &d);
			fresh = tfr_select_new(&sp, &d);
		} else if (kind == 1) {
			used = tfr_label_new(&lp, &d);
			fresh = tfr_label_new(&lp, &d);
		} else {
			used = tfr_distill_new(&dp, &d);
			fresh = tfr_distill_new(&dp, &d);
		}
		char what[64];
		snprintf(what, sizeof what, "%s: _new", names[kind]);
		CHECK(what, used && fresh);
		if (!used || !fresh)
			continue;
		post_run(used, kind, 0, b1);
		if (kind == 0)
			tfr_select_reset(used);
		else if (kind == 1)
			tfr_label_reset(used);
		else
			tfr_distill_reset(used);
		size_t n1 = post_run(used, kind, 1, b1);
		size_t n2 = post_run(fresh, kind, 1, b2);
		snprintf(what, sizeof what, "%s: three partials of 51 breakpoints", names[kind]);
		CHECK(what, n1 == 153);
		snprintf(what, sizeof what, "%s: _reset = new", names[kind]);
		CHECK(what, n1 == n2 && memcmp(b1, b2, n1 * sizeof *b1) == 0);
		if (kind == 1)
			CHECK("label: harmonics 1, 2, 3 of 310 Hz", b1[0].label == 1 &&
			      b1[1].label == 2 && b1[2].label == 3);
		if (kind == 0) {
			tfr_select_free(used);
			tfr_select_free(fresh);
		} else if (kind == 1) {
			tfr_label_free(used);
			tfr_label_free(fresh);
		} else {
			tfr_distill_free(used);
			tfr_distill_free(fresh);
		}
	}
}

/* partials_of(seed), labelled, warped (stretch, pitch, formants: the
 * held breakpoints too): the breakpoints out. */
static size_t warp_run(tfr_warp *w, int seed, tfr_breakpoint *out)
{
	static tfr_breakpoint bp[256];
	size_t n = partials_of(seed, bp), m;
	for (size_t i = 0; i < n; i++)
		bp[i].label = bp[i].partial;
	tfr_warp_process(w, bp, n);
	tfr_warp_flush(w);
	const tfr_breakpoint *r = tfr_warp_ready(w, &m);
	memcpy(out, r, m * sizeof *r);
	return m;
}

static void test_warp(void)
{
	tfr_warp_params p;
	tfr_diag d;
	static tfr_breakpoint b1[256], b2[256];
	tfr_warp_free(NULL);
	tfr_warp_params_default(&p);
	CHECK("warp: parameters pass _check", tfr_warp_check(&p, &d) == 0);
	p.stretch = 0;
	check_refusal("warp stretch=0", tfr_warp_check(&p, &d), &d);
	check_new_refuses("warp stretch=0", tfr_warp_new(&p, &d), &d);
	p.stretch = 1.5;
	p.cents = 700;
	p.formants = 1;
	p.lookahead = 0.02;
	tfr_warp *used = tfr_warp_new(&p, &d), *fresh = tfr_warp_new(&p, &d);
	CHECK("warp: _new", used && fresh);
	if (used && fresh) {
		size_t k;
		CHECK("warp: _ready never NULL", tfr_warp_ready(used, &k) != NULL && k == 0);
		warp_run(used, 0, b1);
		tfr_warp_reset(used);
		size_t n1 = warp_run(used, 1, b1);
		size_t n2 = warp_run(fresh, 1, b2);
		CHECK("warp: 3 partials of 51 breakpoints", n1 == 153);
		CHECK("warp: _reset = new",
		      n1 == n2 && memcmp(b1, b2, n1 * sizeof *b1) == 0);
	}
	tfr_warp_free(used);
	tfr_warp_free(fresh);
}

/* The f0 frames of x (audio at 8 kHz) or of partials_of(seed). */
static size_t f0_run(tfr_f0 *f, const float *x, int seed, tfr_f0_frame *out)
{
	static tfr_breakpoint bp[256];
	size_t m;
	if (x) {
		tfr_f0_process(f, x, LEN / 2);
		tfr_f0_process(f, x + LEN / 2, LEN - LEN / 2);
	} else {
		size_t n = partials_of(seed, bp);
		tfr_f0_process_partials(f, bp, n);
	}
	tfr_f0_flush(f);
	const tfr_f0_frame *r = tfr_f0_ready(f, &m);
	memcpy(out, r, m * sizeof *r);
	return m;
}

static void test_f0(void)
{
	tfr_f0_params p;
	tfr_diag d;
	static tfr_f0_frame f1[256], f2[256];
	tfr_f0_free(NULL);
	tfr_f0_params_default(&p);
	CHECK("f0: parameters pass _check", tfr_f0_check(&p, &d) == 0);
	p.min_f0 = 2000;
	check_refusal("f0 min>max", tfr_f0_check(&p, &d), &d);
	check_new_refuses("f0 min>max", tfr_f0_new(&p, &d), &d);
	for (int partials = 0; partials < 2; partials++) {
		tfr_f0_params_default(&p);
		p.sample_rate = 8000;
		p.max_f0 = 1000;
		p.input = partials ? TFR_F0_PARTIALS : TFR_F0_AUDIO;
		tfr_f0 *used = tfr_f0_new(&p, &d), *fresh = tfr_f0_new(&p, &d);
		CHECK("f0: _new", used && fresh);
		if (used && fresh) {
			size_t k;
			CHECK("f0: _ready never NULL", tfr_f0_ready(used, &k) != NULL && k == 0);
			f0_run(used, partials ? NULL : sig_a, 0, f1);
			tfr_f0_reset(used);
			size_t n1 = f0_run(used, partials ? NULL : sig_b, 1, f1);
			size_t n2 = f0_run(fresh, partials ? NULL : sig_b, 1, f2);
			/* audio: 4096 samples at 8 kHz, a frame every 10 ms */
			CHECK("f0: frames", partials ? n1 > 0 : n1 == 52);
			CHECK("f0: _reset = new",
			      n1 == n2 && memcmp(f1, f2, n1 * sizeof *f1) == 0);
		}
		tfr_f0_free(used);
		tfr_f0_free(fresh);
	}
}

/* The envelope of sig_a (seed 0) or sig_b at 8 kHz, in chunks of 1000
 * samples: the records out (at most cap). */
static size_t stochastic_run(tfr_stochastic *s, int seed, tfr_noise_band *out,
                             size_t cap)
{
	const float *x = seed ? sig_b : sig_a;
	size_t m = 0, k;
	for (size_t i = 0; i <= LEN; i += 1000) {
		if (i < LEN)
			tfr_stochastic_process(s, x + i, LEN - i < 1000 ? LEN - i : 1000);
		if (i + 1000 > LEN)
			tfr_stochastic_flush(s);
		const tfr_noise_band *b = tfr_stochastic_ready(s, &k);
		for (size_t j = 0; j < k && m < cap; j++)
			out[m++] = b[j];
	}
	return m;
}

/* Noise of n records of env, read in reads of 500: the samples out. */
static size_t noise_run(tfr_noise_synth *s, const tfr_noise_band *env, size_t n,
                        float *out, size_t cap)
{
	size_t m = 0, k;
	tfr_noise_synth_process(s, env, n);
	tfr_noise_synth_flush(s);
	while (m < cap && (k = tfr_noise_synth_read(s, out + m, cap - m < 500 ? cap - m : 500)) > 0)
		m += k;
	return m;
}

static void test_stochastic(void)
{
	enum { CAP = 8192 };
	static tfr_noise_band e0[CAP], e1[CAP], e2[CAP];
	static float y1[2 * LEN], y2[2 * LEN];
	tfr_diag d;
	tfr_stochastic_params p;
	tfr_stochastic_free(NULL);
	tfr_stochastic_params_default(&p);
	p.sample_rate = 8000;
	CHECK("stochastic: parameters pass _check", tfr_stochastic_check(&p, &d) == 0);
	p.bands = 0;
	check_refusal("stochastic bands=0", tfr_stochastic_check(&p, &d), &d);
	check_new_refuses("stochastic bands=0", tfr_stochastic_new(&p, &d), &d);
	p.bands = 64;
	p.window = 15;
	check_refusal("stochastic window=15", tfr_stochastic_check(&p, &d), &d);
	p.window = 0;
	tfr_stochastic *used = tfr_stochastic_new(&p, &d), *fresh = tfr_stochastic_new(&p, &d);
	CHECK("stochastic: _new", used && fresh);
	if (used && fresh) {
		size_t k;
		CHECK("stochastic: _ready never NULL", tfr_stochastic_ready(fresh, &k) && k == 0);
		size_t n0 = stochastic_run(used, 0, e0, CAP);
		tfr_stochastic_reset(used);
		size_t n1 = stochastic_run(used, 1, e1, CAP);
		size_t n2 = stochastic_run(fresh, 1, e2, CAP);
		CHECK("stochastic: frames", n0 > 0 && n1 > 0);
		CHECK("stochastic: _reset = new",
		      n1 == n2 && memcmp(e1, e2, n1 * sizeof *e1) == 0);

		tfr_noise_synth_params q;
		tfr_noise_synth_free(NULL);
		tfr_noise_synth_params_default(&q);
		q.sample_rate = 8000;
		CHECK("noise_synth: parameters pass _check", tfr_noise_synth_check(&q, &d) == 0);
		q.window = 18;
		check_refusal("noise_synth window=18", tfr_noise_synth_check(&q, &d), &d);
		check_new_refuses("noise_synth window=18", tfr_noise_synth_new(&q, &d), &d);
		q.window = 0;
		tfr_noise_synth *su = tfr_noise_synth_new(&q, &d), *sf = tfr_noise_synth_new(&q, &d);
		CHECK("noise_synth: _new", su && sf);
		if (su && sf) {
			noise_run(su, e0, n0, y1, 2 * LEN);
			tfr_noise_synth_reset(su);
			size_t m1 = noise_run(su, e1, n1, y1, 2 * LEN);
			size_t m2 = noise_run(sf, e1, n1, y2, 2 * LEN);
			CHECK("noise_synth: samples", m1 > 0);
			CHECK("noise_synth: _reset = new",
			      m1 == m2 && memcmp(y1, y2, m1 * sizeof *y1) == 0);
		}
		tfr_noise_synth_free(su);
		tfr_noise_synth_free(sf);
	}
	tfr_stochastic_free(used);
	tfr_stochastic_free(fresh);
}

int main(void)
{
	make_signals();
	test_hyper();
	test_hyper_bank();
	test_sdelay();
	test_wola();
	test_reassign();
	test_peaks();
	test_track();
	test_synth();
	test_bpgrid();
	test_pclip();
	test_post();
	test_warp();
	test_f0();
	test_stochastic();
	return test_finish("test_contract");
}
