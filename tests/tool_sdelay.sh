#!/bin/sh
# tool_sdelay.sh - tfr-sdelay end to end: the guarantees of
# spectral-delay.md 3.3 through real files and pipes, errors, latency.
set -eu
T=$TFR_BIN/tfr-sdelay
C=$TFR_BIN/tests/sdelay-cmp
G=$TFR_GENSIG
cd "$TFR_TMP"
fail() { echo "FAIL: $*" >&2; exit 1; }

# maxerr FILE_A FILE_B [cmp options]: the 3rd field of sdelay-cmp
maxerr() { a=$1; b=$2; shift 2; "$C" "$@" "$a" "$b" | cut -d' ' -f3; }
# le X TOL: X <= TOL as numbers
le() { awk -v x="$1" -v t="$2" 'BEGIN { exit !(x + 0 <= t + 0) }'; }
expect() { # expect STATUS "MESSAGE" command...
	want=$1; msg=$2; shift 2
	set +e; "$@" >out.txt 2>err.txt; st=$?; set -e
	[ "$st" = "$want" ] || fail "$*: exit $st, want $want ($(cat err.txt))"
	[ "$(head -n 1 err.txt)" = "$msg" ] || fail "$*: message '$(cat err.txt)', want '$msg'"
}

$G -r 48000 -d 2 -c 2 -b 16 -o n16.wav noise:0.9:3 sine:440:0.05
$G -r 48000 -d 2 -c 2 -b float -o nf.wav noise:0.5:5 chirp:100:9000:0.3

# 1. identity: bit-exact for 16-bit (max error 0 means every integer
# sample is equal), <= 1e-6 for float; file and pipe alike.
"$T" n16.wav -o id16.wav
[ "$(maxerr n16.wav id16.wav)" = 0 ] || fail "16-bit identity not bit-exact"
[ "$("$C" n16.wav id16.wav | cut -d' ' -f2)" = 96000 ] || fail "length"
cat n16.wav | "$T" | cat > idp.wav
[ "$(maxerr n16.wav idp.wav)" = 0 ] || fail "16-bit identity via pipe"
"$T" nf.wav -o idf.wav
le "$(maxerr nf.wav idf.wav)" 1e-6 || fail "float identity"

# 2. mix 0: the dry signal, bit for bit, whatever the maps
"$T" -m 0 -d 0.2 -f 0.9 -g 6 nf.wav -o dry.wav
[ "$(maxerr nf.wav dry.wav)" = 0 ] || fail "mix 0 not bit-exact"

# 3. uniform delay of 3 frames = 3 * 512 samples
"$T" -D -d 3 nf.wav -o d3.wav
le "$(maxerr nf.wav d3.wav -s 1536)" 1e-6 || fail "uniform delay"
# the same in seconds: 0.032 s = 1536 samples at 48 kHz
cat nf.wav | "$T" -d 0.032 > d3s.wav
le "$(maxerr nf.wav d3s.wav -s 1536)" 1e-6 || fail "delay in seconds"

# 4. uniform delay 2 frames, feedback -0.7: the time-domain comb
"$T" -D -d 2 -f -0.7 nf.wav -o comb.wav
le "$(maxerr nf.wav comb.wav -s 1024 -l 1024 -g -0.7)" 1e-5 || fail "comb"

# 5. bin-centred tone (bin 100 of 2048 at 48 kHz) delayed with its band
# 96..103 by 4 frames: comes out 2048 samples later in steady state
$G -r 48000 -d 1 -b float -o tone.wav sine:2343.75:0.5
"$T" -D -d '0:0,2250:0,2250:4,2437.5:4,2437.5:0' tone.wav -o band.wav
le "$(maxerr tone.wav band.wav -s 2048 -k 4096 -e 45952)" 1e-5 || fail "band"

# -v: one line on stderr, what was made (a 1 s float sine, 1 s of tail;
# its output's peak is the sine's -6.0 dBFS), and the descriptors' count
"$T" -v -T 1 tone.wav -o vt.wav 2> v.txt
[ "$(cat v.txt)" = "tfr-sdelay: 1.000 s in, 2.000 s out (1.000 s of tail), 1 channel, N 2048, hop 512, latency 1536 samples removed; peak -6.0 dBFS, 0 samples clipped" ] ||
	fail "-v: '$(cat v.txt)'"
