/* SPDX-License-Identifier: BSD-3-Clause */
/* Unit tests of selection: agent= prefixes, ifindex=, dir= and -Q. */
#include <config.h>
#include <string.h>

#include "device.h"
#include "select.h"
#include "tap.h"

static struct sflow_device device_of(const char *name)
{
	struct sflow_device device;
	char error[256];
	if (sflow_device_parse(name, &device, error, sizeof error) < 0) {
		printf("# %s\n", error);
		memset(&device, 0, sizeof device);
	}
	return device;
}

/* By value, so tests can pass addresses and samples built in place. */
static int agent_in(const struct sflow_device *device, struct sflow_address agent)
{
	return sflow_select_agent(device, &agent);
}

static enum sflow_select_verdict verdict(const struct sflow_device *device, int direction,
					 struct sflow_sample sample)
{
	return sflow_select_sample(device, direction, &sample);
}

static struct sflow_address ip4(uint8_t a, uint8_t b, uint8_t c, uint8_t d)
{
	struct sflow_address address = { .type = SFLOW_ADDRESS_IP4, .bytes = { a, b, c, d } };
	return address;
}

static struct sflow_address ip6(uint8_t first, uint8_t last)
{
	struct sflow_address address = { .type = SFLOW_ADDRESS_IP6 };
	address.bytes[0] = 0x20;
	address.bytes[1] = 0x01;
	address.bytes[2] = 0x0d;
	address.bytes[3] = first;
	address.bytes[15] = last;
	return address;
}

static void agents(void)
{
	struct sflow_device any = device_of("sflow");
	struct sflow_address unknown = { .type = SFLOW_ADDRESS_UNKNOWN };
	tap_ok(agent_in(&any, unknown) && agent_in(&any, ip4(1, 2, 3, 4)),
	       "no agent=: every datagram, unknown agent type too");

	struct sflow_device one = device_of("sflow,agent=10.1.2.3");
	tap_ok(agent_in(&one, ip4(10, 1, 2, 3)), "agent=10.1.2.3 takes 10.1.2.3");
	tap_ok(!agent_in(&one, ip4(10, 1, 2, 4)), "agent=10.1.2.3 leaves 10.1.2.4");
	tap_ok(!agent_in(&one, unknown), "agent=: an unknown agent type is left out");

	struct sflow_device nets = device_of("sflow,agent=10.0.0.0/8,agent=192.168.4.0/22,"
					     "agent=2001:db8::/32,agent=172.16.0.1/31");
	tap_ok(agent_in(&nets, ip4(10, 255, 0, 1)), "/8 takes 10.255.0.1");
	tap_ok(!agent_in(&nets, ip4(11, 0, 0, 1)), "/8 leaves 11.0.0.1");
	tap_ok(agent_in(&nets, ip4(192, 168, 7, 255)), "/22 takes 192.168.7.255");
	tap_ok(!agent_in(&nets, ip4(192, 168, 8, 0)), "/22 leaves 192.168.8.0");
	tap_ok(!agent_in(&nets, ip4(192, 168, 3, 255)), "/22 leaves 192.168.3.255");
	tap_ok(agent_in(&nets, ip4(172, 16, 0, 0)) &&
	       agent_in(&nets, ip4(172, 16, 0, 1)) &&
	       !agent_in(&nets, ip4(172, 16, 0, 2)), "/31 takes two addresses");
	tap_ok(agent_in(&nets, ip6(0xb8, 9)), "IPv6 /32 takes 2001:db8::9");
	tap_ok(!agent_in(&nets, ip6(0xb9, 9)), "IPv6 /32 leaves 2001:db9::9");

	/* An IPv4 prefix never matches an IPv6 agent with the same leading bytes. */
	struct sflow_device v4 = device_of("sflow,agent=32.1.13.184/32");
	tap_ok(!agent_in(&v4, ip6(0xb8, 0)), "IPv4 prefix leaves an IPv6 agent");
	struct sflow_device all4 = device_of("sflow,agent=0.0.0.0/0");
	tap_ok(agent_in(&all4, ip4(8, 8, 8, 8)) && !agent_in(&all4, ip6(0xb8, 1)),
	       "agent=0.0.0.0/0: every IPv4 agent, no IPv6 one");
}

static struct sflow_sample sample(uint32_t type, uint32_t index, uint32_t input, uint32_t output)
{
	struct sflow_sample s = { .kind = SFLOW_SAMPLE_FLOW, .source_id_type = type,
				  .source_id_index = index, .input = input, .output = output };
	/* As the decoder sets it. */
	s.direction = index == input ? SFLOW_DIRECTION_IN
		      : index == output ? SFLOW_DIRECTION_OUT : SFLOW_DIRECTION_UNKNOWN;
	return s;
}

