/*
 * synth_noise.c - the narrow-band noise of tfr_synth (synth_noise.h).
 */
#include "synth_noise.h"

#include <math.h>

/* Knots per second the spacing aims at (0.36 ms). */
#define SN_KNOT_RATE 2756.25

/* sqrt(315/151) / sqrt(4 var(U)), var(U) = (65536^2 - 1) / 12 for U
 * uniform on 0..65535: unit mean power of the spline. */
#define SN_SCALE (sqrt(315.0 / 151.0) / sqrt((65536.0 * 65536.0 - 1) / 3))

/* splitmix64's finaliser (Steele, Lea & Flood 2014): a bijection whose
 * outputs for consecutive inputs pass statistical test batteries. */
static uint64_t sn_mix(uint64_t x)
{
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9u;
	x = (x ^ (x >> 27)) * 0x94d049bb133111ebu;
	return x ^ (x >> 31);
}

int tfr_synth_knot_period(double fs)
{
	double groups = floor(fs / (8 * SN_KNOT_RATE) + 0.5);
	if (!(groups >= 1))
		groups = 1;
	if (groups > 1 << 20)
		groups = 1 << 20;
	return 8 * (int)groups;
}

void tfr_synth_noise_start(tfr_synth_noise *z, uint64_t seed, int64_t id)
{
	z->key = sn_mix(sn_mix(seed) ^ (uint64_t)id);
	z->knot = INT64_MIN;
	for (int i = 0; i < 4; i++)
		z->z[i] = z->c[i] = 0;
}

/* Knot k's value: the four 16-bit fields of one hash, summed, centred. */
static float sn_knot(uint64_t key, int64_t k)
{
	uint64_t h = sn_mix(key + (uint64_t)k * 0x9e3779b97f4a7c15u);
	int64_t sum = (int64_t)(h & 0xffff) + (int64_t)(h >> 16 & 0xffff) +
	              (int64_t)(h >> 32 & 0xffff) + (int64_t)(h >> 48);
	return (float)(((double)sum - 131070.0) * SN_SCALE);
}

void tfr_synth_noise_at(tfr_synth_noise *z, int64_t j)
{
	if (z->knot != INT64_MIN && j == z->knot + 1) {
		z->z[0] = z->z[1];
		z->z[1] = z->z[2];
		z->z[2] = z->z[3];
		z->z[3] = sn_knot(z->key, j + 2);
	} else {
		for (int i = 0; i < 4; i++)
			z->z[i] = sn_knot(z->key, j - 1 + i);
	}
	z->knot = j;
	/* uniform cubic B-spline on [0, 1) through knots z0..z3 in power
	 * form (de Boor, A Practical Guide to Splines, ch. IX) */
	float z0 = z->z[0], z1 = z->z[1], z2 = z->z[2], z3 = z->z[3];
	z->c[0] = (z0 + 4 * z1 + z2) / 6;
	z->c[1] = (z2 - z0) / 2;
	z->c[2] = (z0 - 2 * z1 + z2) / 2;
	z->c[3] = (z3 - z0 + 3 * (z1 - z2)) / 6;
}