"$T" -v --describe tone.wav -o vt.txt 2> v.txt
[ "$(cat v.txt)" = "tfr-sdelay: 94 descriptor frames of 1 channel for 1.000 s of input (N 2048, hop 512)" ] ||
	fail "-v --describe: '$(cat v.txt)'"

# 6. feedback >= 1 refused; loud output clips, never wraps
expect 2 "tfr-sdelay: feedback map '1': column 1: feedback 1 out of range (|fb| < 1)" \
	"$T" -f 1 nf.wav -o x.wav
$G -r 48000 -d 1 -b 16 -o loud.wav sine:1000:0.5
"$T" -v -g 20 loud.wav -o clip.wav 2> v.txt
# (the peak as computed: how much headroom the 16-bit output lacked)
grep -q "peak 14.0 dBFS, 42000 samples clipped" v.txt || fail "-v: clipping not said: '$(cat v.txt)'"
[ "$("$C" loud.wav clip.wav | cut -d' ' -f4)" = 0 ] || fail "wrapped samples"
"$T" -L -g 20 -b float loud.wav -o lim.wav
[ "$("$C" loud.wav lim.wav | cut -d' ' -f4)" = 0 ] || fail "limiter flips"

# cross-feedback, stereo maps per channel, time-varying map file
"$T" -D -d 1 -d 2 -f 0.5 -x 1 nf.wav -o cross.wav
printf '# time freq delay\n0 0 0\n1.0 0 4\n' > tm.txt
$G -r 48000 -d 2 -b float -o nz.wav noise:0.5:4
"$T" -D -d tm.txt nz.wav -o tm.wav
le "$(maxerr nz.wav tm.wav -e 40000)" 1e-6 || fail "timed map before"
le "$(maxerr nz.wav tm.wav -s 2048 -k 52000)" 1e-6 || fail "timed map after"

# tail: fixed length, and auto (decays below -90 dBFS)
"$T" -d 0.1 -f 0.5 -T 0.5 nz.wav -o tail.wav
[ "$("$C" nz.wav tail.wav | cut -d' ' -f2)" = 120000 ] || fail "tail length"
"$T" -d 0.1 -f 0.5 -T auto nz.wav -o auto.wav
n=$("$C" nz.wav auto.wav | cut -d' ' -f2)
[ "$n" -gt 96000 ] && [ "$n" -lt 192000 ] || fail "auto tail length $n"

# latency
[ "$("$T" -P)" = 1536 ] || fail "latency"
[ "$("$T" -n 1024 -H 128 --print-latency)" = 896 ] || fail "latency 2"

# a finished glide is exact: a gain map that moves from -6 dB to 0 dB at
# 1.5 s (50 ms glide) gives, once the glide is over, the samples of 0 dB
# bit for bit (the glide used to stall 2 ulps short of 1 in some bins)
$G -r 48000 -d 4 -b float -o n4.wav noise:0.5:4
printf '# time freq gain\n0 0 -6\n1.5 0 0\n' > gm.txt
"$T" -d 0.3 -g gm.txt n4.wav -o gm.wav
"$T" -d 0.3 n4.wav -o g0.wav
[ "$(maxerr g0.wav gm.wav -k 140000)" = 0 ] || fail "a finished gain glide is not exact"

# --morph between configurations (--next): at 0 the first, at 1 the
# second, bit for bit; a morph of a configuration to itself is no morph;
# from 0 to 1 between 1 s and 2 s (no feedback, so the lines hold only
# the input): the first's samples before the morph's first frame, the
# second's once the 50 ms glide has settled (0.77 s to within the last
# ulp) and the longer delay (0.3 s) has passed
A="-d 0.1 -g -6"; B2="-d 0.3 -g 0 -f 0:0,5k:0"
# shellcheck disable=SC2086
{ "$T" $A n4.wav -o ma.wav; "$T" $B2 n4.wav -o mb.wav
  "$T" $A --next $B2 --morph 0 n4.wav -o m0.wav
  "$T" $A --next $B2 --morph 1 n4.wav -o m1.wav
  "$T" -f 0.5 $A --next -f 0.5 $A --morph 0:0,4:1 n4.wav -o maa.wav
  "$T" -f 0.5 $A n4.wav -o maf.wav
  "$T" $A --next $B2 --morph 1:0,2:1 n4.wav -o mab.wav; }
