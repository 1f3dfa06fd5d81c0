# tool_hostile.sh - hostile and broken input for every tool, as one table:
# each case runs a tool on an input under a time limit and (where ulimit
# allows it) a memory limit, and states the exit status and the first
# line of the message it must give. None may crash, hang, allocate
# without bound, or exit 0 with output the next tool cannot read.
# (tool_edges.sh has the output side: full disks, closed pipes, killed
# runs, outputs that name the input.)
. "$TFR_TESTS/lib.sh"
B=$TFR_BIN
G=$TFR_GENSIG
TLIMIT=${TFR_HOSTILE_TIMEOUT:-30}
TIMES=${TFR_HOSTILE_TIMES:-}   # set: list the slowest cases
VLIMIT=2000000   # KB of address space: 2 GB
# ASan and valgrind reserve more address space than that: no limit then
# (and run several times slower: more time then)
( ulimit -v $VLIMIT && "$B/tfr-reassign" --version ) > /dev/null 2>&1 || {
	echo "note: no memory limit (ulimit -v does not work with these tools)"
	VLIMIT=
	TLIMIT=$((TLIMIT * 4))
}

# ---- input makers: mk_NAME writes the file NAME (once) ----

# little-endian integers as bytes
le16() { printf "\\$(printf %03o $(($1 & 255)))\\$(printf %03o $(($1 >> 8 & 255)))"; }
le32() { le16 $(($1 & 65535)); le16 $(($1 >> 16 & 65535)); }
# a canonical WAV header: wavhdr FORMAT(1 PCM, 3 float) RATE CHANNELS BITS DATABYTES
wavhdr() {
	printf 'RIFF'; le32 $((36 + $5)); printf 'WAVEfmt '; le32 16
	le16 $1; le16 $3; le32 $2; le32 $(($2 * $3 * $4 / 8)); le16 $(($3 * $4 / 8)); le16 $4
	printf 'data'; le32 $5
}
# n copies of a byte string: rep N STRING
rep() { i=0; while [ $i -lt $1 ]; do printf "$2"; i=$((i + 1)); done; }

# audio
mk_empty() { : > empty; }
mk_a_wav() { "$G" -d 0.2 -o a.wav sine:440:0.5 noise:0.01:1; }
mk_hdronly_wav() { wavhdr 1 44100 1 16 0 > hdronly.wav; }
mk_trunc_wav() { "$G" -d 1 -o t.wav sine:440:0.5 && head -c 30000 t.wav > trunc.wav; }
mk_cut1_wav() { { wavhdr 1 44100 1 16 2000; printf '\001'; } > cut1.wav; }
# a header saying "unknown size" (0xFFFFFFFF), data cut inside a sample
mk_cutff_wav() { { wavhdr 1 44100 1 16 4294967295; rep 100 '\001\000'; printf '\003'; } > cutff.wav; }
mk_rate0_wav() { { wavhdr 1 0 1 16 8; rep 4 '\001\000'; } > rate0.wav; }
mk_rate1_wav() { "$G" -r 1 -d 3000 -b 16 -o rate1.wav sine:0.1:0.5; }
mk_ratemax_wav() { { wavhdr 1 10000000 1 16 8000; rep 4000 '\000\040'; } > ratemax.wav; }
mk_rate10M1_wav() { { wavhdr 1 10000001 1 16 8; rep 4 '\001\000'; } > rate10M1.wav; }
mk_rateffff_wav() { { wavhdr 1 4294967295 1 16 8; rep 4 '\001\000'; } > rateffff.wav; }
mk_ch0_wav() { { wavhdr 1 44100 0 16 8; rep 4 '\001\000'; } > ch0.wav; }
mk_ch2_wav() { "$G" -d 0.1 -c 2 -o ch2.wav sine:440:0.5 chan:2 sine:880:0.3; }
mk_ch8_wav() { "$G" -d 0.1 -c 8 -b 16 -o ch8.wav sine:440:0.5; }
mk_ch64_wav() { "$G" -d 0.05 -c 64 -b 16 -o ch64.wav sine:440:0.5; }
# 2 KB of 1024 channels (it took 0.9 GB and 89 s in tfr-hyper)
mk_ch1024_wav() { "$G" -r 8000 -d 0.0002 -c 1024 -b 16 -o ch1024.wav sine:440:0.5; }
mk_ch1025_wav() { { wavhdr 1 8000 1025 16 2050; rep 1025 '\001\000'; } > ch1025.wav; }
mk_nan_wav() { { wavhdr 3 44100 1 32 12; printf '\000\000\200\076\000\000\300\177\000\000\200\076'; } > nan.wav; }
mk_inf_wav() { { wavhdr 3 44100 1 32 12; printf '\000\000\200\076\000\000\200\076\000\000\200\377'; } > inf.wav; }
mk_huge_wav() { "$G" -d 1 -b float -o huge.wav sine:440:1e20; }
# the largest magnitude taken (+120 dBFS), and subnormal samples
mk_max_wav() { "$G" -d 0.1 -b float -o max.wav sine:440:1048576; }
mk_denormal_wav() { { wavhdr 3 44100 1 32 32000; rep 4000 '\001\000\000\000\377\377\177\200'; } > denormal.wav; }
mk_silence_wav() { "$G" -d 0.3 -b 16 -o silence.wav; }
mk_square_wav() { { wavhdr 1 44100 1 16 17640; rep 441 '\377\177\377\177\377\177\377\177\377\177\377\177\377\177\377\177\377\177\377\177\000\200\000\200\000\200\000\200\000\200\000\200\000\200\000\200\000\200\000\200'; } > square.wav; }
mk_1sample_wav() { { wavhdr 1 44100 1 16 2; printf '\000\100'; } > 1sample.wav; }
mk_text_wav() { echo "this is not audio" > text.wav; }
# 26 bytes that look like one MPEG frame: libmpg123 (under libsndfile)
# printed "[src/libmpg123/parse.c:do_readahead():1140] warning: ..."
# before the tool's own line
mk_mpeg26_mp3() { { printf '\377\373\220\144'; rep 22 '\000'; } > mpeg26.mp3; }
mk_s001_wav() { "$G" -d 0.01 -o s001.wav sine:440:0.5; }
mk_s01_wav() { "$G" -d 0.1 -o s01.wav sine:440:0.5; }
# FLAC needs sox: its cases are left out without it
HAVE_SOX=$(command -v sox > /dev/null && echo 1 || true)
mk_a_flac() { mk_a_wav; sox a.wav -b 16 a.flac; }

