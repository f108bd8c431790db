/* SPDX-License-Identifier: BSD-3-Clause */
/* pcap_sflow_packet_info: the sample metadata carried with each framed
 * packet. It is kept in the public form from the moment the packet is
 * queued, so a program that asks for every packet's metadata (the extcap
 * does) pays one copy, not a translation, per packet. */
#include <config.h>
#include <stddef.h>
#include <string.h>
#include <sys/socket.h>

#include "module.h"
#include "pcap-sflow.h"

void sflow_packet_info_fill(struct pcap_sflow_packet_info *info,
			    const struct sflow_datagram *datagram,
			    const struct sflow_sample *sample)
{
	/* The agent's bytes past its family's length are zero: the extcap
	 * compares and hashes all 16. */
	switch (datagram->agent.type) {
	case SFLOW_ADDRESS_IP4:
		info->agent_family = AF_INET;
		memset(info->agent, 0, sizeof info->agent);
		memcpy(info->agent, datagram->agent.bytes, 4);
		break;
	case SFLOW_ADDRESS_IP6:
		info->agent_family = AF_INET6;
		memcpy(info->agent, datagram->agent.bytes, 16);
		break;
	default:
		info->agent_family = 0;
		memset(info->agent, 0, sizeof info->agent);
	}
	info->sub_agent = datagram->sub_agent_id;
	info->datagram_sequence = datagram->sequence;
	info->sample_kind = sample->kind;
	info->source_id_type = sample->source_id_type;
	info->source_id_index = sample->source_id_index;
	info->input_ifindex = sample->input;
	info->output_ifindex = sample->output;
	/* The public spelling, translated here once. */
	switch (sample->direction) {
	case SFLOW_DIRECTION_IN: info->direction = PCAP_SFLOW_DIRECTION_IN; break;
	case SFLOW_DIRECTION_OUT: info->direction = PCAP_SFLOW_DIRECTION_OUT; break;
	default: info->direction = PCAP_SFLOW_DIRECTION_UNKNOWN; break;
	}
	info->sampling_rate = sample->sampling_rate;
	info->sample_pool = sample->sample_pool;
	info->drops = sample->drops;
	info->sequence = sample->sequence;
	info->input_format = sample->input_format;
	info->output_format = sample->output_format;
	info->discard_reason = sample->discard_reason;
	info->header_protocol = sample->has_header ? sample->header_protocol : 0;
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
	/* A struct of an older header is a prefix of ours; a newer one's
	 * fields past ours are left as the program set them. */
	const struct pcap_sflow_packet_info *info = &queue->packets[queue->next - 1].info;
	memcpy(out, info, size < sizeof *info ? size : sizeof *info);
	return 0;
}

/* The symbol programs built against the first header call. */
#undef pcap_sflow_packet_info
__attribute__((visibility("default")))
int pcap_sflow_packet_info(pcap_t *p, struct pcap_sflow_packet_info *info)
{
	return pcap_sflow_packet_info_sized(p, info, INFO_SIZE_0_1);
}
