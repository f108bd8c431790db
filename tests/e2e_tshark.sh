#!/bin/sh
# tshark through the generic launcher: its capture child (dumpcap) selects
# on the handle before each read, so this proves packets are not stranded.
. "$top_srcdir/tests/lib.sh"

if ! command -v tshark >/dev/null 2>&1; then
	skip "tshark not installed"
	done_testing
	exit
fi
make_packets "$WORK/input.pcap" 40
port=$(free_port)
"$SFLOW_RUN" tshark -i "sflow:$port" -f "udp port 53" -c 10 -T fields -e dns.qry.name \
	>"$WORK/tshark.out" 2>"$WORK/tshark.err" &
pid=$!
for _ in $(seq 200); do
	grep -q "Capture started\|Capturing on" "$WORK/tshark.err" 2>/dev/null && break
	sleep 0.05
done
sleep 0.5
"$SFLOW_SEND" -q "$WORK/input.pcap" "127.0.0.1:$port"
for _ in $(seq 200); do kill -0 $pid 2>/dev/null || break; sleep 0.05; done
kill $pid 2>/dev/null
wait $pid
is "$?" 0 "tshark -c 10 exits by itself"
want=$(print_pcap "$WORK/input.pcap" "udp port 53" | sed -n 's/.* A? \(.*\)\. (.*/\1/p')
is "$(cat "$WORK/tshark.out")" "$want" "tshark shows the 10 DNS queries, in order"
"$SFLOW_RUN" tshark -D >"$WORK/devices" 2>&1
contains "$WORK/devices" "sflow" "tshark -D lists sflow"
"$SFLOW_RUN" >/dev/null 2>"$WORK/usage"
ok $(( $? == 2 ? 0 : 1 )) "sflow-run without a program: usage, exit 2"
done_testing
