/* SPDX-License-Identifier: BSD-3-Clause */
/* Unit tests of sample loss accounting by sequence gaps, and of the agent
 * streams' restarts, late and duplicated datagrams. */
#include <config.h>
#include <stdlib.h>
#include <string.h>

#include "loss.h"
#include "tap.h"

/* A check that only speaks when it fails. */
static void tap_ok_quiet(int passed)
{
	if (!passed)
		tap_ok(0, "the context carries the verdict returned");
}

static struct sflow_loss loss;
static struct sflow_loss_counters counts;
/* Each (agent, sub-agent)'s next datagram sequence number, for the samples
 * sent one to a datagram by sample(). */
static uint32_t next_datagram[256][2];

static void reset(void)
{
	sflow_loss_clear(&loss);
	memset(&counts, 0, sizeof counts);
	memset(next_datagram, 0, sizeof next_datagram);
}

/* One datagram, then its one flow sample: as the read path does. */
static enum sflow_loss_verdict account(const struct sflow_datagram *datagram,
				       const struct timespec *arrival,
				       const struct sflow_sample *flow)
{
	struct sflow_loss_datagram_context context;
	enum sflow_loss_verdict verdict =
		sflow_loss_datagram(&loss, &counts, datagram, arrival, &context);
	tap_ok_quiet(context.verdict == verdict);
	sflow_loss_sample(&loss, &counts, &context, flow);
	return verdict;
}

static void sample_dropping(uint8_t agent_last_byte, uint32_t sub_agent, uint32_t source_index,
			    uint32_t sequence, uint32_t drops)
{
	struct sflow_datagram datagram = {
		.version = 5, .sub_agent_id = sub_agent, .uptime_ms = 1000,
		.sequence = ++next_datagram[agent_last_byte][sub_agent & 1],
	};
	struct sflow_sample flow = { .kind = SFLOW_SAMPLE_FLOW, .sequence = sequence,
				     .source_id_index = source_index, .drops = drops };
	datagram.agent.type = SFLOW_ADDRESS_IP4;
	memcpy(datagram.agent.bytes, (uint8_t[]){ 10, 0, 0, agent_last_byte }, 4);
	account(&datagram, NULL, &flow);
}

static void sample(uint8_t agent_last_byte, uint32_t sub_agent, uint32_t source_index,
		   uint32_t sequence)
{
	sample_dropping(agent_last_byte, sub_agent, source_index, sequence, 0);
}

static void agent_drops(void)
{
	reset();
	sample_dropping(5, 0, 1, 10, 1000);
	tap_eq(counts.agent_dropped_samples, 0, "an agent's drop counter before we listened is not ours");
	sample_dropping(5, 0, 1, 11, 1007);
	tap_eq(counts.agent_dropped_samples, 7, "the rise of the drops field counts samples the agent dropped");
	sample_dropping(5, 0, 2, 1, 50);
	sample_dropping(5, 0, 2, 2, 53);
	tap_eq(counts.agent_dropped_samples, 10, "per source");
	sample_dropping(5, 0, 1, 10, 1009);
	tap_eq(counts.agent_dropped_samples, 10, "a reordered sample's drops field is not counted");
	sample_dropping(5, 0, 1, 5000, 1010);
	sample_dropping(5, 0, 1, 1, 2);
	sample_dropping(5, 0, 1, 2, 4);
	tap_eq(counts.agent_dropped_samples, 15, "after a restart the drops field counts from its new value");
	tap_eq(counts.samples_lost, 4988, "and sequence gaps stay apart from agent drops");
}

/* One datagram of agent 10.0.0.AGENT, sub-agent SUB, with one flow sample
 * of data source 1 (sample sequence SAMPLE, drops DROPS); returns the
 * datagram's verdict. */
static enum sflow_loss_verdict datagram_with(uint8_t agent, uint32_t sub, uint32_t sequence,
					     uint32_t uptime, uint32_t sample_sequence,
					     uint32_t drops)
{
	struct sflow_datagram datagram = { .version = 5, .sub_agent_id = sub,
					   .sequence = sequence, .uptime_ms = uptime };
	struct sflow_sample flow = { .kind = SFLOW_SAMPLE_FLOW, .sequence = sample_sequence,
				     .source_id_index = 1, .drops = drops };
	datagram.agent.type = SFLOW_ADDRESS_IP4;
	memcpy(datagram.agent.bytes, (uint8_t[]){ 10, 0, 0, agent }, 4);
	return account(&datagram, NULL, &flow);
}

