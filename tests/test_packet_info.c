/* SPDX-License-Identifier: BSD-3-Clause */
/* pcap_sflow_packet_info from a program linked against the module (as the
 * extcap is), and its compatibility: the struct grew at its end, so the
 * plain symbol, which programs built against the first header call, must
 * fill the older fields only, and the sized call as much as the caller's
 * struct holds. Run by tests/packet_info.sh with a free UDP port. */
#include <pcap/pcap.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "api_feed.h"
#include "pcap-sflow.h"
#include "tap.h"

/* The struct with room after it, to see what a call writes past it. */
struct guarded {
	struct pcap_sflow_packet_info info;
	uint8_t after[64];
};

static int all_bytes(const void *data, size_t length, uint8_t value)
{
	const uint8_t *bytes = data;
	for (size_t i = 0; i < length; i++)
		if (bytes[i] != value)
			return 0;
	return 1;
}

int main(int argc, char **argv)
{
	char errbuf[PCAP_ERRBUF_SIZE] = "", device[32];
	if (argc < 2)
		return 2;
	uint16_t port = (uint16_t)atoi(argv[1]);
	snprintf(device, sizeof device, "sflow:%u", port);
	pcap_t *p = pcap_create(device, errbuf);
	tap_ok(p != NULL, "pcap_create(%s)", device);
	if (p == NULL)
		return tap_done();
	pcap_set_timeout(p, 100);
	tap_eq(pcap_activate(p), 0, "pcap_activate");

	struct guarded g;
	memset(&g, 0xab, sizeof g);
	tap_eq(pcap_sflow_packet_info(p, &g.info), PCAP_ERROR, "before any packet: PCAP_ERROR");

	/* One sample on data source 2 = the output interface: egress. */
	const uint16_t dports[1] = { 4242 };
	api_feed_send(port, 2, 7, dports, 1);
	struct pcap_pkthdr *header;
	const u_char *data;
	int status = 0;
	for (int tries = 0; tries < 50 && status == 0; tries++)
		status = pcap_next_ex(p, &header, &data);
	tap_eq(status, 1, "pcap_next_ex: the packet");

	/* The plain symbol, as a program built against the first header. */
	memset(&g, 0xab, sizeof g);
	tap_eq((pcap_sflow_packet_info)(p, &g.info), 0, "the plain symbol: 0");
	tap_eq(g.info.agent_family, AF_INET, "the plain symbol: agent family");
	tap_eq(g.info.source_id_index, 2, "the plain symbol: data source 2");
	tap_eq(g.info.direction, PCAP_SFLOW_DIRECTION_OUT, "the plain symbol: direction out");
	tap_eq(g.info.drops, 7, "the plain symbol: drops");
	size_t old_end = offsetof(struct pcap_sflow_packet_info, sequence) + sizeof g.info.sequence;
	tap_ok(all_bytes((uint8_t *)&g + old_end, sizeof g - old_end, 0xab),
	       "the plain symbol: nothing written past the first header's struct (%zu bytes)", old_end);

	/* The call the header makes: every field, nothing past the struct. */
	memset(&g, 0xab, sizeof g);
	tap_eq(pcap_sflow_packet_info(p, &g.info), 0, "pcap_sflow_packet_info (sized): 0");
	tap_eq(g.info.direction, PCAP_SFLOW_DIRECTION_OUT, "sized: direction out");
	tap_eq(g.info.input_ifindex, 1, "sized: input 1");
	tap_eq(g.info.output_ifindex, 2, "sized: output 2");
	tap_eq(g.info.input_format, 0, "sized: input format 0 (ifIndex)");
	tap_eq(g.info.output_format, 0, "sized: output format 0 (ifIndex)");
	tap_eq(g.info.discard_reason, 0, "sized: no discard reason in a flow sample");
	tap_eq(g.info.header_protocol, 1, "sized: header protocol 1 (Ethernet)");
	tap_ok(all_bytes(g.after, sizeof g.after, 0xab), "sized: nothing written past the struct");

	/* A size short of the first struct is refused. */
	tap_eq(pcap_sflow_packet_info_sized(p, &g.info, old_end - 1), PCAP_ERROR,
	       "sized: a size short of the first header's struct is refused");

	/* Several samples in one datagram, the middle one filtered out: each
	 * packet's info is its own sample's (pool i + 1 for the i-th). */
	struct bpf_program program;
	tap_eq(pcap_compile(p, &program, "udp dst port 5001 or udp dst port 5003", 1,
			    PCAP_NETMASK_UNKNOWN), 0, "pcap_compile");
	tap_eq(pcap_setfilter(p, &program), 0, "pcap_setfilter");
	pcap_freecode(&program);
	const uint16_t three[3] = { 5001, 5002, 5003 };
	api_feed_send(port, 2, 7, three, 3);
	const uint32_t pools[2] = { 1, 3 };
	for (unsigned i = 0; i < 2; i++) {
		status = 0;
		for (int tries = 0; tries < 50 && status == 0; tries++)
			status = pcap_next_ex(p, &header, &data);
		tap_eq(status, 1, "three samples: packet %u", i + 1);
		tap_eq(pcap_sflow_packet_info(p, &g.info), 0, "three samples: info of packet %u", i + 1);
		tap_eq(g.info.sample_pool, pools[i], "three samples: packet %u is sample %u's",
		       i + 1, pools[i]);
	}
	/* A read that finds nothing leaves the last packet's info as it was. */
	tap_eq(pcap_next_ex(p, &header, &data), 0, "nothing more: pcap_next_ex times out");
	memset(&g, 0xab, sizeof g);
	tap_eq(pcap_sflow_packet_info(p, &g.info), 0, "after the timeout: info still there");
	tap_eq(g.info.sample_pool, 3, "after the timeout: still the last packet's");
	pcap_close(p);
	return tap_done();
}
