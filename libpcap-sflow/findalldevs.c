/* SPDX-License-Identifier: BSD-3-Clause */
/* The sflow device as device lists and network lookups see it. */
#include <config.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "module.h"

/* The sflow device goes last, so a program that captures on the first
 * device by default keeps its choice. */
int sflow_findalldevs_append(pcap_if_t **devices, char *errbuf)
{
	pcap_if_t *device = calloc(1, sizeof *device);
	/* One line: what it is, then the whole grammar of its names. */
	char description[256];

	snprintf(description, sizeof description,
		 "sFlow collector on UDP port %d; name it %s",
		 SFLOW_DEFAULT_PORT, SFLOW_DEVICE_GRAMMAR);
	if (device != NULL) {
		/* The real pcap_freealldevs frees these with free(), as its own. */
		device->name = strdup(SFLOW_DEVICE_PREFIX);
		device->description = strdup(description);
		device->flags = PCAP_IF_UP | PCAP_IF_RUNNING |
				PCAP_IF_CONNECTION_STATUS_NOT_APPLICABLE;
	}
	if (device == NULL || device->name == NULL || device->description == NULL) {
		if (device != NULL) {
			free(device->name);
			free(device->description);
			free(device);
		}
		snprintf(errbuf, PCAP_ERRBUF_SIZE, "sflow: out of memory listing devices");
		return PCAP_ERROR;
	}
	pcap_if_t **tail = devices;
	while (*tail != NULL)
		tail = &(*tail)->next;
	*tail = device;
	return 0;
}

int sflow_lookupnet(bpf_u_int32 *net, bpf_u_int32 *mask)
{
	/* Sampled packets come from anywhere: there is no local network. */
	*net = *mask = 0;
	return 0;
}
