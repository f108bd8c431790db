#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
# forward= to where the capture itself receives would send every datagram
# round forever: tcpdump refuses it at start with one line, whether the
# capture listens on every address (the default: 127.0.0.1, ::1, 0.0.0.0
# all reach it) or on 127.0.0.1 alone; a target the capture does not
# receive on is accepted. No datagram is sent.
. "$top_srcdir/tests/lib.sh"

# refused NAME DEVICE TARGET: tcpdump must fail at once, saying why in one line.
refused() {
	"$TCPDUMP" -i "$2" -c 1 -w "$NULL_OUT" >"$WORK/$1.out" 2>"$WORK/$1.err" &
	tcpdump_pid=$!
	# A capture that was wrongly accepted says "listening"; stop it then.
	err="$WORK/$1.err"
	wait_until eval '! running "$tcpdump_pid" || grep -q "listening on" "$err"'
	kill -INT "$tcpdump_pid" 2>/dev/null
	wait "$tcpdump_pid"
	status=$?
	ok $(( status != 0 ? 0 : 1 )) "$1: tcpdump -i $2 fails (status $status)"
	contains "$WORK/$1.err" "forward=$3 is where this capture receives: every datagram would come back and loop; forward to another port or host" \
		"$1: one line says why and what to do"
	is "$(grep -c 'forward=' "$WORK/$1.err")" 1 "$1: and only one"
}

port=$(free_port)
refused ipv4 "sflow:$port,forward=127.0.0.1:$port" "127.0.0.1:$port"
refused ipv6 "sflow:$port,forward=[::1]:$port" "[::1]:$port"
refused any "sflow:$port,forward=0.0.0.0:$port" "0.0.0.0:$port"
refused loopback "sflow:$port,forward=127.0.0.2:$port" "127.0.0.2:$port"
refused second "sflow:$port,forward=127.0.0.1:$(free_port),forward=[::1]:$port" "[::1]:$port"
refused bound "sflow:127.0.0.1:$port,forward=127.0.0.1:$port" "127.0.0.1:$port"
# This host's own non-loopback address, if it has one: the wildcard socket
# receives there too. (Nothing is sent: the capture is refused before.)
own=$(ip -o -4 addr show scope global 2>/dev/null | awk '{ sub("/.*", "", $4); print $4; exit }')
if [ -n "$own" ]; then
	refused own "sflow:$port,forward=$own:$port" "$own:$port"
else
	skip "own: this host has no global IPv4 address"
	skip "own: (one line)"
	skip "own: (only one)"
fi

# Not a loop: another port, or an address the bound socket does not take.
other=$(free_port)
start_tcpdump accepted -i "sflow:$port,forward=127.0.0.1:$other" -w "$NULL_OUT"
ok $? "forward= to another port of this host: accepted"
stop_tcpdump accepted
start_tcpdump apart -i "sflow:127.0.0.1:$port,forward=[::1]:$port" -w "$NULL_OUT"
ok $? "a capture on 127.0.0.1 forwarding to [::1] on its port: accepted (it never receives there)"
stop_tcpdump apart

done_testing
