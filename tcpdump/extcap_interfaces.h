/* SPDX-License-Identifier: BSD-3-Clause */
/* The extcap's pcapng interfaces: one per switch port, that is per (agent,
 * sub-agent, data source) of the samples, numbered from 1 in the order
 * first seen (interface 0 is the capture's own, "sflow"). Each carries
 * what every packet of that port repeats, precomputed once: its name, its
 * description and the start of the packets' comment. */
#ifndef SFLOW_EXTCAP_INTERFACES_H
#define SFLOW_EXTCAP_INTERFACES_H

#include <stddef.h>
#include <stdint.h>

#include "pcap-sflow.h"

/* The most interfaces a capture gets (interface 0 aside): a switch port
 * beyond them goes to interface 0, its packets keeping their comment. */
#define EXTCAP_MAX_PORTS 4096

#define EXTCAP_PORT_NAME_MAX 96
#define EXTCAP_PORT_DESCRIPTION_MAX 160
#define EXTCAP_COMMENT_PREFIX_MAX 160

struct extcap_port {
	/* The key: agent (family 0 when unknown), sub-agent, data source. */
	int agent_family;
	uint8_t agent[16];
	uint32_t sub_agent, source_class, source_index;
	uint32_t interface_id;          /* 0 for a port past the bound */
	int used;
	/* "sflow_sample agent=10.1.2.3 sub_agent=0 source_class=0 source_index=7" */
	char comment_prefix[EXTCAP_COMMENT_PREFIX_MAX];
	size_t comment_prefix_length;
};

struct extcap_ports {
	struct extcap_port *slots;      /* open addressing, a power of two */
	size_t slot_count;
	uint32_t count;                 /* ports with an interface */
	uint32_t max;
	struct extcap_port *last;       /* consecutive samples are mostly one port's */
	struct extcap_port overflow;    /* a port past the bound, rebuilt per packet */
	uint64_t overflowed;            /* packets that went to interface 0 for it */
	uint64_t seed;                  /* the hash's, drawn at init */
};

/* 0, or -1 with errno set. max is the bound on interfaces (at most
 * EXTCAP_MAX_PORTS). */
int extcap_ports_init(struct extcap_ports *ports, uint32_t max);
void extcap_ports_free(struct extcap_ports *ports);

/* The port of the sample behind info. *is_new is set when the port just
 * got its interface (the caller writes its interface block before the
 * packet). Never NULL: past the bound, a port with interface 0. */
const struct extcap_port *extcap_ports_lookup(struct extcap_ports *ports,
					      const struct pcap_sflow_packet_info *info,
					      int *is_new);

/* "10.1.2.3:7", "[2001:db8::7]:7", "10.1.2.3#2:vlan10", ... (sflow-extcap(1)). */
void extcap_port_name(const struct extcap_port *port, char *out, size_t size);
/* "sFlow agent 10.1.2.3, sub-agent 0, ifIndex 7". */
void extcap_port_description(const struct extcap_port *port, char *out, size_t size);

/* Writes the decimal digits of value at out (room for 10), returns the
 * number written. */
size_t extcap_u32_text(uint32_t value, char *out);

#endif
