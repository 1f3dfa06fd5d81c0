/*
 * reassign.c - reassigned spectrogram by the auxiliary-window method.
 *
 * For the STFT X_h(t, w) = sum_n x[s_m + n] h[n] e^{-j 2 pi k n / N} with
 * the window applied unreversed and centred at n0 = L/2, the operators are
 * (reassignment.md §1-2; Auger & Flandrin 1995, eqs. for t^ and w^ with
 * the sign fixed by window orientation):
 *
 *   t^ = t_m + Re{X_th / X_h} / fs                  (local group delay)
 *   f^ = k fs / N - fs / (2 pi) Im{X_dh / X_h}      (channelised inst. freq.)
 *   M  = 1 + Re{X_tdh / X_h} - Re{X_th X_dh / X_h^2}    (d2phi / dt dw)
 *
 * with auxiliary windows th = r h, dh = dh/dn and tdh = r dh/dn, where
 * r[n] = n - n0 is centred on the true window centre (no half-sample bias)
 * and dh is the analytic derivative. Ratios are formed as cross products,
 * Re(a conj b) / |b|^2, in double precision from float FFTs.
 */
#include "tfr_base.h"
#include "tfr_reassign.h"
#include "internal.h"

#include "tfr_fft.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

enum { AUX_H, AUX_TH, AUX_DH, AUX_TDH, AUX_COUNT };

struct tfr_reassign {
	tfr_reassign_params p;
	size_t nbins;
	double wsum;          /* sum of the window: amplitude scale */
	double amp_scale;     /* 2 / wsum */
	double power_floor;   /* |X|^2 below which a cell is dropped */
	float *win[AUX_COUNT];      /* the four windows, window_length each */
	float *buf[AUX_COUNT];      /* windowed frames, fft_size each, one
	                               after the other from buf[0] */
	tfr_cpx *spec[AUX_COUNT];   /* their spectra, likewise from spec[0]
	                               (an even number of bins apart: each
	                               16-byte aligned, as FFTW likes them) */
	tfr_fft *fft;
};

void tfr_reassign_params_default(tfr_reassign_params *p)
{
	memset(p, 0, sizeof *p);
	p->sample_rate = 44100;
	p->window.type = TFR_WINDOW_HANN;
	p->window_length = 2048;
	p->hop = 512;
	p->fft_size = 2048;
	p->threshold_db = -90;
	p->max_time_shift = INFINITY;
	p->max_freq_shift = INFINITY;
	p->component_tol = -1;
	p->impulse_tol = -1;
}

int tfr_reassign_check(const tfr_reassign_params *p, tfr_diag *d)
{
	tfr_diag_clear(d);
	if (!p)
		return tfr_diag_set(d, TFR_EINVAL, "no parameters");
	if (!(p->sample_rate > 0 && p->sample_rate <= TFR_MAX_SAMPLE_RATE))
		return tfr_diag_set(d, TFR_EINVAL, "sample_rate must be above 0 "
		                    "and at most 10^7 Hz");
	if (p->window_length < 2)
		return tfr_diag_set(d, TFR_EINVAL, "window_length must be at least 2");
	if (p->hop < 1)
		return tfr_diag_set(d, TFR_EINVAL, "hop must be at least 1");
	if (p->fft_size < p->window_length || p->fft_size % 2 ||
	    p->fft_size > TFR_MAX_FFT_SIZE)
		return tfr_diag_set(d, TFR_EINVAL, "fft_size must be even, at least "
		                    "window_length and at most 2^22");
	if (isnan(p->threshold_db) || p->threshold_db == INFINITY)
		return tfr_diag_set(d, TFR_EINVAL, "threshold_db must be a level or -inf");
	if (!(p->max_time_shift >= 0) || !(p->max_freq_shift >= 0))
		return tfr_diag_set(d, TFR_EINVAL, "max_time_shift and "
		                    "max_freq_shift must be 0 or more (inf: off)");
	if (isnan(p->component_tol) || isnan(p->impulse_tol))
		return tfr_diag_set(d, TFR_EINVAL, "component_tol and impulse_tol "
		                    "must be numbers (negative: off)");
	return TFR_OK;
}

