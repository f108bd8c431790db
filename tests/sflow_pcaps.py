#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
"""Saved sFlow feeds, built field by field (pcap and pcapng file formats,
Ethernet, IP and UDP headers from their specifications), for the file=
tests and the bench. Each frame carries a v5 datagram to port 6343.

usage: sflow_pcaps.py SCENARIO FILE [ARGS]
  linktype NAME FILE   two datagrams (3 + 2 samples) framed as NAME: en10mb,
                       vlan, qinq, sll, sll2, raw, ipv4, ipv6, null, loop,
                       en10mb6 (over IPv6, with a destination-options header)
  feed FILE N SAMPLES [SKIP [HEADER]]  N datagrams of SAMPLES flow samples
                       each, one data source, sequence numbers 1..N;
                       datagram SKIP (1-based, 0: none) left out; other
                       traffic in between; sampled headers of HEADER bytes
                       (default 62)
  fragments FILE       a datagram in IPv4 fragments (out of order), one in
                       IPv6 fragments, a whole one, then fragments that
                       make no datagram (see fragments())
  badsum FILE          a datagram whose UDP checksum is wrong, then a good
                       one, then one with no checksum (0, IPv4)
  nosflow FILE         DNS and other UDP traffic, no datagram to 6343
  multilink FILE       pcapng: interface 0 Ethernet, interface 1 raw IP,
                       a datagram on each
  agenttime FILE       a datagram of two samples, the second with the
                       agent's own time stamp (record 1043): 1600000000.5 s
"""
import struct
import sys

from sflow_encode import (DST_MAC, SRC_MAC, address, checksum, ethernet, flow_sample,
                          header_record, ip4, ip6, ipv4, ipv6, timestamp_record, v5_datagram)

PORT = 6343
AGENT4, COLLECTOR4 = ip4("192.0.2.1"), ip4("192.0.2.9")
AGENT6, COLLECTOR6 = ip6("2001:db8::1"), ip6("2001:db8::9")
T0 = 1700000000


HEADER_BYTES = 62


def sampled(n):
    """The n-th sampled packet: Ethernet, IPv4, UDP to port 1000+n (mod 64512), of
    HEADER_BYTES in all."""
    payload = bytes((n + i) & 0xFF for i in range(HEADER_BYTES - 42))
    inner = ipv4(17, ip4("10.0.0.1"), ip4("10.0.0.2"),
                 struct.pack("!HHHH", 2000, 1000 + n % 64512, 8 + len(payload), 0) + payload,
                 ident=n & 0xFFFF)
    return ethernet(0x0800, inner)


def datagram(sequence, samples, first_sample):
    flows = [flow_sample([header_record(1, len(sampled(first_sample + i)) + 4, 4,
                                       sampled(first_sample + i))],
                         sequence=first_sample + i, pool=first_sample + i)
             for i in range(samples)]
    return v5_datagram(flows, agent=address(AGENT4), sequence=sequence, uptime=1000 * sequence)


def udp_checked(src, dst, payload, sport=40000, dport=PORT):
    """UDP with its checksum filled in over the pseudo-header."""
    length = 8 + len(payload)
    header = struct.pack("!HHHH", sport, dport, length, 0)
    pseudo = src + dst + (struct.pack("!BBH", 0, 17, length) if len(src) == 4
                          else struct.pack("!IxxxB", length, 17))
    value = checksum(pseudo + header + payload) or 0xFFFF
    return header[:6] + struct.pack("!H", value) + payload


def ip4_udp(payload, **keywords):
    return ipv4(17, AGENT4, COLLECTOR4, udp_checked(AGENT4, COLLECTOR4, payload, **keywords))


def ip6_udp(payload, dest_options=False):
    segment = udp_checked(AGENT6, COLLECTOR6, payload)
    if dest_options:
        # next header UDP, length 0 (8 bytes), a PadN option filling it.
        return ipv6(60, AGENT6, COLLECTOR6, struct.pack("!BBBB4x", 17, 0, 1, 4) + segment)
    return ipv6(17, AGENT6, COLLECTOR6, segment)


