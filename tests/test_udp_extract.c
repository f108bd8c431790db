/* SPDX-License-Identifier: BSD-3-Clause */
/* Unit tests of the frame-to-datagram extractor (udp_extract.c): every
 * link type, VLAN tags, IPv4 and IPv6 with extension headers, the port and
 * address wanted, checksums, fragments, and frames cut anywhere. */
#include <pcap/dlt.h>
#include <stdlib.h>
#include <string.h>

#include "reassembly.h"
#include "tap.h"
#include "udp_extract.h"

#define PORT 6343
static const uint8_t agent4[4] = { 192, 0, 2, 1 }, collector4[4] = { 192, 0, 2, 9 };
static const uint8_t agent6[16] = { 0x20, 0x01, 0x0d, 0xb8, [15] = 1 };
static const uint8_t collector6[16] = { 0x20, 0x01, 0x0d, 0xb8, [15] = 9 };
static const uint8_t payload[] = "\0\0\0\5 an sFlow datagram stands here, 45 bytes";

static void put16(uint8_t *p, unsigned value)
{
	p[0] = (uint8_t)(value >> 8);
	p[1] = (uint8_t)value;
}

/* The Internet checksum, summed the plain way (RFC 1071) for comparison. */
static unsigned sum16(const uint8_t *bytes, size_t length, unsigned long sum)
{
	for (size_t i = 0; i + 1 < length; i += 2)
		sum += (unsigned)(bytes[i] << 8 | bytes[i + 1]);
	if (length % 2)
		sum += (unsigned)bytes[length - 1] << 8;
	while (sum >> 16)
		sum = (sum & 0xFFFF) + (sum >> 16);
	return (unsigned)sum;
}

/* A UDP segment to port with payload, its checksum over the pseudo-header
 * of the given addresses; returns its length. */
static size_t udp_segment(uint8_t *out, const uint8_t *src, const uint8_t *dst, size_t address,
			  uint16_t port)
{
	size_t length = 8 + sizeof payload;
	put16(out, 40000);
	put16(out + 2, port);
	put16(out + 4, (unsigned)length);
	put16(out + 6, 0);
	memcpy(out + 8, payload, sizeof payload);
	unsigned long pseudo = sum16(src, address, 0) + sum16(dst, address, 0) + 17 + length;
	unsigned sum = ~sum16(out, length, pseudo) & 0xFFFF;
	put16(out + 6, sum ? sum : 0xFFFF);
	return length;
}

static size_t ipv4_packet(uint8_t *out, uint16_t port, unsigned fragment)
{
	size_t segment = udp_segment(out + 20, agent4, collector4, 4, port);
	memset(out, 0, 20);
	out[0] = 0x45;
	put16(out + 2, (unsigned)(20 + segment));
	put16(out + 6, fragment);
	out[8] = 64;
	out[9] = 17;
	memcpy(out + 12, agent4, 4);
	memcpy(out + 16, collector4, 4);
	return 20 + segment;
}

/* IPv6 with the extension headers given (their next-header numbers), each
 * 8 bytes long, before UDP. */
static size_t ipv6_packet(uint8_t *out, const uint8_t *extensions, size_t count)
{
	size_t offset = 40;
	memset(out, 0, 40);
	out[0] = 0x60;
	out[6] = count ? extensions[0] : 17;
	out[7] = 64;
	memcpy(out + 8, agent6, 16);
	memcpy(out + 24, collector6, 16);
	for (size_t i = 0; i < count; i++) {
		memset(out + offset, 0, 8);
		out[offset] = i + 1 < count ? extensions[i + 1] : 17;
		offset += 8;
	}
	size_t segment = udp_segment(out + offset, agent6, collector6, 16, PORT);
	put16(out + 4, (unsigned)(offset - 40 + segment));
	return offset + segment;
}

static const struct sflow_udp_wanted any_address = { .port = PORT };

static enum sflow_udp_result extract(int linktype, const uint8_t *frame, size_t length,
				     const struct sflow_udp_wanted *wanted,
				     struct sflow_udp_datagram *datagram)
{
	/* A copy of exactly length bytes: a read past it is ASan's to see. */
	uint8_t *copy = malloc(length ? length : 1);
	memcpy(copy, frame, length);
	enum sflow_udp_result result = sflow_udp_extract(linktype, copy, length, wanted, datagram);
	if (result == SFLOW_UDP_DATAGRAM) {
		/* Point back into the caller's frame, so it can compare. */
		datagram->payload = frame + (datagram->payload - copy);
	}
	free(copy);
	return result;
}

