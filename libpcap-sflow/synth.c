/* SPDX-License-Identifier: BSD-3-Clause */
/* Builds IP and transport headers from sampled_ipv4 / sampled_ipv6 records (see synth.h). */
#include <config.h>
#include "synth.h"

#include <string.h>

#include "bytes.h"

/* Decisions where the records leave fields out (documented in README):
 * TTL / hop limit 64, identification 0, no fragmentation, transport
 * checksums 0 (an IPv4 header checksum is computed, so tcpdump -v does not
 * call it bad). For ICMP the record's src_port carries the type and
 * dst_port the code, the convention agents use for ICMP in port fields. */
#define SYNTH_TTL 64

enum {
	IPPROTO_ICMP_ = 1,
	IPPROTO_TCP_ = 6,
	IPPROTO_UDP_ = 17,
	IPPROTO_ICMPV6_ = 58,
};

static uint16_t ipv4_checksum(const uint8_t *header, size_t length)
{
	uint32_t sum = 0;
	for (size_t i = 0; i + 1 < length; i += 2)
		sum += (uint32_t)header[i] << 8 | header[i + 1];
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

/* The transport header, written at out; returns its length (0 when the
 * protocol has none we can fill). */
static size_t transport(const struct sflow_sampled_ip *ip, int ipv6, uint8_t *out)
{
	switch (ip->protocol) {
	case IPPROTO_TCP_:
		memset(out, 0, 20);
		put_be16(out, ip->src_port);
		put_be16(out + 2, ip->dst_port);
		out[12] = 5 << 4 | (ip->tcp_flags >> 8 & 1);  /* data offset, NS flag */
		out[13] = (uint8_t)ip->tcp_flags;
		return 20;
	case IPPROTO_UDP_:
		memset(out, 0, 8);
		put_be16(out, ip->src_port);
		put_be16(out + 2, ip->dst_port);
		return 8;                               /* length filled by the caller */
	case IPPROTO_ICMP_:
	case IPPROTO_ICMPV6_:
		if ((ip->protocol == IPPROTO_ICMPV6_) != (ipv6 != 0))
			return 0;
		memset(out, 0, 8);
		out[0] = (uint8_t)ip->src_port;         /* type */
		out[1] = (uint8_t)ip->dst_port;         /* code */
		return 8;
	default:
		return 0;
	}
}

/* An IP length field: the record's length, but at least what we built,
 * and at most what 16 bits hold. */
static uint32_t length_field(uint32_t length, size_t built)
{
	if (length < built)
		length = (uint32_t)built;
	return length > 0xffff ? 0xffff : length;
}

size_t sflow_synth_ip(const struct sflow_sampled_ip *ip, int ipv6, uint8_t *out)
{
	size_t ip_header = ipv6 ? 40 : 20;
	size_t l4 = transport(ip, ipv6, out + ip_header);
	size_t total = ip_header + l4;

	if (ipv6) {
		memset(out, 0, 40);
		out[0] = (uint8_t)(0x60 | (ip->tos >> 4 & 0x0f));   /* traffic class */
		out[1] = (uint8_t)(ip->tos << 4);
		uint32_t payload = length_field(ip->length, total) - 40;
		put_be16(out + 4, payload);
		out[6] = (uint8_t)ip->protocol;
		out[7] = SYNTH_TTL;
		memcpy(out + 8, ip->src, 16);
		memcpy(out + 24, ip->dst, 16);
	} else {
		memset(out, 0, 20);
		out[0] = 0x45;
		out[1] = (uint8_t)ip->tos;
		put_be16(out + 2, length_field(ip->length, total));
		out[8] = SYNTH_TTL;
		out[9] = (uint8_t)ip->protocol;
		memcpy(out + 12, ip->src, 4);
		memcpy(out + 16, ip->dst, 4);
		put_be16(out + 10, ipv4_checksum(out, 20));
	}
	if (ip->protocol == IPPROTO_UDP_)
		put_be16(out + ip_header + 4, length_field(ip->length, total) - ip_header);
	return total;
}
