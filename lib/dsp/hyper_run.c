/*
 * hyper_run.c - tfr_hyper's streaming (the other files: hyper_state.h).
 * The input is buffered per channel until a super-block of HY_SUPER
 * samples, with the longest margin before it and the longest block
 * after it, is there; then, per channel, the workers compute the block
 * spectra of every group, then scan their lines (hyper_scan.c) into
 * their windows, which are then added into the picture
 * (hyper_picture.c), and the buffer slides on by a super-block.
 * A super-block is the unit of parallel work: threads are started and
 * joined twice per channel and super-block, and the buffer and the
 * windows grow with it.
 */
#include "tfr_base.h"
#include "tfr_hyper.h"

#include "hyper_state.h"

#include <math.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

/* The block spectra of group gr for the current super-block. */
static void hy_spectra(const tfr_hyper *h, hy_group *gr, const float *x)
{
	const hy_input *in = &h->in;
	int64_t end = in->pos + HY_SUPER;
	gr->nblk = 0;
	for (size_t b = 0; b < gr->nblk_max; b++) {
		int64_t s0 = in->pos + (int64_t)(b * gr->hop);
		if (s0 >= end || (in->finished && s0 >= in->nin))
			break;
		size_t i0 = in->back - gr->margin + b * gr->hop;
		tfr_cpx *X = gr->spec + b * gr->sstride;
		tfr_fft_forward(gr->fwd, x + i0, X);
		double e2 = 0;
		for (size_t k = 0; k <= gr->L / 2; k++)
			e2 += (double)X[k].r * X[k].r +
			      (double)X[k].i * X[k].i;
		gr->xrms[b] = sqrt(e2 / (double)(gr->L / 2 + 1));
		gr->nblk = b + 1;
	}
}

/* One worker's share of a phase: the spectra of every nt-th group, or
 * its lines (hyper_plan.c, setup_shares). */
static void *hy_worker_main(void *arg)
{
	hy_worker *w = arg;
	tfr_hyper *h = w->h;
	size_t t = (size_t)(w - h->wk), nt = (size_t)h->p.threads;
	if (w->phase == HY_SPECTRA) {
		for (size_t g = t; g < h->plan.ngroups; g += nt)
			hy_spectra(h, &h->plan.group[g],
			           h->in.buf[h->in.chan]);
		return NULL;
	}
	for (size_t i = 0; i < w->nl; i++) {
		const hy_line *ln = &h->plan.line[w->lines[i]];
		if (ln->g)
			tfr_hyper_scan_line(w, ln);
	}
	return NULL;
}

/* Run a phase on all workers: worker 0 on this thread, the others on
 * their own, or on this one too if a thread cannot be started. */
static void hy_parallel(tfr_hyper *h, int phase)
{
	int nt = h->p.threads, started[TFR_MAX_THREADS] = {0};
	pthread_t tid[TFR_MAX_THREADS];
	for (int t = 0; t < nt; t++)
		h->wk[t].phase = phase;
	for (int t = 1; t < nt; t++)
		started[t] = pthread_create(&tid[t], NULL, hy_worker_main,
		                            &h->wk[t]) == 0;
	hy_worker_main(&h->wk[0]);
	for (int t = 1; t < nt; t++)
		if (started[t])
			pthread_join(tid[t], NULL);
		else
			hy_worker_main(&h->wk[t]);
}

/* The lowest picture row that the points of samples from pos on can
 * reach (|tins - n| < maxshift), less one for the rounding. */
static int64_t hy_reach(const tfr_hyper *h, int64_t pos)
{
	double lo = floor(((double)pos + 1 - h->win.maxshift) /
	                  (double)h->p.tdeci) - 1;
	return lo > 0 ? (int64_t)lo : 0;
}

/* The super-block at in.pos, whose buffer is full: every channel into
 * the workers' windows, then into the picture; the rows below the next
 * super-block's reach are then final. */
