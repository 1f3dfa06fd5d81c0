/*
 * tfr-select - partials kept or left by what they are over their whole
 * life (duration, breakpoints, level, frequency, time, label), the rest
 * written apart. Partials in, partials out, streaming. See tfr-select(1).
 */
#include "tool.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static void usage(void)
{
	printf(
"usage: tfr-select [-hVv] [--min-duration time] [--max-duration time]\n"
"                  [--min-points N] [--max-points N] [--min-amp dBFS]\n"
"                  [--max-amp dBFS] [--amp peak|mean] [-y freq] [-Y freq]\n"
"                  [--start time] [--duration time] [--labels list]\n"
"                  [-c channel] [--rest file] [-o file] [file]\n"
"Partials of a tfr partials stream (tfr-track) kept whole when all the\n"
"criteria hold; the others go to --rest, if given.\n"
"\n"
"      --min-duration=TIME  keep partials lasting at least TIME (s, or\n"
"                           with ms or s; default 0)\n"
"      --max-duration=TIME  ... at most TIME (default: no limit)\n"
"      --min-points=N       keep partials of at least N breakpoints\n"
"      --max-points=N       ... at most N\n"
"      --min-amp=DB         keep partials whose level reaches DB dBFS\n"
"      --max-amp=DB         ... stays at or below DB dBFS\n"
"      --amp=peak|mean      the level: the peak amplitude (default), or\n"
"                           the mean over the partial's time\n"
"  -y, --min-freq=FREQ      keep partials whose mean frequency (weighted\n"
"                           by amplitude) is at least FREQ (Hz or kHz)\n"
"  -Y, --max-freq=FREQ      ... at most FREQ\n"
"      --start=TIME         keep partials that sound after TIME (s)\n"
"      --duration=TIME      ... and before start + TIME\n"
"      --labels=LIST        keep partials of these labels (tfr-label):\n"
"                           numbers and ranges, '1-10,12'; 0 unlabelled\n"
"  -c, --channel=N          of a channel-split stream (tfr-reassign\n"
"                           --channels split), channel N alone, as a\n"
"                           stream of that channel (as tfr-reassign -c N\n"
"                           makes); the other channels go to neither\n"
"                           output (default: every channel, the column\n"
"                           kept)\n"
"      --rest=FILE          write the partials not kept to FILE\n"
"  -o, --output=FILE        write to FILE instead of standard output\n"
"  -v, --verbose            print what was kept on stderr\n"
"  -h, --help               show this help and exit\n"
"  -V, --version            show the version and exit\n");
}

typedef struct {
	const char *input, *output, *rest;
	tfr_select_params p;
	int64_t labels[TFR_SELECT_MAX_LABELS];
	int have_start, have_duration, verbose;
	int channel;  /* --channel, 0: all */
	double start, duration;
} options;

/* "1-10,12,0": the labels, each once, in p->labels. */
static void parse_labels(options *o, const char *arg)
{
	const char *s = arg;
	size_t n = 0;
	for (;;) {
		char *end;
		long long lo = strtoll(s, &end, 10), hi = lo;
		if (end == s || lo < 0)
			goto bad;
		s = end;
		if (*s == '-') {
			hi = strtoll(s + 1, &end, 10);
			if (end == s + 1 || hi < lo)
				goto bad;
			s = end;
		}
		if (hi - lo >= TFR_SELECT_MAX_LABELS ||
		    n + (size_t)(hi - lo + 1) > TFR_SELECT_MAX_LABELS)
			tool_usage_error("--labels: at most %d labels", TFR_SELECT_MAX_LABELS);
		for (long long k = lo; k <= hi; k++)
			o->labels[n++] = k;
		if (!*s)
			break;
		if (*s++ != ',')
			goto bad;
	}
	o->p.labels = o->labels;
	o->p.nlabels = n;
	return;
bad:
	tool_usage_error("--labels: '%s' is not a list of labels such as '1-10,12'", arg);
}

static double amp_of(const char *opt, const char *arg)
{
	return pow(10.0, tool_parse_level(opt, arg, 1) / 20.0);
}

static void parse(int argc, char **argv, options *o)
{
	static const char *const names[] = {
		"min-duration", "max-duration", "min-points", "max-points",
		"min-amp", "max-amp", "amp", "min-freq", "max-freq", "start",
		"duration", "labels", "channel", "rest", "output", "verbose", "help",
		"version", NULL
	};
	static const char *const amps[] = { "mean", "peak", NULL };
	tfr_select_params_default(&o->p);
	const char *opt, *arg;
	while ((opt = tool_next_option(argc, argv, names, &arg, usage))) {
		if (!strcmp(opt, "min-duration"))
			o->p.min_duration = tool_parse_time(opt, arg, TFR_UNIT_SECONDS).value;
		else if (!strcmp(opt, "max-duration"))
			o->p.max_duration = tool_parse_time(opt, arg, TFR_UNIT_SECONDS).value;
		else if (!strcmp(opt, "min-points"))
			o->p.min_points = tool_parse_int(opt, arg, 1, INT64_MAX);
		else if (!strcmp(opt, "max-points"))
			o->p.max_points = tool_parse_int(opt, arg, 1, INT64_MAX);
		else if (!strcmp(opt, "min-amp"))
			o->p.min_amp = amp_of(opt, arg);
		else if (!strcmp(opt, "max-amp"))
			o->p.max_amp = amp_of(opt, arg);
		else if (!strcmp(opt, "amp"))
			o->p.amp_peak = tool_parse_choice(opt, arg, amps);
		else if (!strcmp(opt, "min-freq") || !strcmp(opt, "max-freq")) {
			tfr_quantity q = tool_parse_freq(opt, arg);
			if (q.unit != TFR_UNIT_HZ)
				tool_usage_error("--%s: give it in Hz", opt);
			*(opt[1] == 'i' ? &o->p.min_freq : &o->p.max_freq) = q.value;
		} else if (!strcmp(opt, "start"))
			o->start = tool_parse_time(opt, arg, TFR_UNIT_SECONDS).value;
		else if (!strcmp(opt, "duration")) {
			o->duration = tool_parse_time(opt, arg, TFR_UNIT_SECONDS).value;
			o->have_duration = 1;
		} else if (!strcmp(opt, "labels"))
			parse_labels(o, arg);
		else if (!strcmp(opt, "channel"))
			o->channel = (int)tool_parse_int(opt, arg, 1, TFR_MAX_CHANNELS);
		else if (!strcmp(opt, "rest"))
			o->rest = arg;
		else if (!strcmp(opt, "output"))
			o->output = arg;
		else if (!strcmp(opt, "verbose"))
			o->verbose = 1;
	}
	o->input = tool_input_operand(argc, argv);
	/* a start alone is the time from there on */
	if (o->have_start)
		o->p.from = o->start;
	if (o->have_duration)
		o->p.to = (o->have_start ? o->start : 0) + o->duration;
	tfr_diag d;
	if (tfr_select_check(&o->p, &d) != TFR_OK)
		tool_usage_error("%s", d.text);
}

