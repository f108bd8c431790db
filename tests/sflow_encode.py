# SPDX-License-Identifier: BSD-3-Clause
"""The one sFlow and packet encoder of the Python test generators
(sflow_datagrams.py, malformed_datagrams.py, make_corpus.py through it,
make_packets.py): XDR, sFlow v5 (sFlow version 5 specification) and v2 / v4
(RFC 3176) structures field by field, and the packets they sample. Every
field is an argument, so each generator states its own values; defaults are
the values most of them use.
"""
import socket
import struct

# ---- XDR: big-endian 32-bit words, opaque bytes padded with zeros to 4 ----


def u32(*values):
    return b"".join(struct.pack("!I", v & 0xFFFFFFFF) for v in values)


def u64(value):
    return struct.pack("!Q", value)


def opaque(data):
    return u32(len(data)) + data + bytes(-len(data) % 4)


def set_u32(data, at, value):
    """data with the word at offset at replaced: for corrupting a field."""
    return data[:at] + u32(value) + data[at + 4:]


def fmt(enterprise, number):
    """A v5 data_format: enterprise in the top 20 bits, format in the low 12."""
    return enterprise << 12 | number


def element(data_format, body, padding=0):
    """A v5 sample or record: data_format, then the body as an opaque;
    padding adds zero bytes past the structure, as some agents do."""
    return u32(data_format) + opaque(body + bytes(padding))


# ---- Addresses ----


def ip4(text):
    return bytes(int(x) for x in text.split("."))


def ip6(text):
    return socket.inet_pton(socket.AF_INET6, text)


def address(raw):
    """An sFlow address: type 1 (IPv4) or 2 (IPv6), then the bytes."""
    return u32(1 if len(raw) == 4 else 2) + raw


# ---- Packets ----


