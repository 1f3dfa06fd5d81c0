/*
 * test_window.c - windows and their analytic derivatives: each derivative
 * must match a centred difference of the window function itself (step
 * 1e-4 sample, error O(h^2) ~ 1e-9 relative), window shapes must have
 * their closed forms at every sample and their published side-lobe
 * levels, names must parse.
 */
#include "testutil.h"
#include "tfr.h"

#include <math.h>
#include <string.h>

/* The same window 1000 times longer samples the same function w(tau) on
 * a 1000 times finer grid: its centred differences give dw/dn of the
 * short window to O(h^2), independently of the analytic derivative. */
static void check_derivative(const char *name, const tfr_window_spec *spec,
                             size_t len, double tol)
{
	const size_t up = 1000;
	double w[64], dw[64];
	static double wl[64 * 1000 + 2];
	CHECK(name, tfr_window_fill(spec, len, w, dw) == TFR_OK);
	tfr_window_spec big = *spec;
	if (big.type == TFR_WINDOW_GAUSSIAN)
		big.param *= (double)up;  /* sigma in samples scales with length */
	CHECK(name, tfr_window_fill(&big, len * up, wl, NULL) == TFR_OK);
	double maxdw = 0;
	for (size_t n = 0; n < len; n++)
		maxdw = fmax(maxdw, fabs(dw[n]));
	for (size_t n = 1; n < len; n++) {
		size_t i = n * up;  /* same tau as sample n of the short window */
		CHECK_NEAR(name, wl[i], w[n], 1e-12);
		/* derivative per short-window sample = per long sample * up */
		double fd = (wl[i + 1] - wl[i - 1]) / 2 * (double)up;
		CHECK_NEAR(name, dw[n], fd, tol * maxdw);
	}
}

/* I0 by its integral, I0(x) = (1/pi) int_0^pi exp(x cos t) dt (Simpson,
 * 2000 panels): independent of the power series window.c uses. */
static double i0_integral(double x)
{
	int n = 2000;
	double h = M_PI / n, sum = 0;
	for (int i = 0; i <= n; i++) {
		double f = exp(x * cos(i * h));
		sum += (i == 0 || i == n ? 1 : i % 2 ? 4 : 2) * f;
	}
	return sum * h / 3 / M_PI;
}

/* Every sample against the window's closed form, tau = n - L/2. */
static void closed_forms(void)
{
	enum { L = 64 };
	double w[L];
	struct { const char *name; double a0, a1, a2, a3; } cs[] = {
		{ "hann", 0.5, 0.5, 0, 0 }, { "hamming", 0.54, 0.46, 0, 0 },
		{ "blackman", 0.42, 0.5, 0.08, 0 },
		{ "blackman-harris", 0.35875, 0.48829, 0.14128, 0.01168 },
	};
	tfr_window_spec s;
	double worst = 0;
	for (size_t i = 0; i < sizeof cs / sizeof cs[0]; i++) {
		tfr_window_parse(cs[i].name, &s);
		tfr_window_fill(&s, L, w, NULL);
		for (int n = 0; n < L; n++) {
			/* the textbook form from the start: w[n] = a0 - a1 cos(2 pi n/L) + ... */
			double x = 2 * M_PI * n / L;
			double want = cs[i].a0 - cs[i].a1 * cos(x) + cs[i].a2 * cos(2 * x) -
			              cs[i].a3 * cos(3 * x);
			worst = fmax(worst, fabs(w[n] - want));
		}
	}
	CHECK_NEAR("cosine-sum windows against their textbook forms", worst, 0, 1e-14);
	tfr_window_spec k = { TFR_WINDOW_KAISER, 8.6 };
	tfr_window_fill(&k, L, w, NULL);
	double kw = 0;
	for (int n = 0; n < L; n++) {
		double u = (n - L / 2.0) / (L / 2.0);
		kw = fmax(kw, fabs(w[n] - i0_integral(8.6 * sqrt(1 - u * u)) / i0_integral(8.6)));
	}
	CHECK_NEAR("Kaiser against I0 by its integral", kw, 0, 1e-12);
	tfr_window_spec g = { TFR_WINDOW_GAUSSIAN, 7 };
	tfr_window_fill(&g, L, w, NULL);
	double gw = 0;
	for (int n = 0; n < L; n++)
		gw = fmax(gw, fabs(w[n] - exp(-0.5 * (n - L / 2.0) * (n - L / 2.0) / 49)));
	CHECK_NEAR("Gaussian against exp(-tau^2 / 2 sigma^2)", gw, 0, 1e-15);
	printf("closed forms: cosine sums %.1g, Kaiser %.1g, Gaussian %.1g\n", worst, kw, gw);
}

