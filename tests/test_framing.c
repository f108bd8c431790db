/* SPDX-License-Identifier: BSD-3-Clause */
/* Unit tests of packet framing: every header protocol under every offered
 * link type, each device option, the length rules, byte for byte. Samples
 * are filled in as the decoder would fill them. Output is TAP. */
#include "framing.h"

#include <pcap/dlt.h>
#include <stdio.h>
#include <string.h>

#include "device.h"
#include "sflow_encode.h"
#include "tap.h"

static const struct sflow_datagram v5 = { .version = 5 };
static const struct sflow_datagram v4 = { .version = 4 };
static const struct sflow_datagram v2 = { .version = 2 };

/* Ethernet II + IPv4 + UDP, untagged. */
static const uint8_t eth_ip4[42] = {
	0x02, 0, 0, 0, 0, 0x02, 0x02, 0, 0, 0, 0, 0x01, 0x08, 0x00,
	0x45, 0x00, 0x00, 0x1c, 0x12, 0x34, 0x00, 0x00, 0x40, 0x11, 0x00, 0x00,
	10, 0, 0, 1, 10, 0, 0, 2,
	0x30, 0x39, 0x00, 0x35, 0x00, 0x08, 0x00, 0x00,
};
/* 802.1Q VLAN 10 + IPv6 (first bytes only). */
static const uint8_t eth_q_ip6[26] = {
	0x02, 0, 0, 0, 0, 0x02, 0x02, 0, 0, 0, 0, 0x01, 0x81, 0x00, 0x00, 0x0a, 0x86, 0xdd,
	0x60, 0, 0, 0, 0, 0x08, 0x11, 0x40,
};
/* 802.1ad outer tag, 802.1Q inner tag, IPv4. */
static const uint8_t eth_qinq_ip4[30] = {
	0x02, 0, 0, 0, 0, 0x02, 0x02, 0, 0, 0, 0, 0x01,
	0x88, 0xa8, 0x00, 0x64, 0x81, 0x00, 0x00, 0x0a, 0x08, 0x00,
	0x45, 0, 0, 20, 0, 0, 0, 0,
};
static const uint8_t eth_arp[20] = {
	0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x02, 0, 0, 0, 0, 0x01, 0x08, 0x06,
	0x00, 0x01, 0x08, 0x00, 0x06, 0x04,
};
static const uint8_t ip4_packet[20] = {
	0x45, 0, 0, 20, 0, 0, 0, 0, 64, 6, 0, 0, 10, 0, 0, 1, 10, 0, 0, 2,
};
static const uint8_t ip6_packet[8] = { 0x60, 0, 0, 0, 0, 0, 59, 64 };
static const uint8_t mpls_packet[8] = { 0x00, 0x01, 0x41, 0x40, 0x45, 0, 0, 20 };
static const uint8_t other_packet[24] = { 0x08, 0x02, 0x00, 0x00, 0xff, 0xff };

static struct sflow_sample header_sample(uint32_t protocol, uint32_t frame_length,
					 uint32_t stripped, const uint8_t *header,
					 uint32_t length)
{
	struct sflow_sample s;
	memset(&s, 0, sizeof s);
	s.kind = SFLOW_SAMPLE_FLOW;
	s.has_header = 1;
	s.header_protocol = protocol;
	s.frame_length = frame_length;
	s.stripped = stripped;
	s.header = header;
	s.header_length = length;
	return s;
}

static enum sflow_frame_result frame(int linktype, unsigned options,
				     const struct sflow_datagram *datagram,
				     const struct sflow_sample *s, struct sflow_framed_packet *p)
{
	const struct sflow_framing framing = { linktype, options };
	memset(p, 0xee, sizeof *p);
	enum sflow_frame_result result = sflow_frame(&framing, datagram, s, p);
	if (result == SFLOW_FRAMED) {
		tap_ok(p->rest != NULL, "rest is never NULL");
		tap_ok(p->wire_length >= p->prefix_length + p->rest_length,
		       "wire length %u is not below the captured %u", p->wire_length,
		       p->prefix_length + p->rest_length);
	}
	return result;
}

/* The packet's bytes, as deliver_next assembles them. */
static size_t assemble(const struct sflow_framed_packet *p, uint8_t *out)
{
	memcpy(out, p->prefix, p->prefix_length);
	memcpy(out + p->prefix_length, p->rest, p->rest_length);
	return p->prefix_length + p->rest_length;
}

static void bytes_are(const struct sflow_framed_packet *p, const uint8_t *want,
		      size_t want_length, const char *name)
{
	uint8_t got[512];
	size_t length = assemble(p, got);
	int same = length == want_length && memcmp(got, want, length) == 0;
	if (!same) {
		printf("# got ");
		for (size_t i = 0; i < length; i++)
			printf("%02x", got[i]);
		printf("\n# want ");
		for (size_t i = 0; i < want_length; i++)
			printf("%02x", want[i]);
		printf("\n");
	}
	tap_ok(same, "%s: bytes", name);
}

/* Framed, with these bytes and wire length. */
static void framed(int linktype, unsigned options, const struct sflow_datagram *datagram,
		   const struct sflow_sample *s, const uint8_t *want, size_t want_length,
		   uint32_t wire, const char *name)
{
	struct sflow_framed_packet p;
	tap_eq(frame(linktype, options, datagram, s, &p), SFLOW_FRAMED, "%s: framed", name);
	bytes_are(&p, want, want_length, name);
	tap_eq(p.wire_length, wire, "%s: wire length", name);
}

