/* SPDX-License-Identifier: BSD-3-Clause */
/* Unit tests of the device-name parser. */
#include <arpa/inet.h>
#include <string.h>

#include "device.h"
#include "tap.h"

static void accepts(const char *name, unsigned port, unsigned options)
{
	struct sflow_device device;
	char error[256] = "";
	int status = sflow_device_parse(name, &device, error, sizeof error);
	tap_eq(status, 0, "accepts %s", name);
	if (status == 0) {
		tap_eq(device.port, port, "%s: port", name);
		tap_eq(device.options, options, "%s: options", name);
	}
}

static struct sflow_device parsed(const char *name)
{
	struct sflow_device device;
	char error[256] = "";
	if (sflow_device_parse(name, &device, error, sizeof error) < 0)
		printf("# %s: %s\n", name, error);
	return device;
}

static int ip_is(const struct sflow_ip *ip, const char *text)
{
	uint8_t bytes[16] = { 0 };
	int ipv6 = strchr(text, ':') != NULL;
	inet_pton(ipv6 ? AF_INET6 : AF_INET, text, bytes);
	return ip->family == (ipv6 ? 6 : 4) && memcmp(ip->bytes, bytes, 16) == 0;
}

/* The listen address, selection and forwarding options. */
static void addresses_and_selection(void)
{
	struct sflow_device d = parsed("sflow:127.0.0.1:6343");
	tap_ok(d.has_bind_address && ip_is(&d.bind_address, "127.0.0.1") && d.port == 6343,
	       "sflow:127.0.0.1:6343 binds 127.0.0.1 port 6343");
	d = parsed("sflow:[::1]:7000");
	tap_ok(d.has_bind_address && ip_is(&d.bind_address, "::1") && d.port == 7000,
	       "sflow:[::1]:7000 binds ::1 port 7000");
	d = parsed("sflow:6343");
	tap_ok(!d.has_bind_address, "sflow:6343 binds every address");
	d = parsed("sflow:[::]:6343,agent=10.0.0.0/8");
	tap_ok(d.has_bind_address && ip_is(&d.bind_address, "::") && d.agent_count == 1 &&
	       ip_is(&d.agents[0].address, "10.0.0.0") && d.agents[0].length == 8,
	       "sflow:[::]:6343,agent=10.0.0.0/8");
	d = parsed("sflow,agent=10.1.2.3,agent=2001:db8::/32,agent=10.9.9.9/16");
	tap_ok(d.agent_count == 3 && d.agents[0].length == 32 &&
	       ip_is(&d.agents[1].address, "2001:db8::") && d.agents[1].length == 128 - 96 &&
	       ip_is(&d.agents[2].address, "10.9.0.0") && d.agents[2].length == 16,
	       "agent= repeats; IPv4, IPv6, host bits cleared");
	d = parsed("sflow:9,ifindex=7,ifindex=0,ifindex=16777215,dir=out");
	tap_ok(d.ifindex_count == 3 && d.ifindexes[0] == 7 && d.ifindexes[1] == 0 &&
	       d.ifindexes[2] == 16777215 && d.direction == SFLOW_DIRECTION_OUT,
	       "ifindex= repeats; dir=out");
	d = parsed("sflow,dir=in,dir=in");
	tap_eq(d.direction, SFLOW_DIRECTION_IN, "dir=in twice is harmless");
	d = parsed("sflow,forward=127.0.0.1:6343,forward=[::1]:6400,vlan");
	tap_ok(d.forward_count == 2 && ip_is(&d.forwards[0].address, "127.0.0.1") &&
	       d.forwards[0].port == 6343 && ip_is(&d.forwards[1].address, "::1") &&
	       d.forwards[1].port == 6400 && d.options == SFLOW_OPTION_VLAN,
	       "forward= repeats, IPv4 and [IPv6]");

	/* Where datagrams come from: the socket by default, else one of
	 * sniff= and file=; ADDRESS:PORT still names the datagrams wanted. */
	d = parsed("sflow:6343");
	tap_ok(d.sniff[0] == '\0' && d.file[0] == '\0', "sflow:6343: the socket, no sniff= or file=");
	d = parsed("sflow:10.0.0.5:6343,sniff=any");
	tap_ok(strcmp(d.sniff, "any") == 0 && d.file[0] == '\0' && d.has_bind_address &&
	       ip_is(&d.bind_address, "10.0.0.5") && d.port == 6343,
	       "sflow:10.0.0.5:6343,sniff=any: datagrams to 10.0.0.5:6343, sniffed on any");
	d = parsed("sflow:6343,file=/tmp/feed.pcap,vlan");
	tap_ok(strcmp(d.file, "/tmp/feed.pcap") == 0 && d.sniff[0] == '\0' &&
	       d.options == SFLOW_OPTION_VLAN, "file=PATH, with other options after it");
	d = parsed("sflow,file=-");
	tap_ok(strcmp(d.file, "-") == 0, "file=- (standard input)");

	char many[2048] = "sflow";
	for (int i = 0; i < SFLOW_MAX_AGENTS; i++)
		strcat(many, ",agent=10.0.0.1");
	d = parsed(many);
	tap_eq(d.agent_count, SFLOW_MAX_AGENTS, "%d agent= are accepted", SFLOW_MAX_AGENTS);
}

