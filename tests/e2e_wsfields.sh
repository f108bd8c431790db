#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
# The sampling context in Wireshark, as Debian's normal Wireshark user meets
# it (tests/extcap_user.sh: not root, group wireshark, dumpcap with file
# capabilities): tshark captures through the build tree's sflow-extcap with
# the build tree's plugin (-X lua_script:tcpdump/sflow_sample.lua), on a
# feed of several agents, sub-agents, ports, directions, interface formats
# and rates, one IPv6 agent (tests/wsfields_feed.py, which also says what
# each packet must show, from the values it encodes). Checked: the
# sflow_sample fields and display filters on them, live and on the saved
# file; the estimate in wire units against the sum computed from the feed;
# one pcapng interface per switch port (names, per-interface counts with
# capinfos); discard reasons by name; -T ek.
. "$top_srcdir/tests/lib.sh"
. "$top_srcdir/tests/extcap_user.sh"

LUA="$top_srcdir/tcpdump/sflow_sample.lua"
feed() { python3 "$top_srcdir/tests/wsfields_feed.py" "$@"; }
# tshark as the user with the plugin, reading FILE.
ts() { as_user tshark -X "lua_script:$LUA" "$@" 2>>"$WORK/ts.err"; }

feed expect flows >"$WORK/flows.want"
feed expect discards >"$WORK/discards.want"
N=$(wc -l <"$WORK/flows.want")
D=$(wc -l <"$WORK/discards.want")
# want AWK_CONDITION [FILE]: the packet numbers the expectations select.
want() { awk -F '\t' "$1 { print \$1 }" "${2:-$WORK/flows.want}"; }

# ---- the plugin's fields, and its names of the drop reasons ----
as_user tshark -G fields -X "lua_script:$LUA" 2>/dev/null |
	awk -F '\t' '$1 == "F" && $5 == "sflow_sample" { print $3 " " $4 }' | sort >"$WORK/fields"
sort >"$WORK/fields.want" <<'EOF'
sflow_sample.agent FT_IPv4
sflow_sample.agent_ipv6 FT_IPv6
sflow_sample.sub_agent FT_UINT32
sflow_sample.source_class FT_UINT32
sflow_sample.source_index FT_UINT32
sflow_sample.in_ifindex FT_UINT32
sflow_sample.out_ifindex FT_UINT32
sflow_sample.in_format FT_UINT32
sflow_sample.out_format FT_UINT32
sflow_sample.direction FT_STRING
sflow_sample.rate FT_UINT32
sflow_sample.pool FT_UINT32
sflow_sample.seq FT_UINT32
sflow_sample.drops FT_UINT32
sflow_sample.discard_reason FT_UINT32
sflow_sample.est_packets FT_UINT64
sflow_sample.est_bytes FT_UINT64
EOF
is "$(cat "$WORK/fields")" "$(cat "$WORK/fields.want")" "tshark -G fields -X lua_script: every sflow_sample field, typed"
as_user tshark -G values -X "lua_script:$LUA" 2>/dev/null |
	awk -F '\t' '$1 == "V" && $2 == "sflow_sample.discard_reason" { print $3 " " $4 }' |
	sort -n >"$WORK/reasons.lua"
# The extcap's table (tcpdump/drop_reasons.c): codes 0-15, then 256 on.
python3 - "$top_srcdir/tcpdump/drop_reasons.c" >"$WORK/reasons.c" <<'PY'
import re, sys
text = open(sys.argv[1]).read()
for start, name in ((0, "unreachable"), (256, "from_256")):
    body = re.search(r"%s\[[^]]*\] = \{(.*?)\};" % name, text, re.S).group(1)
    for i, reason in enumerate(re.findall(r'"([a-z0-9_]+)"', body)):
        print(start + i, reason)
PY
is "$(wc -l <"$WORK/reasons.lua")" 64 "the plugin names the 64 drop reasons of the specification (0-15, 256-303)"
is "$(cat "$WORK/reasons.lua")" "$(cat "$WORK/reasons.c")" "the plugin and the extcap name them alike"

