# SPDX-License-Identifier: BSD-3-Clause
"""Feeds for the loss books at scale (tests/e2e_books_scale.sh), sent to
127.0.0.1:PORT (or ::1), paced, each printing what the books must say.

  books_feed.py subnet PORT   4,000 IPv4 agents of 10.20.0.0/20 and 500
                              IPv6 agents of 2001:db8:0:20::/64, each with
                              two data sources losing 3 and 1 samples
  books_feed.py flood PORT    a real agent (10.30.0.1, ifIndex 7) sending a
                              datagram a second, 3 samples lost between
                              each, beside 300,000 one-datagram agents
                              (ifIndex 3) at 50,000 a second
  books_feed.py leap PORT     a forged agent whose sample sequence number
                              leaps by 2^31 - 2 four times, beside a real
                              agent losing 2 samples

Each prints "key value" lines on standard output: samples (sequence
numbers the agents used: captured + dropped), lost (those never sent),
datagrams (sent).
"""
import socket
import struct
import sys
import time

from sflow_encode import (address, element, flow_sample, fmt, header_record, ip4, ip6,
                          v5_datagram)
from sflow_datagrams import eth_udp, wait_for_room

PACKET = header_record(1, 64, 4, eth_udp(1))


def sample(sequence, source, drops=0):
    return flow_sample([PACKET], sequence=sequence, source=source, input_if=source,
                       drops=drops)


def sender(port, family=socket.AF_INET):
    sock = socket.socket(family, socket.SOCK_DGRAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, 1 << 20)
    target = ("127.0.0.1" if family == socket.AF_INET else "::1", port)
    return lambda datagram: sock.sendto(datagram, target)


