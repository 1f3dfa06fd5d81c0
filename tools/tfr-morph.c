/*
 * tfr-morph - Loris's Morpher from the shell: two labelled partial
 * streams (tfr-label), partials of the same label paired, frequency,
 * amplitude and bandwidth morphed by weights that may change over time.
 * Partials in, partials out, streaming. See tfr-morph(1).
 */
#include "tool.h"

#include <getopt.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

static void usage(void)
{
	printf(
"usage: tfr-morph [-hVv] [--morph W] [--morph-freq W] [--morph-amp W]\n"
"                 [--morph-bandwidth W] [--log-freq] [--linear-amp]\n"
"                 [-o file] A B\n"
"The morph of two labelled tfr partials streams (tfr-label): partials of\n"
"the same label paired, the others faded in or out.\n"
"\n"
"      --morph=W            the weight of B in everything: 0 is A, 1 is B\n"
"                           (default 0.5); a constant, 'T:W,T:W...' (s),\n"
"                           or a file of 'T W' lines\n"
"      --morph-freq=W       ... in the frequencies only\n"
"      --morph-amp=W        ... in the amplitudes only\n"
"      --morph-bandwidth=W  ... in the bandwidths only\n"
"      --log-freq           morph frequencies in the log domain (default\n"
"                           linear)\n"
"      --linear-amp         morph amplitudes and bandwidths linearly\n"
"                           (default: in the log domain, Loris's)\n"
"  -o, --output=FILE        write to FILE instead of standard output\n"
"  -v, --verbose            print what was paired on stderr\n"
"  -h, --help               show this help and exit\n"
"  -V, --version            show the version and exit\n");
}

typedef struct {
	const char *a, *b, *output;
	tool_envelope env[3];      /* freq, amp, bandwidth */
	int have[3];
	tfr_morph_params p;
	int verbose;
} options;

static void parse(int argc, char **argv, options *o)
{
	static const char *const names[] = {
		"morph", "morph-freq", "morph-amp", "morph-bandwidth", "log-freq",
		"linear-amp", "output", "verbose", "help", "version", NULL
	};
	static const char *const kinds[] = { "frequency morph", "amplitude morph",
	                                     "bandwidth morph" };
	tfr_morph_params_default(&o->p);
	const char *opt, *arg;
	while ((opt = tool_next_option(argc, argv, names, &arg, usage))) {
		int k = !strcmp(opt, "morph-freq") ? 0 : !strcmp(opt, "morph-amp") ? 1
		      : !strcmp(opt, "morph-bandwidth") ? 2 : -1;
		if (!strcmp(opt, "morph")) {
			for (int i = 0; i < 3; i++) {
				tool_envelope_arg(&o->env[i], kinds[i], arg);
				o->have[i] = 1;
			}
		} else if (k >= 0) {
			tool_envelope_arg(&o->env[k], kinds[k], arg);
			o->have[k] = 1;
		} else if (!strcmp(opt, "log-freq")) {
			o->p.log_freq = 1;
		} else if (!strcmp(opt, "linear-amp")) {
			o->p.lin_amp = 1;
		} else if (!strcmp(opt, "output")) {
			o->output = arg;
		} else if (!strcmp(opt, "verbose")) {
			o->verbose = 1;
		}
	}
	if (argc - optind != 2)
		tool_usage_error("two inputs are needed, A and B");
	o->a = argv[optind];
	o->b = argv[optind + 1];
	if (!strcmp(o->a, "-") && !strcmp(o->b, "-"))
		tool_usage_error("A and B cannot both be standard input");
	const tfr_envelope **e[3] = { &o->p.freq, &o->p.amp, &o->p.bw };
	for (int i = 0; i < 3; i++)
		if (o->have[i]) {
			tool_envelope_load(&o->env[i], TFR_MAP_TIME, TFR_MAP_NUMBER);
			tool_envelope_range(&o->env[i], 0, 1, "weight");
			*e[i] = o->env[i].env;
		}
}

/* One source: its reader, the breakpoint read ahead. */
typedef struct {
	tfr_stream_reader *r;
	tfr_breakpoint next;
	int have;
} source;

static void advance(source *s)
{
	s->have = tool_stream_read(s->r, &s->next) > 0;
}

static void put_ready(tool_output *out, tfr_stream_writer *w, tfr_morph *m)
{
	size_t n;
	const tfr_breakpoint *b = tfr_morph_ready(m, &n);
	if (n)
		tool_stream_write(out, w, b, n);
}

/* Channel-split sources pair their partials within a channel: both
 * split with as many channels, or neither (B's header is faulted).
 * Returns 1 for split. */
