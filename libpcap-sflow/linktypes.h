/* SPDX-License-Identifier: BSD-3-Clause */
/* The link types an sflow capture offers, named once. */
#ifndef SFLOW_LINKTYPES_H
#define SFLOW_LINKTYPES_H

#include <pcap/dlt.h>

/* X(DLT_*, the sampled_header protocol it carries as is), the default
 * first. RAW and LINUX_SLL2 carry none as is: they adapt what EN10MB would
 * carry (framing.c handles them before its table). Expanded by framing.c
 * into its table, and by the Wireshark extcap (tcpdump/extcap_args.c) into
 * the choices its dialog offers, so the two cannot differ. */
#define SFLOW_LINKTYPES(X) \
	X(DLT_EN10MB, SFLOW_PROTO_ETHERNET) \
	X(DLT_RAW, 0) \
	X(DLT_LINUX_SLL2, 0) \
	X(DLT_IEEE802_11, SFLOW_PROTO_IEEE80211) \
	X(DLT_PPP, SFLOW_PROTO_PPP) \
	X(DLT_PPP_SERIAL, SFLOW_PROTO_POS) \
	X(DLT_FDDI, SFLOW_PROTO_FDDI) \
	X(DLT_IEEE802, SFLOW_PROTO_TOKEN_RING)

#endif
