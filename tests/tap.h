/* SPDX-License-Identifier: BSD-3-Clause */
/* Minimal TAP producer for the C unit tests: one line per check, so the
 * automake TAP driver counts each check as a test of its own. */
#ifndef TESTS_TAP_H
#define TESTS_TAP_H

#include <stdarg.h>
#include <stdio.h>

static int tap_count;
static int tap_failed;

static inline void tap_ok(int passed, const char *name_format, ...)
{
	va_list args;
	va_start(args, name_format);
	printf("%sok %d - ", passed ? "" : "not ", ++tap_count);
	vprintf(name_format, args);
	printf("\n");
	va_end(args);
	if (!passed)
		tap_failed++;
}

/* Equality of two integers, printing both when they differ. */
#define tap_eq(got, want, ...) do { \
	long long tap_got_ = (long long)(got), tap_want_ = (long long)(want); \
	if (tap_got_ != tap_want_) \
		printf("# %s: got %lld, want %lld\n", #got, tap_got_, tap_want_); \
	tap_ok(tap_got_ == tap_want_, __VA_ARGS__); \
} while (0)

static inline int tap_done(void)
{
	printf("1..%d\n", tap_count);
	return tap_failed ? 1 : 0;
}

#endif
