/* SPDX-License-Identifier: BSD-3-Clause */
/* pcapng blocks (draft-ietf-opsawg-pcapng), in host byte order as the
 * format allows: the section header's byte-order magic tells readers. */
#include <config.h>
#include "pcapng.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define BLOCK_SHB 0x0A0D0D0Au
#define BLOCK_IDB 1u
#define BLOCK_ISB 5u
#define BLOCK_EPB 6u
#define BYTE_ORDER_MAGIC 0x1A2B3C4Du

#define OPT_END 0
#define OPT_COMMENT 1
#define SHB_USERAPPL 4
#define IF_NAME 2
#define IF_DESCRIPTION 3
#define IF_TSRESOL 9
#define IF_FILTER 11
#define EPB_FLAGS 2
#define ISB_ENDTIME 3
#define ISB_IFRECV 4
#define ISB_IFDROP 5
#define ISB_OSDROP 7

/* An option's value is at most this long (its length field is 16 bits). */
#define OPTION_MAX UINT16_MAX

int pcapng_writer_init(struct pcapng_writer *writer, int fd, size_t capacity)
{
	memset(writer, 0, sizeof *writer);
	writer->fd = fd;
	writer->buffer = malloc(capacity);
	if (writer->buffer == NULL)
		return -1;
	writer->capacity = capacity;
	return 0;
}

void pcapng_writer_free(struct pcapng_writer *writer)
{
	free(writer->buffer);
	writer->buffer = NULL;
	writer->capacity = writer->length = 0;
}

static int fail(struct pcapng_writer *writer, int error)
{
	if (writer->error == 0)
		writer->error = error;
	return -1;
}

int pcapng_flush(struct pcapng_writer *writer)
{
	size_t written = 0;
	if (writer->error != 0)
		return -1;
	while (written < writer->length) {
		ssize_t n = write(writer->fd, writer->buffer + written, writer->length - written);
		/* EINTR too is a failure: the signal that interrupts a write
		 * blocked on a reader that does not read is the one that stops
		 * the writer (the extcap's SIGTERM). */
		if (n < 0)
			return fail(writer, errno);
		written += (size_t)n;
	}
	writer->length = 0;
	return 0;
}

static size_t padded(size_t length)
{
	return (length + 3) & ~(size_t)3;
}

/* The bytes an option with a value of length bytes takes. */
static size_t option_size(size_t length)
{
	return 4 + padded(length > OPTION_MAX ? OPTION_MAX : length);
}

/* Room for a block of at most size bytes at the buffer's end, flushing
 * what is there if need be; NULL once the writer failed. */
static uint8_t *room(struct pcapng_writer *writer, size_t size)
{
	if (writer->error != 0)
		return NULL;
	if (writer->capacity - writer->length < size) {
		if (pcapng_flush(writer) < 0)
			return NULL;
		if (size > writer->capacity) {
			uint8_t *buffer = realloc(writer->buffer, size);
			if (buffer == NULL) {
				fail(writer, ENOMEM);
				return NULL;
			}
			writer->buffer = buffer;
			writer->capacity = size;
		}
	}
	return writer->buffer + writer->length;
}

static uint8_t *put32(uint8_t *at, uint32_t value)
{
	memcpy(at, &value, sizeof value);
	return at + sizeof value;
}

/* length bytes, then zeros to the next multiple of 4. */
static uint8_t *put_padded(uint8_t *at, const void *data, size_t length)
{
	if (length > 0)         /* an empty value has no data, maybe no pointer */
		memcpy(at, data, length);
	at += length;
	/* 0 to 3 bytes: cheaper inline than a call to memset. */
	for (; (length & 3) != 0; length++)
		*at++ = 0;
	return at;
}

static uint8_t *put_option(uint8_t *at, uint16_t code, const void *data, size_t length)
{
	if (length > OPTION_MAX)
		length = OPTION_MAX;
	uint16_t header[2] = { code, (uint16_t)length };
	memcpy(at, header, sizeof header);
	return put_padded(at + sizeof header, data, length);
}

/* Starts a block at at: its type and a placeholder for its length. */
static uint8_t *begin(uint8_t *at, uint32_t type)
{
	return put32(put32(at, type), 0);
}

/* Ends the block that starts at start and whose options end at at: the
 * end of options, the length at both ends; the block joins the buffer. */
static int finish(struct pcapng_writer *writer, uint8_t *start, uint8_t *at)
{
	at = put_option(at, OPT_END, NULL, 0);
	uint32_t total = (uint32_t)(at + 4 - start);
	memcpy(start + 4, &total, sizeof total);
	put32(at, total);
	writer->length += total;
	return 0;
}

/* The fixed parts of a block: type, length, options' end, length. */
#define BLOCK_FRAME (4 + 4 + 4 + 4)

static size_t string_option_size(const char *text)
{
	return text != NULL && *text != '\0' ? option_size(strlen(text)) : 0;
}

