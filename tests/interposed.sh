#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
# No pcap_* call on an sflow handle may reach the real libpcap and succeed
# with nothing done. Every public function of <pcap/pcap.h> that takes a
# pcap_t and that the system's libpcap exports must be defined by the
# module, except pcap_geterr and pcap_perror, which read the error buffer
# the module keeps in the handle's real (dead) pcap_t. Then, through
# ctypes (which looks functions up on libpcap's own handle), calls an
# sFlow feed cannot do fail with a message that names the call.
. "$top_srcdir/tests/lib.sh"

HEADER=$(echo '#include <pcap/pcap.h>' | ${CC:-cc} $(pkg-config --cflags libpcap) -M -x c - 2>/dev/null |
	tr ' \\' '\n\n' | grep '/pcap/pcap\.h$' | head -n 1)
LIBPCAP=$(ldconfig -p | sed -n 's/.*libpcap\.so\.0\.8 (libc6,x86-64) => //p' | head -n 1)
MODULE="$top_builddir/libpcap-sflow/.libs/libpcap-sflow.so"
if [ -z "$HEADER" ] || [ -z "$LIBPCAP" ] || [ ! -r "$MODULE" ]; then
	skip "needs <pcap/pcap.h>, libpcap.so.0.8 and the built module"
	done_testing
	exit
fi
# Functions declared with a pcap_t * first parameter.
sed -n 's/^[[:space:]]*PCAP_API[^(]*[[:space:]*]\(pcap_[a-z_0-9]*\)[[:space:]]*([[:space:]]*pcap_t[[:space:]]*\*.*/\1/p' \
	"$HEADER" | sort -u >"$WORK/declared"
nm -D --defined-only "$LIBPCAP" | awk '{ print $3 }' | sort -u >"$WORK/exported"
nm -D --defined-only "$MODULE" | awk '{ print $3 }' | sort -u >"$WORK/ours"
comm -12 "$WORK/declared" "$WORK/exported" | grep -vx 'pcap_geterr\|pcap_perror' >"$WORK/needed"
ok $([ "$(wc -l <"$WORK/needed")" -ge 40 ]; echo $?) \
	"$(wc -l <"$WORK/needed") functions of pcap.h take a pcap_t and are exported by $LIBPCAP"
comm -23 "$WORK/needed" "$WORK/ours" >"$WORK/missing"
is "$(cat "$WORK/missing")" "" "the module interposes every one of them"

port=$(free_port)
"$SFLOW_RUN" /usr/bin/python3 - "$port" >"$WORK/calls.out" 2>&1 <<'PY'
import ctypes, ctypes.util, sys
pcap = ctypes.CDLL(ctypes.util.find_library("pcap"))
pcap.pcap_create.restype = ctypes.c_void_p
pcap.pcap_geterr.restype = ctypes.c_char_p
pcap.pcap_geterr.argtypes = [ctypes.c_void_p]
errbuf = ctypes.create_string_buffer(256)
p = pcap.pcap_create(("sflow:" + sys.argv[1]).encode(), errbuf)
pcap.pcap_activate.argtypes = [ctypes.c_void_p]
print("activate", pcap.pcap_activate(p))
frame = ctypes.create_string_buffer(60)
for name in ("pcap_inject", "pcap_sendpacket"):
    function = getattr(pcap, name)
    function.argtypes = [ctypes.c_void_p, ctypes.c_char_p, ctypes.c_int]
    print(name, function(p, frame, 60), pcap.pcap_geterr(p).decode())
PY
contains "$WORK/calls.out" "activate 0" "through ctypes: an sflow handle activates"
contains "$WORK/calls.out" "pcap_inject -1 sflow:$port: pcap_inject is not supported on an sFlow capture" \
	"pcap_inject fails, and pcap_geterr names the call"
contains "$WORK/calls.out" "pcap_sendpacket -1 sflow:$port: pcap_sendpacket is not supported on an sFlow capture" \
	"pcap_sendpacket fails, and pcap_geterr names the call"
done_testing
