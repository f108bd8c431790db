#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
# Overload: our sender blasts a fixed count of samples as fast as it can at
# a small socket buffer. tcpdump must survive and its books must balance:
# samples sent = packets captured + packets dropped by kernel.
. "$top_srcdir/tests/lib.sh"

make_packets "$WORK/input.pcap" 40
port=$(free_port)
SFLOW_STATS=1 start_tcpdump blast -i "sflow:$port" -B 64 -w "$NULL_OUT"
ok $? "tcpdump listens with a 64 KiB socket buffer"

# Four data sources, each numbering its samples; a pause and one more
# sample per source at the end, so a loss at the very end shows as a gap.
"$SFLOW_SEND" --sources 4 -l 500 --final-pause 300 "$WORK/input.pcap" "127.0.0.1:$port" \
	2>"$WORK/sender.err"
sent=$(sed -n 's/^sflow-send: sent [0-9]* datagrams, \([0-9]*\) samples.*/\1/p' "$WORK/sender.err")
is "$sent" $((500 * 40 + 4)) "the sender sent every sample it was asked to"

# Let tcpdump take and handle all that came before the books are closed.
wait_idle "$pid_blast" "$port"
stop_tcpdump blast
is "$status" 0 "tcpdump survived the blast and exits cleanly"

captured=$(sed -n 's/^\([0-9]*\) packets* captured$/\1/p' "$WORK/blast.err")
dropped=$(sed -n 's/^\([0-9]*\) packets* dropped by kernel$/\1/p' "$WORK/blast.err")
socket_drops=$(sed -n 's/^socket_dropped_datagrams //p' "$WORK/blast.err")
echo "# sent $sent, captured $captured, dropped $dropped (socket dropped $socket_drops datagrams)"
is "$((captured + dropped))" "$sent" "samples sent = packets captured + packets dropped by kernel"
if [ "${socket_drops:-0}" -gt 0 ]; then
	ok $(( dropped > 0 ? 0 : 1 )) "datagrams the socket dropped show as lost samples"
else
	skip "the socket dropped nothing this run"
fi
done_testing