cmp -s ma.wav m0.wav || fail "morph at 0 is not the first configuration"
cmp -s mb.wav m1.wav || fail "morph at 1 is not the second configuration"
cmp -s maf.wav maa.wav || fail "a morph of a configuration to itself changed the sound"
[ "$(maxerr ma.wav mab.wav -e 46976)" = 0 ] || fail "morph: changed the sound before it"
[ "$(maxerr mb.wav mab.wav -k 140000)" = 0 ] || fail "morph: not the second configuration after it"
# three configurations: 2 is the third
"$T" $A --next $B2 --next -d 0.2 --morph 2 n4.wav -o m2.wav
"$T" -d 0.2 n4.wav -o mc.wav
cmp -s mc.wav m2.wav || fail "morph at 2 is not the third configuration"
# no click: a 1 kHz sine (amplitude 0.5, steps up to 0.0654 a sample)
# morphed from no delay to 0.2 s never steps by more than the sine may
$G -r 48000 -d 3 -b float -o k1.wav sine:1000:0.5
"$T" -d 0 --next -d 0.2 --morph 0.5:0,1.5:1 k1.wav -o mk.wav
le "$(maxerr mk.wav mk.wav -s 1 -k 1)" 0.0655 || fail "morph: a step of $(maxerr mk.wav mk.wav -s 1 -k 1) in a sine"
# bad morphs: a message naming the option and the value, nothing written
expect 2 "tfr-sdelay: morph envelope '0:0,1:1.5': column 7: morph position 1.5 is out of range [0, 1]" \
	"$T" -d 0.1 --next -d 0.2 --morph 0:0,1:1.5 n4.wav -o x.wav
expect 2 "tfr-sdelay: --morph: give the configurations to morph, separated by --next" \
	"$T" -d 0.1 --morph 0:0,1:1 n4.wav -o x.wav
expect 2 "tfr-sdelay: --next: give --morph, the path between the configurations" \
	"$T" -d 0.1 --next -d 0.2 n4.wav -o x.wav
expect 2 "tfr-sdelay: configuration 2 has 3 delay maps for 2 channels (give one, or one per channel)" \
	"$T" -d 0.1 --next -d 0.1 -d 0.2 -d 0.3 --morph 0:0,1:1 nf.wav -o x.wav
expect 2 "tfr-sdelay: configuration 2: a delay map with times cannot be morphed (the morph envelope moves between configurations)" \
	"$T" -D -d 0 --next -D -d tm.txt --morph 0:0,1:1 nz.wav -o x.wav
expect 2 "tfr-sdelay: feedback map '1.2': column 1: feedback 1.2 out of range (|fb| < 1)" \
	"$T" -d 0.1 --next -f 1.2 --morph 0:0,1:1 n4.wav -o x.wav
[ ! -e x.wav ] || fail "morph: output written after an error"

# --follow: a map follows a descriptor of the input, a hop late, through
# the glide. A 1 kHz sine's centroid is 1 kHz, so 'delay+0.0001*centroid'
# delays it by 0.1 s, rounded to 9 hops (4608 samples; within 1e-5,
# achieved 1.5e-7) once the first frames have passed; 'gain*level' scales
# a sine of amplitude 0.5 by 0.5 (level 0.25 within 0.1 % once the 50 ms
# glide has settled); 'feedback*flatness' feeds noise back (flatness ~1)
# and a sine not (flatness ~0): the sine comes out as without feedback
$G -r 48000 -d 2 -b float -o k2.wav sine:1000:0.5
"$T" --follow 'delay+0.0001*centroid' k2.wav -o fd.wav
le "$(maxerr k2.wav fd.wav -s 4608 -k 20000 -e 90000)" 1e-5 || fail "follow: delay + k centroid"
"$T" --follow 'gain*level' k2.wav -o fg.wav
"$T" --describe fg.wav | awk '!/^#/ && $1 > 0.7 && $1 < 1.9 {
		if ($4 < 0.24975 || $4 > 0.25025) bad = 1; n++ }
	END { exit bad || n < 100 }' || fail "follow: gain x level"
