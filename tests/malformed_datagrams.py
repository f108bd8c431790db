#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
"""sFlow datagrams for the robustness tests: valid ones of every version and
kind, and every malformed class of issue 4, built field by field (XDR:
big-endian 32-bit words, opaque bytes padded with zeros to 4).

Used by make_corpus.py (the fuzzers' seeds) and by e2e_malformed.sh:

  malformed_datagrams.py classes
      the class names, one a line
  malformed_datagrams.py send PORT CLASS OUTDIR
      sends to 127.0.0.1:PORT each case of CLASS, each followed by a valid
      marker datagram, then an end marker; writes OUTDIR/CLASS.want (strings
      tcpdump -nn must print, one a line) and OUTDIR/CLASS.expect (the
      malformed_datagrams and bad_version_datagrams counts to expect)

Every sampled packet is Ethernet/IPv4/UDP to port 9, and its source says what
must become of it (tcpdump -nn prints "IP SRC.PORT > DST.9: ..."):
  192.0.2.1.P     markers: must be printed
  203.0.113.1.P   samples of datagrams that are odd but not malformed, and
                  v2/v4 samples decoded before a fault: must be printed
  198.51.100.66.P samples of malformed datagrams: must never be printed
  198.51.100.44.P samples that may or may not be printed
"""
import os
import socket
import sys

import sflow_encode as enc
from sflow_datagrams import wait_for_room
from sflow_encode import element, opaque, set_u32, u32

MARKER, DELIVERED, NEVER, MAYBE = "192.0.2.1", "203.0.113.1", "198.51.100.66", "198.51.100.44"
END_PORT = 65000
UDP_MAX = 65507             # the largest UDP payload over IPv4


# ---- Sampled packets ----

def frame(source, port, payload=b"sflw"):
    """Ethernet/IPv4/UDP from source:port to .2 port 9; 46 bytes by default,
    so the header opaque needs 2 bytes of padding."""
    src = enc.ip4(source)
    dst = src[:3] + b"\x02"
    return enc.ethernet(0x0800, enc.ipv4(17, src, dst, enc.udp(port, 9, payload), ident=port,
                                         flags=0x4000))


def printed(source, port):
    """What tcpdump -nn prints for frame(source, port)."""
    return "%s.%d > %s.2.9:" % (source, port, source.rsplit(".", 1)[0])


# ---- v5 ----

AGENT4 = enc.address(bytes([192, 0, 2, 254]))
AGENT6 = enc.address(bytes.fromhex("20010db8000000000000000000000061"))


def header_record(header, frame_length=None, stripped=4, protocol=1):
    if frame_length is None:
        frame_length = len(header) + stripped
    return enc.header_record(protocol, frame_length, stripped, header)


def switch_record():
    return enc.switch_record(10, 0, 20, 0)


def flow_sample(sequence, records):
    return enc.flow_sample(records, sequence, sampling_rate=64, pool=64 * sequence)


def expanded_sample(sequence, records):
    return enc.expanded_flow_sample(records, sequence, sampling_rate=64, pool=64 * sequence)


def discard_sample(sequence, records):
    return enc.discard_sample(records, sequence, drops=1, reason=0x103)


def counters_sample(sequence):
    generic = element(1, bytes(88))     # generic interface counters
    return enc.counters_sample([generic], sequence)


def v5(samples, agent=AGENT4, sequence=1, trailer=b""):
    return enc.v5_datagram(samples, agent, sequence=sequence, trailer=trailer)


def marker(port):
    return v5([flow_sample(port, [header_record(frame(MARKER, port))])], sequence=port)


def reference_v5(source, port):
    """One flow sample: sampled_header and extended_switch. Returns the bytes
    and the offsets of its length and count fields."""
    head = u32(5) + AGENT4 + u32(0, 1, 1000)
    sample_head = u32(port, 3, 64, 64, 0, 3, 4)
    header = header_record(frame(source, port))
    at = {"num_samples": len(head)}
    at["sample_length"] = at["num_samples"] + 8
    at["num_records"] = at["sample_length"] + 4 + len(sample_head)
    at["header_record_length"] = at["num_records"] + 8
    at["frame_length"] = at["header_record_length"] + 8
    at["header_length"] = at["header_record_length"] + 16
    at["switch_record_length"] = at["header_record_length"] + len(header)
    data = head + u32(1) + flow_sample(port, [header, switch_record()])
    return data, at


# ---- v2 / v4 ----

