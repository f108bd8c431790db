# SPDX-License-Identifier: BSD-3-Clause
# Captures COUNT packets from sflow:PORT with scapy through libpcap (ctypes),
# as a scapy user would, and compares their bytes with the first HEADER
# bytes of the packets of INPUT.pcap that were sent. Prints one line per
# finding; exit status 0 only when all COUNT packets match.
import os
import sys

from scapy.all import conf

conf.use_pcap = True
from scapy.all import RawPcapReader, sniff  # noqa: E402

port, count, header, input_file = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
print("listening", flush=True)
# The packets are sent once our socket is bound: the timeout only ends a
# wait for packets that will not come (tests/lib.sh's WAIT_SECONDS).
captured = sniff(iface="sflow:" + port, count=count,
                 timeout=int(os.environ.get("WAIT_SECONDS", "60")))
sent = [data for data, _ in RawPcapReader(input_file)]
print("captured %d" % len(captured))
# .original: the bytes as captured, not as scapy would rebuild them. Only
# the first caplen bytes count: scapy 2.5's libpcap reader copies `len`
# bytes (the wire length), not `caplen`, so what follows is not the packet.
same = sum(1 for got, want in zip(captured, sent)
           if got.original[:header] == want[:header])
print("identical %d" % same)
sys.exit(0 if len(captured) == count and same == count else 1)
