#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
# Samples received but not handed over when the loop ends are never lost
# from the books: tcpdump -c 5 on one datagram of 40 samples captures 5,
# and the 35 left waiting count as dropped (and as samples_undelivered).
. "$top_srcdir/tests/lib.sh"

send_forty() { # one v5 datagram of 40 flow samples, sequences 1..40
	python3 - "$top_srcdir/tests" "$1" <<'PY'
import socket, sys
sys.path.insert(0, sys.argv[1])
from sflow_datagrams import v5_datagram, flow_sample, header_record, eth_udp
samples = [flow_sample([header_record(1, 64, 4, eth_udp(n + 1))], sequence=n + 1)
           for n in range(40)]
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.sendto(v5_datagram(samples), ("127.0.0.1", int(sys.argv[2])))
PY
}

port=$(free_port)
start_command five env SFLOW_STATS=1 "$TCPDUMP" -i "sflow:$port" -c 5 -w "$WORK/five.pcap"
ok $? "tcpdump -c 5 listens on sflow:$port"
send_forty "$port"
ok $? "one datagram of 40 samples sent"
wait_exit five
is "$status" 0 "tcpdump -c 5 exits 0 by itself"
captured=$(sed -n 's/^\([0-9]*\) packets* captured$/\1/p' "$WORK/five.err")
dropped=$(sed -n 's/^\([0-9]*\) packets* dropped by kernel$/\1/p' "$WORK/five.err")
is "$captured" 5 "5 packets captured"
is "$("$SYSTEM_TCPDUMP" -r "$WORK/five.pcap" 2>/dev/null | wc -l)" 5 "and 5 written"
is "$dropped" 35 "the 35 left waiting count as dropped by kernel"
is "$((captured + dropped))" 40 "captured + dropped = samples sent"
is "$(sed -n 's/^samples_undelivered //p' "$WORK/five.err")" 35 "samples_undelivered 35 at close"
is "$(sed -n 's/^samples_lost //p' "$WORK/five.err")" 0 "none of them lost in the network"

done_testing
