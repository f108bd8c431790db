/* SPDX-License-Identifier: BSD-3-Clause */
/* Packet framing: a decoded sample as the packet a capture would show (see framing.h). */
#include <config.h>
#include "framing.h"

#include <pcap/dlt.h>
#include <string.h>

#include "bytes.h"
#include "device.h"
#include "linktypes.h"
#include "synth.h"

/* Decisions (documented in README):
 * - Ethernet `stripped` above STRIPPED_MAX (FCS + two VLAN tags) is an
 *   agent that put frame_length - header_length there: taken as 4.
 * - v2/v4 header records have no `stripped`: their Ethernet frame_length is
 *   taken to include the FCS, as in v5, so 4 is subtracted.
 * - A wire length is never below what is captured.
 * - POS (14) is PPP in HDLC-like framing (RFC 2615), or Cisco HDLC, which
 *   is what DLT_PPP_SERIAL holds; PPP (7) goes to DLT_PPP. */
#define FCS 4
#define STRIPPED_MAX (FCS + 2 * 4)

#define ETHER_HEADER 14
#define ETHER_ADDRESSES 12
#define ETHERTYPE_IPV4 0x0800
#define ETHERTYPE_IPV6 0x86dd
#define ETHERTYPE_MPLS 0x8847
#define ETHERTYPE_8021Q 0x8100
#define ETHERTYPE_8021AD 0x88a8
#define ETHERTYPE_QINQ_OLD 0x9100      /* pre-802.1ad stacked tags */


/* Link types offered (linktypes.h), the default first, each with the
 * header protocol it carries as is; EN10MB and RAW also carry what they
 * adapt. */
static const struct {
	int linktype;
	uint32_t protocol;
} carriers[] = {
#define SFLOW_CARRIER(linktype, protocol) { linktype, protocol },
	SFLOW_LINKTYPES(SFLOW_CARRIER)
#undef SFLOW_CARRIER
};
#define CARRIER_COUNT (sizeof carriers / sizeof carriers[0])

size_t sflow_framing_linktype_count(void)
{
	return CARRIER_COUNT;
}

int sflow_framing_linktype(size_t index)
{
	return index < CARRIER_COUNT ? carriers[index].linktype : -1;
}

static int is_tag(uint32_t ethertype)
{
	return ethertype == ETHERTYPE_8021Q || ethertype == ETHERTYPE_8021AD ||
	       ethertype == ETHERTYPE_QINQ_OLD;
}

/* Protocols EN10MB or RAW carry: the others are unsupported unless their
 * own link type is selected. */
static int default_protocol(uint32_t protocol)
{
	return protocol == SFLOW_PROTO_ETHERNET || protocol == SFLOW_PROTO_IPV4 ||
	       protocol == SFLOW_PROTO_IPV6 || protocol == SFLOW_PROTO_MPLS;
}

/* The packet's length as a local capture would have shown it, with the
 * header's own link layer and without FCS. */
static uint32_t header_wire_length(const struct sflow_datagram *datagram,
				   const struct sflow_sample *sample)
{
	uint32_t stripped = sample->stripped;

	if (sample->header_protocol == SFLOW_PROTO_ETHERNET &&
	    (datagram->version < 5 || stripped > STRIPPED_MAX))
		stripped = FCS;
	return sample->frame_length > stripped ? sample->frame_length - stripped : 0;
}

/* The 802.1Q tag control information the vlan option inserts, or 0 when
 * none applies: the VLAN of the side the sample was taken on (ingress when
 * the data source is the input, egress when it is the output, else taken
 * as ingress). */
static uint32_t inserted_tci(const struct sflow_framing *framing,
			     const struct sflow_sample *sample)
{
	if (!(framing->options & SFLOW_OPTION_VLAN) || !sample->has_switch)
		return 0;
	int egress = sample->direction == SFLOW_DIRECTION_OUT;
	uint32_t vlan = egress ? sample->dst_vlan : sample->src_vlan;
	uint32_t priority = egress ? sample->dst_priority : sample->src_priority;
	if (vlan == 0 || vlan >= 4095)  /* no VLAN, or not a VLAN id */
		return 0;
	return (priority & 7) << 13 | vlan;
}

