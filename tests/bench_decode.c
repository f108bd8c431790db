/* SPDX-License-Identifier: BSD-3-Clause */
/* make bench's decode-only microbenchmark: the module's per-sample work
 * (header peek, the stream's and each sample's loss books, decoder,
 * framing into the packet queue) over an in-memory set of sFlow v5
 * datagrams, on one core, no socket, no tcpdump. Two feeds of the same
 * datagrams: from one agent, and from 4,096 agents in one /20 (what the
 * loss tables cost when they hold a real network); each as CPU time per
 * sample, best of three alternating runs.
 * usage: bench_decode [SECONDS]; prints "decode_samples_per_second N ..."
 * (one agent) and "decode_4096_agents ..." (the ratio to one agent). */
#include <config.h>

#include <arpa/inet.h>
#include <pcap/dlt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

#include "framing.h"
#include "loss.h"
#include "sflow_decode.h"
#include "sflow_encode.h"

#define DATAGRAMS 8192
#define SAMPLES_PER_DATAGRAM 10
#define SOURCES 4               /* per agent */
#define HEADER_BYTES 128
#define MANY_AGENTS 4096
#define DATAGRAM_HEADER 28      /* v5 with an IPv4 agent */

struct bench {
	struct sflow_framing framing;
	struct sflow_loss loss;
	struct sflow_counters counters;
	struct sflow_loss_datagram_context books;
	struct sflow_framed_packet packets[SFLOW_QUEUE_CAPACITY];
	unsigned queued;
	uint64_t checksum;      /* so the work cannot be optimized away */
};

/* One feed: DATAGRAMS datagrams, datagram d from agent d % agents; each
 * round rewrites the sequence numbers so that every round carries on
 * from the last, as a live feed does. */
struct feed {
	unsigned agents;
	uint8_t *data[DATAGRAMS];
	size_t lengths[DATAGRAMS];
	size_t sample_offsets[DATAGRAMS][SAMPLES_PER_DATAGRAM];
};

/* What the read path does for each sample, less selection and delivery. */
static void queue_sample(void *context, const struct sflow_datagram *datagram,
			 const struct sflow_sample *sample)
{
	struct bench *b = context;
	if (sample->kind != SFLOW_SAMPLE_DISCARD)
		sflow_loss_sample(&b->loss, &b->counters.loss, &b->books, sample);
	if (sflow_frame(&b->framing, datagram, sample, &b->packets[b->queued]) == SFLOW_FRAMED)
		b->checksum += b->packets[b->queued++].wire_length;
}

