/* SPDX-License-Identifier: BSD-3-Clause */
/* sflow-extcap: Wireshark's extcap for sFlow. Wireshark and tshark run it
 * themselves, as the user, so it needs no preload and no privilege: it is
 * linked against the capture module, captures through the libpcap API on
 * the sflow device the dialog's values name, and writes pcapng to the
 * fifo Wireshark reads, each packet with its direction and the sample's
 * metadata, on the pcapng interface of its switch port: what one dispatch
 * delivered goes out in one flush, so dumpcap gets full buffers under load
 * and a packet at once from a quiet feed. */
#include <config.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <pcap/pcap.h>

#include "extcap_args.h"
#include "extcap_interfaces.h"
#include "pcap-sflow.h"
#include "pcapng.h"
#include "sample_comment.h"

static pcap_t *capture_handle;

static void stop(int signal_number)
{
	(void)signal_number;
	/* Async-signal-safe on an sflow handle. */
	if (capture_handle != NULL)
		pcap_breakloop(capture_handle);
}

struct writer {
	struct pcapng_writer out;       /* its error ends the capture */
	pcap_t *pcap;
	struct pcap_stat last_stats;    /* in the last statistics block */
	int statistics_written;
	struct extcap_ports ports;      /* an interface per switch port */
	struct pcapng_interface port_template; /* link type, snap length, filter */
};

/* The interface block of a port seen for the first time. */
static int write_port_interface(struct writer *writer, const struct extcap_port *port)
{
	char name[EXTCAP_PORT_NAME_MAX], description[EXTCAP_PORT_DESCRIPTION_MAX];
	struct pcapng_interface interface = writer->port_template;
	extcap_port_name(port, name, sizeof name);
	extcap_port_description(port, description, sizeof description);
	interface.name = name;
	interface.description = description;
	return pcapng_write_interface(&writer->out, &interface);
}

static void write_packet(u_char *user, const struct pcap_pkthdr *header, const u_char *data)
{
	struct writer *writer = (struct writer *)user;
	struct pcap_sflow_packet_info info;
	char comment[SAMPLE_COMMENT_MAX];
	struct pcapng_packet packet = {
		/* Nanosecond precision: tv_usec holds nanoseconds. */
		.time_ns = (uint64_t)header->ts.tv_sec * 1000000000u + (uint64_t)header->ts.tv_usec,
		.caplen = header->caplen,
		.len = header->len,
		.data = data,
	};

	if (writer->out.error != 0)
		return;
	if (pcap_sflow_packet_info(writer->pcap, &info) == 0) {
		int is_new;
		const struct extcap_port *port = extcap_ports_lookup(&writer->ports, &info, &is_new);
		if (is_new && write_port_interface(writer, port) < 0)
			goto failed;
		packet.comment_length = sample_comment(port, &info, comment);
		packet.comment = comment;
		packet.interface_id = port->interface_id;
		packet.direction = info.direction == PCAP_SFLOW_DIRECTION_IN ? PCAPNG_DIRECTION_IN
				   : info.direction == PCAP_SFLOW_DIRECTION_OUT ? PCAPNG_DIRECTION_OUT
				   : PCAPNG_DIRECTION_UNKNOWN;
	}
	if (pcapng_write_packet(&writer->out, &packet) == 0)
		return;
failed:
	pcap_breakloop(writer->pcap);
}

/* The reader closed the fifo: a pipe's write end then polls POLLERR. */
static int reader_gone(int out)
{
	struct pollfd fd = { .fd = out, .events = 0 };
	return poll(&fd, 1, 0) > 0 && (fd.revents & (POLLERR | POLLHUP)) != 0;
}

static uint64_t now_ns(void)
{
	struct timespec now;
	clock_gettime(CLOCK_REALTIME, &now);
	return (uint64_t)now.tv_sec * 1000000000u + (uint64_t)now.tv_nsec;
}

/* An interface statistics block with the capture's counts so far: always
 * when final, else when they changed since the last one. */
static void write_statistics(struct writer *writer, int final)
{
	struct pcap_stat stats;
	if (pcap_stats(writer->pcap, &stats) != 0)
		return;
	if (!final && writer->statistics_written && stats.ps_recv == writer->last_stats.ps_recv &&
	    stats.ps_drop == writer->last_stats.ps_drop &&
	    stats.ps_ifdrop == writer->last_stats.ps_ifdrop)
		return;
	writer->last_stats = stats;
	writer->statistics_written = 1;
	/* Dropped: every sampled packet that never reached us, lost on the way
	 * (ps_drop, also isb_osdrop) or dropped by the agent for lack of
	 * resources (ps_ifdrop). */
	struct pcapng_statistics statistics = {
		.time_ns = now_ns(),
		.received = stats.ps_recv,
		.dropped = (uint64_t)stats.ps_drop + stats.ps_ifdrop,
		.os_dropped = stats.ps_drop,
	};
	pcapng_write_statistics(&writer->out, &statistics);
}