static int is_payload(const struct sflow_udp_datagram *d)
{
	return d->length == sizeof payload && memcmp(d->payload, payload, sizeof payload) == 0 &&
	       !d->truncated;
}

static void link_types(void)
{
	uint8_t ip[200], frame[300];
	size_t ip_length = ipv4_packet(ip, PORT, 0);
	struct sflow_udp_datagram d;
	static const struct {
		const char *name;
		int linktype;
		uint8_t header[32];
		size_t header_length;
	} links[] = {
		{ "EN10MB", DLT_EN10MB, { [12] = 0x08, 0x00 }, 14 },
		{ "EN10MB 802.1Q", DLT_EN10MB, { [12] = 0x81, 0, 0, 42, 0x08, 0x00 }, 18 },
		{ "EN10MB QinQ", DLT_EN10MB, { [12] = 0x88, 0xA8, 0, 100, 0x81, 0, 0, 42, 0x08, 0 }, 22 },
		{ "LINUX_SLL", DLT_LINUX_SLL, { [14] = 0x08, 0x00 }, 16 },
		{ "LINUX_SLL2", DLT_LINUX_SLL2, { 0x08, 0x00 }, 20 },
		{ "RAW", DLT_RAW, { 0 }, 0 },
		{ "LINKTYPE_RAW 101", 101, { 0 }, 0 },
		{ "IPV4", DLT_IPV4, { 0 }, 0 },
		{ "NULL", DLT_NULL, { 2, 0, 0, 0 }, 4 },
		{ "LOOP", DLT_LOOP, { 0, 0, 0, 2 }, 4 },
	};
	for (size_t i = 0; i < sizeof links / sizeof links[0]; i++) {
		memcpy(frame, links[i].header, links[i].header_length);
		memcpy(frame + links[i].header_length, ip, ip_length);
		size_t length = links[i].header_length + ip_length;
		int result = extract(links[i].linktype, frame, length, &any_address, &d);
		tap_ok(result == SFLOW_UDP_DATAGRAM && is_payload(&d), "%s: the datagram",
		       links[i].name);
		tap_ok(d.origin.address.family == 4 && memcmp(d.origin.address.bytes, agent4, 4) == 0 &&
		       d.origin.port == 40000, "%s: its sender", links[i].name);
		/* Cut anywhere: never a read outside, never a datagram whole. */
		int bad = 0;
		for (size_t cut = 0; cut < length; cut++) {
			result = extract(links[i].linktype, frame, cut, &any_address, &d);
			if (result == SFLOW_UDP_DATAGRAM && (!d.truncated || d.length >= sizeof payload))
				bad++;
		}
		tap_eq(bad, 0, "%s: cut at every length, a datagram only marked truncated",
		       links[i].name);
	}
	tap_eq(extract(DLT_IEEE802_11, frame, 100, &any_address, &d), SFLOW_UDP_LINKTYPE,
	       "802.11: a link type it cannot read");
	tap_ok(!sflow_udp_linktype_supported(DLT_IEEE802_11) &&
	       sflow_udp_linktype_supported(DLT_LINUX_SLL2), "sflow_udp_linktype_supported");
	/* Five tags are more than any real frame has. */
	uint8_t tagged[300] = { 0 };
	for (int t = 0; t < 5; t++) {
		tagged[12 + 4 * t] = 0x81;
		tagged[15 + 4 * t] = 42;
	}
	tagged[32] = 0x08;
	memcpy(tagged + 34, ip, ip_length);
	tap_eq(extract(DLT_EN10MB, tagged, 34 + ip_length, &any_address, &d), SFLOW_UDP_OTHER,
	       "five VLAN tags: not read");
	frame[12] = 0x08;
	frame[13] = 0x06;       /* ARP */
	tap_eq(extract(DLT_EN10MB, frame, 14 + ip_length, &any_address, &d), SFLOW_UDP_OTHER,
	       "ARP: other");
}

