/*
 * options.c - the one option vocabulary of the tfr tools, and parsing of
 * option values in the one unit grammar (tfr_units.h).
 *
 * Every long option any tool takes is listed here once, with its short
 * letter: a letter means the same option in every tool, and an option
 * has the same letter in every tool that takes it (tests/tool_common.sh
 * checks it on every tool's --help). Expert options have no letter.
 */
#include "tool.h"

#include <getopt.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
	const char *name;
	int letter;        /* 0: long only */
	int has_arg;
	const char *alias; /* another long name for the same option */
} vocab;

static const vocab vocabulary[] = {
	/* every tool */
	{ "help", 'h', 0, NULL },
	{ "version", 'V', 0, NULL },
	{ "verbose", 'v', 0, NULL },
	{ "output", 'o', 1, NULL },
	/* analysis of audio */
	{ "window", 'w', 1, NULL },
	{ "window-length", 'l', 1, NULL },
	{ "hop", 'H', 1, NULL },
	{ "fft-size", 'n', 1, NULL },
	{ "threshold", 't', 1, NULL },
	{ "channel", 'c', 1, NULL },
	{ "resolution", 'R', 1, NULL },
	{ "separation", 0, 1, NULL },
	{ "components", 'C', 1, NULL },
	{ "impulses", 'I', 1, NULL },
	{ "max-time-shift", 0, 1, NULL },
	{ "max-freq-shift", 0, 1, NULL },
	{ "min-freq", 'y', 1, "minf" },
	{ "max-freq", 'Y', 1, "maxf" },
	/* peaks, partials, synthesis */
	{ "select", 0, 1, NULL },
	{ "fade", 0, 1, NULL },
	{ "bandwidth", 'B', 1, NULL },
	{ "link", 0, 1, NULL },
	{ "max-drift", 0, 1, NULL },
	{ "max-gap", 0, 1, NULL },
	{ "min-duration", 0, 1, NULL },
	{ "min-amp", 0, 1, NULL },
	{ "hum", 0, 1, NULL },
	/* tfr-select, tfr-label */
	{ "max-duration", 0, 1, NULL },
	{ "min-points", 0, 1, NULL },
	{ "max-points", 0, 1, NULL },
	{ "max-amp", 0, 1, NULL },
	{ "amp", 0, 1, NULL },
	{ "labels", 0, 1, NULL },
	{ "rest", 0, 1, NULL },
	{ "f0", 0, 1, NULL },
	{ "near", 0, 1, NULL },
	{ "inharmonicity", 0, 1, NULL },
	{ "tolerance", 0, 1, NULL },
	{ "sieve", 0, 0, NULL },
	{ "distill", 0, 0, NULL },
	/* tfr-morph */
	{ "morph", 0, 1, NULL },
	{ "follow", 0, 1, NULL },
	{ "sidechain", 0, 1, NULL },
	{ "sidechain-map", 0, 1, NULL },
	{ "morph-freq", 0, 1, NULL },
	{ "morph-amp", 0, 1, NULL },
	{ "morph-bandwidth", 0, 1, NULL },
	{ "log-freq", 0, 0, NULL },
	{ "linear-amp", 0, 0, NULL },
	{ "rate", 'r', 1, NULL },
	{ "length", 0, 1, NULL },
	{ "seed", 'S', 1, NULL },
	{ "phase", 'p', 1, NULL },
	{ "phase-correct", 0, 1, NULL },
	{ "onsets", 0, 1, NULL },
	{ "frame-period", 0, 1, NULL },
	{ "precision", 0, 1, NULL },
	/* tfr-resynth: the residual and its stochastic envelope */
	{ "residual", 0, 1, NULL },
	{ "stochastic", 0, 1, NULL },
	{ "bands", 0, 1, NULL },
	/* tfr-warp: time and pitch */
	{ "stretch", 0, 1, NULL },
	{ "markers", 0, 1, NULL },
	{ "pitch", 0, 1, NULL },
	{ "bandwidth-scale", 0, 1, NULL },
	{ "formants", 0, 0, NULL },
	/* audio output */
	{ "bits", 'b', 1, NULL },
	{ "gain", 'g', 1, NULL },
	/* spectral delay */
	{ "delay", 'd', 1, NULL },
	{ "delay-frames", 'D', 0, NULL },
	{ "feedback", 'f', 1, NULL },
	{ "gain-linear", 'G', 0, NULL },
	{ "mix", 'm', 1, NULL },
	{ "cross-feedback", 'x', 1, NULL },
	{ "smooth", 's', 1, NULL },
	{ "tail", 'T', 1, NULL },
	{ "headroom", 0, 1, NULL },
	{ "limit", 'L', 0, NULL },
	{ "print-latency", 'P', 0, NULL },
	{ "describe", 0, 0, NULL },
	{ "freeze", 0, 1, NULL },
	{ "freeze-band", 0, 1, NULL },
	{ "freeze-phase", 0, 1, NULL },
	{ "next", 0, 0, NULL },
	{ "morph", 0, 1, NULL },
	/* pictures and matrices */
	{ "format", 'F', 1, NULL },
	{ "counts", 'k', 1, NULL },
	{ "q", 'q', 1, NULL },
	{ "tdeci", 'i', 1, NULL },
	{ "over", 'O', 1, NULL },
	{ "noct", 'N', 1, NULL },
	{ "lint", 0, 1, NULL },
	{ "channels", 0, 1, NULL },
	{ "transpose", 0, 0, NULL },
	{ "range", 'z', 1, NULL },
	{ "colormap", 'M', 1, NULL },
	{ "rounding", 0, 1, NULL },
	{ "jobs", 'j', 1, "threads" },
	{ "exact", 'X', 0, NULL },
	/* pictures: tfr-image */
	{ "width", 'W', 1, NULL },
	{ "height", 'E', 1, NULL },
	{ "top", 'Z', 1, NULL },
	{ "pps", 0, 1, NULL },
	{ "log", 0, 0, NULL },
	{ "start", 0, 1, NULL },
	{ "duration", 0, 1, NULL },
	{ "page", 0, 1, NULL },
	{ "dot", 0, 1, NULL },
	{ "title", 0, 1, NULL },
	{ "bare", 0, 0, NULL },
	{ "overlay", 0, 1, NULL },
	{ "plain", 0, 0, NULL },
	/* batch runs */
	{ "suffix", 'u', 1, NULL },
	{ "keep-ext", 'K', 0, NULL },
	{ "ext", 'e', 1, NULL },
	{ "force", 0, 0, NULL },
	{ "dry-run", 0, 0, NULL },
	{ "parallel", 0, 0, NULL },
	{ "sshlogin", 0, 1, NULL },
	{ "quiet", 0, 0, NULL },
};

