#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
# The counters have one home (libpcap-sflow/counters.h) and one reference,
# pcap-sflow(7), whose COUNTERS section says SFLOW_STATS prints them "in
# this order": the real tcpdump, through our launcher, captures one real
# datagram and prints its counters on exit; the man page must list them in
# exactly that order, each with its meaning, and the README must keep no
# second list of them (it points to the man page). tests/man_pages.sh
# checks that the two sets are equal; this test checks the order, the
# meanings and the one copy.
. "$top_srcdir/tests/lib.sh"

PCAP_SFLOW_7=$top_srcdir/libpcap-sflow/pcap-sflow.7

make_packets "$WORK/input.pcap" 1
port=$(free_port)
start_command stats env SFLOW_STATS=1 "$TCPDUMP" -i "sflow:$port" -c 1 -w "$NULL_OUT"
ok $? "tcpdump listens on sflow:$port"
"$SFLOW_SEND" -q "$WORK/input.pcap" "127.0.0.1:$port"
ok $? "sflow-send sent one datagram"
wait_exit stats
is "$status" 0 "tcpdump -c 1 exits 0 by itself"
contains "$WORK/stats.err" "1 packet captured" "tcpdump captured the sampled packet"

# name value lines, in the order printed
sed -n 's/^\([a-z_]*\) [0-9][0-9]*$/\1/p' "$WORK/stats.err" >"$WORK/printed"
ok $(( $(wc -l <"$WORK/printed") > 0 ? 0 : 1 )) "SFLOW_STATS=1 printed counters"
is "$(sort -u "$WORK/printed" | wc -l)" "$(wc -l <"$WORK/printed")" "no counter is printed twice"
is "$(sed -n 's/^datagrams \([0-9]*\)$/\1/p' "$WORK/stats.err")" 1 "datagrams counts the one datagram"
is "$(sed -n 's/^packets_received \([0-9]*\)$/\1/p' "$WORK/stats.err")" 1 \
   "packets_received counts the one packet"

# Each .TP entry of the man page's COUNTERS section: "name<TAB>meaning",
# the meaning being the text up to the next entry or section.
awk '/^\.SH / { if (name != "") print name "\t" text; name = ""; on = ($0 == ".SH COUNTERS"); next }
     !on { next }
     $0 == ".TP" { if (name != "") print name "\t" text; name = ""; text = ""; tag = 1; next }
     tag && $1 == ".B" { name = $2; tag = 0; next }
     name != "" && $0 !~ /^\.(PP|RS|RE)$/ { text = text " " $0 }' "$PCAP_SFLOW_7" >"$WORK/entries"
cut -f1 "$WORK/entries" >"$WORK/documented"
ok $(( $(wc -l <"$WORK/documented") > 0 ? 0 : 1 )) "pcap-sflow.7 has a COUNTERS list"
if cmp -s "$WORK/printed" "$WORK/documented"; then
	ok 0 "pcap-sflow.7 lists the counters in the order SFLOW_STATS=1 prints them"
else
	diff "$WORK/printed" "$WORK/documented" | sed 's/^/# /' | head -20
	ok 1 "pcap-sflow.7 lists the counters in the order SFLOW_STATS=1 prints them"
fi
is "$(awk -F '\t' 'length($2) < 10 { print $1 }' "$WORK/entries" | tr '\n' ' ')" "" \
   "every counter in pcap-sflow.7 says what it counts"

# The README keeps no copy of the list (it points to the man page, which
# tests/man_pages.sh checks): no table row, no list item, that names a
# counter first.
sed -n 's/^| `\([a-z_]*\)` |.*/\1/p; s/^- `\([a-z_]*\)`: .*/\1/p' "$top_srcdir/README" | sort -u >"$WORK/readme"
is "$(sort "$WORK/printed" | comm -12 - "$WORK/readme" | tr '\n' ' ')" "" \
   "the README has no second list of the counters (they are described in pcap-sflow.7 only)"
done_testing
