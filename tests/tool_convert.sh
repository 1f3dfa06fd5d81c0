# tool_convert.sh - tfr-convert through real files and pipes: Loris's own
# files read and resynthesised against Loris's resynthesis, round trips
# that keep every value a format can carry, tables, what is lost said
# once, hostile input refused with its position and nothing left behind.
. "$TFR_TESTS/lib.sh"
B=$TFR_BIN
A=$TFR_DATA/additive
SNR=$B/tests/tfr-snr

# Loris's RBEP partials of the vibrato tone, resynthesised by tfr-resynth,
# against Loris's own resynthesis of the same partials: they differ only
# in the synthesisers' fades (smooth step vs linear, at 1 ms) and float
# rounding. Measured 66.95 dB whole, 96.6 dB between the edges.
"$B/tfr-convert" "$A/loris_tone_main.rbep.sdif" -o loris.partials
[ "$(grep -vc '^#' loris.partials)" = 4380 ] || fail "RBEP: not 4380 breakpoints"
[ "$(awk -F '\t' '!/^#/ { p[$1] = 1 } END { print length(p) }' loris.partials)" = 10 ] || fail "RBEP: not 10 partials"
"$B/tfr-resynth" loris.partials --length 88200 -o loris.wav
set -- $("$SNR" "$A/loris_tone_main.wav" loris.wav | tr '=' ' ')
echo "tfr-resynth of Loris's partials vs Loris's resynthesis: $*"
near "$2" 80 15 || fail "SNR against Loris's resynthesis $2 dB (>= 65 expected)"
near "$6" 100 8 || fail "steady-state SNR against Loris's resynthesis $6 dB (>= 92 expected)"
# the same from a pipe, and through 1TRC (resampled on a 1 ms grid, as
# Loris's own 1TRC file is)
cat "$A/loris_tone_main.rbep.sdif" | "$B/tfr-convert" > pipe.partials
grep -v '^# \(source\|history\)=' loris.partials > f1.txt
grep -v '^# \(source\|history\)=' pipe.partials > f2.txt
cmp -s f1.txt f2.txt || fail "pipe and file differ"
"$B/tfr-convert" "$A/loris_tone_main.1trc.sdif" -o t.partials
[ "$(awk -F '\t' '!/^#/ { p[$1] = 1 } END { print length(p) }' t.partials)" = 10 ] || fail "1TRC: not 10 partials"

# round trips: tfr -> RBEP -> tfr keeps every value bit for bit;
# -> SPEAR text -> tfr within its 6 decimals; -> 1TRC double on the grid
"$B/tfr-convert" -F rbep loris.partials -o rt.sdif
"$B/tfr-convert" rt.sdif | grep -v '^#' > a.txt
grep -v '^#' loris.partials > b.txt
cmp -s a.txt b.txt || fail "tfr -> RBEP -> tfr is not exact"
"$B/tfr-convert" -F spear-partials loris.partials -o rt.txt 2> warn.txt
[ "$(cat warn.txt)" = "tfr-convert: spear-partials output loses the phases, the bandwidths" ] ||
	fail "SPEAR loss warning: $(cat warn.txt)"
"$B/tfr-convert" rt.txt | grep -v '^#' > c.txt
# ids are renumbered in order of birth: compare the breakpoints in order
# of time and frequency
# (times at 6 decimals, so that rounding makes the same ties)
for f in b c; do
	awk -F '\t' -v OFS='\t' '{ printf "%.6f\t%s\n", $2, $0 }' $f.txt |
		sort -t "$(printf '\t')" -k1,1g -k4,4g | cut -f2- > ${f}s.txt
done
[ "$(wc -l < bs.txt)" = "$(wc -l < cs.txt)" ] || fail "SPEAR round trip: breakpoints lost"
paste bs.txt cs.txt | awk -F '\t' '{ dt = $2 - $9; df = $3 - $10; da = $4 - $11
	if (dt < 0) dt = -dt; if (df < 0) df = -df; if (da < 0) da = -da
	if (dt > mt) mt = dt; if (df > mf) mf = df; if (da > ma) ma = da }
	END { printf "SPEAR text round trip: |dt| %.2g |df| %.2g |da| %.2g\n", mt, mf, ma
	exit !(mt <= 5.1e-7 && mf <= 5.1e-7 && ma <= 5.1e-7) }' || fail "SPEAR round trip beyond 6 decimals"
