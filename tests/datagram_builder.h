/* Builds sFlow datagrams byte by byte for the tests: every field is appended
 * big-endian, as XDR puts it on the wire, so a test reads like the spec.
 * Length fields are reserved when a structure starts and filled in when it
 * ends; their offsets are returned so tests can corrupt them afterwards. */
#ifndef TESTS_DATAGRAM_BUILDER_H
#define TESTS_DATAGRAM_BUILDER_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define DGRAM_MAX 65536

struct dgram {
	uint8_t bytes[DGRAM_MAX];
	size_t length;
};

static inline void dg_reset(struct dgram *d)
{
	d->length = 0;
}

/* A test that outgrows the buffer is a broken test: stop loudly. */
static inline uint8_t *dg_grow(struct dgram *d, size_t n)
{
	if (n > DGRAM_MAX - d->length) {
		fprintf(stderr, "datagram_builder: datagram over %d bytes\n", DGRAM_MAX);
		abort();
	}
	d->length += n;
	return d->bytes + d->length - n;
}

static inline void dg_bytes(struct dgram *d, const void *bytes, size_t n)
{
	if (n > 0)
		memcpy(dg_grow(d, n), bytes, n);
}

static inline void dg_u8(struct dgram *d, uint8_t value)
{
	*dg_grow(d, 1) = value;
}

static inline void dg_set_u32(struct dgram *d, size_t at, uint32_t value)
{
	if (at > d->length || d->length - at < 4)
		abort();
	d->bytes[at] = (uint8_t)(value >> 24);
	d->bytes[at + 1] = (uint8_t)(value >> 16);
	d->bytes[at + 2] = (uint8_t)(value >> 8);
	d->bytes[at + 3] = (uint8_t)value;
}

static inline uint32_t dg_get_u32(const struct dgram *d, size_t at)
{
	if (at > d->length || d->length - at < 4)
		abort();
	return (uint32_t)d->bytes[at] << 24 | (uint32_t)d->bytes[at + 1] << 16 |
	       (uint32_t)d->bytes[at + 2] << 8 | (uint32_t)d->bytes[at + 3];
}

/* Appends a big-endian u32 and returns its offset. */
static inline size_t dg_u32(struct dgram *d, uint32_t value)
{
	size_t at = d->length;
	dg_grow(d, 4);
	dg_set_u32(d, at, value);
	return at;
}

static inline void dg_u64(struct dgram *d, uint64_t value)
{
	dg_u32(d, (uint32_t)(value >> 32));
	dg_u32(d, (uint32_t)value);
}

/* Zeros up to the next multiple of 4. */
static inline void dg_pad(struct dgram *d)
{
	while (d->length % 4 != 0)
		dg_u8(d, 0);
}

/* XDR opaque: length, bytes, zero padding. Returns the length's offset. */
static inline size_t dg_opaque(struct dgram *d, const void *bytes, size_t n)
{
	size_t at = dg_u32(d, (uint32_t)n);
	dg_bytes(d, bytes, n);
	dg_pad(d);
	return at;
}

/* Reserves a length word; dg_end fills it with the bytes written since. */
static inline size_t dg_begin(struct dgram *d)
{
	return dg_u32(d, 0);
}

static inline void dg_end(struct dgram *d, size_t length_at)
{
	dg_set_u32(d, length_at, (uint32_t)(d->length - length_at - 4));
}

/* sFlow pieces. */

/* v5 data_format: enterprise in the top 20 bits, format in the low 12. */
static inline uint32_t dg_format(uint32_t enterprise, uint32_t format)
{
	return enterprise << 12 | format;
}

/* Starts a v5 sample or flow record: its data_format, then a reserved
 * length. Returns the length's offset, for dg_end. */
static inline size_t dg_element(struct dgram *d, uint32_t data_format)
{
	dg_u32(d, data_format);
	return dg_begin(d);
}

static inline void dg_address_ip4(struct dgram *d, const uint8_t address[4])
{
	dg_u32(d, 1);
	dg_bytes(d, address, 4);
}

static inline void dg_address_ip6(struct dgram *d, const uint8_t address[16])
{
	dg_u32(d, 2);
	dg_bytes(d, address, 16);
}

/* v5 datagram header with an IPv4 agent; returns num_samples' offset. */
static inline size_t dg_v5_header(struct dgram *d, const uint8_t agent[4], uint32_t sub_agent_id,
				  uint32_t sequence, uint32_t uptime_ms, uint32_t num_samples)
{
	dg_u32(d, 5);
	dg_address_ip4(d, agent);
	dg_u32(d, sub_agent_id);
	dg_u32(d, sequence);
	dg_u32(d, uptime_ms);
	return dg_u32(d, num_samples);
}

/* v5 sampled_header record (enterprise 0, format 1); returns the record
 * length's offset. */
static inline size_t dg_v5_header_record(struct dgram *d, uint32_t header_protocol,
					 uint32_t frame_length, uint32_t stripped,
					 const void *header, size_t header_length)
{
	size_t at = dg_element(d, dg_format(0, 1));
	dg_u32(d, header_protocol);
	dg_u32(d, frame_length);
	dg_u32(d, stripped);
	dg_opaque(d, header, header_length);
	dg_end(d, at);
	return at;
}

#endif
