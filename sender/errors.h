/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * How sflow-send reports failure: one line on stderr, prefixed with the
 * program name, then exit 1 (a failure while running) or 2 (a usage
 * error, the line ending with " (see --help)").
 */
#ifndef SENDER_ERRORS_H
#define SENDER_ERRORS_H

#include <stdint.h>

#define PROG "sflow-send"

void die(const char *fmt, ...)
	__attribute__((noreturn, format(printf, 1, 2)));
void usage_error(const char *fmt, ...)
	__attribute__((noreturn, format(printf, 1, 2)));

/* The decimal number s, given by the user for name, within min..max;
 * anything else is a usage error. */
uint64_t parse_number(const char *name, const char *s, uint64_t min,
		      uint64_t max);

#endif
