/* SPDX-License-Identifier: BSD-3-Clause */
/* Unit tests of the pure sFlow decoder: datagrams are built by hand, field by
 * field from the specifications, then real agents' datagrams are replayed
 * from the pcap captures. Output is TAP. */
#include "sflow_decode.h"

#include "sflow_encode.h"
#include "tap.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const uint8_t agent4[4] = { 192, 0, 2, 1 };
static const uint8_t agent6[16] = { 0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x61 };

/* Ethernet + IPv4 + UDP, 42 bytes: not a multiple of 4, so the header
 * opaque needs padding. */
static const uint8_t frame[42] = {
	0x00, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88, 0x99, 0xaa, 0xbb, 0x08, 0x00,
	0x45, 0x00, 0x00, 0x1c, 0x12, 0x34, 0x00, 0x00, 0x40, 0x11, 0x00, 0x00,
	10, 0, 0, 1, 10, 0, 0, 2,
	0x30, 0x39, 0x00, 0x35, 0x00, 0x08, 0x00, 0x00,
};

static const uint8_t ip4_src[4] = { 198, 51, 100, 7 }, ip4_dst[4] = { 203, 0, 113, 9 };
static const uint8_t ip6_src[16] = { 0x20, 0x01, 0x0d, 0xb8, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12 };
static const uint8_t ip6_dst[16] = { 0x20, 0x01, 0x0d, 0xb8, 0xff, 0xee, 0xdd, 0xcc,
				     0xbb, 0xaa, 0x99, 0x88, 0x77, 0x66, 0x55, 0x44 };

/* ---- Collecting what the decoder delivers ---- */

#define MAX_SAMPLES 16
#define MAX_HEADER 256

struct capture {
	const uint8_t *data;            /* the buffer being decoded */
	size_t length;
	int calls;
	struct sflow_datagram datagram;
	struct sflow_sample samples[MAX_SAMPLES];
	/* The header pointer is only valid during the callback: check where
	 * it points and keep a copy of the bytes. */
	int header_inside[MAX_SAMPLES];
	uint8_t headers[MAX_SAMPLES][MAX_HEADER];
};

static void collect(void *ctx, const struct sflow_datagram *datagram,
		    const struct sflow_sample *sample)
{
	struct capture *cap = ctx;
	int i = cap->calls++;

	cap->datagram = *datagram;
	if (i >= MAX_SAMPLES)
		return;
	cap->samples[i] = *sample;
	if (sample->has_header && sample->header != NULL &&
	    sample->header >= cap->data && sample->header <= cap->data + cap->length &&
	    sample->header_length <= (size_t)(cap->data + cap->length - sample->header)) {
		cap->header_inside[i] = 1;
		if (sample->header_length <= MAX_HEADER)
			memcpy(cap->headers[i], sample->header, sample->header_length);
	}
}

/* Decodes the first length bytes from a heap copy of exactly that size, so
 * that AddressSanitizer catches any read past the end. */
static enum sflow_decode_result decode_n(const struct sflow_xdr *d, size_t length,
					 struct capture *cap,
					 struct sflow_decoder_counters *counters)
{
	/* An empty buffer still needs a pointer: one past a 1-byte block. */
	uint8_t *block = malloc(length > 0 ? length : 1);
	uint8_t *data = length > 0 ? block : block + 1;
	enum sflow_decode_result result;

	/* A datagram the writer could not build is a broken test: stop loudly. */
	if (block == NULL || d->overflow || length > d->length) {
		fprintf(stderr, "test_decode: datagram not built (%zu of %zu bytes, overflow %d)\n",
			length, d->length, d->overflow);
		abort();
	}
	memcpy(data, d->bytes, length);
	memset(cap, 0, sizeof *cap);
	cap->data = data;
	cap->length = length;
	result = sflow_decode(data, length, collect, cap, counters);
	free(block);
	return result;
}

static enum sflow_decode_result decode(const struct sflow_xdr *d, struct capture *cap,
				       struct sflow_decoder_counters *counters)
{
	return decode_n(d, d->length, cap, counters);
}

/* A dropped datagram: MALFORMED, nothing delivered, one malformed count. */
static int dropped(const struct sflow_xdr *d, size_t length)
{
	struct sflow_decoder_counters k = { 0 };
	struct capture cap;
	enum sflow_decode_result result = decode_n(d, length, &cap, &k);

	return result == SFLOW_DECODE_MALFORMED && cap.calls == 0 && k.datagrams == 1 &&
	       k.malformed_datagrams == 1 && k.bad_version_datagrams == 0 && k.flow_samples == 0 &&
	       k.discard_samples == 0;
}

/* Sets the u32 at `at`, expects the datagram dropped, restores it. */
static void expect_dropped_with(struct sflow_xdr *d, size_t at, uint32_t value, const char *what)
{
	uint32_t saved = sflow_xdr_get_u32(d, at);

	sflow_xdr_set_u32(d, at, value);
	tap_ok(dropped(d, d->length), "%s = %u: dropped as malformed", what, value);
	sflow_xdr_set_u32(d, at, saved);
}

static int all_zero(const void *bytes, size_t n)
{
	const uint8_t *p = bytes;
	for (size_t i = 0; i < n; i++)
		if (p[i] != 0)
			return 0;
	return 1;
}

/* ---- v5 datagrams ---- */

/* Offsets of the length and count fields of the reference datagram. */
struct v5_layout {
	size_t num_samples, sample_length, num_records;
	size_t header_record_length, header_length, switch_record_length;
};

static void v5_switch_record(struct sflow_xdr *d, size_t padding)
{
	size_t at = sflow_xdr_element(d, sflow_format(0, 1001));
	sflow_xdr_u32(d, 10);  /* src_vlan */
	sflow_xdr_u32(d, 2);   /* src_priority */
	sflow_xdr_u32(d, 20);  /* dst_vlan */
	sflow_xdr_u32(d, 5);   /* dst_priority */
	for (size_t i = 0; i < padding; i++)
		sflow_xdr_u8(d, 0);
	sflow_xdr_end_length(d, at);
}

/* The reference datagram: one flow sample with an Ethernet sampled_header
 * and an extended_switch. */
static void build_v5_flow(struct sflow_xdr *d, struct v5_layout *at)
{
	sflow_xdr_reset(d);
	at->num_samples = sflow_xdr_v5_header(d, SFLOW_ADDRESS_TYPE_IP4, agent4, 7, 100, 5000, 1);
	at->sample_length = sflow_xdr_element(d, sflow_format(0, 1));
	sflow_xdr_u32(d, 42);                          /* sequence */
	sflow_xdr_u32(d, 1u << 24 | 0x123);            /* source_id: type 1, index 0x123 */
	sflow_xdr_u32(d, 400);                         /* sampling_rate */
	sflow_xdr_u32(d, 123456);                      /* sample_pool */
	sflow_xdr_u32(d, 3);                           /* drops */
	sflow_xdr_u32(d, 5);                           /* input: format 0, ifIndex 5 */
	sflow_xdr_u32(d, 2u << 30 | 3);                /* output: format 2, 3 interfaces */
	at->num_records = sflow_xdr_u32(d, 2);
	at->header_record_length = sflow_xdr_v5_sampled_header(d, 1, 46, 4, frame, sizeof frame);
	at->header_length = at->header_record_length + 16;
	at->switch_record_length = d->length + 4;
	v5_switch_record(d, 0);
	sflow_xdr_end_length(d, at->sample_length);
}

/* A flow sample (format 1) with one sampled_header of the given bytes. */
static void v5_simple_flow_sample(struct sflow_xdr *d, uint32_t sequence, const void *header,
				  size_t header_length)
{
	/* source 9, sampling rate 100, pool 1000, no drops, input 1, output 2,
	 * one record */
	size_t at = sflow_xdr_v5_flow_sample(d, sequence, 9, 100, 1000, 0, 1, 2, 1);
	sflow_xdr_v5_sampled_header(d, 1, (uint32_t)header_length + 4, 4, header, header_length);
	sflow_xdr_end_length(d, at);
}

