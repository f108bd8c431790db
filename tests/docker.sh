#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
# The Docker images (docker/Dockerfile, docker/Dockerfile.tshark), end to
# end: built with podman from this source tree on a debian:bookworm-slim
# made locally with debootstrap (no registry is needed), then run with only
# loopback (--network=none) while our sender, inside the same container,
# exports a capture as sFlow to 127.0.0.1. Run by `make check-docker`.
#
# Needs root, podman, runc and (until the base image is cached) debootstrap;
# the podman setup and the base image are tests/podman_lib.sh's.
# SFLOW_DOCKER_TSHARK=no skips the tshark image.
. "$top_srcdir/tests/lib.sh"

IMAGE=localhost/sflow-tcpdump-test:latest
TSHARK_IMAGE=localhost/sflow-tshark-test:latest

. "$top_srcdir/tests/podman_lib.sh"

# The image, from this source tree (.dockerignore keeps build trees out).
build_image() { # build_image DOCKERFILE TAG
	pod 1200 build --network=host --pull=never -f "$top_srcdir/$1" -t "$2" \
		"$top_srcdir" >"$WORK/build.log" 2>&1
	status=$?
	ok "$status" "podman build -f $1"
	[ "$status" -eq 0 ] || show_log "$WORK/build.log"
	return "$status"
}
build_image docker/Dockerfile "$IMAGE" || { done_testing; exit 1; }
pod 30 image inspect --format '{{json .Config.ExposedPorts}} {{json .Config.Entrypoint}}' \
	"$IMAGE" >"$WORK/inspect" 2>&1
ok $? "podman image inspect"
contains "$WORK/inspect" '"6343/udp"' "image exposes 6343/udp"
contains "$WORK/inspect" '["/usr/local/bin/sflow-entrypoint"]' "image entrypoint"
# The runtime stage is slim: no compiler, no apt lists or package caches.
# The script ends with a marker, so an empty answer from a run that failed
# cannot pass for a clean image.
pod 60 run --rm --network=none --entrypoint /bin/sh "$IMAGE" -c \
	'command -v gcc cc make; ls /var/lib/apt/lists/*_Packages /var/cache/apt/*.bin /var/cache/apt/archives/*.deb 2>/dev/null; echo checked' \
	>"$WORK/slim.out" 2>"$WORK/slim.err"
status=$?
is "$status" 0 "podman run of the runtime image exits 0"
[ "$status" -eq 0 ] || show_log "$WORK/slim.err"
is "$(cat "$WORK/slim.out")" "checked" "runtime image has no build tools or apt caches"
size=$(pod 30 image inspect --format '{{.Size}}' "$IMAGE")
ok $? "podman image inspect reports the image size"
echo "# image size: $size bytes"

INPUT_DIR=$WORK/in
mkdir -p "$INPUT_DIR"
make_packets "$INPUT_DIR/input.pcap" 40
ok $? "input capture written"
# Every expected output below is tcpdump -r of this file: it must read it,
# or an empty expectation would match an empty capture.
is "$(print_pcap "$INPUT_DIR/input.pcap" | wc -l)" 40 "tcpdump -r reads the 40 input packets"

# In the container, ahead of the image's entrypoint: once the UDP port
# $SEND_PORT is bound (a deadline of 60 s only ends a wait for a capture
# that failed), record the capture program's command line (PID 1, after
# the launchers' execs) and send the capture as sFlow.
# shellcheck disable=SC2016 # expanded in the container
SENDER='port=${SEND_PORT:-6343}
hex=$(printf "%04X" "$port")
(
	n=0
	until grep -q ":$hex " /proc/net/udp /proc/net/udp6 2>/dev/null; do
		n=$((n + 1)); [ "$n" -le 600 ] || exit 1; sleep 0.1
	done
	tr "\0" " " </proc/1/cmdline >/out/cmdline
	sflow-send -q /in/input.pcap "127.0.0.1:$port"
) &
exec /usr/local/bin/sflow-entrypoint "$@"'

