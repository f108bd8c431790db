#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
# A capture on the extcap that cannot start must say why at once, the way
# Wireshark shows it (its error dialog; tshark: "Error by extcap pipe: ..."),
# and leave nothing running. Run as Wireshark runs it, as a normal user in
# group wireshark (tests/extcap_user.sh): tshark starts the extcap and
# dumpcap, dumpcap waits on the fifo until the extcap opens it. Before the
# extcap opened the fifo first, every error below left dumpcap waiting on
# it: tshark hung, and the GUI showed an empty capture with no error.
. "$top_srcdir/tests/lib.sh"
. "$top_srcdir/tests/extcap_user.sh"

now_ms() { date +%s%3N; }
# check_error NAME MESSAGE TSHARK_ARGS...: tshark -i sflow ARGS as the user
# ends by itself with the extcap's one-line MESSAGE, and no process of the
# user is left.
check_error() {
	name=$1 message=$2
	shift 2
	started=$(now_ms)
	start_user_tshark "$name" -i sflow "$@" -c 1
	wait_user "$name"
	echo "# $name: tshark ended after $(( $(now_ms) - started )) ms, status $status"
	is "$stopped" 0 "$name: tshark ends by itself, without waiting for the fifo"
	ok $([ "$status" -ne 0 ]; echo $?) "$name: tshark's exit status says the capture failed"
	grep -F "Error by extcap pipe: sflow-extcap: " "$WORK/$name.err" >"$WORK/$name.line"
	contains "$WORK/$name.line" "$message" "$name: the extcap's message, as Wireshark reports it"
	wait_until eval '[ -z "$(user_processes)" ]'
	is "$(user_processes)" "" "$name: no dumpcap or extcap left running"
}

# ---- the port another collector already holds ----
port=$(free_port)
python3 -c 'import socket, sys, time
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind(("0.0.0.0", int(sys.argv[1])))
time.sleep(60)' "$port" &
holder=$!
wait_until listening "$port"
check_error busy "sflow:$port: UDP port $port is already in use: stop the other collector" \
	-o "extcap.sflow.port:$port"
kill "$holder"
wait "$holder" 2>/dev/null

# ---- a bad option: the parser's error, before it reads --fifo or not ----
check_error direction "--direction sideways: use both, in or out" \
	-o "extcap.sflow.port:$(free_port)" -o extcap.sflow.direction:sideways
check_error linktype "--linktype NOPE: not a link type name" \
	-o "extcap.sflow.port:$(free_port)" -o extcap.sflow.linktype:NOPE

# ---- a bad capture filter ----
check_error filter 'capture filter "udp port (": ' -o "extcap.sflow.port:$(free_port)" -f "udp port ("

# ---- a bad device option: the module's error ----
check_error agent "bad agent 'agent=300.1.2.3' (IP or PREFIX/LEN)" \
	-o "extcap.sflow.port:$(free_port)" -o extcap.sflow.agent:300.1.2.3

# ---- no permission: a privileged port, as a user ----
if [ "$(sysctl -n net.ipv4.ip_unprivileged_port_start 2>/dev/null || echo 1024)" -gt 999 ]; then
	check_error privileged "sflow:999: UDP port 999 needs root or CAP_NET_BIND_SERVICE" \
		-o extcap.sflow.port:999
else
	skip "privileged port: net.ipv4.ip_unprivileged_port_start lets users bind port 999"
fi

# ---- the extcap alone: a bad option still opens and closes the fifo ----
mkfifo "$WORK/fifo"
cat "$WORK/fifo" >"$WORK/fifo.out" &
reader=$!
"$EXTCAP" --capture --extcap-interface sflow --fifo "$WORK/fifo" --direction sideways \
	2>"$WORK/direct.err"
is "$?" 1 "the extcap run by hand with a bad option: exit status 1"
wait_until eval '! running "$reader"'
ok $(kill -0 "$reader" 2>/dev/null; [ $? -ne 0 ]; echo $?) \
	"its fifo's reader sees the end (the extcap opened and closed the fifo)"
kill "$reader" 2>/dev/null
wait "$reader" 2>/dev/null
is "$(cat "$WORK/direct.err")" "sflow-extcap: --direction sideways: use both, in or out" \
	"one line on stderr"

check_restored
done_testing
