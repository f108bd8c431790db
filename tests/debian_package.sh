#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
# The Debian package, end to end: built with dpkg-buildpackage -b from a
# clean copy of the source, checked by lintian, then installed with apt in
# a throwaway bookworm-slim container (podman, only loopback) and used as
# the README says: tcpdump -i sflow:6343 on a feed our sender exports
# inside the container, sflow-run tshark, man pcap-sflow, Debian's tcpdump
# unchanged for every other device and when tcpdump itself is reinstalled;
# then apt remove, after which /usr/bin/tcpdump is Debian's again.
# Run by `make check-deb`; needs dpkg-buildpackage (debhelper), lintian,
# and for the container part what tests/podman_lib.sh needs.
# SFLOW_DEB_TSHARK=no leaves tshark out of the image.
. "$top_srcdir/tests/lib.sh"

skip_all() {
	skip "$1"
	done_testing
	exit 0
}
for tool in dpkg-buildpackage dh lintian; do
	command -v "$tool" >/dev/null 2>&1 ||
		skip_all "$tool is not installed (Debian: apt-get install -y debhelper devscripts lintian fakeroot)"
done

VERSION=$(sed -n 's/^AC_INIT(\[[^]]*\], *\[\([^]]*\)\].*/\1/p' "$top_srcdir/configure.ac")
ARCH=$(dpkg --print-architecture)
DEB=sflow-tcpdump_${VERSION}_$ARCH.deb
show_log() { tail -n "${2:-30}" "$1" | sed 's/^/#   /'; }

# A clean copy: what a clone holds (tracked files, and new ones not
# ignored), or the unpacked tarball's tree; no build products of ours.
SRC=$WORK/build/sflow-tcpdump-$VERSION
mkdir -p "$SRC"
if git -C "$top_srcdir" rev-parse --is-inside-work-tree >/dev/null 2>&1; then
	(cd "$top_srcdir" && git ls-files -z --cached --others --exclude-standard |
		tar --null -T - -cf -) | tar -C "$SRC" -xf -
else
	(cd "$top_srcdir" && tar --exclude=./build --exclude=./build-asan \
		--exclude=./tests/docker-cache -cf - .) | tar -C "$SRC" -xf -
fi
ok $? "clean copy of the source in $SRC"
is "$(cd "$SRC" && dpkg-parsechangelog -S Version)" "$VERSION" \
   "debian/changelog's version is configure.ac's ($VERSION)"

# Nothing of the make running this test may reach the package's build
# (MAKEFLAGS would carry TESTS=tests/debian_package.sh into its make check).
(cd "$SRC" && env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL -u MAKEOVERRIDES \
	-u top_srcdir -u top_builddir -u SYSTEM_TCPDUMP -u PMACCTD \
	timeout 1200 dpkg-buildpackage -b -us -uc) >"$WORK/dpkg-buildpackage.log" 2>&1
status=$?
ok "$status" "dpkg-buildpackage -b -us -uc"
[ "$status" -eq 0 ] || show_log "$WORK/dpkg-buildpackage.log"
[ -s "$WORK/build/$DEB" ]
ok $? "$DEB built"
[ -s "$WORK/build/$DEB" ] || { done_testing; exit 1; }
cp "$WORK/build/$DEB" "$WORK/$DEB"

# What the package holds and needs.
dpkg-deb -c "$WORK/$DEB" | awk '{ print $6 }' | sed 's|^\./|/|' >"$WORK/contents"
for f in /usr/bin/tcpdump /usr/bin/sflow-run /usr/bin/sflow-send \
	"/usr/lib/$(dpkg-architecture -qDEB_HOST_MULTIARCH)/sflow-tcpdump/libpcap-sflow.so" \
	/usr/share/man/man7/pcap-sflow.7.gz /usr/share/man/man1/sflow-run.1.gz \
	/usr/share/man/man1/sflow-send.1.gz /usr/share/doc/sflow-tcpdump/copyright \
	/usr/share/doc/sflow-tcpdump/apparmor-local-usr.bin.tcpdump \
	"/usr/lib/$(dpkg-architecture -qDEB_HOST_MULTIARCH)/wireshark/extcap/sflow-extcap" \
	"/usr/lib/$(dpkg-architecture -qDEB_HOST_MULTIARCH)/wireshark/plugins/sflow_sample.lua"; do
	grep -qx "$f" "$WORK/contents"
	ok $? "the package holds $f"
