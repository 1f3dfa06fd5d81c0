# tool_stereo.sh - channels kept apart through the additive pipeline:
# tfr-reassign --channels split, tfr-peaks and tfr-track per channel,
# tfr-resynth writing a channel per channel, tfr-select --channel; the
# default (channels mixed) unchanged, the tools that would mix a split
# stream refusing it.
. "$TFR_TESTS/lib.sh"
B=$TFR_BIN
S=$TFR_BIN/tests/tfr-snr
[ -x "$S" ] || S=$(dirname "$TFR_GENSIG")/tfr-snr
val_of() { sed -n "s/.* $1=\([^ ]*\).*/\1/p; s/^$1=\([^ ]*\).*/\1/p" | head -n 1; }

# 440 Hz at 0.5 (-6.02 dBFS) left, 660 Hz at 0.25 (-12.04 dBFS) right
"$TFR_GENSIG" -d 1 -c 2 -o st.wav chan:1 sine:440:0.5 chan:2 sine:660:0.25
"$TFR_GENSIG" -d 1 -o l.wav sine:440:0.5
"$TFR_GENSIG" -d 1 -o r.wav sine:660:0.25
"$B/tfr-reassign" --channels split st.wav > st.points
grep -q '^# channel=split$' st.points || fail "split: no 'channel=split' in the header"
head -n 20 st.points | grep -q "^# columns=frame	bin	time	freq	amp	phase	mixed	channel$" ||
	fail "split: the columns are not those of points and 'channel' last"
# a frame's points channel by channel: the channel never goes back within a frame
awk '!/^#/ { if ($1 == f && $8 < c) bad = 1; f = $1; c = $8; n[$8]++ }
     END { exit bad || !n[1] || !n[2] }' st.points ||
	fail "split: points not channel by channel within frames, or a channel missing"
"$B/tfr-peaks" st.points | "$B/tfr-track" > st.partials
# each partial in one channel, at its channel's frequency (amplitude-weighted mean)
awk '!/^#/ { if ($1 in ch && ch[$1] != $8) bad = 1; ch[$1] = $8
             s[$8] += $3 * $4; w[$8] += $4; if ($2 < t) bad = 1; t = $2 }
     END { if (bad) exit 1; printf "%.4f %.4f\n", s[1] / w[1], s[2] / w[2] }' st.partials > f.txt ||
	fail "track: a partial in two channels, or breakpoints out of time order"
read f1 f2 < f.txt
near "$f1" 440 0.05 || fail "track: channel 1 at $f1 Hz, expected 440"
near "$f2" 660 0.05 || fail "track: channel 2 at $f2 Hz, expected 660"
# partial ids over the whole stream: in order of first breakpoints, from 0
awk '!/^#/ && !($1 in seen) { if ($1 != n) bad = 1; seen[$1] = 1; n++ } END { exit bad }' st.partials ||
	fail "track: partial ids not given in order of first breakpoints"

# resynthesis: two channels, each its own sine; the other's 90 dB down
# in the steady part (measured ~100 dB; the edges are the fades')
"$B/tfr-resynth" -o st-out.wav st.partials
"$S" -c 1 l.wav st-out.wav > s1.txt
"$S" -c 2 r.wav st-out.wav > s2.txt
for k in 1 2; do
	st=$(val_of steady < s$k.txt)
	lv=$(val_of level < s$k.txt)
	fr=$(val_of test_frames < s$k.txt)
	awk -v s="$st" 'BEGIN { exit !(s >= 90) }' || fail "resynth channel $k: steady SNR $st dB < 90"
	[ "$fr" = 44100 ] || fail "resynth channel $k: $fr frames, expected 44100"
	want=$([ $k = 1 ] && echo -6.02 || echo -12.04)
	near "$lv" "$want" 0.1 || fail "resynth channel $k: level $lv dBFS, expected $want"
done
# a silent channel stays silent: no crosstalk at all
"$TFR_GENSIG" -d 1 -c 2 -o half.wav chan:1 sine:440:0.5
"$B/tfr-reassign" --channels split half.wav | "$B/tfr-peaks" | "$B/tfr-track" |
	"$B/tfr-resynth" -o half-out.wav
lv=$("$S" -c 2 l.wav half-out.wav | val_of level)
[ "$lv" = "-inf" ] || fail "resynth: the silent channel at $lv dBFS, expected silence"
lv=$("$S" -c 1 l.wav half-out.wav | val_of level)
near "$lv" -6.02 0.1 || fail "resynth: channel 1 beside a silent one at $lv dBFS"

