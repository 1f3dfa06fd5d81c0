/*
 * test_map.c - map text parsing (tfr_map.h, io/map_io.c): inline
 * breakpoints, files with and without a time column, values in the units
 * of their kind (seconds, dB, plain numbers), frequencies in Hz or kHz,
 * and every error with its position.
 */
#include "testutil.h"
#include "tfr.h"

#include <stdlib.h>
#include <string.h>

static void test_inline(void)
{
	tfr_freqmap *m;
	tfr_diag d;

	CHECK("inline ok", tfr_map_parse("0:0.05,2000:0.3,8000:0.8", TFR_MAP_NUMBER,
	                                 &m, &d) == TFR_OK);
	CHECK("inline points", m->npoints == 3 && m->nkeys == 1 && !m->timed);
	CHECK_NEAR("inline f2", m->freq[1], 2000, 0);
	CHECK_NEAR("inline v3", m->value[2], 0.8, 0);
	CHECK_NEAR("inline col of v2", (double)m->col[1], 13, 0);
	CHECK_NEAR("inline line 0", (double)m->line[1], 0, 0);
	tfr_freqmap_free(m);
	CHECK("constant", tfr_map_parse("-6", TFR_MAP_LEVEL, &m, &d) == TFR_OK &&
	                  m->npoints == 1 && m->value[0] == -6.0);
	tfr_freqmap_free(m);
	/* units: kHz keys, ms and s delays, dB gains */
	CHECK("units", tfr_map_parse("0:50ms,2kHz:0.3s,8k:1", TFR_MAP_TIME, &m, &d) == TFR_OK);
	CHECK_NEAR("50ms", m->value[0], 0.05, 1e-15);
	CHECK_NEAR("0.3s", m->value[1], 0.3, 0);
	CHECK_NEAR("bare seconds", m->value[2], 1, 0);
	CHECK_NEAR("2kHz", m->freq[1], 2000, 0);
	CHECK_NEAR("8k", m->freq[2], 8000, 0);
	tfr_freqmap_free(m);
	CHECK("dB", tfr_map_parse("100Hz:-6dB,1kHz:3", TFR_MAP_LEVEL, &m, &d) == TFR_OK &&
	            m->value[0] == -6 && m->value[1] == 3 && m->freq[0] == 100);
	tfr_freqmap_free(m);
	tfr_freqmap_free(NULL);
}

static void expect(int file, const char *text, tfr_map_values v,
                   const char *want)
{
	tfr_freqmap *m = NULL;
	tfr_diag d;
	int e;
	if (file) {
		FILE *fp = fmemopen((void *)text, strlen(text), "r");
		e = tfr_map_read(fp, v, &m, &d);
		fclose(fp);
	} else {
		e = tfr_map_parse(text, v, &m, &d);
	}
	char got[300];
	tfr_diag_format(&d, "M", got, sizeof got);
	CHECK("error code", e == TFR_EFORMAT && m == NULL);
	if (strcmp(got, want) != 0) {
		printf("for '%s': got '%s', want '%s'\n", text, got, want);
		CHECK("error message", 0);
	}
}

