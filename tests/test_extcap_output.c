/* SPDX-License-Identifier: BSD-3-Clause */
/* Unit tests of what the extcap writes, below Wireshark: the pcapng
 * writer's blocks read back field by field (lengths at both ends,
 * padding, options, a block larger than the writer's buffer, the
 * failure of a closed reader), the decimal numbers of the comment against
 * snprintf, the switch-port table (numbering, the bound, what makes two
 * ports different) and the comment of a flow and a discard sample. The
 * end-to-end tests (e2e_extcap.sh, e2e_wsfields.sh) read the same output
 * through tshark. */
#include <config.h>
#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "extcap_interfaces.h"
#include "pcapng.h"
#include "sample_comment.h"
#include "tap.h"

static uint32_t u32_at(const uint8_t *bytes, size_t at)
{
	uint32_t value;
	memcpy(&value, bytes + at, sizeof value);
	return value;
}

static uint16_t u16_at(const uint8_t *bytes, size_t at)
{
	uint16_t value;
	memcpy(&value, bytes + at, sizeof value);
	return value;
}

/* The option CODE in the options from START to END of a block: its
 * value's offset and length, or -1. */
static long find_option(const uint8_t *bytes, size_t start, size_t end, uint16_t code,
			size_t *length)
{
	for (size_t at = start; at + 4 <= end;) {
		uint16_t c = u16_at(bytes, at), l = u16_at(bytes, at + 2);
		if (c == 0)
			return -1;
		if (c == code) {
			*length = l;
			return (long)(at + 4);
		}
		at += 4 + ((l + 3u) & ~3u);
	}
	return -1;
}

/* Reads everything the writer wrote to the temporary file out. */
static uint8_t *read_all(FILE *out, size_t *length)
{
	*length = 0;
	if (fseek(out, 0, SEEK_END) != 0)
		return NULL;
	long size = ftell(out);
	uint8_t *bytes = size > 0 ? malloc((size_t)size) : NULL;
	rewind(out);
	if (bytes != NULL)
		*length = fread(bytes, 1, (size_t)size, out);
	return bytes;
}

