#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
# Entrypoint of the sflow-tcpdump images: `docker run IMAGE ARGS` runs
#
#     tcpdump -i sflow:$SFLOW_PORT -l ARGS        (SFLOW_PROGRAM=tcpdump, default)
#     tshark  -i sflow:$SFLOW_PORT -l ARGS        (SFLOW_PROGRAM=tshark)
#
# with our capture module, like the sflow/tcpdump and sflow/tshark images run
# `sflowtool -t | tcpdump -r - ARGS`. SFLOW_PORT (default 6343) picks the UDP
# port. ARGS that name their own input (-i / --interface, or -r to read a
# file) get no -i from us, so `docker run IMAGE -i sflow:6343,vlan` or
# `docker run IMAGE -i lo` does what it says. -l (line-buffered output, so
# `docker logs` shows each packet as it comes) is always added; it is
# harmless when ARGS has it too.
set -e

port=${SFLOW_PORT:-6343}
program=${SFLOW_PROGRAM:-tcpdump}
bindir=/usr/local/bin

case $port in
	'' | *[!0-9]*)
		echo "entrypoint: SFLOW_PORT='$port' is not a port number (1-65535)" >&2
		exit 2 ;;
esac

# Short options that take an argument, so that the argument is not read as
# an option (tcpdump -w -i is a file named -i), and long options that take
# one as the next word. From tcpdump 4.99 and tshark 3.6 / 4.0 optstrings.
case $program in
	tcpdump)
		with_arg=BcCEFGijmMQrsTVwWyzZ
		long_with_arg='buffer-size direction interface relinquish-privileges time-stamp-type time-stamp-precision print-sampling snapshot-length'
		run="$bindir/tcpdump" ;;
	tshark)
		with_arg=aAbBcCdeEfFGHiJjKNoOrRsStTuwWXYz
		long_with_arg='interface capture-filter display-filter read-filter snapshot-length ring-buffer autostop buffer-size linktype time-stamp-type'
		run="$bindir/sflow-run tshark" ;;
	*)
		echo "entrypoint: SFLOW_PROGRAM='$program': use tcpdump or tshark" >&2
		exit 2 ;;
esac

# Does ARGS choose its own input? Walk the options as getopt_long would
# (options may follow the filter expression; -- ends them).
own_input=no
skip_next=no
for arg in "$@"; do
	if [ "$skip_next" = yes ]; then
		skip_next=no
		continue
	fi
	case $arg in
		--) break ;;
		--in=* | --int*=*) own_input=yes ;;
		--in | --int*) own_input=yes skip_next=yes ;;
		--*=*) ;;
		--?*)
			name=${arg#--}
			for long in $long_with_arg; do
				[ "$name" = "$long" ] && skip_next=yes
			done ;;
		-?*)
			# A cluster of short options: -nni eth0, -ilo, -nr file.
			rest=${arg#-}
			while [ -n "$rest" ]; do
				letter=${rest%"${rest#?}"}
				rest=${rest#?}
				case $letter in
					i | r) own_input=yes ;;
				esac
				case $with_arg in
					*"$letter"*)
						[ -z "$rest" ] && skip_next=yes
						break ;;
				esac
			done ;;
	esac
done

if [ "$own_input" = yes ]; then
	# shellcheck disable=SC2086 # $run is a program and its first argument
	exec $run -l "$@"
fi
# shellcheck disable=SC2086
exec $run -i "sflow:$port" -l "$@"
