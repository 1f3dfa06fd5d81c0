/*
 * window_name.c - window names as text: parsing the names users type
 * ("hann", "kaiser:90dB", "gaussian:200") and the canonical name written
 * into stream headers (tfr_window_spec.h; the shapes are DSP, in
 * tfr_window.h, which this file does not need).
 */
#include "tfr_base.h"
#include "tfr_number.h"
#include "tfr_window_spec.h"

#include <stdio.h>
#include <string.h>

static const struct {
	const char *name;
	tfr_window_type type;
} names[] = {
	{ "hann", TFR_WINDOW_HANN },
	{ "hanning", TFR_WINDOW_HANN },
	{ "hamming", TFR_WINDOW_HAMMING },
	{ "blackman", TFR_WINDOW_BLACKMAN },
	{ "blackman-harris", TFR_WINDOW_BLACKMAN_HARRIS },
	{ "kaiser", TFR_WINDOW_KAISER },
	{ "gaussian", TFR_WINDOW_GAUSSIAN },
	{ "rectangular", TFR_WINDOW_RECTANGULAR },
};

/* A strictly parsed finite positive number, optionally followed by the
 * given suffix. */
static int parse_param(const char *s, const char *suffix, double *v)
{
	char *end;
	double x;
	if (tfr_parse_double_prefix(s, &end, &x) != TFR_OK || x < 0)
		return 0;
	if (*end && (!suffix || strcmp(end, suffix) != 0))
		return 0;
	*v = x;
	return *end ? 2 : 1;
}

int tfr_window_parse(const char *name, tfr_window_spec *spec)
{
	const char *colon = strchr(name, ':');
	size_t base = colon ? (size_t)(colon - name) : strlen(name);
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
		if (strlen(names[i].name) != base ||
		    strncmp(names[i].name, name, base) != 0)
			continue;
		spec->type = names[i].type;
		spec->param = 0;
		if (spec->type == TFR_WINDOW_KAISER) {
			spec->param = tfr_kaiser_beta_for_sidelobe(90);
			if (colon) {
				double v;
				int r = parse_param(colon + 1, "dB", &v);
				if (!r)
					return TFR_EINVAL;
				/* beta at most 50 (the window's I0 stays in range),
				 * a side-lobe level at most 395 dB (beta 49.9) */
				spec->param = r == 2 ? tfr_kaiser_beta_for_sidelobe(v) : v;
				if (!(spec->param <= TFR_KAISER_MAX_BETA))
					return TFR_EINVAL;
			}
		} else if (spec->type == TFR_WINDOW_GAUSSIAN) {
			/* at least half a sample: narrower, every sample of a
			 * window of odd length is 0 (gaussian:1e-3) */
			if (colon && (!parse_param(colon + 1, NULL, &spec->param) ||
			              !(spec->param >= TFR_GAUSSIAN_MIN_SIGMA)))
				return TFR_EINVAL;
		} else if (colon) {
			return TFR_EINVAL;
		}
		return TFR_OK;
	}
	return TFR_EINVAL;
}

const char *tfr_window_name(const tfr_window_spec *spec, char *buf,
                            size_t size)
{
	const char *base = "unknown";
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
		if (names[i].type == spec->type && strcmp(names[i].name, "hanning")) {
			base = names[i].name;
			break;
		}
	char num[TFR_NUMBER_MAX] = "";
	if (spec->type == TFR_WINDOW_KAISER ||
	    (spec->type == TFR_WINDOW_GAUSSIAN && spec->param > 0))
		tfr_fmt_sig(num, spec->param, 9);
	snprintf(buf, size, "%s%s%s", base, num[0] ? ":" : "", num);
	return buf;
}
