/*
 * kinds.c - the kinds of tfr stream, one table each (tfr_stream.h,
 * tfr(5)): columns in order, how each is held and written, the values
 * each may take.
 *
 * Times carry 9 decimals (1 ns) and frequencies 6 (1 uHz): more than the
 * analyses resolve, and exact for the frame grid. Amplitudes and phases
 * carry 6 significant digits (FLT_DIG: read and written again, a float
 * keeps its digits), bandwidths and mixed derivatives 4; the small
 * streams (f0, noise, descriptors) 9, every float exactly (tfr(5)).
 */
#include "tfr_base.h"
#include "tfr_records.h"
#include "tfr_stream.h"

#include <stddef.h>
#include <string.h>

#define TIME_MAX 1e9        /* s: 31 years */
#define FREQ_MAX 1e9        /* Hz */
/* frame and partial numbers: 2^52, so that frame * hop / rate and every
 * index arithmetic stays exact in a double */
#define INDEX_MAX 4503599627370496.0

/* FLT_MAX as the writer prints it (9 digits), which is a little above
 * FLT_MAX as a double and rounds to it as a float: the largest float
 * written must read back */
#define F32_MAX 3.40282347e38

static const char *const need_rate[] = { "sample_rate", NULL };

#define COL(s, f, stor, fmt, dig, lo, hi, u) \
	{ #f, TFR_COL_##stor, offsetof(s, f), TFR_COL_##fmt, dig, lo, hi, u }

/* A channel-split stream (tfr-reassign --channels split) carries each
 * record's channel, 1-based, as its last column. */
#define CHANNEL_COLUMN(s, stor) \
	COL(s, channel, stor, INT, 0, 1, TFR_MAX_CHANNELS, "")

#define POINTS_COLUMNS \
	COL(tfr_point, frame, I64, INT, 0, 0, INDEX_MAX, ""), \
	COL(tfr_point, bin, I32, INT, 0, 0, 2147483647.0, ""), \
	COL(tfr_point, time, F64, FIXED, 9, -TIME_MAX, TIME_MAX, "s"), \
	/* a reassigned frequency near 0 Hz may be slightly negative */ \
	COL(tfr_point, freq, F64, FIXED, 6, -FREQ_MAX, FREQ_MAX, "Hz"), \
	COL(tfr_point, amp, F32, SIG, 6, 0, F32_MAX, ""), \
	COL(tfr_point, phase, F32, SIG, 6, -F32_MAX, F32_MAX, "rad"), \
	COL(tfr_point, mixed, F32, SIG, 4, -F32_MAX, F32_MAX, "")

static const tfr_column points_columns[] = { POINTS_COLUMNS };

const tfr_schema tfr_points_schema = {
	"points", 1, points_columns,
	sizeof points_columns / sizeof points_columns[0], sizeof(tfr_point),
	0, 0, need_rate
};

static const tfr_column points_ch_columns[] = {
	POINTS_COLUMNS, CHANNEL_COLUMN(tfr_point, I32)
};

static const tfr_schema points_ch_schema = {
	"points", 1, points_ch_columns,
	sizeof points_ch_columns / sizeof points_ch_columns[0], sizeof(tfr_point),
	0, 0, need_rate
};

#define PEAKS_COLUMNS \
	COL(tfr_peak, frame, I64, INT, 0, 0, INDEX_MAX, ""), \
	COL(tfr_peak, time, F64, FIXED, 9, -TIME_MAX, TIME_MAX, "s"), \
	COL(tfr_peak, freq, F64, FIXED, 6, 0, FREQ_MAX, "Hz"), \
	COL(tfr_peak, amp, F32, SIG, 6, 0, F32_MAX, ""), \
	COL(tfr_peak, phase, F32, SIG, 6, -F32_MAX, F32_MAX, "rad"), \
	COL(tfr_peak, bandwidth, F32, SIG, 4, 0, 1, ""), \
	COL(tfr_peak, mixed, F32, SIG, 4, -F32_MAX, F32_MAX, ""), \
	COL(tfr_peak, impulse, I32, INT, 0, 0, 1, "")

static const tfr_column peaks_columns[] = { PEAKS_COLUMNS };

const tfr_schema tfr_peaks_schema = {
	"peaks", 1, peaks_columns,
	sizeof peaks_columns / sizeof peaks_columns[0], sizeof(tfr_peak),
	0, 0, need_rate
};

static const tfr_column peaks_ch_columns[] = {
	PEAKS_COLUMNS, CHANNEL_COLUMN(tfr_peak, I32)
};

static const tfr_schema peaks_ch_schema = {
	"peaks", 1, peaks_ch_columns,
	sizeof peaks_ch_columns / sizeof peaks_ch_columns[0], sizeof(tfr_peak),
	0, 0, need_rate
};

/* the columns of a partials stream; a labelled one has one more */
#define PARTIALS_COLUMNS \
	COL(tfr_breakpoint, partial, I64, INT, 0, 0, INDEX_MAX, ""), \
	COL(tfr_breakpoint, time, F64, FIXED, 9, -TIME_MAX, TIME_MAX, "s"), \
	COL(tfr_breakpoint, freq, F64, FIXED, 6, 0, FREQ_MAX, "Hz"), \
	COL(tfr_breakpoint, amp, F32, SIG, 6, 0, F32_MAX, ""), \
	COL(tfr_breakpoint, phase, F32, SIG, 6, -F32_MAX, F32_MAX, "rad"), \
	COL(tfr_breakpoint, bandwidth, F32, SIG, 4, 0, 1, ""), \
	COL(tfr_breakpoint, end, I32, INT, 0, 0, 1, "")

static const tfr_column partials_columns[] = { PARTIALS_COLUMNS };

const tfr_schema tfr_partials_schema = {
	"partials", 1, partials_columns,
	sizeof partials_columns / sizeof partials_columns[0],
	sizeof(tfr_breakpoint), -1, 1, need_rate
};

/* The same kind with a label column last: what tfr-label writes and
 * what the tools that need labels read. A reader of plain partials
 * takes a labelled stream (more columns are ignored). */
static const tfr_column labelled_columns[] = {
	PARTIALS_COLUMNS,
	COL(tfr_breakpoint, label, I64, INT, 0, 0, 1000000.0, ""),
};

const tfr_schema tfr_labelled_partials_schema = {
	"partials", 1, labelled_columns,
	sizeof labelled_columns / sizeof labelled_columns[0],
	sizeof(tfr_breakpoint), -1, 1, need_rate
};

/* Channel-split partials, plain and labelled: the label (when there is
 * one) keeps its place, the channel comes last. */
static const tfr_column partials_ch_columns[] = {
	PARTIALS_COLUMNS, CHANNEL_COLUMN(tfr_breakpoint, I64)
};

static const tfr_schema partials_ch_schema = {
	"partials", 1, partials_ch_columns,
	sizeof partials_ch_columns / sizeof partials_ch_columns[0],
	sizeof(tfr_breakpoint), -1, 1, need_rate
};

static const tfr_column labelled_ch_columns[] = {
	PARTIALS_COLUMNS,
	COL(tfr_breakpoint, label, I64, INT, 0, 0, 1000000.0, ""),
	CHANNEL_COLUMN(tfr_breakpoint, I64)
};

static const tfr_schema labelled_ch_schema = {
	"partials", 1, labelled_ch_columns,
	sizeof labelled_ch_columns / sizeof labelled_ch_columns[0],
	sizeof(tfr_breakpoint), -1, 1, need_rate
};

const tfr_schema *tfr_schema_variant(const tfr_schema *s, int label, int channel)
{
	if (s == &tfr_points_schema || s == &points_ch_schema)
		return label ? NULL : channel ? &points_ch_schema : &tfr_points_schema;
	if (s == &tfr_peaks_schema || s == &peaks_ch_schema)
		return label ? NULL : channel ? &peaks_ch_schema : &tfr_peaks_schema;
	if (s == &tfr_partials_schema || s == &tfr_labelled_partials_schema ||
	    s == &partials_ch_schema || s == &labelled_ch_schema)
		return label ? (channel ? &labelled_ch_schema : &tfr_labelled_partials_schema)
		             : (channel ? &partials_ch_schema : &tfr_partials_schema);
	return NULL;
}

static const tfr_column f0_columns[] = {
	COL(tfr_f0_frame, time, F64, FIXED, 9, -TIME_MAX, TIME_MAX, "s"),
	COL(tfr_f0_frame, f0, F64, FIXED, 6, 0, FREQ_MAX, "Hz"),
	COL(tfr_f0_frame, voicing, F32, SIG, 9, 0, 1, ""),
	COL(tfr_f0_frame, salience, F32, SIG, 9, 0, 1, ""),
};

const tfr_schema tfr_f0_schema = {
	"f0", 1, f0_columns, sizeof f0_columns / sizeof f0_columns[0],
	sizeof(tfr_f0_frame), -1, 0, need_rate
};

/* A stochastic envelope (tfr-resynth --stochastic): one record per band
 * per frame, the frame's records sharing its time. */
static const tfr_column noise_columns[] = {
	COL(tfr_noise_band, time, F64, FIXED, 9, -TIME_MAX, TIME_MAX, "s"),
	COL(tfr_noise_band, lo, F64, FIXED, 6, 0, FREQ_MAX, "Hz"),
	COL(tfr_noise_band, hi, F64, FIXED, 6, 0, FREQ_MAX, "Hz"),
	COL(tfr_noise_band, power, F64, SIG, 9, 0, F32_MAX, ""),
};

const tfr_schema tfr_noise_schema = {
	"noise", 1, noise_columns, sizeof noise_columns / sizeof noise_columns[0],
	sizeof(tfr_noise_band), 0, 0, need_rate
};

/* Spectral descriptors (tfr-sdelay --describe): one record per channel
 * per analysis frame, the frame's records sharing its time. freq and
 * amp (the centroid and the level) are named so that tfr-image draws
 * the centroid's track without being told. */
static const tfr_column descriptors_columns[] = {
	COL(tfr_descriptor_frame, time, F64, FIXED, 9, -TIME_MAX, TIME_MAX, "s"),
	COL(tfr_descriptor_frame, channel, I32, INT, 0, 1, TFR_MAX_CHANNELS, ""),
	COL(tfr_descriptor_frame, freq, F64, FIXED, 6, 0, FREQ_MAX, "Hz"),
	COL(tfr_descriptor_frame, amp, F32, SIG, 9, 0, F32_MAX, ""),
	COL(tfr_descriptor_frame, flatness, F32, SIG, 9, 0, 1, ""),
	COL(tfr_descriptor_frame, flux, F32, SIG, 9, 0, 1, ""),
};

const tfr_schema tfr_descriptors_schema = {
	"descriptors", 1, descriptors_columns,
	sizeof descriptors_columns / sizeof descriptors_columns[0],
	sizeof(tfr_descriptor_frame), 0, 0, need_rate
};

const tfr_schema *tfr_schema_find(const char *kind)
{
	static const tfr_schema *const all[] = {
		&tfr_points_schema, &tfr_peaks_schema, &tfr_partials_schema,
		&tfr_f0_schema, &tfr_noise_schema, &tfr_descriptors_schema,
	};
	for (size_t i = 0; i < sizeof all / sizeof all[0]; i++)
		if (!strcmp(all[i]->kind, kind))
			return all[i];
	return NULL;
}

int tfr_schema_column(const tfr_schema *s, const char *name)
{
	for (size_t i = 0; i < s->ncolumns; i++)
		if (!strcmp(s->columns[i].name, name))
			return (int)i;
	return -1;
}
