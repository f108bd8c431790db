/* SPDX-License-Identifier: BSD-3-Clause */
/* The loss books' tables: a fixed number of entries found by hash, kept
 * as a segmented LRU so that a flood of one-shot newcomers cannot push out
 * what is established.
 *
 * A new entry starts on probation, at the tail of a FIFO; seen again it is
 * promoted to the protected segment and leaves the FIFO. When every entry
 * is in use, a newcomer takes the place of the probationary entry seen
 * least recently (the head of the FIFO: a probationary entry is seen only
 * once), so newcomers that never come back churn among themselves. The
 * protected segment holds at most 3/4 of the entries; beyond that a CLOCK
 * hand (one "seen since" bit per entry, so a hit costs no list moves)
 * demotes the protected entry not seen for longest to the probation tail,
 * from where it can still be promoted again.
 *
 * The table is allocated once (zeroed pages, so only the entries in use
 * and the bucket heads they hash to become resident); the entries live in
 * one array, each beginning with a struct sflow_table_slot, and are
 * numbered 1 to limit (0 is "none"). Bucket chains are singly linked
 * through the slots; the caller hashes and compares keys. */
#ifndef SFLOW_LOSS_TABLE_H
#define SFLOW_LOSS_TABLE_H

#include <stddef.h>
#include <stdint.h>

#define SFLOW_TABLE_NONE 0u

enum sflow_table_state {
	SFLOW_TABLE_FREE = 0,
	SFLOW_TABLE_PROBATION,
	SFLOW_TABLE_PROTECTED,
};

/* The first member of every entry. */
struct sflow_table_slot {
	uint32_t hash;
	uint32_t chain;         /* next entry in the same bucket */
	uint32_t prev, next;    /* the probation FIFO, while on probation */
	uint8_t state;          /* enum sflow_table_state */
	uint8_t referenced;     /* protected: seen since the CLOCK hand passed */
	uint8_t user;           /* a byte of the entry's own, next to its key */
	uint8_t spare;
};

struct sflow_table {
	void *memory;           /* what to free */
	unsigned char *entries; /* entry i at entries + i * entry_size */
	size_t entry_size;
	uint32_t *buckets;      /* mask + 1 chain heads */
	uint32_t mask;
	uint32_t limit;         /* entries 1..limit */
	uint32_t used;          /* entries 1..used were handed out at least once */
	uint32_t probation_head, probation_tail;  /* seen least / most recently */
	uint32_t protected_count, protected_limit;
	uint32_t hand;          /* CLOCK over the protected entries */
};

/* entry_size a multiple of 64 (one cache line) holding a struct
 * sflow_table_slot first; limit a power of two. Returns 0, or -1 when out
 * of memory. */
int sflow_table_init(struct sflow_table *table, size_t entry_size, uint32_t limit);
void sflow_table_free(struct sflow_table *table);
/* Forgets every entry (cheap: only the entries handed out are touched). */
void sflow_table_clear(struct sflow_table *table);
/* Bytes allocated for a table of this shape. */
size_t sflow_table_bytes(size_t entry_size, uint32_t limit);

static inline void *sflow_table_entry(const struct sflow_table *table, uint32_t index)
{
	return table->entries + (size_t)index * table->entry_size;
}

/* The first entry of hash's bucket whose hash is hash, then the next one:
 * SFLOW_TABLE_NONE at the end. The caller compares keys. */
static inline uint32_t sflow_table_next(const struct sflow_table *table, uint32_t index,
					uint32_t hash)
{
	while (index != SFLOW_TABLE_NONE) {
		const struct sflow_table_slot *slot = sflow_table_entry(table, index);
		if (slot->hash == hash)
			return index;
		index = slot->chain;
	}
	return SFLOW_TABLE_NONE;
}

static inline uint32_t sflow_table_first(const struct sflow_table *table, uint32_t hash)
{
	return table->buckets == NULL ? SFLOW_TABLE_NONE
	       : sflow_table_next(table, table->buckets[hash & table->mask], hash);
}

static inline uint32_t sflow_table_following(const struct sflow_table *table, uint32_t index,
					     uint32_t hash)
{
	const struct sflow_table_slot *slot = sflow_table_entry(table, index);
	return sflow_table_next(table, slot->chain, hash);
}

/* A probationary entry moves to the protected segment (sflow_table_seen's
 * rare case, out of line). */
void sflow_table_promote(struct sflow_table *table, uint32_t index);

/* A found entry was seen again: a probationary one is promoted (promote
 * nonzero; a hit that proves nothing passes 0), a protected one marked.
 * Inline: the common hit, on a protected entry, is one store. */
static inline void sflow_table_seen(struct sflow_table *table, uint32_t index, int promote)
{
	struct sflow_table_slot *slot = sflow_table_entry(table, index);
	if (slot->state == SFLOW_TABLE_PROTECTED)
		slot->referenced = 1;
	else if (promote)
		sflow_table_promote(table, index);
}

/* A new entry for hash, on probation, zeroed past its slot. When the table
 * is full the least recently seen probationary entry makes room and
 * *evicted is set. Returns SFLOW_TABLE_NONE only for an unallocated table. */
uint32_t sflow_table_add(struct sflow_table *table, uint32_t hash, int *evicted);

#endif
