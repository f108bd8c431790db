/* SPDX-License-Identifier: BSD-3-Clause */
/* Sampling mode: 1-in-N packets of a pcap into flow samples (see sampling.h). */
#include <config.h>
#include "sampling.h"

#include <stdlib.h>
#include <string.h>

#include "clock.h"
#include "errors.h"
#include "input.h"
#include "link_layer.h"
#include "output.h"
#include "sflow_encode.h"
#include "signals.h"

#define DATAGRAM_LIMIT 1400 /* bytes: fits any ordinary path MTU */

struct sampler {
	const struct options *opt;
	struct output *out;
	struct sflow_encoder enc;
	struct sflow_source *sources;
	uint32_t next_source;
	uint64_t start_ns;
	size_t cap;         /* datagram buffer size */
	int open;           /* a datagram is being built */
	uint64_t seen;      /* usable packets so far */
	uint64_t samples;
	uint32_t pending;   /* packets seen since the last sample */
	/* the last sampled packet, for --final-pause */
	uint8_t *last;
	struct sflow_packet last_pkt;
	int have_last;
};

static uint32_t uptime_ms(const struct sampler *s)
{
	return (uint32_t)((now_ns() - s->start_ns) / 1000000u);
}

static void close_datagram(struct sampler *s)
{
	if (s->open) {
		size_t len = sflow_finish(&s->enc);

		output_commit(s->out, len, s->enc.num_samples);
		s->open = 0;
	}
}

static void add_sample(struct sampler *s, struct sflow_source *src,
		       const struct sflow_packet *pkt)
{
	if (s->open && ((s->opt->per_datagram &&
			 s->enc.num_samples >= s->opt->per_datagram) ||
			!sflow_fits(&s->enc, pkt->header_len)))
		close_datagram(s);
	if (!s->open) {
		sflow_begin(&s->enc, output_slot(s->out), s->cap,
			    DATAGRAM_LIMIT, uptime_ms(s));
		s->open = 1;
	}
	/* cap holds one sample of the largest header: cannot fail */
	sflow_add_flow_sample(&s->enc, src, s->opt->sampling_rate, pkt);
}

static enum packet_use sample_packet(void *ctx, int dlt,
				     const struct pcap_pkthdr *h,
				     const uint8_t *data)
{
	struct sampler *s = ctx;
	const struct options *o = s->opt;
	struct sflow_packet pkt;
	struct sflow_source *src;

	if (packet_sampled_header(dlt, h, data, &pkt) < 0)
		return PACKET_SKIPPED;
	s->pending++;
	if (++s->seen % o->sampling_rate)
		return PACKET_USED;
	if (pkt.header_len > o->header_bytes)
		pkt.header_len = o->header_bytes;
	/* Samples go round-robin over the sources; each source's pool gets
	 * the packets since the previous sample, so pool / sequence stays
	 * the rate. */
	src = &s->sources[s->next_source];
	s->next_source = (s->next_source + 1) % o->sources;
	src->pool += s->pending;
	s->pending = 0;
	add_sample(s, src, &pkt);
	if (s->last) {
		memcpy(s->last, pkt.header, pkt.header_len);
		s->last_pkt = pkt;
		s->last_pkt.header = s->last;
		s->have_last = 1;
	}
	return ++s->samples == o->count ? PACKET_USED_LAST : PACKET_USED;
}

/* One more datagram per source after a pause: the receiver can then tell
 * from the sequence numbers whether the run's last datagrams were lost. */
static void final_datagrams(struct sampler *s, uint32_t pause_ms)
{
	uint64_t deadline = now_ns() + (uint64_t)pause_ms * 1000000u;

	if (!s->have_last)
		return;
	if (sleep_until(deadline) < 0)
		return; /* interrupted again: the user wants out */
	for (uint32_t i = 0; i < s->opt->sources; i++) {
		/* as if another sampling interval had passed */
		s->sources[i].pool += s->opt->sampling_rate;
		add_sample(s, &s->sources[i], &s->last_pkt);
		close_datagram(s);
	}
	output_flush(s->out);
}

uint64_t run_sampling(const struct options *o, struct output *out)
{
	struct sampler s;
	uint64_t skipped;
	size_t one;
	pcap_t *first;

	memset(&s, 0, sizeof(s));
	s.opt = o;
	s.out = out;
	s.start_ns = now_ns();
	sflow_encoder_init(&s.enc, o->agent_family, o->agent, o->sub_agent);
	/* room for the limit, or for one sample alone if bigger */
	one = sflow_datagram_overhead(&s.enc) +
	      sflow_flow_sample_size(o->header_bytes);
	s.cap = one > DATAGRAM_LIMIT ? one : DATAGRAM_LIMIT;
	s.sources = calloc(o->sources, sizeof(*s.sources));
	if (o->final_pause_ms)
		s.last = malloc(o->header_bytes);
	if (!s.sources || (o->final_pause_ms && !s.last))
		die("out of memory");
	for (uint32_t i = 0; i < o->sources; i++) {
		s.sources[i].source_id = o->ifindex + i; /* type 0 */
		s.sources[i].input = o->ifindex + i;
	}
	first = input_open(o->file);
	output_init(out, o->dest, o->rate, s.cap);
	skipped = input_each_packet(first, o->file, o->loops, sample_packet,
				    &s);
	close_datagram(&s);
	output_flush(out);
	if (o->final_pause_ms)
		final_datagrams(&s, o->final_pause_ms);
	free(s.sources);
	free(s.last);
	return skipped;
}
