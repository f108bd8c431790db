#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
"""Prints one line per record of a pcap file: 'LEN CAPLEN HEXBYTES', so
tests can compare packets byte for byte without timestamps."""
import struct
import sys

data = open(sys.argv[1], "rb").read()
magic = struct.unpack("<I", data[:4])[0]
endian = "<" if magic in (0xA1B2C3D4, 0xA1B23C4D) else ">"
offset = 24
while offset + 16 <= len(data):
    _, _, caplen, length = struct.unpack(endian + "IIII", data[offset:offset + 16])
    print(length, caplen, data[offset + 16:offset + 16 + caplen].hex())
    offset += 16 + caplen
