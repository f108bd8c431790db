# SPDX-License-Identifier: BSD-3-Clause
# Shared helpers for the end-to-end tests: TAP output, free ports, and the
# real tcpdump run through our launcher. Every wait is bounded.

: "${top_srcdir:?run through make check}" "${top_builddir:?run through make check}"
TCPDUMP="$top_builddir/tcpdump/tcpdump"
SFLOW_RUN="$top_builddir/tcpdump/sflow-run"
SFLOW_SEND="$top_builddir/sender/sflow-send"
SYSTEM_TCPDUMP="${SYSTEM_TCPDUMP:-/usr/bin/tcpdump}"

tap_count=0
tap_failed=0
ok() { # ok STATUS NAME: STATUS 0 passes
	tap_count=$((tap_count + 1))
	if [ "$1" -eq 0 ]; then
		echo "ok $tap_count - $2"
	else
		echo "not ok $tap_count - $2"
		tap_failed=$((tap_failed + 1))
	fi
}
is() { # is GOT WANT NAME
	if [ "$1" = "$2" ]; then ok 0 "$3"; else
		printf '# got:  %s\n# want: %s\n' "$1" "$2" | head -40
		ok 1 "$3"
	fi
}
contains() { # contains FILE TEXT NAME
	if grep -qF -- "$2" "$1"; then ok 0 "$3"; else
		printf '# %s lacks: %s\n' "$1" "$2"; sed 's/^/#   /' "$1" | head -20
		ok 1 "$3"
	fi
}
skip() { tap_count=$((tap_count + 1)); echo "ok $tap_count # SKIP $1"; }
done_testing() { echo "1..$tap_count"; [ "$tap_failed" -eq 0 ]; }

WORK=$(mktemp -d "${TMPDIR:-/tmp}/sflow-test.XXXXXX")
# tcpdump run as root gives up root for the tcpdump user: let it write here.
chmod 0777 "$WORK"
cleanup_work() {
	for pid in $(jobs -p); do kill "$pid" 2>/dev/null; done
	rm -rf "$WORK"
	# See NULL_OUT below: /dev/null back to root when it had to serve.
	if [ "${NULL_OUT:-}" = /dev/null ] && [ "$(id -u)" -eq 0 ]; then
		chown root:root /dev/null
	fi
}
trap cleanup_work EXIT
# Stopped by the time limit (tests/time_limit.sh) or ^C: clean up all the same.
trap 'exit 1' INT TERM HUP

# NULL_OUT: where a tcpdump writes what nobody reads (-w "$NULL_OUT").
# Not /dev/null itself: run as root, tcpdump gives its -w file to the user
# it drops to (-Z tcpdump), and /dev/null would stay that user's after the
# test. A null device of the test's own instead, gone with $WORK; where
# $WORK's file system allows no devices (mounted nodev), /dev/null after
# all, given back to root by cleanup_work.
NULL_OUT="$WORK/null"
if ! { mknod -m 0666 "$NULL_OUT" c 1 3 && : >"$NULL_OUT"; } 2>/dev/null; then
	rm -f "$NULL_OUT"
	NULL_OUT=/dev/null
fi

free_port() { # a UDP port nobody on this machine has bound
	python3 -c 'import socket
s = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
s.bind(("::", 0)); print(s.getsockname()[1])'
}

# Waits. Each wait is for the condition the test needs, never a guessed
# time: the program listens, has exited, has processed what was sent. The
# deadline (WAIT_SECONDS, default 60 s) only stops a wait for something
# that will not happen, well within the test's time limit
# (tests/time_limit.sh); a machine that is busy just makes the waits longer.
WAIT_SECONDS=${WAIT_SECONDS:-60}

# wait_until [-t SECONDS] COMMAND...: runs COMMAND every 0.05 s until it
# succeeds (status 0) or SECONDS (default WAIT_SECONDS) pass (status 1).
wait_until() {
	wait_seconds=$WAIT_SECONDS
	if [ "$1" = -t ]; then wait_seconds=$2; shift 2; fi
	wait_end=$(($(date +%s) + wait_seconds))
	until "$@"; do
		if [ "$(date +%s)" -ge "$wait_end" ]; then
			echo "# gave up waiting after $wait_seconds s for: $*" >&2
			return 1
		fi
		sleep 0.05
	done
}

