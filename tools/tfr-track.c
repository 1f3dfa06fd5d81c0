/*
 * tfr-track - partials from a peaks stream: peaks linked frame to frame
 * (gaps bridged, frequencies predicted, competing links resolved by a
 * global cost), frequencies made to agree with the measured phases.
 * Peaks in, partials out, streaming. See tfr-track(1).
 */
#include "tool.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Drift from resolution: Loris takes half of it; speech44k at the
 * default analysis (110 Hz): drift 50 Hz 15.3 dB SNR, 60 Hz 15.5, 66 Hz
 * and 70 Hz 15.5 (harmonics of a voice move farther in a frame than a
 * line through the last breakpoints predicts). */
#define DRIFT_PER_RESOLUTION 0.6
/* dB below the loudest peak so far beneath which a whole partial is
 * dropped, the reference decaying by RANGE_DECAY dB/s: a quiet passage
 * is judged against a loud one for a few seconds (where the loud one
 * masks it), on its own after about 10 s. On 5 s of speech this drops
 * the background between words: 3419 -> 2230 partials, SNR 16.25 ->
 * 16.23 dB (range 50 dB: 3110; 60 dB: 3419; no decay: 1881). */
#define RANGE_DECAY 3.0

static void usage(void)
{
	printf(
"usage: tfr-track [-hVv] [-R Hz] [--link predict|nearest] [--max-drift Hz]\n"
"                 [--max-gap frames|time] [--min-duration time]\n"
"                 [--min-amp dBFS] [-z dB] [--phase-correct on|off]\n"
"                 [--onsets on|off] [-o file] [file]\n"
"Partials from a tfr peaks stream (tfr-peaks): one breakpoint per line,\n"
"tagged with its partial, in time order.\n"
"\n"
"      --link=MODE          predict (default: gaps bridged, frequencies\n"
"                           predicted, a global cost) or nearest (Loris:\n"
"                           the previous frame only, nearest frequency)\n"
"  -R, --resolution=FREQ    the analysis' frequency resolution; the drift\n"
"                           defaults to 0.6 of it (default: the stream's)\n"
"      --max-drift=FREQ     largest distance of a peak from a partial's\n"
"                           predicted frequency (default 0.6 resolution,\n"
"                           else 40 Hz)\n"
"      --max-gap=N          frames a partial may miss and continue (a\n"
"                           time with ms or s is rounded to frames;\n"
"                           default 3)\n"
"      --min-duration=TIME  drop shorter partials (seconds, or with ms or\n"
"                           s; default two frames)\n"
"      --min-amp=DB         drop partials that never reach DB dBFS\n"
"  -z, --range=DB           drop partials that stay more than DB below the\n"
"                           loudest peak so far, which decays by 3 dB/s\n"
"                           (default inf: keeps all)\n"
"      --phase-correct=on|off  frequencies that integrate to the phases:\n"
"                           a pull of at most 0.2 %% and midpoints where\n"
"                           needed (default on; tfr-track(1))\n"
"      --onsets=on|off      partials start silent at onsets (drum hits,\n"
"                           plucks): no pre-echo (default on; predict)\n"
"  -o, --output=FILE        write to FILE instead of standard output\n"
"  -v, --verbose            print the parameters and counts on stderr\n"
"  -h, --help               show this help and exit\n"
"  -V, --version            show the version and exit\n"
"\n"
"Output columns: partial time freq amp phase bandwidth end (see tfr(5)).\n");
}

typedef struct {
	const char *input, *output;
	tfr_track_params p;
	tfr_quantity gap, min_dur;
	double resolution, drift;
	int have_gap, have_min_dur, have_range, verbose;
} options;

static double hz(const char *opt, const char *arg)
{
	tfr_quantity q = tool_parse_freq(opt, arg);
	if (q.unit != TFR_UNIT_HZ)
		tool_usage_error("--%s: give it in Hz", opt);
	return q.value;
}

