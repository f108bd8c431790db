/* SPDX-License-Identifier: BSD-3-Clause */
/* Replay: sends the sFlow payloads of a capture unchanged (see replay.h). */
#include <config.h>
#include "replay.h"

#include <string.h>

#include "bytes.h"
#include "input.h"
#include "link_layer.h"
#include "output.h"

#define MAX_UDP 65535

struct replay {
	const struct options *opt;
	struct output *out;
	uint64_t sent;
};

/* The samples a replayed sFlow datagram claims, for the summary. */
static uint32_t count_samples(const uint8_t *d, size_t len)
{
	size_t off;
	uint32_t version, type;

	if (len < 8)
		return 0;
	version = get_be32(d);
	type = get_be32(d + 4);
	off = 8 + (type == 1 ? 4 : type == 2 ? 16 : 0);
	if (version == 5)
		off += 12; /* sub-agent, sequence, uptime */
	else if (version == 2 || version == 4)
		off += 8;  /* sequence, uptime */
	else
		return 0;
	if ((type != 1 && type != 2) || len < off + 4)
		return 0;
	return get_be32(d + off);
}

static enum packet_use replay_packet(void *ctx, int dlt,
				     const struct pcap_pkthdr *h,
				     const uint8_t *data)
{
	struct replay *r = ctx;
	const uint8_t *payload;
	long len = packet_udp_payload(dlt, h, data, &payload);

	if (len < 0)
		return PACKET_SKIPPED;
	memcpy(output_slot(r->out), payload, (size_t)len);
	output_commit(r->out, (size_t)len,
		      count_samples(payload, (size_t)len));
	return ++r->sent == r->opt->count ? PACKET_USED_LAST : PACKET_USED;
}

uint64_t run_replay(const struct options *o, struct output *out)
{
	struct replay r = { .opt = o, .out = out };
	/* the input first: its errors are the likelier */
	pcap_t *first = input_open(o->file);
	uint64_t skipped;

	output_init(out, o->dest, o->rate, MAX_UDP);
	skipped = input_each_packet(first, o->file, o->loops, replay_packet,
				    &r);
	output_flush(out);
	return skipped;
}
