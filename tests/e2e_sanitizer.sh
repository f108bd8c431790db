#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
# In a sanitizer build (configure --enable-sanitizers): the module is built
# with ASan and UBSan, and an error in it is reported even though tcpdump
# itself is not instrumented, because the launcher preloads the sanitizer
# runtime ahead of the module. Proved with a test-only copy of the module
# that reads one byte past a heap block for every datagram
# (tests/sanitizer_selftest.c); the real module must stay silent.
. "$top_srcdir/tests/lib.sh"

runtime=$(sed -n "s/^sanitizer='\(.*\)'\$/\1/p" "$SFLOW_RUN")
if [ -z "$runtime" ]; then
	skip "not a sanitizer build (configure --enable-sanitizers)"
	done_testing
	exit
fi
module="$top_builddir/libpcap-sflow/.libs/libpcap-sflow.so"
selftest="$top_builddir/tests/.libs/libpcap-sflow-selftest.so"
datagram="$WORK/one.pcap"
make_packets "$datagram" 1

ok $([ -r "$runtime" ]; echo $?) "the launcher preloads the sanitizer runtime ($runtime)"
nm -D "$module" 2>/dev/null | grep -q '__asan_report_load' && nm -D "$module" | grep -q '__ubsan_handle'
ok $? "the module is instrumented for ASan and UBSan"

# The launcher, pointed at the self-test module.
sed "s|^module=.*|module='$selftest'|" "$SFLOW_RUN" >"$WORK/selftest-run"
chmod +x "$WORK/selftest-run"

# run_capture NAME LAUNCHER: tcpdump -c 1 on a free port, one datagram sent.
run_capture() {
	port=$(free_port)
	start_command "$1" "$2" "$SYSTEM_TCPDUMP" -i "sflow:$port" -nn -c 1
	"$SFLOW_SEND" -q "$datagram" "127.0.0.1:$port"
	wait_exit "$1"
}

run_capture asan "$WORK/selftest-run"
ok $(( status != 0 ? 0 : 1 )) "over-read in the module: tcpdump aborts (status $status)"
contains "$WORK/asan.err" "ERROR: AddressSanitizer: heap-buffer-overflow" \
	"over-read in the module: ASan reports a heap-buffer-overflow"
contains "$WORK/asan.err" "READ of size 1" "over-read in the module: a 1-byte read"
contains "$WORK/asan.err" "__wrap_sflow_decode" "over-read in the module: the report names the function"

SFLOW_SELFTEST=ubsan run_capture ubsan "$WORK/selftest-run"
ok $(( status != 0 ? 0 : 1 )) "undefined shift in the module: tcpdump stops (status $status)"
contains "$WORK/ubsan.err" "runtime error: shift exponent 32" \
	"undefined shift in the module: UBSan reports it"

# The same through the real module: silent, and the packet is printed.
run_capture clean "$SFLOW_RUN"
is "$status" 0 "the real module under ASan: tcpdump -c 1 exits 0"
is "$(grep -c 'Sanitizer\|runtime error' "$WORK/clean.err")" 0 "the real module: no sanitizer report"
is "$(wc -l <"$WORK/clean.out")" 1 "the real module: the packet is printed"
done_testing