static void parse(int argc, char **argv, options *o)
{
	static const char *const names[] = {
		"link", "resolution", "max-drift", "max-gap", "min-duration",
		"min-amp", "range", "phase-correct", "onsets", "output", "verbose", "help",
		"version", NULL
	};
	static const char *const links[] = { "predict", "nearest", NULL };
	static const char *const onoff[] = { "off", "on", NULL };
	tfr_track_params_default(&o->p);
	const char *opt, *arg;
	while ((opt = tool_next_option(argc, argv, names, &arg, usage))) {
		if (!strcmp(opt, "link"))
			o->p.link = tool_parse_choice(opt, arg, links)
			          ? TFR_TRACK_NEAREST : TFR_TRACK_PREDICT;
		else if (!strcmp(opt, "resolution"))
			o->resolution = hz(opt, arg);
		else if (!strcmp(opt, "max-drift"))
			o->drift = hz(opt, arg);
		else if (!strcmp(opt, "max-gap")) {
			o->gap = tool_parse_time(opt, arg, TFR_UNIT_SAMPLES);
			o->have_gap = 1;
		} else if (!strcmp(opt, "min-duration")) {
			o->min_dur = tool_parse_time(opt, arg, TFR_UNIT_SECONDS);
			o->have_min_dur = 1;
		} else if (!strcmp(opt, "min-amp"))
			o->p.min_amp_db = tool_parse_level(opt, arg, 1);
		else if (!strcmp(opt, "range")) {
			o->have_range = 1;
			o->p.range_db = !strcmp(arg, "inf") ? INFINITY
			              : tool_parse_level(opt, arg, 0);
			if (!(o->p.range_db > 0))
				tool_usage_error("--range: give a level above 0 dB, or inf");
		}
		else if (!strcmp(opt, "phase-correct"))
			o->p.phase_correct = tool_parse_choice(opt, arg, onoff);
		else if (!strcmp(opt, "onsets"))
			o->p.onsets = tool_parse_choice(opt, arg, onoff);
		else if (!strcmp(opt, "output"))
			o->output = arg;
		else if (!strcmp(opt, "verbose"))
			o->verbose = 1;
	}
	o->input = tool_input_operand(argc, argv);
}

/* The analysis window's second moment (s^2), for the curvature
 * corrections, from the stream's window and length; 0 if it has none. */
static double window_m2(const tfr_stream_reader *r, double fs)
{
	double len = tool_stream_meta_or(r, "window_length", 0, TFR_MAX_FFT_SIZE, 0);
	if (len < 2)
		return 0;
	tfr_window_spec spec = tool_stream_meta_window(r);
	double *w = malloc((size_t)len * sizeof *w);
	if (!w)
		tool_die(TOOL_EXIT_FAIL, "out of memory");
	double m2 = tfr_window_fill(&spec, (size_t)len, w, NULL) == TFR_OK
	          ? tfr_track_window_m2(w, (size_t)len, fs) : 0;
	free(w);
	return m2;
}

/* The parameters for this stream: from the options, else derived from
 * the stream's analysis (frame period, resolution). */
static void resolve(options *o, const tfr_stream_reader *r)
{
	tfr_track_params *p = &o->p;
	p->sample_rate = tool_stream_meta(r, "sample_rate", 1, TFR_MAX_SAMPLE_RATE);
	double hop = tool_stream_meta(r, "hop", 1, TFR_MAX_FFT_SIZE);
	p->frame_period = hop / p->sample_rate;
	if (o->resolution <= 0)
		o->resolution = tool_stream_meta_or(r, "resolution", 0, 1e6, 0);
	if (o->drift > 0)
		p->max_drift = o->drift;
	else if (o->resolution > 0)
		p->max_drift = DRIFT_PER_RESOLUTION * o->resolution;
	if (o->have_gap) {
		/* frames: a bare number is frames here, a time is rounded */
		double g = o->gap.unit == TFR_UNIT_SAMPLES ? o->gap.value
		         : floor(o->gap.value / p->frame_period + 0.5);
		if (g > 1000)
			tool_usage_error("--max-gap: %g frames is more than 1000", g);
		p->max_gap = (int)g;
	}
	/* Loris's linker (the baseline) keeps every partial, as Loris does */
	int plain = p->link == TFR_TRACK_NEAREST;
	p->min_duration = o->have_min_dur ? o->min_dur.value
	                : plain ? 0 : 2 * p->frame_period;
	/* the tracker's bound, said in the option's terms */
	if (o->have_min_dur && !(p->min_duration <= 1e6 * p->frame_period))
		tool_usage_error("--min-duration: %g s is more than 10^6 frames "
		                 "(%g s at this stream's hop)", p->min_duration,
		                 1e6 * p->frame_period);
	/* no range gate by default: 40 dB below the loudest took away what
	 * ears hear (a flute 23 dB too quiet at 6-11 kHz; log-spectral
	 * distance 6.8 -> 4.6 dB without it); tfr-peaks' floor (-90 dBFS)
	 * is the only one */
	if (!o->have_range)
		p->range_db = INFINITY;
	p->range_decay = RANGE_DECAY;
	p->window_m2 = window_m2(r, p->sample_rate);
	tfr_diag d;
	if (tfr_track_check(p, &d) != TFR_OK)
		tool_usage_error("%s", d.text);
}