def v4_flow_sample(sequence, header, extended=(), frame_length=None):
    if frame_length is None:
        frame_length = len(header) + 4
    return enc.v24_flow(enc.v24_header(1, frame_length, header), list(extended), sequence,
                        sampling_rate=64, pool=64 * sequence)


V4_SWITCH = enc.v24_switch(10, 0, 20, 0)
V4_ROUTER = enc.v24_router(AGENT4, 24, 24)


def v4_counters_sample(sequence):
    return enc.v24_counters(1, bytes(88), sequence, interval=30)     # generic counters


def v2v4(version, samples, agent=AGENT4):
    return enc.v24_datagram(version, samples, agent)


# ---- The valid datagrams of every version and kind ----

def valid_datagrams():
    """(name, bytes, [strings tcpdump -nn prints for it])."""
    out = []
    p = 21000

    def want(port):
        return printed(DELIVERED, port)

    hdr = lambda port: header_record(frame(DELIVERED, port))
    out.append(("v5-flow", reference_v5(DELIVERED, p)[0], [want(p)]))
    out.append(("v5-expanded", v5([expanded_sample(1, [hdr(p + 1), switch_record()])]),
                [want(p + 1)]))
    timestamp = element(1043, u32(0x17a2b3c4, 0x5d6e7f80))
    # Discard samples come out only on sflow:PORT,drops: not printed here.
    out.append(("v5-discard", v5([discard_sample(1, [hdr(p + 2), timestamp])]), []))
    out.append(("v5-counters-then-flow",
                v5([counters_sample(1), element(4, u32(1, 0, 3, 0)), flow_sample(2, [hdr(p + 3)])]),
                [want(p + 3)]))
    out.append(("v5-ipv6-agent", v5([flow_sample(1, [hdr(p + 4)])], agent=AGENT6), [want(p + 4)]))
    out.append(("v5-unknown-agent-type-0", v5([flow_sample(1, [hdr(p + 5)])], agent=u32(0)),
                [want(p + 5)]))
    sampled_ip = element(3, u32(46, 17) + bytes([10, 0, 0, 1, 10, 0, 0, 2]) + u32(1, 9, 0, 0))
    unknown = element(9 << 12 | 1, u32(0xDEADBEEF))
    out.append(("v5-unknown-and-unused-records",
                v5([element(9 << 12 | 7, u32(1, 2)),
                    flow_sample(1, [unknown, sampled_ip, element(1002, AGENT4 + u32(24, 24)),
                                    hdr(p + 6), switch_record()])]),
                [want(p + 6)]))
    out.append(("v5-several-samples",
                v5([flow_sample(i, [hdr(p + 10 + i)]) for i in range(8)]),
                [want(p + 10 + i) for i in range(8)]))
    for version in (2, 4):
        q = p + 20 * version
        out.append(("v%d-flow" % version,
                    v2v4(version, [v4_counters_sample(1),
                                   v4_flow_sample(2, frame(DELIVERED, q), [V4_SWITCH, V4_ROUTER])]),
                    [want(q)]))
        ipv4_data = u32(1, 2, 3, 64, 64, 0, 3, 4) + u32(2, 46, 17) + bytes(8) + u32(1, 9, 0, 0)
        out.append(("v%d-ipv4-data-then-header" % version,
                    v2v4(version, [ipv4_data + u32(0), v4_flow_sample(3, frame(DELIVERED, q + 1))]),
                    [want(q + 1)]))
    return out


