/* SPDX-License-Identifier: BSD-3-Clause */
/* The packet comment that carries a sample's metadata in the extcap's
 * pcapng: key=value words, readable as they are and parsed by the
 * Wireshark plugin tcpdump/sflow_sample.lua (sflow-extcap(1), CARRIER):
 *
 *   sflow_sample agent=10.1.2.3 sub_agent=0 source_class=0 source_index=7
 *   in_ifindex=7 out_ifindex=3 direction=in rate=1000 pool=4000 seq=42 drops=0
 *
 * then in_format=N / out_format=N when not 0 (ifIndex), and for discard
 * samples discard_reason=CODE or discard_reason=CODE(NAME). */
#ifndef SFLOW_SAMPLE_COMMENT_H
#define SFLOW_SAMPLE_COMMENT_H

#include <stddef.h>

#include "extcap_interfaces.h"
#include "pcap-sflow.h"

#define SAMPLE_COMMENT_MAX 512

/* Writes the comment, NUL-terminated, into out (SAMPLE_COMMENT_MAX bytes);
 * returns its length. The port gives the precomputed start. */
size_t sample_comment(const struct extcap_port *port, const struct pcap_sflow_packet_info *info,
		      char *out);

#endif
