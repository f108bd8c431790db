/* SPDX-License-Identifier: BSD-3-Clause */
/* The benchmark's drain: reads a pcap or pcapng stream on stdin, as
 * dumpcap reads the extcap's fifo, keeps none of it, and prints
 * "packets N" at its end (pcap records, or pcapng enhanced packet
 * blocks). It walks record and block headers only, so it takes far less
 * CPU than the writer it drains and never holds it back, as cat into a
 * file or capinfos would.
 * usage: capture_count < STREAM */
#include <config.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#define PCAP_MAGIC 0xA1B2C3D4u
#define PCAP_MAGIC_NS 0xA1B23C4Du
#define PCAPNG_SHB 0x0A0D0D0Au
#define PCAPNG_EPB 6u
#define PCAPNG_BYTE_ORDER 0x1A2B3C4Du

static uint32_t swap32(uint32_t v)
{
	return (v >> 24) | ((v >> 8) & 0xFF00u) | ((v << 8) & 0xFF0000u) | (v << 24);
}

static uint32_t word(const uint8_t *at, int swapped)
{
	uint32_t v;
	memcpy(&v, at, sizeof v);
	return swapped ? swap32(v) : v;
}

enum format { UNKNOWN, PCAP, PCAPNG };

int main(void)
{
	static uint8_t buffer[1 << 20];
	size_t have = 0, at = 0;
	uint64_t skip = 0, packets = 0;
	enum format format = UNKNOWN;
	int swapped = 0;

	for (;;) {
		ssize_t n = read(STDIN_FILENO, buffer + have, sizeof buffer - have);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			perror("capture_count: read");
			return 1;
		}
		if (n == 0)
			break;
		have += (size_t)n;
		for (;;) {
			size_t left = have - at;
			if (skip > 0) {
				size_t step = skip < left ? (size_t)skip : left;
				at += step;
				skip -= step;
				if (skip > 0)
					break;
				continue;
			}
			if (format == UNKNOWN) {
				if (left < 24)
					break;
				uint32_t magic = word(buffer + at, 0);
				if (magic == PCAP_MAGIC || magic == PCAP_MAGIC_NS) {
					format = PCAP;
				} else if (swap32(magic) == PCAP_MAGIC || swap32(magic) == PCAP_MAGIC_NS) {
					format = PCAP;
					swapped = 1;
				} else if (magic == PCAPNG_SHB) {
					format = PCAPNG;
					continue;       /* the header is a block */
				} else {
					fprintf(stderr, "capture_count: neither pcap nor pcapng\n");
					return 1;
				}
				skip = 24;      /* pcap's file header */
				continue;
			}
			if (format == PCAP) {
				if (left < 16)
					break;
				packets++;
				skip = 16 + (uint64_t)word(buffer + at + 8, swapped);
				continue;
			}
			if (left < 12)
				break;
			uint32_t type = word(buffer + at, 0);
			if (type == PCAPNG_SHB)         /* a section: its byte order */
				swapped = word(buffer + at + 8, 0) != PCAPNG_BYTE_ORDER;
			else if (word(buffer + at, swapped) == PCAPNG_EPB)
				packets++;
			uint32_t length = word(buffer + at + 4, swapped);
			if (length < 12 || length % 4 != 0) {
				fprintf(stderr, "capture_count: a block of length %u\n", length);
				return 1;
			}
			skip = length;
		}
		memmove(buffer, buffer + at, have - at);
		have -= at;
		at = 0;
	}
	printf("packets %llu\n", (unsigned long long)packets);
	return 0;
}