static void print_params(const options *o)
{
	const tfr_track_params *p = &o->p;
	tool_warn("frame period %g s; link %s, drift %g Hz%s, gaps up to %d frames",
	          p->frame_period, p->link == TFR_TRACK_NEAREST ? "nearest" : "predict",
	          p->max_drift, o->resolution > 0 ? " (0.6 resolution)" : "",
	          p->link == TFR_TRACK_NEAREST ? 0 : p->max_gap);
	tool_warn("partials shorter than %g s, below %g dBFS or more than %g dB "
	          "below the loudest peak dropped; phase correction %s (pulls "
	          "up to %g %%, midpoints beyond %g rad); breakpoints %g s apart "
	          "or more; onsets %s", p->min_duration, p->min_amp_db, p->range_db,
	          p->phase_correct ? "on" : "off", 100 * p->max_nudge,
	          p->phase_tolerance, p->min_spacing > 0 ? p->min_spacing
	                                                 : 0.25 * p->frame_period,
	          p->onsets && p->link == TFR_TRACK_PREDICT ? "on" : "off");
}

static tfr_meta *make_meta(const options *o)
{
	const tfr_track_params *p = &o->p;
	tfr_meta *m = tfr_meta_new();
	int e = m ? TFR_OK : TFR_ENOMEM;
	if (!e) e = tfr_meta_set(m, "track_link", p->link == TFR_TRACK_NEAREST
	                                          ? "nearest" : "predict");
	if (!e) e = tfr_meta_set_double(m, "track_max_drift", p->max_drift);
	if (!e) e = tfr_meta_set_int(m, "track_max_gap", p->max_gap);
	if (!e) e = tfr_meta_set_double(m, "track_min_duration", p->min_duration);
	if (!e && isfinite(p->range_db))
		e = tfr_meta_set_double(m, "track_range_db", p->range_db);
	if (!e) e = tfr_meta_set(m, "track_phase_correct", p->phase_correct ? "on" : "off");
	if (!e) e = tfr_meta_set(m, "track_onsets", p->onsets ? "on" : "off");
	if (e)
		tool_die(TOOL_EXIT_FAIL, "%s", tfr_strerror(e));
	return m;
}

static void put_ready(tool_output *out, tfr_stream_writer *w, tfr_track *t)
{
	size_t n;
	const tfr_breakpoint *bp = tfr_track_ready(t, &n);
	if (n)
		tool_stream_write(out, w, bp, n);
}

/* The first peak of pk[i..j-1] below its predecessor's frequency
 * (the line a refused frame is reported at). */
static size_t first_out_of_order(const tfr_peak *pk, size_t i, size_t j)
{
	for (size_t k = i + 1; k < j; k++)
		if (!(pk[k].freq >= pk[k - 1].freq))
			return k;
	return i;
}

static _Noreturn void bad_order(const tfr_stream_reader *in, const tfr_peak *pk,
                                size_t i, size_t j)
{
	tool_frame_error(in, first_out_of_order(pk, i, j),
	                 "the peaks of a frame are not in ascending frequency");
}

/* A channel-split stream: a tracker per channel (each promising how far
 * it has gone), their partials merged into one stream. */
typedef struct {
	int nch;
	tfr_track **t;
	tfr_track_merge *mg;
} tracks;

static void tracks_open(tracks *ts, const tfr_stream_reader *in,
                        const tfr_track_params *p)
{
	tfr_diag d;
	ts->nch = (int)tool_stream_meta(in, "source_channels", 1, TFR_MAX_CHANNELS);
	tfr_track_params q = *p;
	q.strict_horizon = 1;
	if (!(ts->t = calloc((size_t)ts->nch, sizeof *ts->t)) ||
	    !(ts->mg = tfr_track_merge_new(ts->nch, &d)))
		tool_die(TOOL_EXIT_FAIL, "out of memory");
	for (int c = 0; c < ts->nch; c++)
		if (!(ts->t[c] = tfr_track_new(&q, &d)))
			tool_die(TOOL_EXIT_FAIL, "%s", d.text);
}

/* Tracker c's new breakpoints to the merge. */
static void tracks_pass(tracks *ts, int c)
{
	size_t n;
	const tfr_breakpoint *bp = tfr_track_ready(ts->t[c], &n);
	if (tfr_track_merge_process(ts->mg, c + 1, bp, n,
	                            tfr_track_horizon(ts->t[c])) != TFR_OK)
		tool_die(TOOL_EXIT_FAIL, "out of memory");
}

static void tracks_out(tracks *ts, tool_output *out, tfr_stream_writer *w)
{
	size_t n;
	const tfr_breakpoint *bp = tfr_track_merge_ready(ts->mg, &n);
	if (!bp)
		tool_die(TOOL_EXIT_FAIL, "out of memory");
	if (n)
		tool_stream_write(out, w, bp, n);
}

