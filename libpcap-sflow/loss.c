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

#define REORDER_WINDOW SFLOW_LOSS_REORDER_WINDOW
_Static_assert(REORDER_WINDOW % 64 == 0 && (REORDER_WINDOW & (REORDER_WINDOW - 1)) == 0,
	       "the seen bitmap is a ring of whole words indexed by sequence % REORDER_WINDOW");

static uint64_t *seen_word(struct sflow_loss_stream *stream, uint32_t sequence, uint64_t *bit)
{
	uint32_t slot = sequence % REORDER_WINDOW;
	*bit = (uint64_t)1 << (slot % 64);
	return &stream->seen[slot / 64];
}

/* Moves the window ahead by `ahead` datagrams: the sequence numbers it
 * enters have not arrived (yet), except the new highest one. */
static void seen_advance(struct sflow_loss_stream *stream, uint32_t ahead, uint32_t highest)
{
	uint64_t bit;
	if (ahead >= REORDER_WINDOW) {
		memset(stream->seen, 0, sizeof stream->seen);
	} else {
		for (uint32_t i = ahead; i > 0; i--)
			*seen_word(stream, highest - i + 1, &bit) &= ~bit;
	}
	*seen_word(stream, highest, &bit) |= bit;
}

/* Linear probing over a short window; when the window is full the first
 * slot is reused, so a flood of sources costs state, never memory. */
#define PROBE_WINDOW 8

static int same_stream(const struct sflow_loss_stream *stream,
		       const struct sflow_datagram *datagram)
{
	return stream->in_use && stream->sub_agent_id == datagram->sub_agent_id &&
	       stream->agent.type == datagram->agent.type &&
	       memcmp(stream->agent.bytes, datagram->agent.bytes, sizeof stream->agent.bytes) == 0;
}

/* Uptimes within the window of each other, either way (mod 2^32, so a wrap
 * through zero is close too). */
static int uptime_close(uint32_t a, uint32_t b)
{
	return a - b <= SFLOW_LOSS_UPTIME_WINDOW_MS || b - a <= SFLOW_LOSS_UPTIME_WINDOW_MS;
}

static void restart_stream(struct sflow_loss *loss, struct sflow_loss_stream *stream,
			   const struct sflow_datagram *datagram)
{
	stream->last_sequence = datagram->sequence;
	stream->last_uptime_ms = datagram->uptime_ms;
	seen_advance(stream, REORDER_WINDOW, datagram->sequence);
	/* Epoch 0 is what samples accounted without a datagram carry. */
	if (++loss->next_epoch == 0)
		loss->next_epoch = 1;
	stream->epoch = loss->next_epoch;
}

/* The verdict for a datagram of a known stream, which it updates. */
static enum sflow_loss_verdict judge(struct sflow_loss *loss, struct sflow_loss_stream *stream,
				     const struct sflow_datagram *datagram)
{
	uint32_t ahead = datagram->sequence - stream->last_sequence;
	uint32_t behind = stream->last_sequence - datagram->sequence;
	uint32_t uptime_back = stream->last_uptime_ms - datagram->uptime_ms;
	int close = uptime_close(datagram->uptime_ms, stream->last_uptime_ms);

	if (ahead != 0 && ahead < 0x80000000u) {
		/* Ahead, but the uptime went far back: a restart that numbered
		 * past where the old run stopped. An uptime far ahead is idle
		 * time, or the 49.7-day wrap, whose sequence carries on. */
		if (uptime_back > SFLOW_LOSS_UPTIME_WINDOW_MS && uptime_back < 0x80000000u)
			return SFLOW_LOSS_RESTART;
		seen_advance(stream, ahead, datagram->sequence);
		stream->last_sequence = datagram->sequence;
		stream->last_uptime_ms = datagram->uptime_ms;
		return SFLOW_LOSS_IN_ORDER;
	}
	/* Equal or behind: late or repeated only while the uptime agrees. */
	if (!close || behind > REORDER_WINDOW)
		return SFLOW_LOSS_RESTART;
	if (behind < REORDER_WINDOW) {
		uint64_t bit;
		uint64_t *word = seen_word(stream, datagram->sequence, &bit);
		if (*word & bit)
			return SFLOW_LOSS_DUPLICATE;
		*word |= bit;
	}
	(void)loss;
	return SFLOW_LOSS_LATE;
}

