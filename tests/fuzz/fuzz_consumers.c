/*
 * fuzz_consumers.c - what the stream tools do with a stream that reads
 * without error: points into tfr_peaks (tfr-peaks), peaks into tfr_track
 * (tfr-track), partials into tfr_synth (tfr-resynth), each set up from
 * the stream's header as the tool does it.
 *
 * The first byte chooses the kind (bits 0-1: points, peaks, partials)
 * and a few options (bits 2-7); the rest is the stream. Checked: what
 * each stage gives is what the next tool reads (peaks and breakpoints
 * within their columns' ranges, breakpoints in stream order with every
 * partial ended: fuzz_partials.h), samples are finite; a refusal of
 * bad records carries a code. Work is bounded: at most MAX_FRAMES
 * frames, and the synthesis's output at 2^17 samples.
 */
#include "fuzz_partials.h"

enum { MAX_FRAMES = 4096 };

static void check_peaks(const tfr_peak *p, size_t n)
{
	const tfr_schema *s = &tfr_peaks_schema;
	for (size_t i = 0; i < n; i++) {
		double v[8] = { (double)p[i].frame, p[i].time, p[i].freq, p[i].amp,
		                p[i].phase, p[i].bandwidth, p[i].mixed, p[i].impulse };
		for (size_t c = 0; c < 8; c++)
			if (!(v[c] >= s->columns[c].min && v[c] <= s->columns[c].max)) {
				fprintf(stderr, "peak %zu: %s = %.17g, outside [%g, %g]\n", i,
				        s->columns[c].name, v[c], s->columns[c].min,
				        s->columns[c].max);
				abort();
			}
		FUZZ_CHECK(i == 0 || p[i].freq >= p[i - 1].freq);
	}
}

/* A number of the header as the tools take it (tool_stream_meta): 1
 * and *v when present and within [min, max]. */
static int meta(const tfr_stream_reader *r, const char *key, double min,
                double max, double *v)
{
	return tfr_meta_get_double(tfr_stream_reader_meta(r), key, v) == TFR_OK &&
	       *v >= min && *v <= max;
}

static void points(tfr_stream_reader *r, unsigned opt)
{
	tfr_peaks_params p;
	tfr_peaks_params_default(&p);
	double v;
	const char *w = tfr_meta_get(tfr_stream_reader_meta(r), "window");
	if (!meta(r, "sample_rate", 1, TFR_MAX_SAMPLE_RATE, &p.sample_rate) ||
	    !w || tfr_window_parse(w, &p.window) != TFR_OK ||
	    !meta(r, "window_length", 2, TFR_MAX_FFT_SIZE, &v))
		return;
	p.window_length = (size_t)v;
	if (!meta(r, "fft_size", 2, TFR_MAX_FFT_SIZE, &v))
		return;
	p.fft_size = (size_t)v;
	if (!meta(r, "hop", 1, TFR_MAX_FFT_SIZE, &v))
		return;
	p.hop = (size_t)v;
	if (meta(r, "resolution", 0, 1e6, &v))
		p.separation = v;
	p.select = opt & 1 ? TFR_PEAKS_MAGNITUDE : TFR_PEAKS_CONVERGENCE;
	p.bandwidth = opt & 2 ? TFR_PEAKS_BW_NONE : TFR_PEAKS_BW_RESIDUE;
	if (opt & 4) {
		p.component_tol = 0.2;
		p.impulse_tol = 0.2;
	}
	tfr_diag d;
	if (tfr_peaks_check(&p, &d) != TFR_OK)
		return;  /* a usage error of tfr-peaks */
	tfr_peaks *pk = tfr_peaks_new(&p, &d);
	if (!pk) {
		FUZZ_CHECK(d.code == TFR_ENOMEM || d.code == TFR_EINVAL);
		return;
	}
	const void *recs;
	size_t n, np, cap = 0;
	tfr_peak *out = NULL;
	for (int f = 0; f < MAX_FRAMES && tfr_stream_read_frame(r, &recs, &n) > 0; f++) {
		if (n > cap) {
			free(out);
			cap = 2 * n;
			out = malloc(cap * sizeof *out);
			FUZZ_CHECK(out);
		}
		if (tfr_peaks_process(pk, recs, n, out, &np) != TFR_OK)
			break;  /* points out of bin order: tfr-peaks refuses them */
		FUZZ_CHECK(np <= n);
		check_peaks(out, np);
	}
	free(out);
	tfr_peaks_free(pk);
}

static void take_ready(tfr_track *t, fp_checker *c)
{
	size_t n;
	const tfr_breakpoint *bp = tfr_track_ready(t, &n);
	FUZZ_CHECK(bp != NULL);
	for (size_t i = 0; i < n; i++)
		fp_take(c, &bp[i]);
}

