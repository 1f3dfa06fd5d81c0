# tool_batch.sh - tfr-batch over real trees: which files it takes and
# what it names their outputs (dotted folders, files without an
# extension, blanks and newlines in names, trailing slashes), collisions
# refused, one bad file among good ones, resuming (nothing twice, all
# again for another pipeline, one again for one touched input), a dry
# run, -j 1 and -j 2 alike, a stop by signal that leaves nothing behind,
# GNU parallel on local slots, and the Makefile example under make -j2.
. "$TFR_TESTS/lib.sh"
PATH=$TFR_BIN:$PATH
export PATH
T=$TFR_BIN/tfr-batch
G=$TFR_GENSIG
nl='
'
# files under a folder (names may hold newlines)
count() { find "$1" -type f ! -name .tfr-batch -print0 | tr -dc '\0' | wc -c; }

# ---- the help, and usage errors: exit 2, nothing run ----
expect_status 0 "$T" --help
grep -q '^usage: tfr-batch' out.txt || fail "--help: no usage line"
expect_status 0 "$T" --version

# a tree: nested folders, one dotted, with a blank in a name; a file
# without an extension; a name with a newline; the selection table, the
# README and a hidden file that are not sound files
mkdir -p "in/2024.05.01/site A" in/sub
"$G" -d 0.3 -o in/one.wav sine:440:0.5
"$G" -d 0.2 -r 22050 -o "in/2024.05.01/site A/two.wav" sine:660:0.3
cp in/one.wav in/2024.05.01/noext
cp in/one.wav "in/sub/new${nl}line.WAV"
printf 'Selection\tBegin Time (s)\n1\t0.1\n' > in/2024.05.01/one.Table.1.selections.txt
echo notes > in/README
cp in/one.wav in/.hidden.wav

expect_error 2 "tfr-batch: no --suffix: name the outputs' suffix (-u .png)" "$T" in out 'wc -c'
expect_error 2 "tfr-batch: no pipeline" "$T" -u .n in out
expect_error 2 "tfr-batch: no input folder, output folder and pipeline" "$T" -u .n
expect_error 2 "tfr-batch: more than one pipeline ('tfr-reassign' and 'one.wav'): quote the pipeline as one argument" \
	"$T" -u .n in out tfr-reassign one.wav
# an option after the pipeline was meant for it, not for tfr-batch
expect_error 2 "tfr-batch: '-j' after the pipeline 'tfr-hyper': quote the whole pipeline as one argument, after the folders" \
	"$T" -u .n in out tfr-hyper -j 1
expect_error 2 "tfr-batch: nosuch: No such file or directory" "$T" -u .n nosuch out 'wc -c'
expect_error 2 "tfr-batch: in/one.wav: not a folder" "$T" -u .n in/one.wav out 'wc -c'
expect_error 2 "tfr-batch: --jobs: 0 is out of range [1, 1000]" "$T" -j 0 -u .n in out 'wc -c'
expect_error 2 "tfr-batch: --ext: bad list 'wav,' (wav,flac; or '*' for every file)" \
	"$T" -e wav, -u .n in out 'wc -c'
expect_error 2 "tfr-batch: --suffix: 'a/.n' has a '/' (the outputs keep their inputs' folders)" \
	"$T" -u a/.n in out 'wc -c'
expect_error 2 "tfr-batch: --suffix: an empty suffix needs -K (outputs named as their inputs)" \
	"$T" -u '' in out 'wc -c'
expect_error 2 "tfr-batch: an empty pipeline" "$T" -u .n in out ''
[ ! -e out ] || fail "a usage error made the output folder"

# ---- names ----
# the sound files only (extensions in any case), each output in its
# input's folder, with the environment the jobs are promised
# (TFR_OUTPUT: a temporary in the output's folder, OUT, ending in .n)
env_cmd='printf "%s|%s|" "$TFR_NAME" "$TFR_INPUT"; d=$(dirname "$TFR_NAME")/; [ "$d" != ./ ] || d=
case $TFR_OUTPUT in "$OUT/$d".*.tfr-*.n) ;; *) echo "bad TFR_OUTPUT $TFR_OUTPUT" >&2; exit 9 ;; esac; wc -c'
OUT=out
export OUT
expect_status 0 "$T" -u n in out "$env_cmd"
[ "$(count out)" -eq 3 ] || fail "not 3 outputs: $(find out -type f)"
[ "$(cat out/one.n)" = "one.wav|in/one.wav|$(wc -c < in/one.wav)" ] || fail "one.n: $(cat out/one.n)"
[ "$(cat "out/2024.05.01/site A/two.n")" = "2024.05.01/site A/two.wav|in/2024.05.01/site A/two.wav|$(wc -c < "in/2024.05.01/site A/two.wav")" ] ||
	fail "two.n: $(cat "out/2024.05.01/site A/two.n")"