def write_pcap(path, linktype, frames):
    """frames: (seconds, microseconds, bytes)."""
    with open(path, "wb") as out:
        out.write(struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 262144, linktype))
        for seconds, micros, frame in frames:
            out.write(struct.pack("<IIII", seconds, micros, len(frame), len(frame)) + frame)


LINKTYPES = {
    # name: (link type, framing of an IPv4 packet)
    "en10mb": (1, lambda ip: ethernet(0x0800, ip)),
    "vlan": (1, lambda ip: ethernet(0x0800, ip, vlan=42)),
    # 802.1ad outer tag (S-VLAN 100), then 802.1Q (C-VLAN 42).
    "qinq": (1, lambda ip: DST_MAC + SRC_MAC + struct.pack("!HHHHH", 0x88A8, 100, 0x8100, 42,
                                                           0x0800) + ip),
    "sll": (113, lambda ip: struct.pack("!HHH8sH", 0, 1, 6, b"\2\0\0\0\0\1\0\0", 0x0800) + ip),
    "sll2": (276, lambda ip: struct.pack("!HHIHBB8s", 0x0800, 0, 2, 1, 0, 6,
                                         b"\2\0\0\0\0\1\0\0") + ip),
    "raw": (101, lambda ip: ip),
    "ipv4": (228, lambda ip: ip),
    "null": (0, lambda ip: struct.pack("<I", 2) + ip),
    "loop": (108, lambda ip: struct.pack(">I", 2) + ip),
}


def linktype(name, path):
    payloads = [datagram(1, 3, 1), datagram(2, 2, 4)]
    if name == "ipv6":
        write_pcap(path, 229, [(T0 + i, 0, ip6_udp(p)) for i, p in enumerate(payloads)])
    elif name == "en10mb6":
        write_pcap(path, 1, [(T0 + i, 0, ethernet(0x86DD, ip6_udp(p, dest_options=True)))
                             for i, p in enumerate(payloads)])
    else:
        number, frame = LINKTYPES[name]
        write_pcap(path, number, [(T0 + i, 250000 * i, frame(ip4_udp(p)))
                                  for i, p in enumerate(payloads)])


def other_traffic(n):
    """A DNS query to 10.0.0.53, nothing to do with sFlow."""
    query = struct.pack("!HHHHHH", n & 0xFFFF, 0x100, 1, 0, 0, 0) + b"\7example\3com\0\0\1\0\1"
    return ethernet(0x0800, ipv4(17, ip4("10.0.0.1"), ip4("10.0.0.53"),
                                 udp_checked(ip4("10.0.0.1"), ip4("10.0.0.53"), query,
                                             sport=5000 + n % 1000, dport=53)))