static int hy_superblock(tfr_hyper *h)
{
	hy_input *in = &h->in;
	h->win.rlo = hy_reach(h, in->pos);
	in->nlimit = in->finished ? (double)in->nin : HUGE_VAL;
	for (int c = 0; c < h->p.channels; c++) {
		in->chan = c;
		hy_parallel(h, HY_SPECTRA);
		hy_parallel(h, HY_LINES);
	}
	int e = tfr_hyper_picture_merge(h);
	return e ? e : tfr_hyper_picture_final(h, (size_t)hy_reach(h, in->pos +
	                                                            HY_SUPER));
}

/* Drop the first HY_SUPER samples of the buffer: the next super-block. */
static void hy_slide(hy_input *in, int channels)
{
	for (int c = 0; c < channels; c++)
		memmove(in->buf[c], in->buf[c] + HY_SUPER,
		        (in->bufsz - HY_SUPER) * sizeof **in->buf);
	in->have -= HY_SUPER;
	in->pos += HY_SUPER;
}

int tfr_hyper_process(tfr_hyper *h, const float *x, size_t nframes)
{
	if (!h || h->in.finished || (!x && nframes))
		return TFR_EINVAL;
	hy_input *in = &h->in;
	int nc = h->p.channels;
	while (nframes > 0) {
		size_t take = in->bufsz - in->have;
		if (take > nframes)
			take = nframes;
		for (int c = 0; c < nc; c++) {
			float *d = in->buf[c] + in->have;
			for (size_t i = 0; i < take; i++)
				d[i] = x[i * (size_t)nc + (size_t)c];
		}
		x += take * (size_t)nc;
		nframes -= take;
		in->have += take;
		in->nin += (int64_t)take;
		if (in->have == in->bufsz) {
			int e = hy_superblock(h);
			if (e)
				return e;
			hy_slide(in, nc);
		}
	}
	return TFR_OK;
}

int tfr_hyper_end(tfr_hyper *h)
{
	if (!h || h->in.finished)
		return TFR_EINVAL;
	hy_input *in = &h->in;
	in->finished = 1;
	while (in->pos < in->nin) {
		for (int c = 0; c < h->p.channels; c++)
			memset(in->buf[c] + in->have, 0,
			       (in->bufsz - in->have) * sizeof **in->buf);
		in->have = in->bufsz;
		int e = hy_superblock(h);
		if (e)
			return e;
		hy_slide(in, h->p.channels);
	}
	return tfr_hyper_picture_finish(h);
}

int tfr_hyper_flush(tfr_hyper *h)
{
	int e = tfr_hyper_end(h);
	if (!e) {
		size_t first, n;
		tfr_hyper_ready(h, &first, &n);
		tfr_hyper_threshold(h, first, n);
	}
	return e;
}

/* What _new leaves that the input changes: the buffer (zeros before the
 * signal), the position, the workers' windows and their tabulated
 * kernel (which the refinement budget counts), the picture. The plan
 * and every allocation are kept. */
void tfr_hyper_reset(tfr_hyper *h)
{
	if (!h)
		return;
	hy_input *in = &h->in;
	for (int c = 0; c < h->p.channels; c++)
		memset(in->buf[c], 0, in->bufsz * sizeof **in->buf);
	in->have = in->back;
	in->pos = 0;
	in->nin = 0;
	in->finished = 0;
	in->chan = 0;
	in->nlimit = 0;
	h->win.rlo = 0;
	size_t n = h->win.wrows * h->bins.hf;
	for (int t = 0; t < h->p.threads; t++) {
		hy_worker *w = &h->wk[t];
		memset(w->E, 0, n * sizeof *w->E);
		memset(w->C, 0, n * sizeof *w->C);
		tfr_hyper_kern_forget(&w->kern);
	}
	for (size_t g = 0; g < h->plan.ngroups; g++)
		h->plan.group[g].nblk = 0;
	tfr_hyper_picture_clear(h);
}

int64_t tfr_hyper_frames(const tfr_hyper *h)
{
	return h->in.nin;
}
