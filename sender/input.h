/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The pcap input: opening the file (or "-", stdin) and reading its packets
 * pass after pass, for both modes.
 */
#ifndef SENDER_INPUT_H
#define SENDER_INPUT_H

#include <pcap/pcap.h>
#include <stdint.h>

/* Opens file and checks its link type; exits on any error. */
pcap_t *input_open(const char *file);

/* What a packet handler did with a packet. */
enum packet_use {
	PACKET_SKIPPED,   /* not usable: counted as skipped */
	PACKET_USED,
	PACKET_USED_LAST, /* used, and the run is complete */
};

typedef enum packet_use (*packet_handler)(void *ctx, int dlt,
					  const struct pcap_pkthdr *h,
					  const uint8_t *data);

/* Hands every packet of file to handle, for passes passes (0: without
 * end). The first pass reads first, the handle input_open() gave for the
 * file (stdin can be read only once); each later pass opens the file
 * again. Ends early at a SIGINT or SIGTERM, at PACKET_USED_LAST, or after
 * a pass with no usable packet (nothing to send: no spinning on -l 0).
 * Exits on a read error; closes every handle. Returns the packets
 * skipped. */
uint64_t input_each_packet(pcap_t *first, const char *file, uint32_t passes,
			   packet_handler handle, void *ctx);

#endif
