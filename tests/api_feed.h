/* SPDX-License-Identifier: BSD-3-Clause */
/* The datagrams the libpcap API tests (test_api, test_api_timing) send
 * themselves: one v5 flow sample per destination port, each sample's
 * header the first 128 bytes of a 200-byte Ethernet + IPv4 + UDP frame. */
#ifndef SFLOW_TEST_API_FEED_H
#define SFLOW_TEST_API_FEED_H

#include <stdint.h>

/* Fills frame with the 200-byte frame to dport. */
void api_feed_frame(uint8_t frame[200], uint16_t dport);
/* The destination port of a captured frame made by api_feed_frame. */
uint16_t api_feed_dport(const uint8_t *frame);
/* Sends one datagram to 127.0.0.1:port with a flow sample per dports[i],
 * taken on interface source (input 1, output 2: source 1 is ingress, 2
 * egress), with the agent's drop counter at drops; datagram and sample
 * sequence numbers run on without gaps across calls. */
void api_feed_send(uint16_t port, uint32_t source, uint32_t drops, const uint16_t *dports,
		   unsigned count);

#endif