# streams: a short real analysis, then edits of it
analysis() {
	[ -f a.points ] && return 0
	mk_a_wav
	"$B/tfr-reassign" -t -40 a.wav > a.points
	"$B/tfr-peaks" a.points > a.peaks
	"$B/tfr-track" a.peaks > a.partials
}
mk_a_points() { analysis; }
mk_a_peaks() { analysis; }
mk_a_partials() { analysis; }
# edit KIND OUT AWK: the first record of stream a.KIND changed by AWK
edit() {
	analysis
	awk -F '\t' -v OFS='\t' "/^#/ { print; next } !done { $3; done = 1 } { print }" "a.$1" > "$2"
}
for k in points peaks partials; do
	eval "mk_nan_$k() { edit $k nan.$k '\$4 = \"nan\"'; }"
	eval "mk_inf_$k() { edit $k inf.$k '\$4 = \"inf\"'; }"
	eval "mk_ninf_$k() { edit $k ninf.$k '\$4 = \"-inf\"'; }"
	eval "mk_e308_$k() { edit $k e308.$k '\$4 = \"1e308\"'; }"
	eval "mk_flt_$k() { edit $k flt.$k '\$4 = \"3.4028236e38\"'; }"
	eval "mk_missing_$k() { edit $k missing.$k 'NF = NF - 1'; }"
	eval "mk_extra_$k() { edit $k extra.$k '\$(NF + 1) = 0'; }"
	eval "mk_comma_$k() { edit $k comma.$k '\$3 = \"0,25\"'; }"
	eval "mk_empty_field_$k() { edit $k empty-field.$k '\$3 = \"\"'; }"
	eval "mk_crlf_$k() { analysis; sed 's/\$/\r/' a.$k > crlf.$k; }"
	eval "mk_v2_$k() { analysis; sed '1s/ 1\$/ 2/' a.$k > v2.$k; }"
	eval "mk_v0_$k() { analysis; sed '1s/ 1\$/ 0/' a.$k > v0.$k; }"
	eval "mk_nocolumns_$k() { analysis; grep -v '^# columns=' a.$k > nocolumns.$k; }"
	eval "mk_norate_$k() { analysis; grep -v '^# sample_rate=' a.$k > norate.$k; }"
	eval "mk_rate0_$k() { analysis; sed 's/^# sample_rate=.*/# sample_rate=0/' a.$k > rate0.$k; }"
	eval "mk_nul_$k() { analysis; { head -n 20 a.$k; printf '1\t\000\n'; } > nul.$k; }"
	eval "mk_bom_$k() { analysis; { printf '\357\273\277'; cat a.$k; } > bom.$k; }"
	eval "mk_headeronly_$k() { analysis; grep '^#' a.$k > headeronly.$k; }"
	# a line of 1 MB: refused at 64 KB, not read whole
	eval "mk_longline_$k() { analysis; { awk '!/^#/ { exit } { print }' a.$k; head -c 1048576 /dev/zero | tr '\\000' 1; echo; } > longline.$k; }"
done
mk_negtime_partials() { edit partials negtime.partials '$2 = -1'; }
mk_negtime_points() { edit points negtime.points '$3 = -1e9'; }
mk_bigtime_points() { edit points bigtime.points '$3 = 1e9 + 1'; }
mk_negfreq_peaks() { edit peaks negfreq.peaks '$3 = -1'; }
mk_bw2_partials() { edit partials bw2.partials '$6 = 2'; }
mk_phase_partials() { analysis; awk -F '\t' -v OFS='\t' '/^#/ { print; next } { $5 = 1e30; print }' a.partials > phase.partials; }
mk_ampmax_points() {
	analysis
	awk -F '\t' -v OFS='\t' '/^#/ { print; next }
		{ print 0, 1, 0, 100, 3.4e38, 0, 0; exit }' a.points > ampmax.points
}
mk_bigframe_peaks() {
	analysis
	awk -F '\t' -v OFS='\t' '/^#/ { print; next }
		{ print; $1 = 9000000000000000; print; exit }' a.peaks > bigframe.peaks
}
# a peak whose time is 18 hours from its frame's (fuzzing: the phase
# fit over that gap gave a NaN frequency, written with exit 0)
mk_fartime_peaks() {
	printf '#tfr peaks 1\n# sample_rate=8\n# hop=6\n# columns=frame\ttime\tfreq\tamp\tphase\tbandwidth\tmixed\timpulse\n0\t5\t1308.85\t0.\t-2\t0\t7\t0\n1\t66637\t1293\t0\t.998\t.3\t3\t0\n' > fartime.peaks
}
mk_frac_points() { edit points frac.points '$1 = 0.5'; }
# order: the first record twice, the second going back in column C
# from 5 to 4 (unsorted KIND C OUT)
unsorted() {
	analysis
	awk -F '\t' -v OFS='\t' -v c=$2 '/^#/ { print; next }
		{ $c = 5; print; $c = 4; print; exit }' a.$1 > $3
}
mk_unsorted_points() { unsorted points 1 unsorted.points; }
mk_unsorted_peaks() { unsorted peaks 1 unsorted.peaks; }
mk_unsorted_partials() { unsorted partials 2 unsorted.partials; }
# the first partial ended, then its id again (tfr(5): ids are never
# reused; tfr-resynth sounded it as a new partial)
mk_reuse_partials() {
	analysis
	awk -F '\t' -v OFS='\t' '/^#/ { print; next }
		{ $7 = 1; print; $2 += 0.01; $7 = 0; print; exit }' a.partials > reuse.partials
}
# two peaks of one frame out of frequency order
mk_freqorder_peaks() {
	analysis
	awk -F '\t' -v OFS='\t' '/^#/ { print; next }
		{ $3 = 2000; print; $3 = 1000; print; exit }' a.peaks > freqorder.peaks
}
# three points of one frame, the third's bin below the second's: the
# message points at the third
mk_binorder_points() {
	analysis
	awk -F '\t' -v OFS='\t' '/^#/ { print; next }
		{ $2 = 5; print; $2 = 9; print; $2 = 7; print; exit }' a.points > binorder.points
}
# header numbers the tools need, out of range
mk_hugewin_points() { analysis; sed 's/^# window_length=.*/# window_length=16777216/' a.points > hugewin.points; }
mk_badwin_points() { analysis; sed 's/^# window=.*/# window=triangle/' a.points > badwin.points; }
mk_hop0_peaks() { analysis; sed 's/^# hop=.*/# hop=0/' a.peaks > hop0.peaks; }
mk_hugerate_partials() { analysis; sed 's/^# sample_rate=.*/# sample_rate=10000000/' a.partials > hugerate.partials; }
mk_unknown_kind() { printf '#tfr mystery 7\n# sample_rate=8000\n# columns=a\tb\n1\t2\n' > unknown.kind; }
mk_notfr_txt() { printf 'frame\tbin\n0\t1\n' > notfr.txt; }
# partial files for tfr-convert
# two partials of three breakpoints, the files made of them
mk_p2_partials() {
	printf '#tfr partials 1\n# sample_rate=44100\n# columns=%s\n' \
		"$(printf 'partial\ttime\tfreq\tamp\tphase\tbandwidth\tend')" > p2.partials
	printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\n' \
		0 0.1 440 0.5 0 0 0  1 0.1 880 0.25 1 0.5 0  0 0.2 441 0.5 2 0 0 \
		1 0.2 881 0.25 3 0.5 1  0 0.3 442 0.5 -3 0 1 >> p2.partials
}
mk_a_sdif() { mk_p2_partials; "$B/tfr-convert" -F rbep p2.partials > a.sdif 2>/dev/null; }
mk_cut_sdif() { mk_a_sdif; head -c $(($(wc -c < a.sdif) - 5)) a.sdif > cut.sdif; }
mk_a_spear() { mk_p2_partials; "$B/tfr-convert" -F spear-partials p2.partials > a.spear 2>/dev/null; }
mk_comma_spear() { mk_a_spear; sed '6s/\./,/g' a.spear > comma.spear; }
mk_count_spear() { mk_a_spear; sed 's/^partials-count .*/partials-count 99999999999/' a.spear > count.spear; }
mk_crlf_map() { printf '0 10ms\r\n1000 20ms\r\n' > crlf.map; }
mk_back_map() { printf '1 0 0.1\n0.5 0 0.2\n' > back.map; }
mk_mixed_map() { printf '0 0.1\n100 0.2 0.3\n' > mixed.map; }

