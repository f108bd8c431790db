/* SPDX-License-Identifier: BSD-3-Clause */
/* Forwarding: every datagram received is sent on, byte for byte, to each
 * forward= target, so a capture can sit in front of an existing collector.
 * One connected UDP socket per target; a batch goes out with sendmmsg
 * right after it is received, never blocking: what the kernel will not
 * take at once is counted, never waited for. A target that is the capture
 * itself is refused (it would loop). */
#ifndef SFLOW_FORWARD_H
#define SFLOW_FORWARD_H

#include <stddef.h>
#include <stdint.h>

#include "device.h"
#include <sys/socket.h>

#include "source.h"

struct sflow_forward {
	unsigned count;                 /* targets */
	int fds[SFLOW_MAX_FORWARDS];    /* the first count are open */
	unsigned capacity;              /* datagrams per batch */
	struct mmsghdr *messages;
	struct iovec *vectors;
};

/* Opens one socket per target of device. A target where receive_fd (the
 * capture's socket) receives would loop: refused. Returns 0, or -1 with a
 * one-line message in error. Without targets nothing is opened. */
int sflow_forward_open(struct sflow_forward *forward, const struct sflow_device *device,
		       int receive_fd, unsigned batch_capacity, const char *name,
		       char *error, size_t error_size);
void sflow_forward_close(struct sflow_forward *forward);

/* Sends the batch's datagrams to every target, in order. Returns the
 * number of datagram copies the kernel refused at once (counted by the
 * caller as forward_errors): a full socket buffer, or an error an earlier
 * ICMP message left on the socket (a port unreachable comes back for some
 * datagrams, not all). UDP tells the sender nothing else: a copy to a
 * target that is down, or whose buffer is full, counts as sent. */
uint64_t sflow_forward_batch(struct sflow_forward *forward, const struct sflow_batch *batch);

#endif
