/* SPDX-License-Identifier: BSD-3-Clause */
/* Direction, spelled once for the whole module. */
#ifndef SFLOW_DIRECTION_H
#define SFLOW_DIRECTION_H

/* Where a sample was taken: on ingress when its data source is the input
 * interface, on egress when it is the output interface (a source that is
 * both counts as ingress); unknown when it is neither (the decoder's
 * verdict). What a capture asks for (dir=, -Q) is one of these too, where
 * SFLOW_DIRECTION_UNKNOWN means it asks for none: every sample passes.
 * Translated only at the public edges: libpcap's pcap_direction_t for
 * pcap_setdirection, pcap-sflow.h's enum for pcap_sflow_packet_info. */
enum sflow_direction {
	SFLOW_DIRECTION_UNKNOWN = 0,
	SFLOW_DIRECTION_IN,
	SFLOW_DIRECTION_OUT,
};

#endif
