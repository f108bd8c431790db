/* SPDX-License-Identifier: BSD-3-Clause */
/* Sample loss accounting from sequence gaps (see loss.h). */
#include <config.h>
#include "loss.h"

#include <string.h>

/* Where a data source's slot is looked for: two multiplications over the
 * source id, the sub-agent and the low 32 bits of the agent address (all
 * of an IPv4 one). This runs once per sample, so it mixes only what
 * usually differs; agents that differ only in higher bits just probe
 * further, since same_source compares everything. */
static uint32_t source_hash(const struct sflow_datagram *datagram, uint32_t source_id)
{
	uint32_t low;
	memcpy(&low, datagram->agent.bytes + (datagram->agent.type == SFLOW_ADDRESS_IP6 ? 12 : 0),
	       sizeof low);
	uint64_t hash = ((uint64_t)low << 32 | datagram->sub_agent_id) * 0x9E3779B97F4A7C15u;
	hash = (hash ^ source_id) * 0xC2B2AE3D27D4EB4Fu;
	return (uint32_t)(hash >> 32);
}

static int same_source(const struct sflow_loss_source *source,
		       const struct sflow_datagram *datagram, uint32_t source_id)
{
	return source->in_use && source->source_id == source_id &&
	       source->sub_agent_id == datagram->sub_agent_id &&
	       source->agent.type == datagram->agent.type &&
	       memcmp(source->agent.bytes, datagram->agent.bytes, sizeof source->agent.bytes) == 0;
}

/* A step back of at most this many is a reordered sample; a larger one is
 * an agent or source restart. */
#define REORDER_WINDOW 1024

/* Linear probing over a short window; when the window is full the first
 * slot is reused, so a flood of sources costs state, never memory. */
#define PROBE_WINDOW 8

void sflow_loss_sample(struct sflow_loss *loss, struct sflow_counters *counters,
		       const struct sflow_datagram *datagram, const struct sflow_sample *sample)
{
	uint32_t source_id = sample->source_id_type << 24 | (sample->source_id_index & 0xFFFFFF);
	uint32_t start = source_hash(datagram, source_id);
	struct sflow_loss_source *free_slot = NULL;

	for (unsigned probe = 0; probe < PROBE_WINDOW; probe++) {
		struct sflow_loss_source *source =
			&loss->sources[(start + probe) % SFLOW_LOSS_SOURCES];
		if (same_source(source, datagram, source_id)) {
			/* Serial number arithmetic: ahead by less than half the
			 * space is progress; anything else is a restart or a
			 * reordered sample, and no loss. */
			uint32_t ahead = sample->sequence - source->last_sequence;
			uint32_t behind = source->last_sequence - sample->sequence;
			if (ahead != 0 && ahead < 0x80000000u) {
				uint32_t new_drops = sample->drops - source->last_drops;
				counters->samples_lost += ahead - 1;
				if (new_drops < 0x80000000u)
					counters->agent_dropped_samples += new_drops;
				source->last_sequence = sample->sequence;
				source->last_drops = sample->drops;
			} else if (behind != 0 && behind <= REORDER_WINDOW) {
				/* A late sample: its gap was counted as lost. */
				counters->samples_reordered++;
				if (counters->samples_lost > 0)
					counters->samples_lost--;
			} else if (behind != 0) {
				counters->source_restarts++;
				source->last_sequence = sample->sequence;
				source->last_drops = sample->drops;
			}
			return;
		}
		if (!source->in_use && free_slot == NULL)
			free_slot = source;
	}
	if (free_slot == NULL) {
		free_slot = &loss->sources[start % SFLOW_LOSS_SOURCES];
		counters->sources_evicted++;
	}
	free_slot->agent = datagram->agent;
	free_slot->sub_agent_id = datagram->sub_agent_id;
	free_slot->source_id = source_id;
	free_slot->last_sequence = sample->sequence;
	free_slot->last_drops = sample->drops;
	free_slot->in_use = 1;
}
