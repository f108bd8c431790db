/* SPDX-License-Identifier: BSD-3-Clause */
/* Link layer, IP and UDP headers read with every length checked against
 * what was captured (see udp_extract.h). */
#include <config.h>
#include "udp_extract.h"

#include <pcap/dlt.h>
#include <string.h>

#include "bytes.h"

/* DLT_* values the headers may not define everywhere: link types from a
 * file arrive as libpcap maps them. */
#define LINKTYPE_RAW_VALUE 101
#define MAX_VLAN_TAGS 4
#define MAX_IPV6_EXTENSIONS 8

int sflow_udp_linktype_supported(int linktype)
{
	switch (linktype) {
	case DLT_EN10MB:
	case DLT_LINUX_SLL:
	case DLT_LINUX_SLL2:
	case DLT_RAW:
	case LINKTYPE_RAW_VALUE:
	case DLT_IPV4:
	case DLT_IPV6:
	case DLT_NULL:
	case DLT_LOOP:
		return 1;
	default:
		return 0;
	}
}

/* Where the network layer starts, after the link header and any VLAN
 * tags, and its EtherType; 0 when the link type says only "IP" (read the
 * version). Returns -1 for a link type we cannot read, -2 for a frame too
 * short or not IP. */
static int link_layer(int linktype, const uint8_t *frame, size_t caplen,
		      size_t *offset, uint16_t *ethertype)
{
	switch (linktype) {
	case DLT_EN10MB:
		*offset = 14;
		if (caplen < 14)
			return -2;
		*ethertype = get_be16(frame + 12);
		break;
	case DLT_LINUX_SLL:
		*offset = 16;
		if (caplen < 16)
			return -2;
		*ethertype = get_be16(frame + 14);
		break;
	case DLT_LINUX_SLL2:
		*offset = 20;
		if (caplen < 20)
			return -2;
		*ethertype = get_be16(frame);
		break;
	case DLT_RAW:
	case LINKTYPE_RAW_VALUE:
	case DLT_IPV4:
	case DLT_IPV6:
		*offset = 0;
		*ethertype = 0;
		return 0;
	case DLT_NULL:
	case DLT_LOOP:
		/* A 4-byte address family, in host or network order as the
		 * writer had it: the IP version nibble says the same, always. */
		*offset = 4;
		*ethertype = 0;
		return caplen < 4 ? -2 : 0;
	default:
		return -1;
	}
	/* 802.1Q, 802.1ad (QinQ) and the old 0x9100: a 4-byte tag each. */
	for (unsigned tags = 0; *ethertype == 0x8100 || *ethertype == 0x88A8 ||
			       *ethertype == 0x9100; tags++) {
		if (tags == MAX_VLAN_TAGS || caplen < *offset + 4)
			return -2;
		*ethertype = get_be16(frame + *offset + 2);
		*offset += 4;
	}
	return *ethertype == 0x0800 || *ethertype == 0x86DD ? 0 : -2;
}

/* The ones'-complement sum of bytes as 16-bit words in memory order
 * (RFC 1071: the sum does not care for byte order, so words are loaded as
 * the machine has them, eight bytes at a time, and the folded result is
 * swapped once at the end); 64-bit accumulators of 32-bit halves cannot
 * overflow below 2^32 bytes. */
static uint64_t add_bytes(uint64_t sum, const uint8_t *bytes, size_t length)
{
	/* The bulk as whole 64-bit words, each added with its carry counted
	 * apart (an add and an add-with-carry of zero); the count cannot
	 * overflow. 2^64 is 1 modulo 0xFFFF, so adding the carries back in
	 * (with the end-around carry) keeps the ones'-complement sum, and a
	 * nonzero sum stays nonzero, as fold needs. */
	if (length >= 32) {
		uint64_t total = 0, carries = 0;
		do {
			uint64_t a, b, c, d;
			memcpy(&a, bytes, 8);
			memcpy(&b, bytes + 8, 8);
			memcpy(&c, bytes + 16, 8);
			memcpy(&d, bytes + 24, 8);
			total += a;
			carries += total < a;
			total += b;
			carries += total < b;
			total += c;
			carries += total < c;
			total += d;
			carries += total < d;
			bytes += 32;
			length -= 32;
		} while (length >= 32);
		total += carries;
		total += total < carries;
		sum += (total & 0xFFFFFFFFu) + (total >> 32);
	}
	while (length >= 8) {
		uint64_t word;
		memcpy(&word, bytes, 8);
		sum += (word & 0xFFFFFFFFu) + (word >> 32);
		bytes += 8;
		length -= 8;
	}
	if (length >= 4) {
		uint32_t word;
		memcpy(&word, bytes, 4);
		sum += word;
		bytes += 4;
		length -= 4;
	}
	if (length >= 2) {
		uint16_t word;
		memcpy(&word, bytes, 2);
		sum += word;
		bytes += 2;
		length -= 2;
	}
	if (length == 1) {
		/* The odd byte is the first of a word padded with zero. */
		uint8_t padded[2] = { bytes[0], 0 };
		uint16_t word;
		memcpy(&word, padded, 2);
		sum += word;
	}
	return sum;
}

