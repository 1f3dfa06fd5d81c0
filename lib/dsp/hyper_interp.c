/*
 * hyper_interp.c - kriging weights for the decimated scan lines of
 * tfr_hyper and their evaluation 8 or 16 samples at a time
 * (hyper_interp.h).
 */
#include "hyper_interp.h"
#include "cpu.h"
#include "internal.h"
#include "tfr_base.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#ifdef TFR_CPU_X86
#include <immintrin.h>
#endif

#define HI_KMAX TFR_HYPER_FIR_KMAX

/* Cholesky factor of the K x K Gram matrix R(i - j), in long double:
 * its condition number is ~4e13 at s = 0.05, and an error e in the
 * solution costs only ~e^2 cond in the estimate's variance, so long
 * double leaves the weights' error far below float precision. */
static void hi_cholesky(int K, long double a2,
                        long double l[HI_KMAX][HI_KMAX])
{
	for (int i = 0; i < K; i++)
		for (int j = 0; j <= i; j++) {
			long double v = expl(-a2 * (long double)((i - j) * (i - j)));
			for (int k = 0; k < j; k++)
				v -= l[i][k] * l[j][k];
			l[i][j] = i == j ? sqrtl(v) : v / l[j][j];
		}
}

static void hi_solve(int K, long double l[HI_KMAX][HI_KMAX], long double *v)
{
	for (int i = 0; i < K; i++) {
		for (int k = 0; k < i; k++)
			v[i] -= l[i][k] * v[k];
		v[i] /= l[i][i];
	}
	for (int i = K - 1; i >= 0; i--) {
		for (int k = i + 1; k < K; k++)
			v[i] -= l[k][i] * v[k];
		v[i] /= l[i][i];
	}
}

static void hi_weights(int K, long double l[HI_KMAX][HI_KMAX],
                       long double a2, double t, double *w)
{
	long double v[HI_KMAX];
	int lo = K / 2 - 1;
	for (int k = 0; k < K; k++) {
		long double d = (long double)t - (k - lo);
		v[k] = expl(-a2 * d * d);  /* cov(y(t), y(node k)) */
	}
	hi_solve(K, l, v);
	for (int k = 0; k < K; k++)
		w[k] = t == 0 ? (k == lo) : (double)v[k];
}

void tfr_hyper_fir_weights(int K, double s, double t, double *w)
{
	long double l[HI_KMAX][HI_KMAX];
	long double a2 = TFR_PIL * TFR_PIL * (long double)s * (long double)s;
	hi_cholesky(K, a2, l);
	hi_weights(K, l, a2, t, w);
}

/* A table of weights for NL lanes: samples u .. u+NL-1, u a multiple of
 * NL, use group (u mod D)/NL (D >= NL: one decimated neighbourhood for
 * all lanes) or group 0 (D < NL: NL/D neighbourhoods, K + NL/D - 1
 * taps, zero where a lane does not reach). tab[group][tap][lane]. */
static float *hi_table(int K, int dlog, size_t nl, size_t *ngroups,
                       int *ntaps)
{
	size_t D = (size_t)1 << dlog;
	*ngroups = D >= nl ? D / nl : 1;
	*ntaps = D >= nl ? K : K + (int)(nl / D) - 1;
	return calloc(*ngroups * (size_t)*ntaps * nl, sizeof(float));
}

/* The weights w of phase r into the lanes of a table that use it: lane
 * r % nl of group r / nl (D >= nl), else lanes r, r + D, ..., whose
 * node 0 is lane / D places on. */
static void hi_place(float *tab, size_t nl, int ntaps, int dlog, size_t r,
                     int K, const double *w)
{
	size_t D = (size_t)1 << dlog;
	for (size_t lane = r % nl; lane < nl; lane += D) {
		size_t g = D >= nl ? r / nl : 0;
		size_t o = D >= nl ? 0 : lane >> dlog;
		float *t = tab + g * (size_t)ntaps * nl;
		for (size_t k = 0; k < (size_t)K; k++)
			t[(k + o) * nl + lane] = (float)w[k];
		if (D >= nl)
			break;
	}
}

