/* SPDX-License-Identifier: BSD-3-Clause */
/* sniff=IFACE and file=PATH: frames read through the real libpcap (an
 * inner handle of its own, never one of ours), and the datagrams wanted
 * picked out of them by udp_extract.c (see source.h). */
#include <config.h>
#include "source.h"

#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "real_pcap.h"
#include "reassembly.h"
#include "udp_extract.h"

/* Room for the largest UDP datagram and the headers in front of it. */
#define SNIFF_SNAPLEN (65535 + 256)
/* Frames looked at per receive at most once a datagram is in the batch,
 * so that a long stretch of other traffic hands over what it has. */
#define MAX_FRAMES_PER_RECEIVE 4096

struct sflow_pcap_source {
	pcap_t *pcap;           /* the real libpcap's */
	int linktype;
	int nano;               /* time stamps in nanoseconds */
	struct sflow_udp_wanted wanted;
	char *buffer;           /* file=: its stdio buffer, freed after the handle */
	struct sflow_reassembly *fragments;     /* datagrams that came in pieces */
	/* An error met after datagrams were taken: reported at the next
	 * receive, once those are delivered. */
	char failure[PCAP_ERRBUF_SIZE];
};

/* The inner handle's filter: datagrams to the port (and address), IP
 * fragments of UDP datagrams (only the first of which has a port; IPv6
 * ones put their UDP header behind a fragment header libpcap's "udp" does
 * not look past), and the same behind a VLAN tag. The
 * extractor checks everything again; the filter only spares the copies. */
static void build_filter(const struct sflow_device *device, int with_vlan,
			 char *text, size_t size)
{
	char address[INET6_ADDRSTRLEN] = "";
	char wanted[240];

	if (device->has_bind_address)
		inet_ntop(device->bind_address.family == 6 ? AF_INET6 : AF_INET,
			  device->bind_address.bytes, address, sizeof address);
	snprintf(wanted, sizeof wanted, "%s%s%s(udp dst port %u or (ip[6:2] & 0x3fff != 0 and "
		 "ip[9] == 17) or (ip6 and ip6[6] == 44))",
		 address[0] ? "dst host " : "", address, address[0] ? " and " : "",
		 device->port);
	if (with_vlan)
		snprintf(text, size, "%s or (vlan and %s)", wanted, wanted);
	else
		snprintf(text, size, "%s", wanted);
}

static void set_filter(pcap_t *pcap, const struct sflow_device *device)
{
	char text[512];
	struct bpf_program program;

	/* Some link types (any, on old kernels) have no vlan: then without. */
	for (int with_vlan = 1; with_vlan >= 0; with_vlan--) {
		build_filter(device, with_vlan, text, sizeof text);
		if (real_pcap_compile(pcap, &program, text, 1, PCAP_NETMASK_UNKNOWN) == 0) {
			real_pcap_setfilter(pcap, &program);
			pcap_freecode(&program);
			return;
		}
	}
	/* No filter at all: the extractor alone decides, at more cost. */
}

static int open_sniff(struct sflow_pcap_source *capture, const struct sflow_device *device,
		      const char *name, int receive_buffer, char *error, size_t error_size)
{
	char errbuf[PCAP_ERRBUF_SIZE] = "";

	capture->pcap = real_pcap_create(device->sniff, errbuf);
	if (capture->pcap == NULL) {
		snprintf(error, error_size, "%s: cannot capture on %s: %s",
			 name, device->sniff, errbuf);
		return -1;
	}
	real_pcap_set_snaplen(capture->pcap, SNIFF_SNAPLEN);
	/* Our own batching sits above: frames should come as they arrive. */
	real_pcap_set_immediate_mode(capture->pcap, 1);
	if (receive_buffer > 0)
		real_pcap_set_buffer_size(capture->pcap, receive_buffer);
	real_pcap_set_tstamp_precision(capture->pcap, PCAP_TSTAMP_PRECISION_NANO);
	int status = real_pcap_activate(capture->pcap);
	if (status == PCAP_ERROR_PERM_DENIED) {
		snprintf(error, error_size,
			 "%s: capturing on %s needs root or CAP_NET_RAW: run it as root "
			 "(tcpdump -Z drops privileges after), or give the program CAP_NET_RAW, "
			 "or capture from the bound port (no sniff=)",
			 name, device->sniff);
		return -1;
	}
	if (status == PCAP_ERROR_NO_SUCH_DEVICE) {
		snprintf(error, error_size,
			 "%s: there is no interface %s here: name one tcpdump -D lists",
			 name, device->sniff);
		return -1;
	}
	if (status < 0) {
		snprintf(error, error_size, "%s: cannot capture on %s: %s", name, device->sniff,
			 pcap_geterr(capture->pcap));
		return -1;
	}
	if (real_pcap_setnonblock(capture->pcap, 1, errbuf) < 0) {
		snprintf(error, error_size, "%s: %s", name, errbuf);
		return -1;
	}
	set_filter(capture->pcap, device);
	return 0;
}