static void v5_ip_record(struct sflow_xdr *d, int ipv6, uint32_t length, uint32_t tos)
{
	size_t at = sflow_xdr_element(d, sflow_format(0, ipv6 ? 4 : 3));
	sflow_xdr_u32(d, length);
	sflow_xdr_u32(d, 6);                           /* protocol: TCP */
	sflow_xdr_bytes(d, ipv6 ? ip6_src : ip4_src, ipv6 ? 16 : 4);
	sflow_xdr_bytes(d, ipv6 ? ip6_dst : ip4_dst, ipv6 ? 16 : 4);
	sflow_xdr_u32(d, 443);
	sflow_xdr_u32(d, 51000);
	sflow_xdr_u32(d, 0x12);                        /* SYN|ACK */
	sflow_xdr_u32(d, tos);
	sflow_xdr_end_length(d, at);
}

static void test_v5_flow_sample(void)
{
	static struct sflow_xdr d;
	struct v5_layout at;
	struct sflow_decoder_counters k = { 0 };
	struct capture cap;
	const struct sflow_sample *s = &cap.samples[0];

	build_v5_flow(&d, &at);
	tap_eq(decode(&d, &cap, &k), SFLOW_DECODE_OK, "v5 flow sample: decodes");
	tap_eq(cap.calls, 1, "v5 flow sample: one callback");
	tap_eq(cap.datagram.version, 5, "v5 datagram: version");
	tap_eq(cap.datagram.agent.type, SFLOW_ADDRESS_IP4, "v5 datagram: agent type IPv4");
	tap_ok(memcmp(cap.datagram.agent.bytes, agent4, 4) == 0 &&
	       all_zero(cap.datagram.agent.bytes + 4, 12), "v5 datagram: agent address");
	tap_eq(cap.datagram.sub_agent_id, 7, "v5 datagram: sub_agent_id");
	tap_eq(cap.datagram.sequence, 100, "v5 datagram: sequence");
	tap_eq(cap.datagram.uptime_ms, 5000, "v5 datagram: uptime");
	tap_eq(cap.datagram.num_samples, 1, "v5 datagram: num_samples");
	tap_eq(s->kind, SFLOW_SAMPLE_FLOW, "v5 flow sample: kind");
	tap_eq(s->sequence, 42, "v5 flow sample: sequence");
	tap_eq(s->source_id_type, 1, "v5 flow sample: source_id type from the top 8 bits");
	tap_eq(s->source_id_index, 0x123, "v5 flow sample: source_id index from the low 24 bits");
	tap_eq(s->sampling_rate, 400, "v5 flow sample: sampling_rate");
	tap_eq(s->sample_pool, 123456, "v5 flow sample: sample_pool");
	tap_eq(s->drops, 3, "v5 flow sample: drops");
	tap_eq(s->input_format, 0, "v5 flow sample: input format");
	tap_eq(s->input, 5, "v5 flow sample: input value");
	tap_eq(s->output_format, 2, "v5 flow sample: output format from the top 2 bits");
	tap_eq(s->output, 3, "v5 flow sample: output value from the low 30 bits");
	tap_eq(s->discard_reason, 0, "v5 flow sample: no discard reason");
	tap_ok(s->has_header, "v5 flow sample: has_header");
	tap_eq(s->header_protocol, 1, "v5 flow sample: header_protocol");
	tap_eq(s->frame_length, 46, "v5 flow sample: frame_length");
	tap_eq(s->stripped, 4, "v5 flow sample: stripped");
	tap_eq(s->header_length, sizeof frame, "v5 flow sample: header_length");
	tap_ok(cap.header_inside[0], "v5 flow sample: header points into the datagram buffer");
	tap_ok(memcmp(cap.headers[0], frame, sizeof frame) == 0, "v5 flow sample: header bytes");
	tap_ok(s->has_switch, "v5 flow sample: has_switch");
	tap_ok(s->src_vlan == 10 && s->src_priority == 2 && s->dst_vlan == 20 &&
	       s->dst_priority == 5, "v5 flow sample: extended_switch fields");
	tap_ok(!s->has_ipv4 && !s->has_ipv6 && all_zero(&s->ip, sizeof s->ip),
	       "v5 flow sample: no sampled IP, its fields zero");
	tap_ok(!s->has_timestamp && s->timestamp_ns == 0, "v5 flow sample: no timestamp");
	tap_ok(k.datagrams == 1 && k.flow_samples == 1 && k.malformed_datagrams == 0 &&
	       k.discard_samples == 0 && k.counter_samples == 0 && k.unknown_samples == 0 &&
	       k.unknown_records == 0 && k.records_skipped == 0,
	       "v5 flow sample: counters");

	/* Counters accumulate across calls. */
	decode(&d, &cap, &k);
	tap_ok(k.datagrams == 2 && k.flow_samples == 2, "counters accumulate across calls");

	/* The direction, from the data source against input and output. */
	tap_eq(s->direction, SFLOW_DIRECTION_UNKNOWN, "source neither input nor output: direction unknown");
	sflow_xdr_set_u32(&d, at.sample_length + 8, 1u << 24 | 5);
	decode(&d, &cap, &k);
	tap_eq(s->direction, SFLOW_DIRECTION_IN, "source = input ifIndex: ingress");
	sflow_xdr_set_u32(&d, at.sample_length + 8, 1u << 24 | 3);
	decode(&d, &cap, &k);
	tap_eq(s->direction, SFLOW_DIRECTION_OUT, "source = output ifIndex (low 30 bits): egress");
}

static void test_v5_truncations(void)
{
	static struct sflow_xdr d;
	struct v5_layout at;
	size_t bad = 0, first_bad = 0;

	build_v5_flow(&d, &at);
	for (size_t length = 0; length < d.length; length++) {
		if (!dropped(&d, length)) {
			if (bad++ == 0)
				first_bad = length;
		}
	}
	if (bad)
		printf("# first accepted truncation: %zu of %zu bytes\n", first_bad, d.length);
	tap_ok(bad == 0, "v5: each of the %zu truncations is dropped whole, counted once", d.length);
}

