/* SPDX-License-Identifier: BSD-3-Clause */
/* The UDP output: batched or paced sends to one destination (see output.h). */
#include <config.h>
#include "output.h"

#include <errno.h>
#include <netdb.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "clock.h"
#include "errors.h"

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

void output_init(struct output *o, const char *dest, uint32_t rate,
		 size_t slot_size)
{
	memset(o, 0, sizeof(*o));
	o->fd = open_socket(dest);
	o->dest = dest;
	o->interval_ns = rate ? 1000000000u / rate : 0;
	o->slot_size = slot_size;
	o->slots = malloc(slot_size * (rate ? 1 : OUTPUT_BATCH));
	if (!o->slots)
		die("out of memory");
}

void output_flush(struct output *o)
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

uint8_t *output_slot(struct output *o)
{
	if (o->interval_ns) {
		uint64_t now = now_ns();

		if (o->deadline_ns == 0)
			o->deadline_ns = now;
		/* a stop signal ends the wait; the caller then stops */
		if (o->deadline_ns > now)
			sleep_until(o->deadline_ns);
		o->deadline_ns += o->interval_ns;
		return o->slots;
	}
	return o->slots + o->queued * o->slot_size;
}

void output_commit(struct output *o, size_t len, uint32_t samples)
{
	unsigned i = o->queued;

	o->iov[i].iov_base = o->slots + i * o->slot_size;
	o->iov[i].iov_len = len;
	memset(&o->msgs[i], 0, sizeof(o->msgs[i]));
	o->msgs[i].msg_hdr.msg_iov = &o->iov[i];
	o->msgs[i].msg_hdr.msg_iovlen = 1;
	o->slot_samples[i] = samples;
	o->queued++;
	if (o->interval_ns || o->queued == OUTPUT_BATCH)
		output_flush(o);
}

void output_close(struct output *o)
{
	close(o->fd);
	free(o->slots);
	o->fd = -1;
	o->slots = NULL;
}
