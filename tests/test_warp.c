/*
 * test_warp.c - envelopes over time (tfr_envelope.h, tfr_envelope_io.h)
 * and the warp of partials (tfr_warp.h) against analytic truth: an
 * envelope is linear between its points and exact at them; positions of
 * faults point at the field; a time map is exact at the markers and
 * linear between, slope 1 beyond; the identity passes records bit for
 * bit; a stretch multiplies times exactly and keeps frequencies; cents
 * give 2^(c/1200) exactly; the phases out integrate the new frequencies
 * by the trapezoid rule (drift at float rounding); gains and bandwidth
 * factors as given; formants put the amplitudes on the spectral envelope
 * at the new frequencies, streaming; bad order is refused.
 */
#include "testutil.h"
#include "tfr.h"
#include "tfr_envelope.h"
#include "tfr_envelope_io.h"
#include "tfr_warp.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static tfr_envelope *parse(const char *text, tfr_map_values x, tfr_map_values y,
                           tfr_diag *d)
{
	tfr_envelope *e = NULL;
	tfr_envelope_parse(text, x, y, &e, d);
	return e;
}

static tfr_envelope *read_text(const char *text, tfr_map_values x,
                               tfr_map_values y, tfr_diag *d)
{
	FILE *fp = tmpfile();
	tfr_envelope *e = NULL;
	if (!fp)
		return NULL;
	fputs(text, fp);
	rewind(fp);
	tfr_envelope_read(fp, x, y, &e, d);
	fclose(fp);
	return e;
}

static void test_envelope(void)
{
	tfr_diag d;
	tfr_envelope *e = parse("0:0,1s:700,1500ms:700,2:-300", TFR_MAP_TIME,
	                        TFR_MAP_NUMBER, &d);
	CHECK("envelope: inline parses", e && e->n == 4 && e->timed);
	if (e) {
		CHECK("envelope: exact at the points", tfr_envelope_at(e, 1) == 700 &&
		      tfr_envelope_at(e, 2) == -300 && tfr_envelope_at(e, 0) == 0);
		CHECK_NEAR("envelope: linear between", tfr_envelope_at(e, 0.25), 175, 1e-12);
		CHECK_NEAR("envelope: linear between (ms)", tfr_envelope_at(e, 1.75), 200, 1e-12);
		CHECK("envelope: the ends' values beyond", tfr_envelope_at(e, -1) == 0 &&
		      tfr_envelope_at(e, 9) == -300);
		CHECK("envelope: value columns", e->ycol[1] == 8 && e->xcol[2] == 12 &&
		      e->line[0] == 0);
		tfr_diag r;
		CHECK("envelope: a range fault", tfr_envelope_check_range(e, -200, 1000,
		      "cents", &r) == TFR_EINVAL && r.column == 25 && r.line == 0 &&
		      strstr(r.text, "-300"));
		tfr_envelope *c = tfr_envelope_copy(e);
		CHECK("envelope: a copy", c && c->n == 4 && c->y[3] == -300 && c->ycol[3] == 25);
		tfr_envelope_free(c);
	}
	tfr_envelope_free(e);

	e = parse("-6dB", TFR_MAP_TIME, TFR_MAP_LEVEL, &d);
	CHECK("envelope: a constant", e && e->n == 1 && !e->timed &&
	      tfr_envelope_at(e, 3) == -6 && tfr_envelope_is_constant(e, -6));
	tfr_envelope_free(e);

	/* a step: the later value from its time on */
	e = parse("0:1,1:1,1:2,2:2", TFR_MAP_TIME, TFR_MAP_NUMBER, &d);
	CHECK("envelope: a step", e && tfr_envelope_at(e, 0.999) == 1 &&
	      tfr_envelope_at(e, 1) == 2);
	tfr_envelope_free(e);

	/* faults, at their column or line and column */
	e = parse("0:0,2:1,1:3", TFR_MAP_TIME, TFR_MAP_NUMBER, &d);
	CHECK("envelope: decreasing time refused at its column",
	      !e && d.code == TFR_EFORMAT && d.column == 9 && strstr(d.text, "decrease"));
	e = parse("0:0,1:x", TFR_MAP_TIME, TFR_MAP_NUMBER, &d);
	CHECK("envelope: a bad value at its column", !e && d.column == 7);
	e = parse("0:0,-1:3", TFR_MAP_TIME, TFR_MAP_NUMBER, &d);
	CHECK("envelope: a negative time", !e && d.column == 5 && strstr(d.text, "negative"));
	e = read_text("# time cents\n0 0\n\n1.5 700  # up\n1 0\n", TFR_MAP_TIME,
	              TFR_MAP_NUMBER, &d);
	CHECK("envelope file: decreasing time at line 5, column 1",
	      !e && d.line == 5 && d.column == 1);
	e = read_text("0 0\n1 0 3\n", TFR_MAP_TIME, TFR_MAP_NUMBER, &d);
	CHECK("envelope file: a third field", !e && d.line == 2 && d.column == 5);
	e = read_text("# nothing\n", TFR_MAP_TIME, TFR_MAP_NUMBER, &d);
	CHECK("envelope file: no points", !e && d.code == TFR_EFORMAT);
	e = read_text("0 0\n 1.5\t700\n", TFR_MAP_TIME, TFR_MAP_NUMBER, &d);
	CHECK("envelope file: read", e && e->n == 2 && e->line[1] == 2 &&
	      e->xcol[1] == 2 && e->ycol[1] == 6 && e->y[1] == 700);
	tfr_envelope_free(e);

	/* markers: both times must increase */
	e = read_text("0.5 1\n1 1.5\n2 1.5\n", TFR_MAP_TIME, TFR_MAP_TIME, &d);
	CHECK("markers: read", e != NULL);
	if (e)
		CHECK("markers: a target not increasing, at its field",
		      tfr_envelope_check_increasing(e, "source time", "target time", &d) ==
		      TFR_EINVAL && d.line == 3 && d.column == 3 &&
		      strstr(d.text, "target time"));
	tfr_envelope_free(e);
	double x[] = { 0, 1 }, y[] = { 1, 2 };
	e = tfr_envelope_new(x, y, 2, &d);
	CHECK("envelope_new", e && tfr_envelope_at(e, 0.5) == 1.5);
	tfr_envelope_free(e);
	CHECK("envelope_new refuses decreasing x",
	      !tfr_envelope_new(y, x + 0, 0, &d) && d.code == TFR_EINVAL);
}

