#!/usr/bin/env python3
"""Writes a small Ethernet pcap of varied, well-formed packets for the tests
and the demo: DNS over UDP, TCP handshakes, ICMP, IPv6, ARP, 802.1Q, and
large frames whose sampled header is shorter than the packet.

usage: make_packets.py OUT.pcap [COUNT]   (COUNT packets, cycling the kinds)
"""
import struct
import sys


def checksum(data):
    if len(data) % 2:
        data += b"\0"
    total = sum(struct.unpack("!%dH" % (len(data) // 2), data))
    while total >> 16:
        total = (total & 0xFFFF) + (total >> 16)
    return ~total & 0xFFFF


def ethernet(ethertype, payload, vlan=None):
    dst, src = bytes.fromhex("020000000002"), bytes.fromhex("020000000001")
    tag = struct.pack("!HH", 0x8100, vlan) if vlan is not None else b""
    return dst + src + tag + struct.pack("!H", ethertype) + payload


def ipv4(protocol, src, dst, payload, ident):
    header = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(payload), ident, 0x4000, 64,
                         protocol, 0, bytes(src), bytes(dst))
    header = header[:10] + struct.pack("!H", checksum(header)) + header[12:]
    return header + payload


def ipv6(next_header, src, dst, payload):
    return struct.pack("!IHBB16s16s", 0x60000000, len(payload), next_header, 64,
                       bytes(src), bytes(dst)) + payload


def udp(sport, dport, payload):
    return struct.pack("!HHHH", sport, dport, 8 + len(payload), 0) + payload


def tcp(sport, dport, flags, seq, ack=0, payload=b""):
    return struct.pack("!HHIIBBHHH", sport, dport, seq, ack, 5 << 4, flags, 65535, 0, 0) + payload


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
        return ethernet(0x0800, ipv4(6, A, B, tcp(50000 + i, 80, PSH | ACK, 1000 * i + 1, 8, body), i))
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