static void ipv4_cases(void)
{
	uint8_t ip[300];
	struct sflow_udp_datagram d;
	size_t length = ipv4_packet(ip, PORT, 0);

	tap_eq(extract(DLT_RAW, ip, length, &any_address, &d), SFLOW_UDP_DATAGRAM, "IPv4: ours");
	/* Ethernet pads short frames: the IP length rules. */
	memset(ip + length, 0xEE, 20);
	tap_ok(extract(DLT_RAW, ip, length + 20, &any_address, &d) == SFLOW_UDP_DATAGRAM &&
	       is_payload(&d), "padding after the IP packet is not payload");
	struct sflow_udp_wanted to = { .port = PORT, .has_address = 1,
				       .address = { .family = 4, .bytes = { 192, 0, 2, 9 } } };
	tap_eq(extract(DLT_RAW, ip, length, &to, &d), SFLOW_UDP_DATAGRAM, "to the address wanted");
	to.address.bytes[3] = 10;
	tap_eq(extract(DLT_RAW, ip, length, &to, &d), SFLOW_UDP_OTHER, "to another address: other");
	to.address.family = 6;
	tap_eq(extract(DLT_RAW, ip, length, &to, &d), SFLOW_UDP_OTHER, "an IPv6 address wanted: other");
	length = ipv4_packet(ip, PORT + 1, 0);
	tap_eq(extract(DLT_RAW, ip, length, &any_address, &d), SFLOW_UDP_OTHER, "another port: other");

	length = ipv4_packet(ip, PORT, 0);
	ip[27] ^= 1;
	tap_eq(extract(DLT_RAW, ip, length, &any_address, &d), SFLOW_UDP_BAD_CHECKSUM,
	       "a wrong checksum");
	ip[26] = ip[27] = 0;
	tap_eq(extract(DLT_RAW, ip, length, &any_address, &d), SFLOW_UDP_DATAGRAM,
	       "checksum 0 over IPv4: none to check");
	/* The sending host's card fills the sum in: captured there, the field
	 * holds the pseudo-header's sum alone. */
	unsigned long pseudo = sum16(agent4, 4, 0) + sum16(collector4, 4, 0) + 17 + (length - 20);
	put16(ip + 26, sum16(NULL, 0, pseudo));
	tap_eq(extract(DLT_RAW, ip, length, &any_address, &d), SFLOW_UDP_DATAGRAM,
	       "a checksum left to the sender's card: taken");
	ip[30] ^= 0xFF;
	tap_eq(extract(DLT_RAW, ip, length, &any_address, &d), SFLOW_UDP_DATAGRAM,
	       "(which cannot be checked)");

	length = ipv4_packet(ip, PORT, 0x2000);
	tap_eq(extract(DLT_RAW, ip, length, &any_address, &d), SFLOW_UDP_FRAGMENT,
	       "first fragment (more fragments): a fragment");
	tap_ok(d.fragment.family == 4 && d.fragment.offset == 0 && d.fragment.more &&
	       d.fragment.length == length - 20 && d.fragment.id == 0,
	       "first fragment: offset 0, more, the UDP segment's bytes");
	length = ipv4_packet(ip, PORT, 0x2000 | 13);
	tap_ok(extract(DLT_RAW, ip, length, &any_address, &d) == SFLOW_UDP_FRAGMENT &&
	       d.fragment.offset == 104 && d.fragment.more,
	       "a later fragment: a fragment at offset 13 * 8");
	length = ipv4_packet(ip, PORT + 1, 0x2000);
	tap_eq(extract(DLT_RAW, ip, length, &any_address, &d), SFLOW_UDP_OTHER,
	       "a first fragment to another port: other");
	length = ipv4_packet(ip, PORT, 0x2000);
	tap_eq(extract(DLT_RAW, ip, length - 1, &any_address, &d), SFLOW_UDP_OTHER,
	       "a fragment cut by the snap length: other (it cannot be reassembled)");
	length = ipv4_packet(ip, PORT, 0x4000);
	tap_eq(extract(DLT_RAW, ip, length, &any_address, &d), SFLOW_UDP_DATAGRAM,
	       "don't-fragment set: whole");

	/* A capture's snap length cut the datagram: what is there, marked. */
	length = ipv4_packet(ip, PORT, 0);
	tap_ok(extract(DLT_RAW, ip, length - 10, &any_address, &d) == SFLOW_UDP_DATAGRAM &&
	       d.truncated && d.length == sizeof payload - 10,
	       "cut by the snap length: truncated, the bytes there");
	/* A UDP length beyond the IP payload: the IP one rules. */
	put16(ip + 24, 1000);
	tap_ok(extract(DLT_RAW, ip, length, &any_address, &d) != SFLOW_UDP_DATAGRAM ||
	       d.length <= sizeof payload, "a UDP length past the packet is not believed");
	/* Header length past the packet. */
	length = ipv4_packet(ip, PORT, 0);
	ip[0] = 0x4F;
	tap_eq(extract(DLT_RAW, ip, 40, &any_address, &d), SFLOW_UDP_OTHER,
	       "an IP header longer than the frame: other");
}

