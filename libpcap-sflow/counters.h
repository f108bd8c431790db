/* SPDX-License-Identifier: BSD-3-Clause */
/* The one list of the module's counters: the layer that counts it, its
 * name, what it counts. Each layer's own struct (a layer is handed only
 * its own), the handle's struct of them all, and the table SFLOW_STATS
 * prints from are generated from it, so adding a counter is one line here
 * (plus its entry in pcap-sflow(7), COUNTERS, in the same order, which
 * tests/man_pages.sh and tests/counters_doc.sh check against what tcpdump
 * prints). */
#ifndef SFLOW_COUNTERS_H
#define SFLOW_COUNTERS_H

#include <stddef.h>
#include <stdint.h>

/* X(layer, name, what it counts), in the order printed. The layers:
 * decoder  sflow_decode.c, what the bytes held;
 * loss     loss.c, the sequence numbers' books;
 * read     read.c, what became of each datagram and sample (agent=,
 *          ifindex=, dir=, -Q, framing's verdicts, delivery, close);
 * source   where datagrams come from (the socket, sniff=, file=);
 * forward  forward=, counted by read.c from forward.c's answer. */
#define SFLOW_COUNTERS(X) \
	X(decoder, datagrams, "datagrams received") \
	X(read, agent_filtered_datagrams, "datagrams left out undecoded by agent=") \
	X(forward, datagrams_forwarded, "datagram copies sent on to forward= targets") \
	X(forward, forward_errors, "datagram copies forward= could not send at once") \
	X(decoder, malformed_datagrams, "datagrams dropped as malformed (includes bad_version_datagrams)") \
	X(decoder, bad_version_datagrams, "datagrams of a version other than 2, 4, 5") \
	X(source, socket_dropped_datagrams, "datagrams the kernel dropped for a full socket buffer (SO_RXQ_OVFL), or frames sniff='s capture dropped (its ps_drop)") \
	X(source, frames_ignored, "sniff= and file= frames that are not UDP datagrams to the port (and address)") \
	X(source, udp_checksum_errors, "sniff= and file= datagrams to the port with a wrong UDP checksum: not decoded") \
	X(source, reassembled_datagrams, "sniff= and file= datagrams to the port put back together from IP fragments") \
	X(source, fragments_dropped, "sniff= and file= IP fragments of UDP datagrams that made no whole one (table full, inconsistent): not decoded") \
	X(loss, samples_lost, "flow samples missing from their data source's sequence numbers: ps_drop") \
	X(loss, samples_reordered, "flow samples that arrived behind their sequence") \
	X(loss, agent_dropped_samples, "rise of the sources' drops fields: ps_ifdrop") \
	X(loss, source_restarts, "agent streams (agent, sub-agent) and data sources that restarted") \
	X(loss, late_datagrams, "datagrams a little behind their stream's sequence and uptime") \
	X(loss, duplicate_datagrams, "datagrams that arrived again: neither loss nor recovery") \
	X(loss, implausible_leaps, "datagram or sample sequence numbers, or drops, that leapt further than time allows: re-baselined, not lost") \
	X(loss, sources_evicted, "agent streams and data sources forgotten for lack of room") \
	X(decoder, flow_samples, "flow and expanded flow samples decoded") \
	X(decoder, discard_samples, "discard samples decoded") \
	X(decoder, counter_samples, "counter samples skipped") \
	X(decoder, unknown_samples, "samples of an unknown enterprise / format skipped") \
	X(decoder, unknown_records, "flow records of an unknown enterprise / format skipped") \
	X(decoder, records_skipped, "known records not used, and repeats of a kind already seen") \
	X(decoder, header_longer_than_frame, "sampled headers longer than their frame_length, delivered all the same") \
	X(read, discard_samples_skipped, "discard samples on a device without drops") \
	X(read, flow_samples_skipped, "flow samples on a device with drops") \
	X(read, samples_without_header, "samples with neither a header nor a sampled_ipv4/ipv6 record") \
	X(read, sampled_ip_skipped, "samples with only a sampled_ipv4/ipv6 record, device without synth") \
	X(read, unsupported_header_protocol, "header protocols no offered link type carries") \
	X(read, filtered_by_linktype, "packets the selected link type does not carry") \
	X(read, filtered_by_ifindex, "samples left out by ifindex=") \
	X(read, filtered_by_direction, "samples left out by dir= or -Q in / -Q out") \
	X(read, queue_overflow, "samples beyond the packet queue of one datagram") \
	X(read, packets_received, "packets framed and handed to the filter: ps_recv") \
	X(read, sampled_packets_estimate, "sum of the sampling rates of the packets delivered") \
	X(read, samples_undelivered, "samples received but not delivered when the capture closed: in ps_drop")

/* SFLOW_IF_LAYER(layer, wanted, text) is text when layer is wanted, else
 * nothing: SFLOW_SAME_x_y is defined (as a comma, which moves text into
 * SFLOW_THIRD's third place) only for x = y. One line per layer here. */
#define SFLOW_SAME_decoder_decoder ,
#define SFLOW_SAME_loss_loss ,
#define SFLOW_SAME_read_read ,
#define SFLOW_SAME_source_source ,
#define SFLOW_SAME_forward_forward ,
#define SFLOW_THIRD(a, b, c, ...) c
#define SFLOW_IF_SAME(probe, text) SFLOW_THIRD(probe, text, , )
#define SFLOW_IF_LAYER(layer, wanted, text) SFLOW_IF_SAME(SFLOW_SAME_##layer##_##wanted, text)

#define SFLOW_DECODER_FIELD(layer, name, meaning) SFLOW_IF_LAYER(layer, decoder, uint64_t name;)
#define SFLOW_LOSS_FIELD(layer, name, meaning) SFLOW_IF_LAYER(layer, loss, uint64_t name;)
#define SFLOW_READ_FIELD(layer, name, meaning) SFLOW_IF_LAYER(layer, read, uint64_t name;)
#define SFLOW_SOURCE_FIELD(layer, name, meaning) SFLOW_IF_LAYER(layer, source, uint64_t name;)
#define SFLOW_FORWARD_FIELD(layer, name, meaning) SFLOW_IF_LAYER(layer, forward, uint64_t name;)

struct sflow_decoder_counters { SFLOW_COUNTERS(SFLOW_DECODER_FIELD) };
struct sflow_loss_counters { SFLOW_COUNTERS(SFLOW_LOSS_FIELD) };
struct sflow_read_counters { SFLOW_COUNTERS(SFLOW_READ_FIELD) };
struct sflow_source_counters { SFLOW_COUNTERS(SFLOW_SOURCE_FIELD) };
struct sflow_forward_counters { SFLOW_COUNTERS(SFLOW_FORWARD_FIELD) };

/* A handle's counters: every layer's, each its own. */
struct sflow_counters {
	struct sflow_decoder_counters decoder;
	struct sflow_loss_counters loss;
	struct sflow_read_counters read;
	struct sflow_source_counters source;
	struct sflow_forward_counters forward;
};

#endif
