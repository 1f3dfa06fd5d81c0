/* pformat.c - partial file formats: detection and properties (see
 * tfr_pformat.h). */
#include "tfr_base.h"
#include "tfr_pformat.h"

#include <string.h>

static const char *const names[] = {
	[TFR_PFORMAT_UNKNOWN] = "unknown",
	[TFR_PFORMAT_TFR] = "tfr",
	[TFR_PFORMAT_SDIF] = "sdif",
	[TFR_PFORMAT_RBEP] = "rbep",
	[TFR_PFORMAT_1TRC] = "1trc",
	[TFR_PFORMAT_SPEAR_PARTIALS] = "spear-partials",
	[TFR_PFORMAT_SPEAR_FRAMES] = "spear-frames",
};

/* p[0..n-1] starts with word, followed by the end of the content, of
 * the line, or a blank. */
static int starts_line(const unsigned char *p, size_t n, const char *word)
{
	size_t k = strlen(word);
	if (n < k || memcmp(p, word, k) != 0)
		return 0;
	return n == k || p[k] == '\n' || p[k] == '\r' || p[k] == ' ' || p[k] == '\t';
}

tfr_pformat tfr_pformat_detect(const void *head, size_t n)
{
	const unsigned char *p = head;
	if (n >= 4 && memcmp(p, "SDIF", 4) == 0)
		return TFR_PFORMAT_SDIF;
	if (n >= 3 && memcmp(p, "\xEF\xBB\xBF", 3) == 0) {
		p += 3;
		n -= 3;
	}
	if (starts_line(p, n, "par-text-partials-format"))
		return TFR_PFORMAT_SPEAR_PARTIALS;
	if (starts_line(p, n, "par-text-frame-format"))
		return TFR_PFORMAT_SPEAR_FRAMES;
	if (starts_line(p, n, "#tfr partials"))
		return TFR_PFORMAT_TFR;
	return TFR_PFORMAT_UNKNOWN;
}

unsigned tfr_pformat_fields(tfr_pformat f)
{
	const unsigned values = TFR_PFIELD_FREQ | TFR_PFIELD_AMP;
	switch (f) {
	case TFR_PFORMAT_TFR:
		return TFR_PFIELD_TIME | values | TFR_PFIELD_PHASE | TFR_PFIELD_BANDWIDTH;
	case TFR_PFORMAT_SDIF:
	case TFR_PFORMAT_RBEP:
		return TFR_PFIELD_TIME | values | TFR_PFIELD_PHASE | TFR_PFIELD_BANDWIDTH |
		       TFR_PFIELD_LABEL;
	case TFR_PFORMAT_1TRC:
		return values | TFR_PFIELD_PHASE | TFR_PFIELD_LABEL;
	case TFR_PFORMAT_SPEAR_PARTIALS:
		return TFR_PFIELD_TIME | values;
	case TFR_PFORMAT_SPEAR_FRAMES:
		return values;
	default:
		return 0;
	}
}

const char *tfr_pformat_name(tfr_pformat f)
{
	if ((unsigned)f < sizeof names / sizeof names[0])
		return names[f];
	return names[TFR_PFORMAT_UNKNOWN];
}

tfr_pformat tfr_pformat_from_name(const char *name)
{
	for (size_t i = 1; name && i < sizeof names / sizeof names[0]; i++)
		if (!strcmp(name, names[i]))
			return (tfr_pformat)i;
	return TFR_PFORMAT_UNKNOWN;
}
