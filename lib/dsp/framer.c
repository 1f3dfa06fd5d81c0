/*
 * framer.c - overlapping, centred analysis frames from a sample stream.
 *
 * Memory is one frame (len floats) whatever the input length: each frame
 * is assembled in place and shifted by hop once it has been handed out.
 */
#include "tfr_base.h"
#include "tfr_framer.h"

#include <stdlib.h>
#include <string.h>

struct tfr_framer {
	size_t len, hop, lead;
	float *buf;
	size_t fill;      /* valid samples at the start of buf */
	size_t skip;      /* input samples to drop (hop > len) */
	int ready;        /* buf holds a complete frame not yet collected */
	int handed;       /* the last frame was collected: shift before use */
	int finished;
	int64_t index;    /* index of the frame being assembled */
	int64_t taken;    /* input samples taken */
};

void tfr_framer_reset(tfr_framer *f)
{
	/* The first frame is centred on sample 0: lead zeros before it. */
	memset(f->buf, 0, f->len * sizeof *f->buf);
	f->fill = f->lead;
	f->skip = 0;
	f->ready = f->fill == f->len;
	f->handed = 0;
	f->finished = 0;
	f->index = 0;
	f->taken = 0;
}

void tfr_framer_params_default(tfr_framer_params *p)
{
	p->len = 2048;
	p->hop = 512;
}

int tfr_framer_check(const tfr_framer_params *p, tfr_diag *d)
{
	tfr_diag_clear(d);
	if (!p)
		return tfr_diag_set(d, TFR_EINVAL, "no parameters");
	if (p->len < 1 || p->len > TFR_MAX_FFT_SIZE)
		return tfr_diag_set(d, TFR_EINVAL, "len must be 1 to 2^22 samples");
	if (p->hop < 1)
		return tfr_diag_set(d, TFR_EINVAL, "hop must be at least 1 sample");
	return TFR_OK;
}

tfr_framer *tfr_framer_new(const tfr_framer_params *p, tfr_diag *d)
{
	if (tfr_framer_check(p, d) != TFR_OK)
		return NULL;
	tfr_framer *f = calloc(1, sizeof *f);
	if (!f || !(f->buf = malloc(p->len * sizeof *f->buf))) {
		tfr_framer_free(f);
		tfr_diag_set(d, TFR_ENOMEM, NULL);
		return NULL;
	}
	f->len = p->len;
	f->hop = p->hop;
	f->lead = p->len / 2;
	tfr_framer_reset(f);
	return f;
}

/* Drop the frame that was handed out: keep its last len - hop samples. */
static void advance(tfr_framer *f)
{
	if (!f->handed)
		return;
	f->handed = 0;
	f->index++;
	if (f->hop < f->len) {
		memmove(f->buf, f->buf + f->hop, (f->len - f->hop) * sizeof *f->buf);
		f->fill = f->len - f->hop;
	} else {
		f->skip = f->hop - f->len;
		f->fill = 0;
	}
}

size_t tfr_framer_process(tfr_framer *f, const float *x, size_t n)
{
	size_t used = 0;
	advance(f);
	if (f->ready || f->finished)
		return 0;
	if (f->skip) {
		size_t s = n < f->skip ? n : f->skip;
		f->skip -= s;
		used += s;
	}
	size_t want = f->len - f->fill;
	size_t take = n - used < want ? n - used : want;
	memcpy(f->buf + f->fill, x + used, take * sizeof *x);
	f->fill += take;
	used += take;
	f->taken += (int64_t)used;
	f->ready = f->fill == f->len;
	return used;
}

/* After the end of the input, frame m exists while its centre m*hop lies
 * inside the signal. */
static int frame_needed(const tfr_framer *f)
{
	return f->index * (int64_t)f->hop < f->taken;
}

const float *tfr_framer_next(tfr_framer *f, int64_t *index)
{
	advance(f);
	if (f->finished && !f->ready) {
		if (!frame_needed(f))
			return NULL;
		/* zero padding past the end; a pending skip only drops zeros */
		memset(f->buf + f->fill, 0, (f->len - f->fill) * sizeof *f->buf);
		f->fill = f->len;
		f->skip = 0;
		f->ready = 1;
	}
	if (!f->ready)
		return NULL;
	if (f->finished && !frame_needed(f))
		return NULL;
	f->ready = 0;
	f->handed = 1;
	if (index)
		*index = f->index;
	return f->buf;
}

void tfr_framer_flush(tfr_framer *f)
{
	f->finished = 1;
}

int64_t tfr_framer_samples(const tfr_framer *f)
{
	return f->taken;
}

void tfr_framer_free(tfr_framer *f)
{
	if (!f)
		return;
	free(f->buf);
	free(f);
}
