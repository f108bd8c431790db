#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
# tshark through the generic launcher: its capture child (dumpcap) selects
# on the handle before each read, so this proves packets are not stranded.
# Every tshark run must exit 0, and its fields are compared line by line
# with what tshark reads from the capture the sender exported.
. "$top_srcdir/tests/lib.sh"

if ! command -v tshark >/dev/null 2>&1; then
	skip "tshark not installed"
	done_testing
	exit
fi
make_packets "$WORK/input.pcap" 40
ok $? "input capture written"

# capture NAME COUNT TSHARK-ARGS...: tshark -c COUNT on a fresh port while
# the sender exports the input once, as soon as tshark's capture child has
# the port bound (tshark says "Capturing on" before that); sets $status
# (killed if it has not exited by the deadline, WAIT_SECONDS).
capture() {
	name=$1 count=$2
	shift 2
	port=$(free_port)
	"$SFLOW_RUN" tshark -i "sflow:$port" -c "$count" "$@" \
		>"$WORK/$name.out" 2>"$WORK/$name.err" &
	pid=$!
	wait_until eval 'listening "$port" || ! running "$pid"'
	"$SFLOW_SEND" -q "$WORK/input.pcap" "127.0.0.1:$port"
	send_status=$?
	wait_until eval '! running "$pid"'
	kill $pid 2>/dev/null
	wait $pid
	status=$?
	is "$send_status" 0 "$name: the sender exits 0"
	is "$status" 0 "$name: tshark -c $count exits by itself with status 0"
	[ "$status" -eq 0 ] || sed 's/^/#   /' "$WORK/$name.err" | tail -5
}
# count_line NAME N: tshark's closing line says N packets were captured.
count_line() {
	is "$(grep -E '^[0-9]+ packets? captured$' "$WORK/$1.err")" "$2 packets captured" \
	   "$1: tshark reports $2 packets captured"
}

# Every packet: lengths and addresses. The sender exports the first 128
# bytes of each packet and the wire length, so tshark must see the original
# length, a captured length of at most 128 and the original addresses.
FIELDS="-T fields -e frame.len -e frame.cap_len -e eth.type -e ip.src -e ip.dst -e ipv6.src -e ipv6.dst -e arp.src.proto_ipv4"
# shellcheck disable=SC2086 # $FIELDS: options without spaces
tshark -r "$WORK/input.pcap" $FIELDS 2>/dev/null |
	awk 'BEGIN { FS = OFS = "\t" } { if ($2 > 128) $2 = 128; print }' >"$WORK/fields.want"
is "$(wc -l <"$WORK/fields.want")" 40 "tshark -r reads the 40 input packets"
# shellcheck disable=SC2086
capture fields 40 $FIELDS
count_line fields 40
if cmp -s "$WORK/fields.want" "$WORK/fields.out"; then ok 0 "fields: every packet's lengths and addresses, line by line"
else
	diff "$WORK/fields.want" "$WORK/fields.out" | head -20 | sed 's/^/# /'
	ok 1 "fields: every packet's lengths and addresses, line by line"
fi

# A capture filter: the 10 DNS queries, in order.
tshark -r "$WORK/input.pcap" -Y "udp.port == 53" -T fields -e dns.qry.name 2>/dev/null \
	>"$WORK/dns.want"
is "$(grep -c . "$WORK/dns.want")" 10 "tshark -r finds the 10 DNS queries in the input"
capture dns 10 -f "udp port 53" -T fields -e dns.qry.name
count_line dns 10
is "$(cat "$WORK/dns.out")" "$(cat "$WORK/dns.want")" "dns: tshark shows the 10 DNS queries, in order"

"$SFLOW_RUN" tshark -D >"$WORK/devices" 2>"$WORK/devices.err"
is "$?" 0 "tshark -D exits 0"
is "$(grep -cE '^[0-9]+\. sflow$' "$WORK/devices")" 1 "tshark -D lists the sflow device once, by its name"
"$SFLOW_RUN" >/dev/null 2>"$WORK/usage"
ok $(( $? == 2 ? 0 : 1 )) "sflow-run without a program: usage, exit 2"
is "$(grep -c '^usage: ' "$WORK/usage")" 1 "sflow-run without a program prints one usage line"
done_testing