def paced(send, datagrams, per_second):
    """Sends datagrams at about per_second, in bursts every 10 ms."""
    burst = max(1, per_second // 100)
    start = time.monotonic()
    for n, datagram in enumerate(datagrams):
        if n % burst == 0:
            due = start + n / per_second
            delay = due - time.monotonic()
            if delay > 0:
                time.sleep(delay)
        send(datagram)


def report(**values):
    for key, value in values.items():
        print(key, value)


def subnet(port):
    ipv4 = [address(ip4("10.20.%d.%d" % (n >> 8, n & 255))) for n in range(1, 4001)]
    ipv6 = [address(ip6("2001:db8:0:20::%x" % n)) for n in range(1, 501)]
    agents = ipv4 + ipv6
    # Source 1: sample sequence 1, 2, (3 lost with datagram 3), 4, 7 (5
    # and 6 lost: a jump); source 2: 1, 2, (3), 4, 5.
    rounds = {1: (1, 1), 2: (2, 2), 4: (4, 4), 5: (7, 5)}
    send = sender(port)
    sent = 0
    for sequence, (first, second) in rounds.items():
        datagrams = [v5_datagram([sample(first, 1), sample(second, 2)], agent=agent,
                                 sequence=sequence, uptime=1000 + sequence) for agent in agents]
        if sequence == 5:
            # A datagram lost at the very end would hide its loss: the
            # last round goes once the receiver has taken the rest, slowly.
            wait_for_room(port)
        paced(send, datagrams, 2000 if sequence == 5 else 10000)
        sent += len(datagrams)
    report(samples=len(agents) * (7 + 5), lost=len(agents) * (3 + 1), datagrams=sent,
           agents=len(agents))


def unique_agents(count):
    """count agents, all different and none 10.30.0.1: IPv4 by an odd
    multiplier (a bijection of 32-bit numbers), IPv6 by two of them."""
    for n in range(1, count + 1):
        if n % 2:
            word = (n * 2654435761) & 0xFFFFFFFF
            if word == 0x0A1E0001:
                word ^= 1
            yield address(struct.pack("!I", word))
        else:
            high = (n * 0x9E3779B97F4A7C15) & 0xFFFFFFFFFFFFFFFF
            yield address(b"\x20\x01\x0d\xb8" + struct.pack("!IQ", n, high))


def flood(port):
    real = address(ip4("10.30.0.1"))
    send = sender(port)
    flood_total, flood_rate, real_datagrams = 300000, 50000, 10
    sequence = 0

    def real_datagram(n):
        nonlocal sequence
        sequence += 4       # 3 lost before each but the first
        return v5_datagram([sample(sequence, 7)], agent=real, sequence=n,
                           uptime=1000 * n)

    # Two datagrams a second apart establish the agent; then the flood,
    # with the real agent's datagrams every second among it; the last
    # after it.
    send(real_datagram(1))
    time.sleep(1)
    send(real_datagram(2))
    template = v5_datagram([sample(1, 3)], agent=address(ip4("0.0.0.0")), uptime=5000)
    start = time.monotonic()
    next_real = start + 0.5
    n = 3
    burst = flood_rate // 100
    agents = unique_agents(flood_total)
    sent = 0
    while sent < flood_total:
        due = start + sent / flood_rate
        delay = due - time.monotonic()
        if delay > 0:
            time.sleep(delay)
        for _ in range(min(burst, flood_total - sent)):
            agent = next(agents)
            # The template's IPv4 agent (type, 4 bytes) replaced by this one.
            send(template[:4] + agent + template[12:])
            sent += 1
        if time.monotonic() >= next_real and n < real_datagrams:
            send(real_datagram(n))
            n += 1
            next_real += 1
    # The last after a pause, so that it is not lost behind the flood (a
    # loss at the very end would not show).
    next_real = max(next_real, time.monotonic() + 1)
    while n <= real_datagrams:
        delay = next_real - time.monotonic()
        if delay > 0:
            time.sleep(delay)
        send(real_datagram(n))
        n += 1
        next_real += 1
    elapsed = time.monotonic() - start
    # Sample numbers from the first datagram's on: captured + dropped.
    lost = 3 * (real_datagrams - 1)
    report(samples=real_datagrams + lost, lost=lost, datagrams=real_datagrams,
           flood=flood_total, flood_seconds="%.1f" % elapsed)


def leap(port):
    send = sender(port)
    forged = address(ip4("10.66.0.1"))
    real = address(ip4("10.66.0.2"))
    # The forged agent: sample sequence 1, then four leaps of 2^31 - 2.
    sequences = [1]
    for _ in range(4):
        sequences.append((sequences[-1] + 0x7FFFFFFE) & 0xFFFFFFFF)
    for n, s in enumerate(sequences, 1):
        send(v5_datagram([sample(s, 5)], agent=forged, sequence=n, uptime=1000 + n))
    # The real agent: 1, 2, (3, 4 lost), 5.
    for n, s in enumerate([1, 2, 5], 1):
        send(v5_datagram([sample(s, 5)], agent=real, sequence=n, uptime=1000 + n))
    report(samples=len(sequences) + 5, lost=2, datagrams=len(sequences) + 3, leaps=4)


def saturate(port):
    """400 data sources, each losing 65,535 samples per datagram (the most
    one moment allows), over 166 datagrams: 4.35 billion lost, past what
    32 bits hold."""
    send = sender(port)
    agent = address(ip4("10.77.0.1"))
    sources, datagrams, step = 400, 166, 0x10000
    for n in range(datagrams):
        datagram = v5_datagram([sample(1 + n * step, source) for source in range(1, sources + 1)],
                               agent=agent, sequence=n + 1, uptime=1000 + n)
        send(datagram)
        # 12 KB datagrams: each waits until the receiver took the last.
        wait_for_room(port)
    lost = (datagrams - 1) * sources * (step - 1)
    report(samples=datagrams * sources + lost, lost=lost, datagrams=datagrams)


SCENARIOS = {"subnet": subnet, "flood": flood, "leap": leap, "saturate": saturate}


def main():
    if len(sys.argv) != 3 or sys.argv[1] not in SCENARIOS:
        sys.exit("usage: books_feed.py %s PORT" % "|".join(SCENARIOS))
    SCENARIOS[sys.argv[1]](int(sys.argv[2]))


if __name__ == "__main__":
    main()
