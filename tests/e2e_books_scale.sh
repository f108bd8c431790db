#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
# The loss books at a real network's scale, through the real tcpdump
# (feeds from tests/books_feed.py, on 127.0.0.1):
#  - 4,000 IPv4 agents of one /20 and 500 IPv6 agents of one /64, each
#    losing samples: tcpdump's closing lines exact, nothing forgotten;
#  - a flood of 300,000 one-datagram agents at 50,000 a second beside a
#    real agent sending a datagram a second and losing 3 samples between
#    each: that agent's books exact (ifindex= keeps its packets apart; the
#    flood's agents, one datagram each, lose nothing);
#  - a forged agent whose sample sequence leaps by 2^31 - 2 four times
#    beside a real one losing 2: the leaps add nothing;
#  - 4.35 billion samples lost: the 64-bit count saturates in pcap_stat's
#    32 bits instead of wrapping.
. "$top_srcdir/tests/lib.sh"

SFLOW_STATS=1
export SFLOW_STATS
counter() { sed -n "s/^$2 //p" "$WORK/$1.err"; }
fed() { sed -n "s/^$2 //p" "$WORK/$1.feed"; }
closing() { # closing NAME CAPTURED DROPPED: tcpdump's three lines
	printf '%s packets captured\n%s packets received by filter\n%s packets dropped by kernel' \
		"$2" "$2" "$3"
}
lines() { grep -E '^[0-9]+ packets? (captured|received by filter|dropped by kernel)$' "$WORK/$1.err"; }
# feed NAME SCENARIO PORT: the feed, then until tcpdump NAME has taken it all.
feed() {
	python3 "$top_srcdir/tests/books_feed.py" "$2" "$3" >"$WORK/$1.feed"
	ok $? "$1: the feed was sent ($(tr '\n' ' ' <"$WORK/$1.feed"))"
	wait_idle "$(eval echo "\$pid_$1")" "$3"
}

# 1. Thousands of agents in one subnet.
port=$(free_port)
start_tcpdump subnet -i "sflow:$port" -B 16384 -w "$NULL_OUT"
ok $? "subnet: tcpdump listens on sflow:$port"
feed subnet subnet "$port"
stop_tcpdump subnet
is "$status" 0 "subnet: tcpdump exits 0"
agents=$(fed subnet agents)
lost=$(fed subnet lost)
captured=$(( $(fed subnet samples) - lost ))
if [ "$(counter subnet socket_dropped_datagrams)" = 0 ]; then
	is "$(lines subnet)" "$(closing subnet "$captured" "$lost")" \
		"subnet: $agents agents (4,000 in a /20, 500 in a /64), each losing 4: $lost dropped by kernel, exactly"
else
	# Datagrams lost in our own socket are loss too: the books still add up.
	got=$(lines subnet | sed -n 's/^\([0-9]*\) packets* captured$/\1/p')
	drops=$(lines subnet | sed -n 's/^\([0-9]*\) packets* dropped by kernel$/\1/p')
	is "$((got + drops))" "$((captured + lost))" \
		"subnet: the socket dropped $(counter subnet socket_dropped_datagrams) datagrams; captured + dropped = every sample numbered"
fi
is "$(counter subnet sources_evicted)" 0 "subnet: no stream or source forgotten"
is "$(counter subnet source_restarts)" 0 "subnet: no restart"
is "$(counter subnet implausible_leaps)" 0 "subnet: no leap"

# 2. A flood of one-datagram agents beside a real one.
port=$(free_port)
start_tcpdump flood -i "sflow:$port,ifindex=7" -B 16384 -w "$NULL_OUT"
ok $? "flood: tcpdump listens on sflow:$port,ifindex=7"
feed flood flood "$port"
stop_tcpdump flood
is "$status" 0 "flood: tcpdump exits 0"
samples=$(fed flood samples)
got=$(lines flood | sed -n 's/^\([0-9]*\) packets* captured$/\1/p')
drops=$(lines flood | sed -n 's/^\([0-9]*\) packets* dropped by kernel$/\1/p')
is "${got:-none} + ${drops:-none}" "$(( ${got:-0} )) + $((samples - ${got:-0}))" \
	"flood: the real agent's books exact: captured + dropped by kernel = the $samples samples it numbered"
if [ "$(counter flood socket_dropped_datagrams)" = 0 ]; then
	is "$(lines flood)" "$(closing flood "$(fed flood datagrams)" "$(fed flood lost)")" \
		"flood: its $(fed flood datagrams) samples captured, its $(fed flood lost) lost dropped by kernel"
else
	skip "flood: the socket dropped datagrams, so the split is not known in advance"
fi
evicted=$(counter flood sources_evicted)
ok $(( ${evicted:-0} > 100000 ? 0 : 1 )) "flood: the flood churned the tables ($evicted evictions)"
is "$(counter flood implausible_leaps)" 0 "flood: no leap"

# 3. Forged leaps.
port=$(free_port)
start_tcpdump leap -i "sflow:$port" -w "$NULL_OUT"
ok $? "leap: tcpdump listens on sflow:$port"
feed leap leap "$port"
stop_tcpdump leap
is "$status" 0 "leap: tcpdump exits 0"
is "$(lines leap)" "$(closing leap 8 2)" \
	"leap: four leaps of 2^31 - 2 add nothing; the real agent's 2 lost samples count"
is "$(counter leap implausible_leaps)" 4 "leap: implausible_leaps 4"
is "$(counter leap samples_lost)" 2 "leap: samples_lost 2"

# 4. More loss than 32 bits hold.
port=$(free_port)
start_tcpdump saturate -i "sflow:$port" -B 16384 -w "$NULL_OUT"
ok $? "saturate: tcpdump listens on sflow:$port"
feed saturate saturate "$port"
stop_tcpdump saturate
is "$status" 0 "saturate: tcpdump exits 0"
if [ "$(counter saturate socket_dropped_datagrams)" = 0 ]; then
	is "$(counter saturate samples_lost)" "$(fed saturate lost)" \
		"saturate: samples_lost counts all $(fed saturate lost) in 64 bits"
	is "$(lines saturate)" "$(closing saturate $(( $(fed saturate datagrams) * 400 )) 4294967295)" \
		"saturate: pcap_stat's ps_drop stays at 4294967295 instead of wrapping"
else
	skip "saturate: the socket dropped datagrams"
	skip "saturate: (closing lines)"
fi

done_testing
