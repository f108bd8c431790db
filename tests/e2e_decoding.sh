#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
# End to end through tcpdump: every header protocol under every link type,
# each device option, v2 / v4 datagrams, agent time stamps, and the
# counters SFLOW_STATS=1 prints. Datagrams come from tests/sflow_datagrams.py
# (scenario "mix" is one v5 datagram with every kind of sample in it).
. "$top_srcdir/tests/lib.sh"

SFLOW_STATS=1
export SFLOW_STATS

# capture NAME COUNT SCENARIO OPTIONS [TCPDUMP ARGS...]: tcpdump on
# sflow:PORT$OPTIONS until COUNT packets, SCENARIO sent to it; the packets
# land in $WORK/NAME.pcap, the counters in $WORK/NAME.err.
capture() {
	name=$1 count=$2 scenario=$3 options=$4
	shift 4
	port=$(free_port)
	start_tcpdump "$name" -i "sflow:$port$options" -c "$count" -w "$WORK/$name.pcap" "$@"
	python3 "$top_srcdir/tests/sflow_datagrams.py" "$scenario" "$port"
	wait_exit "$name"
	is "$status" 0 "$name: tcpdump gets its $count packets and exits"
}

counter() { # counter NAME COUNTER: the value SFLOW_STATS printed
	sed -n "s/^$2 //p" "$WORK/$1.err"
}

# counters_are NAME "COUNTER VALUE" ...: each as printed at close.
counters_are() {
	name=$1
	shift
	for pair in "$@"; do
		is "$(counter "$name" "${pair% *}")" "${pair#* }" "$name: ${pair% *} ${pair#* }"
	done
}

decoded() { # decoded NAME [ARGS]: the capture as tcpdump prints it, -e
	f=$1
	shift
	print_pcap "$WORK/$f.pcap" -e "$@"
}

records() { # records NAME: 'LEN CAPLEN HEX' per packet
	python3 "$top_srcdir/tests/pcap_records.py" "$WORK/$1.pcap"
}

stamps() { # stamps NAME [ARGS]: each packet's time stamp, as tcpdump -tt prints it
	f=$1
	shift
	"$SYSTEM_TCPDUMP" -r "$WORK/$f.pcap" -tt -nn "$@" 2>/dev/null | cut -d' ' -f1
}

linktype_of() { # the link type field of a pcap file header
	python3 -c 'import struct, sys
print(struct.unpack("<I", open(sys.argv[1], "rb").read()[20:24])[0])' "$WORK/$1.pcap"
}

ETH1='02:00:00:00:00:01 > 02:00:00:00:00:02'
ZERO='00:00:00:00:00:00 > 00:00:00:00:00:00'

# ---- -L offers every link type ----
port=$(free_port)
"$TCPDUMP" -L -i "sflow:$port" >"$WORK/linktypes" 2>&1
for linktype in "EN10MB (Ethernet)" "RAW (Raw IP)" "LINUX_SLL2 (Linux cooked v2)" \
		"IEEE802_11 (802.11)" "PPP (PPP)" \
		"PPP_SERIAL (PPP over serial)" "FDDI (FDDI)" "IEEE802 (Token ring)"; do
	contains "$WORK/linktypes" "$linktype" "-L offers $linktype"
done
is "$(sed -n 2p "$WORK/linktypes")" "  EN10MB (Ethernet)" "-L: EN10MB first, the default"

