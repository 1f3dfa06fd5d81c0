# tool_image.sh - tfr-image through real pipes: every kind of stream and
# audio; a record at a known time and frequency on the pixel the axes
# (the PNG's geometry chunks) say; --start/--duration keep absolute
# times; pages (how many, which times, bounded memory); bad input.
# PNGs are read back with the inspector of test_picture ($TFR_PNGDUMP).
. "$TFR_TESTS/lib.sh"
I=$TFR_BIN/tfr-image
R=$TFR_BIN/tfr-reassign

# where T F: the pixel "X Y" where time T, frequency F are, from the
# chunks of the last dump (linear axes; a log frequency axis with LOG=1)
where() {
	awk -v t="$1" -v f="$2" -v log_="${LOG:-0}" \
	    -v px="$(val plot_x)" -v py="$(val plot_y)" \
	    -v t0="$(val time_first)" -v t1="$(val time_last)" \
	    -v f0="$(val freq_first)" -v f1="$(val freq_last)" \
	    -v nc="$(val columns)" -v nr="$(val rows)" 'BEGIN {
		x = (t - t0) / (t1 - t0) * (nc - 1)
		if (log_) y = log(f / f0) / log(f1 / f0) * (nr - 1)
		else y = (f - f0) / (f1 - f0) * (nr - 1)
		printf "%d %d\n", px + int(x + 0.5), py + int(y + 0.5) }'
}

"$TFR_GENSIG" -o sine.wav sine:2153.3203125:0.5
"$TFR_GENSIG" -d 2.5 -o long.wav sine:1000:0.5 noise:0.001:1
"$TFR_GENSIG" -c 2 -o stereo.wav chan:1 sine:1000:0.5 chan:2 sine:5000:0.1

# ---- a peak at a known time and frequency, on its pixel ----
printf '#tfr peaks 1\n# sample_rate=8000\n# columns=frame\ttime\tfreq\tamp\tphase\tbandwidth\tmixed\timpulse\n0\t0.300000000\t1200.000000\t0.5\t0\t0\t0\t0\n' > peak.txt
cat peak.txt | "$I" -W 200 -E 100 --duration 1 -Y 2000 --dot 0 -o peak.png
dump peak.png
[ "$(val columns)" = 200 ] && [ "$(val rows)" = 100 ] || fail "geometry of the plot"
near "$(val time_first)" 0.0025 1e-12 || fail "time_first $(val time_first)"
near "$(val time_last)" 0.9975 1e-12 || fail "time_last $(val time_last)"
near "$(val freq_first)" 1990 1e-9 || fail "freq_first $(val freq_first)"
[ "$(val freq_axis)" = linear ] || fail "freq_axis"
[ "$(val level_unit)" = dBFS ] || fail "level_unit"
near "$(val level_top)" -6.0206 0.0001 || fail "level_top is the peak's level: $(val level_top)"
[ "$(val input_kind)" = peaks ] || fail "input_kind"
grep -qx 'history=tfr-image -W 200 -E 100 --duration 1 -Y 2000 --dot 0 -o peak.png' dump.txt ||
	fail "history chunk"
set -- $(where 0.3 1200)
px=$1 py=$2
dump peak.png "$px" "$py" $((px + 2)) "$py" "$px" $((py - 2)) 10 10
hit=$(rgb "$px" "$py")
bg=$(rgb $((px + 2)) "$py")
[ "$hit" != "$bg" ] || fail "the peak is not on pixel $px $py"
[ "$bg" = "$(rgb "$px" $((py - 2)))" ] || fail "the peak spreads"
echo "peak at 0.3 s, 1200 Hz on pixel ($px, $py): $hit"

# the same with --start/--duration: times stay absolute
printf '0\t1.200000000\t1200.000000\t0.5\t0\t0\t0\t0\n' > late.txt
cat peak.txt late.txt | "$I" -W 200 -E 100 --start 1 --duration 0.5 -Y 2000 --dot 0 -o late.png
dump late.png
near "$(val time_first)" 1.00125 1e-12 || fail "--start: time_first $(val time_first)"
near "$(val time_last)" 1.49875 1e-12 || fail "--start: time_last $(val time_last)"
set -- $(where 1.2 1200)
px=$1 py=$2
dump late.png "$px" "$py" $((px + 2)) "$py"
[ "$(rgb "$px" "$py")" != "$(rgb $((px + 2)) "$py")" ] || fail "--start: the peak at 1.2 s is not on pixel $px $py"

