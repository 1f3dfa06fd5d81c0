/*
 * fuzz_util.h - what the libFuzzer harnesses of tests/fuzz share: the
 * fuzzer's bytes as a FILE the way a tool meets its input (a pipe-like
 * stream that cannot seek, or a regular file that can), and a check that
 * stops the run (a crash the fuzzer records) when an invariant the
 * library documents does not hold.
 */
#ifndef TFR_FUZZ_UTIL_H
#define TFR_FUZZ_UTIL_H

#define _GNU_SOURCE
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

/* An invariant of the library's contract: abort (the fuzzer saves the
 * input) with what was violated. */
#define FUZZ_CHECK(cond)                                                    \
	do {                                                                \
		if (!(cond)) {                                              \
			fprintf(stderr, "%s:%d: invariant failed: %s\n",    \
			        __FILE__, __LINE__, #cond);                 \
			abort();                                            \
		}                                                           \
	} while (0)

/* The bytes as a stream that cannot seek (fileno -1, like a pipe to
 * the readers that ask): fmemopen, or /dev/null for no bytes. */
static inline FILE *fuzz_stream(const uint8_t *data, size_t size)
{
	if (size == 0)
		return fopen("/dev/null", "r");
	return fmemopen((void *)data, size, "r");
}

/* The bytes as a regular file (an unlinked memory file) opened for
 * reading, positioned at the start; its descriptor in *fd (for paths
 * "/proc/self/fd/N"). NULL if the system has no memfd. */
static inline FILE *fuzz_file(const uint8_t *data, size_t size, int *fd)
{
	int f = memfd_create("fuzz", 0);
	if (f < 0)
		return NULL;
	size_t done = 0;
	while (done < size) {
		ssize_t w = write(f, data + done, size - done);
		if (w <= 0) {
			close(f);
			return NULL;
		}
		done += (size_t)w;
	}
	lseek(f, 0, SEEK_SET);
	FILE *fp = fdopen(f, "r");
	if (!fp) {
		close(f);
		return NULL;
	}
	if (fd)
		*fd = f;
	return fp;
}

#endif