done
depends=$(dpkg-deb -f "$WORK/$DEB" Depends)
for dep in tcpdump libpcap0.8; do
	echo "$depends" | tr ',' '\n' | grep -q "^ *$dep\( \|$\)"
	ok $? "Depends: $dep ($depends)"
done
# The launcher runs the diverted tcpdump, never itself.
dpkg-deb --fsys-tarfile "$WORK/$DEB" | tar -xOf - ./usr/bin/tcpdump >"$WORK/launcher"
contains "$WORK/launcher" "/sflow-tcpdump/tcpdump'" "the launcher runs Debian's tcpdump through the link named tcpdump"

# lintian: errors fail; each warning must be explained in README's
# packaging notes.
timeout 600 lintian --tag-display-limit 0 "$WORK/$DEB" >"$WORK/lintian.out" 2>&1
grep '^E:' "$WORK/lintian.out" >"$WORK/lintian.errors"
is "$(cat "$WORK/lintian.errors")" "" "lintian: no errors"
grep -q . "$WORK/lintian.out" && sed 's/^/# lintian: /' "$WORK/lintian.out"
for tag in $(sed -n 's/^W: [^:]*: \([^ ]*\).*/\1/p' "$WORK/lintian.out" | sort -u); do
	contains "$top_srcdir/README" "\`$tag\`" "lintian warning $tag is explained in README"
done

# The container part.
. "$top_srcdir/tests/podman_lib.sh"

# The image: bookworm-slim with what the package depends on (and tshark,
# man-db), fetched at build time with host networking; Debian's tcpdump
# .deb kept to reinstall it while diverted, and to compare checksums.
# Man pages are not excluded from it, as a user who wants them does.
IMAGE=localhost/sflow-tcpdump-deb-test:latest
mkdir -p "$WORK/ctx"
extra=tshark
[ "${SFLOW_DEB_TSHARK:-yes}" = no ] && extra=
cat >"$WORK/ctx/Containerfile" <<EOF
FROM debian:bookworm-slim
RUN sed -i '\|/usr/share/man|d' /etc/dpkg/dpkg.cfg.d/* \\
 && apt-get update \\
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \\
      tcpdump libpcap0.8 man-db apparmor $extra \\
 && mkdir -p /debian-debs && cd /debian-debs && apt-get download tcpdump \\
 && apt-get clean && rm -rf /var/lib/apt/lists/*
EOF
pod 1200 build --network=host --pull=never -f "$WORK/ctx/Containerfile" -t "$IMAGE" \
	"$WORK/ctx" >"$WORK/build.log" 2>&1
status=$?
ok "$status" "podman build: bookworm-slim with tcpdump, libpcap0.8, man-db, apparmor $extra"
[ "$status" -eq 0 ] || { show_log "$WORK/build.log"; done_testing; exit 1; }

INPUT_DIR=$WORK/in
mkdir -p "$INPUT_DIR" "$WORK/out"
cp "$WORK/$DEB" "$INPUT_DIR/"
make_packets "$INPUT_DIR/input.pcap" 40
is "$(print_pcap "$INPUT_DIR/input.pcap" | wc -l)" 40 "tcpdump -r reads the 40 input packets"

# Everything in one container, so each step sees the one before; each
# step leaves NAME.out, NAME.err and NAME.rc in /out.
# shellcheck disable=SC2016 # expanded in the container
SCRIPT='
cd /out
step() { name=$1; shift; "$@" >"$name.out" 2>"$name.err"; echo $? >"$name.rc"; }
# send PORT [DEST_PORT]: once UDP port PORT is bound (a deadline of 60 s
# only ends a wait for a capture that failed), send the capture as sFlow
# to 127.0.0.1:DEST_PORT.
send() {
	hex=$(printf "%04X" "$1")
	n=0
	until grep -q ":$hex " /proc/net/udp /proc/net/udp6 2>/dev/null; do
		n=$((n + 1)); [ "$n" -le 600 ] || return 1; sleep 0.1
	done
	sflow-send -q /in/input.pcap "127.0.0.1:${2:-$1}"
}
debian_sha=$(dpkg-deb --fsys-tarfile /debian-debs/tcpdump_*.deb | tar -xOf - ./usr/bin/tcpdump | sha256sum | cut -d" " -f1)
echo "$debian_sha" >debian.sha
sha256sum </usr/bin/tcpdump | cut -d" " -f1 >before.sha
step D.before tcpdump -D
step r.before tcpdump -r /in/input.pcap -nn -t
step version.before tcpdump --version
step verify.before dpkg -V tcpdump

step install apt-get install -y /in/'"$DEB"'
step divert dpkg-divert --list
step which sh -c "for p in tcpdump sflow-run sflow-send; do command -v \$p; done"
step verify.installed dpkg -V tcpdump
step link readlink -f /usr/lib/*/sflow-tcpdump/tcpdump
sha256sum </usr/bin/tcpdump.distrib | cut -d" " -f1 >distrib.sha
# The AppArmor rules the package ships for the tcpdump profile compile
# with it (no AppArmor in the container, so they are not enforced here).
local=/etc/apparmor.d/local/usr.bin.tcpdump
[ -f $local ] || : >$local
cp $local /tmp/local.saved
cat /usr/share/doc/sflow-tcpdump/apparmor-local-usr.bin.tcpdump >>$local
step apparmor apparmor_parser -Q -K /etc/apparmor.d/usr.bin.tcpdump
echo "/usr/bin/tcpdump.distrib zz," >>$local
step apparmor.bad apparmor_parser -Q -K /etc/apparmor.d/usr.bin.tcpdump
cp /tmp/local.saved $local

