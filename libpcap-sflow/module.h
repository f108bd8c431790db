/* SPDX-License-Identifier: BSD-3-Clause */
/* The sflow capture module's operations, one per public pcap_* call:
 * pcap-sflow.c holds them, as a libpcap module's one file of operations
 * does, but for the read path, read.c. interpose.c routes calls on our
 * handles here, after checking the handle is in the state the call needs
 * (handle.h), so no operation checks it. */
#ifndef SFLOW_MODULE_H
#define SFLOW_MODULE_H

#include <pcap/pcap.h>
#include <stdio.h>

#include "handle.h"

/* pcap-sflow.c */

/* A handle with libpcap's defaults, or NULL with errbuf set. */
struct sflow_handle *sflow_create(const char *device, char *errbuf);
struct sflow_handle *sflow_open_live(const char *device, int snaplen, int promisc,
				     int timeout_ms, char *errbuf);
/* Counts what was never delivered, prints the counters when asked
 * (SFLOW_STATS=1) and frees the handle. */
void sflow_close(struct sflow_handle *handle);

/* Before activation, stored for sflow_activate. */
int sflow_set_snaplen(struct sflow_handle *handle, int snaplen);
int sflow_set_promisc(struct sflow_handle *handle, int promisc);
int sflow_set_rfmon(struct sflow_handle *handle, int rfmon);
int sflow_set_timeout(struct sflow_handle *handle, int timeout_ms);
int sflow_set_immediate_mode(struct sflow_handle *handle, int immediate);
int sflow_set_buffer_size(struct sflow_handle *handle, int size);
int sflow_set_tstamp_precision(struct sflow_handle *handle, int precision);
int sflow_set_tstamp_type(struct sflow_handle *handle, int type);
int sflow_set_protocol_linux(struct sflow_handle *handle, int protocol);
int sflow_can_set_rfmon(struct sflow_handle *handle);
int sflow_get_tstamp_precision(struct sflow_handle *handle);
int sflow_list_tstamp_types(struct sflow_handle *handle, int **types);
int sflow_snapshot(struct sflow_handle *handle);
int sflow_bufsize(struct sflow_handle *handle);
int sflow_setdirection(struct sflow_handle *handle, pcap_direction_t direction);

/* Opens the datagram source and buffers. 0, or a PCAP_ERROR* with the message in
 * pcap_geterr. */
int sflow_activate(struct sflow_handle *handle);
int sflow_datalink(struct sflow_handle *handle);
/* The link types a handle offers, in a malloc'd array libpcap can free. */
int sflow_list_datalinks(struct sflow_handle *handle, int **linktypes);
int sflow_set_datalink(struct sflow_handle *handle, int linktype);
int sflow_is_swapped(struct sflow_handle *handle);
int sflow_major_version(struct sflow_handle *handle);
int sflow_minor_version(struct sflow_handle *handle);
FILE *sflow_file(struct sflow_handle *handle);

/* On the dead pcap_t of what we deliver (its shape). */
int sflow_compile(struct sflow_handle *handle, struct bpf_program *program, const char *text,
		  int optimize, bpf_u_int32 netmask);
pcap_dumper_t *sflow_dump_open(struct sflow_handle *handle, const char *file);
pcap_dumper_t *sflow_dump_open_append(struct sflow_handle *handle, const char *file);
pcap_dumper_t *sflow_dump_fopen(struct sflow_handle *handle, FILE *file);

int sflow_setfilter(struct sflow_handle *handle, const struct bpf_program *program);
int sflow_getnonblock(struct sflow_handle *handle);
int sflow_setnonblock(struct sflow_handle *handle, int nonblock);
int sflow_selectable_fd(struct sflow_handle *handle);
int sflow_inject(struct sflow_handle *handle, const char *call);

/* ps_recv, ps_drop, ps_ifdrop, read from the counters. */
int sflow_stats(struct sflow_handle *handle, struct pcap_stat *stats);

/* Appends the sflow device to a real libpcap device list. */
int sflow_findalldevs_append(pcap_if_t **devices, char *errbuf);
int sflow_lookupnet(bpf_u_int32 *net, bpf_u_int32 *mask);

/* read.c: libpcap's loop / dispatch / next_ex semantics. */

int sflow_dispatch(struct sflow_handle *handle, int max_packets,
		   pcap_handler callback, u_char *user);
int sflow_loop(struct sflow_handle *handle, int count,
	       pcap_handler callback, u_char *user);
int sflow_next_ex(struct sflow_handle *handle, struct pcap_pkthdr **header,
		  const u_char **data);
const u_char *sflow_next(struct sflow_handle *handle, struct pcap_pkthdr *header);
/* Async-signal-safe. */
void sflow_breakloop(struct sflow_handle *handle);
/* At pcap_close: samples received that the program was never handed
 * (queued packets, and those of datagrams not yet decoded) become
 * samples_undelivered. Counted when the loop ended if it did (what
 * pcap_stats shows in ps_drop), else now; either way once. */
void sflow_drain(struct sflow_handle *handle);
/* The link type or -Q changed: what waits since the loop ended is counted
 * again, as those rules now admit it. */
void sflow_admission_changed(struct sflow_handle *handle);

/* packet_info.c: the sample's metadata, kept with its framed packet in
 * the public form. */
void sflow_packet_info_fill(struct pcap_sflow_packet_info *info,
			    const struct sflow_datagram *datagram,
			    const struct sflow_sample *sample);

#endif
