/* SPDX-License-Identifier: BSD-3-Clause */
/* The loss books' segmented LRU hash table (see loss_table.h). */
#include <config.h>
#include "loss_table.h"

#include <stdlib.h>
#include <string.h>

#define LINE 64u

static struct sflow_table_slot *slot_at(const struct sflow_table *table, uint32_t index)
{
	return sflow_table_entry(table, index);
}

size_t sflow_table_bytes(size_t entry_size, uint32_t limit)
{
	/* Entries 0..limit (0 unused), the bucket heads, and room to align
	 * the entries to a cache line. */
	return ((size_t)limit + 1) * entry_size + (size_t)limit * sizeof(uint32_t) + LINE;
}

int sflow_table_init(struct sflow_table *table, size_t entry_size, uint32_t limit)
{
	memset(table, 0, sizeof *table);
	if (entry_size % LINE != 0 || entry_size < sizeof(struct sflow_table_slot) ||
	    limit < 4 || (limit & (limit - 1)) != 0)
		return -1;
	/* calloc: the pages come zeroed from the kernel and stay untouched
	 * (not resident) until an entry lands there. */
	table->memory = calloc(1, sflow_table_bytes(entry_size, limit));
	if (table->memory == NULL)
		return -1;
	uintptr_t start = ((uintptr_t)table->memory + LINE - 1) & ~(uintptr_t)(LINE - 1);
	table->entries = (unsigned char *)start;
	table->buckets = (uint32_t *)(table->entries + ((size_t)limit + 1) * entry_size);
	table->entry_size = entry_size;
	table->mask = limit - 1;
	table->limit = limit;
	table->protected_limit = limit - limit / 4;
	table->hand = 1;
	return 0;
}

void sflow_table_free(struct sflow_table *table)
{
	free(table->memory);
	memset(table, 0, sizeof *table);
}

void sflow_table_clear(struct sflow_table *table)
{
	if (table->memory == NULL)
		return;
	for (uint32_t i = 1; i <= table->used; i++) {
		struct sflow_table_slot *slot = slot_at(table, i);
		table->buckets[slot->hash & table->mask] = SFLOW_TABLE_NONE;
		memset(slot, 0, table->entry_size);
	}
	table->used = 0;
	table->probation_head = table->probation_tail = SFLOW_TABLE_NONE;
	table->protected_count = 0;
	table->hand = 1;
}

static void probation_append(struct sflow_table *table, uint32_t index)
{
	struct sflow_table_slot *slot = slot_at(table, index);
	slot->state = SFLOW_TABLE_PROBATION;
	slot->referenced = 0;
	slot->next = SFLOW_TABLE_NONE;
	slot->prev = table->probation_tail;
	if (table->probation_tail != SFLOW_TABLE_NONE)
		slot_at(table, table->probation_tail)->next = index;
	else
		table->probation_head = index;
	table->probation_tail = index;
}

static void probation_remove(struct sflow_table *table, uint32_t index)
{
	struct sflow_table_slot *slot = slot_at(table, index);
	if (slot->prev != SFLOW_TABLE_NONE)
		slot_at(table, slot->prev)->next = slot->next;
	else
		table->probation_head = slot->next;
	if (slot->next != SFLOW_TABLE_NONE)
		slot_at(table, slot->next)->prev = slot->prev;
	else
		table->probation_tail = slot->prev;
	slot->prev = slot->next = SFLOW_TABLE_NONE;
}

/* The CLOCK hand moves over the entries handed out; the first protected
 * one not seen since the hand last passed goes back on probation. Every
 * protected entry passed on the way loses its mark, so this ends within
 * two sweeps. */
static void demote_one(struct sflow_table *table)
{
	for (uint64_t step = 0; step < 2 * (uint64_t)table->used + 1; step++) {
		uint32_t index = table->hand;
		table->hand = index >= table->used ? 1 : index + 1;
		struct sflow_table_slot *slot = slot_at(table, index);
		if (slot->state != SFLOW_TABLE_PROTECTED)
			continue;
		if (slot->referenced) {
			slot->referenced = 0;
			continue;
		}
		table->protected_count--;
		probation_append(table, index);
		return;
	}
}

void sflow_table_promote(struct sflow_table *table, uint32_t index)
{
	struct sflow_table_slot *slot = slot_at(table, index);
	probation_remove(table, index);
	if (table->protected_count >= table->protected_limit)
		demote_one(table);
	slot->state = SFLOW_TABLE_PROTECTED;
	slot->referenced = 1;
	table->protected_count++;
}

static void unchain(struct sflow_table *table, uint32_t index)
{
	struct sflow_table_slot *slot = slot_at(table, index);
	uint32_t *link = &table->buckets[slot->hash & table->mask];
	while (*link != index)
		link = &slot_at(table, *link)->chain;
	*link = slot->chain;
}

uint32_t sflow_table_add(struct sflow_table *table, uint32_t hash, int *evicted)
{
	uint32_t index;

	*evicted = 0;
	if (table->memory == NULL)
		return SFLOW_TABLE_NONE;
	if (table->used < table->limit) {
		index = ++table->used;
	} else {
		/* Full: protected entries are at most 3/4 of them, so the
		 * probation FIFO is not empty. */
		index = table->probation_head;
		probation_remove(table, index);
		unchain(table, index);
		*evicted = 1;
	}
	struct sflow_table_slot *slot = slot_at(table, index);
	memset(slot, 0, table->entry_size);
	slot->hash = hash;
	slot->chain = table->buckets[hash & table->mask];
	table->buckets[hash & table->mask] = index;
	probation_append(table, index);
	return index;
}
