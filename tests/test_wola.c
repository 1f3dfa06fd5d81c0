/*
 * test_wola.c - the weighted overlap-add STFT (tfr_wola.h): analysis then
 * synthesis is the identity, delayed by exactly fft_size - hop samples,
 * for every window and hop with an invertible overlap envelope; the dry
 * path is the input with the same delay; a bin-centred sine lands in its
 * bins with the unnormalised DFT scale; reset forgets; refusals.
 */
#include "testutil.h"
#include "tfr.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Run x through analysis + synthesis; worst |y[n + latency] - x[n]|. */
static double round_trip(size_t n, size_t hop, const double *win, size_t len,
                         double *dry_err)
{
	tfr_wola_params p = { n, hop, win };
	tfr_diag d;
	tfr_wola *w = tfr_wola_new(&p, &d);
	if (!CHECK("wola_new", w != NULL)) {
		fprintf(stderr, "%s\n", d.text);
		return INFINITY;
	}
	size_t lat = tfr_wola_latency(w), blocks = (len + lat) / hop + 1;
	float *x = calloc(blocks * hop, sizeof *x), *y = calloc(blocks * hop, sizeof *y);
	float *dry = calloc(blocks * hop, sizeof *dry);
	float *spec = malloc(2 * tfr_wola_bins(w) * sizeof *spec);
	test_add_noise(x, len, 0.5, 7);
	for (size_t b = 0; b < blocks; b++) {
		tfr_wola_analyze(w, x + b * hop, 1, spec);
		memcpy(dry + b * hop, tfr_wola_dry(w), hop * sizeof *dry);
		tfr_wola_synthesize(w, spec, y + b * hop, 1);
	}
	double err = 0, derr = 0;
	for (size_t i = 0; i < len; i++) {
		err = fmax(err, fabs(y[i + lat] - x[i]));
		derr = fmax(derr, fabs(dry[i + lat] - x[i]));
	}
	*dry_err = derr;
	free(x);
	free(y);
	free(dry);
	free(spec);
	tfr_wola_free(w);
	return err;
}

static void reconstruction(void)
{
	static const struct { tfr_window_type t; double par; size_t hop_div; } c[] = {
		{ TFR_WINDOW_HANN, 0, 2 }, { TFR_WINDOW_HANN, 0, 4 }, { TFR_WINDOW_HANN, 0, 8 },
		{ TFR_WINDOW_HAMMING, 0, 4 }, { TFR_WINDOW_BLACKMAN, 0, 4 },
		{ TFR_WINDOW_KAISER, 12, 4 }, { TFR_WINDOW_RECTANGULAR, 0, 1 },
		{ TFR_WINDOW_HANN, 0, 3 },  /* a hop that does not divide N */
	};
	enum { N = 1024 };
	double *win = malloc(N * sizeof *win), worst = 0;
	for (size_t i = 0; i < sizeof c / sizeof c[0]; i++) {
		tfr_window_spec s = { c[i].t, c[i].par };
		tfr_window_fill(&s, N, win, NULL);
		double dry, e = round_trip(N, N / c[i].hop_div, win, 20000, &dry);
		worst = fmax(worst, e);
		CHECK_NEAR("identity (float STFT)", e, 0, 1e-5);
		CHECK("dry path: the input, delayed by the latency, untouched", dry == 0);
	}
	printf("analysis + synthesis: worst error %.2g over 8 windows and hops\n", worst);
	CHECK_NEAR("identity, achieved bound", worst, 0, 1.5e-6);
	free(win);
}

static void sine_spectrum(void)
{
	tfr_wola_params p;
	tfr_wola_params_default(&p);  /* 2048, 512, periodic Hann */
	tfr_wola *w = tfr_wola_new(&p, NULL);
	float x[2048], spec[2 * 1025];
	memset(x, 0, sizeof x);
	test_add_cos(x, 2048, 2048, 100, 1.0, 0);  /* bin 100 exactly */
	for (int b = 0; b < 4; b++)
		tfr_wola_analyze(w, x + 512 * b, 1, spec);
	/* Hann: N/2 at the bin, N/4 at its neighbours, nothing elsewhere;
	 * frame-local phase: the cosine's phase at the frame start */
	double m100 = hypot(spec[200], spec[201]), m99 = hypot(spec[198], spec[199]);
	double rest = 0;
	for (int k = 0; k <= 1024; k++)
		if (k < 99 || k > 101)
			rest = fmax(rest, hypot(spec[2 * k], spec[2 * k + 1]));
	CHECK_NEAR("bin 100 holds N/2", m100, 512, 0.01);
	CHECK_NEAR("bin 99 holds N/4", m99, 256, 0.01);
	CHECK_NEAR("nothing beyond 3 bins", rest, 0, 0.01);
	tfr_wola_reset(w);
	memset(x, 0, sizeof x);
	tfr_wola_analyze(w, x, 1, spec);
	CHECK("reset forgets the input", hypot(spec[200], spec[201]) == 0);
	tfr_wola_free(w);
}

static void refusals(void)
{
	tfr_diag d;
	tfr_wola_params p;
	tfr_wola_params_default(&p);
	p.fft_size = 1023;
	CHECK("odd size refused", !tfr_wola_new(&p, &d) && d.code == TFR_EINVAL);
	p.fft_size = 1024;
	p.hop = 0;
	CHECK("hop 0 refused", tfr_wola_check(&p, &d) == TFR_EINVAL);
	p.hop = 1024;  /* Hann with hop N: the envelope is 0 at the ends */
	CHECK("no exact inverse refused", !tfr_wola_new(&p, &d) && d.code == TFR_EINVAL &&
	      strstr(d.text, "no exact inverse"));
	tfr_wola_free(NULL);
}

int main(void)
{
	reconstruction();
	sine_spectrum();
	refusals();
	return test_finish("test_wola");
}