/* The kept or the rest of what became ready. */
static void put(tool_output *out, tfr_stream_writer *w, tfr_select *s, int rest)
{
	size_t n;
	const tfr_breakpoint *bp = tfr_select_ready(s, rest, &n);
	if (n && out)
		tool_stream_write(out, w, bp, n);
}

/* --channel: the header of a stream of that channel (NULL without). */
static tfr_meta *channel_meta(const options *o, const tfr_stream_reader *in,
                              int split)
{
	if (!o->channel)
		return NULL;
	if (!split)
		tool_usage_error("--channel: %s is not channel-split (no 'channel' "
		                 "column: tfr-reassign --channels split makes one)",
		                 tool_input_label(o->input));
	double nch = tool_stream_meta(in, "source_channels", 1, TFR_MAX_CHANNELS);
	if (o->channel > nch)
		tool_usage_error("--channel: %d, but %s has %g channel(s)", o->channel,
		                 tool_input_label(o->input), nch);
	tfr_meta *m = tfr_meta_new();
	if (!m || tfr_meta_set_int(m, "channel", o->channel) != TFR_OK)
		tool_die(TOOL_EXIT_FAIL, "out of memory");
	return m;
}

int main(int argc, char **argv)
{
	options o;
	memset(&o, 0, sizeof o);
	tool_init("tfr-select", argc, argv);
	parse(argc, argv, &o);
	tool_check_output(o.output, o.input);
	if (o.rest) {
		tool_check_output(o.rest, o.input);
		/* -o - and --rest - would interleave two streams */
		if (!strcmp(o.rest, o.output ? o.output : "-"))
			tool_usage_error("--rest %s: the same output as -o", o.rest);
	}

	tool_accept_split();
	tfr_stream_reader *in = tool_stream_open(o.input, &tfr_partials_schema);
	int labels = tool_stream_labels(in, o.p.nlabels ? "--labels" : NULL);
	int split = tool_stream_split(in);
	tfr_meta *meta = channel_meta(&o, in, split);
	/* one channel out of a split stream is a stream of that channel */
	const tfr_schema *schema = tfr_schema_variant(&tfr_partials_schema, labels,
	                                              split && !o.channel);
	tfr_diag d;
	tfr_select *s = tfr_select_new(&o.p, &d);
	if (!s)
		tool_die(TOOL_EXIT_FAIL, "%s", d.text);
	tool_output *out = tool_output_open(o.output, 0);
	tfr_stream_writer *w = tool_stream_create(out, schema, in, meta);
	tool_output *rout = o.rest ? tool_output_open(o.rest, 0) : NULL;
	tfr_stream_writer *rw = rout ? tool_stream_create(rout, schema, in, meta) : NULL;

	enum { BATCH = 256 };
	tfr_breakpoint bp[BATCH];
	size_t n = 0;
	int more;
	do {
		more = tool_stream_read(in, &bp[n]) > 0;
		if (more && o.channel && bp[n].channel != o.channel)
			continue;  /* another channel's: in neither output */
		if (more && ++n < BATCH)
			continue;
		int e = tfr_select_process(s, bp, n);
		if (e != TFR_OK)
			tool_die(TOOL_EXIT_FAIL, "%s", tfr_strerror(e));
		put(out, w, s, 0);
		put(rout, rw, s, 1);
		n = 0;
	} while (more);
	if (tfr_select_flush(s) != TFR_OK)
		tool_die(TOOL_EXIT_FAIL, "out of memory");
	put(out, w, s, 0);
	put(rout, rw, s, 1);
	if (o.verbose) {
		tfr_select_stats st;
		tfr_select_get_stats(s, &st);
		tool_warn("kept %lld partials (%lld breakpoints), left %lld (%lld "
		          "breakpoints)", (long long)st.kept, (long long)st.kept_points,
		          (long long)st.dropped, (long long)st.dropped_points);
	}
	if (rout)
		tool_stream_close(rout, rw, in, NULL);
	tool_stream_close(out, w, in, NULL);
	tool_stream_close_input(in);
	tfr_select_free(s);
	tfr_meta_free(meta);
	return TOOL_EXIT_OK;
}
