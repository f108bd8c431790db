/* SPDX-License-Identifier: BSD-3-Clause */
/* Per-port interfaces of the extcap (see extcap_interfaces.h). The names
 * and the comment prefix are formatted once per port with snprintf and
 * inet_ntop; a packet costs a comparison with the last port's key and,
 * when another port's, a hash of it. */
#include <config.h>
#include "extcap_interfaces.h"

#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <time.h>

/* Two digits at a time, written from the last: half the divisions of a
 * digit loop, and no reversal (the comment has six numbers a packet). */
static const char digit_pairs[200] =
	"00010203040506070809101112131415161718192021222324252627282930313233343536373839"
	"40414243444546474849505152535455565758596061626364656667686970717273747576777879"
	"8081828384858687888990919293949596979899";

size_t extcap_u32_text(uint32_t value, char *out)
{
	size_t length = 1;
	for (uint32_t bound = 10; length < 10 && value >= bound; bound *= 10)
		length++;
	char *at = out + length;
	while (value >= 100) {
		const char *pair = &digit_pairs[(value % 100) * 2];
		value /= 100;
		*--at = pair[1];
		*--at = pair[0];
	}
	if (value >= 10) {
		*--at = digit_pairs[value * 2 + 1];
		*--at = digit_pairs[value * 2];
	} else {
		*--at = (char)('0' + value);
	}
	return length;
}

int extcap_ports_init(struct extcap_ports *ports, uint32_t max)
{
	memset(ports, 0, sizeof *ports);
	if (max > EXTCAP_MAX_PORTS)
		max = EXTCAP_MAX_PORTS;
	ports->max = max;
	/* At most half full, so probes stay short. */
	ports->slot_count = 16;
	while (ports->slot_count < 2 * (size_t)max)
		ports->slot_count *= 2;
	ports->slots = calloc(ports->slot_count, sizeof *ports->slots);
	if (ports->slots == NULL)
		return -1;
	if (getrandom(&ports->seed, sizeof ports->seed, GRND_NONBLOCK) != sizeof ports->seed)
		ports->seed = (uint64_t)time(NULL) ^ (uint64_t)(uintptr_t)ports->slots;
	return 0;
}

void extcap_ports_free(struct extcap_ports *ports)
{
	free(ports->slots);
	ports->slots = NULL;
}

/* The key's agent is all 16 bytes: pcap_sflow_packet_info leaves those
 * past an IPv4 address zero. */
static inline int same_port(const struct extcap_port *port,
			    const struct pcap_sflow_packet_info *info)
{
	uint64_t ours[2], theirs[2];
	memcpy(ours, port->agent, sizeof ours);
	memcpy(theirs, info->agent, sizeof theirs);
	return port->source_index == info->source_id_index &&
	       ((ours[0] ^ theirs[0]) | (ours[1] ^ theirs[1])) == 0 &&
	       port->agent_family == info->agent_family && port->sub_agent == info->sub_agent &&
	       port->source_class == info->source_id_type;
}

/* A multiply-xorshift mix of the key's words, seeded per capture (so a
 * feed cannot choose agents that collide): a few multiplies a packet,
 * where a byte-at-a-time hash took a dependent multiply per byte. */
static uint64_t mix(uint64_t hash, uint64_t word)
{
	hash = (hash ^ word) * 0x9E3779B97F4A7C15u;
	return hash ^ (hash >> 29);
}

static size_t hash_port(const struct extcap_ports *ports, const struct pcap_sflow_packet_info *info)
{
	uint64_t agent[2];
	memcpy(agent, info->agent, sizeof agent);
	uint64_t hash = mix(ports->seed, agent[0]);
	hash = mix(hash, agent[1]);
	hash = mix(hash, (uint64_t)info->sub_agent << 32 | (uint32_t)info->agent_family);
	hash = mix(hash, (uint64_t)info->source_id_type << 32 | info->source_id_index);
	return (size_t)(hash ^ (hash >> 32));
}