#define MINUTE 60000u
#define DAY (24u * 60u * MINUTE)

static void streams(void)
{
	/* A restart after 10 samples: the sequence steps back only 9, far
	 * inside the reorder window, but the uptime goes back by minutes. */
	reset();
	for (uint32_t i = 1; i <= 10; i++)
		tap_eq(datagram_with(1, 0, i, 5 * MINUTE + i * 100, i, 40 + i), SFLOW_LOSS_IN_ORDER,
		       "stream in order: datagram %u", i);
	tap_eq(counts.agent_dropped_samples, 9, "drops rose by 9 before the restart");
	tap_eq(datagram_with(1, 0, 1, 500, 1, 0), SFLOW_LOSS_RESTART,
	       "sequence back 9, uptime back 5 minutes: restart");
	tap_eq(counts.source_restarts, 1, "source_restarts counts it");
	tap_ok(counts.samples_lost == 0 && counts.samples_reordered == 0,
	       "the restart is neither loss nor reordering");
	datagram_with(1, 0, 2, 600, 2, 2);
	datagram_with(1, 0, 4, 800, 4, 5);     /* datagram 3 (sample 3) lost */
	tap_eq(counts.samples_lost, 1, "a datagram lost after the restart counts its sample");
	tap_eq(counts.agent_dropped_samples, 9 + 5, "drops count from the new baseline: 9 + 5");
	tap_eq(counts.source_restarts, 1, "no second restart");

	/* Late and duplicated datagrams. */
	tap_eq(datagram_with(1, 0, 3, 700, 3, 3), SFLOW_LOSS_LATE, "datagram 3 arrives late");
	tap_ok(counts.samples_lost == 0 && counts.samples_reordered == 1 && counts.late_datagrams == 1,
	       "the late datagram takes back the loss its absence counted");
	tap_eq(datagram_with(1, 0, 3, 700, 3, 3), SFLOW_LOSS_DUPLICATE, "datagram 3 again: duplicate");
	tap_eq(datagram_with(1, 0, 4, 800, 4, 5), SFLOW_LOSS_DUPLICATE, "datagram 4 again: duplicate");
	tap_ok(counts.samples_lost == 0 && counts.samples_reordered == 1 &&
	       counts.duplicate_datagrams == 2 && counts.agent_dropped_samples == 14,
	       "duplicates count neither as loss nor as recovery, nor drops");
	datagram_with(1, 0, 5, 900, 5, 5);
	tap_eq(counts.samples_lost, 0, "the sequence goes on after the duplicates");


	/* A sample sequence jump without a missing datagram is loss too. */
	datagram_with(1, 0, 6, 1000, 9, 5);
	tap_eq(counts.samples_lost, 3, "sample sequence 5 -> 9 in consecutive datagrams: 3 lost");

	/* The 49.7-day wrap of the uptime, with the sequence carrying on. */
	reset();
	datagram_with(2, 0, 100, 0xFFFFFF00u, 100, 0);
	tap_eq(datagram_with(2, 0, 101, 0x100, 101, 0), SFLOW_LOSS_IN_ORDER,
	       "uptime wraps through zero, sequence carries on: in order");
	tap_eq(datagram_with(2, 0, 102, 0x200, 102, 0), SFLOW_LOSS_IN_ORDER, "and on");
	tap_eq(counts.source_restarts, 0, "the wrap is no restart");

	/* A restart numbered past where the old run stopped. */
	reset();
	datagram_with(3, 0, 5, 10 * MINUTE, 5, 0);
	tap_eq(datagram_with(3, 0, 6, 100, 1, 0), SFLOW_LOSS_RESTART,
	       "sequence ahead, uptime back 10 minutes: restart");
	tap_eq(counts.samples_lost + counts.samples_reordered, 0, "and no sample counted");

	/* After 40 days of uptime: far back in sequence. */
	reset();
	datagram_with(4, 0, 3000000, 40 * DAY, 3000000, 0);
	tap_eq(datagram_with(4, 0, 1, 1000, 1, 0), SFLOW_LOSS_RESTART,
	       "40 days up, then sequence 1: restart");
	/* After 40 days of uptime, restarting after few datagrams: the uptime
	 * step back exceeds half the 32-bit space, so it looks ahead. */
	reset();
	datagram_with(5, 0, 6, 40 * DAY, 6, 0);
	tap_eq(datagram_with(5, 0, 1, 1000, 1, 0), SFLOW_LOSS_RESTART,
	       "40 days up, sequence back 5: restart");
	tap_eq(counts.samples_reordered, 0, "not taken for a late datagram");

	/* Far back in sequence though the uptime agrees: a restart too. */
	reset();
	datagram_with(6, 0, 5000, 10 * MINUTE, 5000, 0);
	tap_eq(datagram_with(6, 0, 1, 10 * MINUTE + 5, 1, 0), SFLOW_LOSS_RESTART,
	       "sequence back beyond the reorder window: restart");

	/* Late within the uptime window, either way. */
	reset();
	datagram_with(7, 0, 10, 10 * MINUTE, 10, 0);
	tap_eq(datagram_with(7, 0, 8, 10 * MINUTE - SFLOW_LOSS_UPTIME_WINDOW_MS, 8, 0),
	       SFLOW_LOSS_LATE, "uptime back by the window exactly: late");
	tap_eq(datagram_with(7, 0, 7, 10 * MINUTE - SFLOW_LOSS_UPTIME_WINDOW_MS - 1, 7, 0),
	       SFLOW_LOSS_RESTART, "uptime back by one more: restart");

	/* A late sample from before the baseline was never counted lost. */
	reset();
	datagram_with(8, 0, 1, 1000, 1, 0);
	datagram_with(8, 0, 3, 1200, 3, 0);     /* 1 lost */
	datagram_with(9, 0, 50, 5000, 50, 0);
	datagram_with(9, 0, 49, 4900, 49, 0);   /* before agent 9's baseline */
	tap_ok(counts.samples_lost == 1 && counts.samples_reordered == 1,
	       "a late sample from before its source's baseline takes back nothing");

	/* Two sub-agents of one agent are two streams. */
	reset();
	datagram_with(10, 0, 1, 10 * MINUTE, 1, 0);
	datagram_with(10, 1, 1, 500, 1, 0);
	tap_eq(counts.source_restarts, 0, "sub-agents have their own sequences and uptimes");
	datagram_with(10, 0, 2, 10 * MINUTE + 100, 2, 0);
	datagram_with(10, 1, 2, 600, 2, 0);
	tap_eq(counts.source_restarts + counts.samples_lost, 0, "and stay apart");
}

