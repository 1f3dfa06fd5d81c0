# lib.sh - helpers for the shell tests (sourced). Environment from CTest:
# TFR_BIN (tools), TFR_DATA, TFR_SRC, TFR_TMP (scratch), TFR_GENSIG.
set -eu
cd "$TFR_TMP"
fails=0

fail() {
	echo "FAIL: $*" >&2
	fails=$((fails + 1))
}

# expect_status CODE CMD...: run CMD (stdout to out.txt, stderr to
# err.txt) and check its exit status.
expect_status() {
	want=$1
	shift
	set +e
	"$@" >out.txt 2>err.txt
	got=$?
	set -e
	[ "$got" -eq "$want" ] || fail "'$*' exited $got, expected $want: $(cat err.txt)"
}

# expect_error CODE MESSAGE CMD...: exit status and the exact one-line
# message on stderr (for usage errors the --help hint may follow).
expect_error() {
	code=$1
	msg=$2
	shift 2
	expect_status "$code" "$@"
	first=$(head -n 1 err.txt)
	[ "$first" = "$msg" ] || fail "'$*': stderr '$first', expected '$msg'"
}

# near A B TOL: |A - B| <= TOL
near() {
	awk -v a="$1" -v b="$2" -v t="$3" 'BEGIN { d = a - b; if (d < 0) d = -d; exit !(d <= t) }'
}

# PNG pictures read back with the inspector of test_picture
# ($TFR_PNGDUMP, given to the tests that draw):
# dump FILE [X Y]...: size, pixel digest, chunks, pixels, into dump.txt
dump() {
	"$TFR_PNGDUMP" dump "$@" > dump.txt || fail "cannot read $1 back"
}
# val KEY: the first chunk KEY of the last dump
val() {
	sed -n "s/^$1=//p" dump.txt | head -n 1
}
# rgb X Y: the colour of pixel X Y of the last dump
rgb() {
	awk -v x="$1" -v y="$2" '$1 == "pixel" && $2 == x && $3 == y { print $4, $5, $6 }' dump.txt
}

finish() {
	if [ "$fails" -ne 0 ]; then
		echo "$fails check(s) failed" >&2
		exit 1
	fi
	echo "all checks passed"
}
