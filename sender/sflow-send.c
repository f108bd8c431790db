/*
 * sflow-send: exports the packets of a pcap file as sFlow v5 flow samples
 * to one UDP destination, or (--replay) sends the sFlow datagrams captured
 * in a pcap file as they are. A test source for sFlow collectors.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <limits.h>
#include <netdb.h>
#include <pcap/pcap.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "sflow_encode.h"

#define PROG "sflow-send"
#define DATAGRAM_LIMIT 1400 /* bytes: fits any ordinary path MTU */
#define BATCH 64            /* datagrams per sendmmsg() */
#define MAX_HEADER 65000    /* one sample still fits a UDP datagram */
#define MAX_UDP 65535

#ifndef DLT_LINUX_SLL2
#define DLT_LINUX_SLL2 276
#endif
#ifndef DLT_IPV4
#define DLT_IPV4 228
#endif
#ifndef DLT_IPV6
#define DLT_IPV6 229
#endif

static const char usage_text[] =
"usage: " PROG " [options] FILE.pcap HOST:PORT\n"
"Sends the packets of FILE.pcap as sFlow v5 flow samples (one sampled_header\n"
"record each) to HOST:PORT over UDP. HOST is an IPv4 or IPv6 literal or a\n"
"name; write IPv6 literals as [::1]:6343.\n"
"\n"
"  -N, --sampling-rate N   sample 1 packet in N (default 1: every packet)\n"
"  -H, --header-bytes N    header bytes per sample (default 128)\n"
"  -a, --agent ADDR        agent address, IPv4 or IPv6 (default 127.0.0.1)\n"
"      --sub-agent N       sub_agent_id (default 0)\n"
"  -i, --ifindex N         first data source ifIndex (default 1)\n"
"      --sources N         spread samples round-robin over N data sources,\n"
"                          ifIndex N..N+sources-1 (default 1)\n"
"  -S, --samples-per-datagram N\n"
"                          at most N samples per datagram (default: as many\n"
"                          as fit in 1400 bytes)\n"
"  -r, --rate N            datagrams per second (default 0: as fast as possible)\n"
"  -l, --loop N            send the file N times (default 1; 0: until SIGINT)\n"
"  -c, --count N           stop after N samples (datagrams with --replay)\n"
"      --replay            FILE holds captured sFlow datagrams (Ethernet, Linux\n"
"                          cooked or raw IP; IPv4 or IPv6; UDP): send each UDP\n"
"                          payload unchanged. The encoding options are ignored.\n"
"      --final-pause MS    after the run wait MS ms, then send one more datagram\n"
"                          per data source with one more sample, so that a\n"
"                          receiver sees losses at the end (default 0: off)\n"
"  -q, --quiet             no summary line\n"
"  -h, --help              this help\n"
"\n"
"Input link types: Ethernet, raw IPv4/IPv6, Linux cooked (IP packets only).\n";

enum { OPT_SUB_AGENT = 256, OPT_SOURCES, OPT_REPLAY, OPT_FINAL_PAUSE };

