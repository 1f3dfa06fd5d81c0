/*
 * test_window.c - windows and their analytic derivatives: each derivative
 * must match a centred difference of the window function itself (step
 * 1e-4 sample, error O(h^2) ~ 1e-9 relative), window shapes must have
 * their textbook values, names must parse.
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

int main(void)
{
	tfr_window_spec s;
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
