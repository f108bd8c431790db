/* SPDX-License-Identifier: BSD-3-Clause */
/* The sample comment (sample_comment.h), built per packet from the port's
 * precomputed start and a few integers: no printf, every packet pays only
 * for its own numbers. */
#include <config.h>
#include "sample_comment.h"

#include <string.h>

#include "drop_reasons.h"

/* Appends " key=" and the number; at most 1 + 15 + 10 bytes. */
static char *put_number(char *at, const char *key, size_t key_length, uint32_t value)
{
	*at++ = ' ';
	memcpy(at, key, key_length);
	at += key_length;
	return at + extcap_u32_text(value, at);
}

#define PUT_NUMBER(at, key, value) put_number((at), key, sizeof key - 1, (value))

size_t sample_comment(const struct extcap_port *port, const struct pcap_sflow_packet_info *info,
		      char *out)
{
	char *at = out;
	memcpy(at, port->comment_prefix, port->comment_prefix_length);
	at += port->comment_prefix_length;
	at = PUT_NUMBER(at, "in_ifindex=", info->input_ifindex);
	at = PUT_NUMBER(at, "out_ifindex=", info->output_ifindex);
	if (info->input_format != 0)
		at = PUT_NUMBER(at, "in_format=", info->input_format);
	if (info->output_format != 0)
		at = PUT_NUMBER(at, "out_format=", info->output_format);
	static const char *const directions[] = { " direction=unknown", " direction=in",
						  " direction=out" };
	const char *direction = directions[info->direction <= PCAP_SFLOW_DIRECTION_OUT
					   ? info->direction : PCAP_SFLOW_DIRECTION_UNKNOWN];
	size_t length = strlen(direction);
	memcpy(at, direction, length);
	at += length;
	at = PUT_NUMBER(at, "rate=", info->sampling_rate);
	at = PUT_NUMBER(at, "pool=", info->sample_pool);
	at = PUT_NUMBER(at, "seq=", info->sequence);
	at = PUT_NUMBER(at, "drops=", info->drops);
	if (info->sample_kind == 5) {
		at = PUT_NUMBER(at, "discard_reason=", info->discard_reason);
		const char *name = sflow_drop_reason_name(info->discard_reason);
		if (name != NULL) {
			/* The longest name is 33 bytes: within SAMPLE_COMMENT_MAX. */
			length = strlen(name);
			*at++ = '(';
			memcpy(at, name, length);
			at += length;
			*at++ = ')';
		}
	}
	*at = '\0';
	return (size_t)(at - out);
}