static const struct option long_options[] = {
	{ "sampling-rate", required_argument, NULL, 'N' },
	{ "header-bytes", required_argument, NULL, 'H' },
	{ "agent", required_argument, NULL, 'a' },
	{ "sub-agent", required_argument, NULL, OPT_SUB_AGENT },
	{ "ifindex", required_argument, NULL, 'i' },
	{ "sources", required_argument, NULL, OPT_SOURCES },
	{ "samples-per-datagram", required_argument, NULL, 'S' },
	{ "rate", required_argument, NULL, 'r' },
	{ "loop", required_argument, NULL, 'l' },
	{ "count", required_argument, NULL, 'c' },
	{ "replay", no_argument, NULL, OPT_REPLAY },
	{ "final-pause", required_argument, NULL, OPT_FINAL_PAUSE },
	{ "quiet", no_argument, NULL, 'q' },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

struct options {
	uint32_t sampling_rate, header_bytes, sub_agent, ifindex, sources;
	uint32_t per_datagram; /* 0 = as many as fit */
	uint32_t rate, loops, final_pause_ms;
	uint64_t count;        /* 0 = no limit */
	int replay, quiet;
	int agent_family;
	uint8_t agent[16];
	const char *file, *dest;
};

/* Signals only set flags: the loops check them and end cleanly. */
static volatile sig_atomic_t signals_seen;

static void on_signal(int sig)
{
	(void)sig;
	signals_seen++;
}

static void die(const char *fmt, ...)
{
	va_list ap;

	fputs(PROG ": ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(1);
}

static void usage_error(const char *fmt, ...)
{
	va_list ap;

	fputs(PROG ": ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputs(" (see --help)\n", stderr);
	exit(2);
}

static uint64_t parse_number(const char *name, const char *s, uint64_t min,
			     uint64_t max)
{
	char *end;
	unsigned long long v;

	errno = 0;
	v = strtoull(s, &end, 10);
	/* strtoull accepts a sign: a negative number is never meant */
	if (*s < '0' || *s > '9' || *end || errno || v < min || v > max)
		usage_error("bad %s '%s' (want %" PRIu64 "-%" PRIu64 ")", name,
			    s, min, max);
	return v;
}

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static struct timespec to_timespec(uint64_t ns)
{
	struct timespec ts = { .tv_sec = (time_t)(ns / 1000000000u),
			       .tv_nsec = (long)(ns % 1000000000u) };
	return ts;
}

/* ---- output: one connected socket, paced or batched ---- */

struct output {
	int fd;
	const char *dest;
	uint64_t interval_ns;  /* 0: as fast as possible, in batches */
	uint64_t deadline_ns;  /* of the next paced datagram; 0 = now */
	size_t slot_size;
	uint8_t *slots;        /* BATCH buffers of slot_size bytes */
	struct mmsghdr msgs[BATCH];
	struct iovec iov[BATCH];
	uint32_t slot_samples[BATCH];
	unsigned queued;
	uint64_t datagrams, samples, refused;
};

static int open_socket(const char *dest)
{
	char host[256];
	const char *host_start, *port, *colon;
	size_t host_len;
	struct addrinfo hints = { .ai_socktype = SOCK_DGRAM,
				  .ai_flags = AI_NUMERICSERV };
	struct addrinfo *res, *ai;
	int fd = -1, rc, err = 0;

	if (dest[0] == '[') {
		const char *close = strchr(dest, ']');

		if (!close || close[1] != ':')
			usage_error("bad destination '%s' (want [ADDR]:PORT)",
				    dest);
		host_start = dest + 1;
		host_len = (size_t)(close - host_start);
		port = close + 2;
		hints.ai_flags |= AI_NUMERICHOST;
	} else {
		colon = strrchr(dest, ':');
		if (!colon)
			usage_error("bad destination '%s' (want HOST:PORT)",
				    dest);
		if (memchr(dest, ':', (size_t)(colon - dest)))
			usage_error("bad destination '%s' (write IPv6 as "
				    "[ADDR]:PORT)", dest);
		host_start = dest;
		host_len = (size_t)(colon - dest);
		port = colon + 1;
	}
	if (host_len == 0 || host_len >= sizeof(host))
		usage_error("bad host in destination '%s'", dest);
	memcpy(host, host_start, host_len);
	host[host_len] = '\0';
	parse_number("port", port, 1, 65535);

	rc = getaddrinfo(host, port, &hints, &res);
	if (rc)
		die("%s: %s", host, gai_strerror(rc));
	for (ai = res; ai; ai = ai->ai_next) {
		fd = socket(ai->ai_family, ai->ai_socktype | SOCK_CLOEXEC,
			    ai->ai_protocol);
		if (fd < 0) {
			err = errno;
			continue;
		}
		/* connect()ed, so a port-unreachable comes back as
		 * ECONNREFUSED on a later send, which we count and ignore */
		if (connect(fd, ai->ai_addr, ai->ai_addrlen) == 0)
			break;
		err = errno;
		close(fd);
		fd = -1;
	}
	freeaddrinfo(res);
	if (fd < 0)
		die("cannot send to %s: %s", dest, strerror(err));
	return fd;
}

static void output_init(struct output *o, const char *dest, uint32_t rate,
			size_t slot_size)
{
	memset(o, 0, sizeof(*o));
	o->fd = open_socket(dest);
	o->dest = dest;
	o->interval_ns = rate ? 1000000000u / rate : 0;
	o->slot_size = slot_size;
	o->slots = malloc(slot_size * (rate ? 1 : BATCH));
	if (!o->slots)
		die("out of memory");
}

/* Sends datagrams first..queued-1; returns once all are out. */
static void output_flush(struct output *o)
{
	unsigned i = 0;

	while (i < o->queued) {
		int n = sendmmsg(o->fd, &o->msgs[i], o->queued - i, 0);

		if (n < 0) {
			/* The kernel reports a pending ICMP error instead of
			 * sending: the datagram is still ours to send. */
			if (errno == ECONNREFUSED) {
				o->refused++;
				continue;
			}
			if (errno == EINTR)
				continue;
			if (errno == ENOBUFS || errno == EAGAIN) {
				nanosleep(&(struct timespec){ 0, 1000000 },
					  NULL);
				continue;
			}
			die("send to %s: %s", o->dest, strerror(errno));
		}
		/* A short count means the kernel met an error at the next
		 * datagram and, having sent some, dropped it: on a connected
		 * UDP socket that is the pending ICMP port unreachable. */
		if ((unsigned)n < o->queued - i)
			o->refused++;
		for (int k = 0; k < n; k++)
			o->samples += o->slot_samples[i + (unsigned)k];
		o->datagrams += (unsigned)n;
		i += (unsigned)n;
	}
	o->queued = 0;
}

/* The buffer for the next datagram. When paced, waits for its deadline
 * first, so that the datagram is built (uptime stamped) just in time. */
static uint8_t *output_slot(struct output *o)
{
	if (o->interval_ns) {
		uint64_t now = now_ns();

		if (o->deadline_ns == 0)
			o->deadline_ns = now;
		if (o->deadline_ns > now) {
			struct timespec ts = to_timespec(o->deadline_ns);
			unsigned seen = (unsigned)signals_seen;

			while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME,
					       &ts, NULL) == EINTR &&
			       seen == (unsigned)signals_seen)
				;
		}
		o->deadline_ns += o->interval_ns;
		return o->slots;
	}
	return o->slots + o->queued * o->slot_size;
}

/* Queues the datagram built in the last output_slot(). */
static void output_commit(struct output *o, size_t len, uint32_t samples)
{
	unsigned i = o->queued;

	o->iov[i].iov_base = o->slots + i * o->slot_size;
	o->iov[i].iov_len = len;
	memset(&o->msgs[i], 0, sizeof(o->msgs[i]));
	o->msgs[i].msg_hdr.msg_iov = &o->iov[i];
	o->msgs[i].msg_hdr.msg_iovlen = 1;
	o->slot_samples[i] = samples;
	o->queued++;
	if (o->interval_ns || o->queued == BATCH)
		output_flush(o);
}

/* ---- pcap input ---- */

static pcap_t *open_pcap(const char *file)
{
	char err[PCAP_ERRBUF_SIZE];
	pcap_t *p = pcap_open_offline(file, err);

	if (!p)
		die("%s", err);
	return p;
}

static uint32_t ip_header_protocol(const uint8_t *l3, size_t len)
{
	if (len < 1)
		return 0;
	switch (l3[0] >> 4) {
	case 4: return SFLOW_HEADER_IPV4;
	case 6: return SFLOW_HEADER_IPV6;
	default: return 0;
	}
}

static uint32_t ethertype_header_protocol(unsigned type)
{
	return type == 0x0800 ? SFLOW_HEADER_IPV4 :
	       type == 0x86DD ? SFLOW_HEADER_IPV6 : 0;
}

static unsigned get16(const uint8_t *p)
{
	return (unsigned)p[0] << 8 | p[1];
}

/* Describes a packet of the file as an sFlow sampled header. Returns 0,
 * or -1 when the packet cannot be expressed (non-IP in a cooked capture). */
static int describe_packet(int dlt, const struct pcap_pkthdr *h,
			   const uint8_t *data, struct sflow_packet *pkt)
{
	size_t skip = 0;

	pkt->stripped = 0;
	switch (dlt) {
	case DLT_EN10MB:
		pkt->header_protocol = SFLOW_HEADER_ETHERNET;
		pkt->stripped = 4; /* the FCS, which frame_length counts */
		break;
	case DLT_RAW:
	case DLT_IPV4:
	case DLT_IPV6:
		pkt->header_protocol = ip_header_protocol(data, h->caplen);
		break;
	case DLT_NULL:
	case DLT_LOOP:
		skip = 4;
		if (h->caplen >= skip)
			pkt->header_protocol =
				ip_header_protocol(data + 4, h->caplen - 4);
		break;
	/* Cooked captures have no link header an agent would see: send their
	 * IP packets as IPv4/IPv6 headers. */
	case DLT_LINUX_SLL:
		skip = 16;
		if (h->caplen >= skip)
			pkt->header_protocol =
				ethertype_header_protocol(get16(data + 14));
		break;
	case DLT_LINUX_SLL2:
		skip = 20;
		if (h->caplen >= skip)
			pkt->header_protocol =
				ethertype_header_protocol(get16(data));
		break;
	default:
		return -1;
	}
	if (h->caplen < skip || h->len < skip || pkt->header_protocol == 0)
		return -1;
	pkt->header = data + skip;
	pkt->header_len = h->caplen - skip;
	pkt->frame_length = h->len - (uint32_t)skip + pkt->stripped;
	return 0;
}

static int dlt_supported(int dlt)
{
	switch (dlt) {
	case DLT_EN10MB: case DLT_RAW: case DLT_IPV4: case DLT_IPV6:
	case DLT_NULL: case DLT_LOOP: case DLT_LINUX_SLL: case DLT_LINUX_SLL2:
		return 1;
	default:
		return 0;
	}
}

static pcap_t *open_input(const char *file)
{
	pcap_t *p = open_pcap(file);
	int dlt = pcap_datalink(p);

	if (!dlt_supported(dlt))
		die("%s: link type %s is not supported (want Ethernet, raw IP "
		    "or Linux cooked)", file,
		    pcap_datalink_val_to_name(dlt) ?
		    pcap_datalink_val_to_name(dlt) : "unknown");
	return p;
}

/* ---- sampling mode ---- */

struct sampler {
	const struct options *opt;
	struct output *out;
	struct sflow_encoder enc;
	struct sflow_source *sources;
	uint32_t next_source;
	uint64_t start_ns;
	size_t cap;         /* datagram buffer size */
	int open;           /* a datagram is being built */
	/* the last sampled packet, for --final-pause */
	uint8_t *last;
	struct sflow_packet last_pkt;
	int have_last;
};

static uint32_t uptime_ms(const struct sampler *s)
{
	return (uint32_t)((now_ns() - s->start_ns) / 1000000u);
}

static void close_datagram(struct sampler *s)
{
	if (s->open) {
		size_t len = sflow_finish(&s->enc);

		output_commit(s->out, len, s->enc.num_samples);
		s->open = 0;
	}
}

static void add_sample(struct sampler *s, struct sflow_source *src,
		       const struct sflow_packet *pkt)
{
	if (s->open && ((s->opt->per_datagram &&
			 s->enc.num_samples >= s->opt->per_datagram) ||
			!sflow_fits(&s->enc, pkt->header_len)))
		close_datagram(s);
	if (!s->open) {
		sflow_begin(&s->enc, output_slot(s->out), s->cap,
			    DATAGRAM_LIMIT, uptime_ms(s));
		s->open = 1;
	}
	/* cap holds one sample of the largest header: cannot fail */
	sflow_add_flow_sample(&s->enc, src, s->opt->sampling_rate, pkt);
}

static uint64_t run_sampling(struct sampler *s, pcap_t *first)
{
	const struct options *o = s->opt;
	uint64_t seen = 0, samples = 0, skipped = 0;
	uint32_t pending = 0; /* packets seen since the last sample */
	uint32_t pass;
	int done = 0;

	for (pass = 0; !done && !signals_seen && (o->loops == 0 ||
						  pass < o->loops); pass++) {
		/* the first pass reuses the pcap opened to check the file:
		 * stdin can be read only once */
		pcap_t *p = pass == 0 ? first : open_input(o->file);
		int dlt = pcap_datalink(p), rc = 0;
		struct pcap_pkthdr *h;
		const u_char *data;
		uint64_t usable = 0;

		while (!signals_seen && (rc = pcap_next_ex(p, &h, &data)) == 1) {
			struct sflow_packet pkt;
			struct sflow_source *src;

			if (describe_packet(dlt, h, data, &pkt) < 0) {
				skipped++;
				continue;
			}
			usable++;
			pending++;
			if (++seen % o->sampling_rate)
				continue;
			if (pkt.header_len > o->header_bytes)
				pkt.header_len = o->header_bytes;
			/* Samples go round-robin over the sources; each
			 * source's pool gets the packets since the previous
			 * sample, so pool / sequence stays the rate. */
			src = &s->sources[s->next_source];
			s->next_source = (s->next_source + 1) % o->sources;
			src->pool += pending;
			pending = 0;
			add_sample(s, src, &pkt);
			if (s->last) {
				memcpy(s->last, pkt.header, pkt.header_len);
				s->last_pkt = pkt;
				s->last_pkt.header = s->last;
				s->have_last = 1;
			}
			if (++samples == o->count) {
				done = 1;
				break;
			}
		}
		if (!done && !signals_seen && rc == -1)
			die("%s: %s", o->file, pcap_geterr(p));
		pcap_close(p);
		if (usable == 0) /* nothing to send: do not spin on -l 0 */
			break;
	}
	close_datagram(s);
	output_flush(s->out);
	return skipped;
}

/* One more datagram per source after a pause: the receiver can then tell
 * from the sequence numbers whether the run's last datagrams were lost. */
static void final_datagrams(struct sampler *s, uint32_t pause_ms)
{
	unsigned seen = (unsigned)signals_seen;
	struct timespec ts = to_timespec(now_ns() +
					 (uint64_t)pause_ms * 1000000u);

	if (!s->have_last)
		return;
	while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, NULL) ==
	       EINTR)
		if (seen != (unsigned)signals_seen)
			return; /* interrupted again: the user wants out */
	for (uint32_t i = 0; i < s->opt->sources; i++) {
		/* as if another sampling interval had passed */
		s->sources[i].pool += s->opt->sampling_rate;
		add_sample(s, &s->sources[i], &s->last_pkt);
		close_datagram(s);
	}
	output_flush(s->out);
}