# The README usage line, on a feed from inside the container.
send 6343 & sender=$!
step capture timeout 120 tcpdump -i sflow:6343 -c 10 -nn -t
wait $sender; echo $? >capture-send.rc
if command -v tshark >/dev/null; then
	send 6344 & sender=$!
	step tshark timeout 120 sflow-run tshark -i sflow:6344 -c 10 -T fields -e eth.src -e eth.dst
	wait $sender; echo $? >tshark-send.rc
	step tshark-D tshark -D
	step tshark-fields tshark -G fields
fi
step man sh -c "MANWIDTH=80 man pcap-sflow"
step man-send sh -c "MANWIDTH=80 man sflow-send"
step man-run sh -c "MANWIDTH=80 man sflow-run"

# Every other device: as Debian s tcpdump.
step D.after tcpdump -D
step r.after tcpdump -r /in/input.pcap -nn -t
step version.after tcpdump --version
# A live capture on lo: datagrams to a port nobody listens on, sent (one
# sample each) once tcpdump says it listens (at most 60 s).
lo_send() {
	n=0
	until grep -q "listening on" "$1" 2>/dev/null; do
		n=$((n + 1)); [ "$n" -le 600 ] || return 1; sleep 0.1
	done
	sflow-send -q -S 1 -c 5 /in/input.pcap 127.0.0.1:9999
}
lo_send lo.err & sender=$!
step lo timeout 120 tcpdump -i lo -c 3 -nn -t udp dst port 9999
wait $sender
lo_send lo.distrib.err & sender=$!
step lo.distrib timeout 120 tcpdump.distrib -i lo -c 3 -nn -t udp dst port 9999
wait $sender

# tcpdump upgraded (here: reinstalled) while diverted: it lands beside.
step reinstall dpkg -i /debian-debs/tcpdump_*.deb
sha256sum </usr/bin/tcpdump.distrib | cut -d" " -f1 >reinstall.distrib.sha
step reinstall.D sh -c "tcpdump -D | grep -c sflow"

# Our own package upgraded (here: reinstalled): the diversion stays.
step self dpkg -i /in/'"$DEB"'
step self.divert dpkg-divert --list
step self.D sh -c "tcpdump -D | grep -c sflow"

step remove apt-get remove -y sflow-tcpdump
sha256sum </usr/bin/tcpdump | cut -d" " -f1 >after.sha
step verify dpkg -V tcpdump
step divert.after dpkg-divert --list
step left sh -c "ls /usr/bin/tcpdump.distrib /usr/bin/sflow-run 2>&1; true"
step D.removed tcpdump -D
'
pod 600 run --rm --network=none --cap-add=NET_RAW \
	-v "$INPUT_DIR:/in:ro" -v "$WORK/out:/out" --entrypoint /bin/sh "$IMAGE" -c "$SCRIPT" \
	>"$WORK/run.out" 2>"$WORK/run.err"
