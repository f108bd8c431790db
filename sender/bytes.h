/* SPDX-License-Identifier: BSD-3-Clause */
/* Reading big-endian (network order) fields of a packet. */
#ifndef SENDER_BYTES_H
#define SENDER_BYTES_H

#include <stdint.h>

static inline unsigned get16(const uint8_t *p)
{
	return (unsigned)p[0] << 8 | p[1];
}

static inline uint32_t get32(const uint8_t *p)
{
	return (uint32_t)get16(p) << 16 | get16(p + 2);
}

#endif