static void ipv6_cases(void)
{
	uint8_t ip[400];
	struct sflow_udp_datagram d;
	size_t length = ipv6_packet(ip, NULL, 0);

	tap_ok(extract(DLT_IPV6, ip, length, &any_address, &d) == SFLOW_UDP_DATAGRAM &&
	       is_payload(&d) && d.origin.address.family == 6 &&
	       memcmp(d.origin.address.bytes, agent6, 16) == 0, "IPv6: ours, its sender");
	struct sflow_udp_wanted to = { .port = PORT, .has_address = 1, .address = { .family = 6 } };
	memcpy(to.address.bytes, collector6, 16);
	tap_eq(extract(DLT_RAW, ip, length, &to, &d), SFLOW_UDP_DATAGRAM, "IPv6: to the address wanted");
	to.address.bytes[15] = 8;
	tap_eq(extract(DLT_RAW, ip, length, &to, &d), SFLOW_UDP_OTHER, "IPv6: another address");

	const uint8_t options[] = { 0, 60, 43 };
	length = ipv6_packet(ip, options, 3);
	tap_ok(extract(DLT_IPV6, ip, length, &any_address, &d) == SFLOW_UDP_DATAGRAM &&
	       is_payload(&d), "hop-by-hop, destination options and routing headers skipped");
	const uint8_t many[9] = { 60, 60, 60, 60, 60, 60, 60, 60, 60 };
	length = ipv6_packet(ip, many, 9);
	tap_eq(extract(DLT_IPV6, ip, length, &any_address, &d), SFLOW_UDP_OTHER,
	       "nine extension headers: too many, other");
	const uint8_t fragment[] = { 44 };
	length = ipv6_packet(ip, fragment, 1);
	tap_eq(extract(DLT_IPV6, ip, length, &any_address, &d), SFLOW_UDP_DATAGRAM,
	       "an atomic fragment (offset 0, no more): whole");
	ip[43] = 1;             /* more fragments */
	tap_eq(extract(DLT_IPV6, ip, length, &any_address, &d), SFLOW_UDP_FRAGMENT,
	       "a first IPv6 fragment: a fragment");
	ip[42] = 0x01;          /* offset 256 */
	tap_ok(extract(DLT_IPV6, ip, length, &any_address, &d) == SFLOW_UDP_FRAGMENT &&
	       d.fragment.family == 6 && d.fragment.offset == 256 && d.fragment.more &&
	       d.fragment.length == length - 48,
	       "a later IPv6 fragment: a fragment at offset 256");
	length = ipv6_packet(ip, NULL, 0);
	ip[46] = ip[47] = 0;
	tap_eq(extract(DLT_IPV6, ip, length, &any_address, &d), SFLOW_UDP_BAD_CHECKSUM,
	       "checksum 0 over IPv6: wrong (it is mandatory there)");
	const uint8_t esp[] = { 50 };
	length = ipv6_packet(ip, esp, 1);
	tap_eq(extract(DLT_IPV6, ip, length, &any_address, &d), SFLOW_UDP_OTHER,
	       "ESP: other (encrypted)");
}

/* The fragment of segment from offset, length bytes. */
static struct sflow_ip_fragment piece(const uint8_t *segment, size_t total, size_t offset,
				      size_t length, uint32_t id)
{
	struct sflow_ip_fragment fragment = { .family = 4, .id = id, .offset = offset,
					      .more = offset + length < total,
					      .data = segment + offset, .length = length };
	memcpy(fragment.source, agent4, 4);
	memcpy(fragment.destination, collector4, 4);
	return fragment;
}

