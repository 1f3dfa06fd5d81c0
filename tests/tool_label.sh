# tool_label.sh - tfr-label against analytic truth: the harmonics of a
# vibrato tone labelled 1 to 10; a stiff string (B = 1e-4) labelled right
# to its 30th partial with B given or fitted, and wrong from the 22nd
# without (where k (sqrt(1 + B k^2) - 1) first passes half a channel);
# speech labelled from tfr-f0's track; the sieve; errors as one line
# with nothing written.
. "$TFR_TESTS/lib.sh"
B=$TFR_BIN
G=$TFR_GENSIG

# label_errors B FILE: partials whose label is not the k with the
# centre k 110 sqrt(1 + B k^2) nearest their mean frequency; the first
# such k
label_errors() {
	awk -v B="$1" -v f0="${3:-110}" '!/^#/ { f[$1] += $3; n[$1]++; l[$1] = $8 }
	END { bad = 0; first = 0
	      for (p in n) { m = f[p] / n[p]; best = 0; d = 1e30
	          for (k = 1; k <= 60; k++) { c = k * f0 * sqrt(1 + B * k * k)
	              if ((c - m) ^ 2 < d) { d = (c - m) ^ 2; best = k } }
	          if (best != l[p]) { bad++; if (!first || best < first) first = best } }
	      print bad, first, length(n) }' "$2"
}

# the vibrato tone: ten harmonics of 220 Hz, labels exactly 1 ... 10
"$B/tfr-reassign" "$TFR_DATA/additive/tone220_vib.wav" | "$B/tfr-peaks" | "$B/tfr-track" -o vib.partials
"$B/tfr-label" --f0 220 -o vib.lab vib.partials
set -- $(label_errors 0 vib.lab 220)
[ "$1" -eq 0 ] && [ "$3" -eq 10 ] || fail "tone220_vib: $1 of $3 partials mislabelled"
labels=$(awk '!/^#/ { print $8 }' vib.lab | sort -n | uniq | tr '\n' ' ')
[ "$labels" = "1 2 3 4 5 6 7 8 9 10 " ] || fail "tone220_vib: labels '$labels'"
grep -q '^# columns=partial	time	freq	amp	phase	bandwidth	end	label$' vib.lab ||
	fail "no label column"
grep -q '^# label_f0=220$' vib.lab || fail "no label_f0 in the header"
# the partial near 660 Hz is the third harmonic: the same labels
"$B/tfr-label" --near 660,3 vib.partials | awk '!/^#/' > n.txt
awk '!/^#/' vib.lab > v.txt
cmp -s n.txt v.txt ||
	fail "--near 660,3: other labels than --f0 220"

# a stiff string: 30 partials at k 110 sqrt(1 + 1e-4 k^2)
set --
for k in $(seq 1 30); do
	set -- "$@" "sine:$(awk -v k=$k 'BEGIN { printf "%.6f", k * 110 * sqrt(1 + 1e-4 * k * k) }'):0.02"
done
"$G" -d 1 -o stiff.wav "$@"
"$B/tfr-reassign" stiff.wav | "$B/tfr-peaks" | "$B/tfr-track" -o stiff.partials
"$B/tfr-label" --f0 110 --inharmonicity 1e-4 -o s1.lab stiff.partials
set -- $(label_errors 1e-4 s1.lab)
[ "$1" -eq 0 ] && [ "$3" -eq 30 ] || fail "stiff string, B given: $1 of $3 mislabelled (first k $2)"
"$B/tfr-label" --f0 110 -o s0.lab stiff.partials
set -- $(label_errors 1e-4 s0.lab)
[ "$2" -eq 22 ] || fail "stiff string, B = 0: first mislabelled k $2, expected 22"
"$B/tfr-label" -v --f0 110 --inharmonicity auto -o s2.lab stiff.partials 2> fit.txt
set -- $(label_errors 1e-4 s2.lab)
[ "$1" -eq 0 ] || fail "stiff string, B fitted: $1 mislabelled (first k $2)"
b=$(sed -n 's/^tfr-label: inharmonicity B = //p' fit.txt)
echo "stiff string: B fitted $b (true 1e-4)"
near "$b" 1e-4 2e-6 || fail "B fitted $b, expected 1e-4 within 2 %"
near "$b" 1e-4 5e-7 || fail "B fitted $b, off by more than what is achieved (0.2 %)"

