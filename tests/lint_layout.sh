# lint_layout.sh - the architecture, enforced. In lib/: DSP cores compute
# on arrays and records and never touch files, streams, text or parsing;
# I/O modules never do DSP; picture modules draw above the formats, never
# do DSP, and I/O never uses them; library sources include what they use,
# never the umbrella header; nothing in lib/ prints or exits. In tools/:
# one file per executable, its other parts in a folder of its own, and no
# two files of a folder calling each other.
. "$TFR_TESTS/lib.sh"
L=$TFR_SRC/lib
T=$TFR_SRC/tools

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
dsp_include='#include[[:space:]]*[<"](kiss_fft[a-z]*\.h|fftw3\.h|hyper_[a-z]*\.h|tfr_(reassign|framer|wola|sdelay|hyper|peaks|track|synth|freqmap|bpgrid|window|fft)\.h)[>"]'
dsp_call='\b(kiss_fft[a-z]*|fftwf?_[a-z_]*|tfr_(reassign|framer|wola|sdelay|hyper|peaks|track|synth|bpgrid|fft)_[a-z_]*|tfr_window_(fill|lobe_bins))[[:space:]]*\('
bad=$(matches "$dsp_include" $io $picture)
[ -z "$bad" ] || fail "an I/O or picture module includes a DSP header: $bad"
bad=$(matches "$dsp_call" $io $picture)
[ -z "$bad" ] || fail "an I/O or picture module calls a DSP core: $bad"

# One FFT interface (tfr_fft.h): a backend's header and calls are in its
# file (lib/dsp/fft_kiss.c, fft_fftw.c) only, in lib/, tools/ and tests/
fft_backend='#include[[:space:]]*[<"](kiss_fft[a-z]*|fftw3)\.h[>"]|\b(kiss_fft[a-z]*|fftwf?_[a-z_]*)[[:space:]]*\('
others=$(find "$L" "$T" "$TFR_SRC/tests" -name '*.[ch]' ! -name fft_kiss.c ! -name fft_fftw.c)
bad=$(matches "$fft_backend" $others)
[ -z "$bad" ] || fail "an FFT backend used outside its file (use tfr_fft.h): $bad"

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

# tools/: the executables (tfr-NAME.c), the skeleton (common/) and the
# other parts of a tool too big for one file (NAME/, beside tfr-NAME.c)
for f in "$T"/*; do
	n=${f##*/}
	case $n in
	tfr-*.c | common) continue ;;
	esac
	[ -d "$f" ] && [ -f "$T/tfr-$n.c" ] ||
		fail "tools/$n: tools/ holds tfr-*.c, common/ and a folder per tool (NAME/ for tfr-NAME.c) only"
done

# exported FILE: the functions FILE defines for other files: a name and
# '(' on a line that starts in the first column with a type, not static
# (the skeleton's style: the type and name of a definition on one line)
exported() {
	grep -vE '^(static|typedef|extern)\b' "$1" |
		sed -nE 's/^[A-Za-z_][^(;=]*[^A-Za-z0-9_(]([A-Za-z_][A-Za-z0-9_]*)\(.*/\1/p'
}
# calls A B: 1 when A calls a function that B defines
calls() {
	names=$(exported "$2" | sort -u | paste -sd '|' -)
	[ -n "$names" ] && [ -n "$(matches "\\b($names)[[:space:]]*\\(" "$1")" ]
}
# loops FILE...: the files that call each other, through any number of
# others (tsort's complaint), or nothing when their calls are layered
loops() {
	for a; do
		echo "$a $a"
		for b; do
			[ "$a" = "$b" ] || ! calls "$a" "$b" || echo "$b $a"
		done
	done | tsort 2>&1 >/dev/null | grep -v 'input contains a loop' | sed 's/^tsort: //' | paste -sd ' ' - || true
}
# no .c files of a tool's folder call each other: its parts are layered
for d in "$T"/*/; do
	set -- "$d"*.c
	[ -e "$1" ] || continue
	bad=$(cd "$d" && loops *.c)
	[ -z "$bad" ] || fail "tools/${d#"$T"/}: these files call each other: $bad"
done

# the lint itself works: a DSP file with printf would be caught, and so
# would two files that call each other (and one that calls the other not)
printf '#include <stdio.h>\nvoid f(void) { printf("x"); }\n' > fake.c
[ -n "$(matches '\b(v?f?s?n?printf)[[:space:]]*\(' fake.c)" ] || fail "lint pattern misses printf"
printf '#include "tfr_window.h"\n#include "tfr_picture.h"\nvoid g(void) { tfr_colormap_rgb(0, 0, 0); }\n' > fake_io.c
[ -n "$(matches "$dsp_include" fake_io.c)" ] || fail "lint pattern misses tfr_window.h"
[ -n "$(matches "$picture_include" fake_io.c)" ] || fail "lint pattern misses tfr_picture.h"
[ -n "$(matches "$picture_call" fake_io.c)" ] || fail "lint pattern misses a colour map"
printf 'static int helper(void);\nvoid a_one(int x)\n{\n\tb_two(x);\n}\n' > fake_a.c
printf '#include "a.h"\nconst char *b_two(int x)\n{\n\treturn x ? a_one(x), "" : "";\n}\nstatic void b_three(void)\n{\n}\n' > fake_b.c
printf 'int c_four(void)\n{\n\treturn b_three();\n}\n' > fake_c.c
[ -n "$(loops fake_a.c fake_b.c fake_c.c)" ] || fail "lint misses a cycle"
[ -z "$(loops fake_b.c fake_c.c)" ] || fail "lint takes a static function for a call between files"
finish