# ---- points: a bin-centred sine through tfr-reassign, on its row ----
"$R" sine.wav | "$I" -W 100 -E 100 -Y 4000 -o points.png
dump points.png
# (the default range of points is 50 dB, of the rest 80, -z is kept)
[ "$(val level_range)" = 50 ] || fail "points: default range $(val level_range)"
"$R" sine.wav | "$I" -z 70 -W 100 -E 100 -Y 4000 -o points70.png
dump points70.png
[ "$(val level_range)" = 70 ] || fail "points: -z 70 gave $(val level_range)"
"$I" -W 100 -E 100 -Y 4000 -o audio80.png sine.wav
dump audio80.png
[ "$(val level_range)" = 80 ] || fail "audio: default range $(val level_range)"
dump points.png
[ "$(val input_kind)" = points ] || fail "points: input_kind"
[ "$(val source)" = sine.wav ] || fail "points: the stream's metadata"
near "$(val time_last)" 0.995 1e-9 || fail "points: a file's length from source_frames"
set -- $(where 0.5 2153.3203125)
px=$1 py=$2
# frames are 1.2 columns apart: some columns have no point
args=""
for x in $((px - 2)) $((px - 1)) "$px" $((px + 1)) $((px + 2)); do
	args="$args $x $py $x $((py - 3)) $x $((py + 3))"
done
dump points.png $args
bg=$(rgb "$px" $((py - 3)))
awk -v y="$py" -v bg="$bg" '$1 == "pixel" { c = $4 " " $5 " " $6
	if ($3 == y) lit += c != bg; else off += c != bg }
	END { exit !(lit >= 3 && off == 0) }' dump.txt || fail "points: the sine is not on row $py"

# ---- audio: the same sine from a file and a pipe, same pixels ----
# (Hann 2048: the sine is on bin 100; the default analysis is checked
# below)
# (the same title for all three: a file's is its name, a pipe has none)
"$I" -w hann -l 2048 -W 100 -E 100 -Y 4000 --title t -o audio.png sine.wav
dump audio.png
set -- $(where 0.5 2153.3203125)
px=$1 py=$2
dump audio.png "$px" "$py" "$px" $((py - 8))
file_pixels=$(sed -n 's/^pixels //p' dump.txt)
[ "$(val input_kind)" = audio ] && [ "$(val fft_size)" = 2048 ] || fail "audio: chunks"
near "$(val level_top)" -6.0206 0.001 || fail "audio: a bin-centred sine reads its level: $(val level_top)"
[ "$(rgb "$px" "$py")" != "$(rgb "$px" $((py - 8)))" ] || fail "audio: the sine is not on row $py"
cat sine.wav | "$I" -w hann -l 2048 -W 100 -E 100 -Y 4000 --title t -o pipe.png
dump pipe.png
[ "$(sed -n 's/^pixels //p' dump.txt)" = "$file_pixels" ] || fail "audio from a pipe differs from the file"
[ "$(val source)" = stdin ] || fail "audio: source=stdin"
"$I" -w hann -l 2048 -W 100 -E 100 -Y 4000 --title t < sine.wav > stdin.png
dump stdin.png
[ "$(sed -n 's/^pixels //p' dump.txt)" = "$file_pixels" ] || fail "audio redirected from a file differs"
# The default window is tfr-reassign's (-R 110 Hz: Kaiser 90 dB, 1581
# samples, FFT 1600), so a picture lines up with its points; the hop is
# half a column (1 s over 100 px: 220 samples). The sine lies 0.125 bin
# off bin 78: the Kaiser window's response there reads -0.0500 dB, so
# -6.0706 dBFS.
"$I" -W 100 -E 100 -Y 4000 -o def.png sine.wav
dump def.png
[ "$(val window_length)" = 1581 ] && [ "$(val hop)" = 220 ] && [ "$(val fft_size)" = 1600 ] ||
	fail "audio: default analysis $(val window_length) $(val hop) $(val fft_size)"
