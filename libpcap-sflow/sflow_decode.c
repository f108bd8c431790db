/* SPDX-License-Identifier: BSD-3-Clause */
/* Pure sFlow datagram decoder (see sflow_decode.h).
 *
 * Everything is read through a cursor that knows how many bytes remain, so a
 * lying length can at worst make a read fail; lengths from the wire are only
 * ever compared with what remains, never added to a pointer unchecked.
 *
 * Decisions not fixed by the specifications:
 * - Bytes after the last of num_samples v5 samples are tolerated: they cannot
 *   make any sample lie, so dropping the datagram would only lose good samples.
 * - A record or sample may declare more bytes than its structure needs (agents
 *   pad, and newer structure versions append fields): the rest is skipped.
 * - In v2/v4 the input/output words are split like v5 format 1: v4's
 *   "top bit set = several output interfaces" then reads as format 2.
 */
#include <config.h>
#include "sflow_decode.h"

#include <string.h>

#include "bytes.h"

/* v5 data_format values (enterprise 0, so the whole word equals the format). */
enum {
	V5_FLOW_SAMPLE = 1,
	V5_COUNTERS_SAMPLE = 2,
	V5_FLOW_SAMPLE_EXPANDED = 3,
	V5_COUNTERS_SAMPLE_EXPANDED = 4,
	V5_DISCARD_SAMPLE = 5,

	V5_SAMPLED_HEADER = 1,
	V5_SAMPLED_IPV4 = 3,
	V5_SAMPLED_IPV6 = 4,
	V5_EXTENDED_SWITCH = 1001,
	V5_TIMESTAMP = 1043,
};

/* v2/v4 tags (RFC 3176 is sFlow version 4). */
enum {
	V4_FLOW_SAMPLE = 1,
	V4_COUNTERS_SAMPLE = 2,

	V4_PACKET_HEADER = 1,
	V4_PACKET_IPV4 = 2,
	V4_PACKET_IPV6 = 3,

	V4_EXTENDED_SWITCH = 1,
	V4_EXTENDED_ROUTER = 2,
	V4_EXTENDED_GATEWAY = 3,
	V4_EXTENDED_USER = 4,
	V4_EXTENDED_URL = 5,
};

struct cursor {
	const uint8_t *p;
	size_t left;
};

/* Each reader returns 0, or -1 without reading when too few bytes remain,
 * so that reads chain with ||. */
static int read_u32(struct cursor *c, uint32_t *value)
{
	if (c->left < 4)
		return -1;
	*value = get_be32(c->p);
	c->p += 4;
	c->left -= 4;
	return 0;
}

static int read_u64(struct cursor *c, uint64_t *value)
{
	if (c->left < 8)
		return -1;
	*value = get_be64(c->p);
	c->p += 8;
	c->left -= 8;
	return 0;
}

/* A fixed layout of size bytes, checked against what remains once and then
 * read at fixed offsets (word(p, i) is its i-th 32-bit word): the common
 * structures cost one bounds check rather than one a field. NULL, reading
 * nothing, when fewer remain. */
static const uint8_t *take_fixed(struct cursor *c, size_t size)
{
	const uint8_t *p = c->p;

	if (c->left < size)
		return NULL;
	c->p += size;
	c->left -= size;
	return p;
}

static uint32_t word(const uint8_t *p, unsigned index)
{
	return get_be32(p + 4 * index);
}

static int read_bytes(struct cursor *c, size_t length, const uint8_t **bytes)
{
	if (c->left < length)
		return -1;
	if (bytes != NULL)
		*bytes = c->p;
	c->p += length;
	c->left -= length;
	return 0;
}

static int read_into(struct cursor *c, uint8_t *out, size_t length)
{
	const uint8_t *bytes;

	if (read_bytes(c, length, &bytes))
		return -1;
	memcpy(out, bytes, length);
	return 0;
}

/* Skips count 32-bit words; count comes from the wire, so divide the
 * remainder rather than multiply the count. */
