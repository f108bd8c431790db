#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
# sniff=IFACE beside a real collector: pmacct's sfacctd bound to the port on
# 127.0.0.1, pmacct's pmacctd (sfprobe) exporting a pcap to it. tcpdump -i
# 'sflow:PORT,sniff=lo' captures every sampled packet byte for byte, while
# sfacctd writes what it writes when we are not there; forward= works from
# this source; without root, one line says what is needed.
. "$top_srcdir/tests/lib.sh"

PMACCTD="${PMACCTD:-$(command -v pmacctd)}"
SFACCTD="$(command -v sfacctd || echo /usr/sbin/sfacctd)"
if [ "$(id -u)" -ne 0 ] || [ -z "$PMACCTD" ] || [ ! -x "$PMACCTD" ] || [ ! -x "$SFACCTD" ]; then
	skip "needs root, pmacctd and sfacctd (apt-get install pmacct)"
	done_testing
	exit
fi

# The exporter's input: 40 packets, then filler (UDP to port 9) that
# pushes the last real ones out of pmacct's part-full datagram.
make_packets "$WORK/packets.pcap" 40
python3 "$top_srcdir/tests/pmacct_input.py" "$WORK/packets.pcap" "$WORK/input.pcap"

bound() { [ -n "$(ss -Hlun "src 127.0.0.1:$1" 2>/dev/null)" ]; }

