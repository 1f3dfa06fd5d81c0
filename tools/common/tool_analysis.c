/*
 * tool_analysis.c - the STFT analysis options every tool that analyses
 * audio into cells shares (tfr-reassign, tfr-image): one resolution knob
 * from which window length and hop follow, and -w/-l/-H/-n over it, so
 * that a picture and a point stream of the same sound line up.
 */
#include "tool.h"

#include <math.h>
#include <string.h>

void tool_analysis_default(tool_analysis *a)
{
	memset(a, 0, sizeof *a);
	a->resolution = TOOL_DEFAULT_RESOLUTION;
	a->window.type = TFR_WINDOW_KAISER;
	a->window.param = tfr_kaiser_beta_for_sidelobe(TOOL_DEFAULT_SIDELOBES_DB);
}

int tool_analysis_option(tool_analysis *a, const char *opt, const char *arg)
{
	if (!strcmp(opt, "resolution")) {
		tfr_quantity r = tool_parse_freq(opt, arg);
		if (r.unit != TFR_UNIT_HZ || !(r.value > 0))
			tool_usage_error("--resolution: give it in Hz, above 0");
		a->resolution = r.value;
		a->have_resolution = 1;
	} else if (!strcmp(opt, "window")) {
		a->window = tool_parse_window(opt, arg);
	} else if (!strcmp(opt, "window-length")) {
		a->length = tool_parse_time(opt, arg, TFR_UNIT_SAMPLES);
		a->have_length = 1;
	} else if (!strcmp(opt, "hop")) {
		a->hop = tool_parse_time(opt, arg, TFR_UNIT_SAMPLES);
		a->have_hop = 1;
	} else if (!strcmp(opt, "fft-size")) {
		a->fft_size = tool_parse_int(opt, arg, 2, TFR_MAX_FFT_SIZE);
		a->have_fft = 1;
	} else {
		return 0;
	}
	return 1;
}

/* Without -l the window is as long as its main lobe needs to reach the
 * resolution either side of a sinusoid (Loris: window width = 2
 * resolution); without -H the hop is 1 / (2 resolution) (Loris: 1 /
 * width), or L / 8 with -l. */
void tool_analysis_resolve(const tool_analysis *a, double fs,
                           tfr_reassign_params *p)
{
	p->sample_rate = fs;
	p->window = a->window;
	if (a->have_length) {
		p->window_length = tool_samples("window-length", a->length, fs, 2);
	} else {
		double len = ceil(tfr_window_lobe_bins(&a->window) * fs / a->resolution);
		if (!(len <= TFR_MAX_FFT_SIZE))
			tool_usage_error("--resolution: %g Hz needs a window longer "
			                 "than %d samples", a->resolution, TFR_MAX_FFT_SIZE);
		p->window_length = len < 2 ? 2 : (size_t)len;
	}
	if (a->have_hop)
		p->hop = tool_samples("hop", a->hop, fs, 1);
	else if (a->have_length)
		p->hop = p->window_length / 8 ? p->window_length / 8 : 1;
	else
		p->hop = (size_t)fmax(1, floor(fs / (2 * a->resolution) + 0.5));
	if (a->have_fft) {
		if (a->fft_size < (long long)p->window_length)
			tool_usage_error("--fft-size: %lld is smaller than the window (%zu samples)",
			                 a->fft_size, p->window_length);
		p->fft_size = tool_fft_size("fft-size", a->fft_size);
	} else {
		p->fft_size = tfr_fft_size_for(p->window_length);
		if (p->fft_size > TFR_MAX_FFT_SIZE)
			tool_usage_error("--window-length: %zu samples needs an FFT larger than %d",
			                 p->window_length, TFR_MAX_FFT_SIZE);
	}
	/* the cells a sample of input makes, N/2 / hop: the ceiling of the
	 * output (and the work) per second of input (-n 65536 -H 1 wrote
	 * 1 GB of points for 10 ms; -n 4194304 -H 1 ran for minutes) */
	if ((double)(p->fft_size / 2) / (double)p->hop > TOOL_MAX_CELLS_PER_SAMPLE)
		tool_usage_error("--hop: %zu samples is too small for FFT size %zu: at "
		                 "least %.0f (FFT size / 2 / hop is at most %d)", p->hop,
		                 p->fft_size, ceil((double)(p->fft_size / 2) /
		                 TOOL_MAX_CELLS_PER_SAMPLE), TOOL_MAX_CELLS_PER_SAMPLE);
}