/* Read buffer of the file: large reads, where stdio's default block
 * would cost a system call every few datagrams. */
#define FILE_BUFFER_SIZE (1 << 20)

static int open_file(struct sflow_pcap_source *capture, const struct sflow_device *device,
		     const char *name, char *error, size_t error_size)
{
	char errbuf[PCAP_ERRBUF_SIZE] = "";
	const char *path = device->file;
	int standard_input = strcmp(path, "-") == 0;
	const char *shown = standard_input ? "standard input" : path;

	FILE *file = standard_input ? stdin : fopen(path, "rb");
	if (file == NULL) {
		snprintf(error, error_size, "%s: cannot read %s as a pcap or pcapng capture: %s",
			 name, shown, strerror(errno));
		return -1;
	}
	capture->buffer = malloc(FILE_BUFFER_SIZE);
	if (capture->buffer != NULL)
		setvbuf(file, capture->buffer, _IOFBF, FILE_BUFFER_SIZE);
	/* pcap_fopen_offline is not interposed: this is the real one, which
	 * reads pcap and pcapng alike, and closes the file with the handle. */
	capture->pcap = pcap_fopen_offline_with_tstamp_precision(file, PCAP_TSTAMP_PRECISION_NANO,
								  errbuf);
	if (capture->pcap == NULL) {
		snprintf(error, error_size, "%s: cannot read %s as a pcap or pcapng capture: %s",
			 name, shown, errbuf);
		if (!standard_input)
			fclose(file);
		return -1;
	}
	return 0;
}

int sflow_pcap_source_open(struct sflow_source *source, const struct sflow_device *device,
			   const char *name, int receive_buffer, char *error, size_t error_size)
{
	struct sflow_pcap_source *capture = calloc(1, sizeof *capture);

	source->capture = capture;
	if (capture == NULL) {
		snprintf(error, error_size, "%s: out of memory", name);
		return -1;
	}
	capture->fragments = malloc(sizeof *capture->fragments);
	if (capture->fragments == NULL) {
		snprintf(error, error_size, "%s: out of memory", name);
		return -1;
	}
	sflow_reassembly_init(capture->fragments);
	capture->wanted.port = device->port;
	capture->wanted.has_address = device->has_bind_address;
	capture->wanted.address = device->bind_address;
	int opened = source->kind == SFLOW_SOURCE_SNIFF
		     ? open_sniff(capture, device, name, receive_buffer, error, error_size)
		     : open_file(capture, device, name, error, error_size);
	if (opened < 0)
		return -1;
	capture->linktype = real_pcap_datalink(capture->pcap);
	capture->nano = real_pcap_get_tstamp_precision(capture->pcap) ==
			PCAP_TSTAMP_PRECISION_NANO;
	if (!sflow_udp_linktype_supported(capture->linktype)) {
		const char *linktype = pcap_datalink_val_to_name(capture->linktype);
		snprintf(error, error_size,
			 "%s: %s has frames of link type %s, which %s cannot read: "
			 "capture sFlow on Ethernet, Linux cooked (any), raw IP or loopback",
			 name, source->kind == SFLOW_SOURCE_SNIFF ? device->sniff : device->file,
			 linktype ? linktype : "unknown",
			 source->kind == SFLOW_SOURCE_SNIFF ? "sniff=" : "file=");
		return -1;
	}
	source->fd = source->kind == SFLOW_SOURCE_SNIFF
		     ? real_pcap_get_selectable_fd(capture->pcap) : -1;
	return 0;
}

void sflow_pcap_source_close(struct sflow_source *source)
{
	struct sflow_pcap_source *capture = source->capture;

	if (capture == NULL)
		return;
	if (capture->pcap != NULL)
		real_pcap_close(capture->pcap);
	free(capture->buffer);
	free(capture->fragments);
	free(capture);
	source->capture = NULL;
	source->fd = -1;
}

