# tool_select.sh - tfr-select from the shell: criteria in the units of
# the vocabulary, the rest in --rest, the selected and the rest adding up
# to the whole when resynthesised (the split is exact: every partial
# goes whole to one side, and tfr-resynth renders each partial alone),
# labels needed only where asked for, errors as one line and nothing
# written.
. "$TFR_TESTS/lib.sh"
B=$TFR_BIN
S=$TFR_BIN/tests/tfr-snr
[ -x "$S" ] || S=$(dirname "$TFR_GENSIG")/tfr-snr

# Three tones of known level and length: 220 Hz at -6 dBFS for 1 s,
# 880 Hz at -30 dBFS for 1 s, 3 kHz at -12 dBFS for 0.2 s from 0.4 s.
"$TFR_GENSIG" -d 1 -o a.wav sine:220:0.5 sine:880:0.0316
"$TFR_GENSIG" -d 0.2 -o b.wav sine:3000:0.25
sox -m a.wav "|sox b.wav -p pad 0.4" tones.wav 2> /dev/null ||
	"$TFR_GENSIG" -d 1 -o tones.wav sine:220:0.5 sine:880:0.0316 sine:3000:0.25
"$B/tfr-reassign" tones.wav | "$B/tfr-peaks" | "$B/tfr-track" -o tones.partials

# partials in 200-250 Hz: the 220 Hz tone's, and nothing else
"$B/tfr-select" -y 200 -Y 250 --rest rest.partials -o sel.partials tones.partials
f=$(awk '!/^#/ { s += $3 * $4; w += $4 } END { printf "%.3f", s / w }' sel.partials)
near "$f" 220 0.01 || fail "-y 200 -Y 250: mean frequency $f Hz, expected 220"
n=$(grep -vc '^#' sel.partials)
m=$(grep -vc '^#' rest.partials)
t=$(grep -vc '^#' tones.partials)
[ $((n + m)) -eq "$t" ] || fail "kept $n + rest $m breakpoints != $t"
# -20 dBFS peak: the -6 and -12 dBFS tones, not the -30 dBFS one
"$B/tfr-select" --min-amp -20 tones.partials > loud.partials
awk '!/^#/ && $3 > 800 && $3 < 960 { bad = 1 } END { exit bad }' loud.partials ||
	fail "--min-amp -20: the -30 dBFS tone kept"
grep -vq '^#' loud.partials || fail "--min-amp -20: nothing kept"
# --max-duration 300ms keeps the 0.2 s tone (its partial) and no 1 s one
"$B/tfr-select" --max-duration 300ms --min-amp -20 tones.partials > short.partials
awk '!/^#/ { if ($3 < 2900 || $3 > 3100) bad = 1; n++ } END { exit bad || !n }' short.partials ||
	fail "--max-duration 300ms: not the 3 kHz tone alone"

# the split adds up: speech, default resynthesis (stored phases where
# they fit, bandwidth noise seeded per partial)
"$B/tfr-reassign" "$TFR_DATA/speech/speech44k.wav" | "$B/tfr-peaks" | "$B/tfr-track" -o sp.partials
"$B/tfr-select" --min-duration 50ms --min-amp -50 --rest sp-rest.partials -o sp-sel.partials sp.partials
for x in sp sp-sel sp-rest; do "$B/tfr-resynth" -o $x.wav $x.partials; done
line=$("$S" sp.wav sp-sel.wav sp-rest.wav)
echo "speech, selected + rest vs whole: $line"
snr=$(echo "$line" | sed 's/.*snr=\([^ ]*\).*/\1/')
# float sums in another order: 133 dB here; 100 dB is the issue's bound
awk -v s="$snr" 'BEGIN { exit !(s >= 100) }' || fail "selected + rest: $snr dB, expected >= 100"
awk -v s="$snr" 'BEGIN { exit !(s >= 125) }' || fail "selected + rest: $snr dB, below what is achieved (133)"
# both sides hold something
[ "$(grep -vc '^#' sp-sel.partials)" -gt 1000 ] || fail "speech: too little selected"
[ "$(grep -vc '^#' sp-rest.partials)" -gt 1000 ] || fail "speech: too little left"

# labels: a labelled stream is read with its labels, and they pass
awk 'BEGIN { OFS = "\t" } /^# columns=/ { $0 = $0 "\tlabel" } /^#/ { print; next }
     { print $0, ($3 < 500 ? 1 : 0) }' tones.partials > lab.partials
"$B/tfr-select" --labels 1 lab.partials > l1.partials
grep -q '^# columns=partial	time	freq	amp	phase	bandwidth	end	label$' l1.partials ||
	fail "--labels: the label column is not kept"
awk '!/^#/ && ($8 != 1 || $3 > 500) { bad = 1 } END { exit bad }' l1.partials ||
	fail "--labels 1: other labels kept"
"$B/tfr-select" --labels 0-3,7 -o l2.partials lab.partials
[ "$(grep -vc '^#' l2.partials)" -eq "$t" ] || fail "--labels 0-3,7: not all kept"

# errors: one line, exit 1 or 2, nothing written
hdr=$(awk '!/^#/ { print NR - 1; exit }' tones.partials)
expect_error 1 "tfr-select: tones.partials:$hdr: header: no 'label' column (--labels: tfr-label writes it)" \
	"$B/tfr-select" --labels 1 -o x.partials tones.partials
[ ! -e x.partials ] || fail "an output was left after a refusal"
expect_error 2 "tfr-select: --labels: '1-x' is not a list of labels such as '1-10,12'" \
	"$B/tfr-select" --labels 1-x tones.partials
expect_error 2 "tfr-select: --rest y.partials: the same output as -o" \
	"$B/tfr-select" --rest y.partials -o y.partials tones.partials
expect_error 2 "tfr-select: durations: need 0 <= min <= max" \
	"$B/tfr-select" --min-duration 2 --max-duration 1 tones.partials
expect_status 2 "$B/tfr-select" --rest tones.partials tones.partials
finish
