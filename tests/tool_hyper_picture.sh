# tool_hyper_picture.sh - tfr-hyper's pictures and long inputs: the
# figure's geometry chunks put a sine on the row they predict; --bare is
# the histogram's pixels as before (each pixel what the unchanged .npy
# says); -Z gives an absolute dBFS scale (two sines 30 dB apart read 30
# dB apart, each at its level); the .npy sidecars; labels of several q
# and channels; pages (how many, their times, the same counts as one
# picture, a .npy that grows, from a pipe too) in bounded memory.
# PNGs are read back with the inspector of test_picture ($TFR_PNGDUMP).
. "$TFR_TESTS/lib.sh"
export LC_ALL=C
H=$TFR_BIN/tfr-hyper

# side KEY FILE: a sidecar's first value of KEY
side() {
	sed -n "s/^$1=//p" "$2" | head -n 1
}
# gray X Y: the gray level (red) of pixel X Y of the last dump
gray() {
	rgb "$1" "$2" | cut -d ' ' -f 1
}
shape() { head -c 128 "$1" | tr -d '\n' | sed -n "s/.*'shape': (\([^)]*\)).*/\1/p"; }

"$TFR_GENSIG" -r 44100 -d 1 -o a.wav sine:1000:0.5
# 1000 Hz is in frequency bin round(48 log2(19845 / 1000)) = 207
row=207

# ---- the figure: axes, geometry, provenance; the sine on its row ----
$H -o f.png -o f.npy -k fc.npy a.wav
dump f.png
[ "$(val freq_axis)" = log ] && [ "$(val columns)" = 690 ] && [ "$(val rows)" = 361 ] ||
	fail "figure geometry: $(val freq_axis) $(val columns) $(val rows)"
near "$(val time_first)" "$(awk 'BEGIN { printf "%.15f", 31 / 44100 }')" 1e-12 || fail "time_first $(val time_first)"
near "$(val time_last)" "$(awk 'BEGIN { printf "%.15f", (689.5 * 64 - 1) / 44100 }')" 1e-9 || fail "time_last $(val time_last)"
near "$(val freq_first)" 19845 1e-6 || fail "freq_first $(val freq_first)"
near "$(val freq_last)" "$(awk 'BEGIN { printf "%.12f", 19845 * 2 ^ (-360 / 48) }')" 1e-6 || fail "freq_last $(val freq_last)"
[ "$(val level_unit)" = dBFS ] || fail "level_unit $(val level_unit)"
# the picture's maximum is the sine's bin at its end, where the filters
# see it stop: 0.4 dB above its steady 20 log10 0.5 dBFS (checked below)
near "$(val level_top)" -6.02 0.5 || fail "a sine of 0.5 reads $(val level_top) dBFS"
[ "$(val source)" = a.wav ] && [ "$(val q)" = 2 ] && [ "$(val tdeci)" = 64 ] &&
	[ "$(val minf)" = 110.25 ] && [ "$(val maxf)" = 19845 ] && [ "$(val threshold)" = whole ] ||
	fail "provenance chunks"
grep -qx 'history=tfr-hyper -o f.png -o f.npy -k fc.npy a.wav' dump.txt || fail "history chunk"
y=$(awk -v f0="$(val freq_first)" -v f1="$(val freq_last)" -v n="$(val rows)" -v py="$(val plot_y)" \
	'BEGIN { printf "%d", py + log(1000 / f0) / log(f1 / f0) * (n - 1) + 0.5 }')
[ "$y" -eq $(($(val plot_y) + row)) ] || fail "the chunks put 1000 Hz on row $y"
x=$(($(val plot_x) + 345))
dump f.png "$x" "$y" "$x" $((y - 3)) "$x" $((y + 3))
[ "$(gray "$x" "$y")" != "$(gray "$x" $((y - 3)))" ] && [ "$(gray "$x" $((y - 3)))" = "$(gray "$x" $((y + 3)))" ] ||
	fail "the sine is not on row $y of the figure"

