/* SPDX-License-Identifier: BSD-3-Clause */
/* Sample loss accounting from sequence gaps (see loss.h). */
#include <config.h>
#include "loss.h"

#include <string.h>
#include <sys/random.h>

_Static_assert(sizeof(struct sflow_loss_stream) % 64 == 0,
	       "a stream is whole cache lines, its hot fields in the first");
_Static_assert(offsetof(struct sflow_loss_stream, seen) == 64,
	       "a stream's hot fields fill exactly its first cache line");
_Static_assert(offsetof(struct sflow_loss_stream, hints) % 64 == 0 &&
	       sizeof(((struct sflow_loss_stream *)0)->hints) == 64,
	       "a stream's hints are one cache line");
_Static_assert(sizeof(struct sflow_loss_source) == 64, "a data source is one cache line");

#define REORDER_WINDOW SFLOW_LOSS_REORDER_WINDOW
_Static_assert(REORDER_WINDOW % 64 == 0 && (REORDER_WINDOW & (REORDER_WINDOW - 1)) == 0,
	       "the seen bitmap is a ring of whole words indexed by sequence % REORDER_WINDOW");

/* A 64-bit mix whose every output bit depends on every input bit (the
 * finalizer of a well-tested hash): agents that differ in one low bit, as
 * the switches of one subnet do, land in unrelated buckets. */
static uint64_t mix(uint64_t x)
{
	x ^= x >> 32;
	x *= 0xD6E8FEB86659FD93u;
	x ^= x >> 32;
	x *= 0xD6E8FEB86659FD93u;
	x ^= x >> 32;
	return x;
}

/* Over every byte of the key: the 16 address bytes, the type, the
 * sub-agent. */
static uint32_t stream_hash(const struct sflow_loss *loss, const uint8_t agent[16],
			    uint32_t type, uint32_t sub_agent_id)
{
	uint64_t high, low;
	memcpy(&high, agent, 8);
	memcpy(&low, agent + 8, 8);
	uint64_t hash = mix(loss->seed ^ high);
	hash = mix(hash ^ low);
	return (uint32_t)mix(hash ^ ((uint64_t)type << 32 | sub_agent_id));
}

/* A stream's sources hash from a key of its own, mixed once per datagram
 * (context->source_key): per sample one multiplication spreads the source
 * ids, which differ in their low bits, over the high bits taken. */
static uint64_t source_key(const struct sflow_loss *loss, uint64_t stream_id)
{
	return mix(loss->seed ^ stream_id);
}

static uint32_t source_hash(uint64_t key, uint32_t source_id)
{
	return (uint32_t)(((key ^ source_id) * 0x9E3779B97F4A7C15u) >> 32);
}

static void agent_key(const struct sflow_address *address, uint8_t key[16])
{
	memset(key, 0, 16);
	memcpy(key, address->bytes, address->type == SFLOW_ADDRESS_IP6 ? 16 : 4);
}

static uint32_t milliseconds(const struct timespec *time)
{
	if (time == NULL)
		return 0;
	return (uint32_t)((uint64_t)time->tv_sec * 1000u + (uint64_t)time->tv_nsec / 1000000u);
}

/* The time passed between two datagrams as both the agent's uptime and our
 * clock tell it: the smaller, so neither a forged uptime nor a pause of
 * ours buys room; 0 when either went back. */
static uint32_t elapsed_ms(uint32_t uptime_then, uint32_t uptime_now,
			   uint32_t arrival_then, uint32_t arrival_now)
{
	uint32_t by_uptime = uptime_now - uptime_then;
	uint32_t by_clock = arrival_now - arrival_then;
	if (by_uptime >= 0x80000000u)
		by_uptime = 0;
	if (by_clock >= 0x80000000u)
		by_clock = 0;
	return by_uptime < by_clock ? by_uptime : by_clock;
}

/* Could an agent have moved a sequence number this far in that time? */
static int plausible(uint32_t ahead, uint32_t elapsed)
{
	return (uint64_t)ahead <= SFLOW_LOSS_LEAP_SLACK + (uint64_t)elapsed * SFLOW_LOSS_LEAP_PER_MS;
}

