#!/bin/sh
# tool_hyper.sh - tfr-hyper through real pipes: outputs, shapes, options,
# exit codes and messages, nothing half-written left behind.
set -eu
export LC_ALL=C
H=$TFR_BIN/tfr-hyper
cd "$TFR_TMP"
fail() { echo "FAIL: $*" >&2; exit 1; }

# the .npy shape, from its header dict
shape() { head -c 128 "$1" | tr -d '\n' | sed -n "s/.*'shape': (\([^)]*\)).*/\1/p"; }
descr() { head -c 128 "$1" | sed -n "s/.*'descr': '\([^']*\)'.*/\1/p"; }

# usage and version
$H -h | grep -q '^usage: tfr-hyper' || fail "help"
$H --version >/dev/null || fail "version"

$TFR_GENSIG -r 44100 -d 1 -o a.wav sine:1000:0.5
# 1 s at config A: the reference geometry (690, 361); input from a pipe
cat a.wav | $H -o a.npy -o a.png -k ac.npy || fail "run"
[ "$(shape a.npy)" = "690, 361" ] || fail "shape $(shape a.npy)"
[ "$(descr a.npy)" = "<f4" ] || fail "descr"
[ "$(descr ac.npy)" = "<u4" ] || fail "counts descr"
[ "$(wc -c < a.npy)" -eq $((128 + 690 * 361 * 4)) ] || fail "npy size"
[ "$(head -c 8 a.png | od -An -c | tr -d ' ')" = "211PNG\r\n032\n" ] || fail "png magic"
# stdout with an explicit format
cat a.wav | $H -F npy -o - > b.npy || fail "stdout"
cmp -s a.npy b.npy || fail "stdout differs from file"
# transposed layout, frequencies in Hz
$H --transpose -y 200Hz -Y 8kHz -o t.npy a.wav
[ "$(shape t.npy)" = "257, 690" ] || fail "transposed shape $(shape t.npy)"
# several q: one matrix each; three make an RGB picture
$H -q 0.5,2,8 -o m.npy -o m.png a.wav
[ "$(shape m.npy)" = "3, 690, 361" ] || fail "multi-q shape $(shape m.npy)"
# stereo: pooled (default) or one histogram per channel
$TFR_GENSIG -r 44100 -d 1 -c 2 -o s.wav sine:1000:0.5
$H --channels split -o s.npy s.wav
[ "$(shape s.npy)" = "2, 690, 361" ] || fail "split shape"
$H -o p.npy s.wav
[ "$(shape p.npy)" = "690, 361" ] || fail "pooled shape"

# usage errors: one line plus the --help hint, exit 2, no output file
expect() {  # status message command...
	st=$1; msg=$2; shift 2
	set +e
	"$@" 2> err.txt
	got=$?
	set -e
	[ "$got" -eq "$st" ] || fail "exit $got, expected $st: $*"
	[ "$(head -n 1 err.txt)" = "$msg" ] || fail "message '$(head -n 1 err.txt)', expected '$msg'"
}
expect 2 "tfr-hyper: --q: 0 is out of range [0.001, 1000]" $H -q 0 -o x.npy a.wav
expect 2 "tfr-hyper: --min-freq: 13230 Hz is not below --max-freq 8820 Hz" $H -y 0.3fs -Y 0.2fs -o x.npy a.wav
expect 2 "tfr-hyper: --min-freq: 22050 Hz is not below --max-freq 19845 Hz" $H -y 22050 -o x.npy a.wav
for bad in nan inf 0x10 ' 5kHz' 5,5kHz 5MHz; do
	expect 2 "tfr-hyper: --max-freq: '$bad' is not a frequency (Hz, kHz, or a fraction of the sample rate with fs)" $H -Y "$bad" -o x.npy a.wav
done
# above the Nyquist frequency: taken as it, with a word (issue 22 item 11)
expect 0 "tfr-hyper: --max-freq: 30000 Hz is above the Nyquist frequency; 22050 Hz taken" \
	$H -Y 30000 -o x.npy a.wav
expect 0 "tfr-hyper: --max-freq: 26460 Hz is above the Nyquist frequency; 22050 Hz taken" \
	$H -Y 0.6fs -o x.npy a.wav
rm x.npy
# a bare number is Hz (0.2 Hz is below the default lowest 110.25 Hz)
expect 2 "tfr-hyper: --min-freq: 110.25 Hz is not below --max-freq 0.2 Hz" \
	$H -Y 0.2 -o x.npy a.wav
expect 2 "tfr-hyper: --tdeci: 0 samples is too short (at least 1)" \
	$H -i 0 -o x.npy a.wav
expect 2 "tfr-hyper: --noct: 0 is out of range [0.001, 100000]" \
	$H -N 0 -o x.npy a.wav
expect 2 "tfr-hyper: -o x.txt: tfr-hyper writes .npy or .png, not .txt" \
	$H -o x.txt a.wav
expect 2 "tfr-hyper: -o x.jpg: tfr-hyper writes .npy or .png, not .jpg" \
	$H -o x.npy -o x.jpg a.wav
expect 2 "tfr-hyper: -o x: unknown output format (use .npy, .png or -F)" \
	$H -o x a.wav
expect 2 "tfr-hyper: --counts c.txt: tfr-hyper writes .npy, not .txt" \
	$H -o x.npy --counts c.txt a.wav
expect 2 "tfr-hyper: no output: give -o FILE.npy and/or -o FILE.png" $H a.wav
[ ! -e x.npy ] || fail "output left behind after a usage error"
# a picture too large to allocate: 1 s at tdeci 1 and 10^5 bins/octave
expect 2 "tfr-hyper: too many scan lines (noct * over * octaves > 1e6)" \
	$H -i 1 -N 100000 -o x.npy a.wav
# unreadable audio: exit 1, nothing left
echo "not audio" > bad.wav
set +e
$H -o x.npy bad.wav 2> err.txt
st=$?
set -e
[ "$st" -eq 1 ] || fail "bad audio exit $st"
grep -q '^tfr-hyper: bad.wav: ' err.txt || fail "bad audio message"
[ ! -e x.npy ] || fail "output left behind after bad input"

echo ok
