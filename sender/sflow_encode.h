/*
 * sFlow version 5 encoder: builds datagrams of flow samples, each with one
 * sampled_header record, into a buffer the caller owns. No I/O, no clock,
 * no globals: the caller supplies the uptime and keeps one struct
 * sflow_source per data source, so several encoders never share state.
 *
 * Use: sflow_encoder_init() once; then per datagram sflow_begin(),
 * sflow_fits() / sflow_add_flow_sample() for each sample, sflow_finish().
 */
#ifndef SFLOW_ENCODE_H
#define SFLOW_ENCODE_H

#include <stddef.h>
#include <stdint.h>

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
	uint8_t *buf;
	size_t cap;           /* bytes in buf */
	size_t limit;         /* datagram size to stay within */
	size_t len;
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
