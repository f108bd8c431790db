/* SPDX-License-Identifier: BSD-3-Clause */
/* When an sflow handle hands packets over, as a libpcap program sees it:
 * pcap_set_timeout and immediate mode (measured delays, generous bounds),
 * pcap_setnonblock, pcap_breakloop from a signal handler and from another
 * thread, two handles in one process, pcap_next. Run under sflow-run
 * (tests/api_timing.sh) with two free UDP ports; it sends its own datagrams
 * to 127.0.0.1. A watchdog turns a wait that never ends into a failure. */
#include <arpa/inet.h>
#include <pcap/pcap.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include "api_feed.h"
#include "tap.h"

static double now(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static void sleep_ms(unsigned ms)
{
	struct timespec t = { ms / 1000, (long)(ms % 1000) * 1000000L };
	while (nanosleep(&t, &t) != 0)
		;
}

/* ---- the watchdog: a phase that outlives its deadline fails the run ---- */
static pthread_mutex_t watch_lock = PTHREAD_MUTEX_INITIALIZER;
static const char *watch_phase;
static double watch_deadline;

static void watch(const char *phase, double seconds)
{
	pthread_mutex_lock(&watch_lock);
	watch_phase = phase;
	watch_deadline = now() + seconds;
	pthread_mutex_unlock(&watch_lock);
}

static void *watchdog(void *unused)
{
	(void)unused;
	for (;;) {
		sleep_ms(100);
		pthread_mutex_lock(&watch_lock);
		if (watch_phase != NULL && now() > watch_deadline) {
			printf("not ok %d - %s: still waiting past its deadline\n", tap_count + 1,
			       watch_phase);
			printf("Bail out! %s hung\n", watch_phase);
			fflush(stdout);
			_exit(1);
		}
		pthread_mutex_unlock(&watch_lock);
	}
	return NULL;
}

/* ---- datagrams: count flow samples to dport, from source 1 ---- */
static void send_samples(uint16_t port, uint16_t dport, unsigned count)
{
	uint16_t dports[8];
	if (count > sizeof dports / sizeof dports[0])
		abort();
	for (unsigned i = 0; i < count; i++)
		dports[i] = dport;
	api_feed_send(port, 1, 0, dports, count);
}

/* Sends one sample after a delay, from a thread, noting when. */
struct delayed_send {
	uint16_t port, dport;
	unsigned delay_ms;
	double sent_at;
};

static void *send_later(void *arg)
{
	struct delayed_send *send = arg;
	sleep_ms(send->delay_ms);
	send->sent_at = now();
	send_samples(send->port, send->dport, 1);
	return NULL;
}

/* ---- callbacks ---- */
struct arrivals {
	unsigned count;
	double first_at;
	uint16_t dports[16];
};

static void note_arrival(u_char *user, const struct pcap_pkthdr *header, const u_char *data)
{
	struct arrivals *arrivals = (struct arrivals *)user;
	if (arrivals->count == 0)
		arrivals->first_at = now();
	if (arrivals->count < 16 && header->caplen >= 38)
		arrivals->dports[arrivals->count] = api_feed_dport(data);
	arrivals->count++;
}

static pcap_t *open_handle(uint16_t port, int timeout_ms, int immediate)
{
	char errbuf[PCAP_ERRBUF_SIZE] = "", device[32];
	snprintf(device, sizeof device, "sflow:%u", port);
	pcap_t *p = pcap_create(device, errbuf);
	if (p == NULL) {
		printf("# pcap_create(%s): %s\n", device, errbuf);
		return NULL;
	}
	if (pcap_set_timeout(p, timeout_ms) != 0 || pcap_set_immediate_mode(p, immediate) != 0 ||
	    pcap_activate(p) != 0) {
		printf("# %s: %s\n", device, pcap_geterr(p));
		pcap_close(p);
		return NULL;
	}
	return p;
}

/* A packet sent alone, while pcap_dispatch waits: how long until the
 * callback has it. Returns the delay in seconds, or -1. */
static double delivery_delay(pcap_t *p, uint16_t port, const char *what)
{
	struct arrivals arrivals = { 0 };
	struct delayed_send send = { port, 7000, 200, 0 };
	pthread_t sender;

	pthread_create(&sender, NULL, send_later, &send);
	watch(what, 10);
	int delivered = 0;
	/* A dispatch may end on its timeout before the packet is in; a few
	 * more may follow, each bounded by the watchdog. */
	for (int i = 0; i < 5 && arrivals.count == 0; i++) {
		int result = pcap_dispatch(p, -1, note_arrival, (u_char *)&arrivals);
		if (result < 0)
			break;
		delivered += result;
	}
	watch(NULL, 0);
	pthread_join(sender, NULL);
	tap_eq(delivered, 1, "%s: pcap_dispatch delivers the packet", what);
	tap_ok(arrivals.count == 1 && arrivals.dports[0] == 7000, "%s: it is the packet sent", what);
	return arrivals.count == 1 ? arrivals.first_at - send.sent_at : -1;
}

static pcap_t *signalled_handle;
static void break_on_signal(int signal)
{
	(void)signal;
	pcap_breakloop(signalled_handle);
}

static void *break_later(void *arg)
{
	sleep_ms(300);
	pcap_breakloop(arg);
	return NULL;
}

/* pcap_loop with no traffic and no timeout: only the break can end it. */
static void loop_until_broken(pcap_t *p, const char *how)
{
	struct arrivals arrivals = { 0 };
	double start = now();
	watch(how, 10);
	int result = pcap_loop(p, -1, note_arrival, (u_char *)&arrivals);
	watch(NULL, 0);
	double elapsed = now() - start;
	tap_eq(result, PCAP_ERROR_BREAK, "pcap_breakloop %s ends pcap_loop", how);
	printf("# ended after %.3f s\n", elapsed);
	tap_ok(elapsed >= 0.25 && elapsed < 3, "pcap_breakloop %s: pcap_loop waited until the break", how);
}

int main(int argc, char **argv)
{
	if (argc < 3)
		return 2;
	uint16_t port = (uint16_t)atoi(argv[1]), other_port = (uint16_t)atoi(argv[2]);
	/* SIGALRM is for the main thread, blocked in pcap_loop: the watchdog
	 * must not take it. */
	sigset_t alarm_only;
	sigemptyset(&alarm_only);
	sigaddset(&alarm_only, SIGALRM);
	pthread_sigmask(SIG_BLOCK, &alarm_only, NULL);
	pthread_t dog;
	pthread_create(&dog, NULL, watchdog, NULL);
	pthread_sigmask(SIG_UNBLOCK, &alarm_only, NULL);
	setvbuf(stdout, NULL, _IOLBF, 0);

	/* pcap_set_timeout: without immediate mode a packet may wait for
	 * others, but not beyond the timeout (1 s here; 1 s spare). */
	pcap_t *p = open_handle(port, 1000, 0);
	tap_ok(p != NULL, "sflow handle, timeout 1000 ms, immediate mode off");
	if (p == NULL)
		return tap_done();
	double delay = delivery_delay(p, port, "timeout 1000 ms");
	printf("# delivered %.1f ms after it was sent\n", delay * 1000);
	tap_ok(delay >= 0 && delay < 2.0, "timeout 1000 ms: the packet reaches the callback within the timeout (+1 s)");
	pcap_close(p);

	/* Immediate mode: handed over as it arrives, far sooner than the
	 * timeout (3 s) that a batch could wait for. */
	p = open_handle(port, 3000, 1);
	tap_ok(p != NULL, "sflow handle, timeout 3000 ms, immediate mode on");
	if (p == NULL)
		return tap_done();
	delay = delivery_delay(p, port, "immediate mode");
	printf("# delivered %.1f ms after it was sent\n", delay * 1000);
	tap_ok(delay >= 0 && delay < 1.0, "immediate mode: the packet reaches the callback at once (< 1 s of a 3 s timeout)");

	/* Non-blocking: nothing queued, so every read returns at once. */
	char errbuf[PCAP_ERRBUF_SIZE];
	tap_eq(pcap_setnonblock(p, 1, errbuf), 0, "pcap_setnonblock(1)");
	struct arrivals none = { 0 };
	double start = now();
	watch("non-blocking pcap_dispatch", 5);
	tap_eq(pcap_dispatch(p, -1, note_arrival, (u_char *)&none), 0,
	       "non-blocking pcap_dispatch with nothing queued: 0");
	struct pcap_pkthdr *header;
	const u_char *data;
	tap_eq(pcap_next_ex(p, &header, &data), 0, "non-blocking pcap_next_ex with nothing queued: 0");
	watch(NULL, 0);
	double elapsed = now() - start;
	printf("# both returned after %.3f s\n", elapsed);
	tap_ok(elapsed < 0.5, "non-blocking reads return at once, not after the 3 s timeout");
	tap_eq(none.count, 0, "non-blocking: no packet delivered");
	send_samples(port, 7100, 1);
	/* Read until it is there, however busy the machine: the watchdog
	 * ends a wait for a packet that never comes. */
	int got = 0;
	watch("non-blocking pcap_dispatch until the packet is there", 10);
	while (got == 0) {
		got = pcap_dispatch(p, -1, note_arrival, (u_char *)&none);
		if (got == 0)
			sleep_ms(20);
	}
	watch(NULL, 0);
	tap_ok(got == 1 && none.dports[0] == 7100, "non-blocking pcap_dispatch delivers a packet once it is there");
	tap_eq(pcap_setnonblock(p, 0, errbuf), 0, "pcap_setnonblock(0)");
	pcap_close(p);

	/* pcap_breakloop, with no timeout to end the loop otherwise. */
	p = open_handle(port, 0, 0);
	tap_ok(p != NULL, "sflow handle without a timeout");
	if (p == NULL)
		return tap_done();
	signalled_handle = p;
	struct sigaction action = { .sa_handler = break_on_signal };
	sigemptyset(&action.sa_mask);
	sigaction(SIGALRM, &action, NULL);
	struct itimerval in_300ms = { .it_value = { 0, 300000 } };
	setitimer(ITIMER_REAL, &in_300ms, NULL);
	loop_until_broken(p, "from a signal handler");
	pthread_t breaker;
	pthread_create(&breaker, NULL, break_later, p);
	loop_until_broken(p, "from another thread");
	pthread_join(breaker, NULL);
	/* The break is spent: the next loop runs until its count. */
	send_samples(port, 7200, 1);
	struct arrivals after = { 0 };
	watch("pcap_loop after a break", 10);
	tap_eq(pcap_loop(p, 1, note_arrival, (u_char *)&after), 0, "pcap_loop(1) after a break returns 0");
	watch(NULL, 0);
	tap_ok(after.count == 1 && after.dports[0] == 7200, "pcap_loop(1) after a break: the packet");
	pcap_close(p);

	/* Two handles on two ports in one process: each its own datagrams. */
	pcap_t *a = open_handle(port, 200, 1), *b = open_handle(other_port, 200, 1);
	tap_ok(a != NULL && b != NULL, "two sflow handles, ports %u and %u", port, other_port);
	if (a == NULL || b == NULL)
		return tap_done();
	send_samples(port, 1111, 2);
	send_samples(other_port, 2222, 3);
	send_samples(port, 1111, 1);
	struct arrivals of_a = { 0 }, of_b = { 0 };
	watch("two handles", 20);
	/* Until each has had a timeout with nothing new. */
	for (int i = 0; i < 20 && pcap_dispatch(a, -1, note_arrival, (u_char *)&of_a) > 0; i++)
		;
	for (int i = 0; i < 20 && pcap_dispatch(b, -1, note_arrival, (u_char *)&of_b) > 0; i++)
		;
	watch(NULL, 0);
	tap_eq(of_a.count, 3, "port %u: its 3 packets", port);
	tap_ok(of_a.dports[0] == 1111 && of_a.dports[1] == 1111 && of_a.dports[2] == 1111,
	       "port %u: only the datagrams sent to it", port);
	tap_eq(of_b.count, 3, "port %u: its 3 packets", other_port);
	tap_ok(of_b.dports[0] == 2222 && of_b.dports[1] == 2222 && of_b.dports[2] == 2222,
	       "port %u: only the datagrams sent to it", other_port);
	struct pcap_stat stats_a, stats_b;
	tap_ok(pcap_stats(a, &stats_a) == 0 && pcap_stats(b, &stats_b) == 0 &&
	       stats_a.ps_recv == 3 && stats_b.ps_recv == 3,
	       "each handle's statistics count its own packets");
	pcap_close(b);

	/* pcap_next: the packet, or NULL once the timeout passes. */
	send_samples(port, 3333, 1);
	struct pcap_pkthdr next_header;
	watch("pcap_next", 10);
	const u_char *next = pcap_next(a, &next_header);
	tap_ok(next != NULL && next_header.caplen == 128 && next_header.len == 200 &&
	       api_feed_dport(next) == 3333, "pcap_next: the packet and its header");
	start = now();
	next = pcap_next(a, &next_header);
	elapsed = now() - start;
	watch(NULL, 0);
	tap_ok(next == NULL, "pcap_next with no traffic: NULL");
	tap_ok(elapsed >= 0.15 && elapsed < 2, "pcap_next with no traffic: after the 200 ms timeout (%.3f s)", elapsed);
	pcap_close(a);
	return tap_done();
}
