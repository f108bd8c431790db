/* SPDX-License-Identifier: BSD-3-Clause */
/* A handle's life: pcap_create with libpcap's defaults, pcap_open_live,
 * pcap_close. */
#include <config.h>
#include <stdio.h>

#include "module.h"
#include "sizes.h"


struct sflow_handle *sflow_create(const char *device_name, char *errbuf)
{
	struct sflow_device device;

	if (sflow_device_parse(device_name, &device, errbuf, PCAP_ERRBUF_SIZE) < 0)
		return NULL;
	struct sflow_handle *handle = sflow_handle_new(device_name, errbuf);
	if (handle == NULL)
		return NULL;
	handle->device = device;
	handle->linktype = DLT_EN10MB;
	handle->direction = SFLOW_DIRECTION_UNKNOWN;
	handle->settings = (struct sflow_settings){
		.snaplen = SFLOW_DEFAULT_SNAPLEN,
		.timeout_ms = 0,
		.buffer_size = SFLOW_DEFAULT_BUFFER_SIZE,
		.tstamp_precision = PCAP_TSTAMP_PRECISION_MICRO,
		.tstamp_type = PCAP_TSTAMP_HOST,
	};
	return handle;
}

struct sflow_handle *sflow_open_live(const char *device_name, int snaplen, int promisc,
				     int timeout_ms, char *errbuf)
{
	struct sflow_handle *handle = sflow_create(device_name, errbuf);
	if (handle == NULL)
		return NULL;
	handle->settings.snaplen = snaplen;
	handle->settings.promisc = promisc;
	handle->settings.timeout_ms = timeout_ms;
	if (sflow_activate(handle) < 0) {
		snprintf(errbuf, PCAP_ERRBUF_SIZE, "%s", pcap_geterr(handle->pcap));
		sflow_handle_free(handle);
		return NULL;
	}
	return handle;
}

void sflow_close(struct sflow_handle *handle)
{
	/* What was received and never delivered is dropped now, counted. */
	sflow_drain(handle);
	sflow_report_counters(handle);
	sflow_handle_free(handle);
}