/* How long a dispatch waits for a first datagram, and the longest a batch
 * that came in part full keeps filling (the module's batching outside
 * immediate mode): a packet of a slow but steady feed reaches dumpcap
 * within it, well inside the 250 ms a user should wait at most even with
 * dumpcap's own update interval (100 ms) on top; one of a quiet feed goes
 * at once, as the first pause for more brings nothing. It is also how
 * often the loop looks at the fifo's reader and the statistics when
 * nothing comes. */
#define CAPTURE_TIMEOUT_MS 50
/* The writer's buffer: a dispatch (32 datagrams, hundreds of packets)
 * goes out in one or a few writes instead of one per block. */
#define FIFO_BUFFER_SIZE (256 * 1024)
/* The fifo's own size, so a burst waits there while dumpcap (a write and a
 * few selects and reads per packet) catches up, rather than blocking the
 * extcap while the socket overflows. 1 MiB is what an unprivileged process
 * may ask for (/proc/sys/fs/pipe-max-size). */
#define FIFO_PIPE_SIZE (1024 * 1024)

/* Opens and sets up the capture; NULL after printing why. */
static pcap_t *open_capture(const struct extcap_options *options, const char *device)
{
	char errbuf[PCAP_ERRBUF_SIZE];
	pcap_t *p = pcap_create(device, errbuf);
	if (p == NULL) {
		fprintf(stderr, "sflow-extcap: %s\n", errbuf);
		return NULL;
	}
	pcap_set_snaplen(p, 262144);
	/* Not immediate mode: a dispatch hands over a batch (see
	 * CAPTURE_TIMEOUT_MS), and each batch is one flush to the fifo. */
	pcap_set_timeout(p, CAPTURE_TIMEOUT_MS);
	pcap_set_tstamp_precision(p, PCAP_TSTAMP_PRECISION_NANO);
	int status = pcap_activate(p);
	if (status < 0) {
		fprintf(stderr, "sflow-extcap: %s\n", pcap_geterr(p));
		goto fail;
	}
	if (strcmp(options->direction, "both") != 0 &&
	    pcap_setdirection(p, strcmp(options->direction, "in") == 0 ? PCAP_D_IN : PCAP_D_OUT) < 0) {
		fprintf(stderr, "sflow-extcap: %s\n", pcap_geterr(p));
		goto fail;
	}
	int linktype = pcap_datalink_name_to_val(options->linktype);
	if (linktype != pcap_datalink(p) && pcap_set_datalink(p, linktype) < 0) {
		fprintf(stderr, "sflow-extcap: %s\n", pcap_geterr(p));
		goto fail;
	}
	if (options->capture_filter != NULL && *options->capture_filter != '\0') {
		struct bpf_program program;
		if (pcap_compile(p, &program, options->capture_filter, 1, PCAP_NETMASK_UNKNOWN) < 0 ||
		    pcap_setfilter(p, &program) < 0) {
			fprintf(stderr, "sflow-extcap: capture filter \"%s\": %s\n",
				options->capture_filter, pcap_geterr(p));
			goto fail;
		}
		pcap_freecode(&program);
	}
	return p;
fail:
	pcap_close(p);
	return NULL;
}

/* Opens the fifo Wireshark reads (a plain file when run by hand or by
 * the benchmark); -1 after printing why. Blocks until dumpcap opens the
 * other end. */
static int open_fifo(const char *path)
{
	int out = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
	if (out < 0) {
		fprintf(stderr, "sflow-extcap: %s: %s\n", path, strerror(errno));
		return -1;
	}
	/* Best effort: a smaller fifo only absorbs less, and a plain file
	 * has no pipe size. */
	(void)fcntl(out, F_SETPIPE_SZ, FIFO_PIPE_SIZE);
	return out;
}

/* The fifo is opened first, before anything can fail: Wireshark's dumpcap
 * waits until it is open, and learns that the capture ended only when it
 * closes; Wireshark then shows the extcap's last stderr line in its error
 * dialog (tshark: "Error by extcap pipe: ..."). An error before the open
 * would leave dumpcap waiting and the user an empty capture that never
 * starts, with no message. */
