/* SPDX-License-Identifier: BSD-3-Clause */
/* Test only: linked into a copy of the module built with sanitizers, with
 * -Wl,--wrap=sflow_decode_header, so that every datagram the read path decodes
 * passes here first. It copies the datagram to a heap block of exactly its
 * size and reads one byte past the end: the AddressSanitizer runtime the
 * launcher preloads must report a heap-buffer-overflow and abort tcpdump.
 * With SFLOW_SELFTEST=ubsan it shifts by 32 instead, which UBSan must
 * report. The datagram itself then goes to the real decoder unchanged. */
#include <stdlib.h>
#include <string.h>

#include "sflow_decode.h"

enum sflow_decode_result __real_sflow_decode_header(const uint8_t *data, size_t length,
						    struct sflow_datagram *datagram,
						    struct sflow_decoder_counters *counters);
enum sflow_decode_result __wrap_sflow_decode_header(const uint8_t *data, size_t length,
						    struct sflow_datagram *datagram,
						    struct sflow_decoder_counters *counters);

enum sflow_decode_result __wrap_sflow_decode_header(const uint8_t *data, size_t length,
						    struct sflow_datagram *datagram,
						    struct sflow_decoder_counters *counters)
{
	const char *mode = getenv("SFLOW_SELFTEST");
	volatile uint32_t sink;

	if (mode != NULL && strcmp(mode, "ubsan") == 0) {
		volatile uint32_t shift = 32;
		sink = 1u << shift;             /* undefined: shift by the width */
	} else {
		uint8_t *copy = malloc(length > 0 ? length : 1);
		if (copy != NULL) {
			memcpy(copy, data, length);
			sink = copy[length > 0 ? length : 1];   /* one byte past the end */
			free(copy);
		}
	}
	(void)sink;
	return __real_sflow_decode_header(data, length, datagram, counters);
}
