#!/usr/bin/env python3
"""Hand-built sFlow datagrams for the end-to-end decoding tests, written
field by field from the sFlow v5 specification and RFC 3176 (v2/v4).

usage: sflow_datagrams.py SCENARIO PORT   sends SCENARIO to 127.0.0.1:PORT

Scenarios:
  mix  one v5 datagram with every sample and header kind (see MIX below)
  v4   a v4 datagram with every extended record type, counter samples,
       sampled IPv4/IPv6 packets, ending in an unknown extended type
  v2   a v2 datagram with the v2 gateway layout and a counter sample
"""
import socket
import struct
import sys

from sflow_encode import (SRC_MAC, DST_MAC, discard_sample, element, ethernet,
                          expanded_flow_sample, flow_sample, fmt, header_record, ip4, ip6, opaque,
                          ipv4, ipv6, sampled_ipv4, sampled_ipv6, switch_record, tcp,
                          timestamp_record, u32, udp, v24_counters, v24_datagram, v24_flow,
                          v24_header, v24_ipv4, v24_ipv6, v5_datagram)

# ---- packets ----


def udp4(src, dst, sport, dport, payload=b"sflowtst"):
    return ipv4(17, ip4(src), ip4(dst), udp(sport, dport, payload), ident=1)


def tcp4_syn(src, dst, sport, dport):
    return ipv4(6, ip4(src), ip4(dst), tcp(sport, dport, 0x02, 1, window=1024), ident=2)


def udp6(src, dst, sport, dport, payload=b"sflowtst"):
    return ipv6(17, ip6(src), ip6(dst), udp(sport, dport, payload))


SNAP_IP4 = bytes.fromhex("aaaa030000000800")
ARP = struct.pack("!HHBBH6s4s6s4s", 1, 0x0800, 6, 4, 1, SRC_MAC, ip4("10.0.0.1"),
                  b"\0" * 6, ip4("10.0.0.99"))


def eth_udp(n, vlan=None):
    """Ethernet + IPv4 UDP from 10.0.0.(2n-1).(1000+n) to 10.0.0.(2n).(2000+n)."""
    return ethernet(0x0800,
                    udp4("10.0.0.%d" % (2 * n - 1), "10.0.0.%d" % (2 * n), 1000 + n, 2000 + n),
                    vlan=vlan)


def ip_udp(n):
    return udp4("10.0.0.%d" % (2 * n - 1), "10.0.0.%d" % (2 * n), 1000 + n, 2000 + n)


def mix():
    """One v5 datagram; numbers are the packet numbers in eth_udp / ip_udp
    (packet n goes from port 1000+n to 2000+n). Under EN10MB with no
    options, 9 packets come out: 1 2 3 4 13 14 15 16 17."""
    samples = [
        # 1 Ethernet; stripped = frame_length - header_length, as some agents send
        flow_sample([header_record(1, 1518, 1518 - len(eth_udp(1)), eth_udp(1))]),
        expanded_flow_sample([header_record(11, 40, 0,
                                            tcp4_syn("10.0.0.3", "10.0.0.4", 1002, 80))]),  # 2
        flow_sample([header_record(12, 56, 0, udp6("2001:db8::1", "2001:db8::2", 1003, 2003))]),
        flow_sample([header_record(13, 40, 0, u32(100 << 12 | 1 << 8 | 64) + ip_udp(4))]),  # 4
        flow_sample([header_record(15, 100, 4, bytes.fromhex("0801") + b"\0\0" +
                                   DST_MAC + SRC_MAC + DST_MAC + b"\0\0" + SNAP_IP4 +
                                   ip_udp(5))]),                              # 5 802.11
        flow_sample([header_record(7, 40, 0, bytes.fromhex("ff030021") + ip_udp(6))]),   # 6 PPP
        flow_sample([header_record(14, 40, 0, bytes.fromhex("ff030021") + ip_udp(7))]),  # 7 POS
        flow_sample([header_record(0, 40, 0, b"\x01\x02\x03\x04")]),           # 8 protocol 0
        flow_sample([header_record(99, 40, 0, b"\x01\x02\x03\x04")]),          # 9 protocol 99
        element(fmt(0, 2), u32(1, 3, 0)),                                     # counters
        element(fmt(0, 4), u32(1, 0, 3, 0)),                                  # expanded counters
        element(fmt(9, 1), u32(1, 2, 3)),                                     # unknown sample
        flow_sample([element(fmt(9, 7), u32(7)),                              # unknown record
                     element(fmt(0, 1002), u32(1) + ip4("192.0.2.254") + u32(24, 24)),
                     header_record(1, 46, 4, ethernet(0x0806, ARP))]),        # 13 ARP
        flow_sample([header_record(1, 1522, 4, eth_udp(14, vlan=30)),         # 14 tagged
                     switch_record(10, 3, 20, 5)]),
        flow_sample([header_record(1, 64, 4, eth_udp(15)),                    # 15 ingress,
                     switch_record(10, 3, 20, 5, padding=8)],                 # padded record
                    source=3, input_if=3, output_if=4, padding=4),           # and sample
        flow_sample([header_record(1, 64, 4, eth_udp(16)),                    # 16 egress
                     switch_record(10, 3, 20, 5)], source=4, input_if=3, output_if=4),
        flow_sample([header_record(1, 64, 4, eth_udp(17)),                    # 17 agent time
                     timestamp_record(1600000000123456789)]),
        flow_sample([sampled_ipv4(60, 6, "192.0.2.10", "198.51.100.20", 40000, 443, 0x02, 0)]),
        flow_sample([sampled_ipv6(100, 17, "2001:db8::a", "2001:db8::b", 5353, 53, 0, 0)]),
        flow_sample([switch_record(10, 0, 10, 0)]),                           # no packet record
        discard_sample([header_record(1, 64, 4, eth_udp(21)),                 # 21 discard
                        switch_record(10, 3, 20, 5)]),
        discard_sample([header_record(11, 36, 0, ip_udp(22))]),               # 22 discard, IPv4
        flow_sample([header_record(4, 100, 4, b"\x50" + DST_MAC + SRC_MAC + SNAP_IP4 +
                                   ip_udp(23))]),                             # 23 FDDI
        flow_sample([header_record(3, 100, 4, b"\x10\x40" + DST_MAC + SRC_MAC + SNAP_IP4 +
                                   ip_udp(24))]),                             # 24 token ring
    ]
    return [v5_datagram(samples)]


