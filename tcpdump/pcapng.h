/* SPDX-License-Identifier: BSD-3-Clause */
/* A minimal pcapng writer for a live stream: one section, interfaces
 * (the first with the section header, more at any point after), enhanced
 * packet blocks with flags and a comment, interface statistics blocks.
 * Blocks are laid out in place in the writer's own buffer, which goes to
 * the descriptor only when full or flushed: the caller flushes when a
 * reader must see what was written (the extcap: after each dispatch, so
 * dumpcap gets a batch in a few writes). */
#ifndef SFLOW_PCAPNG_H
#define SFLOW_PCAPNG_H

#include <stddef.h>
#include <stdint.h>

/* epb_flags direction bits (0-1). */
enum { PCAPNG_DIRECTION_UNKNOWN = 0, PCAPNG_DIRECTION_IN = 1, PCAPNG_DIRECTION_OUT = 2 };

struct pcapng_writer {
	int fd;
	uint8_t *buffer;
	size_t length, capacity;
	int error;                      /* errno of the first failure; 0 while none */
};

struct pcapng_interface {
	const char *name;               /* if_name */
	const char *description;        /* if_description */
	const char *filter;             /* if_filter (BPF string), or NULL */
	int linktype;                   /* LINKTYPE_* (= DLT_* for those we use) */
	uint32_t snaplen;
};

struct pcapng_packet {
	uint64_t time_ns;               /* nanoseconds since the epoch */
	uint32_t caplen, len;
	const uint8_t *data;
	uint32_t direction;             /* PCAPNG_DIRECTION_* */
	const char *comment;            /* opt_comment, or NULL */
	size_t comment_length;
	uint32_t interface_id;          /* in the order the interfaces were written */
};

struct pcapng_statistics {
	uint64_t time_ns;
	uint64_t received;              /* isb_ifrecv */
	uint64_t dropped;               /* isb_ifdrop */
	uint64_t os_dropped;            /* isb_osdrop */
};

/* A writer to fd (not closed by pcapng_writer_free) with a buffer of
 * capacity bytes, grown only for a block larger than that. 0, or -1 with
 * errno set. */
int pcapng_writer_init(struct pcapng_writer *writer, int fd, size_t capacity);
void pcapng_writer_free(struct pcapng_writer *writer);

/* Each returns 0, or -1 once the writer failed (writer->error says why:
 * for a fifo, EPIPE once the reader is gone); a failed writer writes
 * nothing more. The header's interface is number 0; each
 * pcapng_write_interface adds the next number. Statistics blocks are for
 * interface 0. */
int pcapng_flush(struct pcapng_writer *writer);
int pcapng_write_header(struct pcapng_writer *writer, const char *application,
			const struct pcapng_interface *interface);
int pcapng_write_interface(struct pcapng_writer *writer, const struct pcapng_interface *interface);
int pcapng_write_packet(struct pcapng_writer *writer, const struct pcapng_packet *packet);
int pcapng_write_statistics(struct pcapng_writer *writer,
			    const struct pcapng_statistics *statistics);

#endif
