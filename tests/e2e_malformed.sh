#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
# Hostile input through the real tcpdump: every class of datagram in
# tests/malformed_datagrams.py (each truncation point of valid datagrams of
# every version, lying lengths and counts, header lengths past the record
# and 64 KiB, unknown versions, address types and v2/v4 tags, 0 to 3 bytes,
# 65,507 bytes), each case followed by a valid marker datagram. One tcpdump
# per class, SFLOW_STATS=1. For each class:
# - every marker is printed: no datagram stops the capture or spoils the next;
# - malformed_datagrams equals the number of malformed cases sent. Each
#   datagram counts at most once (the decoder's promise, checked by
#   fuzz_decode), and the markers and odd-but-valid cases are shown
#   delivered, so the total means exactly one count per malformed datagram;
# - no sample of a malformed v5 datagram is printed (they come from
#   198.51.100.66), while v2/v4 samples decoded before a fault are;
# - the socket dropped nothing, so no loss hides a missing marker.
# The rule for what is malformed is in malformed_datagrams.py (odd_datagrams).
. "$top_srcdir/tests/lib.sh"

helper="$top_srcdir/tests/malformed_datagrams.py"
SFLOW_STATS=1
export SFLOW_STATS

counter() { # counter CLASS NAME: a counter from tcpdump's stderr or .expect
	sed -n "s/^$2 //p" "$WORK/$1"
}

sent=0
for class in $(python3 "$helper" classes); do
	name=$(echo "$class" | tr -- - _)     # tcpdump's outputs: $WORK/$name.*
	port=$(free_port)
	start_tcpdump "$name" -i "sflow:$port" -nn -e -l -B 16384
	ok $? "$class: tcpdump listens"
	python3 "$helper" send "$port" "$class" "$WORK"
	# The end marker, sent last, printed (-l): all before it is handled.
	wait_until grep -qF "192.0.2.1.65000 >" "$WORK/$name.out"
	stop_tcpdump "$name"
	is "$status" 0 "$class: tcpdump survives and exits 0 on SIGINT"

	cases=$(counter "$class.expect" cases)
	wanted=$(wc -l <"$WORK/$class.want")
	missing=$(awk 'NR == FNR { text = text $0 "\n"; next } index(text, $0) == 0' \
		"$WORK/$name.out" "$WORK/$class.want")
	is "$missing" "" "$class: all $wanted packets that must come out of $cases cases and their markers are printed"
	is "$(counter "$name.err" malformed_datagrams)" "$(counter "$class.expect" malformed_datagrams)" \
		"$class: malformed_datagrams rose by one per malformed case"
	is "$(counter "$name.err" bad_version_datagrams)" \
		"$(counter "$class.expect" bad_version_datagrams)" \
		"$class: bad_version_datagrams counts the unknown versions"
	is "$(grep -c '198\.51\.100\.66\.' "$WORK/$name.out")" 0 \
		"$class: nothing of a malformed v5 datagram is printed"
	is "$(counter "$name.err" socket_dropped_datagrams)" 0 "$class: no datagram lost in the socket"
	sent=$((sent + $(counter "$class.expect" malformed_datagrams)))
done
echo "# $sent malformed datagrams sent in all"

# A header longer than frame_length (cases 22100-22109) is delivered whole
# with its wire length raised to what it holds (46 bytes: pcap needs
# caplen <= len) and counted; so is one longer than frame_length - stripped
# (22000, 22002), which is not counted: its frame_length is not below it.
for port in 22000 22002 22100 22104 22106 22108; do
	line=$(grep -F "203.0.113.1.$port >" "$WORK/odd_but_valid.out")
	case "$line" in
	*", length 46: "*) ok 0 "header longer than the frame (case $port): wire length 46" ;;
	*) echo "# $line"; ok 1 "header longer than the frame (case $port): wire length 46" ;;
	esac
done
is "$(counter odd_but_valid.err header_longer_than_frame)" 5 \
	"header_longer_than_frame counts the 5 headers longer than their frame_length"
done_testing
