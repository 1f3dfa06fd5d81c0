/*
 * tfr.h - public interface of libtfr, the library under the tfr-* tools.
 *
 * Conventions (the same in every module):
 *  - Objects are opaque and made by tfr_X_new(params, &err), used with
 *    tfr_X_process(...) and released with tfr_X_free() (NULL-safe).
 *  - Functions return TFR_OK (0) or a negative tfr_error code;
 *    tfr_strerror() turns a code into a sentence.
 *  - The library never prints, never exits and keeps no global state.
 *  - Sample counts are in frames (one sample per channel), times in
 *    seconds, frequencies in Hz, unless a name says otherwise.
 */
#ifndef TFR_H
#define TFR_H

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

#ifdef __cplusplus
}
#endif

#include "tfr_number.h"
#include "tfr_records.h"
#include "tfr_window.h"
#include "tfr_framer.h"
#include "tfr_reassign.h"
#include "tfr_audio.h"
#include "tfr_text.h"
#include "tfr_points.h"
#include "tfr_hyper.h"
#include "tfr_npy.h"
#include "tfr_png.h"
#include "tfr_wola.h"
#include "tfr_sdelay.h"
#include "tfr_freqmap.h"
#include "tfr_map.h"

#endif /* TFR_H */
