/* Packet framing: turns a decoded sample into the bytes and lengths a
 * capture of the sampled packet would have shown, for the handle's link
 * type. Bytes are referenced in place; a prefix is only built where bytes
 * must be added in front. */
#ifndef SFLOW_FRAMING_H
#define SFLOW_FRAMING_H

#include <stdint.h>

#include "sflow_decode.h"

#define SFLOW_PREFIX_MAX 64

struct sflow_framed_packet {
	uint8_t prefix[SFLOW_PREFIX_MAX];  /* bytes that go before rest */
	uint32_t prefix_length;
	const uint8_t *rest;               /* points into the datagram */
	uint32_t rest_length;
	uint32_t wire_length;              /* length on the wire, without FCS */
};

/* The packets of one datagram, delivered in order. */
struct sflow_packet_queue {
	struct sflow_framed_packet *packets;
	unsigned capacity;
	unsigned count;
	unsigned next;
};

/* Why a sample gave no packet; each has a counter. */
enum sflow_frame_result {
	SFLOW_FRAMED = 0,
	SFLOW_FRAME_NO_HEADER,          /* no sampled_header record */
	SFLOW_FRAME_UNSUPPORTED,        /* header protocol the link type cannot carry */
};

struct sflow_framing_counters {
	uint64_t no_header;
	uint64_t unsupported_protocol;
	uint64_t queue_overflow;
};

enum sflow_frame_result sflow_frame(int linktype, const struct sflow_sample *sample,
				    struct sflow_framed_packet *packet);

/* The most packets a datagram of datagram_size bytes can carry. */
unsigned sflow_queue_capacity(size_t datagram_size);

#endif