static int skip_words(struct cursor *c, uint32_t count)
{
	if (count > c->left / 4)
		return -1;
	return read_bytes(c, (size_t)count * 4, NULL);
}

/* XDR opaque or string: a length, the bytes, zeros up to a multiple of 4. */
static inline int read_opaque(struct cursor *c, const uint8_t **bytes, uint32_t *length)
{
	uint32_t n;
	size_t pad;

	if (read_u32(c, &n) || n > c->left)
		return -1;
	pad = (4 - (n & 3)) & 3;
	if (pad > c->left - n)
		return -1;
	*length = n;
	return read_bytes(c, (size_t)n + pad, bytes);
}

static int skip_opaque(struct cursor *c)
{
	const uint8_t *bytes;
	uint32_t length;

	return read_opaque(c, &bytes, &length);
}

/* Moves the next length bytes into a cursor of their own, so that what is
 * inside a sample or record can never read past its declared end, and the
 * outer cursor always advances by exactly the declared length. */
static int take(struct cursor *c, uint32_t length, struct cursor *inner)
{
	if (length % 4 != 0 || length > c->left)
		return -1;
	inner->p = c->p;
	inner->left = length;
	c->p += length;
	c->left -= length;
	return 0;
}

static int read_address(struct cursor *c, struct sflow_address *address)
{
	uint32_t type;

	memset(address, 0, sizeof *address);
	if (read_u32(c, &type))
		return -1;
	switch (type) {
	case SFLOW_ADDRESS_UNKNOWN:
		return 0;
	case SFLOW_ADDRESS_IP4:
		address->type = SFLOW_ADDRESS_IP4;
		return read_into(c, address->bytes, 4);
	case SFLOW_ADDRESS_IP6:
		address->type = SFLOW_ADDRESS_IP6;
		return read_into(c, address->bytes, 16);
	default:
		return -1;
	}
}

/* A 2-bit format in the top bits and a 30-bit value (v5 format 1). */
static void split_interface(uint32_t word, uint32_t *format, uint32_t *value)
{
	*format = word >> 30;
	*value = word & 0x3fffffff;
}

/* source_id is type << 24 | index in v5 format 1 and in v2/v4. */
static void split_source_id(uint32_t word, struct sflow_sample *sample)
{
	sample->source_id_type = word >> 24;
	sample->source_id_index = word & 0x00ffffff;
}

/* Computed once here, so that selection (-Q) and framing (the vlan
 * option) agree on it without recomputing it. */
static enum sflow_direction sample_direction(const struct sflow_sample *sample)
{
	if (sample->source_id_index == sample->input)
		return SFLOW_DIRECTION_IN;
	if (sample->source_id_index == sample->output)
		return SFLOW_DIRECTION_OUT;
	return SFLOW_DIRECTION_UNKNOWN;
}

/* The record readers below always parse (so every record is checked), but
 * fill the sample only from the first record of each kind. */

/* sampled_header; v2/v4 have no stripped field. */
static inline int read_header(struct cursor *c, int has_stripped, struct sflow_sample *sample,
		       struct sflow_decoder_counters *counters)
{
	/* protocol, frame_length, [stripped,] then the header as an opaque */
	const uint8_t *fixed = take_fixed(c, has_stripped ? 12 : 8);
	const uint8_t *bytes;
	uint32_t length;

	if (fixed == NULL || read_opaque(c, &bytes, &length))
		return -1;
	uint32_t protocol = word(fixed, 0), frame_length = word(fixed, 1);
	uint32_t stripped = has_stripped ? word(fixed, 2) : 0;
	if (sample->has_header) {
		counters->records_skipped++;
		return 0;
	}
	/* Longer than the frame it was taken from: some agents pad short
	 * frames. The structure is sound, so the bytes are delivered. */
	if (length > frame_length)
		counters->header_longer_than_frame++;
	sample->has_header = 1;
	sample->header_protocol = protocol;
	sample->frame_length = frame_length;
	sample->stripped = stripped;
	sample->header = bytes;
	sample->header_length = length;
	return 0;
}

