#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
# The man pages tell the truth and render cleanly: pcap-sflow(7) lists
# exactly the counters the module prints (the real tcpdump, through our
# launcher, with SFLOW_STATS=1 on a real datagram), sflow-send(1) exactly
# the options of sflow-send --help, and every *.1 / *.7 in the tree
# renders without a warning (groff -ww, mandoc -T lint, man -l).
. "$top_srcdir/tests/lib.sh"

PCAP_SFLOW_7=$top_srcdir/libpcap-sflow/pcap-sflow.7
SFLOW_SEND_1=$top_srcdir/sender/sflow-send.1

# The text of one section of a man page, rendered as plain ASCII.
render() { # render FILE
	LC_ALL=C groff -man -Tascii -P-c -P-b -P-u "$1" 2>/dev/null
}
section() { # section FILE NAME: the rendered section NAME
	render "$1" | awk -v name="$2" '/^[A-Z]/ { on = ($0 == name); next } on'
}

# The counters the module prints: tcpdump -c 1 on one datagram.
INPUT=$WORK/input.pcap
make_packets "$INPUT" 1
port=$(free_port)
SFLOW_STATS=1 start_tcpdump stats -i "sflow:$port" -c 1 -w "$NULL_OUT"
ok $? "tcpdump listens on sflow:$port"
"$SFLOW_SEND" -q "$INPUT" "127.0.0.1:$port"
wait_exit stats
is "$status" 0 "tcpdump -c 1 exits 0 after one datagram"
# "name value" lines; tcpdump's own lines have more words.
grep -E '^[a-z_]+ [0-9]+$' "$WORK/stats.err" | cut -d' ' -f1 >"$WORK/printed"
grep -qx 'datagrams 1' "$WORK/stats.err"
ok $? "SFLOW_STATS=1 prints the counters (datagrams 1)"
# The counters of pcap-sflow(7): each .TP tag of its COUNTERS section.
awk '/^\.SH / { on = ($0 == ".SH COUNTERS"); next }
     on && prev == ".TP" && $1 == ".B" { print $2 } { prev = $0 }' "$PCAP_SFLOW_7" \
	>"$WORK/documented"
ok $(($(wc -l <"$WORK/documented") > 0 ? 0 : 1)) "pcap-sflow.7 has a COUNTERS list"
is "$(sort "$WORK/documented" | comm -23 - "$(sort "$WORK/printed" >"$WORK/p.sorted"; echo "$WORK/p.sorted")" | tr '\n' ' ')" "" \
   "every counter pcap-sflow.7 lists is printed by SFLOW_STATS=1"
is "$(sort "$WORK/documented" | comm -13 - "$WORK/p.sorted" | tr '\n' ' ')" "" \
   "every counter SFLOW_STATS=1 prints is listed in pcap-sflow.7"

# sflow-send(1) against sflow-send --help: the same short and long options.
options_of() { # the -x and --long options at the start of option lines
	grep -E '^ +-' | grep -oE '(^|[ ,])--?[A-Za-z][A-Za-z-]*' | tr -d ' ,' | sort -u
}
"$SFLOW_SEND" --help >"$WORK/help" 2>&1
ok $? "sflow-send --help exits 0"
options_of <"$WORK/help" >"$WORK/help.options"
section "$SFLOW_SEND_1" OPTIONS | options_of >"$WORK/man.options"
ok $(($(wc -l <"$WORK/help.options") > 5 ? 0 : 1)) "sflow-send --help lists its options"
is "$(comm -23 "$WORK/help.options" "$WORK/man.options" | tr '\n' ' ')" "" \
   "every option of sflow-send --help is in sflow-send.1"
is "$(comm -13 "$WORK/help.options" "$WORK/man.options" | tr '\n' ' ')" "" \
   "every option in sflow-send.1 is in sflow-send --help"

# The README sends readers to the man page.
contains "$top_srcdir/README" "pcap-sflow(7)" "README links to pcap-sflow(7)"

# Every man page of the tree renders without a warning.
pages=$(cd "$top_srcdir" && find . -name '*.[17]' ! -path './build*' ! -path '*/.git/*' ! -path './autom4te.cache/*' \
	! -path './debian/sflow-tcpdump/*' ! -path './debian/tmp/*' | sed 's|^\./||' | sort)
[ -n "$pages" ]
ok $? "man pages found: $(echo $pages)"
for page in $pages; do
	f=$top_srcdir/$page
	LC_ALL=C.UTF-8 groff -ww -z -man "$f" >"$WORK/groff.err" 2>&1
	status=$?
	is "$status:$(cat "$WORK/groff.err")" "0:" "$page: groff -ww -z -man, no warning"
	if command -v mandoc >/dev/null 2>&1; then
		# -W warning: style notes are advice, warnings and errors fail.
		mandoc -T lint -W warning "$f" >"$WORK/mandoc.err" 2>&1
		status=$?
		is "$status:$(cat "$WORK/mandoc.err")" "0:" "$page: mandoc -T lint, no warning"
	else
		skip "$page: mandoc is not installed"
	fi
	if command -v man >/dev/null 2>&1; then
		MANWIDTH=80 timeout "$WAIT_SECONDS" man --warnings -l "$f" >"$WORK/man.out" 2>"$WORK/man.err"
		status=$?
		is "$status:$(cat "$WORK/man.err")" "0:" "$page: man -l renders it without a warning"
		name=$(sed -n 's/^\.TH \([^ ]*\) .*/\1/p' "$f")
		contains "$WORK/man.out" "$name(" "$page: man -l shows the page's title"
	else
		skip "$page: man is not installed"
	fi
done
done_testing
