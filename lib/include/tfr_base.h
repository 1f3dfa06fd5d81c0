/*
 * tfr_base.h - what every module of libtfr shares: the version, error
 * codes, error detail, limits and the object contract.
 *
 * The object contract (every object of the library follows it):
 *
 *   tfr_x_params_default(&p)      fill p with the documented defaults
 *   tfr_x_check(&p, &diag)        TFR_OK, or TFR_EINVAL with what is
 *                                 wrong with p in diag (the first problem)
 *   x = tfr_x_new(&p, &diag)      NULL on failure, with the code and the
 *                                 reason in diag (a _check failure, or
 *                                 TFR_ENOMEM); parameters are copied
 *   tfr_x_process(x, ...)         take input, give output; returns TFR_OK
 *                                 or a negative code
 *   tfr_x_flush(x, ...)           end of input: give what the object held
 *                                 back (objects with latency or state)
 *   tfr_x_reset(x)                back to the state of a new object
 *   tfr_x_free(x)                 release; NULL does nothing
 *   tfr_x_close(x)                only objects that own an output: finish
 *                                 it, release, and return whether the
 *                                 output was written (TFR_OK or TFR_EIO)
 *
 * Error detail travels one way: a tfr_diag, filled through the pointer
 * given to _check and _new, or held by an object whose later calls can
 * fail for reasons worth explaining (a reader of text input: the line and
 * column of the fault), and read with tfr_x_diag(x). Any diag pointer may
 * be NULL. The library never prints, never exits and keeps no global
 * state: explaining a failure to a person is the caller's job.
 *
 * Units: sample counts in frames (one sample per channel), times in
 * seconds, frequencies in Hz, levels in dB, unless a name says otherwise.
 */
#ifndef TFR_BASE_H
#define TFR_BASE_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

#define TFR_VERSION_MAJOR 0
#define TFR_VERSION_MINOR 1
#define TFR_VERSION_PATCH 0

/* Error codes. Stable: new codes are only ever appended. */
enum tfr_error {
	TFR_OK = 0,
	TFR_ENOMEM = -1,    /* out of memory */
	TFR_EINVAL = -2,    /* invalid parameter */
	TFR_EIO = -3,       /* read or write error */
	TFR_EFORMAT = -4,   /* malformed input data */
	TFR_EAUDIO = -5,    /* audio file could not be opened or read */
	TFR_ERANGE = -6,    /* value out of the representable range */
	TFR_ETTY = -7,      /* binary output refused on a terminal */
	TFR_EEOF = -8,      /* input ended before it was complete */
	TFR_EUNSUPPORTED = -9 /* valid but not supported here */
};

/* A sentence describing err; never NULL. */
const char *tfr_strerror(int err);

/* The library version as "MAJOR.MINOR.PATCH". */
const char *tfr_version(void);

/*
 * Limits, named once. Inputs and parameters beyond them are refused with
 * TFR_EINVAL (parameters) or TFR_EFORMAT (data) rather than attempted:
 * each bounds the memory or time a small input could otherwise cost.
 */
#define TFR_MAX_CHANNELS 1024        /* audio channels */
#define TFR_MAX_SAMPLE_RATE 10000000 /* Hz */
#define TFR_MAX_FFT_SIZE (1 << 22)   /* samples: window and FFT lengths */
#define TFR_MAX_THREADS 256          /* worker threads of one object */
/* Largest magnitude of an input sample (+120 dBFS): float input beyond
 * it is refused, so that no computation can overflow to inf or NaN. */
#define TFR_MAX_SAMPLE 1048576.0

/*
 * The detail of a failure: what went wrong and, for text input, where.
 * The text is one line without the name of the input (the caller knows
 * it and puts it in front: tfr_diag_format).
 */
typedef struct {
	int code;        /* a tfr_error; TFR_OK when nothing went wrong */
	long line;       /* 1-based line of text input, 0 if none */
	long column;     /* 1-based column (character or field), 0 if none */
	char text[256];  /* what is wrong, without the input's name */
} tfr_diag;

/* Nothing wrong (code TFR_OK, no position, no text). NULL does nothing. */
void tfr_diag_clear(tfr_diag *d);

/* Set d to code and a copy of text (truncated to fit), no position;
 * returns code, so that `return tfr_diag_set(d, TFR_EINVAL, "...")`
 * reads as one statement. NULL d only returns code. */
int tfr_diag_set(tfr_diag *d, int code, const char *text);

/* The same with printf-style text. */
int tfr_diag_setf(tfr_diag *d, int code, const char *fmt, ...)
#if defined(__GNUC__)
	__attribute__((format(printf, 3, 4)))
#endif
	;

/* Add a position to d (0 leaves that part out); returns d's code. */
int tfr_diag_at(tfr_diag *d, long line, long column);

/*
 * d as one line for a person, into buf[size] (always NUL-terminated):
 *   "LABEL:LINE:COLUMN: text"  with a line and a column
 *   "LABEL:LINE: text"         with a line
 *   "LABEL: column C: text"    with a column only (inline text)
 *   "LABEL: text"              with no position
 * (without "LABEL" and its separator when label is NULL), or the
 * sentence of d's code when d has no text. Returns buf.
 */
const char *tfr_diag_format(const tfr_diag *d, const char *label,
                            char *buf, size_t size);

#ifdef __cplusplus
}
#endif

#endif /* TFR_BASE_H */
