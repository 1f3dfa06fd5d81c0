# tool_reassign.sh - tfr-reassign through real pipes: analytic values in
# the text, pipe = file, locale independence, bad input.
. "$TFR_TESTS/lib.sh"
R=$TFR_BIN/tfr-reassign

# A bin-centred sine (bin 100 of 2048 at 44.1 kHz), amplitude 0.5.
"$TFR_GENSIG" -o sine.wav sine:2153.3203125:0.5
"$TFR_GENSIG" -b 16 -c 2 -o stereo.wav chan:1 sine:1000:0.5 chan:2 impulse:22050:0.9

# The analytic checks below use the classic analysis (Hann 2048, hop 512,
# floor -90 dBFS); the defaults (Kaiser from --resolution) are checked
# after them.
HANN="-w hann -l 2048 -H 512 -t -90"

# Through a pipe and from a file: identical records.
cat sine.wav | "$R" $HANN > pipe.txt
"$R" $HANN sine.wav > file.txt
grep -v '^#' pipe.txt > a.txt
grep -v '^#' file.txt > b.txt
cmp -s a.txt b.txt || fail "pipe and file outputs differ"
[ -s a.txt ] || fail "no points"

# Header: kind line first, metadata, history, columns; trailer at the end.
[ "$(head -n 1 file.txt)" = "#tfr points 1" ] || fail "first line"
grep -qx '# sample_rate=44100' file.txt || fail "sample_rate"
grep -qx '# source_frames=44100' file.txt || fail "source_frames (header)"
grep -qx "# history=tfr-reassign $HANN sine.wav" file.txt || fail "history"
grep -qx "$(printf '# columns=frame\tbin\ttime\tfreq\tamp\tphase\tmixed')" file.txt || fail "columns"
[ "$(tail -n 2 file.txt | head -n 1)" = "# source_frames=44100" ] || fail "trailer"
grep -qx '# source=stdin' pipe.txt || fail "source=stdin on a pipe"
[ "$(grep -c '^# source_frames=' pipe.txt)" = 1 ] || fail "a pipe announces no length in the header"

# Analytic values at frame 40, bin 100: f = 2153.3203125 Hz, A = 0.5,
# t = 40 * 512 / 44100 s, phase = 0, mixed = 0.
line=$(awk -F '\t' '$1 == 40 && $2 == 100' file.txt)
set -- $line
near "$4" 2153.3203125 0.001 || fail "frequency $4"
near "$5" 0.5 0.00005 || fail "amplitude $5"
near "$3" 0.464399093 0.000000002 || fail "time $3"
near "$6" 0 0.0001 || fail "phase $6"
near "$7" 0 0.001 || fail "mixed $7"
# 87 frames (ceil(44100 / 512)), nothing below -90 dBFS.
[ "$(grep -v '^#' file.txt | cut -f1 | sort -un | wc -l)" -eq 87 ] || fail "frame count"
awk -F '\t' '!/^#/ && $5 < 10^(-90/20) { bad = 1 } END { exit bad }' file.txt || fail "threshold"

# The defaults: resolution 110 Hz -> Kaiser (90 dB side lobes, beta
# 11.977794) whose main lobe half-width sqrt(1 + (beta/pi)^2) = 3.9416
# bins reaches 110 Hz: ceil(3.9416 * 44100 / 110) = 1581 samples; hop
# 1 / (2 * 110 Hz) = 200.45 -> 200 samples; floor -80 dBFS.
"$R" sine.wav > def.txt
for kv in window=kaiser:11.977794 window_length=1581 hop=200 resolution=110 threshold_db=-80; do
	grep -qx "# $kv" def.txt || fail "default $kv"
done
awk -F '\t' '!/^#/ && $5 < 10^(-80/20) { bad = 1 } END { exit bad }' def.txt || fail "default threshold"
# -R 55 Hz: ceil(3.9416 * 44100 / 55) = 3161 samples, hop 401.
"$R" -R 55 sine.wav | grep -c -x -e '# window_length=3161' -e '# hop=401' | grep -qx 2 || fail "-R 55"
# The sine's peak at frame 100 (t = 100 * 200 / 44100): within 0.01 Hz and
# 0.1 dB of the truth (the peak cell reads the window's response at the
# offset from the bin: Kaiser, 0.09 bin off -> -0.07 dB).
awk -F '\t' '!/^#/ && $1 == 100 && $5 > a { a = $5; f = $4 } END {
	if (f < 2153.3103125 || f > 2153.3303125 || a < 0.494 || a > 0.5) exit 1 }' def.txt || fail "default analysis of the sine"

# Channels: 2 is the click (mixed = 1 everywhere near it), 1 the tone.
"$R" -c 2 -t -40 stereo.wav > c2.txt
awk -F '\t' '!/^#/ && ($7 < 0.99 || $7 > 1.01) { bad = 1 } END { exit bad }' c2.txt || fail "channel 2 is not the click"
"$R" -c 1 -t -20 stereo.wav | awk -F '\t' '!/^#/ && $1 >= 4 && $1 <= 82 && ($4 < 990 || $4 > 1010) { bad = 1 } END { exit bad }' || fail "channel 1 is not the tone"
grep -qx '# channel=2' c2.txt || fail "channel metadata"

