# tool_edges.sh - every tool at its edges: a full disk, a closed pipe, a
# killed run, an output that names the input, a read-only or odd output
# (device, link), a failing input's effect on the outputs. Each case
# checks the exit status, the message, and that nothing the tool did not
# create is gone or changed. (Hostile input itself, tool by tool, is the
# table of tool_hostile.sh.)
. "$TFR_TESTS/lib.sh"
B=$TFR_BIN

"$TFR_GENSIG" -d 1 -o a.wav sine:440:0.5 noise:0.01:1
head -c 30000 a.wav > trunc.wav

# run_tool NAME [ARGS...]: the tool with the arguments it needs to run on
# its input (given last, or on stdin) and write to stdout or -o
run_tool() {
	t=$1
	shift
	case $t in
	tfr-hyper)
		case " $* " in
		*" -o "*) "$B/$t" -F npy "$@" ;;
		*) "$B/$t" -F npy -o - "$@" ;;
		esac ;;
	*) "$B/$t" "$@" ;;
	esac
}
# the output option and file name for a tool writing a file
outname() {
	case $1 in
	tfr-hyper) echo out.npy ;;
	tfr-sdelay) echo out.wav ;;
	*) echo result.txt ;;
	esac
}

for t in tfr-reassign tfr-hyper tfr-sdelay; do
	o=$(outname $t)
	# a full disk, on stdout and on -o (the device stays)
	expect_error 1 "$t: stdout: write error: No space left on device" \
		sh -c "'$B/$t' $( [ $t = tfr-hyper ] && echo '-F npy -o -') a.wav > /dev/full"
	expect_error 1 "$t: /dev/full: write error: No space left on device" run_tool $t -o /dev/full a.wav
	[ -c /dev/full ] || fail "$t: /dev/full is gone"
	# a bad input with -o /dev/null: the device stays
	expect_status 1 run_tool $t -o /dev/null trunc.wav
	[ -c /dev/null ] || fail "$t: /dev/null is gone"

	# a closed pipe ends the tool quietly, without hanging
	set +e
	sh -c "'$B/$t' $( [ $t = tfr-hyper ] && echo '-F npy -o -') a.wav 2>err.txt | head -c 100 > /dev/null"
	set -e
	[ ! -s err.txt ] || fail "$t: a closed pipe gave a message: $(cat err.txt)"

	# the output is the input: refused before anything is opened, input
	# unchanged, through the name, a link, or stdin redirected from it
	cp a.wav in.wav
	sum=$(cksum < in.wav)
	expect_error 2 "$t: in.wav: the output is the input file (in.wav)" run_tool $t -o in.wav in.wav
	ln -sf in.wav link.wav
	expect_error 2 "$t: link.wav: the output is the input file (in.wav)" run_tool $t -o link.wav in.wav
	expect_error 2 "$t: in.wav: the output is the input file (stdin)" sh -c "'$B/$t' $( [ $t = tfr-hyper ] && echo '-F npy') -o in.wav < in.wav"
	[ "$(cksum < in.wav)" = "$sum" ] || fail "$t: the input changed"

	# a read-only output is refused and left as it was
	echo precious > ro.out
	chmod a-w ro.out
	expect_error 1 "$t: ro.out: Permission denied" run_tool $t -o ro.out a.wav
	[ "$(cat ro.out)" = precious ] || fail "$t: a read-only output was changed"
	rm -f ro.out

	# a failing run leaves an existing output as it was, creates none
	echo precious > "$o"
	expect_status 1 run_tool $t -o "$o" trunc.wav
	[ "$(cat "$o")" = precious ] || fail "$t: a failed run changed the existing output"
	rm -f "$o"
	expect_status 1 run_tool $t -o "$o" trunc.wav
	[ ! -e "$o" ] || fail "$t: a failed run left an output"
	[ -z "$(ls -A | grep '\.tfr-')" ] || fail "$t: temporary files left: $(ls -A | grep '\.tfr-')"

	# -o through a link writes the file it points to, keeps the link
	echo old > target.out
	ln -sf target.out link.out
	expect_status 0 run_tool $t -o link.out a.wav
	[ -L link.out ] || fail "$t: the link was replaced"
	[ "$(head -c 3 target.out)" != old ] || fail "$t: the link's target was not written"
	rm -f target.out link.out

	# a killed run (SIGTERM, SIGINT) leaves the old output and no
	# temporary file; the input stalls after its header on a pipe
	for sig in TERM INT; do
		echo precious > "$o"
		(head -c 20000 a.wav; sleep 30) | run_tool $t -o "$o" 2>/dev/null &
		pid=$!
		sleep 1
		pkill -$sig -f "$B/$t -o $o" || pkill -$sig -f "$B/$t -F npy -o $o" || true
		sleep 0.5
		pkill -f "sleep 30" 2>/dev/null || true
		wait $pid 2>/dev/null || true
		[ "$(cat "$o")" = precious ] || fail "$t: SIGTERM: the output was changed"
		[ -z "$(ls -A | grep '\.tfr-')" ] || fail "$t: SIG$sig left $(ls -A | grep '\.tfr-')"
		rm -f "$o"
	done

	# (truncated, empty and other hostile input: tool_hostile.sh)
	# a terminal on stdin is refused (when the test has one to give)
	if [ -t 0 ]; then
		expect_error 2 "$t: no input file, and standard input is a terminal" run_tool $t
	fi
