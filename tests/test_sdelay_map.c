/*
 * test_sdelay_map.c - map text parsing (tfr_map.h): inline breakpoints,
 * files with and without a time column, and errors with positions.
 */
#include "testutil.h"
#include "tfr.h"

#include <stdlib.h>
#include <string.h>

static void test_inline(void)
{
	tfr_map *m;
	char msg[200];

	CHECK("inline ok", tfr_map_parse("0:0.05,2000:0.3,8000:0.8", &m, msg,
	                                 sizeof msg) == TFR_OK);
	CHECK("inline points", m->npoints == 3 && m->nkeys == 1 && !m->timed);
	CHECK_NEAR("inline f2", m->freq[1], 2000, 0);
	CHECK_NEAR("inline v3", m->value[2], 0.8, 0);
	CHECK_NEAR("inline col of v2", (double)m->col[1], 13, 0);
	tfr_map_free(m);
	CHECK("constant", tfr_map_parse("-6", &m, msg, sizeof msg) == TFR_OK &&
	                  m->npoints == 1 && m->value[0] == -6.0);
	tfr_map_free(m);
}

static void expect_error(const char *text, const char *want)
{
	tfr_map *m = NULL;
	char msg[200];
	int e = tfr_map_parse(text, &m, msg, sizeof msg);

	CHECK("error code", e == TFR_EFORMAT && m == NULL);
	if (strcmp(msg, want) != 0) {
		printf("for '%s': got '%s', want '%s'\n", text, msg, want);
		CHECK("error message", 0);
	}
}

static void expect_file_error(const char *text, const char *want)
{
	FILE *fp = fmemopen((void *)text, strlen(text), "r");
	tfr_map *m = NULL;
	char msg[200];
	int e = tfr_map_read(fp, &m, msg, sizeof msg);

	fclose(fp);
	CHECK("file error code", e == TFR_EFORMAT && m == NULL);
	if (strcmp(msg, want) != 0) {
		printf("for file '%s': got '%s', want '%s'\n", text, msg, want);
		CHECK("file error message", 0);
	}
}

static void test_errors(void)
{
	expect_error("0:1,2000:x", "column 10: 'x' is not a number");
	expect_error("0:1,300:2,200:3",
	             "column 11: frequency 200 after 300: frequencies must not decrease");
	expect_error("0:1;5:2", "column 4: expected ',' between breakpoints");
	expect_error("0:1,", "column 5: number expected");
	expect_error("-5:1", "column 1: negative frequency -5");
	expect_error("abc", "column 1: 'abc' is not a number");
	expect_file_error("0 1\n100 2\n50 3\n",
	                  "line 3, column 1: frequency 50 after 100: frequencies must not decrease");
	expect_file_error("0 1\n100 zz\n", "line 2, column 5: 'zz' is not a number");
	expect_file_error("0 1\n0 100 2\n", "line 2, column 1: 3 columns after lines of 2");
	expect_file_error("1 0 1\n0.5 0 2\n",
	                  "line 2, column 1: time 0.5 after 1: times must not decrease");
	expect_file_error("# nothing\n\n", "line 3, column 1: no breakpoints");
}

static void test_file(void)
{
	const char *text = "# time freq value\n0 0 0.1\n0 1000 0.2 # comment\n"
	                   "\n2.5 0 0.3\n2.5 500 0.4\n2.5 900 0.5\n";
	FILE *fp = fmemopen((void *)text, strlen(text), "r");
	tfr_map *m;
	char msg[200];

	CHECK("timed file", tfr_map_read(fp, &m, msg, sizeof msg) == TFR_OK);
	fclose(fp);
	CHECK("timed keys", m->timed && m->nkeys == 2 && m->npoints == 5);
	CHECK_NEAR("key 2 time", m->key_time[1], 2.5, 0);
	CHECK("key ranges", m->key_first[0] == 0 && m->key_first[1] == 2 &&
	                    m->key_first[2] == 5);
	CHECK_NEAR("line of point 4", (double)m->line[3], 6, 0);
	CHECK_NEAR("column of value 4", (double)m->col[3], 9, 0);
	tfr_map_free(m);
}

int main(void)
{
	test_inline();
	test_errors();
	test_file();
	return test_finish("test_sdelay_map");
}
