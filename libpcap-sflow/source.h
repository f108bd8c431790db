/* SPDX-License-Identifier: BSD-3-Clause */
/* Where datagrams come from: one small interface over three sources, so the
 * read path never learns which one it reads.
 *  - the socket bound to the port (the default, source_socket.c);
 *  - sniff=IFACE: the interface's traffic through the real libpcap, the
 *    port left to whoever has bound it (source_pcap.c);
 *  - file=PATH: a saved pcap or pcapng capture, read to its end
 *    (source_pcap.c).
 * Each source fills a batch of datagrams, each with its bytes, its time
 * and its origin; each keeps its own drop count. */
#ifndef SFLOW_SOURCE_H
#define SFLOW_SOURCE_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "counters.h"
#include "device.h"

/* A batch of datagrams; slot i stays valid until the batch is reset. */
struct sflow_batch {
	unsigned capacity;
	unsigned count;                 /* datagrams received */
	unsigned next;                  /* next one to decode */
	size_t slot_size;
	uint8_t *slots;                 /* capacity slots of slot_size bytes */
	size_t *lengths;                /* each datagram's length in its slot */
	uint8_t *truncated;             /* nonzero: the datagram was longer than we hold */
	struct timespec *times;         /* each datagram's receive (or saved) time */
	struct sflow_endpoint *origins; /* each datagram's sender */
};

struct sflow_batch *sflow_batch_new(unsigned capacity, size_t slot_size);
void sflow_batch_free(struct sflow_batch *batch);
/* Empties the batch: its slots may be received into again. */
void sflow_batch_reset(struct sflow_batch *batch);
/* Datagram i of the batch: its bytes, length and time. Returns nonzero
 * when the datagram was cut (to fit its slot, or by a capture's snap
 * length). */
int sflow_batch_datagram(const struct sflow_batch *batch, unsigned i,
			 const uint8_t **data, size_t *length, struct timespec *time);
/* The next free slot, and marking it filled (for the sources). */
uint8_t *sflow_batch_slot(struct sflow_batch *batch, unsigned i);
void sflow_batch_filled(struct sflow_batch *batch, size_t length, int truncated,
			const struct timespec *time, const struct sflow_endpoint *origin);

enum sflow_source_kind {
	SFLOW_SOURCE_SOCKET = 0,
	SFLOW_SOURCE_SNIFF,
	SFLOW_SOURCE_FILE,
};

struct sflow_socket_source;
struct sflow_pcap_source;

struct sflow_source {
	enum sflow_source_kind kind;
	int fd;                 /* what a wait polls: the socket, or the capture's */
	int wake_fd;            /* eventfd: pcap_breakloop wakes a blocked read */
	uint64_t drops;         /* datagrams the source itself dropped */
	int ended;              /* file=: nothing more will come */
	/* For programs that select() before each read: an epoll descriptor
	 * readable when the source is, or when decoded packets are still
	 * waiting in user space (pending_fd), made only when asked for. */
	int select_fd;
	int pending_fd;
	int pending;
	struct sflow_socket_source *socket;     /* the default source */
	struct sflow_pcap_source *capture;      /* sniff= and file= */
};

/* Opens the source the device names (ADDRESS:PORT, sniff=, file=).
 * receive_buffer 0 keeps the default. Returns 0, or -1 with a one-line
 * message for the user in error. */
int sflow_source_open(struct sflow_source *source, const struct sflow_device *device,
		      const char *name, int receive_buffer, char *error, size_t error_size);
void sflow_source_close(struct sflow_source *source);

/* Receives what is ready without blocking, after the datagrams the batch
 * holds already, as far as it has room: returns the count added (0 when
 * none), or -1 with a message in error. Frames a capture source passes
 * over are counted in counters. */
int sflow_source_receive(struct sflow_source *source, struct sflow_batch *batch,
			 struct sflow_source_counters *counters, char *error, size_t error_size);
/* True once a file source has been read to its end and its batch given out. */
int sflow_source_ended(const struct sflow_source *source);

/* Waits until a datagram is ready (1), timeout_ms passed (0; negative waits
 * forever), or a wake-up or signal came (-1 with errno EINTR). */
int sflow_source_wait(struct sflow_source *source, int timeout_ms);
/* Sleeps microseconds while datagrams queue up: 0, or -1 with errno EINTR
 * when a wake-up or signal came. A file never needs a pause. */
int sflow_source_pause(struct sflow_source *source, long microseconds);
/* Async-signal-safe: ends a wait or pause in progress, or the next one. */
void sflow_source_wake(struct sflow_source *source);

/* The descriptor a program may select() on; -1 with errno on failure. */
int sflow_source_selectable(struct sflow_source *source);
/* Tells the selectable descriptor whether packets wait in user space. */
void sflow_source_set_pending(struct sflow_source *source, int pending);

/* The source's own running count of datagrams it dropped: the socket's
 * (SO_RXQ_OVFL) or the inner capture's (its ps_drop). */
uint64_t sflow_source_drops(struct sflow_source *source);

/* For the sources' own files. */
int sflow_socket_source_open(struct sflow_source *source, const struct sflow_device *device,
			     const char *name, int receive_buffer, unsigned capacity,
			     char *error, size_t error_size);
int sflow_socket_source_receive(struct sflow_source *source, struct sflow_batch *batch);
void sflow_socket_source_close(struct sflow_source *source);
int sflow_pcap_source_open(struct sflow_source *source, const struct sflow_device *device,
			   const char *name, int receive_buffer, char *error, size_t error_size);
int sflow_pcap_source_receive(struct sflow_source *source, struct sflow_batch *batch,
			      struct sflow_source_counters *counters, char *error, size_t error_size);
void sflow_pcap_source_close(struct sflow_source *source);

#endif
