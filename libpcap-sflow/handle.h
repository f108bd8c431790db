/* SPDX-License-Identifier: BSD-3-Clause */
/* The state behind one sflow capture handle, and the registry that tells
 * our handles from the real libpcap's. */
#ifndef SFLOW_HANDLE_H
#define SFLOW_HANDLE_H

#include <pcap/pcap.h>
#include <signal.h>
#include <stdint.h>
#include <time.h>

#include "counters.h"
#include "device.h"
#include "forward.h"
#include "framing.h"
#include "loss.h"
#include "sflow_decode.h"
#include "source.h"

/* Settings a program makes between pcap_create and pcap_activate. */
struct sflow_settings {
	int snaplen;
	int rfmon;
	int timeout_ms;
	int buffer_size;
	int immediate;
	int tstamp_precision;   /* PCAP_TSTAMP_PRECISION_MICRO or _NANO */
};

struct sflow_handle {
	/* What the program holds: a dead pcap_t of the real libpcap, so that any
	 * call we do not interpose fails cleanly there, and pcap_geterr works. */
	pcap_t *pcap;
	/* A dead pcap_t with the current link type, snap length and precision,
	 * for pcap_compile and pcap_dump_open. */
	pcap_t *shape;
	char name[256];
	struct sflow_device device;
	struct sflow_settings settings;
	int activated;
	int linktype;
	int nonblock;
	enum sflow_direction direction; /* -Q: ingress, egress, or UNKNOWN: both */
	volatile sig_atomic_t break_loop;
	/* pcap_loop ended (its count, or pcap_breakloop) and no read since:
	 * what still waits, counted once then (read.c), is dropped in
	 * pcap_stats and undelivered at pcap_close. */
	int loop_ended;
	uint64_t waiting_at_loop_end;
	int source_ended;               /* file= read to its end: no more packets */

	struct sflow_source source;     /* the socket, sniff= or file= */
	struct sflow_batch *batch;      /* datagrams received, not yet decoded */
	struct sflow_forward forward;   /* forward= targets */
	struct sflow_packet_queue queue;/* packets of one datagram, not yet delivered */
	struct timespec datagram_time;  /* receive time of the datagram being delivered */
	uint8_t *assembly;              /* packets that need bytes in front are built here */

	struct bpf_program filter;      /* empty: accept all */

	struct pcap_pkthdr next_header; /* pcap_next_ex's packet */
	const u_char *next_data;

	struct sflow_counters counters; /* every counter, one home (counters.h) */
	struct sflow_loss loss;         /* each data source's sequence, for ps_drop */
};

/* Registers a new handle for name; NULL with errbuf set on failure. */
struct sflow_handle *sflow_handle_new(const char *name, char *errbuf);
/* Our handle behind pcap, or NULL when pcap belongs to the real libpcap.
 * Async-signal-safe: pcap_breakloop calls it from signal handlers. */
struct sflow_handle *sflow_handle_find(const pcap_t *pcap);
/* Unregisters and frees the handle and everything it owns. */
void sflow_handle_free(struct sflow_handle *handle);
/* What a call needs of the handle: libpcap takes settings only before
 * pcap_activate, and reads and queries only after. */
enum sflow_state { SFLOW_ANY_STATE, SFLOW_BEFORE_ACTIVATION, SFLOW_AFTER_ACTIVATION };
/* 0 when the handle is in the wanted state; else PCAP_ERROR_ACTIVATED or
 * PCAP_ERROR_NOT_ACTIVATED, with the message in pcap_geterr. */
int sflow_handle_state_error(struct sflow_handle *handle, enum sflow_state wanted);
/* Formats an error into the handle's pcap_geterr buffer. */
void sflow_handle_error(struct sflow_handle *handle, const char *format, ...)
	__attribute__((format(printf, 2, 3)));

#endif
