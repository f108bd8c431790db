/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The one sFlow encoder (libsflow-encode): the sender and the C tests build
 * every datagram with it. Two layers:
 *
 * - An XDR writer (struct sflow_xdr) with the pieces of sFlow v2, v4 and
 *   v5 datagrams (headers, addresses, samples and records as elements with
 *   their lengths). Each write returns the offset of what it wrote, so a
 *   test can build any datagram, valid or not, and corrupt a field after.
 * - The sender's v5 encoder: datagrams of flow samples, each with one
 *   sampled_header record, into a buffer the caller owns. No I/O, no
 *   clock, no globals: the caller supplies the uptime and keeps one struct
 *   sflow_source per data source, so several encoders never share state.
 *   Use: sflow_encoder_init() once; then per datagram sflow_begin(),
 *   sflow_fits() / sflow_add_flow_sample() for each sample, sflow_finish().
 */
#ifndef SFLOW_ENCODE_H
#define SFLOW_ENCODE_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "bytes.h"

/* ---- The XDR writer ---- */

/* The largest datagram a writer without a buffer of its own gets: more
 * than any UDP payload. */
#define SFLOW_XDR_MAX 65536

/* address types of sFlow datagrams and records */
#define SFLOW_ADDRESS_TYPE_IP4 1
#define SFLOW_ADDRESS_TYPE_IP6 2

/* A datagram being written, big-endian (XDR) field by field. A write that
 * does not fit writes nothing and sets overflow; so does a set or get out
 * of range. Check overflow once, before using the bytes. */
struct sflow_xdr {
	uint8_t *bytes;
	size_t capacity;
	size_t length;
	int overflow;
};

/* Writes into buffer, of capacity bytes, from its start. */
static inline void sflow_xdr_init(struct sflow_xdr *x, void *buffer, size_t capacity)
{
	x->bytes = buffer;
	x->capacity = capacity;
	x->length = 0;
	x->overflow = 0;
}

/* Empties the writer. One without a buffer (zero-initialised) first gets
 * one of SFLOW_XDR_MAX bytes, kept for its lifetime; -1 when that
 * allocation fails (overflow is then set). */
int sflow_xdr_reset(struct sflow_xdr *x);

/* Reserves n bytes at the end; NULL (and overflow) when they do not fit. */
static inline uint8_t *sflow_xdr_grow(struct sflow_xdr *x, size_t n)
{
	if (n > x->capacity - x->length) {
		x->overflow = 1;
		return NULL;
	}
	x->length += n;
	return x->bytes + x->length - n;
}

/* Appends a u32; returns its offset. */
static inline size_t sflow_xdr_u32(struct sflow_xdr *x, uint32_t value)
{
	size_t at = x->length;
	uint8_t *p = sflow_xdr_grow(x, 4);
	if (p != NULL)
		put_be32(p, value);
	return at;
}

/* Raw bytes, unpadded (see sflow_xdr_opaque for XDR's padded form). */
static inline size_t sflow_xdr_bytes(struct sflow_xdr *x, const void *bytes, size_t n)
{
	size_t at = x->length;
	uint8_t *p = sflow_xdr_grow(x, n);
	if (p != NULL && n > 0)
		memcpy(p, bytes, n);
	return at;
}

size_t sflow_xdr_u8(struct sflow_xdr *x, uint8_t value);
size_t sflow_xdr_u64(struct sflow_xdr *x, uint64_t value);
/* Zeros up to the next multiple of 4. */
void sflow_xdr_pad(struct sflow_xdr *x);
/* XDR opaque: length, bytes, zero padding; returns the length's offset. */
size_t sflow_xdr_opaque(struct sflow_xdr *x, const void *bytes, size_t n);
/* Overwrites the u32 at offset at (which must lie inside what is written). */
void sflow_xdr_set_u32(struct sflow_xdr *x, size_t at, uint32_t value);
/* Reads back the u32 at offset at; 0 (and overflow) outside. */
uint32_t sflow_xdr_get_u32(struct sflow_xdr *x, size_t at);
/* A length word: reserved by begin (returns its offset), filled by end
 * with the bytes written since. */
size_t sflow_xdr_begin_length(struct sflow_xdr *x);
void sflow_xdr_end_length(struct sflow_xdr *x, size_t length_at);

/* ---- sFlow pieces, field by field from the specifications ---- */

/* A v5 data_format: enterprise in the top 20 bits, format in the low 12. */
static inline uint32_t sflow_format(uint32_t enterprise, uint32_t format)
{
	return enterprise << 12 | format;
}

/* Starts a v5 sample or record: its data_format, then a reserved length;
 * returns the length's offset, for sflow_xdr_end_length. */
size_t sflow_xdr_element(struct sflow_xdr *x, uint32_t data_format);
/* An address: type 1 and 4 bytes, or type 2 and 16; returns its offset. */
size_t sflow_xdr_address_ip4(struct sflow_xdr *x, const uint8_t address[4]);
size_t sflow_xdr_address_ip6(struct sflow_xdr *x, const uint8_t address[16]);
/* A v5 datagram header with an agent of agent_type (SFLOW_ADDRESS_TYPE_*);
 * returns the offset of num_samples. */
size_t sflow_xdr_v5_header(struct sflow_xdr *x, uint32_t agent_type, const uint8_t *agent,
			   uint32_t sub_agent_id, uint32_t sequence, uint32_t uptime_ms,
			   uint32_t num_samples);