static void test_v5_length_fields(void)
{
	static struct sflow_xdr d;
	struct v5_layout at;
	struct sflow_decoder_counters k = { 0 };
	struct capture cap;
	uint32_t sample = 0, header_record = 0;

	build_v5_flow(&d, &at);
	sample = sflow_xdr_get_u32(&d, at.sample_length);
	header_record = sflow_xdr_get_u32(&d, at.header_record_length);

	const uint32_t sample_values[] = { sample + 4, sample - 4, sample + 1, sample - 1,
					   sample + 2, sample + 3, 0, 8, 0xfffffffc, 0xffffffff };
	for (size_t i = 0; i < sizeof sample_values / sizeof sample_values[0]; i++)
		expect_dropped_with(&d, at.sample_length, sample_values[i], "sample length");

	const uint32_t header_record_values[] = { header_record + 4, header_record - 4,
						  header_record + 1, header_record - 2, 0, 16,
						  0xfffffffc, 0xffffffff };
	for (size_t i = 0; i < sizeof header_record_values / sizeof header_record_values[0]; i++)
		expect_dropped_with(&d, at.header_record_length, header_record_values[i],
				    "sampled_header record length");

	const uint32_t switch_values[] = { 20, 12, 17, 0, 0xfffffff0 };
	for (size_t i = 0; i < sizeof switch_values / sizeof switch_values[0]; i++)
		expect_dropped_with(&d, at.switch_record_length, switch_values[i],
				    "extended_switch record length");

	/* The record holds 44 header bytes: anything beyond runs past it. */
	const uint32_t header_values[] = { 45, 48, 0x7fffffff, 0xfffffffd, 0xffffffff };
	for (size_t i = 0; i < sizeof header_values / sizeof header_values[0]; i++)
		expect_dropped_with(&d, at.header_length, header_values[i], "header length");

	const uint32_t num_samples_values[] = { 2, 1000, 0x20000000, 0xffffffff };
	for (size_t i = 0; i < sizeof num_samples_values / sizeof num_samples_values[0]; i++)
		expect_dropped_with(&d, at.num_samples, num_samples_values[i], "num_samples");

	const uint32_t num_records_values[] = { 3, 1000, 0x20000000, 0xffffffff };
	for (size_t i = 0; i < sizeof num_records_values / sizeof num_records_values[0]; i++)
		expect_dropped_with(&d, at.num_records, num_records_values[i], "num_records");

	/* A header longer than the packet it was sampled from (46 bytes):
	 * some agents pad short frames; the structure is sound, so the sample
	 * is delivered whole and counted. */
	const size_t frame_length_at = at.header_record_length + 8;
	const uint32_t frame_length_values[] = { 0, 20, sizeof frame - 1 };
	for (size_t i = 0; i < sizeof frame_length_values / sizeof frame_length_values[0]; i++) {
		struct sflow_decoder_counters counted = { 0 };
		sflow_xdr_set_u32(&d, frame_length_at, frame_length_values[i]);
		tap_ok(decode(&d, &cap, &counted) == SFLOW_DECODE_OK && cap.calls == 1 &&
		       cap.samples[0].header_length == sizeof frame &&
		       cap.samples[0].frame_length == frame_length_values[i] &&
		       counted.header_longer_than_frame == 1 && counted.malformed_datagrams == 0,
		       "frame_length %u below header_length: delivered, counted once",
		       frame_length_values[i]);
	}
	sflow_xdr_set_u32(&d, frame_length_at, sizeof frame);
	{
		struct sflow_decoder_counters counted = { 0 };
		decode(&d, &cap, &counted);
		tap_eq(counted.header_longer_than_frame, 0,
		       "frame_length equal to header_length is not counted as longer");
	}
	tap_ok(decode(&d, &cap, &k) == SFLOW_DECODE_OK && cap.samples[0].frame_length == sizeof frame,
	       "frame_length equal to header_length is accepted");
	sflow_xdr_set_u32(&d, frame_length_at, 46);

	/* Lengths that are smaller but still consistent are fine. */
	sflow_xdr_set_u32(&d, at.header_length, 44);
	tap_ok(decode(&d, &cap, &k) == SFLOW_DECODE_OK && cap.samples[0].header_length == 44,
	       "header length using the padding bytes is accepted");
	sflow_xdr_set_u32(&d, at.header_length, 0);
	tap_ok(decode(&d, &cap, &k) == SFLOW_DECODE_OK && cap.samples[0].has_header &&
	       cap.samples[0].header_length == 0, "empty header is accepted, has_header set");
	sflow_xdr_set_u32(&d, at.header_length, sizeof frame);

	sflow_xdr_set_u32(&d, at.num_records, 1);
	tap_ok(decode(&d, &cap, &k) == SFLOW_DECODE_OK && cap.calls == 1 &&
	       cap.samples[0].has_header && !cap.samples[0].has_switch,
	       "num_records below the records present: the rest is sample padding");
	sflow_xdr_set_u32(&d, at.num_records, 2);

	memset(&k, 0, sizeof k);
	sflow_xdr_set_u32(&d, at.num_samples, 0);
	tap_ok(decode(&d, &cap, &k) == SFLOW_DECODE_OK && cap.calls == 0 && k.malformed_datagrams == 0,
	       "num_samples 0: nothing delivered, the rest are tolerated trailing bytes");
	sflow_xdr_set_u32(&d, at.num_samples, 1);

	sflow_xdr_u64(&d, 0);
	tap_ok(decode(&d, &cap, &k) == SFLOW_DECODE_OK && cap.calls == 1,
	       "trailing bytes after the last sample are tolerated");
}

static void test_v5_lying_datagram(void)
{
	static struct sflow_xdr d;
	struct v5_layout at;
	size_t bad_record;

	/* A good sample, then one whose record claims more than it holds. */
	build_v5_flow(&d, &at);
	sflow_xdr_set_u32(&d, at.num_samples, 2);
	size_t sample = sflow_xdr_element(&d, sflow_format(0, 1));
	for (int i = 0; i < 7; i++)
		sflow_xdr_u32(&d, 1);
	sflow_xdr_u32(&d, 1);
	bad_record = sflow_xdr_element(&d, sflow_format(0, 1001));
	sflow_xdr_u32(&d, 1);
	sflow_xdr_u32(&d, 2);
	sflow_xdr_u32(&d, 3);
	sflow_xdr_u32(&d, 4);
	sflow_xdr_end_length(&d, bad_record);
	sflow_xdr_end_length(&d, sample);
	tap_ok(!dropped(&d, d.length), "two good samples decode");
	expect_dropped_with(&d, bad_record, 20,
			    "second sample's record length; first sample not delivered either");
}

static void test_v5_expanded(void)
{
	static struct sflow_xdr d;
	struct sflow_decoder_counters k = { 0 };
	struct capture cap;
	const struct sflow_sample *s = &cap.samples[0];

	sflow_xdr_reset(&d);
	sflow_xdr_v5_header(&d, SFLOW_ADDRESS_TYPE_IP4, agent4, 0, 1, 2, 1);
	size_t at = sflow_xdr_element(&d, sflow_format(0, 3));
	sflow_xdr_u32(&d, 77);                 /* sequence */
	sflow_xdr_u32(&d, 3);                  /* source_id_type */
	sflow_xdr_u32(&d, 0x01020304);         /* source_id_index: wider than 24 bits */
	sflow_xdr_u32(&d, 1000);               /* sampling_rate */
	sflow_xdr_u32(&d, 5000);               /* sample_pool */
	sflow_xdr_u32(&d, 6);                  /* drops */
	sflow_xdr_u32(&d, 0);                  /* input format */
	sflow_xdr_u32(&d, 0x40000001);         /* input value: wider than 30 bits */
	sflow_xdr_u32(&d, 1);                  /* output format: discarded */
	sflow_xdr_u32(&d, 0x80000102);         /* output value */
	sflow_xdr_u32(&d, 1);
	sflow_xdr_v5_sampled_header(&d, 11, 28, 0, frame + 14, sizeof frame - 14);
	sflow_xdr_end_length(&d, at);

	tap_eq(decode(&d, &cap, &k), SFLOW_DECODE_OK, "expanded flow sample: decodes");
	tap_eq(cap.calls, 1, "expanded flow sample: one callback");
	tap_eq(s->kind, SFLOW_SAMPLE_FLOW_EXPANDED, "expanded flow sample: kind");
	tap_eq(s->sequence, 77, "expanded flow sample: sequence");
	tap_ok(s->source_id_type == 3 && s->source_id_index == 0x01020304,
	       "expanded flow sample: source_id words kept whole");
	tap_ok(s->sampling_rate == 1000 && s->sample_pool == 5000 && s->drops == 6,
	       "expanded flow sample: rate, pool, drops");
	tap_ok(s->input_format == 0 && s->input == 0x40000001 && s->output_format == 1 &&
	       s->output == 0x80000102, "expanded flow sample: interface words kept whole");
	tap_ok(s->has_header && s->header_protocol == 11 && s->frame_length == 28 &&
	       s->stripped == 0 && s->header_length == 28 &&
	       memcmp(cap.headers[0], frame + 14, 28) == 0,
	       "expanded flow sample: IPv4 header record");
	tap_eq(k.flow_samples, 1, "expanded flow sample: counted as a flow sample");
}