int tfr_hyper_fir_init(tfr_hyper_fir *f, int dlog, double s, int K,
                       unsigned cpu)
{
	memset(f, 0, sizeof *f);
	if (K < 2 || K > HI_KMAX || K % 2)
		return TFR_EINVAL;
	f->dlog = dlog;
	f->K = K;
	f->lo = K / 2 - 1;
	f->avx2 = (cpu & TFR_CPU_AVX2) != 0;
	f->avx512 = (cpu & TFR_CPU_AVX512) != 0;
	/* lut[mask]: the kept lanes of mask, in order, then the others */
	for (unsigned mk = 0; mk < 256; mk++) {
		int n = 0;
		for (int l = 0; l < 8; l++)
			if (mk >> l & 1)
				f->lut[mk][n++] = (uint8_t)l;
		for (int l = 0; l < 8; l++)
			if (!(mk >> l & 1))
				f->lut[mk][n++] = (uint8_t)l;
	}
	f->w = hi_table(K, dlog, 8, &f->ngroups, &f->ntaps);
	if (f->avx512)
		f->w16 = hi_table(K, dlog, 16, &f->ngroups16, &f->ntaps16);
	if (!f->w || (f->avx512 && !f->w16)) {
		tfr_hyper_fir_free(f);
		return TFR_ENOMEM;
	}
	long double l[HI_KMAX][HI_KMAX];
	long double a2 = TFR_PIL * TFR_PIL * (long double)s * (long double)s;
	hi_cholesky(K, a2, l);
	size_t D = (size_t)1 << dlog;
	for (size_t r = 0; r < D; r++) {
		double w[HI_KMAX];
		hi_weights(K, l, a2, (double)r / (double)D, w);
		hi_place(f->w, 8, f->ntaps, dlog, r, K, w);
		if (f->w16)
			hi_place(f->w16, 16, f->ntaps16, dlog, r, K, w);
	}
	return TFR_OK;
}

void tfr_hyper_fir_free(tfr_hyper_fir *f)
{
	free(f->w);
	free(f->w16);
	memset(f, 0, sizeof *f);
}

typedef float hi_v8 __attribute__((vector_size(32)));
typedef int32_t hi_i8 __attribute__((vector_size(32)));

/* One lane group of NL lanes (vector type VT): the sums over its NT
 * taps of the decimated samples (each broadcast to the lanes) times
 * the lanes' weights wt, for the four components, into v[0..3]. NT is
 * a constant per call site, so that the compiler unrolls. */
#define HI_ACCUM(NT, VT, NL)                                            \
	for (int j = 0; j < (NT); j++) {                                \
		VT c;                                                   \
		memcpy(&c, wt + (NL) * j, sizeof c);                    \
		v[0] += c * xp[2 * j];                                  \
		v[1] += c * xp[2 * j + 1];                              \
		v[2] += c * ep[2 * j];                                  \
		v[3] += c * ep[2 * j + 1];                              \
	}

/* Samples u .. u+7 and the pre-test. */
static inline __attribute__((always_inline)) void
hi_group(const tfr_hyper_fir *f, const float *x, const float *e, size_t u,
         float lint2, hi_v8 v[4], hi_i8 *keep)
{
	size_t mask = ((size_t)1 << f->dlog) - 1;
	size_t m = (u >> f->dlog) - (size_t)f->lo;
	size_t g = f->ngroups > 1 ? (u & mask) >> 3 : 0;
	const float *wt = f->w + g * (size_t)f->ntaps * 8;
	const float *xp = x + 2 * m, *ep = e + 2 * m;
	v[0] = v[1] = v[2] = v[3] = (hi_v8){0};
	switch (f->ntaps) {
	/* the counts in use: K = 10 at D >= 8, 4, 2; K = 20 at D = 2 */
	case 10: HI_ACCUM(10, hi_v8, 8) break;
	case 11: HI_ACCUM(11, hi_v8, 8) break;
	case 13: HI_ACCUM(13, hi_v8, 8) break;
	case 23: HI_ACCUM(23, hi_v8, 8) break;
	default: HI_ACCUM(f->ntaps, hi_v8, 8) break;
	}
	hi_v8 n2x = v[0] * v[0] + v[1] * v[1], n2e = v[2] * v[2] + v[3] * v[3];
	*keep = (n2e < lint2 * n2x) | (n2x < 1e-30f);
}