"$B/tfr-convert" -F 1trc loris.partials -o rt1.sdif 2> warn.txt
grep -q 'loses the breakpoint times' warn.txt || fail "1TRC loss warning"
"$B/tfr-convert" -F spear-frames --frame-period 10ms loris.partials -o fr.txt 2>/dev/null
[ "$(head -n 1 fr.txt)" = par-text-frame-format ] || fail "frame text header"
# by the output's extension
"$B/tfr-convert" loris.partials -o x.sdif && [ "$(head -c 4 x.sdif)" = SDIF ] || fail ".sdif"
"$B/tfr-convert" loris.partials -o x.csv && [ "$(head -n 1 x.csv)" = "partial,time,freq,amp,phase,bandwidth,end" ] || fail ".csv"

# tables of any stream kind, for pandas and R: a plain header row
"$TFR_GENSIG" -d 0.2 -o s.wav sine:1000:0.5
"$B/tfr-reassign" -t -20 s.wav | "$B/tfr-convert" -F tsv > pts.tsv
[ "$(head -n 1 pts.tsv)" = "$(printf 'frame\tbin\ttime\tfreq\tamp\tphase\tmixed')" ] || fail "TSV header"
[ "$(grep -c '^#' pts.tsv)" = 0 ] || fail "TSV has comment lines"
awk -F '\t' 'NR > 1 && $1 >= 2 && $1 <= 14 && ($4 < 990 || $4 > 1010) { bad = 1 } END { exit bad || NR < 2 }' pts.tsv || fail "TSV values"

# exports hold what importers accept (Loris refuses partials before 0):
# an edited stream's breakpoints before 0 move there (phase advanced),
# a partial past the source's end ends there, on its line
printf '#tfr partials 1\n# sample_rate=44100\n# source_frames=44100\n# columns=partial\ttime\tfreq\tamp\tphase\tbandwidth\tend\n0 -0.01 440 0.5 0 0 0\n0 0.5 440 0.5 1 0 0\n0 1.2 640 0.5 1 0 1\n' > edge.partials
for f in rbep spear-partials 1trc; do
	"$B/tfr-convert" -v -F $f -o edge.$f edge.partials 2> clip.txt || fail "$f: export refused"
	grep -q "1 breakpoints moved to 0 s, 1 dropped, 1 partials ended" clip.txt || fail "$f: no clip count: $(cat clip.txt)"
	"$B/tfr-convert" edge.$f 2> /dev/null | awk '!/^#/ { if ($2 < 0 || $2 > 1) bad = 1; n++ } END { exit bad || !n }' ||
		fail "$f: a breakpoint outside [0, 1 s]"
done
# 440 Hz at 0.5 s to 640 Hz at 1.2 s: 582.857 Hz at 1 s
"$B/tfr-convert" edge.rbep 2> /dev/null | awk '!/^#/ && $7 == 1 { e = $2; f = $3 } END { exit !(e == 1 && f > 582.856 && f < 582.858) }' ||
	fail "rbep: the partial does not end at 1 s at 582.857 Hz"

# hostile input: one line with the position, exit 1, no output left
head -c 100 "$A/loris_tone_main.rbep.sdif" > cut.sdif
expect_error 1 "tfr-convert: cut.sdif: byte 56: input ends inside a matrix row" "$B/tfr-convert" cut.sdif -o out.partials
[ ! -e out.partials ] || fail "a failed conversion left its output"
printf 'SDIX nonsense' > bad.sdif
expect_error 1 "tfr-convert: bad.sdif: not a partials file (a tfr stream, SDIF or SPEAR text)" "$B/tfr-convert" bad.sdif
printf 'par-text-partials-format\npoint-type time frequency amplitude\npartials-count 1\npartials-data\n0 2 0 1\n0 440 0.1 1 440\n' > short.txt
expect_status 1 "$B/tfr-convert" short.txt
grep -q '^tfr-convert: short.txt:6' err.txt || fail "SPEAR fault without its line: $(cat err.txt)"
expect_error 2 "tfr-convert: --format: 'mp3' is not tfr, rbep, 1trc, spear-partials, spear-frames, csv or tsv" "$B/tfr-convert" -F mp3 loris.partials
finish
