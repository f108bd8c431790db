/* sFlow version 5 encoder: see sflow_encode.h. All fields are XDR. */
#include "sflow_encode.h"

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

static uint8_t *put32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
	return p + 4;
}

int sflow_encoder_init(struct sflow_encoder *e, int family, const void *addr,
		       uint32_t sub_agent)
{
	memset(e, 0, sizeof(*e));
	if (family == AF_INET) {
		e->agent_type = 1;
		memcpy(e->agent, addr, 4);
	} else if (family == AF_INET6) {
		e->agent_type = 2;
		memcpy(e->agent, addr, 16);
	} else {
		return -1;
	}
	e->sub_agent = sub_agent;
	return 0;
}

static size_t agent_len(const struct sflow_encoder *e)
{
	return e->agent_type == 2 ? 16 : 4;
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
	uint8_t *p = buf;

	e->buf = buf;
	e->cap = cap;
	e->limit = limit;
	e->num_samples = 0;
	e->sequence++;
	p = put32(p, SFLOW_VERSION);
	p = put32(p, e->agent_type);
	memcpy(p, e->agent, agent_len(e));
	p += agent_len(e);
	p = put32(p, e->sub_agent);
	p = put32(p, e->sequence);
	p = put32(p, uptime_ms);
	p = put32(p, 0); /* num_samples, set by sflow_finish() */
	e->len = (size_t)(p - buf);
}

int sflow_fits(const struct sflow_encoder *e, size_t header_len)
{
	size_t end = e->len + sflow_flow_sample_size(header_len);

	return end <= e->cap && (end <= e->limit || e->num_samples == 0);
}

int sflow_add_flow_sample(struct sflow_encoder *e, struct sflow_source *src,
			  uint32_t sampling_rate, const struct sflow_packet *pkt)
{
	size_t size = sflow_flow_sample_size(pkt->header_len);
	size_t record = SAMPLED_HEADER_FIXED + pad4(pkt->header_len);
	uint8_t *p = e->buf + e->len;

	if (!sflow_fits(e, pkt->header_len))
		return -1;
	src->sequence++;
	p = put32(p, SFLOW_FLOW_SAMPLE);
	p = put32(p, (uint32_t)(size - 8));
	p = put32(p, src->sequence);
	p = put32(p, src->source_id);
	p = put32(p, sampling_rate);
	p = put32(p, src->pool);
	p = put32(p, src->drops);
	p = put32(p, src->input & SFLOW_IFINDEX_MAX);
	p = put32(p, src->output & SFLOW_IFINDEX_MAX);
	p = put32(p, 1); /* num_records */
	p = put32(p, SFLOW_SAMPLED_HEADER);
	p = put32(p, (uint32_t)(record - 8));
	p = put32(p, pkt->header_protocol);
	p = put32(p, pkt->frame_length);
	p = put32(p, pkt->stripped);
	p = put32(p, (uint32_t)pkt->header_len);
	memcpy(p, pkt->header, pkt->header_len);
	/* XDR pads opaque data with zero bytes */
	memset(p + pkt->header_len, 0, pad4(pkt->header_len) - pkt->header_len);
	e->len += size;
	e->num_samples++;
	return 0;
}

size_t sflow_finish(struct sflow_encoder *e)
{
	put32(e->buf + sflow_datagram_overhead(e) - 4, e->num_samples);
	return e->len;
}