static double cpu_now(void)
{
	struct timespec t;
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static void put32(uint8_t *at, uint32_t value)
{
	value = htonl(value);
	memcpy(at, &value, 4);
}

static int build(struct feed *feed, unsigned agents)
{
	uint8_t frame[HEADER_BYTES];
	struct sflow_encoder encoder;
	struct sflow_source sources[SOURCES];
	const uint8_t agent[4] = { 10, 0, 0, 0 };

	feed->agents = agents;
	/* An Ethernet / IPv4 frame, cut to the sampled header. */
	memset(frame, 0, sizeof frame);
	memcpy(frame, (uint8_t[]){ 0, 1, 2, 3, 4, 5, 0, 1, 2, 3, 4, 6, 0x08, 0x00, 0x45 }, 15);
	struct sflow_packet packet = { SFLOW_HEADER_ETHERNET, 1518, 4, frame, sizeof frame };
	memset(sources, 0, sizeof sources);
	for (unsigned i = 0; i < SOURCES; i++)
		sources[i] = (struct sflow_source){ .source_id = i + 1, .input = i + 1, .output = 9 };
	if (sflow_encoder_init(&encoder, AF_INET, agent, 0) < 0)
		return -1;
	for (unsigned d = 0; d < DATAGRAMS; d++) {
		uint8_t storage[4096];
		unsigned a = d % agents, k = d / agents;
		sflow_begin(&encoder, storage, sizeof storage, sizeof storage, 1000);
		for (unsigned s = 0; s < SAMPLES_PER_DATAGRAM; s++) {
			struct sflow_source *source = &sources[(k * SAMPLES_PER_DATAGRAM + s) % SOURCES];
			source->pool++;
			if (sflow_add_flow_sample(&encoder, source, 1, &packet) < 0)
				return -1;
		}
		feed->lengths[d] = sflow_finish(&encoder);
		feed->data[d] = malloc(feed->lengths[d]);
		if (feed->data[d] == NULL)
			return -1;
		memcpy(feed->data[d], storage, feed->lengths[d]);
		/* Agent 10.0.A/256.A%256: 4,096 of them fill 10.0.0.0/20. */
		feed->data[d][10] = (uint8_t)(a >> 8);
		feed->data[d][11] = (uint8_t)a;
		size_t offset = DATAGRAM_HEADER;
		for (unsigned s = 0; s < SAMPLES_PER_DATAGRAM; s++) {
			uint32_t length;
			memcpy(&length, feed->data[d] + offset + 4, 4);
			feed->sample_offsets[d][s] = offset + 8;  /* its sequence number */
			offset += 8 + ntohl(length);
		}
		if (offset != feed->lengths[d])
			return -1;
	}
	return 0;
}

/* Round r of the feed: each agent's datagrams and each of its sources'
 * samples carry on from round r - 1. */
static void renumber(struct feed *feed, uint32_t round)
{
	uint32_t per_agent = DATAGRAMS / feed->agents;  /* datagrams per agent per round */
	uint32_t per_source = per_agent * SAMPLES_PER_DATAGRAM / SOURCES;
	for (unsigned d = 0; d < DATAGRAMS; d++) {
		uint32_t k = d / feed->agents;
		put32(feed->data[d] + 16, round * per_agent + k + 1);
		for (unsigned s = 0; s < SAMPLES_PER_DATAGRAM; s++) {
			uint32_t nth = k * SAMPLES_PER_DATAGRAM + s;  /* the agent's nth sample */
			put32(feed->data[d] + feed->sample_offsets[d][s],
			      round * per_source + nth / SOURCES + 1);
		}
	}
}

/* Runs the feed for seconds of CPU time on fresh books; returns the CPU
 * seconds per sample, or a negative number when the work was not done. */
static double run(struct bench *b, struct feed *feed, double seconds, uint32_t *round)
{
	uint64_t samples = 0;

	memset(&b->counters, 0, sizeof b->counters);
	sflow_loss_clear(&b->loss);
	double start = cpu_now(), elapsed;
	do {
		renumber(feed, (*round)++);
		for (unsigned d = 0; d < DATAGRAMS; d++) {
			struct sflow_datagram header;
			b->queued = 0;
			/* As the read path: the header parsed once, then the
			 * stream's books, then the samples. */
			if (sflow_decode_header(feed->data[d], feed->lengths[d], &header,
						&b->counters.decoder) != SFLOW_DECODE_OK)
				continue;
			sflow_loss_datagram(&b->loss, &b->counters.loss, &header, NULL, &b->books);
			sflow_decode_samples(&header, queue_sample, b, &b->counters.decoder);
			samples += b->queued;
		}
		elapsed = cpu_now() - start;
	} while (elapsed < seconds);

	/* The work must have been done: every sample decoded, framed and
	 * accounted, nothing lost, nothing forgotten. */
	if (b->counters.decoder.malformed_datagrams != 0 || samples != b->counters.decoder.flow_samples ||
	    samples == 0 || b->counters.loss.samples_lost != 0 || b->counters.loss.sources_evicted != 0 ||
	    b->counters.loss.source_restarts != 0 || b->counters.loss.implausible_leaps != 0) {
		fprintf(stderr, "bench_decode: %u agents: %llu of %llu samples framed, %llu malformed, "
			"%llu lost, %llu evicted, %llu restarts, %llu leaps\n", feed->agents,
			(unsigned long long)samples, (unsigned long long)b->counters.decoder.flow_samples,
			(unsigned long long)b->counters.decoder.malformed_datagrams,
			(unsigned long long)b->counters.loss.samples_lost,
			(unsigned long long)b->counters.loss.sources_evicted,
			(unsigned long long)b->counters.loss.source_restarts,
			(unsigned long long)b->counters.loss.implausible_leaps);
		return -1;
	}
	return elapsed / (double)samples;
}

int main(int argc, char **argv)
{
	double seconds = argc > 1 ? atof(argv[1]) : 2.0;
	static struct feed one, many;
	static struct bench b;

	if (build(&one, 1) < 0 || build(&many, MANY_AGENTS) < 0) {
		fprintf(stderr, "bench_decode: could not build the feeds\n");
		return 1;
	}
	if (sflow_loss_init(&b.loss) < 0) {
		fprintf(stderr, "bench_decode: out of memory\n");
		return 1;
	}
	b.framing = (struct sflow_framing){ DLT_EN10MB, 0 };
	/* Alternating, best of three: the machine may be shared. */
	double best_one = 0, best_many = 0;
	uint32_t round_one = 0, round_many = 0;
	for (int i = 0; i < 3; i++) {
		double cost_one = run(&b, &one, seconds / 6, &round_one);
		double cost_many = run(&b, &many, seconds / 6, &round_many);
		if (cost_one <= 0 || cost_many <= 0)
			return 1;
		if (best_one == 0 || cost_one < best_one)
			best_one = cost_one;
		if (best_many == 0 || cost_many < best_many)
			best_many = cost_many;
	}
	printf("decode_samples_per_second %.0f (1 agent, 4 data sources; %.1f ns CPU a sample; "
	       "checksum %llu)\n", 1 / best_one, best_one * 1e9, (unsigned long long)b.checksum);
	printf("decode_4096_agents %.1f ns CPU a sample (4,096 agents in one /20, 4 data sources "
	       "each) against %.1f ns for 1 agent: %.3fx\n",
	       best_many * 1e9, best_one * 1e9, best_many / best_one);
	sflow_loss_free(&b.loss);
	return 0;
}
