/* SPDX-License-Identifier: BSD-3-Clause */
/* The real libpcap's versions of the functions this module interposes.
 * Calls on handles that are not ours go through these untouched. */
#ifndef SFLOW_REAL_PCAP_H
#define SFLOW_REAL_PCAP_H

#include <pcap/pcap.h>

/* X(name) for every function interpose.c defines in place of the real
 * libpcap's. Each real_NAME's type is taken from pcap.h's own declaration
 * of NAME (__typeof__), so it cannot drift from the function dlsym finds;
 * interpose.c's definitions are checked against the same declarations by
 * the compiler. This header declares the pointers, real_pcap.c defines and
 * resolves them; tests/interposed.sh checks that none of the pcap_t
 * functions libpcap exports is left out. */
#define SFLOW_REAL_FUNCTIONS(X) \
	X(pcap_create) \
	X(pcap_open_live) \
	X(pcap_lookupnet) \
	X(pcap_findalldevs) \
	X(pcap_activate) \
	X(pcap_set_snaplen) \
	X(pcap_set_promisc) \
	X(pcap_can_set_rfmon) \
	X(pcap_set_rfmon) \
	X(pcap_set_timeout) \
	X(pcap_set_tstamp_type) \
	X(pcap_set_immediate_mode) \
	X(pcap_set_buffer_size) \
	X(pcap_set_tstamp_precision) \
	X(pcap_get_tstamp_precision) \
	X(pcap_set_protocol_linux) \
	X(pcap_list_tstamp_types) \
	X(pcap_loop) \
	X(pcap_dispatch) \
	X(pcap_next) \
	X(pcap_next_ex) \
	X(pcap_breakloop) \
	X(pcap_stats) \
	X(pcap_setfilter) \
	X(pcap_setdirection) \
	X(pcap_getnonblock) \
	X(pcap_setnonblock) \
	X(pcap_inject) \
	X(pcap_sendpacket) \
	X(pcap_compile) \
	X(pcap_datalink) \
	X(pcap_datalink_ext) \
	X(pcap_list_datalinks) \
	X(pcap_set_datalink) \
	X(pcap_snapshot) \
	X(pcap_is_swapped) \
	X(pcap_major_version) \
	X(pcap_minor_version) \
	X(pcap_bufsize) \
	X(pcap_file) \
	X(pcap_fileno) \
	X(pcap_get_selectable_fd) \
	X(pcap_get_required_select_timeout) \
	X(pcap_dump_open) \
	X(pcap_dump_open_append) \
	X(pcap_dump_fopen) \
	X(pcap_close)

#define SFLOW_DECLARE_REAL(name) extern __typeof__(name) *real_##name;
SFLOW_REAL_FUNCTIONS(SFLOW_DECLARE_REAL)
#undef SFLOW_DECLARE_REAL

/* Looks the real functions up; called before any of them is used. */
void sflow_real_pcap_resolve(void);

#endif
