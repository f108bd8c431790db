/* SPDX-License-Identifier: BSD-3-Clause */
/* The one list of the module's counters: name, where it is counted, what it
 * counts. The struct every layer counts into and the table SFLOW_STATS
 * prints from are both generated from it, so adding a counter is one line
 * here (plus its row in the README's Counters table, which
 * tests/counters_doc.sh checks against what tcpdump prints). */
#ifndef SFLOW_COUNTERS_H
#define SFLOW_COUNTERS_H

#include <stddef.h>
#include <stdint.h>

/* X(name, where it is counted, what it counts), in the order printed. */
#define SFLOW_COUNTERS(X) \
	X(datagrams, "decoder", "datagrams received") \
	X(agent_filtered_datagrams, "read", "datagrams left out undecoded by agent=") \
	X(datagrams_forwarded, "forward", "datagram copies sent on to forward= targets") \
	X(forward_errors, "forward", "datagram copies forward= could not send at once") \
	X(malformed_datagrams, "decoder", "datagrams dropped as malformed (includes bad_version_datagrams)") \
	X(bad_version_datagrams, "decoder", "datagrams of a version other than 2, 4, 5") \
	X(socket_dropped_datagrams, "source", "datagrams the kernel dropped for a full socket buffer (SO_RXQ_OVFL), or frames sniff='s capture dropped (its ps_drop)") \
	X(frames_ignored, "source", "sniff= and file= frames that are not UDP datagrams to the port (and address)") \
	X(udp_checksum_errors, "source", "sniff= and file= datagrams to the port with a wrong UDP checksum: not decoded") \
	X(reassembled_datagrams, "source", "sniff= and file= datagrams to the port put back together from IP fragments") \
	X(fragments_dropped, "source", "sniff= and file= IP fragments of UDP datagrams that made no whole one (table full, inconsistent): not decoded") \
	X(samples_lost, "loss", "flow samples missing from their data source's sequence numbers: ps_drop") \
	X(samples_reordered, "loss", "flow samples that arrived behind their sequence") \
	X(agent_dropped_samples, "loss", "rise of the sources' drops fields: ps_ifdrop") \
	X(source_restarts, "loss", "agent streams (agent, sub-agent) and data sources that restarted") \
	X(late_datagrams, "loss", "datagrams a little behind their stream's sequence and uptime") \
	X(duplicate_datagrams, "loss", "datagrams that arrived again: neither loss nor recovery") \
	X(sources_evicted, "loss", "data sources forgotten for lack of room") \
	X(flow_samples, "decoder", "flow and expanded flow samples decoded") \
	X(discard_samples, "decoder", "discard samples decoded") \
	X(counter_samples, "decoder", "counter samples skipped") \
	X(unknown_samples, "decoder", "samples of an unknown enterprise / format skipped") \
	X(unknown_records, "decoder", "flow records of an unknown enterprise / format skipped") \
	X(records_skipped, "decoder", "known records not used, and repeats of a kind already seen") \
	X(header_longer_than_frame, "decoder", "sampled headers longer than their frame_length, delivered all the same") \
	X(discard_samples_skipped, "framing", "discard samples on a device without drops") \
	X(flow_samples_skipped, "framing", "flow samples on a device with drops") \
	X(samples_without_header, "framing", "samples with neither a header nor a sampled_ipv4/ipv6 record") \
	X(sampled_ip_skipped, "framing", "samples with only a sampled_ipv4/ipv6 record, device without synth") \
	X(unsupported_header_protocol, "framing", "header protocols no offered link type carries") \
	X(filtered_by_linktype, "framing", "packets the selected link type does not carry") \
	X(filtered_by_ifindex, "read", "samples left out by ifindex=") \
	X(filtered_by_direction, "read", "samples left out by dir= or -Q in / -Q out") \
	X(queue_overflow, "read", "samples beyond the packet queue of one datagram") \
	X(packets_received, "read", "packets framed and handed to the filter: ps_recv") \
	X(sampled_packets_estimate, "read", "sum of the sampling rates of the packets delivered") \
	X(samples_undelivered, "close", "samples received but not delivered when the capture closed: in ps_drop")

struct sflow_counters {
#define SFLOW_COUNTER_FIELD(name, where, meaning) uint64_t name;
	SFLOW_COUNTERS(SFLOW_COUNTER_FIELD)
#undef SFLOW_COUNTER_FIELD
};

/* One row of the table generated from SFLOW_COUNTERS (stats.c). */
struct sflow_counter_info {
	const char *name;
	const char *where;
	const char *meaning;
	size_t offset;          /* of its field in struct sflow_counters */
};

extern const struct sflow_counter_info sflow_counter_table[];
extern const size_t sflow_counter_count;

#endif
