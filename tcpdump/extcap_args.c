/* SPDX-License-Identifier: BSD-3-Clause */
/* Wireshark's extcap protocol for sflow-extcap: the options it is called
 * with, the interface list, link types and configuration dialog it
 * answers, and the device name the dialog's values make. */
#include <config.h>
#include "extcap_args.h"

#include <getopt.h>
#include <pcap/pcap.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "linktypes.h"

/* The link types the module offers, the default first: its own list. */
static const int linktypes[] = {
#define SFLOW_LINKTYPE_VALUE(linktype, protocol) linktype,
	SFLOW_LINKTYPES(SFLOW_LINKTYPE_VALUE)
#undef SFLOW_LINKTYPE_VALUE
};
#define LINKTYPE_COUNT (sizeof linktypes / sizeof linktypes[0])

enum {
	OPT_INTERFACES = 256, OPT_VERSION, OPT_DLTS, OPT_CONFIG, OPT_INTERFACE,
	OPT_CAPTURE, OPT_FIFO, OPT_FILTER, OPT_PORT, OPT_BIND, OPT_AGENT,
	OPT_IFINDEX, OPT_DIRECTION, OPT_VLAN, OPT_SYNTH, OPT_DROPS, OPT_LINKTYPE,
	OPT_DEBUG, OPT_DEBUG_FILE, OPT_HELP, OPT_SNIFF, OPT_FILE,
};

static const struct option long_options[] = {
	{ "extcap-interfaces", no_argument, NULL, OPT_INTERFACES },
	{ "extcap-version", optional_argument, NULL, OPT_VERSION },
	{ "extcap-dlts", no_argument, NULL, OPT_DLTS },
	{ "extcap-config", no_argument, NULL, OPT_CONFIG },
	{ "extcap-interface", required_argument, NULL, OPT_INTERFACE },
	{ "capture", no_argument, NULL, OPT_CAPTURE },
	{ "fifo", required_argument, NULL, OPT_FIFO },
	{ "extcap-capture-filter", required_argument, NULL, OPT_FILTER },
	{ "port", required_argument, NULL, OPT_PORT },
	{ "bind", required_argument, NULL, OPT_BIND },
	{ "agent", required_argument, NULL, OPT_AGENT },
	{ "ifindex", required_argument, NULL, OPT_IFINDEX },
	{ "direction", required_argument, NULL, OPT_DIRECTION },
	/* boolflags: Wireshark passes the bare flag when checked; a value
	 * (true / false) is accepted too, as from the command line. */
	{ "vlan", optional_argument, NULL, OPT_VLAN },
	{ "synth", optional_argument, NULL, OPT_SYNTH },
	{ "drops", optional_argument, NULL, OPT_DROPS },
	{ "linktype", required_argument, NULL, OPT_LINKTYPE },
	{ "sniff", required_argument, NULL, OPT_SNIFF },
	{ "file", required_argument, NULL, OPT_FILE },
	/* Wireshark 3.4 and later may pass these to any extcap. */
	{ "debug", optional_argument, NULL, OPT_DEBUG },
	{ "debug-file", required_argument, NULL, OPT_DEBUG_FILE },
	{ "help", no_argument, NULL, OPT_HELP },
	{ NULL, 0, NULL, 0 },
};

static int flag_value(const char *text, int *flag, const char *name,
		      char *error, size_t error_size)
{
	if (text == NULL || strcmp(text, "true") == 0 || strcmp(text, "1") == 0) {
		*flag = 1;
	} else if (strcmp(text, "false") == 0 || strcmp(text, "0") == 0) {
		*flag = 0;
	} else {
		snprintf(error, error_size, "--%s=%s: use --%s, --%s=true or --%s=false",
			 name, text, name, name, name);
		return -1;
	}
	return 0;
}

static void set_action(struct extcap_options *options, enum extcap_action action)
{
	/* A query wins over --capture: Wireshark never sends both. */
	if (options->action == EXTCAP_NONE || options->action == EXTCAP_CAPTURE)
		options->action = action;
}