/* Folded to 16 bits, in network order. */
static uint16_t fold(uint64_t sum)
{
	while (sum >> 16)
		sum = (sum & 0xFFFF) + (sum >> 16);
	uint16_t folded = (uint16_t)sum;
	uint8_t bytes[2];
	memcpy(bytes, &folded, 2);
	return get_be16(bytes);
}

/* 1 when the checksum is right, or not there to check (0 over IPv4), or
 * left for the sending host's network card to fill in (captures on the
 * sender hold the pseudo-header's sum there, not yet the whole sum). */
static int checksum_ok(const uint8_t *source, const uint8_t *destination, size_t address_size,
		       const uint8_t *udp, size_t udp_length)
{
	uint16_t stored = get_be16(udp + 6);
	if (stored == 0 && address_size == 4)
		return 1;
	/* The rest of the pseudo-header: zero, protocol 17, UDP length. */
	const uint8_t rest[4] = { 0, 17, (uint8_t)(udp_length >> 8), (uint8_t)udp_length };
	uint64_t pseudo = add_bytes(0, source, address_size);
	pseudo = add_bytes(pseudo, destination, address_size);
	pseudo = add_bytes(pseudo, rest, sizeof rest);
	if (fold(add_bytes(pseudo, udp, udp_length)) == 0xFFFF)
		return 1;
	uint16_t partial = fold(pseudo);
	/* 0 and 0xFFFF are the same number in ones' complement. */
	return stored == partial || (stored == 0xFFFF && partial == 0) ||
	       (stored == 0 && partial == 0xFFFF);
}

/* The UDP header at udp (available bytes captured, ip_payload bytes the IP
 * header says follow it). */
static enum sflow_udp_result read_udp(const uint8_t *udp, size_t available, size_t ip_payload,
				      const uint8_t *source, const uint8_t *destination,
				      size_t address_size,
				      const struct sflow_udp_wanted *wanted,
				      struct sflow_udp_datagram *datagram)
{
	if (available < 8 || ip_payload < 8)
		return SFLOW_UDP_OTHER;
	if (get_be16(udp + 2) != wanted->port)
		return SFLOW_UDP_OTHER;
	size_t udp_length = get_be16(udp + 4);
	/* A length field beyond the IP payload is a lie: the IP one rules. */
	if (udp_length < 8 || udp_length > ip_payload)
		udp_length = ip_payload;
	memset(&datagram->origin, 0, sizeof datagram->origin);
	datagram->origin.address.family = address_size == 4 ? 4 : 6;
	memcpy(datagram->origin.address.bytes, source, address_size);
	datagram->origin.port = get_be16(udp);
	datagram->payload = udp + 8;
	datagram->truncated = available < udp_length;
	datagram->length = (datagram->truncated ? available : udp_length) - 8;
	/* Only a whole datagram can be summed. */
	if (!datagram->truncated &&
	    !checksum_ok(source, destination, address_size, udp, udp_length))
		return SFLOW_UDP_BAD_CHECKSUM;
	return SFLOW_UDP_DATAGRAM;
}

enum sflow_udp_result sflow_udp_segment(const uint8_t *segment, size_t length,
					const uint8_t *source, const uint8_t *destination,
					size_t address_size,
					const struct sflow_udp_wanted *wanted,
					struct sflow_udp_datagram *datagram)
{
	return read_udp(segment, length, length, source, destination, address_size, wanted,
			datagram);
}

/* A fragment of a UDP datagram: whole in the capture, or of no use. The
 * first one (offset 0) already shows the port: another one's is other
 * traffic. */
static enum sflow_udp_result fragment_of(const uint8_t *piece, size_t captured, size_t length,
					 size_t offset, int more, uint32_t id,
					 const uint8_t *source, const uint8_t *destination,
					 size_t address_size,
					 const struct sflow_udp_wanted *wanted,
					 struct sflow_udp_datagram *datagram)
{
	if (captured < length || length == 0)
		return SFLOW_UDP_OTHER;
	if (offset == 0 && (length < 8 || get_be16(piece + 2) != wanted->port))
		return SFLOW_UDP_OTHER;
	struct sflow_ip_fragment *fragment = &datagram->fragment;
	memset(fragment, 0, sizeof *fragment);
	fragment->family = address_size == 4 ? 4 : 6;
	memcpy(fragment->source, source, address_size);
	memcpy(fragment->destination, destination, address_size);
	fragment->id = id;
	fragment->offset = offset;
	fragment->more = more;
	fragment->data = piece;
	fragment->length = length;
	return SFLOW_UDP_FRAGMENT;
}

