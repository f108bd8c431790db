#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
# make bench: cost and capacity, reported as ratios measured in one run,
# never asserted as times (the machine may be shared: numbers are noisy).
#  1. decode only: the module's per-sample work over in-memory datagrams,
#     one core, in samples per second (tests/bench_decode.c), and the CPU
#     per sample with 4,096 agents against one (the loss tables' cost); and
#     a saved feed through file= into tcpdump -w /dev/null
#     (tests/bench_file.sh);
#  2. a table, one row per receiver of the same feed (10 flow samples of
#     128-byte headers per datagram, 4 data sources), each as a ratio to a
#     bare recvmmsg sink (the ceiling for any consumer of this socket):
#     the highest rate of a ladder of paced rates with < 0.1 % loss; CPU
#     seconds per million samples received and peak RSS under an unpaced
#     blast;
#     Wireshark's paths get rows of their own, as ratios to the tcpdump row:
#     the extcap alone writing its pcapng into a fifo, as for Wireshark,
#     drained by tests/capture_count (its CPU also as the best of 3
#     blasts beside the best of 3 of tcpdump writing into a fifo drained
#     the same way, taken in turn), and tshark -i sflow -w FILE through it
#     (extcap -> fifo -> dumpcap, the way Wireshark runs it;
#     needs root: the extcap goes into Wireshark's extcap directory for the
#     run); what reached the fifo's reader or tshark's file is counted;
#  3. soak: 10 million samples through tcpdump -w /dev/null; peak RSS after
#     1 million and after 10 million must be equal within 1 MiB.
# BENCH_ROWS picks parts (default all): decode file sink tcpdump extcap
# tshark soak. BENCH_EXTCAP runs another build's extcap in the extcap and
# tshark rows (to compare builds in one run); BENCH_BLAST_RUNS sets how
# many blasts the extcap and tcpdump into a fifo each get (3).
set -u
: "${top_srcdir:?}" "${top_builddir:?}"
. "$top_srcdir/tests/lib.sh"
PER_DATAGRAM=10
STEP_SECONDS=${BENCH_STEP_SECONDS:-2}
BLAST_SAMPLES=${BENCH_SAMPLES:-5000000}
# Blasts each for the extcap and tcpdump into a fifo, compared best to best.
BLAST_RUNS=${BENCH_BLAST_RUNS:-3}
# samples per second
RATES=${BENCH_RATES:-"250000 500000 1000000 1500000 2000000 2500000 3000000 4000000"}
# The Wireshark paths start lower and climb in finer steps.
EXTCAP_RATES=${BENCH_EXTCAP_RATES:-"50000 100000 125000 150000 175000 200000 250000 300000 400000 500000 600000 700000 800000 1000000 1250000 1500000 2000000 2500000 3000000"}
ROWS=${BENCH_ROWS:-"decode file sink tcpdump extcap tshark soak"}
EXTCAP=${BENCH_EXTCAP:-$top_builddir/tcpdump/sflow-extcap}
row() { case " $ROWS " in *" $1 "*) return 0 ;; esac; return 1; }

if row decode; then
	echo "== decode only: decoder + loss accounting + framing, one core; 1 agent and 4,096"
	"$top_builddir/tests/bench_decode" 3 || { echo "bench_decode failed"; exit 1; }
fi

# file=: a saved feed decoded as fast as the machine allows (make bench-file alone).
if row file; then
	sh "$top_srcdir/tests/bench_file.sh" || exit 1
fi

make_packets "$WORK/input.pcap" 40
cpu_seconds() { # utime + stime of PID, in seconds
	awk -v hz="$(getconf CLK_TCK)" '{ printf "%.3f", ($14 + $15) / hz }' "/proc/$1/stat"
}
now() { date +%s.%N; }
# feed PORT SAMPLES RATE: sends (RATE 0: as fast as possible); prints the
# samples sent and the rate achieved.
feed() {
	started=$(now)
	sent=$("$SFLOW_SEND" --sources 4 -S "$PER_DATAGRAM" -r $(($3 / PER_DATAGRAM)) -c "$2" -l 0 \
		"$WORK/input.pcap" "127.0.0.1:$1" 2>&1 |
		sed -n 's/^sflow-send: sent [0-9]* datagrams, \([0-9]*\) samples.*/\1/p')
	echo "${sent:-0} $(echo "$started $(now) ${sent:-0}" | awk '{ printf "%.0f", $3 / ($2 - $1) }')"
}

