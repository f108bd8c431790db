/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The UDP output: one socket connected to HOST:PORT. Datagrams go out in
 * batches of sendmmsg() as fast as possible, or one at a time at a given
 * rate. A port unreachable reported back is counted, not fatal.
 *
 * Use: output_init(); per datagram output_slot(), write it there,
 * output_commit(); output_flush() at the end; output_close().
 */
#ifndef SENDER_OUTPUT_H
#define SENDER_OUTPUT_H

#ifndef _GNU_SOURCE
#error "include <config.h> (which defines _GNU_SOURCE) first: struct mmsghdr needs it"
#endif
#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

#define OUTPUT_BATCH 64 /* datagrams per sendmmsg() */

struct output {
	int fd;
	const char *dest;
	uint64_t interval_ns;  /* 0: as fast as possible, in batches */
	uint64_t deadline_ns;  /* of the next paced datagram; 0 = now */
	size_t slot_size;
	uint8_t *slots;        /* OUTPUT_BATCH buffers of slot_size bytes */
	struct mmsghdr msgs[OUTPUT_BATCH];
	struct iovec iov[OUTPUT_BATCH];
	uint32_t slot_samples[OUTPUT_BATCH];
	unsigned queued;
	uint64_t datagrams, samples, refused; /* the totals so far */
};

/* Connects to dest, HOST:PORT or [IPv6]:PORT, for datagrams of at most
 * slot_size bytes, rate a second (0: no limit). Exits on any error. */
void output_init(struct output *o, const char *dest, uint32_t rate,
		 size_t slot_size);

/* The buffer for the next datagram. When paced, waits for its deadline
 * first, so that the datagram is built (uptime stamped) just in time. */
uint8_t *output_slot(struct output *o);

/* Queues the datagram of len bytes, carrying samples samples, built in
 * the last output_slot(); sends when the batch is full or when paced. */
void output_commit(struct output *o, size_t len, uint32_t samples);

/* Sends all the queued datagrams. */
void output_flush(struct output *o);

/* Closes the socket and frees the buffers; the totals stay. */
void output_close(struct output *o);

#endif