/* Fill the four auxiliary windows from the window and its derivative. */
static int make_windows(tfr_reassign *r)
{
	size_t len = r->p.window_length;
	double *w = malloc(2 * len * sizeof *w);
	if (!w)
		return TFR_ENOMEM;
	double *dw = w + len;
	int e = tfr_window_fill(&r->p.window, len, w, dw);
	if (e == TFR_OK) {
		double half = (double)len / 2, sum = 0;
		for (size_t n = 0; n < len; n++) {
			double t = (double)n - half;
			r->win[AUX_H][n] = (float)w[n];
			r->win[AUX_TH][n] = (float)(t * w[n]);
			r->win[AUX_DH][n] = (float)dw[n];
			r->win[AUX_TDH][n] = (float)(t * dw[n]);
			sum += w[n];
		}
		r->wsum = sum;
		if (!(sum > 0))
			e = TFR_EINVAL;
	}
	free(w);
	return e;
}

tfr_reassign *tfr_reassign_new(const tfr_reassign_params *p, tfr_diag *d)
{
	tfr_reassign *r = NULL;
	int e = tfr_reassign_check(p, d);
	if (e != TFR_OK)
		return NULL;
	e = TFR_ENOMEM;
	if (!(r = calloc(1, sizeof *r)))
		goto fail;
	r->p = *p;
	r->nbins = p->fft_size / 2 + 1;
	/* One transform at a time: FFTW's plan of the four at a call
	 * measured no faster (FFTW_MEASURE) or 2.4 times slower
	 * (FFTW_ESTIMATE) than four calls (scripts/bench-fft). */
	size_t stride = r->nbins + (r->nbins & 1);
	size_t fstride = (p->fft_size + 3) / 4 * 4;  /* 16 bytes likewise */
	r->buf[0] = calloc(AUX_COUNT * fstride, sizeof(float));
	r->spec[0] = malloc(AUX_COUNT * stride * sizeof(tfr_cpx));
	if (!r->buf[0] || !r->spec[0])
		goto fail;
	for (int a = 0; a < AUX_COUNT; a++) {
		r->buf[a] = r->buf[0] + a * fstride;
		r->spec[a] = r->spec[0] + a * stride;
		if (!(r->win[a] = malloc(p->window_length * sizeof(float))))
			goto fail;
	}
	if (!(r->fft = tfr_fft_new(p->fft_size, 1, TFR_FFT_REAL_FORWARD, NULL)))
		goto fail;
	if ((e = make_windows(r)) != TFR_OK)
		goto fail;
	r->amp_scale = 2 / r->wsum;
	/* amp >= 10^(dB/20)  <=>  |X|^2 >= (10^(dB/20) wsum / 2)^2 */
	double a = pow(10, p->threshold_db / 20) / r->amp_scale;
	r->power_floor = a * a;
	return r;
fail:
	tfr_reassign_free(r);
	tfr_diag_set(d, e, e == TFR_EINVAL ? "the window cannot be made" : NULL);
	return NULL;
}

void tfr_reassign_reset(tfr_reassign *r)
{
	(void)r;  /* each frame is reassigned on its own: nothing is held */
}

size_t tfr_reassign_max_points(const tfr_reassign *r)
{
	return r->nbins;
}

double tfr_reassign_frame_time(const tfr_reassign *r, int64_t index)
{
	/* first sample m*hop - floor(L/2), window centre L/2 samples later */
	size_t len = r->p.window_length;
	double start = (double)index * (double)r->p.hop - (double)(len / 2);
	return (start + (double)len / 2) / r->p.sample_rate;
}

/* Wrap to [-pi, pi). */
static double wrap_phase(double ph)
{
	return ph - TFR_2PI * floor((ph + TFR_PI) / TFR_2PI);
}