/* A frame of every channel (runs of ascending channel; a channel
 * without peaks gets an empty frame, which moves its horizon on). */
static void tracks_frame(tracks *ts, const tfr_stream_reader *in,
                         const tfr_peak *pk, size_t n, tool_output *out,
                         tfr_stream_writer *w)
{
	size_t i = 0;
	for (int c = 1; c <= ts->nch; c++) {
		size_t j = i;
		while (j < n && pk[j].channel == c)
			j++;
		if (tfr_track_process(ts->t[c - 1], pk[0].frame, pk + i, j - i) != TFR_OK)
			bad_order(in, pk, i, j);
		tracks_pass(ts, c - 1);
		i = j;
	}
	if (i < n)
		tool_frame_error(in, i, pk[i].channel > ts->nch
		              ? "channel: more than the header's source_channels"
		              : "the channels of a frame are not in ascending order");
	tracks_out(ts, out, w);
}

static void tracks_end(tracks *ts, tool_output *out, tfr_stream_writer *w)
{
	for (int c = 0; c < ts->nch; c++) {
		if (tfr_track_flush(ts->t[c]) != TFR_OK)
			tool_die(TOOL_EXIT_FAIL, "out of memory");
		tracks_pass(ts, c);
	}
	tfr_track_merge_flush(ts->mg);
	tracks_out(ts, out, w);
}

/* The trackers' counts added up. */
static void tracks_stats(const tracks *ts, tfr_track_stats *st)
{
	memset(st, 0, sizeof *st);
	for (int c = 0; c < ts->nch; c++) {
		tfr_track_stats x;
		tfr_track_get_stats(ts->t[c], &x);
		st->partials += x.partials;
		st->breakpoints += x.breakpoints;
		st->dropped += x.dropped;
		st->onsets += x.onsets;
		st->onset_starts += x.onset_starts;
		st->merged += x.merged;
	}
}

static void tracks_free(tracks *ts)
{
	for (int c = 0; c < ts->nch; c++)
		tfr_track_free(ts->t[c]);
	free(ts->t);
	tfr_track_merge_free(ts->mg);
}

int main(int argc, char **argv)
{
	options o;
	memset(&o, 0, sizeof o);
	tool_init("tfr-track", argc, argv);
	parse(argc, argv, &o);
	tool_check_output(o.output, o.input);

	tool_accept_split();
	tfr_stream_reader *in = tool_stream_open(o.input, &tfr_peaks_schema);
	int split = tool_stream_split(in);
	resolve(&o, in);
	if (o.verbose)
		print_params(&o);
	tfr_diag d;
	tfr_track *t = tfr_track_new(&o.p, &d);
	if (!t)
		tool_die(TOOL_EXIT_FAIL, "%s", d.text);
	tracks ts = { 0 };
	if (split)
		tracks_open(&ts, in, &o.p);
	tfr_meta *meta = make_meta(&o);
	tool_output *out = tool_output_open(o.output, 0);
	tfr_stream_writer *w = tool_stream_create(
		out, tfr_schema_variant(&tfr_partials_schema, 0, split), in, meta);

	const void *recs;
	size_t n;
	while (tool_stream_read_frame(in, &recs, &n) > 0) {
		const tfr_peak *pk = recs;
		if (split) {
			tracks_frame(&ts, in, pk, n, out, w);
			continue;
		}
		if (tfr_track_process(t, pk[0].frame, pk, n) != TFR_OK)
			bad_order(in, pk, 0, n);
		put_ready(out, w, t);
	}
	if (split) {
		tracks_end(&ts, out, w);
	} else {
		if (tfr_track_flush(t) != TFR_OK)
			tool_die(TOOL_EXIT_FAIL, "out of memory");
		put_ready(out, w, t);
	}
	if (o.verbose) {
		tfr_track_stats st;
		if (split)
			tracks_stats(&ts, &st);
		else
			tfr_track_get_stats(t, &st);
		tool_warn("%lld partials, %lld breakpoints (%.1f per partial), %lld "
		          "partials dropped by the filters; %lld onsets, %lld partials "
		          "started at them; %lld peaks merged into their partial's "
		          "previous breakpoint (closer than the spacing)",
		          (long long)st.partials, (long long)st.breakpoints,
		          st.partials ? (double)st.breakpoints / (double)st.partials : 0.0,
		          (long long)st.dropped, (long long)st.onsets,
		          (long long)st.onset_starts, (long long)st.merged);
	}
	tool_stream_close(out, w, in, NULL);

	tool_stream_close_input(in);
	tracks_free(&ts);
	tfr_track_free(t);
	tfr_meta_free(meta);
	return TOOL_EXIT_OK;
}
