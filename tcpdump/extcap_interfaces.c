/* SPDX-License-Identifier: BSD-3-Clause */
/* Per-port interfaces of the extcap (see extcap_interfaces.h). The names
 * and the comment prefix are formatted once per port with snprintf and
 * inet_ntop; a packet costs a hash of its key and, mostly, not even that
 * (the last port is tried first). */
#include <config.h>
#include "extcap_interfaces.h"

#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

size_t extcap_u32_text(uint32_t value, char *out)
{
	char digits[10];
	size_t n = 0;
	do {
		digits[n++] = (char)('0' + value % 10);
		value /= 10;
	} while (value != 0);
	for (size_t i = 0; i < n; i++)
		out[i] = digits[n - 1 - i];
	return n;
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
	return ports->slots == NULL ? -1 : 0;
}

void extcap_ports_free(struct extcap_ports *ports)
{
	free(ports->slots);
	ports->slots = NULL;
}

static size_t agent_length(int family)
{
	return family == AF_INET ? 4 : family == AF_INET6 ? 16 : 0;
}

static int same_port(const struct extcap_port *port, const struct pcap_sflow_packet_info *info)
{
	return port->agent_family == info->agent_family && port->sub_agent == info->sub_agent &&
	       port->source_class == info->source_id_type &&
	       port->source_index == info->source_id_index &&
	       memcmp(port->agent, info->agent, agent_length(info->agent_family)) == 0;
}

/* FNV-1a over the key. */
static size_t hash_port(const struct pcap_sflow_packet_info *info)
{
	uint32_t words[3] = { info->sub_agent, info->source_id_type, info->source_id_index };
	uint64_t hash = 14695981039346656037u;
	const uint8_t *bytes = info->agent;
	for (size_t i = 0; i < agent_length(info->agent_family); i++)
		hash = (hash ^ bytes[i]) * 1099511628211u;
	bytes = (const uint8_t *)words;
	for (size_t i = 0; i < sizeof words; i++)
		hash = (hash ^ bytes[i]) * 1099511628211u;
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
	memcpy(port->agent, info->agent, agent_length(info->agent_family));
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
	for (size_t i = hash_port(info) & mask;; i = (i + 1) & mask) {
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
