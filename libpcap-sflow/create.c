#include <stdio.h>

#include "module.h"

/* libpcap's own defaults for a new capture handle. */
#define DEFAULT_SNAPLEN 262144
#define DEFAULT_BUFFER_SIZE (2 * 1024 * 1024)

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
	handle->direction = PCAP_D_INOUT;
	handle->settings = (struct sflow_settings){
		.snaplen = DEFAULT_SNAPLEN,
		.timeout_ms = 0,
		.buffer_size = DEFAULT_BUFFER_SIZE,
		.tstamp_precision = PCAP_TSTAMP_PRECISION_MICRO,
		.tstamp_type = PCAP_TSTAMP_HOST,
	};
	return handle;
}
