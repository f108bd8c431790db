#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
# make bench's file= row (alone: make bench-file): a saved feed of
# 10-sample datagrams (128-byte headers, one DNS frame in every 11)
# decoded by tcpdump -i 'sflow:6343,file=F' -w /dev/null, in samples per
# CPU second of tcpdump (perf's task-clock: the machine may be shared, so
# its own CPU time, not the wall clock), the best of RUNS runs; beside it,
# the stock tcpdump -r of the same file -w /dev/null, in frames per CPU
# second: the floor of reading and writing those bytes at all.
set -u
: "${top_srcdir:?}" "${top_builddir:?}"
. "$top_srcdir/tests/lib.sh"
DATAGRAMS=${BENCH_FILE_DATAGRAMS:-100000}
RUNS=${BENCH_FILE_RUNS:-5}
MODULE="$top_builddir/libpcap-sflow/.libs/libpcap-sflow.so"

echo "== file=: a saved feed of $DATAGRAMS datagrams of 10 samples into tcpdump -w /dev/null"
python3 "$top_srcdir/tests/sflow_pcaps.py" feed "$WORK/feed.pcap" "$DATAGRAMS" 10 0 128 ||
	{ echo "bench_file: cannot write the feed: FAIL"; exit 1; }
samples=$((DATAGRAMS * 10))
# cpu_ms COMMAND...: the command's CPU milliseconds, the best of RUNS (perf
# stat's task-clock; without perf, user + system time of GNU time).
cpu_ms() {
	best=""
	for _ in $(seq "$RUNS"); do
		if command -v perf >/dev/null 2>&1; then
			ms=$(perf stat -x, -e task-clock "$@" 2>&1 >/dev/null |
			     awk -F, '$3 == "task-clock" || $3 ~ /^task-clock/ { printf "%.1f", $1 }')
		else
			ms=$( { /usr/bin/time -f '%U %S' "$@" >/dev/null 2>/dev/null; } 2>&1 |
			     awk '{ printf "%.1f", ($1 + $2) * 1000 }')
		fi
		[ -n "$ms" ] || { echo "bench_file: no CPU time for $*: FAIL" >&2; return 1; }
		if [ -z "$best" ] || awk -v a="$ms" -v b="$best" 'BEGIN { exit !(a < b) }'; then
			best=$ms
		fi
	done
	echo "$best"
}
# The module preloaded into the stock tcpdump, as the launcher does, so
# the launcher's shell is not counted.
captured=$(LD_PRELOAD="$MODULE" "$SYSTEM_TCPDUMP" -i "sflow:6343,file=$WORK/feed.pcap" \
	-w "$NULL_OUT" 2>&1 | sed -n 's/^\([0-9]*\) packets* captured$/\1/p')
[ "${captured:-0}" -eq "$samples" ] ||
	{ echo "bench_file: $captured packets captured, not $samples: FAIL"; exit 1; }
ours=$(cpu_ms env LD_PRELOAD="$MODULE" "$SYSTEM_TCPDUMP" -i "sflow:6343,file=$WORK/feed.pcap" \
	-w "$NULL_OUT") || exit 1
frames=$((DATAGRAMS + DATAGRAMS / 10))
stock=$(cpu_ms "$SYSTEM_TCPDUMP" -r "$WORK/feed.pcap" -w "$NULL_OUT") || exit 1
awk -v s="$samples" -v o="$ours" -v f="$frames" -v t="$stock" 'BEGIN {
	printf "| reader | CPU ms (best of runs) | rate per CPU second |\n|---|---|---|\n"
	printf "| tcpdump -i sflow:6343,file=F -w /dev/null | %.1f | %.2f M samples/s |\n",
		o, s / o / 1000
	printf "| stock tcpdump -r F -w /dev/null (the floor) | %.1f | %.2f M frames/s (%.2fx our CPU) |\n",
		t, f / t / 1000, t / o
}'