# ---- the feed, captured as the user to a file ----
port=$(free_port)
start_user_tshark flows -i sflow -o "extcap.sflow.port:$port" -c "$N" -w "$WORK/flows.pcapng"
ok $? "tshark -i sflow -w FILE starts as the user"
feed send flows "$port"
wait_user flows
is "$status" 0 "tshark -c $N: the $N packets of the feed captured"
F="$WORK/flows.pcapng"

# Every field, packet by packet, against what the feed encoded.
ts -r "$F" -T fields -e frame.number -e sflow_sample.agent -e sflow_sample.agent_ipv6 \
	-e sflow_sample.sub_agent -e sflow_sample.source_class -e sflow_sample.source_index \
	-e sflow_sample.in_ifindex -e sflow_sample.out_ifindex -e sflow_sample.direction \
	-e sflow_sample.rate -e frame.len -e frame.interface_name >"$WORK/fields.got"
awk -F '\t' -v OFS='\t' '{ v4 = ($2 ~ /:/) ? "" : $2; v6 = ($2 ~ /:/) ? $2 : "";
	print $1, v4, v6, $3, $4, $5, $6, $7, $10, $11, $12, $13 }' "$WORK/flows.want" >"$WORK/fields.want"
is "$(cat "$WORK/fields.got")" "$(cat "$WORK/fields.want")" \
	"each packet: agent (IPv4 or IPv6 field), sub-agent, data source, ifIndex in / out, direction, rate, wire length, interface"
ts -r "$F" -T fields -e sflow_sample.pool -e sflow_sample.seq -e sflow_sample.est_packets \
	-e sflow_sample.est_bytes >"$WORK/estimates.got"
awk -F '\t' -v OFS='\t' '{ print $11 * $1, $1, $11, $11 * $12 }' "$WORK/flows.want" >"$WORK/estimates.want"
is "$(cat "$WORK/estimates.got")" "$(cat "$WORK/estimates.want")" \
	"each packet: pool, sequence, est_packets = rate, est_bytes = rate x frame length"

# check_filter FILTER AWK_CONDITION NAME [EXPECTATIONS]: the filter selects
# exactly the packets of $F the condition selects among the expectations.
check_filter() {
	got=$(ts -r "$F" -Y "$1" -T fields -e frame.number | tr '\n' ' ')
	expected=$(want "$2" "$4" | tr '\n' ' ')
	if [ -z "$expected" ]; then ok 1 "$3: the feed has no such packet"; return; fi
	is "$got" "$expected" "$3 (packets $expected)"
}
check_filter 'sflow_sample.agent == 10.1.2.3 && sflow_sample.in_ifindex == 7' \
	'$2 == "10.1.2.3" && $6 == 7' "-Y 'sflow_sample.agent == 10.1.2.3 && sflow_sample.in_ifindex == 7': not 10.1.2.30, not ifIndex 70 or 31"
check_filter 'sflow_sample.agent == 10.0.0.0/8' '$2 ~ /^10\./' "-Y 'sflow_sample.agent == 10.0.0.0/8': a prefix"
check_filter 'sflow_sample.agent_ipv6 == 2001:db8::/32' '$2 ~ /:/' "-Y 'sflow_sample.agent_ipv6 == 2001:db8::/32': the IPv6 agent"
is "$(ts -r "$F" -Y '!sflow_sample.agent && !sflow_sample.agent_ipv6' -T fields -e frame.number | wc -l)" 0 \
	"every packet has an agent field"
check_filter 'sflow_sample.direction == "out"' '$10 == "out"' "-Y 'sflow_sample.direction == \"out\"'"
check_filter 'sflow_sample.direction == "unknown"' '$10 == "unknown"' "-Y 'sflow_sample.direction == \"unknown\"'"
check_filter 'sflow_sample.rate >= 4096' '$11 >= 4096' "-Y 'sflow_sample.rate >= 4096'"
check_filter 'sflow_sample.sub_agent == 1' '$3 == 1' "-Y 'sflow_sample.sub_agent == 1'"
check_filter 'sflow_sample.source_class == 1' '$4 == 1' "-Y 'sflow_sample.source_class == 1': a VLAN data source"
check_filter 'sflow_sample.out_format == 2' '$9 == 2' "-Y 'sflow_sample.out_format == 2': sent to several interfaces"
check_filter 'frame.interface_name == "10.1.2.3:7"' '$13 == "10.1.2.3:7"' "-Y 'frame.interface_name == \"10.1.2.3:7\"'"
check_filter 'frame.interface_name == "[2001:db8::7]:3"' '$13 == "[2001:db8::7]:3"' "-Y 'frame.interface_name == \"[2001:db8::7]:3\"'"
check_filter 'sflow_sample.discard_reason == "red"' '$14 == 260' \
	"-Y 'sflow_sample.discard_reason == \"red\"': a flow sample whose output format 1 says discarded"

