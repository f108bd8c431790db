/* SPDX-License-Identifier: BSD-3-Clause */
/* Device names: "sflow", "sflow:PORT", "sflow:PORT,option,..." .
 * The one place that knows their syntax, so options can grow here. */
#ifndef SFLOW_DEVICE_H
#define SFLOW_DEVICE_H

#include <stddef.h>
#include <stdint.h>

#define SFLOW_DEFAULT_PORT 6343
#define SFLOW_DEVICE_PREFIX "sflow"
#define SFLOW_DEVICE_FORMS "sflow, sflow:PORT or sflow:PORT,OPTION[,OPTION...]"

/* Options, as given after the port: sflow:PORT,drops,vlan ... */
#define SFLOW_OPTION_DROPS (1u << 0)  /* deliver discard samples, and only them */
#define SFLOW_OPTION_SYNTH (1u << 1)  /* build headers from sampled_ipv4/ipv6 records */
#define SFLOW_OPTION_VLAN  (1u << 2)  /* insert extended_switch VLANs as 802.1Q tags */

struct sflow_device {
	uint16_t port;
	unsigned options;       /* SFLOW_OPTION_* bits */
};

/* True for every name this module owns: all that start with "sflow".
 * Everything else belongs to the real libpcap. */
int sflow_device_is_ours(const char *name);

/* Parses name into device. On failure returns -1 and writes a one-line
 * message that names the accepted forms into error. */
int sflow_device_parse(const char *name, struct sflow_device *device,
		       char *error, size_t error_size);

#endif
