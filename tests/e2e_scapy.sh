#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
# scapy (Debian's python3-scapy, /usr/bin/python3) through sflow-run: ctypes
# looks libpcap's functions up on libpcap's own handle, which the module's
# dlsym interposition answers with its own.
. "$top_srcdir/tests/lib.sh"

if ! /usr/bin/python3 -c 'import scapy' 2>/dev/null; then
	skip "python3-scapy not installed"
	done_testing
	exit
fi
make_packets "$WORK/input.pcap" 30
port=$(free_port)
WAIT_SECONDS=$WAIT_SECONDS timeout $((2 * WAIT_SECONDS)) "$SFLOW_RUN" /usr/bin/python3 "$top_srcdir/tests/scapy_sniff.py" "$port" 12 128 \
	"$WORK/input.pcap" >"$WORK/scapy.out" 2>"$WORK/scapy.err" &
pid=$!
# scapy imports slowly: send once our socket is bound.
wait_until listening "$port"
"$SFLOW_SEND" -q -c 12 "$WORK/input.pcap" "127.0.0.1:$port"
wait $pid
is "$?" 0 "scapy sniff(iface=sflow:PORT, count=12) returns"
contains "$WORK/scapy.out" "captured 12" "scapy captured the 12 packets sent"
contains "$WORK/scapy.out" "identical 12" "each packet's bytes equal the first 128 bytes sent"

# ctypes' own view: pcap_create looked up on libpcap's handle is the module's.
"$SFLOW_RUN" /usr/bin/python3 -c '
import ctypes, ctypes.util
lib = ctypes.CDLL(ctypes.util.find_library("pcap"))
own = ctypes.CDLL(None)
print(ctypes.cast(lib.pcap_create, ctypes.c_void_p).value == ctypes.cast(own.pcap_create, ctypes.c_void_p).value)
print(ctypes.cast(lib.pcap_lib_version, ctypes.c_void_p).value is not None)
' >"$WORK/ctypes.out" 2>&1
is "$(cat "$WORK/ctypes.out" | tr '\n' ' ')" "True True " \
	"ctypes: libpcap's handle yields our pcap_create, and its own functions still"
done_testing
