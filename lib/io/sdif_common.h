/*
 * sdif_common.h - what the SDIF reader and writer share (private): the
 * signatures, big-endian numbers, and the phase convention.
 */
#ifndef TFR_SDIF_COMMON_H
#define TFR_SDIF_COMMON_H

#include <math.h>
#include <stdint.h>
#include <string.h>

#include "internal.h"

#define SDIF_SIG(a, b, c, d) \
	((uint32_t)(a) << 24 | (uint32_t)(b) << 16 | (uint32_t)(c) << 8 | (uint32_t)(d))
#define SIG_SDIF SDIF_SIG('S', 'D', 'I', 'F')
#define SIG_RBEP SDIF_SIG('R', 'B', 'E', 'P')
#define SIG_1TRC SDIF_SIG('1', 'T', 'R', 'C')
#define SIG_RBEL SDIF_SIG('R', 'B', 'E', 'L')

enum {
	SDIF_FLOAT32 = 0x0004,
	SDIF_FLOAT64 = 0x0008,
	SDIF_FILE_HEADER = 16,   /* "SDIF", size 8, two versions */
	SDIF_FRAME_HEADER = 24,  /* signature, size, time, stream, count */
	SDIF_MATRIX_HEADER = 16, /* signature, type, rows, columns */
	SDIF_STREAM_ENVELOPES = 1,
	SDIF_STREAM_LABELS = 2   /* Loris's stream ids */
};

static inline uint32_t sdif_get32(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static inline uint64_t sdif_get64(const unsigned char *p)
{
	return (uint64_t)sdif_get32(p) << 32 | sdif_get32(p + 4);
}

static inline double sdif_get_f64(const unsigned char *p)
{
	uint64_t u = sdif_get64(p);
	double v;
	memcpy(&v, &u, sizeof v);
	return v;
}

static inline float sdif_get_f32(const unsigned char *p)
{
	uint32_t u = sdif_get32(p);
	float v;
	memcpy(&v, &u, sizeof v);
	return v;
}

static inline void sdif_put32(unsigned char *p, uint32_t v)
{
	p[0] = (unsigned char)(v >> 24);
	p[1] = (unsigned char)(v >> 16);
	p[2] = (unsigned char)(v >> 8);
	p[3] = (unsigned char)v;
}

static inline void sdif_put_f64(unsigned char *p, double v)
{
	uint64_t u;
	memcpy(&u, &v, sizeof u);
	sdif_put32(p, (uint32_t)(u >> 32));
	sdif_put32(p + 4, (uint32_t)u);
}

static inline void sdif_put_f32(unsigned char *p, float v)
{
	uint32_t u;
	memcpy(&u, &v, sizeof u);
	sdif_put32(p, u);
}

/*
 * Phases: tfr keeps [-pi, pi), Loris writes [0, 2pi). A file's phase q
 * reads as q - 2pi above pi as a float (3.1415927 > pi), as q up to it,
 * so that every float phase in [-pi, pi] written by sdif_phase_out reads
 * back as itself; values outside [-pi as a float, 2pi) are reduced first.
 */
static inline float sdif_phase_in(double q)
{
	const double fpi = (double)(float)TFR_PI;
	if (!(q >= -fpi && q < TFR_2PI)) {
		/* fmod is exact: q - 2pi floor(q / 2pi) is not, and far from
		 * 0 its error exceeds 2pi (1e20 came out as 8185) */
		q = fmod(q, TFR_2PI);
		if (q < 0)
			q += TFR_2PI;
	}
	return (float)(q > fpi ? q - TFR_2PI : q);
}

/* A float phase as Loris writes it, [0, 2pi), unless the shift by 2pi
 * would not read back exactly (-pi as a float, and negatives above about
 * -1e-8): those are written as they are. */
static inline double sdif_phase_out(float p)
{
	if (p >= 0)
		return p;
	double q = (double)p + TFR_2PI;
	return sdif_phase_in(q) == p ? q : p;
}

/* A double phase (grid rows) in [0, 2pi). */
static inline double sdif_phase_out_double(double p)
{
	if (fabs(p) > 1e6)  /* the product below would be inexact */
		p = fmod(p, TFR_2PI);
	double q = p - TFR_2PI * floor(p / TFR_2PI);
	return q >= 0 && q < TFR_2PI ? q : 0;
}

#endif