# ---- EN10MB, no options ----
capture en10mb 9 mix ""
cat >"$WORK/want" <<EOF
$ETH1, ethertype IPv4 (0x0800), length 1514: 10.0.0.1.1001 > 10.0.0.2.2001: UDP, length 8
$ZERO, ethertype IPv4 (0x0800), length 54: 10.0.0.3.1002 > 10.0.0.4.80: Flags [S], seq 1, win 1024, length 0
$ZERO, ethertype IPv6 (0x86dd), length 70: 2001:db8::1.1003 > 2001:db8::2.2003: UDP, length 8
$ZERO, ethertype MPLS unicast (0x8847), length 54: MPLS (label 100, tc 0, [S], ttl 64) 10.0.0.7.1004 > 10.0.0.8.2004: UDP, length 8
$ETH1, ethertype ARP (0x0806), length 42: Request who-has 10.0.0.99 tell 10.0.0.1, length 28
$ETH1, ethertype 802.1Q (0x8100), length 1518: vlan 30, p 0, ethertype IPv4 (0x0800), 10.0.0.27.1014 > 10.0.0.28.2014: UDP, length 8
$ETH1, ethertype IPv4 (0x0800), length 60: 10.0.0.29.1015 > 10.0.0.30.2015: UDP, length 8
$ETH1, ethertype IPv4 (0x0800), length 60: 10.0.0.31.1016 > 10.0.0.32.2016: UDP, length 8
$ETH1, ethertype IPv4 (0x0800), length 60: 10.0.0.33.1017 > 10.0.0.34.2017: UDP, length 8
EOF
is "$(decoded en10mb)" "$(cat "$WORK/want")" \
   "EN10MB: Ethernet as is; IPv4, IPv6, MPLS behind a zero-MAC Ethernet header"
# Packet 1's stripped is frame_length - header_length (taken as 4: length
# 1514); packet 15's record and sample are padded past their structure.
is "$(records en10mb | sed -n 2p | cut -c1-50)" "54 54 00000000000000000000000008004500002800020000" \
   "EN10MB: IPv4 sample bytes: 14 added bytes, then the header; length + 14"
counters_are en10mb "datagrams 1" "malformed_datagrams 0" "flow_samples 19" \
	"discard_samples 2" "counter_samples 2" "unknown_samples 1" "unknown_records 1" \
	"records_skipped 1" "unsupported_header_protocol 7" "filtered_by_linktype 0" \
	"samples_without_header 1" "sampled_ip_skipped 2" "discard_samples_skipped 2" \
	"flow_samples_skipped 0" "packets_received 9"

# Agent time stamps: the sample with a 1043 record carries its own time.
is "$(stamps en10mb | sed -n 9p)" "1600000000.123456" \
   "timestamp record: the packet has the agent's time"
now=$(date +%s)
first=$(stamps en10mb | head -1 | cut -d. -f1)
ok $(( first <= now && first > now - 60 ? 0 : 1 )) "no timestamp record: receive time"
capture nano 9 mix "" --time-stamp-precision=nano
is "$(stamps nano --time-stamp-precision=nano | sed -n 9p)" "1600000000.123456789" \
   "timestamp record: nanoseconds kept"

# ---- RAW ----
capture raw 7 mix "" -y RAW
contains "$WORK/raw.err" "link-type RAW (Raw IP)" "-y RAW: tcpdump listens with RAW"
is "$(linktype_of raw)" 101 "-y RAW: file link type LINKTYPE_RAW (101)"
cat >"$WORK/want" <<EOF
ip: 10.0.0.1.1001 > 10.0.0.2.2001: UDP, length 8
ip: 10.0.0.3.1002 > 10.0.0.4.80: Flags [S], seq 1, win 1024, length 0
ip: 2001:db8::1.1003 > 2001:db8::2.2003: UDP, length 8
ip: 10.0.0.27.1014 > 10.0.0.28.2014: UDP, length 8
ip: 10.0.0.29.1015 > 10.0.0.30.2015: UDP, length 8
ip: 10.0.0.31.1016 > 10.0.0.32.2016: UDP, length 8
ip: 10.0.0.33.1017 > 10.0.0.34.2017: UDP, length 8
EOF
is "$(decoded raw)" "$(cat "$WORK/want")" "RAW: IP packets without link layer, tags stepped over"
is "$(records raw | awk '{ print $1, $2, substr($3, 1, 2) }' | tr '\n' ' ')" \
   "1500 36 45 40 40 45 56 56 60 1500 36 45 46 36 45 46 36 45 46 36 45 " \
   "RAW: wire lengths exclude the link layer stepped over"
