/* SPDX-License-Identifier: BSD-3-Clause */
/* pcap_sflow_packet_info: the sample metadata carried with each framed
 * packet, copied when the sample is queued and read back on request. */
#include <config.h>
#include <stddef.h>
#include <string.h>
#include <sys/socket.h>

#include "module.h"
#include "pcap-sflow.h"

void sflow_packet_meta_fill(struct sflow_packet_meta *meta,
			    const struct sflow_datagram *datagram,
			    const struct sflow_sample *sample)
{
	meta->agent = datagram->agent;
	meta->sub_agent = datagram->sub_agent_id;
	meta->datagram_sequence = datagram->sequence;
	meta->kind = sample->kind;
	meta->source_id_type = sample->source_id_type;
	meta->source_id_index = sample->source_id_index;
	meta->input = sample->input;
	meta->output = sample->output;
	meta->sampling_rate = sample->sampling_rate;
	meta->sample_pool = sample->sample_pool;
	meta->drops = sample->drops;
	meta->sequence = sample->sequence;
	meta->direction = sample->direction;
	meta->input_format = sample->input_format;
	meta->output_format = sample->output_format;
	meta->discard_reason = sample->discard_reason;
	meta->header_protocol = sample->has_header ? sample->header_protocol : 0;
}

/* The struct as the first header had it: what the plain symbol fills. */
#define INFO_SIZE_0_1 (offsetof(struct pcap_sflow_packet_info, sequence) + sizeof(uint32_t))

__attribute__((visibility("default")))
int pcap_sflow_packet_info_sized(pcap_t *p, struct pcap_sflow_packet_info *out, size_t size)
{
	struct sflow_handle *handle = sflow_handle_find(p);
	if (handle == NULL || out == NULL || size < INFO_SIZE_0_1)
		return PCAP_ERROR;
	const struct sflow_packet_queue *queue = &handle->queue;
	if (!handle->activated || queue->next == 0 || queue->next > queue->count) {
		sflow_handle_error(handle, "%s: pcap_sflow_packet_info: no packet read yet",
				   handle->name);
		return PCAP_ERROR;
	}
	const struct sflow_packet_meta *meta = &queue->packets[queue->next - 1].meta;

	struct pcap_sflow_packet_info all, *info = &all;
	memset(info, 0, sizeof *info);
	switch (meta->agent.type) {
	case SFLOW_ADDRESS_IP4:
		info->agent_family = AF_INET;
		memcpy(info->agent, meta->agent.bytes, 4);
		break;
	case SFLOW_ADDRESS_IP6:
		info->agent_family = AF_INET6;
		memcpy(info->agent, meta->agent.bytes, 16);
		break;
	default:
		info->agent_family = 0;
	}
	info->sub_agent = meta->sub_agent;
	info->datagram_sequence = meta->datagram_sequence;
	info->sample_kind = meta->kind;
	info->source_id_type = meta->source_id_type;
	info->source_id_index = meta->source_id_index;
	info->input_ifindex = meta->input;
	info->output_ifindex = meta->output;
	/* The public spelling, translated here once. */
	switch (meta->direction) {
	case SFLOW_DIRECTION_IN:
		info->direction = PCAP_SFLOW_DIRECTION_IN;
		break;
	case SFLOW_DIRECTION_OUT:
		info->direction = PCAP_SFLOW_DIRECTION_OUT;
		break;
	case SFLOW_DIRECTION_UNKNOWN:
		info->direction = PCAP_SFLOW_DIRECTION_UNKNOWN;
		break;
	}
	info->sampling_rate = meta->sampling_rate;
	info->sample_pool = meta->sample_pool;
	info->drops = meta->drops;
	info->sequence = meta->sequence;
	info->input_format = meta->input_format;
	info->output_format = meta->output_format;
	info->discard_reason = meta->discard_reason;
	info->header_protocol = meta->header_protocol;
	memcpy(out, info, size < sizeof all ? size : sizeof all);
	return 0;
}

/* The symbol programs built against the first header call. */
#undef pcap_sflow_packet_info
__attribute__((visibility("default")))
int pcap_sflow_packet_info(pcap_t *p, struct pcap_sflow_packet_info *info)
{
	return pcap_sflow_packet_info_sized(p, info, INFO_SIZE_0_1);
}
