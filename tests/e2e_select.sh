#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
# Selection through the real tcpdump: agent= (IPv4, IPv6, prefixes; left-out
# datagrams are not decoded), ifindex=, dir= and -Q, kinds combined, every
# sample left out counted under its reason; the bind address; and
# sampled_packets_estimate. The feed is tests/sflow_datagrams.py "agents":
# three agents, each with an ingress sample on ifIndex 7, an egress one on
# ifIndex 3 and an undetermined one on ifIndex 9 (packet n goes to port
# 2000+n and has sampling rate 10n).
. "$top_srcdir/tests/lib.sh"

SFLOW_STATS=1
export SFLOW_STATS

counter() { sed -n "s/^$2 //p" "$WORK/$1.err"; }

# select NAME DEVICE_SUFFIX [TCPDUMP ARGS]: the feed through sflow:PORT$SUFFIX;
# sets $ports to the destination ports of the packets, in order.
select_run() {
	name=$1 suffix=$2
	shift 2
	port=$(free_port)
	start_tcpdump "$name" -i "sflow:$port$suffix" -nn -t -l "$@"
	ok $? "$name: tcpdump listens on sflow:$port$suffix"
	python3 "$top_srcdir/tests/sflow_datagrams.py" agents "$port"
	wait_idle "$(eval echo "\$pid_$name")" "$port"
	stop_tcpdump "$name"
	is "$status" 0 "$name: tcpdump exits 0"
	ports=$(sed -n 's/.* > 10\.0\.0\.[0-9]*\.\(20[0-9][0-9]\): .*/\1/p' "$WORK/$name.out" | tr '\n' ' ')
}

select_run all ""
is "$ports" "2001 2002 2003 2004 2005 2006 2007 2008 2009 " "no selection: every sample of every agent"
is "$(counter all agent_filtered_datagrams)" 0 "no selection: no datagram left out"
is "$(counter all sampled_packets_estimate)" 450 "sampled_packets_estimate: the sum of the rates (10+20+...+90)"

select_run agent ",agent=10.1.2.3"
is "$ports" "2001 2002 2003 " "agent=10.1.2.3: only that switch's samples"
is "$(counter agent agent_filtered_datagrams)" 2 "agent=: the other 2 datagrams counted"
is "$(counter agent flow_samples)" 3 "agent=: left-out datagrams are not decoded (3 flow samples seen)"
is "$(counter agent datagrams)" 3 "agent=: every datagram received is counted"
is "$(counter agent sampled_packets_estimate)" 60 "agent=: estimate of the delivered samples only"

select_run prefixes ",agent=10.1.2.0/24,agent=2001:db8::/32"
is "$ports" "2001 2002 2003 2007 2008 2009 " "agent=10.1.2.0/24,agent=2001:db8::/32: IPv4 and IPv6 agents"
is "$(counter prefixes agent_filtered_datagrams)" 1 "prefixes: 10.9.9.9 counted"

select_run ifindex ",ifindex=7"
is "$ports" "2001 2004 2007 " "ifindex=7: the samples of data source 7"
is "$(counter ifindex filtered_by_ifindex)" 6 "ifindex=7: 6 samples counted"

select_run ifindexes ",ifindex=7,ifindex=9"
is "$ports" "2001 2003 2004 2006 2007 2009 " "ifindex=7,ifindex=9: either"

select_run in ",dir=in"
is "$ports" "2001 2004 2007 " "dir=in: ingress samples"
is "$(counter in filtered_by_direction)" 6 "dir=in: egress and undetermined counted"
select_run out ",dir=out"
is "$ports" "2002 2005 2008 " "dir=out: egress samples"
select_run q_in "" -Q in
is "$ports" "2001 2004 2007 " "-Q in: same as dir=in"

