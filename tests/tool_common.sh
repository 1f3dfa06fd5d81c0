# tool_common.sh - what every tool owes its users: --help on stdout with
# exit 0, --version in GNU form, exit 2 on an unknown option, and a man
# page that documents every long option --help lists.
. "$TFR_TESTS/lib.sh"
n=0
for tool in "$TFR_BIN"/tfr-*; do
	name=${tool##*/}
	[ -x "$tool" ] || continue
	n=$((n + 1))
	expect_status 0 "$tool" --help
	grep -q "^usage: $name" out.txt || fail "$name --help: no usage line"
	[ ! -s err.txt ] || fail "$name --help wrote to stderr"
	opts=$(grep -o -- '--[a-z][a-z-]*' out.txt | sort -u)
	expect_status 0 "$tool" -h
	expect_status 0 "$tool" --version
	grep -qx "$name (tfr) [0-9][0-9.]*" out.txt || fail "$name --version: '$(cat out.txt)'"
	expect_status 2 "$tool" --no-such-option
	grep -q "^$name: " err.txt || fail "$name: unknown option message not prefixed"
	page="$TFR_SRC/man/$name.1"
	if [ ! -f "$page" ]; then
		fail "$name has no man page"
		continue
	fi
	for o in $opts; do
		# mdoc writes --opt as "Fl \-opt" or "Fl -opt", inner hyphens
		# escaped or not
		stem=$(printf '%s' "${o#--}" | sed 's/-/\\\\\\?-/g')
		grep -q -- "Fl \\\\\\?-$stem" "$page" || fail "$name: $o not in $page"
	done
done
[ "$n" -gt 0 ] || fail "no tools found in $TFR_BIN"
echo "$n tools checked"
finish
