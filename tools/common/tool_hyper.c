/*
 * tool_hyper.c - the options of a hyper-resolution analysis (see
 * tool.h), as tool_analysis.c holds an STFT's: parsed in the one unit
 * grammar, resolved at the input's rate with messages in the user's
 * units, and said back as provenance.
 */
#include "tool.h"

#include <string.h>
#include <unistd.h>

void tool_hyper_default(tool_hyper *h)
{
	memset(h, 0, sizeof *h);
	tfr_hyper_params_default(&h->p);
	long ncpu = sysconf(_SC_NPROCESSORS_ONLN);
	h->p.threads = ncpu < 1 ? 1 : ncpu > TFR_MAX_THREADS ? TFR_MAX_THREADS : (int)ncpu;
	h->q[0] = 2;
	h->nq = 1;
	h->minf = (tfr_quantity){ 0.0025, TFR_UNIT_FS };
	h->maxf = (tfr_quantity){ 0.45, TFR_UNIT_FS };
	h->tdeci = (tfr_quantity){ 64, TFR_UNIT_SAMPLES };
}

int tool_hyper_option(tool_hyper *h, const char *opt, const char *arg)
{
	static const char *const modes[] = { "pool", "split", NULL };
	static const char *const roundings[] = { "even", "away", NULL };
	if (!strcmp(opt, "q"))
		h->nq = tool_parse_list(opt, arg, h->q, TOOL_HYPER_MAXQ, 1e-3, 1e3);
	else if (!strcmp(opt, "tdeci"))
		h->tdeci = tool_parse_time(opt, arg, TFR_UNIT_SAMPLES);
	else if (!strcmp(opt, "over"))
		h->p.over = (int)tool_parse_int(opt, arg, 1, 1000);
	else if (!strcmp(opt, "noct"))
		h->p.noct = tool_parse_number(opt, arg, 1e-3, 1e5);
	else if (!strcmp(opt, "min-freq"))
		h->minf = tool_parse_freq(opt, arg);
	else if (!strcmp(opt, "max-freq"))
		h->maxf = tool_parse_freq(opt, arg);
	else if (!strcmp(opt, "lint"))
		h->p.lint = tool_parse_number(opt, arg, 1e-6, 1e3);
	else if (!strcmp(opt, "channels"))
		h->split = tool_parse_choice(opt, arg, modes);
	else if (!strcmp(opt, "rounding"))
		h->p.round_away = tool_parse_choice(opt, arg, roundings);
	else if (!strcmp(opt, "jobs"))
		h->p.threads = (int)tool_parse_int(opt, arg, 1, TFR_MAX_THREADS);
	else if (!strcmp(opt, "exact"))
		h->p.exact = 1;
	else
		return 0;
	return 1;
}

void tool_hyper_resolve(tool_hyper *h, const tfr_audio_info *ai, int hint,
                        tfr_hyper_bank_params *bp)
{
	double fs = ai->sample_rate;
	double lo = tool_freq_hz("min-freq", h->minf, fs);
	double hi = tool_freq_hz("max-freq", h->maxf, fs);
	if (!(lo > 0))
		tool_usage_error("--min-freq: %g Hz must be above 0", lo);
	if (!(lo < hi))
		tool_usage_error("--min-freq: %g Hz is not below --max-freq %g Hz", lo, hi);
	tool_check_ceiling("max-freq", h->maxf, hi);
	h->p.minf = lo / fs;
	h->p.maxf = hi / fs;
	h->p.tdeci = (long)tool_samples("tdeci", h->tdeci, fs, 1);
	h->p.channels = h->split ? 1 : ai->channels;
	h->p.frames_hint = hint && ai->frames > 0 ? ai->frames : 0;
	tfr_hyper_bank_params_default(bp);
	bp->hyper = h->p;
	bp->q = h->q;
	bp->nq = h->nq;
	bp->channels = ai->channels;
	bp->split = h->split;
}

void tool_hyper_provenance(const tool_hyper *h, double fs, tfr_meta *m)
{
	char q[TOOL_HYPER_MAXQ * 24] = "";
	for (size_t i = 0; i < h->nq; i++)
		snprintf(q + strlen(q), sizeof q - strlen(q), "%s%g", i ? "," : "", h->q[i]);
	tool_meta_set(m, "q", "%s", q);
	tool_meta_set(m, "tdeci", "%ld", h->p.tdeci);
	tool_meta_set(m, "over", "%d", h->p.over);
	tool_meta_set(m, "noct", "%.12g", h->p.noct);
	tool_meta_set(m, "minf", "%.12g", h->p.minf * fs);
	tool_meta_set(m, "maxf", "%.12g", h->p.maxf * fs);
	tool_meta_set(m, "lint", "%.12g", h->p.lint);
	tool_meta_set(m, "channels", h->split ? "split" : "pool");
	tool_meta_set(m, "rounding", h->p.round_away ? "away" : "even");
}
