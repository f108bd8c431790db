/* SPDX-License-Identifier: BSD-3-Clause */
/* libFuzzer target for the device-name parser: the input, cut at its first
 * NUL, is the name a user gives to -i. Checks beyond "no crash": a result of
 * 0 or -1; success only for names that are ours, with a usable port; a
 * failure always explains itself in a NUL-terminated line (one line unless
 * the name has a newline), also when the error buffer is too small; what a
 * success holds stays within its bounds (counts, prefix lengths, ports). */
#include "device.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check(const char *name, size_t error_size)
{
	struct sflow_device device;
	char *error = malloc(error_size);

	if (error == NULL)
		abort();
	memset(error, 'x', error_size);
	int status = sflow_device_parse(name, &device, error, error_size);
	if (status == 0) {
		if (!sflow_device_is_ours(name) || device.port == 0 ||
		    device.agent_count > SFLOW_MAX_AGENTS ||
		    device.ifindex_count > SFLOW_MAX_IFINDEXES ||
		    device.forward_count > SFLOW_MAX_FORWARDS ||
		    (device.direction != SFLOW_DIRECTION_UNKNOWN && device.direction != SFLOW_DIRECTION_IN &&
		     device.direction != SFLOW_DIRECTION_OUT))
			abort();
		for (unsigned i = 0; i < device.agent_count; i++)
			if (device.agents[i].length > (device.agents[i].address.family == 6 ? 128 : 32))
				abort();
		for (unsigned i = 0; i < device.ifindex_count; i++)
			if (device.ifindexes[i] > 0xFFFFFF)
				abort();
		for (unsigned i = 0; i < device.forward_count; i++)
			if (device.forwards[i].port == 0)
				abort();
	} else if (status == -1) {
		/* strnlen stays inside the buffer: a missing NUL is a finding. */
		size_t length = strnlen(error, error_size);
		if (length == error_size || (error_size > 1 && length == 0))
			abort();
		/* One line, unless the user's name itself holds a newline. */
		if (strchr(name, '\n') == NULL && memchr(error, '\n', length) != NULL)
			abort();
	} else {
		abort();
	}
	free(error);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* An exact-size heap copy, so ASan catches a read past the NUL. */
	char *name = malloc(size + 1);

	if (name == NULL)
		abort();
	memcpy(name, data, size);
	name[size] = '\0';
	check(name, 256);       /* PCAP_ERRBUF_SIZE */
	check(name, 16);        /* every message is longer: truncated */
	check(name, 1);
	free(name);
	return 0;
}