"$T" -d 0.05 k2.wav -o nofb.wav
"$T" -d 0.05 -f 0.9 --follow 'feedback*flatness' k2.wav -o ffl.wav
le "$(maxerr nofb.wav ffl.wav -k 20000 -e 90000)" 1e-4 || fail "follow: feedback x flatness fed a sine back"
"$T" -d 0.05 -f 0.9 --follow 'feedback*flatness' n4.wav -o ffn.wav
"$T" -d 0.05 -f 0.9 n4.wav -o ffb.wav
"$T" -d 0.05 n4.wav -o nfn.wav
# nearer the full feedback (0.19 apart at most) than none (2.2 apart)
le "$(maxerr ffb.wav ffn.wav -k 20000 -e 180000)" 0.3 &&
	! le "$(maxerr nfn.wav ffn.wav -k 20000 -e 180000)" 1 ||
	fail "follow: feedback x flatness did not feed noise back"
expect 2 "tfr-sdelay: --follow: 'gain*loudness' is not MAP*DESC or MAP+K*DESC (MAP delay, feedback or gain; DESC centroid, flatness, flux or level)" \
	"$T" --follow 'gain*loudness' k2.wav -o x.wav
expect 2 "tfr-sdelay: the delay could follow its descriptor up to 24000 s, above the maximum of 60 s" \
	"$T" --follow 'delay+1*centroid' k2.wav -o x.wav
expect 2 "tfr-sdelay: maps cannot follow descriptors in a morph" \
	"$T" -d 0 --next -d 0.1 --morph 0:0,1:1 --follow 'gain*level' k2.wav -o x.wav
[ ! -e x.wav ] || fail "follow: output written after an error"

# --sidechain: a sidechain whose spectrum is zero outside one band (a
# bin-centred sine, 2343.75 Hz = bin 100: with the periodic Hann window
# bins 99 ... 101 only, magnitudes 1/2, 1, 1/2 of the peak) lets the delay
# sound in that band only: the output is that of the static map
# 0 ... 0, 1/2, 1, 1/2, 0 ... (within 1e-5, achieved 1.6e-7, once the
# 50 ms glide has settled, up to the frames that run past the end of the
# sidechain), nothing outside the band; driving the
# feedback instead, only the band is fed back (the static feedback map
# times 0.7)
$G -r 48000 -d 2 -b float -o nz2.wav noise:0.5:4
$G -r 48000 -d 2 -b float -o sc.wav sine:2343.75:0.5
"$T" -d 0.1 --sidechain sc.wav nz2.wav -o sco.wav
"$T" -d 0.1 -G -g '0:0,2296.875:0,2320.3125:0.5,2343.75:1,2367.1875:0.5,2390.625:0' nz2.wav -o band3.wav
le "$(maxerr band3.wav sco.wav -k 30000 -e 90000)" 1e-5 || fail "sidechain: the delay outside the sidechain's band"
"$T" -d 0.1 -f 0.7 --sidechain-map feedback --sidechain sc.wav nz2.wav -o scf.wav
"$T" -d 0.1 -f '0:0,2296.875:0,2320.3125:0.35,2343.75:0.7,2367.1875:0.35,2390.625:0' nz2.wav -o fband.wav
le "$(maxerr fband.wav scf.wav -k 60000 -e 90000)" 1e-5 || fail "sidechain: feedback outside the sidechain's band"
# streamed: the sidechain on a pipe (standard input), the same samples
cat sc.wav | "$T" -d 0.1 --sidechain - nz2.wav -o scp.wav
cmp -s sco.wav scp.wav || fail "sidechain: a piped sidechain differs"
# both streamed: the input on standard input, the sidechain from a named
# pipe (its writer killed at the end should the tool not open it): the
# same samples; and 10 minutes of both (8 kHz) in the memory of one
# (within 1 MB; achieved 0.2: the pipes' look-ahead is full by then)
fifo_side() { # fifo_side SIDECHAIN INPUT OUTPUT [time file]
	rm -f side.fifo
	mkfifo side.fifo
	cat "$1" > side.fifo & wpid=$!
	if [ -n "${4:-}" ]; then
		cat "$2" | /usr/bin/time -f %M -o "$4" "$T" -d 0.1 --sidechain side.fifo -o "$3"
	else
		cat "$2" | "$T" -d 0.1 --sidechain side.fifo -o "$3"
	fi
	kill "$wpid" 2> /dev/null || true
	wait "$wpid" 2> /dev/null || true
}
fifo_side sc.wav nz2.wav scq.wav
cmp -s sco.wav scq.wav || fail "sidechain: from a named pipe, the input on a pipe, differs"
if [ -z "${TFR_SANITIZE:-}" ] && [ -x /usr/bin/time ]; then
	for d in 60 600; do
		$G -r 8000 -d $d -b 16 -o nz$d.wav noise:0.5:4
		$G -r 8000 -d $d -b 16 -o sc$d.wav sine:1000:0.5
		fifo_side sc$d.wav nz$d.wav sq$d.wav rss$d.txt
		rm -f nz$d.wav sc$d.wav sq$d.wav
	done
	r600=$(cat rss600.txt); r60=$(cat rss60.txt)
	echo "peak RSS, both inputs streamed: 10 min $r600 kB, 1 min $r60 kB"
	[ "$r600" -le $((r60 + 1024)) ] || fail "sidechain: memory grows on pipes ($r600 kB for 10 min, $r60 kB for 1 min)"
