/* SPDX-License-Identifier: BSD-3-Clause */
/* The public extension of the sflow capture module: what the switch said
 * about the packet a program is looking at (agent, interfaces, direction,
 * sampling). For programs linked against the module, such as the
 * Wireshark extcap; installed as <pcap-sflow.h>. */
#ifndef PCAP_SFLOW_H
#define PCAP_SFLOW_H

#include <pcap/pcap.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Where the agent took the sample: on ingress when its data source is the
 * packet's input interface, on egress when it is the output interface. */
enum pcap_sflow_direction {
	PCAP_SFLOW_DIRECTION_UNKNOWN = 0,
	PCAP_SFLOW_DIRECTION_IN = 1,
	PCAP_SFLOW_DIRECTION_OUT = 2,
};

struct pcap_sflow_packet_info {
	int agent_family;               /* AF_INET, AF_INET6, or 0 when unknown */
	uint8_t agent[16];              /* 4 bytes used for AF_INET */
	uint32_t sub_agent;
	uint32_t datagram_sequence;
	uint32_t sample_kind;           /* 1 flow, 3 expanded flow, 5 discard */
	uint32_t source_id_type;        /* 0 ifIndex, 1 VLAN, 2 physical entity */
	uint32_t source_id_index;
	uint32_t input_ifindex;         /* 0 when unknown */
	uint32_t output_ifindex;        /* 0 when unknown or several */
	uint32_t direction;             /* enum pcap_sflow_direction */
	uint32_t sampling_rate;         /* 1 in N; 0 for discard samples */
	uint32_t sample_pool;
	uint32_t drops;
	uint32_t sequence;              /* the sample's sequence number */
	/* Appended in 0.2: a program built against the older header passes
	 * the smaller struct, and gets only the fields above (see below). */
	uint32_t input_format;          /* as sent: 0 ifIndex; (output) 1 discarded, */
	uint32_t output_format;         /* the value being the reason; 2 several interfaces */
	uint32_t discard_reason;        /* discard samples: sFlow's drop_reason code */
	uint32_t header_protocol;       /* sampled_header's header_protocol; 0 when
					 * the packet was synthesized from sampled_ipv4/6 */
};

/* Fills info with the metadata of the packet most recently handed to the
 * program by pcap_dispatch / pcap_loop (valid inside the callback) or
 * pcap_next_ex / pcap_next (until the next read). Returns 0, or
 * PCAP_ERROR when p is not an sflow capture or no packet was read yet.
 *
 * The call a program compiles is pcap_sflow_packet_info_sized with the
 * size of its struct, so the struct can grow at its end: a program built
 * against an older header keeps calling the plain symbol, which fills
 * the fields up to sequence only. */
int pcap_sflow_packet_info_sized(pcap_t *p, struct pcap_sflow_packet_info *info, size_t size);
int pcap_sflow_packet_info(pcap_t *p, struct pcap_sflow_packet_info *info);
#define pcap_sflow_packet_info(p, info) \
	pcap_sflow_packet_info_sized((p), (info), sizeof *(info))

#ifdef __cplusplus
}
#endif

#endif