static void not_framed(int linktype, unsigned options, const struct sflow_sample *s,
		       enum sflow_frame_result want, const char *name)
{
	struct sflow_framed_packet p;
	tap_eq(frame(linktype, options, &v5, s, &p), want, "%s", name);
}

/* Concatenates two byte strings into out; returns the length. */
static size_t join(uint8_t *out, const uint8_t *a, size_t a_length,
		   const uint8_t *b, size_t b_length)
{
	memcpy(out, a, a_length);
	memcpy(out + a_length, b, b_length);
	return a_length + b_length;
}

static const uint8_t eth_prefix_ip4[14] = { [12] = 0x08, [13] = 0x00 };
static const uint8_t eth_prefix_ip6[14] = { [12] = 0x86, [13] = 0xdd };
static const uint8_t eth_prefix_mpls[14] = { [12] = 0x88, [13] = 0x47 };

static void test_link_types(void)
{
	tap_eq(sflow_framing_linktype_count(), 8, "eight link types offered");
	tap_eq(sflow_framing_linktype(0), DLT_EN10MB, "EN10MB is the default");
	tap_eq(sflow_framing_linktype(1), DLT_RAW, "RAW offered");
	tap_eq(sflow_framing_linktype(2), DLT_LINUX_SLL2, "LINUX_SLL2 offered");
	tap_eq(sflow_framing_linktype(3), DLT_IEEE802_11, "IEEE802_11 offered");
	tap_eq(sflow_framing_linktype(4), DLT_PPP, "PPP offered");
	tap_eq(sflow_framing_linktype(5), DLT_PPP_SERIAL, "PPP_SERIAL offered (for POS)");
	tap_eq(sflow_framing_linktype(6), DLT_FDDI, "FDDI offered");
	tap_eq(sflow_framing_linktype(7), DLT_IEEE802, "IEEE802 (token ring) offered");
	tap_eq(sflow_framing_linktype(8), -1, "nothing past the end");
}

/* Every header protocol under every link type: what happens to it. */
static void test_protocol_matrix(void)
{
	static const int linktypes[] = { DLT_EN10MB, DLT_RAW, DLT_LINUX_SLL2, DLT_IEEE802_11,
					 DLT_PPP, DLT_PPP_SERIAL, DLT_FDDI, DLT_IEEE802 };
	/* F framed, L filtered by link type, U unsupported; columns as above.
	 * Ethernet under RAW is framed here because eth_ip4 carries IPv4. */
	static const struct { uint32_t protocol; const char *fate; } rows[] = {
		{ 0, "UUUUUUUU" }, { 1, "FFFLLLLL" }, { 2, "UUUUUUUU" }, { 3, "UUUUUUUF" },
		{ 4, "UUUUUUFU" }, { 5, "UUUUUUUU" }, { 6, "UUUUUUUU" }, { 7, "UUUUFUUU" },
		{ 8, "UUUUUUUU" }, { 9, "UUUUUUUU" }, { 10, "UUUUUUUU" }, { 11, "FFFLLLLL" },
		{ 12, "FFFLLLLL" }, { 13, "FLFLLLLL" }, { 14, "UUUUUFUU" }, { 15, "UUUFUUUU" },
		{ 16, "UUUUUUUU" }, { 17, "UUUUUUUU" }, { 18, "UUUUUUUU" }, { 0xffffffff, "UUUUUUUU" },
	};
	for (size_t r = 0; r < sizeof rows / sizeof rows[0]; r++) {
		struct sflow_sample s = header_sample(rows[r].protocol, 64, 4, eth_ip4,
						      sizeof eth_ip4);
		for (size_t l = 0; l < sizeof linktypes / sizeof linktypes[0]; l++) {
			struct sflow_framed_packet p;
			char fate = rows[r].fate[l];
			enum sflow_frame_result want = fate == 'F' ? SFLOW_FRAMED
				: fate == 'L' ? SFLOW_FRAME_LINKTYPE_FILTERED
				: SFLOW_FRAME_UNSUPPORTED;
			tap_eq(frame(linktypes[l], 0, &v5, &s, &p), want,
			       "header protocol %u under DLT %d: %c", rows[r].protocol,
			       linktypes[l], fate);
		}
	}
}

