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

enum { CHUNK = 257 };

typedef struct {
	tfr_breakpoint *bp;
	size_t n, cap;
	int err;
} result;

static void read_all(FILE *fp, const uint8_t *data, size_t size, result *out)
{
	unsigned char head[TFR_PFORMAT_HEAD];
	size_t nhead = fread(head, 1, sizeof head, fp);
	FUZZ_CHECK(nhead == (size < sizeof head ? size : sizeof head));
	FUZZ_CHECK(!memcmp(head, data, nhead));
	tfr_diag d;
	memset(out, 0, sizeof *out);
	tfr_sdif_reader *r = tfr_sdif_reader_new(fp, head, nhead, &d);
	if (!r) {
		FUZZ_CHECK(d.code < 0 && d.text[0]);
		out->err = d.code;
		return;
	}
	fp_checker c;
	fp_init(&c);
	tfr_breakpoint buf[CHUNK];
	long n;
	while ((n = tfr_sdif_reader_read(r, buf, CHUNK)) > 0) {
		FUZZ_CHECK(n <= CHUNK);
		for (long i = 0; i < n; i++)
			fp_take(&c, &buf[i]);
		if (out->n + (size_t)n > out->cap) {
			out->cap = 2 * (out->n + (size_t)n);
			out->bp = realloc(out->bp, out->cap * sizeof *out->bp);
			FUZZ_CHECK(out->bp);
		}
		memcpy(out->bp + out->n, buf, (size_t)n * sizeof *buf);
		out->n += (size_t)n;
	}
	if (n < 0) {
		const tfr_diag *e = tfr_sdif_reader_diag(r);
		FUZZ_CHECK(e->code == n && e->text[0]);
		out->err = (int)n;
		fp_discard(&c);
	} else {
		FUZZ_CHECK(tfr_sdif_reader_read(r, buf, CHUNK) == 0);
		fp_done(&c);
		tfr_sdif_stats st;
		tfr_sdif_reader_stats(r, &st);
		FUZZ_CHECK(st.breakpoints == (int64_t)out->n);
		size_t nl;
		const tfr_sdif_label *l = tfr_sdif_reader_labels(r, &nl);
		FUZZ_CHECK(nl == 0 || l != NULL);
		int64_t label;
		for (size_t i = 0; i < out->n && i < 64; i++)
			(void)tfr_sdif_reader_label(r, out->bp[i].partial, &label);
	}
	tfr_sdif_reader_free(r);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	result a, b;
	/* what tfr-convert does first: the format from the first bytes */
	tfr_pformat f = tfr_pformat_detect(data, size < TFR_PFORMAT_HEAD ? size
	                                                             : TFR_PFORMAT_HEAD);
	FUZZ_CHECK(f >= TFR_PFORMAT_UNKNOWN && f <= TFR_PFORMAT_SPEAR_FRAMES);
	FUZZ_CHECK(tfr_pformat_name(f) != NULL);
	FILE *fp = fuzz_stream(data, size);
	if (!fp)
		return 0;
	read_all(fp, data, size, &a);
	fclose(fp);
	fp = fuzz_file(data, size, NULL);
	if (!fp) {
		free(a.bp);
		return 0;
	}
	read_all(fp, data, size, &b);
	fclose(fp);
	if (a.err != b.err || !fp_same(a.bp, b.bp, a.n, b.n)) {
		fprintf(stderr, "pipe and file disagree: %d/%zu vs %d/%zu\n",
		        a.err, a.n, b.err, b.n);
		abort();
	}
	free(a.bp);
	free(b.bp);
	return 0;
}
