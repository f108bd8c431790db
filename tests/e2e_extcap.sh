#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
# Wireshark's extcap, as Debian's normal Wireshark user meets it: a user who
# is not root, in group wireshark, with dumpcap given file capabilities (so
# LD_PRELOAD is ignored for it). The build-tree sflow-extcap is put in
# Wireshark's global extcap directory for the test; tshark lists and runs it.
# Everything changed (user, group, dumpcap's mode and capabilities, the
# extcap directory) is restored as found.
. "$top_srcdir/tests/lib.sh"

. "$top_srcdir/tests/extcap_user.sh"

# ---- why the extcap: the preloaded module is not seen by dumpcap ----
port=$(free_port)
if grep -q "^sanitizer='..*'" "$SFLOW_RUN"; then
	# The sanitizer runtime the launcher preloads fails otherwise there.
	skip "sflow-run tshark as the user: another failure in a sanitizer build"
else
	as_user timeout "$WAIT_SECONDS" "$SFLOW_RUN" tshark -i "sflow:$port" -c 1 >"$WORK/preload.out" 2>"$WORK/preload.err"
	contains "$WORK/preload.err" "There is no device named" \
		"sflow-run tshark as the user cannot capture (dumpcap ignores LD_PRELOAD): the reason for the extcap"
fi

# ---- the extcap protocol ----
as_user tshark -D >"$WORK/devices" 2>&1
ok $(grep -q '^[0-9]*\. sflow (sFlow collector)$' "$WORK/devices"; echo $?) "tshark -D as the user lists 'sflow (sFlow collector)'"
"$EXTCAP" --extcap-interfaces --extcap-version=4.0 >"$WORK/interfaces"
contains "$WORK/interfaces" "interface {value=sflow}{display=sFlow collector}" "--extcap-interfaces: the sflow interface"
"$EXTCAP" --extcap-version >"$WORK/version"
contains "$WORK/version" "sflow-extcap " "--extcap-version"
"$EXTCAP" --extcap-interface sflow --extcap-dlts >"$WORK/dlts"
contains "$WORK/dlts" "dlt {number=1}{name=EN10MB}" "--extcap-dlts: EN10MB"
"$EXTCAP" --extcap-interface sflow --extcap-config >"$WORK/config"
calls=$(sed -n 's/^arg {number=[0-9]*}{call=\([^}]*\)}.*/\1/p' "$WORK/config" | tr '\n' ' ')
is "$calls" "--port --bind --agent --ifindex --direction --vlan --synth --drops --linktype --sniff --file " \
	"--extcap-config: port, bind address, agents, ifindex, direction, vlan, synth, drops, link type, interface to sniff, file"
contains "$WORK/config" "{call=--file}{display=Saved sFlow capture}{type=fileselect}" \
	"--extcap-config: a file to read, chosen in a file dialog"
contains "$WORK/config" "{call=--port}{display=UDP port}{type=integer}{range=1,65535}{default=6343}" \
	"--extcap-config: the port defaults to 6343"
contains "$WORK/config" "{value=RAW}" "--extcap-config: the link types to choose from"
"$EXTCAP" --extcap-interface sflow --capture --fifo "$WORK/x" --port 0 2>"$WORK/badport"
ok $(( $? == 1 ? 0 : 1 )) "a bad port: exit status 1"
is "$(cat "$WORK/badport")" "sflow-extcap: --port 0: give a UDP port from 1 to 65535" "a bad port: one line that says what to give"
"$EXTCAP" --extcap-interface eth0 --extcap-dlts 2>"$WORK/badif"
contains "$WORK/badif" "the only interface is sflow" "an unknown interface: one clear line"

# ---- capture as the user ----
make_packets "$WORK/input.pcap" 40
N=12
port=$(free_port)
start_user_tshark count -i sflow -o "extcap.sflow.port:$port" -c "$N" \
	-T fields -e ip.src -e ip.dst -e frame.len -e frame.cap_len
