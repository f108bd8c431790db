/* SPDX-License-Identifier: BSD-3-Clause */
/* The command line of sflow-send. */
#ifndef SENDER_OPTIONS_H
#define SENDER_OPTIONS_H

#include <stdint.h>

struct options {
	uint32_t sampling_rate, header_bytes, sub_agent, ifindex, sources;
	uint32_t per_datagram; /* 0 = as many as fit */
	uint32_t rate, loops, final_pause_ms;
	uint64_t count;        /* 0 = no limit */
	int replay, quiet;
	int agent_family;
	uint8_t agent[16];
	const char *file, *dest;
};

/* Fills o from the command line. Prints the help and exits 0 for -h;
 * exits 2 with a one-line message on any usage error. */
void parse_options(int argc, char **argv, struct options *o);

#endif
