#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
# file=PATH: saved captures of sFlow feeds through the real tcpdump. Real
# agents' captures (../shared/captures, from tcpdump's test suite) come out
# byte for byte as Wireshark decodes them, with the files' own time
# stamps; every link type, fragments, bad checksums, a cut file, a file
# that is no capture, a pcapng libpcap refuses, and standard input.
. "$top_srcdir/tests/lib.sh"

PCAPS="$top_srcdir/tests/sflow_pcaps.py"
CAPTURES="${SFLOW_CAPTURES:-$top_srcdir/../shared/captures}"

# run NAME DEVICE_OPTIONS [TCPDUMP ARGS...]: reads until the file ends;
# sets $status, output in $WORK/NAME.{out,err}.
run() {
	name=$1 options=$2; shift 2
	SFLOW_STATS=1 "$TCPDUMP" -i "sflow:6343,$options" "$@" \
		>"$WORK/$name.out" 2>"$WORK/$name.err"
	status=$?
}
counter() { sed -n "s/^$2 //p" "$WORK/$1.err"; }
captured() { sed -n 's/^\([0-9]*\) packets* captured$/\1/p' "$WORK/$1.err"; }
lines() { grep -vc -e '^[a-z_]* [0-9]*$' -e 'packets* captured$' -e 'received by filter$' \
		-e 'dropped by kernel$' -e '^tcpdump: listening on' "$WORK/$1.err"; }