# speech, labelled from tfr-f0's track: the energy of voiced frames in
# labelled partials
"$B/tfr-reassign" "$TFR_DATA/speech/speech44k.wav" | "$B/tfr-peaks" | "$B/tfr-track" -o sp.partials
"$B/tfr-f0" -o sp.f0 "$TFR_DATA/speech/speech44k.wav"
"$B/tfr-label" --f0 sp.f0 -o sp.lab sp.partials
share=$(awk 'FNR == NR { if (!/^#/) v[sprintf("%.0f", $1 / 0.01)] = ($3 >= 0.5 && $2 > 0); next }
	!/^#/ { if (v[sprintf("%.0f", $2 / 0.01)]) { e = $4 * $4; all += e; if ($8 > 0) lab += e } }
	END { printf "%.2f", 100 * lab / all }' sp.f0 sp.lab)
echo "speech: $share % of the voiced frames' energy in labelled partials"
awk -v s="$share" 'BEGIN { exit !(s >= 95) }' || fail "speech: $share % labelled, expected >= 95"
awk -v s="$share" 'BEGIN { exit !(s >= 99.5) }' || fail "speech: $share % labelled, below what is achieved (100)"
# a labelled stream goes on to the tools that read partials
"$B/tfr-select" --labels 1-5 sp.lab | "$B/tfr-resynth" -o low.wav || fail "labelled stream refused"

# the sieve: two overlapping partials of label 2, the shorter gives it up
printf '#tfr partials 1\n# sample_rate=44100\n# columns=partial\ttime\tfreq\tamp\tphase\tbandwidth\tend\n' > two.partials
printf '0\t0.0\t200\t0.1\t0\t0\t0\n1\t0.1\t201\t0.1\t0\t0\t0\n1\t0.2\t201\t0.1\t0\t0\t1\n0\t0.5\t200\t0.1\t0\t0\t1\n2\t0.6\t300\t0.1\t0\t0\t0\n2\t0.7\t300\t0.1\t0\t0\t1\n' >> two.partials
got=$("$B/tfr-label" --f0 100 --sieve two.partials | awk '!/^#/ { printf "%s:%s ", $1, $8 }')
[ "$got" = "0:2 1:0 1:0 0:2 2:3 2:3 " ] || fail "--sieve: '$got'"
got=$("$B/tfr-label" --f0 100 two.partials | awk '!/^#/ { printf "%s:%s ", $1, $8 }')
[ "$got" = "0:2 1:2 1:2 0:2 2:3 2:3 " ] || fail "without --sieve: '$got'"

# the distiller: partial 1 overlaps partial 0 of the same label and is
# absorbed into its next breakpoint as noise (amp^2 0.01 + 0.04, noise
# 0.04 of 0.05), then continues it (it goes on within 10 ms of 0's end);
# partial 2, later, starts another; the unlabelled 3 passes; new ids in
# order of first breakpoints
printf '#tfr partials 1\n# sample_rate=44100\n# columns=partial\ttime\tfreq\tamp\tphase\tbandwidth\tend\tlabel\n' > d.partials
printf '0\t0.0\t200\t0.1\t0\t0\t0\t2\n1\t0.05\t201\t0.2\t0\t0\t0\t2\n0\t0.1\t200\t0.1\t0\t0\t1\t2\n1\t0.105\t201\t0.2\t0\t0\t1\t2\n' >> d.partials
printf '3\t0.15\t50\t0.1\t0\t0\t0\t0\n2\t0.2\t202\t0.1\t0\t0\t0\t2\n3\t0.25\t50\t0.1\t0\t0\t1\t0\n2\t0.3\t202\t0.1\t0\t0\t1\t2\n' >> d.partials
got=$("$B/tfr-label" --distill d.partials | awk '!/^#/ { printf "%s/%s/%s/%s/%s/%s ", $1, $2 + 0, $4 + 0, $6 + 0, $7, $8 }')
want="0/0/0.1/0/0/2 0/0.1/0.223607/0.8/0/2 0/0.105/0.2/0/1/2 1/0.15/0.1/0/0/0 2/0.2/0.1/0/0/2 1/0.25/0.1/0/1/0 2/0.3/0.1/0/1/2 "
[ "$got" = "$want" ] || fail "--distill: '$got', expected '$want'"
expect_error 1 "tfr-label: vib.partials:$(awk '!/^#/ { print NR - 1; exit }' vib.partials): header: no 'label' column (--distill without --f0 or --near: tfr-label writes it)" \
	"$B/tfr-label" --distill vib.partials
# a harmonic tone distils to itself: the same partials, the same sound
"$B/tfr-label" --distill vib.lab | awk '!/^#/' > vd.txt
cmp -s vd.txt v.txt || fail "--distill changed the partials of tone220_vib"
# speech: labelled and distilled in one run, or labelled then distilled
"$B/tfr-label" --f0 sp.f0 --distill sp.partials | awk '!/^#/' > d1.txt
"$B/tfr-label" --distill sp.lab | awk '!/^#/' > d2.txt
cmp -s d1.txt d2.txt || fail "--distill in one run differs from two"
{ grep '^#' sp.lab; cat d1.txt; } | "$B/tfr-resynth" -o d.wav || fail "distilled speech refused"

# errors: one line, nothing written
expect_error 2 "tfr-label: a reference is needed: --f0 FREQ|FILE or --near FREQ" \
	"$B/tfr-label" vib.partials
expect_error 2 "tfr-label: one reference: --f0 or --near, once" \
	"$B/tfr-label" --f0 220 --near 220 vib.partials
expect_status 2 "$B/tfr-label" --f0 220 --tolerance 0.7 vib.partials
expect_error 2 "tfr-label: --inharmonicity auto reads the partials twice: give them as a file" \
	sh -c "'$B/tfr-label' --f0 110 --inharmonicity auto < stiff.partials"
"$G" -d 1 -r 22050 -o half.wav sine:220:0.5
"$B/tfr-f0" -o half.f0 half.wav
hdr=$(awk '!/^#/ { print NR - 1; exit }' half.f0)
expect_status 1 "$B/tfr-label" --f0 half.f0 -o x.lab vib.partials
grep -q "^tfr-label: half.f0:$hdr: header: f0 of another sound (22050 Hz" err.txt ||
	fail "f0 of another rate: $(cat err.txt)"
awk 'BEGIN { OFS = "\t" } /^#/ { print; next } { n++ } n == 3 { $1 = 0 } { print }' sp.f0 > back.f0
line=$(awk '!/^#/ { n++ } n == 3 { print NR; exit }' back.f0)
expect_error 1 "tfr-label: back.f0:$line: time goes back from 0.01 to 0 (a f0 stream is in order of time)" \
	"$B/tfr-label" --f0 back.f0 -o x.lab sp.partials
[ ! -e x.lab ] || fail "an output was left after a refusal"
finish
