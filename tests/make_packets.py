#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
"""Writes a small Ethernet pcap of varied, well-formed packets for the tests
and the demo: DNS over UDP, TCP handshakes, ICMP, IPv6, ARP, 802.1Q, and
large frames whose sampled header is shorter than the packet.

usage: make_packets.py OUT.pcap [COUNT]   (COUNT packets, cycling the kinds)
"""
import struct
import sys

from sflow_encode import checksum, ethernet, ipv4 as ip_packet, ipv6, tcp, udp


def ipv4(protocol, src, dst, payload, ident):
    """Every IPv4 packet here has Don't Fragment set."""
    return ip_packet(protocol, src, dst, payload, ident=ident, flags=0x4000)


def dns_query(ident, name):
    labels = b"".join(bytes([len(p)]) + p.encode() for p in name.split(".")) + b"\0"
    return struct.pack("!HHHHHH", ident, 0x0100, 1, 0, 0, 0) + labels + struct.pack("!HH", 1, 1)


A, B = [10, 0, 0, 1], [10, 0, 0, 2]
A6 = [0x20, 0x01, 0x0d, 0xb8] + [0] * 11 + [1]
B6 = [0x20, 0x01, 0x0d, 0xb8] + [0] * 11 + [2]
SYN, ACK, PSH = 0x02, 0x10, 0x08


def packet(i):
    kind = i % 8
    if kind == 0:
        return ethernet(0x0800, ipv4(17, A, B, udp(40000 + i, 53, dns_query(i, "example%d.com" % i)), i))
    if kind == 1:
        return ethernet(0x0800, ipv4(6, A, B, tcp(50000 + i, 80, SYN, 1000 * i), i))
    if kind == 2:
        return ethernet(0x0800, ipv4(6, B, A, tcp(80, 50000 + i, SYN | ACK, 7, 1000 * i + 1), i))
    if kind == 3:
        body = bytes((i + j) & 0xFF for j in range(1400))
        return ethernet(0x0800, ipv4(6, A, B, tcp(50000 + i, 80, PSH | ACK, 1000 * i + 1, 8, payload=body), i))
    if kind == 4:
        echo = struct.pack("!BBHHH", 8, 0, 0, 0x1234, i) + b"ping" * 8
        echo = echo[:2] + struct.pack("!H", checksum(echo)) + echo[4:]
        return ethernet(0x0800, ipv4(1, A, B, echo, i))
    if kind == 5:
        return ethernet(0x86DD, ipv6(17, A6, B6, udp(40000 + i, 53, dns_query(i, "six%d.net" % i))))
    if kind == 6:
        arp = struct.pack("!HHBBH6s4s6s4s", 1, 0x0800, 6, 4, 1, bytes.fromhex("020000000001"),
                          bytes(A), b"\0" * 6, bytes(B))
        return ethernet(0x0806, arp)
    return ethernet(0x0800, ipv4(17, A, B, udp(40000 + i, 5000, b"x" * 200), i), vlan=10)


def main():
    out = sys.argv[1]
    count = int(sys.argv[2]) if len(sys.argv) > 2 else 40
    with open(out, "wb") as f:
        f.write(struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 65535, 1))
        for i in range(count):
            frame = packet(i)
            f.write(struct.pack("<IIII", 1700000000 + i, 0, len(frame), len(frame)) + frame)


if __name__ == "__main__":
    main()