static int capture(const struct extcap_options *options)
{
	/* A fifo's writer gets EPIPE, not a fatal signal, once Wireshark closes it. */
	signal(SIGPIPE, SIG_IGN);
	int fifo = open_fifo(options->fifo);
	if (fifo < 0)
		return 1;

	struct writer writer = { .out = { .fd = -1 } };
	pcap_t *p = NULL;
	int status = 1;
	char device[EXTCAP_MAX_LIST], error[EXTCAP_MAX_LIST + 64];
	if (extcap_device_name(options, device, sizeof device, error, sizeof error) < 0) {
		fprintf(stderr, "sflow-extcap: %s\n", error);
		goto done;
	}
	p = open_capture(options, device);
	if (p == NULL)
		goto done;
	if (pcapng_writer_init(&writer.out, fifo, FIFO_BUFFER_SIZE) < 0 ||
	    extcap_ports_init(&writer.ports, EXTCAP_MAX_PORTS) < 0) {
		fprintf(stderr, "sflow-extcap: %s\n", strerror(errno));
		goto done;
	}
	writer.pcap = p;

	struct sigaction action = { .sa_handler = stop };
	sigemptyset(&action.sa_mask);
	capture_handle = p;
	sigaction(SIGTERM, &action, NULL);
	sigaction(SIGINT, &action, NULL);

	char description[EXTCAP_MAX_LIST + 64];
	snprintf(description, sizeof description, "sFlow collector (%s)", device);
	struct pcapng_interface interface = {
		.name = EXTCAP_INTERFACE,
		.description = description,
		.filter = options->capture_filter,
		.linktype = pcap_datalink(p),
		.snaplen = (uint32_t)pcap_snapshot(p),
	};
	writer.port_template = interface;
	status = 0;
	pcapng_write_header(&writer.out, "sflow-extcap " PACKAGE_VERSION, &interface);
	pcapng_flush(&writer.out);
	uint64_t last_statistics = now_ns();
	while (writer.out.error == 0) {
		int result = pcap_dispatch(p, -1, write_packet, (u_char *)&writer);
		/* Statistics every second too, when they changed: Wireshark
		 * stops an extcap with SIGTERM and closes the fifo without
		 * waiting for a last block, so a recent one must already be in
		 * the stream (readers take the last). */
		if (writer.out.error == 0 && now_ns() - last_statistics >= 1000000000u) {
			write_statistics(&writer, 0);
			last_statistics = now_ns();
		}
		/* One flush per dispatch: a batch under load, the one packet
		 * of a quiet feed. */
		pcapng_flush(&writer.out);
		if (result == PCAP_ERROR) {
			fprintf(stderr, "sflow-extcap: %s\n", pcap_geterr(p));
			status = 1;
			break;
		}
		if (result == PCAP_ERROR_BREAK || reader_gone(fifo))
			break;
		/* --file: a dispatch that returns nothing is the file's end. */
		if (result == 0 && options->file != NULL)
			break;
	}
	if (writer.out.error == 0) {
		write_statistics(&writer, 1);
		pcapng_flush(&writer.out);
	}
	/* The normal ends: Wireshark stopped reading (EPIPE), or stopped us
	 * while a write waited for a reader that had stopped reading (EINTR). */
	if (writer.out.error != 0 && writer.out.error != EPIPE && writer.out.error != EINTR) {
		fprintf(stderr, "sflow-extcap: %s: %s\n", options->fifo, strerror(writer.out.error));
		status = 1;
	}
	capture_handle = NULL;
done:
	close(fifo);
	pcapng_writer_free(&writer.out);
	extcap_ports_free(&writer.ports);
	if (p != NULL)
		pcap_close(p);
	return status;
}

/* The fifo of a command line that asks for a capture, found without the
 * parser, which may stop at a bad option before it reads --fifo. */
static const char *capture_fifo(int argc, char **argv)
{
	const char *fifo = NULL;
	int capture = 0;
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--capture") == 0)
			capture = 1;
		else if (strcmp(argv[i], "--fifo") == 0 && i + 1 < argc)
			fifo = argv[++i];
		else if (strncmp(argv[i], "--fifo=", 7) == 0)
			fifo = argv[i] + 7;
	}
	return capture ? fifo : NULL;
}

int main(int argc, char **argv)
{
	struct extcap_options options;
	char error[256];

	/* Before parsing: getopt_long reorders argv. */
	const char *fifo = capture_fifo(argc, argv);
	if (extcap_parse(argc, argv, &options, error, sizeof error) < 0) {
		/* A capture that cannot start still opens and closes its fifo,
		 * so Wireshark shows this line rather than wait (see capture). */
		int out = fifo != NULL ? open_fifo(fifo) : -1;
		fprintf(stderr, "sflow-extcap: %s\n", error);
		if (out >= 0)
			close(out);
		return 1;
	}
	switch (options.action) {
	case EXTCAP_INTERFACES: extcap_print_interfaces(stdout); return 0;
	case EXTCAP_DLTS: extcap_print_dlts(stdout); return 0;
	case EXTCAP_CONFIG: extcap_print_config(stdout); return 0;
	case EXTCAP_VERSION: printf("sflow-extcap %s\n", PACKAGE_VERSION); return 0;
	case EXTCAP_CAPTURE: return capture(&options);
	case EXTCAP_HELP: extcap_print_help(stdout); return 0;
	case EXTCAP_NONE: break;
	}
	extcap_print_help(stderr);
	return 1;
}