/* ---- replay mode ---- */

/* Finds the UDP payload of a captured packet. Returns its length, or -1
 * when the packet is not a whole, unfragmented UDP datagram. */
static long udp_payload(int dlt, const struct pcap_pkthdr *h,
			const uint8_t *data, const uint8_t **payload)
{
	size_t len = h->caplen, off = 0;
	unsigned type = 0; /* ethertype, or 0 = tell by the IP version */
	const uint8_t *ip;
	size_t udp_off;
	unsigned udp_len;

	if (h->caplen < h->len)
		return -1; /* cut short by the snap length */
	switch (dlt) {
	case DLT_EN10MB:
		if (len < 14)
			return -1;
		type = get16(data + 12);
		off = 14;
		break;
	case DLT_LINUX_SLL:
		if (len < 16)
			return -1;
		type = get16(data + 14);
		off = 16;
		break;
	case DLT_LINUX_SLL2:
		if (len < 20)
			return -1;
		type = get16(data);
		off = 20;
		break;
	case DLT_NULL:
	case DLT_LOOP:
		off = 4;
		break;
	default: /* raw IP */
		break;
	}
	/* 802.1Q / 802.1ad tags, possibly stacked */
	while (type == 0x8100 || type == 0x88A8 || type == 0x9100) {
		if (len < off + 4)
			return -1;
		type = get16(data + off + 2);
		off += 4;
	}
	if (len <= off)
		return -1;
	ip = data + off;
	len -= off;
	if (type == 0)
		type = (ip[0] >> 4) == 4 ? 0x0800 :
		       (ip[0] >> 4) == 6 ? 0x86DD : 1;
	if (type == 0x0800) {
		size_t ihl;

		if (len < 20 || (ip[0] >> 4) != 4 || ip[9] != 17)
			return -1;
		ihl = (size_t)(ip[0] & 0x0F) * 4;
		/* a fragment is not a whole datagram */
		if (ihl < 20 || (get16(ip + 6) & 0x3FFF))
			return -1;
		udp_off = ihl;
	} else if (type == 0x86DD) {
		unsigned next;

		if (len < 40 || (ip[0] >> 4) != 6)
			return -1;
		next = ip[6];
		udp_off = 40;
		/* step over hop-by-hop, routing and destination options */
		while (next == 0 || next == 43 || next == 60 || next == 51) {
			size_t ext;

			if (len < udp_off + 2)
				return -1;
			ext = next == 51 ? ((size_t)ip[udp_off + 1] + 2) * 4
					 : ((size_t)ip[udp_off + 1] + 1) * 8;
			next = ip[udp_off];
			udp_off += ext;
		}
		if (next != 17)
			return -1;
	} else {
		return -1;
	}
	if (len < udp_off + 8)
		return -1;
	udp_len = get16(ip + udp_off + 4);
	if (udp_len < 8 || len < udp_off + udp_len)
		return -1;
	*payload = ip + udp_off + 8;
	return (long)udp_len - 8;
}

