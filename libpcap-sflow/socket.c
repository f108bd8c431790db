/* SPDX-License-Identifier: BSD-3-Clause */
/* The UDP side: bind, batched receive with each datagram's controls, wake-ups (see socket.h). */
#include <config.h>
#include "socket.h"

#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <unistd.h>

/* Under AddressSanitizer the unused tail of each slot is poisoned, so a
 * read past a datagram is reported even though slots share one block. */
#if defined(__SANITIZE_ADDRESS__)
#include <sanitizer/asan_interface.h>
#define POISON(address, size) ASAN_POISON_MEMORY_REGION(address, size)
#define UNPOISON(address, size) ASAN_UNPOISON_MEMORY_REGION(address, size)
#else
#define POISON(address, size) ((void)(address), (void)(size))
#define UNPOISON(address, size) ((void)(address), (void)(size))
#endif

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

int sflow_socket_open(struct sflow_socket *sock, const char *name,
		      const struct sflow_ip *address, uint16_t port,
		      int receive_buffer, char *error, size_t error_size)
{
	int error_number = 0;

	sock->kernel_drops = 0;
	sock->wake_fd = sock->select_fd = sock->pending_fd = -1;
	sock->pending = 0;
	sock->fd = address != NULL ? open_bound_to(address, port, &error_number)
				   : open_bound(port, &error_number);
	if (sock->fd < 0) {
		bind_error(name, port, error_number, error, error_size);
		return -1;
	}
	set_option(sock->fd, SOL_SOCKET, SO_TIMESTAMPNS, 1);
	set_option(sock->fd, SOL_SOCKET, SO_RXQ_OVFL, 1);
	if (receive_buffer > 0) {
		/* FORCE passes net.core.rmem_max when we may; otherwise the
		 * kernel caps the plain request at rmem_max. */
		if (set_option(sock->fd, SOL_SOCKET, SO_RCVBUFFORCE, receive_buffer) < 0)
			set_option(sock->fd, SOL_SOCKET, SO_RCVBUF, receive_buffer);
	}
	sock->wake_fd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
	if (sock->wake_fd < 0) {
		snprintf(error, error_size, "%s: eventfd: %s", name, strerror(errno));
		sflow_socket_close(sock);
		return -1;
	}
	return 0;
}

void sflow_socket_close(struct sflow_socket *sock)
{
	if (sock->fd >= 0)
		close(sock->fd);
	if (sock->wake_fd >= 0)
		close(sock->wake_fd);
	if (sock->select_fd >= 0)
		close(sock->select_fd);
	if (sock->pending_fd >= 0)
		close(sock->pending_fd);
	sock->fd = sock->wake_fd = sock->select_fd = sock->pending_fd = -1;
}

static int watch(int epoll_fd, int fd)
{
	struct epoll_event event = { .events = EPOLLIN, .data.fd = fd };
	return epoll_ctl(epoll_fd, EPOLL_CTL_ADD, fd, &event);
}

int sflow_socket_selectable(struct sflow_socket *sock)
{
	if (sock->select_fd >= 0)
		return sock->select_fd;
	sock->pending_fd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
	sock->select_fd = epoll_create1(EPOLL_CLOEXEC);
	if (sock->pending_fd < 0 || sock->select_fd < 0 ||
	    watch(sock->select_fd, sock->fd) < 0 || watch(sock->select_fd, sock->pending_fd) < 0) {
		if (sock->select_fd >= 0)
			close(sock->select_fd);
		if (sock->pending_fd >= 0)
			close(sock->pending_fd);
		sock->select_fd = sock->pending_fd = -1;
		return -1;
	}
	if (sock->pending)
		sflow_socket_set_pending(sock, 1);
	return sock->select_fd;
}

void sflow_socket_set_pending(struct sflow_socket *sock, int pending)
{
	uint64_t value = 1;

	if (sock->pending_fd >= 0 && pending && !sock->pending) {
		if (write(sock->pending_fd, &value, sizeof value) < 0)
			return;
	} else if (sock->pending_fd >= 0 && !pending && sock->pending) {
		if (read(sock->pending_fd, &value, sizeof value) < 0)
			return;
	}
	sock->pending = pending;
}

int sflow_socket_wait(struct sflow_socket *sock, int timeout_ms)
{
	struct pollfd fds[2] = {
		{ .fd = sock->fd, .events = POLLIN },
		{ .fd = sock->wake_fd, .events = POLLIN },
	};
	int ready = poll(fds, 2, timeout_ms);
	if (ready < 0)
		return -1;
	if (fds[1].revents & POLLIN) {
		uint64_t value;
		if (read(sock->wake_fd, &value, sizeof value) < 0) {
			/* Nothing to drain: another reader took it. */
		}
		errno = EINTR;
		return -1;
	}
	return ready > 0;
}

