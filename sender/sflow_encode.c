/* SPDX-License-Identifier: BSD-3-Clause */
/* The one sFlow encoder: the XDR writer, the sFlow pieces, and the
 * sender's v5 encoder on top of them (see sflow_encode.h). */
#include <config.h>
#include "sflow_encode.h"

#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#define SFLOW_VERSION 5
#define SFLOW_FLOW_SAMPLE 1     /* enterprise 0, format 1 */
#define SFLOW_SAMPLED_HEADER 1  /* enterprise 0, format 1 */

/* flow_sample: format, length, then 8 words before the records */
#define FLOW_SAMPLE_FIXED (2 * 4 + 8 * 4)
/* sampled_header: format, length, protocol, frame_length, stripped,
 * header length, then the header bytes */
#define SAMPLED_HEADER_FIXED (6 * 4)

static size_t pad4(size_t n)
{
	return (n + 3) & ~(size_t)3;
}

/* ---- The XDR writer ---- */

int sflow_xdr_reset(struct sflow_xdr *x)
{
	if (x->bytes == NULL) {
		x->bytes = malloc(SFLOW_XDR_MAX);
		x->capacity = x->bytes != NULL ? SFLOW_XDR_MAX : 0;
	}
	x->length = 0;
	x->overflow = x->bytes == NULL;
	return x->bytes != NULL ? 0 : -1;
}

size_t sflow_xdr_u8(struct sflow_xdr *x, uint8_t value)
{
	return sflow_xdr_bytes(x, &value, 1);
}

size_t sflow_xdr_u64(struct sflow_xdr *x, uint64_t value)
{
	size_t at = sflow_xdr_u32(x, (uint32_t)(value >> 32));
	sflow_xdr_u32(x, (uint32_t)value);
	return at;
}

void sflow_xdr_pad(struct sflow_xdr *x)
{
	static const uint8_t zeros[3];
	size_t padding = pad4(x->length) - x->length;
	if (padding > 0)
		sflow_xdr_bytes(x, zeros, padding);
}

size_t sflow_xdr_opaque(struct sflow_xdr *x, const void *bytes, size_t n)
{
	size_t at = sflow_xdr_u32(x, (uint32_t)n);
	sflow_xdr_bytes(x, bytes, n);
	sflow_xdr_pad(x);
	return at;
}

void sflow_xdr_set_u32(struct sflow_xdr *x, size_t at, uint32_t value)
{
	if (at > x->length || x->length - at < 4) {
		x->overflow = 1;
		return;
	}
	put_be32(x->bytes + at, value);
}

uint32_t sflow_xdr_get_u32(struct sflow_xdr *x, size_t at)
{
	if (at > x->length || x->length - at < 4) {
		x->overflow = 1;
		return 0;
	}
	return get_be32(x->bytes + at);
}

size_t sflow_xdr_begin_length(struct sflow_xdr *x)
{
	return sflow_xdr_u32(x, 0);
}

void sflow_xdr_end_length(struct sflow_xdr *x, size_t length_at)
{
	sflow_xdr_set_u32(x, length_at, (uint32_t)(x->length - length_at - 4));
}

/* ---- sFlow pieces ---- */

size_t sflow_xdr_element(struct sflow_xdr *x, uint32_t data_format)
{
	sflow_xdr_u32(x, data_format);
	return sflow_xdr_begin_length(x);
}

size_t sflow_xdr_address_ip4(struct sflow_xdr *x, const uint8_t address[4])
{
	size_t at = sflow_xdr_u32(x, SFLOW_ADDRESS_TYPE_IP4);
	sflow_xdr_bytes(x, address, 4);
	return at;
}

size_t sflow_xdr_address_ip6(struct sflow_xdr *x, const uint8_t address[16])
{
	size_t at = sflow_xdr_u32(x, SFLOW_ADDRESS_TYPE_IP6);
	sflow_xdr_bytes(x, address, 16);
	return at;
}

size_t sflow_xdr_v5_header(struct sflow_xdr *x, uint32_t agent_type, const uint8_t *agent,
			   uint32_t sub_agent_id, uint32_t sequence, uint32_t uptime_ms,
			   uint32_t num_samples)
{
	sflow_xdr_u32(x, SFLOW_VERSION);
	if (agent_type == SFLOW_ADDRESS_TYPE_IP6)
		sflow_xdr_address_ip6(x, agent);
	else
		sflow_xdr_address_ip4(x, agent);
	sflow_xdr_u32(x, sub_agent_id);
	sflow_xdr_u32(x, sequence);
	sflow_xdr_u32(x, uptime_ms);
	return sflow_xdr_u32(x, num_samples);
}

size_t sflow_xdr_v5_flow_sample(struct sflow_xdr *x, uint32_t sequence, uint32_t source_id,
				uint32_t sampling_rate, uint32_t sample_pool, uint32_t drops,
				uint32_t input, uint32_t output, uint32_t num_records)
{
	size_t at = sflow_xdr_element(x, sflow_format(0, SFLOW_FLOW_SAMPLE));
	sflow_xdr_u32(x, sequence);
	sflow_xdr_u32(x, source_id);
	sflow_xdr_u32(x, sampling_rate);
	sflow_xdr_u32(x, sample_pool);
	sflow_xdr_u32(x, drops);
	sflow_xdr_u32(x, input);
	sflow_xdr_u32(x, output);
	sflow_xdr_u32(x, num_records);
	return at;
}