# ---- --bare: the pixels the .npy (unchanged) says, as before figures ----
$H --bare -M gray -z 60 -o bare.png a.wav
dump bare.png
[ "$(sed -n 's/^size //p' dump.txt)" = "690 361" ] || fail "--bare size"
[ "$(grep -c = dump.txt)" -eq 0 ] || fail "--bare has text chunks"
args=""
for y in 0 100 $row 300; do
	x=0
	while [ $x -lt 690 ]; do args="$args $x $y"; x=$((x + 3)); done
done
dump bare.png $args
od -A n -t f4 -v -w4 -j 128 f.npy > e.txt
awk 'NR == FNR { e[NR - 1] = $1 + 0; if ($1 + 0 > m) m = $1 + 0; next }
     $1 == "pixel" { v = e[$2 * 361 + $3]; t = v > 0 ? 1 + 10 * log(v / m) / log(10) / 60 : 0
                     t = t < 0 ? 0 : t > 1 ? 1 : t; want = int(255 * t + 0.5)
                     n++; d = $4 - want; if (d < 0) d = -d; if (d > 1) bad++; if (d == 1) off++ }
     END { printf "bare: %d pixels checked against the .npy, %d off by one (decimal floats)\n", n, off
           exit !(n == 920 && bad == 0 && off <= n / 100) }' e.txt dump.txt ||
	fail "--bare: the pixels are not the .npy's levels"

# ---- the sidecars ----
[ "$(head -n 1 f.npy.txt)" = "# tfr matrix geometry 1" ] || fail "sidecar header"
[ "$(side columns f.npy.txt)" = 690 ] && [ "$(side rows f.npy.txt)" = 361 ] &&
	[ "$(side layers f.npy.txt)" = 1 ] && [ "$(side axes f.npy.txt)" = time,freq ] &&
	[ "$(side values f.npy.txt)" = energy ] && [ "$(side freq_axis f.npy.txt)" = log ] ||
	fail "sidecar geometry"
near "$(side time_first f.npy.txt)" "$(awk 'BEGIN { printf "%.15f", 31 / 44100 }')" 1e-12 || fail "sidecar time_first"
near "$(side full_scale f.npy.txt)" 325.5 0.1 || fail "sidecar full_scale $(side full_scale f.npy.txt)"
[ "$(side sample_rate f.npy.txt)" = 44100 ] && [ "$(side source_frames f.npy.txt)" = 44100 ] &&
	[ "$(side history fc.npy.txt)" = "tfr-hyper -o f.png -o f.npy -k fc.npy a.wav" ] ||
	fail "sidecar provenance"
[ "$(side values fc.npy.txt)" = counts ] && [ -z "$(side full_scale fc.npy.txt)" ] || fail "counts sidecar"
"$TFR_GENSIG" -r 44100 -d 1 -c 2 -o s.wav chan:1 sine:1000:0.5 chan:2 sine:3000:0.1
$H -q 0.5,2,8 --transpose -o m.npy -o rgb.png a.wav
[ "$(side axes m.npy.txt)" = layer,freq,time ] && [ "$(grep -c '^label=q=' m.npy.txt)" -eq 3 ] &&
	[ "$(grep -c '^full_scale=' m.npy.txt)" -eq 3 ] || fail "several q: sidecar axes, labels, full scales"
[ "$(shape m.npy)" = "3, 361, 690" ] || fail "several q transposed: shape $(shape m.npy)"
$H -F npy -o - a.wav > o.npy
[ ! -e -.txt ] && [ ! -e o.npy.txt ] || fail "a sidecar for standard output"

# ---- labels: a legend for RGB, a label per panel ----
dump rgb.png
[ "$(val layout)" = rgb ] && [ "$(grep -c '^label=' dump.txt)" -eq 3 ] &&
	grep -qx 'label=q=0.5' dump.txt && grep -qx 'label=q=8' dump.txt || fail "RGB legend labels"
$H --channels split -Z 0 -o split.png s.wav
dump split.png
[ "$(val layout)" = stacked ] && grep -qx 'label=channel 1' dump.txt &&
	grep -qx 'label=channel 2' dump.txt && [ "$(val level_ref)" = fixed ] || fail "stacked panels' labels"