/* The samples a replayed sFlow datagram claims, for the summary. */
static uint32_t count_samples(const uint8_t *d, size_t len)
{
	size_t off;
	uint32_t version, type;

	if (len < 8)
		return 0;
	version = (uint32_t)get16(d) << 16 | get16(d + 2);
	type = (uint32_t)get16(d + 4) << 16 | get16(d + 6);
	off = 8 + (type == 1 ? 4 : type == 2 ? 16 : 0);
	if (version == 5)
		off += 12; /* sub-agent, sequence, uptime */
	else if (version == 2 || version == 4)
		off += 8;  /* sequence, uptime */
	else
		return 0;
	if ((type != 1 && type != 2) || len < off + 4)
		return 0;
	return (uint32_t)get16(d + off) << 16 | get16(d + off + 2);
}

static uint64_t run_replay(const struct options *o, struct output *out,
			   pcap_t *first)
{
	uint64_t sent = 0, skipped = 0;
	uint32_t pass;
	int done = 0;

	for (pass = 0; !done && !signals_seen && (o->loops == 0 ||
						  pass < o->loops); pass++) {
		/* the first pass reuses the pcap opened to check the file:
		 * stdin can be read only once */
		pcap_t *p = pass == 0 ? first : open_input(o->file);
		int dlt = pcap_datalink(p), rc = 0;
		struct pcap_pkthdr *h;
		const u_char *data;
		uint64_t usable = 0;

		while (!signals_seen && (rc = pcap_next_ex(p, &h, &data)) == 1) {
			const uint8_t *payload;
			long len = udp_payload(dlt, h, data, &payload);
			uint8_t *slot;

			if (len < 0) {
				skipped++;
				continue;
			}
			usable++;
			slot = output_slot(out);
			memcpy(slot, payload, (size_t)len);
			output_commit(out, (size_t)len,
				      count_samples(payload, (size_t)len));
			if (++sent == o->count) {
				done = 1;
				break;
			}
		}
		if (!done && !signals_seen && rc == -1)
			die("%s: %s", o->file, pcap_geterr(p));
		pcap_close(p);
		if (usable == 0)
			break;
	}
	output_flush(out);
	return skipped;
}

