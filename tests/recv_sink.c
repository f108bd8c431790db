/* The benchmark's baseline: a bare recvmmsg sink that receives datagrams
 * the way the module does (batches of 32, 64 KiB slots) and does nothing
 * with them. usage: recv_sink PORT SECONDS_IDLE
 * Prints "datagrams N cpu_seconds C" once SECONDS_IDLE pass with nothing. */
#include <config.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#define BATCH 32
#define SLOT 65536

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
	unsigned long long datagrams = 0;
	int idle_ms = atoi(argv[2]) * 1000;
	printf("ready\n");
	fflush(stdout);
	for (;;) {
		struct pollfd wait = { .fd = fd, .events = POLLIN };
		if (poll(&wait, 1, idle_ms) <= 0)
			break;
		for (unsigned i = 0; i < BATCH; i++) {
			vectors[i] = (struct iovec){ slots[i], SLOT };
			messages[i].msg_hdr = (struct msghdr){ .msg_iov = &vectors[i], .msg_iovlen = 1 };
		}
		int received = recvmmsg(fd, messages, BATCH, MSG_DONTWAIT, NULL);
		if (received > 0)
			datagrams += (unsigned)received;
	}
	struct rusage usage;
	getrusage(RUSAGE_SELF, &usage);
	printf("datagrams %llu cpu_seconds %.3f\n", datagrams,
	       usage.ru_utime.tv_sec + usage.ru_stime.tv_sec +
	       (usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6);
	return 0;
}