enum sflow_loss_verdict sflow_loss_datagram(struct sflow_loss *loss,
					    struct sflow_loss_counters *counters,
					    const struct sflow_datagram *datagram)
{
	uint32_t start = source_hash(datagram, 0xFFFFFFFFu);
	struct sflow_loss_stream *free_slot = NULL;
	enum sflow_loss_verdict verdict = SFLOW_LOSS_IN_ORDER;

	loss->current_duplicate = 0;
	for (unsigned probe = 0; probe < PROBE_WINDOW; probe++) {
		struct sflow_loss_stream *stream =
			&loss->streams[(start + probe) % SFLOW_LOSS_STREAMS];
		if (same_stream(stream, datagram)) {
			verdict = judge(loss, stream, datagram);
			switch (verdict) {
			case SFLOW_LOSS_RESTART:
				counters->source_restarts++;
				restart_stream(loss, stream, datagram);
				break;
			case SFLOW_LOSS_DUPLICATE:
				counters->duplicate_datagrams++;
				loss->current_duplicate = 1;
				break;
			case SFLOW_LOSS_LATE:
				counters->late_datagrams++;
				break;
			case SFLOW_LOSS_IN_ORDER:
				break;
			}
			loss->current_epoch = stream->epoch;
			return verdict;
		}
		if (!stream->in_use && free_slot == NULL)
			free_slot = stream;
	}
	if (free_slot == NULL) {
		free_slot = &loss->streams[start % SFLOW_LOSS_STREAMS];
		counters->sources_evicted++;
	}
	free_slot->agent = datagram->agent;
	free_slot->sub_agent_id = datagram->sub_agent_id;
	free_slot->in_use = 1;
	/* A stream we have not seen (or forgot): its sources start afresh. */
	restart_stream(loss, free_slot, datagram);
	loss->current_epoch = free_slot->epoch;
	return verdict;
}

/* A new baseline: nothing counted for the step to it. */
static void baseline(struct sflow_loss_source *source, const struct sflow_loss *loss,
		     const struct sflow_sample *sample)
{
	source->last_sequence = source->first_sequence = sample->sequence;
	source->last_drops = sample->drops;
	source->epoch = loss->current_epoch;
}

void sflow_loss_sample(struct sflow_loss *loss, struct sflow_loss_counters *counters,
		       const struct sflow_datagram *datagram, const struct sflow_sample *sample)
{
	/* A repeated datagram's samples are neither loss nor recovery. */
	if (loss->current_duplicate)
		return;

	uint32_t source_id = sample->source_id_type << 24 | (sample->source_id_index & 0xFFFFFF);
	uint32_t start = source_hash(datagram, source_id);
	struct sflow_loss_source *free_slot = NULL;

	for (unsigned probe = 0; probe < PROBE_WINDOW; probe++) {
		struct sflow_loss_source *source =
			&loss->sources[(start + probe) % SFLOW_LOSS_SOURCES];
		if (same_source(source, datagram, source_id)) {
			/* The stream restarted since the baseline. */
			if (source->epoch != loss->current_epoch) {
				baseline(source, loss, sample);
				return;
			}
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
				/* A late sample: its gap was counted as lost, unless
				 * it is from before the baseline. */
				uint32_t past_baseline = sample->sequence - source->first_sequence;
				counters->samples_reordered++;
				if (past_baseline != 0 && past_baseline < 0x80000000u &&
				    counters->samples_lost > 0)
					counters->samples_lost--;
			} else if (behind != 0) {
				/* One source restarted (a line card, say). */
				counters->source_restarts++;
				baseline(source, loss, sample);
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
	baseline(free_slot, loss, sample);
	free_slot->in_use = 1;
}