done

# The stream tools: the same edges, with a stream of the kind each reads.
"$B/tfr-reassign" a.wav > a.points
"$B/tfr-peaks" a.points > a.peaks
"$B/tfr-track" a.peaks > a.partials
in_of() {
	case $1 in
	tfr-peaks) echo a.points ;;
	tfr-track) echo a.peaks ;;
	*) echo a.partials ;;
	esac
}
kind_of() {
	case $1 in
	tfr-peaks) echo points ;;
	tfr-track) echo peaks ;;
	*) echo partials ;;
	esac
}
for t in tfr-peaks tfr-track tfr-resynth tfr-convert; do
	i=$(in_of $t)
	k=$(kind_of $t)
	o=result.out
	[ $t = tfr-resynth ] && o=result.wav
	expect_error 1 "$t: stdout: write error: No space left on device" sh -c "'$B/$t' $i > /dev/full"
	expect_error 1 "$t: /dev/full: write error: No space left on device" "$B/$t" -o /dev/full $i
	[ -c /dev/full ] || fail "$t: /dev/full is gone"
	set +e
	sh -c "'$B/$t' $i 2>err.txt | head -c 10 > /dev/null"
	set -e
	[ ! -s err.txt ] || fail "$t: a closed pipe gave a message: $(cat err.txt)"
	cp $i in.x
	sum=$(cksum < in.x)
	expect_error 2 "$t: in.x: the output is the input file (in.x)" "$B/$t" -o in.x in.x
	[ "$(cksum < in.x)" = "$sum" ] || fail "$t: the input changed"
	echo precious > ro.out
	chmod a-w ro.out
	expect_error 1 "$t: ro.out: Permission denied" "$B/$t" -o ro.out $i
	[ "$(cat ro.out)" = precious ] || fail "$t: a read-only output was changed"
	rm -f ro.out
	# bad streams: empty, another kind, cut inside a line; the old
	# output stays, no temporary is left
	echo precious > "$o"
	: > empty.txt
	if [ $t = tfr-convert ]; then
		expect_error 1 "$t: empty.txt: not a partials file (a tfr stream, SDIF or SPEAR text)" "$B/$t" -o "$o" empty.txt
		expect_error 1 "$t: stdin:1: expected a 'partials' stream (made by tfr-track), got 'points' (made by tfr-reassign)" sh -c "'$B/$t' -o '$o' < a.points"
	else
		expect_error 1 "$t: empty.txt: empty input (expected a tfr $k stream)" "$B/$t" -o "$o" empty.txt
		other=a.points
		[ $k = points ] && other=a.peaks
		# which tool makes the kind expected, and the one given
		maker() { case $1 in points) echo tfr-reassign ;; peaks) echo tfr-peaks ;; *) echo tfr-track ;; esac; }
		ok=$(head -n 1 $other | cut -d' ' -f2)
		expect_error 1 "$t: stdin:1: expected a '$k' stream (made by $(maker $k)), got '$ok' (made by $(maker $ok))" sh -c "'$B/$t' -o '$o' < $other"
	fi
	n=$(($(wc -l < $i) - 3))
	head -n $n $i > cut.txt
	printf '1\t0.5' >> cut.txt
	expect_status 1 "$B/$t" -o "$o" cut.txt
	grep -q "^$t: cut.txt:$((n + 1)): expected [0-9]* fields, got 2\$" err.txt || fail "$t: a cut stream: $(cat err.txt)"
	[ "$(cat "$o")" = precious ] || fail "$t: a failed run changed the existing output"
	[ -z "$(ls -A | grep '\.tfr-')" ] || fail "$t: temporary files left: $(ls -A | grep '\.tfr-')"
	rm -f "$o"
