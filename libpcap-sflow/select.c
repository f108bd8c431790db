/* SPDX-License-Identifier: BSD-3-Clause */
/* Selection by agent address, data source ifIndex and direction. */
#include <config.h>
#include "select.h"

#include <string.h>

static int prefix_matches(const struct sflow_prefix *prefix, const struct sflow_address *agent)
{
	unsigned full = prefix->length / 8, rest = prefix->length % 8;

	if ((prefix->address.family == 4) != (agent->type == SFLOW_ADDRESS_IP4) ||
	    (prefix->address.family == 6) != (agent->type == SFLOW_ADDRESS_IP6))
		return 0;
	if (memcmp(prefix->address.bytes, agent->bytes, full) != 0)
		return 0;
	if (rest == 0)
		return 1;
	uint8_t mask = (uint8_t)(0xFF00u >> rest);
	return (agent->bytes[full] & mask) == prefix->address.bytes[full];
}

int sflow_select_agent(const struct sflow_device *device, const struct sflow_address *agent)
{
	if (device->agent_count == 0)
		return 1;
	for (unsigned i = 0; i < device->agent_count; i++)
		if (prefix_matches(&device->agents[i], agent))
			return 1;
	return 0;
}

/* Undetermined samples pass only when no direction is asked for. */
static int direction_holds(enum sflow_direction wanted, enum sflow_direction direction)
{
	return wanted == SFLOW_DIRECTION_UNKNOWN || wanted == direction;
}

enum sflow_select_verdict sflow_select_sample(const struct sflow_device *device,
					      enum sflow_direction queried_direction,
					      const struct sflow_sample *sample)
{
	if (device->ifindex_count > 0) {
		int found = 0;
		/* ifIndex data sources are class 0; VLANs and entities are not ports. */
		for (unsigned i = 0; i < device->ifindex_count && sample->source_id_type == 0; i++)
			found |= device->ifindexes[i] == sample->source_id_index;
		if (!found)
			return SFLOW_LEFT_OUT_IFINDEX;
	}
	if (device->direction != SFLOW_DIRECTION_UNKNOWN ||
	    queried_direction != SFLOW_DIRECTION_UNKNOWN) {
		/* The decoder's verdict: data source = input or output interface. */
		if (!direction_holds(device->direction, sample->direction) ||
		    !direction_holds(queried_direction, sample->direction))
			return SFLOW_LEFT_OUT_DIRECTION;
	}
	return SFLOW_SELECTED;
}