# step_sink RATE / step_tcpdump RATE: one step with a fresh receiver;
# prints "sent achieved_rate received cpu_seconds peak_rss_kb".
step_sink() {
	port=$(free_port)
	"$top_builddir/tests/recv_sink" "$port" 1 >"$WORK/sink.out" &
	sink=$!
	wait_until grep -q ready "$WORK/sink.out"
	sent=$(feed "$port" "$2" "$1")
	wait $sink
	awk -v sent="$sent" '/^datagrams/ { print sent, $4, $6, $8 }' "$WORK/sink.out"
}
# step_tcpdump writes to /dev/null, or with TCPDUMP_PIPE=1 into a fifo
# drained as the extcap's is (see step_extcap).
TCPDUMP_PIPE=0
step_tcpdump() {
	port=$(free_port)
	output=$NULL_OUT
	if [ "$TCPDUMP_PIPE" = 1 ]; then
		output="$WORK/tcpdump.fifo"
		start_drain "$output"
	fi
	start_tcpdump bench -i "sflow:$port" -w "$output" || { stop_drain; echo "0 0 0 0 0"; return; }
	sent=$(feed "$port" "$2" "$1")
	wait_idle "$pid_bench" "$port"
	[ "$TCPDUMP_PIPE" = 1 ] && wait_until eval 'fifo_empty "$output"'
	cpu=$(cpu_seconds "$pid_bench")
	rss=$(sed -n 's/^VmHWM:[[:space:]]*\([0-9]*\) kB/\1/p' "/proc/$pid_bench/status")
	stop_tcpdump bench
	captured=$(sed -n 's/^\([0-9]*\) packets* captured$/\1/p' "$WORK/bench.err")
	if [ "$TCPDUMP_PIPE" = 1 ]; then
		stop_drain
		captured=$drained
	fi
	echo "$sent ${captured:-0} $cpu ${rss:-0}"
}

# start_drain FIFO: a fifo anyone may write (tcpdump writes as its own
# user) and tests/capture_count draining it, as dumpcap drains the
# extcap's fifo for Wireshark, at a small fraction of the writer's CPU;
# stop_drain waits for it (it ends when the writer closes), sets $drained
# to the packets it counted and removes the fifo.
start_drain() {
	drain_fifo=$1
	rm -f "$drain_fifo"
	mkfifo -m 0666 "$drain_fifo"
	"$top_builddir/tests/capture_count" <"$drain_fifo" >"$WORK/drain.out" &
	drain=$!
}
stop_drain() {
	drained=0
	[ -n "${drain:-}" ] || return 0
	# A writer that never opened the fifo leaves the drain waiting for
	# one: open and close it, without waiting (no reader: the open fails).
	if running "$drain"; then
		python3 -c 'import os, sys
os.close(os.open(sys.argv[1], os.O_WRONLY | os.O_NONBLOCK))' "$drain_fifo" 2>/dev/null
	fi
	wait "$drain"
	drain=
	rm -f "$drain_fifo"
	drained=$(sed -n 's/^packets \([0-9]*\)$/\1/p' "$WORK/drain.out")
	drained=${drained:-0}
}

