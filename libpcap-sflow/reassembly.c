/* SPDX-License-Identifier: BSD-3-Clause */
/* Reassembly of IP fragments, every offset and length checked against the
 * slot before a byte is copied (see reassembly.h). Overlaps are allowed
 * (a later copy wins): the UDP checksum of the whole says whether the
 * pieces agree. */
#include <config.h>
#include "reassembly.h"

#include <string.h>

void sflow_reassembly_init(struct sflow_reassembly *table)
{
	table->clock = 0;
	for (unsigned i = 0; i < SFLOW_REASSEMBLY_SLOTS; i++)
		table->slots[i].used = 0;
}

static int same_datagram(const struct sflow_reassembly_slot *slot,
			 const struct sflow_ip_fragment *fragment)
{
	size_t size = fragment->family == 4 ? 4 : 16;
	return slot->used && slot->family == fragment->family && slot->id == fragment->id &&
	       memcmp(slot->source, fragment->source, size) == 0 &&
	       memcmp(slot->destination, fragment->destination, size) == 0;
}

/* The slot of the fragment's datagram; else a free one, else the one
 * least recently added to, its fragments given up. */
static struct sflow_reassembly_slot *slot_for(struct sflow_reassembly *table,
					      const struct sflow_ip_fragment *fragment,
					      uint64_t *dropped)
{
	struct sflow_reassembly_slot *oldest = &table->slots[0];

	for (unsigned i = 0; i < SFLOW_REASSEMBLY_SLOTS; i++) {
		struct sflow_reassembly_slot *slot = &table->slots[i];
		if (same_datagram(slot, fragment))
			return slot;
	}
	for (unsigned i = 0; i < SFLOW_REASSEMBLY_SLOTS; i++) {
		struct sflow_reassembly_slot *slot = &table->slots[i];
		if (!slot->used) {
			oldest = slot;
			break;
		}
		if (slot->last_added < oldest->last_added)
			oldest = slot;
	}
	if (oldest->used)
		*dropped += oldest->fragments;
	oldest->used = 1;
	oldest->family = fragment->family;
	memcpy(oldest->source, fragment->source, sizeof oldest->source);
	memcpy(oldest->destination, fragment->destination, sizeof oldest->destination);
	oldest->id = fragment->id;
	oldest->fragments = 0;
	oldest->total = 0;
	oldest->units = 0;
	memset(oldest->covered, 0, sizeof oldest->covered);
	return oldest;
}

static enum sflow_reassembly_result give_up(struct sflow_reassembly_slot *slot,
					    uint64_t *dropped)
{
	*dropped += slot->fragments;
	slot->used = 0;
	return SFLOW_REASSEMBLY_INVALID;
}

enum sflow_reassembly_result sflow_reassemble(struct sflow_reassembly *table,
					      const struct sflow_ip_fragment *fragment,
					      const uint8_t **segment, size_t *length,
					      uint64_t *dropped)
{
	struct sflow_reassembly_slot *slot = slot_for(table, fragment, dropped);
	size_t end = fragment->offset + fragment->length;

	slot->last_added = ++table->clock;
	slot->fragments++;
	/* Pieces are 8-byte aligned, all but the last a multiple of 8 long,
	 * and inside the largest segment and the length the last one set. */
	if (fragment->offset % 8 != 0 || fragment->length == 0 ||
	    (fragment->more && fragment->length % 8 != 0) ||
	    fragment->offset > SFLOW_REASSEMBLY_MAX || end > SFLOW_REASSEMBLY_MAX ||
	    (slot->total != 0 && end > slot->total) ||
	    (!fragment->more && slot->total != 0 && end != slot->total))
		return give_up(slot, dropped);
	if (!fragment->more) {
		/* Nothing received may lie past the end it sets. */
		for (size_t unit = (end + 7) / 8; unit < SFLOW_REASSEMBLY_UNITS; unit++)
			if (slot->covered[unit / 8] & (1u << (unit % 8)))
				return give_up(slot, dropped);
		slot->total = end;
	}
	memcpy(slot->bytes + fragment->offset, fragment->data, fragment->length);
	for (size_t unit = fragment->offset / 8; unit < (end + 7) / 8; unit++) {
		uint8_t bit = (uint8_t)(1u << (unit % 8));
		if (!(slot->covered[unit / 8] & bit)) {
			slot->covered[unit / 8] |= bit;
			slot->units++;
		}
	}
	if (slot->total == 0 || slot->units != (slot->total + 7) / 8)
		return SFLOW_REASSEMBLY_PENDING;
	slot->used = 0;
	*segment = slot->bytes;
	*length = slot->total;
	return SFLOW_REASSEMBLY_COMPLETE;
}