static void test_ethernet(void)
{
	struct sflow_framed_packet p;
	struct sflow_sample s = header_sample(1, 1518, 4, eth_ip4, sizeof eth_ip4);

	framed(DLT_EN10MB, 0, &v5, &s, eth_ip4, sizeof eth_ip4, 1514, "Ethernet under EN10MB");
	frame(DLT_EN10MB, 0, &v5, &s, &p);
	tap_ok(p.prefix_length == 0 && p.rest == eth_ip4, "Ethernet: referenced in place, no copy");

	/* stripped: FCS and up to two tags are plausible; beyond, it is 4. */
	s.stripped = 0;
	framed(DLT_EN10MB, 0, &v5, &s, eth_ip4, sizeof eth_ip4, 1518, "stripped 0 trusted");
	s.stripped = 12;
	framed(DLT_EN10MB, 0, &v5, &s, eth_ip4, sizeof eth_ip4, 1506, "stripped 12 (FCS + 2 tags) trusted");
	s.stripped = 13;
	framed(DLT_EN10MB, 0, &v5, &s, eth_ip4, sizeof eth_ip4, 1514, "stripped 13 taken as 4");
	s.stripped = 1518 - 128;
	framed(DLT_EN10MB, 0, &v5, &s, eth_ip4, sizeof eth_ip4, 1514,
	       "stripped = frame_length - header_length taken as 4");
	s.stripped = 0xffffffff;
	framed(DLT_EN10MB, 0, &v5, &s, eth_ip4, sizeof eth_ip4, 1514, "stripped 2^32-1 taken as 4");
	s = header_sample(1, 30, 4, eth_ip4, sizeof eth_ip4);
	framed(DLT_EN10MB, 0, &v5, &s, eth_ip4, sizeof eth_ip4, 42,
	       "frame_length below the header: wire is the captured length");
	s = header_sample(1, 2, 4, eth_ip4, sizeof eth_ip4);
	framed(DLT_EN10MB, 0, &v5, &s, eth_ip4, sizeof eth_ip4, 42,
	       "stripped above frame_length: wire is the captured length");
	s = header_sample(1, 0xffffffff, 4, eth_ip4, sizeof eth_ip4);
	framed(DLT_EN10MB, 0, &v5, &s, eth_ip4, sizeof eth_ip4, 0xfffffffb,
	       "huge frame_length does not wrap");
	s = header_sample(1, 0, 0, eth_ip4, 0);
	framed(DLT_EN10MB, 0, &v5, &s, eth_ip4, 0, 0, "empty header: empty packet");

	/* v2/v4: no stripped field; frame_length includes the FCS. */
	s = header_sample(1, 1518, 0, eth_ip4, sizeof eth_ip4);
	framed(DLT_EN10MB, 0, &v4, &s, eth_ip4, sizeof eth_ip4, 1514, "v4 Ethernet: FCS subtracted");
	framed(DLT_EN10MB, 0, &v2, &s, eth_ip4, sizeof eth_ip4, 1514, "v2 Ethernet: FCS subtracted");
	s = header_sample(1, 42, 0, eth_ip4, sizeof eth_ip4);
	framed(DLT_EN10MB, 0, &v2, &s, eth_ip4, sizeof eth_ip4, 42,
	       "v2 Ethernet whose frame_length lacks the FCS: never below captured");
	s = header_sample(11, 1500, 0, ip4_packet, sizeof ip4_packet);
	framed(DLT_RAW, 0, &v4, &s, ip4_packet, sizeof ip4_packet, 1500,
	       "v4 IPv4 header: nothing subtracted");
}

static void test_synthetic_ethernet(void)
{
	uint8_t want[256];
	size_t n;
	struct sflow_framed_packet p;
	struct sflow_sample s = header_sample(11, 1500, 0, ip4_packet, sizeof ip4_packet);

	n = join(want, eth_prefix_ip4, 14, ip4_packet, sizeof ip4_packet);
	framed(DLT_EN10MB, 0, &v5, &s, want, n, 1514, "IPv4 under EN10MB: zero MACs, 0x0800");
	frame(DLT_EN10MB, 0, &v5, &s, &p);
	tap_ok(p.prefix_length == 14 && p.rest == ip4_packet,
	       "IPv4 under EN10MB: only the 14 added bytes are copied");

	s = header_sample(12, 1000, 0, ip6_packet, sizeof ip6_packet);
	n = join(want, eth_prefix_ip6, 14, ip6_packet, sizeof ip6_packet);
	framed(DLT_EN10MB, 0, &v5, &s, want, n, 1014, "IPv6 under EN10MB: 0x86dd");

	s = header_sample(13, 500, 0, mpls_packet, sizeof mpls_packet);
	n = join(want, eth_prefix_mpls, 14, mpls_packet, sizeof mpls_packet);
	framed(DLT_EN10MB, 0, &v5, &s, want, n, 514, "MPLS under EN10MB: 0x8847");

	s = header_sample(11, 4, 0, ip4_packet, sizeof ip4_packet);
	n = join(want, eth_prefix_ip4, 14, ip4_packet, sizeof ip4_packet);
	framed(DLT_EN10MB, 0, &v5, &s, want, n, 34, "IPv4 short frame_length: captured length");
	s = header_sample(11, 1500, 100, ip4_packet, sizeof ip4_packet);
	framed(DLT_EN10MB, 0, &v5, &s, want, n, 1414, "IPv4: stripped honoured");
}

