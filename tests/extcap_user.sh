# SPDX-License-Identifier: BSD-3-Clause
# Sourced by the extcap tests after tests/lib.sh: Wireshark's extcap as
# Debian's normal Wireshark user meets it (the setup of e2e_extcap.sh). A
# user who is not root, in group wireshark, with dumpcap given file
# capabilities (so LD_PRELOAD is ignored for it); the build-tree
# sflow-extcap is put in Wireshark's global extcap directory for the test.
# Everything changed (user, group, dumpcap's mode and capabilities, the
# extcap directory) is restored as found, on any exit.
#
# Skips the test (and exits) where it cannot run. Gives:
#   as_user COMMAND...           runs COMMAND as the test user
#   start_user_tshark NAME ARGS  tshark as the user in the background
#   wait_user NAME [SECONDS]     waits for it to exit by itself
#   user_processes               the test user's processes, one a line
#   extcap_user_done             restores the system and checks it

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
# (tests/e2e_extcap.sh and make bench take the same lock).
exec 9>/run/lock/sflow-tcpdump-extcap-test.lock
if ! flock -w 120 9; then
	ok 1 "another extcap test held the lock for 2 minutes"
	done_testing
	exit
fi

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
is "$(as_user id -nG | tr ' ' '\n' | grep -cx wireshark)" 1 "the test user is in group wireshark"
is "$(as_user id -u | grep -cx 0)" 0 "the test user is not root"

# start_user_tshark NAME ARGS...: tshark as the user, in the background,
# output in $WORK/NAME.out and NAME.err; $pid_NAME is runuser's pid,
# $tshark_NAME tshark's own (signals go to it: runuser passes none on).
# Returns once tshark runs (at most 10 s); it does not wait for a capture.
start_user_tshark() {
	name=$1; shift
	rm -f "$WORK/$name.pid"
	# tshark writes its own pid (exec keeps it). A script's background
	# jobs ignore SIGINT: give tshark the default back, as in a terminal.
	as_user sh -c 'echo $$ >"$0"; exec env --default-signal=INT tshark "$@"' \
		"$WORK/$name.pid" "$@" >"$WORK/$name.out" 2>"$WORK/$name.err" &
	eval "pid_$name=$!"
	for _ in $(seq 200); do
		[ -s "$WORK/$name.pid" ] && break
		sleep 0.05
	done
	eval "tshark_$name=$(cat "$WORK/$name.pid" 2>/dev/null)"
}

# wait_user NAME [SECONDS]: waits for tshark NAME to exit by itself; after
# SECONDS (default 20) stops it (SIGTERM, then SIGKILL). Sets $status, and
# $stopped to 1 when it had to be stopped, else 0.
wait_user() {
	pid=$(eval echo "\$pid_$1")
	child=$(eval echo "\$tshark_$1")
	stopped=0
	for _ in $(seq $((${2:-20} * 20))); do
		kill -0 "$pid" 2>/dev/null || break
		sleep 0.05
	done
	if kill -0 "$pid" 2>/dev/null; then
		stopped=1
		[ -n "$child" ] || child=$pid
		kill -TERM "$child" 2>/dev/null
		for _ in $(seq 100); do kill -0 "$child" 2>/dev/null || break; sleep 0.05; done
		kill -KILL "$child" 2>/dev/null
	fi
	wait "$pid"
	status=$?
}

extcap_user_done() {
	restore
	is "$(id "$USER_NAME" 2>/dev/null | grep -c .)" "$((1 - created_user_once))" \
		"the test user removed (when the test made it)"
	is "$(stat -c '%u:%g %a' "$DUMPCAP") $(getcap "$DUMPCAP" | sed 's/^[^ ]* //; s/^= *//')" \
		"$dumpcap_owner $dumpcap_mode $dumpcap_caps" "dumpcap restored as found"
	is "$(ls -l "$EXTCAP_DIR")" "$extcap_dir_before" "the extcap directory restored as found"
}
