/* SPDX-License-Identifier: BSD-3-Clause */
/* Forwarding the feed on: sendmmsg of each received batch to each target. */
#include <config.h>
#include "forward.h"

#include <arpa/inet.h>
#include <errno.h>
#include <ifaddrs.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int connect_target(const struct sflow_endpoint *target, int *error_number)
{
	struct sockaddr_in6 address6 = { .sin6_family = AF_INET6, .sin6_port = htons(target->port) };
	struct sockaddr_in address4 = { .sin_family = AF_INET, .sin_port = htons(target->port) };
	int ipv6 = target->address.family == 6;
	int fd = socket(ipv6 ? AF_INET6 : AF_INET, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);

	if (fd < 0) {
		*error_number = errno;
		return -1;
	}
	memcpy(&address6.sin6_addr, target->address.bytes, 16);
	memcpy(&address4.sin_addr, target->address.bytes, 4);
	/* Connected: the kernel routes once, and an ICMP port unreachable
	 * that comes back for an earlier datagram fails a later send, which
	 * we count. */
	if (connect(fd, ipv6 ? (struct sockaddr *)&address6 : (struct sockaddr *)&address4,
		    ipv6 ? sizeof address6 : sizeof address4) < 0) {
		*error_number = errno;
		close(fd);
		return -1;
	}
	return fd;
}

/* An address in IPv6 form, IPv4 mapped (::ffff:a.b.c.d). */
static void mapped(const struct sflow_ip *ip, uint8_t out[16])
{
	if (ip->family == 6) {
		memcpy(out, ip->bytes, 16);
	} else {
		memset(out, 0, 10);
		out[10] = out[11] = 0xFF;
		memcpy(out + 12, ip->bytes, 4);
	}
}

static int is_ipv4(const uint8_t address[16])
{
	static const uint8_t prefix[12] = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xFF, 0xFF };
	return memcmp(address, prefix, sizeof prefix) == 0;
}

static int all_zero(const uint8_t *bytes, size_t length)
{
	for (size_t i = 0; i < length; i++)
		if (bytes[i] != 0)
			return 0;
	return 1;
}

/* Is a datagram sent to address delivered to this host: loopback
 * (127.0.0.0/8, ::1), unspecified (0.0.0.0 and :: mean this host as a
 * destination), or an address of one of its interfaces? */
static int address_is_local(const uint8_t address[16])
{
	if (is_ipv4(address)) {
		if (address[12] == 127 || all_zero(address + 12, 4))
			return 1;
	} else if (all_zero(address, 15) && address[15] <= 1) {
		return 1;
	}
	struct ifaddrs *interfaces;
	int local = 0;
	if (getifaddrs(&interfaces) < 0)
		return 0;
	for (struct ifaddrs *i = interfaces; i != NULL && !local; i = i->ifa_next) {
		if (i->ifa_addr == NULL)
			continue;
		if (i->ifa_addr->sa_family == AF_INET && is_ipv4(address)) {
			const struct sockaddr_in *in = (const struct sockaddr_in *)i->ifa_addr;
			local = memcmp(&in->sin_addr, address + 12, 4) == 0;
		} else if (i->ifa_addr->sa_family == AF_INET6) {
			const struct sockaddr_in6 *in6 = (const struct sockaddr_in6 *)i->ifa_addr;
			local = memcmp(&in6->sin6_addr, address, 16) == 0;
		}
	}
	freeifaddrs(interfaces);
	return local;
}

/* Would a datagram sent to target arrive on receive_fd, the capture's own
 * socket? Its port and the address it is bound to decide: a wildcard
 * takes every local address of its family (an IPv6 wildcard IPv4 too,
 * unless IPV6_V6ONLY). */
static int target_is_own(int receive_fd, const struct sflow_endpoint *target)
{
	struct sockaddr_storage bound;
	socklen_t length = sizeof bound;
	uint8_t listening[16], to[16];
	uint16_t port;
	int takes_ipv4 = 1, takes_ipv6 = 1;

	if (receive_fd < 0 || getsockname(receive_fd, (struct sockaddr *)&bound, &length) < 0)
		return 0;
	if (bound.ss_family == AF_INET) {
		const struct sockaddr_in *in = (const struct sockaddr_in *)&bound;
		struct sflow_ip ip = { .family = 4 };
		memcpy(ip.bytes, &in->sin_addr, 4);
		mapped(&ip, listening);
		port = ntohs(in->sin_port);
		takes_ipv6 = 0;
	} else if (bound.ss_family == AF_INET6) {
		const struct sockaddr_in6 *in6 = (const struct sockaddr_in6 *)&bound;
		int v6only = 0;
		socklen_t size = sizeof v6only;
		memcpy(listening, &in6->sin6_addr, 16);
		port = ntohs(in6->sin6_port);
		if (getsockopt(receive_fd, IPPROTO_IPV6, IPV6_V6ONLY, &v6only, &size) == 0 && v6only)
			takes_ipv4 = 0;
	} else {
		return 0;
	}
	mapped(&target->address, to);
	if (port != target->port || (is_ipv4(to) ? !takes_ipv4 : !takes_ipv6))
		return 0;
	if (all_zero(listening, 16) || (is_ipv4(listening) && all_zero(listening + 12, 4)))
		return address_is_local(to);
	return memcmp(listening, to, 16) == 0;
}

