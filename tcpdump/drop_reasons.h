/* SPDX-License-Identifier: BSD-3-Clause */
/* The names of sFlow's drop_reason codes ("sFlow Dropped Packet
 * Notification Structures", sflow.org, October 2020: codes 0-15 and
 * 256-262 from sFlow version 5's interface format, the rest added there),
 * spelled as the specification spells them. tcpdump/sflow_sample.lua
 * carries the same table; tests/e2e_wsfields.sh checks they agree. */
#ifndef SFLOW_DROP_REASONS_H
#define SFLOW_DROP_REASONS_H

#include <stdint.h>

/* The name of code, or NULL when the specification names none. */
const char *sflow_drop_reason_name(uint32_t code);

#endif