fi
# bad sidechains: another rate, shorter, another channel count
$G -r 44100 -d 2 -b float -o sc44.wav sine:2000:0.5
$G -r 48000 -d 1 -b float -o sc1.wav sine:2000:0.5
$G -r 48000 -d 2 -c 3 -b float -o sc3.wav sine:2000:0.5
expect 1 "tfr-sdelay: --sidechain: sc44.wav is at 44100 Hz, the input at 48000 Hz" \
	"$T" --sidechain sc44.wav nz2.wav -o x.wav
expect 1 "tfr-sdelay: --sidechain: sc1.wav has 48000 frames, fewer than the input's 96000" \
	"$T" --sidechain sc1.wav nz2.wav -o x.wav
set +e; cat sc1.wav | "$T" --sidechain - nz2.wav -o x.wav 2>err.txt; st=$?; set -e
[ "$st" = 1 ] && [ "$(cat err.txt)" = "tfr-sdelay: --sidechain: stdin ends after 48000 frames, before the input" ] ||
	fail "sidechain: a short piped sidechain: exit $st, $(cat err.txt)"
expect 2 "tfr-sdelay: a sidechain of 3 channels for an input of 1 (give 1, or as many)" \
	"$T" --sidechain sc3.wav nz2.wav -o x.wav
expect 2 "tfr-sdelay: --sidechain-map: 'delay' is not gain or feedback" \
	"$T" --sidechain sc.wav --sidechain-map delay nz2.wav -o x.wav
[ ! -e x.wav ] || fail "sidechain: output written after an error"

# --describe: the input's descriptors, a frame every hop centred on
# 0, hop, ... up to the input's end (1 s at 48 kHz, hop 512: 94 frames).
# A 1 kHz sine of amplitude 0.5: centroid 1 kHz within a bin (23.4 Hz;
# achieved 0.1 Hz) and level 0.5 (0.5 %; achieved 0.05 %) once the frame
# is inside the sound; two channels, two records a frame.
$G -r 48000 -d 1 -b float -o s1k.wav sine:1000:0.5
"$T" --describe s1k.wav -o s1k.txt
head -n 1 s1k.txt | grep -qx '#tfr descriptors 1' || fail "describe: header"
grep -qx '# columns=time	channel	freq	amp	flatness	flux' s1k.txt || fail "describe: columns"
[ "$(grep -vc '^#' s1k.txt)" = 94 ] || fail "describe: $(grep -vc '^#' s1k.txt) frames, want 94"
awk '!/^#/ { if ($1 != sprintf("%.9f", (n++) * 512 / 48000)) bad = 1 }
	END { exit bad }' s1k.txt || fail "describe: frame times"
