/*
 * fuzz_spear.c - the SPEAR text reader (tfr_spear.h), both formats:
 * par-text-partials-format and par-text-frame-format.
 *
 * Every input is read twice, as tfr-convert meets it: from a stream that
 * cannot seek and from a regular file, each time with the first
 * TFR_PFORMAT_HEAD bytes taken for detection and given back as the head.
 * Both reads must agree: the same breakpoints, or a failure with the
 * same code. The breakpoints must keep the reader's contract
 * (fuzz_partials.h); a failure has a code and a text.
 */
#include "fuzz_partials.h"

static void *open_r(FILE *fp, const unsigned char *head, size_t nhead, tfr_diag *d)
{
	return tfr_spear_reader_new(fp, head, nhead, d);
}

static long read_r(void *r, tfr_breakpoint *bp, size_t max)
{
	return tfr_spear_reader_read(r, bp, max);
}

static const tfr_diag *diag_r(const void *r)
{
	return tfr_spear_reader_diag(r);
}

static int64_t count_r(const void *r)
{
	tfr_spear_stats st;
	tfr_spear_reader_stats(r, &st);
	return st.breakpoints;
}

static void check_r(void *r, const tfr_breakpoint *bp, size_t n)
{
	(void)bp;
	(void)n;
	FUZZ_CHECK(tfr_spear_reader_format(r) == TFR_SPEAR_PARTIALS ||
	           tfr_spear_reader_format(r) == TFR_SPEAR_FRAMES);
}

static void close_r(void *r)
{
	tfr_spear_reader_free(r);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const fp_reader rd = { open_r, read_r, diag_r, count_r, check_r, close_r };
	return fp_pipe_and_file(&rd, data, size);
}
