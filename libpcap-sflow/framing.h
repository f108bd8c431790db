/* SPDX-License-Identifier: BSD-3-Clause */
/* Packet framing: turns a decoded sample into the bytes and lengths a
 * capture of the sampled packet would have shown, for the handle's link
 * type and device options. Bytes are referenced in place; a prefix is only
 * built where bytes must be added in front (a synthetic Ethernet header,
 * an inserted 802.1Q tag, a header synthesized from a sampled_ipv4/ipv6
 * record). */
#ifndef SFLOW_FRAMING_H
#define SFLOW_FRAMING_H

#include <stddef.h>
#include <stdint.h>

#include "pcap-sflow.h"
#include "sflow_decode.h"
#include "sizes.h"


/* sampled_header header_protocol values this module gives a meaning to. */
enum {
	SFLOW_PROTO_ETHERNET = 1,
	SFLOW_PROTO_TOKEN_RING = 3,
	SFLOW_PROTO_FDDI = 4,
	SFLOW_PROTO_PPP = 7,
	SFLOW_PROTO_IPV4 = 11,
	SFLOW_PROTO_IPV6 = 12,
	SFLOW_PROTO_MPLS = 13,
	SFLOW_PROTO_POS = 14,
	SFLOW_PROTO_IEEE80211 = 15,
};

/* What framing needs to know about the handle. */
struct sflow_framing {
	int linktype;           /* DLT_* the handle delivers */
	unsigned options;       /* SFLOW_OPTION_* of the device */
};

struct sflow_framed_packet {
	uint8_t prefix[SFLOW_PREFIX_MAX];  /* bytes that go before rest */
	uint32_t prefix_length;
	const uint8_t *rest;               /* points into the datagram; never NULL */
	uint32_t rest_length;
	uint32_t wire_length;              /* length on the wire, without FCS */
	int has_agent_time;                /* the sample carried a timestamp record */
	uint64_t agent_time_ns;            /* its time, nanoseconds since the epoch */
	/* What the sample said, in the form pcap_sflow_packet_info hands
	 * out (packet_info.c), so that reading it back is one copy: filled
	 * when the packet is queued (read.c). */
	struct pcap_sflow_packet_info info;
	uint32_t sampling_rate;            /* the sample's: 1 in how many packets */
};

/* The packets of one datagram, delivered in order. */
struct sflow_packet_queue {
	struct sflow_framed_packet *packets;
	unsigned capacity;
	unsigned count;
	unsigned next;
};

/* What became of a sample; every outcome but SFLOW_FRAMED has a counter
 * (read.c counts it). */
enum sflow_frame_result {
	SFLOW_FRAMED = 0,
	SFLOW_FRAME_NO_HEADER,          /* neither sampled_header nor sampled_ipv4/ipv6 */
	SFLOW_FRAME_NO_SYNTH,           /* only sampled_ipv4/ipv6, device without synth */
	SFLOW_FRAME_UNSUPPORTED,        /* header protocol that neither EN10MB, RAW nor
					 * the selected link type can carry */
	SFLOW_FRAME_LINKTYPE_FILTERED,  /* a packet, but not of the selected link type */
	SFLOW_FRAME_DISCARD_SKIPPED,    /* discard sample, device without drops */
	SFLOW_FRAME_FLOW_SKIPPED,       /* flow sample, device with drops */
	SFLOW_FRAME_RESULTS
};

/* Frames one sample of datagram into packet; packet holds a packet only
 * when the result is SFLOW_FRAMED. */
enum sflow_frame_result sflow_frame(const struct sflow_framing *framing,
				    const struct sflow_datagram *datagram,
				    const struct sflow_sample *sample,
				    struct sflow_framed_packet *packet);

/* The link types framing can produce, the default (EN10MB) at index 0;
 * -1 past the end. */
size_t sflow_framing_linktype_count(void);
int sflow_framing_linktype(size_t index);

#endif