int extcap_parse(int argc, char **argv, struct extcap_options *options,
		 char *error, size_t error_size)
{
	memset(options, 0, sizeof *options);
	options->port = 6343;
	options->direction = "both";
	options->linktype = "EN10MB";
	optind = 1;
	opterr = 0;
	for (;;) {
		int index = 0;
		int c = getopt_long(argc, argv, "h", long_options, &index);
		if (c == -1)
			break;
		switch (c) {
		case OPT_INTERFACES: set_action(options, EXTCAP_INTERFACES); break;
		case OPT_VERSION:
			/* With --extcap-interfaces it only says which Wireshark asks. */
			if (options->action == EXTCAP_NONE)
				options->action = EXTCAP_VERSION;
			break;
		case OPT_DLTS: set_action(options, EXTCAP_DLTS); break;
		case OPT_CONFIG: set_action(options, EXTCAP_CONFIG); break;
		case OPT_INTERFACE: options->interface = optarg; break;
		case OPT_CAPTURE:
			if (options->action == EXTCAP_NONE || options->action == EXTCAP_VERSION)
				options->action = EXTCAP_CAPTURE;
			break;
		case OPT_FIFO: options->fifo = optarg; break;
		case OPT_FILTER: options->capture_filter = optarg; break;
		case OPT_PORT: {
			char *end;
			unsigned long port = strtoul(optarg, &end, 10);
			if (*optarg == '\0' || *end != '\0' || port < 1 || port > 65535) {
				snprintf(error, error_size,
					 "--port %s: give a UDP port from 1 to 65535", optarg);
				return -1;
			}
			options->port = (unsigned)port;
			break;
		}
		case OPT_BIND: options->bind = optarg; break;
		case OPT_AGENT: options->agents = optarg; break;
		case OPT_IFINDEX: options->ifindexes = optarg; break;
		case OPT_DIRECTION:
			if (strcmp(optarg, "both") != 0 && strcmp(optarg, "in") != 0 &&
			    strcmp(optarg, "out") != 0) {
				snprintf(error, error_size,
					 "--direction %s: use both, in or out", optarg);
				return -1;
			}
			options->direction = optarg;
			break;
		case OPT_VLAN:
			if (flag_value(optarg, &options->vlan, "vlan", error, error_size) < 0)
				return -1;
			break;
		case OPT_SYNTH:
			if (flag_value(optarg, &options->synth, "synth", error, error_size) < 0)
				return -1;
			break;
		case OPT_DROPS:
			if (flag_value(optarg, &options->drops, "drops", error, error_size) < 0)
				return -1;
			break;
		case OPT_LINKTYPE:
			if (pcap_datalink_name_to_val(optarg) < 0) {
				snprintf(error, error_size,
					 "--linktype %s: not a link type name (sflow-extcap --extcap-dlts lists them)",
					 optarg);
				return -1;
			}
			options->linktype = optarg;
			break;
		/* Wireshark passes an emptied field as an empty value. */
		case OPT_SNIFF: options->sniff = *optarg ? optarg : NULL; break;
		case OPT_FILE: options->file = *optarg ? optarg : NULL; break;
		case OPT_DEBUG: case OPT_DEBUG_FILE: break;
		case 'h': case OPT_HELP: set_action(options, EXTCAP_HELP); break;
		default:
			snprintf(error, error_size, "unknown option %s: sflow-extcap --help lists them",
				 argv[optind - 1]);
			return -1;
		}
	}
	if (optind < argc) {
		snprintf(error, error_size, "unexpected argument '%s': sflow-extcap --help", argv[optind]);
		return -1;
	}
	if ((options->action == EXTCAP_DLTS || options->action == EXTCAP_CONFIG ||
	     options->action == EXTCAP_CAPTURE) &&
	    (options->interface == NULL || strcmp(options->interface, EXTCAP_INTERFACE) != 0)) {
		snprintf(error, error_size, "--extcap-interface %s: the only interface is %s",
			 options->interface ? options->interface : "(none)", EXTCAP_INTERFACE);
		return -1;
	}
	if (options->sniff != NULL && options->file != NULL) {
		snprintf(error, error_size,
			 "--sniff and --file both given: capture from an interface or read a file, "
			 "not both");
		return -1;
	}
	if (options->action == EXTCAP_CAPTURE && options->fifo == NULL) {
		snprintf(error, error_size, "--capture needs --fifo PATH (the pcapng goes there)");
		return -1;
	}
	return 0;
}