/* Writes an Ethernet header with zero addresses, the tag when tci is not
 * 0, and ethertype, at the start of the prefix. */
static void synthetic_ethernet(struct sflow_framed_packet *packet, uint32_t tci,
			       uint32_t ethertype)
{
	uint8_t *p = packet->prefix;

	memset(p, 0, ETHER_ADDRESSES);
	p += ETHER_ADDRESSES;
	if (tci != 0) {
		put_be16(p, ETHERTYPE_8021Q);
		put_be16(p + 2, tci);
		p += 4;
	}
	put_be16(p, ethertype);
	packet->prefix_length = (uint32_t)(p + 2 - packet->prefix);
}

/* Sets the packet's lengths: wire as computed, but never below what it
 * holds. */
static void set_wire(struct sflow_framed_packet *packet, uint32_t wire)
{
	uint32_t captured = packet->prefix_length + packet->rest_length;
	packet->wire_length = wire > captured ? wire : captured;
}

/* Adds to a length without wrapping. */
static uint32_t plus(uint32_t length, uint32_t more)
{
	return length > UINT32_MAX - more ? UINT32_MAX : length + more;
}

/* An Ethernet sample under EN10MB: as is, or with a tag inserted after the
 * MAC addresses when the vlan option gives one and the frame has none. */
static enum sflow_frame_result ethernet_as_is(const struct sflow_framing *framing,
					      const struct sflow_sample *sample,
					      uint32_t wire, struct sflow_framed_packet *packet)
{
	uint32_t tci = inserted_tci(framing, sample);

	packet->prefix_length = 0;
	packet->rest = sample->header;
	packet->rest_length = sample->header_length;
	if (tci != 0 && sample->header_length >= ETHER_HEADER &&
	    !is_tag(get_be16(sample->header + ETHER_ADDRESSES))) {
		memcpy(packet->prefix, sample->header, ETHER_ADDRESSES);
		put_be16(packet->prefix + ETHER_ADDRESSES, ETHERTYPE_8021Q);
		put_be16(packet->prefix + ETHER_ADDRESSES + 2, tci);
		packet->prefix_length = ETHER_ADDRESSES + 4;
		packet->rest = sample->header + ETHER_ADDRESSES;
		packet->rest_length = sample->header_length - ETHER_ADDRESSES;
		wire = plus(wire, 4);
	}
	set_wire(packet, wire);
	return SFLOW_FRAMED;
}

/* An IPv4, IPv6 or MPLS sample under EN10MB: behind a synthetic header. */
static enum sflow_frame_result behind_ethernet(const struct sflow_framing *framing,
					       const struct sflow_sample *sample,
					       uint32_t ethertype, uint32_t wire,
					       struct sflow_framed_packet *packet)
{
	synthetic_ethernet(packet, inserted_tci(framing, sample), ethertype);
	packet->rest = sample->header;
	packet->rest_length = sample->header_length;
	set_wire(packet, plus(wire, packet->prefix_length));
	return SFLOW_FRAMED;
}

/* An Ethernet sample under RAW: the IP packet behind the Ethernet header
 * and its tags, referenced in place; anything else is not for RAW. */
static enum sflow_frame_result ethernet_to_raw(const struct sflow_sample *sample,
					       uint32_t wire,
					       struct sflow_framed_packet *packet)
{
	uint32_t offset = ETHER_ADDRESSES;
	uint32_t ethertype = 0;

	/* Each step moves 4 bytes through the header: bounded by its length. */
	while (offset + 2 <= sample->header_length) {
		ethertype = get_be16(sample->header + offset);
		if (!is_tag(ethertype))
			break;
		offset += 4;
	}
	if (offset + 2 > sample->header_length ||
	    (ethertype != ETHERTYPE_IPV4 && ethertype != ETHERTYPE_IPV6))
		return SFLOW_FRAME_LINKTYPE_FILTERED;
	offset += 2;
	packet->prefix_length = 0;
	packet->rest = sample->header + offset;
	packet->rest_length = sample->header_length - offset;
	set_wire(packet, wire > offset ? wire - offset : 0);
	return SFLOW_FRAMED;
}

