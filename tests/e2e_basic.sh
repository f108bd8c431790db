#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
# End to end: the stock tcpdump, through our launcher, captures sampled
# packets sent as sFlow v5 to 127.0.0.1 by our sender.
. "$top_srcdir/tests/lib.sh"

INPUT="$WORK/input.pcap"
make_packets "$INPUT" 40

# -D lists sflow after the real devices, which are still there.
"$TCPDUMP" -D >"$WORK/devices" 2>&1
contains "$WORK/devices" "sflow (sFlow collector on UDP port 6343" "tcpdump -D lists sflow"
contains "$WORK/devices" ".lo " "tcpdump -D still lists the real devices"

# -c 40 -w: exits by itself; the file reads back as the original packets
# cut to the 128-byte sampled header, with the original lengths.
port=$(free_port)
start_tcpdump write -i "sflow:$port" -c 40 -w "$WORK/out.pcap"
ok $? "tcpdump listens on sflow:$port"
contains "$WORK/write.err" "link-type EN10MB (Ethernet)" "listening line names EN10MB"
"$SFLOW_SEND" -q "$INPUT" "127.0.0.1:$port"
wait_exit write
is "$status" 0 "tcpdump -c 40 exits 0 by itself"
contains "$WORK/write.err" "40 packets captured" "40 packets captured"
contains "$WORK/write.err" "40 packets received by filter" "40 packets received by filter"
contains "$WORK/write.err" "0 packets dropped by kernel" "0 packets dropped by kernel"
print_pcap "$INPUT" -e -s 128 >"$WORK/want"
print_pcap "$WORK/out.pcap" -e >"$WORK/got"
is "$(cat "$WORK/got")" "$(cat "$WORK/want")" "-w file prints as the original cut at 128 bytes"
is "$("$SYSTEM_TCPDUMP" -r "$WORK/out.pcap" 2>&1 >/dev/null | head -1)" \
   "reading from file $WORK/out.pcap, link-type EN10MB (Ethernet), snapshot length 262144" \
   "-w file has link type EN10MB and the snap length"
# Lengths: frame_length less the FCS, captured bytes at most 128.
lengths=$("$SYSTEM_TCPDUMP" -r "$WORK/out.pcap" -nn -e 2>/dev/null | grep -c "length 1454:")
is "$lengths" 5 "large frames keep their wire length (1454)"
now=$(date +%s)
first=$("$SYSTEM_TCPDUMP" -r "$WORK/out.pcap" -tt -c 1 2>/dev/null | cut -d. -f1)
ok $(( first <= now && first > now - 60 ? 0 : 1 )) "time stamps are receive times"

# BPF filters, applied to the sampled packets.
for filter in "port 53" "tcp[tcpflags] == tcp-syn" "ip6" "vlan 10" "arp or icmp"; do
	port=$(free_port)
	want=$(print_pcap "$INPUT" -s 128 "$filter" | wc -l)
	start_tcpdump filter -i "sflow:$port" -nn -t -c "$want" "$filter"
	"$SFLOW_SEND" -q "$INPUT" "127.0.0.1:$port"
	wait_exit filter
	is "$status" 0 "filter '$filter': exits after its $want packets"
	is "$(cat "$WORK/filter.out")" "$(print_pcap "$INPUT" -s 128 "$filter")" \
	   "filter '$filter': the matching packets, in order"
done

# -vv decodes live; SIGINT ends the capture with true statistics.
port=$(free_port)
start_tcpdump verbose -i "sflow:$port" -vv -nn -l port 53
"$SFLOW_SEND" -q "$INPUT" "127.0.0.1:$port"
wait_idle "$pid_verbose" "$port"
stop_tcpdump verbose
is "$status" 0 "SIGINT: exit status 0"
contains "$WORK/verbose.out" "A? example0.com." "-vv prints decoded DNS"
contains "$WORK/verbose.out" "proto UDP (17)" "-vv prints IP details"
contains "$WORK/verbose.err" "10 packets captured" "stats: 10 packets captured"
contains "$WORK/verbose.err" "40 packets received by filter" "stats: 40 packets received by filter"

# SIGINT while idle: out within a second, statistics printed.
port=$(free_port)
start_tcpdump idle -i "sflow:$port"
kill -INT "$pid_idle"
exited=1
for _ in $(seq 20); do
	kill -0 "$pid_idle" 2>/dev/null || { exited=0; break; }
	sleep 0.05