int sflow_socket_pause(struct sflow_socket *sock, long microseconds)
{
	/* Only the wake-up descriptor is watched: datagrams may arrive
	 * meanwhile, which is the point. */
	struct pollfd wake = { .fd = sock->wake_fd, .events = POLLIN };
	struct timespec pause = { microseconds / 1000000, microseconds % 1000000 * 1000 };
	int ready = ppoll(&wake, 1, &pause, NULL);
	if (ready < 0)
		return -1;
	if (ready > 0) {
		uint64_t value;
		if (read(sock->wake_fd, &value, sizeof value) < 0) {
			/* Nothing to drain: another reader took it. */
		}
		errno = EINTR;
		return -1;
	}
	return 0;
}

void sflow_socket_wake(struct sflow_socket *sock)
{
	uint64_t one = 1;
	if (sock->wake_fd >= 0 && write(sock->wake_fd, &one, sizeof one) < 0) {
		/* The counter is saturated: a wake-up is pending already. */
	}
}

struct sflow_batch *sflow_batch_new(unsigned capacity, size_t slot_size)
{
	struct sflow_batch *batch = calloc(1, sizeof *batch);
	if (batch == NULL)
		return NULL;
	batch->capacity = capacity;
	batch->slot_size = slot_size;
	batch->slots = malloc(capacity * slot_size);
	batch->messages = calloc(capacity, sizeof *batch->messages);
	batch->vectors = calloc(capacity, sizeof *batch->vectors);
	batch->controls = calloc(capacity, CONTROL_SIZE);
	batch->times = calloc(capacity, sizeof *batch->times);
	if (!batch->slots || !batch->messages || !batch->vectors || !batch->controls ||
	    !batch->times) {
		sflow_batch_free(batch);
		return NULL;
	}
	return batch;
}

void sflow_batch_free(struct sflow_batch *batch)
{
	if (batch == NULL)
		return;
	UNPOISON(batch->slots, batch->capacity * batch->slot_size);
	free(batch->slots);
	free(batch->messages);
	free(batch->vectors);
	free(batch->controls);
	free(batch->times);
	free(batch);
}

/* The control messages of one datagram, read once as it arrives: its
 * kernel receive time, and the socket's running count of datagrams it
 * dropped (SO_RXQ_OVFL, sent with each datagram once one was dropped). */
static void read_controls(struct sflow_socket *sock, struct msghdr *message,
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

void sflow_batch_reset(struct sflow_batch *batch)
{
	batch->count = batch->next = 0;
}

int sflow_socket_receive(struct sflow_socket *sock, struct sflow_batch *batch)
{
	unsigned first = batch->count;
	unsigned room = batch->capacity - first;

	if (room == 0)
		return 0;
	for (unsigned i = first; i < batch->capacity; i++) {
		batch->vectors[i].iov_base = batch->slots + i * batch->slot_size;
		batch->vectors[i].iov_len = batch->slot_size;
		batch->messages[i].msg_hdr = (struct msghdr){
			.msg_iov = &batch->vectors[i],
			.msg_iovlen = 1,
			.msg_control = batch->controls + i * CONTROL_SIZE,
			.msg_controllen = CONTROL_SIZE,
		};
	}
	UNPOISON(batch->slots + first * batch->slot_size, room * batch->slot_size);
	int received = recvmmsg(sock->fd, batch->messages + first, room, MSG_DONTWAIT, NULL);
	if (received < 0)
		return (errno == EAGAIN || errno == EWOULDBLOCK) ? 0 : -1;
	for (unsigned i = first; i < first + (unsigned)received; i++) {
		size_t used = batch->messages[i].msg_len;
		if (used < batch->slot_size)
			POISON(batch->slots + i * batch->slot_size + used, batch->slot_size - used);
		read_controls(sock, &batch->messages[i].msg_hdr, &batch->times[i]);
		/* Without a kernel time stamp, the time we took it. */
		if (batch->times[i].tv_sec == 0 && batch->times[i].tv_nsec == 0)
			clock_gettime(CLOCK_REALTIME, &batch->times[i]);
	}
	batch->count += (unsigned)received;
	return received;
}

int sflow_batch_datagram(const struct sflow_batch *batch, unsigned i,
			  const uint8_t **data, size_t *length, struct timespec *time)
{
	*data = batch->slots + i * batch->slot_size;
	*length = batch->messages[i].msg_len;
	if (*length > batch->slot_size)
		*length = batch->slot_size;
	*time = batch->times[i];
	return (batch->messages[i].msg_hdr.msg_flags & MSG_TRUNC) != 0;
}