static void test_raw(void)
{
	struct sflow_framed_packet p;
	struct sflow_sample s = header_sample(11, 1500, 0, ip4_packet, sizeof ip4_packet);

	framed(DLT_RAW, 0, &v5, &s, ip4_packet, sizeof ip4_packet, 1500, "IPv4 under RAW: as is");
	s = header_sample(12, 1000, 0, ip6_packet, sizeof ip6_packet);
	framed(DLT_RAW, 0, &v5, &s, ip6_packet, sizeof ip6_packet, 1000, "IPv6 under RAW: as is");

	s = header_sample(1, 1518, 4, eth_ip4, sizeof eth_ip4);
	framed(DLT_RAW, 0, &v5, &s, eth_ip4 + 14, sizeof eth_ip4 - 14, 1500,
	       "Ethernet IPv4 under RAW: link layer stepped over");
	frame(DLT_RAW, 0, &v5, &s, &p);
	tap_ok(p.prefix_length == 0 && p.rest == eth_ip4 + 14, "RAW: rest moves forward, no copy");

	s = header_sample(1, 1522, 4, eth_q_ip6, sizeof eth_q_ip6);
	framed(DLT_RAW, 0, &v5, &s, eth_q_ip6 + 18, sizeof eth_q_ip6 - 18, 1500,
	       "802.1Q IPv6 under RAW: tag stepped over");
	s = header_sample(1, 1526, 4, eth_qinq_ip4, sizeof eth_qinq_ip4);
	framed(DLT_RAW, 0, &v5, &s, eth_qinq_ip4 + 22, sizeof eth_qinq_ip4 - 22, 1500,
	       "802.1ad + 802.1Q IPv4 under RAW: both tags stepped over");
	s = header_sample(1, 14 + 4, 4, eth_ip4, 14);
	framed(DLT_RAW, 0, &v5, &s, eth_ip4, 0, 0, "Ethernet IPv4 header only: empty IP packet");
	s = header_sample(1, 64, 4, eth_ip4, sizeof eth_ip4);
	framed(DLT_RAW, 0, &v5, &s, eth_ip4 + 14, sizeof eth_ip4 - 14, 46,
	       "RAW: wire length without the link layer");
	s = header_sample(1, 10, 4, eth_ip4, sizeof eth_ip4);
	framed(DLT_RAW, 0, &v5, &s, eth_ip4 + 14, 28, 28, "RAW: short frame_length gives captured");

	s = header_sample(1, 64, 4, eth_arp, sizeof eth_arp);
	not_framed(DLT_RAW, 0, &s, SFLOW_FRAME_LINKTYPE_FILTERED, "ARP under RAW: filtered out");
	s = header_sample(1, 64, 4, eth_ip4, 13);
	not_framed(DLT_RAW, 0, &s, SFLOW_FRAME_LINKTYPE_FILTERED,
		   "Ethernet header cut before its type under RAW: filtered out");
	s = header_sample(1, 64, 4, eth_q_ip6, 16);
	not_framed(DLT_RAW, 0, &s, SFLOW_FRAME_LINKTYPE_FILTERED,
		   "Ethernet header cut inside its tag under RAW: filtered out");
	s = header_sample(13, 64, 0, mpls_packet, sizeof mpls_packet);
	not_framed(DLT_RAW, 0, &s, SFLOW_FRAME_LINKTYPE_FILTERED, "MPLS under RAW: filtered out");
	s = header_sample(15, 64, 4, other_packet, sizeof other_packet);
	not_framed(DLT_RAW, 0, &s, SFLOW_FRAME_UNSUPPORTED, "802.11 under RAW: unsupported");
}

static void test_other_link_types(void)
{
	struct sflow_sample s = header_sample(15, 100, 4, other_packet, sizeof other_packet);
	framed(DLT_IEEE802_11, 0, &v5, &s, other_packet, sizeof other_packet, 96,
	       "802.11 under IEEE802_11: as is");
	not_framed(DLT_EN10MB, 0, &s, SFLOW_FRAME_UNSUPPORTED, "802.11 under EN10MB: unsupported");
	s = header_sample(7, 100, 0, other_packet, sizeof other_packet);
	framed(DLT_PPP, 0, &v5, &s, other_packet, sizeof other_packet, 100, "PPP under PPP: as is");
	not_framed(DLT_EN10MB, 0, &s, SFLOW_FRAME_UNSUPPORTED, "PPP under EN10MB: unsupported");
	not_framed(DLT_PPP_SERIAL, 0, &s, SFLOW_FRAME_UNSUPPORTED, "PPP under PPP_SERIAL: unsupported");
	s = header_sample(14, 100, 2, other_packet, sizeof other_packet);
	framed(DLT_PPP_SERIAL, 0, &v5, &s, other_packet, sizeof other_packet, 98,
	       "POS under PPP_SERIAL: as is");
	s = header_sample(4, 100, 4, other_packet, sizeof other_packet);
	framed(DLT_FDDI, 0, &v5, &s, other_packet, sizeof other_packet, 96, "FDDI under FDDI");
	s = header_sample(3, 100, 4, other_packet, sizeof other_packet);
	framed(DLT_IEEE802, 0, &v5, &s, other_packet, sizeof other_packet, 96,
	       "token ring under IEEE802");
	s = header_sample(1, 64, 4, eth_ip4, sizeof eth_ip4);
	not_framed(DLT_IEEE802_11, 0, &s, SFLOW_FRAME_LINKTYPE_FILTERED,
		   "Ethernet under IEEE802_11: filtered out");
	not_framed(DLT_PPP, SFLOW_OPTION_VLAN | SFLOW_OPTION_SYNTH, &s,
		   SFLOW_FRAME_LINKTYPE_FILTERED, "Ethernet under PPP, with options: filtered out");
}

/* LINUX_SLL2: 20 bytes (protocol, 0, ifindex, ARPHRD, packet type,
 * address length, address), then the network layer. */