rss_kb() { sed -n 's/^VmHWM:[[:space:]]*\([0-9]*\) kB/\1/p' "/proc/$1/status" 2>/dev/null; }
packets_in() { # packets_in FILE: the packets capinfos counts in a capture file
	n=$(capinfos -c -M "$1" 2>/dev/null | sed -n 's/^Number of packets:[[:space:]]*\([0-9]*\)$/\1/p')
	echo "${n:-0}"
}
bound_while() { # bound_while PORT PID: waits for PORT to be bound while PID lives
	bound_port=$1 bound_pid=$2
	wait_until eval '! running "$bound_pid" || listening "$bound_port"'
	listening "$bound_port"
}
# fifo_empty FIFO: nothing waits in the fifo for its reader.
fifo_empty() {
	python3 -c 'import fcntl, os, struct, sys, termios
fd = os.open(sys.argv[1], os.O_RDONLY | os.O_NONBLOCK)
sys.exit(struct.unpack("i", fcntl.ioctl(fd, termios.FIONREAD, b"\0" * 4))[0] != 0)' "$1" 2>/dev/null
}
# step_extcap: the extcap alone, its pcapng going into a fifo as it does
# for Wireshark, drained by tests/capture_count rather than by dumpcap
# (whose own cost is the tshark row's), which counts what it received.
step_extcap() {
	port=$(free_port)
	start_drain "$WORK/extcap.fifo"
	"$EXTCAP" --extcap-interface sflow --capture --fifo "$WORK/extcap.fifo" --port "$port" \
		2>"$WORK/extcap.err" &
	extcap=$!
	bound_while "$port" "$extcap" ||
		{ kill "$extcap" 2>/dev/null; wait "$extcap"; stop_drain; echo "0 0 0 0 0"; return; }
	sent=$(feed "$port" "$2" "$1")
	# Idle with its fifo read empty: it has written all it received.
	wait_until eval 'idle_or_gone "$extcap" "$port" && fifo_empty "$WORK/extcap.fifo"'
	cpu=$(cpu_seconds "$extcap")
	rss=$(rss_kb "$extcap")
	kill -TERM "$extcap"
	wait "$extcap"
	stop_drain
	echo "$sent $drained $cpu ${rss:-0}"
}
# step_tshark: tshark -i sflow -w FILE, as Wireshark captures: tshark runs
# the extcap and dumpcap, dumpcap reads the fifo and writes FILE. Prints
# the extcap's and dumpcap's CPU seconds after the usual fields (whose CPU
# and RSS are the two added up).
step_tshark() {
	port=$(free_port)
	rm -f "$WORK/tshark.pcapng"
	# A script's background jobs ignore SIGINT: give tshark the default
	# back, so that ^C (kill -INT) stops it as in a terminal.
	env --default-signal=INT tshark -i sflow -o "extcap.sflow.port:$port" \
		-w "$WORK/tshark.pcapng" >"$WORK/tshark.out" 2>"$WORK/tshark.err" &
	tshark=$!
	if ! bound_while "$port" "$tshark"; then
		kill -INT "$tshark" 2>/dev/null
		wait_until eval '! running "$tshark"'
		kill -KILL "$tshark" 2>/dev/null
		wait "$tshark"
		sed 's/^/# tshark: /' "$WORK/tshark.err" >&2
		echo "0 0 0 0 0 0 0"; return
	fi
	extcap= dumpcap= fifo=
	for child in $(ps -o pid= --ppid "$tshark"); do
		case $(tr '\0' ' ' <"/proc/$child/cmdline" 2>/dev/null) in
		*sflow-extcap*) extcap=$child ;;
		*dumpcap*) dumpcap=$child ;;
		esac
	done
	fifo=$(tr '\0' '\n' <"/proc/$extcap/cmdline" | sed -n '/^--fifo$/{n;p;}')
	sent=$(feed "$port" "$2" "$1")
	# Until the extcap has taken all that was sent, dumpcap has read all
	# the fifo holds, and dumpcap sleeps (it wrote what it read).
	wait_idle "$extcap" "$port"
	wait_until eval 'fifo_empty "$fifo" && asleep "$dumpcap"'
	extcap_cpu=$(cpu_seconds "$extcap") dumpcap_cpu=$(cpu_seconds "$dumpcap")
	rss=$(( $(rss_kb "$extcap") + $(rss_kb "$dumpcap") ))
	kill -INT "$tshark"
	wait_until eval '! running "$tshark"'
	kill -KILL "$tshark" 2>/dev/null
	wait "$tshark"
	echo "$sent $(packets_in "$WORK/tshark.pcapng")" \
		"$(echo "$extcap_cpu $dumpcap_cpu" | awk '{ printf "%.3f", $1 + $2 }') $rss $extcap_cpu $dumpcap_cpu"
	rm -f "$WORK/tshark.pcapng"
}

