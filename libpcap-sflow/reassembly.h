/* SPDX-License-Identifier: BSD-3-Clause */
/* IP fragments of UDP datagrams put back together in a small bounded
 * table: pure (the table is the caller's, no I/O, no globals), so the
 * fuzzer can drive it with any sequence of fragments. */
#ifndef SFLOW_REASSEMBLY_H
#define SFLOW_REASSEMBLY_H

#include <stddef.h>
#include <stdint.h>

#include "udp_extract.h"

/* Datagrams being put together at once; a new one takes the place of the
 * one least recently added to. */
#define SFLOW_REASSEMBLY_SLOTS 4
/* The largest UDP segment an IP packet can carry. */
#define SFLOW_REASSEMBLY_MAX 65535
#define SFLOW_REASSEMBLY_UNITS ((SFLOW_REASSEMBLY_MAX + 7) / 8)

struct sflow_reassembly_slot {
	int used;
	uint8_t family;
	uint8_t source[16], destination[16];
	uint32_t id;
	uint64_t last_added;            /* the table's clock at its last fragment */
	uint64_t fragments;             /* fragments held */
	size_t total;                   /* the segment's length, once its last fragment came */
	size_t units;                   /* 8-byte units received */
	uint8_t covered[(SFLOW_REASSEMBLY_UNITS + 7) / 8];
	uint8_t bytes[SFLOW_REASSEMBLY_UNITS * 8];
};

struct sflow_reassembly {
	uint64_t clock;
	struct sflow_reassembly_slot slots[SFLOW_REASSEMBLY_SLOTS];
};

enum sflow_reassembly_result {
	SFLOW_REASSEMBLY_PENDING,       /* kept; the datagram is not whole yet */
	SFLOW_REASSEMBLY_COMPLETE,      /* whole: *segment, *length */
	SFLOW_REASSEMBLY_INVALID,       /* inconsistent: it and its datagram's others dropped */
};

/* Starts an empty table (it is large: allocate it). */
void sflow_reassembly_init(struct sflow_reassembly *table);

/* Adds a fragment. COMPLETE gives the whole UDP segment, valid until the
 * next call. *dropped counts the fragments given up (an inconsistent
 * datagram's, or the one evicted for room). */
enum sflow_reassembly_result sflow_reassemble(struct sflow_reassembly *table,
					      const struct sflow_ip_fragment *fragment,
					      const uint8_t **segment, size_t *length,
					      uint64_t *dropped);

#endif