enum { NVOCAB = sizeof vocabulary / sizeof vocabulary[0], MAXOPT = 2 * NVOCAB + 1 };

static const vocab *lookup(const char *name)
{
	for (size_t i = 0; i < NVOCAB; i++)
		if (!strcmp(vocabulary[i].name, name))
			return &vocabulary[i];
	return NULL;
}

/* getopt's tables for the tool's names (built on the first call). */
static struct option longopts[MAXOPT + 1];
static char shortopts[3 * MAXOPT + 2];
static const char *const *built_for;

static int lists(const char *const *names, const char *name)
{
	for (const char *const *n = names; *n; n++)
		if (!strcmp(*n, name))
			return 1;
	return 0;
}

static void build(const char *const *names)
{
	size_t nl = 0, ns = 0;
	shortopts[ns++] = ':';  /* missing arguments reported by us */
	for (const char *const *n = names; *n; n++) {
		const vocab *v = lookup(*n);
		if (!v || nl + 2 >= MAXOPT)
			tool_die(TOOL_EXIT_FAIL, "internal error: option '%s' is not in the vocabulary",
			         *n);
		int val = v->letter ? v->letter : 256 + (int)(v - vocabulary);
		longopts[nl++] = (struct option){ v->name, v->has_arg, NULL, val };
		if (v->alias)
			longopts[nl++] = (struct option){ v->alias, v->has_arg, NULL, val };
		if (v->letter) {
			shortopts[ns++] = (char)v->letter;
			if (v->has_arg)
				shortopts[ns++] = ':';
		}
	}
	/* --quiet (no progress line), whether the tool lists it or not */
	if (!lists(names, "quiet"))
		longopts[nl++] = (struct option){ "quiet", 0, NULL,
		                                  256 + (int)(lookup("quiet") - vocabulary) };
	longopts[nl] = (struct option){ NULL, 0, NULL, 0 };
	shortopts[ns] = 0;
	built_for = names;
}