/* A duplicate far behind, though within the reorder window, is still a
 * duplicate: not late, and no recovery of loss. */
static void far_duplicates(void)
{
	reset();
	for (uint32_t i = 1; i <= 300; i++)
		datagram_with(2, 0, i, 1000 + i, i, 0);
	tap_eq(datagram_with(2, 0, 100, 1100, 100, 0), SFLOW_LOSS_DUPLICATE,
	       "datagram 100 again after 300: duplicate");
	datagram_with(2, 0, 302, 1302, 302, 0);        /* 301 lost */
	tap_eq(datagram_with(2, 0, 301, 1301, 301, 0), SFLOW_LOSS_LATE, "datagram 301 late");
	tap_ok(counts.duplicate_datagrams == 1 && counts.late_datagrams == 1 &&
	       counts.samples_lost == 0 && counts.samples_reordered == 1,
	       "the far duplicate takes back nothing; the late one its own loss");
	tap_eq(datagram_with(2, 0, 302 - SFLOW_LOSS_REORDER_WINDOW + 1, 1300, 1, 0),
	       SFLOW_LOSS_LATE, "a datagram never seen, at the window's edge: late");
}


/* Agents of one subnet, as switches are numbered: 10.0.0.0/20 and
 * 2001:db8::/64, the Nth host of each. */
static struct sflow_address ipv4_agent(uint32_t base, uint32_t n)
{
	struct sflow_address agent = { .type = SFLOW_ADDRESS_IP4 };
	uint32_t address = base + n;
	for (int i = 0; i < 4; i++)
		agent.bytes[i] = (uint8_t)(address >> (24 - 8 * i));
	return agent;
}

static struct sflow_address ipv6_agent(uint32_t n)
{
	struct sflow_address agent = { .type = SFLOW_ADDRESS_IP6,
				       .bytes = { 0x20, 0x01, 0x0d, 0xb8 } };
	for (int i = 0; i < 4; i++)
		agent.bytes[12 + i] = (uint8_t)(n >> (24 - 8 * i));
	return agent;
}