# ---- -Z: an absolute scale; two sines 30 dB apart read 30 dB apart ----
"$TFR_GENSIG" -r 44100 -d 1 -o quiet.wav sine:1000:0.0158113883
for w in a quiet; do
	$H -Z 0 -z 60 -M gray -o z$w.png $w.wav
	dump z$w.png
	[ "$(val level_top)" = 0 ] && [ "$(val level_ref)" = fixed ] || fail "-Z 0: level_top $(val level_top)"
	x=$(($(val plot_x) + 345)) y=$(($(val plot_y) + row))
	dump z$w.png "$x" "$y"
	eval "g_$w=$(gray "$x" "$y")"
done
awk -v a="$g_a" -v q="$g_quiet" 'BEGIN { la = a / 255 * 60 - 60; lq = q / 255 * 60 - 60
	printf "-Z 0: 0.5 reads %.2f dBFS, 0.0158 reads %.2f dBFS: %.2f dB apart\n", la, lq, la - lq
	d = la - lq - 30; e = la + 6.02
	exit !(d < 0.5 && d > -0.5 && e < 0.5 && e > -0.5) }' || fail "-Z: the sines read $g_a and $g_quiet"

# ---- pages: ceil(N / page) pictures, their times; the .npy grows ----
"$TFR_GENSIG" -r 44100 -d 2.5 -o long.wav sine:1000:0.5 noise:0.001:1
# 1 s is 689 time bins (44100 / 64 = 689.06); 2.5 s are 1723
$H --page 1s -o pg.png -o pg.npy -k pgc.npy long.wav
[ "$(ls pg-*.png | wc -l)" -eq 3 ] || fail "2.5 s in pages of 1 s: $(ls pg-*.png | wc -l) pictures"
for k in 1 2 3; do
	dump pg-000$k.png
	near "$(val time_first)" "$(awk -v k=$k 'BEGIN { printf "%.15f", (((k - 1) * 689 + 0.5) * 64 - 1) / 44100 }')" 1e-9 ||
		fail "page $k: time_first $(val time_first)"
	[ "$(val columns)" = 689 ] && [ "$(val page)" = $k ] && [ "$(val pages)" = 3 ] &&
		[ "$(val threshold)" = page ] || fail "page $k: chunks"
done
[ "$(shape pg.npy)" = "1723, 361" ] && [ "$(side columns pg.npy.txt)" = 1723 ] &&
	[ "$(side threshold pg.npy.txt)" = page ] || fail "paged .npy: shape $(shape pg.npy)"
# the counts are before the threshold: the same as one picture's
$H -k wc.npy -o w.npy long.wav
cmp -s pgc.npy wc.npy || fail "paged counts differ from the whole input's"
# from a pipe (the length not known: the header made final at the end),
# and a .npy of pages on standard output (one matrix, length known)
cat long.wav | $H --page 1s -o pp.npy -o pp.png
cmp -s pp.npy pg.npy || fail "pages from a pipe differ"
$H --page 1s -F npy -o - long.wav > so.npy
cmp -s so.npy pg.npy || fail "pages on standard output differ"
expect_error 2 "tfr-hyper: --page writes pictures to files: give -o NAME.png" $H --page 1s -F png -o - long.wav
# (the status of the tool, not of the pipe's reader)
(cat long.wav | $H --page 1s -F npy -o - 2> err.txt && echo 0 > st.txt || echo $? > st.txt) | cat > /dev/null
[ "$(cat st.txt)" = 2 ] && [ "$(head -n 1 err.txt)" = "tfr-hyper: --page: stdout: a .npy on a pipe needs one matrix, no --transpose and an input of known length" ] ||
	fail "a .npy of pages on a pipe, length not known: $(cat st.txt) $(head -n 1 err.txt)"
expect_error 2 "tfr-hyper: --page: must be above 0" $H --page 0 -o x.png long.wav

