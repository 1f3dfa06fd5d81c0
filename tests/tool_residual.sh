# tool_residual.sh - tfr-resynth --residual and --stochastic from the
# shell (issue 21 section 6): sines + residual = input within float
# rounding (a synthetic signal, speech, a piped analysis, a piped
# input); the residual sample-aligned (a partial written by hand on the
# sine it describes leaves nothing); a pure sine's residual small; the
# stochastic envelope of white noise turned back into noise of the
# right level per band; sines + modelled noise against speech as LSD
# (the target: 7.3 dB, Loris's bandwidth-enhanced median); memory not
# growing with the length; bad input and usage refused, nothing left.
. "$TFR_TESTS/lib.sh"
B=$TFR_BIN
SNR=$B/tests/tfr-snr
G=$TFR_GENSIG
fig() { sed -n "s/.*$1=\([^ ]*\).*/\1/p" "$2"; }
atleast() { awk -v v="$2" -v b="$3" 'BEGIN { exit !(v >= b) }' || fail "$1: $2 < $3"; }
atmost() { awk -v v="$2" -v b="$3" 'BEGIN { exit !(v <= b) }' || fail "$1: $2 > $3"; }
analyse() { "$B/tfr-reassign" "$1" | "$B/tfr-peaks" | "$B/tfr-track"; }

# ---- 1. sines + residual = input: a synthetic signal, speech ----
"$G" -d 2 -o mix.wav sine:220:0.3 sine:1330:0.1 noise:0.05:3 impulse:44100:0.5
analyse mix.wav > mix.par
"$B/tfr-resynth" -B off mix.par -o mix_s.wav
"$B/tfr-resynth" --residual mix.wav mix.par -o mix_r.wav
"$SNR" mix.wav mix_s.wav mix_r.wav > mix.snr
echo "synthetic, sines + residual: $(cat mix.snr)"
atleast "synthetic: sines + residual vs input, SNR (float rounding)" "$(fig snr mix.snr)" 140
[ "$(fig test_frames mix.snr)" = 88200 ] || fail "synthetic: residual of $(fig test_frames mix.snr) samples"

speech=$TFR_DATA/speech/speech44k.wav
analyse "$speech" > sp.par
"$B/tfr-resynth" -B off sp.par -o sp_s.wav
"$B/tfr-resynth" -v --residual "$speech" --stochastic sp.noise sp.par -o sp_r.wav 2> sp.err
cat sp.err
"$SNR" "$speech" sp_s.wav sp_r.wav > sp.snr
echo "speech, sines + residual: $(cat sp.snr)"
atleast "speech: sines + residual vs input, SNR (float rounding)" "$(fig snr sp.snr)" 140
[ "$(fig lsd sp.snr)" = 0.00 ] || fail "speech: sines + residual LSD $(fig lsd sp.snr)"
# -B on is asked for: the residual of what plays with it
"$B/tfr-resynth" sp.par -o sp_bw.wav
"$B/tfr-resynth" -B on --residual "$speech" sp.par -o sp_rbw.wav
"$SNR" "$speech" sp_bw.wav sp_rbw.wav > bw.snr
atleast "speech: with -B on, sines + noise + residual" "$(fig snr bw.snr)" 140

# a piped analysis (the source's length in a trailer) and a piped input
# make the same residual
cat "$speech" | "$B/tfr-reassign" | "$B/tfr-peaks" | "$B/tfr-track" |
	"$B/tfr-resynth" --residual "$speech" -o sp_r2.wav
cmp -s sp_r.wav sp_r2.wav || fail "speech: a piped analysis makes another residual"
cat "$speech" | "$B/tfr-resynth" --residual - --stochastic sp2.noise sp.par -o sp_r3.wav
"$SNR" sp_r.wav sp_r3.wav > r3.snr
[ "$(fig snr r3.snr)" = inf ] || fail "speech: a piped input makes another residual: $(cat r3.snr)"
grep -v '^#' sp.noise > a.txt
grep -v '^#' sp2.noise > b.txt
cmp -s a.txt b.txt || fail "speech: a piped input makes another envelope"
grep -q '^# source_frames=220502$' sp2.noise || fail "speech: the piped input's length is not in the envelope"