status=$?
is "$status" 0 "the container's script ran"
[ "$status" -eq 0 ] || show_log "$WORK/run.err"
O=$WORK/out
rc() { cat "$O/$1.rc" 2>/dev/null || echo "no $1.rc"; }
result() { # result STEP WANT_RC NAME: the step's exit status, its log if wrong
	is "$(rc "$1")" "$2" "$3"
	[ "$(rc "$1")" = "$2" ] || { show_log "$O/$1.out" 10; show_log "$O/$1.err" 10; }
}

# Before: Debian's own tcpdump, the one its .deb holds.
[ -s "$O/debian.sha" ] && [ "$(cat "$O/debian.sha")" != "$(echo | sha256sum | cut -d' ' -f1)" ]
ok $? "checksum of /usr/bin/tcpdump in Debian's tcpdump .deb"
is "$(cat "$O/before.sha")" "$(cat "$O/debian.sha")" "before: /usr/bin/tcpdump is Debian's"

result install 0 "apt-get install ./$DEB, offline"
contains "$O/divert.out" "diversion of /usr/bin/tcpdump to /usr/bin/tcpdump.distrib by sflow-tcpdump" \
   "dpkg-divert --list: /usr/bin/tcpdump diverted to /usr/bin/tcpdump.distrib"
is "$(tr '\n' ' ' <"$O/which.out")" "/usr/bin/tcpdump /usr/bin/sflow-run /usr/bin/sflow-send " \
   "tcpdump, sflow-run and sflow-send on the default PATH"
is "$(cat "$O/distrib.sha")" "$(cat "$O/debian.sha")" "/usr/bin/tcpdump.distrib is Debian's tcpdump"
is "$(cat "$O/link.out")" /usr/bin/tcpdump.distrib "the launcher's link named tcpdump leads to it"
is "$(cat "$O/verify.installed.out")" "$(cat "$O/verify.before.out")" \
   "dpkg -V tcpdump while diverted: as before the install"

result apparmor 0 "the shipped AppArmor rules compile with Debian's tcpdump profile"
[ -s "$O/apparmor.bad.rc" ] && [ "$(rc apparmor.bad)" != 0 ]
ok $? "apparmor_parser rejects a bad rule there (the check can fail)"

result capture 0 "tcpdump -i sflow:6343 -c 10 exits 0"
is "$(cat "$O/capture-send.rc" 2>/dev/null)" 0 "sflow-send sent the feed"
contains "$O/capture.err" "listening on sflow:6343, link-type EN10MB (Ethernet)" \
   "tcpdump -i sflow:6343 listens"
is "$(cat "$O/capture.out")" "$(print_pcap "$INPUT_DIR/input.pcap" -s 128 -c 10)" \
   "tcpdump -i sflow:6343 prints the packets as tcpdump -r prints the original cut at 128 bytes"
contains "$O/capture.err" "10 packets captured" "10 packets captured"

if [ -n "$extra" ]; then
	result tshark 0 "sflow-run tshark -i sflow:6344 -c 10 exits 0"
	if command -v tshark >/dev/null 2>&1; then
		want=$(tshark -r "$INPUT_DIR/input.pcap" -c 10 -T fields -e eth.src -e eth.dst 2>/dev/null)
		[ -n "$want" ]
		ok $? "tshark -r reads the input's addresses"
		is "$(cat "$O/tshark.out")" "$want" "sflow-run tshark: the 10 packets' Ethernet addresses"
	else
		is "$(wc -l <"$O/tshark.out")" 10 "sflow-run tshark: 10 packets"
	fi
	contains "$O/tshark-D.out" "sflow (sFlow collector)" "tshark -D lists the extcap's interface: installed where Wireshark looks"
	is "$(awk -F '\t' '$1 == "F" && $5 == "sflow_sample"' "$O/tshark-fields.out" | wc -l)" 17 \
		"tshark -G fields lists the 17 sflow_sample fields: the plugin installed where Wireshark looks"
else
	skip "SFLOW_DEB_TSHARK=no: sflow-run tshark not tested"
fi

