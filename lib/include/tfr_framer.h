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
 *           off += tfr_framer_push(f, x + off, n - off);
 *           while ((frame = tfr_framer_next(f, &m))) analyse(frame, m);
 *       }
 *   }
 *   tfr_framer_finish(f);
 *   while ((frame = tfr_framer_next(f, &m))) analyse(frame, m);
 */
#ifndef TFR_FRAMER_H
#define TFR_FRAMER_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct tfr_framer tfr_framer;

/* len >= 1, hop >= 1. Returns NULL and sets *err (TFR_EINVAL, TFR_ENOMEM). */
tfr_framer *tfr_framer_new(size_t len, size_t hop, int *err);

/* Take samples; returns how many were taken (stops early when a frame is
 * complete and has not been collected with tfr_framer_next yet). */
size_t tfr_framer_push(tfr_framer *f, const float *x, size_t n);

/* The next complete frame (len samples, valid until the next call on f)
 * and its index, or NULL when none is ready. */
const float *tfr_framer_next(tfr_framer *f, int64_t *index);

/* Declare the end of the input: remaining frames are completed with zeros. */
void tfr_framer_finish(tfr_framer *f);

/* Input samples taken so far. */
int64_t tfr_framer_samples(const tfr_framer *f);

/* Back to the state of a new framer. */
void tfr_framer_reset(tfr_framer *f);

void tfr_framer_free(tfr_framer *f);

#ifdef __cplusplus
}
#endif

#endif /* TFR_FRAMER_H */
