#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
"""Hand-built sFlow datagrams for the end-to-end decoding tests, written
field by field from the sFlow v5 specification and RFC 3176 (v2/v4).

usage: sflow_datagrams.py SCENARIO PORT [HOST]
                                sends SCENARIO to HOST (127.0.0.1 or ::1):PORT

Scenarios:
  mix  one v5 datagram with every sample and header kind (see MIX below)
  v4   a v4 datagram with every extended record type, counter samples,
       sampled IPv4/IPv6 packets, ending in an unknown extended type
  v2   a v2 datagram with the v2 gateway layout and a counter sample
  agents  three agents (10.1.2.3, 10.9.9.9, 2001:db8::7), each with an
       ingress, an egress and an undetermined sample (see AGENTS below)
  books   two agents with two sub-agents each: loss, a sample sequence
       jump, a late and a duplicated datagram, restarts (see BOOKS below)
"""
import os
import socket
import struct
import sys
import time

from sflow_encode import (SRC_MAC, DST_MAC, address, discard_sample, element, ethernet,
                          expanded_flow_sample, flow_sample, fmt, header_record, ip4, ip6, opaque,
                          ipv4, ipv6, sampled_ipv4, sampled_ipv6, switch_record, tcp,
                          timestamp_record, u32, udp, v24_counters, v24_datagram, v24_flow,
                          v24_header, v24_ipv4, v24_ipv6, v5_datagram)



def agent_address(text):
    """A datagram's agent address field for an IPv4 or IPv6 literal."""
    return address(ip6(text) if ":" in text else ip4(text))


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


# ---- several agents ----

# (agent, first packet number): packet n = first + k, for k = 0 ingress on
# ifIndex 7 (input 7, output 3), 1 egress on ifIndex 3 (input 7, output 3),
# 2 undetermined on ifIndex 9 (input 1, output 2). Sampling rate 10 * n.
AGENTS = [("10.1.2.3", 1), ("10.9.9.9", 4), ("2001:db8::7", 7)]


def agents():
    out = []
    for agent, first in AGENTS:
        samples = []
        for k, (source, input_if, output_if) in enumerate([(7, 7, 3), (3, 7, 3), (9, 1, 2)]):
            n = first + k
            samples.append(flow_sample([header_record(1, 64, 4, eth_udp(n))], sequence=1,
                                       source=source, input_if=input_if, output_if=output_if,
                                       sampling_rate=10 * n))
        out.append(v5_datagram(samples, agent=agent_address(agent)))
    return out


# ---- the loss books ----

# Two agents with two sub-agents each, one flow sample per datagram (data
# source = 1 + sub-agent; packet n goes to port 2000 + n, n counting the
# datagrams built). Per stream:
#   10.1.2.3/0  datagrams 1-20: 5 lost, 8 late (after 10), 12 twice, drops
#               0 -> 2 at 15
#   10.1.2.3/1  datagrams 1-10: the sample sequence jumps 5 -> 9 at 6 with
#               no datagram missing (3 samples lost)
#   10.1.2.4/0  datagrams 1-10 (uptime minutes, drops 5 -> 7), then a
#               restart: 1, 2, (3 lost), 4, 5 with uptime from 0.5 s, drops
#               0 -> 3
#   10.1.2.4/1  datagrams 1-10 with the uptime wrapping through zero at 6
# So: 54 packets (19 + 1 duplicate, 10, 10 + 4, 10), 5 samples lost (1 + 3 +
# 1; the late one takes its own back), 7 dropped by the agents (2 + 2 + 3),
# 1 restart, 1 late datagram, 1 duplicate.
BOOKS_MINUTES = 10 * 60000