done
# the analysis a stream needs is in its header
grep -v '^# window=' a.points > nowin.points
h=$(awk '!/^#/ { print NR - 1; exit }' nowin.points)
expect_error 1 "tfr-peaks: nowin.points:$h: header: no 'window'" "$B/tfr-peaks" nowin.points
grep -v '^# hop=' a.peaks > nohop.peaks
expect_status 1 "$B/tfr-track" nohop.peaks
grep -q "^tfr-track: nohop.peaks:[0-9]*: header: no 'hop'" err.txt || fail "tfr-track without hop: $(cat err.txt)"
# values a synthesiser cannot use, with their line
awk -F '\t' -v OFS='\t' '/^#/ { print; next } n++ == 5 { $4 = "nan" } { print }' a.partials > nan.partials
expect_status 1 "$B/tfr-resynth" nan.partials -o x.wav
grep -q "^tfr-resynth: nan.partials:[0-9]*: amp: 'nan' is not a finite number" err.txt || fail "NaN amp: $(cat err.txt)"
awk -F '\t' -v OFS='\t' '/^#/ { print; next } n++ == 5 { $2 = -1 } { print }' a.partials > back.partials
expect_status 1 "$B/tfr-resynth" back.partials -o x.wav
grep -q "^tfr-resynth: back.partials:[0-9]*: time goes back" err.txt || fail "time going back: $(cat err.txt)"
[ ! -e x.wav ] || fail "tfr-resynth left an output after bad input"

# the history names the tool whatever argv[0] says, and a file name with
# a newline becomes a valid metadata value
bash -c "exec -a x '$B/tfr-reassign' -t -20 a.wav" > h.txt || fail "argv[0] 'x'"
grep -qx '# history=tfr-reassign -t -20 a.wav' h.txt || fail "history with argv[0] 'x': $(grep history h.txt)"
nl='a
b.wav'
cp a.wav "$nl"
expect_status 0 "$B/tfr-reassign" -t -20 "$nl"
grep -qx '# source=a b.wav' out.txt || fail "a file name with a newline: $(grep '# source' out.txt)"

# PNG on a full disk or a closed descriptor: the tool's one line, none
# of libpng's ("libpng error: Write Error", "No IDATs written into file")
for c in "tfr-image -o - a.wav" "tfr-hyper -F png -o - a.wav"; do
	for how in "> /dev/full" ">&-"; do
		set +e
		sh -c "$B/$c $how" 2> err.txt
		got=$?
		set -e
		[ $got -eq 1 ] || fail "$c $how: exit $got"
		[ "$(wc -l < err.txt)" -eq 1 ] && grep -q "^${c%% *}: stdout: write error: " err.txt ||
			fail "$c $how: stderr: $(cat err.txt)"
	done
	expect_error 1 "${c%% *}: /dev/full: write error: No space left on device" \
		sh -c "$B/$(echo "$c" | sed 's| - a.wav| /dev/full a.wav|; s|-F png -o /dev/full|-F png -o /dev/full|')"
	[ "$(wc -l < err.txt)" -eq 1 ] || fail "$c on /dev/full: $(cat err.txt)"
done

# integer options take no blanks; -P output is checked like --help
expect_error 2 "tfr-sdelay: --fft-size: ' 128' is not a whole number" "$B/tfr-sdelay" --fft-size ' 128' a.wav
expect_error 2 "tfr-reassign: --fft-size: '4096 ' is not a whole number" "$B/tfr-reassign" -n '4096 ' a.wav
expect_error 1 "tfr-sdelay: stdout: write error: No space left on device" sh -c "'$B/tfr-sdelay' -P > /dev/full"
# tfr-sdelay with a hop above half the FFT size keeps the input's length
# (it wrote 22528 frames for these 22050)
"$TFR_GENSIG" -d 0.5 -b 16 -o h.wav sine:440:0.5
"$B/tfr-sdelay" -n 2048 -H 1536 h.wav -o long.wav
[ "$("$B/tests/sdelay-cmp" h.wav long.wav | cut -d' ' -f2)" = 22050 ] ||
	fail "tfr-sdelay -H > N/2: $("$B/tests/sdelay-cmp" h.wav long.wav | cut -d' ' -f2) frames, expected 22050"