static const char *name_of_value(int val)
{
	if (val >= 256 && val - 256 < (int)NVOCAB)
		return vocabulary[val - 256].name;
	for (size_t i = 0; i < NVOCAB; i++)
		if (vocabulary[i].letter == val)
			return vocabulary[i].name;
	return NULL;
}

/* Edits (insert, delete, substitute, swap two neighbours) between a and
 * the first nb bytes of b: the optimal string alignment distance. */
static size_t edits(const char *a, const char *b, size_t nb)
{
	enum { L = 48 };
	size_t na = strlen(a), d[L + 1][L + 1];
	if (na > L || nb > L)
		return (size_t)-1;
	for (size_t i = 0; i <= na; i++)
		for (size_t j = 0; j <= nb; j++) {
			if (!i || !j) {
				d[i][j] = i + j;
				continue;
			}
			size_t best = d[i - 1][j - 1] + (a[i - 1] != b[j - 1]);
			if (d[i - 1][j] + 1 < best) best = d[i - 1][j] + 1;
			if (d[i][j - 1] + 1 < best) best = d[i][j - 1] + 1;
			if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] &&
			    d[i - 2][j - 2] + 1 < best)
				best = d[i - 2][j - 2] + 1;
			d[i][j] = best;
		}
	return d[na][nb];
}

/* An unknown "--name": the options it abbreviates when it is ambiguous,
 * else the nearest within a third of its length ("did you mean"). */
static void unknown_long(const char *typed)
{
	const char *name = typed + 2;
	size_t n = strcspn(name, "=");
	char list[256] = "";
	int prefixed = 0;
	for (const struct option *o = longopts; o->name; o++)
		if (n && !strncmp(o->name, name, n) && strlen(list) + strlen(o->name) + 5 < sizeof list) {
			strcat(strcat(list, prefixed++ ? ", --" : "--"), o->name);
		}
	if (prefixed > 1)
		tool_usage_error("ambiguous option '--%.*s': %s", (int)n, name, list);
	const char *near = NULL;
	size_t best = n / 3 > 1 ? n / 3 : 1;
	for (const struct option *o = longopts; o->name; o++) {
		size_t e = edits(o->name, name, n);
		if (e <= best && (!near || e < best)) {
			near = o->name;
			best = e;
		}
	}
	if (near)
		tool_usage_error("unknown option '--%.*s'; did you mean '--%s'?", (int)n, name, near);
	tool_usage_error("unknown option '--%.*s'", (int)n, name);
}

const char *tool_next_option(int argc, char **argv,
                             const char *const *names, const char **arg,
                             void (*usage)(void))
{
	if (built_for != names)
		build(names);
	opterr = 0;
	int c = getopt_long(argc, argv, shortopts, longopts, NULL);
	*arg = optarg;
	if (c == -1)
		return NULL;
	/* what the user typed: "--output" or "-o" (getopt gives the letter
	 * for both forms) */
	const char *typed = optind > 0 && optind <= argc ? argv[optind - 1] : "";
	int as_long = !strncmp(typed, "--", 2);
	if (c == ':') {
		if (as_long)
			tool_usage_error("%.*s needs an argument",
			                 (int)strcspn(typed, "="), typed);
		tool_usage_error("-%c needs an argument", optopt);
	}
	if (c == '?') {
		if (as_long)
			unknown_long(typed);
		tool_usage_error("unknown option '-%c'", optopt);
	}
	const char *name = name_of_value(c);
	if (!strcmp(name, "quiet")) {
		tool_set_quiet();
		if (!lists(names, "quiet"))
			return tool_next_option(argc, argv, names, arg, usage);
	}
	if (!strcmp(name, "help")) {
		usage();
		tool_print_done();
	}
	if (!strcmp(name, "version"))
		tool_version();
	return name;
}

