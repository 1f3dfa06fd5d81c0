/*
 * testutil.h - helpers for the C unit tests: checks that report
 * "file:line: what, expected X, got Y (tol Z)" and count failures, and
 * synthetic test signals with analytic truth.
 */
#ifndef TFR_TESTUTIL_H
#define TFR_TESTUTIL_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#ifndef M_PI
#define M_PI 3.14159265358979323846
#endif

extern int test_failures;

/* Fail unless |got - want| <= tol. */
#define CHECK_NEAR(what, got, want, tol) \
	test_near(__FILE__, __LINE__, (what), (double)(got), (double)(want), \
	          (double)(tol))
/* Fail unless cond holds. */
#define CHECK(what, cond) test_true(__FILE__, __LINE__, (what), (cond))

int test_near(const char *file, int line, const char *what, double got,
              double want, double tol);
int test_true(const char *file, int line, const char *what, int cond);

/* Print a summary and return the exit status for main(). */
int test_finish(const char *name);

/* x[n] += amp * cos(2 pi f n / fs + phase), n = 0..len-1 */
void test_add_cos(float *x, size_t len, double fs, double f, double amp,
                  double phase);
/* x[n] += amp * cos(2 pi (f0 t + rate t^2 / 2) + phase), t = n / fs */
void test_add_chirp(float *x, size_t len, double fs, double f0, double rate,
                    double amp, double phase);
/* Uniform white noise in [-amp, amp), deterministic for a seed. */
void test_add_noise(float *x, size_t len, double amp, uint64_t seed);
/* A drum hit: white noise from sample `at` on, amplitude amp decaying
 * by exp(-t / tau), with a sharp onset (nothing before `at`). */
void test_add_drum(float *x, size_t len, double fs, double at, double amp,
                   double tau, uint64_t seed);
/* A plucked string (Karplus-Strong): a delay line of fs/f0 samples
 * filled with noise at sample `at`, fed back through a two-point
 * average (a fractional delay keeps the pitch at f0), peak amp. */
void test_add_pluck(float *x, size_t len, double fs, double f0, double at,
                    double amp);
/* A sung vowel: a band-limited sawtooth of f0 with 5.5 Hz, +-vib
 * (relative) vibrato, each harmonic weighted by three formant
 * resonances (700, 1220, 2600 Hz: "a"), peak about amp. */
void test_add_voice(float *x, size_t len, double fs, double f0, double vib,
                    double amp);

/* Deterministic uniform random number in [0, 1) (xorshift64*). */
double test_rand(uint64_t *state);

/* A path under $TFR_DATA (tests/data) in a static buffer. */
const char *test_data_path(const char *name);

#endif