result man 0 "man pcap-sflow exits 0"
contains "$O/man.out" "PCAP-SFLOW(7)" "man pcap-sflow shows the page"
contains "$O/man.out" "sampled_packets_estimate" "man pcap-sflow shows the counters"
result man-send 0 "man sflow-send exits 0"
contains "$O/man-send.out" "--sampling-rate" "man sflow-send shows the options"
result man-run 0 "man sflow-run exits 0"

# Every other device behaves as Debian's tcpdump.
result D.after 0 "tcpdump -D exits 0"
contains "$O/D.after.out" ".lo " "tcpdump -D still lists lo"
contains "$O/D.after.out" ".sflow " "tcpdump -D lists sflow"
is "$(grep -v '\.sflow ' "$O/D.after.out")" "$(cat "$O/D.before.out")" \
   "tcpdump -D: Debian's devices, unchanged"
result r.after 0 "tcpdump -r FILE exits 0"
is "$(cat "$O/r.after.out")" "$(cat "$O/r.before.out")" "tcpdump -r FILE: Debian's output, unchanged"
is "$(cat "$O/r.after.err")" "$(cat "$O/r.before.err")" "tcpdump -r FILE: Debian's messages, unchanged"
is "$(cat "$O/version.after.out" "$O/version.after.err")" \
   "$(cat "$O/version.before.out" "$O/version.before.err")" "tcpdump --version: Debian's"
result lo 0 "tcpdump -i lo -c 3 (live, the real libpcap) exits 0"
result lo.distrib 0 "tcpdump.distrib -i lo -c 3 exits 0"
contains "$O/lo.err" "listening on lo, link-type EN10MB (Ethernet)" "tcpdump -i lo listens as Debian's"
# The sender's source port differs from run to run.
is "$(sed -E 's/127\.0\.0\.1\.[0-9]+ >/127.0.0.1.PORT >/' "$O/lo.out")" \
   "$(sed -E 's/127\.0\.0\.1\.[0-9]+ >/127.0.0.1.PORT >/' "$O/lo.distrib.out")" \
   "tcpdump -i lo prints what Debian's tcpdump prints"
is "$(wc -l <"$O/lo.out")" 3 "tcpdump -i lo: 3 packets printed"
contains "$O/lo.err" "3 packets captured" "tcpdump -i lo: 3 packets captured"

# tcpdump reinstalled while diverted: the new binary goes to .distrib,
# the launcher stays.
result reinstall 0 "dpkg -i tcpdump_*.deb while diverted"
is "$(cat "$O/reinstall.distrib.sha")" "$(cat "$O/debian.sha")" \
   "reinstalled tcpdump lands in /usr/bin/tcpdump.distrib"
is "$(cat "$O/reinstall.D.out")" 1 "the launcher still serves sflow after the reinstall"

result self 0 "dpkg -i $DEB again (an upgrade of the package)"
is "$(grep -c 'diversion of /usr/bin/tcpdump to /usr/bin/tcpdump.distrib by sflow-tcpdump' "$O/self.divert.out")" 1 \
   "after the upgrade: the one diversion still there"
is "$(cat "$O/self.D.out")" 1 "after the upgrade: the launcher serves sflow"

# apt remove: Debian's tcpdump back, exactly.
result remove 0 "apt-get remove sflow-tcpdump"
is "$(cat "$O/after.sha")" "$(cat "$O/debian.sha")" "after remove: /usr/bin/tcpdump is Debian's (checksum)"
# The slim image has no docs, which dpkg -V reports as missing before too.
result verify.before "$(rc verify)" "dpkg -V tcpdump: the same status as before the install"
is "$(cat "$O/verify.out")" "$(cat "$O/verify.before.out")" "dpkg -V tcpdump: the same report as before the install"
is "$(grep -v '/usr/share/doc/' "$O/verify.out")" "" "dpkg -V tcpdump: nothing but the slim image's missing docs"
is "$(grep tcpdump "$O/divert.after.out")" "" "no diversion of tcpdump left"
contains "$O/left.out" "'/usr/bin/tcpdump.distrib': No such file" "no tcpdump.distrib left"
contains "$O/left.out" "'/usr/bin/sflow-run': No such file" "sflow-run removed"
is "$(cat "$O/D.removed.out")" "$(cat "$O/D.before.out")" "tcpdump -D as before the install"

done_testing