ok $? "tshark -i sflow -o extcap.sflow.port:PORT starts as the user"
"$SFLOW_SEND" -q -c "$N" "$WORK/input.pcap" "127.0.0.1:$port"
wait_user count
is "$status" 0 "tshark -c $N exits by itself once the $N packets sent are captured"
tshark -r "$WORK/input.pcap" -c "$N" -T fields -e ip.src -e ip.dst -e frame.len \
	-e frame.cap_len 2>/dev/null | awk -F '\t' -v OFS='\t' '{ if ($4 > 128) $4 = 128; print }' \
	>"$WORK/count.want"
is "$(cat "$WORK/count.out")" "$(cat "$WORK/count.want")" \
	"the $N packets, in order: addresses, wire length, captured length (128-byte headers)"

port=$(free_port)
start_user_tshark dns -i sflow -o "extcap.sflow.port:$port" -c 30 -Y dns -T fields -e dns.qry.name
"$SFLOW_SEND" -q -c 30 "$WORK/input.pcap" "127.0.0.1:$port"
wait_user dns
want=$(tshark -r "$WORK/input.pcap" -c 30 -Y dns -T fields -e dns.qry.name 2>/dev/null)
ok $([ -n "$want" ] && [ "$(cat "$WORK/dns.out")" = "$want" ]; echo $?) "-Y dns: the DNS queries among 30 packets, as tshark -r shows them"

port=$(free_port)
start_user_tshark filter -i sflow -o "extcap.sflow.port:$port" -f "udp port 53" -c 3 -T fields -e udp.port
"$SFLOW_SEND" -q -c 40 "$WORK/input.pcap" "127.0.0.1:$port"
wait_user filter
is "$status" 0 "-f 'udp port 53': capture filter applied (the extcap gets --extcap-capture-filter)"
is "$(grep -cv '53' "$WORK/filter.out")" 0 "-f 'udp port 53': only port 53 packets"
is "$(wc -l <"$WORK/filter.out")" 3 "-f 'udp port 53': -c 3 of them"

port=$(free_port)
start_user_tshark ek -i sflow -o "extcap.sflow.port:$port" -c 5 -T ek
"$SFLOW_SEND" -q -c 5 "$WORK/input.pcap" "127.0.0.1:$port"
wait_user ek
is "$(grep -c '"layers":{' "$WORK/ek.out")" 5 "-T ek: 5 packet documents"
is "$(grep -c '"frame_frame_comment":"sflow_sample agent=127.0.0.1 sub_agent=0 source_class=0 source_index=1 in_ifindex=1 out_ifindex=0 direction=in rate=1 pool=[0-9]* seq=' "$WORK/ek.out")" 5 \
	"-T ek: each document carries the sample's metadata"
is "$(grep -c '{"index":' "$WORK/ek.out")" 5 "-T ek: 5 index lines"

port=$(free_port)
start_user_tshark phs -i sflow -o "extcap.sflow.port:$port" -c "$N" -q -z io,phs
"$SFLOW_SEND" -q -c "$N" "$WORK/input.pcap" "127.0.0.1:$port"
wait_user phs
contains "$WORK/phs.out" "Protocol Hierarchy Statistics" "-q -z io,phs: the hierarchy"
ok $(grep -q "^ *eth  *frames:$N " "$WORK/phs.out"; echo $?) "-q -z io,phs: eth frames:$N"

# ---- metadata and direction: the datagram with every kind of sample ----
# Out of it come packets 1 2 3 4 13 14 15 16 17 (tests/sflow_datagrams.py);
# 16 was taken on egress (data source = output interface), the rest on
# ingress; agent 192.0.2.1, sampling rate 1, sequence 1.
port=$(free_port)
start_user_tshark meta -i sflow -o "extcap.sflow.port:$port" -c 9 \
	-T fields -e udp.srcport -e frame.packet_flags_direction -e frame.comment
python3 "$top_srcdir/tests/sflow_datagrams.py" mix "$port"
wait_user meta
is "$(awk -F '\t' '$1 == 1016 { print $2 }' "$WORK/meta.out")" "0x00000002" \
	"frame.packet_flags_direction: outbound (2) for the egress sample"
is "$(awk -F '\t' '$2 == "0x00000001"' "$WORK/meta.out" | wc -l)" 8 \
	"frame.packet_flags_direction: inbound (1) for the 8 ingress samples"