# run_with_sender NAME IMAGE [PODMAN OPTIONS...] -- ARGS...: the image with
# ARGS, our sender started inside; output in $WORK/NAME.out, .err, .cmdline.
run_with_sender() {
	name=$1 image=$2
	shift 2
	opts=
	while [ $# -gt 0 ] && [ "$1" != -- ]; do
		opts="$opts $1"
		shift
	done
	shift
	mkdir -p "$WORK/$name"
	# shellcheck disable=SC2086 # $opts: podman options without spaces
	pod 180 run --rm --network=none $opts \
		-v "$INPUT_DIR:/in:ro" -v "$WORK/$name:/out" \
		--entrypoint /bin/sh "$image" -c "$SENDER" sh "$@" \
		>"$WORK/$name.out" 2>"$WORK/$name.err"
	status=$?
	cat "$WORK/$name/cmdline" >"$WORK/$name.cmdline" 2>/dev/null || : >"$WORK/$name.cmdline"
}

# No -i: ours, on 6343, line-buffered; the decoded sampled packets.
run_with_sender default "$IMAGE" -- -nn -t -c 10
is "$status" 0 "default: tcpdump -c 10 exits 0"
is "$(cat "$WORK/default.cmdline")" "/usr/bin/tcpdump -i sflow:6343 -l -nn -t -c 10 " \
   "default: runs the stock tcpdump with -i sflow:6343 -l and the user's args"
contains "$WORK/default.err" "listening on sflow:6343, link-type EN10MB (Ethernet)" \
   "default: listens on sflow:6343"
is "$(cat "$WORK/default.out")" "$(print_pcap "$INPUT_DIR/input.pcap" -s 128 -c 10)" \
   "default: prints the packets as tcpdump -r prints the original cut at 128 bytes"
contains "$WORK/default.err" "10 packets captured" "default: 10 packets captured"

# The user's filter and options pass through.
run_with_sender filter "$IMAGE" -- -nn -t -c 5 port 53
is "$status" 0 "-nn -c 5 port 53: exits 0"
is "$(cat "$WORK/filter.out")" "$(print_pcap "$INPUT_DIR/input.pcap" -s 128 -c 5 port 53)" \
   "-nn -c 5 port 53: the first 5 DNS packets"

# SFLOW_PORT moves the port.
run_with_sender port "$IMAGE" -e SFLOW_PORT=6400 -e SEND_PORT=6400 -- -nn -t -c 3
is "$status" 0 "SFLOW_PORT=6400: exits 0"
contains "$WORK/port.err" "listening on sflow:6400" "SFLOW_PORT=6400: listens on sflow:6400"
is "$(cat "$WORK/port.out")" "$(print_pcap "$INPUT_DIR/input.pcap" -s 128 -c 3)" \
   "SFLOW_PORT=6400: the packets"

# The user's own -i replaces ours.
run_with_sender own "$IMAGE" -e SEND_PORT=6500 -- -i sflow:6500,vlan -nn -t -c 5 vlan 10
is "$status" 0 "-i sflow:6500,vlan: exits 0"
is "$(cat "$WORK/own.cmdline")" "/usr/bin/tcpdump -l -i sflow:6500,vlan -nn -t -c 5 vlan 10 " \
   "-i sflow:6500,vlan: no -i of ours"
is "$(cat "$WORK/own.out")" "$(print_pcap "$INPUT_DIR/input.pcap" -s 128 -c 5 vlan 10)" \
   "-i sflow:6500,vlan: the VLAN 10 packets"

# -r: the image reads a file like the stock tcpdump (the real entrypoint).
pod 60 run --rm --network=none -v "$INPUT_DIR:/in:ro" "$IMAGE" \
	-r /in/input.pcap -nn -t >"$WORK/read.out" 2>"$WORK/read.err"
is "$?" 0 "-r FILE: exits 0"
is "$(cat "$WORK/read.out")" "$(print_pcap "$INPUT_DIR/input.pcap")" "-r FILE: reads the file"

# As users run it: detached, the real entrypoint, no -c; `podman logs`
# shows the packets while tcpdump still runs (-l), stop gives the
# statistics and exit status 0.
pod 60 run -d --name live --network=none -v "$INPUT_DIR:/in:ro" "$IMAGE" -nn -t \
	>"$WORK/live.id" 2>&1
ok $? "detached run starts"
# logs_of NAME: the container's output so far, in $WORK/NAME.out and .err.
logs_of() {
	pod 10 logs "$1" >"$WORK/$1.out" 2>"$WORK/$1.err"
}
live_listening() {
	logs_of live && grep -q "listening on sflow:6343" "$WORK/live.err"
}
wait_until live_listening
ok $? "detached: podman logs shows tcpdump listening"
pod 30 exec live sflow-send -q /in/input.pcap 127.0.0.1:6343
ok $? "podman exec sflow-send into the running container"
live_printed_all() {
	logs_of live && [ "$(wc -l <"$WORK/live.out")" -ge 40 ]
}
wait_until live_printed_all
is "$(pod 10 inspect --format '{{.State.Running}}' live || echo "inspect failed: $?")" true \
   "detached: tcpdump still running"
is "$(cat "$WORK/live.out")" "$(print_pcap "$INPUT_DIR/input.pcap" -s 128)" \
   "detached: podman logs shows all 40 packets while capturing (line-buffered)"
pod 30 stop -t 10 live >/dev/null 2>&1
ok $? "podman stop"
is "$(pod 10 inspect --format '{{.State.ExitCode}}' live || echo "inspect failed: $?")" 0 \
   "podman stop: tcpdump exits 0"
pod 10 logs live >"$WORK/live.out" 2>"$WORK/live.err"
ok $? "podman logs after stop"
contains "$WORK/live.err" "40 packets received by filter" "podman stop: statistics in the logs"
pod 30 rm -f live >/dev/null 2>&1

# tshark_live NAME LOOPS DONE ARGS...: the tshark image as users run it,
# detached with the real entrypoint and ARGS; once its capture has port
# 6343 bound (tshark says "Capturing on" before that), the input is sent
# LOOPS times from inside the container. Then, until tshark has exited by
# itself (-c in ARGS) or the condition DONE (shell code, on the output so
# far in $WORK/NAME.out) holds; then tshark is stopped with SIGINT (^C; as
# PID 1 it would ignore SIGTERM). Output in $WORK/NAME.out / .err, exit
# code in $status.
tshark_live() {
	name=$1 loops=$2 done_when=$3
	shift 3
	pod 60 run -d --name "$name" --network=none -v "$INPUT_DIR:/in:ro" "$TSHARK_IMAGE" "$@" \
		>"$WORK/$name.id" 2>&1
	# 6343 is 18C7 in /proc/net/udp*.
	wait_until pod 10 exec "$name" grep -q ':18C7 ' /proc/net/udp /proc/net/udp6
	pod 30 exec "$name" sflow-send -q -l "$loops" /in/input.pcap 127.0.0.1:6343
	tshark_done() {
		[ "$(pod 10 inspect --format '{{.State.Running}}' "$name")" = true ] || return 0
		logs_of "$name" && eval "$done_when"
	}
	wait_until tshark_done
	case " $* " in
		*" -c "*) ;;
		*) pod 10 kill --signal INT "$name" >/dev/null 2>&1 ;;
	esac
	pod 30 wait "$name" >/dev/null 2>&1
	status=$(pod 10 inspect --format '{{.State.ExitCode}}' "$name")
	pod 10 logs "$name" >"$WORK/$name.out" 2>"$WORK/$name.err"
	pod 30 rm -f "$name" >/dev/null 2>&1
}

