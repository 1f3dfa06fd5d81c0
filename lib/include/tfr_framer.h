/*
 * tfr_framer.h - cut a sample stream into overlapping analysis frames
 * (DSP core, streaming, bounded memory).
 *
 * Frames are centred: frame m covers input samples
 *   [m*hop - lead, m*hop - lead + len)
 * with lead = floor(len/2), so its window centre (index len/2) sits on
 * sample m*hop (half a sample later for odd len). Samples before the
 * start and after the end of the input read as zeros. Frames are
 * produced while m*hop < total number of input samples, so every input
 * sample is the centre region of some frame and nothing is analysed
 * twice at the end.
 *
 * Use:
 *   while (more input) {
 *       size_t off = 0;
 *       while (off < n) {
 *           off += tfr_framer_process(f, x + off, n - off);
 *           while ((frame = tfr_framer_next(f, &m))) analyse(frame, m);
 *       }
 *   }
 *   tfr_framer_flush(f);
 *   while ((frame = tfr_framer_next(f, &m))) analyse(frame, m);
 */
#ifndef TFR_FRAMER_H
#define TFR_FRAMER_H

#include <stddef.h>
#include <stdint.h>

#include "tfr_base.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct tfr_framer tfr_framer;

typedef struct {
	size_t len;   /* frame length, 1 ... TFR_MAX_FFT_SIZE (2048) */
	size_t hop;   /* >= 1 (512) */
} tfr_framer_params;

void tfr_framer_params_default(tfr_framer_params *p);

/* TFR_OK, or TFR_EINVAL with the first problem of p in d. */
int tfr_framer_check(const tfr_framer_params *p, tfr_diag *d);

/* NULL on failure with the code and reason in d (TFR_EINVAL, TFR_ENOMEM). */
tfr_framer *tfr_framer_new(const tfr_framer_params *p, tfr_diag *d);

/* Take samples; returns how many were taken (stops early when a frame is
 * complete and has not been collected with tfr_framer_next yet). */
size_t tfr_framer_process(tfr_framer *f, const float *x, size_t n);

/* The next complete frame (len samples, valid until the next call on f)
 * and its index, or NULL when none is ready. */
const float *tfr_framer_next(tfr_framer *f, int64_t *index);

/* End of the input: the remaining frames are completed with zeros (collect
 * them with tfr_framer_next). */
void tfr_framer_flush(tfr_framer *f);

/* Input samples taken so far. */
int64_t tfr_framer_samples(const tfr_framer *f);

/* Back to the state of a new framer. */
void tfr_framer_reset(tfr_framer *f);

void tfr_framer_free(tfr_framer *f);

#ifdef __cplusplus
}
#endif

#endif /* TFR_FRAMER_H */