# ---- --start/--duration: a part of the input, at its absolute times ----
# an impulse at 0.5 s; at 32 kHz 0.25 s is 125 time bins of 64, so the
# part's columns are the whole's columns 125 on: the impulse's column
# (the most points) is the same absolute column in both, with the same
# points within 0.1 % (blocks start elsewhere: 221103 and 221137 here;
# the energies differ more, as the count threshold is the part's own)
"$TFR_GENSIG" -r 32000 -d 1 -o imp.wav impulse:16000:0.8
$H -o whole.npy -k whole-c.npy imp.wav
$H --start 0.25 --duration 500ms -o part.npy -k part-c.npy -o part.png imp.wav
near "$(side time_first part.npy.txt)" "$(awk 'BEGIN { printf "%.15f", 0.25 + 31 / 32000 }')" 1e-12 ||
	fail "--start: time_first $(side time_first part.npy.txt)"
[ "$(side columns part.npy.txt)" = 250 ] || fail "--duration: $(side columns part.npy.txt) columns, expected 250"
# colsum FILE ROWS: "column total" of a (time, freq) uint32 .npy
colsum() {
	od -A n -t u4 -v -w4 -j 128 "$1" | awk -v r="$2" '{ s[int((NR - 1) / r)] += $1 }
		END { for (c in s) print c, s[c] }' | sort -n
}
rows=$(side rows whole.npy.txt)
wmax=$(colsum whole-c.npy "$rows" | sort -k2 -n | tail -n 1)
pmax=$(colsum part-c.npy "$rows" | sort -k2 -n | tail -n 1)
wc=${wmax%% *} pc=${pmax%% *}
tw=$(awk -v c="$wc" 'BEGIN { printf "%.6f", (c * 64 + 31) / 32000 }')
[ "$wc" -eq $((pc + 125)) ] && near "$tw" 0.5 0.002 ||
	fail "the impulse: column $wc ($tw s) of the whole, $pc of the part"
# (with FFTW the two are 0.19 % apart, 221129 and 220709: an impulse's
# count moves with the FFT's roundoff, FFTW's other algorithms give 0.03 %
# to 0.2 %: its bound is 0.3 %)
tol=1e-3
"$H" --version | grep -q '^FFT backend: FFTW' && tol=3e-3
near "${pmax#* }" "${wmax#* }" "$(awk -v v="${wmax#* }" -v t=$tol 'BEGIN { print v * t }')" ||
	fail "the impulse's column: ${pmax#* } points in the part, ${wmax#* } in the whole"
expect_error 2 "tfr-hyper: --start: 2 s is not before the end of the input (1 s)" $H --start 2 -o x.npy imp.wav
[ ! -e x.npy ] || fail "--start past the end left x.npy"

# ---- memory: 10 minutes in pages take what 1 minute takes ----
if [ -n "${TFR_SANITIZE:-}" ]; then
	echo "sanitizer build: memory check skipped"
elif [ -x /usr/bin/time ]; then
	"$TFR_GENSIG" -r 8000 -b 16 -d 600 -o ten.wav sine:1000:0.5 noise:0.01:2
	"$TFR_GENSIG" -r 8000 -b 16 -d 60 -o one.wav sine:1000:0.5 noise:0.01:2
	# few filters (-O 1 -N 12): the histogram's size is what is measured
	for n in ten one; do
		/usr/bin/time -f %M -o rss$n.txt $H -O 1 -N 12 --page 30s -o $n.png -o $n.npy $n.wav
	done
	[ "$(ls ten-*.png | wc -l)" -eq 20 ] && [ "$(ls one-*.png | wc -l)" -eq 2 ] || fail "page counts"
	[ "$(shape ten.npy)" = "75000, 91" ] || fail "10 min .npy: $(shape ten.npy)"
	r10=$(tail -n 1 rssten.txt) r1=$(tail -n 1 rssone.txt)
	echo "peak RSS with pages of 30 s: 10 min $r10 kB, 1 min $r1 kB"
	[ $((r10 - r1)) -lt 3000 ] || fail "10 min took $r10 kB, 1 min $r1 kB: memory grows with the input"
	rm -f ten.wav one.wav ten-*.png one-*.png ten.npy one.npy
else
	echo "/usr/bin/time missing: memory check skipped"
fi
finish
