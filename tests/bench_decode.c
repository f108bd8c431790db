/* SPDX-License-Identifier: BSD-3-Clause */
/* make bench's decode-only microbenchmark: the module's per-sample work
 * (decoder, loss accounting, framing into the packet queue) over an
 * in-memory set of sFlow v5 datagrams, on one core, no socket, no tcpdump.
 * usage: bench_decode [SECONDS]; prints "decode_samples_per_second N ...". */
#include <config.h>

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

#define DATAGRAMS 1024
#define SAMPLES_PER_DATAGRAM 10
#define SOURCES 4
#define HEADER_BYTES 128

struct bench {
	struct sflow_framing framing;
	struct sflow_loss loss;
	struct sflow_counters counters;
	struct sflow_framed_packet packets[SFLOW_QUEUE_CAPACITY];
	unsigned queued;
	uint64_t checksum;      /* so the work cannot be optimized away */
};

/* What the read path does for each sample, less selection and delivery. */
static void queue_sample(void *context, const struct sflow_datagram *datagram,
			 const struct sflow_sample *sample)
{
	struct bench *b = context;
	if (sample->kind != SFLOW_SAMPLE_DISCARD)
		sflow_loss_sample(&b->loss, &b->counters.loss, datagram, sample);
	if (sflow_frame(&b->framing, datagram, sample, &b->packets[b->queued]) == SFLOW_FRAMED)
		b->checksum += b->packets[b->queued++].wire_length;
}

static double now(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
	double seconds = argc > 1 ? atof(argv[1]) : 2.0;
	static uint8_t storage[DATAGRAMS][4096];
	static size_t lengths[DATAGRAMS];
	static struct bench b;
	uint8_t frame[HEADER_BYTES];
	struct sflow_encoder encoder;
	struct sflow_source sources[SOURCES];
	const uint8_t agent[4] = { 127, 0, 0, 1 };

	/* An Ethernet / IPv4 frame, cut to the sampled header. */
	memset(frame, 0, sizeof frame);
	memcpy(frame, (uint8_t[]){ 0, 1, 2, 3, 4, 5, 0, 1, 2, 3, 4, 6, 0x08, 0x00, 0x45 }, 15);
	struct sflow_packet packet = { SFLOW_HEADER_ETHERNET, 1518, 4, frame, sizeof frame };
	memset(sources, 0, sizeof sources);
	for (unsigned i = 0; i < SOURCES; i++)
		sources[i] = (struct sflow_source){ .source_id = i + 1, .input = i + 1, .output = 9 };
	if (sflow_encoder_init(&encoder, AF_INET, agent, 0) < 0) {
		fprintf(stderr, "bench_decode: encoder refused the agent address\n");
		return 1;
	}
	for (unsigned d = 0; d < DATAGRAMS; d++) {
		sflow_begin(&encoder, storage[d], sizeof storage[d], sizeof storage[d], d);
		for (unsigned s = 0; s < SAMPLES_PER_DATAGRAM; s++) {
			struct sflow_source *source = &sources[(d * SAMPLES_PER_DATAGRAM + s) % SOURCES];
			source->pool++;
			if (sflow_add_flow_sample(&encoder, source, 1, &packet) < 0) {
				fprintf(stderr, "bench_decode: a sample did not fit\n");
				return 1;
			}
		}
		lengths[d] = sflow_finish(&encoder);
	}

	b.framing = (struct sflow_framing){ DLT_EN10MB, 0 };
	uint64_t samples = 0;
	double start = now(), elapsed;
	do {
		for (unsigned round = 0; round < 64; round++) {
			for (unsigned d = 0; d < DATAGRAMS; d++) {
				b.queued = 0;
				sflow_decode(storage[d], lengths[d], queue_sample, &b, &b.counters.decoder);
				samples += b.queued;
			}
		}
		elapsed = now() - start;
	} while (elapsed < seconds);

	/* The work must have been done: every sample decoded and framed. */
	if (b.counters.decoder.malformed_datagrams != 0 || samples != b.counters.decoder.flow_samples ||
	    samples == 0) {
		fprintf(stderr, "bench_decode: %llu of %llu samples framed, %llu malformed\n",
			(unsigned long long)samples, (unsigned long long)b.counters.decoder.flow_samples,
			(unsigned long long)b.counters.decoder.malformed_datagrams);
		return 1;
	}
	printf("decode_samples_per_second %.0f (%llu samples in %.3f s; checksum %llu)\n",
	       (double)samples / elapsed, (unsigned long long)samples, elapsed,
	       (unsigned long long)b.checksum);
	return 0;
}
