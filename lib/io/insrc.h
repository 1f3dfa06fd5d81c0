/*
 * insrc.h - the input of a partial-file reader (private to the I/O
 * modules): bytes the caller already took from the stream (to detect the
 * format) followed by the rest of the stream, with the content offset of
 * every byte, and two ways back to an earlier offset: seeking, where the
 * stream allows it, or a copy in memory ("tape") of everything read,
 * for pipes.
 */
#ifndef TFR_INSRC_H
#define TFR_INSRC_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/types.h>

typedef struct {
	FILE *fp;
	unsigned char *head;   /* the caller's bytes (a copy) */
	size_t nhead;
	unsigned char *buf;    /* read buffer over fp */
	size_t blen, bpos;
	unsigned char *mem;    /* tape, or the whole content once in_mem */
	size_t mlen, mcap;
	int recording;         /* every byte taken from fp goes to the tape */
	int in_mem;            /* reading from mem */
	int seekable;          /* fp can seek back to fp_base */
	int error;             /* a read error of fp, or out of memory */
	off_t fp_base;         /* fp's offset of content offset nhead */
	uint64_t pos;          /* content offset of the next byte */
} insrc;

/* TFR_OK or TFR_ENOMEM. record: keep a tape from the first byte when
 * the input cannot seek (until insrc_stop_recording). */
int insrc_init(insrc *s, FILE *fp, const void *head, size_t nhead, int record);
void insrc_free(insrc *s);

/* Up to n bytes into dst; fewer at the end of the input or on an error
 * (s->error set). */
size_t insrc_read(insrc *s, void *dst, size_t n);

/* Pass over n bytes; returns how many there were. */
uint64_t insrc_skip(insrc *s, uint64_t n);

/* Refill the buffer and return its next byte, or -1 (end or error). */
int insrc_fill(insrc *s);

/* The next byte, or -1 at the end of the input or on an error. */
static inline int insrc_getc(insrc *s)
{
	if (s->in_mem) {
		if (s->pos >= s->mlen)
			return -1;
		return s->mem[s->pos++];
	}
	if (s->pos >= s->nhead && s->bpos < s->blen) {
		s->pos++;
		return s->buf[s->bpos++];
	}
	return insrc_fill(s);
}

/* Back (or on) to content offset pos: 0 on success, -1 when the input
 * can do neither (not seekable and no tape). */
int insrc_seek(insrc *s, uint64_t pos);

/* No tape from now on (the input will not need to go back). */
void insrc_stop_recording(insrc *s);

/* Read the rest of the input onto the tape and read from memory from
 * now on (same offsets). TFR_OK, TFR_ENOMEM, TFR_EIO. Needs recording. */
int insrc_to_memory(insrc *s);

#endif
