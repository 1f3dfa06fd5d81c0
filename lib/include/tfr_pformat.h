/*
 * tfr_pformat.h - the file formats partials travel in (I/O module):
 * which one some content is, from its first bytes, and what each keeps
 * of a breakpoint, so that a converter can say once what is lost.
 *
 * Readers take the bytes used for detection back (the head arguments of
 * tfr_sdif_reader_new and tfr_spear_reader_new), so detection works on a
 * pipe too:
 *
 *   unsigned char head[TFR_PFORMAT_HEAD];
 *   size_t n = fread(head, 1, sizeof head, fp);
 *   switch (tfr_pformat_detect(head, n)) {
 *   case TFR_PFORMAT_SDIF: r = tfr_sdif_reader_new(fp, head, n, &d); ...
 */
#ifndef TFR_PFORMAT_H
#define TFR_PFORMAT_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef enum {
	TFR_PFORMAT_UNKNOWN = 0,
	TFR_PFORMAT_TFR,             /* the tfr partials stream ("#tfr partials") */
	TFR_PFORMAT_SDIF,            /* SDIF, either kind (detection only) */
	TFR_PFORMAT_RBEP,            /* SDIF RBEP (Loris) */
	TFR_PFORMAT_1TRC,            /* SDIF 1TRC */
	TFR_PFORMAT_SPEAR_PARTIALS,  /* par-text-partials-format */
	TFR_PFORMAT_SPEAR_FRAMES     /* par-text-frame-format */
} tfr_pformat;

/* Bytes enough for tfr_pformat_detect (the longest signature and a
 * UTF-8 byte-order mark). */
#define TFR_PFORMAT_HEAD 32

/* The format of content starting with head[0..n-1] (n may be less than
 * TFR_PFORMAT_HEAD only when the content is that short): UNKNOWN, TFR,
 * SDIF, SPEAR_PARTIALS or SPEAR_FRAMES. */
tfr_pformat tfr_pformat_detect(const void *head, size_t n);

/* What a format keeps of a breakpoint. */
enum {
	TFR_PFIELD_TIME = 1,       /* the breakpoint times (else resampled on
	                              a grid of frame times) */
	TFR_PFIELD_FREQ = 2,
	TFR_PFIELD_AMP = 4,
	TFR_PFIELD_PHASE = 8,
	TFR_PFIELD_BANDWIDTH = 16,
	TFR_PFIELD_LABEL = 32      /* partial labels (SDIF RBEL) */
};

/*
 * The TFR_PFIELD_* bits a format keeps; 0 for UNKNOWN. Precision: RBEP
 * keeps every value exactly; 1TRC keeps frequency, amplitude and phase
 * at the frame times in float32 or float64; SPEAR text keeps time,
 * frequency and amplitude to 6 decimals.
 */
unsigned tfr_pformat_fields(tfr_pformat f);

/* The format's short name ("tfr", "sdif", "rbep", "1trc",
 * "spear-partials", "spear-frames", "unknown"). */
const char *tfr_pformat_name(tfr_pformat f);

/* The format of a short name, or TFR_PFORMAT_UNKNOWN. */
tfr_pformat tfr_pformat_from_name(const char *name);

#ifdef __cplusplus
}
#endif

#endif /* TFR_PFORMAT_H */