awk '!/^#/ && $1 >= 0.022 && $1 < 0.97 {
		d = $3 - 1000; if (d < 0) d = -d; if (d > e) e = d
		a = $4 / 0.5 - 1; if (a < 0) a = -a; if (a > ea) ea = a
		if ($5 > 0.01) flat = 1 }
	END { exit !(e < 0.1 && ea < 5e-4 && !flat) }' s1k.txt ||
	fail "describe: sine's centroid, level or flatness"
cat nf.wav | "$T" --describe | awk '!/^#/ { c[$2]++ } END { exit !(c[1] == 188 && c[2] == 188) }' ||
	fail "describe: stereo records from a pipe"
# white noise: flatness about 1 (mean within 0.03; achieved 0.99)
"$T" --describe nz.wav | awk '!/^#/ && $1 > 0.03 && $1 < 1.95 { s += $5; n++ }
	END { exit !(n > 100 && s / n > 0.97 && s / n <= 1) }' || fail "describe: noise flatness"
# an onset out of silence: flux 1 in the first frame that reaches it
$G -r 48000 -d 1 -b float -o on.wav impulse:24000:0.9
"$T" --describe on.wav | awk '!/^#/ && $6 > 0.99 { t = $1 } END { exit !(t >= 0.48 && t <= 0.5) }' ||
	fail "describe: onset flux"
expect 2 "tfr-sdelay: --bits: --describe writes a stream, not audio" \
	"$T" --describe -b 16 nf.wav -o x.txt
[ ! -e x.txt ] || fail "describe: output written after a usage error"

# --freeze: a 440 Hz sine (amplitude 0.5, 1 s) frozen from 0.5 s and
# held 1 s past its end: the held sound is the tone, one line at 440 Hz
# (within 1 Hz; achieved 0.001) at its level (1 %; achieved 0.01 %),
# flatness near 0; before the freeze the output is the plain run's, bit
# for bit (the freeze's block is the first whose input time reaches it;
# its frame reaches N / 2 samples further back).
$G -r 48000 -d 1 -b float -o a440.wav sine:440:0.5
"$T" --freeze 0.5:0,0.5:1 -T 1 a440.wav -o fr.wav
"$T" -T 1 a440.wav -o plain.wav
[ "$(maxerr plain.wav fr.wav -e 22000)" = 0 ] || fail "freeze: changed the sound before it"
"$T" --describe fr.wav | awk '!/^#/ && $1 > 1.1 && $1 < 1.95 {
		d = $3 - 440; if (d < 0) d = -d; if (d > e) e = d
		a = $4 / 0.5 - 1; if (a < 0) a = -a; if (a > ea) ea = a
		if ($5 > 1e-6) flat = 1; n++ }
	END { exit !(n > 70 && e < 0.01 && ea < 1e-3 && !flat) }' ||
	fail "freeze: the held tone is not one line at 440 Hz and 0.5"
# a release at 1.5 s: silence from one FFT length (2048 samples) later
"$T" --freeze 0.5:0,0.5:1,1.5:1,1.5:0 -T 1 a440.wav -o rel.wav
"$T" --describe rel.wav | awk '!/^#/ {
		if ($1 > 1.1 && $1 < 1.45 && ($4 < 0.495 || $4 > 0.505)) bad = 1
		if ($1 > 1.5 + 2 * 2048 / 48000 && $4 != 0) bad = 1 }
	END { exit bad }' || fail "freeze: release"
# one band (300 Hz ... 600 Hz) of 440 Hz + 3 kHz: only 440 Hz is held
$G -r 48000 -d 1 -b float -o two.wav sine:440:0.5 sine:3000:0.5
"$T" --freeze 0.5:0,0.5:1 --freeze-band 300:600 -T 1 two.wav -o frb.wav
"$T" --describe frb.wav | awk '!/^#/ && $1 > 1.1 && $1 < 1.95 {
		if ($3 < 439.99 || $3 > 440.01 || $4 < 0.495 || $4 > 0.505) bad = 1; n++ }
	END { exit bad || n < 70 }' || fail "freeze: band"
