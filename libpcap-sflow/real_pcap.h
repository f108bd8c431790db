/* SPDX-License-Identifier: BSD-3-Clause */
/* The real libpcap's versions of the functions this module interposes.
 * Calls on handles that are not ours go through these untouched. */
#ifndef SFLOW_REAL_PCAP_H
#define SFLOW_REAL_PCAP_H

#include <pcap/pcap.h>

/* X(return type, name, parameter list, argument list) for every interposed
 * function; interpose.c and real_pcap.c expand it. */
#define SFLOW_REAL_FUNCTIONS(X) \
	X(pcap_t *, pcap_create, (const char *source, char *errbuf), (source, errbuf)) \
	X(pcap_t *, pcap_open_live, (const char *device, int snaplen, int promisc, int to_ms, char *errbuf), (device, snaplen, promisc, to_ms, errbuf)) \
	X(int, pcap_lookupnet, (const char *device, bpf_u_int32 *net, bpf_u_int32 *mask, char *errbuf), (device, net, mask, errbuf)) \
	X(int, pcap_findalldevs, (pcap_if_t **devices, char *errbuf), (devices, errbuf)) \
	X(int, pcap_activate, (pcap_t *p), (p)) \
	X(int, pcap_set_snaplen, (pcap_t *p, int snaplen), (p, snaplen)) \
	X(int, pcap_set_promisc, (pcap_t *p, int promisc), (p, promisc)) \
	X(int, pcap_can_set_rfmon, (pcap_t *p), (p)) \
	X(int, pcap_set_rfmon, (pcap_t *p, int rfmon), (p, rfmon)) \
	X(int, pcap_set_timeout, (pcap_t *p, int timeout), (p, timeout)) \
	X(int, pcap_set_tstamp_type, (pcap_t *p, int type), (p, type)) \
	X(int, pcap_set_immediate_mode, (pcap_t *p, int immediate), (p, immediate)) \
	X(int, pcap_set_buffer_size, (pcap_t *p, int size), (p, size)) \
	X(int, pcap_set_tstamp_precision, (pcap_t *p, int precision), (p, precision)) \
	X(int, pcap_get_tstamp_precision, (pcap_t *p), (p)) \
	X(int, pcap_set_protocol_linux, (pcap_t *p, int protocol), (p, protocol)) \
	X(int, pcap_list_tstamp_types, (pcap_t *p, int **types), (p, types)) \
	X(int, pcap_loop, (pcap_t *p, int cnt, pcap_handler callback, u_char *user), (p, cnt, callback, user)) \
	X(int, pcap_dispatch, (pcap_t *p, int cnt, pcap_handler callback, u_char *user), (p, cnt, callback, user)) \
	X(const u_char *, pcap_next, (pcap_t *p, struct pcap_pkthdr *header), (p, header)) \
	X(int, pcap_next_ex, (pcap_t *p, struct pcap_pkthdr **header, const u_char **data), (p, header, data)) \
	X(void, pcap_breakloop, (pcap_t *p), (p)) \
	X(int, pcap_stats, (pcap_t *p, struct pcap_stat *stats), (p, stats)) \
	X(int, pcap_setfilter, (pcap_t *p, struct bpf_program *program), (p, program)) \
	X(int, pcap_setdirection, (pcap_t *p, pcap_direction_t direction), (p, direction)) \
	X(int, pcap_getnonblock, (pcap_t *p, char *errbuf), (p, errbuf)) \
	X(int, pcap_setnonblock, (pcap_t *p, int nonblock, char *errbuf), (p, nonblock, errbuf)) \
	X(int, pcap_inject, (pcap_t *p, const void *data, size_t size), (p, data, size)) \
	X(int, pcap_sendpacket, (pcap_t *p, const u_char *data, int size), (p, data, size)) \
	X(int, pcap_compile, (pcap_t *p, struct bpf_program *program, const char *text, int optimize, bpf_u_int32 netmask), (p, program, text, optimize, netmask)) \
	X(int, pcap_datalink, (pcap_t *p), (p)) \
	X(int, pcap_datalink_ext, (pcap_t *p), (p)) \
	X(int, pcap_list_datalinks, (pcap_t *p, int **linktypes), (p, linktypes)) \
	X(int, pcap_set_datalink, (pcap_t *p, int linktype), (p, linktype)) \
	X(int, pcap_snapshot, (pcap_t *p), (p)) \
	X(int, pcap_is_swapped, (pcap_t *p), (p)) \
	X(int, pcap_major_version, (pcap_t *p), (p)) \
	X(int, pcap_minor_version, (pcap_t *p), (p)) \
	X(int, pcap_bufsize, (pcap_t *p), (p)) \
	X(FILE *, pcap_file, (pcap_t *p), (p)) \
	X(int, pcap_fileno, (pcap_t *p), (p)) \
	X(int, pcap_get_selectable_fd, (pcap_t *p), (p)) \
	X(const struct timeval *, pcap_get_required_select_timeout, (pcap_t *p), (p)) \
	X(pcap_dumper_t *, pcap_dump_open, (pcap_t *p, const char *file), (p, file)) \
	X(pcap_dumper_t *, pcap_dump_open_append, (pcap_t *p, const char *file), (p, file)) \
	X(pcap_dumper_t *, pcap_dump_fopen, (pcap_t *p, FILE *file), (p, file)) \
	X(void, pcap_close, (pcap_t *p), (p))

#define SFLOW_DECLARE_REAL(type, name, params, args) extern type (*real_##name) params;
SFLOW_REAL_FUNCTIONS(SFLOW_DECLARE_REAL)
#undef SFLOW_DECLARE_REAL

/* Looks the real functions up; called before any of them is used. */
void sflow_real_pcap_resolve(void);

#endif
