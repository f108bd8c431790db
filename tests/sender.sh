#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
# The sender on its own: usage errors, the sFlow v5 datagrams it builds
# (decoded here field by field, and by tshark), pacing, the final pause, and
# byte-identical replay. Only 127.0.0.1 / ::1 are sent to; waits are bounded.
. "$top_srcdir/tests/lib.sh"

INPUT="$WORK/input.pcap"
make_packets "$INPUT" 40

# ---- usage ----
"$SFLOW_SEND" --help >"$WORK/help.out" 2>&1
ok $? "--help exits 0"
contains "$WORK/help.out" "usage: sflow-send [options] FILE.pcap HOST:PORT" "--help prints the usage"
usage_error() { # usage_error NAME ARGS...: exit 2, one line
	name=$1; shift
	"$SFLOW_SEND" "$@" >/dev/null 2>"$WORK/usage.err"
	is "$?" 2 "$name: exits 2"
	is "$(wc -l <"$WORK/usage.err")" 1 "$name: one line"
}
usage_error "no arguments"
usage_error "unknown option" --bogus "$INPUT" 127.0.0.1:9
usage_error "bad sampling rate" -N 0 "$INPUT" 127.0.0.1:9
usage_error "bad agent" -a nowhere "$INPUT" 127.0.0.1:9
usage_error "IPv6 without brackets" "$INPUT" ::1:9
usage_error "bad port" "$INPUT" 127.0.0.1:0
"$SFLOW_SEND" "$WORK/none.pcap" 127.0.0.1:9 2>"$WORK/nofile.err"
is "$?" 1 "missing file: exits 1"
is "$(wc -l <"$WORK/nofile.err")" 1 "missing file: one line"

# ---- a receiver: every datagram, length-prefixed, into FILE ----
# receive FILE: listens on a free port ($port), both IPv4 and IPv6, until
# stop_receiver. Each datagram is written with the kernel's receive time
# (SO_TIMESTAMPNS), so a receiver that a busy machine runs late still
# records when each datagram arrived.
receive() {
	port=$(free_port)
	rm -f "$WORK/ready"
	python3 - "$port" "$1" "$WORK/ready" <<'EOF' &
import signal, socket, struct, sys, time
signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
SO_TIMESTAMPNS = 35     # asm-generic (x86-64, arm64): not in Python's socket module
s = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 0)
s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 1 << 22)
try:
    s.setsockopt(socket.SOL_SOCKET, SO_TIMESTAMPNS, 1)
except OSError:
    pass                # then the time it is read, below
s.bind(("::", int(sys.argv[1])))
open(sys.argv[3], "w").close()
with open(sys.argv[2], "wb") as out:
    for _ in range(1000000):        # bounded
        d, ancillary, _, _ = s.recvmsg(65536, 64)
        t = time.time()
        for level, kind, data in ancillary:
            if level == socket.SOL_SOCKET and kind == SO_TIMESTAMPNS and len(data) >= 16:
                seconds, nanoseconds = struct.unpack("@qq", data[:16])
                t = seconds + nanoseconds / 1e9
        out.write(struct.pack("!dI", t, len(d)) + d)
        out.flush()
EOF
	recv_pid=$!
	wait_until test -e "$WORK/ready"
}
# stop_receiver: once the receiver has written down all that was sent.
stop_receiver() {
	wait_idle "$recv_pid" "$port"
	kill -TERM "$recv_pid"
	wait "$recv_pid"
}

# The decoder: checks every field against the input file; prints a summary.
cat >"$WORK/check.py" <<'EOF'
import socket, struct, sys
def records(path):
    d = open(path, "rb").read(); off = 0
    while off < len(d):
        t, n = struct.unpack("!dI", d[off:off + 12]); yield t, d[off + 12:off + 12 + n]; off += 12 + n
def pcap(path):
    d = open(path, "rb").read(); off = 24
    while off < len(d):
        _, _, cl, ol = struct.unpack("<IIII", d[off:off + 16]); yield d[off + 16:off + 16 + cl], ol; off += 16 + cl