counters_are raw "filtered_by_linktype 2" "unsupported_header_protocol 7" "packets_received 7"

# Filters compile for RAW.
capture raw_ip6 1 mix "" -y RAW ip6
is "$(decoded raw_ip6)" "ip: 2001:db8::1.1003 > 2001:db8::2.2003: UDP, length 8" "-y RAW ip6"
counters_are raw_ip6 "packets_received 7"
capture raw_port 1 mix "" -y RAW udp port 2015
is "$(decoded raw_port)" "ip: 10.0.0.29.1015 > 10.0.0.30.2015: UDP, length 8" \
   "-y RAW udp port 2015: the untagged Ethernet sample"
capture raw_vlan 1 mix "" -y RAW udp port 2014
is "$(decoded raw_vlan)" "ip: 10.0.0.27.1014 > 10.0.0.28.2014: UDP, length 8" \
   "-y RAW udp port 2014: the VLAN-tagged Ethernet sample"

# ---- LINUX_SLL2 ----
# tcpdump -e names the local interface that has the packet's index: drop
# the name, keep the direction and the index.
sll2() { decoded "$1" | sed -E 's/^.* (In|Out|P) +ifindex/\1 ifindex/'; }
capture sll2 9 mix "" -y LINUX_SLL2
contains "$WORK/sll2.err" "link-type LINUX_SLL2 (Linux cooked v2)" "-y LINUX_SLL2: tcpdump listens with it"
is "$(linktype_of sll2)" 276 "-y LINUX_SLL2: file link type LINKTYPE_LINUX_SLL2 (276)"
cat >"$WORK/want" <<EOF
In ifindex 3 02:00:00:00:00:01 ethertype IPv4 (0x0800), length 1520: 10.0.0.1.1001 > 10.0.0.2.2001: UDP, length 8
In ifindex 3 ethertype IPv4 (0x0800), length 60: 10.0.0.3.1002 > 10.0.0.4.80: Flags [S], seq 1, win 1024, length 0
In ifindex 3 ethertype IPv6 (0x86dd), length 76: 2001:db8::1.1003 > 2001:db8::2.2003: UDP, length 8
In ifindex 3 ethertype MPLS unicast (0x8847), length 60: MPLS (label 100, tc 0, [S], ttl 64) 10.0.0.7.1004 > 10.0.0.8.2004: UDP, length 8
In ifindex 3 02:00:00:00:00:01 ethertype ARP (0x0806), length 48: Request who-has 10.0.0.99 tell 10.0.0.1, length 28
In ifindex 3 02:00:00:00:00:01 ethertype 802.1Q (0x8100), length 1524: vlan 30, p 0, ethertype IPv4, 10.0.0.27.1014 > 10.0.0.28.2014: UDP, length 8
In ifindex 3 02:00:00:00:00:01 ethertype IPv4 (0x0800), length 66: 10.0.0.29.1015 > 10.0.0.30.2015: UDP, length 8
Out ifindex 4 02:00:00:00:00:01 ethertype IPv4 (0x0800), length 66: 10.0.0.31.1016 > 10.0.0.32.2016: UDP, length 8
In ifindex 3 02:00:00:00:00:01 ethertype IPv4 (0x0800), length 66: 10.0.0.33.1017 > 10.0.0.34.2017: UDP, length 8
EOF
is "$(sll2 sll2)" "$(cat "$WORK/want")" \
   "LINUX_SLL2: Ethernet loses its header (source MAC kept), IPv4 / IPv6 / MPLS as they are; data source ifIndex and direction in every packet"
is "$(records sll2 | sed -n 1p | cut -c1-48)" "1520 56 0800000000000003000100060200000000010000" \
   "LINUX_SLL2 bytes: protocol, 0, ifindex 3, ARPHRD_ETHER, PACKET_HOST, 6, source MAC"