make_input() {
	[ "$1" = - ] || [ -e "$1" ] || "mk_$(printf '%s' "$1" | tr '.-' '__')" ||
		fail "could not make input $1"
}

# ---- running a case ----

# limited CMD...: under the time and memory limits
limited() {
	(
		[ -z "$VLIMIT" ] || ulimit -v $VLIMIT
		exec timeout -k 5 "$TLIMIT" "$@"
	)
}

# A tool's command: tfr-hyper writes an .npy on stdout unless told.
tool_cmd() {
	t=$1
	shift
	case "$t $*" in
	"tfr-hyper "*" -o "*) echo "$B/$t $*" ;;
	tfr-hyper*) echo "$B/$t -F npy -o - $*" ;;
	*) echo "$B/$t $*" ;;
	esac
}

# What a tool wrote, when it exits 0, must be what the next tool reads:
# check_output TOOL OPTIONS says what is wrong with out.bin, if anything.
check_output() {
	case $1 in
	tfr-sdelay | tfr-resynth)
		# a WAV of finite samples (or none)
		[ -s out.bin ] || { echo "no output"; return; }
		"$B/tfr-reassign" -t -inf out.bin > /dev/null 2> check.txt ||
			grep -q 'no audio samples' check.txt ||
			echo "output unreadable: $(cat check.txt)" ;;
	tfr-hyper)
		[ "$(head -c 6 out.bin | tail -c 5)" = NUMPY ] || echo "not an .npy file" ;;
	tfr-image)
		[ "$(head -c 4 out.bin | tail -c 3)" = PNG ] || echo "not a PNG" ;;
	tfr-convert)
		case " $2 " in
		*" -F "*) ;;
		*) "$B/tfr-convert" -F csv out.bin > check.txt 2>&1 ||
			echo "output unreadable: $(head -n 1 check.txt)" ;;
		esac ;;
	*)
		# a tfr stream of finite numbers
		if ! "$B/tfr-convert" -F csv out.bin > check.txt 2>&1; then
			echo "output unreadable: $(head -n 1 check.txt)"
		elif grep -qi 'nan\|inf' check.txt; then
			echo "non-finite numbers in the output"
		fi ;;
	esac
}

# trim VAR: strip the blanks around the value of VAR (without a process)
trim() {
	eval "_v=\$$1"
	_v=${_v#"${_v%%[![:space:]]*}"}
	_v=${_v%"${_v##*[![:space:]]}"}
	case $_v in *'{bar}'*) _v=$(printf '%s' "$_v" | sed 's/{bar}/|/g') ;; esac
	eval "$1=\$_v"
}

ncases=0
nknown=0
# run_case KNOWN TOOL INPUT HOW OPTIONS STATUS MESSAGE
run_case() {
	known=$1 t=$2 in=$3 how=$4 opts=$5 want=$6 msg=$7
	[ "$opts" = - ] && opts=
	make_input "$in"
	cmd=$(tool_cmd "$t" "$opts")
	case $how in
	file) label=$in; desc="$t $opts $in" ;;
	pipe) label=stdin; desc="cat $in | $t $opts" ;;
	none) label=; desc="$t $opts" ;;
	redirect) label=stdin; desc="$t $opts < $in" ;;
	esac
	[ -z "$TIMES" ] || t0=$(date +%s%N)
	set +e
	case $how in
	file) limited $cmd "$in" > out.bin 2> err.txt ;;
	pipe) cat "$in" | limited $cmd > out.bin 2> err.txt ;;
	none) limited $cmd > out.bin 2> err.txt ;;
	redirect) limited $cmd < "$in" > out.bin 2> err.txt ;;
	esac
	got=$?
	set -e
	[ -z "$TIMES" ] || echo "$((($(date +%s%N) - t0) / 1000000)) ms: $desc" >> times.txt
	ncases=$((ncases + 1))
	# the expected message: "@" stands for the input's label
	full=
	if [ "$msg" != - ]; then
		full="$t: ${msg%%@*}"
		case $msg in *@*) full="$full$label${msg#*@}" ;; esac
	fi
	first=$(head -n 1 err.txt)
	bad=
	[ "$got" -eq "$want" ] || bad="exited $got, expected $want"
	[ -z "$bad" ] && [ "$first" != "$full" ] && bad="stderr '$first', expected '$full'"
	# one line (usage errors: and the --help hint)
	lines=$(wc -l < err.txt)
	[ -z "$bad" ] && [ "$lines" -gt $([ "$want" = 2 ] && echo 2 || echo 1) ] &&
		bad="$lines lines on stderr: $(cat err.txt)"
	if [ -z "$bad" ] && [ "$want" -eq 0 ]; then
		bad=$(check_output "$t" "$opts")
	fi
	if [ "$known" = known ]; then
		nknown=$((nknown + 1))
		if [ -z "$bad" ]; then
			echo "KNOWN case passes now (flip it): $desc"
		else
			echo "known failure: $desc: $bad"
		fi
	elif [ -n "$bad" ]; then
		fail "$desc: $bad"
	fi
}

