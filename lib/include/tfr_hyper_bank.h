/*
 * tfr_hyper_bank.h - several hyper-resolution histograms of one stream
 * (DSP core): one per q (Gardner & Magnasco draw several q as the R, G, B
 * of one picture) and, with split channels, one per channel and q; pooled
 * channels go into one histogram per q as the reference does.
 */
#ifndef TFR_HYPER_BANK_H
#define TFR_HYPER_BANK_H

#include <stddef.h>

#include "tfr_base.h"
#include "tfr_hyper.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct tfr_hyper_bank tfr_hyper_bank;

/* The most histograms of one bank: each holds its own filter bank and
 * picture, so many of them cost memory and time without bound. */
#define TFR_HYPER_BANK_MAX 64

typedef struct {
	tfr_hyper_params hyper;  /* every histogram's parameters; its q and
	                            channels are set from the fields below */
	const double *q;         /* nq values of q */
	size_t nq;
	int channels;            /* interleaved input channels */
	int split;               /* 1: a histogram per channel; 0: pooled */
} tfr_hyper_bank_params;

void tfr_hyper_bank_params_default(tfr_hyper_bank_params *p);
int tfr_hyper_bank_check(const tfr_hyper_bank_params *p, tfr_diag *d);
tfr_hyper_bank *tfr_hyper_bank_new(const tfr_hyper_bank_params *p,
                                   tfr_diag *d);

/* nframes interleaved frames to every histogram. TFR_OK or a code. */
int tfr_hyper_bank_process(tfr_hyper_bank *b, const float *x, size_t nframes);
/* End of input for every histogram. */
int tfr_hyper_bank_flush(tfr_hyper_bank *b);
/* The same without the count threshold (tfr_hyper_end). */
int tfr_hyper_bank_end(tfr_hyper_bank *b);

/* Streaming (tfr_hyper_ready): the rows final in every histogram, from
 * the first held; forget those before upto in every one; the count
 * threshold of rows [first, first + n) of each, on its own. */
void tfr_hyper_bank_ready(const tfr_hyper_bank *b, size_t *first, size_t *n);
int tfr_hyper_bank_release(tfr_hyper_bank *b, size_t upto);
void tfr_hyper_bank_threshold(tfr_hyper_bank *b, size_t first, size_t n);

/* The histograms: q-major (histogram i has q index i / per_q and, split,
 * channel i % per_q, per_q being the channel count or 1). */
size_t tfr_hyper_bank_count(const tfr_hyper_bank *b);
const tfr_hyper *tfr_hyper_bank_get(const tfr_hyper_bank *b, size_t i);

void tfr_hyper_bank_reset(tfr_hyper_bank *b);
void tfr_hyper_bank_free(tfr_hyper_bank *b);

#ifdef __cplusplus
}
#endif

#endif /* TFR_HYPER_BANK_H */