[ "$(cat "out/sub/new${nl}line.n")" = "sub/new${nl}line.WAV|in/sub/new${nl}line.WAV|$(wc -c < in/one.wav)" ] ||
	fail "the name with a newline: $(cat "out/sub/new${nl}line.n")"
[ "$(tail -n 1 err.txt)" = "tfr-batch: 3 files: 3 made, 0 up to date, 0 failed" ] || fail "summary: $(cat err.txt)"

# every file with '*': the file without an extension gets the suffix in
# its dotted folder; only the last extension of a name is replaced
expect_status 0 "$T" -e '*' -u .n in all 'wc -c'
for f in one.n 2024.05.01/noext.n 2024.05.01/one.Table.1.selections.n README.n; do
	[ -f "all/$f" ] || fail "--ext '*': no all/$f"
done
[ "$(count all)" -eq 6 ] || fail "--ext '*': not 6 outputs"
[ ! -e all/2024.05.n ] && [ ! -e all/2024.05.01.n ] || fail "an output landed outside its folder"
# an explicit list, with dots and capitals
expect_status 0 "$T" -e .TXT,wav -u .n in some 'wc -c'
[ -f some/2024.05.01/one.Table.1.selections.n ] && [ -f some/one.n ] && [ ! -e some/README.n ] ||
	fail "--ext .TXT,wav"

# trailing slashes change nothing
expect_status 0 "$T" -u .n in/ slash/ 'wc -c'
(cd out && find . -type f ! -name .tfr-batch | sort) > a.list
(cd slash && find . -type f ! -name .tfr-batch | sort) > b.list
cmp -s a.list b.list || fail "a trailing slash changed the outputs: $(cat b.list)"

# ---- collisions: refused before anything runs; -K keeps both ----
mkdir coll
"$G" -d 0.1 -o coll/x.wav sine:440:0.5
cp coll/x.wav coll/x.flac
expect_error 2 "tfr-batch: coll/x.flac and coll/x.wav would both make cout/x.n" "$T" -u .n coll cout 'wc -c'
grep -q -- '-K (--keep-ext)' err.txt || fail "collision: no hint at -K: $(cat err.txt)"
[ ! -e cout ] || fail "a refused batch made its output folder"
expect_status 0 "$T" -K -u .n coll cout 'wc -c'
[ -f cout/x.wav.n ] && [ -f cout/x.flac.n ] || fail "-K: $(ls cout)"

# ---- one bad file among good ones ----
mkdir -p bad/deep
"$G" -d 0.2 -o bad/a.wav sine:440:0.5
echo "not a sound" > bad/deep/b.wav
"$G" -d 0.2 -o bad/c.wav chirp:200:2000:0.5
pipe='tfr-reassign -t -40 | tfr-peaks'
expect_status 1 "$T" -j 2 -u .peaks bad bout "$pipe"
grep -q '^tfr-batch: bad/deep/b.wav: tfr-reassign: stdin: ' err.txt || fail "the failure without its error line: $(cat err.txt)"
[ "$(tail -n 1 err.txt)" = "tfr-batch: 3 files: 2 made, 0 up to date, 1 failed" ] || fail "bad: $(tail -n 1 err.txt)"
[ -s bout/a.peaks ] && [ -s bout/c.peaks ] || fail "the good files were not made"
[ ! -e bout/deep/b.peaks ] || fail "a failed job left its output"
[ -z "$(find bout -name '.*.tfr-*')" ] || fail "temporaries left: $(find bout -name '.*.tfr-*')"
# silent failures and killed jobs say how they ended
mkdir odd
cp bad/a.wav odd/a.wav
expect_status 1 "$T" -u .x odd oout 'exit 3'
grep -qx 'tfr-batch: odd/a.wav: exit status 3' err.txt || fail "exit status: $(cat err.txt)"
expect_status 1 "$T" -u .x odd oout 'echo going >&2; kill -KILL $$'
grep -qx 'tfr-batch: odd/a.wav: going' err.txt && grep -q '^tfr-batch: odd/a.wav: killed by signal 9' err.txt ||
	fail "killed: $(cat err.txt)"
