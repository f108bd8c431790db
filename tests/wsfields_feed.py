#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
"""The feed of tests/e2e_wsfields.sh: several agents (IPv4 and IPv6, two
that share a prefix of text, 10.1.2.3 and 10.1.2.30), sub-agents, ports
(7 beside 70 and 31), data source classes, directions, interface formats,
sampling rates and frame lengths; and a feed of discard samples.

usage: wsfields_feed.py send FEED PORT   sends FEED (flows, discards) to 127.0.0.1:PORT
       wsfields_feed.py expect FEED      prints what each packet must show, a line each:
  n agent sub_agent class index in out in_format out_format direction rate wire_length
  interface_name discard_reason (tab-separated; "-" when none)

The expectations come from the values encoded and the specifications, not
from any decoder: the wire length of an Ethernet sample is its
frame_length less the 4 bytes of FCS sFlow counts in it; the direction is
the module's rule (data source index = input: in, = output: out).
"""
import socket
import sys

from sflow_datagrams import agent_address, udp4, wait_for_room
from sflow_encode import (discard_sample, ethernet, expanded_flow_sample, flow_sample,
                          header_record, v5_datagram)

FORMAT_SHIFT = 30

# (agent, sub_agent, [(kind, class, index, in, out, in_format, out_format, rate, frame_length,
#   reason)]) in the order sent; kind "flow", "expanded" or "discard".
FLOWS = [
    ("10.1.2.3", 0, [
        ("flow", 0, 7, 7, 3, 0, 0, 1000, 1518, None),
        ("flow", 0, 3, 7, 3, 0, 0, 1000, 68, None),
        ("flow", 0, 70, 70, 7, 0, 0, 2048, 594, None),
        ("flow", 0, 7, 7, 31, 0, 0, 1000, 1004, None),
        ("flow", 0, 31, 31, 7, 0, 0, 1, 104, None),
    ]),
    ("10.1.2.3", 1, [
        ("expanded", 0, 7, 7, 9, 0, 0, 4096, 1522, None),
        ("flow", 1, 10, 5, 6, 0, 0, 512, 304, None),
    ]),
    ("10.1.2.30", 0, [
        ("flow", 0, 7, 7, 3, 0, 0, 100, 404, None),
        ("flow", 0, 3, 7, 3, 0, 0, 100, 132, None),
    ]),
    ("10.9.9.9", 0, [
        ("flow", 0, 7, 7, 3, 0, 0, 100000, 1518, None),
        ("flow", 0, 2, 1, 3, 0, 0, 10, 81, None),
        ("flow", 0, 7, 7, 3, 0, 2, 20, 154, None),            # sent to 3 interfaces
        ("flow", 0, 3, 0x3FFFFFFF, 3, 0, 0, 20, 84, None),    # from the device itself
        ("flow", 0, 7, 7, 260, 0, 1, 10, 104, 260),          # discarded: red
    ]),
    ("192.168.5.5", 0, [
        ("flow", 0, 7, 7, 3, 0, 0, 50, 1518, None),
    ]),
    ("2001:db8::7", 0, [
        ("flow", 0, 7, 7, 3, 0, 0, 256, 1284, None),
        ("flow", 0, 3, 7, 3, 0, 0, 256, 94, None),
    ]),
    # Later: a port seen before, then a new one mid-stream; the last packet
    # matches agent 10.1.2.3 ifIndex 7, so a live filter on it ends with it.
    ("10.1.2.3", 0, [
        ("flow", 0, 99, 99, 0, 0, 0, 8, 64, None),
        ("flow", 0, 7, 7, 3, 0, 0, 1000, 204, None),
    ]),
]

DISCARDS = [
    ("10.1.2.3", 0, [
        ("discard", 0, 7, 7, 0, 0, 0, 0, 1518, 258),     # acl
        ("discard", 0, 7, 7, 0, 0, 0, 0, 68, 259),       # no_buffer_space
        ("discard", 0, 3, 7, 3, 0, 0, 0, 104, 264),      # vlan_tag_mismatch
        ("discard", 0, 7, 7, 0, 0, 0, 0, 84, 6),         # dst_net_unknown
        ("discard", 0, 7, 7, 0, 0, 0, 0, 84, 303),       # split_horizon
        ("discard", 0, 7, 7, 0, 0, 0, 0, 84, 999),       # no name
    ]),
]

FEEDS = {"flows": FLOWS, "discards": DISCARDS}


def packets(feed):
    """(n, agent, sub_agent, sample tuple) in the order delivered."""
    n = 0
    for agent, sub_agent, samples in feed:
        for sample in samples:
            n += 1
            yield n, agent, sub_agent, sample


def datagrams(feed):
    out, n = [], 0
    for sequence, (agent, sub_agent, samples) in enumerate(feed, 1):
        encoded = []
        for kind, cls, index, input_if, output_if, in_format, out_format, rate, length, reason \
                in samples:
            n += 1
            header = ethernet(0x0800, udp4("10.0.%d.1" % n, "10.0.%d.2" % n, 1000 + n, 2000 + n))
            records = [header_record(1, length, 4, header)]
            if kind == "flow":
                encoded.append(flow_sample(
                    records, sequence=n, source=cls << 24 | index, sampling_rate=rate,
                    pool=rate * n, input_if=in_format << FORMAT_SHIFT | input_if,
                    output_if=out_format << FORMAT_SHIFT | output_if))
            elif kind == "expanded":
                encoded.append(expanded_flow_sample(
                    records, sequence=n, source_type=cls, source_index=index, sampling_rate=rate,
                    pool=rate * n, input_if=input_if, output_if=output_if))
            else:
                encoded.append(discard_sample(records, sequence=n, source_type=cls,
                                              source_index=index, drops=n, input_if=input_if,
                                              output_if=output_if, reason=reason))
        out.append(v5_datagram(encoded, agent=agent_address(agent), sub_agent=sub_agent,
                               sequence=sequence))
    return out


def interface_name(agent, sub_agent, cls, index):
    text = "[%s]" % agent if ":" in agent else agent
    if sub_agent:
        text += "#%d" % sub_agent
    source = {0: "%d", 1: "vlan%d", 2: "entity%d", 3: "logical%d"}[cls] % index
    return "%s:%s" % (text, source)


def expect(feed):
    for n, agent, sub_agent, (kind, cls, index, input_if, output_if, in_format, out_format,
                              rate, length, reason) in packets(feed):
        direction = "in" if index == input_if else "out" if index == output_if else "unknown"
        fields = [n, agent, sub_agent, cls, index, input_if, output_if, in_format, out_format,
                  direction, rate, length - 4, interface_name(agent, sub_agent, cls, index),
                  "-" if reason is None else reason]
        print("\t".join(str(f) for f in fields))


def main():
    if len(sys.argv) == 3 and sys.argv[1] == "expect" and sys.argv[2] in FEEDS:
        expect(FEEDS[sys.argv[2]])
    elif len(sys.argv) == 4 and sys.argv[1] == "send" and sys.argv[2] in FEEDS:
        sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        for datagram in datagrams(FEEDS[sys.argv[2]]):
            sock.sendto(datagram, ("127.0.0.1", int(sys.argv[3])))
            wait_for_room(int(sys.argv[3]))
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main()