/* One datagram of agent/sub with one sample of each of sources 1..SOURCES,
 * all with sample sequence number SAMPLE (and drops DROPS), received at
 * ARRIVAL_MS by our clock. Returns its verdict. */
static enum sflow_loss_verdict datagram_from(struct sflow_address agent, uint32_t sub,
					     uint32_t sequence, uint32_t uptime_ms,
					     uint64_t arrival_ms, unsigned sources,
					     uint32_t sample_sequence, uint32_t drops)
{
	struct sflow_datagram datagram = { .version = 5, .agent = agent, .sub_agent_id = sub,
					   .sequence = sequence, .uptime_ms = uptime_ms };
	struct timespec arrival = { (time_t)(arrival_ms / 1000), (long)(arrival_ms % 1000) * 1000000 };
	struct sflow_loss_datagram_context context;
	enum sflow_loss_verdict verdict =
		sflow_loss_datagram(&loss, &counts, &datagram, &arrival, &context);
	for (unsigned s = 1; s <= sources; s++) {
		struct sflow_sample flow = { .kind = SFLOW_SAMPLE_FLOW, .sequence = sample_sequence,
					     .source_id_index = s, .drops = drops };
		sflow_loss_sample(&loss, &counts, &context, &flow);
	}
	return verdict;
}

/* Buckets in use and the longest chain, for entries hashed into table. */
static uint32_t buckets_used(const struct sflow_table *table, unsigned *longest)
{
	uint32_t used = 0;
	*longest = 0;
	for (uint32_t b = 0; b <= table->mask; b++) {
		unsigned length = 0;
		for (uint32_t i = table->buckets[b]; i != SFLOW_TABLE_NONE;
		     i = ((const struct sflow_table_slot *)sflow_table_entry(table, i))->chain)
			length++;
		used += length > 0;
		if (length > *longest)
			*longest = length;
	}
	return used;
}

#define SUBNET_AGENTS 4096      /* a /20 */

/* The hash spreads agents that differ only in their last bits. */
static void spread(void)
{
	unsigned longest;
	uint32_t used;

	reset();
	for (uint32_t n = 0; n < SUBNET_AGENTS; n++)
		datagram_from(ipv4_agent(0x0A000000u, n), 0, 1, 1000, 1000, 4, 1, 0);
	used = buckets_used(&loss.streams, &longest);
	/* At load 1/4, random hashing leaves 88 % of the keys alone in their
	 * bucket's first place; the old hash put a /16 into 8 slots. */
	tap_ok(used >= SUBNET_AGENTS * 85 / 100 && longest <= 6,
	       "4,096 IPv4 agents of one /20 spread over %u buckets, at most %u to one", used,
	       longest);
	used = buckets_used(&loss.sources, &longest);
	tap_ok(used >= 4 * SUBNET_AGENTS * 85 / 100 && longest <= 6,
	       "their 16,384 data sources over %u buckets, at most %u to one", used, longest);

	reset();
	for (uint32_t n = 0; n < SUBNET_AGENTS; n++)
		datagram_from(ipv6_agent(n), 0, 1, 1000, 1000, 1, 1, 0);
	used = buckets_used(&loss.streams, &longest);
	tap_ok(used >= SUBNET_AGENTS * 85 / 100 && longest <= 6,
	       "4,096 IPv6 agents of one /64 spread over %u buckets, at most %u to one", used,
	       longest);

	reset();
	for (uint32_t sub = 0; sub < SUBNET_AGENTS; sub++)
		datagram_from(ipv4_agent(0x0A000000u, 1), sub, 1, 1000, 1000, 1, 1, 0);
	used = buckets_used(&loss.streams, &longest);
	tap_ok(used >= SUBNET_AGENTS * 85 / 100 && longest <= 6,
	       "4,096 sub-agents of one agent spread over %u buckets, at most %u to one", used,
	       longest);
}

/* The tables hold what they promise without forgetting anything: 16,384
 * streams (IPv4 agents of one /20 and IPv6 agents of one /64, two
 * sub-agents each) with 4 data sources each, every source losing 3. */