const char *tool_input_operand(int argc, char **argv)
{
	if (argc - optind > 1)
		tool_usage_error("more than one input file ('%s' and '%s')",
		                 argv[optind], argv[optind + 1]);
	return optind < argc ? argv[optind] : NULL;
}

double tool_parse_number(const char *opt, const char *arg, double min,
                         double max)
{
	double v;
	if (tfr_parse_double(arg, &v) != TFR_OK)
		tool_usage_error("--%s: '%s' is not a number", opt, arg);
	if (!(v >= min && v <= max))
		tool_usage_error("--%s: %s is out of range [%g, %g]", opt, arg, min, max);
	return v;
}

long long tool_parse_int(const char *opt, const char *arg, long long min,
                         long long max)
{
	long long v;
	int e = tfr_parse_int(arg, min, max, &v);
	if (e == TFR_EFORMAT)
		tool_usage_error("--%s: '%s' is not a whole number", opt, arg);
	if (e != TFR_OK)
		tool_usage_error("--%s: %s is out of range [%lld, %lld]", opt, arg,
		                 min, max);
	return v;
}

tfr_quantity tool_parse_time(const char *opt, const char *arg, tfr_unit bare)
{
	tfr_quantity q;
	if (tfr_parse_time(arg, bare, &q) != TFR_OK || !isfinite(q.value))
		tool_usage_error("--%s: '%s' is not a %s", opt, arg,
		                 bare == TFR_UNIT_SAMPLES
		                 ? "length (whole samples, or a time with ms or s)"
		                 : "time (seconds, or with ms or s)");
	if (q.value < 0)
		tool_usage_error("--%s: '%s' is negative", opt, arg);
	return q;
}

tfr_quantity tool_parse_freq(const char *opt, const char *arg)
{
	tfr_quantity q;
	if (tfr_parse_freq(arg, &q) != TFR_OK || !isfinite(q.value))
		tool_usage_error("--%s: '%s' is not a frequency (Hz, kHz, or a "
		                 "fraction of the sample rate with fs)", opt, arg);
	if (q.value < 0)
		tool_usage_error("--%s: '%s' is negative", opt, arg);
	return q;
}

double tool_freq_hz(const char *opt, tfr_quantity q, double fs)
{
	double hz = tfr_quantity_hz(q, fs);
	if (fs > 0 && hz > fs / 2) {
		tool_warn("--%s: %g Hz is above the Nyquist frequency; %g Hz taken",
		          opt, hz, fs / 2);
		return fs / 2;
	}
	return hz;
}

void tool_check_ceiling(const char *opt, tfr_quantity q, double hz)
{
	if (q.unit == TFR_UNIT_HZ && hz < 20)
		tool_warn("--%s: %g Hz taken (a ceiling under 20 Hz; kHz is '%gk')",
		          opt, hz, hz);
}

double tool_parse_level(const char *opt, const char *arg, int allow_inf)
{
	tfr_quantity q;
	if (tfr_parse_level(arg, allow_inf, &q) != TFR_OK)
		tool_usage_error("--%s: '%s' is not a level in dB", opt, arg);
	if (!allow_inf && !isfinite(q.value))
		tool_usage_error("--%s: '%s' is not a finite level", opt, arg);
	if (isfinite(q.value) && fabs(q.value) > 1000)
		tool_usage_error("--%s: %s is out of range [-1000, 1000] dB", opt, arg);
	return q.value;
}

