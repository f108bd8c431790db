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
blast() { # blast PORT SAMPLES: sends, prints samples per datagram
	"$SFLOW_SEND" --sources 4 -c "$2" -l 0 "$WORK/input.pcap" "127.0.0.1:$1" 2>&1 |
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
port=$(free_port)
start_tcpdump soak -i "sflow:$port" -w /dev/null || exit 1
peak() { sed -n 's/^VmHWM:[[:space:]]*\([0-9]*\) kB/\1/p' "/proc/$pid_soak/status"; }
blast "$port" 1000000 >/dev/null
sleep 0.5
after_1m=$(peak)
blast "$port" 9000000 >/dev/null
sleep 0.5
after_10m=$(peak)
stop_tcpdump soak
echo "peak RSS after 1M samples: $after_1m kB; after 10M: $after_10m kB"
grep -E "packets (captured|dropped)" "$WORK/soak.err"
if [ $((after_10m - after_1m)) -le 1024 ]; then
	echo "soak: peak RSS equal within 1 MiB: ok"
else
	echo "soak: peak RSS grew by $((after_10m - after_1m)) kB: FAIL"
	exit 1
fi
