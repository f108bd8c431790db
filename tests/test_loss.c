/* Unit tests of sample loss accounting by sequence gaps. */
#include <string.h>

#include "loss.h"
#include "tap.h"

static struct sflow_loss loss;
static struct sflow_counters counts;

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

int main(void)
{
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