is "$(records sll2 | sed -n 8p | cut -c1-30)" "66 56 080000000000000400010406" "LINUX_SLL2: egress is PACKET_OUTGOING"
is "$(records sll2 | sed -n 2p | cut -c1-30)" "60 60 0800000000000003fffe0000" "LINUX_SLL2: IP headers have no link-layer address (ARPHRD_NONE)"
counters_are sll2 "unsupported_header_protocol 7" "filtered_by_linktype 0" "packets_received 9"
capture sll2_options 11 mix ",synth,vlan" -y LINUX_SLL2
is "$(sll2 sll2_options | sed -n '7,8p;10,11p')" \
   "In ifindex 3 02:00:00:00:00:01 ethertype 802.1Q (0x8100), length 70: vlan 10, p 3, ethertype IPv4, 10.0.0.29.1015 > 10.0.0.30.2015: UDP, length 8
Out ifindex 4 02:00:00:00:00:01 ethertype 802.1Q (0x8100), length 70: vlan 20, p 5, ethertype IPv4, 10.0.0.31.1016 > 10.0.0.32.2016: UDP, length 8
In ifindex 3 ethertype IPv4 (0x0800), length 80: 192.0.2.10.40000 > 198.51.100.20.443: Flags [S], seq 0:20, win 0, length 20
In ifindex 3 ethertype IPv6 (0x86dd), length 120: 2001:db8::a.5353 > 2001:db8::b.53:  [|domain]" \
   "LINUX_SLL2 with vlan,synth: tags inserted after the SLL2 header, synthesized IP behind it"
capture sll2_filter 1 mix "" -y LINUX_SLL2 "outbound and udp"
is "$(sll2 sll2_filter)" "Out ifindex 4 02:00:00:00:00:01 ethertype IPv4 (0x0800), length 66: 10.0.0.31.1016 > 10.0.0.32.2016: UDP, length 8" \
   "LINUX_SLL2: BPF 'outbound' selects the egress sample"
capture sll2_drops 2 mix ",drops" -y LINUX_SLL2
is "$(sll2 sll2_drops | grep -o '^In ifindex 3\|10\.0\.0\.4[13]\.[0-9]* > [0-9.]*' | tr '\n' ' ')" \
   "In ifindex 3 10.0.0.41.1021 > 10.0.0.42.2021 In ifindex 3 10.0.0.43.1022 > 10.0.0.44.2022 " \
   "LINUX_SLL2 with drops: discard samples' packets"

# ---- link types that take one header protocol each ----
# link_type NAME -y LINE: one packet, the others filtered or unsupported.
link_type() {
	capture "$1" 1 mix "" -y "$2"
	is "$(decoded "$1")" "$3" "-y $2: only its header protocol, as is"
	counters_are "$1" "filtered_by_linktype 9" "unsupported_header_protocol 6" \
		"packets_received 1"
}
link_type wifi IEEE802_11 "BSSID:02:00:00:00:00:02 SA:02:00:00:00:00:01 DA:02:00:00:00:00:02 LLC, dsap SNAP (0xaa) Individual, ssap SNAP (0xaa) Command, ctrl 0x03: oui Ethernet (0x000000), ethertype IPv4 (0x0800), length 64: 10.0.0.9.1005 > 10.0.0.10.2005: UDP, length 8"
link_type ppp PPP "IP (0x0021), length 40: 10.0.0.11.1006 > 10.0.0.12.2006: UDP, length 8"
link_type pos PPP_SERIAL "ff 03 40 IP: 10.0.0.13.1007 > 10.0.0.14.2007: UDP, length 8"
link_type fddi FDDI "async0 02:00:00:00:00:01 > 02:00:00:00:00:02, length 96: LLC, dsap SNAP (0xaa) Individual, ssap SNAP (0xaa) Command, ctrl 0x03: oui Ethernet (0x000000), ethertype IPv4 (0x0800), length 75: 10.0.0.45.1023 > 10.0.0.46.2023: UDP, length 8"
link_type tokenring IEEE802 "10 40 02:00:00:00:00:01 > 02:00:00:00:00:02, length 96: LLC, dsap SNAP (0xaa) Individual, ssap SNAP (0xaa) Command, ctrl 0x03: oui Ethernet (0x000000), ethertype IPv4 (0x0800), length 74: 10.0.0.47.1024 > 10.0.0.48.2024: UDP, length 8"