# ---- 2. alignment: a partial written on the sine it describes ----
"$G" -d 1 -o la.wav sine:440:0.5:0.7
awk 'BEGIN { OFS = "\t"; print "#tfr partials 1"; print "# sample_rate=44100";
	print "# source_frames=44100"
	print "# columns=partial", "time", "freq", "amp", "phase", "bandwidth", "end"
	print 0, 0, 440, 0.5, 0.7, 0, 0; print 0, 1, 440, 0.5, 0.7, 0, 1 }' > la.par
"$B/tfr-resynth" -v --residual la.wav la.par -o la_r.wav 2> la.err
lvl=$(sed -n 's/.*residual \([^ ]*\) dB.*/\1/p' la.err)
echo "a partial on its own sine: residual $lvl dB"
atmost "alignment: the residual of a partial on its own sine (dB)" "$lvl" -100
# one sample late, it would be 20 log10(2 sin(pi 440 / 44100)) = -30 dB
"$G" -d 1 -o late.wav sine:440:0.5:$(awk 'BEGIN { print 0.7 - 2 * 3.141592653589793 * 440 / 44100 }')
"$B/tfr-resynth" -v --residual late.wav la.par -o late_r.wav 2> late.err
lvl=$(sed -n 's/.*residual \([^ ]*\) dB.*/\1/p' late.err)
atleast "alignment: a sample late (dB)" "$lvl" -31

# ---- 3. a pure sine: its residual ----
"$G" -d 2 -o sine.wav sine:440:0.5
analyse sine.wav > sine.par
"$B/tfr-resynth" -v --residual sine.wav sine.par -o sine_r.wav 2> sine.err
# input - residual = the sines: their SNR against the input is the
# input over the residual, between the first and last 0.1 s (steady)
# and over the whole
"$B/tfr-resynth" -B off sine.par -o sine_s.wav
"$SNR" sine.wav sine_s.wav > sine_s.snr
echo "pure sine: $(sed -n 's/.*residual/residual/p' sine.err), between the edges $(fig steady sine_s.snr) dB below"
atleast "pure sine: residual below the input between the first and last 0.1 s (dB)" \
	"$(fig steady sine_s.snr)" 90
atleast "pure sine: the whole residual below the input (dB; the onset and end)" \
	"$(fig snr sine_s.snr)" 30

# ---- 4. white noise: the envelope turned back into noise, per band ----
# no partials: the residual is the input, uniform noise of variance
# 0.4^2 / 3; its envelope's bands read s^2 (hi - lo) / (fs / 2), and so
# do those of the noise made from it
"$G" -d 10 -o white.wav noise:0.4:9
printf '#tfr partials 1\n# sample_rate=44100\n# source_frames=441000\n# columns=partial\ttime\tfreq\tamp\tphase\tbandwidth\tend\n' > none.par
"$B/tfr-resynth" --residual white.wav --stochastic white.noise none.par -o white_r.wav
cmp -s white.wav white_r.wav || "$SNR" white.wav white_r.wav | grep -q 'snr=inf' ||
	fail "white: without partials the residual is not the input"
