/* testutil.c - see testutil.h */
#include "testutil.h"

#include <math.h>
#include <stdlib.h>

int test_failures;

int test_near(const char *file, int line, const char *what, double got,
              double want, double tol)
{
	if (isfinite(got) && fabs(got - want) <= tol)
		return 1;
	fprintf(stderr, "%s:%d: %s: expected %.12g, got %.12g (tol %.3g)\n",
	        file, line, what, want, got, tol);
	test_failures++;
	return 0;
}

int test_true(const char *file, int line, const char *what, int cond)
{
	if (cond)
		return 1;
	fprintf(stderr, "%s:%d: %s: check failed\n", file, line, what);
	test_failures++;
	return 0;
}

int test_finish(const char *name)
{
	if (test_failures) {
		fprintf(stderr, "%s: %d check(s) failed\n", name, test_failures);
		return 1;
	}
	return 0;
}

void test_add_cos(float *x, size_t len, double fs, double f, double amp,
                  double phase)
{
	for (size_t n = 0; n < len; n++) {
		/* reduce the phase argument exactly enough for long signals */
		double cyc = fmod(f * (double)n / fs, 1.0);
		x[n] += (float)(amp * cos(2 * M_PI * cyc + phase));
	}
}

void test_add_chirp(float *x, size_t len, double fs, double f0, double rate,
                    double amp, double phase)
{
	for (size_t n = 0; n < len; n++) {
		double t = (double)n / fs;
		double cyc = fmod(f0 * t + 0.5 * rate * t * t, 1.0);
		x[n] += (float)(amp * cos(2 * M_PI * cyc + phase));
	}
}

double test_rand(uint64_t *s)
{
	*s ^= *s >> 12;
	*s ^= *s << 25;
	*s ^= *s >> 27;
	return (double)((*s * 2685821657736338717ULL) >> 11) * 0x1p-53;
}

void test_add_noise(float *x, size_t len, double amp, uint64_t seed)
{
	uint64_t s = seed ? seed : 88172645463325252ULL;
	for (size_t n = 0; n < len; n++)
		x[n] += (float)(amp * (2 * test_rand(&s) - 1));
}

const char *test_data_path(const char *name)
{
	static char buf[4096];
	const char *dir = getenv("TFR_DATA");
	snprintf(buf, sizeof buf, "%s/%s", dir ? dir : "data", name);
	return buf;
}
