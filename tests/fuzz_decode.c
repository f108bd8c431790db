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
 * - the README's header-versus-frame-length rule (see below). */
#include "sflow_decode.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

struct fuzz_state {
	const uint8_t *data;
	size_t length;
	unsigned calls;
	unsigned checksum;      /* keeps the header reads from being optimised out */
	int rule_checked;       /* the frame-length rule was tried on this datagram */
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

/* ---- The header-versus-frame-length rule, as the README states it ----
 * "A header longer than its packet's frame_length is malformed too."
 * So no delivered header is longer than its frame_length, and making the
 * frame_length of a delivered header one less than the header's length
 * turns the datagram malformed: a v5 one then delivers nothing. (Flipping
 * the rule, to deliver such a header with its length raised, means
 * changing only these two functions.) */
static void check_delivered_header_fits_frame(const struct sflow_sample *sample)
{
	if (sample->has_header && sample->header_length > sample->frame_length)
		abort();
}

static void count_only(void *ctx, const struct sflow_datagram *datagram,
		       const struct sflow_sample *sample)
{
	(void)datagram;
	(void)sample;
	++*(unsigned *)ctx;
}

static void check_header_longer_than_frame_is_malformed(const struct fuzz_state *state,
							const struct sflow_datagram *datagram,
							const struct sflow_sample *sample)
{
	/* The record ends frame_length, [stripped,] header_length, header. */
	size_t back = datagram->version == 5 ? 12 : 8;
	size_t offset = (size_t)(sample->header - state->data);
	if (!sample->has_header || sample->header_length == 0 || offset < back)
		abort();
	uint8_t *copy = malloc(state->length);
	if (copy == NULL)
		abort();
	memcpy(copy, state->data, state->length);
	uint32_t shorter = sample->header_length - 1;
	uint8_t *field = copy + offset - back;
	field[0] = (uint8_t)(shorter >> 24);
	field[1] = (uint8_t)(shorter >> 16);
	field[2] = (uint8_t)(shorter >> 8);
	field[3] = (uint8_t)shorter;
	struct sflow_counters counters = { 0 };
	unsigned delivered = 0;
	enum sflow_decode_result result =
		sflow_decode(copy, state->length, count_only, &delivered, &counters);
	free(copy);
	if (result != SFLOW_DECODE_MALFORMED || counters.malformed_datagrams != 1)
		abort();
	if (datagram->version == 5 && delivered != 0)
		abort();
}
/* ---- end of the header-versus-frame-length rule ---- */

static void check_sample(void *ctx, const struct sflow_datagram *datagram,
			 const struct sflow_sample *sample)
{
	struct fuzz_state *state = ctx;

	state->calls++;
	check_absent_fields_zero(datagram, sample);
	check_delivered_header_fits_frame(sample);
	check_direction(sample);
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
	uintptr_t begin = (uintptr_t)state->data, end = begin + state->length;
	uintptr_t header = (uintptr_t)sample->header;
	if (sample->header == NULL || header < begin || header > end ||
	    sample->header_length > end - header)
		abort();
	for (uint32_t i = 0; i < sample->header_length; i++)
		state->checksum += sample->header[i];
	/* Once per datagram: the check decodes a copy of it. */
	if (!state->rule_checked && sample->header_length > 0) {
		state->rule_checked = 1;
		check_header_longer_than_frame_is_malformed(state, datagram, sample);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct sflow_counters before = { 0 }, after;
	struct fuzz_state state = { data, size, 0, 0, 0 };

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
	return 0;
}
