# tool_common.sh - what every tool owes its users: --help on stdout with
# exit 0, --version in GNU form, one option vocabulary (an option has the
# same short letter in every tool, and a letter means one option), one
# line for a usage error with exit 2, informational output that fails on
# a full disk, and a man page that documents every long option --help
# lists.
. "$TFR_TESTS/lib.sh"
n=0
: > pairs.txt
for tool in "$TFR_BIN"/tfr-*; do
	name=${tool##*/}
	[ -x "$tool" ] || continue
	n=$((n + 1))
	expect_status 0 "$tool" --help
	grep -q "^usage: $name" out.txt || fail "$name --help: no usage line"
	[ ! -s err.txt ] || fail "$name --help wrote to stderr"
	opts=$(grep -o -- '--[a-z][a-z-]*' out.txt | sort -u)
	# "-x, --long" pairs of the help text, for the vocabulary check
	grep -o -- '-[a-zA-Z], --[a-z][a-z-]*' out.txt | sed "s/^/$name /" >> pairs.txt
	expect_status 0 "$tool" -h
	expect_status 0 "$tool" --version
	grep -qx "$name (tfr) [0-9][0-9.]*" out.txt || fail "$name --version: '$(cat out.txt)'"
	grep -qxE "FFT backend: (KissFFT|FFTW3f \(FFTW_(ESTIMATE|MEASURE) plans\))" out.txt ||
		fail "$name --version names no FFT backend: '$(cat out.txt)'"
	# informational output checks that it was written
	expect_error 1 "$name: stdout: write error: No space left on device" sh -c "'$tool' --help > /dev/full"
	expect_error 1 "$name: stdout: write error: No space left on device" sh -c "'$tool' --version > /dev/full"
	# usage errors: one line (and the --help hint), exit 2
	expect_error 2 "$name: unknown option '--no-such-option'" "$tool" --no-such-option
	[ "$(wc -l < err.txt)" -eq 2 ] || fail "$name: unknown option: $(cat err.txt)"
	expect_error 2 "$name: unknown option '-%'" "$tool" -%
	# a misspelt long option: the nearest one is named (one letter
	# doubled, two swapped, one missing)
	expect_error 2 "$name: unknown option '--helpp'; did you mean '--help'?" "$tool" --helpp
	expect_error 2 "$name: unknown option '--verison'; did you mean '--version'?" "$tool" --verison
	# (a tool whose outputs are a folder's, tfr-batch, has no -o)
	if printf '%s\n' "$opts" | grep -qx -- --output; then
		expect_error 2 "$name: --output needs an argument" "$tool" --output
		expect_error 2 "$name: -o needs an argument" "$tool" -o
		expect_error 2 "$name: unknown option '--outptu'; did you mean '--output'?" "$tool" --outptu=x
		[ "$(wc -l < err.txt)" -eq 2 ] || fail "$name: --outptu: $(cat err.txt)"
	fi
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
# an abbreviation of two options names both
expect_error 2 "tfr-track: ambiguous option '--max': --max-drift, --max-gap" \
	"$TFR_BIN/tfr-track" --max 3

# One vocabulary: a long option has one short letter in every tool that
# has it, and a short letter stands for one long option everywhere.
awk '{ split($2, a, ","); l = a[1]; o = $3
       if ((o in letter) && letter[o] != l) { print "FAIL: " o " is " letter[o] " in " tool[o] " but " l " in " $1; bad = 1 }
       if ((l in long) && long[l] != o) { print "FAIL: " l " is " long[l] " in " ltool[l] " but " o " in " $1; bad = 1 }
       letter[o] = l; tool[o] = $1; long[l] = o; ltool[l] = $1 }
     END { exit bad }' pairs.txt >&2 || fail "the option vocabulary differs between tools"
# the core vocabulary, with the letters the man pages promise
for pair in "-w --window" "-H --hop" "-n --fft-size" "-t --threshold" \
            "-c --channel" "-o --output" "-l --window-length"; do
	set -- $pair
	if grep -q -- " $2\$" pairs.txt; then
		grep -q -- " $1, $2\$" pairs.txt || fail "$2 is not $1 everywhere"
	fi
done
echo "$n tools checked, $(wc -l < pairs.txt) option letters"
finish
