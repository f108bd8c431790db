/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * What a captured packet holds under its link header. The link types read
 * are Ethernet (with 802.1Q/802.1ad tags for UDP), raw IPv4/IPv6, BSD
 * loopback and Linux cooked (SLL and SLL2).
 */
#ifndef SENDER_LINK_LAYER_H
#define SENDER_LINK_LAYER_H

#include <pcap/pcap.h>
#include <stdint.h>

#include "sflow_encode.h"

/* Whether packets of link type dlt can be read. */
int link_type_supported(int dlt);

/* Describes a packet as an sFlow sampled header: Ethernet frames whole,
 * the others as their IP packet. Returns 0, or -1 when the packet cannot
 * be expressed (not IP, or cut short within its link header). */
int packet_sampled_header(int dlt, const struct pcap_pkthdr *h,
			  const uint8_t *data, struct sflow_packet *pkt);

/* Finds the UDP payload of a packet: sets *payload and returns its length,
 * or -1 when the packet is not a whole, unfragmented UDP datagram. */
long packet_udp_payload(int dlt, const struct pcap_pkthdr *h,
			const uint8_t *data, const uint8_t **payload);

#endif