/* LINUX_SLL2: a 20-byte header (protocol, reserved, interface index,
 * ARPHRD type, packet type, address length, address), then the packet from
 * the network layer on. The interface index is the sample's data source
 * ifIndex (0 when the data source is not an interface), the packet type
 * its direction, so BPF's ifindex, inbound and outbound work. */
#define SLL2_HEADER 20
#define ARPHRD_ETHER 1
#define ARPHRD_NONE 0xFFFE
#define PACKET_HOST 0
#define PACKET_OTHERHOST 3
#define PACKET_OUTGOING 4

/* Writes the SLL2 header, and the tag after it when tci is not 0, into
 * the prefix; source_mac is NULL for packets without a link layer. */
static void sll2_header(struct sflow_framed_packet *packet, const struct sflow_sample *sample,
			uint32_t tci, uint32_t protocol, const uint8_t *source_mac)
{
	uint8_t *p = packet->prefix;
	uint8_t type = sample->direction == SFLOW_DIRECTION_OUT ? PACKET_OUTGOING
		       : sample->direction == SFLOW_DIRECTION_IN ? PACKET_HOST : PACKET_OTHERHOST;

	memset(p, 0, SLL2_HEADER);
	put_be16(p, tci != 0 ? ETHERTYPE_8021Q : protocol);
	put_be32(p + 4, sample->source_id_type == 0 ? sample->source_id_index : 0);
	put_be16(p + 8, source_mac != NULL ? ARPHRD_ETHER : ARPHRD_NONE);
	p[10] = type;
	if (source_mac != NULL) {
		p[11] = 6;
		memcpy(p + 12, source_mac, 6);
	}
	packet->prefix_length = SLL2_HEADER;
	if (tci != 0) {
		put_be16(p + SLL2_HEADER, tci);
		put_be16(p + SLL2_HEADER + 2, protocol);
		packet->prefix_length += 4;
	}
}

/* A sampled header under LINUX_SLL2: Ethernet loses its header (the
 * destination MAC is gone, the source MAC goes into the SLL2 address);
 * IPv4, IPv6 and MPLS go behind the SLL2 header as they are. */
static enum sflow_frame_result frame_sll2(const struct sflow_framing *framing,
					  const struct sflow_sample *sample, uint32_t wire,
					  struct sflow_framed_packet *packet)
{
	uint32_t tci = inserted_tci(framing, sample);

	switch (sample->header_protocol) {
	case SFLOW_PROTO_ETHERNET: {
		if (sample->header_length < ETHER_HEADER)
			return SFLOW_FRAME_LINKTYPE_FILTERED;
		uint32_t ethertype = get_be16(sample->header + ETHER_ADDRESSES);
		if (is_tag(ethertype))
			tci = 0;        /* tagged already: the tag follows as is */
		sll2_header(packet, sample, tci, ethertype, sample->header + 6);
		packet->rest = sample->header + ETHER_HEADER;
		packet->rest_length = sample->header_length - ETHER_HEADER;
		wire = wire > ETHER_HEADER ? wire - ETHER_HEADER : 0;
		break;
	}
	case SFLOW_PROTO_IPV4:
	case SFLOW_PROTO_IPV6:
	case SFLOW_PROTO_MPLS:
		sll2_header(packet, sample, tci,
			    sample->header_protocol == SFLOW_PROTO_IPV4 ? ETHERTYPE_IPV4
			    : sample->header_protocol == SFLOW_PROTO_IPV6 ? ETHERTYPE_IPV6
			    : ETHERTYPE_MPLS, NULL);
		packet->rest = sample->header;
		packet->rest_length = sample->header_length;
		break;
	default:
		return SFLOW_FRAME_UNSUPPORTED;
	}
	set_wire(packet, plus(wire, packet->prefix_length));
	return SFLOW_FRAMED;
}

static enum sflow_frame_result frame_header(const struct sflow_framing *framing,
					    const struct sflow_datagram *datagram,
					    const struct sflow_sample *sample,
					    struct sflow_framed_packet *packet)
{
	uint32_t protocol = sample->header_protocol;
	uint32_t wire = header_wire_length(datagram, sample);

