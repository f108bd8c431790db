# SPDX-License-Identifier: BSD-3-Clause
# Sourced by the tests of Wireshark's extcap as Debian's normal Wireshark
# user meets it (tests/e2e_extcap.sh, tests/e2e_wsfields.sh): a user who is
# not root, in group wireshark, with dumpcap given file capabilities (so
# LD_PRELOAD is ignored for it). The build-tree sflow-extcap is put in
# Wireshark's global extcap directory for the test; tshark lists and runs
# it. Everything changed (user, group, dumpcap's mode and capabilities, the
# extcap directory) is restored as found: restore on exit, and
# check_restored says so in TAP. One test at a time holds the lock.
# Sets EXTCAP, USER_NAME, DUMPCAP, EXTCAP_DIR; defines as_user,
# user_processes, start_user_tshark (it waits for UDP port $port to be
# bound), wait_user and check_restored.
EXTCAP="$top_builddir/tcpdump/sflow-extcap"
USER_NAME=sflowextcaptest
DUMPCAP=/usr/bin/dumpcap
if [ "$(id -u)" -ne 0 ] || ! command -v tshark >/dev/null || ! command -v setcap >/dev/null ||
   ! command -v runuser >/dev/null || [ ! -x "$DUMPCAP" ]; then
	skip "needs root, tshark, dumpcap, setcap and runuser"
	done_testing
	exit
fi
EXTCAP_DIR=$(tshark -G folders 2>/dev/null | sed -n 's/^Extcap path:[[:space:]]*//p' | head -n 1)
if [ -z "$EXTCAP_DIR" ] || [ ! -d "$EXTCAP_DIR" ]; then
	skip "tshark -G folders names no extcap directory"
	done_testing
	exit
fi

# One run at a time: the extcap directory and dumpcap are the machine's
# (the other test may run a minute or two under make -j2).
exec 9>/run/lock/sflow-tcpdump-extcap-test.lock
if ! flock -w 240 9; then
	ok 1 "another extcap test held the lock for 4 minutes"
	done_testing
	exit
fi

# ---- change the system, restore it on exit ----
extcap_dir_before=$(ls -l "$EXTCAP_DIR")
dumpcap_owner=$(stat -c '%u:%g' "$DUMPCAP")
dumpcap_mode=$(stat -c '%a' "$DUMPCAP")
dumpcap_caps=$(getcap "$DUMPCAP" | sed 's/^[^ ]* //; s/^= *//')
created_group=0 created_user=0 saved_extcap=
restore() {
	# No process of the test user (all started by the test) outlives it.
	for pid in $(pgrep -u "$USER_NAME" 2>/dev/null); do kill -KILL "$pid" 2>/dev/null; done
	rm -f "$EXTCAP_DIR/sflow-extcap"
	[ -n "$saved_extcap" ] && mv "$saved_extcap" "$EXTCAP_DIR/sflow-extcap"
	saved_extcap=
	chown "$dumpcap_owner" "$DUMPCAP"
	chmod "$dumpcap_mode" "$DUMPCAP"
	if [ -n "$dumpcap_caps" ]; then setcap "$dumpcap_caps" "$DUMPCAP"
	else setcap -r "$DUMPCAP" 2>/dev/null; fi
	[ "$created_user" = 1 ] && userdel -r "$USER_NAME" 2>/dev/null
	[ "$created_user" = 1 ] && id "$USER_NAME" >/dev/null 2>&1 && userdel -f -r "$USER_NAME" 2>/dev/null
	created_user=0
	[ "$created_group" = 1 ] && groupdel wireshark 2>/dev/null
	created_group=0
}
trap 'restore; cleanup_work' EXIT
trap 'exit 1' INT TERM HUP

if ! getent group wireshark >/dev/null; then groupadd wireshark && created_group=1; fi
if ! id "$USER_NAME" >/dev/null 2>&1; then
	useradd -m -s /bin/sh "$USER_NAME" && created_user=1
fi
created_user_once=$created_user
usermod -aG wireshark "$USER_NAME"
chgrp wireshark "$DUMPCAP" && chmod 750 "$DUMPCAP" &&
	setcap cap_net_raw,cap_net_admin=eip "$DUMPCAP"
ok $? "dumpcap: group wireshark, mode 750, cap_net_raw,cap_net_admin=eip (Debian's non-root setup)"
if [ -e "$EXTCAP_DIR/sflow-extcap" ] || [ -L "$EXTCAP_DIR/sflow-extcap" ]; then
	saved_extcap="$WORK/saved-sflow-extcap"
	mv "$EXTCAP_DIR/sflow-extcap" "$saved_extcap"
fi
ln -s "$EXTCAP" "$EXTCAP_DIR/sflow-extcap"

as_user() { runuser -u "$USER_NAME" -- "$@"; }
user_processes() { pgrep -a -u "$USER_NAME"; }
# wait_user NAME: waits for tshark NAME to exit by itself; after the
# deadline (WAIT_SECONDS) stops it (SIGTERM, then SIGKILL), so no process
# of the test user outlives the test. Sets $status, and $stopped to 1 when
# it had to be stopped, else 0.
wait_user() {
	pid=$(eval echo "\$pid_$1")
	child=$(eval echo "\$tshark_$1")
	stopped=0
	wait_until eval '! running "$pid"'
	if running "$pid"; then
		stopped=1
		[ -n "$child" ] || child=$pid
		kill -TERM "$child" 2>/dev/null
		wait_until eval '! running "$child"'
		kill -KILL "$child" 2>/dev/null
	fi
	wait "$pid"
	status=$?
}
is "$(as_user id -nG | tr ' ' '\n' | grep -cx wireshark)" 1 "the test user is in group wireshark"
is "$(as_user id -u | grep -cx 0)" 0 "the test user is not root"

# start_user_tshark NAME ARGS...: tshark as the user, in the background;
# returns once the extcap has the port bound (tshark says "Capturing on"
# before that), or 1 if tshark ended first or the deadline passed.
# $pid_NAME is runuser's pid, $tshark_NAME tshark's own (signals go to it:
# runuser passes none).
start_user_tshark() {
	name=$1; shift
	# tshark writes its own pid (exec keeps it), so signals reach it
	# (runuser passes none on). A script's background jobs ignore SIGINT:
	# give tshark the default back, as in a terminal.
	rm -f "$WORK/$name.pid"
	as_user sh -c 'echo $$ >"$0"; exec env --default-signal=INT tshark "$@"' \
		"$WORK/$name.pid" "$@" >"$WORK/$name.out" 2>"$WORK/$name.err" &
	eval "pid_$name=$!"
	wait_until test -s "$WORK/$name.pid"
	eval "tshark_$name=$(cat "$WORK/$name.pid" 2>/dev/null)"
	wait_until eval 'listening "$port" || ! running "$(eval echo "\$pid_$name")"'
	listening "$port"
}

# check_restored: restores, then checks that nothing is left changed.
check_restored() {
	restore
	is "$(id "$USER_NAME" 2>/dev/null | grep -c .)" "$((1 - created_user_once))" \
		"the test user removed (when the test made it)"
	is "$(stat -c '%u:%g %a' "$DUMPCAP") $(getcap "$DUMPCAP" | sed 's/^[^ ]* //; s/^= *//')" \
		"$dumpcap_owner $dumpcap_mode $dumpcap_caps" "dumpcap restored as found"
	is "$(ls -l "$EXTCAP_DIR")" "$extcap_dir_before" "the extcap directory restored as found"
}