/* Any processor: the kept lanes stored one by one (every lane written,
 * the count advanced only for kept ones: no branches). */
static size_t hi_scan_generic(const tfr_hyper_fir *f, const float *x,
                              const float *e, size_t u0, size_t cnt,
                              float lint2,
                              float out[4][TFR_HYPER_FIR_OUT],
                              uint16_t *idx)
{
	size_t k = 0;
	for (size_t i = 0; i < cnt; i += 8) {
		hi_v8 v[4];
		hi_i8 keep;
		hi_group(f, x, e, u0 + i, lint2, v, &keep);
		size_t nl = cnt - i < 8 ? cnt - i : 8;
		for (size_t l = 0; l < nl; l++) {
			for (int c = 0; c < 4; c++)
				out[c][k] = v[c][l];
			idx[k] = (uint16_t)(i + l);
			k += (size_t)(keep[l] & 1);
		}
	}
	return k;
}

#ifdef TFR_CPU_X86
/* AVX2: the kept lanes moved to the front of each vector by a
 * permutation looked up by the lane mask, all 8 stored, the count
 * advanced by the number kept (so out and idx have 8 entries spare). */
__attribute__((target("arch=x86-64-v3")))
static size_t hi_scan_avx2(const tfr_hyper_fir *f, const float *x,
                           const float *e, size_t u0, size_t cnt,
                           float lint2, float out[4][TFR_HYPER_FIR_OUT],
                           uint16_t *idx)
{
	size_t k = 0;
	__m256i lane = _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7);
	for (size_t i = 0; i < cnt; i += 8) {
		hi_v8 v[4];
		hi_i8 keep;
		hi_group(f, x, e, u0 + i, lint2, v, &keep);
		__m256 km;
		memcpy(&km, &keep, sizeof km);
		unsigned bits = (unsigned)_mm256_movemask_ps(km);
		if (cnt - i < 8)
			bits &= (1u << (cnt - i)) - 1;
		__m256i p = _mm256_cvtepu8_epi32(
		    _mm_loadl_epi64((const __m128i *)f->lut[bits]));
		for (int c = 0; c < 4; c++) {
			__m256 a;
			memcpy(&a, &v[c], sizeof a);
			_mm256_storeu_ps(out[c] + k,
			                 _mm256_permutevar8x32_ps(a, p));
		}
		__m256i ix = _mm256_permutevar8x32_epi32(
		    _mm256_add_epi32(lane, _mm256_set1_epi32((int)i)), p);
		__m128i ix16 = _mm_packus_epi32(_mm256_castsi256_si128(ix),
		                                _mm256_extracti128_si256(ix, 1));
		_mm_storeu_si128((__m128i *)(idx + k), ix16);
		k += (size_t)__builtin_popcount(bits);
	}
	return k;
}
#endif

#ifdef TFR_CPU_X86
/* AVX-512: 16 lanes, the kept ones moved to the front by the
 * processor's own compress, all 16 stored (so out and idx have 16
 * entries spare). Samples u0 .. must start at a multiple of 16. */