/* sampled_ipv4 / sampled_ipv6: identical but for the address size. */
static int read_sampled_ip(struct cursor *c, int ipv6, struct sflow_sample *sample,
			   struct sflow_decoder_counters *counters)
{
	struct sflow_sampled_ip ip;
	size_t address_size = ipv6 ? 16 : 4;

	memset(&ip, 0, sizeof ip);
	if (read_u32(c, &ip.length) || read_u32(c, &ip.protocol) ||
	    read_into(c, ip.src, address_size) || read_into(c, ip.dst, address_size) ||
	    read_u32(c, &ip.src_port) || read_u32(c, &ip.dst_port) ||
	    read_u32(c, &ip.tcp_flags) || read_u32(c, &ip.tos))
		return -1;
	if (sample->has_ipv4 || sample->has_ipv6) {
		counters->records_skipped++;
		return 0;
	}
	if (ipv6)
		sample->has_ipv6 = 1;
	else
		sample->has_ipv4 = 1;
	sample->ip = ip;
	return 0;
}

static int read_switch(struct cursor *c, struct sflow_sample *sample,
		       struct sflow_decoder_counters *counters)
{
	uint32_t src_vlan, src_priority, dst_vlan, dst_priority;

	if (read_u32(c, &src_vlan) || read_u32(c, &src_priority) ||
	    read_u32(c, &dst_vlan) || read_u32(c, &dst_priority))
		return -1;
	if (sample->has_switch) {
		counters->records_skipped++;
		return 0;
	}
	sample->has_switch = 1;
	sample->src_vlan = src_vlan;
	sample->src_priority = src_priority;
	sample->dst_vlan = dst_vlan;
	sample->dst_priority = dst_priority;
	return 0;
}

/* Layout assumed: a single uint64, nanoseconds since the Unix epoch (UTC),
 * as Host sFlow fills its timestamp element from the kernel's
 * PSAMPLE_ATTR_TIMESTAMP. The format number 1043 was not found in a
 * published structure document and is taken as given. */
static int read_timestamp(struct cursor *c, struct sflow_sample *sample,
			  struct sflow_decoder_counters *counters)
{
	uint64_t nanoseconds;

	if (read_u64(c, &nanoseconds))
		return -1;
	if (sample->has_timestamp) {
		counters->records_skipped++;
		return 0;
	}
	sample->has_timestamp = 1;
	sample->timestamp_ns = nanoseconds;
	return 0;
}

/* Enterprise 0 flow record formats this decoder does not use but sflow.org
 * has assigned (the ranges span a few unassigned numbers too): counted as
 * skipped rather than unknown. */
static int known_unused_record(uint32_t format)
{
	return format == 2 ||                          /* sampled_ethernet */
	       (format >= 1002 && format <= 1042) ||   /* router, gateway ... drop reasons */
	       (format >= 2100 && format <= 2210);     /* socket and application structures */
}

static int read_v5_record(struct cursor *c, struct sflow_sample *sample,
			  struct sflow_decoder_counters *counters)
{
	const uint8_t *fixed = take_fixed(c, 8);      /* format, length */
	struct cursor record;

	if (fixed == NULL || take(c, word(fixed, 1), &record))
		return -1;
	uint32_t format = word(fixed, 0);
	switch (format) {
	case V5_SAMPLED_HEADER:
		return read_header(&record, 1, sample, counters);
	case V5_SAMPLED_IPV4:
		return read_sampled_ip(&record, 0, sample, counters);
	case V5_SAMPLED_IPV6:
		return read_sampled_ip(&record, 1, sample, counters);
	case V5_EXTENDED_SWITCH:
		return read_switch(&record, sample, counters);
	case V5_TIMESTAMP:
		return read_timestamp(&record, sample, counters);
	default:
		if (known_unused_record(format))
			counters->records_skipped++;
		else
			counters->unknown_records++;
		return 0;
	}
}