"$B/tfr-resynth" white.noise -o white_n.wav
"$B/tfr-resynth" --residual white_n.wav --stochastic again.noise none.par -o /dev/null
bands() {
	awk -F'\t' -v var="$(awk 'BEGIN { print 0.4 * 0.4 / 3 }')" '
	/^#/ { next }
	$1 > 0.2 && $1 < 9.8 { k = $2; s[k] += $4; n[k]++; w[k] = ($3 - $2) / 22050 }
	END {
		worst = 0
		for (k in s) {
			d = 10 * log(s[k] / n[k] / (var * w[k])) / log(10)
			if (d * d > worst * worst) worst = d
		}
		printf "%.3f\n", worst
	}' "$1"
}
w0=$(bands white.noise) w1=$(bands again.noise)
echo "white noise: worst band of its envelope $w0 dB, of the noise made from it $w1 dB off s^2 (hi - lo) / (fs / 2)"
atmost "white: envelope, worst band |dB|" "$(echo "$w0" | tr -d -)" 0.5
# two estimates of 10 s each over bands two bins wide: 0.17 dB of
# standard deviation, 87 bands
atmost "white: noise made from it, worst band |dB|" "$(echo "$w1" | tr -d -)" 0.6
"$SNR" white.wav white_n.wav > wn.snr
len=$(fig test_frames wn.snr)
[ "$len" = 441000 ] || fail "white: the noise has $len samples, not the source's 441000"
# at half the rate: the bands below 11025 Hz at the same density
"$B/tfr-resynth" -r 22050 white.noise -o white_22.wav
sed 's/sample_rate=44100/sample_rate=22050/; s/source_frames=441000/source_frames=220500/' none.par > none22.par
"$B/tfr-resynth" --residual white_22.wav --stochastic w22.noise none22.par -o /dev/null
w2=$(bands w22.noise)
echo "white noise played at 22050 Hz: worst band $w2 dB off the same density"
atmost "white at 22050 Hz: worst band |dB|" "$(echo "$w2" | tr -d -)" 0.6

# ---- 5. sines + modelled noise against speech: LSD ----
"$B/tfr-resynth" sp.noise -o sp_n.wav
"$SNR" "$speech" sp_s.wav sp_n.wav > spn.snr
"$SNR" "$speech" sp_s.wav > sps.snr
echo "speech: sines + modelled noise: $(cat spn.snr)"
"$SNR" "$speech" sp_bw.wav > spbw.snr
echo "speech: LSD of sines alone $(fig lsd sps.snr) dB, of sines with bandwidth-enhanced noise $(fig lsd spbw.snr) dB"
atmost "speech: LSD of sines + modelled noise (target 7.3 dB)" "$(fig lsd spn.snr)" 7.3
atmost "speech: LSD of sines + modelled noise (achieved 3.79 dB)" "$(fig lsd spn.snr)" 3.9
# an edited envelope (times twice as long) plays twice as long
awk -F'\t' -v OFS='\t' '/^#/ { if ($0 ~ /^# source_frames=/) $0 = "# source_frames=441004"; print; next } { $1 *= 2; print }' sp.noise |
	"$B/tfr-resynth" -o sp_n2.wav
"$SNR" sp_n2.wav sp_n2.wav > n2.snr
[ "$(fig frames n2.snr)" = 441004 ] || fail "stretched envelope: $(fig frames n2.snr) samples"

# ---- 6. memory: the same for 10 s and 100 s ----
if [ -z "${TFR_SANITIZE:-}" ] && [ -x /usr/bin/time ]; then
	"$G" -d 100 -o long.wav noise:0.3:4
	printf '#tfr partials 1\n# sample_rate=44100\n# columns=partial\ttime\tfreq\tamp\tphase\tbandwidth\tend\n' > open.par
	/usr/bin/time -f %M -o rss100.txt "$B/tfr-resynth" --residual long.wav --stochastic long.noise open.par -o long_r.wav
	/usr/bin/time -f %M -o rss10.txt "$B/tfr-resynth" --residual white.wav --stochastic w.noise open.par -o w_r.wav
	/usr/bin/time -f %M -o rssn.txt "$B/tfr-resynth" long.noise -o long_n.wav
	r100=$(tail -n 1 rss100.txt) r10=$(tail -n 1 rss10.txt) rn=$(tail -n 1 rssn.txt)
	echo "peak RSS: residual + envelope of 10 s $r10 kB, of 100 s $r100 kB; noise of 100 s $rn kB"
	atmost "memory: 100 s over 10 s (kB)" "$((r100 - r10))" 2000
	atmost "memory: noise of 100 s (kB)" "$rn" 20000