# The table: one case per line, fields separated by '|':
#   TOOL | INPUT | HOW | OPTIONS | STATUS | MESSAGE
# INPUT is made by mk_INPUT ("-": none); HOW is file (the input is the
# last operand), pipe (cat INPUT | TOOL), redirect (TOOL < INPUT) or
# none; OPTIONS "-" for none;
# STATUS the exit status; MESSAGE the first line of stderr after "TOOL: "
# ("@" for the input's name or "stdin", "{bar}" for '|', "-" for no
# message), the only line but for a usage error's --help hint. A case
# that exits 0 must also have written what the next tool reads
# (check_output). A line starting with "known" is a bug not fixed yet
# (# KNOWN: see report): it runs and says how it fails, but does not fail
# the test.
table() {
	while IFS='|' read -r c1 c2 c3 c4 c5 c6 c7 c8; do
		trim c1
		case $c1 in '' | '#'*) continue ;; esac
		for v in c2 c3 c4 c5 c6 c7; do trim $v; done
		if [ "$c1" = known ]; then
			run_case known "$c2" "$c3" "$c4" "$c5" "$c6" "$c7"
		else
			[ -z "$c7$c8" ] || fail "bad table line: $c1|$c2|$c3|$c4|$c5|$c6|$c7..."
			run_case - "$c1" "$c2" "$c3" "$c4" "$c5" "$c6"
		fi
	done
}

TRUNC='truncated: the input ends before the audio its header announces'
NOSAMPLES='no audio samples in the input'
BADHDR="the header's sample rate or channel count is not valid"

# ---- audio tools: each case for tfr-reassign, tfr-hyper, tfr-sdelay ----
# (tfr-hyper with few scan lines: a block of 65536 samples is its least
# work, whatever the input's length)
for t in tfr-reassign tfr-hyper tfr-sdelay; do
O=-
[ $t = tfr-hyper ] && O="-N 12 -O 1 -j 1"
table <<EOF
$t | empty        | file | $O | 1 | @: empty input (no audio file)
$t | empty        | pipe | $O | 1 | @: empty input (no audio file)
$t | text.wav     | file | $O | 1 | @: Format not recognised.
# nothing at all, from a device as from a pipe
$t | /dev/null    | redirect | $O | 1 | @: empty input (no audio file)
$t | /dev/null    | file | $O | 1 | @: empty input (no audio file)
# libmpg123's own warning kept off stderr; what failed said plainly
$t | mpeg26.mp3   | file | $O | 1 | @: the audio cannot be decoded (a damaged or too short stream?)
$t | mpeg26.mp3   | pipe | $O | 1 | @: the audio cannot be decoded (a damaged or too short stream?)
$t | hdronly.wav  | file | $O | 1 | @: $NOSAMPLES
$t | hdronly.wav  | pipe | $O | 1 | @: $NOSAMPLES
$t | trunc.wav    | file | $O | 1 | @: $TRUNC
$t | trunc.wav    | pipe | $O | 1 | @: $TRUNC
$t | cut1.wav     | file | $O | 1 | @: $TRUNC
$t | cut1.wav     | pipe | $O | 1 | @: $TRUNC
# (a file whose header says "unknown size" exited 0 here)
$t | cutff.wav    | file | $O | 1 | @: $TRUNC
$t | cutff.wav    | pipe | $O | 1 | @: $TRUNC
$t | rate0.wav    | file | $O | 1 | @: $BADHDR
$t | rate0.wav    | pipe | $O | 1 | @: $BADHDR
$t | rateffff.wav | file | $O | 1 | @: $BADHDR
$t | rate10M1.wav | file | $O | 1 | @: sample rate 10000001 Hz (at most 10000000)
$t | rate10M1.wav | pipe | $O | 1 | @: sample rate 10000001 Hz (at most 10000000)
$t | ch0.wav      | file | $O | 1 | @: Channel count is zero.
$t | ch1025.wav   | file | $O | 1 | @: Too many channels specified.
$t | ch1025.wav   | pipe | $O | 1 | @: Too many channels specified.
$t | nan.wav      | file | $O | 1 | @: sample 1 is not a number
$t | nan.wav      | pipe | $O | 1 | @: sample 1 is not a number
$t | inf.wav      | file | $O | 1 | @: sample 2 is -inf, beyond +-1.04858e+06 (+120 dBFS)
$t | huge.wav     | file | $O | 1 | @: sample 0 is 1e+20, beyond +-1.04858e+06 (+120 dBFS)
$t | huge.wav     | pipe | $O | 1 | @: sample 0 is 1e+20, beyond +-1.04858e+06 (+120 dBFS)
$t | max.wav      | file | $O | 0 | -
$t | denormal.wav | file | $O | 0 | -
$t | silence.wav  | file | $O | 0 | -
$t | silence.wav  | pipe | $O | 0 | -
$t | square.wav   | file | $O | 0 | -
$t | 1sample.wav  | file | $O | 0 | -
$t | 1sample.wav  | pipe | $O | 0 | -
$t | ch2.wav      | pipe | $O | 0 | -
$t | ch8.wav      | file | $O | 0 | -
$t | ch8.wav      | pipe | $O | 0 | -
$t | ratemax.wav  | file | $O | 0 | -
# a tfr stream where audio belongs: said, with what the tool reads
$t | a.points     | file | $O | 1 | @ is a tfr points stream, not audio; $t reads audio (WAV, FLAC, AIFF, Ogg, ...)
$t | a.partials   | pipe | $O | 1 | @ is a tfr partials stream, not audio; $t reads audio (WAV, FLAC, AIFF, Ogg, ...)
$t | unknown.kind | pipe | $O | 1 | @ is a tfr mystery stream, not audio; $t reads audio (WAV, FLAC, AIFF, Ogg, ...)
EOF
done
table <<EOF
# 1 Hz and 10 MHz: the defaults in samples (reassign, sdelay) or as
# fractions of the rate (hyper) still apply
tfr-reassign | rate1.wav    | file | -              | 0 | -
tfr-sdelay   | rate1.wav    | file | -              | 0 | -
tfr-hyper    | rate1.wav    | file | -              | 0 | -
tfr-reassign | ch1024.wav   | file | -              | 0 | -
tfr-sdelay   | ch1024.wav   | file | -              | 0 | -
tfr-hyper    | ch1024.wav   | file | -              | 2 | 1444 scan lines x 1024 channels: at most 131072 (fewer channels, bins per octave, scan lines per bin, or a narrower band)
tfr-hyper    | ch64.wav     | file | -N 12 -O 1     | 0 | -
tfr-reassign | ch64.wav     | pipe | -              | 0 | -
tfr-sdelay   | ch64.wav     | pipe | -              | 0 | -
tfr-hyper    | ch64.wav     | file | --channels split -j 2 | 2 | the analysis would take 2336 MB before any input, more than 1024 MB (fewer q, threads or channels, a longer time bin)
tfr-hyper    | ch64.wav     | file | --channels split -j 1 -q 1,2 | 2 | 128 histograms (2 q x 64 channels split): at most 64
EOF