/* What one walk over a v5 datagram does with what it finds: the checking
 * walk has no callback and counts into scratch counters; the collecting
 * walk decodes each sample into collected[] for delivery once the whole
 * datagram proved sound. */
struct v5_walk {
	sflow_sample_fn fn;
	void *ctx;
	struct sflow_decoder_counters *counters;
	struct sflow_sample *collected;
	uint32_t count;
};

/* A fixed-size memset of a sample compiles to `rep stos`, whose start-up
 * cost was a third of the decoder's time, and libc's memset costs a call
 * and its size dispatch (some 30 instructions a sample): so 16-byte
 * stores of zero, unrolled, the last one overlapping when the size is not
 * a multiple of 16. */
typedef uint64_t sflow_zero_block __attribute__((vector_size(16)));
_Static_assert(sizeof(struct sflow_sample) >= 16, "a sample holds one block");

static void clear_sample(struct sflow_sample *sample)
{
	const sflow_zero_block zero = { 0, 0 };
	unsigned char *bytes = (unsigned char *)sample;

#pragma GCC unroll 16
	for (size_t at = 0; at + 16 <= sizeof *sample; at += 16)
		memcpy(bytes + at, &zero, 16);
	if (sizeof *sample % 16 != 0)
		memcpy(bytes + sizeof *sample - 16, &zero, 16);
}

/* Body of a flow (1), expanded flow (3) or discard (5) sample. */
static int read_v5_flow_sample(struct cursor *c, uint32_t format,
			       const struct sflow_datagram *datagram,
			       struct v5_walk *walk)
{
	struct sflow_sample local;
	struct sflow_sample *sample = walk->collected ? &walk->collected[walk->count] : &local;
	const uint8_t *w;
	uint32_t num_records;

	clear_sample(sample);
	/* The v5 formats are the kinds' numbers. */
	sample->kind = (enum sflow_sample_kind)format;
	/* Each layout: sequence, the fields, then the record count. */
	switch (format) {
	case V5_FLOW_SAMPLE:
		if ((w = take_fixed(c, 8 * 4)) == NULL)
			return -1;
		sample->sequence = word(w, 0);
		split_source_id(word(w, 1), sample);
		sample->sampling_rate = word(w, 2);
		sample->sample_pool = word(w, 3);
		sample->drops = word(w, 4);
		split_interface(word(w, 5), &sample->input_format, &sample->input);
		split_interface(word(w, 6), &sample->output_format, &sample->output);
		num_records = word(w, 7);
		break;
	case V5_FLOW_SAMPLE_EXPANDED:
		if ((w = take_fixed(c, 11 * 4)) == NULL)
			return -1;
		sample->sequence = word(w, 0);
		sample->source_id_type = word(w, 1);
		sample->source_id_index = word(w, 2);
		sample->sampling_rate = word(w, 3);
		sample->sample_pool = word(w, 4);
		sample->drops = word(w, 5);
		sample->input_format = word(w, 6);
		sample->input = word(w, 7);
		sample->output_format = word(w, 8);
		sample->output = word(w, 9);
		num_records = word(w, 10);
		break;
	default: /* V5_DISCARD_SAMPLE: plain ifIndex words, no sampling */
		if ((w = take_fixed(c, 8 * 4)) == NULL)
			return -1;
		sample->sequence = word(w, 0);
		sample->source_id_type = word(w, 1);
		sample->source_id_index = word(w, 2);
		sample->drops = word(w, 3);
		sample->input = word(w, 4);
		sample->output = word(w, 5);
		sample->discard_reason = word(w, 6);
		num_records = word(w, 7);
		break;
	}
	sample->direction = sample_direction(sample);
	/* Each record takes at least 8 bytes: a count that cannot fit is a lie. */
	if (num_records > c->left / 8)
		return -1;
	for (uint32_t i = 0; i < num_records; i++)
		if (read_v5_record(c, sample, walk->counters))
			return -1;