static void test_errors(void)
{
	expect(0, "0:1,2000:x", TFR_MAP_NUMBER, "M: column 10: 'x' is not a number");
	expect(0, "0:1,300:2,200:3", TFR_MAP_NUMBER,
	       "M: column 11: frequency 200 after 300: frequencies must not decrease");
	expect(0, "0:1;5:2", TFR_MAP_NUMBER, "M: column 3: '1;5' is not a number");
	expect(0, "0:1,", TFR_MAP_NUMBER, "M: column 5: number expected");
	expect(0, "-5:1", TFR_MAP_NUMBER, "M: column 1: negative frequency -5");
	expect(0, "abc", TFR_MAP_NUMBER, "M: column 1: 'abc' is not a number");
	expect(0, "0:5xs", TFR_MAP_TIME, "M: column 3: '5xs' is not a time (seconds, or with ms or s)");
	expect(0, "0:5Hz", TFR_MAP_LEVEL, "M: column 3: '5Hz' is not a level in dB");
	expect(0, "2kz:1", TFR_MAP_NUMBER, "M: column 1: '2kz' is not a frequency (Hz or kHz)");
	expect(0, "0.1fs:1", TFR_MAP_NUMBER, "M: column 1: '0.1fs' is not a frequency (Hz or kHz)");
	expect(1, "0 1\n100 2\n50 3\n", TFR_MAP_NUMBER,
	       "M:3:1: frequency 50 after 100: frequencies must not decrease");
	expect(1, "0 1\n100 zz\n", TFR_MAP_NUMBER, "M:2:5: 'zz' is not a number");
	expect(1, "0 1\n0 100 2\n", TFR_MAP_NUMBER, "M:2:1: 3 columns after lines of 2");
	expect(1, "1 0 1\n0.5 0 2\n", TFR_MAP_NUMBER,
	       "M:2:1: time 0.5 after 1: times must not decrease");
	expect(1, "# nothing\n\n", TFR_MAP_NUMBER, "M:3:1: no breakpoints");
	/* a file that never ends a line is refused, not read */
	char *big = malloc(TFR_MAP_MAX_LINE + 10);
	memset(big, '0', TFR_MAP_MAX_LINE + 9);
	big[TFR_MAP_MAX_LINE + 9] = 0;
	expect(1, big, TFR_MAP_NUMBER, "M:1:1: line longer than 4095 bytes");
	/* the longest line is taken: 4095 bytes and the newline */
	memset(big, ' ', TFR_MAP_MAX_LINE + 9);
	memcpy(big, "0 1", 3);
	strcpy(big + TFR_MAP_MAX_LINE - 1, "\n");
	FILE *fp = fmemopen(big, strlen(big), "r");
	tfr_freqmap *m = NULL;
	tfr_diag d;
	CHECK("a line of 4095 bytes", tfr_map_read(fp, TFR_MAP_NUMBER, &m, &d) == TFR_OK);
	fclose(fp);
	tfr_freqmap_free(m);
	big[TFR_MAP_MAX_LINE - 1] = ' ';
	strcpy(big + TFR_MAP_MAX_LINE, "\n");
	expect(1, big, TFR_MAP_NUMBER, "M:1:1: line longer than 4095 bytes");
	free(big);
	/* /dev/zero: NUL bytes, no line end (it was read without end) */
	if ((fp = fopen("/dev/zero", "r"))) {
		char got[300];
		CHECK("/dev/zero", tfr_map_read(fp, TFR_MAP_NUMBER, &m, &d) == TFR_EFORMAT);
		fclose(fp);
		tfr_diag_format(&d, "M", got, sizeof got);
		CHECK("/dev/zero: message", !strcmp(got, "M:1:1: a NUL byte: not a text file"));
	}
}

static void test_file(void)
{
	const char *text = "# time freq value\n0 0 0.1\n0 1000 0.2 # comment\n"
	                   "\n2.5 0 0.3\n2.5 500Hz 0.4\n2500ms 0.9k 0.5\n";
	FILE *fp = fmemopen((void *)text, strlen(text), "r");
	tfr_freqmap *m;
	tfr_diag d;

	CHECK("timed file", tfr_map_read(fp, TFR_MAP_NUMBER, &m, &d) == TFR_OK);
	fclose(fp);
	CHECK("timed keys", m->timed && m->nkeys == 2 && m->npoints == 5);
	CHECK_NEAR("key 2 time", m->key_time[1], 2.5, 0);
	CHECK("key ranges", m->key_first[0] == 0 && m->key_first[1] == 2 &&
	                    m->key_first[2] == 5);
	CHECK_NEAR("line of point 4", (double)m->line[3], 6, 0);
	CHECK_NEAR("column of value 4", (double)m->col[3], 11, 0);
	CHECK_NEAR("0.9k", m->freq[4], 900, 0);
	tfr_freqmap_free(m);
}

int main(void)
{
	test_inline();
	test_errors();
	test_file();
	return test_finish("test_map");
}