def checksum(data):
    """The Internet checksum (RFC 1071), of an odd length as if padded."""
    if len(data) % 2:
        data += b"\0"
    total = sum(struct.unpack("!%dH" % (len(data) // 2), data))
    while total >> 16:
        total = (total & 0xFFFF) + (total >> 16)
    return ~total & 0xFFFF


DST_MAC, SRC_MAC = bytes.fromhex("020000000002"), bytes.fromhex("020000000001")


def ethernet(ethertype, payload, vlan=None, dst=DST_MAC, src=SRC_MAC):
    tag = struct.pack("!HH", 0x8100, vlan) if vlan is not None else b""
    return dst + src + tag + struct.pack("!H", ethertype) + payload


def ipv4(protocol, src, dst, payload, ident=0, flags=0, ttl=64):
    """An IPv4 header (no options, checksum filled in) and its payload;
    src and dst are 4 bytes."""
    header = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(payload), ident, flags, ttl,
                         protocol, 0, bytes(src), bytes(dst))
    return header[:10] + struct.pack("!H", checksum(header)) + header[12:] + payload


def ipv6(next_header, src, dst, payload, hop_limit=64):
    return struct.pack("!IHBB16s16s", 0x60000000, len(payload), next_header, hop_limit,
                       bytes(src), bytes(dst)) + payload


def udp(sport, dport, payload):
    """A UDP header with checksum 0 (none), and its payload."""
    return struct.pack("!HHHH", sport, dport, 8 + len(payload), 0) + payload


def tcp(sport, dport, flags, seq, ack=0, window=65535, payload=b""):
    return struct.pack("!HHIIBBHHH", sport, dport, seq, ack, 5 << 4, flags, window, 0, 0) + payload


# ---- sFlow v5 ----


def v5_datagram(samples, agent=address(ip4("192.0.2.1")), sub_agent=0, sequence=1,
                uptime=1000, trailer=b""):
    """agent is an encoded address (address()), or any bytes to test others."""
    return (u32(5) + agent + u32(sub_agent, sequence, uptime, len(samples)) + b"".join(samples) +
            trailer)


def flow_sample(records, sequence=1, source=3, sampling_rate=1, pool=100, drops=0, input_if=3,
                output_if=4, padding=0):
    """format 1: source_id (type << 24 | index) and interfaces packed."""
    return element(fmt(0, 1), u32(sequence, source, sampling_rate, pool, drops, input_if,
                                  output_if, len(records)) + b"".join(records), padding)


def expanded_flow_sample(records, sequence=1, source_type=0, source_index=3, sampling_rate=1,
                         pool=100, drops=0, input_if=3, output_if=4):
    """format 3: source_id and interfaces expanded, formats 0."""
    return element(fmt(0, 3), u32(sequence, source_type, source_index, sampling_rate, pool,
                                  drops, 0, input_if, 0, output_if, len(records)) +
                   b"".join(records))


def discard_sample(records, sequence=1, source_type=0, source_index=3, drops=0, input_if=3,
                   output_if=0, reason=259):
    """format 5: a dropped packet notification."""
    return element(fmt(0, 5), u32(sequence, source_type, source_index, drops, input_if,
                                  output_if, reason, len(records)) + b"".join(records))


def counters_sample(records, sequence=1, source=3):
    """format 2; records are counter records (element())."""
    return element(fmt(0, 2), u32(sequence, source, len(records)) + b"".join(records))


def header_record(protocol, frame_length, stripped, header):
    """sampled_header (format 1)."""
    return element(fmt(0, 1), u32(protocol, frame_length, stripped) + opaque(header))


def sampled_ipv4(length, protocol, src, dst, sport, dport, flags, tos):
    """sampled_ipv4 (format 3); src and dst as text."""
    return element(fmt(0, 3), u32(length, protocol) + ip4(src) + ip4(dst) +
                   u32(sport, dport, flags, tos))


def sampled_ipv6(length, protocol, src, dst, sport, dport, flags, priority):
    """sampled_ipv6 (format 4); src and dst as text."""
    return element(fmt(0, 4), u32(length, protocol) + ip6(src) + ip6(dst) +
                   u32(sport, dport, flags, priority))


def switch_record(src_vlan, src_priority, dst_vlan, dst_priority, padding=0):
    """extended_switch (format 1001)."""
    return element(fmt(0, 1001), u32(src_vlan, src_priority, dst_vlan, dst_priority), padding)


def router_record(next_hop, src_mask, dst_mask):
    """extended_router (format 1002); next_hop an encoded address."""
    return element(fmt(0, 1002), next_hop + u32(src_mask, dst_mask))


def timestamp_record(nanoseconds):
    """The agent's time stamp (format 1043), nanoseconds since the epoch."""
    return element(fmt(0, 1043), u64(nanoseconds))


# ---- sFlow v2 / v4 (RFC 3176): bare tags, no lengths ----


def v24_datagram(version, samples, agent=address(ip4("192.0.2.2")), sequence=1, uptime=1000):
    return u32(version) + agent + u32(sequence, uptime, len(samples)) + b"".join(samples)


def v24_flow(packet, extended, sequence=1, source=3, sampling_rate=1, pool=100, drops=0,
             input_if=3, output_if=4):
    """A flow sample (tag 1): packet is v24_header / v24_ipv4 / v24_ipv6,
    extended a list of extended records (tag and fields)."""
    return (u32(1, sequence, source, sampling_rate, pool, drops, input_if, output_if) + packet +
            u32(len(extended)) + b"".join(extended))


def v24_header(protocol, frame_length, header):
    """Packet data type 1: a sampled header."""
    return u32(1, protocol, frame_length) + opaque(header)


def v24_ipv4(length, protocol, src, dst, sport, dport, flags, tos):
    return u32(2, length, protocol) + ip4(src) + ip4(dst) + u32(sport, dport, flags, tos)


def v24_ipv6(length, protocol, src, dst, sport, dport, flags, priority):
    return u32(3, length, protocol) + ip6(src) + ip6(dst) + u32(sport, dport, flags, priority)


def v24_counters(counters_type, body, sequence=1, source=3, interval=20):
    """A counters sample (tag 2) of counters_type with its body."""
    return u32(2, sequence, source, interval, counters_type) + body


def v24_switch(src_vlan, src_priority, dst_vlan, dst_priority):
    """Extended type 1: switch."""
    return u32(1, src_vlan, src_priority, dst_vlan, dst_priority)


def v24_router(next_hop, src_mask, dst_mask):
    """Extended type 2: router; next_hop an encoded address."""
    return u32(2) + next_hop + u32(src_mask, dst_mask)
