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
	stats->ps_drop = handle->socket.kernel_drops;
	stats->ps_ifdrop = 0;
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
		{ "flow_samples", d->flow_samples },
		{ "discard_samples", d->discard_samples },
		{ "counter_samples", d->counter_samples },
		{ "unknown_samples", d->unknown_samples },
		{ "unknown_records", d->unknown_records },
		{ "records_skipped", d->records_skipped },
		{ "samples_without_header", f->no_header },
		{ "unsupported_header_protocol", f->unsupported_protocol },
		{ "queue_overflow", f->queue_overflow },
		{ "packets_received", handle->samples_received },
	};
	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++)
		fprintf(stderr, "%s %llu\n", rows[i].name, rows[i].value);
}