/* Warp n breakpoints fed one at a time (and a flush) into out. */
static size_t warp(const tfr_warp_params *p, const tfr_breakpoint *b, size_t n,
                   tfr_breakpoint *out, size_t *before_flush)
{
	tfr_diag d;
	tfr_warp *w = tfr_warp_new(p, &d);
	CHECK("warp: new", w != NULL);
	if (!w)
		return 0;
	size_t m = 0, k;
	for (size_t i = 0; i < n; i++) {
		CHECK("warp: process", tfr_warp_process(w, &b[i], 1) == TFR_OK);
		const tfr_breakpoint *r = tfr_warp_ready(w, &k);
		memcpy(out + m, r, k * sizeof *r);
		m += k;
	}
	if (before_flush)
		*before_flush = m;
	CHECK("warp: flush", tfr_warp_flush(w) == TFR_OK);
	const tfr_breakpoint *r = tfr_warp_ready(w, &k);
	memcpy(out + m, r, k * sizeof *r);
	m += k;
	tfr_warp_free(w);
	return m;
}

#define NP 10
#define NT 101

/* NP harmonic partials of 200 Hz (partial k-1, label k) over 1 s,
 * breakpoints every 10 ms with times jittered per partial (reassigned
 * times differ), amplitudes exp(-f/1000) (a spectral envelope whose log
 * is linear in frequency), a glide of 0.1 % over the second, phases
 * integrated; in time order. */
static size_t harmonics(tfr_breakpoint *b, int glide)
{
	size_t n = 0;
	double ph[NP] = { 0 }, pt[NP] = { 0 }, pf[NP] = { 0 };
	for (int i = 0; i < NT; i++)
		for (int k = 1; k <= NP; k++) {
			double t = i * 0.01 + 1e-4 * ((k * 7) % NP);
			double f = 200.0 * k * (glide ? 1 + 0.001 * i : 1);
			if (i)
				ph[k - 1] = remainder(ph[k - 1] + M_PI * (pf[k - 1] + f) *
				                      (t - pt[k - 1]), 2 * M_PI);
			pt[k - 1] = t;
			pf[k - 1] = f;
			b[n++] = (tfr_breakpoint){ k - 1, t, f, (float)exp(-f / 1000),
			                           (float)ph[k - 1], 0.25f, i == NT - 1, k };
		}
	/* time order: by time, stably */
	for (size_t i = 1; i < n; i++) {
		tfr_breakpoint x = b[i];
		size_t j = i;
		while (j > 0 && b[j - 1].time > x.time) {
			b[j] = b[j - 1];
			j--;
		}
		b[j] = x;
	}
	return n;
}