static void capacity(void)
{
	reset();
	for (uint32_t datagram = 1; datagram <= 2; datagram++) {
		for (uint32_t n = 0; n < SUBNET_AGENTS; n++) {
			for (uint32_t sub = 0; sub < 2; sub++) {
				uint32_t sample_sequence = datagram == 1 ? 1 : 5;
				datagram_from(ipv4_agent(0x0A000000u, n), sub, datagram, 1000 + datagram,
					      1000 + datagram, 4, sample_sequence, 0);
				datagram_from(ipv6_agent(n), sub, datagram, 1000 + datagram,
					      1000 + datagram, 4, sample_sequence, 0);
			}
		}
	}
	tap_eq(SFLOW_LOSS_STREAMS, 4 * SUBNET_AGENTS, "the table holds 16,384 streams");
	tap_eq(SFLOW_LOSS_SOURCES, 16 * SUBNET_AGENTS, "and 65,536 data sources");
	tap_eq(counts.sources_evicted, 0, "16,384 streams, 65,536 sources: none forgotten");
	tap_eq(counts.samples_lost, 16 * SUBNET_AGENTS * 3, "every source's 3 lost samples counted");
	tap_eq(counts.source_restarts + counts.implausible_leaps, 0, "no restart, no leap");
	/* One more stream and source: now something goes. */
	datagram_from(ipv4_agent(0xC0000200u, 0), 0, 1, 1000, 1000, 1, 1, 0);
	tap_eq(counts.sources_evicted, 2, "the 16,385th stream and 65,537th source each evict one");
}

/* A flood of one-datagram agents beside established ones: the flood
 * churns among itself. */
static void flood(void)
{
	const uint32_t established = 1000, flood_agents = 200000;
	uint64_t state = 0x9E3779B97F4A7C15u;

	reset();
	for (uint32_t datagram = 1; datagram <= 2; datagram++)
		for (uint32_t n = 0; n < established; n++)
			datagram_from(ipv4_agent(0x0A010000u, n), 0, datagram, 1000 + datagram, 1000,
				      4, datagram, 0);
	struct sflow_address last = { 0 };
	for (uint32_t n = 0; n < flood_agents; n++) {
		state ^= state << 13, state ^= state >> 7, state ^= state << 17;  /* xorshift */
		last = n % 2 ? ipv4_agent((uint32_t)state, 0) : ipv6_agent((uint32_t)state);
		if (last.type == SFLOW_ADDRESS_IP6)
			memcpy(last.bytes + 4, &state, 8);
		datagram_from(last, (uint32_t)(state >> 40), 1, (uint32_t)state, 1000, 1,
			      (uint32_t)(state >> 20), 0);
	}
	uint64_t evicted = counts.sources_evicted;
	tap_ok(evicted > flood_agents, "the flood of %u agents evicted (%llu streams and sources)",
	       flood_agents, (unsigned long long)evicted);
	for (uint32_t n = 0; n < established; n++)
		datagram_from(ipv4_agent(0x0A010000u, n), 0, 3, 1003, 1000, 4, 10, 0);
	tap_eq(counts.sources_evicted, evicted, "the established streams and sources were all still there");
	tap_eq(counts.samples_lost, established * 4 * 7, "their books exact: 7 lost per source");
	tap_eq(counts.source_restarts + counts.implausible_leaps, 0, "no restart, no leap");
	/* Among newcomers the one seen least recently goes first: the last
	 * flood agent is still known. */
	datagram_from(last, (uint32_t)(state >> 40), 2, (uint32_t)state, 1000, 1,
		      (uint32_t)(state >> 20) + 3, 0);
	tap_eq(counts.sources_evicted, evicted, "the newest newcomer was not forgotten");
	tap_eq(counts.samples_lost, established * 4 * 7 + 2, "and its gap of 2 counts");
}