static void reassembly(void)
{
	struct sflow_reassembly *table = malloc(sizeof *table);
	uint8_t ip[200];
	size_t total = ipv4_packet(ip, PORT, 0) - 20;
	const uint8_t *segment = ip + 20;
	const uint8_t *whole;
	size_t length;
	uint64_t dropped = 0;
	struct sflow_udp_datagram d;

	sflow_reassembly_init(table);
	/* Three pieces, last first. */
	struct sflow_ip_fragment a = piece(segment, total, 0, 16, 1);
	struct sflow_ip_fragment b = piece(segment, total, 16, 24, 1);
	struct sflow_ip_fragment c = piece(segment, total, 40, total - 40, 1);
	tap_eq(sflow_reassemble(table, &c, &whole, &length, &dropped), SFLOW_REASSEMBLY_PENDING,
	       "the last piece first: pending");
	tap_eq(sflow_reassemble(table, &a, &whole, &length, &dropped), SFLOW_REASSEMBLY_PENDING,
	       "the first: pending");
	tap_eq(sflow_reassemble(table, &a, &whole, &length, &dropped), SFLOW_REASSEMBLY_PENDING,
	       "the first again: pending");
	tap_eq(sflow_reassemble(table, &b, &whole, &length, &dropped), SFLOW_REASSEMBLY_COMPLETE,
	       "the middle one: complete");
	tap_ok(length == total && memcmp(whole, segment, total) == 0, "the segment, byte for byte");
	tap_ok(sflow_udp_segment(whole, length, agent4, collector4, 4, &any_address, &d) ==
	       SFLOW_UDP_DATAGRAM && is_payload(&d), "its datagram, checksum right");
	tap_eq(dropped, 0, "nothing dropped");

	/* Inconsistent pieces drop their datagram's others. */
	tap_eq(sflow_reassemble(table, &a, &whole, &length, &dropped), SFLOW_REASSEMBLY_PENDING,
	       "a new datagram's first piece");
	struct sflow_ip_fragment odd = piece(segment, total, 16, 13, 1);
	odd.more = 1;
	tap_eq(sflow_reassemble(table, &odd, &whole, &length, &dropped), SFLOW_REASSEMBLY_INVALID,
	       "a middle piece not a multiple of 8 long: invalid");
	tap_eq(dropped, 2, "it and the first piece dropped");
	struct sflow_ip_fragment far = piece(segment, total, 65528, 16, 2);
	tap_eq(sflow_reassemble(table, &far, &whole, &length, &dropped), SFLOW_REASSEMBLY_INVALID,
	       "a piece past 65535 bytes: invalid");
	struct sflow_ip_fragment early_end = piece(segment, total, 16, 8, 3);
	early_end.more = 0;
	c.id = 3;
	tap_eq(sflow_reassemble(table, &c, &whole, &length, &dropped), SFLOW_REASSEMBLY_PENDING,
	       "datagram 3: its last piece");
	tap_eq(sflow_reassemble(table, &early_end, &whole, &length, &dropped),
	       SFLOW_REASSEMBLY_INVALID, "a second end before data already held: invalid");

	/* Room for four datagrams: the fifth evicts the least recent. */
	sflow_reassembly_init(table);
	dropped = 0;
	for (uint32_t id = 10; id < 15; id++) {
		a.id = id;
		sflow_reassemble(table, &a, &whole, &length, &dropped);
	}
	tap_eq(dropped, 1, "a fifth datagram evicts the first's piece");
	b.id = c.id = 10;
	sflow_reassemble(table, &b, &whole, &length, &dropped);
	tap_eq(sflow_reassemble(table, &c, &whole, &length, &dropped), SFLOW_REASSEMBLY_PENDING,
	       "the evicted one's other pieces start afresh");
	b.id = c.id = 14;
	sflow_reassemble(table, &b, &whole, &length, &dropped);
	tap_eq(sflow_reassemble(table, &c, &whole, &length, &dropped), SFLOW_REASSEMBLY_COMPLETE,
	       "a kept one completes");
	free(table);
}

int main(void)
{
	link_types();
	ipv4_cases();
	ipv6_cases();
	reassembly();
	return tap_done();
}