static void test_v5_discard(void)
{
	static struct sflow_xdr d;
	struct sflow_decoder_counters k = { 0 };
	struct capture cap;
	const struct sflow_sample *s = &cap.samples[0];

	sflow_xdr_reset(&d);
	sflow_xdr_v5_header(&d, SFLOW_ADDRESS_TYPE_IP4, agent4, 0, 1, 2, 1);
	size_t at = sflow_xdr_element(&d, sflow_format(0, 5));
	sflow_xdr_u32(&d, 9);                  /* sequence */
	sflow_xdr_u32(&d, 0);                  /* source_id_type */
	sflow_xdr_u32(&d, 12);                 /* source_id_index */
	sflow_xdr_u32(&d, 1);                  /* drops */
	sflow_xdr_u32(&d, 12);                 /* input ifIndex */
	sflow_xdr_u32(&d, 0);                  /* output ifIndex */
	sflow_xdr_u32(&d, 0x103);              /* reason */
	sflow_xdr_u32(&d, 2);
	sflow_xdr_v5_sampled_header(&d, 1, 46, 4, frame, sizeof frame);
	size_t ts = sflow_xdr_element(&d, sflow_format(0, 1043));
	sflow_xdr_u64(&d, 1700000000123456789ull);
	sflow_xdr_end_length(&d, ts);
	sflow_xdr_end_length(&d, at);

	tap_eq(decode(&d, &cap, &k), SFLOW_DECODE_OK, "discard sample: decodes");
	tap_eq(cap.calls, 1, "discard sample: one callback");
	tap_eq(s->kind, SFLOW_SAMPLE_DISCARD, "discard sample: kind");
	tap_ok(s->sequence == 9 && s->source_id_type == 0 && s->source_id_index == 12 &&
	       s->drops == 1, "discard sample: sequence, source, drops");
	tap_ok(s->input_format == 0 && s->input == 12 && s->output_format == 0 && s->output == 0,
	       "discard sample: input and output ifIndex");
	tap_eq(s->discard_reason, 0x103, "discard sample: reason");
	tap_ok(s->sampling_rate == 0 && s->sample_pool == 0, "discard sample: no sampling");
	tap_ok(s->has_header && s->header_length == sizeof frame &&
	       memcmp(cap.headers[0], frame, sizeof frame) == 0, "discard sample: header");
	tap_ok(s->has_timestamp, "timestamp record: has_timestamp");
	tap_ok(s->timestamp_ns == 1700000000123456789ull, "timestamp record: 64-bit nanoseconds");
	tap_ok(k.discard_samples == 1 && k.flow_samples == 0, "discard sample: counted as discard");
}

static void test_v5_skipped_samples(void)
{
	static struct sflow_xdr d;
	struct sflow_decoder_counters k = { 0 };
	struct capture cap;
	size_t at;

	sflow_xdr_reset(&d);
	sflow_xdr_v5_header(&d, SFLOW_ADDRESS_TYPE_IP4, agent4, 0, 1, 2, 6);
	at = sflow_xdr_element(&d, sflow_format(0, 2));           /* counters sample */
	sflow_xdr_u32(&d, 1);
	sflow_xdr_u32(&d, 2);
	sflow_xdr_u32(&d, 0);
	sflow_xdr_end_length(&d, at);
	at = sflow_xdr_element(&d, sflow_format(0, 4));           /* expanded counters sample */
	sflow_xdr_u64(&d, 0);
	sflow_xdr_end_length(&d, at);
	at = sflow_xdr_element(&d, sflow_format(9, 1));           /* enterprise 9 format 1 */
	sflow_xdr_u32(&d, 0xdeadbeef);
	sflow_xdr_end_length(&d, at);
	at = sflow_xdr_element(&d, sflow_format(0, 99));          /* unknown standard format */
	sflow_xdr_end_length(&d, at);
	v5_simple_flow_sample(&d, 1, frame, sizeof frame);
	at = sflow_xdr_element(&d, sflow_format(0, 2));
	sflow_xdr_end_length(&d, at);

	tap_eq(decode(&d, &cap, &k), SFLOW_DECODE_OK, "counter and unknown samples: decodes");
	tap_ok(cap.calls == 1 && cap.samples[0].sequence == 1,
	       "counter and unknown samples: skipped, the flow sample after them delivered");
	tap_eq(k.counter_samples, 3, "counter samples counted");
	tap_eq(k.unknown_samples, 2, "unknown samples counted");
}

static void test_v5_records(void)
{
	static struct sflow_xdr d;
	struct sflow_decoder_counters k = { 0 };
	struct capture cap;
	const struct sflow_sample *a = &cap.samples[0], *b = &cap.samples[1];
	static const uint8_t other_header[8] = { 1, 2, 3, 4, 5, 6, 7, 8 };
	size_t at, record;

	sflow_xdr_reset(&d);
	sflow_xdr_v5_header(&d, SFLOW_ADDRESS_TYPE_IP4, agent4, 0, 1, 2, 2);
	/* Sample A: unknown and unused records around the ones it uses, and a
	 * second of each kind, which must not replace the first. */
	at = sflow_xdr_element(&d, sflow_format(0, 1));
	for (int i = 0; i < 7; i++)
		sflow_xdr_u32(&d, 0);
	sflow_xdr_u32(&d, 11);
	record = sflow_xdr_element(&d, sflow_format(9, 1));       /* other enterprise */
	sflow_xdr_u64(&d, 0);
	sflow_xdr_end_length(&d, record);
	record = sflow_xdr_element(&d, sflow_format(0, 1002));    /* extended_router */
	sflow_xdr_address_ip4(&d, ip4_src);
	sflow_xdr_u32(&d, 24);
	sflow_xdr_u32(&d, 16);
	sflow_xdr_end_length(&d, record);
	record = sflow_xdr_element(&d, sflow_format(0, 3500));    /* unassigned */
	sflow_xdr_end_length(&d, record);
	v5_ip_record(&d, 0, 1500, 0x10);
	v5_ip_record(&d, 1, 99, 99);
	sflow_xdr_v5_sampled_header(&d, 1, 46, 4, frame, sizeof frame);
	sflow_xdr_v5_sampled_header(&d, 1, 12, 4, other_header, sizeof other_header);
	v5_switch_record(&d, 0);
	v5_switch_record(&d, 0);
	record = sflow_xdr_element(&d, sflow_format(0, 1043));
	sflow_xdr_u64(&d, 5);
	sflow_xdr_end_length(&d, record);
	record = sflow_xdr_element(&d, sflow_format(0, 1043));
	sflow_xdr_u64(&d, 6);
	sflow_xdr_end_length(&d, record);
	sflow_xdr_end_length(&d, at);
	/* Sample B: only a sampled_ipv6. */
	at = sflow_xdr_element(&d, sflow_format(0, 1));
	for (int i = 0; i < 7; i++)
		sflow_xdr_u32(&d, 0);
	sflow_xdr_u32(&d, 1);
	v5_ip_record(&d, 1, 1280, 0x2e);
	sflow_xdr_end_length(&d, at);

	tap_eq(decode(&d, &cap, &k), SFLOW_DECODE_OK, "records: decodes");
	tap_eq(cap.calls, 2, "records: two samples");
	tap_ok(a->has_ipv4 && !a->has_ipv6, "sampled_ipv4: has_ipv4, later sampled_ipv6 ignored");
	tap_ok(a->ip.length == 1500 && a->ip.protocol == 6 && a->ip.src_port == 443 &&
	       a->ip.dst_port == 51000 && a->ip.tcp_flags == 0x12 && a->ip.tos == 0x10,
	       "sampled_ipv4: fields");
	tap_ok(memcmp(a->ip.src, ip4_src, 4) == 0 && memcmp(a->ip.dst, ip4_dst, 4) == 0 &&
	       all_zero(a->ip.src + 4, 12) && all_zero(a->ip.dst + 4, 12),
	       "sampled_ipv4: addresses");
	tap_ok(a->has_header && a->frame_length == 46 && a->header_length == sizeof frame &&
	       memcmp(cap.headers[0], frame, sizeof frame) == 0,
	       "first sampled_header kept, the second ignored");
	tap_ok(a->has_switch && a->src_vlan == 10, "extended_switch after unknown records");
	tap_ok(a->has_timestamp && a->timestamp_ns == 5, "first timestamp kept");
	tap_ok(b->has_ipv6 && !b->has_ipv4 && !b->has_header, "sampled_ipv6: has_ipv6 only");
	tap_ok(b->ip.length == 1280 && b->ip.protocol == 6 && b->ip.src_port == 443 &&
	       b->ip.dst_port == 51000 && b->ip.tcp_flags == 0x12 && b->ip.tos == 0x2e,
	       "sampled_ipv6: fields, priority in tos");
	tap_ok(memcmp(b->ip.src, ip6_src, 16) == 0 && memcmp(b->ip.dst, ip6_dst, 16) == 0,
	       "sampled_ipv6: addresses");
	tap_ok(!b->has_switch && !b->has_timestamp && b->src_vlan == 0,
	       "absent records leave their fields zero");
	tap_eq(k.unknown_records, 2, "unknown records counted");
	tap_eq(k.records_skipped, 5, "unused (router) and repeated records counted as skipped");

	/* Records shorter than their structure. */
	struct {
		uint32_t format;
		size_t length;
	} const short_records[] = { { 3, 28 }, { 4, 52 }, { 1001, 12 }, { 1043, 4 }, { 1, 12 } };
	for (size_t i = 0; i < sizeof short_records / sizeof short_records[0]; i++) {
		sflow_xdr_reset(&d);
		sflow_xdr_v5_header(&d, SFLOW_ADDRESS_TYPE_IP4, agent4, 0, 1, 2, 1);
		at = sflow_xdr_element(&d, sflow_format(0, 1));
		for (int j = 0; j < 7; j++)
			sflow_xdr_u32(&d, 0);
		sflow_xdr_u32(&d, 1);
		record = sflow_xdr_element(&d, short_records[i].format);
		for (size_t j = 0; j < short_records[i].length; j += 4)
			sflow_xdr_u32(&d, 0);
		sflow_xdr_end_length(&d, record);
		sflow_xdr_end_length(&d, at);
		tap_ok(dropped(&d, d.length), "record format %u of %zu bytes, too short: dropped",
		       short_records[i].format, short_records[i].length);
	}
}

