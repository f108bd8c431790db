/* SPDX-License-Identifier: BSD-3-Clause */
/* Device names: sflow[:[ADDRESS:]PORT][,OPTION...].
 * The one place that knows their syntax, so options can grow here. */
#ifndef SFLOW_DEVICE_H
#define SFLOW_DEVICE_H

#include <stddef.h>
#include <stdint.h>

#include "direction.h"

#define SFLOW_DEFAULT_PORT 6343
#define SFLOW_DEVICE_PREFIX "sflow"
/* The whole grammar, in the one line every malformed name is answered with. */
#define SFLOW_DEVICE_GRAMMAR \
	"sflow[:[ADDRESS:]PORT][,OPTION...], ADDRESS IPv4 or [IPv6], OPTION drops, synth, " \
	"vlan, agent=IP[/LEN], ifindex=N, dir=in|out, forward=ADDRESS:PORT, sniff=IFACE, file=PATH"

/* Flag options, as given after the port: sflow:PORT,drops,vlan ... */
#define SFLOW_OPTION_DROPS (1u << 0)  /* deliver discard samples, and only them */
#define SFLOW_OPTION_SYNTH (1u << 1)  /* build headers from sampled_ipv4/ipv6 records */
#define SFLOW_OPTION_VLAN  (1u << 2)  /* insert extended_switch VLANs as 802.1Q tags */

/* How many of each repeatable option one name may hold. */
#define SFLOW_MAX_AGENTS 32
#define SFLOW_MAX_IFINDEXES 64
#define SFLOW_MAX_FORWARDS 8

/* An IPv4 or IPv6 address; family is 4 or 6, bytes in network order. */
struct sflow_ip {
	uint8_t family;
	uint8_t bytes[16];
};

/* agent=IP or agent=PREFIX/LEN. */
struct sflow_prefix {
	struct sflow_ip address;        /* bits past length are zero */
	uint8_t length;                 /* 0..32 (IPv4) or 0..128 (IPv6) */
};

/* forward=HOST:PORT. */
struct sflow_endpoint {
	struct sflow_ip address;
	uint16_t port;
};

struct sflow_device {
	/* The datagrams wanted: to this port (and address). The socket binds
	 * them; sniff= and file= pick them out of captured traffic. */
	uint16_t port;
	int has_bind_address;           /* else: every address, IPv6 and IPv4 */
	struct sflow_ip bind_address;
	unsigned options;               /* SFLOW_OPTION_* bits */
	unsigned agent_count;
	struct sflow_prefix agents[SFLOW_MAX_AGENTS];
	unsigned ifindex_count;
	uint32_t ifindexes[SFLOW_MAX_IFINDEXES];
	enum sflow_direction direction; /* dir=; UNKNOWN when not given */
	unsigned forward_count;
	struct sflow_endpoint forwards[SFLOW_MAX_FORWARDS];
	/* Where datagrams come from: both empty means the bound socket. */
	char sniff[64];                 /* sniff=IFACE: an interface's traffic */
	char file[256];                 /* file=PATH: a saved capture, - for stdin */
};

/* True for every name this module owns: all that start with "sflow".
 * Everything else belongs to the real libpcap. */
int sflow_device_is_ours(const char *name);

/* Parses name into device. On failure returns -1 and writes one line into
 * error: what is wrong, then the whole grammar. */
int sflow_device_parse(const char *name, struct sflow_device *device,
		       char *error, size_t error_size);

#endif