static void test_writer(void)
{
	FILE *out = tmpfile();
	struct pcapng_writer writer;
	/* A small buffer: the 300-byte packet below is larger than it. */
	tap_eq(pcapng_writer_init(&writer, fileno(out), 64), 0, "writer: a 64-byte buffer");
	struct pcapng_interface interface = {
		.name = "sflow", .description = "sFlow collector", .filter = "udp port 53",
		.linktype = 1, .snaplen = 262144,
	};
	tap_eq(pcapng_write_header(&writer, "test", &interface), 0, "writer: the header");
	struct pcapng_interface port = interface;
	port.name = "10.1.2.3:7";
	port.filter = NULL;
	tap_eq(pcapng_write_interface(&writer, &port), 0, "writer: a port's interface");
	uint8_t data[300];
	for (size_t i = 0; i < sizeof data; i++)
		data[i] = (uint8_t)i;
	const char *comment = "sflow_sample agent=10.1.2.3 rate=1000";
	struct pcapng_packet small = {
		.time_ns = 1700000000123456789u, .caplen = 5, .len = 60, .data = data,
		.direction = PCAPNG_DIRECTION_IN, .comment = comment,
		.comment_length = strlen(comment), .interface_id = 1,
	};
	tap_eq(pcapng_write_packet(&writer, &small), 0, "writer: a 5-byte packet");
	struct pcapng_packet large = {
		.time_ns = 1, .caplen = sizeof data, .len = sizeof data, .data = data,
	};
	tap_eq(pcapng_write_packet(&writer, &large), 0,
	       "writer: a packet larger than the buffer (it grows)");
	struct pcapng_statistics statistics = { .time_ns = 2, .received = 10, .dropped = 3,
						.os_dropped = 1 };
	tap_eq(pcapng_write_statistics(&writer, &statistics), 0, "writer: statistics");
	tap_eq(pcapng_flush(&writer), 0, "writer: flushed");
	tap_eq(writer.length, 0, "writer: nothing left in the buffer");

	size_t length;
	uint8_t *bytes = read_all(out, &length);
	uint32_t types[8], count = 0;
	size_t offsets[8];
	int lengths_agree = 1;
	for (size_t at = 0; bytes != NULL && at + 12 <= length && count < 8;) {
		uint32_t total = u32_at(bytes, at + 4);
		if (total % 4 != 0 || total < 12 || at + total > length ||
		    u32_at(bytes, at + total - 4) != total) {
			lengths_agree = 0;
			break;
		}
		offsets[count] = at;
		types[count++] = u32_at(bytes, at);
		at += total;
	}
	tap_ok(lengths_agree, "blocks: each a multiple of 4, its length at both ends");
	tap_eq(count, 6, "blocks: six");
	if (count != 6) {
		free(bytes);
		fclose(out);
		pcapng_writer_free(&writer);
		return;
	}
	tap_ok(types[0] == 0x0A0D0D0Au && types[1] == 1 && types[2] == 1 && types[3] == 6 &&
	       types[4] == 6 && types[5] == 5, "blocks: SHB, IDB, IDB, EPB, EPB, ISB");
	tap_eq(u32_at(bytes, 8), 0x1A2B3C4Du, "SHB: the byte-order magic");

	size_t idb = offsets[1], idb_end = offsets[2] - 4, value_length = 0;
	long value = find_option(bytes, idb + 16, idb_end, 2, &value_length);
	tap_ok(value >= 0 && value_length == 5 && memcmp(bytes + value, "sflow", 5) == 0,
	       "IDB: if_name sflow");
	value = find_option(bytes, idb + 16, idb_end, 11, &value_length);
	tap_ok(value >= 0 && value_length == 12 && bytes[value] == 0 &&
	       memcmp(bytes + value + 1, "udp port 53", 11) == 0,
	       "IDB: if_filter, a 0 byte then the filter string");
	value = find_option(bytes, idb + 16, idb_end, 9, &value_length);
	tap_ok(value >= 0 && value_length == 1 && bytes[value] == 9, "IDB: if_tsresol 9 (ns)");
	tap_eq(u32_at(bytes, idb + 12), 262144, "IDB: the snap length");
	value = find_option(bytes, offsets[2] + 16, offsets[3] - 4, 11, &value_length);
	tap_ok(value < 0, "IDB: no if_filter for a port without a filter");

	size_t epb = offsets[3];
	tap_eq(u32_at(bytes, epb + 8), 1, "EPB: the port's interface id");
	uint64_t time_ns = (uint64_t)u32_at(bytes, epb + 12) << 32 | u32_at(bytes, epb + 16);
	tap_ok(time_ns == small.time_ns, "EPB: the time, nanoseconds, high word first");
	tap_eq(u32_at(bytes, epb + 20), 5, "EPB: captured length");
	tap_eq(u32_at(bytes, epb + 24), 60, "EPB: original length");
	tap_ok(memcmp(bytes + epb + 28, data, 5) == 0 && bytes[epb + 33] == 0 &&
	       bytes[epb + 34] == 0 && bytes[epb + 35] == 0,
	       "EPB: the data, then zeros to a multiple of 4");
	value = find_option(bytes, epb + 36, offsets[4] - 4, 2, &value_length);
	tap_ok(value >= 0 && value_length == 4 && u32_at(bytes, (size_t)value) == 1,
	       "EPB: epb_flags inbound");
	value = find_option(bytes, epb + 36, offsets[4] - 4, 1, &value_length);
	tap_ok(value >= 0 && value_length == strlen(comment) &&
	       memcmp(bytes + value, comment, value_length) == 0, "EPB: the comment");
	epb = offsets[4];
	tap_ok(u32_at(bytes, epb + 20) == sizeof data &&
	       memcmp(bytes + epb + 28, data, sizeof data) == 0,
	       "EPB: the large packet whole");
	value = find_option(bytes, epb + 28 + sizeof data, offsets[5] - 4, 2, &value_length);
	tap_ok(value < 0, "EPB: no flags for an unknown direction");
	size_t isb = offsets[5];
	value = find_option(bytes, isb + 20, length - 4, 4, &value_length);
	uint64_t received = 0;
	if (value >= 0)
		memcpy(&received, bytes + value, sizeof received);
	tap_ok(value >= 0 && value_length == 8 && received == 10, "ISB: isb_ifrecv");
	free(bytes);
	fclose(out);
	pcapng_writer_free(&writer);

	/* A reader that is gone: the flush fails with EPIPE, and the writer
	 * then refuses more. */
	int pipe_ends[2];
	int piped = pipe(pipe_ends) == 0;
	tap_ok(piped, "a pipe for the reader that goes");
	if (piped) {
		signal(SIGPIPE, SIG_IGN);
		close(pipe_ends[0]);
		pcapng_writer_init(&writer, pipe_ends[1], 4096);
		pcapng_write_packet(&writer, &small);
		tap_eq(pcapng_flush(&writer), -1, "a reader gone: the flush fails");
		tap_eq(writer.error, EPIPE, "a reader gone: EPIPE");
		tap_eq(pcapng_write_packet(&writer, &small), -1, "a failed writer writes no more");
		close(pipe_ends[1]);
		pcapng_writer_free(&writer);
	}
}