# ---- synth ----
capture synth 11 mix ",synth"
is "$(decoded synth -v | tail -3)" \
   "$ZERO, ethertype IPv4 (0x0800), length 74: (tos 0x0, ttl 64, id 0, offset 0, flags [none], proto TCP (6), length 60)
    192.0.2.10.40000 > 198.51.100.20.443: Flags [S], seq 0:20, win 0, length 20
$ZERO, ethertype IPv6 (0x86dd), length 114: (hlim 64, next-header UDP (17) payload length: 60) 2001:db8::a.5353 > 2001:db8::b.53:  [|domain]" \
   "synth: sampled_ipv4 / sampled_ipv6 become Ethernet + IP + TCP / UDP"
counters_are synth "sampled_ip_skipped 0" "packets_received 11"
capture synth_filter 1 mix ",synth" "tcp dst port 443 and tcp[tcpflags] == tcp-syn"
is "$(print_pcap "$WORK/synth_filter.pcap")" \
   "IP 192.0.2.10.40000 > 198.51.100.20.443: Flags [S], seq 0:20, win 0, length 20" \
   "synth: filters see the synthesized headers"
capture synth_raw 9 mix ",synth" -y RAW
is "$(decoded synth_raw | tail -2)" \
   "ip: 192.0.2.10.40000 > 198.51.100.20.443: Flags [S], seq 0:20, win 0, length 20
ip: 2001:db8::a.5353 > 2001:db8::b.53:  [|domain]" "synth under RAW: IP + TCP / UDP"
is "$(records synth_raw | tail -2 | awk '{ print $1, $2 }' | tr '\n' ' ')" "60 40 100 48 " \
   "synth under RAW: wire length is the record's length"

# ---- vlan ----
capture vlan 9 mix ",vlan"
is "$(decoded vlan | sed -n 6,8p)" \
   "$ETH1, ethertype 802.1Q (0x8100), length 1518: vlan 30, p 0, ethertype IPv4 (0x0800), 10.0.0.27.1014 > 10.0.0.28.2014: UDP, length 8
$ETH1, ethertype 802.1Q (0x8100), length 64: vlan 10, p 3, ethertype IPv4 (0x0800), 10.0.0.29.1015 > 10.0.0.30.2015: UDP, length 8
$ETH1, ethertype 802.1Q (0x8100), length 64: vlan 20, p 5, ethertype IPv4 (0x0800), 10.0.0.31.1016 > 10.0.0.32.2016: UDP, length 8" \
   "vlan: tagged frame kept; ingress gets src_vlan, egress dst_vlan, length + 4"
capture vlan10 2 mix ",vlan" "port 2001 or vlan 10"
is "$(decoded vlan10 | sed 's/,.*length \([0-9]*\):/ \1/' | cut -d' ' -f4-6)" \
   "1514 10.0.0.1.1001 >
64 vlan 10," "vlan: 'tcpdump vlan 10' matches the inserted tag"
capture novlan10 1 mix "" "port 2001 or vlan 10"
is "$(decoded novlan10 | cut -d, -f3)" " length 1514: 10.0.0.1.1001 > 10.0.0.2.2001: UDP" \
   "without vlan: no tag inserted, 'vlan 10' matches nothing"
counters_are novlan10 "packets_received 9"

# ---- drops ----
capture drops 2 mix ",drops"
is "$(decoded drops)" \
   "$ETH1, ethertype IPv4 (0x0800), length 60: 10.0.0.41.1021 > 10.0.0.42.2021: UDP, length 8
$ZERO, ethertype IPv4 (0x0800), length 50: 10.0.0.43.1022 > 10.0.0.44.2022: UDP, length 8" \
   "drops: only the discard samples' packets"
