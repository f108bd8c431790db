/* SPDX-License-Identifier: BSD-3-Clause */
/* The API tests' own feed (see api_feed.h), built with the one C encoder. */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "api_feed.h"
#include "sflow_encode.h"

static const uint8_t agent[4] = { 127, 0, 0, 1 };

void api_feed_frame(uint8_t frame[200], uint16_t dport)
{
	memset(frame, 0, 200);
	memcpy(frame, "\x02\0\0\0\0\x02\x02\0\0\0\0\x01\x08\x00", 14);
	frame[14] = 0x45;
	frame[17] = 186;                /* IP total length */
	frame[22] = 64;
	frame[23] = 17;                 /* UDP */
	memcpy(frame + 26, "\x0a\0\0\x01\x0a\0\0\x02", 8);
	frame[34] = 0x9c;
	frame[36] = (uint8_t)(dport >> 8);
	frame[37] = (uint8_t)dport;
	frame[39] = 166;                /* UDP length */
}

uint16_t api_feed_dport(const uint8_t *frame)
{
	return (uint16_t)(frame[36] << 8 | frame[37]);
}

void api_feed_send(uint16_t port, uint32_t source, uint32_t drops, const uint16_t *dports,
		   unsigned count)
{
	static uint32_t sequence, sample_sequence;
	static uint8_t buffer[SFLOW_XDR_MAX];
	struct sflow_xdr d;
	uint8_t frame[200];

	sflow_xdr_init(&d, buffer, sizeof buffer);
	sflow_xdr_v5_header(&d, SFLOW_ADDRESS_TYPE_IP4, agent, 0, ++sequence, 1000, count);
	for (unsigned i = 0; i < count; i++) {
		/* Sampling rate 1, pool i + 1, input 1, output 2, one record. */
		size_t sample = sflow_xdr_v5_flow_sample(&d, ++sample_sequence, source, 1, i + 1,
							 drops, 1, 2, 1);
		api_feed_frame(frame, dports[i]);
		sflow_xdr_v5_sampled_header(&d, 1, 204, 4, frame, 128);
		sflow_xdr_end_length(&d, sample);
	}
	/* A datagram the writer could not build is a broken test: stop loudly. */
	if (d.overflow) {
		fprintf(stderr, "api_feed: datagram not built\n");
		abort();
	}
	int fd = socket(AF_INET, SOCK_DGRAM, 0);
	struct sockaddr_in to = { .sin_family = AF_INET, .sin_port = htons(port),
				  .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	if (fd < 0 || sendto(fd, d.bytes, d.length, 0, (struct sockaddr *)&to, sizeof to) < 0)
		perror("api_feed_send");
	if (fd >= 0)
		close(fd);
}
