#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
# sniff= on a link whose MTU (1280) is below the datagrams' size: in two
# network namespaces of our own joined by a veth pair, sflow-send sends
# 10-sample datagrams (about 2 KB) that the kernel fragments; tcpdump -i
# 'sflow:PORT,sniff=IFACE' in the other namespace puts them back together
# and captures every sampled packet, over IPv4 and IPv6.
. "$top_srcdir/tests/lib.sh"

if [ "$(id -u)" -ne 0 ] || ! command -v ip >/dev/null 2>&1; then
	skip "needs root and ip (iproute2) for network namespaces"
	done_testing
	exit
fi
SENDER=sflowfrag-send-$$ RECEIVER=sflowfrag-recv-$$
cleanup_namespaces() {
	ip netns del "$SENDER" 2>/dev/null
	ip netns del "$RECEIVER" 2>/dev/null
}
trap 'cleanup_namespaces; cleanup_work' EXIT
if ! ip netns add "$SENDER" || ! ip netns add "$RECEIVER"; then
	skip "cannot create network namespaces here"
	done_testing
	exit
fi
in_sender() { ip netns exec "$SENDER" "$@"; }
in_receiver() { ip netns exec "$RECEIVER" "$@"; }
# Documentation addresses, inside our own namespaces only.
ip link add veth-s netns "$SENDER" mtu 1280 type veth peer name veth-r netns "$RECEIVER" mtu 1280
in_sender ip addr add 192.0.2.1/24 dev veth-s
in_receiver ip addr add 192.0.2.2/24 dev veth-r
in_sender ip -6 addr add 2001:db8::1/64 dev veth-s nodad
in_receiver ip -6 addr add 2001:db8::2/64 dev veth-r nodad
for namespace in "$SENDER" "$RECEIVER"; do
	ip netns exec "$namespace" ip link set lo up
done
in_sender ip link set veth-s up
in_receiver ip link set veth-r up
wait_until eval '! in_sender ip -6 addr show dev veth-s | grep -q tentative'
ok 0 "two namespaces joined by a veth pair of MTU 1280"

make_packets "$WORK/packets.pcap" 40
want=$(print_pcap "$WORK/packets.pcap" -e -s 128)
for target in 192.0.2.2 '[2001:db8::2]'; do
	port=6343
	SFLOW_STATS=1 start_command "frag" ip netns exec "$RECEIVER" \
		"$TCPDUMP" -i "sflow:$port,sniff=veth-r" -U -w "$WORK/frag.pcap"
	ok $? "$target: tcpdump sniffs veth-r in its namespace"
	in_sender "$SFLOW_SEND" -q -S 10 -c 40 "$WORK/packets.pcap" "$target:$port"
	# -U writes each packet as it comes: wait for all 40.
	wait_until eval '[ "$(print_pcap "$WORK/frag.pcap" | wc -l)" -ge 40 ]'
	stop_tcpdump frag
	is "$status" 0 "$target: tcpdump exits cleanly"
	is "$(sed -n 's/^reassembled_datagrams //p' "$WORK/frag.err")" 4 \
	   "$target: the 4 datagrams of 10 samples came in fragments, and were put back together"
	is "$(sed -n 's/^fragments_dropped //p' "$WORK/frag.err")" 0 "$target: no fragment dropped"
	is "$(print_pcap "$WORK/frag.pcap" -e)" "$want" \
	   "$target: every sampled packet, as the original cut at 128 bytes"
done

done_testing
