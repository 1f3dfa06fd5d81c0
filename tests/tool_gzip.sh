# tool_gzip.sh - gzip-compressed streams: an output named *.gz is gzip
# (level 6) holding the same text; every tool reads gzip input by its
# magic bytes, from a file or a pipe, whatever its name, also members
# one after another (gzip -c a b); a cut or corrupt one is one line and
# exit 1.
. "$TFR_TESTS/lib.sh"
B=$TFR_BIN
"$TFR_GENSIG" -d 0.5 -o a.wav sine:220:0.4 sine:440:0.2 noise:0.001:1
"$B/tfr-reassign" a.wav -o a.points.gz
"$B/tfr-reassign" a.wav -o a.points
head -c 2 a.points.gz | od -An -tx1 | grep -q '1f 8b' || fail "-o a.points.gz is not gzip"
if command -v gzip > /dev/null; then
	gzip -t a.points.gz || fail "gzip -t refuses a.points.gz"
	gzip -dc a.points.gz | grep -v '^# history' > p1.txt
	grep -v '^# history' a.points > p2.txt
	cmp -s p1.txt p2.txt || fail "a.points.gz does not hold the text of a.points"
fi
# every stage on gzip input, from a file and from a pipe, output alike
"$B/tfr-peaks" a.points.gz | grep -v '^#' > k1.txt
"$B/tfr-peaks" < a.points.gz | grep -v '^#' > k2.txt
"$B/tfr-peaks" a.points | grep -v '^#' > k3.txt
cmp -s k1.txt k3.txt && cmp -s k2.txt k3.txt || fail "tfr-peaks reads gzip otherwise than text"
"$B/tfr-peaks" a.points -o a.peaks.gz
"$B/tfr-track" a.peaks.gz -o a.partials.gz
"$B/tfr-track" < a.peaks.gz | grep -v '^#' > t1.txt
"$B/tfr-select" a.partials.gz | grep -v '^#' > t2.txt
cmp -s t1.txt t2.txt || fail "tfr-track on gzip from a file and a pipe differ"
"$B/tfr-resynth" -o r1.wav a.partials.gz
"$B/tfr-track" a.peaks.gz | "$B/tfr-resynth" -o r2.wav
cmp -s r1.wav r2.wav || fail "tfr-resynth of gzip partials differs"
"$B/tfr-select" --min-duration 10ms a.partials.gz > s.txt || fail "tfr-select on gzip"
"$B/tfr-label" --f0 220 a.partials.gz | "$B/tfr-warp" --stretch 2 -o w.partials.gz || fail "label | warp -o .gz"
"$B/tfr-morph" w.partials.gz w.partials.gz > /dev/null || fail "tfr-morph on gzip"
# the tools that take audio or a stream know gzip for a stream
"$B/tfr-image" -W 200 -E 100 -o i.png a.partials.gz || fail "tfr-image on gzip partials"
"$B/tfr-image" -W 200 -E 100 -o i2.png < a.points.gz || fail "tfr-image on gzip points from a pipe"
"$B/tfr-f0" a.partials.gz > f.txt || fail "tfr-f0 on gzip partials"
"$B/tfr-convert" -F 1trc -o c.sdif a.partials.gz || fail "tfr-convert on gzip partials"
"$B/tfr-convert" -F csv < a.partials.gz > c.csv || fail "tfr-convert on gzip from a pipe"
# members one after another: the text of both
if command -v gzip > /dev/null; then
	gzip -dc a.points.gz > one.txt
	{ head -n 20 one.txt | gzip -c; tail -n +21 one.txt | gzip -c; } > two.gz
	"$B/tfr-peaks" two.gz | grep -v '^#' > k4.txt
	cmp -s k4.txt k3.txt || fail "two gzip members read otherwise than one"
fi
# cut short: one line, exit 1
n=$(wc -c < a.partials.gz)
head -c $((n / 2)) a.partials.gz > cut.gz
expect_error 1 "tfr-resynth: cut.gz: gzip data corrupt or cut short" "$B/tfr-resynth" -o x.wav cut.gz
[ ! -e x.wav ] || fail "an output was left after a cut gzip"
printf '\037\213garbage' > bad.gz
expect_error 1 "tfr-select: bad.gz: gzip data corrupt or cut short" "$B/tfr-select" bad.gz
finish
