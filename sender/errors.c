/* SPDX-License-Identifier: BSD-3-Clause */
#include "errors.h"

#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

static void report(const char *fmt, va_list ap, const char *end)
{
	fputs(PROG ": ", stderr);
	vfprintf(stderr, fmt, ap);
	fputs(end, stderr);
}

void die(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	report(fmt, ap, "\n");
	va_end(ap);
	exit(1);
}

void usage_error(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	report(fmt, ap, " (see --help)\n");
	va_end(ap);
	exit(2);
}

uint64_t parse_number(const char *name, const char *s, uint64_t min,
		      uint64_t max)
{
	char *end;
	unsigned long long v;

	errno = 0;
	v = strtoull(s, &end, 10);
	/* strtoull accepts a sign: a negative number is never meant */
	if (*s < '0' || *s > '9' || *end || errno || v < min || v > max)
		usage_error("bad %s '%s' (want %" PRIu64 "-%" PRIu64 ")", name,
			    s, min, max);
	return v;
}
