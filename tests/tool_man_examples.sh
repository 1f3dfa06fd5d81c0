# tool_man_examples.sh - the EXAMPLES of the man pages really run: every
# literal display of the pages below is run with sh (continuation lines
# joined) in a directory holding the audio files the examples name, and
# must exit 0. Examples that need sox are skipped when it is missing.
. "$TFR_TESTS/lib.sh"
PATH=$TFR_BIN:$PATH
export PATH
for f in a voice clicks; do
	"$TFR_GENSIG" -d 1 -o $f.wav sine:220:0.3 sine:440:0.2 impulse:22050:0.8 noise:0.001:1
done
n=0
for page in tfr-reassign.1 tfr.5; do
	# one command per line: join lines ending in \e, turn \e into \
	awk '/^\.Bd -literal/ { on = 1; cmd = ""; next }
	     /^\.Ed/ { on = 0; next }
	     on { line = $0; gsub(/\\e/, "\\", line); cmd = cmd line;
	          if (cmd ~ /\\$/) { sub(/\\$/, "", cmd); next }
	          print cmd; cmd = "" }' "$TFR_SRC/man/$page" > cmds.txt
	while IFS= read -r cmd; do
		case $cmd in
		'#tfr'* | '# '* | tfr-x:*) continue ;;  # format samples, not commands
		*sox*) command -v sox >/dev/null || { echo "skip (no sox): $cmd"; continue; } ;;
		esac
		n=$((n + 1))
		if ! sh -c "$cmd" > ex.out 2> ex.err; then
			fail "$page: '$cmd' failed: $(head -n 1 ex.err)"
		elif [ ! -s ex.out ]; then
			fail "$page: '$cmd' printed nothing"
		fi
	done < cmds.txt
done
echo "$n examples run"
[ "$n" -ge 4 ] || fail "too few examples found"
finish
