#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
"""A collector stand-in for the forwarding tests: binds HOST:PORT (127.0.0.1
or ::1 only) and writes each datagram it receives, in hex, a line each, to
FILE, until it is stopped (SIGTERM). FILE.ready appears once it listens.

usage: udp_listen.py HOST PORT FILE
"""
import socket
import sys


def main():
    if len(sys.argv) != 4 or sys.argv[1] not in ("127.0.0.1", "::1"):
        sys.exit(__doc__)
    host, port, path = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    sock = socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET, socket.SOCK_DGRAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4 << 20)
    sock.bind((host, port))
    with open(path + ".ready", "w"):
        pass
    with open(path, "w") as out:
        for _ in range(100000):         # bounded
            data = sock.recv(65536)
            out.write(data.hex() + "\n")
            out.flush()


if __name__ == "__main__":
    main()
