# tool_morph.sh - tfr-morph against analytic truth: harmonic tones at 220
# and 330 Hz (three harmonics each, labelled) morphed halfway give 275 Hz
# (linear) or 269.44 Hz (log: sqrt(220 330)) with amplitudes the
# geometric mean; morph 0 resynthesises as A and 1 as B; weights that
# change over time; errors as one line with nothing written.
. "$TFR_TESTS/lib.sh"
B=$TFR_BIN
S=$(dirname "$TFR_GENSIG")/tfr-snr

"$TFR_GENSIG" -d 1 -o t220.wav sine:220:0.4 sine:440:0.2 sine:660:0.1
"$TFR_GENSIG" -d 1 -o t330.wav sine:330:0.1 sine:660:0.3 sine:990:0.05
for x in 220 330; do
	"$B/tfr-reassign" t$x.wav | "$B/tfr-peaks" | "$B/tfr-track" | "$B/tfr-label" --f0 $x -o t$x.lab
	"$B/tfr-resynth" -o r$x.wav t$x.lab
done

# halfway: per label, the mean frequency and the mean log amplitude over
# the steady middle (0.2-0.8 s)
"$B/tfr-morph" --morph 0.5 -o half.lab t220.lab t330.lab
awk '!/^#/ && $2 > 0.2 && $2 < 0.8 { f[$8] += $3; a[$8] += log($4); n[$8]++ }
     END { for (k = 1; k <= 3; k++) printf "%d %.6f %.6f\n", k, f[k] / n[k], 20 * a[k] / n[k] / log(10) }' half.lab > half.txt
cat half.txt
# label k: A's harmonic k (220 k Hz at 0.4, 0.2, 0.1) with B's (330 k Hz
# at 0.1, 0.3, 0.05)
awk 'BEGIN { split("0.4 0.2 0.1", a); split("0.1 0.3 0.05", b) }
     { f = ($1 * 220 + $1 * 330) / 2; g = 20 * log(sqrt(a[$1] * b[$1])) / log(10)
       if ((d = $2 - f) < 0) d = -d; if (d > 0.1) print "label " $1 ": " $2 " Hz, expected " f
       if ((e = $3 - g) < 0) e = -e; if (e > 0.01) print "label " $1 ": " $3 " dB, expected " g
       if (d > 0.001 || e > 0.001) print "label " $1 ": off by more than what is achieved" }' half.txt > bad.txt
[ ! -s bad.txt ] || fail "halfway: $(cat bad.txt)"
f=$("$B/tfr-morph" --morph 0.5 --log-freq t220.lab t330.lab |
	awk '!/^#/ && $2 > 0.2 && $2 < 0.8 && $8 == 1 { f += $3; n++ } END { printf "%.4f", f / n }')
near "$f" 269.4439 0.1 || fail "--log-freq halfway: $f Hz, expected 269.44 (sqrt(220 330))"
near "$f" 269.4439 0.001 || fail "--log-freq halfway: $f Hz, off by more than what is achieved"

# the ends are the sources
"$B/tfr-morph" --morph 0 t220.lab t330.lab | "$B/tfr-resynth" -o m0.wav
"$B/tfr-morph" --morph 1 t220.lab t330.lab | "$B/tfr-resynth" -o m1.wav
for x in "r220.wav m0.wav" "r330.wav m1.wav"; do
	line=$("$S" $x)
	echo "morph end vs source ($x): $line"
	snr=$(echo "$line" | sed 's/.*snr=\([^ ]*\).*/\1/')
	awk -v s="$snr" 'BEGIN { exit !(s >= 60) }' || fail "$x: $snr dB, expected >= 60"
	awk -v s="$snr" 'BEGIN { exit !(s >= 66) }' || fail "$x: $snr dB, below what is achieved (67-71)"
done

# a morph over time: A at 0.2 s, B from 0.8 s, between them linear
"$B/tfr-morph" --morph-freq 0.2:0,0.8:1 --morph-amp 0.5 t220.lab t330.lab > glide.lab
awk '!/^#/ && $8 == 1 && $2 > 0.05 && $2 < 0.95 { t = $2; w = t < 0.2 ? 0 : t > 0.8 ? 1 : (t - 0.2) / 0.6
     d = $3 - (220 + 110 * w); if (d < 0) d = -d; if (d > m) { m = d; at = t } }
     END { print m, at; exit !(m < 0.05) }' glide.lab > glide.txt ||
	fail "--morph-freq 0.2:0,0.8:1: frequency off the weights' line by $(cat glide.txt) (Hz, s)"

# unpaired partials fade: a fourth harmonic in A alone is A's at 0 and
# gone at 1
"$TFR_GENSIG" -d 1 -o t4.wav sine:220:0.4 sine:440:0.2 sine:660:0.1 sine:880:0.1
"$B/tfr-reassign" t4.wav | "$B/tfr-peaks" | "$B/tfr-track" | "$B/tfr-label" --f0 220 -o t4.lab
n=$("$B/tfr-morph" --morph 1 t4.lab t330.lab | awk '!/^#/ && $3 > 870 && $3 < 890' | wc -l)
[ "$n" -eq 0 ] || fail "--morph 1: A's unpaired partial still there ($n breakpoints)"
a=$("$B/tfr-morph" --morph 0.5 t4.lab t330.lab | awk '!/^#/ && $8 == 4 && $2 > 0.4 && $2 < 0.6 { print $4; exit }')
# (0.1 + s) (s / (0.1 + s))^0.5 - s: -40 dB below 0.1 ... at s = 1e-5
want=$(awk 'BEGIN { s = 1e-5; printf "%.6g", (0.1 + s) * sqrt(s / (0.1 + s)) - s }')
near "$a" "$want" 1e-6 || fail "unpaired, halfway: amplitude $a, expected $want (log morph toward 0)"

# errors
expect_error 2 "tfr-morph: two inputs are needed, A and B" "$B/tfr-morph" t220.lab
"$B/tfr-reassign" t220.wav | "$B/tfr-peaks" | "$B/tfr-track" -o plain.partials
hdr=$(awk '!/^#/ { print NR - 1; exit }' plain.partials)
expect_error 1 "tfr-morph: plain.partials:$hdr: header: no 'label' column (partials are paired by label: tfr-label writes it)" \
	"$B/tfr-morph" -o x.lab plain.partials t330.lab
expect_status 2 "$B/tfr-morph" --morph 1.5 t220.lab t330.lab
printf '0 0.5\n1 1.2\n' > w.txt
expect_status 1 "$B/tfr-morph" --morph w.txt -o x.lab t220.lab t330.lab
grep -q "^tfr-morph: w.txt:2:" err.txt || fail "weight out of range in a file: $(cat err.txt)"
[ ! -e x.lab ] || fail "an output was left after a refusal"
finish
