/* SPDX-License-Identifier: BSD-3-Clause */
/* What every source shares: the batch, the wake-up, waiting, and the
 * descriptor a program selects on; and the choice of source (source.h). */
#include <config.h>
#include "source.h"
#include "sizes.h"

#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <unistd.h>

/* Under AddressSanitizer the unused tail of each slot is poisoned, so a
 * read past a datagram is reported even though slots share one block. */
#if defined(__SANITIZE_ADDRESS__)
#include <sanitizer/asan_interface.h>
#define POISON(address, size) ASAN_POISON_MEMORY_REGION(address, size)
#define UNPOISON(address, size) ASAN_UNPOISON_MEMORY_REGION(address, size)
#else
#define POISON(address, size) ((void)(address), (void)(size))
#define UNPOISON(address, size) ((void)(address), (void)(size))
#endif

struct sflow_batch *sflow_batch_new(unsigned capacity, size_t slot_size)
{
	struct sflow_batch *batch = calloc(1, sizeof *batch);
	if (batch == NULL)
		return NULL;
	batch->capacity = capacity;
	batch->slot_size = slot_size;
	batch->slots = malloc(capacity * slot_size);
	batch->lengths = calloc(capacity, sizeof *batch->lengths);
	batch->truncated = calloc(capacity, sizeof *batch->truncated);
	batch->times = calloc(capacity, sizeof *batch->times);
	batch->origins = calloc(capacity, sizeof *batch->origins);
	if (!batch->slots || !batch->lengths || !batch->truncated || !batch->times ||
	    !batch->origins) {
		sflow_batch_free(batch);
		return NULL;
	}
	return batch;
}

void sflow_batch_free(struct sflow_batch *batch)
{
	if (batch == NULL)
		return;
	UNPOISON(batch->slots, batch->capacity * batch->slot_size);
	free(batch->slots);
	free(batch->lengths);
	free(batch->truncated);
	free(batch->times);
	free(batch->origins);
	free(batch);
}

void sflow_batch_reset(struct sflow_batch *batch)
{
	batch->count = batch->next = 0;
}

uint8_t *sflow_batch_slot(struct sflow_batch *batch, unsigned i)
{
	uint8_t *slot = batch->slots + i * batch->slot_size;
	UNPOISON(slot, batch->slot_size);
	return slot;
}

void sflow_batch_filled(struct sflow_batch *batch, size_t length, int truncated,
			const struct timespec *time, const struct sflow_endpoint *origin)
{
	unsigned i = batch->count++;
	if (length > batch->slot_size) {
		length = batch->slot_size;
		truncated = 1;
	}
	if (length < batch->slot_size)
		POISON(batch->slots + i * batch->slot_size + length, batch->slot_size - length);
	batch->lengths[i] = length;
	batch->truncated[i] = truncated != 0;
	batch->times[i] = *time;
	batch->origins[i] = *origin;
}

int sflow_batch_datagram(const struct sflow_batch *batch, unsigned i,
			 const uint8_t **data, size_t *length, struct timespec *time)
{
	*data = batch->slots + i * batch->slot_size;
	*length = batch->lengths[i];
	*time = batch->times[i];
	return batch->truncated[i];
}

int sflow_source_open(struct sflow_source *source, const struct sflow_device *device,
		      const char *name, int receive_buffer, char *error, size_t error_size)
{
	memset(source, 0, sizeof *source);
	source->fd = source->wake_fd = source->select_fd = source->pending_fd = -1;
	source->kind = device->sniff[0] ? SFLOW_SOURCE_SNIFF
		       : device->file[0] ? SFLOW_SOURCE_FILE : SFLOW_SOURCE_SOCKET;
	int opened = source->kind == SFLOW_SOURCE_SOCKET
		     ? sflow_socket_source_open(source, device, name, receive_buffer,
						SFLOW_BATCH_DATAGRAMS, error, error_size)
		     : sflow_pcap_source_open(source, device, name, receive_buffer,
					      error, error_size);
	if (opened < 0) {
		sflow_source_close(source);
		return -1;
	}
	source->wake_fd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
	if (source->wake_fd < 0) {
		snprintf(error, error_size, "%s: eventfd: %s", name, strerror(errno));
		sflow_source_close(source);
		return -1;
	}
	return 0;
}

void sflow_source_close(struct sflow_source *source)
{
	if (source->kind == SFLOW_SOURCE_SOCKET)
		sflow_socket_source_close(source);
	else
		sflow_pcap_source_close(source);
	if (source->wake_fd >= 0)
		close(source->wake_fd);
	if (source->select_fd >= 0)
		close(source->select_fd);
	if (source->pending_fd >= 0)
		close(source->pending_fd);
	source->fd = source->wake_fd = source->select_fd = source->pending_fd = -1;
}

