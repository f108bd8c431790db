/* SPDX-License-Identifier: BSD-3-Clause */
/* pcap_sflow_packet_info: the sample metadata carried with each framed
 * packet, copied when the sample is queued and read back on request. */
#include <config.h>
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
}

__attribute__((visibility("default")))
int pcap_sflow_packet_info(pcap_t *p, struct pcap_sflow_packet_info *info)
{
	struct sflow_handle *handle = sflow_handle_find(p);
	if (handle == NULL || info == NULL)
		return PCAP_ERROR;
	const struct sflow_packet_queue *queue = &handle->queue;
	if (!handle->activated || queue->next == 0 || queue->next > queue->count) {
		sflow_handle_error(handle, "%s: pcap_sflow_packet_info: no packet read yet",
				   handle->name);
		return PCAP_ERROR;
	}
	const struct sflow_packet_meta *meta = &queue->packets[queue->next - 1].meta;

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
	return 0;
}