# start_tcpdump NAME ARGS...: tcpdump in the background, output in
# $WORK/NAME.out and NAME.err; returns once it listens (0), or once it
# has exited or the deadline passed (1).
start_tcpdump() {
	name=$1; shift
	start_command "$name" "$TCPDUMP" "$@"
}

# start_command NAME COMMAND...: the same for a tcpdump run another way.
start_command() {
	name=$1; shift
	# Emptied here, not by the redirection below: that runs in the child,
	# and a wait that starts first would see an earlier run's "listening".
	: >"$WORK/$name.out"
	: >"$WORK/$name.err"
	"$@" >"$WORK/$name.out" 2>"$WORK/$name.err" &
	eval "pid_$name=$!"
	wait_until listening_or_gone "$name" && grep -q "listening on" "$WORK/$name.err"
}
listening_or_gone() { # NAME: tcpdump NAME said it listens, or is no more
	grep -q "listening on" "$WORK/$1.err" 2>/dev/null ||
		! running "$(eval echo "\$pid_$1")"
}

# run_bg NAME COMMAND...: in the background, output in $WORK/NAME.out
# and NAME.err, its pid in $pid_NAME (for wait_exit); returns at once.
run_bg() {
	name=$1; shift
	"$@" >"$WORK/$name.out" 2>"$WORK/$name.err" &
	eval "pid_$name=$!"
}

# running PID: the process is still there (not yet reaped counts as gone).
running() {
	kill -0 "$1" 2>/dev/null &&
		[ "$(sed 's/.*) //' "/proc/$1/stat" 2>/dev/null | cut -c1)" != Z ]
}

# wait_exit NAME [SECONDS]: waits for tcpdump NAME to exit by itself; kills
# it after SECONDS (default WAIT_SECONDS). Sets $status to its exit status.
wait_exit() {
	pid=$(eval echo "\$pid_$1")
	if [ -n "${2:-}" ]; then wait_until -t "$2" eval '! running "$pid"'
	else wait_until eval '! running "$pid"'; fi
	kill -KILL "$pid" 2>/dev/null
	wait "$pid"
	status=$?
}

# stop_tcpdump NAME: SIGINT, as a user's ^C, then wait_exit.
stop_tcpdump() {
	kill -INT "$(eval echo "\$pid_$1")" 2>/dev/null
	wait_exit "$1"
}

make_packets() { # make_packets FILE COUNT
	python3 "$top_srcdir/tests/make_packets.py" "$1" "$2"
}

# What tcpdump prints of a pcap, timestamps aside.
print_pcap() { # print_pcap FILE [ARGS...]
	f=$1; shift
	"$SYSTEM_TCPDUMP" -r "$f" -nn -t "$@" 2>/dev/null
}

# listening PORT: a UDP socket is bound to PORT.
listening() {
	ss -Hlun "sport = :$1" 2>/dev/null | grep -q .
}

# queued PORT: the bytes waiting in the UDP sockets bound to PORT.
queued() {
	ss -Hlun "sport = :$1" 2>/dev/null | awk '{ s += $2 } END { print s + 0 }'
}

# asleep PID: every thread of PID sleeps (state S): the program waits for
# something, it is not working.
asleep() {
	states=$(cat "/proc/$1"/task/*/stat 2>/dev/null | sed 's/.*) //' | cut -c1 | sort -u | tr -d '\n')
	[ "$states" = S ]
}

# idle PID PORT: the program PID has taken everything sent to PORT and is
# done with it: its socket holds nothing, and on two looks 0.1 s apart it
# sleeps, waiting for more. One look is not enough: the module pauses for
# 0.5 ms when it fills a batch, with datagrams in hand; the pause ends
# within the 0.1 s (nothing new comes, the senders are done) and the
# datagrams in hand are then handled before the program sleeps again.
# Datagrams sent to 127.0.0.1 or ::1 are in the receiving socket when the
# sender's send returns.
idle() {
	[ "$(queued "$2")" -eq 0 ] && asleep "$1" || return 1
	sleep 0.1
	[ "$(queued "$2")" -eq 0 ] && asleep "$1"
}

# wait_idle PID PORT: waits (at most WAIT_SECONDS) until the program PID
# has processed everything the senders, who are done, sent to PORT, or
# has exited (nothing more to wait for: the test then says what it lacks).
wait_idle() {
	wait_until idle_or_gone "$1" "$2"
}
idle_or_gone() {
	! running "$1" || idle "$1" "$2"
}