static void test_v5_multiple_and_padding(void)
{
	static struct sflow_xdr d;
	struct sflow_decoder_counters k = { 0 };
	struct capture cap;
	int in_order = 1;

	sflow_xdr_reset(&d);
	sflow_xdr_v5_header(&d, SFLOW_ADDRESS_TYPE_IP4, agent4, 0, 1, 2, 3);
	for (uint32_t i = 1; i <= 3; i++)
		v5_simple_flow_sample(&d, i, frame, sizeof frame - i);
	tap_eq(decode(&d, &cap, &k), SFLOW_DECODE_OK, "three samples: decodes");
	tap_eq(cap.calls, 3, "three samples: three callbacks");
	for (int i = 0; i < 3; i++)
		if (cap.samples[i].sequence != (uint32_t)i + 1 ||
		    cap.samples[i].header_length != sizeof frame - 1 - (size_t)i ||
		    memcmp(cap.headers[i], frame, sizeof frame - 1 - (size_t)i) != 0)
			in_order = 0;
	tap_ok(in_order, "three samples: delivered in order with their own headers");

	/* Agents may declare more than the structure holds: skip the rest. */
	sflow_xdr_reset(&d);
	sflow_xdr_v5_header(&d, SFLOW_ADDRESS_TYPE_IP4, agent4, 0, 1, 2, 2);
	size_t at = sflow_xdr_element(&d, sflow_format(0, 1));
	sflow_xdr_u32(&d, 5);
	for (int i = 0; i < 6; i++)
		sflow_xdr_u32(&d, 0);
	sflow_xdr_u32(&d, 2);
	v5_switch_record(&d, 8);
	sflow_xdr_v5_sampled_header(&d, 1, 46, 4, frame, sizeof frame);
	sflow_xdr_u64(&d, 0xffffffffffffffffull);      /* sample padding */
	sflow_xdr_end_length(&d, at);
	v5_simple_flow_sample(&d, 6, frame, sizeof frame);
	tap_eq(decode(&d, &cap, &k), SFLOW_DECODE_OK, "padded sample and record: accepted");
	tap_ok(cap.calls == 2 && cap.samples[0].has_switch && cap.samples[0].dst_priority == 5 &&
	       cap.samples[0].has_header && cap.samples[0].header_length == sizeof frame &&
	       memcmp(cap.headers[0], frame, sizeof frame) == 0,
	       "padded sample and record: fields read, padding skipped");
	tap_ok(cap.samples[1].sequence == 6, "padded sample: the next sample starts after it");

	/* Header lengths 0-5 bytes: each padded to 4. */
	int padded_ok = 1;
	for (size_t n = 0; n <= 5; n++) {
		sflow_xdr_reset(&d);
		sflow_xdr_v5_header(&d, SFLOW_ADDRESS_TYPE_IP4, agent4, 0, 1, 2, 2);
		v5_simple_flow_sample(&d, 1, frame, n);
		v5_simple_flow_sample(&d, 2, frame, sizeof frame);
		if (decode(&d, &cap, &k) != SFLOW_DECODE_OK || cap.calls != 2 ||
		    cap.samples[0].header_length != n || memcmp(cap.headers[0], frame, n) != 0 ||
		    cap.samples[1].sequence != 2)
			padded_ok = 0;
	}
	tap_ok(padded_ok, "header lengths 0 to 5: padding skipped");
}

static void test_v5_agent_addresses(void)
{
	static struct sflow_xdr d;
	struct sflow_decoder_counters k = { 0 };
	struct capture cap;

	sflow_xdr_reset(&d);
	sflow_xdr_u32(&d, 5);
	sflow_xdr_address_ip6(&d, agent6);
	sflow_xdr_u32(&d, 3);
	sflow_xdr_u32(&d, 4);
	sflow_xdr_u32(&d, 5);
	sflow_xdr_u32(&d, 1);
	v5_simple_flow_sample(&d, 8, frame, sizeof frame);
	tap_eq(decode(&d, &cap, &k), SFLOW_DECODE_OK, "IPv6 agent: decodes");
	tap_ok(cap.calls == 1 && cap.datagram.agent.type == SFLOW_ADDRESS_IP6 &&
	       memcmp(cap.datagram.agent.bytes, agent6, 16) == 0, "IPv6 agent: address");
	tap_ok(cap.datagram.sub_agent_id == 3 && cap.datagram.sequence == 4 &&
	       cap.datagram.uptime_ms == 5 && cap.samples[0].sequence == 8,
	       "IPv6 agent: the fields after it");

	sflow_xdr_reset(&d);
	sflow_xdr_u32(&d, 5);
	sflow_xdr_u32(&d, 0);                  /* address type unknown: no bytes */
	sflow_xdr_u32(&d, 3);
	sflow_xdr_u32(&d, 4);
	sflow_xdr_u32(&d, 5);
	sflow_xdr_u32(&d, 1);
	v5_simple_flow_sample(&d, 8, frame, sizeof frame);
	tap_ok(decode(&d, &cap, &k) == SFLOW_DECODE_OK && cap.calls == 1 &&
	       cap.datagram.agent.type == SFLOW_ADDRESS_UNKNOWN &&
	       all_zero(cap.datagram.agent.bytes, 16) && cap.datagram.sub_agent_id == 3,
	       "agent address type 0: no address bytes");
	expect_dropped_with(&d, 4, 3, "agent address type");
	expect_dropped_with(&d, 4, 0xffffffff, "agent address type");
}

