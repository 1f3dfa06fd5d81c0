/*
 * synth_osc.c - tfr_synth's oscillator, 8 samples at a time
 * (synth_osc.h). One body, inlined into a portable function and into an
 * AVX2 one (GCC target attribute), chosen at run time.
 */
#include "synth_osc.h"
#include "cpu.h"

#include <math.h>
#include <string.h>

typedef float so_f8 __attribute__((vector_size(32)));
typedef int32_t so_i8 __attribute__((vector_size(32)));

/* x + R - R rounds x to an integer (R = 1.5 * 2^52, or 2^23 in float:
 * the sum has no fraction bits left) for |x| < 2^51 (2^22), in any
 * vector unit, where floor() would be a library call without SSE4.1. */
#define SO_ROUND 6755399441055744.0
#define SO_ROUNDF 12582912.0f

/* sin(2 pi s) = s (S1 + s^2 (S3 + s^2 (S5 + s^2 (S7 + s^2 S9)))) for
 * |s| <= 1/4: minimax (Remez) coefficients, max error 3.4e-9. */
#define SO_S1 6.28318516f
#define SO_S3 -41.34165503f
#define SO_S5 81.60100407f
#define SO_S7 -76.5497823f
#define SO_S9 39.53670608f

#define SO_INLINE static inline __attribute__((always_inline))

static const so_f8 so_lane = { 0, 1, 2, 3, 4, 5, 6, 7 };
static const so_f8 so_lane2 = { 0, 1, 4, 9, 16, 25, 36, 49 };
static const so_f8 so_lane3 = { 0, 1, 8, 27, 64, 125, 216, 343 };
static const so_i8 so_ilane = { 0, 1, 2, 3, 4, 5, 6, 7 };

/* c = cos(2 pi q) for turns |q| < 2^22: reduced to r in [-1/2, 1/2],
 * then cos(2 pi r) = sin(2 pi (1/4 - |r|)) with 1/4 - |r| in
 * [-1/4, 1/4], the polynomial in Estrin's form (a shorter dependency
 * chain than Horner's). Vectors go by pointer: their passing by value
 * differs between the paths' ABIs. */
SO_INLINE void so_cos(const so_f8 *q, so_f8 *c)
{
	so_f8 r = *q - ((*q + SO_ROUNDF) - SO_ROUNDF);
	so_i8 bits;
	memcpy(&bits, &r, sizeof bits);
	bits &= 0x7fffffff;
	memcpy(&r, &bits, sizeof r);
	so_f8 s = 0.25f - r, s2 = s * s, s4 = s2 * s2;
	so_f8 lo = SO_S1 + s2 * SO_S3, hi = SO_S5 + s2 * SO_S7;
	*c = s * (lo + s4 * (hi + s4 * SO_S9));
}

/* v = max(v, 0) by lanes, as (v + |v|) / 2 (exact): a comparison of 8
 * lanes becomes 8 scalar ones on SSE2 */
SO_INLINE void so_pos(so_f8 *v)
{
	so_i8 b;
	so_f8 a;
	memcpy(&b, v, sizeof b);
	b &= 0x7fffffff;
	memcpy(&a, &b, sizeof a);
	*v = (*v + a) * 0.5f;
}

/* a *= the noise factor sqrt(1 - r^2) + r z of the 8 samples that
 * start rem samples into knot interval j (rem a multiple of 8; ik = 1 /
 * knot period), at positions u (r = sqrt(bandwidth), linear over the
 * segment). */
SO_INLINE void so_noise(const tfr_synth_seg *g, tfr_synth_noise *z, float ik,
                        int64_t j, int rem, const so_f8 *u, so_f8 *a)
{
	if (j != z->knot)
		tfr_synth_noise_at(z, j);
	so_f8 v = (float)rem * ik + so_lane * ik;
	so_f8 zv = z->c[0] + v * (z->c[1] + v * (z->c[2] + v * z->c[3]));
	so_f8 r = g->bw[0] + *u * g->bw[1], s1 = 1.0f - r * r;
	so_pos(&s1);
	for (int l = 0; l < 8; l++)
		s1[l] = sqrtf(s1[l]);
	*a *= s1 + r * zv;
}

/*
 * The body of tfr_synth_osc_add for one code path, specialised (the
 * flags are constants where it is inlined) for bandwidth noise and for a
 * cubic amplitude (fades; a segment's amplitude is otherwise linear).
 *
 * The phase cubic is evaluated in double once per group of 8, with its
 * derivatives, at the group's first sample x0; the lanes add their
 * offsets j = 0..7 in float (q = frac(P0) + P1 j + P2 j^2 + p3 j^3,
 * |q| < 9 turns as P1 <= 1 turn per sample, so float keeps it to 5e-7
 * turns: 3e-6 rad, 110 dB below the partial), which halves the vector
 * work of double lanes. The coefficients are copied to locals: stores to
 * out could otherwise alias them and force their reload in every group.
 */
