/*
 * tfr_number.h - locale-independent number text: fast formatting for the
 * stream writers and strict parsing for readers and options. Independent
 * of LC_NUMERIC by construction (the formatters never call printf; the
 * parser runs strtod under the C locale).
 */
#ifndef TFR_NUMBER_H
#define TFR_NUMBER_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Longest text any formatter below writes, including the terminating NUL. */
#define TFR_NUMBER_MAX 40

/* Each formatter writes a NUL-terminated string at p and returns its
 * length (without the NUL). */

/* Decimal integer. */
size_t tfr_fmt_int(char *p, int64_t v);

/* Fixed point with exactly `decimals` digits after the point (0..9),
 * correctly rounded for |v| < 1e15 / 10^decimals; larger or non-finite
 * values fall back to tfr_fmt_sig(v, 17). */
size_t tfr_fmt_fixed(char *p, double v, int decimals);

/* `digits` significant digits (1..17), trailing zeros removed, plain
 * notation for 1e-5 <= |v| < 10^digits, else d.ddde[+-]XX. 9 digits
 * round-trip any float, 17 any double. NaN and infinities are written as
 * "nan", "inf", "-inf" (readers of the stream format reject them). */
size_t tfr_fmt_sig(char *p, double v, int digits);

/*
 * Parse a whole string as a finite decimal number (C syntax, '.' as the
 * decimal point whatever the locale). Returns TFR_OK, or TFR_EFORMAT for
 * empty text, trailing characters, NaN or infinity, TFR_ERANGE on
 * overflow.
 */
int tfr_parse_double(const char *s, double *v);

/*
 * Parse a number at s; *end receives the first character after it.
 * Same rules as tfr_parse_double but trailing text is allowed.
 */
int tfr_parse_double_prefix(const char *s, char **end, double *v);

#ifdef __cplusplus
}
#endif

#endif
