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
}
trap cleanup_work EXIT

free_port() { # a UDP port nobody on this machine has bound
	python3 -c 'import socket
s = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
s.bind(("::", 0)); print(s.getsockname()[1])'
}

# start_tcpdump NAME ARGS...: tcpdump in the background, output in
# $WORK/NAME.out and NAME.err; returns once it listens (at most 10 s).
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
	for _ in $(seq 200); do
		grep -q "listening on" "$WORK/$name.err" 2>/dev/null && return 0
		kill -0 "$(eval echo "\$pid_$name")" 2>/dev/null || return 1
		sleep 0.05
	done
	return 1
}

# wait_exit NAME [SECONDS]: waits for tcpdump NAME to exit by itself; kills
# it after SECONDS (default 10). Sets $status to its exit status.
wait_exit() {
	pid=$(eval echo "\$pid_$1")
	for _ in $(seq $((${2:-10} * 20))); do
		kill -0 "$pid" 2>/dev/null || break
		sleep 0.05
	done
	kill -KILL "$pid" 2>/dev/null
	wait "$pid"
	status=$?
}

# stop_tcpdump NAME: SIGINT, as a user's ^C, then wait_exit.
stop_tcpdump() {
	kill -INT "$(eval echo "\$pid_$1")" 2>/dev/null
	wait_exit "$1" 5
}

make_packets() { # make_packets FILE COUNT
	python3 "$top_srcdir/tests/make_packets.py" "$1" "$2"
}

# What tcpdump prints of a pcap, timestamps aside.
print_pcap() { # print_pcap FILE [ARGS...]
	f=$1; shift
	"$SYSTEM_TCPDUMP" -r "$f" -nn -t "$@" 2>/dev/null
}

# wait_drained PORT: waits (at most 5 s) until the socket on PORT has no
# datagram queued, then a moment for the last to be processed.
wait_drained() {
	for _ in $(seq 100); do
		queued=$(ss -Hlun "sport = :$1" 2>/dev/null | awk '{ s += $2 } END { print s + 0 }')
		[ "$queued" -eq 0 ] && break
		sleep 0.05
	done
	sleep 0.2
}
