/* SPDX-License-Identifier: BSD-3-Clause */
/* pcap_stats, and the SFLOW_STATS report printed from the counter table. */
#include <config.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "module.h"

const struct sflow_counter_info sflow_counter_table[] = {
#define SFLOW_COUNTER_ROW(name, where, meaning) \
	{ #name, where, meaning, offsetof(struct sflow_counters, name) },
	SFLOW_COUNTERS(SFLOW_COUNTER_ROW)
#undef SFLOW_COUNTER_ROW
};
const size_t sflow_counter_count = sizeof sflow_counter_table / sizeof sflow_counter_table[0];

/* pcap_stat holds 32-bit counters and ours have 64 bits. Past 2^32 - 1
 * they stay there rather than wrap as libpcap's do: a wrapped count
 * would show a small number of drops after billions, a saturated one
 * still says "at least this many" (SFLOW_STATS prints all 64 bits). */
static u_int saturated(uint64_t count)
{
	return count > UINT32_MAX ? UINT32_MAX : (u_int)count;
}

int sflow_stats(struct sflow_handle *handle, struct pcap_stat *stats)
{
	const struct sflow_counters *counters = &handle->counters;

	stats->ps_recv = saturated(counters->packets_received);
	/* Samples lost anywhere between the agent and us, seen as gaps in
	 * the sources' sequence numbers (the socket's own datagram drops
	 * are among them and stay visible in SFLOW_STATS); and, once the
	 * loop ended (pcap_breakloop, as on Ctrl-C, or its count reached)
	 * with a batch part delivered, those received but still waiting: a
	 * program that stops there never gets them. A program reading on
	 * with pcap_next_ex or pcap_dispatch sees them delivered instead, and
	 * ps_drop never goes down. */
	uint64_t waiting = handle->loop_ended ? sflow_waiting_samples(handle) : 0;
	stats->ps_drop = saturated(counters->samples_lost + waiting);
	/* Samples the agents could not take: "dropped by interface". */
	stats->ps_ifdrop = saturated(counters->agent_dropped_samples);
	return 0;
}

void sflow_report_counters(const struct sflow_handle *handle)
{
	const char *enabled = getenv("SFLOW_STATS");
	if (enabled == NULL || strcmp(enabled, "1") != 0 || !handle->activated)
		return;
	for (size_t i = 0; i < sflow_counter_count; i++) {
		const struct sflow_counter_info *row = &sflow_counter_table[i];
		uint64_t value;
		memcpy(&value, (const char *)&handle->counters + row->offset, sizeof value);
		fprintf(stderr, "%s %llu\n", row->name, (unsigned long long)value);
	}
}