# ---- v2 / v4 (RFC 3176) ----


def v4():
    extended = [
        u32(1, 10, 3, 20, 5),                                          # switch
        u32(2, 1) + ip4("192.0.2.254") + u32(24, 16),                  # router
        u32(3, 65000, 65100, 65200) +                                  # gateway (v4)
        u32(2, 2, 2, 65001, 65002, 1, 1, 65003) +                      # 2 segments
        u32(2, 0xFFFF0001, 0xFFFF0002, 100),                           # communities, localpref
        u32(4) + opaque(b"alice") + opaque(b"bob"),                    # user
        u32(5, 1) + opaque(b"http://example.com/"),                    # url
    ]
    samples = [
        v24_flow(v24_header(1, 1518, ethernet(0x0800, udp4("10.1.0.1", "10.1.0.2", 3001, 4001))),
                 extended),
        v24_counters(2, bytes(88 + 52)),
        v24_flow(v24_ipv4(60, 6, "192.0.2.10", "198.51.100.20", 1234, 80, 0x02, 0), []),
        v24_flow(v24_ipv6(80, 17, "2001:db8::10", "2001:db8::20", 5000, 53, 0, 0), []),
        v24_flow(v24_header(11, 100, udp4("10.1.0.3", "10.1.0.4", 3002, 4002)), []),
        v24_counters(7, bytes(28)),
        v24_flow(v24_header(1, 64, ethernet(0x0800, udp4("10.1.0.5", "10.1.0.6", 3003, 4003))),
                 [u32(9, 1, 2, 3)]),                                   # unknown extended type
        v24_flow(v24_header(1, 64, ethernet(0x0800, udp4("10.1.0.7", "10.1.0.8", 3004, 4004))), []),
    ]
    return [v24_datagram(4, samples)]


def v2():
    samples = [
        v24_flow(v24_header(1, 1518, ethernet(0x0800, udp4("10.2.0.1", "10.2.0.2", 3005, 4005))),
                 [u32(3, 65000, 65100, 65200, 2, 65001, 65002),        # gateway (v2)
                  u32(1, 10, 0, 20, 0)]),
        v24_counters(1, bytes(88)),
    ]
    return [v24_datagram(2, samples)]


SCENARIOS = {"mix": mix, "v4": v4, "v2": v2}


def main():
    if len(sys.argv) != 3 or sys.argv[1] not in SCENARIOS:
        sys.exit(__doc__)
    port = int(sys.argv[2])
    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    for datagram in SCENARIOS[sys.argv[1]]():
        sock.sendto(datagram, ("127.0.0.1", port))


if __name__ == "__main__":
    main()