static void peaks(tfr_stream_reader *r, unsigned opt)
{
	tfr_track_params p;
	tfr_track_params_default(&p);
	double hop, res;
	if (!meta(r, "sample_rate", 1, TFR_MAX_SAMPLE_RATE, &p.sample_rate) ||
	    !meta(r, "hop", 1, TFR_MAX_FFT_SIZE, &hop))
		return;
	p.frame_period = hop / p.sample_rate;
	if (meta(r, "resolution", 0, 1e6, &res) && res > 0)
		p.max_drift = res / 2;
	p.link = opt & 1 ? TFR_TRACK_NEAREST : p.link;
	p.min_duration = opt & 2 ? 0 : 2 * p.frame_period;
	p.max_gap = (int)(opt >> 2 & 7);
	tfr_diag d;
	if (tfr_track_check(&p, &d) != TFR_OK)
		return;
	tfr_track *t = tfr_track_new(&p, &d);
	if (!t) {
		FUZZ_CHECK(d.code == TFR_ENOMEM || d.code == TFR_EINVAL);
		return;
	}
	fp_checker c;
	fp_init(&c);
	/* peaks may carry any float phase (their column's range): the
	 * partials then too */
	c.phase_max = FLT_MAX;
	const void *recs;
	size_t n;
	int ok = 1;
	for (int f = 0; f < MAX_FRAMES && tfr_stream_read_frame(r, &recs, &n) > 0; f++) {
		const tfr_peak *pk = recs;
		if (tfr_track_process(t, pk[0].frame, pk, n) != TFR_OK) {
			ok = 0;  /* tfr-track refuses the stream */
			break;
		}
		take_ready(t, &c);
	}
	if (ok) {
		FUZZ_CHECK(tfr_track_flush(t) == TFR_OK);
		take_ready(t, &c);
		fp_done(&c);
	} else {
		fp_discard(&c);
	}
	tfr_track_free(t);
}

static void partials(tfr_stream_reader *r, unsigned opt)
{
	tfr_synth_params p;
	tfr_synth_params_default(&p);
	if (!meta(r, "sample_rate", 1, TFR_MAX_SAMPLE_RATE, &p.sample_rate))
		return;
	p.phase = (tfr_synth_phase)(opt % 3);
	p.bandwidth = !(opt & 4);
	/* the output's length is the stream's business (times up to 1e9 s):
	 * bounded here */
	p.length = 1 << 17;
	tfr_diag d;
	if (tfr_synth_check(&p, &d) != TFR_OK)
		return;
	tfr_synth *s = tfr_synth_new(&p, &d);
	if (!s) {
		FUZZ_CHECK(d.code == TFR_ENOMEM || d.code == TFR_EINVAL);
		return;
	}
	float y[4096];
	size_t n;
	tfr_breakpoint bp;
	int e = 0;
	for (int k = 0; k < 8 * MAX_FRAMES && tfr_stream_read(r, &bp) > 0; k++) {
		if ((e = tfr_synth_process(s, &bp, 1)) != TFR_OK) {
			FUZZ_CHECK(tfr_synth_diag(s)->code == e && e < 0);
			break;
		}
		while ((n = tfr_synth_read(s, y, 4096)) > 0)
			for (size_t i = 0; i < n; i++)
				FUZZ_CHECK(isfinite(y[i]));
	}
	if (e == 0) {
		FUZZ_CHECK(tfr_synth_flush(s) == TFR_OK);
		size_t total = 0;
		while ((n = tfr_synth_read(s, y, 4096)) > 0) {
			for (size_t i = 0; i < n; i++)
				FUZZ_CHECK(isfinite(y[i]));
			total += n;
			FUZZ_CHECK(total <= (size_t)p.length);
		}
	}
	tfr_synth_free(s);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const tfr_schema *const kinds[] = {
		&tfr_points_schema, &tfr_peaks_schema, &tfr_partials_schema,
		&tfr_partials_schema
	};
	if (size < 1)
		return 0;
	int kind = data[0] & 3;
	unsigned opt = data[0] >> 2;
	FILE *fp = fuzz_stream(data + 1, size - 1);
	if (!fp)
		return 0;
	tfr_stream_reader *r = tfr_stream_reader_new(fp, "fuzz", NULL);
	FUZZ_CHECK(r);
	if (tfr_stream_read_header(r, kinds[kind]) == TFR_OK) {
		if (kind == 0)
			points(r, opt);
		else if (kind == 1)
			peaks(r, opt);
		else
			partials(r, opt);
	}
	tfr_stream_reader_free(r);
	fclose(fp);
	return 0;
}
