# tool_f0.sh - tfr-f0 from the shell: audio and partials in, the f0
# kind out on a 10 ms grid, the truth of harmonic tones, hum, noise and
# silence, pipes, bad input and usage errors.
. "$TFR_TESTS/lib.sh"
F0=$TFR_BIN/tfr-f0
G=$TFR_GENSIG

# records only, and one column of them
recs() { grep -v '^#' "$1"; }
# median of the f0 of the voiced frames of file $1 within [$2, $3) s
vmedian() {
	recs "$1" | awk -v a="$2" -v b="$3" '$1 >= a && $1 < b && $3 >= 0.5 { print $2 }' |
		sort -g | awk '{ v[NR] = $1 } END { if (NR) print v[int((NR + 1) / 2)]; else print 0 }'
}
# share of the frames voiced
vshare() {
	recs "$1" | awk '{ n++; v += ($3 >= 0.5) } END { print n ? v / n : 0 }'
}

expect_status 0 "$F0" --help
grep -q -- '--hum' out.txt || fail "--help does not name --hum"
expect_status 0 "$F0" --version

# a harmonic tone of 220 Hz: 100 frames at 0, 0.01, ... 0.99 s, f0 within
# 0.05 Hz (0.4 cent; achieved 0.01), every frame voiced
"$G" -d 1 -o tone.wav sine:220:0.3 sine:440:0.15 sine:660:0.1
expect_status 0 "$F0" -o tone.f0 tone.wav
head -n 1 tone.f0 | grep -q '^#tfr f0 1' || fail "not an f0 stream: $(head -n 1 tone.f0)"
grep -q '^# columns=time	f0	voicing	salience$' tone.f0 || fail "columns"
[ "$(recs tone.f0 | wc -l)" -eq 100 ] || fail "tone: $(recs tone.f0 | wc -l) frames, expected 100"
t=$(recs tone.f0 | awk 'NR == 38 { print $1 }')
near "$t" 0.37 1e-9 || fail "frame 38 at $t s, expected 0.37"
m=$(vmedian tone.f0 0.1 0.9)
near "$m" 220 0.05 || fail "tone: f0 $m, expected 220 +- 0.05"
near "$(vshare tone.f0)" 1 0 || fail "tone: voiced share $(vshare tone.f0)"

# a missing fundamental: harmonics 2-4 of 200 Hz
"$G" -d 1 -o missing.wav sine:400:0.3 sine:600:0.2 sine:800:0.1
"$F0" missing.wav > missing.f0
m=$(vmedian missing.f0 0.1 0.9)
near "$m" 200 0.05 || fail "missing fundamental: f0 $m, expected 200"

# hum (50 Hz and 2 harmonics) under a sung vowel of 180 Hz: not 50,
# 100 or 150
"$G" -d 2 -o hum.wav voice:180:0.01:0.3 sine:50:0.1 sine:100:0.05 sine:150:0.03
"$F0" hum.wav > hum.f0
m=$(vmedian hum.f0 0.3 1.7)
near "$m" 180 3 || fail "voice under hum: f0 $m, expected 180 +- 3"
"$F0" --hum=off hum.wav > humoff.f0 || fail "--hum=off"

# a bass of 45 Hz and a soprano of 1250 Hz
"$G" -d 1 -o bass.wav sine:45:0.3 sine:90:0.15 sine:135:0.1 sine:180:0.07
"$F0" bass.wav > bass.f0
m=$(vmedian bass.f0 0.1 0.9)
near "$m" 45 0.05 || fail "bass: f0 $m, expected 45"
"$G" -d 1 -o sop.wav sine:1250:0.3 sine:2500:0.1 sine:3750:0.05
"$F0" sop.wav > sop.f0
m=$(vmedian sop.f0 0.1 0.9)
near "$m" 1250 0.5 || fail "soprano: f0 $m, expected 1250"

# noise alone and silence: unvoiced; silence has f0 0
"$G" -d 1 -o noise.wav noise:0.2:7
"$F0" noise.wav > noise.f0
s=$(vshare noise.f0)
near "$s" 0 0.05 || fail "white noise: $s of the frames voiced"
"$G" -d 1 -o silence.wav sine:100:0
"$F0" silence.wav > silence.f0
[ "$(recs silence.f0 | awk '$2 != 0 || $3 >= 0.5' | wc -l)" -eq 0 ] ||
	fail "silence: frames with an f0 or voiced"