/* The largest gap between each partial's phases and its frequencies
 * integrated by the trapezoid rule from its first phase (rad). */
static double phase_drift(const tfr_breakpoint *b, size_t n)
{
	double ph[NP], t[NP], f[NP], worst = 0;
	int seen[NP] = { 0 };
	for (size_t i = 0; i < n; i++) {
		int64_t p = b[i].partial;
		if (seen[p]) {
			ph[p] += M_PI * (f[p] + b[i].freq) * (b[i].time - t[p]);
			worst = fmax(worst, fabs(remainder(b[i].phase - ph[p], 2 * M_PI)));
		} else {
			ph[p] = b[i].phase;
			seen[p] = 1;
		}
		t[p] = b[i].time;
		f[p] = b[i].freq;
	}
	return worst;
}

static int in_order(const tfr_breakpoint *b, size_t n)
{
	for (size_t i = 1; i < n; i++)
		if (b[i].time < b[i - 1].time)
			return 0;
	return 1;
}

static void test_time(void)
{
	static tfr_breakpoint b[NP * NT], out[NP * NT], orig[NP * NT];
	size_t n = harmonics(b, 1);
	tfr_warp_params p;
	tfr_diag d;

	/* identity: bit for bit */
	tfr_warp_params_default(&p);
	CHECK("identity: is one", tfr_warp_is_identity(&p));
	size_t m = warp(&p, b, n, out, NULL);
	CHECK("identity: bit for bit", m == n && !memcmp(b, out, n * sizeof *b));
	p.formants = 1;  /* no transposition: nothing to keep */
	m = warp(&p, b, n, out, NULL);
	CHECK("identity with formants: bit for bit", m == n && !memcmp(b, out, n * sizeof *b));

	/* stretch 2: times exactly doubled, frequencies kept, phases made
	 * again (the first kept) */
	tfr_warp_params_default(&p);
	p.stretch = 2;
	memcpy(orig, b, sizeof b);
	m = warp(&p, b, n, out, NULL);
	int times = m == n, freqs = m == n, labels = m == n;
	for (size_t i = 0; i < m && i < n; i++) {
		times &= out[i].time == 2 * orig[i].time && out[i].partial == orig[i].partial;
		freqs &= out[i].freq == orig[i].freq && out[i].amp == orig[i].amp &&
		         out[i].bandwidth == orig[i].bandwidth;
		labels &= out[i].label == orig[i].label && out[i].end == orig[i].end;
	}
	CHECK("stretch 2: times exactly twice", times);
	CHECK("stretch 2: frequencies, amplitudes, bandwidths kept", freqs);
	CHECK("stretch 2: labels and ends kept", labels);
	CHECK("stretch 2: first phases kept", out[0].phase == orig[0].phase);
	CHECK_NEAR("stretch 2: phases integrate the frequencies (rad)",
	           phase_drift(out, m), 0, 1e-6);
	CHECK("stretch 2: in time order", in_order(out, m));

	/* markers: 0 -> 0 implied; exact at the markers, linear between,
	 * slope 1 beyond */
	tfr_envelope *mk = parse("0.25:0.5,0.5:0.6,0.75:0.7", TFR_MAP_TIME,
	                         TFR_MAP_TIME, &d);
	tfr_warp_params_default(&p);
	p.markers = mk;
	tfr_warp *w = tfr_warp_new(&p, &d);
	CHECK("markers: new", w != NULL);
	if (w) {
		CHECK("markers: exact at the markers", tfr_warp_time(w, 0.25) == 0.5 &&
		      tfr_warp_time(w, 0.5) == 0.6 && tfr_warp_time(w, 0.75) == 0.7 &&
		      tfr_warp_time(w, 0) == 0);
		CHECK_NEAR("markers: linear from 0 -> 0", tfr_warp_time(w, 0.1), 0.2, 1e-15);
		CHECK_NEAR("markers: linear between", tfr_warp_time(w, 0.6), 0.64, 1e-15);
		CHECK_NEAR("markers: slope 1 after", tfr_warp_time(w, 1.0), 0.95, 1e-15);
		tfr_warp_free(w);
	}
	m = warp(&p, b, n, out, NULL);
	int ok = m == n;
	for (size_t i = 0; i < m && i < n; i++) {
		double t = orig[i].time;
		double want = t <= 0.25 ? 2 * t : t <= 0.5 ? 0.5 + 0.4 * (t - 0.25)
		            : t <= 0.75 ? 0.6 + 0.4 * (t - 0.5) : t - 0.05;
		ok &= fabs(out[i].time - want) < 1e-12;
	}
	CHECK("markers: every breakpoint on the map", ok);
	CHECK_NEAR("markers: phases integrate the frequencies (rad)",
	           phase_drift(out, m), 0, 1e-6);
	CHECK("markers: in time order", in_order(out, m));
	tfr_envelope_free(mk);

	/* a single marker at 0: a shift */
	mk = parse("0:0.5", TFR_MAP_TIME, TFR_MAP_TIME, &d);
	p.markers = mk;
	w = tfr_warp_new(&p, &d);
	CHECK("one marker at 0: a shift", w && tfr_warp_time(w, 1) == 1.5);
	tfr_warp_free(w);
	tfr_envelope_free(mk);

	/* refusals: positioned */
	mk = parse("0.5:1,1:1.5,2:1.5", TFR_MAP_TIME, TFR_MAP_TIME, &d);
	p.markers = mk;
	CHECK("markers not increasing: refused at the target's column",
	      tfr_warp_check(&p, &d) == TFR_EINVAL && d.column == 15);
	tfr_envelope_free(mk);
	mk = parse("1:1,1.001:2", TFR_MAP_TIME, TFR_MAP_TIME, &d);
	p.markers = mk;
	CHECK("markers: a slope of 1000.x refused",
	      tfr_warp_check(&p, &d) == TFR_EINVAL && strstr(d.text, "slope"));
	p.stretch = 2;
	tfr_envelope_free(mk);
	mk = parse("1:2", TFR_MAP_TIME, TFR_MAP_TIME, &d);
	p.markers = mk;
	CHECK("stretch and markers refused", tfr_warp_check(&p, &d) == TFR_EINVAL);
	tfr_envelope_free(mk);
}

