/* SPDX-License-Identifier: BSD-3-Clause */
#include "link_layer.h"

#include <stddef.h>

#include "bytes.h"

#ifndef DLT_LINUX_SLL2
#define DLT_LINUX_SLL2 276
#endif
#ifndef DLT_IPV4
#define DLT_IPV4 228
#endif
#ifndef DLT_IPV6
#define DLT_IPV6 229
#endif

#define ETHERTYPE_IPV4 0x0800
#define ETHERTYPE_IPV6 0x86DD

/* The link header of type dlt: its length, and the offset of the
 * ethertype within it, or -1 when the IP version tells the protocol.
 * Returns -1 for a link type not read. */
static int link_layout(int dlt, size_t *len, int *type_at)
{
	*type_at = -1;
	switch (dlt) {
	case DLT_EN10MB:
		*len = 14;
		*type_at = 12;
		return 0;
	case DLT_RAW:
	case DLT_IPV4:
	case DLT_IPV6:
		*len = 0;
		return 0;
	case DLT_NULL:
	case DLT_LOOP:
		*len = 4;
		return 0;
	case DLT_LINUX_SLL:
		*len = 16;
		*type_at = 14;
		return 0;
	case DLT_LINUX_SLL2:
		*len = 20;
		*type_at = 0;
		return 0;
	default:
		return -1;
	}
}

int link_type_supported(int dlt)
{
	size_t len;
	int type_at;

	return link_layout(dlt, &len, &type_at) == 0;
}

/* The ethertype of an IP packet of len bytes by its version; 0 when it is
 * neither IPv4 nor IPv6. */
static unsigned ip_version_ethertype(const uint8_t *ip, size_t len)
{
	if (len < 1)
		return 0;
	switch (ip[0] >> 4) {
	case 4: return ETHERTYPE_IPV4;
	case 6: return ETHERTYPE_IPV6;
	default: return 0;
	}
}

static uint32_t ethertype_header_protocol(unsigned type)
{
	return type == ETHERTYPE_IPV4 ? SFLOW_HEADER_IPV4 :
	       type == ETHERTYPE_IPV6 ? SFLOW_HEADER_IPV6 : 0;
}

int packet_sampled_header(int dlt, const struct pcap_pkthdr *h,
			  const uint8_t *data, struct sflow_packet *pkt)
{
	size_t skip;
	int type_at;

	if (link_layout(dlt, &skip, &type_at) < 0)
		return -1;
	pkt->stripped = 0;
	if (dlt == DLT_EN10MB) {
		/* the frame as the agent saw it, but for the FCS, which
		 * frame_length counts */
		pkt->header_protocol = SFLOW_HEADER_ETHERNET;
		pkt->stripped = 4;
		skip = 0;
	} else if (h->caplen < skip) {
		return -1;
	} else {
		/* Cooked captures have no link header an agent would see:
		 * send their IP packets as IPv4/IPv6 headers. */
		unsigned type = type_at >= 0 ? get_be16(data + type_at) :
				ip_version_ethertype(data + skip,
						     h->caplen - skip);

		pkt->header_protocol = ethertype_header_protocol(type);
	}
	if (h->len < skip || pkt->header_protocol == 0)
		return -1;
	pkt->header = data + skip;
	pkt->header_len = h->caplen - skip;
	pkt->frame_length = h->len - (uint32_t)skip + pkt->stripped;
	return 0;
}

/* Where the UDP header starts in an IPv4 packet of len bytes; 0 when the
 * packet is not a whole UDP datagram. */
static size_t ipv4_udp_offset(const uint8_t *ip, size_t len)
{
	size_t ihl;

	if (len < 20 || (ip[0] >> 4) != 4 || ip[9] != 17)
		return 0;
	ihl = (size_t)(ip[0] & 0x0F) * 4;
	/* a fragment is not a whole datagram */
	if (ihl < 20 || (get_be16(ip + 6) & 0x3FFF))
		return 0;
	return ihl;
}

/* The same for IPv6, stepping over hop-by-hop, routing, destination
 * options and authentication headers. */
static size_t ipv6_udp_offset(const uint8_t *ip, size_t len)
{
	unsigned next;
	size_t off = 40;

	if (len < 40 || (ip[0] >> 4) != 6)
		return 0;
	next = ip[6];
	while (next == 0 || next == 43 || next == 60 || next == 51) {
		size_t ext;

		if (len < off + 2)
			return 0;
		ext = next == 51 ? ((size_t)ip[off + 1] + 2) * 4
				 : ((size_t)ip[off + 1] + 1) * 8;
		next = ip[off];
		off += ext;
	}
	return next == 17 ? off : 0;
}

long packet_udp_payload(int dlt, const struct pcap_pkthdr *h,
			const uint8_t *data, const uint8_t **payload)
{
	size_t len = h->caplen, off, udp_off;
	int type_at;
	unsigned type, udp_len;
	const uint8_t *ip;

	if (h->caplen < h->len)
		return -1; /* cut short by the snap length */
	if (link_layout(dlt, &off, &type_at) < 0 || len < off)
		return -1;
	type = type_at >= 0 ? get_be16(data + type_at) : 0;
	/* 802.1Q / 802.1ad tags, possibly stacked */
	while (type == 0x8100 || type == 0x88A8 || type == 0x9100) {
		if (len < off + 4)
			return -1;
		type = get_be16(data + off + 2);
		off += 4;
	}
	if (len <= off)
		return -1;
	ip = data + off;
	len -= off;
	if (type == 0) /* no ethertype: tell by the IP version */
		type = ip_version_ethertype(ip, len);
	if (type == ETHERTYPE_IPV4)
		udp_off = ipv4_udp_offset(ip, len);
	else if (type == ETHERTYPE_IPV6)
		udp_off = ipv6_udp_offset(ip, len);
	else
		return -1;
	if (udp_off == 0 || len < udp_off + 8)
		return -1;
	udp_len = get_be16(ip + udp_off + 4);
	if (udp_len < 8 || len < udp_off + udp_len)
		return -1;
	*payload = ip + udp_off + 8;
	return (long)udp_len - 8;
}
