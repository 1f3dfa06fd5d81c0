# tool_progress.sh - progress on a terminal (issue 22 item 9): every tool
# reading an audio file shows "NAME: DONE s of TOTAL s" on stderr when it
# is a terminal (a pseudo-terminal from script(1) here), rewritten in
# place and erased at the end; nothing when stderr is a file, with
# --quiet, or when the audio comes down a pipe (the pipeline's first tool
# shows its line). TFR_PROGRESS_DELAY=0 shows it from the start.
# And the one-line summaries of -v, checked against the outputs.
. "$TFR_TESTS/lib.sh"
B=$TFR_BIN
command -v script > /dev/null || { echo "script(1) not installed"; exit 77; }
"$TFR_GENSIG" -d 3 -o a.wav sine:440:0.5 noise:0.01:1
TFR_PROGRESS_DELAY=0
export TFR_PROGRESS_DELAY
# on_tty CMD: CMD's stderr and stdout as a terminal shows them (CR kept)
on_tty() {
	script -qec "$1" /dev/null < /dev/null > tty.txt 2>&1 || fail "'$1' failed: $(cat tty.txt)"
}
for t in "tfr-reassign -o p.txt" "tfr-f0 -o f.txt" "tfr-sdelay -d 0.1 -o d.wav" \
         "tfr-image -o i.png" "tfr-hyper -o h.png"; do
	name=${t%% *}
	on_tty "$B/$t a.wav"
	grep -q "$name: [0-9.]* s of 3.0 s" tty.txt || fail "$name: no progress line: $(od -c tty.txt | head)"
	# erased at the end: the last thing written is blanks and a CR
	tail -c 2 tty.txt | od -c | grep -q ' \\r' || fail "$name: progress line not erased"
	on_tty "$B/$t --quiet a.wav"
	[ ! -s tty.txt ] || fail "$name --quiet: $(cat tty.txt)"
	$B/$t a.wav 2> err.txt
	[ ! -s err.txt ] || fail "$name: stderr a file: $(cat err.txt)"
done
# a pipe's reader keeps quiet (the first tool of a pipeline speaks)
on_tty "cat a.wav | $B/tfr-reassign -o p.txt"
[ ! -s tty.txt ] || fail "tfr-reassign on a pipe: $(cat tty.txt)"
# and so does a tool reading a file in the middle of one
on_tty "$B/tfr-reassign --quiet a.wav | $B/tfr-sdelay -d 0.1 -o d.wav a.wav"
[ ! -s tty.txt ] || fail "a file read behind a pipe: $(cat tty.txt)"

# -v: a summary whose counts are those of the output
unset TFR_PROGRESS_DELAY
$B/tfr-reassign -v -o p.txt a.wav 2> err.txt
np=$(grep -vc '^#' p.txt)
grep -q "^tfr-reassign: $np points in [0-9]* frames ([0-9.]* a frame) from 3.000 s of audio\$" err.txt ||
	fail "tfr-reassign -v: $(tail -n 1 err.txt) ($np points)"
$B/tfr-peaks -v -o k.txt p.txt 2> err.txt
nk=$(grep -vc '^#' k.txt)
grep -q "^tfr-peaks: $nk peaks in [0-9]* frames" err.txt || fail "tfr-peaks -v: $(tail -n 1 err.txt) ($nk peaks)"
$B/tfr-image -v -W 300 -o i.png a.wav 2> err.txt
grep -qx "tfr-image: 1 picture of 300 x 500 px, 0.000 s to 3.000 s drawn" err.txt || fail "tfr-image -v: $(cat err.txt)"
$B/tfr-image -v -W 300 --page 1s -o i.png a.wav 2> err.txt
grep -qx "tfr-image: 3 pictures of 300 x 500 px, 0.000 s to 3.000 s drawn" err.txt || fail "tfr-image -v --page: $(cat err.txt)"
$B/tfr-hyper -v -o h.png a.wav 2> err.txt
grep -q "^tfr-hyper: 1 histogram of [0-9]* columns (.* ms each) from 3.000 s of audio\$" err.txt || fail "tfr-hyper -v: $(cat err.txt)"
finish