# Real agents' datagrams: the packets Wireshark's dissector finds, byte
# for byte, each stamped with the time its datagram was saved.
if [ -d "$CAPTURES" ] && command -v tshark >/dev/null 2>&1; then
	for entry in sflow-print-v6.pcap:13 sflow_expanded.pcap:1 \
		     sflow_multiple_counter_30_pdus.pcap:0 sflow_print-segv.pcap:0; do
		file=${entry%%:*} want=${entry#*:}
		run real "file=$CAPTURES/$file" -w "$WORK/real.pcap"
		is "$status" 0 "$file: tcpdump reads it to its end and exits 0"
		is "$(captured real)" "$want" "$file: $want packets captured"
		tshark -r "$CAPTURES/$file" -T fields -E occurrence=a -E separator=';' \
		       -e frame.time_epoch -e sflow_245.header.frame_length \
		       -e sflow_245.header.payload_stripped \
		       -e sflow_245.header.sampled_header_length -e sflow_245.header 2>/dev/null |
		python3 -c 'import sys
for line in sys.stdin:
    time, *rest = line.strip().split(";")
    if not "".join(rest):
        continue
    for frame, stripped, length, header in zip(*(f.split(",") for f in rest)):
        header = header.replace(":", "")[:2 * int(length)]
        print("%.6f" % float(time), int(frame) - int(stripped), length, header)' >"$WORK/want"
		python3 -c 'import struct, sys
data = open(sys.argv[1], "rb").read()
offset = 24
while offset + 16 <= len(data):
    seconds, micros, caplen, length = struct.unpack("<IIII", data[offset:offset + 16])
    print("%d.%06d" % (seconds, micros), length, caplen, data[offset + 16:offset + 16 + caplen].hex())
    offset += 16 + caplen' "$WORK/real.pcap" >"$WORK/got"
		is "$(cat "$WORK/got")" "$(cat "$WORK/want")" \
		   "$file: packets and time stamps match Wireshark's decode byte for byte"
	done
	run real "file=$CAPTURES/sflow_print-segv.pcap" -w "$NULL_OUT"
	is "$(counter real udp_checksum_errors)" 1 \
	   "sflow_print-segv: its wrong UDP checksum (tcpdump -vv agrees) counted, not decoded"
	run real "file=$CAPTURES/sflow_multiple_counter_30_pdus.pcap" -w "$NULL_OUT"
	is "$(counter real malformed_datagrams)" 5 "the 5 non-sFlow datagrams to 6343: malformed"
	# ADDRESS names the datagrams wanted: the v6 capture's go to 20::1:1:2.
	SFLOW_STATS=1 "$TCPDUMP" -i "sflow:[20::1:1:2]:6343,file=$CAPTURES/sflow-print-v6.pcap" \
		-w "$NULL_OUT" 2>"$WORK/addr.err"
	is "$(captured addr)" 13 "sflow:[20::1:1:2]:6343: the datagrams to that address"
	SFLOW_STATS=1 "$TCPDUMP" -i "sflow:[20::1:1:3]:6343,file=$CAPTURES/sflow-print-v6.pcap" \
		-w "$NULL_OUT" 2>"$WORK/addr.err"
	is "$(captured addr):$(counter addr frames_ignored)" 0:25 \
	   "sflow:[20::1:1:3]:6343: none, the 25 frames ignored"
else
	skip "no captures at $CAPTURES, or no tshark"
fi

# Every link type file= reads gives the same packets as Ethernet.
python3 "$PCAPS" linktype en10mb "$WORK/en10mb.pcap"
run en10mb "file=$WORK/en10mb.pcap" -w "$WORK/en10mb.out"
python3 "$top_srcdir/tests/pcap_records.py" "$WORK/en10mb.out" >"$WORK/en10mb.records"
is "$(wc -l <"$WORK/en10mb.records")" 5 "Ethernet: the 5 sampled packets"
for link in vlan qinq sll sll2 raw ipv4 ipv6 null loop en10mb6; do
	python3 "$PCAPS" linktype "$link" "$WORK/$link.pcap"
	run "$link" "file=$WORK/$link.pcap" -w "$WORK/$link.out"
	python3 "$top_srcdir/tests/pcap_records.py" "$WORK/$link.out" >"$WORK/$link.records"
	is "$status:$(cat "$WORK/$link.records")" "0:$(cat "$WORK/en10mb.records")" \
	   "$link: the same 5 packets, byte for byte"
done
# Time stamps: the file's, to the microsecond (T0 and T0 + 1.25 s).
"$SYSTEM_TCPDUMP" -r "$WORK/en10mb.out" -tt -nn 2>/dev/null | cut -d' ' -f1 | sort -u >"$WORK/times"
is "$(tr '\n' ' ' <"$WORK/times")" "1700000000.000000 1700000001.250000 " \
   "time stamps are the file's"

# The agent's own time stamp (record 1043) wins over the file's, as live.
python3 "$PCAPS" agenttime "$WORK/agenttime.pcap"
"$TCPDUMP" -i "sflow:6343,file=$WORK/agenttime.pcap" -tt -nn >"$WORK/agenttime.out" 2>/dev/null
is "$(cut -d' ' -f1 "$WORK/agenttime.out" | tr '\n' ' ')" "1700000000.250000 1600000000.500000 " \
   "time stamps: the file's, and the agent's own where the sample has one"

# The libpcap calls at the end of a file answer as a savefile's do.
# Debian's python3, as e2e_scapy.sh: a sanitizer build's launcher
# preloads its runtime, which a python started through a shell script
# (pyenv's shim) does not survive.
"$SFLOW_RUN" /usr/bin/python3 - "sflow:6343,file=$WORK/en10mb.pcap" >"$WORK/calls.out" 2>&1 <<'PY'
import ctypes, ctypes.util, sys
pcap = ctypes.CDLL(ctypes.util.find_library("pcap"))
pcap.pcap_create.restype = ctypes.c_void_p
errbuf = ctypes.create_string_buffer(256)
p = ctypes.c_void_p(pcap.pcap_create(sys.argv[1].encode(), errbuf))
assert pcap.pcap_activate(p) == 0
header, data = ctypes.c_void_p(), ctypes.c_void_p()
packets = 0
while (result := pcap.pcap_next_ex(p, ctypes.byref(header), ctypes.byref(data))) == 1:
    packets += 1
handler = ctypes.CFUNCTYPE(None, ctypes.c_void_p, ctypes.c_void_p, ctypes.c_void_p)(
    lambda *_: None)
print(packets, result, pcap.pcap_dispatch(p, -1, handler, None),
      pcap.pcap_loop(p, -1, handler, None))
PY
is "$(cat "$WORK/calls.out")" "5 -2 0 0" \
   "pcap_next_ex: the 5 packets, then PCAP_ERROR_BREAK; pcap_dispatch and pcap_loop then 0"

# A feed that missed datagram 50 of 100: the books see its 10 samples lost.
python3 "$PCAPS" feed "$WORK/feed.pcap" 100 10 50
run feed "file=$WORK/feed.pcap" -w "$WORK/feed.out"
is "$status:$(captured feed)" 0:990 "feed: 990 packets, tcpdump exits 0 at the end"
contains "$WORK/feed.err" "10 packets dropped by kernel" "feed: the missed datagram's 10 samples in ps_drop"
is "$(counter feed frames_ignored)" 10 "feed: the 10 DNS frames ignored and counted"
# -c, a filter, standard input.
run count "file=$WORK/feed.pcap" -c 7 -w "$WORK/count.out"
is "$status:$(captured count)" 0:7 "-c 7: seven packets"
run filter "file=$WORK/feed.pcap" -nn 'udp dst port 1005 or udp dst port 1990'
is "$(wc -l <"$WORK/filter.out")" 2 "a BPF filter picks its 2 packets"
# Options and link types as live.
run options "file=$WORK/feed.pcap,agent=192.0.2.1,ifindex=3,dir=in" -y LINUX_SLL2 -c 2 -e -nn
is "$(grep -c ' In  ifindex 3 02:00:00:00:00:01 ethertype IPv4' "$WORK/options.out")" 2 \
   "agent=, ifindex=, dir= and -y LINUX_SLL2 work from a file"
run otheragent "file=$WORK/feed.pcap,agent=192.0.2.2" -w "$NULL_OUT"
is "$(captured otheragent):$(counter otheragent agent_filtered_datagrams)" 0:99 \
   "agent= of another agent: the 99 datagrams left out"
SFLOW_STATS=1 "$TCPDUMP" -i 'sflow:6343,file=-' -w "$WORK/stdin.out" <"$WORK/feed.pcap" \
	2>"$WORK/stdin.err"
is "$?:$(captured stdin)" 0:990 "file=- reads standard input"
cmp -s "$WORK/stdin.out" "$WORK/feed.out"
ok $? "file=- writes what file=PATH writes"
# tcpdump -w - piped into file=-, as beside a collector.
"$SYSTEM_TCPDUMP" -r "$WORK/feed.pcap" -w - 2>/dev/null |
	"$TCPDUMP" -i 'sflow:6343,file=-' -w "$WORK/pipe.out" 2>"$WORK/pipe.err"
is "$(captured pipe)" 990 "tcpdump -w - | tcpdump -i 'sflow:6343,file=-'"

# Fragments are put back together (in any order); what makes no whole
# datagram is counted, never decoded as garbage.
python3 "$PCAPS" fragments "$WORK/fragments.pcap"
run fragments "file=$WORK/fragments.pcap" -w "$WORK/fragments.out"
is "$(counter fragments reassembled_datagrams):$(counter fragments fragments_dropped)" 2:3 \
   "an IPv4 (out of order) and an IPv6 datagram reassembled; 2 evicted and 1 bad fragment dropped"
is "$(counter fragments malformed_datagrams):$(captured fragments)" 0:6 \
   "nothing decoded as garbage; the 6 packets of the three whole datagrams"
python3 "$top_srcdir/tests/pcap_records.py" "$WORK/fragments.out" | head -5 >"$WORK/fragments.records"
is "$(cat "$WORK/fragments.records")" "$(cat "$WORK/en10mb.records")" \
   "reassembled datagrams give the packets they give whole, byte for byte"
python3 "$PCAPS" badsum "$WORK/badsum.pcap"
run badsum "file=$WORK/badsum.pcap" -w "$NULL_OUT"
is "$(counter badsum udp_checksum_errors):$(counter badsum datagrams)" 1:2 \
   "a wrong UDP checksum counted; the good one and the one without (0) decoded"
is "$(captured badsum)" 3 "their 3 packets, none of the bad one's"

# No sFlow at all: nothing captured, every frame counted.
python3 "$PCAPS" nosflow "$WORK/nosflow.pcap"
run nosflow "file=$WORK/nosflow.pcap" -w "$NULL_OUT"
is "$status:$(captured nosflow):$(counter nosflow frames_ignored)" 0:0:12 \
   "no sFlow: exits 0, nothing captured, 12 frames ignored"

# Files tcpdump cannot use: one line each, saying what is wrong.
head -c 5000 "$WORK/feed.pcap" >"$WORK/cut.pcap"
run cut "file=$WORK/cut.pcap" -w "$NULL_OUT"
is "$status:$(captured cut)" 1:30 "a cut file: the 30 packets before the cut, then failure"
contains "$WORK/cut.err" "truncated dump file" "a cut file: says so"
is "$(lines cut)" 1 "a cut file: one line"
echo "not a capture" >"$WORK/text.pcap"
run text "file=$WORK/text.pcap" -w "$NULL_OUT"
contains "$WORK/text.err" "cannot read $WORK/text.pcap as a pcap or pcapng capture" \
	 "not a capture: says so"
is "$status:$(lines text)" 1:1 "not a capture: fails, one line"
run missing "file=$WORK/none.pcap" -w "$NULL_OUT"
is "$status:$(lines missing)" 1:1 "a missing file: fails, one line"
python3 "$PCAPS" multilink "$WORK/multilink.pcapng"
run multilink "file=$WORK/multilink.pcapng" -w "$NULL_OUT"
contains "$WORK/multilink.err" "split it by interface" \
	 "a pcapng of two link types: libpcap refuses, the line says what to do"
is "$status:$(lines multilink)" 1:1 "a pcapng of two link types: fails, one line"
run both "file=$WORK/feed.pcap,sniff=lo" -w "$NULL_OUT"
is "$status:$(lines both)" 1:1 "file= and sniff= together: one line"
contains "$WORK/both.err" "one sniff= or file=" "file= and sniff= together: says so"

done_testing