counters_are drops "flow_samples_skipped 19" "discard_samples_skipped 0" "packets_received 2"
capture drops_raw 2 mix ",drops" -y RAW
is "$(print_pcap "$WORK/drops_raw.pcap")" \
   "IP 10.0.0.41.1021 > 10.0.0.42.2021: UDP, length 8
IP 10.0.0.43.1022 > 10.0.0.44.2022: UDP, length 8" "drops under RAW"
capture all 2 mix ",drops,vlan,synth"
is "$(decoded all | head -1)" \
   "$ETH1, ethertype 802.1Q (0x8100), length 64: vlan 10, p 3, ethertype IPv4 (0x0800), 10.0.0.41.1021 > 10.0.0.42.2021: UDP, length 8" \
   "drops,vlan,synth: options combine"

# ---- v4 and v2 datagrams ----
capture v4 2 v4 ""
is "$(decoded v4)" \
   "$ETH1, ethertype IPv4 (0x0800), length 1514: 10.1.0.1.3001 > 10.1.0.2.4001: UDP, length 8
$ZERO, ethertype IPv4 (0x0800), length 114: 10.1.0.3.3002 > 10.1.0.4.4002: UDP, length 8" \
   "v4: header samples delivered up to the unknown extended type"
counters_are v4 "malformed_datagrams 1" "flow_samples 4" "counter_samples 2" \
	"records_skipped 4" "sampled_ip_skipped 2" "packets_received 2"
capture v4_options 4 v4 ",synth,vlan"
is "$(decoded v4_options | sed 's/, length.*//')" \
   "$ETH1, ethertype 802.1Q (0x8100)
$ZERO, ethertype IPv4 (0x0800)
$ZERO, ethertype IPv6 (0x86dd)
$ZERO, ethertype IPv4 (0x0800)" \
   "v4 with synth,vlan: tagged header, synthesized IPv4 / IPv6, IPv4 header"
is "$(decoded v4_options | sed -n 1p | grep -o 'length 1518: vlan 10, p 3')" "length 1518: vlan 10, p 3" \
   "v4 extended switch: VLAN inserted"
capture v4_raw 2 v4 "" -y RAW
is "$(records v4_raw | awk '{ print $1 }' | tr '\n' ' ')" "1500 100 " \
   "v4 under RAW: Ethernet FCS and header excluded; IPv4 header frame_length as is"
capture v2 1 v2 ",vlan"
is "$(decoded v2)" \
   "$ETH1, ethertype 802.1Q (0x8100), length 1518: vlan 10, p 0, ethertype IPv4 (0x0800), 10.2.0.1.3005 > 10.2.0.2.4005: UDP, length 8" \
   "v2: header sample with its gateway record stepped over"
counters_are v2 "malformed_datagrams 0" "counter_samples 1" "records_skipped 1"

# ---- errors ----
port=$(free_port)
"$TCPDUMP" -i "sflow:$port,bogus" >"$WORK/badopt.out" 2>"$WORK/badopt.err"
ok $(( $? != 0 ? 0 : 1 )) "unknown option: tcpdump fails"
contains "$WORK/badopt.err" "unknown option 'bogus'; use sflow[:[ADDRESS:]PORT][,OPTION...], ADDRESS IPv4 or [IPv6], OPTION drops, synth, vlan, agent=IP[/LEN], ifindex=N, dir=in|out, forward=ADDRESS:PORT" \
	 "unknown option: one line with the whole grammar"
is "$(wc -l <"$WORK/badopt.err")" 1 "unknown option: one line"
"$TCPDUMP" -i "sflow:$port" -y LINUX_SLL >"$WORK/badlink.out" 2>"$WORK/badlink.err"
ok $(( $? != 0 ? 0 : 1 )) "-y LINUX_SLL: tcpdump fails"
contains "$WORK/badlink.err" "link type LINUX_SLL is not offered" "-y LINUX_SLL: says why"

done_testing
