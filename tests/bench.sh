#!/bin/sh
# make bench: throughput and memory, reported as ratios measured in one run,
# never asserted as times.
#  1. samples per CPU-second: tcpdump -w /dev/null through the module, over
#     a bare recvmmsg sink receiving the same blast (the ceiling for any
#     consumer of this socket);
#  2. soak: 10 million samples through tcpdump -w /dev/null; peak RSS after
#     1 million and after 10 million must be equal within 1 MiB.
set -u
: "${top_srcdir:?}" "${top_builddir:?}"
. "$top_srcdir/tests/lib.sh"
SAMPLES=${BENCH_SAMPLES:-5000000}

make_packets "$WORK/input.pcap" 40
cpu_seconds() { # utime + stime of PID, in seconds
	awk -v hz="$(getconf CLK_TCK)" '{ printf "%.3f", ($14 + $15) / hz }' "/proc/$1/stat"
}
blast() { # blast PORT SAMPLES [OPTIONS...]: sends, prints datagrams and samples sent
	port_=$1 count_=$2; shift 2
	"$SFLOW_SEND" --sources 4 -c "$count_" -l 0 "$@" "$WORK/input.pcap" "127.0.0.1:$port_" 2>&1 |
		sed -n 's/^sflow-send: sent \([0-9]*\) datagrams, \([0-9]*\) samples.*/\1 \2/p'
}

echo "== throughput: $SAMPLES samples, sender as fast as it can"
port=$(free_port)
"$top_builddir/tests/recv_sink" "$port" 1 >"$WORK/sink.out" &
sink=$!
while ! grep -q ready "$WORK/sink.out"; do sleep 0.05; done
set -- $(blast "$port" "$SAMPLES")
per_datagram=$(echo "$2 $1" | awk '{ printf "%.2f", $1 / $2 }')
wait $sink
sink_datagrams=$(awk '/^datagrams/ { print $2 }' "$WORK/sink.out")
sink_cpu=$(awk '/^datagrams/ { print $4 }' "$WORK/sink.out")
sink_samples=$(echo "$sink_datagrams $per_datagram" | awk '{ printf "%d", $1 * $2 }')

port=$(free_port)
start_tcpdump bench -i "sflow:$port" -w /dev/null || { echo "tcpdump did not start"; exit 1; }
blast "$port" "$SAMPLES" >/dev/null
sleep 1
ours_cpu=$(cpu_seconds "$pid_bench")
stop_tcpdump bench
ours_samples=$(sed -n 's/^\([0-9]*\) packets* captured$/\1/p' "$WORK/bench.err")

awk -v ss="$sink_samples" -v sc="$sink_cpu" -v os="$ours_samples" -v oc="$ours_cpu" 'BEGIN {
	srate = sc > 0 ? ss / sc : 0; orate = oc > 0 ? os / oc : 0
	printf "bare recvmmsg sink: %d samples in %.2f CPU s\n", ss, sc
	printf "tcpdump + module:   %d samples in %.2f CPU s\n", os, oc
	if (srate > 0) printf "ratio (ours / sink, samples per CPU-second): %.2f\n", orate / srate
}'

echo "== soak: 10 million samples through tcpdump -w /dev/null"
# The soak passes only if tcpdump ran throughout (both readings taken from
# a live process), exited cleanly and accounted for every sample sent: a
# final sample per source after a pause shows a loss at the end as a gap.
port=$(free_port)
start_tcpdump soak -i "sflow:$port" -w /dev/null || { echo "soak: tcpdump did not start: FAIL"; exit 1; }
peak() { sed -n 's/^VmHWM:[[:space:]]*\([0-9]*\) kB/\1/p' "/proc/$pid_soak/status" 2>/dev/null; }
soak_blast() { # soak_blast SAMPLES: prints the samples sent
	blast "$port" "$1" --final-pause 300 | awk '{ print $2 }'
}
sent_1m=$(soak_blast 1000000)
wait_drained "$port"
after_1m=$(peak)
sent_9m=$(soak_blast 9000000)
wait_drained "$port"
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
