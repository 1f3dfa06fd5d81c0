/*
 * tfr_meta.h - the key=value metadata of a tfr stream's header (I/O):
 * ordered, keys may repeat (history). See tfr(5) for the keys in use.
 */
#ifndef TFR_META_H
#define TFR_META_H

#include <stddef.h>

#include "tfr_base.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct tfr_meta tfr_meta;

tfr_meta *tfr_meta_new(void);
void tfr_meta_free(tfr_meta *m);
/* Replace the first entry with this key, or append. TFR_OK, TFR_ENOMEM,
 * TFR_EINVAL (key empty or with '=', blanks or a newline; value with a
 * newline). */
int tfr_meta_set(tfr_meta *m, const char *key, const char *value);
/* Append (for repeated keys such as history). */
int tfr_meta_add(tfr_meta *m, const char *key, const char *value);
int tfr_meta_set_double(tfr_meta *m, const char *key, double v);
int tfr_meta_set_int(tfr_meta *m, const char *key, long long v);
/* Copy every entry of src (history included) into dst. */
int tfr_meta_copy(tfr_meta *dst, const tfr_meta *src);
/* The first value for key, or NULL. */
const char *tfr_meta_get(const tfr_meta *m, const char *key);
/* Strictly parsed numeric value: TFR_OK, TFR_EINVAL (absent),
 * TFR_EFORMAT (not a finite number). */
int tfr_meta_get_double(const tfr_meta *m, const char *key, double *v);
size_t tfr_meta_count(const tfr_meta *m);
const char *tfr_meta_key(const tfr_meta *m, size_t i);
const char *tfr_meta_value(const tfr_meta *m, size_t i);

#ifdef __cplusplus
}
#endif

#endif /* TFR_META_H */
