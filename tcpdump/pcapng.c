/* SPDX-License-Identifier: BSD-3-Clause */
/* pcapng blocks (draft-ietf-opsawg-pcapng), in host byte order as the
 * format allows: the section header's byte-order magic tells readers. */
#include <config.h>
#include "pcapng.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

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

/* A block is assembled in memory, then written with one fwrite into the
 * stream's buffer; the caller flushes (a whole batch at a time). The
 * memory is kept from block to block: a packet then costs no allocation.
 * One writer per process, as the extcap is. */
static uint8_t *assembly;
static size_t assembly_capacity;

struct block {
	uint8_t *bytes;
	size_t length, capacity;
	int failed;
};

/* Room for PADDED more bytes at the block's end; NULL once it failed. */
static uint8_t *reserve(struct block *b, size_t padded)
{
	if (b->failed)
		return NULL;
	if (b->bytes == NULL) {         /* a new block: the kept memory */
		b->bytes = assembly;
		b->capacity = assembly_capacity;
	}
	if (b->length + padded > b->capacity) {
		size_t capacity = (b->length + padded) * 2 + 256;
		uint8_t *bytes = realloc(b->bytes, capacity);
		if (bytes == NULL) {
			b->failed = 1;
			return NULL;
		}
		b->bytes = assembly = bytes;
		b->capacity = assembly_capacity = capacity;
	}
	uint8_t *at = b->bytes + b->length;
	b->length += padded;
	return at;
}

static void append(struct block *b, const void *data, size_t length)
{
	size_t padded = (length + 3) & ~(size_t)3;
	uint8_t *at = reserve(b, padded);
	if (at == NULL)
		return;
	if (length > 0)         /* an empty option has no data, maybe no pointer */
		memcpy(at, data, length);
	/* 0 to 3 bytes of padding: cheaper inline than a call to memset, at
	 * several calls a packet. */
	for (size_t i = length; i < padded; i++)
		at[i] = 0;
}

static void append32(struct block *b, uint32_t value)
{
	uint8_t *at = reserve(b, sizeof value);
	if (at != NULL)
		memcpy(at, &value, sizeof value);
}

static void option(struct block *b, uint16_t code, const void *data, size_t length)
{
	uint16_t header[2] = { code, (uint16_t)length };
	if (length > UINT16_MAX)
		header[1] = UINT16_MAX, length = UINT16_MAX;
	append(b, header, sizeof header);
	append(b, data, length);
}

static void option_string(struct block *b, uint16_t code, const char *text)
{
	if (text != NULL && *text != '\0')
		option(b, code, text, strlen(text));
}

static void option64(struct block *b, uint16_t code, uint64_t value)
{
	option(b, code, &value, sizeof value);
}

/* Starts a block: type and a placeholder for the total length. */
static void begin(struct block *b, uint32_t type)
{
	append32(b, type);
	append32(b, 0);
}

/* Ends the options and the block and writes it (buffered: see above). */
static int finish(FILE *out, struct block *b)
{
	option(b, OPT_END, NULL, 0);
	append32(b, 0);
	int status = -1;
	if (b->failed) {
		errno = ENOMEM;
	} else {
		uint32_t total = (uint32_t)b->length;
		memcpy(b->bytes + 4, &total, 4);
		memcpy(b->bytes + b->length - 4, &total, 4);
		if (fwrite(b->bytes, 1, b->length, out) == b->length)
			status = 0;
	}
	return status;
}

static void timestamp(struct block *b, uint64_t time_ns)
{
	append32(b, (uint32_t)(time_ns >> 32));
	append32(b, (uint32_t)time_ns);
}

int pcapng_write_header(FILE *out, const char *application,
			const struct pcapng_interface *interface)
{
	struct block shb = { 0 };
	uint16_t version[2] = { 1, 0 };
	int64_t section_length = -1;    /* unknown: a stream */

	begin(&shb, BLOCK_SHB);
	append32(&shb, BYTE_ORDER_MAGIC);
	append(&shb, version, sizeof version);
	append(&shb, &section_length, sizeof section_length);
	option_string(&shb, SHB_USERAPPL, application);
	if (finish(out, &shb) < 0)
		return -1;

	return pcapng_write_interface(out, interface);
}

int pcapng_write_interface(FILE *out, const struct pcapng_interface *interface)
{
	struct block idb = { 0 };
	uint16_t linktype_reserved[2] = { (uint16_t)interface->linktype, 0 };
	uint8_t nanoseconds = 9;
	begin(&idb, BLOCK_IDB);
	append(&idb, linktype_reserved, sizeof linktype_reserved);
	append32(&idb, interface->snaplen);
	option_string(&idb, IF_NAME, interface->name);
	option_string(&idb, IF_DESCRIPTION, interface->description);
	option(&idb, IF_TSRESOL, &nanoseconds, 1);
	if (interface->filter != NULL && *interface->filter != '\0') {
		/* if_filter: a first byte of 0 says "libpcap filter string". */
		size_t length = strlen(interface->filter);
		uint8_t *text = malloc(length + 1);
		if (text == NULL) {
			idb.failed = 1;
		} else {
			text[0] = 0;
			memcpy(text + 1, interface->filter, length);
			option(&idb, IF_FILTER, text, length + 1);
			free(text);
		}
	}
	return finish(out, &idb);
}

int pcapng_write_packet(FILE *out, const struct pcapng_packet *packet)
{
	struct block epb = { 0 };
	uint32_t flags = packet->direction & 3;

	begin(&epb, BLOCK_EPB);
	append32(&epb, packet->interface_id);
	timestamp(&epb, packet->time_ns);
	append32(&epb, packet->caplen);
	append32(&epb, packet->len);
	append(&epb, packet->data, packet->caplen);
	if (flags != 0)
		option(&epb, EPB_FLAGS, &flags, sizeof flags);
	option_string(&epb, OPT_COMMENT, packet->comment);
	return finish(out, &epb);
}

int pcapng_write_statistics(FILE *out, const struct pcapng_statistics *statistics)
{
	struct block isb = { 0 };
	uint64_t end = statistics->time_ns;
	uint32_t end_words[2] = { (uint32_t)(end >> 32), (uint32_t)end };

	begin(&isb, BLOCK_ISB);
	append32(&isb, 0);
	timestamp(&isb, statistics->time_ns);
	option(&isb, ISB_ENDTIME, end_words, sizeof end_words);
	option64(&isb, ISB_IFRECV, statistics->received);
	option64(&isb, ISB_IFDROP, statistics->dropped);
	option64(&isb, ISB_OSDROP, statistics->os_dropped);
	return finish(out, &isb);
}