is "$(awk -F '\t' '$1 == 1016 { print $3 }' "$WORK/meta.out")" \
	"sflow_sample agent=192.0.2.1 sub_agent=0 source_class=0 source_index=4 in_ifindex=3 out_ifindex=4 direction=out rate=1 pool=100 seq=1 drops=0" \
	"frame.comment: agent, sub-agent, data source, ifIndex in / out, direction, sampling rate, pool, sequence, drops"

port=$(free_port)
start_user_tshark comment -i sflow -o "extcap.sflow.port:$port" -c 9 \
	-Y 'frame.comment contains "agent=192.0.2.1 " && frame.packet_flags_direction == 2' \
	-T fields -e udp.srcport
python3 "$top_srcdir/tests/sflow_datagrams.py" mix "$port"
wait_user comment
is "$(cat "$WORK/comment.out")" "1016" "-Y on frame.comment and the direction flags selects the egress sample"

# ---- the dialog's options ----
port=$(free_port)
start_user_tshark dirout -i sflow -o "extcap.sflow.port:$port" -o extcap.sflow.direction:out \
	-c 1 -T fields -e udp.srcport
python3 "$top_srcdir/tests/sflow_datagrams.py" mix "$port"
wait_user dirout
is "$(cat "$WORK/dirout.out")" "1016" "direction out: only the egress sample"

port=$(free_port)
start_user_tshark vlan -i sflow -o "extcap.sflow.port:$port" -o extcap.sflow.vlan:true \
	-c 9 -T fields -e udp.srcport -e vlan.id
python3 "$top_srcdir/tests/sflow_datagrams.py" mix "$port"
wait_user vlan
is "$(awk -F '\t' '$1 == 1015 { print $2 }' "$WORK/vlan.out")" "10" "vlan: the ingress VLAN inserted as an 802.1Q tag"

port=$(free_port)
start_user_tshark raw -i sflow -o "extcap.sflow.port:$port" -o extcap.sflow.linktype:RAW \
	-c 1 -T fields -e frame.protocols
python3 "$top_srcdir/tests/sflow_datagrams.py" mix "$port"
wait_user raw
ok $(grep -q '^raw:ip' "$WORK/raw.out"; echo $?) "link type RAW: packets start at the IP header"

port=$(free_port)
start_user_tshark sll2 -i sflow -o "extcap.sflow.port:$port" -o extcap.sflow.linktype:LINUX_SLL2 \
	-c 9 -T fields -e udp.srcport -e sll.ifindex -e sll.pkttype
python3 "$top_srcdir/tests/sflow_datagrams.py" mix "$port"
wait_user sll2
is "$(awk -F '\t' '$1 == 1016 { print $2 }' "$WORK/sll2.out")" "4" \
	"link type LINUX_SLL2: the egress sample carries its ifIndex (output interface 4)"
is "$(awk -F '\t' '$1 == 1016 { print $3 }' "$WORK/sll2.out")" "4" \
	"link type LINUX_SLL2: and packet type 4 (outgoing)"

# ---- the statistics block, written by tshark -w as the user ----
port=$(free_port)
start_user_tshark write -i sflow -o "extcap.sflow.port:$port" -w "$WORK/capture.pcapng"
python3 - "$port" <<'PY'
import socket, sys
sys.path.insert(0, sys.argv[0] and __import__("os").environ["top_srcdir"] + "/tests")
from sflow_datagrams import v5_datagram, flow_sample, header_record, eth_udp
sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
# Sequence 1, then 5: samples 2, 3 and 4 were lost on the way.
for sequence in (1, 5):
    sample = flow_sample([header_record(1, 64, 4, eth_udp(sequence))], sequence=sequence)
    sock.sendto(v5_datagram([sample], sequence=sequence), ("127.0.0.1", int(sys.argv[1])))
