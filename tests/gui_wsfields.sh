#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
# The Wireshark GUI as Debian's normal Wireshark user runs it (the setup of
# tests/extcap_user.sh), under Xvfb: Wireshark starts a capture on the
# sflow interface (the build tree's extcap and plugin) with columns for the
# interface, sflow_sample.agent and sflow_sample.in_ifindex, set in a
# preferences file of the user's temporary home; the feed of
# tests/wsfields_feed.py arrives; the capture Wireshark keeps (its temporary
# file) holds every packet with its fields, and a screenshot of the screen
# is taken once it stops changing. Run by `make check-gui` (not part of
# make check: it needs an X server and takes a minute). The screenshot is
# kept only when SFLOW_GUI_SCREENSHOT names a PNG file to write.
. "$top_srcdir/tests/lib.sh"

for program in Xvfb import wireshark xwininfo; do
	if ! command -v "$program" >/dev/null; then
		skip "needs Xvfb, import (imagemagick), wireshark (wireshark-qt) and xwininfo"
		done_testing
		exit
	fi
done
. "$top_srcdir/tests/extcap_user.sh"

LUA="$top_srcdir/tcpdump/sflow_sample.lua"
N=$(python3 "$top_srcdir/tests/wsfields_feed.py" expect flows | wc -l)

# The user's temporary home: preferences, Wireshark's temporary capture.
H="$WORK/home"
mkdir -p "$H/.config/wireshark" "$H/tmp"
cat >"$H/.config/wireshark/preferences" <<'EOF'
# Columns for the sampling context (tests/gui_wsfields.sh).
gui.column.format: "No.", "%m", "Interface", "%Cus:frame.interface_name:0:R", "Agent", "%Cus:sflow_sample.agent || sflow_sample.agent_ipv6:0:R", "In ifIndex", "%Cus:sflow_sample.in_ifindex:0:R", "Rate", "%Cus:sflow_sample.rate:0:R", "Est. bytes", "%Cus:sflow_sample.est_bytes:0:R", "Source", "%s", "Destination", "%d", "Protocol", "%p", "Length", "%L"
EOF
# A window as big as the screen, so the columns show whole.
cat >"$H/.config/wireshark/recent_common" <<'EOF'
gui.geometry_main_x: 0
gui.geometry_main_y: 0
gui.geometry_main_width: 1600
gui.geometry_main_height: 900
gui.geometry_main_maximized: FALSE
EOF
chown -R "$USER_NAME" "$H"

# An X server on a display nobody uses (it picks the number, -displayfd).
exec 3>"$WORK/display"
Xvfb -displayfd 3 -screen 0 1600x900x24 -nolisten tcp -ac >"$WORK/xvfb.log" 2>&1 &
xvfb=$!
exec 3>&-
wait_until test -s "$WORK/display"
display=":$(head -n 1 "$WORK/display")"
ok $([ "$display" != ":" ]; echo $?) "Xvfb runs on display $display"

port=$(free_port)
as_user env HOME="$H" XDG_CONFIG_HOME="$H/.config" TMPDIR="$H/tmp" DISPLAY="$display" \
	wireshark -i sflow -k -o "extcap.sflow.port:$port" -X "lua_script:$LUA" \
	>"$WORK/wireshark.out" 2>"$WORK/wireshark.err" &
wireshark=$!
# The capture runs once the extcap listens (the GUI starts slowly).
wait_until eval 'listening "$port" || ! running "$wireshark"'
listening "$port"
ok $? "Wireshark, as the user, starts a capture on sflow (the extcap listens on UDP $port)"
python3 "$top_srcdir/tests/wsfields_feed.py" send flows "$port"

# Until the capture Wireshark keeps holds the feed. dumpcap writes it:
# with file capabilities it runs in secure mode, where the C library drops
# TMPDIR, so the file is in /tmp, the user's.
count=0
file=
capture_holds_feed() {
	file=$(find /tmp "$H/tmp" -maxdepth 1 -user "$USER_NAME" -name 'wireshark_*' 2>/dev/null | head -n 1)
	[ -n "$file" ] || return 1
	count=$(as_user tshark -r "$file" 2>/dev/null | wc -l)
	[ "$count" -ge "$N" ]
}
wait_until capture_holds_feed
is "$count" "$N" "Wireshark's capture holds the $N packets of the feed"
as_user tshark -X "lua_script:$LUA" -r "$file" -T fields -e sflow_sample.agent \
	-e sflow_sample.in_ifindex -Y 'frame.interface_name == "10.1.2.3:7"' 2>/dev/null >"$WORK/port"
is "$(tr '\t\n' ', ' <"$WORK/port")" "10.1.2.3,7 10.1.2.3,7 10.1.2.3,7 " \
	"its packets of switch port 10.1.2.3:7, with their sflow_sample fields"
xwininfo -display "$display" -root -tree >"$WORK/windows" 2>&1
contains "$WORK/windows" "\"Capturing from sFlow collector: sflow\"" "Wireshark's window: Capturing from sFlow collector: sflow"

# The screen, once two screenshots half a second apart are the same (the
# window has finished drawing).
previous= i=0
screen_settled() {
	i=$((i + 1))
	import -display "$display" -window root "$WORK/screen$i.png" 2>/dev/null
	sum=$(md5sum <"$WORK/screen$i.png")
	[ "$sum" = "$previous" ] && return 0
	previous=$sum
	sleep 0.5
	return 1
}
wait_until screen_settled
ok $([ -s "$WORK/screen$i.png" ]; echo $?) "a screenshot of the capture"
[ -n "${SFLOW_GUI_SCREENSHOT:-}" ] && cp "$WORK/screen$i.png" "$SFLOW_GUI_SCREENSHOT" &&
	echo "# screenshot: $SFLOW_GUI_SCREENSHOT"

kill -TERM "$wireshark" 2>/dev/null
wait_until eval '! running "$wireshark"'
kill -KILL "$wireshark" 2>/dev/null
# What the user's session left running (dumpcap, the extcap): stopped by pid.
for pid in $(pgrep -u "$USER_NAME"); do kill -TERM "$pid" 2>/dev/null; done
# Wireshark removes its temporary capture when it quits; a stopped one may not.
[ -n "$file" ] && rm -f "$file"
kill -TERM "$xvfb" 2>/dev/null
wait "$xvfb" 2>/dev/null
check_restored
done_testing