done
ok $exited "SIGINT while idle: tcpdump exits within one second"
wait_exit idle
contains "$WORK/idle.err" "0 packets captured" "idle: statistics printed"
port=$(free_port)
start_tcpdump term -i "sflow:$port"
kill -TERM "$pid_term"
wait_exit term
contains "$WORK/term.err" "0 packets received by filter" "SIGTERM: statistics printed"

# Nanosecond time stamps when asked.
port=$(free_port)
start_tcpdump nano -i "sflow:$port" --time-stamp-precision=nano -c 1 -w "$WORK/nano.pcap"
"$SFLOW_SEND" -q -c 1 "$INPUT" "127.0.0.1:$port"
wait_exit nano
is "$(od -An -tx1 -N4 "$WORK/nano.pcap" | tr -d ' ')" "4d3cb2a1" "--time-stamp-precision=nano writes a nanosecond pcap"

# One socket takes IPv4 and IPv6 alike.
port=$(free_port)
start_tcpdump ipv6 -i "sflow:$port" -c 80 -w "$WORK/both.pcap"
"$SFLOW_SEND" -q "$INPUT" "[::1]:$port"
"$SFLOW_SEND" -q -a ::1 "$INPUT" "127.0.0.1:$port"
wait_exit ipv6
contains "$WORK/ipv6.err" "80 packets captured" "datagrams over IPv6 (::1) and IPv4 both arrive"

# -Q: our sender samples on ingress (data source = input interface).
port=$(free_port)
start_tcpdump qin -i "sflow:$port" -Q in -c 40
"$SFLOW_SEND" -q "$INPUT" "127.0.0.1:$port"
wait_exit qin
contains "$WORK/qin.err" "40 packets captured" "-Q in: every sample taken on ingress"
port=$(free_port)
SFLOW_STATS=1 start_tcpdump qout -i "sflow:$port" -Q out
"$SFLOW_SEND" -q "$INPUT" "127.0.0.1:$port"
wait_idle "$pid_qout" "$port"
stop_tcpdump qout
contains "$WORK/qout.err" "0 packets captured" "-Q out: no sample taken on egress"
contains "$WORK/qout.err" "filtered_by_direction 40" "-Q out: the 40 counted as filtered by direction"

# -L lists the link types.
port=$(free_port)
"$TCPDUMP" -L -i "sflow:$port" >"$WORK/linktypes" 2>&1
contains "$WORK/linktypes" "EN10MB (Ethernet)" "-L offers EN10MB"

# Errors a user can cause: one clear line each.
one_line_error() { # one_line_error NAME TEXT ARGS...
	name=$1 text=$2; shift 2
	"$TCPDUMP" "$@" >"$WORK/$name.out" 2>"$WORK/$name.err"
	ok $(( $? != 0 ? 0 : 1 )) "$name: tcpdump fails"
	contains "$WORK/$name.err" "$text" "$name: says '$text'"
	is "$(wc -l <"$WORK/$name.err")" 1 "$name: one line"
}
one_line_error bad-name "use sflow[:[ADDRESS:]PORT][,OPTION...]" -i sflowx
one_line_error bad-port "bad port '99999'" -i sflow:99999
one_line_error zero-port "bad port '0'" -i sflow:0
port=$(free_port)
start_tcpdump holder -i "sflow:$port"
one_line_error busy-port "UDP port $port is already in use" -i "sflow:$port"
stop_tcpdump holder
if [ "$(cat /proc/sys/net/ipv4/ip_unprivileged_port_start)" -gt 999 ]; then
	if [ "$(id -u)" -eq 0 ]; then
		as_nobody="setpriv --reuid=65534 --regid=65534 --clear-groups"
	else
		as_nobody=""
	fi
	$as_nobody "$TCPDUMP" -i sflow:999 >"$WORK/perm.out" 2>"$WORK/perm.err"
	ok $(( $? != 0 ? 0 : 1 )) "port 999 unprivileged: tcpdump fails"
	contains "$WORK/perm.err" "needs root or CAP_NET_BIND_SERVICE" "port 999 unprivileged: says why"
	is "$(wc -l <"$WORK/perm.err")" 1 "port 999 unprivileged: one line"
else
	skip "unprivileged ports start below 1000 on this host"
fi

# Devices that are not ours are untouched: reading a file goes to libpcap.
"$TCPDUMP" -r "$INPUT" -nn >"$WORK/plain" 2>/dev/null
is "$(wc -l <"$WORK/plain")" 40 "tcpdump -r through the launcher reads files as before"

done_testing
