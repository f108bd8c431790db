#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
# The loss books through the real tcpdump, with agents that misbehave
# together (tests/sflow_datagrams.py "books"): two agents with two
# sub-agents each; lost datagrams, a sample sequence jump without a missing
# datagram, a late datagram, a duplicated datagram, a restart after 10
# samples with a lost datagram after it, an uptime wrapping through zero.
# tcpdump's closing lines must be exactly right.
. "$top_srcdir/tests/lib.sh"

counter() { sed -n "s/^$2 //p" "$WORK/$1.err"; }

port=$(free_port)
start_command books env SFLOW_STATS=1 "$TCPDUMP" -i "sflow:$port" -w "$WORK/books.pcap"
ok $? "tcpdump listens on sflow:$port"
python3 "$top_srcdir/tests/sflow_datagrams.py" books "$port"
wait_idle "$pid_books" "$port"
stop_tcpdump books
is "$status" 0 "tcpdump exits 0 on SIGINT"
is "$(grep ' packets\? ' "$WORK/books.err")" "54 packets captured
54 packets received by filter
5 packets dropped by kernel
7 packets dropped by interface" \
   "closing lines: 54 captured and received, 5 lost (1 + 3 + 1; the late one took its own back, the restart and the duplicate none), 7 dropped by the agents (2 + 2 + 3)"
is "$(counter books source_restarts)" 1 "source_restarts: the one restart (the uptime wrap is none)"
is "$(counter books late_datagrams)" 1 "late_datagrams: 1"
is "$(counter books duplicate_datagrams)" 1 "duplicate_datagrams: 1"
is "$(counter books samples_reordered)" 1 "samples_reordered: the late datagram's sample"
is "$(counter books socket_dropped_datagrams)" 0 "no datagram lost in the socket"
is "$(print_pcap "$WORK/books.pcap" | wc -l)" 54 "the file holds the 54 packets"

done_testing