select_run combined ",agent=10.1.2.3,agent=10.9.9.9,ifindex=3,ifindex=9,dir=out"
is "$ports" "2002 2005 " "agent= and ifindex= and dir=: all must hold"
is "$(counter combined agent_filtered_datagrams) $(counter combined filtered_by_ifindex) $(counter combined filtered_by_direction)" \
   "1 2 2" "combined: each sample left out counted once, under the first kind it fails"
is "$(counter combined packets_received)" 2 "combined: 2 packets received"

# LINUX_SLL2 carries the data source ifIndex and the direction, so the
# stock BPF primitives select on them too.
select_run sll2_ifindex "" -y LINUX_SLL2 ifindex 7
is "$ports" "2001 2004 2007 " "-y LINUX_SLL2 'ifindex 7': the samples of data source 7"
select_run sll2_outbound "" -y LINUX_SLL2 outbound
is "$ports" "2002 2005 2008 " "-y LINUX_SLL2 'outbound': egress samples"
select_run sll2_inbound "" -y LINUX_SLL2 inbound
is "$ports" "2001 2003 2004 2006 2007 2009 " \
   "-y LINUX_SLL2 'inbound': not outgoing, so ingress and undetermined (PACKET_OTHERHOST)"
is "$(grep -c ' P  *IP ' "$WORK/sll2_inbound.out") $(grep -c ' In  *IP ' "$WORK/sll2_inbound.out")" "3 3" \
   "LINUX_SLL2: undetermined samples show as P (other host), ingress as In"
select_run sll2_both ",ifindex=9" -y LINUX_SLL2 "ifindex 9"
is "$ports" "2003 2006 2009 " "ifindex=9 and BPF 'ifindex 9' agree"

# The bind address: only that address, only that family.
port=$(free_port)
start_tcpdump bind4 -i "sflow:127.0.0.1:$port" -nn -t -l
ok $? "sflow:127.0.0.1:$port listens"
python3 "$top_srcdir/tests/sflow_datagrams.py" agents "$port" ::1
python3 "$top_srcdir/tests/sflow_datagrams.py" agents "$port" 127.0.0.1
wait_idle "$pid_bind4" "$port"
stop_tcpdump bind4
is "$(counter bind4 datagrams)" 3 "sflow:127.0.0.1:PORT: the 3 datagrams to 127.0.0.1, none of those to ::1"
port=$(free_port)
start_tcpdump bind6 -i "sflow:[::1]:$port" -nn -t -l
ok $? "sflow:[::1]:$port listens"
python3 "$top_srcdir/tests/sflow_datagrams.py" agents "$port" 127.0.0.1
python3 "$top_srcdir/tests/sflow_datagrams.py" agents "$port" ::1
wait_idle "$pid_bind6" "$port"
stop_tcpdump bind6
is "$(counter bind6 datagrams)" 3 "sflow:[::1]:PORT: the 3 datagrams to ::1, none of those to 127.0.0.1"
"$TCPDUMP" -i "sflow:[::1]" >"$WORK/badbind.out" 2>"$WORK/badbind.err"
ok $(( $? != 0 ? 0 : 1 )) "sflow:[::1] without a port: tcpdump fails"
contains "$WORK/badbind.err" "bad address and port '[::1]'" "sflow:[::1]: says what is wrong"
contains "$WORK/badbind.err" "use sflow[:[ADDRESS:]PORT][,OPTION...]" "sflow:[::1]: shows the grammar"

"$TCPDUMP" -D >"$WORK/devices" 2>&1
is "$(grep -cF 'sflow (sFlow collector on UDP port 6343; name it sflow[:[ADDRESS:]PORT][,OPTION...], ADDRESS IPv4 or [IPv6], OPTION drops, synth, vlan, agent=IP[/LEN], ifindex=N, dir=in|out, forward=ADDRESS:PORT, sniff=IFACE, file=PATH) [Up, Running]' "$WORK/devices")" 1 \
   "tcpdump -D describes the device and its grammar in one line"

done_testing
