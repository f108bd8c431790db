#include <stdlib.h>

#include "module.h"
#include "real_pcap.h"

/* Datagrams per recvmmsg, and a slot per datagram big enough for the
 * largest UDP payload, so no datagram is ever cut. */
#define BATCH_DATAGRAMS 32
#define SLOT_SIZE 65536

/* The dead pcap_t that pcap_compile and pcap_dump_open see: it must match
 * what we deliver (link type, snap length, time stamp precision). */
static int reshape(struct sflow_handle *handle)
{
	pcap_t *shape = pcap_open_dead_with_tstamp_precision(
		handle->linktype, handle->settings.snaplen, handle->settings.tstamp_precision);
	if (shape == NULL) {
		sflow_handle_error(handle, "%s: out of memory", handle->name);
		return PCAP_ERROR;
	}
	if (handle->shape != NULL)
		real_pcap_close(handle->shape);
	handle->shape = shape;
	return 0;
}

int sflow_activate(struct sflow_handle *handle)
{
	struct sflow_settings *settings = &handle->settings;

	if (handle->activated) {
		sflow_handle_error(handle, "%s: already activated", handle->name);
		return PCAP_ERROR_ACTIVATED;
	}
	if (settings->rfmon) {
		sflow_handle_error(handle, "%s: an sFlow feed has no monitor mode", handle->name);
		return PCAP_ERROR_RFMON_NOTSUP;
	}
	/* libpcap's rule: a snap length out of range means the maximum. */
	if (settings->snaplen <= 0 || settings->snaplen > 262144)
		settings->snaplen = 262144;

	char error[PCAP_ERRBUF_SIZE];
	if (sflow_socket_open(&handle->socket, handle->name,
			      handle->device.has_bind_address ? &handle->device.bind_address : NULL,
			      handle->device.port,
			      settings->buffer_size, error, sizeof error) < 0) {
		sflow_handle_error(handle, "%s", error);
		return PCAP_ERROR;
	}
	if (sflow_forward_open(&handle->forward, &handle->device, BATCH_DATAGRAMS, handle->name,
			       error, sizeof error) < 0) {
		sflow_handle_error(handle, "%s", error);
		return PCAP_ERROR;
	}
	handle->batch = sflow_batch_new(BATCH_DATAGRAMS, SLOT_SIZE);
	handle->queue.capacity = sflow_queue_capacity(SLOT_SIZE);
	handle->queue.packets = calloc(handle->queue.capacity, sizeof *handle->queue.packets);
	handle->assembly = malloc(SFLOW_PREFIX_MAX + SLOT_SIZE);
	if (handle->batch == NULL || handle->queue.packets == NULL || handle->assembly == NULL) {
		sflow_handle_error(handle, "%s: out of memory", handle->name);
		return PCAP_ERROR;
	}
	if (reshape(handle) < 0)
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
			return handle->activated ? reshape(handle) : 0;
		}
	}
	const char *name = pcap_datalink_val_to_name(linktype);
	sflow_handle_error(handle, "%s: link type %s is not offered by sflow devices (see tcpdump -L)",
			   handle->name, name ? name : "unknown");
	return PCAP_ERROR;
}