static void test_pitch(void)
{
	static tfr_breakpoint b[NP * NT], out[NP * NT];
	size_t n = harmonics(b, 1);
	tfr_warp_params p;
	tfr_diag d;

	/* +700 cents: 2^(7/12) on every frequency; times kept */
	tfr_warp_params_default(&p);
	p.cents = 700;
	size_t m = warp(&p, b, n, out, NULL);
	double worst = 0;
	int times = m == n;
	for (size_t i = 0; i < m && i < n; i++) {
		worst = fmax(worst, fabs(out[i].freq / b[i].freq - 1.4983070768766815));
		times &= out[i].time == b[i].time && out[i].amp == b[i].amp;
	}
	CHECK_NEAR("+700 cents: ratio 1.49831 exactly", worst, 0, 1e-14);
	CHECK("+700 cents: times and amplitudes kept", times);
	CHECK_NEAR("+700 cents: phases integrate the new frequencies (rad)",
	           phase_drift(out, m), 0, 1e-6);

	/* an envelope over the input's time: -1200 cents at 0 to +1200 at 1 s */
	tfr_envelope *e = parse("0:-1200,1:1200", TFR_MAP_TIME, TFR_MAP_NUMBER, &d);
	p.pitch = e;
	m = warp(&p, b, n, out, NULL);
	worst = 0;
	for (size_t i = 0; i < m && i < n; i++) {
		double c = -1200 + 2400 * fmin(1, b[i].time);
		worst = fmax(worst, fabs(out[i].freq / b[i].freq / exp2(c / 1200) - 1));
	}
	CHECK_NEAR("pitch envelope: 2^(c(t)/1200) at each breakpoint", worst, 0, 1e-14);
	CHECK_NEAR("pitch envelope: phases consistent (rad)", phase_drift(out, m), 0, 1e-6);
	tfr_envelope_free(e);

	/* gain and bandwidth only: times, frequencies and phases untouched */
	tfr_warp_params_default(&p);
	p.gain_db = -6;
	p.bandwidth_scale = 5;
	m = warp(&p, b, n, out, NULL);
	int kept = m == n, amps = m == n, bws = m == n;
	for (size_t i = 0; i < m && i < n; i++) {
		kept &= out[i].time == b[i].time && out[i].freq == b[i].freq &&
		        out[i].phase == b[i].phase;
		amps &= fabs(out[i].amp - b[i].amp * pow(10, -6.0 / 20)) <= 1e-7 * b[i].amp;
		bws &= out[i].bandwidth == 1;  /* 0.25 x 5, held at 1 */
	}
	CHECK("gain/bandwidth: times, frequencies, phases bit for bit", kept);
	CHECK("gain -6 dB: amplitudes x 0.501", amps);
	CHECK("bandwidth x5: held at 1", bws);

	/* order refused */
	tfr_warp_params_default(&p);
	p.cents = 100;
	tfr_warp *w = tfr_warp_new(&p, &d);
	tfr_breakpoint x[] = { { 0, 1.0, 100, 0.1f, 0, 0, 0, 0 },
	                       { 1, 0.5, 100, 0.1f, 0, 0, 0, 0 },
	                       { 0, 1.0, 100, 0.1f, 0, 0, 0, 0 } };
	CHECK("order: first", w && tfr_warp_process(w, x, 1) == TFR_OK);
	CHECK("order: time going back refused", w && tfr_warp_process(w, x + 1, 1) == TFR_EINVAL);
	CHECK("order: a partial's time not increasing refused",
	      w && tfr_warp_process(w, x + 2, 1) == TFR_EINVAL);
	tfr_warp_free(w);
}