near "$(val level_top)" -6.0706 0.001 || fail "audio: default analysis level $(val level_top)"
# The analysis follows the pixels (issue 22 item 5): 0.1 s over 400 px,
# two frames a column (hop 5 samples); 1 s over 10 px, a hop of half the
# window at most (790: no sample unseen); 0-400 Hz over 400 rows, 8
# resolution cells across (50 Hz: a 3477-sample window) and bins as close
# as the rows (1 Hz) up to 8 windows (27816): FFT 28800, the window's own
# 3600 doubled; -R, -H and -n as given are kept.
"$I" -W 400 -E 100 -Y 4000 --duration 0.1 -o a1.png sine.wav
dump a1.png
[ "$(val hop)" = 5 ] || fail "audio: 0.1 s over 400 px: hop $(val hop)"
"$I" -W 10 -E 100 -Y 4000 -o a2.png sine.wav
dump a2.png
[ "$(val hop)" = 790 ] || fail "audio: 1 s over 10 px: hop $(val hop)"
"$I" -W 100 -E 400 -Y 400 -o a3.png sine.wav
dump a3.png
[ "$(val window_length)" = 3477 ] && [ "$(val fft_size)" = 28800 ] ||
	fail "audio: 0-400 Hz: window $(val window_length), FFT $(val fft_size)"
"$I" -W 100 -E 400 -Y 400 -R 110 -H 100 -n 2048 -o a4.png sine.wav
dump a4.png
[ "$(val window_length)" = 1581 ] && [ "$(val hop)" = 100 ] && [ "$(val fft_size)" = 2048 ] ||
	fail "audio: -R -H -n kept: $(val window_length) $(val hop) $(val fft_size)"
# --plain (sox's analysis): a frame a column (1 s over 100 px: 441
# samples) and the window's own FFT (1600; 3600 for 0-400 Hz, not
# padded to the rows); a steady sine reads the same level
"$I" --plain -W 100 -E 100 -Y 4000 -o p1.png sine.wav
dump p1.png
[ "$(val window_length)" = 1581 ] && [ "$(val hop)" = 441 ] && [ "$(val fft_size)" = 1600 ] ||
	fail "audio --plain: $(val window_length) $(val hop) $(val fft_size)"
near "$(val level_top)" -6.0706 0.001 || fail "audio --plain: level $(val level_top)"
"$I" --plain -W 100 -E 400 -Y 400 -o p2.png sine.wav
dump p2.png
[ "$(val fft_size)" = 3600 ] || fail "audio --plain 0-400 Hz: FFT $(val fft_size)"

# ---- partials: lines through the breakpoints ----
awk 'BEGIN { printf "#tfr partials 1\n# sample_rate=8000\n# columns=partial\ttime\tfreq\tamp\tphase\tbandwidth\tend\n"
	for (i = 0; i <= 10; i++) printf "7\t%.9f\t1000.000000\t0.5\t0\t0\t%d\n", i * 0.1, i == 10 }' |
	"$I" -W 200 -E 100 -Y 2000 -o lines.png
dump lines.png
set -- $(where 0 1000)
y=$2
args=""
for x in $(seq "$(val plot_x)" 5 $(($(val plot_x) + 199))); do args="$args $x $y $x $((y + 3))"; done
dump lines.png $args
awk -v y="$y" '$1 == "pixel" { c[$2 " " $3] = $4 " " $5 " " $6; xs[$2] = 1 }
     END { for (x in xs) if (c[x " " y] == c[x " " (y + 3)]) { n++ }
           exit n > 0 }' dump.txt || fail "partials: the line at 1000 Hz has gaps"
[ "$(val input_kind)" = partials ] || fail "partials: input_kind"

# ---- pages: ceil(N / page) files with their times, from audio and streams ----
"$I" --page 1s -W 100 -E 50 -o pg.png long.wav
[ "$(ls pg-*.png | wc -l)" -eq 3 ] || fail "2.5 s in pages of 1 s: $(ls pg-*.png | wc -l) files"
for k in 1 2 3; do
	dump pg-000$k.png
	near "$(val time_first)" $((k - 1)).005 1e-9 || fail "page $k: time_first $(val time_first)"
	near "$(val time_last)" $((k - 1)).995 1e-9 || fail "page $k: time_last $(val time_last)"
	[ "$(val page)" = $k ] && [ "$(val pages)" = 3 ] || fail "page $k: page chunks"
done
# what each says it is (issue 22 item 7): the file's name, the page, its
# times of how long a recording; the last, past the end of the input
# (2.5 s on a page of 2-3 s), hatched and saying so: its right half is
# grey stripes (two greys, no colour), its left half the spectrogram
dump pg-0001.png
[ "$(val Title)" = "long.wav, page 1 of 3, 0-1 s of 2.5 s" ] || fail "page 1 title: $(val Title)"
dump pg-0003.png
[ "$(val Title)" = "long.wav, page 3 of 3, 2-3 s of 2.5 s (hatched: past the end)" ] ||
	fail "page 3 title: $(val Title)"