int sflow_loss_init(struct sflow_loss *loss)
{
	memset(loss, 0, sizeof *loss);
	if (sflow_table_init(&loss->streams, sizeof(struct sflow_loss_stream),
			     SFLOW_LOSS_STREAMS) < 0 ||
	    sflow_table_init(&loss->sources, sizeof(struct sflow_loss_source),
			     SFLOW_LOSS_SOURCES) < 0) {
		sflow_loss_free(loss);
		return -1;
	}
	/* A random seed: whoever sends datagrams cannot pick agent addresses
	 * that share a bucket. Without entropy, the clock and an address. */
	if (getrandom(&loss->seed, sizeof loss->seed, GRND_NONBLOCK) != sizeof loss->seed) {
		struct timespec now;
		clock_gettime(CLOCK_MONOTONIC, &now);
		loss->seed = mix((uint64_t)now.tv_sec << 32 ^ (uint64_t)now.tv_nsec ^
				 (uint64_t)(uintptr_t)loss);
	}
	return 0;
}

void sflow_loss_free(struct sflow_loss *loss)
{
	sflow_table_free(&loss->streams);
	sflow_table_free(&loss->sources);
}

void sflow_loss_clear(struct sflow_loss *loss)
{
	sflow_table_clear(&loss->streams);
	sflow_table_clear(&loss->sources);
}

size_t sflow_loss_bytes(void)
{
	return sflow_table_bytes(sizeof(struct sflow_loss_stream), SFLOW_LOSS_STREAMS) +
	       sflow_table_bytes(sizeof(struct sflow_loss_source), SFLOW_LOSS_SOURCES);
}

static uint64_t *seen_word(struct sflow_loss_stream *stream, uint32_t sequence, uint64_t *bit)
{
	uint32_t slot = sequence % REORDER_WINDOW;
	*bit = (uint64_t)1 << (slot % 64);
	return &stream->seen[slot / 64];
}

/* Moves the window ahead by `ahead` datagrams: the sequence numbers it
 * enters have not arrived (yet), except the new highest one. (The word is
 * found before bit is read: in `*seen_word(..., &bit) |= bit` the two
 * sides are unsequenced, and clang reads bit first.) */
static void seen_advance(struct sflow_loss_stream *stream, uint32_t ahead, uint32_t highest)
{
	uint64_t bit, *word;
	if (ahead >= REORDER_WINDOW) {
		memset(stream->seen, 0, sizeof stream->seen);
	} else {
		for (uint32_t i = ahead; i > 0; i--) {
			word = seen_word(stream, highest - i + 1, &bit);
			*word &= ~bit;
		}
	}
	word = seen_word(stream, highest, &bit);
	*word |= bit;
}

/* Uptimes within the window of each other, either way (mod 2^32, so a wrap
 * through zero is close too). */
static int uptime_close(uint32_t a, uint32_t b)
{
	return a - b <= SFLOW_LOSS_UPTIME_WINDOW_MS || b - a <= SFLOW_LOSS_UPTIME_WINDOW_MS;
}

/* A new baseline for the stream: a new epoch, so its sources start afresh. */
static void restart_stream(struct sflow_loss *loss, struct sflow_loss_stream *stream,
			   const struct sflow_datagram *datagram, uint32_t arrival_ms)
{
	stream->last_sequence = datagram->sequence;
	stream->last_uptime_ms = datagram->uptime_ms;
	stream->last_arrival_ms = arrival_ms;
	seen_advance(stream, REORDER_WINDOW, datagram->sequence);
	stream->epoch = (uint32_t)++loss->next_id;
}

/* The verdict for a datagram of a known stream, which it updates unless
 * the stream must restart. */
static enum sflow_loss_verdict judge(struct sflow_loss_stream *stream,
				     const struct sflow_datagram *datagram, uint32_t arrival_ms)
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
		if (!plausible(ahead, elapsed_ms(stream->last_uptime_ms, datagram->uptime_ms,
						 stream->last_arrival_ms, arrival_ms)))
			return SFLOW_LOSS_LEAP;
		seen_advance(stream, ahead, datagram->sequence);
		stream->last_sequence = datagram->sequence;
		stream->last_uptime_ms = datagram->uptime_ms;
		stream->last_arrival_ms = arrival_ms;
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
	return SFLOW_LOSS_LATE;
}

static uint32_t find_stream(const struct sflow_loss *loss, uint32_t hash, const uint8_t agent[16],
			    uint32_t type, uint32_t sub_agent_id)
{
	for (uint32_t index = sflow_table_first(&loss->streams, hash); index != SFLOW_TABLE_NONE;
	     index = sflow_table_following(&loss->streams, index, hash)) {
		const struct sflow_loss_stream *stream = sflow_table_entry(&loss->streams, index);
		if (stream->slot.user == type && stream->sub_agent_id == sub_agent_id &&
		    memcmp(stream->agent, agent, 16) == 0)
			return index;
	}
	return SFLOW_TABLE_NONE;
}

