/* SPDX-License-Identifier: BSD-3-Clause */
/* The default source: a UDP socket bound to the port, datagrams received
 * in batches (recvmmsg) with their kernel receive times and senders. */
#include <config.h>
#include "source.h"

#include <errno.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Room for SCM_TIMESTAMPNS and SO_RXQ_OVFL with slack. */
#define CONTROL_SIZE 128
_Static_assert(CONTROL_SIZE >= CMSG_SPACE(sizeof(struct timespec)) + CMSG_SPACE(sizeof(uint32_t)),
	       "each datagram's control messages fit");

static int set_option(int fd, int level, int option, int value)
{
	return setsockopt(fd, level, option, &value, sizeof value);
}

static void bind_error(const char *name, uint16_t port, int error_number,
		       char *error, size_t error_size)
{
	if (error_number == EADDRINUSE)
		snprintf(error, error_size,
			 "%s: UDP port %u is already in use: stop the other collector "
			 "or choose another port, as in sflow:%u",
			 name, port, port == 6343 ? 6344u : 6343u);
	else if (error_number == EACCES)
		snprintf(error, error_size,
			 "%s: UDP port %u needs root or CAP_NET_BIND_SERVICE: "
			 "run as root or use a port of 1024 or above",
			 name, port);
	else if (error_number == EADDRNOTAVAIL)
		snprintf(error, error_size,
			 "%s: no interface here has that address: give one of this host's "
			 "addresses, or none to listen on all", name);
	else
		snprintf(error, error_size, "%s: cannot bind UDP port %u: %s",
			 name, port, strerror(error_number));
}

/* Binds the one address given: that family alone. */
static int open_bound_to(const struct sflow_ip *ip, uint16_t port, int *error_number)
{
	struct sockaddr_in6 address6 = { .sin6_family = AF_INET6, .sin6_port = htons(port) };
	struct sockaddr_in address4 = { .sin_family = AF_INET, .sin_port = htons(port) };
	int ipv6 = ip->family == 6;
	int fd = socket(ipv6 ? AF_INET6 : AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);

	if (fd < 0) {
		*error_number = errno;
		return -1;
	}
	memcpy(&address6.sin6_addr, ip->bytes, 16);
	memcpy(&address4.sin_addr, ip->bytes, 4);
	/* [::] keeps the system's net.ipv6.bindv6only (dual-stack on Linux by
	 * default), like the default socket; 0.0.0.0 is IPv4 only. */
	if (bind(fd, ipv6 ? (struct sockaddr *)&address6 : (struct sockaddr *)&address4,
		 ipv6 ? sizeof address6 : sizeof address4) == 0)
		return fd;
	*error_number = errno;
	close(fd);
	return -1;
}

static int open_bound(uint16_t port, int *error_number)
{
	/* One IPv6 socket with V6ONLY off takes IPv4 too; hosts without IPv6
	 * fall back to IPv4 alone. */
	int fd = socket(AF_INET6, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd >= 0) {
		struct sockaddr_in6 address = { .sin6_family = AF_INET6,
						.sin6_port = htons(port),
						.sin6_addr = IN6ADDR_ANY_INIT };
		set_option(fd, IPPROTO_IPV6, IPV6_V6ONLY, 0);
		if (bind(fd, (struct sockaddr *)&address, sizeof address) == 0)
			return fd;
		*error_number = errno;
		close(fd);
		if (*error_number != EADDRNOTAVAIL && *error_number != EAFNOSUPPORT)
			return -1;
	}
	fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0) {
		*error_number = errno;
		return -1;
	}
	struct sockaddr_in address = { .sin_family = AF_INET, .sin_port = htons(port),
				       .sin_addr.s_addr = htonl(INADDR_ANY) };
	if (bind(fd, (struct sockaddr *)&address, sizeof address) == 0)
		return fd;
	*error_number = errno;
	close(fd);
	return -1;
}

/* What recvmmsg needs beside the batch's slots. */
struct sflow_socket_source {
	unsigned capacity;
	uint32_t kernel_drops;  /* SO_RXQ_OVFL: datagrams the socket dropped */
	struct mmsghdr *messages;
	struct iovec *vectors;
	uint8_t *controls;
	struct sockaddr_in6 *senders;   /* room for either family */
};

void sflow_socket_source_close(struct sflow_source *source)
{
	struct sflow_socket_source *sock = source->socket;

	if (source->fd >= 0)
		close(source->fd);
	source->fd = -1;
	if (sock == NULL)
		return;
	free(sock->messages);
	free(sock->vectors);
	free(sock->controls);
	free(sock->senders);
	free(sock);
	source->socket = NULL;
}

