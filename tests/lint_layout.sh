# lint_layout.sh - the library's architecture, enforced: DSP cores compute
# on arrays and records and never touch files, streams, text or parsing;
# I/O modules never do DSP; library sources include what they use, never
# the umbrella header; nothing in lib/ prints or exits.
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
	base | dsp | io | include | CMakeLists.txt | tfr.pc.in) ;;
	*) fail "lib/${f##*/}: lib/ holds base/, dsp/, io/ and include/ only" ;;
	esac
done

dsp=$(ls "$L"/dsp/*.c "$L"/dsp/*.h "$L"/dsp/*.inc 2>/dev/null || true)
io=$(ls "$L"/io/*.c "$L"/io/*.h 2>/dev/null || true)
all=$(ls "$L"/base/* "$L"/dsp/* "$L"/io/*)

# DSP: no stdio, libsndfile, libpng, text, number, audio or map API
bad=$(matches '#include[[:space:]]*[<"](stdio\.h|sndfile\.h|png\.h|tfr\.h|tfr_text\.h|tfr_number\.h|tfr_points\.h|tfr_audio\.h|tfr_map\.h|tfr_npy\.h|tfr_png\.h)[>"]' $dsp)
[ -z "$bad" ] || fail "a DSP core includes an I/O header: $bad"
# ... and no printing, formatting or parsing of text
bad=$(matches '\b(v?f?s?n?printf|puts|fputs|putchar|fwrite|fopen|fread|getline|strto[a-z]*|ato[fil]|v?s?f?scanf|tfr_parse_[a-z_]*|tfr_fmt_[a-z_]*)[[:space:]]*\(' $dsp)
[ -z "$bad" ] || fail "a DSP core formats, parses or does I/O: $bad"

# I/O: no FFTs and no DSP objects
# (a window's name is text: tfr_window_spec.h; its shape, tfr_window.h, DSP)
bad=$(matches '#include[[:space:]]*[<"](kiss_fft[a-z]*\.h|hyper_[a-z]*\.h|tfr_(reassign|framer|wola|sdelay|hyper|peaks|track|synth|freqmap|bpgrid|window)\.h)[>"]' $io)
[ -z "$bad" ] || fail "an I/O module includes a DSP header: $bad"
bad=$(matches '\b(kiss_fft[a-z]*|tfr_(reassign|framer|wola|sdelay|hyper|peaks|track|synth|bpgrid)_[a-z_]*|tfr_window_(fill|lobe_bins))[[:space:]]*\(' $io)
[ -z "$bad" ] || fail "an I/O module calls a DSP core: $bad"

# every library source includes what it uses, not the umbrella header
bad=$(matches '#include[[:space:]]*"tfr\.h"' $all)
[ -z "$bad" ] || fail "a library source includes tfr.h: $bad"
# the library never prints to the terminal, never exits
bad=$(matches '\b(stdout|stderr|exit|abort|_Exit|perror)\b' $all)
[ -z "$bad" ] || fail "the library prints or exits: $bad"

# the lint itself works: a DSP file with printf would be caught
printf '#include <stdio.h>\nvoid f(void) { printf("x"); }\n' > fake.c
[ -n "$(matches '\b(v?f?s?n?printf)[[:space:]]*\(' fake.c)" ] || fail "lint pattern misses printf"
finish
