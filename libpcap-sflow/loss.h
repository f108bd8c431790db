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
 * its samples count neither as loss nor as recovery.
 *
 * Forged or corrupt sequence numbers: a forward leap larger than the agent
 * could have produced in the time passed (SFLOW_LOSS_LEAP_SLACK plus
 * SFLOW_LOSS_LEAP_PER_MS for each millisecond both the agent's uptime and
 * our own clock say went by) is no loss: the stream or source takes it as
 * its new baseline and implausible_leaps counts it.
 *
 * The tables (loss_table.h) are allocated once, at sflow_loss_init, and
 * never grow: streams are keyed by (agent, sub-agent), data sources by
 * (their stream's id, source id), both hashed over every byte of the key
 * with a seeded 64-bit mix. */
#ifndef SFLOW_LOSS_H
#define SFLOW_LOSS_H

#include <stdint.h>
#include <time.h>

#include "loss_table.h"
#include "sflow_decode.h"

#define SFLOW_LOSS_SOURCES 65536  /* data sources tracked at once */
#define SFLOW_LOSS_STREAMS 16384  /* (agent, sub-agent) streams tracked at once */
/* A step back of at most this many (datagram or sample sequence numbers) is
 * reordering; a larger one is a restart. */
#define SFLOW_LOSS_REORDER_WINDOW 1024
/* Reordering never delays a datagram by 30 s; a restarted agent's uptime
 * goes back by as long as it had run. */
#define SFLOW_LOSS_UPTIME_WINDOW_MS 30000u
/* The most a sequence number (datagrams of a stream, samples of a data
 * source) can move ahead: this much at once, plus this much per
 * millisecond passed (a million a second, beyond any agent's sampling or
 * export rate). Beyond that it is no loss but a forged or corrupt number. */
#define SFLOW_LOSS_LEAP_SLACK 65536u
#define SFLOW_LOSS_LEAP_PER_MS 1000u

/* Where a stream's data source was last found: its entry in the sources
 * table (0: none). */
struct sflow_loss_hint {
	uint32_t source_id;
	uint32_t index;
};
#define SFLOW_LOSS_HINTS 8      /* per stream, by source id % 8 */

/* A stream: one cache line of state, the seen bitmap, and the hints to
 * its sources (so a sample's source is one cache line away, fetched while
 * the datagram is decoded, instead of a bucket and an entry). */
struct sflow_loss_stream {
	struct sflow_table_slot slot;  /* its user byte: the agent's address type */
	uint32_t sub_agent_id;
	uint8_t agent[16];              /* IPv4: 4 bytes, the rest zero */
	uint32_t last_sequence;         /* highest datagram sequence number */
	uint32_t last_uptime_ms;        /* its uptime */
	uint32_t last_arrival_ms;       /* and when it arrived, by our clock */
	uint32_t epoch;                 /* changes when the stream restarts */
	uint64_t id;                    /* this entry's incarnation: its sources' key */
	/* Bit s % SFLOW_LOSS_REORDER_WINDOW: datagram s arrived, for the
	 * sequence numbers in the reorder window behind last_sequence, so a
	 * duplicate is known as one anywhere a late datagram could be. */
	uint64_t seen[SFLOW_LOSS_REORDER_WINDOW / 64];
	struct sflow_loss_hint hints[SFLOW_LOSS_HINTS];
};

struct sflow_loss_source {
	struct sflow_table_slot slot;
	uint64_t stream_id;             /* key: its stream's id ... */
	uint32_t source_id;             /* ... and type << 24 | index */
	uint32_t last_sequence;
	uint32_t last_drops;            /* the agent's own drop counter */
	uint32_t first_sequence;        /* the baseline: nothing before it was counted lost */
	uint32_t epoch;                 /* its stream's epoch at the baseline */
	uint32_t last_uptime_ms;        /* of the datagram that carried last_sequence */
	uint32_t last_arrival_ms;
	uint32_t last_datagram;         /* serial of the datagram it was last seen in */
};

/* What a datagram is to its stream. */
enum sflow_loss_verdict {
	SFLOW_LOSS_IN_ORDER = 0,        /* ahead of the stream (or its first) */
	SFLOW_LOSS_LATE,                /* a little behind: reordered */
	SFLOW_LOSS_DUPLICATE,           /* arrived before */
	SFLOW_LOSS_RESTART,             /* the agent restarted */
	SFLOW_LOSS_LEAP,                /* leapt further ahead than time allows: re-baselined */
	SFLOW_LOSS_UNTRACKED,           /* no stream (a table that could not be allocated) */
};

/* What the samples of one datagram need to know of it: the result of
 * sflow_loss_datagram, passed to sflow_loss_sample for each of them. */
struct sflow_loss_datagram_context {
	enum sflow_loss_verdict verdict;
	uint64_t stream_id;             /* the key of its stream's sources */
	uint64_t source_key;            /* what their hash starts from */
	uint32_t epoch;                 /* its stream's epoch */
	uint32_t uptime_ms;             /* the datagram's uptime */
	uint32_t arrival_ms;            /* its arrival, by our clock (ms, wraps) */
	uint32_t serial;                /* tells one datagram's samples from the next's */
	/* Its stream's hints: valid until the next sflow_loss_datagram. */
	struct sflow_loss_hint *hints;
};

struct sflow_loss {
	struct sflow_table streams;
	struct sflow_table sources;
	uint64_t seed;                  /* of the hash: random, so collisions cannot be chosen */
	uint64_t next_id;               /* stream ids and epochs */
	uint32_t datagram_serial;
};

/* Allocates the tables (zeroed: pages become resident only as entries
 * land on them) and draws the hash seed. Returns 0, or -1 out of memory. */
int sflow_loss_init(struct sflow_loss *loss);
void sflow_loss_free(struct sflow_loss *loss);
/* Forgets every stream and source (cheap when few were seen). */
void sflow_loss_clear(struct sflow_loss *loss);
/* Bytes the tables take at most. */
size_t sflow_loss_bytes(void);

/* Accounts one datagram header, received at arrival (our clock), before
 * its samples: counts restarts (source_restarts), late_datagrams,
 * duplicate_datagrams, implausible_leaps and sources_evicted, and returns
 * what its samples need in *context (its verdict there too). */
enum sflow_loss_verdict sflow_loss_datagram(struct sflow_loss *loss,
					    struct sflow_loss_counters *counters,
					    const struct sflow_datagram *datagram,
					    const struct timespec *arrival,
					    struct sflow_loss_datagram_context *context);

/* Accounts one flow sample of the datagram context describes into the
 * loss counters (samples_lost, samples_reordered, agent_dropped_samples,
 * source_restarts, implausible_leaps, sources_evicted). */
void sflow_loss_sample(struct sflow_loss *loss, struct sflow_loss_counters *counters,
		       const struct sflow_loss_datagram_context *context,
		       const struct sflow_sample *sample);

#endif
