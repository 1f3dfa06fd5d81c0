/*
 * fuzz_sdif.c - the SDIF reader (tfr_sdif.h): RBEP, 1TRC, legacy 1TRC,
 * RBEL labels, frames of other types, Loris's wrong frame sizes.
 *
 * Every input is read twice, as tfr-convert meets it: from a stream that
 * cannot seek (RBEP is then kept in memory for its two passes) and from
 * a regular file (the second pass seeks back), each time with the first
 * TFR_PFORMAT_HEAD bytes taken for detection and given back as the
 * head. Both reads must agree: the same breakpoints, or a failure with
 * the same code. The breakpoints must keep the reader's contract
 * (fuzz_partials.h); a failure has a code and a text.
 */
#include "fuzz_partials.h"

static void *open_r(FILE *fp, const unsigned char *head, size_t nhead, tfr_diag *d)
{
	return tfr_sdif_reader_new(fp, head, nhead, d);
}

static long read_r(void *r, tfr_breakpoint *bp, size_t max)
{
	return tfr_sdif_reader_read(r, bp, max);
}

static const tfr_diag *diag_r(const void *r)
{
	return tfr_sdif_reader_diag(r);
}

static int64_t count_r(const void *r)
{
	tfr_sdif_stats st;
	tfr_sdif_reader_stats(r, &st);
	return st.breakpoints;
}

/* labels: present or not, and asked for the partials read */
static void check_r(void *r, const tfr_breakpoint *bp, size_t n)
{
	size_t nl;
	const tfr_sdif_label *l = tfr_sdif_reader_labels(r, &nl);
	FUZZ_CHECK(nl == 0 || l != NULL);
	int64_t label;
	for (size_t i = 0; i < n && i < 64; i++)
		(void)tfr_sdif_reader_label(r, bp[i].partial, &label);
}

static void close_r(void *r)
{
	tfr_sdif_reader_free(r);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const fp_reader rd = { open_r, read_r, diag_r, count_r, check_r, close_r };
	return fp_pipe_and_file(&rd, data, size);
}
