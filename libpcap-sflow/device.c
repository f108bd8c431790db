/* SPDX-License-Identifier: BSD-3-Clause */
/* The device-name parser: sflow[:[ADDRESS:]PORT][,OPTION...]. */
#include <config.h>
#include "device.h"

#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>

/* Flag options, by name; each is a bit in device->options. Giving one
 * twice is harmless. */
static const struct {
	const char *name;
	unsigned bit;
} flag_options[] = {
	{ "drops", SFLOW_OPTION_DROPS },
	{ "synth", SFLOW_OPTION_SYNTH },
	{ "vlan", SFLOW_OPTION_VLAN },
	{ NULL, 0 },
};

/* A piece of the name: not NUL-terminated. */
struct span {
	const char *text;
	size_t length;
};

int sflow_device_is_ours(const char *name)
{
	return name != NULL &&
	       strncmp(name, SFLOW_DEVICE_PREFIX, strlen(SFLOW_DEVICE_PREFIX)) == 0;
}

/* Every failure: what is wrong, then the grammar. The name is cut so the
 * grammar always fits in libpcap's error buffer. */
static int fail(char *error, size_t error_size, const char *name, const char *what,
		struct span part, const char *hint)
{
	snprintf(error, error_size, "%.20s%s: %s '%.*s%s'%s%s; use " SFLOW_DEVICE_GRAMMAR,
		 name, strlen(name) > 20 ? "..." : "", what,
		 (int)(part.length > 24 ? 24 : part.length), part.text,
		 part.length > 24 ? "..." : "",
		 hint[0] ? " " : "", hint);
	return -1;
}

static int equals(struct span s, const char *word)
{
	return strlen(word) == s.length && strncmp(s.text, word, s.length) == 0;
}

/* A decimal number of at most digits digits, no sign, no spaces. */
static int parse_number(struct span s, unsigned digits, unsigned long *value)
{
	*value = 0;
	if (s.length == 0 || s.length > digits)
		return -1;
	for (size_t i = 0; i < s.length; i++) {
		if (s.text[i] < '0' || s.text[i] > '9')
			return -1;
		*value = *value * 10 + (unsigned long)(s.text[i] - '0');
	}
	return 0;
}

static int parse_port(struct span s, uint16_t *port)
{
	unsigned long value;
	if (parse_number(s, 5, &value) < 0 || value == 0 || value > 65535)
		return -1;
	*port = (uint16_t)value;
	return 0;
}

/* An IPv4 literal, or an IPv6 one when ipv6 is set. */
static int parse_ip(struct span s, int ipv6, struct sflow_ip *ip)
{
	char text[INET6_ADDRSTRLEN + 1];
	if (s.length == 0 || s.length >= sizeof text)
		return -1;
	memcpy(text, s.text, s.length);
	text[s.length] = '\0';
	memset(ip, 0, sizeof *ip);
	ip->family = ipv6 ? 6 : 4;
	return inet_pton(ipv6 ? AF_INET6 : AF_INET, text, ip->bytes) == 1 ? 0 : -1;
}

/* ADDRESS:PORT with ADDRESS an IPv4 literal or a bracketed IPv6 one. */
static int parse_endpoint(struct span s, struct sflow_ip *ip, uint16_t *port)
{
	const char *colon;
	struct span address, port_text;

	if (s.length > 0 && s.text[0] == '[') {
		const char *close = memchr(s.text, ']', s.length);
		if (close == NULL || (size_t)(close + 1 - s.text) >= s.length || close[1] != ':')
			return -1;
		address = (struct span){ s.text + 1, (size_t)(close - s.text - 1) };
		colon = close + 1;
	} else {
		colon = memchr(s.text, ':', s.length);
		if (colon == NULL)
			return -1;
		address = (struct span){ s.text, (size_t)(colon - s.text) };
	}
	port_text = (struct span){ colon + 1, s.length - (size_t)(colon + 1 - s.text) };
	return parse_ip(address, s.text[0] == '[', ip) < 0 || parse_port(port_text, port) < 0
	       ? -1 : 0;
}

/* IP or PREFIX/LEN, IPv4 or IPv6 (no brackets needed: no port follows). */
static int parse_prefix(struct span s, struct sflow_prefix *prefix)
{
	const char *slash = memchr(s.text, '/', s.length);
	struct span address = { s.text, slash ? (size_t)(slash - s.text) : s.length };
	int ipv6 = memchr(address.text, ':', address.length) != NULL;
	unsigned long length = ipv6 ? 128 : 32;

	if (parse_ip(address, ipv6, &prefix->address) < 0)
		return -1;
	if (slash != NULL) {
		struct span digits = { slash + 1, s.length - address.length - 1 };
		if (parse_number(digits, 3, &length) < 0 || length > (ipv6 ? 128u : 32u))
			return -1;
	}
	prefix->length = (uint8_t)length;
	/* Clear the host bits, so matching compares whole bytes. */
	for (unsigned bit = (unsigned)length; bit < 128; bit++)
		prefix->address.bytes[bit / 8] &= (uint8_t)~(0x80u >> (bit % 8));
	return 0;
}