static int keep_mixed(const tfr_reassign_params *p, double m)
{
	int comp = p->component_tol >= 0, imp = p->impulse_tol >= 0;
	if (!comp && !imp)
		return 1;
	return (comp && fabs(m) < p->component_tol) ||
	       (imp && fabs(m - 1) < p->impulse_tol);
}

int tfr_reassign_process(tfr_reassign *r, const float *frame, int64_t index,
                       tfr_point *out, size_t *n)
{
	const tfr_reassign_params *p = &r->p;
	size_t len = p->window_length, nfft = p->fft_size;
	for (int a = 0; a < AUX_COUNT; a++) {
		const float *w = r->win[a];
		float *b = r->buf[a];
		for (size_t i = 0; i < len; i++)
			b[i] = frame[i] * w[i];
		tfr_fft_forward(r->fft, b, r->spec[a]);
	}
	const tfr_cpx *X = r->spec[AUX_H], *Xt = r->spec[AUX_TH];
	const tfr_cpx *Xd = r->spec[AUX_DH], *Xtd = r->spec[AUX_TDH];
	double fs = p->sample_rate, tm = tfr_reassign_frame_time(r, index);
	double binhz = fs / (double)nfft;
	size_t count = 0;
	for (size_t k = 0; k < r->nbins; k++) {
		double xr = X[k].r, xi = X[k].i;
		double pw = xr * xr + xi * xi;
		if (!(pw >= r->power_floor) || !(pw > 0))
			continue;
		double inv = 1 / pw;
		/* a / X = a conj(X) / |X|^2 */
		double tr = (Xt[k].r * xr + Xt[k].i * xi) * inv;
		double ti = (Xt[k].i * xr - Xt[k].r * xi) * inv;
		double dr = (Xd[k].r * xr + Xd[k].i * xi) * inv;
		double di = (Xd[k].i * xr - Xd[k].r * xi) * inv;
		double tdr = (Xtd[k].r * xr + Xtd[k].i * xi) * inv;
		double dt = tr / fs;
		double df = -di * fs / TFR_2PI;
		if (fabs(dt) > p->max_time_shift || fabs(df) > p->max_freq_shift)
			continue;
		/* Re{(Xt/X)(Xd/X)} */
		double mixed = 1 + tdr - (tr * dr - ti * di);
		if (!keep_mixed(p, mixed))
			continue;
		tfr_point *pt = &out[count++];
		pt->frame = index;
		pt->bin = (int32_t)k;
		pt->time = tm + dt;
		pt->freq = (double)k * binhz + df;
		pt->amp = (float)(sqrt(pw) * r->amp_scale);
		/* frame-local phase: the window centre n0 = L/2 is the origin,
		 * a factor e^{j 2 pi k n0 / N} = e^{j pi (k L mod 2N) / N} */
		double loc = TFR_PI * (double)((k * len) % (2 * nfft)) / (double)nfft;
		pt->phase = (float)wrap_phase(atan2(xi, xr) + loc +
		                              TFR_2PI * pt->freq * dt);
		pt->mixed = (float)mixed;
	}
	*n = count;
	return TFR_OK;
}

void tfr_reassign_spectrum(tfr_reassign *r, const float *frame, float *amp)
{
	size_t len = r->p.window_length;
	const float *w = r->win[AUX_H];
	float *b = r->buf[AUX_H];
	for (size_t i = 0; i < len; i++)
		b[i] = frame[i] * w[i];
	tfr_fft_forward(r->fft, b, r->spec[AUX_H]);
	const tfr_cpx *X = r->spec[AUX_H];
	for (size_t k = 0; k < r->nbins; k++) {
		double xr = X[k].r, xi = X[k].i;
		amp[k] = (float)(sqrt(xr * xr + xi * xi) * r->amp_scale);
	}
}

void tfr_reassign_free(tfr_reassign *r)
{
	if (!r)
		return;
	for (int a = 0; a < AUX_COUNT; a++)
		free(r->win[a]);
	free(r->buf[0]);
	free(r->spec[0]);
	tfr_fft_free(r->fft);
	free(r);
}
