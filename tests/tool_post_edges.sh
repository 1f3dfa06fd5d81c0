# tool_post_edges.sh - the tools between analysis and resynthesis
# (tfr-label, tfr-select, tfr-warp, tfr-morph) on what users get wrong:
# no input, audio, binary junk, a truncated line, a full disk, a closed
# pipe, a partial without its end; one line and exit 1 each time,
# nothing left behind, and never a crash.
. "$TFR_TESTS/lib.sh"
B=$TFR_BIN
"$TFR_GENSIG" -d 0.5 -o a.wav sine:220:0.4 sine:440:0.2
"$B/tfr-reassign" a.wav | "$B/tfr-peaks" | "$B/tfr-track" | "$B/tfr-label" --f0 220 -o a.partials
hdr=$(awk '!/^#/ { print NR - 1; exit }' a.partials)

# each tool, with the options it needs, on input $1 (morph: B is a.partials)
run() {
	case $t in
	tfr-label) "$B/$t" --f0 220 "$@" ;;
	tfr-select) "$B/$t" --min-duration 10ms "$@" ;;
	tfr-warp) "$B/$t" --stretch 2 "$@" ;;
	tfr-morph) "$B/$t" "$@" a.partials ;;
	esac
}

head -c 3000 /dev/urandom > junk.bin
: > empty.txt
{ cat a.partials; printf '1\t0.4\t220\n'; } > short.partials
nlines=$(wc -l < a.partials)
# the last breakpoints without their end flags: partials that last to the end
awk 'BEGIN { OFS = "\t" } /^#/ { print; next } { $7 = 0; print }' a.partials > noend.partials
for t in tfr-label tfr-select tfr-warp tfr-morph; do
	expect_error 1 "$t: empty.txt: empty input (expected a tfr partials stream)" run -o x.out empty.txt
	expect_status 1 run -o x.out a.wav
	grep -q "^$t: a.wav:1: a WAV file, not a tfr stream\|^$t: a.wav is a WAV file" err.txt ||
		fail "$t on audio: $(cat err.txt)"
	expect_status 1 run -o x.out junk.bin
	[ "$(wc -l < err.txt)" -eq 1 ] || fail "$t on junk: $(cat err.txt)"
	expect_error 1 "$t: short.partials:$((nlines + 1)): expected 8 fields, got 3" run -o x.out short.partials
	[ ! -e x.out ] || fail "$t left an output after bad input"
	expect_error 1 "$t: /dev/full: write error: No space left on device" run -o /dev/full a.partials
	set +e
	run a.partials 2> err.txt | head -c 10 > /dev/null
	set -e
	[ ! -s err.txt ] || fail "$t: a closed pipe gave a message: $(cat err.txt)"
	# partials whose end never comes: judged at the end of the stream
	expect_status 0 run -o noend.out noend.partials
	n=$(grep -vc '^#' noend.out || true)
	[ "$n" -gt 0 ] || fail "$t: nothing out of partials without ends"
	rm -f noend.out
done
# tfr-resynth: a stray time far past the sound is refused at once, not
# written (terabytes), unless --length bounds the output; a rate of 0
printf '#tfr partials 1\n# sample_rate=44100\n# columns=partial\ttime\tfreq\tamp\tphase\tbandwidth\tend\n0\t0\t440\t0.5\t0\t0\t0\n0\t9e7\t440\t0.5\t0\t0\t1\n' > far.partials
expect_error 1 "tfr-resynth: far.partials:5: time: 9e+07 s is more than 24 h past the analysed sound (give --length to make a longer output)" \
	"$B/tfr-resynth" -o x.wav far.partials
[ ! -e x.wav ] || fail "tfr-resynth left an output after a stray time"
expect_status 0 "$B/tfr-resynth" --length 0.1s -o x.wav far.partials
expect_error 2 "tfr-resynth: --rate: 0 is not a sample rate in [1, 10000000] Hz" "$B/tfr-resynth" -r 0 a.partials
# tfr-morph: B on standard input, A from a file; both on stdin refused
t=tfr-morph
expect_status 0 sh -c "'$B/tfr-morph' a.partials - < a.partials > m.out"
expect_error 2 "tfr-morph: A and B cannot both be standard input" "$B/tfr-morph" - -
finish