enum sflow_loss_verdict sflow_loss_datagram(struct sflow_loss *loss,
					    struct sflow_loss_counters *counters,
					    const struct sflow_datagram *datagram,
					    const struct timespec *arrival,
					    struct sflow_loss_datagram_context *context)
{
	uint8_t agent[16];
	uint32_t type = datagram->agent.type == SFLOW_ADDRESS_IP6 ? SFLOW_ADDRESS_IP6
								  : SFLOW_ADDRESS_IP4;
	uint32_t arrival_ms = milliseconds(arrival);

	agent_key(&datagram->agent, agent);
	uint32_t hash = stream_hash(loss, agent, type, datagram->sub_agent_id);
	*context = (struct sflow_loss_datagram_context){
		.verdict = SFLOW_LOSS_UNTRACKED,
		.uptime_ms = datagram->uptime_ms,
		.arrival_ms = arrival_ms,
		.serial = ++loss->datagram_serial,
	};

	struct sflow_loss_stream *stream;
	enum sflow_loss_verdict verdict = SFLOW_LOSS_IN_ORDER;
	uint32_t index = find_stream(loss, hash, agent, type, datagram->sub_agent_id);
	if (index != SFLOW_TABLE_NONE) {
		stream = sflow_table_entry(&loss->streams, index);
		verdict = judge(stream, datagram, arrival_ms);
		switch (verdict) {
		case SFLOW_LOSS_RESTART:
			counters->source_restarts++;
			restart_stream(loss, stream, datagram, arrival_ms);
			break;
		case SFLOW_LOSS_LEAP:
			counters->implausible_leaps++;
			restart_stream(loss, stream, datagram, arrival_ms);
			break;
		case SFLOW_LOSS_DUPLICATE:
			counters->duplicate_datagrams++;
			break;
		case SFLOW_LOSS_LATE:
			counters->late_datagrams++;
			break;
		case SFLOW_LOSS_IN_ORDER:
		case SFLOW_LOSS_UNTRACKED:
			break;
		}
		/* A second datagram that follows the first establishes the
		 * stream; a repeat, a restart or a leap proves nothing. */
		sflow_table_seen(&loss->streams, index,
				 verdict == SFLOW_LOSS_IN_ORDER || verdict == SFLOW_LOSS_LATE);
	} else {
		int evicted;
		index = sflow_table_add(&loss->streams, hash, &evicted);
		if (index == SFLOW_TABLE_NONE)
			return SFLOW_LOSS_UNTRACKED;
		if (evicted)
			counters->sources_evicted++;
		stream = sflow_table_entry(&loss->streams, index);
		stream->slot.user = (uint8_t)type;
		stream->sub_agent_id = datagram->sub_agent_id;
		memcpy(stream->agent, agent, sizeof stream->agent);
		stream->id = ++loss->next_id;
		/* A stream we have not seen (or forgot): its sources start afresh. */
		restart_stream(loss, stream, datagram, arrival_ms);
	}
	/* Fetch the stream's sources now: the decoder walks the datagram
	 * before its samples come, time enough for them to arrive. */
	for (unsigned h = 0; h < SFLOW_LOSS_HINTS; h++)
		if (stream->hints[h].index != SFLOW_TABLE_NONE)
			__builtin_prefetch(sflow_table_entry(&loss->sources, stream->hints[h].index));
	context->hints = stream->hints;
	context->verdict = verdict;
	context->stream_id = stream->id;
	context->source_key = source_key(loss, stream->id);
	context->epoch = stream->epoch;
	return verdict;
}

/* A new baseline: nothing counted for the step to it. */
static void baseline(struct sflow_loss_source *source,
		     const struct sflow_loss_datagram_context *context,
		     const struct sflow_sample *sample)
{
	source->last_sequence = source->first_sequence = sample->sequence;
	source->last_drops = sample->drops;
	source->epoch = context->epoch;
	source->last_uptime_ms = context->uptime_ms;
	source->last_arrival_ms = context->arrival_ms;
}

static int same_source(const struct sflow_loss *loss, uint32_t index, uint64_t stream_id,
		       uint32_t source_id)
{
	const struct sflow_loss_source *source = sflow_table_entry(&loss->sources, index);
	return source->slot.state != SFLOW_TABLE_FREE && source->stream_id == stream_id &&
	       source->source_id == source_id;
}

static uint32_t find_source(const struct sflow_loss *loss, uint32_t hash, uint64_t stream_id,
			    uint32_t source_id)
{
	for (uint32_t index = sflow_table_first(&loss->sources, hash); index != SFLOW_TABLE_NONE;
	     index = sflow_table_following(&loss->sources, index, hash))
		if (same_source(loss, index, stream_id, source_id))
			return index;
	return SFLOW_TABLE_NONE;
}

