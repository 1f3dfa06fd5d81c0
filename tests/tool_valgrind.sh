# tool_valgrind.sh - every tool under valgrind memcheck on small inputs,
# on the paths that succeed and on some that fail: no invalid read or
# write, no use of an uninitialised value, no leak on success (label
# "valgrind", added with -DTFR_VALGRIND=ON; .ci/run runs it).
. "$TFR_TESTS/lib.sh"
B=$TFR_BIN
command -v valgrind > /dev/null || { echo "valgrind not installed"; exit 77; }
n=0
# vg STATUS CMD...: CMD under memcheck exits STATUS, valgrind finds nothing
vg() {
	want=$1
	shift
	n=$((n + 1))
	set +e
	valgrind -q --error-exitcode=99 --leak-check=full \
		--errors-for-leak-kinds=definite --show-leak-kinds=definite \
		--log-file=vg.txt "$@" > out.bin 2> err.txt
	got=$?
	set -e
	if [ "$got" -eq 99 ] || [ -s vg.txt ]; then
		fail "valgrind: $*: $(head -n 30 vg.txt)"
	elif [ "$got" -ne "$want" ]; then
		fail "$*: exited $got, expected $want: $(cat err.txt)"
	fi
}

"$TFR_GENSIG" -d 0.2 -o a.wav sine:440:0.5 noise:0.01:1 impulse:4000:0.5
"$TFR_GENSIG" -d 0.1 -c 2 -b 16 -o st.wav sine:440:0.5 chan:2 sine:880:0.3
head -c 20000 a.wav > trunc.wav
"$B/tfr-reassign" a.wav > a.points
"$B/tfr-peaks" a.points > a.peaks
"$B/tfr-track" a.peaks > a.partials
"$B/tfr-convert" -F rbep a.partials > a.sdif 2> /dev/null
"$B/tfr-convert" -F 1trc a.partials > b.sdif 2> /dev/null
"$B/tfr-convert" -F spear-partials a.partials > a.spear 2> /dev/null
"$B/tfr-convert" -F spear-frames a.partials > b.spear 2> /dev/null
head -n 40 a.points > cut.points
printf '1\t2\n' >> cut.points

vg 0 "$B/tfr-reassign" a.wav
vg 0 sh -c "cat st.wav | valgrind -q --error-exitcode=99 '$B/tfr-reassign' -c 2"
vg 1 "$B/tfr-reassign" trunc.wav
vg 0 "$B/tfr-hyper" -j 2 -q 1,4 -F npy -o - a.wav
vg 0 "$B/tfr-hyper" -j 1 --channels split -o h.png st.wav
vg 0 "$B/tfr-sdelay" -d '0:10ms,2k:50ms' -f 0.5 -T auto a.wav
vg 0 "$B/tfr-sdelay" -x 0.5 -f 0.3 -d 0.02 -L st.wav -o d.wav
vg 1 "$B/tfr-sdelay" trunc.wav
vg 0 "$B/tfr-peaks" a.points
vg 1 "$B/tfr-peaks" cut.points
vg 0 "$B/tfr-track" a.peaks
vg 0 "$B/tfr-resynth" a.partials -o r.wav
for f in a.partials a.sdif b.sdif a.spear b.spear; do
	vg 0 "$B/tfr-convert" -F tfr "$f"
done
vg 0 "$B/tfr-convert" -F 1trc a.partials
vg 0 "$B/tfr-convert" -F csv a.points
vg 0 "$B/tfr-image" -W 200 -E 100 -o i.png a.wav
vg 0 "$B/tfr-image" -W 200 -E 100 --log -o j.png a.partials
vg 0 "$B/tfr-image" -W 200 -E 100 -o k.png a.points
vg 0 "$B/tfr-hyper" -j 1 --page 0.1s -o p.png a.wav
# between analysis and resynthesis
"$B/tfr-label" --f0 440 a.partials > a.lab
"$B/tfr-f0" -o a.f0 a.wav
vg 0 "$B/tfr-f0" a.wav
vg 0 "$B/tfr-f0" a.partials
vg 0 "$B/tfr-label" --f0 a.f0 --sieve --distill a.partials
vg 0 "$B/tfr-label" --near 440 --inharmonicity auto a.partials
vg 0 "$B/tfr-select" --min-duration 10ms --rest rest.partials -o sel.partials a.lab
vg 1 "$B/tfr-select" --labels 1 a.partials
vg 0 "$B/tfr-warp" --stretch 1.5 --pitch 0:0,0.2:300 --formants a.lab
vg 0 "$B/tfr-morph" --morph 0:0,0.2:1 a.lab sel.partials
vg 0 "$B/tfr-resynth" --residual a.wav --stochastic a.noise -o res.wav a.partials
vg 0 "$B/tfr-resynth" -o noise.wav a.noise
vg 0 "$B/tfr-image" -W 200 -E 100 --overlay a.f0 -o o.png a.wav
vg 0 "$B/tfr-reassign" -o a.points.gz a.wav
vg 0 "$B/tfr-peaks" a.points.gz
mkdir -p bin
cp a.wav st.wav bin/
vg 0 "$B/tfr-batch" -u .n bin bout 'wc -c'
vg 1 "$B/tfr-batch" -u .n bin bout2 'false'
echo "$n runs under memcheck"
finish
