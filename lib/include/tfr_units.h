/*
 * tfr_units.h - quantities with units as people type them (I/O module):
 * times, frequencies and levels, in options and in map files alike, one
 * grammar for every tool (sox-like, C locale whatever the locale):
 *
 *   time       2048 (samples, where a bare number means samples), 46.4ms,
 *              0.5s, 1.5 (seconds, where a bare number means seconds)
 *   frequency  440, 440Hz, 2k, 2kHz (Hz; case does not matter), 0.45fs
 *              (a fraction of the sample rate, explicitly)
 *   level      -90, -90dB, -90dBFS (dB; -inf where allowed)
 *
 * Numbers are strict: no blanks, no trailing text, finite, '.' as the
 * decimal point.
 */
#ifndef TFR_UNITS_H
#define TFR_UNITS_H

#include "tfr_base.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum {
	TFR_UNIT_NONE,      /* a plain number */
	TFR_UNIT_SAMPLES,
	TFR_UNIT_SECONDS,
	TFR_UNIT_HZ,
	TFR_UNIT_FS,        /* a fraction of the sample rate */
	TFR_UNIT_DB
} tfr_unit;

typedef struct {
	double value;
	tfr_unit unit;
} tfr_quantity;

/*
 * A time. bare is the unit of a number without one: TFR_UNIT_SAMPLES
 * (then it must be a whole number) or TFR_UNIT_SECONDS. Returns TFR_OK or
 * TFR_EFORMAT (not a time; *q untouched), TFR_ERANGE (overflow).
 */
int tfr_parse_time(const char *s, tfr_unit bare, tfr_quantity *q);

/* A frequency: Hz (bare or with Hz/k/kHz) or TFR_UNIT_FS with "fs". */
int tfr_parse_freq(const char *s, tfr_quantity *q);

/* A level in dB (bare, dB or dBFS); "-inf" only when allow_inf. */
int tfr_parse_level(const char *s, int allow_inf, tfr_quantity *q);

/* A whole number, strictly: optional sign, digits, nothing else, within
 * [min, max]. TFR_OK, TFR_EFORMAT, TFR_ERANGE (outside the bounds). */
int tfr_parse_int(const char *s, long long min, long long max, long long *v);

/* A time in seconds at sample_rate (samples / rate), a frequency in Hz. */
double tfr_quantity_seconds(tfr_quantity q, double sample_rate);
double tfr_quantity_samples(tfr_quantity q, double sample_rate);
double tfr_quantity_hz(tfr_quantity q, double sample_rate);

#ifdef __cplusplus
}
#endif

#endif /* TFR_UNITS_H */