opt = dict(a.split("=") for a in sys.argv[3:])
N, H, nsrc = int(opt.get("N", 1)), int(opt.get("H", 128)), int(opt.get("sources", 1))
base, loops, final = int(opt.get("ifindex", 1)), int(opt.get("loops", 1)), int(opt.get("final", 0))
agent = opt.get("agent", "127.0.0.1"); fam = socket.AF_INET6 if ":" in agent else socket.AF_INET
pkts = list(pcap(sys.argv[1])) * loops
want = [p for i, p in enumerate(pkts) if (i + 1) % N == 0][:int(opt.get("count", 0)) or None]
got, dseq, seq, pool, times, big = [], 0, {}, {}, [], 0
u = lambda b, o: struct.unpack("!I", b[o:o + 4])[0]
for t, p in records(sys.argv[2]):
    at = u(p, 4); alen = 4 if at == 1 else 16
    assert u(p, 0) == 5 and p[8:8 + alen] == socket.inet_pton(fam, agent)
    o = 8 + alen
    assert u(p, o) == int(opt.get("sub", 0))
    dseq += 1; assert u(p, o + 4) == dseq, "datagram sequence"
    ns = u(p, o + 12); o += 16; times.append((t, u(p, o - 8)))
    assert len(p) <= 1400 or ns == 1, "over 1400 bytes with %d samples" % ns
    big = max(big, len(p))
    assert ns <= int(opt.get("S", ns))
    for _ in range(ns):
        assert u(p, o) == 1
        sq, sid, rate, pl, drops, i, out, nrec = struct.unpack("!8I", p[o + 8:o + 40])
        assert rate == N and drops == 0 and nrec == 1 and i == sid and base <= sid < base + nsrc
        assert sq == seq.get(sid, 0) + 1 and pl == pool.get(sid, 0) + N
        seq[sid], pool[sid] = sq, pl
        r = o + 40
        fmt, rlen, proto, flen, strip, hlen = struct.unpack("!6I", p[r:r + 24])
        assert fmt == 1 and rlen == 16 + (hlen + 3) // 4 * 4 and u(p, o + 4) == 32 + 8 + rlen
        assert p[r + 24 + hlen:r + 8 + rlen] == bytes(rlen - 16 - hlen)
        got.append((sid, proto, flen, strip, p[r + 24:r + 24 + hlen]))
        o += 8 + u(p, o + 4)
    assert o == len(p)
fin = got[len(got) - final * nsrc:] if final else []
got = got[:len(got) - len(fin)]
assert len(got) == len(want), (len(got), len(want))
for k, ((sid, proto, flen, strip, hdr), (data, ol)) in enumerate(zip(got, want)):
    assert sid == base + k % nsrc and proto == 1 and flen == ol + 4 and strip == 4 and hdr == data[:H]
for sid, proto, flen, strip, hdr in fin:
    assert hdr == want[-1][0][:H]
print("%d samples ok" % (len(got) + len(fin)), "max", big, "bytes")
if "pace" in opt:
    print("gap %.3f" % (times[-1][0] - times[-1 - int(opt["pace"])][0]))
EOF
check() { # check DUMP KEY=VALUE...
	python3 "$WORK/check.py" "$INPUT" "$@" 2>&1 | tail -2
}

# ---- encoding ----
receive "$WORK/d1"
"$SFLOW_SEND" "$INPUT" "127.0.0.1:$port" 2>"$WORK/d1.err"
stop_receiver
contains "$WORK/d1.err" "sflow-send: sent 5 datagrams, 40 samples to 127.0.0.1:$port" "summary line"
is "$(check "$WORK/d1")" "40 samples ok max 1388 bytes" "defaults: every packet, 128-byte headers, fields check"

receive "$WORK/d2"
"$SFLOW_SEND" -q -N 3 --sources 3 -i 7 -S 2 -a 2001:db8::1 --sub-agent 9 -l 2 \
	"$INPUT" "[::1]:$port"
stop_receiver
is "$(check "$WORK/d2" N=3 sources=3 ifindex=7 S=2 agent=2001:db8::1 sub=9 loops=2)" \
   "26 samples ok max 372 bytes" "1 in 3, 3 sources, 2 per datagram, IPv6 agent, to ::1"

receive "$WORK/d3"
"$SFLOW_SEND" -q -H 2000 "$INPUT" "127.0.0.1:$port"
stop_receiver
is "$(check "$WORK/d3" H=2000)" "40 samples ok max 1548 bytes" "-H 2000: 1400 bytes exceeded only by single samples"

receive "$WORK/d4"
"$SFLOW_SEND" -q -c 5 --sources 2 --final-pause 300 "$INPUT" "127.0.0.1:$port"
stop_receiver
is "$(check "$WORK/d4" count=5 sources=2 final=1)" "7 samples ok max 736 bytes" \
   "--final-pause: one more sample per source, sequences continue"
