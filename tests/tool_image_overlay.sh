# tool_image_overlay.sh - tfr-image --overlay: the lines of a stream of
# the same sound drawn over its spectrogram, on the pixels the axes say:
# the partial of a 1 kHz sine on the 1 kHz row, the f0 track of a 220 Hz
# tone on the 220 Hz row, in cyan (red over gray); nothing elsewhere;
# errors.
. "$TFR_TESTS/lib.sh"
B=$TFR_BIN

# where T F: the pixel "X Y" of time T, frequency F in the last dump
where() {
	awk -v t="$1" -v f="$2" -v px="$(val plot_x)" -v py="$(val plot_y)" \
	    -v t0="$(val time_first)" -v t1="$(val time_last)" \
	    -v f0="$(val freq_first)" -v f1="$(val freq_last)" \
	    -v nc="$(val columns)" -v nr="$(val rows)" 'BEGIN {
		x = (t - t0) / (t1 - t0) * (nc - 1); y = (f - f0) / (f1 - f0) * (nr - 1)
		printf "%d %d\n", px + int(x + 0.5), py + int(y + 0.5) }'
}

"$TFR_GENSIG" -d 1 -o sine.wav sine:1000:0.5
"$B/tfr-reassign" sine.wav | "$B/tfr-peaks" | "$B/tfr-track" -o sine.partials
"$B/tfr-image" -W 200 -E 100 -Y 2k --overlay sine.partials -o s.png sine.wav
dump s.png
set -- $(where 0.5 1000)
dump s.png "$1" "$2" "$1" $(($2 - 20))
[ "$(rgb "$1" "$2")" = "0 255 255" ] || fail "the partial of 1 kHz at 0.5 s: pixel $1 $2 is $(rgb "$1" "$2"), not cyan"
[ "$(rgb "$1" $(($2 - 20)))" != "0 255 255" ] || fail "cyan 20 rows above the partial"
# gray: red lines
"$B/tfr-image" -W 200 -E 100 -Y 2k -M gray --overlay sine.partials -o g.png sine.wav
dump g.png "$1" "$2"
[ "$(rgb "$1" "$2")" = "255 0 0" ] || fail "over gray: $(rgb "$1" "$2"), not red"
# without the overlay the same pixel is the spectrogram's
"$B/tfr-image" -W 200 -E 100 -Y 2k -o n.png sine.wav
dump n.png "$1" "$2"
[ "$(rgb "$1" "$2")" != "0 255 255" ] || fail "cyan without an overlay"

# an f0 track: the 220 Hz row from 0.2 to 0.8 s, none at 440 Hz
"$TFR_GENSIG" -d 1 -o tone.wav sine:220:0.4 sine:440:0.2 sine:660:0.1
"$B/tfr-f0" -o tone.f0 tone.wav
"$B/tfr-image" -W 200 -E 200 -Y 1k --overlay tone.f0 -o f.png tone.wav
dump f.png
cyan=0
for t in 0.2 0.4 0.6 0.8; do
	set -- $(where $t 220)
	dump f.png "$1" "$2" "$1" $(($2 + 1)) "$1" $(($2 - 1))
	for y in "$2" $(($2 + 1)) $(($2 - 1)); do
		[ "$(rgb "$1" "$y")" = "0 255 255" ] && { cyan=$((cyan + 1)); break; }
	done
	set -- $(where $t 440)
	dump f.png "$1" "$2"
	[ "$(rgb "$1" "$2")" != "0 255 255" ] || fail "f0 drawn at 440 Hz at $t s"
done
[ "$cyan" -eq 4 ] || fail "the f0 track on the 220 Hz row at $cyan of 4 times"
# the f0 track alone: its voiced stretch as a line, the axis up to the
# highest f0 it looks for (the header's f0_max, not fs/2)
"$B/tfr-image" -W 200 -E 200 -o f0.png tone.f0
dump f0.png
hi=$(sed -n 's/^# f0_max=//p' tone.f0)
# (the top row's centre: half a row of 200 under it)
near "$(val freq_first)" "$(awk -v h="$hi" 'BEGIN { print h * (1 - 1 / 400) }')" 1e-6 ||
	fail "f0 alone: axis $(val freq_first) to $(val freq_last) Hz, not to f0_max $hi"
lit=0
for t in 0.2 0.4 0.6 0.8; do
	set -- $(where $t 220)
	dump f0.png "$1" "$2" "$1" $(($2 + 1)) "$1" $(($2 - 1))
	bg=$(set -- $(where $t 440); dump f0.png "$1" "$2"; rgb "$1" "$2")
	for y in "$2" $(($2 + 1)) $(($2 - 1)); do
		[ "$(rgb "$1" "$y")" != "$bg" ] && { lit=$((lit + 1)); break; }
	done
done
[ "$lit" -eq 4 ] || fail "f0 alone: the line on the 220 Hz row at $lit of 4 times"

# errors: one line, nothing written
expect_error 2 "tfr-image: --overlay: lines go over the spectrogram of audio, and sine.partials is a stream" \
	"$B/tfr-image" --overlay sine.partials -o x.png sine.partials
printf '#tfr things 1\n# sample_rate=44100\n# columns=a\tb\n1\t2\n' > things.txt
expect_error 1 "tfr-image: things.txt: a things stream has no time, freq and amp columns to draw" \
	"$B/tfr-image" --overlay things.txt -o x.png sine.wav
expect_error 2 "tfr-image: --overlay -: the audio is on standard input already" \
	sh -c "'$B/tfr-image' --overlay - -o x.png < sine.wav"
[ ! -e x.png ] || fail "an output was left after a refusal"
finish
