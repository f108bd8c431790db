/* The sflow capture module's operations, shaped like a libpcap module:
 * create, activate, read, stats, cleanup, findalldevs. interpose.c routes
 * the public pcap_* calls on our handles here. */
#ifndef SFLOW_MODULE_H
#define SFLOW_MODULE_H

#include <pcap/pcap.h>

#include "handle.h"

/* create.c: a handle with libpcap's defaults, or NULL with errbuf set. */
struct sflow_handle *sflow_create(const char *device, char *errbuf);

/* activate.c: opens the socket and buffers. 0, or a PCAP_ERROR* with the
 * message in pcap_geterr. */
int sflow_activate(struct sflow_handle *handle);
/* The link types a handle offers, in a malloc'd array libpcap can free. */
int sflow_list_datalinks(struct sflow_handle *handle, int **linktypes);
int sflow_set_datalink(struct sflow_handle *handle, int linktype);

/* read.c: libpcap's loop / dispatch / next_ex semantics. */
int sflow_dispatch(struct sflow_handle *handle, int max_packets,
		   pcap_handler callback, u_char *user);
int sflow_loop(struct sflow_handle *handle, int count,
	       pcap_handler callback, u_char *user);
int sflow_next_ex(struct sflow_handle *handle, struct pcap_pkthdr **header,
		  const u_char **data);
int sflow_setfilter(struct sflow_handle *handle, const struct bpf_program *program);

/* stats.c */
int sflow_stats(struct sflow_handle *handle, struct pcap_stat *stats);
/* With SFLOW_STATS=1 in the environment, prints every counter to stderr. */
void sflow_report_counters(const struct sflow_handle *handle);

/* packet_info.c: copies the sample's metadata onto its framed packet. */
void sflow_packet_meta_fill(struct sflow_packet_meta *meta,
			    const struct sflow_datagram *datagram,
			    const struct sflow_sample *sample);

/* findalldevs.c: appends the sflow device to a real libpcap device list. */
int sflow_findalldevs_append(pcap_if_t **devices, char *errbuf);

#endif