/* A known source's next sample. */
static void account(struct sflow_loss_counters *counters, struct sflow_loss_source *source,
		    const struct sflow_loss_datagram_context *context,
		    const struct sflow_sample *sample)
{
	/* The stream restarted (or leapt) since the baseline. */
	if (source->epoch != context->epoch) {
		baseline(source, context, sample);
		return;
	}
	/* Serial number arithmetic: ahead by less than half the space is
	 * progress; anything else is a restart or a reordered sample, and no
	 * loss. */
	uint32_t ahead = sample->sequence - source->last_sequence;
	uint32_t behind = source->last_sequence - sample->sequence;
	if (ahead != 0 && ahead < 0x80000000u) {
		uint32_t new_drops = sample->drops - source->last_drops;
		uint32_t elapsed = elapsed_ms(source->last_uptime_ms, context->uptime_ms,
					      source->last_arrival_ms, context->arrival_ms);
		/* More samples, or drops, than the time passed allows: a
		 * forged or corrupt number, not loss. */
		if (!plausible(ahead, elapsed) ||
		    (new_drops < 0x80000000u && !plausible(new_drops, elapsed))) {
			counters->implausible_leaps++;
			baseline(source, context, sample);
			return;
		}
		counters->samples_lost += ahead - 1;
		if (new_drops < 0x80000000u)
			counters->agent_dropped_samples += new_drops;
		source->last_sequence = sample->sequence;
		source->last_drops = sample->drops;
		source->last_uptime_ms = context->uptime_ms;
		source->last_arrival_ms = context->arrival_ms;
	} else if (behind != 0 && behind <= REORDER_WINDOW) {
		/* A late sample: its gap was counted as lost, unless it is
		 * from before the baseline. */
		uint32_t past_baseline = sample->sequence - source->first_sequence;
		counters->samples_reordered++;
		if (past_baseline != 0 && past_baseline < 0x80000000u && counters->samples_lost > 0)
			counters->samples_lost--;
	} else if (behind != 0) {
		/* One source restarted (a line card, say). */
		counters->source_restarts++;
		baseline(source, context, sample);
	}
}

/* The entry of the sample's source: where its stream's hint says, else
 * found by hash (and the hint set), else a new one (*fresh set); NONE
 * only without a table. */
static uint32_t source_entry(struct sflow_loss *loss, struct sflow_loss_counters *counters,
			     const struct sflow_loss_datagram_context *context, uint32_t source_id,
			     int *fresh)
{
	struct sflow_loss_hint *hint = &context->hints[source_id % SFLOW_LOSS_HINTS];
	uint32_t index = hint->index;

	*fresh = 0;
	/* The hint may name an entry given to another key since. */
	if (index != SFLOW_TABLE_NONE && hint->source_id == source_id &&
	    same_source(loss, index, context->stream_id, source_id))
		return index;
	uint32_t hash = source_hash(context->source_key, source_id);
	index = find_source(loss, hash, context->stream_id, source_id);
	if (index == SFLOW_TABLE_NONE) {
		int evicted;
		index = sflow_table_add(&loss->sources, hash, &evicted);
		if (index == SFLOW_TABLE_NONE)
			return index;
		if (evicted)
			counters->sources_evicted++;
		*fresh = 1;
	}
	*hint = (struct sflow_loss_hint){ source_id, index };
	return index;
}

void sflow_loss_sample(struct sflow_loss *loss, struct sflow_loss_counters *counters,
		       const struct sflow_loss_datagram_context *context,
		       const struct sflow_sample *sample)
{
	/* A repeated datagram's samples are neither loss nor recovery; a
	 * datagram without a stream has no books. */
	if (context->verdict == SFLOW_LOSS_DUPLICATE || context->verdict == SFLOW_LOSS_UNTRACKED)
		return;

	uint32_t source_id = sample->source_id_type << 24 | (sample->source_id_index & 0xFFFFFF);
	int fresh;
	uint32_t index = source_entry(loss, counters, context, source_id, &fresh);
	if (index == SFLOW_TABLE_NONE)
		return;
	struct sflow_loss_source *source = sflow_table_entry(&loss->sources, index);
	if (fresh) {
		source->stream_id = context->stream_id;
		source->source_id = source_id;
		source->last_datagram = context->serial;
		baseline(source, context, sample);
		return;
	}
	/* Seen in an earlier datagram of its stream: established. */
	sflow_table_seen(&loss->sources, index, source->last_datagram != context->serial);
	source->last_datagram = context->serial;
	account(counters, source, context, sample);
}
