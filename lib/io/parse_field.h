/*
 * parse_field.h - the stream reader's number parser, private to lib/io,
 * inlined into its field loop.
 *
 * Parsing is most of what a tool reading a stream does (tfr-peaks spent
 * 38 % of its instructions in tfr_parse_double_prefix, ~140 a field). A
 * field of a stream is a plain decimal ("0.016028966", "-1.48937",
 * "851.005940"): one pass gathers its digits into an integer and the
 * value is m / 10^decimals, exact by Clinger's fast path (m < 10^15 and
 * the power of ten are exact doubles, so the one division rounds
 * correctly), as in tfr_parse_double_prefix. Anything else (an
 * exponent, more than 19 digits, a value from 10^15 up, "0x", no digit
 * at all) goes to tfr_parse_double_prefix, which decides: both accept
 * the same text and return the same double (tests/test_number.c).
 */
#ifndef TFR_PARSE_FIELD_H
#define TFR_PARSE_FIELD_H

#include "tfr_base.h"
#include "tfr_number.h"

#include <stdint.h>

static inline int tfr_parse_field(const char *s, char **end, double *v)
{
	static const double p10[23] = {
		1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
		1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22
	};
	const char *q = s;
	int neg = *q == '-';
	q += neg | (*q == '+');
	const char *d = q;
	uint64_t m = 0;
	unsigned c;
	/* one compare a digit: below '0' wraps to a large unsigned */
	while ((c = (unsigned char)*q - '0') < 10) {
		m = m * 10 + c;
		q++;
	}
	long nd = q - d, nf = 0;
	if (*q == '.') {
		const char *f = ++q;
		while ((c = (unsigned char)*q - '0') < 10) {
			m = m * 10 + c;
			q++;
		}
		nf = q - f;
	}
	nd += nf;
	/* m wraps past 19 digits: such text leaves here, before m is used */
	if (nd == 0 || nd > 19 || m >= 1000000000000000u || nf > 22 ||
	    (*q | 0x20) == 'e' || (*q | 0x20) == 'x')
		return tfr_parse_double_prefix(s, end, v);
	double x = (double)m / p10[nf];
	*v = neg ? -x : x;
	*end = (char *)q;
	return TFR_OK;
}

#endif