__attribute__((target("arch=x86-64-v4")))
static size_t hi_scan_avx512(const tfr_hyper_fir *f, const float *x,
                             const float *e, size_t u0, size_t cnt,
                             float lint2, float out[4][TFR_HYPER_FIR_OUT],
                             uint16_t *idx)
{
	typedef float v16 __attribute__((vector_size(64)));
	size_t k = 0, mask = ((size_t)1 << f->dlog) - 1;
	__m512i lane = _mm512_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10,
	                                 11, 12, 13, 14, 15);
	for (size_t i = 0; i < cnt; i += 16) {
		size_t u = u0 + i;
		size_t m = (u >> f->dlog) - (size_t)f->lo;
		size_t g = f->ngroups16 > 1 ? (u & mask) >> 4 : 0;
		const float *wt = f->w16 + g * (size_t)f->ntaps16 * 16;
		const float *xp = x + 2 * m, *ep = e + 2 * m;
		v16 v[4] = {{0}};
		/* the counts in use: K = 10 at D >= 16, 8, 4, 2; K = 20 at
		 * D = 2 */
		switch (f->ntaps16) {
		case 10: HI_ACCUM(10, v16, 16) break;
		case 11: HI_ACCUM(11, v16, 16) break;
		case 13: HI_ACCUM(13, v16, 16) break;
		case 17: HI_ACCUM(17, v16, 16) break;
		case 27: HI_ACCUM(27, v16, 16) break;
		default: HI_ACCUM(f->ntaps16, v16, 16) break;
		}
		v16 n2x = v[0] * v[0] + v[1] * v[1];
		v16 n2e = v[2] * v[2] + v[3] * v[3];
		__m512 vx, ve, v0, v1, v2, v3;
		memcpy(&vx, &n2x, sizeof vx);
		memcpy(&ve, &n2e, sizeof ve);
		__mmask16 km = _mm512_cmp_ps_mask(ve, _mm512_mul_ps(
		                   _mm512_set1_ps(lint2), vx), _CMP_LT_OQ) |
		               _mm512_cmp_ps_mask(vx, _mm512_set1_ps(1e-30f),
		                                  _CMP_LT_OQ);
		if (cnt - i < 16)
			km &= (__mmask16)((1u << (cnt - i)) - 1);
		memcpy(&v0, &v[0], sizeof v0);
		memcpy(&v1, &v[1], sizeof v1);
		memcpy(&v2, &v[2], sizeof v2);
		memcpy(&v3, &v[3], sizeof v3);
		/* compress in registers, then store all 16: a compressing
		 * store to memory is microcoded on some processors (Zen 4) */
		_mm512_storeu_ps(out[0] + k, _mm512_maskz_compress_ps(km, v0));
		_mm512_storeu_ps(out[1] + k, _mm512_maskz_compress_ps(km, v1));
		_mm512_storeu_ps(out[2] + k, _mm512_maskz_compress_ps(km, v2));
		_mm512_storeu_ps(out[3] + k, _mm512_maskz_compress_ps(km, v3));
		__m512i ix = _mm512_maskz_compress_epi32(
		    km, _mm512_add_epi32(lane, _mm512_set1_epi32((int)i)));
		_mm256_storeu_si256((__m256i *)(idx + k),
		                    _mm512_cvtepi32_epi16(ix));
		k += (size_t)__builtin_popcount(km);
	}
	return k;
}
#endif

size_t tfr_hyper_fir_scan(const tfr_hyper_fir *f, const float *x,
                          const float *e, size_t u0, size_t cnt,
                          float lint2, float out[4][TFR_HYPER_FIR_OUT],
                          uint16_t *idx)
{
#ifdef TFR_CPU_X86
	if (f->avx512)
		return hi_scan_avx512(f, x, e, u0, cnt, lint2, out, idx);
	if (f->avx2)
		return hi_scan_avx2(f, x, e, u0, cnt, lint2, out, idx);
#endif
	return hi_scan_generic(f, x, e, u0, cnt, lint2, out, idx);
}
