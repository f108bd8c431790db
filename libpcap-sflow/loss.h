/* SPDX-License-Identifier: BSD-3-Clause */
/* Sample loss accounting: the gaps in each data source's flow sample
 * sequence numbers are the samples that never reached us, whether the
 * network, the socket or the agent's export path lost them. A sequence
 * going back is reordering or a restart, not loss. Samples an agent could
 * not even take (for lack of resources) never get a sequence number: the
 * rise of each source's cumulative drops field counts those.
 *
 * Agent restarts: each stream (agent, sub-agent) numbers its datagrams and
 * stamps them with its uptime. A restarted agent starts both afresh; a late
 * datagram is only a little behind in both. A stream whose uptime goes back
 * by more than SFLOW_LOSS_UPTIME_WINDOW_MS, or whose datagram sequence goes
 * back beyond SFLOW_LOSS_REORDER_WINDOW, has restarted: its data sources
 * start afresh (new sequence and drops baselines) and nothing is counted as
 * lost or taken back for the jump. A datagram seen again is a duplicate:
 * its samples count neither as loss nor as recovery. Pure, fixed size:
 * memory does not grow with what arrives. */
#ifndef SFLOW_LOSS_H
#define SFLOW_LOSS_H

#include <stdint.h>

#include "sflow_decode.h"

#define SFLOW_LOSS_SOURCES 4096   /* data sources tracked at once */
#define SFLOW_LOSS_STREAMS 1024   /* (agent, sub-agent) streams tracked at once */
/* A step back of at most this many (datagram or sample sequence numbers) is
 * reordering; a larger one is a restart. */
#define SFLOW_LOSS_REORDER_WINDOW 1024
/* Reordering never delays a datagram by 30 s; a restarted agent's uptime
 * goes back by as long as it had run. */
#define SFLOW_LOSS_UPTIME_WINDOW_MS 30000u

struct sflow_loss_source {
	struct sflow_address agent;
	uint32_t sub_agent_id;
	uint32_t source_id;             /* type << 24 | index */
	uint32_t last_sequence;
	uint32_t last_drops;            /* the agent's own drop counter */
	uint32_t first_sequence;        /* the baseline: nothing before it was counted lost */
	uint32_t epoch;                 /* its stream's epoch at the baseline */
	uint32_t in_use;
};

struct sflow_loss_stream {
	struct sflow_address agent;
	uint32_t sub_agent_id;
	uint32_t last_sequence;         /* highest datagram sequence number */
	uint32_t last_uptime_ms;        /* its uptime */
	/* Bit s % SFLOW_LOSS_REORDER_WINDOW: datagram s arrived, for the
	 * sequence numbers in the reorder window behind last_sequence, so a
	 * duplicate is known as one anywhere a late datagram could be. */
	uint64_t seen[SFLOW_LOSS_REORDER_WINDOW / 64];
	uint32_t epoch;                 /* changes when the stream restarts */
	uint32_t in_use;
};

/* What a datagram is to its stream. */
enum sflow_loss_verdict {
	SFLOW_LOSS_IN_ORDER = 0,        /* ahead of the stream (or its first) */
	SFLOW_LOSS_LATE,                /* a little behind: reordered */
	SFLOW_LOSS_DUPLICATE,           /* arrived before */
	SFLOW_LOSS_RESTART,             /* the agent restarted */
};

struct sflow_loss {
	struct sflow_loss_source sources[SFLOW_LOSS_SOURCES];
	struct sflow_loss_stream streams[SFLOW_LOSS_STREAMS];
	uint32_t next_epoch;
	/* Set by sflow_loss_datagram for the samples of that datagram. */
	uint32_t current_epoch;
	int current_duplicate;
};

/* Accounts one datagram header, before its samples: counts restarts
 * (source_restarts), late_datagrams and duplicate_datagrams, and tells the
 * samples that follow which epoch of their stream they belong to. */
enum sflow_loss_verdict sflow_loss_datagram(struct sflow_loss *loss,
					    struct sflow_loss_counters *counters,
					    const struct sflow_datagram *datagram);

/* Accounts one flow sample of datagram into the loss counters
 * (samples_lost, samples_reordered, agent_dropped_samples, source_restarts,
 * sources_evicted). */
void sflow_loss_sample(struct sflow_loss *loss, struct sflow_loss_counters *counters,
		       const struct sflow_datagram *datagram, const struct sflow_sample *sample);

#endif