def odd_datagrams():
    """Odd but parseable: not malformed, the sample is delivered. The rule:
    a datagram is malformed only when its structure lies (a length or count
    that does not fit the bytes present, or a value the parser cannot step
    over); implausible values that leave the structure intact are passed on.
    (name, bytes, wanted strings)."""
    out = []
    p = 22000

    def case(name, data, port):
        out.append((name, data, [printed(DELIVERED, port)]))

    f = frame(DELIVERED, p)
    case("header-as-long-as-frame-length",
         v5([flow_sample(1, [header_record(f, frame_length=len(f))])]), p)
    f = frame(DELIVERED, p + 2)
    case("stripped-above-frame-length",
         v5([flow_sample(1, [header_record(f, frame_length=50, stripped=1000)])]), p + 2)
    # Header length 47 in a record holding 46 + 2 padding: one padding byte
    # is taken as header, still inside the record.
    data, at = reference_v5(DELIVERED, p + 3)
    case("header-length-not-multiple-of-4-uses-padding", set_u32(data, at["header_length"], 47),
         p + 3)
    data, at = reference_v5(DELIVERED, p + 4)
    case("header-length-shorter-record-padded", set_u32(data, at["header_length"], 43), p + 4)
    case("trailing-bytes-after-last-sample",
         v5([flow_sample(1, [header_record(frame(DELIVERED, p + 5))])], trailer=b"\xff" * 7),
         p + 5)
    case("sample-longer-than-its-structure",
         v5([element(1, flow_sample(1, [header_record(frame(DELIVERED, p + 6))])[8:] + bytes(12))]),
         p + 6)
    case("num-records-below-records-present",
         v5([element(1, u32(1, 3, 64, 64, 0, 3, 4, 1) + header_record(frame(DELIVERED, p + 7)) +
                     switch_record())]), p + 7)
    case("counters-sample-of-length-zero",
         v5([element(2, b""), flow_sample(1, [header_record(frame(DELIVERED, p + 8))])]), p + 8)
    # A header longer than its frame_length (agents that pad short frames):
    # the structure is sound, so the sample is delivered, and so are the
    # samples around it. v5 and v4.
    q = 22100
    for n in (0, 20, 45):
        out.append(("v5-header-longer-than-frame-length-%d" % n,
                    v5([flow_sample(1, [header_record(frame(DELIVERED, q), frame_length=n)]),
                        flow_sample(2, [header_record(frame(DELIVERED, q + 1))])]),
                    [printed(DELIVERED, q), printed(DELIVERED, q + 1)]))
        q += 2
    for n in (0, 45):
        out.append(("v4-header-longer-than-frame-length-%d" % n,
                    v2v4(4, [v4_flow_sample(1, frame(DELIVERED, q), frame_length=n),
                             v4_flow_sample(2, frame(DELIVERED, q + 1))]),
                    [printed(DELIVERED, q), printed(DELIVERED, q + 1)]))
        q += 2
    case("sampling-rate-zero",
         v5([element(1, u32(1, 3, 0, 0, 0, 3, 4, 1) + header_record(frame(DELIVERED, p + 9)))]),
         p + 9)
    # A 65,507-byte datagram: as many samples as fit, and 3 trailing bytes.
    samples, length, port = [], 28 + 3, 23000
    while True:
        sample = flow_sample(port, [header_record(frame(DELIVERED, port))])
        if length + len(sample) > UDP_MAX:
            break
        samples.append(sample)
        length += len(sample)
        port += 1
    padding = UDP_MAX - length
    trailer = b"\0" * (padding + 3)
    data = v5(samples, trailer=trailer)
    assert len(data) == UDP_MAX
    out.append(("largest-datagram-65507-bytes", data,
                [printed(DELIVERED, q) for q in range(23000, port)]))
    return out


# ---- Malformed classes ----

def truncations(data):
    return [("cut-at-%d" % n, data[:n]) for n in range(len(data))]


def lengths_v5():
    cases = []
    port = 24000

    def corrupt(field, values):
        nonlocal port
        for name, value in values:
            data, at = reference_v5(NEVER, port)
            base = int.from_bytes(data[at[field]:at[field] + 4], "big")
            value = value(base) if callable(value) else value
            cases.append(("%s-%s" % (field, name), set_u32(data, at[field], value)))
            port += 1

    wrong = [("plus-4", lambda n: n + 4), ("minus-4", lambda n: n - 4),
             ("0xfffffffc", 0xFFFFFFFC), ("0xffffffff", 0xFFFFFFFF), ("zero", 0),
             ("plus-1", lambda n: n + 1), ("plus-2", lambda n: n + 2),
             ("plus-3", lambda n: n + 3), ("minus-1", lambda n: n - 1)]
    for field in ("sample_length", "header_record_length", "switch_record_length"):
        corrupt(field, wrong)
    # The header opaque: beyond its record (46 + 2 padding bytes), or 64 KiB.
    corrupt("header_length", [("past-record-49", 49), ("past-record-52", 52),
                              ("64KiB", 0x10000), ("64KiB-plus-1", 0x10001),
                              ("0x7fffffff", 0x7FFFFFFF), ("0xffffffff", 0xFFFFFFFF)])
    return cases


def header_64k():
    """header_length over 64 KiB with every enclosing length agreeing, cut
    to the largest UDP payload: only the datagram's end refutes it."""
    header = frame(NEVER, 24100)
    header += bytes(0x10001 - len(header))
    data = v5([flow_sample(1, [header_record(header, frame_length=0x10005)])])
    return [("header-64KiB-all-lengths-agree-cut-to-fit", data[:UDP_MAX])]