def feed(path, count, samples, skip=0):
    frames = []
    for n in range(1, count + 1):
        if n != skip:
            frames.append((T0 + n // 1000, (n % 1000) * 1000,
                           ethernet(0x0800, ip4_udp(datagram(n, samples, (n - 1) * samples + 1)))))
        if n % 10 == 0:
            frames.append((T0 + n // 1000, (n % 1000) * 1000 + 1, other_traffic(n)))
    write_pcap(path, 1, frames)


def fragments(path):
    """Reassembly: an IPv4 datagram in two fragments, the second first; an
    IPv6 one in two; a whole one; then five lone first fragments (the fifth
    evicts the first from a table of four) and a fragment whose length is
    not a multiple of 8 although more follow (it evicts another, and is
    dropped itself): 3 fragments dropped."""
    cut = 104
    segment = ip4_udp(datagram(1, 3, 1))[20:]
    first = ipv4(17, AGENT4, COLLECTOR4, segment[:cut], ident=7, flags=0x2000)
    second = ipv4(17, AGENT4, COLLECTOR4, segment[cut:], ident=7, flags=cut // 8)
    # IPv6: a fragment header (44) in front of each piece.
    segment6 = udp_checked(AGENT6, COLLECTOR6, datagram(2, 2, 4))
    frag = lambda offset, more, piece: ipv6(44, AGENT6, COLLECTOR6, struct.pack(
        "!BBHI", 17, 0, offset | more, 99) + piece)
    first6, second6 = frag(0, 1, segment6[:cut]), frag(cut, 0, segment6[cut:])
    frames = [(T0, 0, ethernet(0x0800, second)), (T0, 1, ethernet(0x0800, first)),
              (T0, 2, ethernet(0x86DD, first6)), (T0, 3, ethernet(0x86DD, second6)),
              (T0 + 1, 0, ethernet(0x0800, ip4_udp(datagram(3, 1, 6))))]
    lone = ip4_udp(datagram(4, 3, 7))[20:][:cut]
    for ident in range(100, 105):
        frames.append((T0 + 2, ident, ethernet(0x0800, ipv4(17, AGENT4, COLLECTOR4, lone,
                                                            ident=ident, flags=0x2000))))
    frames.append((T0 + 3, 0, ethernet(0x0800, ipv4(17, AGENT4, COLLECTOR4, lone[:cut - 3],
                                                    ident=200, flags=0x2000))))
    write_pcap(path, 1, frames)


def badsum(path):
    bad = bytearray(ip4_udp(datagram(1, 3, 1)))
    bad[26] ^= 0x55                     # the UDP checksum's first byte
    none = bytearray(ip4_udp(datagram(3, 1, 6)))
    none[26:28] = b"\0\0"
    write_pcap(path, 1, [(T0, 0, ethernet(0x0800, bytes(bad))),
                         (T0 + 1, 0, ethernet(0x0800, ip4_udp(datagram(2, 2, 4)))),
                         (T0 + 2, 0, ethernet(0x0800, bytes(none)))])


def nosflow(path):
    write_pcap(path, 1, [(T0 + n, 0, other_traffic(n)) for n in range(12)])


def agenttime(path):
    first = flow_sample([header_record(1, len(sampled(1)) + 4, 4, sampled(1))], sequence=1)
    second = flow_sample([header_record(1, len(sampled(2)) + 4, 4, sampled(2)),
                          timestamp_record(1600000000500000000)], sequence=2)
    payload = v5_datagram([first, second], agent=address(AGENT4))
    write_pcap(path, 1, [(T0, 250000, ethernet(0x0800, ip4_udp(payload)))])


def block(kind, body):
    length = 12 + len(body) + (-len(body) % 4)
    return struct.pack("<II", kind, length) + body + b"\0" * (-len(body) % 4) + \
        struct.pack("<I", length)


def multilink(path):
    shb = block(0x0A0D0D0A, struct.pack("<IHHq", 0x1A2B3C4D, 1, 0, -1))
    idb = lambda link: block(1, struct.pack("<HHI", link, 0, 262144))
    epb = lambda interface, frame: block(6, struct.pack("<IIIII", interface, 0, 0, len(frame),
                                                         len(frame)) + frame)
    with open(path, "wb") as out:
        out.write(shb + idb(1) + idb(101) +
                  epb(0, ethernet(0x0800, ip4_udp(datagram(1, 3, 1)))) +
                  epb(1, ip4_udp(datagram(2, 2, 4))))


def main():
    scenario, args = sys.argv[1], sys.argv[2:]
    if scenario == "linktype":
        linktype(args[0], args[1])
    elif scenario == "feed":
        global HEADER_BYTES
        if len(args) > 4:
            HEADER_BYTES = int(args[4])
        feed(args[0], int(args[1]), int(args[2]), int(args[3]) if len(args) > 3 else 0)
    else:
        {"fragments": fragments, "badsum": badsum, "nosflow": nosflow,
         "multilink": multilink, "agenttime": agenttime}[scenario](args[0])


main()
