#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
"""Writes the fuzzers' seed corpus (committed; rerun after changing the
datagrams in malformed_datagrams.py):

  tests/corpus/decode/  valid datagrams of every version and kind, odd but
                        valid ones, every malformed case of e2e_malformed.sh,
                        and the UDP payloads of the real captures (the seeds
                        of fuzz_decode and of fuzz_framing)
  tests/corpus/device/  device names, good and bad
  tests/corpus/udp_extract/  frames of every link type sflow_pcaps.py
                        writes (fuzz_udp_extract: a link type byte, an
                        address byte, then the frame)

usage: make_corpus.py [CAPTURES_DIR]   (default ../shared/captures from the
                                        source tree; skipped when absent)
"""
import glob
import hashlib
import os
import re
import shutil
import struct
import sys

import malformed_datagrams as sflow

TESTS = os.path.dirname(os.path.abspath(__file__))

DEVICE_NAMES = [
    "sflow", "sflow:6343", "sflow:1", "sflow:65535", "sflow:06343", "sflow:6343,",
    "sflow,", "sflow:6343,,", "sflow:6343,unknown", "sflow,unknown,other",
    "sflow:6343,drops", "sflow,synth", "sflow:6343,vlan,drops,synth", "sflow:6343,drops,drops",
    "sflow:6343,drop", "sflow,dropsx",
    "sflowx", "sflow:", "sflow:0", "sflow:65536", "sflow:99999", "sflow:123456",
    "sflow:-1", "sflow:+80", "sflow: 80", "sflow:0x50", "sflow:6343:6344", "sflow;6343",
    "sFlow:6343", "eth0", "any", "", "s", "sflo", "sflow:6343,\n", "sflow:%s%n",
    "sflow:6343," + "o" * 300, "sflow:" + "9" * 300,
    "sflow:127.0.0.1:6343", "sflow:[::1]:6343", "sflow:[::]:6343,agent=10.0.0.0/8",
    "sflow:[::1", "sflow:[::1]", "sflow:[::1]:", "sflow:1.2.3.4", "sflow:::1:80",
    "sflow,agent=10.1.2.3,agent=2001:db8::/32", "sflow,agent=10.0.0.0/33", "sflow,agent=/8",
    "sflow,ifindex=7,ifindex=8", "sflow,ifindex=16777216", "sflow,ifindex=",
    "sflow:6343,sniff=eth0", "sflow:10.0.0.5:6343,sniff=any", "sflow,file=-",
    "sflow,file=feed.pcap,vlan", "sflow,sniff=", "sflow,file=", "sflow,sniff=lo,file=x",
    "sflow,sniff=" + "e" * 80,
    "sflow,dir=in", "sflow,dir=out", "sflow,dir=in,dir=out", "sflow,dir=",
    "sflow,forward=127.0.0.1:6343,forward=[::1]:6344", "sflow,forward=127.0.0.1",
    "sflow,forward=[::1]", "sflow,forward=[::1]:0", "sflow,=", "sflow,agent",
    "sflow" + ",agent=10.0.0.1" * 40, "sflow" + ",forward=127.0.0.1:1" * 9,
]


def payloads(path):
    """UDP payloads (per the UDP length) of an Ethernet pcap."""
    data = open(path, "rb").read()
    endian = "<" if data[:4] in (b"\xd4\xc3\xb2\xa1", b"\x4d\x3c\xb2\xa1") else ">"
    if struct.unpack(endian + "I", data[20:24])[0] != 1:
        return
    at = 24
    while at + 16 <= len(data):
        captured = struct.unpack(endian + "I", data[at + 8:at + 12])[0]
        packet = data[at + 16:at + 16 + captured]
        at += 16 + captured
        offset, ethertype = 14, struct.unpack("!H", packet[12:14])[0]
        while ethertype in (0x8100, 0x88A8):
            ethertype = struct.unpack("!H", packet[offset + 2:offset + 4])[0]
            offset += 4
        if ethertype == 0x0800 and packet[offset + 9] == 17:
            udp = offset + (packet[offset] & 0x0F) * 4
        elif ethertype == 0x86DD and packet[offset + 6] == 17:
            udp = offset + 40
        else:
            continue
        length = struct.unpack("!H", packet[udp + 4:udp + 6])[0]
        if length >= 8:
            yield packet[udp + 8:udp + length]