static void rejects(const char *name, const char *message_part)
{
	struct sflow_device device;
	char error[256] = "";
	char longer[1024] = "";
	sflow_device_parse(name, &device, longer, sizeof longer);
	tap_ok(strlen(longer) < 256 && strstr(longer, SFLOW_DEVICE_GRAMMAR) != NULL,
	       "%.60s: the whole grammar fits libpcap's error buffer", name);
	tap_eq(sflow_device_parse(name, &device, error, sizeof error), -1, "rejects %s", name);
	if (strstr(error, message_part) == NULL)
		printf("# error was: %s\n", error);
	tap_ok(strstr(error, message_part) != NULL, "%s: message says '%s'", name, message_part);
	tap_ok(strchr(error, '\n') == NULL, "%s: message is one line", name);
}

int main(void)
{
	tap_ok(sflow_device_is_ours("sflow"), "sflow is ours");
	tap_ok(sflow_device_is_ours("sflow:6343"), "sflow:6343 is ours");
	tap_ok(sflow_device_is_ours("sflowx"), "sflowx is ours (and rejected by the parser)");
	tap_ok(!sflow_device_is_ours("eth0"), "eth0 is not ours");
	tap_ok(!sflow_device_is_ours("any"), "any is not ours");
	tap_ok(!sflow_device_is_ours("sflo"), "sflo is not ours");
	tap_ok(!sflow_device_is_ours(NULL), "NULL is not ours");

	accepts("sflow", 6343, 0);
	accepts("sflow:6343", 6343, 0);
	accepts("sflow:1", 1, 0);
	accepts("sflow:65535", 65535, 0);
	accepts("sflow:00020", 20, 0);

	/* Options: each a bit, in any order and combination. */
	accepts("sflow:6343,drops", 6343, SFLOW_OPTION_DROPS);
	accepts("sflow:6343,synth", 6343, SFLOW_OPTION_SYNTH);
	accepts("sflow:6343,vlan", 6343, SFLOW_OPTION_VLAN);
	accepts("sflow,vlan", 6343, SFLOW_OPTION_VLAN);
	accepts("sflow:7000,vlan,synth", 7000, SFLOW_OPTION_VLAN | SFLOW_OPTION_SYNTH);
	accepts("sflow:7000,synth,drops,vlan", 7000,
		SFLOW_OPTION_DROPS | SFLOW_OPTION_SYNTH | SFLOW_OPTION_VLAN);
	accepts("sflow:7000,vlan,vlan", 7000, SFLOW_OPTION_VLAN);
	tap_ok(SFLOW_OPTION_DROPS != SFLOW_OPTION_SYNTH && SFLOW_OPTION_SYNTH != SFLOW_OPTION_VLAN &&
	       SFLOW_OPTION_DROPS != SFLOW_OPTION_VLAN, "option bits are distinct");

	addresses_and_selection();

	rejects("sflowx", "sflow[:[ADDRESS:]PORT][,OPTION...]");
	rejects("sflow,sniff=", "empty 'sniff='");
	rejects("sflow,file=", "empty 'file='");
	rejects("sflow,sniff=lo,file=x.pcap", "a second source");
	rejects("sflow,file=a,file=b", "one sniff= or file=");
	rejects("sflow,sniff=an-interface-name-far-longer-than-any-the-kernel-allows-0123456789",
		"too long 'sniff=an-interface");
	rejects("sflow:abc", "agent=IP[/LEN], ifindex=N, dir=in|out, forward=ADDRESS:PORT");
	rejects("sflow:1.2.3.4", "bad address and port '1.2.3.4'");
	rejects("sflow:1.2.3:80", "bad address and port");
	rejects("sflow:::1:80", "bad address and port");
	rejects("sflow:[::1]", "bad address and port");
	rejects("sflow:[::1]80", "bad address and port");
	rejects("sflow:[::1:80", "bad address and port");
	rejects("sflow:[10.0.0.1]:80", "bad address and port");
	rejects("sflow:127.0.0.1:0", "bad address and port");
	rejects("sflow:127.0.0.1:", "bad address and port");
	rejects("sflow,agent=", "bad agent");
	rejects("sflow,agent=10.0.0.0/33", "bad agent");
	rejects("sflow,agent=10.0.0.0/", "bad agent");
	rejects("sflow,agent=2001:db8::/129", "bad agent");
	rejects("sflow,agent=host.example", "bad agent");
	rejects("sflow,agent=10.0.0.1/-1", "bad agent");
	rejects("sflow,ifindex=", "bad ifindex");
	rejects("sflow,ifindex=16777216", "bad ifindex");
	rejects("sflow,ifindex=-1", "bad ifindex");
	rejects("sflow,ifindex=7x", "bad ifindex");
	rejects("sflow,dir=both", "bad dir");
	rejects("sflow,dir=in,dir=out", "bad dir");
	rejects("sflow,forward=127.0.0.1", "bad forward");
	rejects("sflow,forward=::1:80", "bad forward");
	rejects("sflow,forward=localhost:80", "bad forward");
	rejects("sflow,forward=127.0.0.1:65536", "bad forward");
	rejects("sflow,color=red", "unknown option 'color=red'");
	char many[2048] = "sflow";
	for (int i = 0; i <= SFLOW_MAX_FORWARDS; i++)
		strcat(many, ",forward=127.0.0.1:9");
	rejects(many, "too many forward=");
	rejects("sflow:", "bad port");
	rejects("sflow:", SFLOW_DEVICE_GRAMMAR);
	rejects("sflow:0", "bad port");
	rejects("sflow:65536", "bad port");
	rejects("sflow:123456", "bad port");
	rejects("sflow:-1", "bad port");
	rejects("sflow:abc", "bad port");
	rejects("sflow:6343x", "bad port");
	rejects("sflow:6343,nosuchoption", "unknown option 'nosuchoption'");
	rejects("sflow:6343,", "unknown option ''");
	rejects("sflow:6343,Drops", "unknown option 'Drops'");
	rejects("sflow:6343,drop", "unknown option 'drop'");
	rejects("sflow:6343,dropsx", "unknown option 'dropsx'");
	rejects("sflow:6343,vlan,,synth", "unknown option ''");
	rejects("sflow:6343,vlan:10", "unknown option 'vlan:10'");
	rejects("sflow:6343,bogus", "OPTION drops, synth, vlan, agent=");
	rejects("sflow,6343", "unknown option '6343'");
	return tap_done();
}