# the partials of the tone: the same f0 (the estimator is one)
"$TFR_BIN"/tfr-reassign tone.wav | "$TFR_BIN"/tfr-peaks | "$TFR_BIN"/tfr-track > tone.partials
expect_status 0 "$F0" -o tonep.f0 tone.partials
m=$(vmedian tonep.f0 0.1 0.9)
near "$m" 220 0.05 || fail "from partials: f0 $m, expected 220"
grep -q '^# source=tone.wav' tonep.f0 || fail "from partials: the input's header is not kept"
# the frames of the audio, to the end of the sound (the header's length)
[ "$(recs tonep.f0 | wc -l)" -eq 100 ] || fail "from partials: $(recs tonep.f0 | wc -l) frames, expected 100"
# on a pipe, audio and stream alike, the same records
cat tone.wav | "$F0" > pipe.f0
recs pipe.f0 > a.txt
recs tone.f0 > b.txt
cmp -s a.txt b.txt || fail "audio on a pipe: other records"
cat tone.partials | "$F0" > pipep.f0
recs pipep.f0 > a.txt
recs tonep.f0 > b.txt
cmp -s a.txt b.txt || fail "partials on a pipe: other records"
# -H: a frame every 5 ms
"$F0" -H 5ms tone.wav > h5.f0
[ "$(recs h5.f0 | wc -l)" -eq 200 ] || fail "-H 5ms: $(recs h5.f0 | wc -l) frames, expected 200"
# -H in samples (bare numbers, as every tool's hop): 441 at 44.1 kHz is
# the default 10 ms
"$F0" -H 441 tone.wav > h441.f0
recs h441.f0 > a.txt
recs tone.f0 > b.txt
cmp -s a.txt b.txt || fail "-H 441: not the 10 ms frames"
# an f0 stream is no partials stream
expect_status 1 "$F0" tone.f0
# a channel of a stereo file
"$G" -d 1 -c 2 -o st.wav chan:1 sine:300:0.3 sine:600:0.1 chan:2 sine:210:0.3 sine:420:0.1
"$F0" -c 2 st.wav > st.f0
m=$(vmedian st.f0 0.1 0.9)
near "$m" 210 0.05 || fail "-c 2: f0 $m, expected 210"

# usage errors: exit 2, one line
expect_error 2 "tfr-f0: --min-freq: 500 Hz is not below --max-freq 100 Hz" \
	"$F0" -y 500 -Y 100 tone.wav
expect_error 2 "tfr-f0: --max-freq: 30000 Hz is not below 0.45 of the sample rate (19845 Hz)" \
	"$F0" -Y 30k tone.wav
expect_status 2 "$F0" --hum=maybe tone.wav
expect_error 2 "tfr-f0: --channel: 3, but tone.wav has 1 channel(s)" "$F0" -c 3 tone.wav
expect_error 2 "tfr-f0: --resolution: the analysis of a partials stream is the one that made it" \
	"$F0" -R 30 tone.partials
# bad input: exit 1, FILE:LINE, nothing written
awk '!/^#/ && !done { n++; if (n == 40) { $2 = 0.001; done = 1 } } { print }' OFS='\t' \
	tone.partials > back.partials
line=$(awk '!/^#/ { n++; if (n == 40) { print NR; exit } }' back.partials)
expect_status 1 "$F0" -o back.f0 back.partials
grep -q "^tfr-f0: back.partials:$line: time goes back" err.txt || fail "time going back: $(cat err.txt)"
[ "$(wc -l < err.txt)" -eq 1 ] || fail "time going back: more than one line"
[ ! -e back.f0 ] || fail "a failed run left back.f0"
expect_status 1 "$F0" nosuch.wav
printf 'not audio\n' > junk.wav
expect_status 1 "$F0" junk.wav
# a points stream is not partials
"$TFR_BIN"/tfr-reassign tone.wav > tone.points
expect_status 1 "$F0" tone.points

finish
