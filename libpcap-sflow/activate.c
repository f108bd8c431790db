/* SPDX-License-Identifier: BSD-3-Clause */
/* pcap_activate: the datagram source and buffers; and what an activated handle is
 * (its link types, byte order, version). */
#include <config.h>
#include <stdlib.h>

#include "module.h"
#include "sizes.h"


int sflow_activate(struct sflow_handle *handle)
{
	struct sflow_settings *settings = &handle->settings;

	if (settings->rfmon) {
		sflow_handle_error(handle, "%s: an sFlow feed has no monitor mode", handle->name);
		return PCAP_ERROR_RFMON_NOTSUP;
	}
	/* libpcap's rule: a snap length out of range means the maximum. */
	if (settings->snaplen <= 0 || settings->snaplen > SFLOW_MAX_SNAPLEN)
		settings->snaplen = SFLOW_MAX_SNAPLEN;

	char error[PCAP_ERRBUF_SIZE];
	if (sflow_source_open(&handle->source, &handle->device, handle->name,
			      settings->buffer_size, error, sizeof error) < 0) {
		sflow_handle_error(handle, "%s", error);
		return PCAP_ERROR;
	}
	if (sflow_forward_open(&handle->forward, &handle->device, SFLOW_BATCH_DATAGRAMS,
			       handle->name, error, sizeof error) < 0) {
		sflow_handle_error(handle, "%s", error);
		return PCAP_ERROR;
	}
	handle->batch = sflow_batch_new(SFLOW_BATCH_DATAGRAMS, SFLOW_SLOT_SIZE);
	handle->queue.capacity = SFLOW_QUEUE_CAPACITY;
	handle->queue.packets = calloc(handle->queue.capacity, sizeof *handle->queue.packets);
	handle->assembly = malloc(SFLOW_ASSEMBLY_SIZE);
	if (handle->batch == NULL || handle->queue.packets == NULL || handle->assembly == NULL) {
		sflow_handle_error(handle, "%s: out of memory", handle->name);
		return PCAP_ERROR;
	}
	if (sflow_reshape(handle) < 0)
		return PCAP_ERROR;
	handle->activated = 1;
	return 0;
}

int sflow_list_datalinks(struct sflow_handle *handle, int **linktypes)
{
	/* Framing knows which link types it can produce. */
	size_t count = sflow_framing_linktype_count();
	*linktypes = malloc(count * sizeof **linktypes);
	if (*linktypes == NULL) {
		sflow_handle_error(handle, "%s: out of memory", handle->name);
		return PCAP_ERROR;
	}
	for (size_t i = 0; i < count; i++)
		(*linktypes)[i] = sflow_framing_linktype(i);
	return (int)count;
}

int sflow_set_datalink(struct sflow_handle *handle, int linktype)
{
	for (size_t i = 0; i < sflow_framing_linktype_count(); i++) {
		if (sflow_framing_linktype(i) == linktype) {
			handle->linktype = linktype;
			return handle->activated ? sflow_reshape(handle) : 0;
		}
	}
	const char *name = pcap_datalink_val_to_name(linktype);
	sflow_handle_error(handle, "%s: link type %s is not offered by sflow devices (see tcpdump -L)",
			   handle->name, name ? name : "unknown");
	return PCAP_ERROR;
}

int sflow_datalink(struct sflow_handle *handle)
{
	return handle->linktype;
}

int sflow_is_swapped(struct sflow_handle *handle)
{
	(void)handle;
	return 0;       /* packets are handed over as they were sampled */
}

/* A live capture reports the libpcap version it was built with, as the
 * real one does. */
int sflow_major_version(struct sflow_handle *handle)
{
	(void)handle;
	return PCAP_VERSION_MAJOR;
}

int sflow_minor_version(struct sflow_handle *handle)
{
	(void)handle;
	return PCAP_VERSION_MINOR;
}

FILE *sflow_file(struct sflow_handle *handle)
{
	(void)handle;
	return NULL;    /* not a savefile */
}
