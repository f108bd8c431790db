#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
# Runs one test under a time limit, so a test that hangs fails instead of
# stalling the run: make check runs every test through this script.
#
# usage: time_limit.sh COMMAND [ARGS...]
# TEST_TIME_LIMIT (seconds, default 300) sets the limit. timeout(1) runs the
# test in a process group of its own and signals the whole group, so the
# programs a test started in the background stop with it; 5 s after SIGTERM
# whatever is left gets SIGKILL. A test stopped this way ends with a TAP
# "Bail out!" line, which the TAP driver reports as an ERROR.
limit=${TEST_TIME_LIMIT:-300}
timeout -k 5 "$limit" "$@"
status=$?
eval "test=\${$#}" # the test itself: the last argument
case $status in
124 | 137)
	echo "Bail out! $test did not finish within $limit s (TEST_TIME_LIMIT) and was stopped"
	;;
esac
exit "$status"
