/* SPDX-License-Identifier: BSD-3-Clause */
/* Unit tests of sample loss accounting by sequence gaps, and of the agent
 * streams' restarts, late and duplicated datagrams. */
#include <config.h>
#include <string.h>

#include "loss.h"
#include "tap.h"

static struct sflow_loss loss;
static struct sflow_loss_counters counts;

static void sample_dropping(uint8_t agent_last_byte, uint32_t sub_agent, uint32_t source_index,
			    uint32_t sequence, uint32_t drops)
{
	struct sflow_datagram datagram = { .version = 5, .sub_agent_id = sub_agent };
	struct sflow_sample flow = { .kind = SFLOW_SAMPLE_FLOW, .sequence = sequence,
				     .source_id_index = source_index, .drops = drops };
	datagram.agent.type = SFLOW_ADDRESS_IP4;
	memcpy(datagram.agent.bytes, (uint8_t[]){ 10, 0, 0, agent_last_byte }, 4);
	sflow_loss_sample(&loss, &counts, &datagram, &flow);
}

static void sample(uint8_t agent_last_byte, uint32_t sub_agent, uint32_t source_index,
		   uint32_t sequence)
{
	sample_dropping(agent_last_byte, sub_agent, source_index, sequence, 0);
}

static void agent_drops(void)
{
	memset(&loss, 0, sizeof loss);
	memset(&counts, 0, sizeof counts);
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
	enum sflow_loss_verdict verdict = sflow_loss_datagram(&loss, &counts, &datagram);
	sflow_loss_sample(&loss, &counts, &datagram, &flow);
	return verdict;
}

static void reset(void)
{
	memset(&loss, 0, sizeof loss);
	memset(&counts, 0, sizeof counts);
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

int main(void)
{
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

	memset(&loss, 0, sizeof loss);
	memset(&counts, 0, sizeof counts);
	sample(3, 0, 7, 0xFFFFFFFEu);
	sample(3, 0, 7, 0xFFFFFFFFu);
	sample(3, 0, 7, 0);
	sample(3, 0, 7, 2);
	tap_eq(counts.samples_lost, 1, "the sequence wraps through zero");
	sample(3, 0, 7, 2);
	tap_eq(counts.samples_lost, 1, "a duplicate is neither loss nor progress");

	/* A flood of sources costs state, never memory. */
	memset(&loss, 0, sizeof loss);
	memset(&counts, 0, sizeof counts);
	for (uint32_t i = 0; i < 3 * SFLOW_LOSS_SOURCES; i++)
		sample(4, 0, i, 1);
	tap_ok(counts.sources_evicted > 0, "more sources than slots evicts some");
	tap_eq(counts.samples_lost, 0, "evictions count no loss");
	agent_drops();
	return tap_done();
}
