/* SPDX-License-Identifier: BSD-3-Clause */
/* libFuzzer target for what follows the decoder: every decoded sample goes
 * through loss accounting, through sflow_frame under every link type with
 * every combination of device options, and (when it carries a sampled_ipv4
 * / ipv6 record) through the header synthesizer. A broken promise aborts,
 * which libFuzzer reports as a finding:
 * - each sample gets exactly one known outcome, and the outcomes add up to
 *   the samples (a sample is counted once);
 * - a framed packet: prefix within SFLOW_PREFIX_MAX, its bytes in place
 *   inside the datagram (every byte read, so ASan checks the range),
 *   captured length at most the wire length, the agent's time carried;
 * - the options do what the README says: drops selects discard samples
 *   and only those, a record-only sample needs synth, vlan adds exactly
 *   one 4-byte tag or nothing, and only EN10MB and RAW adapt headers;
 * - synthesized headers: at most SFLOW_SYNTH_MAX bytes written, IP length
 *   fields at least what was written, a valid IPv4 header checksum;
 * - loss accounting: each sample moves each of its counters by at most
 *   one step, and a sample repeated right after it was taken changes
 *   nothing. */
#include <pcap/dlt.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "device.h"
#include "framing.h"
#include "loss.h"
#include "sflow_decode.h"
#include "sflow_encode.h"
#include "synth.h"

#define OPTION_SETS 8   /* every combination of drops, synth and vlan */

static const unsigned option_sets[OPTION_SETS] = {
	0,
	SFLOW_OPTION_DROPS,
	SFLOW_OPTION_SYNTH,
	SFLOW_OPTION_VLAN,
	SFLOW_OPTION_DROPS | SFLOW_OPTION_SYNTH,
	SFLOW_OPTION_DROPS | SFLOW_OPTION_VLAN,
	SFLOW_OPTION_SYNTH | SFLOW_OPTION_VLAN,
	SFLOW_OPTION_DROPS | SFLOW_OPTION_SYNTH | SFLOW_OPTION_VLAN,
};

struct fuzz_state {
	const uint8_t *data;
	size_t length;
	uint64_t samples;
	struct sflow_counters counters;  /* the decoder's and loss accounting's */
	uint64_t outcomes[SFLOW_FRAME_RESULTS];  /* summed over every framing */
	struct sflow_loss_datagram_context books; /* the datagram's, for its samples */
	unsigned checksum;      /* keeps the byte reads from being optimised out */
};

static struct sflow_loss loss;  /* allocated once, cleared per input */

static int inside(const struct fuzz_state *state, const uint8_t *bytes, uint32_t length)
{
	uintptr_t begin = (uintptr_t)state->data, end = begin + state->length;
	uintptr_t at = (uintptr_t)bytes;
	return bytes != NULL && at >= begin && at <= end && length <= end - at;
}

static uint32_t get16(const uint8_t *p)
{
	return (uint32_t)p[0] << 8 | p[1];
}

static void check_synth(const struct sflow_sample *sample)
{
	/* Room for more than the promised maximum, with a guard pattern. */
	uint8_t out[SFLOW_SYNTH_MAX + 32];
	memset(out, 0xA5, sizeof out);
	size_t written = sflow_synth_ip(&sample->ip, sample->has_ipv6, out);
	if (written > SFLOW_SYNTH_MAX)
		abort();
	for (size_t i = SFLOW_SYNTH_MAX; i < sizeof out; i++)
		if (out[i] != 0xA5)
			abort();
	if (sample->has_ipv6) {
		if (written < 40 || out[0] >> 4 != 6 || 40 + get16(out + 4) < written)
			abort();
	} else {
		if (written < 20 || out[0] != 0x45 || get16(out + 2) < written ||
		    sflow_ip_checksum(out, 20) != 0)
			abort();
	}
}

