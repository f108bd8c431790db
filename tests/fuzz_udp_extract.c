/* SPDX-License-Identifier: BSD-3-Clause */
/* libFuzzer target for the frame-to-datagram extractor. Beyond "no crash"
 * (ASan+UBSan), it checks what udp_extract.h promises: the first input
 * byte picks a link type, the second whether an address is wanted; a
 * datagram found lies inside the frame (every byte of it is read), is not
 * longer than the frame, and names a sender of family 4 or 6. */
#include "udp_extract.h"

#include <pcap/dlt.h>
#include <stdlib.h>
#include <string.h>

static const int linktypes[] = {
	DLT_EN10MB, DLT_LINUX_SLL, DLT_LINUX_SLL2, DLT_RAW, 101, DLT_IPV4, DLT_IPV6,
	DLT_NULL, DLT_LOOP, DLT_IEEE802_11,
};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 2)
		return 0;
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
	if (result == SFLOW_UDP_DATAGRAM) {
		uintptr_t begin = (uintptr_t)frame, end = begin + length;
		uintptr_t payload = (uintptr_t)datagram.payload;
		if (payload < begin || payload > end || datagram.length > end - payload)
			abort();
		if (datagram.origin.address.family != 4 && datagram.origin.address.family != 6)
			abort();
		volatile unsigned sum = 0;
		for (size_t i = 0; i < datagram.length; i++)
			sum += datagram.payload[i];
	}
	free(frame);
	return 0;
}