/* The highest side lobe (dB below the main lobe) of a long window, from
 * its transform on a fine grid: beyond the main lobe's first null. */
static double sidelobe_db(const tfr_window_spec *s)
{
	enum { L = 256, OVER = 64 };
	static double w[L];
	tfr_window_fill(s, L, w, NULL);
	double peak = 0, side = 0, prev = INFINITY;
	int in_main = 1;
	for (int k = 0; k <= L * OVER / 2; k++) {
		double re = 0, im = 0, f = 2 * M_PI * k / (L * OVER);
		for (int n = 0; n < L; n++) {
			re += w[n] * cos(f * n);
			im -= w[n] * sin(f * n);
		}
		double m = hypot(re, im);
		if (k == 0)
			peak = m;
		if (in_main && m > prev)
			in_main = 0;  /* past the first null */
		if (!in_main)
			side = fmax(side, m);
		prev = m;
	}
	return 20 * log10(side / peak);
}

static void sidelobes(void)
{
	/* published levels: Harris 1978 (Hann -31.5, Hamming -42.7 (-43),
	 * Blackman -58.1, 4-term Blackman-Harris -92), rectangular -13.26,
	 * Kaiser by design (Kaiser & Schafer 1980) */
	static const struct { const char *name; double db, tol; } c[] = {
		{ "rectangular", -13.26, 0.1 }, { "hann", -31.47, 0.1 },
		{ "hamming", -42.7, 0.5 }, { "blackman", -58.1, 0.3 },
		{ "blackman-harris", -92.0, 0.5 }, { "kaiser:60dB", -60, 1.5 },
		{ "kaiser:90dB", -90, 1.5 },
	};
	for (size_t i = 0; i < sizeof c / sizeof c[0]; i++) {
		tfr_window_spec s;
		tfr_window_parse(c[i].name, &s);
		double db = sidelobe_db(&s);
		printf("%-16s highest side lobe %7.2f dB (published %.2f)\n", c[i].name, db, c[i].db);
		CHECK_NEAR(c[i].name, db, c[i].db, c[i].tol);
	}
}

int main(void)
{
	tfr_window_spec s;
	closed_forms();
	sidelobes();
	const char *names[] = { "hann", "hamming", "blackman", "blackman-harris",
	                        "kaiser:8.6", "kaiser:70dB", "gaussian:6", "rectangular" };
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
		CHECK(names[i], tfr_window_parse(names[i], &s) == TFR_OK);
		check_derivative(names[i], &s, 64, 1e-6);
	}
	const char *bad[] = { "", "hann:3", "kaiser:", "kaiser:abc", "kaiser:-1",
	                      "gaussian:0", "triangle", "kaiser:90 dB", "kaiser:nan" };
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		CHECK(bad[i], tfr_window_parse(bad[i], &s) == TFR_EINVAL);

	/* periodic Hann: zero at n = 0, one at the centre n = L/2 */
	double w[16];
	tfr_window_parse("hann", &s);
	tfr_window_fill(&s, 16, w, NULL);
	CHECK_NEAR("hann w[0]", w[0], 0, 1e-15);
	CHECK_NEAR("hann w[L/2]", w[8], 1, 1e-15);
	CHECK_NEAR("hann w[4]", w[4], 0.5, 1e-15);
	/* Kaiser-Schafer: 90 dB side lobes -> beta = 0.12438 * 96.3 */
	CHECK_NEAR("kaiser beta for 90 dB", tfr_kaiser_beta_for_sidelobe(90), 11.977794, 1e-6);
	tfr_window_parse("kaiser:90dB", &s);
	CHECK_NEAR("kaiser:90dB parses to beta", s.param, 11.977794, 1e-6);
	/* Kaiser with beta 0 is rectangular; at the centre always 1 */
	tfr_window_spec k0 = { TFR_WINDOW_KAISER, 0 };
	tfr_window_fill(&k0, 16, w, NULL);
	CHECK_NEAR("kaiser beta 0 edge", w[0], 1, 1e-15);
	char buf[64];
	s.type = TFR_WINDOW_BLACKMAN_HARRIS;
	CHECK("name round trip", !strcmp(tfr_window_name(&s, buf, sizeof buf), "blackman-harris"));
	return test_finish("test_window");
}
