/*
 * cpu.c - the processor's features for libtfr's run-time dispatch
 * (cpu.h).
 */
#include "cpu.h"

unsigned tfr_cpu_features(void)
{
	unsigned f = 0;
#ifdef TFR_CPU_X86
	__builtin_cpu_init();
	if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma"))
		f |= TFR_CPU_AVX2;
	if ((f & TFR_CPU_AVX2) && __builtin_cpu_supports("avx512f") &&
	    __builtin_cpu_supports("avx512bw") &&
	    __builtin_cpu_supports("avx512dq") &&
	    __builtin_cpu_supports("avx512vl"))
		f |= TFR_CPU_AVX512;
#endif
	return f;
}