# collect NAME PORT [TCPDUMP ARGS...]: sfacctd on 127.0.0.1:PORT, pmacctd
# exporting to it, and with ARGS a tcpdump sniffing beside it meanwhile;
# sfacctd's rows end in $WORK/NAME.csv.
collect() {
	name=$1 port=$2; shift 2
	cat >"$WORK/$name.sfacctd.conf" <<CONF
daemonize: false
sfacctd_ip: 127.0.0.1
sfacctd_port: $port
plugins: print
print_output: csv
print_output_file: $WORK/$name.csv
print_refresh_time: 60
aggregate: src_host, dst_host, proto
CONF
	cat >"$WORK/$name.pmacctd.conf" <<CONF
daemonize: false
pcap_savefile: $WORK/input.pcap
plugins: sfprobe
sampling_rate: 1
sfprobe_receiver: 127.0.0.1:$port
sfprobe_agentip: 127.0.0.1
CONF
	"$SFACCTD" -f "$WORK/$name.sfacctd.conf" >"$WORK/$name.sfacctd.log" 2>&1 &
	collector=$!
	wait_until bound "$port"
	ok $? "$name: sfacctd bound 127.0.0.1:$port"
	if [ $# -gt 0 ]; then
		start_tcpdump "$name" "$@"
		ok $? "$name: tcpdump listens beside it: $*"
	fi
	timeout 60 "$PMACCTD" -f "$WORK/$name.pmacctd.conf" >"$WORK/$name.pmacctd.log" 2>&1
	contains "$WORK/$name.pmacctd.log" "Exporting flows to [127.0.0.1]:$port" \
		 "$name: pmacctd exported to sfacctd"
	# sfacctd has read all it was sent.
	wait_until eval '[ "$(queued "$port")" -eq 0 ]'
	if [ $# -gt 0 ]; then
		# -U writes each packet as it comes: wait for the 35 real ones.
		wait_until eval '[ "$(print_pcap "$WORK/$name.pcap" "not (udp port 9)" | wc -l)" -ge 35 ]'
		stop_tcpdump "$name"
		is "$status" 0 "$name: tcpdump exits cleanly"
	fi
	# SIGINT: sfacctd writes its cache and exits.
	kill -INT "$collector"
	wait_until eval '! running "$collector"'
	kill -KILL "$collector" 2>/dev/null
	wait "$collector" 2>/dev/null
	# Its rows, filler aside (how much filler leaves pmacct varies).
	grep -v '^192\.0\.2\.' "$WORK/$name.csv" 2>/dev/null | sort >"$WORK/$name.rows"
}

collect alone "$(free_port)"
ok $(( $(wc -l <"$WORK/alone.rows") >= 5 ? 0 : 1 )) "alone: sfacctd wrote its rows"

port=$(free_port)
collect beside "$port" -i "sflow:$port,sniff=lo" -U -Z tcpdump -w "$WORK/beside.pcap"
is "$(cat "$WORK/beside.rows")" "$(cat "$WORK/alone.rows")" \
   "beside: sfacctd's output is what it writes when we are not running"
want=$(print_pcap "$WORK/packets.pcap" -e -s 128 "ip or ip6 or (vlan and (ip or ip6))")
got=$(print_pcap "$WORK/beside.pcap" -e "not (udp port 9)")
is "$got" "$want" "beside: every sampled packet, as the original cut at 128 bytes"
ok $(( $(echo "$got" | wc -l) == 35 ? 0 : 1 )) "beside: all 35 IP packets, after tcpdump -Z gave up root"

# forward= from a sniffed feed: every datagram sent on, byte for byte, as
# sfacctd got it (a second listener stands for another collector).
port=$(free_port) fport=$(free_port)
python3 "$top_srcdir/tests/udp_listen.py" 127.0.0.1 "$fport" "$WORK/forwarded" &
listener=$!
wait_until test -e "$WORK/forwarded.ready"
"$SYSTEM_TCPDUMP" -i lo -U -w "$WORK/wire.pcap" "udp dst port $port" 2>"$WORK/wire.err" &
wire=$!
wait_until grep -q "listening on" "$WORK/wire.err"
SFLOW_STATS=1 collect forward "$port" -i "sflow:$port,sniff=lo,forward=127.0.0.1:$fport" \
	-U -w "$WORK/forward.pcap"
kill -INT "$wire"; wait "$wire"
# The listener has written down all that was forwarded to it.
wait_idle "$listener" "$fport"
kill -TERM "$listener"
wait "$listener"
python3 - "$WORK/wire.pcap" >"$WORK/wire.hex" <<'PY'
import struct, sys
data = open(sys.argv[1], "rb").read()
offset = 24
while offset + 16 <= len(data):
    caplen = struct.unpack("<I", data[offset + 8:offset + 12])[0]
    frame = data[offset + 16:offset + 16 + caplen]
    print(frame[14 + 20 + 8:].hex())        # Ethernet, IPv4, UDP
    offset += 16 + caplen
PY
ok $(( $(wc -l <"$WORK/forwarded") > 0 ? 0 : 1 )) "forward: datagrams arrived at the second collector"
is "$(cat "$WORK/forwarded")" "$(cat "$WORK/wire.hex")" \
   "forward: exactly the datagrams on the wire to the port, byte for byte, in order"
is "$(sed -n 's/^datagrams_forwarded //p' "$WORK/forward.err")" "$(wc -l <"$WORK/wire.hex")" \
   "forward: datagrams_forwarded counts them"

# Without root or CAP_NET_RAW: one line, saying what is needed.
port=$(free_port)
setpriv --reuid=65534 --regid=65534 --clear-groups --inh-caps=-all \
	"$TCPDUMP" -i "sflow:$port,sniff=lo" >"$WORK/user.out" 2>"$WORK/user.err"
is "$?" 1 "as nobody: tcpdump fails"
contains "$WORK/user.err" "needs root or CAP_NET_RAW" "as nobody: says what is needed"
is "$(wc -l <"$WORK/user.err")" 1 "as nobody: one line"
# An interface that is not there.
"$TCPDUMP" -i "sflow:$port,sniff=nosuch0" >"$WORK/nosuch.out" 2>"$WORK/nosuch.err"
contains "$WORK/nosuch.err" "there is no interface nosuch0 here" "sniff=nosuch0: says so"
is "$(wc -l <"$WORK/nosuch.err")" 1 "sniff=nosuch0: one line"

done_testing