size_t sflow_xdr_v5_sampled_header(struct sflow_xdr *x, uint32_t header_protocol,
				   uint32_t frame_length, uint32_t stripped,
				   const void *header, size_t header_length)
{
	size_t at = sflow_xdr_element(x, sflow_format(0, SFLOW_SAMPLED_HEADER));
	sflow_xdr_u32(x, header_protocol);
	sflow_xdr_u32(x, frame_length);
	sflow_xdr_u32(x, stripped);
	sflow_xdr_opaque(x, header, header_length);
	sflow_xdr_end_length(x, at);
	return at;
}

size_t sflow_xdr_v24_header(struct sflow_xdr *x, uint32_t version, uint32_t agent_type,
			    const uint8_t *agent, uint32_t sequence, uint32_t uptime_ms,
			    uint32_t num_samples)
{
	sflow_xdr_u32(x, version);
	if (agent_type == SFLOW_ADDRESS_TYPE_IP6)
		sflow_xdr_address_ip6(x, agent);
	else
		sflow_xdr_address_ip4(x, agent);
	sflow_xdr_u32(x, sequence);
	sflow_xdr_u32(x, uptime_ms);
	return sflow_xdr_u32(x, num_samples);
}

size_t sflow_xdr_v24_flow_sample(struct sflow_xdr *x, uint32_t sequence, uint32_t source_id,
				 uint32_t sampling_rate, uint32_t sample_pool, uint32_t drops,
				 uint32_t input, uint32_t output)
{
	size_t at = sflow_xdr_u32(x, 1);        /* flow sample tag */
	sflow_xdr_u32(x, sequence);
	sflow_xdr_u32(x, source_id);
	sflow_xdr_u32(x, sampling_rate);
	sflow_xdr_u32(x, sample_pool);
	sflow_xdr_u32(x, drops);
	sflow_xdr_u32(x, input);
	sflow_xdr_u32(x, output);
	return at;
}

size_t sflow_xdr_v24_sampled_header(struct sflow_xdr *x, uint32_t header_protocol,
				    uint32_t frame_length, const void *header,
				    size_t header_length)
{
	size_t at = sflow_xdr_u32(x, 1);        /* packet data type: header */
	sflow_xdr_u32(x, header_protocol);
	sflow_xdr_u32(x, frame_length);
	sflow_xdr_opaque(x, header, header_length);
	return at;
}

uint16_t sflow_ip_checksum(const void *data, size_t length)
{
	const uint8_t *p = data;
	uint32_t sum = 0;

	for (size_t i = 0; i + 1 < length; i += 2)
		sum += (uint32_t)p[i] << 8 | p[i + 1];
	if (length % 2)
		sum += (uint32_t)p[length - 1] << 8;
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

/* ---- The sender's v5 encoder ---- */

int sflow_encoder_init(struct sflow_encoder *e, int family, const void *addr,
		       uint32_t sub_agent)
{
	memset(e, 0, sizeof(*e));
	if (family == AF_INET) {
		e->agent_type = SFLOW_ADDRESS_TYPE_IP4;
		memcpy(e->agent, addr, 4);
	} else if (family == AF_INET6) {
		e->agent_type = SFLOW_ADDRESS_TYPE_IP6;
		memcpy(e->agent, addr, 16);
	} else {
		return -1;
	}
	e->sub_agent = sub_agent;
	return 0;
}

static size_t agent_len(const struct sflow_encoder *e)
{
	return e->agent_type == SFLOW_ADDRESS_TYPE_IP6 ? 16 : 4;
}

size_t sflow_datagram_overhead(const struct sflow_encoder *e)
{
	/* version, address type, address, sub-agent, sequence, uptime,
	 * num_samples */
	return 6 * 4 + agent_len(e);
}

size_t sflow_flow_sample_size(size_t header_len)
{
	return FLOW_SAMPLE_FIXED + SAMPLED_HEADER_FIXED + pad4(header_len);
}

void sflow_begin(struct sflow_encoder *e, uint8_t *buf, size_t cap,
		 size_t limit, uint32_t uptime_ms)
{
	sflow_xdr_init(&e->out, buf, cap);
	e->limit = limit;
	e->num_samples = 0;
	e->sequence++;
	/* num_samples is set by sflow_finish() */
	e->num_samples_at = sflow_xdr_v5_header(&e->out, e->agent_type, e->agent, e->sub_agent,
						e->sequence, uptime_ms, 0);
}

int sflow_fits(const struct sflow_encoder *e, size_t header_len)
{
	size_t end = e->out.length + sflow_flow_sample_size(header_len);

	return end <= e->out.capacity && (end <= e->limit || e->num_samples == 0);
}

int sflow_add_flow_sample(struct sflow_encoder *e, struct sflow_source *src,
			  uint32_t sampling_rate, const struct sflow_packet *pkt)
{
	struct sflow_xdr *x = &e->out;

	if (!sflow_fits(e, pkt->header_len))
		return -1;
	src->sequence++;
	size_t sample = sflow_xdr_v5_flow_sample(x, src->sequence, src->source_id, sampling_rate,
						 src->pool, src->drops, src->input & SFLOW_IFINDEX_MAX,
						 src->output & SFLOW_IFINDEX_MAX, 1);
	sflow_xdr_v5_sampled_header(x, pkt->header_protocol, pkt->frame_length, pkt->stripped,
				    pkt->header, pkt->header_len);
	sflow_xdr_end_length(x, sample);
	e->num_samples++;
	return 0;
}

size_t sflow_finish(struct sflow_encoder *e)
{
	sflow_xdr_set_u32(&e->out, e->num_samples_at, e->num_samples);
	return e->out.length;
}
