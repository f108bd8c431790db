/* SPDX-License-Identifier: BSD-3-Clause */
/* Forwarding the feed on: sendmmsg of each received batch to each target. */
#include <config.h>
#include "forward.h"

#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int connect_target(const struct sflow_endpoint *target, int *error_number)
{
	struct sockaddr_in6 address6 = { .sin6_family = AF_INET6, .sin6_port = htons(target->port) };
	struct sockaddr_in address4 = { .sin_family = AF_INET, .sin_port = htons(target->port) };
	int ipv6 = target->address.family == 6;
	int fd = socket(ipv6 ? AF_INET6 : AF_INET, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);

	if (fd < 0) {
		*error_number = errno;
		return -1;
	}
	memcpy(&address6.sin6_addr, target->address.bytes, 16);
	memcpy(&address4.sin_addr, target->address.bytes, 4);
	/* Connected: the kernel routes once, and reports a collector that is
	 * not listening (ICMP port unreachable) as a send error we count. */
	if (connect(fd, ipv6 ? (struct sockaddr *)&address6 : (struct sockaddr *)&address4,
		    ipv6 ? sizeof address6 : sizeof address4) < 0) {
		*error_number = errno;
		close(fd);
		return -1;
	}
	return fd;
}

int sflow_forward_open(struct sflow_forward *forward, const struct sflow_device *device,
		       unsigned batch_capacity, const char *name, char *error, size_t error_size)
{
	memset(forward, 0, sizeof *forward);
	if (device->forward_count == 0)
		return 0;
	forward->capacity = batch_capacity;
	forward->messages = calloc(batch_capacity, sizeof *forward->messages);
	forward->vectors = calloc(batch_capacity, sizeof *forward->vectors);
	if (forward->messages == NULL || forward->vectors == NULL) {
		snprintf(error, error_size, "%s: out of memory", name);
		sflow_forward_close(forward);
		return -1;
	}
	for (unsigned i = 0; i < device->forward_count; i++) {
		int error_number = 0;
		int fd = connect_target(&device->forwards[i], &error_number);
		if (fd < 0) {
			snprintf(error, error_size,
				 "%s: cannot forward to target %u (port %u): %s; give an address "
				 "this host can reach", name, i + 1, device->forwards[i].port,
				 strerror(error_number));
			sflow_forward_close(forward);
			return -1;
		}
		forward->fds[forward->count++] = fd;
	}
	return 0;
}

void sflow_forward_close(struct sflow_forward *forward)
{
	/* Only the first count descriptors are open: a zeroed struct holds none. */
	for (unsigned i = 0; i < forward->count; i++)
		close(forward->fds[i]);
	free(forward->messages);
	free(forward->vectors);
	forward->messages = NULL;
	forward->vectors = NULL;
	forward->count = 0;
}

/* Sends messages[0 .. total-1] on fd; returns how many were not sent.
 * A failing datagram is skipped (each call either sends one or more, or
 * fails one), so the loop ends after at most total calls. */
static uint64_t send_all(int fd, struct mmsghdr *messages, unsigned total)
{
	uint64_t failed = 0;
	unsigned sent = 0;

	while (sent < total) {
		int result = sendmmsg(fd, messages + sent, total - sent, MSG_DONTWAIT);
		if (result > 0) {
			sent += (unsigned)result;
		} else if (result < 0 && errno == EINTR) {
			continue;
		} else if (result < 0 && (errno == EAGAIN || errno == EWOULDBLOCK ||
					  errno == ENOBUFS)) {
			/* The socket is full: the rest would wait, and we never do. */
			failed += total - sent;
			break;
		} else {
			failed++;
			sent++;
		}
	}
	return failed;
}

uint64_t sflow_forward_batch(struct sflow_forward *forward, const struct sflow_batch *batch)
{
	unsigned total = batch->count < forward->capacity ? batch->count : forward->capacity;
	uint64_t failed = 0;

	if (forward->count == 0 || total == 0)
		return 0;
	for (unsigned i = 0; i < total; i++) {
		const uint8_t *data;
		size_t length;
		struct timespec unused;
		sflow_batch_datagram(batch, i, &data, &length, &unused);
		forward->vectors[i].iov_base = (void *)data;
		forward->vectors[i].iov_len = length;
		forward->messages[i].msg_hdr = (struct msghdr){
			.msg_iov = &forward->vectors[i],
			.msg_iovlen = 1,
		};
	}
	for (unsigned t = 0; t < forward->count; t++)
		failed += send_all(forward->fds[t], forward->messages, total);
	/* Datagrams beyond our capacity (none: it is the batch's). */
	failed += (uint64_t)(batch->count - total) * forward->count;
	return failed;
}