# Pruning: components only keeps the tone; impulses only the click.
"$R" -C 0.01 -t -60 stereo.wav | awk -F '\t' '!/^#/ { n++; if ($7 > 0.01 || $7 < -0.01) bad = 1 } END { exit bad || n == 0 }' || fail "--components"
"$R" -I 0.01 -t -60 -c 2 stereo.wav | awk -F '\t' '!/^#/ { n++ } END { exit n == 0 }' || fail "--impulses"
# Time and frequency shift limits.
"$R" $HANN --max-freq-shift 5 -t -120 sine.wav | awk -F '\t' -v bw=21.533203125 '!/^#/ { d = $4 - $2 * bw; if (d > 5 || d < -5) bad = 1 } END { exit bad }' || fail "--max-freq-shift"
"$R" $HANN --max-time-shift 1ms -t -120 -c 2 stereo.wav | awk -F '\t' '!/^#/ { d = $3 - $1 * 512 / 44100; if (d > 0.001 || d < -0.001) bad = 1 } END { exit bad }' || fail "--max-time-shift"

# Options in time units: 46.4399ms = 2048 samples, hop 11.61ms = 512.
"$R" -l 46.4399ms -H 11.61ms sine.wav | grep -v '^# history' > ms.txt
grep -qx '# window_length=2048' ms.txt && grep -qx '# hop=512' ms.txt || fail "lengths in ms"
"$R" -w kaiser:90dB -n 4096 sine.wav | grep -qx '# window=kaiser:11.977794' || fail "kaiser:90dB"
# an odd window gets the next even 2-3-5-smooth FFT size: 1080 = 2^3 3^3 5
"$R" -w gaussian:200 -l 1025 sine.wav | grep -qx '# fft_size=1080' || fail "odd window: FFT size"

# Locale: the output does not change under a comma-decimal locale.
if locale -a 2>/dev/null | grep -qi '^de_DE\.utf-\?8$'; then
	LC_ALL=de_DE.UTF-8 "$R" $HANN sine.wav > de.txt
	cmp -s de.txt file.txt || fail "output differs under LC_ALL=de_DE.UTF-8"
	LC_ALL=de_DE.UTF-8 "$R" -l 46.4399ms -t -20.5 sine.wav > /dev/null || fail "options under de_DE"
else
	echo "de_DE.UTF-8 not installed: locale check skipped"
fi

# -o writes a file; a failing run leaves none behind.
"$R" $HANN -o out.points sine.wav
grep -v '^# history' out.points > o1.txt
grep -v '^# history' file.txt > o2.txt
cmp -s o1.txt o2.txt || fail "-o"
printf 'not audio\n' > text.wav
rm -f gone.points
expect_error 1 "tfr-reassign: text.wav: Format not recognised." "$R" -o gone.points text.wav
[ ! -e gone.points ] || fail "failed run left its output file"

# Bad input: one line, exit 1.
expect_error 1 "tfr-reassign: stdin: empty input (no audio file)" sh -c "\"$R\" < /dev/null"
expect_error 1 "tfr-reassign: missing.wav: No such file or directory" "$R" missing.wav
"$TFR_GENSIG" -d 0 -o empty.wav
expect_error 1 "tfr-reassign: empty.wav: no audio samples in the input" "$R" empty.wav
[ ! -s out.txt ] || fail "empty input produced output"
head -c 2044 sine.wav > trunc.wav
expect_error 1 "tfr-reassign: trunc.wav: truncated: the input ends before the audio its header announces" "$R" trunc.wav
expect_error 1 "tfr-reassign: stdin: truncated: the input ends before the audio its header announces" sh -c "cat trunc.wav | '$R'"
head -c 30 sine.wav > header.wav
expect_status 1 "$R" header.wav
[ "$(wc -l < err.txt)" -eq 1 ] || fail "cut header: not one line"
# Usage errors: exit 2.
expect_error 2 "tfr-reassign: --window-length: 0 samples is too short (at least 2)" "$R" -l 0 sine.wav
expect_error 2 "tfr-reassign: --hop: 0 samples is too short (at least 1)" "$R" -H 0 sine.wav
expect_error 2 "tfr-reassign: --fft-size: 1024 is smaller than the window (1581 samples)" "$R" -n 1024 sine.wav
expect_error 2 "tfr-reassign: --fft-size: 2049 is odd (the real FFT needs an even size)" "$R" -n 2049 -l 2048 sine.wav
expect_error 2 "tfr-reassign: --window: unknown window 'triangle'" "$R" -w triangle sine.wav
expect_error 2 "tfr-reassign: --threshold: 'loud' is not a level in dB" "$R" -t loud sine.wav
expect_error 2 "tfr-reassign: --channel: 3, but stereo.wav has 2 channel(s)" "$R" -c 3 stereo.wav
expect_error 2 "tfr-reassign: more than one input file ('sine.wav' and 'sine.wav')" "$R" sine.wav sine.wav
expect_error 2 "tfr-reassign: --hop: '1.5' is not a length (whole samples, or a time with ms or s)" "$R" -H 1.5 sine.wav
finish