[ -z "$(find oout -type f ! -name .tfr-batch)" ] || fail "failed jobs left files: $(find oout)"

# -j 1 and -j 2: the same outputs
expect_status 1 "$T" -j 1 -u .peaks bad bout1 "$pipe"
for f in a.peaks c.peaks; do
	cmp -s bout/$f bout1/$f || fail "-j 1 and -j 2 differ: $f"
done

# ---- resuming ----
ino() { ls -i "$1" | awk '{ print $1 }'; }
i1=$(ino out/one.n)
expect_status 0 "$T" -u n in out "$env_cmd"
[ "$(tail -n 1 err.txt)" = "tfr-batch: 3 files: 0 made, 3 up to date, 0 failed" ] || fail "rerun: $(cat err.txt)"
[ "$(ino out/one.n)" = "$i1" ] || fail "a rerun remade an output"
# another pipeline (other options): everything again
expect_status 0 "$T" -u n in out 'wc -c | cat'
[ "$(tail -n 1 err.txt)" = "tfr-batch: 3 files: 3 made, 0 up to date, 0 failed" ] || fail "new pipeline: $(cat err.txt)"
[ "$(cat out/one.n)" = "$(wc -c < in/one.wav)" ] || fail "new pipeline: one.n"
# a touched input: that one again; the dry run says so first
i2=$(ino "out/2024.05.01/site A/two.n")
touch in/one.wav
expect_status 0 "$T" --dry-run -u n in out 'wc -c | cat'
[ "$(cat out.txt)" = "in/one.wav -> out/one.n" ] || fail "--dry-run: $(cat out.txt)"
[ "$(tail -n 1 err.txt)" = "tfr-batch: 3 files: 1 to make, 2 up to date" ] || fail "--dry-run: $(cat err.txt)"
expect_status 0 "$T" -v -u n in out 'wc -c | cat'
[ "$(tail -n 1 err.txt)" = "tfr-batch: 3 files: 1 made, 2 up to date, 0 failed" ] || fail "touched: $(cat err.txt)"
grep -qx 'tfr-batch: in/one.wav: made out/one.n' err.txt || fail "-v: $(cat err.txt)"
grep -qx 'tfr-batch: in/2024.05.01/site A/two.wav: up to date' err.txt || fail "-v: $(cat err.txt)"
[ "$(ino "out/2024.05.01/site A/two.n")" = "$i2" ] || fail "an untouched input was run again"
# an input replaced by an older file is run again too
touch -t 200001010000 in/one.wav
expect_status 0 "$T" -u n in out 'wc -c | cat'
[ "$(tail -n 1 err.txt)" = "tfr-batch: 3 files: 1 made, 2 up to date, 0 failed" ] || fail "older input: $(cat err.txt)"
# a failed file is tried again, the good ones are not
expect_status 1 "$T" -u .peaks bad bout "$pipe"
[ "$(tail -n 1 err.txt)" = "tfr-batch: 3 files: 0 made, 2 up to date, 1 failed" ] || fail "bad rerun: $(cat err.txt)"
# --force; and without the manifest everything is redone
expect_status 0 "$T" --force --quiet -u n in out 'wc -c | cat'
[ ! -s err.txt ] || fail "--quiet: $(cat err.txt)"
rm out/.tfr-batch
expect_status 0 "$T" -u n in out 'wc -c | cat'
[ "$(tail -n 1 err.txt)" = "tfr-batch: 3 files: 3 made, 0 up to date, 0 failed" ] || fail "no manifest: $(cat err.txt)"
# a read-only output is left as it is
chmod a-w out/one.n
touch in/one.wav
expect_status 1 "$T" -u n in out 'wc -c | cat'
grep -qx 'tfr-batch: in/one.wav: out/one.n: read-only, left as it is' err.txt || fail "read-only: $(cat err.txt)"
chmod u+w out/one.n

