#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
"""A quiet feed: one datagram with one sample, then nothing; how long its
packet takes to come out (reported, never asserted: performance is for
make bench), and whether it comes out at all without more traffic.

usage: quiet_feed.py fifo FIFO PORT   reads the extcap's pcapng from FIFO
                                       (its header first), then sends
quiet_feed.py lines FILE PORT          sends, then watches FILE for a line
Prints "delivered MS" or "not delivered after 10 s".
"""
import os
import select
import socket
import struct
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from sflow_datagrams import eth_udp, flow_sample, header_record, v5_datagram  # noqa: E402

LIMIT = 10.0


def send(port):
    sample = flow_sample([header_record(1, 64, 4, eth_udp(1))], sequence=1)
    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    sock.sendto(v5_datagram([sample], sequence=1), ("127.0.0.1", port))
    return time.monotonic()


def read_exactly(fd, count, deadline):
    data = b""
    while len(data) < count:
        left = deadline - time.monotonic()
        if left <= 0 or not select.select([fd], [], [], left)[0]:
            return None
        chunk = os.read(fd, count - len(data))
        if not chunk:
            return None
        data += chunk
    return data


def next_block_type(fd, deadline):
    head = read_exactly(fd, 8, deadline)
    if head is None:
        return None
    block_type, length = struct.unpack("=II", head)
    if read_exactly(fd, length - 8, deadline) is None:
        return None
    return block_type


def from_fifo(path, port):
    fd = os.open(path, os.O_RDONLY)
    # The header goes out once the capture is open, the port bound.
    deadline = time.monotonic() + LIMIT
    if next_block_type(fd, deadline) != 0x0A0D0D0A or next_block_type(fd, deadline) != 1:
        return None
    sent = send(port)
    deadline = sent + LIMIT
    while True:
        block_type = next_block_type(fd, deadline)
        if block_type is None:
            return None
        if block_type == 6:             # an enhanced packet block
            return time.monotonic() - sent


def from_lines(path, port):
    sent = send(port)
    while time.monotonic() - sent < LIMIT:
        with open(path) as lines:
            if lines.read().endswith("\n"):
                return time.monotonic() - sent
        time.sleep(0.002)
    return None


def main():
    if len(sys.argv) != 4 or sys.argv[1] not in ("fifo", "lines"):
        sys.exit(__doc__)
    took = (from_fifo if sys.argv[1] == "fifo" else from_lines)(sys.argv[2], int(sys.argv[3]))
    print("not delivered after %d s" % LIMIT if took is None else "delivered %.1f" % (took * 1000))


if __name__ == "__main__":
    main()
