/* SPDX-License-Identifier: BSD-3-Clause */
/* The libpcap API on an sflow handle, call by call, as a program other
 * than tcpdump uses it. Run under sflow-run (tests/api.sh) with a free
 * UDP port; it sends its own datagrams to 127.0.0.1. */
#include <arpa/inet.h>
#include <pcap/pcap.h>
#include <stdlib.h>
#include <string.h>
#include <sys/select.h>
#include <unistd.h>

#include "api_feed.h"
#include "tap.h"

static void send_samples(uint16_t port, const uint16_t *dports, unsigned count)
{
	api_feed_send(port, 1, 0, dports, count);
}

static int readable_now(int fd)
{
	fd_set set;
	struct timeval zero = { 0, 0 };
	FD_ZERO(&set);
	FD_SET(fd, &set);
	return select(fd + 1, &set, NULL, NULL, &zero) == 1;
}

static int counted;
static void count_packet(u_char *user, const struct pcap_pkthdr *header, const u_char *data)
{
	(void)user, (void)header, (void)data;
	counted++;
}

int main(int argc, char **argv)
{
	char errbuf[PCAP_ERRBUF_SIZE] = "";
	char device[32];
	if (argc < 2)
		return 2;
	uint16_t port = (uint16_t)atoi(argv[1]);
	snprintf(device, sizeof device, "sflow:%u", port);

	pcap_t *p = pcap_create(device, errbuf);
	tap_ok(p != NULL, "pcap_create(%s)", device);
	if (p == NULL)
		return tap_done();
	tap_eq(pcap_datalink(p), PCAP_ERROR_NOT_ACTIVATED, "pcap_datalink before activation fails");
	tap_eq(pcap_set_snaplen(p, 100), 0, "pcap_set_snaplen");
	tap_eq(pcap_set_promisc(p, 1), 0, "pcap_set_promisc");
	tap_eq(pcap_set_timeout(p, 100), 0, "pcap_set_timeout");
	tap_eq(pcap_set_buffer_size(p, 1 << 20), 0, "pcap_set_buffer_size");
	tap_eq(pcap_set_immediate_mode(p, 1), 0, "pcap_set_immediate_mode");
	tap_eq(pcap_set_tstamp_precision(p, PCAP_TSTAMP_PRECISION_NANO), 0, "pcap_set_tstamp_precision nano");
	tap_eq(pcap_can_set_rfmon(p), 0, "pcap_can_set_rfmon: no");
	tap_eq(pcap_activate(p), 0, "pcap_activate");
	tap_eq(pcap_set_snaplen(p, 50), PCAP_ERROR_ACTIVATED, "pcap_set_snaplen after activation fails");
	tap_eq(pcap_datalink(p), DLT_EN10MB, "pcap_datalink: EN10MB");
	tap_eq(pcap_snapshot(p), 100, "pcap_snapshot: 100");
	tap_eq(pcap_get_tstamp_precision(p), PCAP_TSTAMP_PRECISION_NANO, "pcap_get_tstamp_precision");
	int *linktypes = NULL;
	int linktype_count = pcap_list_datalinks(p, &linktypes);
	tap_ok(linktype_count >= 1 && linktypes[0] == DLT_EN10MB, "pcap_list_datalinks offers EN10MB first");
	pcap_free_datalinks(linktypes);

	struct pcap_pkthdr *header;
	const u_char *data;
	tap_eq(pcap_next_ex(p, &header, &data), 0, "pcap_next_ex with no traffic: timeout");
	tap_eq(pcap_setnonblock(p, 1, errbuf), 0, "pcap_setnonblock");
	tap_eq(pcap_getnonblock(p, errbuf), 1, "pcap_getnonblock");
	tap_eq(pcap_dispatch(p, -1, count_packet, NULL), 0, "non-blocking dispatch with no traffic: 0");
	pcap_setnonblock(p, 0, errbuf);

	/* A filter in user space: the TCP sample in the middle is left out. */
	struct bpf_program program;
	tap_eq(pcap_compile(p, &program, "udp dst port 53", 1, 0), 0, "pcap_compile");
	tap_eq(pcap_setfilter(p, &program), 0, "pcap_setfilter");
	pcap_freecode(&program);
	send_samples(port, (const uint16_t[]){ 53, 80, 53 }, 3);
	uint8_t frame[200];
	api_feed_frame(frame, 53);
	tap_eq(pcap_next_ex(p, &header, &data), 1, "pcap_next_ex: a packet");
	tap_eq(header->caplen, 100, "caplen cut at the snap length");
	tap_eq(header->len, 200, "len is frame_length - stripped");
	tap_ok(memcmp(data, frame, 100) == 0, "bytes are the sampled header");
	tap_eq(pcap_next_ex(p, &header, &data), 1, "pcap_next_ex: the next matching packet");
	tap_eq(data[37], 53, "the port 80 sample was filtered out");
	struct bpf_program all;
	pcap_compile(p, &all, "", 1, 0);
	pcap_setfilter(p, &all);
	pcap_freecode(&all);

	/* A program that select()s before each read sees packets that wait in
	 * user space, not just in the socket. */
	int fd = pcap_get_selectable_fd(p);
	tap_ok(fd >= 0, "pcap_get_selectable_fd");
	send_samples(port, (const uint16_t[]){ 1, 2 }, 2);
	fd_set set;
	FD_ZERO(&set);
	FD_SET(fd, &set);
	struct timeval five = { 5, 0 };
	tap_eq(select(fd + 1, &set, NULL, NULL, &five), 1, "select: readable when a datagram arrives");
	counted = 0;
	tap_eq(pcap_dispatch(p, 1, count_packet, NULL), 1, "pcap_dispatch(1) delivers one");
	tap_ok(readable_now(fd), "select: still readable with one packet waiting");
	tap_eq(pcap_dispatch(p, 1, count_packet, NULL), 1, "pcap_dispatch(1) delivers the other");
	tap_ok(!readable_now(fd), "select: not readable once all are delivered");

	/* pcap_loop: -c style counts, then breakloop. */
	send_samples(port, (const uint16_t[]){ 1, 2, 3, 4 }, 4);
	counted = 0;
	tap_eq(pcap_loop(p, 3, count_packet, NULL), 0, "pcap_loop(3) returns 0 after 3 packets");
	tap_eq(counted, 3, "pcap_loop(3) delivered 3");
	tap_eq(pcap_dispatch(p, -1, count_packet, NULL), 1, "the 4th packet is still there");
	pcap_breakloop(p);
	tap_eq(pcap_loop(p, -1, count_packet, NULL), PCAP_ERROR_BREAK, "pcap_breakloop ends pcap_loop");

	struct pcap_stat stats;
	tap_eq(pcap_stats(p, &stats), 0, "pcap_stats");
	tap_eq(stats.ps_recv, 9, "ps_recv counts every sampled packet received");
	tap_eq(stats.ps_drop, 0, "ps_drop: nothing dropped");

	/* Savefiles take the handle's link type, snap length and precision. */
	char path[] = "/tmp/sflow-api-XXXXXX";
	int path_fd = mkstemp(path);
	close(path_fd);
	pcap_dumper_t *dumper = pcap_dump_open(p, path);
	tap_ok(dumper != NULL, "pcap_dump_open");
	send_samples(port, (const uint16_t[]){ 53 }, 1);
	if (pcap_next_ex(p, &header, &data) == 1 && dumper)
		pcap_dump((u_char *)dumper, header, data);
	if (dumper)
		pcap_dump_close(dumper);
	pcap_t *file = pcap_open_offline_with_tstamp_precision(path, PCAP_TSTAMP_PRECISION_NANO, errbuf);
	tap_ok(file != NULL, "the savefile opens");
	if (file) {
		tap_eq(pcap_datalink(file), DLT_EN10MB, "savefile: EN10MB");
		tap_eq(pcap_snapshot(file), 100, "savefile: snap length 100");
		tap_eq(pcap_next_ex(file, &header, &data), 1, "savefile: the packet");
		tap_eq(header->len, 200, "savefile: its length");
		pcap_close(file);
	}
	FILE *raw = fopen(path, "rb");
	uint32_t magic = 0;
	if (raw) {
		fread(&magic, 4, 1, raw);
		fclose(raw);
	}
	tap_eq(magic, 0xa1b23c4d, "savefile: nanosecond magic");
	unlink(path);

	/* What an sFlow feed cannot do fails with a message, never a crash. */
	tap_eq(pcap_inject(p, frame, 60), PCAP_ERROR, "pcap_inject fails");
	tap_ok(strstr(pcap_geterr(p), "not supported") != NULL, "pcap_inject: pcap_geterr says why");
	tap_eq(pcap_sendpacket(p, frame, 60), PCAP_ERROR, "pcap_sendpacket fails");
	/* -Q: samples taken on the chosen side only. */
	tap_eq(pcap_setdirection(p, PCAP_D_OUT), 0, "pcap_setdirection(PCAP_D_OUT)");
	api_feed_send(port, 1, 0, (const uint16_t[]){ 11 }, 1);
	api_feed_send(port, 2, 0, (const uint16_t[]){ 22 }, 1);
	tap_ok(pcap_next_ex(p, &header, &data) == 1 && data[37] == 22,
	       "PCAP_D_OUT: the sample taken on egress");
	tap_eq(pcap_setdirection(p, PCAP_D_IN), 0, "pcap_setdirection(PCAP_D_IN)");
	api_feed_send(port, 2, 0, (const uint16_t[]){ 33 }, 1);
	api_feed_send(port, 1, 0, (const uint16_t[]){ 44 }, 1);
	tap_ok(pcap_next_ex(p, &header, &data) == 1 && data[37] == 44,
	       "PCAP_D_IN: the sample taken on ingress");
	pcap_setdirection(p, PCAP_D_INOUT);

	/* The agent's own drop counter rising: "dropped by interface". */
	api_feed_send(port, 3, 100, (const uint16_t[]){ 1 }, 1);
	api_feed_send(port, 3, 105, (const uint16_t[]){ 2 }, 1);
	tap_eq(pcap_dispatch(p, -1, count_packet, NULL) + pcap_dispatch(p, -1, count_packet, NULL), 2,
	       "two samples from a source whose agent dropped 5");
	tap_ok(pcap_stats(p, &stats) == 0 && stats.ps_ifdrop == 5,
	       "ps_ifdrop: the 5 samples the agent dropped");
	tap_ok(pcap_file(p) == NULL, "pcap_file: none");

	/* A second open of the same port: a clear error in errbuf. */
	pcap_t *busy = pcap_open_live(device, 100, 0, 100, errbuf);
	tap_ok(busy == NULL && strstr(errbuf, "already in use") != NULL,
	       "pcap_open_live on a busy port: %s", errbuf);

	/* Handles that are not ours are the real libpcap's, untouched. */
	pcap_t *dead = pcap_open_dead(DLT_RAW, 1500);
	tap_eq(pcap_datalink(dead), DLT_RAW, "a real handle keeps its link type");
	tap_eq(pcap_compile(dead, &program, "ip", 1, 0), 0, "pcap_compile on a real handle");
	pcap_freecode(&program);
	pcap_close(dead);

	pcap_close(p);
	p = pcap_open_live(device, 65535, 0, 100, errbuf);
	tap_ok(p != NULL, "the port is free again after pcap_close; pcap_open_live works");
	if (p)
		pcap_close(p);
	return tap_done();
}
