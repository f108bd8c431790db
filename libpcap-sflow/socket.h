/* SPDX-License-Identifier: BSD-3-Clause */
/* The UDP side: one socket bound to the sFlow port, datagrams received in
 * batches with their kernel receive times, and a wake-up for breakloop. */
#ifndef SFLOW_SOCKET_H
#define SFLOW_SOCKET_H

#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>
#include <time.h>

#include "device.h"

struct sflow_socket {
	int fd;
	int wake_fd;            /* eventfd: pcap_breakloop wakes a blocked read */
	uint32_t kernel_drops;  /* SO_RXQ_OVFL: datagrams the socket dropped */
	/* For programs that select() before each read: an epoll descriptor
	 * readable when the socket is, or when decoded packets are still
	 * waiting in user space (pending_fd), made only when asked for. */
	int select_fd;
	int pending_fd;
	int pending;
};

/* A batch of datagrams filled by one recvmmsg; slot i stays valid until the
 * next receive into the same batch. */
struct sflow_batch {
	unsigned capacity;
	unsigned count;         /* datagrams received */
	unsigned next;          /* next one to decode */
	size_t slot_size;
	uint8_t *slots;
	struct mmsghdr *messages;
	struct iovec *vectors;
	uint8_t *controls;
	struct timespec *times; /* each datagram's receive time, from its controls */
};

/* Binds UDP port on address, or on every IPv6 and IPv4 address when address
 * is NULL. Returns 0, or -1 with a one-line message for the user in error.
 * receive_buffer 0 keeps the default. */
int sflow_socket_open(struct sflow_socket *sock, const char *name,
		      const struct sflow_ip *address, uint16_t port,
		      int receive_buffer, char *error, size_t error_size);
void sflow_socket_close(struct sflow_socket *sock);

/* Waits until a datagram is ready (1), timeout_ms passed (0; negative waits
 * forever), or a wake-up or signal came (-1 with errno EINTR). */
int sflow_socket_wait(struct sflow_socket *sock, int timeout_ms);
/* Sleeps microseconds while datagrams queue up on the socket: 0, or -1
 * with errno EINTR when a wake-up or signal came. */
int sflow_socket_pause(struct sflow_socket *sock, long microseconds);
/* Async-signal-safe: ends a wait or pause in progress, or the next one. */
void sflow_socket_wake(struct sflow_socket *sock);

/* The descriptor a program may select() on; -1 with errno on failure. */
int sflow_socket_selectable(struct sflow_socket *sock);
/* Tells the selectable descriptor whether packets wait in user space. */
void sflow_socket_set_pending(struct sflow_socket *sock, int pending);

struct sflow_batch *sflow_batch_new(unsigned capacity, size_t slot_size);
void sflow_batch_free(struct sflow_batch *batch);
/* Receives what is queued on the socket without blocking, after the
 * datagrams the batch holds already, as far as it has room: returns the
 * count added (0 when none), or -1 with errno set. */
int sflow_socket_receive(struct sflow_socket *sock, struct sflow_batch *batch);
/* Empties the batch: its slots may be received into again. */
void sflow_batch_reset(struct sflow_batch *batch);
/* Datagram i of the batch: its bytes, length and kernel receive time.
 * Returns nonzero when the datagram was cut to fit its slot. */
int sflow_batch_datagram(const struct sflow_batch *batch, unsigned i,
			  const uint8_t **data, size_t *length, struct timespec *time);

#endif
