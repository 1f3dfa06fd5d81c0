/*
 * test_framer.c - frame m holds input samples [m*hop - len/2, ... + len)
 * with zeros outside the input, frames exist while m*hop < input length,
 * whatever the sizes of the blocks pushed (1 sample at a time or all at
 * once), for hop < len, hop = len and hop > len, even and odd len.
 */
#include "testutil.h"
#include "tfr.h"

#include <stdlib.h>

/* Mismatches of frame m (expected index want) against the definition. */
static size_t frame_errors(const float *fr, int64_t m, int64_t want,
                           size_t len, size_t hop, size_t total)
{
	size_t bad = m != want;
	for (size_t i = 0; i < len; i++) {
		int64_t s = m * (int64_t)hop - (int64_t)(len / 2) + (int64_t)i;
		float e = s >= 0 && s < (int64_t)total ? (float)(s + 1) : 0;
		bad += fr[i] != e;
	}
	return bad;
}

static void check(size_t len, size_t hop, size_t total, size_t block)
{
	tfr_framer_params p = { len, hop };
	tfr_framer *f = tfr_framer_new(&p, NULL);
	float *x = malloc((total + 1) * sizeof *x);
	for (size_t i = 0; i < total; i++)
		x[i] = (float)(i + 1);  /* sample i reads i + 1; zero = padding */
	int64_t want = 0, m;
	size_t bad = 0;
	const float *fr;
	for (size_t off = 0; off < total || total == 0;) {
		if (total == 0)
			break;
		size_t n = total - off < block ? total - off : block;
		size_t used = 0;
		while (used < n) {
			used += tfr_framer_process(f, x + off + used, n - used);
			while ((fr = tfr_framer_next(f, &m))) {
				bad += frame_errors(fr, m, want++, len, hop, total);
			}
		}
		off += n;
	}
	tfr_framer_flush(f);
	while ((fr = tfr_framer_next(f, &m))) {
		bad += frame_errors(fr, m, want++, len, hop, total);
	}
	int64_t frames = total ? ((int64_t)total + (int64_t)hop - 1) / (int64_t)hop : 0;
	if (bad || want != frames)
		fprintf(stderr, "len %zu hop %zu total %zu block %zu: %zu bad, %lld frames (want %lld)\n",
		        len, hop, total, block, bad, (long long)want, (long long)frames);
	CHECK("frames and their samples", bad == 0 && want == frames);
	CHECK("samples taken", tfr_framer_samples(f) == (int64_t)total);
	tfr_framer_free(f);
	free(x);
}

int main(void)
{
	size_t lens[] = { 1, 2, 7, 8, 64 };
	size_t hops[] = { 1, 3, 8, 16, 100 };
	size_t totals[] = { 0, 1, 5, 64, 1000 };
	size_t blocks[] = { 1, 7, 4096 };
	for (size_t a = 0; a < 5; a++)
		for (size_t b = 0; b < 5; b++)
			for (size_t c = 0; c < 5; c++)
				for (size_t d = 0; d < 3; d++)
					check(lens[a], hops[b], totals[c], blocks[d]);
	tfr_diag d;
	tfr_framer_params bad0 = { 0, 1 }, bad1 = { 8, 0 };
	CHECK("len 0 refused", !tfr_framer_new(&bad0, &d) && d.code == TFR_EINVAL);
	CHECK("hop 0 refused", !tfr_framer_new(&bad1, &d) && d.code == TFR_EINVAL);
	return test_finish("test_framer");
}