static void format_target(const struct sflow_endpoint *target, char *text, size_t size)
{
	char address[INET6_ADDRSTRLEN] = "?";
	int ipv6 = target->address.family == 6;
	inet_ntop(ipv6 ? AF_INET6 : AF_INET, target->address.bytes, address, sizeof address);
	snprintf(text, size, ipv6 ? "[%s]:%u" : "%s:%u", address, target->port);
}

int sflow_forward_open(struct sflow_forward *forward, const struct sflow_device *device,
		       int receive_fd, unsigned batch_capacity, const char *name,
		       char *error, size_t error_size)
{
	memset(forward, 0, sizeof *forward);
	if (device->forward_count == 0)
		return 0;
	/* A target that is this capture would receive every datagram again,
	 * and forward it again, forever. */
	for (unsigned i = 0; i < device->forward_count; i++) {
		if (target_is_own(receive_fd, &device->forwards[i])) {
			char text[INET6_ADDRSTRLEN + 16];
			format_target(&device->forwards[i], text, sizeof text);
			snprintf(error, error_size,
				 "%s: forward=%s is where this capture receives: every datagram "
				 "would come back and loop; forward to another port or host",
				 name, text);
			return -1;
		}
	}
	forward->capacity = batch_capacity;
	forward->messages = calloc(batch_capacity, sizeof *forward->messages);
	forward->vectors = calloc(batch_capacity, sizeof *forward->vectors);
	if (forward->messages == NULL || forward->vectors == NULL) {
		snprintf(error, error_size, "%s: out of memory", name);
		sflow_forward_close(forward);
		return -1;
	}
	for (unsigned i = 0; i < device->forward_count; i++) {
		int error_number = 0;
		int fd = connect_target(&device->forwards[i], &error_number);
		if (fd < 0) {
			snprintf(error, error_size,
				 "%s: cannot forward to target %u (port %u): %s; give an address "
				 "this host can reach", name, i + 1, device->forwards[i].port,
				 strerror(error_number));
			sflow_forward_close(forward);
			return -1;
		}
		forward->fds[forward->count++] = fd;
	}
	return 0;
}

void sflow_forward_close(struct sflow_forward *forward)
{
	/* Only the first count descriptors are open: a zeroed struct holds none. */
	for (unsigned i = 0; i < forward->count; i++)
		close(forward->fds[i]);
	free(forward->messages);
	free(forward->vectors);
	forward->messages = NULL;
	forward->vectors = NULL;
	forward->count = 0;
}

/* Sends messages[0 .. total-1] on fd; returns how many were not sent.
 * A failing datagram is skipped (each call either sends one or more, or
 * fails one), so the loop ends after at most total calls. */
static uint64_t send_all(int fd, struct mmsghdr *messages, unsigned total)
{
	uint64_t failed = 0;
	unsigned sent = 0;

	while (sent < total) {
		int result = sendmmsg(fd, messages + sent, total - sent, MSG_DONTWAIT);
		if (result > 0) {
			sent += (unsigned)result;
		} else if (result < 0 && errno == EINTR) {
			continue;
		} else if (result < 0 && (errno == EAGAIN || errno == EWOULDBLOCK ||
					  errno == ENOBUFS)) {
			/* The socket is full: the rest would wait, and we never do. */
			failed += total - sent;
			break;
		} else {
			failed++;
			sent++;
		}
	}
	return failed;
}

uint64_t sflow_forward_batch(struct sflow_forward *forward, const struct sflow_batch *batch)
{
	unsigned total = batch->count < forward->capacity ? batch->count : forward->capacity;
	uint64_t failed = 0;

	if (forward->count == 0 || total == 0)
		return 0;
	for (unsigned i = 0; i < total; i++) {
		const uint8_t *data;
		size_t length;
		struct timespec unused;
		sflow_batch_datagram(batch, i, &data, &length, &unused);
		forward->vectors[i].iov_base = (void *)data;
		forward->vectors[i].iov_len = length;
		forward->messages[i].msg_hdr = (struct msghdr){
			.msg_iov = &forward->vectors[i],
			.msg_iovlen = 1,
		};
	}
	for (unsigned t = 0; t < forward->count; t++)
		failed += send_all(forward->fds[t], forward->messages, total);
	/* Datagrams beyond our capacity (none: it is the batch's). */
	failed += (uint64_t)(batch->count - total) * forward->count;
	return failed;
}
