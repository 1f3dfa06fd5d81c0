/*
 * fuzz_map.c - frequency maps as text (tfr_map.h) as tfr-sdelay reads
 * them: inline breakpoints and map files, untimed and timed, in each
 * unit of values, then checked and used by a small spectral delay.
 *
 * The first byte chooses: bit 0 inline text (up to the first NUL) or a
 * file, bits 1-2 the values (number, time, level, time), bits 3-4 the
 * kind the map is used as (delay, feedback, gain, delay in frames).
 * Checked: a map handed out is well formed (keys in time order, each
 * with its breakpoints, frequencies never decreasing within a key, every
 * number finite, positions given); a failure has a code and, for a
 * format error, a position; a map the checks accept runs through
 * tfr_sdelay on a few blocks and gives finite samples.
 */
#include "fuzz_util.h"

#include "tfr.h"

#include <math.h>
#include <string.h>

static void check_map(const tfr_freqmap *m, int inline_text)
{
	FUZZ_CHECK(m->nkeys >= 1 && m->npoints >= 1);
	FUZZ_CHECK(m->npoints <= TFR_MAP_MAX_POINTS);
	FUZZ_CHECK(m->key_first[0] == 0 && m->key_first[m->nkeys] == m->npoints);
	for (size_t k = 0; k < m->nkeys; k++) {
		FUZZ_CHECK(isfinite(m->key_time[k]) && m->key_time[k] >= 0);
		FUZZ_CHECK(k == 0 || m->key_time[k] > m->key_time[k - 1]);
		FUZZ_CHECK(m->key_first[k] < m->key_first[k + 1]);
		for (size_t i = m->key_first[k]; i < m->key_first[k + 1]; i++) {
			FUZZ_CHECK(isfinite(m->freq[i]) && m->freq[i] >= 0);
			FUZZ_CHECK(isfinite(m->value[i]));
			FUZZ_CHECK(i == m->key_first[k] || m->freq[i] >= m->freq[i - 1]);
			FUZZ_CHECK(m->col[i] >= 1);
			FUZZ_CHECK(inline_text ? m->line[i] == 0 : m->line[i] >= 1);
		}
	}
	FUZZ_CHECK(m->timed || m->nkeys == 1);
}

/* The map as one kind of a small spectral delay: a few blocks of a
 * deterministic signal in, finite samples out. */
static void run_sdelay(const tfr_freqmap *m, int kind, int frames)
{
	tfr_sdelay_params p;
	tfr_sdelay_params_default(&p);
	p.sample_rate = 8000;
	p.channels = 1;
	p.fft_size = 64;
	p.hop = 16;
	p.delay_frames = frames;
	const tfr_freqmap *maps[1] = { m };
	p.maps[kind] = maps;
	p.nmaps[kind] = 1;
	tfr_diag d;
	if (tfr_sdelay_check_map(&p, kind, m, &d) != TFR_OK) {
		FUZZ_CHECK(d.code == TFR_EINVAL && d.text[0]);
		return;
	}
	FUZZ_CHECK(tfr_sdelay_check(&p, &d) == TFR_OK);
	tfr_sdelay *s = tfr_sdelay_new(&p, &d);
	if (!s) {
		/* only memory may fail once the checks passed */
		FUZZ_CHECK(d.code == TFR_ENOMEM);
		return;
	}
	float x[512];
	for (size_t i = 0; i < 512; i++)
		x[i] = (float)(0.5 * sin(0.3 * (double)i) + (i % 97 == 0));
	size_t n;
	for (size_t off = 0; off < 512;) {
		off += tfr_sdelay_process(s, x + off, 512 - off);
		const float *y = tfr_sdelay_output(s, &n);
		for (size_t i = 0; i < n; i++)
			FUZZ_CHECK(isfinite(y[i]));
	}
	for (int b = 0; b < 64 && tfr_sdelay_flush(s) > 0; b++) {
		const float *y = tfr_sdelay_output(s, &n);
		for (size_t i = 0; i < n; i++)
			FUZZ_CHECK(isfinite(y[i]));
	}
	tfr_sdelay_free(s);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const tfr_map_values units[] = {
		TFR_MAP_NUMBER, TFR_MAP_TIME, TFR_MAP_LEVEL, TFR_MAP_TIME
	};
	if (size < 1)
		return 0;
	int inline_text = data[0] & 1;
	tfr_map_values values = units[(data[0] >> 1) & 3];
	int use = (data[0] >> 3) & 3;
	tfr_freqmap *m = NULL;
	tfr_diag d;
	int e;
	if (inline_text) {
		char *text = malloc(size);
		FUZZ_CHECK(text);
		memcpy(text, data + 1, size - 1);
		text[size - 1] = 0;
		e = tfr_map_parse(text, values, &m, &d);
		free(text);
	} else {
		FILE *fp = fuzz_stream(data + 1, size - 1);
		if (!fp)
			return 0;
		e = tfr_map_read(fp, values, &m, &d);
		fclose(fp);
	}
	if (e != TFR_OK) {
		FUZZ_CHECK(m == NULL && d.code == e && e < 0);
		if (e == TFR_EFORMAT)
			FUZZ_CHECK(d.text[0] && d.column >= (inline_text ? 1 : 0) &&
			           (inline_text ? d.line == 0 : d.line >= 1));
		return 0;
	}
	FUZZ_CHECK(m != NULL);
	check_map(m, inline_text);
	run_sdelay(m, use == 3 ? TFR_SDELAY_DELAY : use, use == 3);
	tfr_freqmap_free(m);
	return 0;
}