# compare_blasts: BLAST_RUNS unpaced blasts each into the extcap and into
# tcpdump writing into a fifo drained as the extcap's is, taken in turn;
# prints the lowest CPU seconds per million samples received of each.
# Run it in a subshell, $(compare_blasts): TCPDUMP_PIPE stays 0 outside.
compare_blasts() {
	best_extcap= best_tcpdump= TCPDUMP_PIPE=1
	for _ in $(seq "$BLAST_RUNS"); do
		for receiver in extcap tcpdump; do
			set -- $("step_$receiver" 0 "$BLAST_SAMPLES")
			per=$(echo "$3 $4" | awk '{ printf "%.3f", ($1 > 0 ? $2 / $1 * 1e6 : 0) }')
			echo "# $receiver blast into a fifo: sent $1 at $2 samples/s, received $3, $4 CPU s ($per per million)" >&2
			eval "best=\$best_$receiver"
			if [ -z "$best" ] || awk -v a="$per" -v b="$best" 'BEGIN { exit !(a < b) }'; then
				eval "best_$receiver=$per"
			fi
		done
	done
	echo "$best_extcap $best_tcpdump"
}

# measure RECEIVER [RATES]: prints "highest_rate limited cpu_per_million
# peak_rss_kb", then the CPU per million of each process when the step
# gives them apart;
# the ladder climbs until the loss reaches 0.1 % or the sender falls more
# than 25 % short of the rate asked (limited 1: the sender's limit, so the
# receiver's is higher still). Rates are those the sender achieved (its
# pacing runs some 10 % short).
measure() {
	receiver=$1 highest=0 limited=0
	for rate in ${2:-$RATES}; do
		set -- $("step_$receiver" "$rate" $((rate * STEP_SECONDS)))
		loss=$(echo "$1 $3" | awk '{ printf "%.4f", ($1 > 0 ? ($1 - $2) / $1 * 100 : 100) }')
		echo "# $receiver at $rate samples/s (sender achieved $2): sent $1, received $3 (loss $loss %), $4 CPU s${6:+ (extcap $6, dumpcap $7)}" >&2
		awk -v l="$loss" 'BEGIN { exit !(l < 0.1) }' || break
		highest=$2
		if awk -v a="$2" -v r="$rate" 'BEGIN { exit !(a < 0.75 * r) }'; then limited=1; break; fi
	done
	set -- $("step_$receiver" 0 "$BLAST_SAMPLES")
	echo "# $receiver blast: sent $1 at $2 samples/s, received $3, $4 CPU s, peak RSS $5 kB${6:+ (extcap $6 CPU s, dumpcap $7 CPU s)}" >&2
	per_million() { echo "$1 $2" | awk '{ printf "%.3f", ($2 > 0 ? $1 / $2 * 1e6 : 0) }'; }
	echo "$highest $limited $(per_million "$4" "$3") $5${6:+ $(per_million "$6" "$3") $(per_million "$7" "$3")}"
}

echo "== receivers: $PER_DATAGRAM samples a datagram; ladder of $STEP_SECONDS s a step; blast of $BLAST_SAMPLES"
sink_rate=0 sink_limited=0 sink_cpu=0 sink_rss=0
ours_rate=0 ours_limited=0 ours_cpu=0 ours_rss=0
row sink && { set -- $(measure sink); sink_rate=$1 sink_limited=$2 sink_cpu=$3 sink_rss=$4; }
row tcpdump && { set -- $(measure tcpdump); ours_rate=$1 ours_limited=$2 ours_cpu=$3 ours_rss=$4; }
extcap_row= tshark_row= extcap_best=0 tcpdump_fifo_cpu=0
if row extcap; then
	echo "# extcap: $EXTCAP" >&2
	extcap_row=$(measure extcap "$EXTCAP_RATES")
	# Its CPU beside that of tcpdump writing the same way.
	set -- $(compare_blasts)
	extcap_best=$1 tcpdump_fifo_cpu=$2
