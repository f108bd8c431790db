/* SPDX-License-Identifier: BSD-3-Clause */
/* The monotonic clock, in nanoseconds, and sleeping on it. */
#ifndef SENDER_CLOCK_H
#define SENDER_CLOCK_H

#include <stdint.h>

uint64_t now_ns(void);

/* Sleeps until now_ns() reaches deadline_ns, through signals that do not
 * ask to stop. Returns 0 at the deadline, -1 when a SIGINT or SIGTERM
 * arrived during the sleep. */
int sleep_until(uint64_t deadline_ns);

#endif
