#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
# The counters SFLOW_STATS prints are the ones the README documents: the
# real tcpdump, through our launcher, captures one real datagram and prints
# its counters on exit; the set of names must equal the README's Counters
# table, so a counter added to libpcap-sflow/counters.h without its README
# row (or a row left behind) fails here.
. "$top_srcdir/tests/lib.sh"

make_packets "$WORK/input.pcap" 1
port=$(free_port)
start_command stats env SFLOW_STATS=1 "$TCPDUMP" -i "sflow:$port" -c 1 -w /dev/null
ok $? "tcpdump listens on sflow:$port"
"$SFLOW_SEND" -q "$WORK/input.pcap" "127.0.0.1:$port"
ok $? "sflow-send sent one datagram"
wait_exit stats
is "$status" 0 "tcpdump -c 1 exits 0 by itself"
contains "$WORK/stats.err" "1 packet captured" "tcpdump captured the sampled packet"

# name value lines, as printed
sed -n 's/^\([a-z_]*\) [0-9][0-9]*$/\1/p' "$WORK/stats.err" | sort >"$WORK/printed"
# the first column of the table under "## Counters"
awk '/^## Counters/ { on = 1; next } /^## / { on = 0 } on' "$top_srcdir/README" |
	sed -n 's/^| `\([a-z_]*\)` |.*/\1/p' | sort >"$WORK/documented"
ok $(( $(wc -l <"$WORK/printed") > 0 ? 0 : 1 )) "SFLOW_STATS=1 printed counters"
ok $(( $(wc -l <"$WORK/documented") > 0 ? 0 : 1 )) "the README has a Counters table"
is "$(comm -23 "$WORK/printed" "$WORK/documented" | tr '\n' ' ')" "" \
   "every printed counter is in the README's Counters table"
is "$(comm -13 "$WORK/printed" "$WORK/documented" | tr '\n' ' ')" "" \
   "every counter in the README's table is printed"
is "$(sort -u "$WORK/printed" | wc -l)" "$(wc -l <"$WORK/printed")" "no counter is printed twice"
is "$(sed -n 's/^datagrams \([0-9]*\)$/\1/p' "$WORK/stats.err")" 1 "datagrams counts the one datagram"
is "$(sed -n 's/^packets_received \([0-9]*\)$/\1/p' "$WORK/stats.err")" 1 \
   "packets_received counts the one packet"

done_testing
