#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
# A quiet feed: the extcap batches under load (a dispatch's packets go out
# in one flush), yet one datagram alone must reach the fifo, and tshark or
# Wireshark through dumpcap, without waiting for more traffic. The time it
# took is printed for the record, never asserted (that is for make bench).
# As a normal user in group wireshark (tests/extcap_user.sh).
. "$top_srcdir/tests/lib.sh"
. "$top_srcdir/tests/extcap_user.sh"

# ---- the extcap alone, on a fifo ----
port=$(free_port)
mkfifo -m 0666 "$WORK/fifo"
as_user "$EXTCAP" --extcap-interface sflow --capture --fifo "$WORK/fifo" --port "$port" \
	2>"$WORK/direct.err" &
extcap=$!
as_user timeout 20 python3 "$top_srcdir/tests/quiet_feed.py" fifo "$WORK/fifo" "$port" \
	>"$WORK/direct.out" 2>&1
echo "# extcap alone: $(cat "$WORK/direct.out")"
sed 's/^/# extcap: /' "$WORK/direct.err"
ok $(grep -q '^delivered ' "$WORK/direct.out"; echo $?) \
	"the extcap alone: one datagram's packet reaches the fifo with nothing after it"
# The reader closed the fifo: the extcap notices by itself.
wait_until eval '! running "$extcap"'
kill "$extcap" 2>/dev/null
wait "$extcap"
is "$?" 0 "the extcap stops by itself once the reader is gone, status 0"

# ---- tshark through dumpcap, as the GUI captures ----
port=$(free_port)
start_user_tshark quiet -i sflow -o "extcap.sflow.port:$port" -c 1 -l -T fields -e udp.srcport
python3 "$top_srcdir/tests/quiet_feed.py" lines "$WORK/quiet.out" "$port" >"$WORK/latency"
echo "# tshark -i sflow, extcap -> fifo -> dumpcap -> tshark: $(cat "$WORK/latency")"
wait_user quiet
is "$stopped $status" "0 0" "tshark -c 1 gets the quiet feed's one packet and exits by itself"
is "$(cat "$WORK/quiet.out")" "1001" "the packet: the sample's UDP source port"
ok $(grep -q '^delivered ' "$WORK/latency"; echo $?) "tshark printed it with nothing sent after it"

check_restored
done_testing