static void test_bad_versions(void)
{
	static struct sflow_xdr d;
	struct v5_layout at;
	const uint32_t versions[] = { 0, 1, 3, 6, 0x05000000, 0xffffffff };

	build_v5_flow(&d, &at);
	for (size_t i = 0; i < sizeof versions / sizeof versions[0]; i++) {
		struct sflow_decoder_counters k = { 0 };
		struct capture cap;
		sflow_xdr_set_u32(&d, 0, versions[i]);
		tap_ok(decode(&d, &cap, &k) == SFLOW_DECODE_BAD_VERSION && cap.calls == 0 &&
		       k.datagrams == 1 && k.bad_version_datagrams == 1 && k.malformed_datagrams == 1,
		       "version %u: BAD_VERSION, counted as bad version and malformed", versions[i]);
	}
}

/* ---- v2 and v4 datagrams ---- */

static size_t v4_header(struct sflow_xdr *d, uint32_t version, uint32_t num_samples)
{
	sflow_xdr_reset(d);
	return sflow_xdr_v24_header(d, version, SFLOW_ADDRESS_TYPE_IP4, agent4, 55, 999,
				    num_samples);
}

/* Flow sample up to its packet data. */
static void v4_flow_start(struct sflow_xdr *d, uint32_t sequence)
{
	/* source_id 2 << 24 | 7, sampling rate 256, pool 1000, drops 1,
	 * input 7, output "several, 2" */
	sflow_xdr_v24_flow_sample(d, sequence, 2u << 24 | 7, 256, 1000, 1, 7, 0x80000002);
}

static void v4_header_data(struct sflow_xdr *d)
{
	/* Ethernet, frame_length 46 */
	sflow_xdr_v24_sampled_header(d, 1, 46, frame, sizeof frame);
}

static void v4_ip_data(struct sflow_xdr *d, int ipv6)
{
	sflow_xdr_u32(d, ipv6 ? 3 : 2);
	sflow_xdr_u32(d, 1400);
	sflow_xdr_u32(d, 17);
	sflow_xdr_bytes(d, ipv6 ? ip6_src : ip4_src, ipv6 ? 16 : 4);
	sflow_xdr_bytes(d, ipv6 ? ip6_dst : ip4_dst, ipv6 ? 16 : 4);
	sflow_xdr_u32(d, 53);
	sflow_xdr_u32(d, 40000);
	sflow_xdr_u32(d, 0);
	sflow_xdr_u32(d, 0xb8);
}

static void v4_switch(struct sflow_xdr *d)
{
	sflow_xdr_u32(d, 1);
	sflow_xdr_u32(d, 100);
	sflow_xdr_u32(d, 3);
	sflow_xdr_u32(d, 200);
	sflow_xdr_u32(d, 4);
}

/* Every extended type once (the gateway in the given version's layout). */
static void v4_all_extended(struct sflow_xdr *d, uint32_t version)
{
	sflow_xdr_u32(d, 6);
	v4_switch(d);
	sflow_xdr_u32(d, 2);                   /* router, IPv4 next hop */
	sflow_xdr_address_ip4(d, ip4_dst);
	sflow_xdr_u32(d, 24);
	sflow_xdr_u32(d, 16);
	sflow_xdr_u32(d, 2);                   /* router, IPv6 next hop */
	sflow_xdr_address_ip6(d, ip6_dst);
	sflow_xdr_u32(d, 64);
	sflow_xdr_u32(d, 48);
	sflow_xdr_u32(d, 3);                   /* gateway */
	sflow_xdr_u32(d, 65000);
	sflow_xdr_u32(d, 65001);
	sflow_xdr_u32(d, 65002);
	if (version == 2) {
		sflow_xdr_u32(d, 3);           /* AS path: a plain list */
		sflow_xdr_u32(d, 1);
		sflow_xdr_u32(d, 2);
		sflow_xdr_u32(d, 3);
	} else {
		sflow_xdr_u32(d, 2);           /* segments */
		sflow_xdr_u32(d, 2);           /* AS_SEQUENCE of 3 */
		sflow_xdr_u32(d, 3);
		sflow_xdr_u32(d, 1);
		sflow_xdr_u32(d, 2);
		sflow_xdr_u32(d, 3);
		sflow_xdr_u32(d, 1);           /* AS_SET of 1 */
		sflow_xdr_u32(d, 1);
		sflow_xdr_u32(d, 4);
		sflow_xdr_u32(d, 2);           /* communities */
		sflow_xdr_u32(d, 0xfde80001);
		sflow_xdr_u32(d, 0xfde80002);
		sflow_xdr_u32(d, 100);         /* localpref */
	}
	sflow_xdr_u32(d, 4);                   /* user */
	sflow_xdr_opaque(d, "alice", 5);
	sflow_xdr_opaque(d, "bob", 3);
	sflow_xdr_u32(d, 5);                   /* url */
	sflow_xdr_u32(d, 1);
	sflow_xdr_opaque(d, "http://example.com/x", 20);
}

static void test_v2v4_flow(uint32_t version)
{
	static struct sflow_xdr d;
	struct sflow_decoder_counters k = { 0 };
	struct capture cap;
	const struct sflow_sample *a = &cap.samples[0], *b = &cap.samples[1];
	size_t ends[3];                 /* where each sample ends */

	v4_header(&d, version, 3);
	v4_flow_start(&d, 11);
	v4_header_data(&d);
	v4_all_extended(&d, version);
	ends[0] = d.length;
	v4_flow_start(&d, 12);
	v4_ip_data(&d, 0);
	sflow_xdr_u32(&d, 0);
	ends[1] = d.length;
	v4_flow_start(&d, 13);
	v4_ip_data(&d, 1);
	sflow_xdr_u32(&d, 1);
	v4_switch(&d);
	ends[2] = d.length;

	tap_eq(decode(&d, &cap, &k), SFLOW_DECODE_OK, "v%u flow samples: decode", version);
	tap_eq(cap.calls, 3, "v%u flow samples: three callbacks", version);
	tap_ok(cap.datagram.version == version && cap.datagram.agent.type == SFLOW_ADDRESS_IP4 &&
	       memcmp(cap.datagram.agent.bytes, agent4, 4) == 0 && cap.datagram.sub_agent_id == 0 &&
	       cap.datagram.sequence == 55 && cap.datagram.uptime_ms == 999 &&
	       cap.datagram.num_samples == 3, "v%u datagram: header fields", version);
	tap_ok(a->kind == SFLOW_SAMPLE_FLOW && a->sequence == 11 && a->source_id_type == 2 &&
	       a->source_id_index == 7 && a->sampling_rate == 256 && a->sample_pool == 1000 &&
	       a->drops == 1, "v%u flow sample: sample fields", version);
	tap_ok(a->input_format == 0 && a->input == 7 && a->output_format == 2 && a->output == 2,
	       "v%u flow sample: output's top bit reads as format 2", version);
	tap_ok(a->has_header && a->header_protocol == 1 && a->frame_length == 46 &&
	       a->stripped == 0 && a->header_length == sizeof frame && cap.header_inside[0] &&
	       memcmp(cap.headers[0], frame, sizeof frame) == 0,
	       "v%u flow sample: header packet data, no stripped field", version);
	tap_ok(a->has_switch && a->src_vlan == 100 && a->src_priority == 3 &&
	       a->dst_vlan == 200 && a->dst_priority == 4, "v%u extended switch", version);
	tap_eq(k.records_skipped, 5, "v%u router x2, gateway, user, url stepped over", version);
	tap_ok(b->sequence == 12 && b->has_ipv4 && !b->has_header && !b->has_switch &&
	       b->ip.length == 1400 && b->ip.protocol == 17 &&
	       memcmp(b->ip.src, ip4_src, 4) == 0 && memcmp(b->ip.dst, ip4_dst, 4) == 0 &&
	       b->ip.src_port == 53 && b->ip.dst_port == 40000 && b->ip.tos == 0xb8,
	       "v%u IPv4 packet data", version);
	tap_ok(cap.samples[2].sequence == 13 && cap.samples[2].has_ipv6 &&
	       memcmp(cap.samples[2].ip.src, ip6_src, 16) == 0 &&
	       memcmp(cap.samples[2].ip.dst, ip6_dst, 16) == 0 && cap.samples[2].has_switch,
	       "v%u IPv6 packet data", version);
	tap_ok(k.flow_samples == 3 && k.malformed_datagrams == 0, "v%u counters", version);

	/* Truncated anywhere: malformed once, samples before the cut delivered. */
	size_t bad = 0;
	for (size_t length = 0; length < d.length; length++) {
		struct sflow_decoder_counters t = { 0 };
		int expected_calls = (length >= ends[0]) + (length >= ends[1]) + (length >= ends[2]);
		if (decode_n(&d, length, &cap, &t) != SFLOW_DECODE_MALFORMED || t.malformed_datagrams != 1 ||
		    cap.calls != expected_calls || t.flow_samples != (uint64_t)expected_calls)
			bad++;
	}
	tap_ok(bad == 0, "v%u: each of the %zu truncations is malformed, earlier samples delivered",
	       version, d.length);
}

