#!/bin/sh
# run.sh - one libFuzzer harness for ctest (tests/fuzz.cmake):
#   run.sh fuzz HARNESS NAME SECONDS MAXLEN WORKDIR
#     fuzz for SECONDS on a copy of corpus/NAME (with NAME.dict if there
#     is one), new inputs and crash files in WORKDIR; print the
#     executions and their rate; fail on a crash, leak, timeout or
#     out-of-memory, naming the input that caused it
#   run.sh regress HARNESS NAME
#     run every input of corpus/NAME and regress/NAME once
# TFR_FUZZ_DIR is tests/fuzz.
set -eu
mode=$1 bin=$2 name=$3
dir=${TFR_FUZZ_DIR:?}
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1:allocator_may_return_null=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
common="-rss_limit_mb=2048 -malloc_limit_mb=2048 -timeout=20"

if [ "$mode" = regress ]; then
	# every input in one process: libFuzzer runs each file operand once
	set --
	for d in "$dir/corpus/$name" "$dir/regress/$name"; do
		for f in "$d"/*; do
			[ -f "$f" ] && [ "${f%.md}" = "$f" ] && set -- "$@" "$f"
		done
	done
	[ $# -gt 0 ] || { echo "$name: no inputs"; exit 0; }
	log=$(mktemp)
	trap 'rm -f "$log"' EXIT
	if ! "$bin" $common "$@" > "$log" 2>&1; then
		tail -n 40 "$log" >&2
		echo "FAIL: $name: $(grep '^Running: ' "$log" | tail -n 1 | sed "s|Running: $dir/||") crashes" >&2
		exit 1
	fi
	echo "$name: $# inputs ran clean"
	exit 0
fi

secs=$4 maxlen=$5 work=$6
rm -rf "$work"
mkdir -p "$work/corpus" "$work/crash"
cp "$dir/corpus/$name"/* "$work/corpus/" 2>/dev/null || true
set -- $common -max_total_time="$secs" -max_len="$maxlen" \
	-print_final_stats=1 -artifact_prefix="$work/crash/"
[ -f "$dir/$name.dict" ] && set -- "$@" -dict="$dir/$name.dict"
status=0
"$bin" "$@" "$work/corpus" > "$work/log.txt" 2>&1 || status=$?
runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$work/log.txt")
rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$work/log.txt")
echo "$name: ${runs:-?} executions in ${secs} s (${rate:-?}/s), corpus $(ls "$work/corpus" | wc -l) inputs"
if [ "$status" -ne 0 ]; then
	grep -m 1 -E 'ERROR|SUMMARY|invariant|runtime error|outside' "$work/log.txt" >&2 || true
	tail -n 60 "$work/log.txt" >&2
	echo "FAIL: $name: the fuzzer stopped (status $status); input(s): $(ls "$work/crash")" >&2
	echo "minimise: $bin -minimize_crash=1 -runs=10000 $work/crash/FILE; add it to tests/fuzz/regress/$name/" >&2
	exit 1
fi
