/* SPDX-License-Identifier: BSD-3-Clause */
#include "options.h"

#include <arpa/inet.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "errors.h"
#include "sflow_encode.h"

#define MAX_HEADER 65000 /* one sample still fits a UDP datagram */

static const char usage_text[] =
"usage: " PROG " [options] FILE.pcap HOST:PORT\n"
"Sends the packets of FILE.pcap as sFlow v5 flow samples (one sampled_header\n"
"record each) to HOST:PORT over UDP. HOST is an IPv4 or IPv6 literal or a\n"
"name; write IPv6 literals as [::1]:6343.\n"
"\n"
"  -N, --sampling-rate N   sample 1 packet in N (default 1: every packet)\n"
"  -H, --header-bytes N    header bytes per sample (default 128)\n"
"  -a, --agent ADDR        agent address, IPv4 or IPv6 (default 127.0.0.1)\n"
"      --sub-agent N       sub_agent_id (default 0)\n"
"  -i, --ifindex N         first data source ifIndex (default 1)\n"
"      --sources N         spread samples round-robin over N data sources,\n"
"                          ifIndex N..N+sources-1 (default 1)\n"
"  -S, --samples-per-datagram N\n"
"                          at most N samples per datagram (default: as many\n"
"                          as fit in 1400 bytes)\n"
"  -r, --rate N            datagrams per second (default 0: as fast as possible)\n"
"  -l, --loop N            send the file N times (default 1; 0: until SIGINT)\n"
"  -c, --count N           stop after N samples (datagrams with --replay)\n"
"      --replay            FILE holds captured sFlow datagrams (Ethernet, Linux\n"
"                          cooked or raw IP; IPv4 or IPv6; UDP): send each UDP\n"
"                          payload unchanged. The encoding options are ignored.\n"
"      --final-pause MS    after the run wait MS ms, then send one more datagram\n"
"                          per data source with one more sample, so that a\n"
"                          receiver sees losses at the end (default 0: off)\n"
"  -q, --quiet             no summary line\n"
"  -h, --help              this help\n"
"\n"
"Input link types: Ethernet, raw IPv4/IPv6, Linux cooked (IP packets only).\n";

enum { OPT_SUB_AGENT = 256, OPT_SOURCES, OPT_REPLAY, OPT_FINAL_PAUSE };

static const struct option long_options[] = {
	{ "sampling-rate", required_argument, NULL, 'N' },
	{ "header-bytes", required_argument, NULL, 'H' },
	{ "agent", required_argument, NULL, 'a' },
	{ "sub-agent", required_argument, NULL, OPT_SUB_AGENT },
	{ "ifindex", required_argument, NULL, 'i' },
	{ "sources", required_argument, NULL, OPT_SOURCES },
	{ "samples-per-datagram", required_argument, NULL, 'S' },
	{ "rate", required_argument, NULL, 'r' },
	{ "loop", required_argument, NULL, 'l' },
	{ "count", required_argument, NULL, 'c' },
	{ "replay", no_argument, NULL, OPT_REPLAY },
	{ "final-pause", required_argument, NULL, OPT_FINAL_PAUSE },
	{ "quiet", no_argument, NULL, 'q' },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

/* The option c with its value optarg, into o (the agent address, which
 * is checked last, into *agent). */
static void set_option(struct options *o, int c, const char **agent,
		       char **argv)
{
	switch (c) {
	case 'N':
		o->sampling_rate = (uint32_t)parse_number(
			"sampling rate", optarg, 1, UINT32_MAX);
		break;
	case 'H':
		o->header_bytes = (uint32_t)parse_number(
			"header bytes", optarg, 1, MAX_HEADER);
		break;
	case 'a':
		*agent = optarg;
		break;
	case OPT_SUB_AGENT:
		o->sub_agent = (uint32_t)parse_number(
			"sub-agent", optarg, 0, UINT32_MAX);
		break;
	case 'i':
		o->ifindex = (uint32_t)parse_number(
			"ifindex", optarg, 0, SFLOW_SOURCE_INDEX_MAX);
		break;
	case OPT_SOURCES:
		o->sources = (uint32_t)parse_number(
			"sources", optarg, 1, 65536);
		break;
	case 'S':
		o->per_datagram = (uint32_t)parse_number(
			"samples per datagram", optarg, 1, UINT32_MAX);
		break;
	case 'r':
		o->rate = (uint32_t)parse_number("rate", optarg, 0, 10000000);
		break;
	case 'l':
		o->loops = (uint32_t)parse_number("loop count", optarg, 0,
						  UINT32_MAX);
		break;
	case 'c':
		o->count = parse_number("count", optarg, 1, UINT64_MAX);
		break;
	case OPT_REPLAY:
		o->replay = 1;
		break;
	case OPT_FINAL_PAUSE:
		o->final_pause_ms = (uint32_t)parse_number(
			"final pause", optarg, 0, 3600000);
		break;
	case 'q':
		o->quiet = 1;
		break;
	case 'h':
		fputs(usage_text, stdout);
		exit(0);
	case ':':
		usage_error("option '%s' needs a value", argv[optind - 1]);
	default:
		if (optopt)
			usage_error("unknown option '-%c'", optopt);
		usage_error("unknown option '%s'", argv[optind - 1]);
	}
}

/* The checks that take more than one option. */
static void check_options(struct options *o, const char *agent)
{
	if (inet_pton(AF_INET, agent, o->agent) == 1)
		o->agent_family = AF_INET;
	else if (inet_pton(AF_INET6, agent, o->agent) == 1)
		o->agent_family = AF_INET6;
	else
		usage_error("bad agent address '%s' (want an IPv4 or IPv6 "
			    "literal)", agent);
	if ((uint64_t)o->ifindex + o->sources - 1 > SFLOW_SOURCE_INDEX_MAX)
		usage_error("ifindex + sources - 1 exceeds %u",
			    SFLOW_SOURCE_INDEX_MAX);
	if (o->replay && o->final_pause_ms)
		usage_error("--final-pause does not apply to --replay");
	/* stdin cannot be read twice */
	if (strcmp(o->file, "-") == 0 && o->loops != 1)
		usage_error("--loop needs a file, not stdin");
}

void parse_options(int argc, char **argv, struct options *o)
{
	const char *agent = "127.0.0.1";
	int c;

	memset(o, 0, sizeof(*o));
	o->sampling_rate = 1;
	o->header_bytes = 128;
	o->ifindex = 1;
	o->sources = 1;
	o->loops = 1;

	opterr = 0; /* our own one-line messages */
	while ((c = getopt_long(argc, argv, ":N:H:a:i:S:r:l:c:qh",
				long_options, NULL)) != -1)
		set_option(o, c, &agent, argv);
	if (argc - optind != 2)
		usage_error(argc - optind < 2 ? "need FILE.pcap and HOST:PORT"
					      : "too many arguments");
	o->file = argv[optind];
	o->dest = argv[optind + 1];
	check_options(o, agent);
}
