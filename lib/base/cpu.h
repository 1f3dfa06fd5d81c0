/*
 * cpu.h - which processor-specific code paths libtfr may take (private
 * to libtfr). Such paths are functions with GCC target attributes,
 * chosen at run time, so one build runs on any x86-64 processor.
 */
#ifndef TFR_CPU_H
#define TFR_CPU_H

/* GCC on x86-64: target("arch=x86-64-v3"/"-v4") functions are built */
#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__)
#define TFR_CPU_X86 1
#endif

enum {
	TFR_CPU_AVX2 = 1u,    /* AVX2 and FMA (x86-64-v3) */
	TFR_CPU_AVX512 = 2u   /* also AVX-512 F, BW, DQ, VL (x86-64-v4) */
};

/* The TFR_CPU_* flags of this processor (0 elsewhere than x86-64). */
unsigned tfr_cpu_features(void);

#endif