fi

# ---- 7. bad input and usage: one line, exit 1 or 2, nothing left ----
"$G" -r 48000 -d 5 -o r48.wav sine:440:0.5
expect_error 1 "tfr-resynth: r48.wav: 48000 Hz, but the partials of sp.par were analysed at 44100 Hz" \
	"$B/tfr-resynth" --residual r48.wav sp.par -o bad.wav
"$G" -d 1 -o short.wav sine:440:0.5
expect_error 1 "tfr-resynth: short.wav: 44100 samples, but the partials' source had 220502 (source_frames)" \
	"$B/tfr-resynth" --residual short.wav --stochastic bad.noise sp.par -o bad.wav
# a piped input: its length known at its end
expect_error 1 "tfr-resynth: stdin: 44100 samples, but the partials' source had 220502 (source_frames)" \
	sh -c "cat short.wav | '$B/tfr-resynth' --residual - --stochastic bad.noise sp.par -o bad.wav"
[ ! -e bad.wav ] && [ ! -e bad.noise ] || fail "bad input: an output was left"
ls | grep -q '^\.\?bad' && fail "bad input: a temporary was left: $(ls -a | grep bad)"
expect_status 2 "$B/tfr-resynth" --stochastic x.noise sp.par -o bad.wav
expect_error 2 "tfr-resynth: --residual -: the partials are on standard input: give their file" \
	sh -c "cat sp.par | '$B/tfr-resynth' --residual - -o bad.wav"
expect_status 2 "$B/tfr-resynth" --residual "$speech" --stochastic - sp.par
expect_status 2 "$B/tfr-resynth" --residual "$speech" --length 1s sp.par -o bad.wav
expect_status 2 "$B/tfr-resynth" --residual "$speech" --stochastic x.noise --bands 0 sp.par -o bad.wav
expect_status 2 "$B/tfr-resynth" --bands 10 sp.par -o bad.wav
cp "$speech" in.wav
expect_status 2 "$B/tfr-resynth" --residual in.wav sp.par -o in.wav
expect_status 2 "$B/tfr-resynth" --residual in.wav --stochastic in.wav sp.par -o bad.wav
expect_status 2 "$B/tfr-resynth" --residual in.wav --stochastic same sp.par -o same
expect_error 2 "tfr-resynth: --residual: sp.noise is a noise stream; a residual is taken of partials" \
	"$B/tfr-resynth" --residual in.wav sp.noise -o bad.wav
cmp -s in.wav "$speech" || fail "usage: the input was touched"
# a noise stream whose time goes back, whose bands overlap
{ sed -n '/^#/p' sp.noise; printf '0.5\t0\t100\t1\n0.25\t0\t100\t1\n'; } > back.noise
n=$(sed -n '/^#/p' sp.noise | wc -l)
expect_error 1 "tfr-resynth: back.noise:$((n + 2)): time goes back from 0.5 to 0.25 (a noise stream is in order of time)" \
	"$B/tfr-resynth" back.noise -o bad.wav
{ sed -n '/^#/p' sp.noise; printf '0.5\t0\t100\t1\n0.5\t50\t200\t1\n'; } > over.noise
expect_status 1 "$B/tfr-resynth" over.noise -o bad.wav
grep -q "over.noise:$((n + 2)): the bands of a frame overlap" err.txt || fail "overlap: $(cat err.txt)"
{ sed -n '/^#/p' sp.noise; printf '0.5\t0\t100\t-1\n'; } > neg.noise
expect_status 1 "$B/tfr-resynth" neg.noise -o bad.wav
[ ! -e bad.wav ] || fail "bad noise: an output was left"

[ "$fails" -eq 0 ]