static void test_v2v4_counters(uint32_t version)
{
	static struct sflow_xdr d;
	struct sflow_decoder_counters k = { 0 };
	struct capture cap;
	/* Block sizes from RFC 3176: generic interface counters are 88 bytes,
	 * the media blocks follow them, VLAN counters stand alone. */
	static const size_t sizes[] = { 0, 88, 88 + 52, 88 + 72, 88, 88 + 80, 88, 28 };

	v4_header(&d, version, 8);
	for (uint32_t type = 1; type <= 7; type++) {
		sflow_xdr_u32(&d, 2);          /* counters sample tag */
		sflow_xdr_u32(&d, type);       /* sequence */
		sflow_xdr_u32(&d, 3);          /* source_id */
		sflow_xdr_u32(&d, 30);         /* sampling_interval */
		sflow_xdr_u32(&d, type);       /* counters_type */
		for (size_t i = 0; i < sizes[type]; i += 4)
			sflow_xdr_u32(&d, 0x01010101);
	}
	v4_flow_start(&d, 21);
	v4_ip_data(&d, 0);
	sflow_xdr_u32(&d, 0);
	tap_ok(decode(&d, &cap, &k) == SFLOW_DECODE_OK && cap.calls == 1 &&
	       cap.samples[0].sequence == 21 && cap.samples[0].has_ipv4,
	       "v%u counter samples of types 1-7 stepped over exactly", version);
	tap_eq(k.counter_samples, 7, "v%u counter samples counted", version);
}

static void test_v2v4_unknown_tags(uint32_t version)
{
	static struct sflow_xdr d;
	struct capture cap;
	size_t at;

	/* Unknown sample tag after a good sample. */
	v4_header(&d, version, 2);
	v4_flow_start(&d, 1);
	v4_header_data(&d);
	sflow_xdr_u32(&d, 0);
	sflow_xdr_u32(&d, 3);
	sflow_xdr_u32(&d, 0);
	{
		struct sflow_decoder_counters k = { 0 };
		tap_ok(decode(&d, &cap, &k) == SFLOW_DECODE_MALFORMED && cap.calls == 1 &&
		       cap.samples[0].sequence == 1 && k.malformed_datagrams == 1 && k.flow_samples == 1,
		       "v%u unknown sample tag: earlier sample delivered, malformed once", version);
	}

	/* Unknown packet data type, extended type, counters type. */
	v4_header(&d, version, 1);
	v4_flow_start(&d, 1);
	at = sflow_xdr_u32(&d, 1);
	sflow_xdr_u32(&d, 1);
	sflow_xdr_u32(&d, 46);
	sflow_xdr_opaque(&d, frame, sizeof frame);
	sflow_xdr_u32(&d, 1);
	size_t extended = d.length;
	v4_switch(&d);
	tap_ok(!dropped(&d, d.length), "v%u base sample decodes", version);
	expect_dropped_with(&d, at, 4, "v2/v4 packet data type");
	expect_dropped_with(&d, extended, 6, "v2/v4 extended type");
	expect_dropped_with(&d, at + 12, 69, "v2/v4 header length past the end");
	expect_dropped_with(&d, at + 12, 0xffffffff, "v2/v4 header length past the end");

	v4_header(&d, version, 1);
	sflow_xdr_u32(&d, 2);
	sflow_xdr_u32(&d, 1);
	sflow_xdr_u32(&d, 2);
	sflow_xdr_u32(&d, 3);
	at = sflow_xdr_u32(&d, 1);
	for (int i = 0; i < 22; i++)
		sflow_xdr_u32(&d, 0);
	tap_ok(!dropped(&d, d.length), "v%u generic counters sample decodes", version);
	expect_dropped_with(&d, at, 8, "v2/v4 counters type");
	expect_dropped_with(&d, at, 2, "v2/v4 counters type too big for the data");
	expect_dropped_with(&d, 4, 5, "v2/v4 agent address type");

	/* A sample count larger than the samples present. */
	v4_header(&d, version, 0xffffffff);
	v4_flow_start(&d, 1);
	v4_ip_data(&d, 0);
	sflow_xdr_u32(&d, 0);
	{
		struct sflow_decoder_counters k = { 0 };
		tap_ok(decode(&d, &cap, &k) == SFLOW_DECODE_MALFORMED && cap.calls == 1 &&
		       k.malformed_datagrams == 1, "v%u num_samples huge: present sample delivered, malformed",
		       version);
	}

	/* Gateway counts that cannot fit. */
	const uint32_t huge[] = { 0x40000000, 0xffffffff };
	for (size_t i = 0; i < 2; i++) {
		v4_header(&d, version, 1);
		v4_flow_start(&d, 1);
		v4_ip_data(&d, 0);
		sflow_xdr_u32(&d, 1);
		sflow_xdr_u32(&d, 3);
		sflow_xdr_u32(&d, 1);
		sflow_xdr_u32(&d, 2);
		sflow_xdr_u32(&d, 3);
		sflow_xdr_u32(&d, huge[i]);    /* path length or segment count */
		sflow_xdr_u64(&d, 0);
		tap_ok(dropped(&d, d.length), "v%u gateway path count %u: malformed", version,
		       huge[i]);
	}
}

/* ---- Real captures ---- */

struct pcap_file {
	uint8_t *bytes;
	size_t length;
	int big_endian;
};

static uint32_t pcap_u32(const struct pcap_file *f, size_t at)
{
	const uint8_t *p = f->bytes + at;
	if (f->big_endian)
		return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
	return (uint32_t)p[3] << 24 | (uint32_t)p[2] << 16 | (uint32_t)p[1] << 8 | p[0];
}