SO_INLINE void so_loop(const tfr_synth_seg *g, tfr_synth_noise *z, int kp,
                       int64_t b0, int64_t n0, int64_t n1, float *out,
                       int noise, int cubic)
{
	const double p0 = g->ph[0], p1 = g->ph[1], p2 = g->ph[2];
	const double p3 = g->ph[3], il = g->inv_len;
	const double p2x2 = 2 * p2, p3x3 = 3 * p3;
	const float a0 = g->amp[0], a1 = g->amp[1], a2 = g->amp[2];
	const float a3 = g->amp[3], q3 = (float)p3, du = (float)il;
	const float da = a1 * du, ik = 1.0f / (float)kp;
	/* x0 = (n - si) - sf exactly: n - si is a small integer */
	const double si = floor(g->s0), sf = g->s0 - si;
	const int64_t first = (n0 - b0) & ~(int64_t)7;
	/* the knot interval of the noise and the position in it, carried
	 * along (n0 >= 0 with noise) */
	int64_t kj = noise ? (b0 + first) / kp : 0;
	int krem = noise ? (int)(b0 + first - kj * kp) : 0;
	for (int64_t i = first; i < n1 - b0; i += 8) {
		int64_t n = b0 + i;
		double x0 = (double)(n - (int64_t)si) - sf;
		double P0 = p0 + x0 * (p1 + x0 * (p2 + x0 * p3));
		double P1 = p1 + x0 * (p2x2 + p3x3 * x0);
		double P2 = p2 + p3x3 * x0;
		float f0 = (float)(P0 - ((P0 + SO_ROUND) - SO_ROUND));
		so_f8 q = (f0 + so_lane * (float)P1) +
		          (so_lane2 * (float)P2 + so_lane3 * q3);
		so_f8 c, a, u = { 0 };
		so_cos(&q, &c);
		float u0 = (float)(x0 * il);
		if (cubic || noise)
			u = u0 + so_lane * du;
		if (cubic)
			a = a0 + u * (a1 + u * (a2 + u * a3));
		else
			a = (a0 + a1 * u0) + so_lane * da;
		if (noise) {
			so_noise(g, z, ik, kj, krem, &u, &a);
			krem += 8;
			if (krem == kp) {
				kj++;
				krem = 0;
			}
		}
		so_f8 y = a * c, o;
		if (n < n0 || n + 8 > n1) {
			/* the segment or the range starts or ends in
			 * this group */
			int64_t lo = n0 - n, hi = n1 - n;
			so_i8 keep = (so_ilane >= (int32_t)(lo > 0 ? lo : 0)) &
			             (so_ilane < (int32_t)(hi < 8 ? hi : 8)), yb;
			memcpy(&yb, &y, sizeof yb);
			yb &= keep;
			memcpy(&y, &yb, sizeof y);
		}
		memcpy(&o, out + i, sizeof o);
		o += y;
		memcpy(out + i, &o, sizeof o);
	}
}

SO_INLINE void so_add(const tfr_synth_seg *g, tfr_synth_noise *z, int kp,
                      int64_t b0, int64_t n0, int64_t n1, float *out)
{
	int cubic = g->amp[2] != 0 || g->amp[3] != 0;
	if (z && cubic)
		so_loop(g, z, kp, b0, n0, n1, out, 1, 1);
	else if (z)
		so_loop(g, z, kp, b0, n0, n1, out, 1, 0);
	else if (cubic)
		so_loop(g, z, kp, b0, n0, n1, out, 0, 1);
	else
		so_loop(g, z, kp, b0, n0, n1, out, 0, 0);
}

static void so_add_generic(const tfr_synth_seg *g, tfr_synth_noise *z,
                           int kp, int64_t b0, int64_t n0, int64_t n1,
                           float *out)
{
	so_add(g, z, kp, b0, n0, n1, out);
}

/* cos(2 pi t[i]) as the oscillator computes it: t reduced in double to
 * [-1/2, 1/2], the lane offsets of so_add added in float. */
SO_INLINE void so_cos_array(const double *t, float *out, size_t n)
{
	for (size_t i = 0; i < n; i += 8) {
		so_f8 q = { 0 }, c;
		for (size_t l = 0; l < 8 && i + l < n; l++) {
			double r = t[i + l] - (double)l;
			r -= (r + SO_ROUND) - SO_ROUND;
			q[l] = (float)r + (float)l;
		}
		so_cos(&q, &c);
		for (size_t l = 0; l < 8 && i + l < n; l++)
			out[i + l] = c[l];
	}
}

static void so_cos_generic(const double *t, float *out, size_t n)
{
	so_cos_array(t, out, n);
}

#ifdef TFR_CPU_X86
/* With fused multiply-adds (GCC does not contract a * b + c in ISO C
 * mode): 27 % faster. The paths then differ in float rounding only. */
__attribute__((target("arch=x86-64-v3"), optimize("fp-contract=fast")))
static void so_add_avx2(const tfr_synth_seg *g, tfr_synth_noise *z, int kp,
                        int64_t b0, int64_t n0, int64_t n1, float *out)
{
	so_add(g, z, kp, b0, n0, n1, out);
}

__attribute__((target("arch=x86-64-v3")))
static void so_cos_avx2(const double *t, float *out, size_t n)
{
	so_cos_array(t, out, n);
}
#endif

void tfr_synth_osc_add(const tfr_synth_seg *g, tfr_synth_noise *z, int kp,
                       int64_t b0, int64_t n0, int64_t n1, float *out,
                       unsigned cpu)
{
	if (n1 <= n0)
		return;
#ifdef TFR_CPU_X86
	if (cpu & TFR_CPU_AVX2) {
		so_add_avx2(g, z, kp, b0, n0, n1, out);
		return;
	}
#endif
	(void)cpu;
	so_add_generic(g, z, kp, b0, n0, n1, out);
}

void tfr_synth_osc_cos(const double *turns, float *out, size_t n,
                       unsigned cpu)
{
#ifdef TFR_CPU_X86
	if (cpu & TFR_CPU_AVX2) {
		so_cos_avx2(turns, out, n);
		return;
	}
#endif
	(void)cpu;
	so_cos_generic(turns, out, n);
}
