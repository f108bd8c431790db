/* SPDX-License-Identifier: BSD-3-Clause */
/* The extcap side of sflow-extcap: its command line (Wireshark's extcap
 * protocol plus the configuration dialog's options), what it answers to
 * Wireshark's queries, and the sflow device name the options make. */
#ifndef SFLOW_EXTCAP_ARGS_H
#define SFLOW_EXTCAP_ARGS_H

#include <stddef.h>
#include <stdio.h>

#define EXTCAP_INTERFACE "sflow"
#define EXTCAP_MAX_LIST 512

enum extcap_action {
	EXTCAP_NONE,
	EXTCAP_INTERFACES,
	EXTCAP_DLTS,
	EXTCAP_CONFIG,
	EXTCAP_CAPTURE,
	EXTCAP_HELP,
	EXTCAP_VERSION,
};

struct extcap_options {
	enum extcap_action action;
	const char *interface;          /* --extcap-interface */
	const char *fifo;               /* --fifo */
	const char *capture_filter;     /* --extcap-capture-filter */
	unsigned port;                  /* --port, 6343 by default */
	const char *bind;               /* --bind: an address of this host, or NULL: all */
	const char *agents;             /* --agent: addresses or prefixes, commas or spaces */
	const char *ifindexes;          /* --ifindex: numbers, commas or spaces */
	const char *direction;          /* --direction: both, in, out */
	int vlan, synth, drops;         /* --vlan, --synth, --drops */
	const char *linktype;           /* --linktype: a DLT name, EN10MB by default */
	/* Where datagrams come from, instead of the bound port: */
	const char *sniff;              /* --sniff: an interface's traffic (sniff=) */
	const char *file;               /* --file: a saved capture, read to its end (file=) */
};

/* Parses argv. 0, or -1 with a one-line message in error. */
int extcap_parse(int argc, char **argv, struct extcap_options *options,
		 char *error, size_t error_size);

/* The answers to --extcap-interfaces, --extcap-dlts, --extcap-config. */
void extcap_print_interfaces(FILE *out);
void extcap_print_dlts(FILE *out);
void extcap_print_config(FILE *out);
void extcap_print_help(FILE *out);

/* The device name the options select, e.g. "sflow:6343,vlan,agent=10.0.0.1"
 * or "sflow:6343,file=/tmp/feed.pcap".
 * 0, or -1 with a one-line message in error. */
int extcap_device_name(const struct extcap_options *options, char *name, size_t size,
		       char *error, size_t error_size);

#endif