void extcap_print_interfaces(FILE *out)
{
	fprintf(out, "extcap {version=%s}{help=man:sflow-extcap(1)}\n", PACKAGE_VERSION);
	fprintf(out, "interface {value=%s}{display=sFlow collector}\n",
		EXTCAP_INTERFACE);
}

void extcap_print_dlts(FILE *out)
{
	/* Wireshark learns the interface's link type here; the one chosen in
	 * the dialog comes in the pcapng interface block. */
	fprintf(out, "dlt {number=%d}{name=EN10MB}{display=Ethernet (sampled headers)}\n",
		DLT_EN10MB);
}

void extcap_print_config(FILE *out)
{
	int n = 0;
	fprintf(out, "arg {number=%d}{call=--port}{display=UDP port}{type=integer}{range=1,65535}"
		"{default=6343}{tooltip=The UDP port the agents send sFlow to}{group=Listen}\n", n++);
	fprintf(out, "arg {number=%d}{call=--bind}{display=Listen address}{type=string}"
		"{tooltip=An address of this host to listen on (with an interface to sniff or a file: "
		"the datagrams' destination); empty: every IPv4 and IPv6 address}"
		"{group=Listen}\n", n++);
	fprintf(out, "arg {number=%d}{call=--agent}{display=Agents}{type=string}"
		"{tooltip=Only samples from these agents: addresses or prefixes (10.0.0.1, 10.1.0.0/16), "
		"separated by commas; empty: every agent}{group=Select}\n", n++);
	fprintf(out, "arg {number=%d}{call=--ifindex}{display=Interfaces (ifIndex)}{type=string}"
		"{tooltip=Only samples taken on these ifIndex numbers, separated by commas; empty: all}"
		"{group=Select}\n", n++);
	int direction = n++;
	fprintf(out, "arg {number=%d}{call=--direction}{display=Direction}{type=selector}"
		"{tooltip=Samples taken on ingress (data source = input interface), egress, or both}"
		"{group=Select}\n", direction);
	fprintf(out, "value {arg=%d}{value=both}{display=Both}{default=true}\n", direction);
	fprintf(out, "value {arg=%d}{value=in}{display=Ingress}{default=false}\n", direction);
	fprintf(out, "value {arg=%d}{value=out}{display=Egress}{default=false}\n", direction);
	fprintf(out, "arg {number=%d}{call=--vlan}{display=Insert VLAN tags}{type=boolflag}"
		"{default=false}{tooltip=Insert the switch's VLAN as an 802.1Q tag (extended switch record)}"
		"{group=Packets}\n", n++);
	fprintf(out, "arg {number=%d}{call=--synth}{display=Synthesize headers}{type=boolflag}"
		"{default=false}{tooltip=Build IP headers from sampled_ipv4 / sampled_ipv6 records}"
		"{group=Packets}\n", n++);
	fprintf(out, "arg {number=%d}{call=--drops}{display=Dropped packets only}{type=boolflag}"
		"{default=false}{tooltip=Deliver the packets of discard samples (and only those)}"
		"{group=Packets}\n", n++);
	int linktype = n++;
	fprintf(out, "arg {number=%d}{call=--linktype}{display=Link type}{type=selector}"
		"{tooltip=The link type packets are delivered as}{group=Packets}\n", linktype);
	for (size_t i = 0; i < LINKTYPE_COUNT; i++) {
		const char *name = pcap_datalink_val_to_name(linktypes[i]);
		const char *description = pcap_datalink_val_to_description(linktypes[i]);
		fprintf(out, "value {arg=%d}{value=%s}{display=%s (%s)}{default=%s}\n", linktype,
			name, name, description ? description : name, i == 0 ? "true" : "false");
	}
	/* Where the datagrams come from: the port (default), an interface's
	 * traffic beside the collector bound to it, or a saved capture. */
	fprintf(out, "arg {number=%d}{call=--sniff}{display=Interface to sniff}{type=string}"
		"{tooltip=Read the datagrams to the port from this interface's traffic (as tcpdump -D "
		"lists it; any works), leaving the port to the collector bound to it; needs root or "
		"CAP_NET_RAW; empty: listen on the port}{group=Source}\n", n++);
	fprintf(out, "arg {number=%d}{call=--file}{display=Saved sFlow capture}{type=fileselect}"
		"{mustexist=true}{tooltip=Read the datagrams to the port from a pcap or pcapng file, to "
		"its end, with its time stamps; empty: listen on the port}{group=Source}\n", n++);
}