/* Forward leaps that cannot be loss. */
static void leaps(void)
{
	struct sflow_address agent = ipv4_agent(0x0A090909u, 0);
	const uint64_t t = 5000000;     /* our clock, ms */

	reset();
	/* A forged pair: a new agent, then a leap of 2^31 - 2. */
	datagram_from(agent, 0, 1, 1000, t, 1, 1, 0);
	datagram_from(agent, 0, 2, 1001, t + 1, 1, 0x7FFFFFFFu, 0);
	tap_eq(counts.samples_lost, 0, "a forged pair (sample sequence 1, then 2^31 - 1) adds nothing");
	tap_eq(counts.implausible_leaps, 1, "implausible_leaps counts it");
	tap_eq(counts.source_restarts, 0, "no restart");

	/* The real agent of that address carries on: its first sample after
	 * the leap is a new baseline (a step back from the forged one), then
	 * its losses count again. */
	datagram_from(agent, 0, 3, 1002, t + 2, 1, 2, 0);
	datagram_from(agent, 0, 4, 1003, t + 3, 1, 6, 0);
	tap_eq(counts.samples_lost, 3, "the real sequence: its next gap counts (3)");

	/* A datagram sequence leap of a stream. */
	reset();
	datagram_from(agent, 0, 10, 1000, t, 1, 1, 0);
	tap_eq(datagram_from(agent, 0, 10 + 0x40000000u, 1001, t + 1, 1, 2, 0), SFLOW_LOSS_LEAP,
	       "a datagram sequence number 2^30 ahead within a millisecond: a leap");
	tap_eq(counts.implausible_leaps, 1, "counted");
	tap_eq(datagram_from(agent, 0, 11, 1002, t + 2, 1, 3, 0), SFLOW_LOSS_RESTART,
	       "the real stream after it: back far, a restart");
	tap_eq(counts.samples_lost, 0, "and nothing lost for either");

	/* A drops field that leaps. */
	reset();
	datagram_from(agent, 0, 1, 1000, t, 1, 1, 5);
	datagram_from(agent, 0, 2, 1001, t + 1, 1, 2, 5 + 0x7FFFFFF0u);
	tap_eq(counts.agent_dropped_samples, 0, "a drops field 2^31 - 16 ahead adds nothing");
	tap_eq(counts.implausible_leaps, 1, "counted as a leap");

	/* What time allows. */
	reset();
	datagram_from(agent, 0, 1, 1000, t, 1, 1, 0);
	datagram_from(agent, 0, 2, 1000 + 10000, t + 10000, 1, 1 + 5000000, 0);
	tap_eq(counts.samples_lost, 4999999, "10 s by both clocks: 5,000,000 ahead is loss");
	datagram_from(agent, 0, 3, 1000 + 10000 + 20 * 86400000u, t + 10001, 1, 1 + 10000000, 0);
	tap_eq(counts.samples_lost, 4999999,
	       "an uptime 20 days on but 1 ms by our clock: 5,000,000 more is not loss");
	tap_eq(counts.implausible_leaps, 1, "a forged uptime buys no room");
	datagram_from(agent, 0, 4, 1000 + 10002 + 20 * 86400000u, t + 60000, 1, 1 + 20000000, 0);
	tap_eq(counts.implausible_leaps, 2, "nor does a pause of ours (1 min by our clock, 1 ms of uptime)");
	datagram_from(agent, 0, 5, 1000 + 10003 + 20 * 86400000u, t + 60001, 1,
		      1 + 20000000 + SFLOW_LOSS_LEAP_SLACK, 0);
	tap_eq(counts.samples_lost, 4999999 + SFLOW_LOSS_LEAP_SLACK - 1,
	       "the slack: a leap of 65,536 within a millisecond is still loss");
}

/* The segmented LRU itself, on a table of 8: newcomers go first, in the
 * order they came; a promotion beyond 3/4 protected demotes the protected
 * entry the CLOCK hand finds unmarked. */
static int state_of(const struct sflow_table *table, uint32_t index)
{
	return ((const struct sflow_table_slot *)sflow_table_entry(table, index))->state;
}