# the same tone in both channels is two partials, never linked across
"$TFR_GENSIG" -d 1 -c 2 -o same.wav chan:1 sine:440:0.5 chan:2 sine:440:0.1
"$B/tfr-reassign" --channels split same.wav | "$B/tfr-peaks" | "$B/tfr-track" > same.partials
awk '!/^#/ { if ($1 in ch && ch[$1] != $8) bad = 1; ch[$1] = $8; a[$8] += $4; n[$8]++ }
     END { exit bad || !n[1] || !n[2] || a[1] / n[1] < 0.45 || a[2] / n[2] > 0.11 }' same.partials ||
	fail "track: the same tone in two channels linked across them"

# one channel of a split stream is the stream tfr-reassign -c makes
"$B/tfr-select" --channel 2 st.partials > r.partials
grep -q '^# channel=2$' r.partials || fail "select --channel 2: header not channel=2"
grep -q "^# columns=partial	time	freq	amp	phase	bandwidth	end$" r.partials ||
	fail "select --channel 2: the channel column kept"
"$B/tfr-resynth" -o r-out.wav r.partials
lv=$("$S" r.wav r-out.wav | val_of level)
near "$lv" -12.04 0.1 || fail "select --channel 2: level $lv dBFS, expected -12.04"
# and its residual is taken of that channel of the source
"$B/tfr-resynth" --residual st.wav -o res.wav r.partials
lv=$("$S" r.wav res.wav | val_of level)
awk -v l="$lv" 'BEGIN { exit !(l < -40) }' || fail "residual of channel 2 at $lv dBFS"
# select without --channel keeps the column
"$B/tfr-select" --min-amp -20 st.partials | grep -q "	end	channel$" ||
	fail "select: the channel column lost"

# labels, warps and morphs keep the channels (label 8th, channel last)
"$B/tfr-label" --f0 220 st.partials > stl.partials
grep -q "^# columns=.*	end	label	channel$" stl.partials || fail "label: columns not ... label channel"
awk '!/^#/ { if ($9 == 1 && $8 != 2 || $9 == 2 && $8 != 3) bad = 1; n++ } END { exit bad || !n }' stl.partials ||
	fail "label --f0 220: 440 Hz left not harmonic 2 or 660 Hz right not 3"
# the same harmonic in two channels at once is two sounds: the sieve
# takes neither label back, the distiller joins neither
"$B/tfr-label" --f0 440 same.partials > samel.partials
awk '!/^#/ && $8 != 1 { bad = 1 } END { exit bad }' samel.partials ||
	fail "label: the sieve took a label back across channels"
n=$("$B/tfr-label" --distill samel.partials | awk '!/^#/ { p[$1 " " $NF] = 1 } END { print length(p) }')
[ "$n" = 2 ] || fail "label --distill: $n partials of harmonic 1, expected one per channel"
"$B/tfr-warp" --pitch 1200 stl.partials > stw.partials
awk '!/^#/ { s[$9] += $3; n[$9]++ } END { printf "%.3f %.3f\n", s[1] / n[1], s[2] / n[2] }' stw.partials > f.txt
read f1 f2 < f.txt
near "$f1" 880 0.1 && near "$f2" 1320 0.1 || fail "warp --pitch 1200: channels at $f1, $f2 Hz, expected 880, 1320"
# halfway between a sound and its octave, channel by channel (~660, 990 Hz)
"$B/tfr-morph" --morph 0.5 stl.partials stw.partials > stm.partials
awk '!/^#/ { s[$9] += $3; n[$9]++ } END { printf "%.3f %.3f\n", s[1] / n[1], s[2] / n[2] }' stm.partials > f.txt
read f1 f2 < f.txt
near "$f1" 660 3 && near "$f2" 990 3 || fail "morph 0.5: channels at $f1, $f2 Hz, expected 660, 990"
"$B/tfr-select" --channel 1 stl.partials > c1l.partials
expect_error 1 "tfr-morph: c1l.partials:$(grep -n '^# columns=' c1l.partials | cut -d: -f1): header: not channel-split, A's is (morph streams split alike, or one channel of each: tfr-select --channel N)" \
	"$B/tfr-morph" --morph 0.5 stl.partials c1l.partials
expect_error 2 "tfr-warp: --formants: stl.partials is channel-split; warp one channel at a time: tfr-select --channel N | tfr-warp --formants" \
	"$B/tfr-warp" --pitch 1200 --formants stl.partials

# a mono input split is channel 1
"$B/tfr-reassign" --channels split l.wav | "$B/tfr-peaks" | "$B/tfr-track" > m.partials
awk '!/^#/ && $8 != 1 { bad = 1 } END { exit bad }' m.partials || fail "split of mono: not channel 1"
"$B/tfr-resynth" -o m-out.wav m.partials
lv=$("$S" l.wav m-out.wav | val_of level)
near "$lv" -6.02 0.1 || fail "split of mono: level $lv dBFS"

# the default mixes, as before: no channel column
"$B/tfr-reassign" st.wav | head -n 20 > mix.txt
grep -q '^# channel=mix$' mix.txt || fail "default: not channel=mix"
grep -q "	mixed$" mix.txt || fail "default: a column after mixed"