static int check_channels(const tfr_stream_reader *a, const tfr_stream_reader *b,
                          const char *bname)
{
	int sa = tool_stream_split(a), sb = tool_stream_split(b);
	double ca = sa ? tool_stream_meta(a, "source_channels", 1, TFR_MAX_CHANNELS) : 1;
	double cb = sb ? tool_stream_meta(b, "source_channels", 1, TFR_MAX_CHANNELS) : 1;
	if (sa == sb && ca == cb)
		return sa;
	tfr_diag d;
	if (sa != sb)
		tfr_diag_setf(&d, TFR_EFORMAT, "header: %s, A's %s (morph streams "
		              "split alike, or one channel of each: tfr-select --channel N)",
		              sb ? "channel-split" : "not channel-split",
		              sa ? "is" : "is not");
	else
		tfr_diag_setf(&d, TFR_EFORMAT, "header: %g channels, A has %g (a "
		              "channel of each: tfr-select --channel N)", cb, ca);
	tfr_diag_at(&d, tfr_stream_reader_header_end(b), 0);
	tool_die_diag(tool_input_label(bname), &d);
}

int main(int argc, char **argv)
{
	options o;
	memset(&o, 0, sizeof o);
	tool_init("tfr-morph", argc, argv);
	parse(argc, argv, &o);
	tool_check_output(o.output, o.a);
	tool_check_output(o.output, o.b);

	source src[2] = { { NULL, { 0 }, 0 }, { NULL, { 0 }, 0 } };
	const char *name[2] = { o.a, o.b };
	tool_accept_split();
	for (int i = 0; i < 2; i++) {
		src[i].r = tool_stream_open(name[i], &tfr_partials_schema);
		tool_stream_labels(src[i].r, "partials are paired by label");
	}
	int split = check_channels(src[0].r, src[1].r, o.b);
	double ra = tool_stream_meta(src[0].r, "sample_rate", 1, TFR_MAX_SAMPLE_RATE);
	double rb = tool_stream_meta(src[1].r, "sample_rate", 1, TFR_MAX_SAMPLE_RATE);
	if (ra != rb) {
		tfr_diag d;
		tfr_diag_setf(&d, TFR_EFORMAT, "header: sample rate %g Hz, A's is %g Hz "
		              "(resynthesise one at the other's rate first)", rb, ra);
		tfr_diag_at(&d, tfr_stream_reader_header_end(src[1].r), 0);
		tool_die_diag(tool_input_label(o.b), &d);
	}
	tfr_diag d;
	tfr_morph *m = tfr_morph_new(&o.p, &d);
	if (!m)
		tool_die(TOOL_EXIT_FAIL, "%s", d.text);
	tool_output *out = tool_output_open(o.output, 0);
	tfr_meta *meta = tfr_meta_new();
	if (!meta)
		tool_die(TOOL_EXIT_FAIL, "out of memory");
	tool_meta_set(meta, "morph_b", "%s", tool_meta_text(tool_input_label(o.b)));
	tfr_stream_writer *w = tool_stream_create(
		out, tfr_schema_variant(&tfr_partials_schema, 1, split), src[0].r, meta);
	advance(&src[0]);
	advance(&src[1]);
	/* the two streams merged by time, A first at a tie */
	while (src[0].have || src[1].have) {
		int s = !src[0].have ? 1 : !src[1].have ? 0
		      : src[1].next.time < src[0].next.time;
		int e = tfr_morph_process(m, s, &src[s].next, 1);
		if (e != TFR_OK)
			tool_die(TOOL_EXIT_FAIL, "%s", tfr_strerror(e));
		put_ready(out, w, m);
		advance(&src[s]);
	}
	if (tfr_morph_flush(m) != TFR_OK)
		tool_die(TOOL_EXIT_FAIL, "out of memory");
	put_ready(out, w, m);
	if (o.verbose) {
		tfr_morph_stats st;
		tfr_morph_get_stats(m, &st);
		tool_warn("%lld partials of paired labels, %lld of one source alone, "
		          "%lld breakpoints", (long long)st.paired, (long long)st.single,
		          (long long)st.breakpoints);
	}
	tool_stream_close(out, w, src[0].r, NULL);
	for (int i = 0; i < 2; i++)
		tool_stream_close_input(src[i].r);
	for (int i = 0; i < 3; i++)
		tfr_envelope_free(o.env[i].env);
	tfr_meta_free(meta);
	tfr_morph_free(m);
	return TOOL_EXIT_OK;
}
