# tool_man_examples.sh - the EXAMPLES of the man pages really run: every
# literal display of the pages below that is a command (its first word a
# program on PATH: a tfr tool, sox, awk, ...) is run with sh (continuation
# lines joined) in a directory holding the files the examples name, and
# must exit 0 and print something or write a file. Displays that show a
# file's contents or a stream are not commands; examples whose program is
# missing here (sox, arecord, python3 with numpy) are skipped and counted.
# An example with awk runs once with each awk installed (mawk, gawk).
. "$TFR_TESTS/lib.sh"
PATH=$TFR_BIN:$PATH
export PATH
# the inputs the examples name
for f in a voice clicks in; do
	"$TFR_GENSIG" -d 1 -o $f.wav sine:220:0.3 sine:440:0.2 impulse:22050:0.8 noise:0.001:1
done
"$TFR_GENSIG" -d 1 -c 2 -o stereo.wav sine:220:0.3 noise:0.01:2
printf '# time freq delay(s)\n0    0     0.1\n0    8000  0.1\n4.0  0     0.1\n4.0  8000  0.6\n' > moving.txt
n=0
skipped=0
for page in $(cd "$TFR_SRC/man" && ls *.1 *.5 *.7); do
	# one command per line: join lines ending in \e, turn \e into \
	awk '/^\.Bd -literal/ { on = 1; cmd = ""; next }
	     /^\.Ed/ { on = 0; next }
	     on { line = $0; gsub(/\\e/, "\\", line); gsub(/\\\(aq/, "'"'"'", line);
	          cmd = cmd line;
	          if (cmd ~ /\\$/) { sub(/\\$/, "", cmd); next }
	          print cmd; cmd = "" }' "$TFR_SRC/man/$page" > cmds.txt
	while IFS= read -r cmd; do
		first=${cmd%% *}
		case $first in
		'#'* | '' | tfr-x:) continue ;;  # stream samples, messages
		esac
		if ! command -v "$first" > /dev/null 2>&1; then
			# a file's contents (numbers), or a program not here
			case $first in
			[0-9]* | -*) continue ;;
			esac
			echo "skip ($first not installed): $cmd"
			skipped=$((skipped + 1))
			continue
		fi
		case $cmd in
		arecord*)
			# installed is not enough: a machine without a sound card
			# (CI, containers) has nothing to record from
			if ! arecord -l 2>/dev/null | grep -q '^card'; then
				echo "skip (no sound card): $cmd"
				skipped=$((skipped + 1))
				continue
			fi ;;
		*"python3 -c 'import "*)
			mod=${cmd#*import }
			mod=${mod%%;*}
			if ! python3 -c "import $mod" 2>/dev/null; then
				echo "skip (no python module $mod): $cmd"
				skipped=$((skipped + 1))
				continue
			fi ;;
		esac
		# a recipe with awk runs with every awk here (mawk is Debian's
		# default, gawk the GNU one): each in turn answers to "awk"
		awks=default
		case $cmd in
		*awk*) awks=$(for a in mawk gawk original-awk; do
		               if command -v $a > /dev/null 2>&1; then echo $a; fi; done) ;;
		esac
		for a in ${awks:-default}; do
			rm -rf .awk && mkdir .awk
			[ "$a" = default ] || ln -s "$(command -v $a)" .awk/awk
			n=$((n + 1))
			touch stamp
			sleep 0.01
			if ! PATH=$PWD/.awk:$PATH sh -c "$cmd" > ex.out 2> ex.err; then
				fail "$page: '$cmd' failed ($a): $(head -n 1 ex.err)"
			elif [ ! -s ex.out ] && [ -z "$(find . -newer stamp ! -name 'ex.*' ! -path './.awk*' -type f)" ]; then
				fail "$page: '$cmd' printed nothing and wrote nothing ($a)"
			fi
		done
	done < cmds.txt
done
echo "$n examples run, $skipped skipped"
[ "$n" -ge 15 ] || fail "too few examples found"
finish
