/*
 * hyper_direct.c - direct time-domain evaluation of one tfr_hyper filter
 * output at one sample, in double and in long double (hyper_direct.h).
 *
 * The kernel g(m) = A e_m p_m, A = sigma sqrt(2 pi), envelope
 * e_m = exp(-m^2 / (2 sigma_t^2)) (sigma_t = 1/(2 pi sigma)), carrier
 * p_m = exp(i 2 pi f0 m), is Hermitian in m, so the sums run over m >= 1
 * on s_m = x[n-m] + x[n+m] and d_m = x[n-m] - x[n+m]:
 *   xi  = A (x[n] + sum e_m (s_m cos_m + i d_m sin_m))
 *   eta = -i 2 pi sigma A sum m e_m (d_m cos_m + i s_m sin_m).
 */
#include "hyper_direct.h"
#include "cpu.h"
#include "internal.h"
#include "tfr_base.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define HD_KSIG 8.0    /* double kernel: taps up to 8 sigma_t */
#define HD_ANCHOR 64   /* taps between exact kernel values */

static inline double hd_x(const float *x, ptrdiff_t i, ptrdiff_t lo,
                          ptrdiff_t hi)
{
	return i >= lo && i < hi ? (double)x[i] : 0.0;
}

static ptrdiff_t hd_taps(double sigma, double nsig)
{
	return (ptrdiff_t)ceil(nsig / (2 * TFR_PI * sigma));
}

int tfr_hyper_kern_init(tfr_hyper_kern *k, double q, double fmin,
                        unsigned cpu)
{
	memset(k, 0, sizeof *k);
	k->cap = hd_taps(fmin / (2 * TFR_PI * q), HD_KSIG) + 1;
	k->e = malloc((size_t)k->cap * sizeof *k->e);
	k->ec = malloc((size_t)k->cap * sizeof *k->ec);
	k->es = malloc((size_t)k->cap * sizeof *k->es);
	k->me = malloc((size_t)k->cap * sizeof *k->me);
	k->mec = malloc((size_t)k->cap * sizeof *k->mec);
	k->mes = malloc((size_t)k->cap * sizeof *k->mes);
	k->avx2 = (cpu & TFR_CPU_AVX2) != 0;
	if (!k->e || !k->ec || !k->es || !k->me || !k->mec || !k->mes) {
		tfr_hyper_kern_free(k);
		return TFR_ENOMEM;
	}
	return TFR_OK;
}

void tfr_hyper_kern_free(tfr_hyper_kern *k)
{
	free(k->e);
	free(k->ec);
	free(k->es);
	free(k->me);
	free(k->mec);
	free(k->mes);
	memset(k, 0, sizeof *k);
}

void tfr_hyper_kern_forget(tfr_hyper_kern *k)
{
	k->K = 0;
	k->f0 = 0;
	k->sigma = 0;
}

size_t tfr_hyper_kern_set(tfr_hyper_kern *k, double f0, double sigma)
{
	if (k->K > 0 && k->f0 == f0 && k->sigma == sigma)
		return 0;
	double a = 2 * TFR_PI * TFR_PI * sigma * sigma;   /* e_m = e^(-a m^2) */
	double w = 2 * TFR_PI * f0;
	ptrdiff_t K = hd_taps(sigma, HD_KSIG);
	if (K >= k->cap)
		K = k->cap - 1;
	/* recurrences (e_m+1 = e_m r_m, r_m+1 = r_m exp(-2a); p_m+1 = p_m
	 * exp(i w)), re-anchored on exp/cos/sin every HD_ANCHOR taps: the
	 * drift stays below ~1e-14, and a line costs ~4 flops per tap
	 * instead of three libm calls */
	double c2 = exp(-2 * a), wc = cos(w), ws = sin(w);
	double e = 0, r = 0, pc = 0, ps = 0;
	for (ptrdiff_t m = 1; m <= K; m++) {
		if ((m - 1) % HD_ANCHOR == 0) {
			double dm = (double)m;
			e = exp(-a * dm * dm);
			r = exp(-a * (2 * dm + 1));
			pc = cos(w * dm);
			ps = sin(w * dm);
		}
		double dm = (double)m;
		k->e[m] = e;
		k->ec[m] = e * pc;
		k->es[m] = e * ps;
		k->me[m] = dm * k->e[m];
		k->mec[m] = dm * k->ec[m];
		k->mes[m] = dm * k->es[m];
		e *= r;
		r *= c2;
		double t = pc * wc - ps * ws;
		ps = pc * ws + ps * wc;
		pc = t;
	}
	k->f0 = f0;
	k->sigma = sigma;
	k->K = K;
	return (size_t)K;
}

/* One tap pair m of the double sums: acc = {sr, si, U, V, S, SM}. */
static inline void hd_acc(const tfr_hyper_kern *k, ptrdiff_t m, double xl,
                          double xh, double acc[6])
{
	double s = xl + xh, d = xl - xh, ax = fabs(xl) + fabs(xh);
	acc[0] += k->ec[m] * s;
	acc[1] += k->es[m] * d;
	acc[2] += k->mec[m] * d;
	acc[3] += k->mes[m] * s;
	acc[4] += k->e[m] * ax;
	acc[5] += k->me[m] * ax;
}