	if (format == V5_DISCARD_SAMPLE)
		walk->counters->discard_samples++;
	else
		walk->counters->flow_samples++;
	if (walk->collected != NULL)
		walk->count++;
	else if (walk->fn != NULL)
		walk->fn(walk->ctx, datagram, sample);
	return 0;
}

static int read_v5_sample(struct cursor *c, const struct sflow_datagram *datagram,
			  struct v5_walk *walk)
{
	const uint8_t *fixed = take_fixed(c, 8);      /* format, length */
	struct cursor body;

	if (fixed == NULL || take(c, word(fixed, 1), &body))
		return -1;
	uint32_t format = word(fixed, 0);
	switch (format) {
	case V5_FLOW_SAMPLE:
	case V5_FLOW_SAMPLE_EXPANDED:
	case V5_DISCARD_SAMPLE:
		return read_v5_flow_sample(&body, format, datagram, walk);
	case V5_COUNTERS_SAMPLE:
	case V5_COUNTERS_SAMPLE_EXPANDED:
		walk->counters->counter_samples++;
		return 0;
	default:
		walk->counters->unknown_samples++;
		return 0;
	}
}

/* One walk over the samples of a v5 datagram. */
static int walk_v5(struct cursor c, const struct sflow_datagram *datagram, struct v5_walk *walk)
{
	for (uint32_t i = 0; i < datagram->num_samples; i++)
		if (read_v5_sample(&c, datagram, walk))
			return -1;
	return 0;
}

/* A datagram of at most this many samples (most: 1400 bytes hold about
 * ten 128-byte headers) is decoded in one walk onto the stack (under 6 KiB)
 * and delivered once it proved sound; a bigger one is checked by a first
 * walk and delivered by a second over the same bytes, which so cannot
 * fail. Either way a lying datagram delivers nothing. */
#define COLLECT_MAX 32

/* What a walk counted, added once a collected datagram is sound: every
 * decoder counter, so that one added to counters.h is never left out. */
static void add_decoder_counts(struct sflow_decoder_counters *to,
			       const struct sflow_decoder_counters *seen)
{
#define SFLOW_ADD_DECODER_COUNT(layer, name, meaning) \
	SFLOW_IF_LAYER(layer, decoder, to->name += seen->name;)
	SFLOW_COUNTERS(SFLOW_ADD_DECODER_COUNT)
#undef SFLOW_ADD_DECODER_COUNT
}

static int decode_v5(struct cursor c, const struct sflow_datagram *datagram, sflow_sample_fn fn,
		     void *ctx, struct sflow_decoder_counters *counters)
{
	struct sflow_decoder_counters seen;

	/* Each sample takes at least 8 bytes: a count that cannot fit is a lie. */
	if (datagram->num_samples > c.left / 8)
		return -1;
	memset(&seen, 0, sizeof seen);
	if (datagram->num_samples <= COLLECT_MAX) {
		struct sflow_sample samples[COLLECT_MAX];
		struct v5_walk collect = { NULL, NULL, &seen, samples, 0 };
		if (walk_v5(c, datagram, &collect))
			return -1;
		add_decoder_counts(counters, &seen);
		for (uint32_t i = 0; fn != NULL && i < collect.count; i++)
			fn(ctx, datagram, &samples[i]);
		return 0;
	}
	struct v5_walk check = { NULL, NULL, &seen, NULL, 0 };
	struct v5_walk deliver = { fn, ctx, counters, NULL, 0 };
	if (walk_v5(c, datagram, &check))
		return -1;
	return walk_v5(c, datagram, &deliver);
}

/* v2/v4 extended data: no lengths, so each type's layout must be known. */
static int read_v2v4_extended(struct cursor *c, uint32_t version, struct sflow_sample *sample,
			      struct sflow_decoder_counters *counters)
{
	struct sflow_address next_hop;
	uint32_t type, count, segment_length;

