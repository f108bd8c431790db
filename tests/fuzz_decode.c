/* SPDX-License-Identifier: BSD-3-Clause */
/* libFuzzer target for the sFlow decoder. Beyond "no crash" (ASan+UBSan
 * catch bad reads and undefined arithmetic), it checks what the decoder
 * promises in sflow_decode.h and the README; a broken promise aborts,
 * which libFuzzer reports as a finding:
 * - every datagram counts once, and as malformed at most once;
 * - the result agrees with the malformed and bad-version counters;
 * - a rejected v5 datagram or a bad version delivers nothing;
 * - each delivered sample is counted, and its header lies inside the input
 *   (every byte of it is read, so ASan checks the whole range);
 * - fields of absent records are zero, and the direction is the README's;
 * - a header longer than its frame_length is no fault: in a v5 datagram
 *   header_longer_than_frame rises by exactly the delivered samples that
 *   have one (so not at all for a rejected v5 datagram);
 * - the header peek agrees with the decoder on every datagram it accepts. */
#include "sflow_decode.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

struct fuzz_state {
	const uint8_t *data;
	size_t length;
	unsigned calls;
	unsigned checksum;      /* keeps the header reads from being optimised out */
	unsigned longer;        /* delivered samples whose header outgrows the frame */
	struct sflow_datagram datagram;
};

static int all_zero(const void *bytes, size_t size)
{
	const uint8_t *p = bytes;
	for (size_t i = 0; i < size; i++)
		if (p[i] != 0)
			return 0;
	return 1;
}

/* "Flags say which records were present; fields of absent records are
 * zero" (sflow_decode.h), and so are the fields the sample's kind or the
 * datagram's version does not have. */
static void check_absent_fields_zero(const struct sflow_datagram *datagram,
				     const struct sflow_sample *sample)
{
	if (!sample->has_header &&
	    (sample->header_protocol != 0 || sample->frame_length != 0 || sample->stripped != 0 ||
	     sample->header != NULL || sample->header_length != 0))
		abort();
	if (!sample->has_ipv4 && !sample->has_ipv6 && !all_zero(&sample->ip, sizeof sample->ip))
		abort();
	if (sample->has_ipv4 && sample->has_ipv6)
		abort();
	if (sample->has_ipv4 && (!all_zero(sample->ip.src + 4, 12) || !all_zero(sample->ip.dst + 4, 12)))
		abort();
	if (!sample->has_switch &&
	    (sample->src_vlan != 0 || sample->src_priority != 0 || sample->dst_vlan != 0 ||
	     sample->dst_priority != 0))
		abort();
	if (!sample->has_timestamp && sample->timestamp_ns != 0)
		abort();
	if (sample->kind == SFLOW_SAMPLE_DISCARD &&
	    (sample->sampling_rate != 0 || sample->sample_pool != 0))
		abort();
	if (sample->kind != SFLOW_SAMPLE_DISCARD && sample->discard_reason != 0)
		abort();
	if (datagram->version < 5 && (datagram->sub_agent_id != 0 || sample->stripped != 0))
		abort();
	if (datagram->agent.type == SFLOW_ADDRESS_IP4 && !all_zero(datagram->agent.bytes + 4, 12))
		abort();
}

/* The README's direction: ingress when the data source is the input
 * interface, else egress when it is the output interface, else unknown. */
static void check_direction(const struct sflow_sample *sample)
{
	uint32_t want = sample->source_id_index == sample->input    ? SFLOW_DIRECTION_IN
			: sample->source_id_index == sample->output ? SFLOW_DIRECTION_OUT
								    : SFLOW_DIRECTION_UNKNOWN;
	if (sample->direction != want)
		abort();
}


static void check_sample(void *ctx, const struct sflow_datagram *datagram,
			 const struct sflow_sample *sample)
{
	struct fuzz_state *state = ctx;

	state->calls++;
	check_absent_fields_zero(datagram, sample);
	check_direction(sample);
	state->datagram = *datagram;
	if (datagram->version != 2 && datagram->version != 4 && datagram->version != 5)
		abort();
	if (sample->kind != SFLOW_SAMPLE_FLOW && sample->kind != SFLOW_SAMPLE_FLOW_EXPANDED &&
	    sample->kind != SFLOW_SAMPLE_DISCARD)
		abort();
	if (!sample->has_header) {
		if (sample->header != NULL || sample->header_length != 0)
			abort();
		return;
	}
	/* Compare as addresses: a header outside the input is the bug sought. */
	state->longer += sample->header_length > sample->frame_length;
	uintptr_t begin = (uintptr_t)state->data, end = begin + state->length;
	uintptr_t header = (uintptr_t)sample->header;
	if (sample->header == NULL || header < begin || header > end ||
	    sample->header_length > end - header)
		abort();
	for (uint32_t i = 0; i < sample->header_length; i++)
		state->checksum += sample->header[i];
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct sflow_decoder_counters before = { 0 }, after;
	struct fuzz_state state = { .data = data, .length = size };

	/* Start from non-zero counters, as in a long capture. */
	before.datagrams = before.malformed_datagrams = 1000;
	after = before;
	enum sflow_decode_result result = sflow_decode(data, size, check_sample, &state, &after);

	uint64_t malformed = after.malformed_datagrams - before.malformed_datagrams;
	uint64_t bad_version = after.bad_version_datagrams - before.bad_version_datagrams;
	uint64_t delivered = (after.flow_samples - before.flow_samples) +
			     (after.discard_samples - before.discard_samples);
	uint32_t version = size >= 4 ? (uint32_t)data[0] << 24 | (uint32_t)data[1] << 16 |
					(uint32_t)data[2] << 8 | data[3] : 0;

	if (after.datagrams - before.datagrams != 1 || malformed > 1 || bad_version > malformed)
		abort();
	if ((result == SFLOW_DECODE_OK) != (malformed == 0) ||
	    (result == SFLOW_DECODE_BAD_VERSION) != (bad_version == 1))
		abort();
	if (result != SFLOW_DECODE_OK && result != SFLOW_DECODE_MALFORMED &&
	    result != SFLOW_DECODE_BAD_VERSION)
		abort();
	if (state.calls != delivered)
		abort();
	if (result != SFLOW_DECODE_OK && (version == 5 || result == SFLOW_DECODE_BAD_VERSION) &&
	    state.calls != 0)
		abort();
	uint64_t longer = after.header_longer_than_frame - before.header_longer_than_frame;
	if (version == 5 && result != SFLOW_DECODE_OK && longer != 0)
		abort();
	/* v2/v4 count only the samples they deliver. */
	if (longer != state.longer)
		abort();
	struct sflow_datagram header;
	struct sflow_decoder_counters scratch = { 0 };
	int peeked = sflow_decode_header(data, size, &header, &scratch) == SFLOW_DECODE_OK;
	/* The samples the header leaves are the rest of the input. */
	if (peeked && (header.samples < data || header.samples_length > size ||
		       header.samples + header.samples_length != data + size))
		abort();
	if (result != SFLOW_DECODE_BAD_VERSION && state.calls > 0 &&
	    (!peeked || header.sequence != state.datagram.sequence ||
	     header.uptime_ms != state.datagram.uptime_ms ||
	     header.sub_agent_id != state.datagram.sub_agent_id))
		abort();
	if (peeked && result == SFLOW_DECODE_BAD_VERSION)
		abort();
	return 0;
}