static int parse_option(struct span option, struct sflow_device *device, const char *name,
			char *error, size_t error_size)
{
	for (size_t i = 0; flag_options[i].name != NULL; i++) {
		if (equals(option, flag_options[i].name)) {
			device->options |= flag_options[i].bit;
			return 0;
		}
	}
	const char *equal = memchr(option.text, '=', option.length);
	if (equal == NULL)
		return fail(error, error_size, name, "unknown option", option, "");
	struct span key = { option.text, (size_t)(equal - option.text) };
	struct span value = { equal + 1, option.length - key.length - 1 };

	if (equals(key, "agent")) {
		if (device->agent_count == SFLOW_MAX_AGENTS)
			return fail(error, error_size, name, "too many agent=", option, "(at most 32)");
		if (parse_prefix(value, &device->agents[device->agent_count]) < 0)
			return fail(error, error_size, name, "bad agent", option,
				    "(IP or PREFIX/LEN)");
		device->agent_count++;
	} else if (equals(key, "ifindex")) {
		unsigned long index;
		if (device->ifindex_count == SFLOW_MAX_IFINDEXES)
			return fail(error, error_size, name, "too many ifindex=", option, "(at most 64)");
		/* sFlow data source indexes have 24 bits. */
		if (parse_number(value, 8, &index) < 0 || index > 0xFFFFFF)
			return fail(error, error_size, name,
				    "bad ifindex", option, "(0 to 16777215)");
		device->ifindexes[device->ifindex_count++] = (uint32_t)index;
	} else if (equals(key, "dir")) {
		enum sflow_direction direction = equals(value, "in") ? SFLOW_DIRECTION_IN
						 : equals(value, "out") ? SFLOW_DIRECTION_OUT
						 : SFLOW_DIRECTION_UNKNOWN;
		if (direction == SFLOW_DIRECTION_UNKNOWN ||
		    (device->direction != SFLOW_DIRECTION_UNKNOWN && device->direction != direction))
			return fail(error, error_size, name,
				    "bad dir", option, "(in or out, once)");
		device->direction = direction;
	} else if (equals(key, "sniff") || equals(key, "file")) {
		int sniff = equals(key, "sniff");
		char *target = sniff ? device->sniff : device->file;
		size_t room = sniff ? sizeof device->sniff : sizeof device->file;
		/* One source: the socket, an interface or a file. */
		if (device->sniff[0] || device->file[0])
			return fail(error, error_size, name, "a second source", option,
				    "(one sniff= or file=)");
		/* No hint: the grammar after it says what goes there. */
		if (value.length == 0 || value.length >= room)
			return fail(error, error_size, name,
				    value.length == 0 ? "empty" : "too long", option, "");
		memcpy(target, value.text, value.length);
		target[value.length] = '\0';
	} else if (equals(key, "forward")) {
		struct sflow_endpoint *target = &device->forwards[device->forward_count];
		if (device->forward_count == SFLOW_MAX_FORWARDS)
			return fail(error, error_size, name, "too many forward=", option, "(at most 8)");
		if (parse_endpoint(value, &target->address, &target->port) < 0)
			return fail(error, error_size, name,
				    "bad forward", option,
				    "(ADDRESS:PORT)");
		device->forward_count++;
	} else {
		return fail(error, error_size, name, "unknown option", option, "");
	}
	return 0;
}

/* After "sflow:": PORT, IPv4:PORT or [IPv6]:PORT. */
static int parse_listen(struct span s, struct sflow_device *device, const char *name,
			char *error, size_t error_size)
{
	/* Digits alone are a port; anything with an address in it is not. */
	if (s.length == 0 || strspn(s.text, "0123456789") >= s.length ||
	    (memchr(s.text, ':', s.length) == NULL && s.text[0] != '[' &&
	     memchr(s.text, '.', s.length) == NULL)) {
		if (parse_port(s, &device->port) < 0)
			return fail(error, error_size, name, "bad port", s, "(1 to 65535)");
		return 0;
	}
	if (parse_endpoint(s, &device->bind_address, &device->port) < 0)
		return fail(error, error_size, name, "bad address and port", s,
			    "(ADDRESS:PORT)");
	device->has_bind_address = 1;
	return 0;
}

int sflow_device_parse(const char *name, struct sflow_device *device,
		       char *error, size_t error_size)
{
	size_t prefix = strlen(SFLOW_DEVICE_PREFIX);

	memset(device, 0, sizeof *device);
	device->port = SFLOW_DEFAULT_PORT;
	if (name == NULL)
		name = "(null)";
	if (!sflow_device_is_ours(name) ||
	    (name[prefix] != '\0' && name[prefix] != ':' && name[prefix] != ',')) {
		struct span whole = { name, strlen(name) };
		return fail(error, error_size, name, "bad device name", whole, "");
	}
	const char *cursor = name + prefix;
	if (*cursor == ':') {
		cursor++;
		struct span listen = { cursor, strcspn(cursor, ",") };
		if (parse_listen(listen, device, name, error, error_size) < 0)
			return -1;
		cursor += listen.length;
	}
	while (*cursor == ',') {
		cursor++;
		struct span option = { cursor, strcspn(cursor, ",") };
		if (parse_option(option, device, name, error, error_size) < 0)
			return -1;
		cursor += option.length;
	}
	return 0;
}