	if (read_u32(c, &type))
		return -1;
	switch (type) {
	case V4_EXTENDED_SWITCH:
		return read_switch(c, sample, counters);
	case V4_EXTENDED_ROUTER:	/* next hop, src_mask, dst_mask */
		if (read_address(c, &next_hop) || skip_words(c, 2))
			return -1;
		break;
	case V4_EXTENDED_GATEWAY:	/* as, src_as, src_peer_as, then the AS path */
		if (skip_words(c, 3) || read_u32(c, &count))
			return -1;
		if (version == 2) {	/* a plain list of AS numbers */
			if (skip_words(c, count))
				return -1;
			break;
		}
		/* v4: segments of (type, AS list), communities, localpref. Every
		 * segment takes 8 bytes or fails, so the loop is bounded by the data. */
		for (uint32_t i = 0; i < count; i++)
			if (skip_words(c, 1) || read_u32(c, &segment_length) ||
			    skip_words(c, segment_length))
				return -1;
		if (read_u32(c, &count) || skip_words(c, count) || skip_words(c, 1))
			return -1;
		break;
	case V4_EXTENDED_USER:		/* src_user, dst_user strings */
		if (skip_opaque(c) || skip_opaque(c))
			return -1;
		break;
	case V4_EXTENDED_URL:		/* direction, url string */
		if (skip_words(c, 1) || skip_opaque(c))
			return -1;
		break;
	default:
		return -1;
	}
	counters->records_skipped++;
	return 0;
}

static int read_v2v4_flow_sample(struct cursor *c, uint32_t version,
				 const struct sflow_datagram *datagram, sflow_sample_fn fn,
				 void *ctx, struct sflow_decoder_counters *counters)
{
	struct sflow_sample sample;
	/* Records are counted here and added only if the sample is delivered. */
	struct sflow_decoder_counters seen;
	uint32_t source_id, input, output, packet_type, num_extended;
	int failed;

	clear_sample(&sample);
	memset(&seen, 0, sizeof seen);
	sample.kind = SFLOW_SAMPLE_FLOW;
	if (read_u32(c, &sample.sequence) || read_u32(c, &source_id) ||
	    read_u32(c, &sample.sampling_rate) || read_u32(c, &sample.sample_pool) ||
	    read_u32(c, &sample.drops) || read_u32(c, &input) || read_u32(c, &output) ||
	    read_u32(c, &packet_type))
		return -1;
	split_source_id(source_id, &sample);
	split_interface(input, &sample.input_format, &sample.input);
	split_interface(output, &sample.output_format, &sample.output);
	sample.direction = sample_direction(&sample);

	switch (packet_type) {
	case V4_PACKET_HEADER:
		failed = read_header(c, 0, &sample, &seen);
		break;
	case V4_PACKET_IPV4:
		failed = read_sampled_ip(c, 0, &sample, &seen);
		break;
	case V4_PACKET_IPV6:
		failed = read_sampled_ip(c, 1, &sample, &seen);
		break;
	default:
		return -1;
	}
	/* Each extended record takes at least 4 bytes or fails: bounded loop. */
	if (failed || read_u32(c, &num_extended))
		return -1;
	for (uint32_t i = 0; i < num_extended; i++)
		if (read_v2v4_extended(c, version, &sample, &seen))
			return -1;

	counters->records_skipped += seen.records_skipped;
	counters->header_longer_than_frame += seen.header_longer_than_frame;
	counters->flow_samples++;
	if (fn != NULL)
		fn(ctx, datagram, &sample);
	return 0;
}

