/*
 * tfr_synth_channels.h - additive synthesis of a channel-split partials
 * stream (DSP core, streaming): one synthesiser (tfr_synth.h) per
 * channel, each fed the breakpoints of its channel and told how far the
 * stream has gone (tfr_synth_advance), their outputs interleaved into
 * frames of every channel. The channels end together: a channel whose
 * partials end sooner is completed with silence to the longest.
 */
#ifndef TFR_SYNTH_CHANNELS_H
#define TFR_SYNTH_CHANNELS_H

#include <stddef.h>

#include "tfr_base.h"
#include "tfr_records.h"
#include "tfr_synth.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct tfr_synth_channels tfr_synth_channels;

/* Synthesisers of parameters p for channels 1 .. channels (at most
 * TFR_MAX_CHANNELS); NULL with d on TFR_EINVAL or TFR_ENOMEM. Each
 * channel's noise has its own seed (p->seed + channel - 1). */
tfr_synth_channels *tfr_synth_channels_new(const tfr_synth_params *p,
                                           int channels, tfr_diag *d);

/* n breakpoints in stream order, each of its channel (1-based). As
 * tfr_synth_process; a channel out of range is TFR_EFORMAT. */
int tfr_synth_channels_process(tfr_synth_channels *m, const tfr_breakpoint *bp,
                               size_t n);

int tfr_synth_channels_flush(tfr_synth_channels *m);

/* Up to max frames (channels samples each, interleaved) that every
 * channel has finished, their count in *got (0 at the end after
 * _flush). TFR_OK or TFR_ENOMEM (nothing read). */
int tfr_synth_channels_read(tfr_synth_channels *m, float *out, size_t max,
                            size_t *got);

/* The detail of the last failure. */
const tfr_diag *tfr_synth_channels_diag(const tfr_synth_channels *m);

/* The channels' counts added up. */
void tfr_synth_channels_get_stats(const tfr_synth_channels *m, tfr_synth_stats *st);

void tfr_synth_channels_free(tfr_synth_channels *m);

#ifdef __cplusplus
}
#endif

#endif /* TFR_SYNTH_CHANNELS_H */