# fuzz_udp_extract's link types, in its order.
FUZZ_LINKTYPES = [1, 113, 276, 12, 101, 228, 229, 0, 108, 105]


def frames(path):
    """(link type, frame) of each record of a pcap written by sflow_pcaps.py."""
    data = open(path, "rb").read()
    linktype = struct.unpack("<I", data[20:24])[0]
    offset = 24
    while offset + 16 <= len(data):
        caplen = struct.unpack("<I", data[offset + 8:offset + 12])[0]
        yield linktype, data[offset + 16:offset + 16 + caplen]
        offset += 16 + caplen


def udp_extract_seeds(directory):
    import subprocess
    import tempfile
    script = os.path.join(TESTS, "sflow_pcaps.py")
    with tempfile.TemporaryDirectory() as work:
        runs = [("linktype", link) for link in ("en10mb", "vlan", "qinq", "sll", "sll2", "raw",
                                                 "ipv4", "ipv6", "null", "loop", "en10mb6")]
        runs += [(scenario,) for scenario in ("fragments", "badsum", "nosflow")]
        for run in runs:
            path = os.path.join(work, "-".join(run) + ".pcap")
            subprocess.run([sys.executable, script, *run, path], check=True)
            for i, (linktype, frame) in enumerate(frames(path)):
                index = FUZZ_LINKTYPES.index(linktype)
                write(directory, "frame-%s-%d" % ("-".join(run), i), bytes([index, 0]) + frame)


def reassembly_seeds(directory):
    """fuzz_udp_extract's reassembly mode: (id, flags, offset, length,
    bytes) records; flags bit 0 more, bit 1 offset in units of 8."""
    piece = lambda ident, more, offset, data: struct.pack("!BBHH", ident, more | 2, offset,
                                                          len(data)) + data
    body = bytes(range(200))
    seeds = {
        "inorder": piece(1, 1, 0, body[:96]) + piece(1, 0, 12, body[96:]),
        "reversed": piece(1, 0, 12, body[96:]) + piece(1, 1, 0, body[:96]),
        "overlap": piece(1, 1, 0, body[:104]) + piece(1, 1, 8, body[64:128]) +
                   piece(1, 0, 16, body[128:]),
        "evict": b"".join(piece(i, 1, 0, body[:64]) for i in range(6)),
        "odd": piece(2, 1, 0, body[:13]) + piece(2, 0, 2, body[16:40]),
        "far": piece(3, 1, 8190, body[:64]),
    }
    for name, data in seeds.items():
        write(directory, "reassembly-" + name, b"\x80" + data)


def write(directory, name, data):
    with open(os.path.join(directory, re.sub(r"[^A-Za-z0-9_.-]", "_", name)), "wb") as f:
        f.write(data)


def main():
    captures = sys.argv[1] if len(sys.argv) > 1 else os.path.join(TESTS, "..", "..", "shared",
                                                                  "captures")
    decode = os.path.join(TESTS, "corpus", "decode")
    device = os.path.join(TESTS, "corpus", "device")
    udp_extract = os.path.join(TESTS, "corpus", "udp_extract")
    for directory in (decode, device, udp_extract):
        shutil.rmtree(directory, ignore_errors=True)
        os.makedirs(directory)

    for name, cases in sflow.classes().items():
        for case, data, malformed, _ in cases:
            prefix = "malformed" if malformed else "ok"
            write(decode, "%s-%s-%s" % (prefix, name, case), data)
    for i in range(3):
        write(decode, "ok-marker-%d" % i, sflow.marker(10000 + i))
    for path in sorted(glob.glob(os.path.join(captures, "*.pcap"))):
        base = os.path.basename(path)[:-len(".pcap")]
        for i, payload in enumerate(payloads(path)):
            write(decode, "capture-%s-%02d" % (base, i), payload)

    for name in DEVICE_NAMES:     # named by content, so adding one renames none
        digest = hashlib.sha1(name.encode()).hexdigest()[:8]
        write(device, "name-%s-%s" % (name[:24] or "empty", digest), name.encode())
    udp_extract_seeds(udp_extract)
    reassembly_seeds(udp_extract)
    print("%d decode seeds, %d device seeds, %d udp_extract seeds" % (
        len(os.listdir(decode)), len(os.listdir(device)), len(os.listdir(udp_extract))))


if __name__ == "__main__":
    main()
