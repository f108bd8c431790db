/* SPDX-License-Identifier: BSD-3-Clause */
/* Parses sflow device names (see device.h). */
#include <config.h>
#include "device.h"

#include <stdio.h>
#include <string.h>

/* Every option, by name; each is a bit in device->options. Giving one
 * twice is harmless. */
static const struct {
	const char *name;
	unsigned bit;
} known_options[] = {
	{ "drops", SFLOW_OPTION_DROPS },
	{ "synth", SFLOW_OPTION_SYNTH },
	{ "vlan", SFLOW_OPTION_VLAN },
	{ NULL, 0 },
};

int sflow_device_is_ours(const char *name)
{
	return name != NULL &&
	       strncmp(name, SFLOW_DEVICE_PREFIX, strlen(SFLOW_DEVICE_PREFIX)) == 0;
}

static void option_list(char *out, size_t size)
{
	size_t used = 0;
	out[0] = '\0';
	for (size_t i = 0; known_options[i].name != NULL && used < size; i++)
		used += (size_t)snprintf(out + used, size - used, "%s%s",
					 i ? ", " : "", known_options[i].name);
}

static int parse_option(const char *text, size_t length, unsigned *options,
			const char *name, char *error, size_t error_size)
{
	for (size_t i = 0; known_options[i].name != NULL; i++) {
		if (strlen(known_options[i].name) == length &&
		    strncmp(known_options[i].name, text, length) == 0) {
			*options |= known_options[i].bit;
			return 0;
		}
	}
	char known[128];
	option_list(known, sizeof known);
	snprintf(error, error_size, "%s: unknown option '%.*s' (known options: %s)",
		 name, (int)length, text, known);
	return -1;
}

static int parse_port(const char *text, size_t length, uint16_t *port,
		      const char *name, char *error, size_t error_size)
{
	unsigned long value = 0;
	int valid = length > 0 && length <= 5;
	for (size_t i = 0; valid && i < length; i++) {
		if (text[i] < '0' || text[i] > '9')
			valid = 0;
		else
			value = value * 10 + (unsigned long)(text[i] - '0');
	}
	if (!valid || value == 0 || value > 65535) {
		snprintf(error, error_size,
			 "%s: bad port '%.*s': give a UDP port from 1 to 65535, as in sflow:6343",
			 name, (int)length, text);
		return -1;
	}
	*port = (uint16_t)value;
	return 0;
}

int sflow_device_parse(const char *name, struct sflow_device *device,
		       char *error, size_t error_size)
{
	size_t prefix = strlen(SFLOW_DEVICE_PREFIX);

	device->port = SFLOW_DEFAULT_PORT;
	device->options = 0;
	if (!sflow_device_is_ours(name) ||
	    (name[prefix] != '\0' && name[prefix] != ':' && name[prefix] != ',')) {
		snprintf(error, error_size, "%s: bad device name: use %s",
			 name ? name : "(null)", SFLOW_DEVICE_FORMS);
		return -1;
	}
	const char *cursor = name + prefix;
	if (*cursor == ':') {
		cursor++;
		size_t length = strcspn(cursor, ",");
		if (parse_port(cursor, length, &device->port, name, error, error_size) < 0)
			return -1;
		cursor += length;
	}
	while (*cursor == ',') {
		cursor++;
		size_t length = strcspn(cursor, ",");
		if (parse_option(cursor, length, &device->options, name, error, error_size) < 0)
			return -1;
		cursor += length;
	}
	return 0;
}