static void agent_text(const struct extcap_port *port, char *out, size_t size)
{
	if (port->agent_family == 0 || inet_ntop(port->agent_family, port->agent, out, size) == NULL)
		snprintf(out, size, "unknown");
}

static void fill_port(struct extcap_port *port, const struct pcap_sflow_packet_info *info,
		      uint32_t interface_id)
{
	memset(port, 0, sizeof *port);
	port->used = 1;
	port->agent_family = info->agent_family;
	memcpy(port->agent, info->agent, sizeof port->agent);
	port->sub_agent = info->sub_agent;
	port->source_class = info->source_id_type;
	port->source_index = info->source_id_index;
	port->interface_id = interface_id;

	char agent[INET6_ADDRSTRLEN];
	agent_text(port, agent, sizeof agent);
	int n = snprintf(port->comment_prefix, sizeof port->comment_prefix,
			 "sflow_sample agent=%s sub_agent=%u source_class=%u source_index=%u",
			 agent, port->sub_agent, port->source_class, port->source_index);
	port->comment_prefix_length = n < 0 ? 0
				      : (size_t)n < sizeof port->comment_prefix ? (size_t)n
				      : sizeof port->comment_prefix - 1;
}

const struct extcap_port *extcap_ports_lookup(struct extcap_ports *ports,
					      const struct pcap_sflow_packet_info *info,
					      int *is_new)
{
	*is_new = 0;
	if (ports->last != NULL && same_port(ports->last, info))
		return ports->last;
	size_t mask = ports->slot_count - 1;
	for (size_t i = hash_port(ports, info) & mask;; i = (i + 1) & mask) {
		struct extcap_port *slot = &ports->slots[i];
		if (slot->used && same_port(slot, info)) {
			ports->last = slot;
			return slot;
		}
		if (!slot->used) {
			if (ports->count >= ports->max)
				break;
			fill_port(slot, info, ++ports->count);
			*is_new = 1;
			ports->last = slot;
			return slot;
		}
	}
	/* Past the bound: interface 0, with the comment all the same. */
	ports->overflowed++;
	if (!ports->overflow.used || !same_port(&ports->overflow, info))
		fill_port(&ports->overflow, info, 0);
	return &ports->overflow;
}

/* "7", "vlan10", "entity5", "logical5", "class9.5". */
static void source_text(const struct extcap_port *port, char *out, size_t size)
{
	switch (port->source_class) {
	case 0: snprintf(out, size, "%u", port->source_index); break;
	case 1: snprintf(out, size, "vlan%u", port->source_index); break;
	case 2: snprintf(out, size, "entity%u", port->source_index); break;
	case 3: snprintf(out, size, "logical%u", port->source_index); break;
	default: snprintf(out, size, "class%u.%u", port->source_class, port->source_index);
	}
}

void extcap_port_name(const struct extcap_port *port, char *out, size_t size)
{
	char agent[INET6_ADDRSTRLEN], sub[16] = "", source[32];
	agent_text(port, agent, sizeof agent);
	if (port->sub_agent != 0)
		snprintf(sub, sizeof sub, "#%u", port->sub_agent);
	source_text(port, source, sizeof source);
	snprintf(out, size, port->agent_family == AF_INET6 ? "[%s]%s:%s" : "%s%s:%s",
		 agent, sub, source);
}

void extcap_port_description(const struct extcap_port *port, char *out, size_t size)
{
	static const char *const classes[] = { "ifIndex", "VLAN", "physical entity",
					       "logical entity" };
	char agent[INET6_ADDRSTRLEN];
	agent_text(port, agent, sizeof agent);
	if (port->source_class < sizeof classes / sizeof classes[0])
		snprintf(out, size, "sFlow agent %s, sub-agent %u, %s %u", agent, port->sub_agent,
			 classes[port->source_class], port->source_index);
	else
		snprintf(out, size, "sFlow agent %s, sub-agent %u, data source class %u index %u",
			 agent, port->sub_agent, port->source_class, port->source_index);
}
