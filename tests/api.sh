#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
# The libpcap API on an sflow handle, from a program of our own run
# through the generic launcher.
. "$top_srcdir/tests/lib.sh"
exec "$SFLOW_RUN" "$top_builddir/tests/test_api" "$(free_port)"
