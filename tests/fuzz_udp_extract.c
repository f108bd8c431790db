/* SPDX-License-Identifier: BSD-3-Clause */
/* libFuzzer target for the frame-to-datagram extractor and the fragment
 * reassembly. Beyond "no crash" (ASan+UBSan), it checks what
 * udp_extract.h and reassembly.h promise.
 * Frames (first byte below 0x80): the first byte picks a link type, the
 * second whether an address is wanted; a datagram found lies inside the
 * frame (every byte of it is read), and names a sender of family 4 or 6;
 * a fragment lies inside the frame, at an offset that is a multiple of 8.
 * Fragments (first byte 0x80 and up): records of id (1 byte), flags (1:
 * bit 0 more), offset (2), length (2) and that many bytes, into one table;
 * a whole segment is no longer than 65535 and every byte of it is read;
 * fragments dropped never outnumber those given. */
#include "reassembly.h"
#include "udp_extract.h"

#include <pcap/dlt.h>
#include <stdlib.h>
#include <string.h>

static const int linktypes[] = {
	DLT_EN10MB, DLT_LINUX_SLL, DLT_LINUX_SLL2, DLT_RAW, 101, DLT_IPV4, DLT_IPV6,
	DLT_NULL, DLT_LOOP, DLT_IEEE802_11,
};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Every byte handed out is read into this, so ASan checks the whole
 * range and the reads are not optimised out. */
static volatile unsigned touched;

static void fuzz_reassembly(const uint8_t *data, size_t size)
{
	static struct sflow_reassembly table;  /* large: not on the stack */
	uint64_t dropped = 0, given = 0;

	sflow_reassembly_init(&table);
	while (size >= 6) {
		struct sflow_ip_fragment fragment = { .family = 4, .id = data[0], .more = data[1] & 1 };
		fragment.offset = (size_t)(data[2] << 8 | data[3]) * (data[1] & 2 ? 8 : 1);
		size_t length = (size_t)(data[4] << 8 | data[5]);
		data += 6;
		size -= 6;
		if (length > size)
			length = size;
		/* A copy of exactly the piece, so a read past it is ASan's. */
		uint8_t *bytes = malloc(length ? length : 1);
		memcpy(bytes, data, length);
		fragment.data = bytes;
		fragment.length = length;
		data += length;
		size -= length;
		const uint8_t *segment;
		size_t whole;
		given++;
		if (sflow_reassemble(&table, &fragment, &segment, &whole, &dropped) ==
		    SFLOW_REASSEMBLY_COMPLETE) {
			if (whole == 0 || whole > SFLOW_REASSEMBLY_MAX)
				abort();
			for (size_t i = 0; i < whole; i++)
				touched += segment[i];
		}
		free(bytes);
		if (dropped > given)
			abort();
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 2)
		return 0;
	if (data[0] & 0x80) {
		fuzz_reassembly(data + 1, size - 1);
		return 0;
	}
	int linktype = linktypes[data[0] % (sizeof linktypes / sizeof linktypes[0])];
	struct sflow_udp_wanted wanted = { .port = 6343 };
	if (data[1] & 1) {
		wanted.has_address = 1;
		wanted.address.family = data[1] & 2 ? 6 : 4;
		wanted.address.bytes[0] = 192;
	}
	/* A copy of exactly the frame, so a read past it is ASan's to see. */
	size_t length = size - 2;
	uint8_t *frame = malloc(length ? length : 1);
	memcpy(frame, data + 2, length);
	struct sflow_udp_datagram datagram;
	enum sflow_udp_result result = sflow_udp_extract(linktype, frame, length, &wanted,
							  &datagram);
	if (result == SFLOW_UDP_LINKTYPE && sflow_udp_linktype_supported(linktype))
		abort();
	if (result == SFLOW_UDP_FRAGMENT) {
		const struct sflow_ip_fragment *fragment = &datagram.fragment;
		uintptr_t begin = (uintptr_t)frame, end = begin + length;
		uintptr_t piece = (uintptr_t)fragment->data;
		if (piece < begin || piece > end || fragment->length > end - piece ||
		    fragment->offset % 8 != 0 || (fragment->family != 4 && fragment->family != 6))
			abort();
		for (size_t i = 0; i < fragment->length; i++)
			touched += fragment->data[i];
	}
	if (result == SFLOW_UDP_DATAGRAM) {
		uintptr_t begin = (uintptr_t)frame, end = begin + length;
		uintptr_t payload = (uintptr_t)datagram.payload;
		if (payload < begin || payload > end || datagram.length > end - payload)
			abort();
		if (datagram.origin.address.family != 4 && datagram.origin.address.family != 6)
			abort();
		for (size_t i = 0; i < datagram.length; i++)
			touched += datagram.payload[i];
	}
	free(frame);
	return 0;
}
