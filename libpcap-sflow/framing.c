#include "framing.h"

#include <pcap/dlt.h>
#include <stddef.h>

#define HEADER_PROTOCOL_ETHERNET 1

/* The smallest sample that can carry a packet: a v2/v4 flow sample with an
 * empty header record (13 words) is smaller than any v5 one. */
#define SMALLEST_PACKET_SAMPLE 52

unsigned sflow_queue_capacity(size_t datagram_size)
{
	return (unsigned)(datagram_size / SMALLEST_PACKET_SAMPLE) + 1;
}

enum sflow_frame_result sflow_frame(int linktype, const struct sflow_sample *sample,
				    struct sflow_framed_packet *packet)
{
	if (!sample->has_header)
		return SFLOW_FRAME_NO_HEADER;
	if (linktype != DLT_EN10MB || sample->header_protocol != HEADER_PROTOCOL_ETHERNET)
		return SFLOW_FRAME_UNSUPPORTED;

	packet->prefix_length = 0;
	packet->rest = sample->header;
	packet->rest_length = sample->header_length;
	/* What a capture on the switch port would have shown: the frame less
	 * what the agent stripped (the FCS at least), never less than we hold. */
	uint32_t wire = sample->frame_length > sample->stripped
			? sample->frame_length - sample->stripped : 0;
	packet->wire_length = wire > sample->header_length ? wire : sample->header_length;
	return SFLOW_FRAMED;
}
