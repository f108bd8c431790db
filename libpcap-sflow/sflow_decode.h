/* SPDX-License-Identifier: BSD-3-Clause */
/* Pure sFlow datagram decoder: bytes in, sampled packets out.
 *
 * No I/O, no allocation, no globals: the caller owns every byte of state,
 * so the decoder can be unit-tested and fuzzed on its own. Every pointer it
 * hands out points into the caller's datagram buffer and is valid only for
 * the duration of the callback.
 */
#ifndef SFLOW_DECODE_H
#define SFLOW_DECODE_H

#include <stddef.h>
#include <stdint.h>

#include "counters.h"
#include "direction.h"

enum sflow_address_type {
	SFLOW_ADDRESS_UNKNOWN = 0,
	SFLOW_ADDRESS_IP4 = 1,
	SFLOW_ADDRESS_IP6 = 2,
};

struct sflow_address {
	enum sflow_address_type type;
	uint8_t bytes[16];      /* 4 used for IPv4, 16 for IPv6 */
};

/* The datagram header, shared by every sample it carries. */
struct sflow_datagram {
	uint32_t version;       /* 2, 4 or 5 */
	struct sflow_address agent;
	uint32_t sub_agent_id;  /* 0 for v2/v4 */
	uint32_t sequence;
	uint32_t uptime_ms;
	uint32_t num_samples;
	/* The bytes after the header, its samples: they point into the
	 * caller's datagram (sflow_decode_header). */
	const uint8_t *samples;
	size_t samples_length;
};

enum sflow_sample_kind {
	SFLOW_SAMPLE_FLOW = 1,          /* v5 format 1, v2/v4 type 1 */
	SFLOW_SAMPLE_FLOW_EXPANDED = 3, /* v5 format 3 */
	SFLOW_SAMPLE_DISCARD = 5,       /* v5 format 5, dropped packet notification */
};

/* sampled_ipv4 (format 3) / sampled_ipv6 (format 4) record fields. */
struct sflow_sampled_ip {
	uint32_t length;        /* length of the IP packet */
	uint32_t protocol;      /* IP protocol */
	uint8_t src[16], dst[16];
	uint32_t src_port, dst_port;
	uint32_t tcp_flags;
	uint32_t tos;           /* tos (v4) or priority (v6) */
};

/* One flow or discard sample: what a callback receives. Flags say which
 * records were present; fields of absent records are zero. */
struct sflow_sample {
	enum sflow_sample_kind kind;
	uint32_t sequence;              /* sample sequence number */
	uint32_t source_id_type;
	uint32_t source_id_index;
	uint32_t sampling_rate;         /* 0 for discard samples */
	uint32_t sample_pool;           /* 0 for discard samples */
	uint32_t drops;
	uint32_t input_format, input;   /* format is the top 2 bits in format 1 */
	uint32_t output_format, output;
	uint32_t discard_reason;        /* discard samples only */
	enum sflow_direction direction; /* from source id vs input / output */

	/* First sampled_header record (v5 format 1, v2/v4 packet type 1). */
	int has_header;
	uint32_t header_protocol;
	uint32_t frame_length;
	uint32_t stripped;              /* 0 in v2/v4, which have no such field */
	const uint8_t *header;          /* points into the datagram */
	uint32_t header_length;

	/* First sampled_ipv4 / sampled_ipv6 record (v5 formats 3 / 4,
	 * v2/v4 packet types 2 / 3). */
	int has_ipv4, has_ipv6;
	struct sflow_sampled_ip ip;

	/* extended_switch (v5 format 1001, v2/v4 extended type 1). */
	int has_switch;
	uint32_t src_vlan, src_priority, dst_vlan, dst_priority;

	/* Agent's own timestamp record (enterprise 0, format 1043). */
	int has_timestamp;
	uint64_t timestamp_ns;          /* nanoseconds since the Unix epoch */
};

/* What the decoder saw but did not hand to the callback is counted into
 * the caller's struct sflow_decoder_counters (counters.h), accumulated
 * across calls (the caller zeroes it once). */

/* Called once per flow or discard sample, in datagram order. */
typedef void (*sflow_sample_fn)(void *ctx, const struct sflow_datagram *datagram,
				const struct sflow_sample *sample);

enum sflow_decode_result {
	SFLOW_DECODE_OK = 0,
	SFLOW_DECODE_MALFORMED = -1,    /* nothing delivered (v5) or delivered up to the fault (v2/v4) */
	SFLOW_DECODE_BAD_VERSION = -2,  /* nothing delivered */
};

/* Reads the header of a v2, v4 or v5 datagram (version, agent, sub-agent,
 * sequence, uptime, sample count) into datagram, with where its samples
 * lie, so that the datagram can be selected and accounted before its
 * samples are decoded, from the same parse. Counts the datagram
 * (datagrams), and when it holds no such header malformed_datagrams (and
 * bad_version_datagrams). Never reads outside data[0 .. length-1]. */
enum sflow_decode_result sflow_decode_header(const uint8_t *data, size_t length,
					     struct sflow_datagram *datagram,
					     struct sflow_decoder_counters *counters);

/* Decodes the samples of a datagram sflow_decode_header read, as
 * sflow_decode does (below). Counts malformed_datagrams on failure. */
enum sflow_decode_result sflow_decode_samples(const struct sflow_datagram *datagram,
					      sflow_sample_fn fn, void *ctx,
					      struct sflow_decoder_counters *counters);

/* Decode one datagram: sflow_decode_header, then sflow_decode_samples. A
 * v5 datagram is checked whole before any sample is delivered: if any
 * length lies, nothing is delivered and the datagram counts as malformed.
 * A v2/v4 datagram is delivered up to the first unknown tag or truncation,
 * which then counts as malformed. Never reads outside data[0 .. length-1]. */
enum sflow_decode_result sflow_decode(const uint8_t *data, size_t length,
				      sflow_sample_fn fn, void *ctx,
				      struct sflow_decoder_counters *counters);

#endif