def counts():
    cases = []
    for field, values in (("num_samples", (2, 1000, 0x20000000, 0xFFFFFFFF)),   # 1 present
                          ("num_records", (3, 1000, 0x20000000, 0xFFFFFFFF))):  # 2 present
        for value in values:
            data, at = reference_v5(NEVER, 24200)
            cases.append(("v5-%s-%#x" % (field, value), set_u32(data, at[field], value)))
    for version in (2, 4):
        for value in (2, 0x40000000, 0xFFFFFFFF):
            # The sample present is decoded, then the count runs out.
            data = v2v4(version, [v4_flow_sample(1, frame(DELIVERED, 24300 + version))])
            cases.append(("v%d-num_samples-%#x" % (version, value), set_u32(data, 20, value)))
            sample = v4_flow_sample(1, frame(NEVER, 24310 + version), [V4_SWITCH])
            data = v2v4(version, [sample])
            cases.append(("v%d-num_extended-%#x" % (version, value),
                          set_u32(data, len(data) - len(V4_SWITCH) - 4, value)))
        gateway = u32(3, 1, 2, 3, 0xFFFFFFFF) + bytes(8)
        cases.append(("v%d-gateway-path-huge" % version,
                      v2v4(version, [v4_flow_sample(1, frame(NEVER, 24320 + version), [gateway])])))
    return cases


def header_lengths_v2v4():
    cases = []
    for version in (2, 4):
        for value in (53, 0x10001, 0xFFFFFFFF):
            data = v2v4(version, [v4_flow_sample(1, frame(NEVER, 24400 + version))])
            cases.append(("v%d-header-length-%#x" % (version, value),
                          set_u32(data, 24 + 44, value)))
    return cases


def versions():
    data = reference_v5(NEVER, 24500)[0]
    return [("version-%#x" % v, set_u32(data, 0, v)) for v in (0, 1, 3, 6, 0x05000000, 0xFFFFFFFF)]


def address_types():
    cases = []
    for value in (3, 0x100, 0xFFFFFFFF):
        cases.append(("v5-agent-type-%#x" % value,
                      set_u32(reference_v5(NEVER, 24600)[0], 4, value)))
        for version in (2, 4):
            data = v2v4(version, [v4_flow_sample(1, frame(NEVER, 24610 + version))])
            cases.append(("v%d-agent-type-%#x" % (version, value), set_u32(data, 4, value)))
            router = u32(2, value) + u32(0, 0, 0, 0, 24, 24)
            data = v2v4(version, [v4_flow_sample(1, frame(NEVER, 24620 + version), [router])])
            cases.append(("v%d-next-hop-type-%#x" % (version, value), data))
    return cases


def v2v4_tags():
    """Tags the v2/v4 decoder cannot step over: sample (known 1-2), packet
    data (1-3), extended (1-5), counters (1-7)."""
    cases = []
    for version in (2, 4):
        good = v4_flow_sample(1, frame(DELIVERED, 24700 + version))
        for unknown in (0, 0xFFFFFFFF, None):     # None: the first unknown value
            def tag(first_unknown):
                return first_unknown if unknown is None else unknown
            # A good sample, then an unknown sample tag: the first is delivered.
            cases.append(("v%d-sample-tag-%#x" % (version, tag(3)),
                          v2v4(version, [good, u32(tag(3), 0, 0, 0)])))
            sample = v4_flow_sample(1, frame(NEVER, 24710 + version))
            cases.append(("v%d-packet-type-%#x" % (version, tag(4)),
                          v2v4(version, [set_u32(sample, 32, tag(4))])))
            sample = v4_flow_sample(1, frame(NEVER, 24720 + version), [u32(tag(6))])
            cases.append(("v%d-extended-type-%#x" % (version, tag(6)), v2v4(version, [sample])))
            counters = set_u32(v4_counters_sample(1), 16, tag(8))
            cases.append(("v%d-counters-type-%#x" % (version, tag(8)),
                          v2v4(version, [counters, v4_flow_sample(2, frame(NEVER, 24730))])))
    return cases