int sflow_socket_source_open(struct sflow_source *source, const struct sflow_device *device,
			     const char *name, int receive_buffer, unsigned capacity,
			     char *error, size_t error_size)
{
	int error_number = 0;
	struct sflow_socket_source *sock = calloc(1, sizeof *sock);

	source->socket = sock;
	if (sock != NULL) {
		sock->capacity = capacity;
		sock->messages = calloc(capacity, sizeof *sock->messages);
		sock->vectors = calloc(capacity, sizeof *sock->vectors);
		sock->controls = calloc(capacity, CONTROL_SIZE);
		sock->senders = calloc(capacity, sizeof *sock->senders);
	}
	if (sock == NULL || !sock->messages || !sock->vectors || !sock->controls ||
	    !sock->senders) {
		snprintf(error, error_size, "%s: out of memory", name);
		return -1;
	}
	source->fd = device->has_bind_address
		     ? open_bound_to(&device->bind_address, device->port, &error_number)
		     : open_bound(device->port, &error_number);
	if (source->fd < 0) {
		bind_error(name, device->port, error_number, error, error_size);
		return -1;
	}
	set_option(source->fd, SOL_SOCKET, SO_TIMESTAMPNS, 1);
	set_option(source->fd, SOL_SOCKET, SO_RXQ_OVFL, 1);
	if (receive_buffer > 0) {
		/* FORCE passes net.core.rmem_max when we may; otherwise the
		 * kernel caps the plain request at rmem_max. */
		if (set_option(source->fd, SOL_SOCKET, SO_RCVBUFFORCE, receive_buffer) < 0)
			set_option(source->fd, SOL_SOCKET, SO_RCVBUF, receive_buffer);
	}
	return 0;
}

/* The control messages of one datagram, read once as it arrives: its
 * kernel receive time, and the socket's running count of datagrams it
 * dropped (SO_RXQ_OVFL, sent with each datagram once one was dropped). */
static void read_controls(struct sflow_socket_source *sock, struct msghdr *message,
			  struct timespec *time)
{
	time->tv_sec = 0;
	time->tv_nsec = 0;
	for (struct cmsghdr *c = CMSG_FIRSTHDR(message); c != NULL;
	     c = CMSG_NXTHDR(message, c)) {
		if (c->cmsg_level != SOL_SOCKET)
			continue;
		if (c->cmsg_type == SCM_TIMESTAMPNS)
			memcpy(time, CMSG_DATA(c), sizeof *time);
		else if (c->cmsg_type == SO_RXQ_OVFL)
			memcpy(&sock->kernel_drops, CMSG_DATA(c), sizeof sock->kernel_drops);
	}
}

static void read_sender(const struct sockaddr_in6 *sender, struct sflow_endpoint *origin)
{
	memset(origin, 0, sizeof *origin);
	if (sender->sin6_family == AF_INET6) {
		origin->address.family = 6;
		memcpy(origin->address.bytes, &sender->sin6_addr, 16);
		origin->port = ntohs(sender->sin6_port);
	} else if (sender->sin6_family == AF_INET) {
		const struct sockaddr_in *sender4 = (const struct sockaddr_in *)sender;
		origin->address.family = 4;
		memcpy(origin->address.bytes, &sender4->sin_addr, 4);
		origin->port = ntohs(sender4->sin_port);
	}
}

int sflow_socket_source_receive(struct sflow_source *source, struct sflow_batch *batch)
{
	struct sflow_socket_source *sock = source->socket;
	unsigned first = batch->count;
	unsigned room = batch->capacity - first;

	if (room > sock->capacity)
		room = sock->capacity;
	if (room == 0)
		return 0;
	for (unsigned i = 0; i < room; i++) {
		sock->vectors[i].iov_base = sflow_batch_slot(batch, first + i);
		sock->vectors[i].iov_len = batch->slot_size;
		sock->messages[i].msg_hdr = (struct msghdr){
			.msg_name = &sock->senders[i],
			.msg_namelen = sizeof sock->senders[i],
			.msg_iov = &sock->vectors[i],
			.msg_iovlen = 1,
			.msg_control = sock->controls + i * CONTROL_SIZE,
			.msg_controllen = CONTROL_SIZE,
		};
	}
	int received = recvmmsg(source->fd, sock->messages, room, MSG_DONTWAIT, NULL);
	if (received < 0)
		return (errno == EAGAIN || errno == EWOULDBLOCK) ? 0 : -1;
	for (unsigned i = 0; i < (unsigned)received; i++) {
		struct timespec time;
		struct sflow_endpoint origin;
		read_controls(sock, &sock->messages[i].msg_hdr, &time);
		/* Without a kernel time stamp, the time we took it. */
		if (time.tv_sec == 0 && time.tv_nsec == 0)
			clock_gettime(CLOCK_REALTIME, &time);
		read_sender(&sock->senders[i], &origin);
		sflow_batch_filled(batch, sock->messages[i].msg_len,
				   (sock->messages[i].msg_hdr.msg_flags & MSG_TRUNC) != 0,
				   &time, &origin);
	}
	/* The kernel's running count, as of the newest datagram. */
	source->drops = sock->kernel_drops;
	return received;
}
