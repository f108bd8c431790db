/* SPDX-License-Identifier: BSD-3-Clause */
/* The sizes the read path is built from, named once, with the invariants
 * that keep every copy in bounds checked at compile time. */
#ifndef SFLOW_SIZES_H
#define SFLOW_SIZES_H

/* libpcap's largest and default snap length (MAXIMUM_SNAPLEN). */
#define SFLOW_MAX_SNAPLEN 262144
#define SFLOW_DEFAULT_SNAPLEN SFLOW_MAX_SNAPLEN
/* libpcap's default buffer size on Linux. */
#define SFLOW_DEFAULT_BUFFER_SIZE (2 * 1024 * 1024)

/* One receive slot per datagram, big enough for the largest UDP payload
 * (65,507 bytes over IPv4, 65,527 over IPv6), so no datagram is ever cut. */
#define SFLOW_SLOT_SIZE 65536
/* Datagrams per recvmmsg. */
#define SFLOW_BATCH_DATAGRAMS 32
/* Outside immediate mode, a batch that came in part full pauses this long
 * (microseconds) for more, again while more come (read.c). Short beside
 * what a socket buffer holds: at 300,000 datagrams a second a 2 MiB buffer
 * fills in about 3 ms. */
#define SFLOW_BATCH_PAUSE_US 500

/* The largest prefix framing builds in front of a packet: a LINUX_SLL2
 * header with an 802.1Q tag after it (24; Ethernet with a tag is 18) + a
 * synthesized IPv6 (40) + TCP (20) header. */
#define SFLOW_LINK_PREFIX_MAX 24
#define SFLOW_SYNTH_MAX 60
#define SFLOW_PREFIX_MAX 88

/* The smallest sample that can carry a packet: a v2/v4 flow sample with an
 * empty header record (13 words) is smaller than any v5 one. */
#define SFLOW_SMALLEST_PACKET_SAMPLE 52
/* The most packets one datagram can carry, so the queue never overflows
 * with valid datagrams. */
#define SFLOW_QUEUE_CAPACITY (SFLOW_SLOT_SIZE / SFLOW_SMALLEST_PACKET_SAMPLE + 1)

/* Packets that need bytes in front are built here: a prefix, then at most
 * all of the datagram the rest points into. */
#define SFLOW_ASSEMBLY_SIZE (SFLOW_PREFIX_MAX + SFLOW_SLOT_SIZE)

_Static_assert(SFLOW_SLOT_SIZE >= 65535, "a slot holds any UDP payload");
_Static_assert(SFLOW_PREFIX_MAX >= SFLOW_LINK_PREFIX_MAX + SFLOW_SYNTH_MAX,
	       "the prefix holds a tagged Ethernet header and a synthesized one");
_Static_assert(SFLOW_ASSEMBLY_SIZE >= SFLOW_PREFIX_MAX + SFLOW_SLOT_SIZE,
	       "an assembled packet (prefix + rest of one datagram) fits");
_Static_assert((unsigned long long)SFLOW_QUEUE_CAPACITY * SFLOW_SMALLEST_PACKET_SAMPLE
	       >= SFLOW_SLOT_SIZE, "the queue holds every packet of a full slot");
_Static_assert(SFLOW_DEFAULT_SNAPLEN <= SFLOW_MAX_SNAPLEN, "the default snap length is valid");

#endif
