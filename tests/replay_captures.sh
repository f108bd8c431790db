#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
# Real agents' datagrams (../shared/captures) replayed to the capture
# source: each must yield the packets its README promises, and each packet
# must be what Wireshark's own sFlow dissector finds in the datagram.
. "$top_srcdir/tests/lib.sh"

CAPTURES="${SFLOW_CAPTURES:-$top_srcdir/../shared/captures}"
if [ ! -d "$CAPTURES" ]; then
	skip "no captures at $CAPTURES"
	done_testing
	exit
fi

# replay FILE: captures what replaying FILE yields into $WORK/replay.pcap.
replay() {
	port=$(free_port)
	SFLOW_STATS=1 start_tcpdump replay -i "sflow:$port" -w "$WORK/replay.pcap"
	"$SFLOW_SEND" -q --replay "$1" "127.0.0.1:$port"
	wait_idle "$pid_replay" "$port"
	stop_tcpdump replay
}

counter() { sed -n "s/^$1 //p" "$WORK/replay.err"; }

for entry in sflow-print-v6.pcap:13 sflow_expanded.pcap:1 \
	     sflow_multiple_counter_30_pdus.pcap:0 sflow_print-segv.pcap:0; do
	file=${entry%%:*} want=${entry#*:}
	replay "$CAPTURES/$file"
	is "$status" 0 "$file: tcpdump exits cleanly"
	is "$(sed -n 's/ packets* captured$//p' "$WORK/replay.err")" "$want" "$file: $want packets captured"
	if command -v tshark >/dev/null 2>&1; then
		# Wireshark's view: the wire length is frame_length - stripped, the
		# bytes are the sampled header.
		tshark -r "$CAPTURES/$file" -T fields -E occurrence=a -E separator=';' \
		       -e sflow_245.header.frame_length -e sflow_245.header.payload_stripped \
		       -e sflow_245.header.sampled_header_length -e sflow_245.header 2>/dev/null |
		python3 -c 'import sys
for line in sys.stdin:
    line = line.strip()
    if not line.strip(";"):
        continue
    columns = (f.split(",") for f in line.split(";"))
    for frame, stripped, length, header in zip(*columns):
        header = header.replace(":", "")[:2 * int(length)]
        print(int(frame) - int(stripped), length, header)' >"$WORK/want"
		python3 "$top_srcdir/tests/pcap_records.py" "$WORK/replay.pcap" >"$WORK/got"
		is "$(cat "$WORK/got")" "$(cat "$WORK/want")" "$file: packets match Wireshark's decode byte for byte"
	else
		skip "$file: tshark not installed"
	fi
done

# The malformed datagram that crashed tcpdump's printer: dropped and counted.
replay "$CAPTURES/sflow_print-segv.pcap"
is "$(counter malformed_datagrams)" 1 "sflow_print-segv: counted as malformed"
# Counter samples are skipped and counted; the non-sFlow datagrams are malformed.
replay "$CAPTURES/sflow_multiple_counter_30_pdus.pcap"
ok $(( $(counter counter_samples) > 0 ? 0 : 1 )) "counter samples counted as skipped"
is "$(counter malformed_datagrams)" 5 "the 5 non-sFlow datagrams counted as malformed"

done_testing
