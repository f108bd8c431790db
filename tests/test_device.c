/* Unit tests of the device-name parser. */
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

static void rejects(const char *name, const char *message_part)
{
	struct sflow_device device;
	char error[256] = "";
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

	rejects("sflowx", "sflow:PORT");
	rejects("sflow:", "bad port");
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
	rejects("sflow:6343,bogus", "known options: drops, synth, vlan");
	rejects("sflow,6343", "unknown option '6343'");
	return tap_done();
}
