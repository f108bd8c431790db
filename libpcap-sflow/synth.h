/* SPDX-License-Identifier: BSD-3-Clause */
/* Synthesized packet headers: a minimal IPv4 or IPv6 header plus the
 * TCP, UDP or ICMP header the fields of a sampled_ipv4 / sampled_ipv6
 * record describe, for agents that send those records instead of a
 * sampled header. */
#ifndef SFLOW_SYNTH_H
#define SFLOW_SYNTH_H

#include <stddef.h>
#include <stdint.h>

#include "sflow_decode.h"
#include "sizes.h"

/* SFLOW_SYNTH_MAX (sizes.h): bytes a synthesized header can take, IPv6
 * (40) + TCP (20). */

/* Writes the headers for ip (ipv6 says which record it came from) into
 * out, which has room for SFLOW_SYNTH_MAX bytes; returns how many bytes it
 * wrote. The IP length fields say at least what was written. */
size_t sflow_synth_ip(const struct sflow_sampled_ip *ip, int ipv6, uint8_t *out);

#endif