fi
if row tshark; then
	extcap_dir=$(tshark -G folders 2>/dev/null | sed -n 's/^Extcap path:[[:space:]]*//p' | head -n 1)
	if [ "$(id -u)" -ne 0 ] || [ -z "$extcap_dir" ] || [ ! -d "$extcap_dir" ]; then
		echo "# tshark row skipped: needs root and Wireshark's extcap directory" >&2
	else
		# The extcap directory is the machine's: one user of it at a
		# time (tests/e2e_extcap.sh takes the same lock), restored.
		exec 9>/run/lock/sflow-tcpdump-extcap-test.lock
		if flock -w 300 9; then
			saved_extcap=
			if [ -e "$extcap_dir/sflow-extcap" ] || [ -L "$extcap_dir/sflow-extcap" ]; then
				saved_extcap="$WORK/saved-sflow-extcap"
				mv "$extcap_dir/sflow-extcap" "$saved_extcap"
			fi
			restore_extcap() {
				rm -f "$extcap_dir/sflow-extcap"
				[ -n "$saved_extcap" ] && mv "$saved_extcap" "$extcap_dir/sflow-extcap"
				saved_extcap=
			}
			trap 'restore_extcap; cleanup_work' EXIT
			ln -s "$EXTCAP" "$extcap_dir/sflow-extcap"
			echo "# tshark: $(readlink "$extcap_dir/sflow-extcap") as $extcap_dir/sflow-extcap" >&2
			tshark_row=$(measure tshark "$EXTCAP_RATES")
			restore_extcap
			flock -u 9
		else
			echo "# tshark row skipped: the extcap directory stayed locked" >&2
		fi
	fi
fi
awk -v sr="$sink_rate" -v sl="$sink_limited" -v sc="$sink_cpu" -v sm="$sink_rss" \
    -v or="$ours_rate" -v ol="$ours_limited" -v oc="$ours_cpu" -v om="$ours_rss" \
    -v extcap="$extcap_row" -v tshark="$tshark_row" -v rows=" $ROWS " \
    -v fc="$tcpdump_fifo_cpu" -v ec="$extcap_best" -v runs="$BLAST_RUNS" 'BEGIN {
	printf "| receiver | highest rate with < 0.1 %% loss | CPU-s per million samples | peak RSS |\n"
	printf "|---|---|---|---|\n"
	if (index(rows, " sink "))
		printf "| bare recvmmsg sink | %s%.1f M/s | %.3f | %.1f MiB |\n",
			(sl ? ">= " : ""), sr / 1e6, sc, sm / 1024
	if (index(rows, " tcpdump "))
		printf "| tcpdump -w /dev/null | %s%.1f M/s (%.2fx) | %.3f (%.2fx) | %.1f MiB (%.2fx) |\n",
			(ol ? ">= " : ""), or / 1e6, (sr > 0 ? or / sr : 0), oc, (sc > 0 ? oc / sc : 0),
			om / 1024, (sm > 0 ? om / sm : 0)
	# The Wireshark paths: ratios to the tcpdump row; the extcap CPU
	# also to that of tcpdump writing into a fifo (compare_blasts).
	if (split(extcap, e, " ") >= 4) {
		printf "| sflow-extcap into a fifo | %s%.3f M/s (%.2fx tcpdump) | %.3f (%.2fx tcpdump) | %.1f MiB |\n",
			(e[2] ? ">= " : ""), e[1] / 1e6, (or > 0 ? e[1] / or : 0), e[3],
			(oc > 0 ? e[3] / oc : 0), e[4] / 1024
		printf "| sflow-extcap into a fifo, best of %d blasts | | %.3f (%.2fx tcpdump into a fifo) | |\n",
			runs, ec, (fc > 0 ? ec / fc : 0)
		printf "| tcpdump -w FIFO, best of %d blasts | | %.3f | |\n", runs, fc
	}
	if (split(tshark, t, " ") >= 6)
		printf "| tshark -i sflow -w FILE (extcap + dumpcap) | %s%.3f M/s (%.2fx tcpdump) | %.3f = extcap %.3f + dumpcap %.3f (%.2fx tcpdump) | %.1f MiB |\n",
			(t[2] ? ">= " : ""), t[1] / 1e6, (or > 0 ? t[1] / or : 0), t[3], t[5], t[6],
			(oc > 0 ? t[3] / oc : 0), t[4] / 1024
}'