/* ---- main ---- */

static void parse_options(int argc, char **argv, struct options *o)
{
	const char *agent = "127.0.0.1";
	int c;

	memset(o, 0, sizeof(*o));
	o->sampling_rate = 1;
	o->header_bytes = 128;
	o->ifindex = 1;
	o->sources = 1;
	o->loops = 1;

	opterr = 0; /* our own one-line messages */
	while ((c = getopt_long(argc, argv, ":N:H:a:i:S:r:l:c:qh",
				long_options, NULL)) != -1) {
		switch (c) {
		case 'N':
			o->sampling_rate = (uint32_t)parse_number(
				"sampling rate", optarg, 1, UINT32_MAX);
			break;
		case 'H':
			o->header_bytes = (uint32_t)parse_number(
				"header bytes", optarg, 1, MAX_HEADER);
			break;
		case 'a':
			agent = optarg;
			break;
		case OPT_SUB_AGENT:
			o->sub_agent = (uint32_t)parse_number(
				"sub-agent", optarg, 0, UINT32_MAX);
			break;
		case 'i':
			o->ifindex = (uint32_t)parse_number(
				"ifindex", optarg, 0, SFLOW_SOURCE_INDEX_MAX);
			break;
		case OPT_SOURCES:
			o->sources = (uint32_t)parse_number(
				"sources", optarg, 1, 65536);
			break;
		case 'S':
			o->per_datagram = (uint32_t)parse_number(
				"samples per datagram", optarg, 1, UINT32_MAX);
			break;
		case 'r':
			o->rate = (uint32_t)parse_number("rate", optarg, 0,
							 10000000);
			break;
		case 'l':
			o->loops = (uint32_t)parse_number("loop count", optarg,
							  0, UINT32_MAX);
			break;
		case 'c':
			o->count = parse_number("count", optarg, 1,
						UINT64_MAX);
			break;
		case OPT_REPLAY:
			o->replay = 1;
			break;
		case OPT_FINAL_PAUSE:
			o->final_pause_ms = (uint32_t)parse_number(
				"final pause", optarg, 0, 3600000);
			break;
		case 'q':
			o->quiet = 1;
			break;
		case 'h':
			fputs(usage_text, stdout);
			exit(0);
		case ':':
			usage_error("option '%s' needs a value",
				    argv[optind - 1]);
			break;
		default:
			if (optopt)
				usage_error("unknown option '-%c'", optopt);
			usage_error("unknown option '%s'", argv[optind - 1]);
		}
	}
	if (argc - optind != 2)
		usage_error(argc - optind < 2 ? "need FILE.pcap and HOST:PORT"
					      : "too many arguments");
	o->file = argv[optind];
	o->dest = argv[optind + 1];

	if (inet_pton(AF_INET, agent, o->agent) == 1)
		o->agent_family = AF_INET;
	else if (inet_pton(AF_INET6, agent, o->agent) == 1)
		o->agent_family = AF_INET6;
	else
		usage_error("bad agent address '%s' (want an IPv4 or IPv6 "
			    "literal)", agent);
	if ((uint64_t)o->ifindex + o->sources - 1 > SFLOW_SOURCE_INDEX_MAX)
		usage_error("ifindex + sources - 1 exceeds %u",
			    SFLOW_SOURCE_INDEX_MAX);
	if (o->replay && o->final_pause_ms)
		usage_error("--final-pause does not apply to --replay");
	/* stdin cannot be read twice */
	if (strcmp(o->file, "-") == 0 && o->loops != 1)
		usage_error("--loop needs a file, not stdin");
}

