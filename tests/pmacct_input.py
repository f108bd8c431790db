#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
"""pmacct's sfprobe sends only full datagrams, so the last packets of a file
may never leave it: writes IN.pcap's packets followed by 40 filler frames
(UDP to port 9, 192.0.2.1 -> 192.0.2.2) that push them out.

usage: pmacct_input.py IN.pcap OUT.pcap
"""
import struct
import sys

from sflow_encode import ethernet, ip4, ipv4, udp


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    out = bytearray(open(sys.argv[1], "rb").read())
    for i in range(40):
        payload = udp(9999, 9, (b"filler-%08d" % i).ljust(16, b"\0"))
        frame = ethernet(0x0800, ipv4(17, ip4("192.0.2.1"), ip4("192.0.2.2"), payload, ident=i))
        out += struct.pack("<IIII", 1700001000 + i, 0, len(frame), len(frame)) + frame
    open(sys.argv[2], "wb").write(out)


if __name__ == "__main__":
    main()
