/* SPDX-License-Identifier: BSD-3-Clause */
/* The shape of what we deliver, kept as a dead pcap_t of the real libpcap
 * (link type, snap length, time stamp precision), so that the real
 * pcap_compile and the real savefile writer see exactly our packets. */
#include <config.h>
#include "module.h"
#include "real_pcap.h"

int sflow_reshape(struct sflow_handle *handle)
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

/* Copies a failure's message from the shape handle to the program's. */
static void copy_shape_error(struct sflow_handle *handle)
{
	sflow_handle_error(handle, "%s", pcap_geterr(handle->shape));
}

int sflow_compile(struct sflow_handle *handle, struct bpf_program *program, const char *text,
		  int optimize, bpf_u_int32 netmask)
{
	int status = real_pcap_compile(handle->shape, program, text, optimize, netmask);
	if (status < 0)
		copy_shape_error(handle);
	return status;
}

#define DUMP_OPEN(operation, real, type) \
	pcap_dumper_t *operation(struct sflow_handle *handle, type target) \
	{ \
		pcap_dumper_t *dumper = real(handle->shape, target); \
		if (dumper == NULL) \
			copy_shape_error(handle); \
		return dumper; \
	}

DUMP_OPEN(sflow_dump_open, real_pcap_dump_open, const char *)
DUMP_OPEN(sflow_dump_open_append, real_pcap_dump_open_append, const char *)
DUMP_OPEN(sflow_dump_fopen, real_pcap_dump_fopen, FILE *)