/* A fragment to its table: the whole datagram once its last piece came. */
static enum sflow_udp_result reassemble(struct sflow_pcap_source *capture,
					struct sflow_udp_datagram *datagram,
					struct sflow_source_counters *counters)
{
	const struct sflow_ip_fragment *fragment = &datagram->fragment;
	const uint8_t *segment;
	size_t length;

	if (sflow_reassemble(capture->fragments, fragment, &segment, &length,
			     &counters->fragments_dropped) != SFLOW_REASSEMBLY_COMPLETE)
		return SFLOW_UDP_FRAGMENT;
	uint8_t source[16], destination[16];
	memcpy(source, fragment->source, sizeof source);
	memcpy(destination, fragment->destination, sizeof destination);
	enum sflow_udp_result result =
		sflow_udp_segment(segment, length, source, destination,
				  fragment->family == 4 ? 4 : 16, &capture->wanted, datagram);
	if (result == SFLOW_UDP_DATAGRAM)
		counters->reassembled_datagrams++;
	return result;
}

/* One frame: into the batch when it carries a datagram wanted, else
 * counted where it belongs. */
static void take_frame(struct sflow_pcap_source *capture, struct sflow_batch *batch,
		       const struct pcap_pkthdr *header, const u_char *frame,
		       struct sflow_source_counters *counters)
{
	struct sflow_udp_datagram datagram;
	enum sflow_udp_result result = sflow_udp_extract(capture->linktype, frame, header->caplen,
							  &capture->wanted, &datagram);

	if (result == SFLOW_UDP_FRAGMENT)
		result = reassemble(capture, &datagram, counters);
	switch (result) {
	case SFLOW_UDP_DATAGRAM:
		break;
	case SFLOW_UDP_FRAGMENT:
		return;         /* kept for its datagram, or counted as dropped */
	case SFLOW_UDP_BAD_CHECKSUM:
		counters->udp_checksum_errors++;
		return;
	case SFLOW_UDP_OTHER:
	case SFLOW_UDP_LINKTYPE:
	default:
		counters->frames_ignored++;
		return;
	}
	struct timespec time = {
		.tv_sec = header->ts.tv_sec,
		.tv_nsec = capture->nano ? header->ts.tv_usec : header->ts.tv_usec * 1000L,
	};
	size_t length = datagram.length < batch->slot_size ? datagram.length : batch->slot_size;
	memcpy(sflow_batch_slot(batch, batch->count), datagram.payload, length);
	sflow_batch_filled(batch, length, datagram.truncated || length < datagram.length,
			   &time, &datagram.origin);
}

int sflow_pcap_source_receive(struct sflow_source *source, struct sflow_batch *batch,
			      struct sflow_source_counters *counters, char *error, size_t error_size)
{
	struct sflow_pcap_source *capture = source->capture;
	unsigned first = batch->count;

	if (capture->failure[0]) {
		snprintf(error, error_size, "%s", capture->failure);
		return -1;
	}
	if (source->ended)
		return 0;
	/* A file reads on until it has a datagram or ends, so that an empty
	 * receive means its end, as pcap_dispatch returning 0 means a
	 * savefile's; a live capture stops when nothing more is there. */
	for (unsigned frames = 0; batch->count < batch->capacity &&
				  (frames < MAX_FRAMES_PER_RECEIVE ||
				   (source->kind == SFLOW_SOURCE_FILE && batch->count == first));
	     frames++) {
		struct pcap_pkthdr *header;
		const u_char *frame;
		int read = real_pcap_next_ex(capture->pcap, &header, &frame);
		if (read == 0)
			break;          /* live: nothing more for now */
		if (read == PCAP_ERROR_BREAK) {
			source->ended = 1;      /* the file's end */
			break;
		}
		if (read < 0) {
			/* A cut file, or a pcapng libpcap will not read on. */
			const char *why = pcap_geterr(capture->pcap);
			snprintf(capture->failure, sizeof capture->failure, "%s%s", why,
				 strstr(why, "different from the type") == NULL ? ""
				 : " (libpcap reads one link type per file: split it by "
				   "interface, as with tshark -r FILE -Y frame.interface_id==N -w PART)");
			if (batch->count > first)
				break;
			snprintf(error, error_size, "%s", capture->failure);
			return -1;
		}
		take_frame(capture, batch, header, frame, counters);
	}
	if (source->kind == SFLOW_SOURCE_SNIFF) {
		struct pcap_stat stats;
		if (real_pcap_stats(capture->pcap, &stats) == 0)
			source->drops = stats.ps_drop;
	}
	return (int)(batch->count - first);
}