x0=$(val plot_x) y0=$(val plot_y)
args=""
for x in $(seq $((x0 + 55)) $((x0 + 99))); do args="$args $x $((y0 + 20))"; done
dump pg-0003.png $args
awk '$1 == "pixel" { if (!($4 == $5 && $5 == $6 && ($4 == 150 || $4 == 100))) bad++; g[$4]++ }
     END { exit !(bad == 0 && g[150] > 0 && g[100] > 0) }' dump.txt ||
	fail "page 3 past the end is not hatched: $(grep pixel dump.txt | head -3)"
"$I" --page 1s --title "Site A" -W 100 -E 50 -o tt.png long.wav
dump tt-0002.png
[ "$(val Title)" = "Site A, page 2 of 3, 1-2 s of 2.5 s" ] || fail "--title with pages: $(val Title)"
"$I" -W 100 -E 50 -o one.png long.wav
dump one.png
[ "$(val Title)" = "long.wav" ] || fail "a picture's title: $(val Title)"
# a stream through a pipe: the length comes as a trailer
cat long.wav | "$R" | "$I" --page 0.5s -W 50 -E 50 -o spg.png
[ "$(ls spg-*.png | wc -l)" -eq 5 ] || fail "a piped stream of 2.5 s in pages of 0.5 s: $(ls spg-*.png | wc -l)"
dump spg-0005.png
near "$(val time_first)" 2.005 1e-9 || fail "stream page 5: time_first $(val time_first)"
# pages of --duration from --start
"$I" --page 0.4 --start 0.2 --duration 1 -W 40 -E 20 -o sd.png long.wav
[ "$(ls sd-*.png | wc -l)" -eq 3 ] || fail "--duration 1 in pages of 0.4: $(ls sd-*.png | wc -l)"
dump sd-0003.png
near "$(val time_first)" 1.005 1e-9 || fail "--start page 3: time_first $(val time_first)"

# ---- one sound, every kind of picture on the same axes (issue 22 item
# 8): the spectrogram of long.wav and the pictures of its points, peaks
# and partials, made with the same options, have the same frame, plot
# and axes (the title is the recording's name in all; an f0 track is
# drawn over a spectrogram, --overlay, on its axes by construction) ----
"$R" long.wav > ax.points
"$TFR_BIN/tfr-peaks" ax.points > ax.peaks
"$TFR_BIN/tfr-track" ax.peaks > ax.partials
geo() {
	dump "$1"
	for k in Title width height plot_x plot_y columns rows time_first time_last freq_first freq_last; do
		printf '%s=%s ' "$k" "$(val $k)"
	done
}
"$I" -W 200 -E 80 -Y 2k --start 0.5 --duration 1.5 -o ax.png long.wav
want=$(geo ax.png)
for k in points peaks partials; do
	"$I" -W 200 -E 80 -Y 2k --start 0.5 --duration 1.5 -o ax-$k.png ax.$k
	[ "$(geo ax-$k.png)" = "$want" ] || fail "$k: axes differ from the spectrogram's: $(geo ax-$k.png) / $want"
done

# ---- memory: 10 minutes in pages take what 1 minute takes ----
if [ -n "${TFR_SANITIZE:-}" ]; then
	echo "sanitizer build: memory check skipped"
elif [ -x /usr/bin/time ]; then
	"$TFR_GENSIG" -r 8000 -b 16 -d 600 -o ten.wav sine:1000:0.5 noise:0.01:2
	"$TFR_GENSIG" -r 8000 -b 16 -d 60 -o one.wav sine:1000:0.5 noise:0.01:2
	/usr/bin/time -f %M -o rss10.txt "$I" --page 30s -W 300 -E 150 -l 1024 -H 1024 -o ten.png ten.wav
	/usr/bin/time -f %M -o rss1.txt "$I" --page 30s -W 300 -E 150 -l 1024 -H 1024 -o one.png one.wav
	[ "$(ls ten-*.png | wc -l)" -eq 20 ] && [ "$(ls one-*.png | wc -l)" -eq 2 ] || fail "page counts"
	r10=$(tail -n 1 rss10.txt) r1=$(tail -n 1 rss1.txt)
	echo "peak RSS with pages of 30 s: 10 min $r10 kB, 1 min $r1 kB"
	[ $((r10 - r1)) -lt 3000 ] || fail "10 min took $r10 kB, 1 min $r1 kB: memory grows with the input"
	# one picture of a pipe: the WAV header's length is taken, not the
	# audio held (issue 19 item 4: 109 MB at 600 s of 44.1 kHz)
	/usr/bin/time -f %M -o rss10.txt sh -c "cat ten.wav | '$I' -W 300 -E 150 -l 1024 -H 1024 -o tenp.png"
	/usr/bin/time -f %M -o rss1.txt sh -c "cat one.wav | '$I' -W 300 -E 150 -l 1024 -H 1024 -o onep.png"
	r10=$(tail -n 1 rss10.txt) r1=$(tail -n 1 rss1.txt)
	echo "peak RSS of one picture of a pipe: 10 min $r10 kB, 1 min $r1 kB"
	[ $((r10 - r1)) -lt 1000 ] || fail "a pipe of 10 min took $r10 kB, of 1 min $r1 kB"
	rm -f ten.wav one.wav ten-*.png one-*.png tenp.png onep.png
