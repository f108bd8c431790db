/* SPDX-License-Identifier: BSD-3-Clause */
/* Settings a program makes on a handle, and what it asks of them: snap
 * length, timeout, immediate mode, buffer, time stamps, direction. */
#include <config.h>
#include <stdlib.h>

#include "module.h"

/* Stored now, applied by sflow_activate. */

int sflow_set_snaplen(struct sflow_handle *handle, int snaplen)
{
	handle->settings.snaplen = snaplen;
	return 0;
}

int sflow_set_promisc(struct sflow_handle *handle, int promisc)
{
	handle->settings.promisc = promisc;
	return 0;
}

int sflow_set_rfmon(struct sflow_handle *handle, int rfmon)
{
	handle->settings.rfmon = rfmon;
	return 0;
}

int sflow_set_timeout(struct sflow_handle *handle, int timeout_ms)
{
	handle->settings.timeout_ms = timeout_ms;
	return 0;
}

int sflow_set_immediate_mode(struct sflow_handle *handle, int immediate)
{
	handle->settings.immediate = immediate;
	return 0;
}

int sflow_set_buffer_size(struct sflow_handle *handle, int size)
{
	handle->settings.buffer_size = size;
	return 0;
}

int sflow_set_tstamp_precision(struct sflow_handle *handle, int precision)
{
	if (precision != PCAP_TSTAMP_PRECISION_MICRO && precision != PCAP_TSTAMP_PRECISION_NANO)
		return PCAP_ERROR_TSTAMP_PRECISION_NOTSUP;
	handle->settings.tstamp_precision = precision;
	return 0;
}

int sflow_get_tstamp_precision(struct sflow_handle *handle)
{
	return handle->settings.tstamp_precision;
}

int sflow_set_tstamp_type(struct sflow_handle *handle, int type)
{
	(void)handle;
	/* Time stamps come from the host's clock as datagrams arrive. */
	return type == PCAP_TSTAMP_HOST ? 0 : PCAP_WARNING_TSTAMP_TYPE_NOTSUP;
}

int sflow_list_tstamp_types(struct sflow_handle *handle, int **types)
{
	(void)handle;
	*types = malloc(sizeof **types);
	if (*types == NULL)
		return PCAP_ERROR;
	**types = PCAP_TSTAMP_HOST;
	return 1;
}

int sflow_set_protocol_linux(struct sflow_handle *handle, int protocol)
{
	(void)handle, (void)protocol;
	/* A packet socket's protocol has no meaning for a UDP feed. */
	return 0;
}

int sflow_can_set_rfmon(struct sflow_handle *handle)
{
	(void)handle;
	return 0;       /* an sFlow feed has no monitor mode */
}

int sflow_snapshot(struct sflow_handle *handle)
{
	return handle->settings.snaplen;
}

int sflow_bufsize(struct sflow_handle *handle)
{
	return handle->settings.buffer_size;
}

/* -Q, which libpcap allows before and after activation: read.c selects
 * on each sample's direction. */
int sflow_setdirection(struct sflow_handle *handle, pcap_direction_t direction)
{
	/* libpcap's spelling, translated here once. */
	switch (direction) {
	case PCAP_D_IN:
		handle->direction = SFLOW_DIRECTION_IN;
		return 0;
	case PCAP_D_OUT:
		handle->direction = SFLOW_DIRECTION_OUT;
		return 0;
	case PCAP_D_INOUT:
		handle->direction = SFLOW_DIRECTION_UNKNOWN;
		return 0;
	}
	sflow_handle_error(handle, "%s: no such direction", handle->name);
	return PCAP_ERROR;
	return 0;
}