# speech: each channel of the split pipeline is the pipeline of that
# channel alone (-c N), sample for sample without the noise (whose seed
# goes with the partial ids, which are the whole stream's)
if command -v sox > /dev/null 2>&1; then
	sox "$TFR_DATA/speech/speech44k.wav" sp.wav trim 0 2
	sox sp.wav rev.wav reverse
	sox -M sp.wav rev.wav sp2.wav
	"$B/tfr-reassign" --channels split sp2.wav | "$B/tfr-peaks" | "$B/tfr-track" |
		"$B/tfr-resynth" -B off -o sp2-out.wav
	for k in 1 2; do
		"$B/tfr-reassign" -c $k sp2.wav | "$B/tfr-peaks" | "$B/tfr-track" |
			"$B/tfr-resynth" -B off -o c$k.wav
		snr=$("$S" -c $k c$k.wav sp2-out.wav | val_of snr)
		[ "$snr" = inf ] || fail "speech: channel $k of the split is $snr dB from -c $k"
	done
	# a channel that starts late (silence made for it until its first
	# partial, the synthesiser's own skipped) is still the -c 2 one
	sox -n -r 44100 -c 1 sil.wav trim 0 0.5
	"$TFR_GENSIG" -d 0.5 -o r05.wav sine:660:0.25
	sox sil.wav r05.wav late.wav 2> /dev/null
	sox -M l.wav late.wav lr.wav 2> /dev/null
	"$B/tfr-reassign" --channels split lr.wav | "$B/tfr-peaks" | "$B/tfr-track" |
		"$B/tfr-resynth" -B off -o lr-out.wav
	"$B/tfr-reassign" -c 2 lr.wav | "$B/tfr-peaks" | "$B/tfr-track" |
		"$B/tfr-resynth" -B off -o lr2.wav
	snr=$("$S" -c 2 lr2.wav lr-out.wav | val_of snr)
	[ "$snr" = inf ] || fail "late channel: $snr dB from -c 2"
else
	echo "skip (sox not installed): speech split against -c N"
fi

# refusals: one line, nothing mixed
expect_error 2 "tfr-reassign: --channels split: every channel is analysed; -c picks one (give one of them)" \
	"$B/tfr-reassign" --channels split -c 1 st.wav
expect_error 1 "tfr-f0: st.partials:$(grep -n '^# columns=' st.partials | cut -d: -f1): header: a channel-split stream (a 'channel' column): tfr-f0 takes one channel (tfr-select --channel N first)" \
	"$B/tfr-f0" st.partials
# SDIF and SPEAR hold no channels: refused with the way; CSV and pictures take any stream
expect_error 1 "tfr-convert: st.partials:$(grep -n '^# columns=' st.partials | cut -d: -f1): header: a channel-split stream (a 'channel' column): tfr-convert takes one channel (tfr-select --channel N first)" \
	"$B/tfr-convert" -o st.sdif st.partials
[ ! -e st.sdif ] || fail "convert: an SDIF file written of a split stream"
"$B/tfr-convert" -F csv st.partials | head -n 1 | grep -q ',end,channel$' || fail "convert -F csv: no channel column"
expect_status 0 "$B/tfr-image" -o st.png st.partials
# a split stream's channels need their count, and stay within it
"$B/tfr-reassign" --channels split st.wav | "$B/tfr-peaks" > st.peaks
grep -v '^# source_channels' st.peaks > nosc.peaks
expect_error 1 "tfr-track: nosc.peaks:$(grep -n '^# columns=' nosc.peaks | cut -d: -f1): header: no 'source_channels'" \
	"$B/tfr-track" nosc.peaks
awk -F '	' -v OFS='	' '!/^#/ && $9 == 2 { $9 = 3 } 1' st.peaks > bad3.peaks
# (the line is where the frame ends, as for the frame's other faults)
expect_status 1 "$B/tfr-track" bad3.peaks
grep -q "^tfr-track: bad3.peaks:[0-9]*: channel: more than the header's source_channels$" err.txt ||
	fail "track: channel 3 of 2: '$(cat err.txt)'"
expect_error 2 "tfr-resynth: --residual: st.partials is channel-split; take one channel's: tfr-select --channel N | tfr-resynth --residual" \
	"$B/tfr-resynth" --residual st.wav -o x.wav st.partials
expect_error 2 "tfr-select: --channel: l.partials is not channel-split (no 'channel' column: tfr-reassign --channels split makes one)" \
	sh -c "\"$B/tfr-reassign\" l.wav | \"$B/tfr-peaks\" | \"$B/tfr-track\" > l.partials && \"$B/tfr-select\" --channel 1 l.partials"
expect_error 2 "tfr-select: --channel: 3, but st.partials has 2 channel(s)" \
	"$B/tfr-select" --channel 3 st.partials
finish