int sflow_source_receive(struct sflow_source *source, struct sflow_batch *batch,
			 struct sflow_source_counters *counters, char *error, size_t error_size)
{
	if (batch->count == batch->capacity)
		return 0;
	if (source->kind == SFLOW_SOURCE_SOCKET) {
		int received = sflow_socket_source_receive(source, batch);
		if (received < 0)
			snprintf(error, error_size, "recvmmsg: %s", strerror(errno));
		return received;
	}
	return sflow_pcap_source_receive(source, batch, counters, error, error_size);
}

int sflow_source_ended(const struct sflow_source *source)
{
	return source->ended;
}

/* Drains a wake-up and reports it as an interruption. */
static int woken(struct sflow_source *source)
{
	uint64_t value;
	if (read(source->wake_fd, &value, sizeof value) < 0) {
		/* Nothing to drain: another reader took it. */
	}
	errno = EINTR;
	return -1;
}

int sflow_source_wait(struct sflow_source *source, int timeout_ms)
{
	/* A file is always ready: to its end, then to report it. */
	if (source->kind == SFLOW_SOURCE_FILE)
		return 1;
	struct pollfd fds[2] = {
		{ .fd = source->fd, .events = POLLIN },
		{ .fd = source->wake_fd, .events = POLLIN },
	};
	int ready = poll(fds, 2, timeout_ms);
	if (ready < 0)
		return -1;
	if (fds[1].revents & POLLIN)
		return woken(source);
	return ready > 0;
}

int sflow_source_pause(struct sflow_source *source, long microseconds)
{
	if (source->kind == SFLOW_SOURCE_FILE)
		return 0;
	/* Only the wake-up descriptor is watched: datagrams may arrive
	 * meanwhile, which is the point. */
	struct pollfd wake = { .fd = source->wake_fd, .events = POLLIN };
	struct timespec pause = { microseconds / 1000000, microseconds % 1000000 * 1000 };
	int ready = ppoll(&wake, 1, &pause, NULL);
	if (ready < 0)
		return -1;
	if (ready > 0)
		return woken(source);
	return 0;
}

void sflow_source_wake(struct sflow_source *source)
{
	uint64_t one = 1;
	if (source->wake_fd >= 0 && write(source->wake_fd, &one, sizeof one) < 0) {
		/* The counter is saturated: a wake-up is pending already. */
	}
}

static int watch(int epoll_fd, int fd)
{
	struct epoll_event event = { .events = EPOLLIN, .data.fd = fd };
	return epoll_ctl(epoll_fd, EPOLL_CTL_ADD, fd, &event);
}

int sflow_source_selectable(struct sflow_source *source)
{
	if (source->select_fd >= 0)
		return source->select_fd;
	source->pending_fd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
	source->select_fd = epoll_create1(EPOLL_CLOEXEC);
	/* A file has no descriptor worth watching: it is always readable, so
	 * its pending descriptor stays set (below). */
	if (source->pending_fd < 0 || source->select_fd < 0 ||
	    (source->kind != SFLOW_SOURCE_FILE && watch(source->select_fd, source->fd) < 0) ||
	    watch(source->select_fd, source->pending_fd) < 0) {
		if (source->select_fd >= 0)
			close(source->select_fd);
		if (source->pending_fd >= 0)
			close(source->pending_fd);
		source->select_fd = source->pending_fd = -1;
		return -1;
	}
	if (source->pending || source->kind == SFLOW_SOURCE_FILE) {
		uint64_t one = 1;
		if (write(source->pending_fd, &one, sizeof one) < 0) {
			/* Already set. */
		}
		source->pending = 1;
	}
	return source->select_fd;
}

void sflow_source_set_pending(struct sflow_source *source, int pending)
{
	uint64_t value = 1;

	if (source->kind == SFLOW_SOURCE_FILE)
		return;         /* always readable, to its end and past it */
	if (source->pending_fd >= 0 && pending && !source->pending) {
		if (write(source->pending_fd, &value, sizeof value) < 0)
			return;
	} else if (source->pending_fd >= 0 && !pending && source->pending) {
		if (read(source->pending_fd, &value, sizeof value) < 0)
			return;
	}
	source->pending = pending;
}

uint64_t sflow_source_drops(struct sflow_source *source)
{
	return source->drops;
}