# Every usage line of sflow/tshark, each with its own assertion.
tshark_usage() {
	packets=$(print_pcap "$INPUT_DIR/input.pcap" | wc -l)
	tshark_live ts-none 1 '[ "$(wc -l <"$WORK/$name.out")" -ge "$packets" ]'
	is "$status" 0 "tshark image, no arguments: ^C ends it, exit code 0"
	is "$(wc -l <"$WORK/ts-none.out")" "$packets" "tshark image, no arguments: one summary line per packet ($packets)"
	ok $(head -n 1 "$WORK/ts-none.out" | grep -q '10\.0\.0\.1 → 10\.0\.0\.2 *DNS .*example0\.com'; echo $?) \
		"tshark image, no arguments: the first packet is the DNS query for example0.com"

	dns=$(print_pcap "$INPUT_DIR/input.pcap" port 53 | wc -l)
	tshark_live ts-dns 1 '[ "$(grep -c " DNS " "$WORK/$name.out")" -ge "$dns" ]' -Y dns
	is "$status" 0 "tshark image -Y dns: exit code 0"
	is "$(grep -c ' DNS ' "$WORK/ts-dns.out")" "$dns" "tshark image -Y dns: the $dns DNS packets"
	is "$(grep -vc ' DNS ' "$WORK/ts-dns.out")" 0 "tshark image -Y dns: nothing else"

	tshark_live ts-fields 1 '[ "$(wc -l <"$WORK/$name.out")" -ge "$packets" ]' \
		-T fields -e ip.src -e ip.dst -e ip.proto -e ip.len
	is "$status" 0 "tshark image -T fields: exit code 0"
	want=$(tshark -r "$INPUT_DIR/input.pcap" -T fields -e ip.src -e ip.dst -e ip.proto -e ip.len 2>/dev/null)
	is "$(cat "$WORK/ts-fields.out")" "$want" \
		"tshark image -T fields -e ip.src -e ip.dst -e ip.proto -e ip.len: as tshark -r shows the original"

	tshark_live ts-phs 3 false -q -z io,phs -c 100
	is "$status" 0 "tshark image -q -z io,phs -c 100: exits by itself, exit code 0"
	contains "$WORK/ts-phs.out" "Protocol Hierarchy Statistics" "tshark image -q -z io,phs: the hierarchy"
	ok $(grep -q '^ *eth  *frames:100 ' "$WORK/ts-phs.out"; echo $?) "tshark image -q -z io,phs -c 100: eth frames:100"

	tshark_live ts-endpoints 3 false -q -z endpoints,ip -c 100
	is "$status" 0 "tshark image -q -z endpoints,ip -c 100: exit code 0"
	contains "$WORK/ts-endpoints.out" "IPv4 Endpoints" "tshark image -z endpoints,ip: the table"
	ok $(grep -q '^10\.0\.0\.1 ' "$WORK/ts-endpoints.out" && grep -q '^10\.0\.0\.2 ' "$WORK/ts-endpoints.out"; echo $?) \
		"tshark image -z endpoints,ip: both sampled hosts"

	tshark_live ts-json 1 '[ "$(grep -c "\"_source\"" "$WORK/$name.out")" -ge "$packets" ]' -T json
	is "$status" 0 "tshark image -T json: exit code 0"
	is "$(python3 -c 'import json, sys
packets = json.load(open(sys.argv[1]))
print(sum(1 for p in packets if "frame" in p["_source"]["layers"]))' "$WORK/ts-json.out" 2>&1)" "$packets" \
		"tshark image -T json: a JSON array of the $packets packets"

	tshark_live ts-ek 1 '[ "$(grep -c "\"layers\"" "$WORK/$name.out")" -ge "$packets" ]' -T ek
	is "$status" 0 "tshark image -T ek: exit code 0"
	is "$(python3 -c 'import json, sys
lines = [json.loads(line) for line in open(sys.argv[1]) if line.strip()]
print(sum(1 for doc in lines if "layers" in doc), sum(1 for doc in lines if "index" in doc))' "$WORK/ts-ek.out" 2>&1)" \
		"$packets $packets" "tshark image -T ek: $packets index lines and $packets packet documents, each valid JSON"
}