uptimes=$(python3 -c 'import struct, sys
d = open(sys.argv[1], "rb").read(); off = 0; u = []
while off < len(d):
    t, n = struct.unpack("!dI", d[off:off + 12]); u.append(struct.unpack("!I", d[off + 32:off + 36])[0]); off += 12 + n
print("late" if u[-1] - u[0] >= 290 and u[-2] - u[0] >= 290 else u)' "$WORK/d4")
is "$uptimes" "late" "--final-pause: the last datagrams come after the pause (uptime)"

receive "$WORK/d5"
"$SFLOW_SEND" -q -r 50 -S 1 -c 10 "$INPUT" "127.0.0.1:$port"
stop_receiver
gap=$(check "$WORK/d5" S=1 count=10 pace=9 | sed -n 's/^gap //p')
ok "$(awk -v g="$gap" 'BEGIN { print (g >= 0.15 && g < 2) ? 0 : 1 }')" "-r 50: 10 datagrams over about 0.18 s (took $gap)"

# Nobody listening: ICMP port unreachable does not stop the run.
port=$(free_port)
"$SFLOW_SEND" -S 1 "$INPUT" "127.0.0.1:$port" 2>"$WORK/refused.err"
is "$?" 0 "no receiver: exits 0"
contains "$WORK/refused.err" "sent 40 datagrams, 40 samples" "no receiver: every datagram sent"

# Wireshark's dissector on what we built: no malformed fields.
if command -v tshark >/dev/null 2>&1; then
	python3 - "$WORK/d2" "$WORK/d2.pcap" "$top_srcdir/tests" <<'EOF'
import struct, sys
sys.path.insert(0, sys.argv[3])
from sflow_encode import ethernet, ip4, ipv4, udp
d = open(sys.argv[1], "rb").read(); off = 0; out = [struct.pack("<IHHiIII", 0xa1b2c3d4, 2, 4, 0, 0, 65535, 1)]
loopback = ip4("127.0.0.1")
while off < len(d):
    t, n = struct.unpack("!dI", d[off:off + 12]); p = d[off + 12:off + 12 + n]; off += 12 + n
    f = ethernet(0x0800, ipv4(17, loopback, loopback, udp(40000, 6343, p)), dst=bytes(6), src=bytes(6))
    out.append(struct.pack("<IIII", int(t), 0, len(f), len(f)) + f)
open(sys.argv[2], "wb").write(b"".join(out))
EOF
	tshark -r "$WORK/d2.pcap" -d udp.port==6343,sflow -V >"$WORK/d2.tshark" 2>/dev/null
	datagrams=$(python3 -c 'import struct, sys
d = open(sys.argv[1], "rb").read(); off = n = 0
while off < len(d):
    off += 12 + struct.unpack("!dI", d[off:off + 12])[1]; n += 1
print(n)' "$WORK/d2")
	is "$(grep -c 'Datagram version: 5' "$WORK/d2.tshark")" "$datagrams" "tshark decodes all $datagrams datagrams"
	is "$(grep -ci 'malformed' "$WORK/d2.tshark")" 0 "tshark: no malformed fields"
else
	skip "no tshark"
fi

# ---- replay: the UDP payloads go out byte for byte ----
CAPTURES="${SFLOW_CAPTURES:-$top_srcdir/../shared/captures}"
if [ -f "$CAPTURES/sflow-print-v6.pcap" ]; then
	receive "$WORK/r1"
	"$SFLOW_SEND" --replay -l 2 "$CAPTURES/sflow-print-v6.pcap" "127.0.0.1:$port" 2>"$WORK/r1.err"
	stop_receiver
	contains "$WORK/r1.err" "sent 50 datagrams, 122 samples" "replay: 25 datagrams twice"
	same=$(python3 - "$CAPTURES/sflow-print-v6.pcap" "$WORK/r1" <<'EOF'
import struct, sys
d = open(sys.argv[1], "rb").read(); off = 24; want = []
while off < len(d):
    _, _, cl, ol = struct.unpack("<IIII", d[off:off + 16]); f = d[off + 16:off + 16 + cl]; off += 16 + cl
    ip = f[14:]  # Ethernet, IPv6: 40-byte header, UDP next
    assert ip[6] == 17
    ulen = struct.unpack("!H", ip[44:46])[0]; want.append(ip[48:40 + ulen])
d = open(sys.argv[2], "rb").read(); off = 0; got = []
while off < len(d):
    t, n = struct.unpack("!dI", d[off:off + 12]); got.append(d[off + 12:off + 12 + n]); off += 12 + n
print("identical" if got == want * 2 else "differ: %d vs %d" % (len(got), len(want) * 2))
EOF
)
	is "$same" "identical" "replay: payloads byte-identical to the capture"
else
	skip "no captures at $CAPTURES"
fi

done_testing