static void check_packet(struct fuzz_state *state, const struct sflow_sample *sample,
			 const struct sflow_framed_packet *packet)
{
	if (packet->prefix_length > SFLOW_PREFIX_MAX || packet->rest == NULL)
		abort();
	/* Bytes referenced in place lie in the datagram; a synthesized packet
	 * is all prefix. */
	if (packet->rest_length > 0 && !inside(state, packet->rest, packet->rest_length))
		abort();
	if (sample->has_header &&
	    (!inside(state, packet->rest, packet->rest_length) ||
	     packet->rest_length > sample->header_length))
		abort();
	for (uint32_t i = 0; i < packet->rest_length; i++)
		state->checksum += packet->rest[i];
	uint64_t captured = (uint64_t)packet->prefix_length + packet->rest_length;
	if (captured > packet->wire_length)
		abort();
	if (packet->has_agent_time != sample->has_timestamp ||
	    (packet->has_agent_time && packet->agent_time_ns != sample->timestamp_ns))
		abort();
}

/* What the options and link type alone decide, before any header is read. */
static void check_outcome(const struct sflow_sample *sample, int linktype, unsigned options,
			  enum sflow_frame_result result)
{
	int discard = sample->kind == SFLOW_SAMPLE_DISCARD;
	int drops = (options & SFLOW_OPTION_DROPS) != 0;

	if ((unsigned)result >= SFLOW_FRAME_RESULTS)
		abort();
	if ((result == SFLOW_FRAME_DISCARD_SKIPPED) != (discard && !drops) ||
	    (result == SFLOW_FRAME_FLOW_SKIPPED) != (!discard && drops))
		abort();
	if (discard != drops)
		return;
	int has_ip = sample->has_ipv4 || sample->has_ipv6;
	if ((result == SFLOW_FRAME_NO_HEADER) != (!sample->has_header && !has_ip))
		abort();
	if ((result == SFLOW_FRAME_NO_SYNTH) !=
	    (!sample->has_header && has_ip && !(options & SFLOW_OPTION_SYNTH)))
		abort();
	/* Only EN10MB, RAW and LINUX_SLL2 adapt; any other link type carries
	 * its own header protocol as sampled, nothing else. */
	if (result == SFLOW_FRAMED && linktype != DLT_EN10MB && linktype != DLT_RAW &&
	    linktype != DLT_LINUX_SLL2 && !sample->has_header)
		abort();
	if (result == SFLOW_FRAME_UNSUPPORTED && !sample->has_header)
		abort();
}

/* The vlan option adds one 4-byte tag or nothing, and changes no outcome. */
static void check_vlan(enum sflow_frame_result plain, const struct sflow_framed_packet *p,
		       enum sflow_frame_result tagged, const struct sflow_framed_packet *t)
{
	if (plain != tagged)
		abort();
	if (plain != SFLOW_FRAMED)
		return;
	uint32_t plain_length = p->prefix_length + p->rest_length;
	uint32_t tagged_length = t->prefix_length + t->rest_length;
	if (tagged_length != plain_length && tagged_length != plain_length + 4)
		abort();
	if (t->wire_length != p->wire_length + (tagged_length - plain_length) &&
	    !(t->wire_length == UINT32_MAX && p->wire_length >= UINT32_MAX - 4))
		abort();
}

struct loss_counts {
	uint64_t lost, agent_drops, reordered, restarts, evictions, leaps;
};

static struct loss_counts loss_counts(const struct sflow_counters *counters)
{
	return (struct loss_counts){ counters->loss.samples_lost, counters->loss.agent_dropped_samples,
				     counters->loss.samples_reordered, counters->loss.source_restarts,
				     counters->loss.sources_evicted, counters->loss.implausible_leaps };
}