static void segmented_lru(void)
{
	struct sflow_table table;
	int evicted;

	if (sflow_table_init(&table, 64, 8) < 0) {
		tap_ok(0, "a table of 8 is allocated");
		return;
	}
	for (uint32_t hash = 1; hash <= 8; hash++)
		sflow_table_add(&table, hash, &evicted);
	tap_ok(!evicted && sflow_table_first(&table, 5) == 5, "8 entries fit a table of 8; each is found");
	for (uint32_t index = 1; index <= 6; index++)
		sflow_table_seen(&table, index, 1);
	tap_eq(table.protected_count, 6, "seen again, 6 are protected (3/4 of the table)");
	tap_eq(sflow_table_add(&table, 9, &evicted), 7, "a newcomer takes the oldest probationary entry's place");
	tap_ok(evicted && sflow_table_first(&table, 7) == SFLOW_TABLE_NONE &&
	       sflow_table_first(&table, 9) == 7, "which is forgotten, and the newcomer found");
	sflow_table_seen(&table, 8, 1);
	tap_ok(table.protected_count == 6 && state_of(&table, 8) == SFLOW_TABLE_PROTECTED &&
	       state_of(&table, 1) == SFLOW_TABLE_PROBATION,
	       "promoting a seventh demotes one: the CLOCK hand's first unmarked (entry 1)");
	tap_eq(sflow_table_add(&table, 10, &evicted), 7,
	       "the next newcomer still takes the oldest probationary place (hash 9's)");
	sflow_table_seen(&table, 2, 0);
	sflow_table_seen(&table, 7, 1);
	tap_ok(state_of(&table, 2) == SFLOW_TABLE_PROTECTED &&
	       state_of(&table, 3) == SFLOW_TABLE_PROBATION,
	       "a protected entry seen since the hand passed is skipped: entry 3 goes instead of 2");
	sflow_table_seen(&table, 1, 0);
	tap_eq(state_of(&table, 1), SFLOW_TABLE_PROBATION, "a hit that proves nothing promotes nothing");
	sflow_table_clear(&table);
	tap_ok(table.protected_count == 0 && sflow_table_first(&table, 5) == SFLOW_TABLE_NONE &&
	       sflow_table_add(&table, 5, &evicted) == 1 && !evicted, "clearing forgets everything");
	sflow_table_free(&table);
}

int main(void)
{
	if (sflow_loss_init(&loss) < 0) {
		tap_ok(0, "the tables are allocated");
		return tap_done();
	}
	loss.seed = 0x5EED5EED5EED5EEDu;        /* the same buckets every run */
	segmented_lru();
	spread();
	capacity();
	flood();
	leaps();
	streams();
	far_duplicates();
	reset();
	sample(1, 0, 1, 100);
	tap_eq(counts.samples_lost, 0, "the first sample of a source counts no loss");
	sample(1, 0, 1, 101);
	sample(1, 0, 1, 102);
	tap_eq(counts.samples_lost, 0, "consecutive samples: no loss");
	sample(1, 0, 1, 110);
	tap_eq(counts.samples_lost, 7, "a gap of 7 counts 7 lost");

	sample(2, 0, 1, 5000);
	sample(1, 1, 1, 9000);
	sample(1, 0, 2, 1);
	tap_eq(counts.samples_lost, 7, "other agents, sub-agents and sources have their own sequences");
	sample(2, 0, 1, 5002);
	sample(1, 1, 1, 9003);
	sample(1, 0, 2, 2);
	tap_eq(counts.samples_lost, 10, "gaps are counted per source");

	sample(1, 0, 1, 108);
	tap_eq(counts.samples_reordered, 1, "a sample a little behind is reordered");
	tap_eq(counts.samples_lost, 9, "and it was not lost after all");
	sample(1, 0, 1, 111);
	tap_eq(counts.samples_lost, 9, "the sequence goes on from its highest point");

	sample(1, 0, 1, 1);
	tap_eq(counts.source_restarts, 0, "a step back within the window is not a restart");
	sample(1, 0, 1, 111 + 2000);
	sample(1, 0, 1, 3);
	tap_eq(counts.source_restarts, 1, "far behind: the source restarted");
	uint64_t before = counts.samples_lost;
	sample(1, 0, 1, 4);
	tap_eq(counts.samples_lost, before, "after a restart the new sequence counts from there");

	reset();
	sample(3, 0, 7, 0xFFFFFFFEu);
	sample(3, 0, 7, 0xFFFFFFFFu);
	sample(3, 0, 7, 0);
	sample(3, 0, 7, 2);
	tap_eq(counts.samples_lost, 1, "the sequence wraps through zero");
	sample(3, 0, 7, 2);
	tap_eq(counts.samples_lost, 1, "a duplicate is neither loss nor progress");

	/* A flood of sources costs state, never memory. */
	reset();
	for (uint32_t i = 0; i < 3 * SFLOW_LOSS_SOURCES; i++)
		sample(4, 0, i, 1);
	tap_ok(counts.sources_evicted > 0, "more sources than slots evicts some");
	tap_eq(counts.samples_lost, 0, "evictions count no loss");
	agent_drops();
	sflow_loss_free(&loss);
	return tap_done();
}
