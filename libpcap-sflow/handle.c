/* SPDX-License-Identifier: BSD-3-Clause */
/* The registry of our handles, their error messages, and the one rule of
 * what a handle allows before and after activation. */
#include <config.h>
#include "handle.h"

#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "real_pcap.h"
#include "sizes.h"

/* Handles are few (one per capture); a fixed table keeps the lookup
 * lock-free, which pcap_breakloop needs inside a signal handler. */
#define MAX_HANDLES 64

static _Atomic(struct sflow_handle *) registry[MAX_HANDLES];

struct sflow_handle *sflow_handle_find(const pcap_t *pcap)
{
	if (pcap == NULL)
		return NULL;
	for (unsigned i = 0; i < MAX_HANDLES; i++) {
		struct sflow_handle *handle = atomic_load(&registry[i]);
		if (handle != NULL && handle->pcap == pcap)
			return handle;
	}
	return NULL;
}

struct sflow_handle *sflow_handle_new(const char *name, char *errbuf)
{
	struct sflow_handle *handle = calloc(1, sizeof *handle);
	if (handle == NULL) {
		snprintf(errbuf, PCAP_ERRBUF_SIZE, "%s: out of memory", name);
		return NULL;
	}
	handle->source.fd = handle->source.wake_fd = -1;
	handle->source.select_fd = handle->source.pending_fd = -1;
	snprintf(handle->name, sizeof handle->name, "%s", name);
	handle->pcap = pcap_open_dead(DLT_EN10MB, SFLOW_DEFAULT_SNAPLEN);
	if (handle->pcap == NULL) {
		snprintf(errbuf, PCAP_ERRBUF_SIZE, "%s: pcap_open_dead failed", name);
		free(handle);
		return NULL;
	}
	for (unsigned i = 0; i < MAX_HANDLES; i++) {
		struct sflow_handle *empty = NULL;
		if (atomic_compare_exchange_strong(&registry[i], &empty, handle))
			return handle;
	}
	snprintf(errbuf, PCAP_ERRBUF_SIZE, "%s: too many sflow captures open (at most %d)",
		 name, MAX_HANDLES);
	real_pcap_close(handle->pcap);
	free(handle);
	return NULL;
}

void sflow_handle_free(struct sflow_handle *handle)
{
	for (unsigned i = 0; i < MAX_HANDLES; i++) {
		struct sflow_handle *expected = handle;
		atomic_compare_exchange_strong(&registry[i], &expected, NULL);
	}
	sflow_source_close(&handle->source);
	sflow_forward_close(&handle->forward);
	sflow_batch_free(handle->batch);
	free(handle->queue.packets);
	free(handle->assembly);
	sflow_loss_free(&handle->loss);
	free(handle->filter.bf_insns);
	if (handle->shape != NULL)
		real_pcap_close(handle->shape);
	real_pcap_close(handle->pcap);
	free(handle);
}

void sflow_handle_error(struct sflow_handle *handle, const char *format, ...)
{
	va_list args;
	va_start(args, format);
	/* pcap_geterr hands out the dead pcap_t's own error buffer. */
	vsnprintf(pcap_geterr(handle->pcap), PCAP_ERRBUF_SIZE, format, args);
	va_end(args);
}

int sflow_handle_state_error(struct sflow_handle *handle, enum sflow_state wanted)
{
	if (wanted == SFLOW_BEFORE_ACTIVATION && handle->activated) {
		sflow_handle_error(handle, "%s: can't change this setting after activation",
				   handle->name);
		return PCAP_ERROR_ACTIVATED;
	}
	if (wanted == SFLOW_AFTER_ACTIVATION && !handle->activated) {
		sflow_handle_error(handle, "%s: this handle hasn't been activated yet",
				   handle->name);
		return PCAP_ERROR_NOT_ACTIVATED;
	}
	return 0;
}
