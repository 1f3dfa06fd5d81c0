/*
 * hyper_interp.c - kriging weights for the decimated scan lines of
 * tfr_hyper and their evaluation 8 samples at a time (hyper_interp.h).
 */
#include "hyper_interp.h"
#include "tfr.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define HI_K TFR_HYPER_FIR_K
#define HI_LO TFR_HYPER_FIR_LO
#define HI_PIL 3.14159265358979323846264338327950288L

/* Cholesky factor of the K x K Gram matrix R(i - j), in long double:
 * its condition number is ~4e13 at s = 0.05, and an error e in the
 * solution costs only ~e^2 cond in the estimate's variance, so long
 * double leaves the weights' error far below float precision. */
static void hi_cholesky(long double a2, long double l[HI_K][HI_K])
{
	for (int i = 0; i < HI_K; i++)
		for (int j = 0; j <= i; j++) {
			long double v = expl(-a2 * (long double)((i - j) * (i - j)));
			for (int k = 0; k < j; k++)
				v -= l[i][k] * l[j][k];
			l[i][j] = i == j ? sqrtl(v) : v / l[j][j];
		}
}

static void hi_solve(long double l[HI_K][HI_K], long double *v)
{
	for (int i = 0; i < HI_K; i++) {
		for (int k = 0; k < i; k++)
			v[i] -= l[i][k] * v[k];
		v[i] /= l[i][i];
	}
	for (int i = HI_K - 1; i >= 0; i--) {
		for (int k = i + 1; k < HI_K; k++)
			v[i] -= l[k][i] * v[k];
		v[i] /= l[i][i];
	}
}

static void hi_weights(long double l[HI_K][HI_K], long double a2, double t,
                       double *w)
{
	long double v[HI_K];
	for (int k = 0; k < HI_K; k++) {
		long double d = (long double)t - (k - HI_LO);
		v[k] = expl(-a2 * d * d);  /* cov(y(t), y(node k)) */
	}
	hi_solve(l, v);
	for (int k = 0; k < HI_K; k++)
		w[k] = t == 0 ? (k == HI_LO) : (double)v[k];
}

void tfr_hyper_fir_weights(double s, double t, double w[TFR_HYPER_FIR_K])
{
	long double l[HI_K][HI_K];
	long double a2 = HI_PIL * HI_PIL * (long double)s * (long double)s;
	hi_cholesky(a2, l);
	hi_weights(l, a2, t, w);
}

int tfr_hyper_fir_init(tfr_hyper_fir *f, int dlog, double s)
{
	size_t D = (size_t)1 << dlog;
	memset(f, 0, sizeof *f);
	f->dlog = dlog;
	f->ngroups = D >= 8 ? D / 8 : 1;
	f->ntaps = D >= 8 ? HI_K : HI_K + (int)(8 / D) - 1;
	f->w = calloc(f->ngroups * (size_t)f->ntaps * 8, sizeof *f->w);
	if (!f->w)
		return TFR_ENOMEM;
	long double l[HI_K][HI_K];
	long double a2 = HI_PIL * HI_PIL * (long double)s * (long double)s;
	hi_cholesky(a2, l);
	for (size_t r = 0; r < D; r++) {
		double w[HI_K];
		hi_weights(l, a2, (double)r / (double)D, w);
		/* phase r is lane r % 8 of group r / 8 (D >= 8), else lanes
		 * r, r + D, ..., whose node 0 is lane / D places on */
		for (size_t lane = r % 8; lane < 8; lane += D) {
			size_t g = D >= 8 ? r / 8 : 0;
			size_t o = D >= 8 ? 0 : lane >> dlog;
			float *t = f->w + g * (size_t)f->ntaps * 8;
			for (size_t k = 0; k < HI_K; k++)
				t[(k + o) * 8 + lane] = (float)w[k];
			if (D >= 8)
				break;
		}
	}
	return TFR_OK;
}

void tfr_hyper_fir_free(tfr_hyper_fir *f)
{
	free(f->w);
	memset(f, 0, sizeof *f);
}

typedef float hi_v8 __attribute__((vector_size(32)));
typedef int32_t hi_i8 __attribute__((vector_size(32)));

/* One lane group: the sums over NT decimated samples (each broadcast to
 * the 8 lanes) times the lanes' weights, for the four components. NT is
 * a constant per call site, so that the compiler unrolls the loop. */
#define HI_ACCUM(NT)                                                    \
	for (int j = 0; j < (NT); j++) {                                \
		hi_v8 c;                                                \
		memcpy(&c, wt + 8 * j, sizeof c);                       \
		xr += c * xp[2 * j];                                    \
		xi += c * xp[2 * j + 1];                                \
		er += c * ep[2 * j];                                    \
		ei += c * ep[2 * j + 1];                                \
	}

#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__)
/* AVX2 with FMA where the processor has it, the x86-64 baseline else. */
#define HI_CLONES __attribute__((target_clones("arch=x86-64-v3", "default")))
#else
#define HI_CLONES
#endif

HI_CLONES
size_t tfr_hyper_fir_scan(const tfr_hyper_fir *f, const float *x,
                          const float *e, size_t u0, size_t cnt,
                          float lint2, float out[4][TFR_HYPER_FIR_CHUNK],
                          uint16_t *idx)
{
	size_t k = 0, mask = ((size_t)1 << f->dlog) - 1;
	int dl = f->dlog, nt = f->ntaps;
	for (size_t i = 0; i < cnt; i += 8) {
		size_t u = u0 + i, m = (u >> dl) - HI_LO;
		size_t g = f->ngroups > 1 ? (u & mask) >> 3 : 0;
		const float *wt = f->w + g * (size_t)nt * 8;
		const float *xp = x + 2 * m, *ep = e + 2 * m;
		hi_v8 xr = {0}, xi = {0}, er = {0}, ei = {0};
		switch (nt) {
		case HI_K: HI_ACCUM(HI_K) break;
		case HI_K + 1: HI_ACCUM(HI_K + 1) break;
		case HI_K + 3: HI_ACCUM(HI_K + 3) break;
		default: HI_ACCUM(nt) break;
		}
		hi_v8 n2x = xr * xr + xi * xi, n2e = er * er + ei * ei;
		hi_i8 keep = (n2e < lint2 * n2x) | (n2x < 1e-30f);
		memcpy(out[0] + i, &xr, sizeof xr);
		memcpy(out[1] + i, &xi, sizeof xi);
		memcpy(out[2] + i, &er, sizeof er);
		memcpy(out[3] + i, &ei, sizeof ei);
		size_t nl = cnt - i < 8 ? cnt - i : 8;
		for (size_t l = 0; l < nl; l++) {
			idx[k] = (uint16_t)(i + l);
			k += (size_t)(keep[l] & 1);
		}
	}
	return k;
}
