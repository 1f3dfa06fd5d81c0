/*
 * gensig.c - test signal generator for the shell tests and the demo.
 * Numbers are parsed strictly (a typo is an error, not a 0).
 *
 *   tfr-gensig [-r RATE] [-d SECONDS] [-c CHANNELS] [-b 16|24|float]
 *              -o OUT.wav COMPONENT...
 *
 * Components are summed (into every channel):
 *   sine:FREQ:AMP[:PHASE]          AMP*cos(2 pi FREQ t + PHASE)
 *   chirp:F0:RATE:AMP              AMP*cos(2 pi (F0 t + RATE t^2/2))
 *   impulse:SAMPLE:AMP             AMP at sample index SAMPLE
 *   noise:AMP:SEED                 uniform white noise in [-AMP, AMP)
 *   drum:TIME:AMP:TAU:SEED         noise burst from TIME s, decaying
 *                                  exp(-t/TAU), nothing before TIME
 *   pluck:F0:TIME:AMP              Karplus-Strong string from TIME s
 *   voice:F0:VIB:AMP               vowel "a" with 5.5 Hz, +-VIB vibrato
 *   chan:K                         following components only in channel K
 *                                  (1-based; chan:0 = all channels again)
 */
#include "testutil.h"
#include "tfr.h"

#include <sndfile.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void die(const char *msg)
{
	fprintf(stderr, "tfr-gensig: %s\n", msg);
	exit(2);
}

static double number(const char *s)
{
	double v;
	if (tfr_parse_double(s, &v) != TFR_OK)
		die("bad number");
	return v;
}

/*
 * "NAME:a:b:c" with NAME the component: its numbers in v (at most 4);
 * returns how many, or -1 when the name differs.
 */
static int component(const char *arg, const char *name, double *v)
{
	size_t n = strlen(name);
	if (strncmp(arg, name, n) || arg[n] != ':')
		return -1;
	char buf[256];
	snprintf(buf, sizeof buf, "%s", arg + n + 1);
	int k = 0;
	for (char *save = NULL, *t = strtok_r(buf, ":", &save); t;
	     t = strtok_r(NULL, ":", &save)) {
		if (k == 4)
			die("too many numbers in a component");
		v[k++] = number(t);
	}
	return k;
}

int main(int argc, char **argv)
{
	double rate = 44100, secs = 1;
	int channels = 1, fmt = SF_FORMAT_FLOAT;
	const char *out = NULL;
	int c;
	while ((c = getopt(argc, argv, "r:d:c:b:o:")) != -1) {
		switch (c) {
		case 'r': rate = number(optarg); break;
		case 'd': secs = number(optarg); break;
		case 'c': channels = (int)number(optarg); break;
		case 'b':
			fmt = !strcmp(optarg, "16") ? SF_FORMAT_PCM_16
			    : !strcmp(optarg, "24") ? SF_FORMAT_PCM_24
			    : SF_FORMAT_FLOAT;
			break;
		case 'o': out = optarg; break;
		default: die("bad option");
		}
	}
	if (!out || rate <= 0 || secs < 0 || channels < 1)
		die("usage: tfr-gensig [-r rate] [-d secs] [-c ch] [-b 16|24|float] -o out.wav component...");
	size_t len = (size_t)(secs * rate + 0.5);
	float *mono = calloc(len ? len : 1, sizeof *mono);
	float *all = calloc((len ? len : 1) * (size_t)channels, sizeof *all);
	if (!mono || !all)
		die("out of memory");
	int chan = 0;
	for (int i = optind; i < argc; i++) {
		double v[4] = { 0, 0, 0, 0 };
		int k;
		memset(mono, 0, len * sizeof *mono);
		if (component(argv[i], "chan", v) == 1) {
			chan = (int)v[0];
			continue;
		} else if ((k = component(argv[i], "sine", v)) >= 2) {
			test_add_cos(mono, len, rate, v[0], v[1], v[2]);
		} else if ((k = component(argv[i], "chirp", v)) >= 3) {
			test_add_chirp(mono, len, rate, v[0], v[1], v[2], v[3]);
		} else if (component(argv[i], "impulse", v) == 2) {
			if (v[0] >= 0 && v[0] < (double)len)
				mono[(size_t)v[0]] = (float)v[1];
		} else if (component(argv[i], "noise", v) == 2) {
			test_add_noise(mono, len, v[0], (uint64_t)v[1]);
		} else if (component(argv[i], "drum", v) == 4) {
			test_add_drum(mono, len, rate, v[0] * rate, v[1], v[2],
			              (uint64_t)v[3]);
		} else if (component(argv[i], "pluck", v) == 3) {
			test_add_pluck(mono, len, rate, v[0], v[1] * rate, v[2]);
		} else if (component(argv[i], "voice", v) == 3) {
			test_add_voice(mono, len, rate, v[0], v[1], v[2]);
		} else {
			die("unknown component");
		}
		for (size_t n = 0; n < len; n++)
			for (int ch = 0; ch < channels; ch++)
				if (chan == 0 || chan == ch + 1)
					all[n * (size_t)channels + (size_t)ch] += mono[n];
	}
	SF_INFO info = { .samplerate = (int)rate, .channels = channels,
	                 .format = SF_FORMAT_WAV | fmt };
	SNDFILE *sf = sf_open(out, SFM_WRITE, &info);
	if (!sf)
		die(sf_strerror(NULL));
	sf_command(sf, SFC_SET_CLIPPING, NULL, SF_TRUE);
	if (sf_writef_float(sf, all, (sf_count_t)len) != (sf_count_t)len)
		die(sf_strerror(sf));
	sf_close(sf);
	free(mono);
	free(all);
	return 0;
}