static void test_sll2(void)
{
	uint8_t want[128];
	const uint8_t sll2_eth_in[20] = { 0x08, 0x00, 0, 0, 0, 0, 0, 7, 0, 1, 0, 6,
					  0x02, 0, 0, 0, 0, 0x01, 0, 0 };
	struct sflow_sample s = header_sample(1, 64, 4, eth_ip4, sizeof eth_ip4);
	s.source_id_index = 7;
	s.input = 7;
	s.direction = SFLOW_DIRECTION_IN;
	size_t n = join(want, sll2_eth_in, 20, eth_ip4 + 14, sizeof eth_ip4 - 14);
	framed(DLT_LINUX_SLL2, 0, &v5, &s, want, n, 60 - 14 + 20,
	       "SLL2 Ethernet ingress: ifindex 7, PACKET_HOST, source MAC, no Ethernet header");

	const uint8_t sll2_eth_out[20] = { 0x08, 0x00, 0, 0, 0, 0, 0, 9, 0, 1, 4, 6,
					   0x02, 0, 0, 0, 0, 0x01, 0, 0 };
	s.source_id_index = 9;
	s.output = 9;
	s.direction = SFLOW_DIRECTION_OUT;
	n = join(want, sll2_eth_out, 20, eth_ip4 + 14, sizeof eth_ip4 - 14);
	framed(DLT_LINUX_SLL2, 0, &v5, &s, want, n, 66, "SLL2 egress: PACKET_OUTGOING");

	const uint8_t sll2_other[20] = { 0x08, 0x00, 0, 0, 0, 0, 0, 0, 0, 1, 3, 6,
					 0x02, 0, 0, 0, 0, 0x01, 0, 0 };
	s.source_id_type = 2;           /* an entity, not an interface */
	s.direction = SFLOW_DIRECTION_UNKNOWN;
	n = join(want, sll2_other, 20, eth_ip4 + 14, sizeof eth_ip4 - 14);
	framed(DLT_LINUX_SLL2, 0, &v5, &s, want, n, 66,
	       "SLL2: non-interface data source index 0, undetermined PACKET_OTHERHOST");

	const uint8_t sll2_q[20] = { 0x81, 0x00, 0, 0, 0, 0, 0, 0, 0, 1, 3, 6,
				     0x02, 0, 0, 0, 0, 0x01, 0, 0 };
	struct sflow_sample q = header_sample(1, 64, 4, eth_q_ip6, sizeof eth_q_ip6);
	q.source_id_type = 2;
	n = join(want, sll2_q, 20, eth_q_ip6 + 14, sizeof eth_q_ip6 - 14);
	framed(DLT_LINUX_SLL2, SFLOW_OPTION_VLAN, &v5, &q, want, n, 66,
	       "SLL2: a tagged frame keeps its tag after the header, protocol 0x8100");

	const uint8_t sll2_ip[20] = { 0x86, 0xdd, 0, 0, 0, 0, 0, 3, 0xff, 0xfe, 0, 0 };
	struct sflow_sample ip = header_sample(12, 48, 0, ip6_packet, sizeof ip6_packet);
	ip.source_id_index = 3;
	ip.input = 3;
	ip.direction = SFLOW_DIRECTION_IN;
	n = join(want, sll2_ip, 20, ip6_packet, sizeof ip6_packet);
	framed(DLT_LINUX_SLL2, 0, &v5, &ip, want, n, 48 + 20,
	       "SLL2 IPv6 header: ARPHRD_NONE, no address");

	/* vlan inserts the tag after the SLL2 header. */
	struct sflow_sample tagged = header_sample(1, 64, 4, eth_ip4, sizeof eth_ip4);
	tagged.has_switch = 1;
	tagged.src_vlan = 10;
	tagged.src_priority = 3;
	tagged.source_id_index = 7;
	tagged.input = 7;
	tagged.direction = SFLOW_DIRECTION_IN;
	const uint8_t sll2_tag[24] = { 0x81, 0x00, 0, 0, 0, 0, 0, 7, 0, 1, 0, 6,
				       0x02, 0, 0, 0, 0, 0x01, 0, 0, 0x60, 0x0a, 0x08, 0x00 };
	n = join(want, sll2_tag, 24, eth_ip4 + 14, sizeof eth_ip4 - 14);
	framed(DLT_LINUX_SLL2, SFLOW_OPTION_VLAN, &v5, &tagged, want, n, 60 - 14 + 24,
	       "SLL2 with vlan: tag inserted after the header");

	struct sflow_sample runt = header_sample(1, 64, 4, eth_ip4, 13);
	not_framed(DLT_LINUX_SLL2, 0, &runt, SFLOW_FRAME_LINKTYPE_FILTERED,
		   "SLL2: an Ethernet header cut short is filtered by link type");
}

static void test_drops(void)
{
	struct sflow_sample s = header_sample(1, 1518, 4, eth_ip4, sizeof eth_ip4);

	not_framed(DLT_EN10MB, SFLOW_OPTION_DROPS, &s, SFLOW_FRAME_FLOW_SKIPPED,
		   "drops: flow samples are skipped");
	s.kind = SFLOW_SAMPLE_FLOW_EXPANDED;
	not_framed(DLT_EN10MB, SFLOW_OPTION_DROPS, &s, SFLOW_FRAME_FLOW_SKIPPED,
		   "drops: expanded flow samples are skipped");
	s.kind = SFLOW_SAMPLE_DISCARD;
	not_framed(DLT_EN10MB, 0, &s, SFLOW_FRAME_DISCARD_SKIPPED,
		   "no drops: discard samples are skipped");
	framed(DLT_EN10MB, SFLOW_OPTION_DROPS, &v5, &s, eth_ip4, sizeof eth_ip4, 1514,
	       "drops: a discard sample's header is a packet");
	framed(DLT_RAW, SFLOW_OPTION_DROPS, &v5, &s, eth_ip4 + 14, sizeof eth_ip4 - 14, 1500,
	       "drops under RAW");
	not_framed(DLT_EN10MB, SFLOW_OPTION_DROPS, &(struct sflow_sample){ .kind = SFLOW_SAMPLE_DISCARD },
		   SFLOW_FRAME_NO_HEADER, "drops: discard sample without header");
}

