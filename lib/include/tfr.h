/*
 * tfr.h - all of libtfr's public interface, the library under the tfr-*
 * tools. The conventions every module follows (the object contract,
 * error codes and detail, units, limits) are in tfr_base.h.
 */
#ifndef TFR_H
#define TFR_H

#include "tfr_base.h"
#include "tfr_number.h"
#include "tfr_records.h"
#include "tfr_window.h"
#include "tfr_window_spec.h"
#include "tfr_fft.h"
#include "tfr_framer.h"
#include "tfr_reassign.h"
#include "tfr_audio.h"
#include "tfr_meta.h"
#include "tfr_stream.h"
#include "tfr_hyper.h"
#include "tfr_hyper_bank.h"
#include "tfr_npy.h"
#include "tfr_png.h"
#include "tfr_axis.h"
#include "tfr_splat.h"
#include "tfr_picture.h"
#include "tfr_wola.h"
#include "tfr_sdelay.h"
#include "tfr_freqmap.h"
#include "tfr_map.h"
#include "tfr_peaks.h"
#include "tfr_track.h"
#include "tfr_track_merge.h"
#include "tfr_synth.h"
#include "tfr_synth_channels.h"
#include "tfr_units.h"
#include "tfr_grid.h"
#include "tfr_bpgrid.h"
#include "tfr_pclip.h"
#include "tfr_pformat.h"
#include "tfr_sdif.h"
#include "tfr_spear.h"
#include "tfr_f0.h"
#include "tfr_select.h"
#include "tfr_label.h"
#include "tfr_distill.h"
#include "tfr_envelope.h"
#include "tfr_envelope_io.h"
#include "tfr_warp.h"
#include "tfr_morph.h"
#include "tfr_stochastic.h"
#include "tfr_describe.h"

#endif /* TFR_H */
