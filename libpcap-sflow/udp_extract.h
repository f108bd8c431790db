/* SPDX-License-Identifier: BSD-3-Clause */
/* From a captured frame to the UDP datagram it carries, when that datagram
 * is one we want: pure (bytes in, verdict out, no I/O, no globals), so
 * sniff= and file= share it and the fuzzer can reach every path. */
#ifndef SFLOW_UDP_EXTRACT_H
#define SFLOW_UDP_EXTRACT_H

#include <stddef.h>
#include <stdint.h>

#include "device.h"

/* The datagrams wanted: those to port, and to address when has_address. */
struct sflow_udp_wanted {
	uint16_t port;
	int has_address;
	struct sflow_ip address;
};

enum sflow_udp_result {
	SFLOW_UDP_DATAGRAM,     /* a datagram wanted: see struct sflow_udp_datagram */
	SFLOW_UDP_OTHER,        /* anything else: another protocol, port or address */
	SFLOW_UDP_BAD_CHECKSUM, /* wanted, but its UDP checksum is wrong */
	SFLOW_UDP_FRAGMENT,     /* an IP fragment of a UDP datagram (to the address):
				 * see struct sflow_ip_fragment, for reassembly.c */
	SFLOW_UDP_LINKTYPE,     /* a link type we cannot read */
};

/* One fragment: its piece of the UDP segment (header and payload), at
 * offset bytes into it. */
struct sflow_ip_fragment {
	uint8_t family;                 /* 4 or 6 */
	uint8_t source[16], destination[16];
	uint32_t id;                    /* the IPv4 identification or IPv6 fragment id */
	size_t offset;                  /* a multiple of 8 */
	int more;                       /* more fragments follow */
	const uint8_t *data;            /* inside the frame */
	size_t length;
};

struct sflow_udp_datagram {
	const uint8_t *payload;         /* inside the frame */
	size_t length;                  /* bytes of it captured */
	int truncated;                  /* the datagram is longer than captured */
	struct sflow_endpoint origin;   /* its sender */
	struct sflow_ip_fragment fragment;      /* for SFLOW_UDP_FRAGMENT */
};

/* Reads frame (caplen bytes captured) of the given DLT_* link type.
 * Never reads outside frame. */
enum sflow_udp_result sflow_udp_extract(int linktype, const uint8_t *frame, size_t caplen,
					const struct sflow_udp_wanted *wanted,
					struct sflow_udp_datagram *datagram);

/* A whole UDP segment (reassembled from fragments) from source to
 * destination (address_size 4 or 16 bytes each): SFLOW_UDP_DATAGRAM with
 * the payload inside segment, SFLOW_UDP_OTHER or SFLOW_UDP_BAD_CHECKSUM. */
enum sflow_udp_result sflow_udp_segment(const uint8_t *segment, size_t length,
					const uint8_t *source, const uint8_t *destination,
					size_t address_size,
					const struct sflow_udp_wanted *wanted,
					struct sflow_udp_datagram *datagram);

/* True for the link types sflow_udp_extract reads. */
int sflow_udp_linktype_supported(int linktype);

#endif