# ---- outputs inside or beside the inputs ----
expect_status 0 "$T" -u .n in in/results 'wc -c'
expect_status 0 "$T" -u .n in in/results 'wc -c'
[ "$(tail -n 1 err.txt)" = "tfr-batch: 3 files: 0 made, 3 up to date, 0 failed" ] || fail "outdir in indir: $(cat err.txt)"
rm -r in/results
mkdir ip
"$G" -d 0.1 -o ip/x.wav sine:440:0.5
expect_status 0 "$T" -u .copy.wav ip ip cat
cmp -s ip/x.wav ip/x.copy.wav || fail "in place: x.copy.wav"
expect_status 0 "$T" -u .copy.wav ip ip cat
[ "$(tail -n 1 err.txt)" = "tfr-batch: 1 file: 0 made, 1 up to date, 0 failed" ] || fail "in place, again: $(cat err.txt)"
mkdir ip2
cp ip/x.wav ip2/x.wav
cp ip/x.wav ip2/x.copy.wav
expect_error 2 "tfr-batch: ip2/x.copy.wav, the output of ip2/x.wav, is an input too" "$T" -u .copy.wav ip2 ip2 cat
mkdir ip3
cp ip/x.wav ip3/x.wav
expect_error 2 "tfr-batch: ip3/x.wav: the output would replace its own input" "$T" -K -u '' ip3 ip3/ cat

# ---- a stop by signal: jobs killed (their whole pipelines), nothing left ----
PIDS=$TFR_TMP/pids
export PIDS
: > "$PIDS"
set +e
"$T" -j 2 -u .s in sout 'sleep 30 & echo $! >> "$PIDS"; wait' 2> err.txt &
bpid=$!
n=0
while [ "$(wc -l < "$PIDS")" -lt 2 ] && [ $n -lt 100 ]; do sleep 0.05; n=$((n + 1)); done
kill -TERM $bpid
wait $bpid
st=$?
set -e
[ "$st" -eq 143 ] || fail "stopped by SIGTERM: exit $st, not 143"
grep -q '^tfr-batch: stopped (' err.txt || fail "stop: $(cat err.txt)"
sleep 0.2
# (gone, or a zombie that no init reaps here)
while read -r p; do
	case $(ps -o stat= -p "$p" 2>/dev/null || true) in
	'' | Z*) ;;
	*) fail "a job's process $p outlived the batch" ;;
	esac
done < "$PIDS"
[ -z "$(find sout -type f ! -name .tfr-batch)" ] || fail "a stopped batch left files: $(find sout -type f)"

# ---- a SIGKILL (OOM killer, power loss) leaves temporaries: the next
# run removes them (issue 22 item 16), and a live run's are left ----
mkdir kin
"$G" -d 0.3 -o kin/k.wav sine:440:0.5
set +e
"$T" -j 1 -u .s kin kout 'cat > "$TFR_OUTPUT"; echo x > "${TFR_OUTPUT%.s}-0001.s"; sleep 30' 2> err.txt &
bpid=$!
n=0
while [ "$(find kout -name '.k.s.tfr-*-0001.s' 2>/dev/null | wc -l)" -lt 1 ] && [ $n -lt 100 ]; do sleep 0.05; n=$((n + 1)); done
# while it runs, another run leaves its files alone (they are locked)
"$T" -j 1 -u .t kin kout cat 2> err2.txt
[ "$(find kout -name '.k.s.tfr-*' | wc -l)" -eq 2 ] || fail "a live job's temporaries removed: $(ls -a kout)"
kill -KILL $bpid
wait $bpid
pkill -f 'sleep 30$' 2>/dev/null
set -e
[ "$(find kout -name '.k.s.tfr-*' | wc -l)" -eq 2 ] || fail "SIGKILL left no temporaries: $(ls -a kout)"
# a hidden file of the user's that looks alike, beside no output: kept
: > kout/.mine.tfr-abcdef.s
expect_status 0 "$T" -v -j 1 -u .s kin kout cat
grep -q "removed 2 temporaries left by a killed run" err.txt || fail "sweep: $(cat err.txt)"
[ -z "$(find kout -name '.k.s.tfr-*')" ] || fail "stale temporaries kept: $(ls -a kout)"
[ -f kout/.mine.tfr-abcdef.s ] || fail "a user's file removed"
cmp kout/k.s kin/k.wav || fail "the rerun's output"

# ---- a job that writes several files (tfr-image --page): each under its
# documented name, counted, stamped, the empty temporary gone (issue 22
# item 1) ----
mkdir pgin
"$G" -d 2.5 -o pgin/a.wav sine:440:0.5
P='tfr-image --page 1s -W 100 -E 60 -o "$TFR_OUTPUT"'
expect_status 0 "$T" -u .png pgin pgout "$P"
[ "$(cd pgout && ls -A | tr '\n' ' ')" = ".tfr-batch a-0001.png a-0002.png a-0003.png " ] ||
	fail "pages: $(ls -A pgout)"