PY
# Statistics blocks go out once a second when they change: wait until
# dumpcap has written the one that counts both packets and the loss.
statistics_written() {
	python3 "$top_srcdir/tests/pcapng_blocks.py" "$WORK/capture.pcapng" 2>/dev/null |
		grep -qx "ISB ifrecv=2 ifdrop=3 osdrop=3"
}
wait_until statistics_written
# ^C: SIGINT (tshark runs with it restored: see start_user_tshark).
kill -INT "$tshark_write"
wait_user write
is "$status" 0 "tshark -w as the user: stopped with SIGINT (^C), exit status 0"
python3 "$top_srcdir/tests/pcapng_blocks.py" "$WORK/capture.pcapng" >"$WORK/blocks"
is "$(grep -c '^EPB' "$WORK/blocks")" 2 "tshark -w: the 2 packets"
is "$(grep '^ISB' "$WORK/blocks" | tail -n 1)" "ISB ifrecv=2 ifdrop=3 osdrop=3" \
	"the interface statistics block: 2 received, 3 dropped (lost on the way)"
contains "$WORK/blocks" "IDB linktype=1 snaplen=262144 name=sflow description=sFlow collector (sflow:$port) tsresol=9" \
	"the interface block: name, description, snap length, nanosecond time stamps"
capinfos "$WORK/capture.pcapng" >"$WORK/capinfos" 2>&1
ok $(grep -q "Number of packets: *2" "$WORK/capinfos"; echo $?) "capinfos reads the file: 2 packets"

# ---- stopping: SIGTERM, and a reader that goes away ----
port=$(free_port)
mkfifo "$WORK/fifo"
cat "$WORK/fifo" >"$WORK/direct.pcapng" &
reader=$!
run_bg direct "$EXTCAP" --extcap-interface sflow --capture --fifo "$WORK/fifo" --port "$port"
wait_until eval 'listening "$port" || ! running "$pid_direct"'
"$SFLOW_SEND" -q -c 3 "$WORK/input.pcap" "127.0.0.1:$port"
# Written and flushed to the fifo, packet by packet, once it is idle.
wait_idle "$pid_direct" "$port"
kill -TERM "$pid_direct"
wait_exit direct
is "$status" 0 "SIGTERM: the extcap exits cleanly"
wait_until eval '! running "$reader"'
kill "$reader" 2>/dev/null
wait "$reader"
python3 "$top_srcdir/tests/pcapng_blocks.py" "$WORK/direct.pcapng" >"$WORK/direct.blocks"
is "$(tail -n 1 "$WORK/direct.blocks")" "ISB ifrecv=3 ifdrop=0 osdrop=0" "SIGTERM: the statistics block ends the stream"

port=$(free_port)
rm -f "$WORK/fifo"; mkfifo "$WORK/fifo"
head -c 1 "$WORK/fifo" >/dev/null &
reader=$!
run_bg gone "$EXTCAP" --extcap-interface sflow --capture --fifo "$WORK/fifo" --port "$port"
wait_exit gone
kill "$reader" 2>/dev/null
is "$status" 0 "the reader closes the fifo: the extcap notices and exits by itself, status 0"