static uint8_t *put_string_option(uint8_t *at, uint16_t code, const char *text)
{
	return text != NULL && *text != '\0' ? put_option(at, code, text, strlen(text)) : at;
}

int pcapng_write_header(struct pcapng_writer *writer, const char *application,
			const struct pcapng_interface *interface)
{
	uint16_t version[2] = { 1, 0 };
	int64_t section_length = -1;    /* unknown: a stream */
	uint8_t *start = room(writer, BLOCK_FRAME + 4 + sizeof version + sizeof section_length +
					      string_option_size(application));
	if (start == NULL)
		return -1;
	uint8_t *at = begin(start, BLOCK_SHB);
	at = put32(at, BYTE_ORDER_MAGIC);
	at = put_padded(at, version, sizeof version);
	at = put_padded(at, &section_length, sizeof section_length);
	at = put_string_option(at, SHB_USERAPPL, application);
	finish(writer, start, at);
	return pcapng_write_interface(writer, interface);
}

int pcapng_write_interface(struct pcapng_writer *writer, const struct pcapng_interface *interface)
{
	uint16_t linktype_reserved[2] = { (uint16_t)interface->linktype, 0 };
	uint8_t nanoseconds = 9;
	const char *filter = interface->filter;
	size_t filter_length = filter != NULL ? strlen(filter) : 0;
	uint8_t *start = room(writer, BLOCK_FRAME + 8 + string_option_size(interface->name) +
					      string_option_size(interface->description) +
					      option_size(1) +
					      (filter_length > 0 ? option_size(1 + filter_length) : 0));
	if (start == NULL)
		return -1;
	uint8_t *at = begin(start, BLOCK_IDB);
	at = put_padded(at, linktype_reserved, sizeof linktype_reserved);
	at = put32(at, interface->snaplen);
	at = put_string_option(at, IF_NAME, interface->name);
	at = put_string_option(at, IF_DESCRIPTION, interface->description);
	at = put_option(at, IF_TSRESOL, &nanoseconds, 1);
	if (filter_length > 0) {
		/* if_filter: a first byte of 0 says "libpcap filter string",
		 * the string follows. */
		size_t length = 1 + filter_length > OPTION_MAX ? OPTION_MAX : 1 + filter_length;
		uint16_t header[2] = { IF_FILTER, (uint16_t)length };
		memcpy(at, header, sizeof header);
		at += sizeof header;
		at[0] = 0;
		memcpy(at + 1, filter, length - 1);
		for (size_t i = length; (i & 3) != 0; i++)
			at[i] = 0;
		at += padded(length);
	}
	return finish(writer, start, at);
}

int pcapng_write_packet(struct pcapng_writer *writer, const struct pcapng_packet *packet)
{
	uint32_t flags = packet->direction & 3;
	size_t comment_length = packet->comment != NULL ? packet->comment_length : 0;
	/* Exact, not a bound: a packet is the one block per sample. */
	uint8_t *start = room(writer, BLOCK_FRAME + 20 + padded(packet->caplen) +
					      (flags != 0 ? option_size(sizeof flags) : 0) +
					      (comment_length > 0 ? option_size(comment_length) : 0));
	if (start == NULL)
		return -1;
	uint8_t *at = begin(start, BLOCK_EPB);
	at = put32(at, packet->interface_id);
	at = put32(at, (uint32_t)(packet->time_ns >> 32));
	at = put32(at, (uint32_t)packet->time_ns);
	at = put32(at, packet->caplen);
	at = put32(at, packet->len);
	at = put_padded(at, packet->data, packet->caplen);
	if (flags != 0)
		at = put_option(at, EPB_FLAGS, &flags, sizeof flags);
	if (comment_length > 0)
		at = put_option(at, OPT_COMMENT, packet->comment, comment_length);
	return finish(writer, start, at);
}

int pcapng_write_statistics(struct pcapng_writer *writer,
			    const struct pcapng_statistics *statistics)
{
	uint64_t end = statistics->time_ns;
	uint32_t end_words[2] = { (uint32_t)(end >> 32), (uint32_t)end };
	uint8_t *start = room(writer, BLOCK_FRAME + 12 + option_size(sizeof end_words) +
					      3 * option_size(sizeof(uint64_t)));
	if (start == NULL)
		return -1;
	uint8_t *at = begin(start, BLOCK_ISB);
	at = put32(at, 0);              /* interface 0 */
	at = put32(at, end_words[0]);
	at = put32(at, end_words[1]);
	at = put_option(at, ISB_ENDTIME, end_words, sizeof end_words);
	at = put_option(at, ISB_IFRECV, &statistics->received, sizeof statistics->received);
	at = put_option(at, ISB_IFDROP, &statistics->dropped, sizeof statistics->dropped);
	at = put_option(at, ISB_OSDROP, &statistics->os_dropped, sizeof statistics->os_dropped);
	return finish(writer, start, at);
}
