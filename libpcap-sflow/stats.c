#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "module.h"

int sflow_stats(struct sflow_handle *handle, struct pcap_stat *stats)
{
	if (!handle->activated) {
		sflow_handle_error(handle, "%s: not yet activated", handle->name);
		return PCAP_ERROR_NOT_ACTIVATED;
	}
	/* pcap_stat holds 32-bit counters; they wrap as libpcap's do. */
	stats->ps_recv = (u_int)handle->samples_received;
	/* Samples lost anywhere between the agent and us, seen as gaps in
	 * the sources' sequence numbers; the socket's own datagram drops
	 * are among them and stay visible in SFLOW_STATS. */
	stats->ps_drop = (u_int)handle->loss.lost;
	/* Samples the agents could not take: "dropped by interface". */
	stats->ps_ifdrop = (u_int)handle->loss.agent_drops;
	return 0;
}

void sflow_report_counters(const struct sflow_handle *handle)
{
	const char *enabled = getenv("SFLOW_STATS");
	if (enabled == NULL || strcmp(enabled, "1") != 0 || !handle->activated)
		return;
	const struct sflow_decode_counters *d = &handle->counters;
	const struct sflow_framing_counters *f = &handle->framing_counters;
	const struct { const char *name; unsigned long long value; } rows[] = {
		{ "datagrams", d->datagrams },
		{ "malformed_datagrams", d->malformed },
		{ "bad_version_datagrams", d->bad_version },
		{ "socket_dropped_datagrams", handle->socket.kernel_drops },
		{ "samples_lost", handle->loss.lost },
		{ "samples_reordered", handle->loss.reordered },
		{ "agent_dropped_samples", handle->loss.agent_drops },
		{ "source_restarts", handle->loss.restarts },
		{ "sources_evicted", handle->loss.evictions },
		{ "flow_samples", d->flow_samples },
		{ "discard_samples", d->discard_samples },
		{ "counter_samples", d->counter_samples },
		{ "unknown_samples", d->unknown_samples },
		{ "unknown_records", d->unknown_records },
		{ "records_skipped", d->records_skipped },
		{ "header_longer_than_frame", d->header_longer_than_frame },
		{ "discard_samples_skipped", f->not_framed[SFLOW_FRAME_DISCARD_SKIPPED] },
		{ "flow_samples_skipped", f->not_framed[SFLOW_FRAME_FLOW_SKIPPED] },
		{ "samples_without_header", f->not_framed[SFLOW_FRAME_NO_HEADER] },
		{ "sampled_ip_skipped", f->not_framed[SFLOW_FRAME_NO_SYNTH] },
		{ "unsupported_header_protocol", f->not_framed[SFLOW_FRAME_UNSUPPORTED] },
		{ "filtered_by_linktype", f->not_framed[SFLOW_FRAME_LINKTYPE_FILTERED] },
		{ "filtered_by_direction", handle->filtered_by_direction },
		{ "queue_overflow", f->queue_overflow },
		{ "packets_received", handle->samples_received },
	};
	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++)
		fprintf(stderr, "%s %llu\n", rows[i].name, rows[i].value);
}