# ---- options at and beyond their limits ----
mk_crlf_map
mk_back_map
mk_mixed_map
table <<EOF
tfr-reassign | s01.wav | file | -l 1                  | 2 | --window-length: 1 samples is too short (at least 2)
tfr-reassign | s01.wav | file | -l 2                  | 0 | -
tfr-reassign | s01.wav | file | -l 4194304            | 0 | -
tfr-reassign | s01.wav | file | -l 16777216           | 2 | --window-length: 16777216 samples is too long (at most 4194304)
tfr-reassign | s01.wav | file | -H 0                  | 2 | --hop: 0 samples is too short (at least 1)
tfr-reassign | s01.wav | file | -n 4194306            | 2 | --fft-size: 4194306 is out of range [2, 4194304]
tfr-reassign | s01.wav | file | -n 100 -l 200         | 2 | --fft-size: 100 is smaller than the window (200 samples)
tfr-reassign | s01.wav | file | -c 2                  | 2 | --channel: 2, but s01.wav has 1 channel(s)
tfr-reassign | s01.wav | file | -t nan                | 2 | --threshold: 'nan' is not a level in dB
tfr-hyper    | s01.wav | file | -q 1,2,3,4,5,6,7,8,9  | 2 | --q: more than 8 values
tfr-hyper    | s01.wav | file | -q 1000               | 2 | q/minf too large: the longest wavelet exceeds 2^22 samples
tfr-hyper    | s01.wav | file | -q 0.001 -y 1k -N 6   | 0 | -
tfr-hyper    | s01.wav | file | -i 0                  | 2 | --tdeci: 0 samples is too short (at least 1)
tfr-hyper    | s01.wav | file | -i 1 -N 12 -O 1 -j 1  | 0 | -
# 0.1 s took 4.8 GB this way
tfr-hyper    | s01.wav | file | -i 1 -j 2 -q 0.5,1,2,3,4,5,6,8 | 2 | the analysis would take 4803 MB before any input, more than 1024 MB (fewer q, threads or channels, a longer time bin)
tfr-hyper    | s01.wav | file | -N 100000             | 2 | too many scan lines (noct * over * octaves > 1e6)
tfr-hyper    | s01.wav | file | -O 1000               | 2 | 361000 scan lines x 1 channels: at most 131072 (fewer channels, bins per octave, scan lines per bin, or a narrower band)
tfr-hyper    | s01.wav | file | -y 0                  | 2 | --min-freq: 0 Hz must be above 0
tfr-hyper    | s01.wav | file | -Y 30000              | 0 | --max-freq: 30000 Hz is above the Nyquist frequency; 22050 Hz taken
# issue 22 item 11: values that cannot make sense are taken with a word
tfr-image    | s01.wav | file | -Y 30k                | 0 | --max-freq: 30000 Hz is above the Nyquist frequency; 22050 Hz taken
tfr-image    | s01.wav | file | -Y 8                  | 0 | --max-freq: 8 Hz taken (a ceiling under 20 Hz; kHz is '8k')
tfr-hyper    | s01.wav | file | -j 257                | 2 | --jobs: 257 is out of range [1, 256]
# 10 ms took a minute at -n 65536 -H 1
tfr-sdelay   | s001.wav | file | -n 65536 -H 1        | 2 | hop 1 is too small for FFT size 65536: at least 128 (channels x FFT size x FFT size / hop is at most 2^25)
tfr-sdelay   | s001.wav | file | -n 65536 -H 128      | 0 | -
tfr-sdelay   | s001.wav | file | -n 2048 -H 1         | 0 | -
tfr-sdelay   | s001.wav | file | -n 4194304 -H 2097152 | 0 | -
tfr-sdelay   | s001.wav | file | -n 4194306           | 2 | --fft-size: 4194306 is out of range [2, 4194304]
tfr-sdelay   | s001.wav | file | -n 2 -H 1            | 0 | -
tfr-sdelay   | s001.wav | file | -n 2048 -H 2049      | 2 | --hop: 2049 samples is larger than the FFT size 2048
tfr-sdelay   | s001.wav | file | -H 0                 | 2 | --hop: 0 samples is too short (at least 1)
tfr-sdelay   | s001.wav | file | -d 60                | 0 | -
tfr-sdelay   | s001.wav | file | -d 60.5              | 2 | delay map '60.5': column 1: delay 60.5 above the maximum of 60 s
tfr-sdelay   | s001.wav | file | -d 60 -H 1           | 2 | the delay lines would take 20692 MB, more than 1024 MB: give a shorter delay, a larger hop or a smaller FFT size
tfr-sdelay   | ch8.wav  | file | -d 60 -H 64          | 2 | the delay lines would take 2587 MB, more than 1024 MB: give a shorter delay, a larger hop or a smaller FFT size
tfr-sdelay   | s001.wav | file | -D -d 1e9            | 2 | delay map '1e9': column 1: delay 1e+09 frames (1.161e+07 s) above the maximum of 5167 frames (60 s at a hop of 512 samples)
tfr-sdelay   | s001.wav | file | -D -d 5169           | 2 | delay map '5169': column 1: delay 5169 frames (60.012 s) above the maximum of 5167 frames (60 s at a hop of 512 samples)
tfr-sdelay   | s001.wav | file | -D -d 5167           | 0 | -
# an FFT size no hop allows with 64 channels (it asked for a hop larger
# than the FFT)
tfr-sdelay   | ch64.wav | file | -n 1048576           | 2 | FFT size 1048576 is too large for 64 channels: at most 524288 (channels x FFT size x FFT size / hop is at most 2^25, the hop at most the FFT size)
tfr-sdelay   | s001.wav | file | -f 1                 | 2 | feedback map '1': column 1: feedback 1 out of range ({bar}fb{bar} < 1)
tfr-sdelay   | s001.wav | file | -g 61                | 2 | gain map '61': column 1: gain 61 above the maximum (60 dB)
tfr-sdelay   | s001.wav | file | -T 601               | 2 | tail out of range [0, 600] s
tfr-sdelay   | s001.wav | file | -s 61                | 2 | smoothing time out of range [0, 60] s
tfr-sdelay   | s001.wav | file | -f 0.99 -d 0.01 -T auto | 0 | -
# map files and text: CRLF, times going back, a decimal comma, NaN
tfr-sdelay   | s001.wav | file | -d @crlf.map          | 0 | -
tfr-sdelay   | s001.wav | file | -d @back.map          | 1 | back.map:2:1: delay map: time 0.5 after 1: times must not decrease
tfr-sdelay   | s001.wav | file | -d @mixed.map         | 1 | mixed.map:2:1: delay map: 3 columns after lines of 2
tfr-sdelay   | s001.wav | file | -d 0:0,5              | 2 | delay map '0:0,5': column 6: expected ':' after the frequency
tfr-sdelay   | s001.wav | file | -d 0:nan              | 2 | delay map '0:nan': column 3: 'nan' is not a time (seconds, or with ms or s)
tfr-sdelay   | s001.wav | file | -d 0:10ms,1e308:0.1   | 0 | -
# map files that never end, or are no text
tfr-sdelay   | s001.wav | file | -d /dev/zero         | 1 | /dev/zero:1:1: delay map: a NUL byte: not a text file
tfr-sdelay   | s001.wav | file | -d @s01.wav          | 1 | s01.wav:1:1: delay map: a NUL byte: not a text file
tfr-sdelay   | s001.wav | file | -d /nonexistent      | 1 | /nonexistent: No such file or directory
tfr-sdelay   | s001.wav | file | -d @zero.map         | 1 | zero.map: No such file or directory
EOF
# ---- outputs with a ceiling, FFT sizes, options named as typed ----
mk_l3_wav() { "$G" -r 8000 -d 3 -b 16 -o l3.wav sine:440:0.5; }
SLOW="which makes the FFT slow"
NEXT="(the next size of factors 2, 3 and 5)"
KAISER="kaiser takes a beta in [0, 50] or a side-lobe level in [0, 395] dB (kaiser:90dB)"
GAUSS="gaussian takes a sigma in samples, a finite number of at least 0.5"
PAGES="at most 10000 (a longer --page, or a shorter --duration)"
table <<EOF
# a size of a large prime factor: the next 2-3-5 size, said (-n 8006
# took 16.6 s on 0.5 s, -n 1048578 more than 6 minutes)
tfr-reassign | s01.wav  | file | -l 2000 -n 8006      | 0 | --fft-size: 8006 has the prime factor 4003, $SLOW: using 8100 $NEXT
tfr-image    | s01.wav  | file | -l 2000 -n 8006      | 0 | --fft-size: 8006 has the prime factor 4003, $SLOW: using 8100 $NEXT
tfr-sdelay   | s001.wav | file | -n 1048578           | 0 | --fft-size: 1048578 has the prime factor 174763, $SLOW: using 1049760 $NEXT
tfr-reassign | s01.wav  | file | -n 8007              | 2 | --fft-size: 8007 is odd (the real FFT needs an even size)
# at most 4096 cells a sample of input (-n 65536 -H 1 wrote 1 GB of
# points for 10 ms; -n 4194304 -H 1 ran for minutes)
tfr-reassign | s001.wav | file | -n 65536 -H 1        | 2 | --hop: 1 samples is too small for FFT size 65536: at least 8 (FFT size / 2 / hop is at most 4096)
tfr-image    | s001.wav | file | -n 4194304 -H 1      | 2 | --hop: 1 samples is too small for FFT size 4194304: at least 512 (FFT size / 2 / hop is at most 4096)
tfr-reassign | s001.wav | file | -n 8192 -H 1 -t -20  | 0 | -
# a window's parameter out of range: a usage error naming --window and
# the range (it was "the window cannot be made", exit 1)
tfr-reassign | s01.wav  | file | -w gaussian:1e-200   | 2 | --window: 'gaussian:1e-200': $GAUSS
tfr-reassign | s01.wav  | file | -w kaiser:400dB      | 2 | --window: 'kaiser:400dB': $KAISER
tfr-reassign | s01.wav  | file | -w kaiser:395dB      | 0 | -
tfr-reassign | s01.wav  | file | -w gaussian:0.5      | 0 | -
tfr-image    | s01.wav  | file | -w gaussian:1e-3     | 2 | --window: 'gaussian:1e-3': $GAUSS
tfr-sdelay   | s001.wav | file | -w kaiser:51         | 2 | --window: 'kaiser:51': $KAISER
tfr-reassign | s01.wav  | file | -w hann:3            | 2 | --window: 'hann:3': hann takes no parameter
# the option typed, not the library's parameter (fade_db, min_duration)
tfr-peaks    | a.points | file | --fade -1            | 2 | --fade: -1 is below 0 dB (a fade of 0 dB or more above the floor)
tfr-track    | a.peaks  | file | --min-duration 1e300 | 2 | --min-duration: 1e+300 s is more than 10^6 frames (4535.15 s at this stream's hop)
# a WAV without samples into tfr-image: no --start blamed
tfr-image    | hdronly.wav | file     | -            | 1 | @: $NOSAMPLES
tfr-image    | hdronly.wav | pipe     | -            | 1 | @: $NOSAMPLES
tfr-image    | /dev/null   | redirect | -            | 1 | @: empty input
tfr-image    | mpeg26.mp3  | pipe     | -            | 1 | @: the audio cannot be decoded (a damaged or too short stream?)
# pages: at most 10000 a run, refused before any is written (0.5 s at
# --page 1e-6 headed for 500000)
tfr-image    | s01.wav  | file | --page 1e-6 -o p.png | 2 | --page: 1e-06 s makes 100000 pictures of this input: $PAGES
# (a pipe whose WAV header gives its length: as the file)
tfr-image    | s01.wav  | pipe | --page 1e-6 -o p.png | 2 | --page: 1e-06 s makes 100000 pictures of this input: $PAGES
tfr-image    | s01.wav  | file | --duration 1e9 --page 1 -o p.png | 2 | --page: 1 s makes 1000000000 pictures of this input: $PAGES
tfr-hyper    | l3.wav   | file | -N 12 -O 1 -j 1 -i 1 --page 1e-6 -o p.png | 2 | --page: 0.00025 s makes 12000 pictures of this input: $PAGES
# the counts are .npy whatever their name would say
tfr-hyper    | s001.wav | file | -k counts.txt -o x.npy | 2 | --counts counts.txt: tfr-hyper writes .npy, not .txt
EOF
# a FLAC whose header claims 2^36 - 1 frames in 20 KB: truncated, said
# before any work is sized from the count (tfr-hyper said "picture too
# large", --page a count of pages)
mk_big_flac() {
	mk_a_flac
	b=$(od -An -tu1 -j21 -N1 a.flac | tr -d ' ')
	cp a.flac big.flac
	{ printf "\\$(printf %03o $((b | 15)))"; printf '\377\377\377\377'; } |
		dd of=big.flac bs=1 seek=21 conv=notrunc 2> /dev/null
}
if [ -n "$HAVE_SOX" ]; then
table <<EOF
tfr-hyper    | big.flac | file | -N 12 -O 1 -j 1      | 1 | @: $TRUNC
tfr-hyper    | big.flac | file | -N 12 -O 1 -j 1 --page 1 -o p.png | 1 | @: $TRUNC
tfr-image    | big.flac | file | -                    | 1 | @: $TRUNC
tfr-reassign | big.flac | file | -                    | 1 | @: $TRUNC
EOF
fi

[ -z "$(ls p-* 2> /dev/null)" ] || fail "pages written before a refusal: $(ls p-* | head -n 3)"

# a map file that never ends: refused at 64 MB, not read forever
set +e
yes '# a comment' | limited "$B/tfr-sdelay" -d /dev/stdin s001.wav > out.bin 2> err.txt
got=$?
set -e
ncases=$((ncases + 1))
[ $got -eq 1 ] && grep -qx 'tfr-sdelay: /dev/stdin:5592406:1: delay map: more than 67108864 bytes: not a map file' err.txt ||
	fail "an endless map file: status $got: $(cat err.txt)"

# ---- stream tools: each on the kind it reads ----
for t in tfr-peaks tfr-track tfr-resynth tfr-convert; do
	# column 4 and its range
	case $t in
	tfr-peaks) k=points o=peaks n=7 c4="freq: 1e+308 is outside [-1000000000, 1000000000]"
		km=tfr-reassign om=tfr-peaks pl="" ;;
	tfr-track) k=peaks o=points n=8 c4="amp: 1e+308 is outside [0, 3.40282347e+38]"
		km=tfr-peaks om=tfr-reassign pl=" {bar} tfr-peaks" ;;
	*) k=partials o=points n=7 c4="amp: 1e+308 is outside [0, 3.40282347e+38]"
		km=tfr-track om=tfr-reassign pl=" {bar} tfr-peaks {bar} tfr-track" ;;
	esac
	# audio: what the tool reads, and the pipeline that makes it
	reads="$t reads the $k of $km"
	audio_cases() {
		pre=
		for f in a.wav ${HAVE_SOX:+a.flac}; do
			case $f in *.wav) a="a WAV" ;; *) a="a FLAC" ;; esac
			echo "$pre $t | $f | file | - | 1 | @ is $a file; $reads: tfr-reassign $f$pl {bar} $t"
			echo "$pre $t | $f | pipe | - | 1 | @ is $a file; $reads: tfr-reassign a.wav$pl {bar} $t"
		done
	}
	# the line of the first record
	analysis
	r=$(awk '!/^#/ { print NR; exit }' a.$k)
	h=$((r - 1))
	# tfr-convert reads any partial file, a tfr stream only of partials
	if [ $t = tfr-convert ]; then
		EMPTY="@: not a partials file (a tfr stream, SDIF or SPEAR text)"
		OTHER="@:1: expected a 'partials' stream (made by tfr-track), got 'points' (made by tfr-reassign)"
		NOTFR=$EMPTY
	else
		EMPTY="@: empty input (expected a tfr $k stream)"
		OTHER="@:1: expected a '$k' stream (made by $km), got '$o' (made by $om)"
		NOTFR="@:1: not a tfr stream (expected a first line '#tfr $k VERSION')"
	fi
	AMPMAX="3.4028235677973366e+38 is outside [0, 3.40282347e+38]"
	table <<EOF