/* A v5 flow sample (enterprise 0, format 1) up to its records: source_id
 * is type << 24 | index, input and output format << 30 | value. Returns
 * the sample length's offset: append num_records records, then
 * sflow_xdr_end_length. */
size_t sflow_xdr_v5_flow_sample(struct sflow_xdr *x, uint32_t sequence, uint32_t source_id,
				uint32_t sampling_rate, uint32_t sample_pool, uint32_t drops,
				uint32_t input, uint32_t output, uint32_t num_records);
/* A v5 sampled_header record (enterprise 0, format 1); returns the record
 * length's offset. */
size_t sflow_xdr_v5_sampled_header(struct sflow_xdr *x, uint32_t header_protocol,
				   uint32_t frame_length, uint32_t stripped,
				   const void *header, size_t header_length);

/* sFlow v2 / v4 (RFC 3176): tagged structures without lengths. */
/* The datagram header; returns the offset of num_samples. */
size_t sflow_xdr_v24_header(struct sflow_xdr *x, uint32_t version, uint32_t agent_type,
			    const uint8_t *agent, uint32_t sequence, uint32_t uptime_ms,
			    uint32_t num_samples);
/* A flow sample's tag (1) and fixed fields, up to its packet data; returns
 * the tag's offset. */
size_t sflow_xdr_v24_flow_sample(struct sflow_xdr *x, uint32_t sequence, uint32_t source_id,
				 uint32_t sampling_rate, uint32_t sample_pool, uint32_t drops,
				 uint32_t input, uint32_t output);
/* Packet data of type 1, a sampled header (no stripped field in v2/v4);
 * returns the type's offset. */
size_t sflow_xdr_v24_sampled_header(struct sflow_xdr *x, uint32_t header_protocol,
				    uint32_t frame_length, const void *header,
				    size_t header_length);

/* The Internet checksum (RFC 1071) of length bytes, an odd last byte
 * padded with zero: what goes in an IPv4 header's checksum field (zeroed
 * first), and 0 over a header whose field is filled in correctly. */
uint16_t sflow_ip_checksum(const void *data, size_t length);

/* ---- The sender's v5 encoder ---- */

/* header_protocol values of the sampled_header record */
#define SFLOW_HEADER_ETHERNET 1
#define SFLOW_HEADER_IPV4 11
#define SFLOW_HEADER_IPV6 12

/* ifIndex values are 30 bits in the input/output fields */
#define SFLOW_IFINDEX_MAX 0x3FFFFFFFu
/* source_id is type<<24 | index: the index has 24 bits */
#define SFLOW_SOURCE_INDEX_MAX 0xFFFFFFu

/* One data source (an interface being sampled), owned by the caller. */
struct sflow_source {
	uint32_t source_id;  /* type << 24 | index; type 0 = ifIndex */
	uint32_t input;      /* ifIndex the packets came in on */
	uint32_t output;     /* ifIndex they went out on (0 = unknown) */
	uint32_t sequence;   /* of the last flow sample; the next gets +1 */
	uint32_t pool;       /* packets seen so far: the caller counts them */
	uint32_t drops;      /* samples lost for lack of resources */
};

/* One sampled packet, as the record will describe it. */
struct sflow_packet {
	uint32_t header_protocol; /* SFLOW_HEADER_* */
	uint32_t frame_length;    /* original length, with the FCS for Ethernet */
	uint32_t stripped;        /* bytes removed before the header (the FCS) */
	const uint8_t *header;    /* first bytes of the packet */
	size_t header_len;
};

struct sflow_encoder {
	uint32_t agent_type;  /* 1 IPv4, 2 IPv6 */
	uint8_t agent[16];
	uint32_t sub_agent;
	uint32_t sequence;    /* of the last datagram begun */
	/* the datagram being built */
	struct sflow_xdr out;
	size_t limit;         /* datagram size to stay within */
	size_t num_samples_at;
	uint32_t num_samples;
};

/* family is AF_INET or AF_INET6, addr the 4 or 16 address bytes.
 * Returns -1 for any other family. */
int sflow_encoder_init(struct sflow_encoder *e, int family, const void *addr,
		       uint32_t sub_agent);

/* Bytes of the datagram header for this encoder's agent address. */
size_t sflow_datagram_overhead(const struct sflow_encoder *e);

/* Bytes one flow sample with a header of header_len bytes takes. */
size_t sflow_flow_sample_size(size_t header_len);

/* Starts the next datagram (sequence + 1) in buf, of cap bytes, at least
 * sflow_datagram_overhead(). The datagram stays within limit bytes, except
 * that its first sample may take it up to cap: one sample too big for the
 * limit still goes out, alone. */
void sflow_begin(struct sflow_encoder *e, uint8_t *buf, size_t cap,
		 size_t limit, uint32_t uptime_ms);

/* Whether a sample with a header of header_len bytes still fits. */
int sflow_fits(const struct sflow_encoder *e, size_t header_len);

/* Appends a flow sample from src (its sequence + 1) with one sampled_header
 * record. Returns 0, or -1 when it does not fit (nothing is written). */
int sflow_add_flow_sample(struct sflow_encoder *e, struct sflow_source *src,
			  uint32_t sampling_rate, const struct sflow_packet *pkt);

/* Completes the datagram; returns its length in bytes. */
size_t sflow_finish(struct sflow_encoder *e);

#endif