static struct sflow_sample ip_sample(int ipv6, uint32_t protocol, uint32_t length)
{
	static const uint8_t src6[16] = { 0x20, 0x01, 0x0d, 0xb8, [15] = 1 };
	static const uint8_t dst6[16] = { 0x20, 0x01, 0x0d, 0xb8, [15] = 2 };
	struct sflow_sample s;
	memset(&s, 0, sizeof s);
	s.kind = SFLOW_SAMPLE_FLOW;
	s.has_ipv4 = !ipv6;
	s.has_ipv6 = ipv6;
	s.ip.length = length;
	s.ip.protocol = protocol;
	if (ipv6) {
		memcpy(s.ip.src, src6, 16);
		memcpy(s.ip.dst, dst6, 16);
	} else {
		memcpy(s.ip.src, (uint8_t[]){ 192, 0, 2, 1 }, 4);
		memcpy(s.ip.dst, (uint8_t[]){ 198, 51, 100, 2 }, 4);
	}
	s.ip.src_port = 40000;
	s.ip.dst_port = 443;
	s.ip.tcp_flags = 0x012;   /* SYN ACK */
	s.ip.tos = 0xb8;
	return s;
}

static void test_synth(void)
{
	static const uint8_t ip4_tcp[40] = {
		0x45, 0xb8, 0x05, 0xdc, 0, 0, 0, 0, 64, 6, 0x00, 0x00,
		192, 0, 2, 1, 198, 51, 100, 2,
		0x9c, 0x40, 0x01, 0xbb, 0, 0, 0, 0, 0, 0, 0, 0, 0x50, 0x12, 0, 0, 0, 0, 0, 0,
	};
	static const uint8_t ip6_udp[48] = {
		0x6b, 0x80, 0, 0, 0x00, 0x50, 17, 64,
		0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1,
		0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2,
		0x9c, 0x40, 0x01, 0xbb, 0x00, 0x50, 0, 0,
	};
	uint8_t want[256], ip4[40];
	size_t n;
	struct sflow_framed_packet p;
	struct sflow_sample s = ip_sample(0, 6, 1500);

	not_framed(DLT_EN10MB, 0, &s, SFLOW_FRAME_NO_SYNTH, "sampled_ipv4 without synth: skipped");
	/* The IPv4 checksum the module must compute over ip4_tcp's header. */
	memcpy(ip4, ip4_tcp, sizeof ip4);
	uint16_t sum = sflow_ip_checksum(ip4, 20);
	ip4[10] = (uint8_t)(sum >> 8);
	ip4[11] = (uint8_t)sum;
	n = join(want, eth_prefix_ip4, 14, ip4, sizeof ip4);
	framed(DLT_EN10MB, SFLOW_OPTION_SYNTH, &v5, &s, want, n, 1514,
	       "synth IPv4 TCP under EN10MB: Ethernet + IPv4 + TCP");
	frame(DLT_EN10MB, SFLOW_OPTION_SYNTH, &v5, &s, &p);
	tap_eq(sflow_ip_checksum(p.prefix + 14, 20), 0, "synth IPv4: header checksum verifies");
	framed(DLT_RAW, SFLOW_OPTION_SYNTH, &v5, &s, ip4, sizeof ip4, 1500,
	       "synth IPv4 TCP under RAW: IPv4 + TCP, wire = record length");
	not_framed(DLT_PPP, SFLOW_OPTION_SYNTH, &s, SFLOW_FRAME_LINKTYPE_FILTERED,
		   "synth under PPP: filtered out");

	s = ip_sample(1, 17, 120);
	n = join(want, eth_prefix_ip6, 14, ip6_udp, sizeof ip6_udp);
	framed(DLT_EN10MB, SFLOW_OPTION_SYNTH, &v5, &s, want, n, 134,
	       "synth IPv6 UDP under EN10MB");
	not_framed(DLT_EN10MB, 0, &s, SFLOW_FRAME_NO_SYNTH, "sampled_ipv6 without synth: skipped");

	/* ICMP: type from src_port, code from dst_port. */
	s = ip_sample(0, 1, 84);
	s.ip.src_port = 8;
	s.ip.dst_port = 0;
	tap_eq(frame(DLT_RAW, SFLOW_OPTION_SYNTH, &v5, &s, &p), SFLOW_FRAMED, "synth ICMP: framed");
	tap_eq(p.prefix_length, 28, "synth ICMP: 20 + 8 bytes");
	tap_eq(p.wire_length, 84, "synth ICMP: wire = record length");
	tap_ok(p.prefix[20] == 8 && p.prefix[21] == 0, "synth ICMP: type 8 code 0");
	s = ip_sample(1, 58, 104);
	s.ip.src_port = 128;
	frame(DLT_RAW, SFLOW_OPTION_SYNTH, &v5, &s, &p);
	tap_ok(p.prefix_length == 48 && p.prefix[40] == 128, "synth ICMPv6: echo request");

	s = ip_sample(0, 47, 300);
	frame(DLT_RAW, SFLOW_OPTION_SYNTH, &v5, &s, &p);
	tap_eq(p.prefix_length, 20, "synth GRE: IPv4 header only");
	tap_eq(p.wire_length, 300, "synth GRE: wire = record length");

	/* A record length smaller than the headers: length fields say what
	 * was built, wire is never below captured. */
	s = ip_sample(0, 6, 10);
	frame(DLT_EN10MB, SFLOW_OPTION_SYNTH, &v5, &s, &p);
	tap_ok(p.prefix[16] == 0 && p.prefix[17] == 40, "short record: IPv4 total length 40");
	tap_eq(p.wire_length, 54, "short record: wire is the captured length");
	s = ip_sample(0, 17, 100000);
	frame(DLT_RAW, SFLOW_OPTION_SYNTH, &v5, &s, &p);
	tap_ok(p.prefix[2] == 0xff && p.prefix[3] == 0xff, "huge record: total length 65535");
	tap_eq(p.wire_length, 100000, "huge record: wire is the record length");

	/* A header record wins over an IP record. */
	s = ip_sample(0, 6, 1500);
	s.has_header = 1;
	s.header_protocol = 1;
	s.frame_length = 1518;
	s.stripped = 4;
	s.header = eth_ip4;
	s.header_length = sizeof eth_ip4;
	framed(DLT_EN10MB, SFLOW_OPTION_SYNTH, &v5, &s, eth_ip4, sizeof eth_ip4, 1514,
	       "synth: a sampled header is used when present");
	struct sflow_sample empty = { .kind = SFLOW_SAMPLE_FLOW };
	not_framed(DLT_EN10MB, SFLOW_OPTION_SYNTH, &empty, SFLOW_FRAME_NO_HEADER,
		   "synth: a sample with no packet record has no header");
}

