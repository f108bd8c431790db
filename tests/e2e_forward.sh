#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
# forward=: two collector stand-ins on loopback (IPv4 and IPv6) receive
# exactly the datagrams sent, byte for byte and in order, whatever the
# selection (agent=), the filter or the decoder (garbage) decide, while
# tcpdump captures and filters; a target nobody listens on is counted in
# forward_errors and stops nothing.
. "$top_srcdir/tests/lib.sh"

SFLOW_STATS=1
export SFLOW_STATS
counter() { sed -n "s/^$2 //p" "$WORK/$1.err"; }

listen() { # listen HOST PORT FILE: in the background until stopped
	python3 "$top_srcdir/tests/udp_listen.py" "$1" "$2" "$3" &
	listener=$!
	wait_until test -e "$3.ready"
}
# stop_listener PID PORT: once it wrote down all it was sent, SIGTERM.
stop_listener() {
	wait_idle "$1" "$2"
	kill -TERM "$1"
	wait "$1"
}

port=$(free_port)
target4=$(free_port)
target6=$(free_port)
listen 127.0.0.1 "$target4" "$WORK/got4"
ok $? "listener on 127.0.0.1:$target4"
listener4=$listener
listen ::1 "$target6" "$WORK/got6"
ok $? "listener on [::1]:$target6"
listener6=$listener

start_tcpdump fwd -i "sflow:$port,agent=10.1.2.3,forward=127.0.0.1:$target4,forward=[::1]:$target6" \
	-nn -t -l udp port 2002
ok $? "tcpdump listens with two forward= targets"
export SFLOW_DATAGRAMS_LOG="$WORK/sent"
for scenario in agents mix garbage v4 agents; do
	python3 "$top_srcdir/tests/sflow_datagrams.py" "$scenario" "$port"
done
unset SFLOW_DATAGRAMS_LOG
# tcpdump forwards each batch as soon as it has it: once it has handled
# all it was sent, the copies are in the listeners' sockets.
wait_idle "$pid_fwd" "$port"
stop_tcpdump fwd
is "$status" 0 "tcpdump exits 0"
stop_listener "$listener4" "$target4"
stop_listener "$listener6" "$target6"
sent=$(wc -l <"$WORK/sent")
is "$sent" 10 "10 datagrams sent"
is "$(cat "$WORK/got4")" "$(cat "$WORK/sent")" "IPv4 target: exactly the datagrams sent, byte for byte, in order"
is "$(cat "$WORK/got6")" "$(cat "$WORK/sent")" "IPv6 target: exactly the datagrams sent, byte for byte, in order"
is "$(grep -c 'UDP, length 8' "$WORK/fwd.out")" 2 "tcpdump meanwhile captured and filtered: agent 10.1.2.3's packet to port 2002, twice"
is "$(counter fwd malformed_datagrams)" 2 "the garbage was forwarded and counted malformed"
is "$(counter fwd datagrams_forwarded)" 20 "datagrams_forwarded: 10 datagrams to 2 targets"
is "$(counter fwd forward_errors)" 0 "forward_errors: none"
is "$(counter fwd agent_filtered_datagrams)" 6 "agent=: 6 datagrams left out of the capture, forwarded all the same"

# A target nobody listens on: the kernel's port unreachable comes back as
# send errors, counted; the capture goes on.
port=$(free_port)
nobody=$(free_port)
start_tcpdump unreachable -i "sflow:$port,forward=127.0.0.1:$nobody" -nn -t -l
ok $? "tcpdump listens, forwarding to a port nobody listens on"
for i in 1 2 3 4 5; do
	python3 "$top_srcdir/tests/sflow_datagrams.py" agents "$port"
done
wait_idle "$pid_unreachable" "$port"
stop_tcpdump unreachable
is "$status" 0 "unreachable target: tcpdump exits 0"
is "$(grep -c 'UDP, length 8' "$WORK/unreachable.out")" 45 "unreachable target: every packet captured"
errors=$(counter unreachable forward_errors)
ok $(( errors > 0 && errors < 15 ? 0 : 1 )) "unreachable target: forward_errors counted ($errors of 15)"

"$TCPDUMP" -i "sflow:$port,forward=127.0.0.1" >"$WORK/bad.out" 2>"$WORK/bad.err"
ok $(( $? != 0 ? 0 : 1 )) "forward= without a port: tcpdump fails"
contains "$WORK/bad.err" "bad forward 'forward=127.0.0.1' (ADDRESS:PORT)" "forward= without a port: says so"

done_testing