static void test_numbers(void)
{
	static const uint32_t values[] = { 0, 7, 9, 10, 99, 100, 101, 999, 1000, 65535, 99999,
					   100000, 999999, 1000000, 9999999, 10000000, 123456789,
					   999999999, 1000000000, 1073741823, 4294967294u,
					   4294967295u };
	int all_right = 1;
	for (size_t i = 0; i < sizeof values / sizeof values[0]; i++) {
		char got[16] = "", want[16];
		size_t length = extcap_u32_text(values[i], got);
		snprintf(want, sizeof want, "%u", values[i]);
		if (length != strlen(want) || memcmp(got, want, length) != 0) {
			printf("# %u: got %.*s\n", values[i], (int)length, got);
			all_right = 0;
		}
	}
	/* Every power of ten and its neighbours, and a stride through all. */
	for (uint64_t v = 1; v <= 0xFFFFFFFFu; v = v * 10 > v ? v * 10 : 0x100000000u) {
		for (int d = -1; d <= 1; d++) {
			uint32_t value = (uint32_t)(v + (uint64_t)(int64_t)d);
			char got[16], want[16];
			size_t length = extcap_u32_text(value, got);
			snprintf(want, sizeof want, "%u", value);
			if (length != strlen(want) || memcmp(got, want, length) != 0)
				all_right = 0;
		}
	}
	for (uint64_t v = 0; v <= 0xFFFFFFFFu; v += 104729) {
		char got[16], want[16];
		size_t length = extcap_u32_text((uint32_t)v, got);
		snprintf(want, sizeof want, "%u", (uint32_t)v);
		if (length != strlen(want) || memcmp(got, want, length) != 0)
			all_right = 0;
	}
	tap_ok(all_right, "numbers: the same digits as printf's %%u");
}

static struct pcap_sflow_packet_info port_info(int family, uint8_t last_byte, uint32_t sub_agent,
					       uint32_t class, uint32_t index)
{
	struct pcap_sflow_packet_info info;
	memset(&info, 0, sizeof info);
	info.agent_family = family;
	if (family == AF_INET) {
		uint8_t agent[4] = { 10, 1, 2, last_byte };
		memcpy(info.agent, agent, 4);
	} else {
		info.agent[0] = 0x20;
		info.agent[1] = 0x01;
		info.agent[2] = 0x0d;
		info.agent[3] = 0xb8;
		info.agent[15] = last_byte;
	}
	info.sub_agent = sub_agent;
	info.source_id_type = class;
	info.source_id_index = index;
	return info;
}