static struct sflow_sample switch_sample(const uint8_t *header, uint32_t length,
					 uint32_t source, uint32_t input, uint32_t output)
{
	struct sflow_sample s = header_sample(1, 1518, 4, header, length);
	s.has_switch = 1;
	s.src_vlan = 10;
	s.src_priority = 3;
	s.dst_vlan = 20;
	s.dst_priority = 5;
	s.source_id_index = source;
	s.input = input;
	s.output = output;
	/* The decoder sets the direction (tested there); as it would: */
	s.direction = source == input ? SFLOW_DIRECTION_IN
		      : source == output ? SFLOW_DIRECTION_OUT : SFLOW_DIRECTION_UNKNOWN;
	return s;
}

static void test_vlan(void)
{
	uint8_t want[256];
	size_t n;
	struct sflow_framed_packet p;
	const uint8_t tag10[4] = { 0x81, 0x00, 0x60, 0x0a };   /* priority 3, VLAN 10 */
	const uint8_t tag20[4] = { 0x81, 0x00, 0xa0, 0x14 };   /* priority 5, VLAN 20 */

	struct sflow_sample s = switch_sample(eth_ip4, sizeof eth_ip4, 7, 7, 9);
	memcpy(want, eth_ip4, 12);
	memcpy(want + 12, tag10, 4);
	memcpy(want + 16, eth_ip4 + 12, sizeof eth_ip4 - 12);
	n = sizeof eth_ip4 + 4;
	framed(DLT_EN10MB, SFLOW_OPTION_VLAN, &v5, &s, want, n, 1518,
	       "vlan, ingress: src_vlan and src_priority inserted, length + 4");
	frame(DLT_EN10MB, SFLOW_OPTION_VLAN, &v5, &s, &p);
	tap_ok(p.prefix_length == 16 && p.rest == eth_ip4 + 12,
	       "vlan: only MACs and tag copied, rest in place");
	framed(DLT_EN10MB, 0, &v5, &s, eth_ip4, sizeof eth_ip4, 1514, "no vlan option: no tag");

	s = switch_sample(eth_ip4, sizeof eth_ip4, 9, 7, 9);
	memcpy(want + 12, tag20, 4);
	framed(DLT_EN10MB, SFLOW_OPTION_VLAN, &v5, &s, want, n, 1518,
	       "vlan, egress: dst_vlan and dst_priority");
	s = switch_sample(eth_ip4, sizeof eth_ip4, 5, 7, 9);
	memcpy(want + 12, tag10, 4);
	framed(DLT_EN10MB, SFLOW_OPTION_VLAN, &v5, &s, want, n, 1518,
	       "vlan, direction unknown: src_vlan");
	s = switch_sample(eth_ip4, sizeof eth_ip4, 7, 7, 7);
	framed(DLT_EN10MB, SFLOW_OPTION_VLAN, &v5, &s, want, n, 1518,
	       "vlan, source both input and output: ingress");

	s = switch_sample(eth_q_ip6, sizeof eth_q_ip6, 7, 7, 9);
	framed(DLT_EN10MB, SFLOW_OPTION_VLAN, &v5, &s, eth_q_ip6, sizeof eth_q_ip6, 1514,
	       "vlan: a frame already tagged is left alone");
	s = switch_sample(eth_qinq_ip4, sizeof eth_qinq_ip4, 7, 7, 9);
	framed(DLT_EN10MB, SFLOW_OPTION_VLAN, &v5, &s, eth_qinq_ip4, sizeof eth_qinq_ip4, 1514,
	       "vlan: an 802.1ad-tagged frame is left alone");
	s = switch_sample(eth_ip4, sizeof eth_ip4, 7, 7, 9);
	s.src_vlan = 0;
	framed(DLT_EN10MB, SFLOW_OPTION_VLAN, &v5, &s, eth_ip4, sizeof eth_ip4, 1514,
	       "vlan: VLAN 0 is no VLAN");
	s.src_vlan = 4095;
	framed(DLT_EN10MB, SFLOW_OPTION_VLAN, &v5, &s, eth_ip4, sizeof eth_ip4, 1514,
	       "vlan: 4095 is not a VLAN id");
	s = header_sample(1, 1518, 4, eth_ip4, sizeof eth_ip4);
	framed(DLT_EN10MB, SFLOW_OPTION_VLAN, &v5, &s, eth_ip4, sizeof eth_ip4, 1514,
	       "vlan: no extended_switch record, no tag");
	s = switch_sample(eth_ip4, 13, 7, 7, 9);
	framed(DLT_EN10MB, SFLOW_OPTION_VLAN, &v5, &s, eth_ip4, 13, 1514,
	       "vlan: a header too short for an Ethernet header is left alone");
	s = switch_sample(eth_ip4, sizeof eth_ip4, 7, 7, 9);
	s.src_priority = 0xffffffff;
	s.src_vlan = 0x0abc;
	memcpy(want + 12, (uint8_t[]){ 0x81, 0x00, 0xea, 0xbc }, 4);
	framed(DLT_EN10MB, SFLOW_OPTION_VLAN, &v5, &s, want, n, 1518,
	       "vlan: priority keeps its 3 bits");

	/* Under RAW the link layer goes anyway. */
	s = switch_sample(eth_ip4, sizeof eth_ip4, 7, 7, 9);
	framed(DLT_RAW, SFLOW_OPTION_VLAN, &v5, &s, eth_ip4 + 14, sizeof eth_ip4 - 14, 1500,
	       "vlan under RAW: no link layer, no tag");

	/* Synthetic Ethernet headers get the tag too. */
	s = switch_sample(ip4_packet, sizeof ip4_packet, 7, 7, 9);
	s.header_protocol = 11;
	s.frame_length = 1500;
	s.stripped = 0;
	memset(want, 0, 12);
	memcpy(want + 12, tag10, 4);
	want[16] = 0x08;
	want[17] = 0x00;
	memcpy(want + 18, ip4_packet, sizeof ip4_packet);
	framed(DLT_EN10MB, SFLOW_OPTION_VLAN, &v5, &s, want, 18 + sizeof ip4_packet, 1518,
	       "vlan with an IPv4 header sample: tagged synthetic Ethernet");

	/* vlan + synth + IPv6 TCP: the largest prefix. */
	s = ip_sample(1, 6, 1000);
	s.has_switch = 1;
	s.dst_vlan = 4094;
	s.dst_priority = 7;
	s.source_id_index = 2;
	s.output = 2;
	s.direction = SFLOW_DIRECTION_OUT;
	frame(DLT_EN10MB, SFLOW_OPTION_VLAN | SFLOW_OPTION_SYNTH, &v5, &s, &p);
	tap_eq(p.prefix_length, 78, "vlan + synth IPv6 TCP: 18 + 40 + 20 bytes");
	tap_ok(p.prefix[12] == 0x81 && p.prefix[14] == 0xef && p.prefix[15] == 0xfe &&
	       p.prefix[16] == 0x86 && p.prefix[17] == 0xdd, "vlan + synth: egress tag, IPv6 type");
	tap_eq(p.wire_length, 1018, "vlan + synth: wire = record length + 18");

	/* All three options on a discard sample. */
	s = switch_sample(eth_ip4, sizeof eth_ip4, 7, 7, 9);
	s.kind = SFLOW_SAMPLE_DISCARD;
	memcpy(want, eth_ip4, 12);
	memcpy(want + 12, tag10, 4);
	memcpy(want + 16, eth_ip4 + 12, sizeof eth_ip4 - 12);
	framed(DLT_EN10MB, SFLOW_OPTION_VLAN | SFLOW_OPTION_DROPS | SFLOW_OPTION_SYNTH, &v5, &s,
	       want, sizeof eth_ip4 + 4, 1518, "drops + vlan + synth on a discard sample");
}

static void test_timestamp(void)
{
	struct sflow_framed_packet p;
	struct sflow_sample s = header_sample(1, 1518, 4, eth_ip4, sizeof eth_ip4);

	frame(DLT_EN10MB, 0, &v5, &s, &p);
	tap_eq(p.has_agent_time, 0, "no timestamp record: receive time");
	s.has_timestamp = 1;
	s.timestamp_ns = 1700000000123456789ull;
	frame(DLT_EN10MB, 0, &v5, &s, &p);
	tap_ok(p.has_agent_time && p.agent_time_ns == 1700000000123456789ull,
	       "timestamp record: the agent's time kept per packet");
	s = ip_sample(0, 6, 100);
	s.has_timestamp = 1;
	s.timestamp_ns = 42;
	frame(DLT_RAW, SFLOW_OPTION_SYNTH, &v5, &s, &p);
	tap_ok(p.has_agent_time && p.agent_time_ns == 42, "timestamp on a synthesized packet");
}

int main(void)
{
	test_link_types();
	test_protocol_matrix();
	test_ethernet();
	test_synthetic_ethernet();
	test_raw();
	test_other_link_types();
	test_sll2();
	test_drops();
	test_synth();
	test_vlan();
	test_timestamp();
	return tap_done();
}