static enum sflow_udp_result read_ipv4(const uint8_t *ip, size_t available,
				       const struct sflow_udp_wanted *wanted,
				       struct sflow_udp_datagram *datagram)
{
	if (available < 20 || ip[0] >> 4 != 4)
		return SFLOW_UDP_OTHER;
	size_t header = (size_t)(ip[0] & 0x0F) * 4;
	size_t total = get_be16(ip + 2);
	if (header < 20 || total < header || available < header || ip[9] != 17)
		return SFLOW_UDP_OTHER;
	if (wanted->has_address &&
	    (wanted->address.family != 4 || memcmp(ip + 16, wanted->address.bytes, 4) != 0))
		return SFLOW_UDP_OTHER;
	uint16_t fragment = get_be16(ip + 6);
	size_t offset = (size_t)(fragment & 0x1FFF) * 8;
	int more = (fragment & 0x2000) != 0;
	/* Ethernet pads short frames: the IP length says where the packet
	 * ends. A capture cut short holds less. */
	size_t captured = available < total ? available : total;
	if (offset != 0 || more)
		return fragment_of(ip + header, captured - header, total - header, offset, more,
				   get_be16(ip + 4), ip + 12, ip + 16, 4, wanted, datagram);
	return read_udp(ip + header, captured - header, total - header, ip + 12, ip + 16, 4,
			wanted, datagram);
}

static enum sflow_udp_result read_ipv6(const uint8_t *ip, size_t available,
				       const struct sflow_udp_wanted *wanted,
				       struct sflow_udp_datagram *datagram)
{
	if (available < 40 || ip[0] >> 4 != 6)
		return SFLOW_UDP_OTHER;
	if (wanted->has_address &&
	    (wanted->address.family != 6 || memcmp(ip + 24, wanted->address.bytes, 16) != 0))
		return SFLOW_UDP_OTHER;
	size_t payload = get_be16(ip + 4);
	size_t captured = available - 40 < payload ? available - 40 : payload;
	size_t offset = 40;
	uint8_t next = ip[6];
	int fragmented = 0, more = 0;
	size_t fragment_offset = 0, fragmentable = 0;
	uint32_t id = 0;

	/* Extension headers, a bounded number of them, each inside both what
	 * was captured and what the IPv6 length says. */
	for (unsigned seen = 0; next != 17; seen++) {
		size_t length;
		size_t used = offset - 40;
		if (seen == MAX_IPV6_EXTENSIONS || captured < used + 8)
			return SFLOW_UDP_OTHER;
		const uint8_t *extension = ip + offset;
		switch (next) {
		case 0:         /* hop-by-hop options */
		case 43:        /* routing */
		case 60:        /* destination options */
			length = ((size_t)extension[1] + 1) * 8;
			break;
		case 51:        /* authentication header */
			length = ((size_t)extension[1] + 2) * 4;
			break;
		case 44: {      /* fragment */
			uint16_t fragment = get_be16(extension + 2);
			if (fragmented)
				return SFLOW_UDP_OTHER; /* one fragment header at most */
			fragment_offset = fragment & 0xFFF8;
			more = fragment & 1;
			/* Offset 0 and no more: an atomic fragment, whole. */
			fragmented = fragment_offset != 0 || more;
			id = get_be32(extension + 4);
			length = 8;
			fragmentable = offset + length;
			/* What follows a fragment header is this fragment's
			 * piece, not headers to walk, unless it is the first. */
			if (fragmented && fragment_offset != 0) {
				if (extension[0] != 17 || used + length > captured)
					return SFLOW_UDP_OTHER;
				size_t after = offset + length - 40;
				return fragment_of(ip + offset + length, captured - after,
						   payload - after, fragment_offset, more, id,
						   ip + 8, ip + 24, 16, wanted, datagram);
			}
			break;
		}
		default:
			return SFLOW_UDP_OTHER;
		}
		if (used + length > captured)
			return SFLOW_UDP_OTHER;
		next = extension[0];
		offset += length;
	}
	size_t used = offset - 40;
	/* Headers between the fragment header and UDP would be part of what
	 * is reassembled: not a shape sFlow exporters send. */
	if (fragmented && offset != fragmentable)
		return SFLOW_UDP_OTHER;
	if (fragmented)
		return fragment_of(ip + offset, captured - used, payload - used, 0, more, id,
				   ip + 8, ip + 24, 16, wanted, datagram);
	return read_udp(ip + offset, captured - used, payload - used, ip + 8, ip + 24, 16,
			wanted, datagram);
}

enum sflow_udp_result sflow_udp_extract(int linktype, const uint8_t *frame, size_t caplen,
					const struct sflow_udp_wanted *wanted,
					struct sflow_udp_datagram *datagram)
{
	size_t offset;
	uint16_t ethertype;
	int link = link_layer(linktype, frame, caplen, &offset, &ethertype);

	if (link == -1)
		return SFLOW_UDP_LINKTYPE;
	if (link < 0 || caplen <= offset)
		return SFLOW_UDP_OTHER;
	const uint8_t *ip = frame + offset;
	size_t available = caplen - offset;
	int version = ethertype == 0x0800 ? 4 : ethertype == 0x86DD ? 6 : ip[0] >> 4;
	if (version == 4)
		return read_ipv4(ip, available, wanted, datagram);
	if (version == 6)
		return read_ipv6(ip, available, wanted, datagram);
	return SFLOW_UDP_OTHER;
}
