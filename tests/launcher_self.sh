#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
# The tcpdump launcher never runs itself: made with SYSTEM_TCPDUMP set to
# its own path (as configure --prefix=/usr would install it over the stock
# tcpdump), it stops at once with one line that says how to fix it; made
# as the build does, it runs the stock tcpdump.
. "$top_srcdir/tests/lib.sh"

make_launcher() { # make_launcher FILE SYSTEM_TCPDUMP
	sed -e "s|@SYSTEM_TCPDUMP[@]|$2|g" -e "s|@LAUNCHER[@]|$SFLOW_RUN|g" \
		"$top_srcdir/tcpdump/tcpdump.in" >"$1" && chmod +x "$1"
}
mkdir -p "$WORK/bin"
make_launcher "$WORK/bin/tcpdump" "$WORK/bin/tcpdump"
ok $? "launcher made with SYSTEM_TCPDUMP = its own path"
# Without the guard it would exec itself until the time limit.
timeout "$WAIT_SECONDS" "$WORK/bin/tcpdump" -D >"$WORK/self.out" 2>"$WORK/self.err"
is "$?" 1 "run by its path: exits 1 at once"
is "$(wc -l <"$WORK/self.err")" 1 "one line on stderr"
contains "$WORK/self.err" "configure with SYSTEM_TCPDUMP=" "the line says how to fix it"
# Through PATH, and through a symlink to it: still itself.
PATH="$WORK/bin:$PATH" timeout "$WAIT_SECONDS" tcpdump -D >/dev/null 2>&1
is "$?" 1 "run through PATH: exits 1"
ln -s "$WORK/bin/tcpdump" "$WORK/link"
timeout "$WAIT_SECONDS" "$WORK/link" -D >/dev/null 2>&1
is "$?" 1 "run through a symlink: exits 1"

# Made as the build makes it: the stock tcpdump runs, with sflow.
make_launcher "$WORK/bin/tcpdump" "$SYSTEM_TCPDUMP"
timeout "$WAIT_SECONDS" "$WORK/bin/tcpdump" -D >"$WORK/ok.out" 2>&1
is "$?" 0 "with the stock tcpdump: tcpdump -D exits 0"
contains "$WORK/ok.out" ".sflow " "with the stock tcpdump: lists sflow"
done_testing
