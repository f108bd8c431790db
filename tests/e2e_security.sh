#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
# Privileges: tcpdump started as root still gives up root for its own user
# (Debian's "tcpdump") once the socket is open, and capture goes on; the
# module needs no privilege at all for ports >= 1024.
. "$top_srcdir/tests/lib.sh"

INPUT="$WORK/input.pcap"
make_packets "$INPUT" 20
ok $? "input capture written"

# status_field PID FIELD: e.g. "102 102 102 102" for Uid.
status_field() {
	sed -n "s/^$2:[[:space:]]*//p" "/proc/$1/status" | tr -s '[:space:]' ' ' | sed 's/ $//'
}

all_captured() { # all_captured NAME
	is "$(wc -l <"$WORK/$1.out")" 20 "$1: all 20 packets captured"
}

if [ "$(id -u)" -ne 0 ]; then
	skip "not root: the privilege drop needs tcpdump started as root"
elif ! user=$(getent passwd tcpdump | cut -d: -f3); then
	skip "no tcpdump user on this host"
else
	group=$(getent passwd tcpdump | cut -d: -f4)
	# A port below 1024: only root can bind it, so capturing on it as the
	# tcpdump user shows the socket was opened before the drop.
	port=$(python3 -c 'import socket
for port in range(1000, 600, -1):
    s = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
    try:
        s.bind(("::", port))
    except OSError:
        continue
    print(port)
    break')
	start_tcpdump root -i "sflow:$port" -nn -l -c 20
	ok $? "as root: tcpdump listens on sflow:$port"
	# tcpdump drops root between opening the capture and its first read.
	wait_until eval '[ "$(status_field "$pid_root" Uid)" = "$user $user $user $user" ]'
	is "$(status_field "$pid_root" Uid)" "$user $user $user $user" \
		"as root: tcpdump runs as the tcpdump user (real, effective, saved, fs uid $user)"
	is "$(status_field "$pid_root" Gid)" "$group $group $group $group" \
		"as root: and in the tcpdump group"
	is "$(status_field "$pid_root" CapEff)" "0000000000000000" "as root: with no capabilities left"
	ls -l "/proc/$pid_root/fd" 2>/dev/null | grep -q 'socket:'
	ok $? "as root: the UDP socket stays open after the drop"
	"$SFLOW_SEND" -q "$INPUT" "127.0.0.1:$port"
	wait_exit root
	is "$status" 0 "as root: tcpdump -c 20 exits 0 after the drop"
	all_captured root

	# -Z USER explicitly: the user asked for, not the built-in one.
	nobody_uid=$(id -u nobody) nobody_gid=$(id -g nobody)
	start_tcpdump z -Z nobody -i "sflow:$port" -nn -t -l -c 20
	ok $? "-Z nobody, as root: tcpdump listens on sflow:$port"
	wait_until eval '[ "$(status_field "$pid_z" Uid)" = "$nobody_uid $nobody_uid $nobody_uid $nobody_uid" ]'
	is "$(status_field "$pid_z" Uid)" "$nobody_uid $nobody_uid $nobody_uid $nobody_uid" \
		"-Z nobody: tcpdump runs as nobody (uid $nobody_uid)"
	is "$(status_field "$pid_z" Gid)" "$nobody_gid $nobody_gid $nobody_gid $nobody_gid" \
		"-Z nobody: in nobody's group"
	is "$(status_field "$pid_z" CapEff)" "0000000000000000" "-Z nobody: with no capabilities left"
	"$SFLOW_SEND" -q "$INPUT" "127.0.0.1:$port"
	wait_exit z
	is "$status" 0 "-Z nobody: tcpdump -c 20 exits 0 after the drop"
	all_captured z
	is "$(cat "$WORK/z.out")" "$(print_pcap "$INPUT" -s 128)" \
		"-Z nobody: the packets as tcpdump -r prints them cut at 128 bytes"
fi

# Without privilege: as nobody, a port >= 1024 needs nothing.
if [ "$(id -u)" -eq 0 ]; then
	port=$(free_port)
	printf '#!/bin/sh\nexec setpriv --reuid=65534 --regid=65534 --clear-groups "%s" "$@"\n' \
		"$TCPDUMP" >"$WORK/as-nobody"
	chmod +x "$WORK/as-nobody"
	launcher=$TCPDUMP
	TCPDUMP="$WORK/as-nobody"
	start_tcpdump nobody -i "sflow:$port" -nn -l -c 20
	ok $? "as nobody: tcpdump listens on sflow:$port"
	TCPDUMP=$launcher
	is "$(status_field "$pid_nobody" Uid)" "65534 65534 65534 65534" "as nobody: runs as nobody"
	"$SFLOW_SEND" -q "$INPUT" "127.0.0.1:$port"
	wait_exit nobody
	is "$status" 0 "as nobody: tcpdump -c 20 exits 0"
	all_captured nobody
else
	port=$(free_port)
	start_tcpdump user -i "sflow:$port" -nn -l -c 20
	ok $? "as $(id -un): tcpdump listens on sflow:$port"
	"$SFLOW_SEND" -q "$INPUT" "127.0.0.1:$port"
	wait_exit user
	is "$status" 0 "as $(id -un): tcpdump -c 20 exits 0"
	all_captured user
fi
done_testing