# The tshark image, like sflow/tshark.
if [ "${SFLOW_DOCKER_TSHARK:-yes}" = no ]; then
	skip "SFLOW_DOCKER_TSHARK=no: tshark image not tested"
elif build_image docker/Dockerfile.tshark "$TSHARK_IMAGE"; then
	run_with_sender tshark "$TSHARK_IMAGE" -- -c 10 -f "udp port 53" -T fields -e dns.qry.name
	is "$status" 0 "tshark image: -c 10 exits 0"
	is "$(cat "$WORK/tshark.cmdline")" \
	   "tshark -i sflow:6343 -l -c 10 -f udp port 53 -T fields -e dns.qry.name " \
	   "tshark image: runs tshark -i sflow:6343 -l and the user's args"
	want=$(print_pcap "$INPUT_DIR/input.pcap" "udp port 53" | sed -n 's/.* A? \(.*\)\. (.*/\1/p')
	ok "$([ -n "$want" ]; echo $?)" "tcpdump -r finds the DNS queries in the input"
	is "$(cat "$WORK/tshark.out")" "$want" "tshark image: the 10 DNS queries, in order"
	tshark_usage
	# The extcap and its plugin, where the image's tshark finds them.
	pod 60 run --rm --network=none --entrypoint /bin/sh "$TSHARK_IMAGE" -c \
		'tshark -D; tshark -G fields' >"$WORK/ts-plugin.out" 2>"$WORK/ts-plugin.err"
	is "$?" 0 "tshark image: tshark -D and -G fields run"
	contains "$WORK/ts-plugin.out" "sflow (sFlow collector)" "tshark image: tshark -D lists the extcap's interface"
	is "$(awk -F '\t' '$1 == "F" && $5 == "sflow_sample"' "$WORK/ts-plugin.out" | wc -l)" 17 \
		"tshark image: tshark -G fields lists the 17 sflow_sample fields"
fi

done_testing