tfr_window_spec tool_parse_window(const char *opt, const char *arg)
{
	tfr_window_spec w;
	if (tfr_window_parse(arg, &w) == TFR_OK)
		return w;
	/* a known window with a parameter out of range or not its own:
	 * said with the range */
	const char *colon = strchr(arg, ':');
	if (colon) {
		char base[32];
		size_t n = (size_t)(colon - arg);
		snprintf(base, sizeof base, "%.*s", (int)(n < sizeof base ? n : 0), arg);
		if (!strcmp(base, "kaiser"))
			tool_usage_error("--%s: '%s': kaiser takes a beta in [0, %g] or a "
			                 "side-lobe level in [0, 395] dB (kaiser:90dB)",
			                 opt, arg, TFR_KAISER_MAX_BETA);
		if (!strcmp(base, "gaussian"))
			tool_usage_error("--%s: '%s': gaussian takes a sigma in samples, "
			                 "a finite number of at least %g", opt, arg,
			                 TFR_GAUSSIAN_MIN_SIGMA);
		if (base[0] && tfr_window_parse(base, &w) == TFR_OK)
			tool_usage_error("--%s: '%s': %s takes no parameter", opt, arg, base);
	}
	tool_usage_error("--%s: unknown window '%s'", opt, arg);
}

int tool_parse_choice(const char *opt, const char *arg,
                      const char *const *words)
{
	char list[256] = "";
	for (int i = 0; words[i]; i++) {
		if (!strcmp(arg, words[i]))
			return i;
		size_t n = strlen(list);
		snprintf(list + n, sizeof list - n, "%s%s", i ? (words[i + 1] ? ", " : " or ") : "",
		         words[i]);
	}
	tool_usage_error("--%s: '%s' is not %s", opt, arg, list);
}

size_t tool_parse_list(const char *opt, const char *arg, double *out,
                       size_t maxn, double min, double max)
{
	size_t n = 0;
	const char *p = arg;
	for (;;) {
		const char *comma = strchr(p, ',');
		size_t len = comma ? (size_t)(comma - p) : strlen(p);
		char item[64];
		if (len == 0 || len >= sizeof item)
			tool_usage_error("--%s: bad list '%s'", opt, arg);
		if (n == maxn)
			tool_usage_error("--%s: more than %zu values", opt, maxn);
		memcpy(item, p, len);
		item[len] = 0;
		out[n++] = tool_parse_number(opt, item, min, max);
		if (!comma)
			return n;
		p = comma + 1;
	}
}

size_t tool_samples(const char *opt, tfr_quantity q, double rate, size_t min)
{
	double n = q.unit == TFR_UNIT_SAMPLES ? q.value
	                                      : floor(q.value * rate + 0.5);
	if (n < (double)min)
		tool_usage_error("--%s: %.0f samples is too short (at least %zu)",
		                 opt, n, min);
	if (n > TFR_MAX_FFT_SIZE)
		tool_usage_error("--%s: %.0f samples is too long (at most %d)", opt,
		                 n, TFR_MAX_FFT_SIZE);
	return (size_t)n;
}

/* The largest prime factor of n (n >= 1). */
static long long largest_prime_factor(long long n)
{
	long long p = 1;
	for (long long f = 2; f * f <= n; f++)
		while (n % f == 0) {
			p = f;
			n /= f;
		}
	return n > 1 ? n : p;
}

size_t tool_fft_size(const char *opt, long long n)
{
	if (n % 2)
		tool_usage_error("--%s: %lld is odd (the real FFT needs an even size)",
		                 opt, n);
	size_t m = tfr_fft_size_for((size_t)n);
	if (m != (size_t)n)
		tool_warn("--%s: %lld has the prime factor %lld, which makes the FFT "
		          "slow: using %zu (the next size of factors 2, 3 and 5)",
		          opt, n, largest_prime_factor(n), m);
	return m;
}
