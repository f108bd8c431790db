#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
# Interop with a real sFlow exporter no one here wrote: pmacct's pmacctd
# with the sfprobe plugin reads a pcap and exports it as sFlow v5 to us.
# tcpdump -r of our capture must print the same packets, in order, as
# tcpdump -r -s 128 of the original.
. "$top_srcdir/tests/lib.sh"

PMACCTD="${PMACCTD:-$(command -v pmacctd)}"
if [ -z "$PMACCTD" ] || [ ! -x "$PMACCTD" ]; then
	skip "pmacctd not installed (apt-get install pmacct)"
	done_testing
	exit
fi

# pmacct sends only full datagrams, so the last packets of a file may never
# leave it: filler after the real packets (UDP to port 9) pushes them out.
make_packets "$WORK/packets.pcap" 40
python3 "$top_srcdir/tests/pmacct_input.py" "$WORK/packets.pcap" "$WORK/input.pcap"

port=$(free_port)
cat >"$WORK/pmacctd.conf" <<CONF
daemonize: false
pcap_savefile: $WORK/input.pcap
plugins: sfprobe
sampling_rate: 1
sfprobe_receiver: 127.0.0.1:$port
sfprobe_agentip: 127.0.0.1
CONF

start_tcpdump pmacct -i "sflow:$port" -U -w "$WORK/captured.pcap"
ok $? "tcpdump listens on sflow:$port"
# pmacctd's exit status is not ours to judge (its plugin shutdown races
# its core at the end of a file): what it exported is.
timeout 60 "$PMACCTD" -f "$WORK/pmacctd.conf" >"$WORK/pmacctd.log" 2>&1
contains "$WORK/pmacctd.log" "Exporting flows to [127.0.0.1]:$port" "pmacctd exported to us"
# Its exporter may still be sending when pmacctd is gone: wait for the 35
# IP packets of the original in our capture (-U: written as captured),
# then for tcpdump to handle whatever else came.
arrived() {
	[ "$(print_pcap "$WORK/captured.pcap" "not (udp port 9)" | wc -l)" -ge 35 ]
}
wait_until arrived
wait_idle "$pid_pmacct" "$port"
stop_tcpdump pmacct
is "$status" 0 "tcpdump exits cleanly"

# pmacct exports IP packets only (tagged or not).
want=$(print_pcap "$WORK/packets.pcap" -e -s 128 "ip or ip6 or (vlan and (ip or ip6))")
got=$(print_pcap "$WORK/captured.pcap" -e "not (udp port 9)")
is "$got" "$want" "pmacct's sFlow, captured by us, prints as the original cut at 128 bytes"
ok $(( $(echo "$got" | wc -l) == 35 ? 0 : 1 )) "all 35 IP packets of the original arrived"

done_testing