void extcap_print_help(FILE *out)
{
	fputs("usage: sflow-extcap --extcap-interfaces | --extcap-interface sflow --extcap-dlts\n"
	      "       | --extcap-interface sflow --extcap-config\n"
	      "       | --extcap-interface sflow --capture --fifo PATH [--extcap-capture-filter BPF]\n"
	      "         [--port N] [--bind ADDRESS] [--agent LIST] [--ifindex LIST]\n"
	      "         [--direction both|in|out] [--vlan] [--synth] [--drops] [--linktype NAME]\n"
	      "         [--sniff INTERFACE | --file PATH]\n"
	      "Wireshark's extcap for sFlow: see sflow-extcap(1).\n", out);
}

/* Appends ",key=item" for each item of a list separated by commas or
 * spaces. */
static int append_list(char *name, size_t size, const char *key, const char *list)
{
	const char *separators = ", \t";
	size_t used = strlen(name);
	for (const char *p = list; p != NULL && *p != '\0';) {
		p += strspn(p, separators);
		size_t length = strcspn(p, separators);
		if (length == 0)
			break;
		int written = snprintf(name + used, size - used, ",%s=%.*s", key, (int)length, p);
		if (written < 0 || (size_t)written >= size - used)
			return -1;
		used += (size_t)written;
		p += length;
	}
	return 0;
}

int extcap_device_name(const struct extcap_options *options, char *name, size_t size,
		       char *error, size_t error_size)
{
	int written;
	if (options->bind != NULL && *options->bind != '\0')
		written = snprintf(name, size, strchr(options->bind, ':') ? "sflow:[%s]:%u"
				   : "sflow:%s:%u", options->bind, options->port);
	else
		written = snprintf(name, size, "sflow:%u", options->port);
	if (written < 0 || (size_t)written >= size)
		goto too_long;
	const struct { int on; const char *name; } flags[] = {
		{ options->vlan, "vlan" }, { options->synth, "synth" }, { options->drops, "drops" },
	};
	for (size_t i = 0; i < sizeof flags / sizeof flags[0]; i++) {
		if (flags[i].on) {
			size_t used = strlen(name);
			written = snprintf(name + used, size - used, ",%s", flags[i].name);
			if (written < 0 || (size_t)written >= size - used)
				goto too_long;
		}
	}
	if (append_list(name, size, "agent", options->agents) < 0 ||
	    append_list(name, size, "ifindex", options->ifindexes) < 0)
		goto too_long;
	const char *source = options->sniff ? options->sniff : options->file;
	if (source != NULL) {
		/* Commas separate the device's options: a value cannot hold one. */
		if (strchr(source, ',') != NULL) {
			snprintf(error, error_size, "%s %s: a name with a comma cannot be given; "
				 "rename or link it", options->sniff ? "--sniff" : "--file", source);
			return -1;
		}
		size_t used = strlen(name);
		written = snprintf(name + used, size - used, ",%s=%s",
				   options->sniff ? "sniff" : "file", source);
		if (written < 0 || (size_t)written >= size - used)
			goto too_long;
	}
	return 0;
too_long:
	snprintf(error, error_size,
		 "the agent and ifindex lists and the file name are too long (at most %zu bytes)",
		 size);
	return -1;
}
