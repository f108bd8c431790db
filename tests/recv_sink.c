/* SPDX-License-Identifier: BSD-3-Clause */
/* The benchmark's baseline: a bare recvmmsg sink that receives datagrams
 * the way the module does (batches of 32, 64 KiB slots, 0.5 ms pauses to
 * fill a batch) and does nothing with them but read their sample count.
 * usage: recv_sink PORT SECONDS_IDLE
 * Prints "datagrams N samples S cpu_seconds C peak_rss_kb R" once
 * SECONDS_IDLE pass with nothing. */
#include <config.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define BATCH 32
#define SLOT 65536
#define PAUSE_US 500

/* A v5 datagram's num_samples, the one field the sink reads, so the
 * benchmark can compare samples with samples. */
static uint32_t num_samples(const uint8_t *d, size_t length)
{
	size_t at = length >= 8 && d[7] == 2 ? 36 : 24;   /* IPv6 or IPv4 agent */
	if (length < at + 4)
		return 0;
	return (uint32_t)d[at] << 24 | (uint32_t)d[at + 1] << 16 | (uint32_t)d[at + 2] << 8 | d[at + 3];
}

int main(int argc, char **argv)
{
	if (argc < 3) {
		fprintf(stderr, "usage: recv_sink PORT SECONDS_IDLE\n");
		return 2;
	}
	int fd = socket(AF_INET6, SOCK_DGRAM, 0);
	int zero = 0, buffer = 2 * 1024 * 1024;
	setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &zero, sizeof zero);
	if (setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &buffer, sizeof buffer) < 0)
		setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &buffer, sizeof buffer);
	struct sockaddr_in6 address = { .sin6_family = AF_INET6,
					.sin6_port = htons((uint16_t)atoi(argv[1])) };
	if (bind(fd, (struct sockaddr *)&address, sizeof address) < 0) {
		perror("recv_sink: bind");
		return 1;
	}
	static uint8_t slots[BATCH][SLOT];
	struct iovec vectors[BATCH];
	struct mmsghdr messages[BATCH];
	unsigned long long datagrams = 0, samples = 0;
	int idle_ms = atoi(argv[2]) * 1000;
	printf("ready\n");
	fflush(stdout);
	for (;;) {
		struct pollfd wait = { .fd = fd, .events = POLLIN };
		if (poll(&wait, 1, idle_ms) <= 0)
			break;
		/* Batches as the module does outside immediate mode: a part
		 * full batch pauses 0.5 ms for more while more come. */
		int filled = 0;
		for (;;) {
			for (int i = filled; i < BATCH; i++) {
				vectors[i] = (struct iovec){ slots[i], SLOT };
				messages[i].msg_hdr = (struct msghdr){ .msg_iov = &vectors[i],
								       .msg_iovlen = 1 };
			}
			int received = recvmmsg(fd, messages + filled, BATCH - filled, MSG_DONTWAIT,
						NULL);
			if (received <= 0)
				break;
			filled += received;
			if (filled == BATCH)
				break;
			const struct timespec pause = { 0, PAUSE_US * 1000 };
			nanosleep(&pause, NULL);
		}
		for (int i = 0; i < filled; i++)
			samples += num_samples(slots[i], messages[i].msg_len);
		datagrams += (unsigned)filled;
	}
	struct rusage usage;
	getrusage(RUSAGE_SELF, &usage);
	printf("datagrams %llu samples %llu cpu_seconds %.3f peak_rss_kb %ld\n", datagrams, samples,
	       usage.ru_utime.tv_sec + usage.ru_stime.tv_sec +
	       (usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6, usage.ru_maxrss);
	return 0;
}