static void test_formants(void)
{
	static tfr_breakpoint b[NP * NT], out[NP * NT];
	size_t n = harmonics(b, 0);
	tfr_warp_params p;
	tfr_warp_params_default(&p);
	p.cents = 700;
	p.formants = 1;
	p.lookahead = 0.03;
	size_t early;
	size_t m = warp(&p, b, n, out, &early);
	CHECK("formants: every breakpoint out", m == n);
	CHECK("formants: streaming (out before the end)", early > n / 2 && early < n);
	CHECK("formants: in time order", in_order(out, m));
	/* the spectral envelope exp(-f/1000) is log-linear in frequency:
	 * exact at any frequency between the lowest and highest harmonic
	 * (200, 2000 Hz), the top's value beyond */
	double worst = 0;
	for (size_t i = 0; i < m; i++) {
		double f = fmin(out[i].freq, 2000);
		worst = fmax(worst, fabs(out[i].amp / exp(-f / 1000) - 1));
	}
	CHECK_NEAR("formants: amplitudes on the envelope at the new frequencies",
	           worst, 0, 1e-6);
	CHECK_NEAR("formants: phases consistent (rad)", phase_drift(out, m), 0, 1e-6);

	/* unlabelled partials keep their amplitudes */
	for (size_t i = 0; i < n; i++)
		if (b[i].partial == 3)
			b[i].label = 0;
	m = warp(&p, b, n, out, NULL);
	int kept = 1;
	for (size_t i = 0; i < m; i++)
		if (out[i].partial == 3)
			kept &= out[i].amp == b[i].amp;
	CHECK("formants: an unlabelled partial keeps its amplitude", kept);

	/* glide: the neighbours interpolated in time (chords of the curve) */
	n = harmonics(b, 1);
	m = warp(&p, b, n, out, NULL);
	worst = 0;
	for (size_t i = 0; i < m; i++) {
		double top = 2000 * (1 + 0.001 * (out[i].time / 0.01));
		double f = fmin(out[i].freq, top);
		worst = fmax(worst, fabs(log(out[i].amp / exp(-f / 1000))));
	}
	CHECK_NEAR("formants, glide: within 0.01 dB of the envelope (neper)",
	           worst, 0, 0.0012);
	CHECK_NEAR("formants, glide: (achieved 1.8e-4 neper)", worst, 0, 5e-4);
}

int main(void)
{
	test_envelope();
	test_time();
	test_pitch();
	test_formants();
	return test_finish("test_warp");
}