grep -qx 'tfr-batch: 1 file: 1 made (3 output files), 0 up to date, 0 failed' err.txt ||
	fail "pages counted: $(cat err.txt)"
for k in 1 2 3; do
	[ "$(head -c 4 pgout/a-000$k.png | tail -c 3)" = PNG ] || fail "page $k is not a PNG"
done
expect_status 0 "$T" -u .png pgin pgout "$P"
grep -q '0 made, 1 up to date' err.txt || fail "pages not up to date: $(cat err.txt)"
# a page gone: the job is redone
rm pgout/a-0002.png
expect_status 0 "$T" -u .png pgin pgout "$P"
grep -q '1 made (3 output files)' err.txt && [ -f pgout/a-0002.png ] || fail "a lost page not remade: $(cat err.txt)"
# a shorter input: the page it no longer has is removed
"$G" -d 1.5 -o pgin/a.wav sine:440:0.5
expect_status 0 "$T" -u .png pgin pgout "$P"
[ "$(cd pgout && ls | tr '\n' ' ')" = "a-0001.png a-0002.png " ] || fail "old page kept: $(ls pgout)"
# a failing job after its pages: none of them left, the old ones kept
expect_status 1 "$T" --force -u .png pgin pgout "$P && exit 3"
[ "$(cd pgout && ls -A | tr '\n' ' ')" = ".tfr-batch a-0001.png a-0002.png " ] || fail "failure left: $(ls -A pgout)"

# ---- GNU parallel ----
expect_error 2 "tfr-batch: --sshlogin needs GNU parallel, which is not on PATH" \
	env PATH=/nonexistent "$T" --sshlogin : -u .n in pout 'wc -c'
mkdir fake
printf '#!/bin/sh\necho "parallel from elsewhere"\n' > fake/parallel
chmod +x fake/parallel
expect_error 2 "tfr-batch: --parallel needs GNU parallel; the parallel on PATH is another program (moreutils?)" \
	env PATH="$TFR_TMP/fake:$PATH" "$T" --parallel -u .n in pout 'wc -c'
[ ! -e pout ] || fail "no parallel: the output folder was made"
if command -v parallel > /dev/null 2>&1 && parallel --version 2>/dev/null | grep -q '^GNU parallel'; then
	# ':' is this machine: parallel runs the jobs, tfr-batch does the rest
	expect_status 1 "$T" --sshlogin : -j 2 -u .peaks bad pout "$pipe"
	grep -q '^tfr-batch: bad/deep/b.wav: tfr-reassign: stdin: ' err.txt || fail "parallel: the failure: $(cat err.txt)"
	[ "$(tail -n 1 err.txt)" = "tfr-batch: 3 files: 2 made, 0 up to date, 1 failed" ] || fail "parallel: $(cat err.txt)"
	for f in a.peaks c.peaks; do
		cmp -s bout/$f pout/$f || fail "parallel and local runs differ: $f"
	done
	[ ! -e pout/deep/b.peaks ] && [ -z "$(find pout -name '.*.tfr-*')" ] || fail "parallel: a failed job left files"
	expect_status 1 "$T" --parallel -u .peaks bad pout "$pipe"
	[ "$(tail -n 1 err.txt)" = "tfr-batch: 3 files: 0 made, 2 up to date, 1 failed" ] || fail "parallel rerun: $(cat err.txt)"
	# names with blanks and newlines, and the jobs' environment
	OUT=pin
	expect_status 0 "$T" --sshlogin 2/: -u n in pin "$env_cmd"
	(cd pin && find . -type f ! -name .tfr-batch | sort) > c.list
	cmp -s a.list c.list || fail "parallel: other outputs: $(cat c.list)"
	[ "$(cat "pin/sub/new${nl}line.n")" = "sub/new${nl}line.WAV|in/sub/new${nl}line.WAV|$(wc -c < in/one.wav)" ] ||
		fail "parallel: the name with a newline: $(cat "pin/sub/new${nl}line.n")"
	# a remote host: an "ssh" that runs the command here, in a home of
	# its own, so that parallel really copies the inputs there, the
	# outputs back (with rsync) and cleans up
	if command -v rsync > /dev/null 2>&1; then
		mkdir remote
		{
			echo '#!/bin/sh'
			echo 'while [ $# -gt 0 ] && [ "$1" != fakehost ]; do shift; done'
			echo 'shift; [ "${1:-}" = -- ] && shift'
			echo "cd '$TFR_TMP/remote' && HOME='$TFR_TMP/remote' exec sh -c \"\$*\""
		} > fakessh
		chmod +x fakessh
		expect_status 1 "$T" --sshlogin "$TFR_TMP/fakessh fakehost" -j 2 -u .peaks bad rout "$pipe"
		grep -q '^tfr-batch: bad/deep/b.wav: tfr-reassign: stdin: ' err.txt || fail "remote: the failure: $(cat err.txt)"
		[ "$(tail -n 1 err.txt)" = "tfr-batch: 3 files: 2 made, 0 up to date, 1 failed" ] || fail "remote: $(cat err.txt)"
		for f in a.peaks c.peaks; do
			cmp -s bout/$f rout/$f || fail "remote and local runs differ: $f"
		done
		# without SHELL (cron, env -i), as parallel needs one there
		expect_status 0 env -u SHELL "$T" --sshlogin "$TFR_TMP/fakessh fakehost" -u n in rin 'wc -c | cat'
		(cd rin && find . -type f ! -name .tfr-batch | sort) > d.list
		cmp -s a.list d.list || fail "remote: other outputs: $(cat d.list)"
		[ "$(cat "rin/sub/new${nl}line.n")" = "$(wc -c < in/one.wav)" ] || fail "remote: the name with a newline"
		[ -z "$(find remote -type f)" ] || fail "remote: files left there: $(find remote -type f)"
	else
		echo "skip: rsync is not installed (the remote-host case not run)"
	fi