# per channel: the left frozen, the right live (and so silent after 1 s)
$G -r 48000 -d 1 -c 2 -b float -o a2.wav sine:440:0.5
"$T" --freeze 0.5:0,0.5:1 --freeze 0 -T 1 a2.wav -o fr2.wav
"$T" --describe fr2.wav | awk '!/^#/ && $1 > 1.1 && $1 < 1.95 {
		if ($2 == 1 && ($4 < 0.495 || $4 > 0.505)) bad = 1
		if ($2 == 2 && $4 != 0) bad = 1 }
	END { exit bad }' || fail "freeze: per channel"
# --freeze-phase: white noise (level 0.245) frozen at 0.5 s and held 1.5 s
# past its end. random keeps its level (within 3 %; achieved 0.4 %) and
# stays noise (flatness above 0.7; achieved 0.80, the frozen periodogram's
# own unevenness); advance rings (flatness below 0.45; achieved 0.33)
$G -r 48000 -d 1 -b float -o wn.wav noise:0.3:3
for ph in advance random; do
	"$T" --freeze 0.5:0,0.5:1 --freeze-phase $ph -T 1.5 wn.wav -o fn_$ph.wav
	"$T" --describe fn_$ph.wav | awk '!/^#/ && $1 > 1.2 && $1 < 2.4 {
		a += $4 * $4; f += $5; n++ } END { print sqrt(a / n), f / n }' > fn_$ph.txt
done
"$T" --describe wn.wav | awk '!/^#/ && $1 > 0.1 && $1 < 0.9 { a += $4 * $4; n++ }
	END { print sqrt(a / n) }' > wn.txt
read -r lr fr < fn_random.txt; read -r la fa < fn_advance.txt; read -r l0 < wn.txt
awk -v l="$lr" -v l0="$l0" -v f="$fr" 'BEGIN { d = l / l0 - 1; if (d < 0) d = -d
	exit !(d < 0.03 && f > 0.7) }' || fail "freeze-phase random: level $lr (input $l0), flatness $fr"
awk -v f="$fa" 'BEGIN { exit !(f < 0.45) }' || fail "freeze-phase advance on noise: flatness $fa"
cmp -s fn_random.wav fn_advance.wav && fail "freeze-phase: random is advance"
"$T" --freeze 0.5:0,0.5:1 --freeze-phase random -T 1.5 wn.wav -o fn_r2.wav
cmp -s fn_random.wav fn_r2.wav || fail "freeze-phase random: not reproducible"
expect 2 "tfr-sdelay: --freeze-phase: give --freeze too" \
	"$T" --freeze-phase random wn.wav -o x.wav
expect 2 "tfr-sdelay: --freeze-phase: 'rand' is not advance or random" \
	"$T" --freeze 1 --freeze-phase rand wn.wav -o x.wav
# an hour-long freeze (1 kHz rate, a slow chirp from 200 Hz): the held
# line is still 200 Hz at the end of the hour, where the input is at
# 380 Hz, and the memory is that of a 10 s run
$G -r 1000 -d 3600 -b 16 -o hour.wav chirp:200:0.05:0.5
$G -r 1000 -d 10 -b 16 -o ten.wav chirp:200:0.05:0.5
if [ -z "${TFR_SANITIZE:-}" ] && [ -x /usr/bin/time ]; then
	/usr/bin/time -f %M -o rss1h.txt "$T" -n 256 --freeze 0.5:0,0.5:1 hour.wav -o hourfr.wav
	/usr/bin/time -f %M -o rss10.txt "$T" -n 256 --freeze 0.5:0,0.5:1 ten.wav -o tenfr.wav
	r1h=$(cat rss1h.txt); r10=$(cat rss10.txt)
	echo "peak RSS of a freeze: an hour $r1h kB, 10 s $r10 kB"
	[ "$r1h" -le $((r10 + 1024)) ] || fail "freeze: memory grows ($r1h kB for an hour, $r10 kB for 10 s)"
else
	"$T" -n 256 --freeze 0.5:0,0.5:1 hour.wav -o hourfr.wav