	if (framing->linktype == DLT_EN10MB) {
		switch (protocol) {
		case SFLOW_PROTO_ETHERNET:
			return ethernet_as_is(framing, sample, wire, packet);
		case SFLOW_PROTO_IPV4:
			return behind_ethernet(framing, sample, ETHERTYPE_IPV4, wire, packet);
		case SFLOW_PROTO_IPV6:
			return behind_ethernet(framing, sample, ETHERTYPE_IPV6, wire, packet);
		case SFLOW_PROTO_MPLS:
			return behind_ethernet(framing, sample, ETHERTYPE_MPLS, wire, packet);
		}
	} else if (framing->linktype == DLT_LINUX_SLL2) {
		return frame_sll2(framing, sample, wire, packet);
	} else if (framing->linktype == DLT_RAW) {
		if (protocol == SFLOW_PROTO_ETHERNET)
			return ethernet_to_raw(sample, wire, packet);
		if (protocol == SFLOW_PROTO_IPV4 || protocol == SFLOW_PROTO_IPV6) {
			packet->prefix_length = 0;
			packet->rest = sample->header;
			packet->rest_length = sample->header_length;
			set_wire(packet, wire);
			return SFLOW_FRAMED;
		}
	} else {
		for (size_t i = 0; i < CARRIER_COUNT; i++) {
			if (carriers[i].linktype == framing->linktype &&
			    carriers[i].protocol == protocol) {
				packet->prefix_length = 0;
				packet->rest = sample->header;
				packet->rest_length = sample->header_length;
				set_wire(packet, wire);
				return SFLOW_FRAMED;
			}
		}
	}
	return default_protocol(protocol) ? SFLOW_FRAME_LINKTYPE_FILTERED
					  : SFLOW_FRAME_UNSUPPORTED;
}

/* A sample with only a sampled_ipv4 / sampled_ipv6 record: its headers
 * built from the record's fields, all in the prefix. */
static enum sflow_frame_result frame_synthesized(const struct sflow_framing *framing,
						 const struct sflow_sample *sample,
						 struct sflow_framed_packet *packet)
{
	if (!(framing->options & SFLOW_OPTION_SYNTH))
		return SFLOW_FRAME_NO_SYNTH;
	if (framing->linktype == DLT_EN10MB)
		synthetic_ethernet(packet, inserted_tci(framing, sample),
				   sample->has_ipv6 ? ETHERTYPE_IPV6 : ETHERTYPE_IPV4);
	else if (framing->linktype == DLT_RAW)
		packet->prefix_length = 0;
	else if (framing->linktype == DLT_LINUX_SLL2)
		sll2_header(packet, sample, inserted_tci(framing, sample),
			    sample->has_ipv6 ? ETHERTYPE_IPV6 : ETHERTYPE_IPV4, NULL);
	else
		return SFLOW_FRAME_LINKTYPE_FILTERED;
	uint32_t link = packet->prefix_length;
	packet->prefix_length += (uint32_t)sflow_synth_ip(&sample->ip, sample->has_ipv6,
							  packet->prefix + link);
	packet->rest = packet->prefix;  /* nothing follows; a valid pointer all the same */
	packet->rest_length = 0;
	set_wire(packet, plus(sample->ip.length, link));
	return SFLOW_FRAMED;
}

enum sflow_frame_result sflow_frame(const struct sflow_framing *framing,
				    const struct sflow_datagram *datagram,
				    const struct sflow_sample *sample,
				    struct sflow_framed_packet *packet)
{
	enum sflow_frame_result result;
	int wants_discards = (framing->options & SFLOW_OPTION_DROPS) != 0;

	if ((sample->kind == SFLOW_SAMPLE_DISCARD) != wants_discards)
		return wants_discards ? SFLOW_FRAME_FLOW_SKIPPED : SFLOW_FRAME_DISCARD_SKIPPED;
	if (sample->has_header)
		result = frame_header(framing, datagram, sample, packet);
	else if (sample->has_ipv4 || sample->has_ipv6)
		result = frame_synthesized(framing, sample, packet);
	else
		result = SFLOW_FRAME_NO_HEADER;
	if (result == SFLOW_FRAMED) {
		packet->has_agent_time = sample->has_timestamp;
		packet->agent_time_ns = sample->timestamp_ns;
		packet->sampling_rate = sample->sampling_rate;
	}
	return result;
}