else
	echo "skip: GNU parallel is not installed (its cases not run)"
fi

# ---- the Makefile example under make -j2: a tree of WAV, FLAC and AIFF
# (upper case too), long recordings paged ----
if command -v make > /dev/null 2>&1 && command -v sox > /dev/null 2>&1; then
	mkdir -p mk/sub/deeper
	"$G" -d 2.5 -o mk/one.wav sine:440:0.5 sine:1320:0.1
	"$G" -d 0.2 -o t.wav chirp:300:3000:0.4
	sox -V1 t.wav mk/sub/two.flac
	sox -V1 t.wav mk/sub/deeper/three.AIFF
	M="make -s -f $TFR_SRC/scripts/Makefile.example DIR=mk PAGE=1s"
	$M -j2 > make.out 2>&1 || fail "make: $(cat make.out)"
	for s in one sub/two sub/deeper/three; do
		for x in partials sdif png resynth.wav; do
			[ -s mk/$s.$x ] || fail "make: no mk/$s.$x"
		done
		[ -s mk/$s.pages/page-0001.png ] || fail "make: no mk/$s.pages/page-0001.png"
	done
	[ "$(ls mk/one.pages | tr '\n' ' ')" = "page-0001.png page-0002.png page-0003.png " ] ||
		fail "make: pages of 2.5 s by 1 s: $(ls mk/one.pages)"
	[ "$(head -c 4 mk/one.sdif)" = SDIF ] || fail "make: mk/one.sdif is not SDIF"
	# all as old as each other, one input touched: only its files remade
	find mk -exec touch -t 202001010000 {} +
	touch -t 202001010001 ref
	touch mk/sub/two.flac
	$M -j2 > make.out 2>&1 || fail "make again: $(cat make.out)"
	[ "$(find mk -newer ref | sort | tr '\n' ' ')" = "mk/sub mk/sub/two.flac mk/sub/two.pages mk/sub/two.pages/page-0001.png mk/sub/two.partials mk/sub/two.png mk/sub/two.resynth.wav mk/sub/two.sdif " ] ||
		fail "make remade: $(find mk -newer ref | sort | tr '\n' ' ')"
	$M -q || fail "make -q: not up to date after a run"
	$M clean
	[ "$(find mk -type f | sort | tr '\n' ' ')" = "mk/one.wav mk/sub/deeper/three.AIFF mk/sub/two.flac " ] ||
		fail "make clean left: $(find mk -type f)"
else
	echo "skip: make or sox is not installed (the Makefile example not run)"
fi
finish
