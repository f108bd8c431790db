/* SPDX-License-Identifier: BSD-3-Clause */
/* Sample loss accounting: the gaps in each data source's flow sample
 * sequence numbers are the samples that never reached us, whether the
 * network, the socket or the agent's export path lost them. A sequence
 * going back is reordering or a restart, not loss. Samples an agent could
 * not even take (for lack of resources) never get a sequence number: the
 * rise of each source's cumulative drops field counts those. Pure, fixed
 * size: memory does not grow with what arrives. */
#ifndef SFLOW_LOSS_H
#define SFLOW_LOSS_H

#include <stdint.h>

#include "sflow_decode.h"

#define SFLOW_LOSS_SOURCES 4096   /* data sources tracked at once */

struct sflow_loss_source {
	struct sflow_address agent;
	uint32_t sub_agent_id;
	uint32_t source_id;             /* type << 24 | index */
	uint32_t last_sequence;
	uint32_t last_drops;            /* the agent's own drop counter */
	uint32_t in_use;
};

struct sflow_loss {
	struct sflow_loss_source sources[SFLOW_LOSS_SOURCES];
};

/* Accounts one flow sample of datagram into the loss counters
 * (samples_lost, samples_reordered, agent_dropped_samples, source_restarts,
 * sources_evicted). */
void sflow_loss_sample(struct sflow_loss *loss, struct sflow_counters *counters,
		       const struct sflow_datagram *datagram, const struct sflow_sample *sample);

#endif