# Traffic in wire units: tshark's sum against the feed's.
ts -r "$F" -q -z 'io,stat,0,SUM(sflow_sample.est_bytes)sflow_sample.est_bytes' >"$WORK/iostat"
got=$(awk -F '|' '/<>/ { gsub(/ /, "", $3); print $3 }' "$WORK/iostat")
sum=$(awk -F '\t' '{ s += $11 * $12 } END { printf "%d", s }' "$WORK/flows.want")
is "$got" "$sum" "-z io,stat,0,SUM(sflow_sample.est_bytes): $sum bytes, the sum of rate x length over the datagrams sent"
ts -r "$F" -q -z 'io,stat,0,SUM(sflow_sample.est_packets)sflow_sample.est_packets' >"$WORK/iostat.packets"
got=$(awk -F '|' '/<>/ { gsub(/ /, "", $3); print $3 }' "$WORK/iostat.packets")
is "$got" "$(awk -F '\t' '{ s += $11 } END { printf "%d", s }' "$WORK/flows.want")" \
	"-z io,stat,0,SUM(sflow_sample.est_packets): the sum of the rates"

# The tree spells out the interface formats.
ts -r "$F" -V -Y 'frame.number == 12 || frame.number == 13 || frame.number == 14' >"$WORK/tree"
contains "$WORK/tree" "Output interface: 3 (3 interfaces)" "the tree: output format 2, sent to 3 interfaces"
contains "$WORK/tree" "Input interface: 1073741823 (internal: the device itself)" "the tree: input 0x3FFFFFFF, the device itself"
contains "$WORK/tree" "Output interface: 260 (packet discarded, reason 260 (red))" "the tree: output format 1, discarded"
contains "$WORK/tree" "sFlow sample context: agent 10.9.9.9, ifIndex 7, in, discarded: red, 1 in 10" "the tree: the summary line"

