/*
 * freqmap.c - breakpoint map sampled onto FFT bins (see tfr_freqmap.h).
 */
#include "tfr_base.h"
#include "tfr_freqmap.h"

#include <math.h>
#include <stdlib.h>

int tfr_freqmap_fill(const double *freq, const double *value, size_t n,
                     double sample_rate, size_t fft_size, double *out)
{
	size_t j = 0;

	if (!freq || !value || !out || n == 0 || fft_size < 2 ||
	    !(sample_rate > 0.0))
		return TFR_EINVAL;
	for (size_t i = 1; i < n; i++)
		if (!(freq[i] >= freq[i - 1]))
			return TFR_EINVAL;
	for (size_t k = 0; k <= fft_size / 2; k++) {
		double f = (double)k * sample_rate / (double)fft_size;
		/* j: last breakpoint at or below f (bins ascend, so j only grows) */
		while (j + 1 < n && freq[j + 1] <= f)
			j++;
		if (f < freq[0])
			out[k] = value[0];
		else if (j + 1 == n)
			out[k] = value[n - 1];
		else {
			double t = (f - freq[j]) / (freq[j + 1] - freq[j]);
			out[k] = value[j] + t * (value[j + 1] - value[j]);
		}
	}
	return TFR_OK;
}

void tfr_freqmap_free(tfr_freqmap *map)
{
	if (!map)
		return;
	free(map->key_time);
	free(map->key_first);
	free(map->freq);
	free(map->value);
	free(map->line);
	free(map->col);
	free(map);
}
