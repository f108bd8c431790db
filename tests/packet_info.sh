#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
# pcap_sflow_packet_info and its compatibility (tests/test_packet_info.c),
# from a program linked against the module, as the extcap is.
. "$top_srcdir/tests/lib.sh"
exec "$top_builddir/tests/test_packet_info" "$(free_port)"