# WAV on a pipe from a file input: exact sizes (sox reads it without
# "Premature EOF"); from a piped input: "unknown" sizes
"$B/tfr-sdelay" h.wav | cat > p.wav
[ "$(od -An -tu4 -j40 -N4 p.wav | tr -d ' ')" = 44100 ] || fail "pipe WAV: no exact size"
cat h.wav | "$B/tfr-sdelay" | cat > q.wav
[ "$(od -An -tu4 -j40 -N4 q.wav | tr -d ' ')" = 4294967295 ] || fail "pipe WAV: size not unknown"
# integer output that clipped says how many samples
"$TFR_GENSIG" -d 0.5 -b 16 -o loud.wav sine:1000:0.9
# (0.9 sin at +6 dB exceeds full scale where |sin| > 0.5568: 62.4 % of
# the 22050 samples, 13750)
expect_status 0 "$B/tfr-sdelay" -g 6 loud.wav -o clip.wav
n=$(sed -n 's/^tfr-sdelay: clip.wav: \([0-9]*\) samples clipped$/\1/p' err.txt)
[ -n "$n" ] && near "$n" 13750 20 || fail "clipping report: $(cat err.txt)"
# A named pipe as the input (mkfifo, or a shell's <(...), which is one):
# the tools that look at the first byte to tell audio from a stream
# (tfr-image, tfr-f0) read it whole, as the file; an audio tool given a
# stream on one says so at its first line. fifo_run FILE CMD...: CMD with
# a named pipe fed FILE as its last argument (the writer killed should
# CMD not open it), stdout to fifo.out, stderr to fifo.err.
fifo_run() {
	rm -f in.fifo
	mkfifo in.fifo
	cat "$1" > in.fifo & wpid=$!
	shift
	set +e
	"$@" in.fifo > fifo.out 2> fifo.err
	frc=$?
	set -e
	kill "$wpid" 2> /dev/null || true
	wait "$wpid" 2> /dev/null || true
	return 0
}
"$B/tfr-reassign" a.wav > fa.points
"$B/tfr-reassign" a.wav | "$B/tfr-peaks" | "$B/tfr-track" > fa.partials
for src in a.wav fa.partials; do
	# (the header names the input, and a pipe's length is unknown)
	"$B/tfr-f0" "$src" | grep -v '^# \(source\|history\)' > f0-file.txt
	fifo_run "$src" "$B/tfr-f0"
	grep -v '^# \(source\|history\)' fifo.out > f0-fifo.txt
	[ "$frc" -eq 0 ] && cmp -s f0-file.txt f0-fifo.txt ||
		fail "tfr-f0 of $src from a named pipe: exit $frc, $(head -c 200 fifo.err)"
done
for src in a.wav fa.points; do
	fifo_run "$src" "$B/tfr-image" -o fifo.png
	[ "$frc" -eq 0 ] && [ -s fifo.png ] ||
		fail "tfr-image of $src from a named pipe: exit $frc, $(head -c 200 fifo.err)"
	rm -f fifo.png
done
fifo_run fa.points "$B/tfr-reassign"
[ "$frc" -eq 1 ] && [ "$(cat fifo.err)" = "tfr-reassign: in.fifo: a tfr points stream, not audio (WAV, FLAC, AIFF, Ogg, ...)" ] ||
	fail "tfr-reassign of a stream on a named pipe: exit $frc, $(cat fifo.err)"
# WAV that others read without a word: sox on every tool's WAV output,
# float (a.wav) and integer, on a file (-o, a redirection) and a pipe
# (float WAV from libsndfile made sox warn "wave header missing extended
# part of fmt chunk")
if command -v sox > /dev/null; then
	"$B/tfr-reassign" a.wav | "$B/tfr-peaks" | "$B/tfr-track" > w.partials
	"$B/tfr-resynth" -o rs-o.wav w.partials
	"$B/tfr-resynth" w.partials > rs-redir.wav
	"$B/tfr-resynth" -b 16 -o rs-16.wav w.partials
	"$B/tfr-resynth" -b 24 -o rs-24.wav w.partials
	"$B/tfr-sdelay" -o sd-o.wav a.wav
	"$B/tfr-sdelay" a.wav > sd-redir.wav
	"$B/tfr-sdelay" a.wav | cat > sd-pipe.wav
	"$B/tfr-sdelay" -o sd-16.wav h.wav
	for f in rs-o rs-redir rs-16 rs-24 sd-o sd-redir sd-pipe sd-16; do
		sox --i "$f.wav" > /dev/null 2> sox.txt || fail "$f.wav: sox --i failed"
		sox "$f.wav" -n stat 2>> sox.txt || fail "$f.wav: sox stat failed"
		! grep -i '^sox \(WARN\|FAIL\)' sox.txt || fail "$f.wav: sox says: $(grep -i '^sox' sox.txt)"
	done
	[ "$(sox --i -s rs-redir.wav)" = "$(sox --i -s rs-o.wav)" ] || fail "a redirected WAV's length"
else
	echo "note: no sox: WAV headers not checked with sox"
fi
finish