else
	echo "/usr/bin/time missing: memory check skipped"
fi

# ---- layers, scales, bare ----
"$I" --channels split -W 60 -E 40 -o split.png stereo.wav
dump split.png
[ "$(val layout)" = stacked ] && [ "$(val layers)" = 2 ] || fail "--channels split: layout"
[ "$(grep -c '^label=channel' dump.txt)" -eq 2 ] || fail "--channels split: labels"
"$I" --log -y 100 -Z -10 -z 60 -W 60 -E 40 -o log.png sine.wav
dump log.png
[ "$(val freq_axis)" = log ] && [ "$(val level_ref)" = fixed ] || fail "--log, -Z chunks"
near "$(val level_top)" -10 0 && near "$(val level_range)" 60 0 || fail "-Z -10 -z 60"
near "$(val freq_last)" 106.97 0.01 || fail "--log -y 100: freq_last $(val freq_last)"
"$I" --bare -W 60 -E 40 -M print -o bare.png sine.wav
dump bare.png
[ "$(sed -n 's/^size //p' dump.txt)" = "60 40" ] || fail "--bare: size $(sed -n 's/^size //p' dump.txt)"
[ "$(val plot_x)" = 0 ] && [ "$(val plot_y)" = 0 ] || fail "--bare: plot_x, plot_y"
"$I" -W 60 -E 40 sine.wav > out.png
dump out.png
[ "$(val columns)" = 60 ] || fail "standard output"
"$I" --pps 50 -E 40 -o pps.png long.wav
dump pps.png
[ "$(val columns)" = 125 ] || fail "--pps 50 over 2.5 s: $(val columns) columns"

# ---- bad input: one line, exit 1, nothing left ----
cp peak.txt bad.txt
printf '1\tbad\t100.0\t0.5\t0\t0\t0\t0\n' >> bad.txt
rm -f gone.png
expect_error 1 "tfr-image: bad.txt:5: time: 'bad' is not a finite number" "$I" -o gone.png bad.txt
[ ! -e gone.png ] || fail "bad input left its output"
expect_error 1 "tfr-image: stdin:5: time: 'bad' is not a finite number" sh -c "cat bad.txt | '$I' -o gone.png"
[ ! -e gone.png ] || fail "bad piped input left its output"
printf 'not audio\n' > text.wav
expect_error 1 "tfr-image: text.wav: Format not recognised." "$I" -o gone.png text.wav
expect_error 1 "tfr-image: stdin: empty input" sh -c "'$I' -o gone.png < /dev/null"
printf '#tfr foo 1\n# columns=a\tb\n1\t2\n' > foo.txt
expect_error 1 "tfr-image: foo.txt: a foo stream has no time, freq and amp columns to draw" "$I" -o gone.png foo.txt
[ ! -e gone.png ] || fail "a failed run left its output"
expect_error 2 "tfr-image: --page writes files: give -o NAME" "$I" --page 1 long.wav
expect_error 2 "tfr-image: --min-freq: a log axis needs a lowest frequency above 0" "$I" --log -y 0 -o gone.png long.wav
expect_error 2 "tfr-image: --start: 3 s is not before the end of the input (2.5 s)" "$I" --start 3 -o gone.png long.wav
# a name it cannot write is refused, not filled with a PNG
expect_error 2 "tfr-image: -o gone.jpg: tfr-image writes .png, not .jpg" "$I" -o gone.jpg long.wav
[ ! -e gone.jpg ] || fail "a refused name was written"
expect_error 2 "tfr-image: -o gone.svg: tfr-image writes .png, not .svg" "$I" --page 1 -o gone.svg long.wav
expect_status 0 "$I" -o gone.PNG long.wav
rm -f gone.PNG
[ ! -e gone.png ] || fail "a usage error left an output"
finish