def sizes():
    cases = [("empty", b""), ("1-byte-0x05", b"\x05"), ("1-byte-0x00", b"\x00"),
             ("3-bytes", b"\x00\x00\x05"), ("version-only", u32(5))]
    # 65,507 bytes: many good samples, then one cut short by the datagram's
    # end. v5 is checked whole, so none of the good ones may come out.
    samples, length, port = [], 28, 25000
    while length < UDP_MAX - 200:
        sample = flow_sample(port, [header_record(frame(NEVER, port))])
        samples.append(sample)
        length += len(sample)
        port += 1
    samples.append(flow_sample(port, [header_record(frame(NEVER, port), stripped=4)] * 3))
    cases.append(("65507-bytes-last-sample-cut", v5(samples)[:UDP_MAX]))
    filler = bytes((i * 7 + 3) & 0xFF for i in range(UDP_MAX - 28))
    cases.append(("65507-bytes-garbage-after-header", u32(5) + AGENT4 + u32(0, 1, 1000, 7) + filler))
    return cases


def classes():
    """name -> [(case name, bytes, malformed?, strings tcpdump must print)].
    Strings printed by malformed v2/v4 samples decoded before the fault are
    wanted too: those are DELIVERED sources."""
    v4_reference = v2v4(4, [v4_counters_sample(1),
                            v4_flow_sample(2, frame(NEVER, 26004), [V4_SWITCH, V4_ROUTER])])
    v2_reference = v2v4(2, [v4_flow_sample(2, frame(NEVER, 26002), [V4_SWITCH])])
    expanded = v5([expanded_sample(1, [header_record(frame(NEVER, 26005)), switch_record()])])
    discard = v5([discard_sample(1, [header_record(frame(NEVER, 26006))])], agent=AGENT6)
    malformed = {
        "truncate-v5-flow": truncations(reference_v5(NEVER, 26001)[0]),
        "truncate-v5-expanded": truncations(expanded),
        "truncate-v5-discard-ipv6-agent": truncations(discard),
        "truncate-v4": truncations(v4_reference),
        "truncate-v2": truncations(v2_reference),
        "length-fields": lengths_v5() + header_64k(),
        "counts": counts(),
        "header-length-v2v4": header_lengths_v2v4(),
        "version": versions(),
        "address-type": address_types(),
        "v2v4-tags": v2v4_tags(),
        "sizes": sizes(),
    }
    out = {}
    for name, cases in malformed.items():
        out[name] = [(case, data, True, wanted_from(data)) for case, data in cases]
    out["odd-but-valid"] = [(case, data, False, want) for case, data, want in odd_datagrams()]
    out["valid"] = [(case, data, False, want) for case, data, want in valid_datagrams()]
    return out


def wanted_from(data):
    """Malformed v2/v4 datagrams deliver their samples before the fault:
    those carry DELIVERED sources, found here by their frame bytes."""
    source = bytes(int(x) for x in DELIVERED.split("."))
    wanted, at = [], data.find(source)
    while at >= 0:
        # Frame layout: source address at IP offset 12; UDP source port 8 bytes later.
        port = int.from_bytes(data[at + 8:at + 10], "big")
        if at + 10 <= len(data) and data[at + 4:at + 7] == source[:3]:
            wanted.append(printed(DELIVERED, port))
        at = data.find(source, at + 1)
    return wanted


# ---- Sending ----

def send(port, name, outdir):
    cases = classes()[name]
    wanted, malformed, bad_version = [], 0, 0
    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    queued = 0
    for i, (case, data, is_malformed, want) in enumerate(cases):
        mark = 10000 + i
        for datagram in (data, marker(mark)):
            sock.sendto(datagram, ("127.0.0.1", port))
            queued += len(datagram) + 1024
            # Stay well inside the socket buffer: every 64 KiB or so, wait
            # until the receiver has taken what was sent, however busy the
            # machine keeps it.
            if queued > 65536:
                wait_for_room(port)
                queued = 0
        wanted += want + [printed(MARKER, mark)]
        malformed += is_malformed
        bad_version += is_malformed and len(data) >= 4 and data[:4] not in (u32(2), u32(4), u32(5))
    sock.sendto(marker(END_PORT), ("127.0.0.1", port))
    with open(os.path.join(outdir, name + ".want"), "w") as f:
        f.write("".join(line + "\n" for line in wanted))
    with open(os.path.join(outdir, name + ".expect"), "w") as f:
        f.write("malformed_datagrams %d\nbad_version_datagrams %d\ncases %d\n" %
                (malformed, bad_version, len(cases)))


def main(argv):
    if len(argv) == 2 and argv[1] == "classes":
        print("\n".join(classes()))
    elif len(argv) == 5 and argv[1] == "send":
        send(int(argv[2]), argv[3], argv[4])
    else:
        sys.stderr.write(__doc__)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
