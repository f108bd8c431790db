#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
# Interop with a real switch: Open vSwitch, run without a kernel module
# (ovsdb-server, and ovs-vswitchd with its dummy datapath), every daemon in
# this test's own directory. Two bridges, with agent addresses 127.0.0.2
# and 127.0.0.3 (OVS exports them as two agents), both sampling 1 in 1 with
# 128-byte headers to one tcpdump; that tcpdump forwards the feed to two
# more, one with agent=127.0.0.2 and one with agent=127.0.0.3. The same
# packets are injected on a port of each bridge. Without agent= every
# injected packet comes out, byte for byte against the input cut at 128
# bytes; agent= gets exactly one switch's, in order. (OVS's dummy ports have
# no ifIndex: ifindex=, dir= and LINUX_SLL2 are tested with our own feeds.)
. "$top_srcdir/tests/lib.sh"

for program in ovsdb-tool ovsdb-server ovs-vswitchd ovs-vsctl ovs-appctl; do
	if ! command -v "$program" >/dev/null 2>&1 && [ ! -x "/usr/sbin/$program" ]; then
		skip "Open vSwitch not installed (apt-get install openvswitch-switch)"
		done_testing
		exit
	fi
done
PATH="$PATH:/usr/sbin"
SCHEMA=/usr/share/openvswitch/vswitch.ovsschema

# Every daemon runs, logs and keeps its database here, and is stopped by
# its pid file, always (also when the test fails or times out).
D="$WORK/ovs"
mkdir -p "$D"
OVS_RUNDIR=$D OVS_LOGDIR=$D OVS_DBDIR=$D OVS_SYSCONFDIR=$D
export OVS_RUNDIR OVS_LOGDIR OVS_DBDIR OVS_SYSCONFDIR
stop_ovs() {
	for daemon in ovs-vswitchd ovsdb-server; do
		[ -s "$D/$daemon.pid" ] || continue
		pid=$(cat "$D/$daemon.pid")
		kill "$pid" 2>/dev/null
		wait_until eval '! kill -0 "$pid" 2>/dev/null'
		kill -KILL "$pid" 2>/dev/null
		rm -f "$D/$daemon.pid"
	done
}
trap 'stop_ovs; cleanup_work' EXIT
trap 'exit 1' INT TERM

VSCTL="ovs-vsctl --db=unix:$D/db.sock --timeout=$WAIT_SECONDS"
ovsdb-tool create "$D/conf.db" "$SCHEMA" &&
	ovsdb-server --detach --no-chdir --pidfile="$D/ovsdb-server.pid" --log-file="$D/db.log" \
		--remote=punix:"$D/db.sock" "$D/conf.db" &&
	$VSCTL --no-wait init &&
	ovs-vswitchd --enable-dummy=override --disable-system --detach --no-chdir \
		--pidfile="$D/ovs-vswitchd.pid" --log-file="$D/vs.log" unix:"$D/db.sock"
ok $? "ovsdb-server and ovs-vswitchd (dummy datapath) start in the test's directory"
$VSCTL add-br br0 -- set bridge br0 datapath_type=dummy fail-mode=standalone \
	-- add-port br0 p1 -- set Interface p1 type=dummy &&
	$VSCTL add-br br1 -- set bridge br1 datapath_type=dummy fail-mode=standalone \
	-- add-port br1 p2 -- set Interface p2 type=dummy
ok $? "two dummy bridges, a dummy port each"

port=$(free_port)
port2=$(free_port)
port3=$(free_port)
start_tcpdump all -i "sflow:$port,forward=127.0.0.1:$port2,forward=127.0.0.1:$port3" \
	-U -w "$WORK/all.pcap"
ok $? "tcpdump on sflow:$port, forwarding to two more"
start_tcpdump two -i "sflow:$port2,agent=127.0.0.2" -U -w "$WORK/two.pcap"
ok $? "tcpdump with agent=127.0.0.2"
start_tcpdump three -i "sflow:$port3,agent=127.0.0.3" -U -w "$WORK/three.pcap"
ok $? "tcpdump with agent=127.0.0.3"

for bridge in 0 1; do
	$VSCTL -- --id=@s create sflow agent=127.0.0.$((bridge + 2)) \
		target="\"127.0.0.1:$port\"" header=128 sampling=1 polling=0 \
		-- set bridge br$bridge sflow=@s >/dev/null
done
ok $? "sFlow on both bridges: agents 127.0.0.2 and 127.0.0.3, sampling 1, 128-byte headers"

make_packets "$WORK/input.pcap" 20
# The input as an agent with 128-byte headers exports it: LEN CAPLEN HEX.
python3 "$top_srcdir/tests/pcap_records.py" "$WORK/input.pcap" |
	awk '{ print $1, ($2 > 128 ? 128 : $2), substr($3, 1, 256) }' >"$WORK/want"
python3 - "$WORK/input.pcap" >"$WORK/hex" <<'PY'
import struct, sys
data = open(sys.argv[1], "rb").read()
at = 24
while at + 16 <= len(data):
    length = struct.unpack("<I", data[at + 8:at + 12])[0]
    print(data[at + 16:at + 16 + length].hex())
    at += 16 + length
PY
control="$D/ovs-vswitchd.$(cat "$D/ovs-vswitchd.pid").ctl"
injected=0
while read -r frame; do
	ovs-appctl --target="$control" netdev-dummy/receive p1 "$frame" &&
		ovs-appctl --target="$control" netdev-dummy/receive p2 "$frame" &&
		injected=$((injected + 2))
done <"$WORK/hex"
is "$injected" 40 "20 packets injected on each bridge's port"

# OVS flushes its samples about once a second: wait for all of them, in
# each capture (-U: each packet is in the file as soon as it is captured).
captured() { # captured NAME: the packets in $WORK/NAME.pcap so far
	python3 "$top_srcdir/tests/pcap_records.py" "$WORK/$1.pcap" 2>/dev/null | wc -l
}
all_arrived() {
	[ "$(captured all)" -ge 40 ] && [ "$(captured two)" -ge 20 ] && [ "$(captured three)" -ge 20 ]
}
wait_until all_arrived
for name in all two three; do
	stop_tcpdump "$name"
	is "$status" 0 "tcpdump $name exits 0"
done
records() { python3 "$top_srcdir/tests/pcap_records.py" "$WORK/$1.pcap"; }
is "$(records all | sort)" "$( (cat "$WORK/want"; cat "$WORK/want") | sort)" \
   "without agent=: every injected packet, twice (once per switch), byte for byte against the input cut at 128"
is "$(records two)" "$(cat "$WORK/want")" "agent=127.0.0.2: exactly br0's packets, in order, byte for byte"
is "$(records three)" "$(cat "$WORK/want")" "agent=127.0.0.3: exactly br1's packets, in order, byte for byte"
contains "$WORK/two.err" "20 packets captured" "agent=127.0.0.2: 20 packets captured"

stop_ovs
ok $(( $(ls "$D"/*.pid 2>/dev/null | wc -l) == 0 ? 0 : 1 )) "both daemons stopped by their pid files"
done_testing