fi
"$T" -n 256 --describe hourfr.wav | awk '!/^#/ && $1 > 3590 && $1 < 3599.5 {
		if ($3 < 199.9 || $3 > 200.1 || $4 < 0.495 || $4 > 0.505) bad = 1; n++ }
	END { exit bad || n < 100 }' || fail "freeze: an hour later"
rm -f hour.wav hourfr.wav
# bad freezes: a message naming the option and value, nothing written
expect 2 "tfr-sdelay: freeze envelope '0:0,1:0.5': column 7: freeze value 0.5 is not 0 (live) or 1 (frozen)" \
	"$T" --freeze 0:0,1:0.5 a440.wav -o x.wav
printf '0 0\n0.5 1\n0.7 2\n' > badfr.txt
expect 1 "tfr-sdelay: badfr.txt:3:5: freeze envelope: freeze value 2 is not 0 (live) or 1 (frozen)" \
	"$T" --freeze badfr.txt a440.wav -o x.wav
expect 2 "tfr-sdelay: --freeze: 3 envelopes for 2 channels (give one, or one per channel)" \
	"$T" --freeze 1 --freeze 1 --freeze 1 a2.wav -o x.wav
expect 2 "tfr-sdelay: --freeze-band: give --freeze too" \
	"$T" --freeze-band 300:600 a440.wav -o x.wav
expect 2 "tfr-sdelay: --freeze-band: 600:300 Hz is empty (LO below HI)" \
	"$T" --freeze 1 --freeze-band 600:300 a440.wav -o x.wav
expect 2 "tfr-sdelay: freeze band 1000 ... 1005 Hz holds no FFT bin (they are 23.4375 Hz apart)" \
	"$T" --freeze 1 --freeze-band 1000:1005 a440.wav -o x.wav
expect 2 "tfr-sdelay: --freeze-band: '300' is not LO:HI (two frequencies, e.g. 200:2k)" \
	"$T" --freeze 1 --freeze-band 300 a440.wav -o x.wav
[ ! -e x.wav ] || fail "freeze: output written after an error"

# bad input
expect 2 "tfr-sdelay: delay map '0:0.1,2000:x': column 12: 'x' is not a time (seconds, or with ms or s)" \
	"$T" -d 0:0.1,2000:x nf.wav -o x.wav
expect 2 "tfr-sdelay: delay map '0:0.1,3000:0.2,2000:0.3': column 16: frequency 2000 after 3000: frequencies must not decrease" \
	"$T" -d 0:0.1,3000:0.2,2000:0.3 nf.wav -o x.wav
expect 2 "tfr-sdelay: delay map '0:0.1,100:61': column 11: delay 61 above the maximum of 60 s" \
	"$T" -d 0:0.1,100:61 nf.wav -o x.wav
expect 2 "tfr-sdelay: delay map '-0.5': column 1: negative delay -0.5" \
	"$T" -d -0.5 nf.wav -o x.wav
printf '0 0.1\n500 0.2\n300 abc\n' > bad.txt
expect 1 "tfr-sdelay: bad.txt:3:5: delay map: 'abc' is not a time (seconds, or with ms or s)" \
	"$T" -d bad.txt nf.wav -o x.wav
printf '0 0.1\n500 0.2\n300 0.3\n' > bad2.txt
expect 1 "tfr-sdelay: bad2.txt:3:1: delay map: frequency 300 after 500: frequencies must not decrease" \
	"$T" -d @bad2.txt nf.wav -o x.wav
expect 1 "tfr-sdelay: nosuch.txt: No such file or directory" \
	"$T" -d nosuch.txt nf.wav -o x.wav
[ ! -e x.wav ] || fail "partial output left behind"
echo "not audio" > junk.wav
set +e; "$T" junk.wav -o x.wav 2>err.txt; st=$?; set -e
[ "$st" = 1 ] || fail "unreadable audio: exit $st"
grep -q "^tfr-sdelay: junk.wav: " err.txt || fail "unreadable audio message"
expect 2 "tfr-sdelay: 3 delay maps for 2 channels (give one, or one per channel)" \
	"$T" -d 0 -d 0 -d 0 nf.wav -o x.wav
echo ok
