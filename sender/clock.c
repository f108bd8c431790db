/* SPDX-License-Identifier: BSD-3-Clause */
/* The monotonic clock and sleeping on it (see clock.h). */
#include <config.h>
#include "clock.h"

#include <errno.h>
#include <time.h>

#include "signals.h"

uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

int sleep_until(uint64_t deadline_ns)
{
	struct timespec ts = { .tv_sec = (time_t)(deadline_ns / 1000000000u),
			       .tv_nsec = (long)(deadline_ns % 1000000000u) };
	unsigned seen = (unsigned)signals_seen;

	while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, NULL) ==
	       EINTR)
		if (seen != (unsigned)signals_seen)
			return -1;
	return 0;
}