static void samples(void)
{
	struct sflow_device any = device_of("sflow");
	tap_eq(verdict(&any, SFLOW_DIRECTION_UNKNOWN, (struct sflow_sample){ 0 }), SFLOW_SELECTED,
	       "no selection: every sample");

	struct sflow_device ports = device_of("sflow,ifindex=7,ifindex=9");
	tap_eq(verdict(&ports, SFLOW_DIRECTION_UNKNOWN, sample(0, 7, 7, 3)), SFLOW_SELECTED,
	       "ifindex=7,9 takes data source 0:7");
	tap_eq(verdict(&ports, SFLOW_DIRECTION_UNKNOWN, sample(0, 9, 1, 9)), SFLOW_SELECTED,
	       "ifindex=7,9 takes data source 0:9");
	tap_eq(verdict(&ports, SFLOW_DIRECTION_UNKNOWN, sample(0, 8, 7, 9)), SFLOW_LEFT_OUT_IFINDEX,
	       "ifindex=7,9 leaves data source 0:8 though its interfaces are 7 and 9");
	tap_eq(verdict(&ports, SFLOW_DIRECTION_UNKNOWN, sample(1, 7, 7, 3)), SFLOW_LEFT_OUT_IFINDEX,
	       "ifindex=7 leaves VLAN data source 1:7");

	struct sflow_device in = device_of("sflow,dir=in");
	struct sflow_device out = device_of("sflow,dir=out");
	struct sflow_sample ingress = sample(0, 7, 7, 3), egress = sample(0, 3, 7, 3);
	struct sflow_sample undetermined = sample(2, 1000, 0, 0);
	tap_eq(verdict(&in, SFLOW_DIRECTION_UNKNOWN, ingress), SFLOW_SELECTED, "dir=in takes ingress");
	tap_eq(verdict(&in, SFLOW_DIRECTION_UNKNOWN, egress), SFLOW_LEFT_OUT_DIRECTION,
	       "dir=in leaves egress");
	tap_eq(verdict(&in, SFLOW_DIRECTION_UNKNOWN, undetermined), SFLOW_LEFT_OUT_DIRECTION,
	       "dir=in leaves undetermined");
	tap_eq(verdict(&out, SFLOW_DIRECTION_UNKNOWN, egress), SFLOW_SELECTED, "dir=out takes egress");
	tap_eq(verdict(&out, SFLOW_DIRECTION_UNKNOWN, ingress), SFLOW_LEFT_OUT_DIRECTION,
	       "dir=out leaves ingress");
	tap_eq(verdict(&any, SFLOW_DIRECTION_UNKNOWN, undetermined), SFLOW_SELECTED,
	       "no direction asked: undetermined passes");
	tap_eq(verdict(&any, SFLOW_DIRECTION_OUT, egress), SFLOW_SELECTED, "-Q out takes egress");
	tap_eq(verdict(&any, SFLOW_DIRECTION_IN, egress), SFLOW_LEFT_OUT_DIRECTION,
	       "-Q in leaves egress");
	tap_eq(verdict(&in, SFLOW_DIRECTION_OUT, ingress), SFLOW_LEFT_OUT_DIRECTION,
	       "dir=in and -Q out: both must hold");
	tap_eq(verdict(&in, SFLOW_DIRECTION_IN, ingress), SFLOW_SELECTED, "dir=in and -Q in");

	/* Kinds AND, values OR; the first kind failed is the reason. */
	struct sflow_device both = device_of("sflow,ifindex=7,ifindex=3,dir=out");
	tap_eq(verdict(&both, SFLOW_DIRECTION_UNKNOWN, egress), SFLOW_SELECTED,
	       "ifindex=7,3 dir=out takes egress on 3");
	tap_eq(verdict(&both, SFLOW_DIRECTION_UNKNOWN, ingress), SFLOW_LEFT_OUT_DIRECTION,
	       "ifindex=7,3 dir=out leaves ingress on 7: direction");
	tap_eq(verdict(&both, SFLOW_DIRECTION_UNKNOWN, sample(0, 5, 1, 5)), SFLOW_LEFT_OUT_IFINDEX,
	       "ifindex=7,3 dir=out leaves egress on 5: ifindex, counted once");
}

int main(void)
{
	agents();
	samples();
	return tap_done();
}