row soak || exit 0
echo "== soak: 10 million samples through tcpdump -w /dev/null"
# The soak passes only if tcpdump ran throughout (both readings taken from
# a live process), exited cleanly and accounted for every sample sent: a
# final sample per source after a pause shows a loss at the end as a gap.
port=$(free_port)
start_tcpdump soak -i "sflow:$port" -w "$NULL_OUT" || { echo "soak: tcpdump did not start: FAIL"; exit 1; }
peak() { sed -n 's/^VmHWM:[[:space:]]*\([0-9]*\) kB/\1/p' "/proc/$pid_soak/status" 2>/dev/null; }
soak_blast() { # soak_blast SAMPLES: the soak's feed, unpaced; prints the samples sent
	"$SFLOW_SEND" --sources 4 -S "$PER_DATAGRAM" -c "$1" -l 0 --final-pause 300 \
		"$WORK/input.pcap" "127.0.0.1:$port" 2>&1 |
		sed -n 's/^sflow-send: sent [0-9]* datagrams, \([0-9]*\) samples.*/\1/p'
}
sent_1m=$(soak_blast 1000000)
wait_idle "$pid_soak" "$port"
after_1m=$(peak)
sent_9m=$(soak_blast 9000000)
wait_idle "$pid_soak" "$port"
after_10m=$(peak)
kill -0 "$pid_soak" 2>/dev/null
alive=$?
stop_tcpdump soak
echo "peak RSS after 1M samples: $after_1m kB; after 10M: $after_10m kB"
grep -E "packets (captured|dropped)" "$WORK/soak.err"
captured=$(sed -n 's/^\([0-9]*\) packets* captured$/\1/p' "$WORK/soak.err")
dropped=$(sed -n 's/^\([0-9]*\) packets* dropped by kernel$/\1/p' "$WORK/soak.err")
sent=$(( ${sent_1m:-0} + ${sent_9m:-0} ))
echo "samples sent $sent, captured ${captured:-none}, dropped ${dropped:-none}"
soak_fail() { echo "soak: $*: FAIL"; sed 's/^/  tcpdump: /' "$WORK/soak.err" | tail -5; exit 1; }
[ -n "$after_1m" ] && [ -n "$after_10m" ] || soak_fail "no peak RSS reading (tcpdump not running)"
[ "$alive" -eq 0 ] || soak_fail "tcpdump died during the soak"
[ "$status" -eq 0 ] || soak_fail "tcpdump exited with status $status"
[ "$sent" -ge 10000000 ] || soak_fail "the sender sent only $sent samples"
[ -n "$captured" ] && [ -n "$dropped" ] || soak_fail "tcpdump printed no capture statistics"
[ $((captured + dropped)) -eq "$sent" ] ||
	soak_fail "captured + dropped = $((captured + dropped)), not the $sent samples sent"
if [ $((after_10m - after_1m)) -le 1024 ]; then
	echo "soak: peak RSS equal within 1 MiB: ok"
else
	echo "soak: peak RSS grew by $((after_10m - after_1m)) kB: FAIL"
	exit 1
fi