/* Steps over a v2/v4 counters sample: the counters_type fixes the size. */
static int skip_v2v4_counters(struct cursor *c)
{
	enum {
		GENERIC = 88,		/* interface counters, present before most blocks */
		ETHERNET = 52,
		TOKENRING = 72,
		VG = 80,		/* 100BaseVG */
		VLAN = 28,		/* alone, without the generic block */
	};
	uint32_t type;
	size_t size;

	/* sequence, source_id, sampling_interval, counters_type */
	if (skip_words(c, 3) || read_u32(c, &type))
		return -1;
	switch (type) {
	case 1: /* generic */
	case 4: /* FDDI */
	case 6: /* WAN */
		size = GENERIC;
		break;
	case 2:
		size = GENERIC + ETHERNET;
		break;
	case 3:
		size = GENERIC + TOKENRING;
		break;
	case 5:
		size = GENERIC + VG;
		break;
	case 7:
		size = VLAN;
		break;
	default:
		return -1;
	}
	return read_bytes(c, size, NULL);
}

/* v2/v4 cannot be checked ahead (nothing has a length), so samples are
 * delivered as they are decoded, up to the first fault. */
static int decode_v2v4(struct cursor c, const struct sflow_datagram *datagram,
		       sflow_sample_fn fn, void *ctx, struct sflow_decoder_counters *counters)
{
	uint32_t version = datagram->version, type;

	/* Each sample takes at least its 4-byte tag or fails: bounded loop. */
	for (uint32_t i = 0; i < datagram->num_samples; i++) {
		if (read_u32(&c, &type))
			return -1;
		if (type == V4_FLOW_SAMPLE) {
			if (read_v2v4_flow_sample(&c, version, datagram, fn, ctx, counters))
				return -1;
		} else if (type == V4_COUNTERS_SAMPLE) {
			if (skip_v2v4_counters(&c))
				return -1;
			counters->counter_samples++;
		} else {
			return -1;
		}
	}
	return 0;
}

enum sflow_decode_result sflow_decode_header(const uint8_t *data, size_t length,
					     struct sflow_datagram *datagram,
					     struct sflow_decoder_counters *counters)
{
	struct cursor c = { data, length };

	counters->datagrams++;
	memset(datagram, 0, sizeof *datagram);
	if (read_u32(&c, &datagram->version)) {
		counters->malformed_datagrams++;
		return SFLOW_DECODE_MALFORMED;
	}
	if (datagram->version != 5 && datagram->version != 4 && datagram->version != 2) {
		counters->bad_version_datagrams++;
		counters->malformed_datagrams++;
		return SFLOW_DECODE_BAD_VERSION;
	}
	if (read_address(&c, &datagram->agent) ||
	    (datagram->version == 5 && read_u32(&c, &datagram->sub_agent_id)) ||
	    read_u32(&c, &datagram->sequence) || read_u32(&c, &datagram->uptime_ms) ||
	    read_u32(&c, &datagram->num_samples)) {
		counters->malformed_datagrams++;
		return SFLOW_DECODE_MALFORMED;
	}
	datagram->samples = c.p;
	datagram->samples_length = c.left;
	return SFLOW_DECODE_OK;
}

enum sflow_decode_result sflow_decode_samples(const struct sflow_datagram *datagram,
					      sflow_sample_fn fn, void *ctx,
					      struct sflow_decoder_counters *counters)
{
	struct cursor c = { datagram->samples, datagram->samples_length };
	int failed = datagram->version == 5 ? decode_v5(c, datagram, fn, ctx, counters)
					    : decode_v2v4(c, datagram, fn, ctx, counters);
	if (failed) {
		counters->malformed_datagrams++;
		return SFLOW_DECODE_MALFORMED;
	}
	return SFLOW_DECODE_OK;
}

enum sflow_decode_result sflow_decode(const uint8_t *data, size_t length,
				      sflow_sample_fn fn, void *ctx,
				      struct sflow_decoder_counters *counters)
{
	struct sflow_datagram datagram;
	enum sflow_decode_result result = sflow_decode_header(data, length, &datagram, counters);

	if (result != SFLOW_DECODE_OK)
		return result;
	return sflow_decode_samples(&datagram, fn, ctx, counters);
}