int main(int argc, char **argv)
{
	struct options o;
	struct output out;
	struct sigaction sa;
	uint64_t skipped;
	pcap_t *first;

	parse_options(argc, argv, &o);

	/* no SA_RESTART: a signal must cut a paced sleep short */
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);

	if (o.replay) {
		/* the input first: its errors are the likelier */
		first = open_input(o.file);
		output_init(&out, o.dest, o.rate, MAX_UDP);
		skipped = run_replay(&o, &out, first);
	} else {
		struct sampler s;
		size_t one;

		memset(&s, 0, sizeof(s));
		s.opt = &o;
		s.out = &out;
		s.start_ns = now_ns();
		sflow_encoder_init(&s.enc, o.agent_family, o.agent,
				   o.sub_agent);
		/* room for the limit, or for one sample alone if bigger */
		one = sflow_datagram_overhead(&s.enc) +
		      sflow_flow_sample_size(o.header_bytes);
		s.cap = one > DATAGRAM_LIMIT ? one : DATAGRAM_LIMIT;
		s.sources = calloc(o.sources, sizeof(*s.sources));
		if (o.final_pause_ms)
			s.last = malloc(o.header_bytes);
		if (!s.sources || (o.final_pause_ms && !s.last))
			die("out of memory");
		for (uint32_t i = 0; i < o.sources; i++) {
			s.sources[i].source_id = o.ifindex + i; /* type 0 */
			s.sources[i].input = o.ifindex + i;
		}
		first = open_input(o.file);
		output_init(&out, o.dest, o.rate, s.cap);
		skipped = run_sampling(&s, first);
		if (o.final_pause_ms)
			final_datagrams(&s, o.final_pause_ms);
		free(s.sources);
		free(s.last);
	}

	if (!o.quiet) {
		fprintf(stderr, PROG ": sent %" PRIu64 " datagrams, %" PRIu64
			" samples to %s", out.datagrams, out.samples, o.dest);
		if (skipped)
			fprintf(stderr, "; skipped %" PRIu64 " packets (%s)",
				skipped, o.replay ? "not whole UDP datagrams"
						  : "not IP");
		if (out.refused)
			fprintf(stderr, "; %" PRIu64 " port unreachable",
				out.refused);
		fputc('\n', stderr);
	}
	close(out.fd);
	free(out.slots);
	return 0;
}