static uint16_t be16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static int pcap_load(const char *path, struct pcap_file *f)
{
	FILE *file = fopen(path, "rb");
	long size;

	memset(f, 0, sizeof *f);
	if (file == NULL)
		return -1;
	if (fseek(file, 0, SEEK_END) != 0 || (size = ftell(file)) < 24 ||
	    fseek(file, 0, SEEK_SET) != 0 || (f->bytes = malloc((size_t)size)) == NULL ||
	    fread(f->bytes, 1, (size_t)size, file) != (size_t)size) {
		fclose(file);
		free(f->bytes);
		return -1;
	}
	fclose(file);
	f->length = (size_t)size;
	f->big_endian = f->bytes[0] == 0xa1;    /* a1b2c3d4 or a1b23c4d as written */
	if (pcap_u32(f, 0) != 0xa1b2c3d4 && pcap_u32(f, 0) != 0xa1b23c4d) {
		free(f->bytes);
		return -1;
	}
	return 0;
}

/* Finds the UDP payload in an Ethernet frame (VLAN tags, IPv4 or IPv6 with
 * no extension headers). *payload_length follows the UDP length field;
 * *rest_length is everything captured after the UDP header. */
static int udp_payload(const uint8_t *p, size_t length, const uint8_t **payload,
		       size_t *payload_length, size_t *rest_length)
{
	size_t at = 12, udp;
	uint16_t type;

	if (length < 14)
		return -1;
	type = be16(p + at);
	at += 2;
	while ((type == 0x8100 || type == 0x88a8) && length >= at + 4) {
		type = be16(p + at + 2);
		at += 4;
	}
	if (type == 0x0800 && length >= at + 20 && p[at + 9] == 17)
		udp = at + (size_t)(p[at] & 0x0f) * 4;
	else if (type == 0x86dd && length >= at + 40 && p[at + 6] == 17)
		udp = at + 40;
	else
		return -1;
	if (length < udp + 8 || be16(p + udp + 4) < 8)
		return -1;
	*payload = p + udp + 8;
	*rest_length = length - udp - 8;
	*payload_length = (size_t)be16(p + udp + 4) - 8;
	if (*payload_length > *rest_length)
		*payload_length = *rest_length;
	return 0;
}

static void count_headers(void *ctx, const struct sflow_datagram *datagram,
			  const struct sflow_sample *sample)
{
	(void)datagram;
	if (sample->has_header)
		++*(int *)ctx;
}

static void test_captures(void)
{
	static const struct {
		const char *file;
		int datagrams;          /* UDP datagrams in the capture */
		int sampled_packets;    /* from the captures' README */
	} expected[] = {
		{ "sflow-print-v6.pcap", 25, 13 },
		{ "sflow_expanded.pcap", 1, 1 },
		{ "sflow_multiple_counter_30_pdus.pcap", 30, 0 },
		{ "sflow_print-segv.pcap", 1, 0 },
	};
	char directory[4096], path[4200];
	const char *env = getenv("SFLOW_CAPTURES");
	const char *top = getenv("top_srcdir");
	FILE *probe;

	if (env != NULL)
		snprintf(directory, sizeof directory, "%s", env);
	else
		snprintf(directory, sizeof directory, "%s/../shared/captures", top ? top : ".");
	snprintf(path, sizeof path, "%s/README.md", directory);
	if ((probe = fopen(path, "r")) == NULL) {
		tap_ok(1, "captures # SKIP no captures at %s", directory);
		return;
	}
	fclose(probe);

	for (size_t i = 0; i < sizeof expected / sizeof expected[0]; i++) {
		struct pcap_file f;
		struct sflow_decoder_counters k = { 0 }, rest = { 0 };
		int datagrams = 0, sampled = 0, ignored = 0;

		snprintf(path, sizeof path, "%s/%s", directory, expected[i].file);
		if (pcap_load(path, &f)) {
			tap_ok(0, "%s: readable pcap", expected[i].file);
			continue;
		}
		for (size_t at = 24; at + 16 <= f.length;) {
			size_t captured = pcap_u32(&f, at + 8);
			const uint8_t *payload;
			size_t payload_length, rest_length;

			at += 16;
			if (captured > f.length - at)
				break;
			if (pcap_u32(&f, 20) == 1 &&
			    udp_payload(f.bytes + at, captured, &payload, &payload_length,
					&rest_length) == 0) {
				datagrams++;
				sflow_decode(payload, payload_length, count_headers, &sampled, &k);
				/* Also everything after the UDP header, ignoring the UDP
				 * length: must not crash whatever it holds. */
				sflow_decode(payload, rest_length, count_headers, &ignored, &rest);
			}
			at += captured;
		}
		free(f.bytes);
		tap_eq(datagrams, expected[i].datagrams, "%s: UDP datagrams found", expected[i].file);
		tap_eq(sampled, expected[i].sampled_packets, "%s: sampled packets", expected[i].file);
		printf("# %s: %llu malformed, %llu bad version, %llu flow, %llu counter samples\n",
		       expected[i].file, (unsigned long long)k.malformed_datagrams,
		       (unsigned long long)k.bad_version_datagrams, (unsigned long long)k.flow_samples,
		       (unsigned long long)k.counter_samples);
	}
}

/* The header alone, read before decoding (selection, loss books). */
static void test_header_peek(void)
{
	static struct sflow_xdr d;
	struct sflow_datagram header;
	struct sflow_decoder_counters k = { 0 };
	const uint8_t agent[4] = { 10, 1, 2, 3 };

	sflow_xdr_reset(&d);
	sflow_xdr_v5_header(&d, SFLOW_ADDRESS_TYPE_IP4, agent, 7, 99, 123456, 0);
	tap_ok(sflow_decode_header(d.bytes, d.length, &header, &k) == 0 && header.version == 5 &&
	       header.agent.type == SFLOW_ADDRESS_IP4 && memcmp(header.agent.bytes, agent, 4) == 0 &&
	       header.sub_agent_id == 7 && header.sequence == 99 && header.uptime_ms == 123456,
	       "header peek: v5 agent, sub-agent, sequence, uptime");
	int cut_fails = 1;
	for (size_t n = 0; n < d.length; n++)
		cut_fails &= sflow_decode_header(d.bytes, n, &header, &k) == SFLOW_DECODE_MALFORMED;
	tap_ok(cut_fails, "header peek: every cut header fails");
	sflow_xdr_set_u32(&d, 0, 3);
	tap_eq(sflow_decode_header(d.bytes, d.length, &header, &k), SFLOW_DECODE_BAD_VERSION,
	       "header peek: version 3 fails");
	sflow_xdr_reset(&d);
	sflow_xdr_v24_header(&d, 4, SFLOW_ADDRESS_TYPE_IP4, agent, 5, 6, 0);
	struct sflow_decoder_counters before = k;
	tap_ok(sflow_decode_header(d.bytes, d.length, &header, &k) == 0 && header.version == 4 &&
	       header.sub_agent_id == 0 && header.sequence == 5 && header.uptime_ms == 6,
	       "header peek: v4 has no sub-agent");
	tap_ok(header.samples == d.bytes + d.length && header.samples_length == 0,
	       "header: the samples start where it ends");
	tap_ok(k.datagrams == before.datagrams + 1 && k.malformed_datagrams == before.malformed_datagrams,
	       "header: the datagram counted once, not malformed");
}

int main(void)
{
	test_header_peek();
	test_v5_flow_sample();
	test_v5_truncations();
	test_v5_length_fields();
	test_v5_lying_datagram();
	test_v5_expanded();
	test_v5_discard();
	test_v5_skipped_samples();
	test_v5_records();
	test_v5_multiple_and_padding();
	test_v5_agent_addresses();
	test_bad_versions();
	test_v2v4_flow(2);
	test_v2v4_flow(4);
	test_v2v4_counters(2);
	test_v2v4_counters(4);
	test_v2v4_unknown_tags(2);
	test_v2v4_unknown_tags(4);
	test_captures();
	return tap_done();
}
