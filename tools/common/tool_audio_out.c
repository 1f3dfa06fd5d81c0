/* tool_audio_out.c - audio written to a tool's output (see tool.h). */
#include "tool.h"
#include "tool_output_impl.h"

#include <errno.h>

tfr_audio_out *tool_audio_out(tool_output *o, double rate, int channels,
                              tfr_sample_format format, int64_t frames)
{
	tfr_audio_out_params p;
	tfr_diag d;
	tfr_audio_out_params_default(&p);
	fflush(o->fp);
	p.fd = o->fd;
	p.name = o->final;
	p.sample_rate = rate;
	p.channels = channels;
	p.format = format;
	p.frames = frames;
	tfr_audio_out *a = tfr_audio_out_new(&p, &d);
	if (!a)
		tool_die_diag(o->label, &d);
	return a;
}

void tool_audio_write(tool_output *o, tfr_audio_out *a, const float *buf,
                      size_t nframes)
{
	errno = 0;
	if (tfr_audio_out_write(a, buf, nframes) != TFR_OK)
		tool_output_failed(o);
}

void tool_audio_flush(tool_output *o, tfr_audio_out *a)
{
	errno = 0;
	if (tfr_audio_out_flush(a) != TFR_OK)
		tool_output_failed(o);
}

void tool_audio_close(tool_output *o, tfr_audio_out *a)
{
	int64_t clipped = tfr_audio_out_clipped(a);
	errno = 0;
	if (tfr_audio_out_close(a) != TFR_OK)
		tool_output_failed(o);
	if (clipped)
		tool_warn("%s: %lld samples clipped", o->label, (long long)clipped);
	tool_output_close(o);
}
