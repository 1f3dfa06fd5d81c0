# lint_layout.sh - the architecture, enforced. In lib/: DSP cores compute
# on arrays and records and never touch files, streams, text or parsing;
# I/O modules never do DSP; picture modules draw above the formats, never
# do DSP, and I/O never uses them; library sources include what they use,
# never the umbrella header; nothing in lib/ prints or exits.
. "$TFR_TESTS/lib.sh"
L=$TFR_SRC/lib

# list FILES PATTERN: the lines of FILES matching the extended regex,
# comments left out (a line starting with /* or * or //)
matches() {
	pattern=$1
	shift
	grep -nE "$pattern" "$@" /dev/null | grep -vE '^[^:]*:[0-9]+:[[:space:]]*(/?\*|//)' || true
}

for f in "$L"/*; do
	case ${f##*/} in
	base | dsp | io | picture | include | CMakeLists.txt | tfr.pc.in) ;;
	*) fail "lib/${f##*/}: lib/ holds base/, dsp/, io/, picture/ and include/ only" ;;
	esac
done

dsp=$(ls "$L"/dsp/*.c "$L"/dsp/*.h "$L"/dsp/*.inc 2>/dev/null || true)
io=$(ls "$L"/io/*.c "$L"/io/*.h 2>/dev/null || true)
picture=$(ls "$L"/picture/*.c "$L"/picture/*.h 2>/dev/null || true)
all=$(ls "$L"/base/* "$L"/dsp/* "$L"/io/* "$L"/picture/*)

# DSP: no stdio, libsndfile, libpng, text, number, audio, map or picture API
bad=$(matches '#include[[:space:]]*[<"](stdio\.h|sndfile\.h|png\.h|tfr\.h|tfr_text\.h|tfr_number\.h|tfr_points\.h|tfr_audio\.h|tfr_map\.h|tfr_npy\.h|tfr_png\.h|tfr_picture\.h)[>"]' $dsp)
[ -z "$bad" ] || fail "a DSP core includes an I/O header: $bad"
# ... and no printing, formatting or parsing of text
bad=$(matches '\b(v?f?s?n?printf|puts|fputs|putchar|fwrite|fopen|fread|getline|strto[a-z]*|ato[fil]|v?s?f?scanf|tfr_parse_[a-z_]*|tfr_fmt_[a-z_]*)[[:space:]]*\(' $dsp)
[ -z "$bad" ] || fail "a DSP core formats, parses or does I/O: $bad"

# I/O and pictures: no FFTs and no DSP objects (a window's name is text,
# tfr_window_spec.h; its shape, tfr_window.h, is DSP)
dsp_include='#include[[:space:]]*[<"](kiss_fft[a-z]*\.h|hyper_[a-z]*\.h|tfr_(reassign|framer|wola|sdelay|hyper|peaks|track|synth|freqmap|bpgrid|window)\.h)[>"]'
dsp_call='\b(kiss_fft[a-z]*|tfr_(reassign|framer|wola|sdelay|hyper|peaks|track|synth|bpgrid)_[a-z_]*|tfr_window_(fill|lobe_bins))[[:space:]]*\('
bad=$(matches "$dsp_include" $io $picture)
[ -z "$bad" ] || fail "an I/O or picture module includes a DSP header: $bad"
bad=$(matches "$dsp_call" $io $picture)
[ -z "$bad" ] || fail "an I/O or picture module calls a DSP core: $bad"

# I/O is below the pictures: the formats never draw
picture_include='#include[[:space:]]*[<"]tfr_picture\.h[>"]'
picture_call='\b(tfr_picture_[a-z_]*|tfr_colormap_[a-z_]*|tfr_level_db|tfr_font_[a-z_]*|tfr_axis_ticks|tfr_tick_label)[[:space:]]*\('
bad=$(matches "$picture_include" $io)
[ -z "$bad" ] || fail "an I/O module includes the picture header: $bad"
bad=$(matches "$picture_call" $io)
[ -z "$bad" ] || fail "an I/O module draws: $bad"

# every library source includes what it uses, not the umbrella header
bad=$(matches '#include[[:space:]]*"tfr\.h"' $all)
[ -z "$bad" ] || fail "a library source includes tfr.h: $bad"
# the library never prints to the terminal, never exits
bad=$(matches '\b(stdout|stderr|exit|abort|_Exit|perror)\b' $all)
[ -z "$bad" ] || fail "the library prints or exits: $bad"

# the lint itself works: a DSP file with printf would be caught, and an
# I/O file that includes DSP or picture headers or draws
printf '#include <stdio.h>\nvoid f(void) { printf("x"); }\n' > fake.c
[ -n "$(matches '\b(v?f?s?n?printf)[[:space:]]*\(' fake.c)" ] || fail "lint pattern misses printf"
printf '#include "tfr_window.h"\n#include "tfr_picture.h"\nvoid g(void) { tfr_colormap_rgb(0, 0, 0); }\n' > fake_io.c
[ -n "$(matches "$dsp_include" fake_io.c)" ] || fail "lint pattern misses tfr_window.h"
[ -n "$(matches "$picture_include" fake_io.c)" ] || fail "lint pattern misses tfr_picture.h"
[ -n "$(matches "$picture_call" fake_io.c)" ] || fail "lint pattern misses a colour map"
finish