#ifdef TFR_CPU_X86
/* Taps 1 .. K - K % 4 of the sums, four at a time with AVX2 (the order
 * of the additions differs from hd_acc's: ~1e-16 relative). */
__attribute__((target("arch=x86-64-v3")))
static ptrdiff_t hd_acc_avx2(const tfr_hyper_kern *k, const float *x,
                             ptrdiff_t n, double acc[6])
{
	typedef double v4d __attribute__((vector_size(32)));
	typedef float v4f __attribute__((vector_size(16)));
	typedef int32_t v4i __attribute__((vector_size(16)));
	typedef int64_t v4l __attribute__((vector_size(32)));
	v4d a[6] = {{0}};
	ptrdiff_t m = 1;
	for (; m + 3 <= k->K; m += 4) {
		v4f fl, fh;
		memcpy(&fl, x + n - m - 3, sizeof fl);
		memcpy(&fh, x + n + m, sizeof fh);
		fl = __builtin_shuffle(fl, (v4i){3, 2, 1, 0});
		v4d xl = __builtin_convertvector(fl, v4d);
		v4d xh = __builtin_convertvector(fh, v4d);
		v4d s = xl + xh, d = xl - xh;
		v4d ax = (v4d)(((v4l)xl & 0x7fffffffffffffff)) +
		         (v4d)(((v4l)xh & 0x7fffffffffffffff));
		v4d t[6];
		memcpy(&t[0], k->ec + m, sizeof t[0]);
		memcpy(&t[1], k->es + m, sizeof t[1]);
		memcpy(&t[2], k->mec + m, sizeof t[2]);
		memcpy(&t[3], k->mes + m, sizeof t[3]);
		memcpy(&t[4], k->e + m, sizeof t[4]);
		memcpy(&t[5], k->me + m, sizeof t[5]);
		a[0] += t[0] * s;
		a[1] += t[1] * d;
		a[2] += t[2] * d;
		a[3] += t[3] * s;
		a[4] += t[4] * ax;
		a[5] += t[5] * ax;
	}
	for (int j = 0; j < 6; j++)
		acc[j] += (a[j][0] + a[j][1]) + (a[j][2] + a[j][3]);
	return m;
}
#endif

size_t tfr_hyper_direct_d(const tfr_hyper_kern *k, const float *x,
                          ptrdiff_t n, ptrdiff_t lo, ptrdiff_t hi,
                          double out[4], double *scale)
{
	double acc[6] = {0, 0, 0, 0, 0, 0};
	ptrdiff_t K = k->K, m = 1;
	if (n - K >= lo && n + K < hi) {
		/* the common case, without bounds checks */
#ifdef TFR_CPU_X86
		if (k->avx2)
			m = hd_acc_avx2(k, x, n, acc);
#endif
		for (; m <= K; m++)
			hd_acc(k, m, x[n - m], x[n + m], acc);
	} else {
		for (; m <= K; m++)
			hd_acc(k, m, hd_x(x, n - m, lo, hi),
			       hd_x(x, n + m, lo, hi), acc);
	}
	double sigma = k->sigma;
	double A = sigma * sqrt(2 * TFR_PI), B = 2 * TFR_PI * sigma * A;
	double x0 = hd_x(x, n, lo, hi);
	out[0] = A * (x0 + acc[0]);
	out[1] = A * acc[1];
	out[2] = B * acc[3];
	out[3] = -B * acc[2];
	*scale = A * (fabs(x0) + acc[4]) + B * acc[5];
	return (size_t)K;
}

size_t tfr_hyper_direct_ld(const float *x, ptrdiff_t n, ptrdiff_t lo,
                           ptrdiff_t hi, double f0, double sigma,
                           long double out[4])
{
	long double s_ = sigma;
	long double a = 2 * TFR_PIL * TFR_PIL * s_ * s_;
	long double sigt = 1 / (2 * TFR_PIL * s_);
	ptrdiff_t K = (ptrdiff_t)ceill(9.5L * sigt);
	long double w = 2 * TFR_PIL * (long double)f0;
	long double sr = 0, si = 0, U = 0, V = 0;
	size_t taps = 0;
	for (ptrdiff_t m = 1; m <= K; m++) {
		long double xl = hd_x(x, n - m, lo, hi);
		long double xh = hd_x(x, n + m, lo, hi);
		if (xl == 0 && xh == 0)
			continue;
		long double dm = (long double)m;
		long double e = expl(-a * dm * dm);
		long double pc = cosl(w * dm), ps = sinl(w * dm);
		long double s = xl + xh, d = xl - xh;
		sr += e * s * pc;
		si += e * d * ps;
		U += dm * e * d * pc;
		V += dm * e * s * ps;
		taps++;
	}
	long double A = s_ * sqrtl(2 * TFR_PIL), B = 2 * TFR_PIL * s_ * A;
	out[0] = A * ((long double)hd_x(x, n, lo, hi) + sr);
	out[1] = A * si;
	out[2] = B * V;
	out[3] = -B * U;
	return taps + 1;
}