static void test_ports(void)
{
	struct extcap_ports ports;
	tap_eq(extcap_ports_init(&ports, 4), 0, "ports: a table of 4");
	struct pcap_sflow_packet_info keys[] = {
		port_info(AF_INET, 3, 0, 0, 7),
		port_info(AF_INET6, 3, 0, 0, 7),        /* another family */
		port_info(AF_INET, 3, 2, 0, 7),         /* another sub-agent */
		port_info(AF_INET, 3, 0, 1, 7),         /* a VLAN, not an ifIndex */
		port_info(AF_INET, 4, 0, 0, 7),         /* past the bound */
	};
	int is_new;
	int numbered = 1;
	for (uint32_t i = 0; i < 4; i++) {
		const struct extcap_port *port = extcap_ports_lookup(&ports, &keys[i], &is_new);
		if (!is_new || port->interface_id != i + 1)
			numbered = 0;
	}
	tap_ok(numbered, "ports: four different keys, interfaces 1 to 4 in order");
	const struct extcap_port *port = extcap_ports_lookup(&ports, &keys[4], &is_new);
	tap_ok(!is_new && port->interface_id == 0 && ports.overflowed == 1,
	       "ports: the fifth, past the bound, on interface 0");
	int found = 1;
	for (uint32_t i = 0; i < 4; i++) {
		port = extcap_ports_lookup(&ports, &keys[(i + 2) % 4], &is_new);
		if (is_new || port->interface_id != (i + 2) % 4 + 1)
			found = 0;
	}
	tap_ok(found, "ports: each found again, not new");
	char name[EXTCAP_PORT_NAME_MAX];
	const char *names[] = { "10.1.2.3:7", "[2001:db8::3]:7", "10.1.2.3#2:7", "10.1.2.3:vlan7" };
	for (uint32_t i = 0; i < 4; i++) {
		extcap_port_name(extcap_ports_lookup(&ports, &keys[i], &is_new), name, sizeof name);
		tap_ok(strcmp(name, names[i]) == 0, "ports: the name %s (got %s)", names[i], name);
	}
	extcap_ports_free(&ports);
}

static void test_comments(void)
{
	struct extcap_ports ports;
	extcap_ports_init(&ports, 4);
	struct pcap_sflow_packet_info info = port_info(AF_INET, 3, 0, 0, 7);
	info.input_ifindex = 7;
	info.output_ifindex = 3;
	info.direction = PCAP_SFLOW_DIRECTION_IN;
	info.sampling_rate = 1000;
	info.sample_pool = 4294967295u;
	info.sequence = 42;
	info.sample_kind = 1;
	int is_new;
	const struct extcap_port *port = extcap_ports_lookup(&ports, &info, &is_new);
	char comment[SAMPLE_COMMENT_MAX];
	size_t length = sample_comment(port, &info, comment);
	const char *want = "sflow_sample agent=10.1.2.3 sub_agent=0 source_class=0 source_index=7 "
			   "in_ifindex=7 out_ifindex=3 direction=in rate=1000 pool=4294967295 "
			   "seq=42 drops=0";
	tap_ok(strcmp(comment, want) == 0 && length == strlen(want), "comment: a flow sample");
	if (strcmp(comment, want) != 0)
		printf("# got: %s\n", comment);

	info.sample_kind = 5;
	info.direction = PCAP_SFLOW_DIRECTION_UNKNOWN;
	info.sampling_rate = 0;
	info.output_format = 1;
	info.output_ifindex = 258;
	info.discard_reason = 258;
	length = sample_comment(port, &info, comment);
	want = "sflow_sample agent=10.1.2.3 sub_agent=0 source_class=0 source_index=7 "
	       "in_ifindex=7 out_ifindex=258 out_format=1 direction=unknown rate=0 "
	       "pool=4294967295 seq=42 drops=0 discard_reason=258(acl)";
	tap_ok(strcmp(comment, want) == 0 && length == strlen(want),
	       "comment: a discard sample, its reason named");
	if (strcmp(comment, want) != 0)
		printf("# got: %s\n", comment);
	extcap_ports_free(&ports);
}

int main(void)
{
	test_writer();
	test_numbers();
	test_ports();
	test_comments();
	return tap_done();
}