def books():
    events = []     # (agent, sub, sequence, uptime, sample sequence, drops)
    a0 = [("10.1.2.3", 0, i, BOOKS_MINUTES + 100 * i, i, 0 if i < 15 else 2)
          for i in range(1, 21)]
    order = [e for e in a0 if e[2] not in (5, 8)]
    order.insert(order.index(a0[9]) + 1, a0[7])          # 8 after 10
    order.insert(order.index(a0[11]) + 1, a0[11])        # 12 twice
    a1 = [("10.1.2.3", 1, i, BOOKS_MINUTES + 100 * i, i if i < 6 else i + 3, 0)
          for i in range(1, 11)]
    b0 = [("10.1.2.4", 0, i, BOOKS_MINUTES + 100 * i, i, 5 if i < 10 else 7)
          for i in range(1, 11)]
    b0 += [("10.1.2.4", 0, i, 400 + 100 * i, i, 0 if i < 5 else 3) for i in (1, 2, 4, 5)]
    b1 = [("10.1.2.4", 1, i, (0xFFFFFFFF - 450 + 100 * i) & 0xFFFFFFFF, i, 0)
          for i in range(1, 11)]
    # Interleave the streams as agents would.
    streams = [order, a1, b0, b1]
    while any(streams):
        for stream in streams:
            if stream:
                events.append(stream.pop(0))
    out = []
    for n, (agent, sub, sequence, uptime, sample_sequence, drops) in enumerate(events, 1):
        sample = flow_sample([header_record(1, 64, 4, eth_udp(n % 120 + 1))],
                             sequence=sample_sequence, source=1 + sub, input_if=1 + sub,
                             output_if=9, drops=drops)
        out.append(v5_datagram([sample], sequence=sequence, agent=agent_address(agent), sub_agent=sub,
                               uptime=uptime))
    return out


def garbage():
    """Not sFlow at all: forwarded all the same, counted malformed."""
    return [b"\x00\x00\x00\x05not sflow", b"\xff" * 3]


SCENARIOS = {"mix": mix, "v4": v4, "v2": v2, "agents": agents, "garbage": garbage,
             "books": books}


def queued(port):
    """Bytes waiting in the UDP sockets bound to local PORT (/proc/net/udp*)."""
    total = 0
    for table in ("/proc/net/udp", "/proc/net/udp6"):
        try:
            lines = open(table).read().splitlines()[1:]
        except OSError:
            continue
        for line in lines:
            fields = line.split()
            if int(fields[1].rsplit(":", 1)[1], 16) == port:
                total += int(fields[4].split(":")[1], 16)
    return total


def wait_for_room(port, deadline_seconds=60):
    """Flow control for long feeds: waits until the receiver on PORT has
    taken every datagram sent so far (its socket is empty), however long
    a busy machine makes that, so that the next ones cannot overflow it.
    Gives up (and sends on) after DEADLINE_SECONDS: a receiver that is
    gone or stuck then fails the test by what it did not receive."""
    end = time.monotonic() + deadline_seconds
    while queued(port) > 0 and time.monotonic() < end:
        time.sleep(0.0005)


def main():
    if len(sys.argv) not in (3, 4) or sys.argv[1] not in SCENARIOS:
        sys.exit(__doc__)
    port = int(sys.argv[2])
    host = sys.argv[3] if len(sys.argv) == 4 else "127.0.0.1"
    if host not in ("127.0.0.1", "::1"):
        sys.exit("sflow_datagrams.py: tests send to 127.0.0.1 or ::1 only")
    sock = socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET, socket.SOCK_DGRAM)
    # SFLOW_DATAGRAMS_LOG=FILE: each datagram sent, in hex, a line each.
    log = os.environ.get("SFLOW_DATAGRAMS_LOG")
    log = open(log, "a") if log else None
    for datagram in SCENARIOS[sys.argv[1]]():
        if log:
            log.write(datagram.hex() + "\n")
        try:
            sock.sendto(datagram, (host, port))
        except ConnectionRefusedError:
            pass    # an earlier datagram found no listener: tests count what arrived
        # Loopback keeps the order; waiting for the receiver to take each
        # one keeps its socket from overflowing, however busy the machine.
        wait_for_room(port)


if __name__ == "__main__":
    main()