$t | empty           | file | - | 1 | $EMPTY
$t | empty           | pipe | - | 1 | $EMPTY
$t | a.$o            | file | - | 1 | $OTHER
$t | notfr.txt       | file | - | 1 | $NOTFR
$t | bom.$k          | file | - | 1 | @:1: not a tfr stream (expected a first line '#tfr $k VERSION')
$t | v2.$k           | file | - | 1 | @:1: unsupported $k stream version 2
$t | v0.$k           | pipe | - | 1 | @:1: unsupported $k stream version 0
# (a fault of the header as a whole: at the first record's line)
$t | nocolumns.$k    | file | - | 1 | @:$((r - 1)): header has no '# columns=' line
$t | norate.$k       | file | - | 1 | @:$((r - 1)): header: sample_rate missing or not in (0, 10000000]
$t | rate0.$k        | file | - | 1 | @:$r: header: sample_rate missing or not in (0, 10000000]
$t | headeronly.$k   | file | - | 0 | -
$t | nan.$k          | file | - | 1 | @:$r: $(sed -n "s/^# columns=//p" a.$k | cut -f4): 'nan' is not a finite number
$t | inf.$k          | pipe | - | 1 | @:$r: $(sed -n "s/^# columns=//p" a.$k | cut -f4): 'inf' is not a finite number
$t | ninf.$k         | file | - | 1 | @:$r: $(sed -n "s/^# columns=//p" a.$k | cut -f4): '-inf' is not a finite number
$t | e308.$k         | file | - | 1 | @:$r: $c4
$t | missing.$k      | file | - | 1 | @:$r: expected $n fields, got $((n - 1))
$t | extra.$k        | file | - | 1 | @:$r: expected $n fields, got $((n + 1))
$t | comma.$k        | file | - | 1 | @:$r: $(sed -n "s/^# columns=//p" a.$k | cut -f3): '0,25' is not a finite number
$t | empty-field.$k  | file | - | 1 | @:$r: expected $(sed -n "s/^# columns=//p" a.$k | awk '{print NF}') fields, got $(sed -n "s/^# columns=//p" a.$k | awk '{print NF - 1}')
$t | longline.$k     | file | - | 1 | @:$r: line longer than 65536 bytes
$t | longline.$k     | pipe | - | 1 | @:$r: line longer than 65536 bytes
$t | nul.$k          | file | - | 1 | @:21: NUL byte in text
$t | crlf.$k         | file | - | 0 | -
$t | crlf.$k         | pipe | - | 0 | -
$(audio_cases)
EOF
done
# the first record's line of each kind
analysis
rp=$(awk '!/^#/ { print NR; exit }' a.points)
rk=$(awk '!/^#/ { print NR; exit }' a.peaks)
rl=$(awk '!/^#/ { print NR; exit }' a.partials)
LOSES1TRC="1trc output loses the breakpoint times (resampled on the frame grid), the bandwidths"
table <<EOF
# values beyond a column's range (the reader never hands out inf)
tfr-track    | flt.peaks       | file | - | 1 | @:$rk: amp: 3.4028235999999999e+38 is outside [0, 3.40282347e+38]
tfr-resynth  | flt.partials    | file | - | 1 | @:$rl: amp: 3.4028235999999999e+38 is outside [0, 3.40282347e+38]
tfr-peaks    | bigtime.points  | file | - | 1 | @:$rp: time: 1000000001 is outside [-1000000000, 1000000000]
tfr-peaks    | negtime.points  | file | - | 0 | -
tfr-peaks    | frac.points     | file | - | 1 | @:$rp: frame: 0.5 is not a whole number
tfr-track    | negfreq.peaks   | file | - | 1 | @:$rk: freq: -1 is outside [0, 1000000000]
tfr-resynth  | bw2.partials    | file | - | 1 | @:$rl: bandwidth: 2 is outside [0, 1]
tfr-convert  | bw2.partials    | file | - | 1 | @:$rl: bandwidth: 2 is outside [0, 1]
tfr-resynth  | negtime.partials | file | - | 0 | -
tfr-resynth  | phase.partials  | file | - | 0 | -
tfr-convert  | phase.partials  | file | -F 1trc | 0 | $LOSES1TRC
tfr-convert  | phase.partials  | file | -F rbep | 0 | -
# order
tfr-peaks    | unsorted.points   | file | - | 1 | @:$((rp + 1)): frame goes back from 5 to 4 (a points stream is in order of frame)
tfr-track    | unsorted.peaks    | file | - | 1 | @:$((rk + 1)): frame goes back from 5 to 4 (a peaks stream is in order of frame)
tfr-resynth  | unsorted.partials | file | - | 1 | @:$((rl + 1)): time goes back from 5 to 4 (a partials stream is in order of time)
tfr-resynth  | reuse.partials  | pipe | - | 1 | @:$((rl + 1)): partial $(awk '!/^#/ { print $1; exit }' a.partials) comes back after its end (ids are never reused)
tfr-convert  | unsorted.partials | pipe | - | 1 | @:$((rl + 1)): time goes back from 5 to 4 (a partials stream is in order of time)
# the largest amplitude a point may have (FLT_MAX): the corrected peak
# saturates there (it became inf, which no tool reads)
tfr-peaks    | ampmax.points | file | - | 0 | -
# frames beyond 2^52 (their times would not be exact): refused by the
# stream, not taken for a frequency-order fault by tfr-track
tfr-track    | bigframe.peaks | file | - | 1 | @:$((rk + 1)): frame: 9000000000000000 is outside [0, 4503599627370496]
tfr-track    | fartime.peaks  | file | - | 0 | -
# tfr(5): the peaks of a frame are in ascending frequency
tfr-track    | freqorder.peaks | file | - | 1 | @:$((rk + 1)): the peaks of a frame are not in ascending frequency
tfr-peaks    | binorder.points | file | - | 1 | @:$((rp + 2)): the points of a frame are not in ascending bin order
# header numbers out of range
tfr-peaks    | hugewin.points  | file | - | 1 | @:$((rp - 1)): header: 'window_length' is not a number in range
tfr-peaks    | badwin.points   | file | - | 1 | @:$((rp - 1)): header: unknown window 'triangle'
tfr-track    | hop0.peaks      | file | - | 1 | @:$((rk - 1)): header: 'hop' is not a number in range
tfr-resynth  | hugerate.partials | file | - | 0 | -
tfr-convert  | unknown.kind    | file | - | 1 | @:1: expected a 'partials' stream (made by tfr-track), got 'mystery'
tfr-convert  | unknown.kind    | file | -F csv | 0 | -
# partial files
tfr-convert  | a.sdif          | file | - | 0 | -
tfr-convert  | a.sdif          | pipe | - | 0 | -
tfr-convert  | cut.sdif        | file | - | 1 | @: byte 328: input ends inside a matrix row
tfr-convert  | a.spear         | pipe | - | 0 | -
tfr-convert  | comma.spear     | file | - | 0 | -
tfr-convert  | count.spear     | file | - | 1 | @:9: partials-count is 99999999999 but the file has 2 partials (cut short?)
EOF

echo "$ncases cases, $nknown of them known failures"
[ -z "$TIMES" ] || sort -rn times.txt | head -n 10
finish
