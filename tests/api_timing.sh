#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
# When an sflow handle hands packets over (timeout, immediate mode,
# non-blocking, pcap_breakloop, two handles, pcap_next), from a program of
# our own run through the generic launcher on two free ports.
. "$top_srcdir/tests/lib.sh"
port=$(free_port)
other=$(free_port)
while [ "$other" = "$port" ]; do other=$(free_port); done
exec "$SFLOW_RUN" "$top_builddir/tests/test_api_timing" "$port" "$other"