static void check_loss(struct sflow_counters *counters,
		       const struct sflow_loss_datagram_context *books,
		       const struct sflow_sample *sample)
{
	struct loss_counts before = loss_counts(counters);
	sflow_loss_sample(&loss, &counters->loss, books, sample);
	struct loss_counts after = loss_counts(counters);
	if (after.reordered - before.reordered > 1 || after.restarts - before.restarts > 1 ||
	    after.evictions - before.evictions > 1 || after.leaps - before.leaps > 1)
		abort();
	if (after.reordered != before.reordered) {
		/* A late sample takes back at most one lost sample. */
		if (after.lost != before.lost && after.lost != before.lost - 1)
			abort();
	} else if (after.lost < before.lost || after.lost - before.lost >= 0x80000000u) {
		abort();
	}
	if (after.agent_drops < before.agent_drops ||
	    after.agent_drops - before.agent_drops >= 0x80000000u)
		abort();
	if (after.reordered != before.reordered)
		return;
	/* The sample just advanced, started or restarted its source: seen
	 * again at once it is no news. */
	sflow_loss_sample(&loss, &counters->loss, books, sample);
	struct loss_counts again = loss_counts(counters);
	if (memcmp(&again, &after, sizeof again) != 0)
		abort();
}

static void check_sample(void *ctx, const struct sflow_datagram *datagram,
			 const struct sflow_sample *sample)
{
	struct fuzz_state *state = ctx;

	state->samples++;
	/* Every sample, discard samples too (the read path feeds it only flow
	 * samples): its invariants must hold whatever it is fed. */
	check_loss(&state->counters, &state->books, sample);
	if (sample->has_ipv4 || sample->has_ipv6)
		check_synth(sample);

	size_t linktypes = sflow_framing_linktype_count();
	if (linktypes == 0 || sflow_framing_linktype(0) != DLT_EN10MB ||
	    sflow_framing_linktype(linktypes) != -1)
		abort();
	for (size_t l = 0; l < linktypes; l++) {
		int linktype = sflow_framing_linktype(l);
		struct sflow_framed_packet packets[OPTION_SETS];
		enum sflow_frame_result results[OPTION_SETS];
		for (unsigned o = 0; o < OPTION_SETS; o++) {
			const struct sflow_framing framing = { linktype, option_sets[o] };
			results[o] = sflow_frame(&framing, datagram, sample, &packets[o]);
			check_outcome(sample, linktype, option_sets[o], results[o]);
			if (results[o] == SFLOW_FRAMED)
				check_packet(state, sample, &packets[o]);
			state->outcomes[results[o]]++;
		}
		for (unsigned o = 0; o < OPTION_SETS; o++)
			if (!(option_sets[o] & SFLOW_OPTION_VLAN))
				for (unsigned t = 0; t < OPTION_SETS; t++)
					if (option_sets[t] == (option_sets[o] | SFLOW_OPTION_VLAN))
						check_vlan(results[o], &packets[o],
							   results[t], &packets[t]);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_state state = { .data = data, .length = size };

	static int allocated;
	if (!allocated && sflow_loss_init(&loss) < 0)
		abort();
	allocated = 1;
	sflow_loss_clear(&loss);
	/* As the read path does: the stream's books first, from the header. */
	struct sflow_datagram header;
	state.books.verdict = SFLOW_LOSS_UNTRACKED;
	if (sflow_decode_header(data, size, &header, &state.counters.decoder) == SFLOW_DECODE_OK) {
		sflow_loss_datagram(&loss, &state.counters.loss, &header, NULL, &state.books);
		sflow_decode_samples(&header, check_sample, &state, &state.counters.decoder);
	}

	/* Each sample has one outcome per framing: nothing lost, nothing
	 * counted twice. */
	uint64_t outcomes = 0;
	for (unsigned r = 0; r < SFLOW_FRAME_RESULTS; r++)
		outcomes += state.outcomes[r];
	if (outcomes != state.samples * sflow_framing_linktype_count() * OPTION_SETS)
		abort();
	if (state.samples != state.counters.decoder.flow_samples +
			     state.counters.decoder.discard_samples)
		abort();
	return 0;
}