# ---- one interface per switch port ----
as_user capinfos "$F" >"$WORK/capinfos" 2>&1
awk '/^Interface #/ { name = "" } / Name = / { sub(/.* Name = /, ""); name = $0 }
	/Number of packets = / { print name " " $NF }' "$WORK/capinfos" >"$WORK/interfaces.got"
{ echo "sflow 0"; awk -F '\t' '!seen[$13]++ { order[++n] = $13 } { count[$13]++ }
	END { for (i = 1; i <= n; i++) print order[i], count[order[i]] }' "$WORK/flows.want"; } \
	>"$WORK/interfaces.want"
is "$(cat "$WORK/interfaces.got")" "$(cat "$WORK/interfaces.want")" \
	"capinfos: interface sflow, then one per switch port in the order first seen, with its packet count"
contains "$WORK/capinfos" "Description = sFlow agent 10.1.2.3, sub-agent 1, VLAN 10" "capinfos: the description says what the port is"
ts -r "$F" -T fields -e frame.interface_name -e frame.interface_description -Y 'frame.number == 16' >"$WORK/v6name"
is "$(cat "$WORK/v6name")" "$(printf '[2001:db8::7]:7\tsFlow agent 2001:db8::7, sub-agent 0, ifIndex 7')" \
	"the IPv6 agent's port: name and description"

# ---- -T ek carries the fields ----
ts -r "$F" -T ek >"$WORK/ek"
is "$(grep -c '"sflow_sample_sflow_sample_est_bytes":"[0-9]*"' "$WORK/ek")" "$N" "-T ek: every document carries est_bytes"
is "$(grep -c '"sflow_sample_sflow_sample_agent":"10.1.2.3","sflow_sample_sflow_sample_sub_agent"' "$WORK/ek")" \
	"$(want '$2 == "10.1.2.3"' | wc -l)" "-T ek: the agent, as a field of its own"
is "$(grep -c '"sflow_sample_sflow_sample_agent_ipv6":"2001:db8::7"' "$WORK/ek")" \
	"$(want '$2 == "2001:db8::7"' | wc -l)" "-T ek: the IPv6 agent"

# ---- live: the filter on a capture as it runs ----
port=$(free_port)
start_user_tshark live -i sflow -o "extcap.sflow.port:$port" -X "lua_script:$LUA" -l \
	-Y 'sflow_sample.agent == 10.1.2.3 && sflow_sample.in_ifindex == 7' -T fields -e udp.srcport
feed send flows "$port"
# The feed's last packet matches: once it is out, everything was filtered.
last=$((1000 + N))
wait_until grep -qx "$last" "$WORK/live.out"
kill -INT "$tshark_live" 2>/dev/null
wait_user live
is "$(tr '\n' ' ' <"$WORK/live.out")" "$(want '$2 == "10.1.2.3" && $6 == 7' | awk '{ printf "%d ", 1000 + $1 }')" \
	"tshark -i sflow -Y 'sflow_sample.agent == 10.1.2.3 && sflow_sample.in_ifindex == 7' live: exactly those packets"

# ---- discard samples: the reason, in the field and in the text ----
port=$(free_port)
start_user_tshark discards -i sflow -o "extcap.sflow.port:$port" -o extcap.sflow.drops:true \
	-c "$D" -w "$WORK/discards.pcapng"
feed send discards "$port"
wait_user discards
is "$status" 0 "drops (Dropped packets only): the $D discard samples captured"
F="$WORK/discards.pcapng"
is "$(ts -r "$F" -T fields -e sflow_sample.discard_reason | tr '\n' ' ')" \
	"$(cut -f 14 "$WORK/discards.want" | tr '\n' ' ')" "sflow_sample.discard_reason: each sample's code"
ts -r "$F" -V >"$WORK/discards.tree"
for reason in "acl (258)" "no_buffer_space (259)" "vlan_tag_mismatch (264)" "dst_net_unknown (6)" \
	"split_horizon (303)" "Unknown (999)"; do
	contains "$WORK/discards.tree" "Discard reason: $reason" "the tree: Discard reason: $reason"
done
check_filter 'sflow_sample.discard_reason == "acl"' '$14 == 258' "-Y 'sflow_sample.discard_reason == \"acl\"'" \
	"$WORK/discards.want"
ts -r "$F" -T fields -e frame.comment >"$WORK/discards.comments"
contains "$WORK/discards.comments" " drops=1 discard_reason=258(acl)" "the comment, readable without the plugin: discard_reason=258(acl)"
contains "$WORK/discards.comments" " drops=6 discard_reason=999" "the comment: a code without a name, as a number"
is "$(ts -r "$F" -Y 'sflow_sample.est_bytes' -T fields -e frame.number | wc -l)" 0 \
	"discard samples have no sampling rate: no estimate"

# ---- the bound on interfaces: 4096 ports, then interface sflow ----
make_packets "$WORK/input.pcap" 40
port=$(free_port)
start_user_tshark bound -i sflow -o "extcap.sflow.port:$port" -c 4100 -w "$WORK/bound.pcapng"
"$SFLOW_SEND" -q -l 0 -c 4100 --sources 4100 -r 2000 "$WORK/input.pcap" "127.0.0.1:$port"
wait_user bound
is "$status" 0 "4100 samples from 4100 ports (ifIndex 1 to 4100) captured"
as_user capinfos "$WORK/bound.pcapng" >"$WORK/bound.capinfos" 2>&1
contains "$WORK/bound.capinfos" "Number of interfaces in file: 4097" "4097 interfaces: sflow and the first 4096 ports"
is "$(ts -r "$WORK/bound.pcapng" -Y 'frame.interface_name == "sflow"' -T fields -e sflow_sample.source_index | tr '\n' ' ')" \
	"4097 4098 4099 4100 " "the ports past the bound: on interface sflow, with their fields"

check_restored
done_testing
