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

/* Savefiles are the real libpcap's, opened on the shape handle. */
pcap_dumper_t *sflow_dump_open(struct sflow_handle *handle, const char *file)
{
	pcap_dumper_t *dumper = real_pcap_dump_open(handle->shape, file);
	if (dumper == NULL)
		copy_shape_error(handle);
	return dumper;
}

pcap_dumper_t *sflow_dump_open_append(struct sflow_handle *handle, const char *file)
{
	pcap_dumper_t *dumper = real_pcap_dump_open_append(handle->shape, file);
	if (dumper == NULL)
		copy_shape_error(handle);
	return dumper;
}

pcap_dumper_t *sflow_dump_fopen(struct sflow_handle *handle, FILE *file)
{
	pcap_dumper_t *dumper = real_pcap_dump_fopen(handle->shape, file);
	if (dumper == NULL)
		copy_shape_error(handle);
	return dumper;
}