# ---- the dialog's selection options, the extcap run directly ----
# direct_capture NAME SEND_COMMAND EXTCAP_OPTIONS...: the extcap on a fifo
# until SEND_COMMAND (run with $port set) has been received; blocks in
# $WORK/NAME.blocks, the extcap's stderr in $WORK/NAME.err.
direct_capture() {
	name=$1 send=$2
	shift 2
	port=$(free_port)
	rm -f "$WORK/$name.fifo"; mkfifo "$WORK/$name.fifo"
	cat "$WORK/$name.fifo" >"$WORK/$name.pcapng" &
	reader=$!
	"$EXTCAP" --extcap-interface sflow --capture --fifo "$WORK/$name.fifo" --port "$port" "$@" \
		2>"$WORK/$name.err" &
	extcap=$!
	wait_until eval 'listening "$port" || ! running "$extcap"'
	eval "$send"
	# Written and flushed to the fifo, packet by packet, once it is idle.
	running "$extcap" && wait_idle "$extcap" "$port"
	kill -TERM "$extcap" 2>/dev/null
	wait_until eval '! running "$extcap"'
	kill -KILL "$extcap" 2>/dev/null
	wait "$extcap"
	status=$?
	# An extcap that failed before it opened the fifo leaves the reader
	# waiting for a writer: be that writer for a moment (opening a fifo
	# read-write never blocks), so the reader sees the end either way.
	exec 8<>"$WORK/$name.fifo"
	exec 8>&-
	wait_until eval '! running "$reader"'
	kill "$reader" 2>/dev/null
	wait "$reader"
	python3 "$top_srcdir/tests/pcapng_blocks.py" "$WORK/$name.pcapng" >"$WORK/$name.blocks"
}
two_sources='"$SFLOW_SEND" -q -c 20 -i 5 --sources 2 "$WORK/input.pcap" "127.0.0.1:$port"'
if grep -q 'ifindex=N' "$top_srcdir/libpcap-sflow/device.h"; then
	direct_capture ifindex "$two_sources" --ifindex 6
	is "$status" 0 "--ifindex 6: the extcap ran and stopped cleanly"
	contains "$WORK/ifindex.blocks" "description=sFlow collector (sflow:$port,ifindex=6)" \
		"--ifindex 6: the device name the extcap makes"
	is "$(grep -c '^EPB' "$WORK/ifindex.blocks")" 10 "--ifindex 6: the 10 samples of ifIndex 6 among 20"
	is "$(grep '^EPB' "$WORK/ifindex.blocks" | grep -vc ' in_ifindex=6 ')" 0 "--ifindex 6: nothing from ifIndex 5"

	direct_capture agent "$two_sources" --agent 127.0.0.1,192.0.2.0/24
	is "$(grep -c '^EPB' "$WORK/agent.blocks")" 20 "--agent 127.0.0.1,192.0.2.0/24: the sender's agent's 20 samples"
	contains "$WORK/agent.blocks" "(sflow:$port,agent=127.0.0.1,agent=192.0.2.0/24)" \
		"--agent LIST: one agent= option per item"
	direct_capture otheragent "$two_sources" --agent 192.0.2.0/24
	is "$(grep -c '^EPB' "$WORK/otheragent.blocks")" 0 "--agent 192.0.2.0/24: no sample from agent 127.0.0.1"

	direct_capture bind4 '"$SFLOW_SEND" -q -c 5 "$WORK/input.pcap" "127.0.0.1:$port"' --bind 127.0.0.1
	contains "$WORK/bind4.blocks" "(sflow:127.0.0.1:$port)" "--bind 127.0.0.1: sflow:127.0.0.1:PORT"
	is "$(grep -c '^EPB' "$WORK/bind4.blocks")" 5 "--bind 127.0.0.1: the 5 packets"
	direct_capture bind6 '"$SFLOW_SEND" -q -c 5 "$WORK/input.pcap" "[::1]:$port"' --bind ::1
	contains "$WORK/bind6.blocks" "(sflow:[::1]:$port)" "--bind ::1: sflow:[::1]:PORT"
	is "$(grep -c '^EPB' "$WORK/bind6.blocks")" 5 "--bind ::1: the 5 packets"

	# A saved feed: read to its end, then the extcap stops by itself.
	python3 "$top_srcdir/tests/sflow_pcaps.py" linktype sll "$WORK/saved.pcap"
	# (its datagrams go to 6343: the last --port wins)
	direct_capture saved "" --file "$WORK/saved.pcap" --port 6343
	is "$status" 0 "--file: the extcap reads the file to its end and exits 0"
	contains "$WORK/saved.blocks" "(sflow:6343,file=$WORK/saved.pcap)" \
		"--file PATH: sflow:PORT,file=PATH"
	is "$(grep -c '^EPB' "$WORK/saved.blocks")" 5 "--file: the file's 5 sampled packets"
	direct_capture both "" --file "$WORK/saved.pcap" --sniff lo
	is "$status" 1 "--file and --sniff together: refused"
	contains "$WORK/both.err" "not both" "--file and --sniff together: says so"

	direct_capture badagent "" --agent 300.1.2.3
	is "$status" 1 "--agent 300.1.2.3: exit status 1"
	contains "$WORK/badagent.err" "bad agent 'agent=300.1.2.3' (IP or PREFIX/LEN)" "--agent 300.1.2.3: the module's one-line error, passed on"
else
	skip "the module has no agent= / ifindex= / bind address options yet"
fi

check_restored
done_testing
