/* SPDX-License-Identifier: BSD-3-Clause */
/* What the module exports, all of it: it is built -fvisibility=hidden, and
 * only these carry visibility("default"), each for a reason:
 *   interpose.c   the pcap_* functions of pcap.h that take a device name
 *                 or a pcap_t: preloaded ahead of the system libpcap, they
 *                 are the ones a program calls (below);
 *   packet_info.c pcap_sflow_packet_info_sized, the module's one
 *                 extension (pcap-sflow.h), for programs linked against
 *                 it, and pcap_sflow_packet_info, its first form, kept
 *                 for programs built against the older header;
 *   dlsym.c       dlsym, so that a program that looks pcap_* up on
 *                 libpcap's own handle (ctypes, cffi) finds ours;
 *   ifflags.c     ioctl, so that SIOCGIFFLAGS on an sflow device name says
 *                 up and running (argus asks before it reads).
 * This file interposes and does nothing else: each function finds our
 * handle (or sees an sflow device name), checks the handle is in the state
 * the call needs, and calls one module operation (module.h); everything
 * else goes to the real libpcap untouched. */
#include <config.h>
#include <stdio.h>

#include "module.h"
#include "real_pcap.h"

#define SFLOW_API __attribute__((visibility("default")))

/* Each call on a pcap_t: the real libpcap's when the handle is not ours;
 * else, when our handle is in the state the call needs (the one rule, in
 * sflow_handle_state_error), the module's operation. */

/* Device names. */

SFLOW_API pcap_t *pcap_create(const char *source, char *errbuf)
{
	if (!sflow_device_is_ours(source))
		return real_pcap_create(source, errbuf);
	struct sflow_handle *handle = sflow_create(source, errbuf);
	return handle ? handle->pcap : NULL;
}

SFLOW_API pcap_t *pcap_open_live(const char *device, int snaplen, int promisc, int to_ms,
				 char *errbuf)
{
	if (!sflow_device_is_ours(device))
		return real_pcap_open_live(device, snaplen, promisc, to_ms, errbuf);
	struct sflow_handle *handle = sflow_open_live(device, snaplen, promisc, to_ms, errbuf);
	return handle ? handle->pcap : NULL;
}

SFLOW_API int pcap_lookupnet(const char *device, bpf_u_int32 *net, bpf_u_int32 *mask,
			     char *errbuf)
{
	if (!sflow_device_is_ours(device))
		return real_pcap_lookupnet(device, net, mask, errbuf);
	return sflow_lookupnet(net, mask);
}

SFLOW_API int pcap_findalldevs(pcap_if_t **devices, char *errbuf)
{
	int status = real_pcap_findalldevs(devices, errbuf);
	if (status < 0)
		return status;
	return sflow_findalldevs_append(devices, errbuf);
}

/* Settings before activation. */

SFLOW_API int pcap_set_snaplen(pcap_t *p, int value)
{
	struct sflow_handle *handle = sflow_handle_find(p);
	if (handle == NULL)
		return real_pcap_set_snaplen(p, value);
	int wrong = sflow_handle_state_error(handle, SFLOW_BEFORE_ACTIVATION);
	if (wrong)
		return wrong;
	return sflow_set_snaplen(handle, value);
}

SFLOW_API int pcap_set_promisc(pcap_t *p, int value)
{
	struct sflow_handle *handle = sflow_handle_find(p);
	if (handle == NULL)
		return real_pcap_set_promisc(p, value);
	int wrong = sflow_handle_state_error(handle, SFLOW_BEFORE_ACTIVATION);
	if (wrong)
		return wrong;
	return sflow_set_promisc(handle, value);
}

SFLOW_API int pcap_set_rfmon(pcap_t *p, int value)
{
	struct sflow_handle *handle = sflow_handle_find(p);
	if (handle == NULL)
		return real_pcap_set_rfmon(p, value);
	int wrong = sflow_handle_state_error(handle, SFLOW_BEFORE_ACTIVATION);
	if (wrong)
		return wrong;
	return sflow_set_rfmon(handle, value);
}

SFLOW_API int pcap_set_timeout(pcap_t *p, int value)
{
	struct sflow_handle *handle = sflow_handle_find(p);
	if (handle == NULL)
		return real_pcap_set_timeout(p, value);
	int wrong = sflow_handle_state_error(handle, SFLOW_BEFORE_ACTIVATION);
	if (wrong)
		return wrong;
	return sflow_set_timeout(handle, value);
}

SFLOW_API int pcap_set_immediate_mode(pcap_t *p, int value)
{
	struct sflow_handle *handle = sflow_handle_find(p);
	if (handle == NULL)
		return real_pcap_set_immediate_mode(p, value);
	int wrong = sflow_handle_state_error(handle, SFLOW_BEFORE_ACTIVATION);
	if (wrong)
		return wrong;
	return sflow_set_immediate_mode(handle, value);
}

SFLOW_API int pcap_set_buffer_size(pcap_t *p, int value)
{
	struct sflow_handle *handle = sflow_handle_find(p);
	if (handle == NULL)
		return real_pcap_set_buffer_size(p, value);
	int wrong = sflow_handle_state_error(handle, SFLOW_BEFORE_ACTIVATION);
	if (wrong)
		return wrong;
	return sflow_set_buffer_size(handle, value);
}

SFLOW_API int pcap_set_tstamp_precision(pcap_t *p, int value)
{
	struct sflow_handle *handle = sflow_handle_find(p);
	if (handle == NULL)
		return real_pcap_set_tstamp_precision(p, value);
	int wrong = sflow_handle_state_error(handle, SFLOW_BEFORE_ACTIVATION);
	if (wrong)
		return wrong;
	return sflow_set_tstamp_precision(handle, value);
}

SFLOW_API int pcap_set_tstamp_type(pcap_t *p, int value)
{
	struct sflow_handle *handle = sflow_handle_find(p);
	if (handle == NULL)
		return real_pcap_set_tstamp_type(p, value);
	int wrong = sflow_handle_state_error(handle, SFLOW_BEFORE_ACTIVATION);
	if (wrong)
		return wrong;
	return sflow_set_tstamp_type(handle, value);
}

SFLOW_API int pcap_set_protocol_linux(pcap_t *p, int value)
{
	struct sflow_handle *handle = sflow_handle_find(p);
	if (handle == NULL)
		return real_pcap_set_protocol_linux(p, value);
	int wrong = sflow_handle_state_error(handle, SFLOW_BEFORE_ACTIVATION);
	if (wrong)
		return wrong;
	return sflow_set_protocol_linux(handle, value);
}

SFLOW_API int pcap_get_tstamp_precision(pcap_t *p)
{
	struct sflow_handle *handle = sflow_handle_find(p);
	if (handle == NULL)
		return real_pcap_get_tstamp_precision(p);
	return sflow_get_tstamp_precision(handle);
}

SFLOW_API int pcap_list_tstamp_types(pcap_t *p, int **types)
{
	struct sflow_handle *handle = sflow_handle_find(p);
	if (handle == NULL)
		return real_pcap_list_tstamp_types(p, types);
	return sflow_list_tstamp_types(handle, types);
}

SFLOW_API int pcap_can_set_rfmon(pcap_t *p)
{
	struct sflow_handle *handle = sflow_handle_find(p);
	if (handle == NULL)
		return real_pcap_can_set_rfmon(p);
	return sflow_can_set_rfmon(handle);
}

SFLOW_API int pcap_activate(pcap_t *p)
{
	struct sflow_handle *handle = sflow_handle_find(p);
	if (handle == NULL)
		return real_pcap_activate(p);
	int wrong = sflow_handle_state_error(handle, SFLOW_BEFORE_ACTIVATION);
	if (wrong)
		return wrong;
	return sflow_activate(handle);
}

/* Reading. */

SFLOW_API int pcap_loop(pcap_t *p, int cnt, pcap_handler callback, u_char *user)
{
	struct sflow_handle *handle = sflow_handle_find(p);
	if (handle == NULL)
		return real_pcap_loop(p, cnt, callback, user);
	int wrong = sflow_handle_state_error(handle, SFLOW_AFTER_ACTIVATION);
	if (wrong)
		return wrong;
	return sflow_loop(handle, cnt, callback, user);
}

SFLOW_API int pcap_dispatch(pcap_t *p, int cnt, pcap_handler callback, u_char *user)
{
	struct sflow_handle *handle = sflow_handle_find(p);
	if (handle == NULL)
		return real_pcap_dispatch(p, cnt, callback, user);
	int wrong = sflow_handle_state_error(handle, SFLOW_AFTER_ACTIVATION);
	if (wrong)
		return wrong;
	return sflow_dispatch(handle, cnt, callback, user);
}

SFLOW_API int pcap_next_ex(pcap_t *p, struct pcap_pkthdr **header, const u_char **data)
{
	struct sflow_handle *handle = sflow_handle_find(p);
	if (handle == NULL)
		return real_pcap_next_ex(p, header, data);
	int wrong = sflow_handle_state_error(handle, SFLOW_AFTER_ACTIVATION);
	if (wrong)
		return wrong;
	return sflow_next_ex(handle, header, data);
}

SFLOW_API const u_char *pcap_next(pcap_t *p, struct pcap_pkthdr *header)
{
	struct sflow_handle *handle = sflow_handle_find(p);
	if (handle == NULL)
		return real_pcap_next(p, header);
	if (sflow_handle_state_error(handle, SFLOW_AFTER_ACTIVATION))
		return NULL;
	return sflow_next(handle, header);
}

/* Async-signal-safe: programs call it from SIGINT handlers, and the handle
 * lookup is lock-free for that reason. */
SFLOW_API void pcap_breakloop(pcap_t *p)
{
	struct sflow_handle *handle = sflow_handle_find(p);
	if (handle == NULL)
		real_pcap_breakloop(p);
	else
		sflow_breakloop(handle);
}

SFLOW_API int pcap_setfilter(pcap_t *p, struct bpf_program *program)
{
	struct sflow_handle *handle = sflow_handle_find(p);
	if (handle == NULL)
		return real_pcap_setfilter(p, program);
	int wrong = sflow_handle_state_error(handle, SFLOW_AFTER_ACTIVATION);
	if (wrong)
		return wrong;
	return sflow_setfilter(handle, program);
}

SFLOW_API int pcap_compile(pcap_t *p, struct bpf_program *program, const char *text,
			   int optimize, bpf_u_int32 netmask)
{
	struct sflow_handle *handle = sflow_handle_find(p);
	if (handle == NULL)
		return real_pcap_compile(p, program, text, optimize, netmask);
	if (sflow_handle_state_error(handle, SFLOW_AFTER_ACTIVATION))
		return PCAP_ERROR;
	return sflow_compile(handle, program, text, optimize, netmask);
}

SFLOW_API int pcap_getnonblock(pcap_t *p, char *errbuf)
{
	struct sflow_handle *handle = sflow_handle_find(p);
	if (handle == NULL)
		return real_pcap_getnonblock(p, errbuf);
	return sflow_getnonblock(handle);
}

SFLOW_API int pcap_setnonblock(pcap_t *p, int nonblock, char *errbuf)
{
	struct sflow_handle *handle = sflow_handle_find(p);
	if (handle == NULL)
		return real_pcap_setnonblock(p, nonblock, errbuf);
	return sflow_setnonblock(handle, nonblock);
}

SFLOW_API int pcap_stats(pcap_t *p, struct pcap_stat *stats)
{
	struct sflow_handle *handle = sflow_handle_find(p);
	if (handle == NULL)
		return real_pcap_stats(p, stats);
	int wrong = sflow_handle_state_error(handle, SFLOW_AFTER_ACTIVATION);
	if (wrong)
		return wrong;
	return sflow_stats(handle, stats);
}

SFLOW_API int pcap_get_selectable_fd(pcap_t *p)
{
	struct sflow_handle *handle = sflow_handle_find(p);
	if (handle == NULL)
		return real_pcap_get_selectable_fd(p);
	if (sflow_handle_state_error(handle, SFLOW_AFTER_ACTIVATION))
		return -1;
	return sflow_selectable_fd(handle);
}

SFLOW_API int pcap_fileno(pcap_t *p)
{
	struct sflow_handle *handle = sflow_handle_find(p);
	if (handle == NULL)
		return real_pcap_fileno(p);
	if (sflow_handle_state_error(handle, SFLOW_AFTER_ACTIVATION))
		return -1;
	return sflow_selectable_fd(handle);
}

SFLOW_API const struct timeval *pcap_get_required_select_timeout(pcap_t *p)
{
	/* The selectable descriptor is readable whenever packets wait. */
	struct sflow_handle *handle = sflow_handle_find(p);
	if (handle == NULL)
		return real_pcap_get_required_select_timeout(p);
	return NULL;
}

/* What the handle is. */

SFLOW_API int pcap_datalink(pcap_t *p)
{
	struct sflow_handle *handle = sflow_handle_find(p);
	if (handle == NULL)
		return real_pcap_datalink(p);
	int wrong = sflow_handle_state_error(handle, SFLOW_AFTER_ACTIVATION);
	if (wrong)
		return wrong;
	return sflow_datalink(handle);
}

SFLOW_API int pcap_datalink_ext(pcap_t *p)
{
	struct sflow_handle *handle = sflow_handle_find(p);
	if (handle == NULL)
		return real_pcap_datalink_ext(p);
	int wrong = sflow_handle_state_error(handle, SFLOW_AFTER_ACTIVATION);
	if (wrong)
		return wrong;
	return sflow_datalink(handle);
}

SFLOW_API int pcap_list_datalinks(pcap_t *p, int **linktypes)
{
	struct sflow_handle *handle = sflow_handle_find(p);
	if (handle == NULL)
		return real_pcap_list_datalinks(p, linktypes);
	int wrong = sflow_handle_state_error(handle, SFLOW_AFTER_ACTIVATION);
	if (wrong)
		return wrong;
	return sflow_list_datalinks(handle, linktypes);
}

SFLOW_API int pcap_set_datalink(pcap_t *p, int linktype)
{
	struct sflow_handle *handle = sflow_handle_find(p);
	if (handle == NULL)
		return real_pcap_set_datalink(p, linktype);
	return sflow_set_datalink(handle, linktype);
}

SFLOW_API int pcap_snapshot(pcap_t *p)
{
	struct sflow_handle *handle = sflow_handle_find(p);
	if (handle == NULL)
		return real_pcap_snapshot(p);
	int wrong = sflow_handle_state_error(handle, SFLOW_AFTER_ACTIVATION);
	if (wrong)
		return wrong;
	return sflow_snapshot(handle);
}

SFLOW_API int pcap_is_swapped(pcap_t *p)
{
	struct sflow_handle *handle = sflow_handle_find(p);
	if (handle == NULL)
		return real_pcap_is_swapped(p);
	int wrong = sflow_handle_state_error(handle, SFLOW_AFTER_ACTIVATION);
	if (wrong)
		return wrong;
	return sflow_is_swapped(handle);
}

SFLOW_API int pcap_major_version(pcap_t *p)
{
	struct sflow_handle *handle = sflow_handle_find(p);
	if (handle == NULL)
		return real_pcap_major_version(p);
	return sflow_major_version(handle);
}

SFLOW_API int pcap_minor_version(pcap_t *p)
{
	struct sflow_handle *handle = sflow_handle_find(p);
	if (handle == NULL)
		return real_pcap_minor_version(p);
	return sflow_minor_version(handle);
}

SFLOW_API int pcap_bufsize(pcap_t *p)
{
	struct sflow_handle *handle = sflow_handle_find(p);
	if (handle == NULL)
		return real_pcap_bufsize(p);
	int wrong = sflow_handle_state_error(handle, SFLOW_AFTER_ACTIVATION);
	if (wrong)
		return wrong;
	return sflow_bufsize(handle);
}

SFLOW_API FILE *pcap_file(pcap_t *p)
{
	struct sflow_handle *handle = sflow_handle_find(p);
	if (handle == NULL)
		return real_pcap_file(p);
	return sflow_file(handle);
}

SFLOW_API int pcap_setdirection(pcap_t *p, pcap_direction_t direction)
{
	struct sflow_handle *handle = sflow_handle_find(p);
	if (handle == NULL)
		return real_pcap_setdirection(p, direction);
	return sflow_setdirection(handle, direction);
}

SFLOW_API int pcap_inject(pcap_t *p, const void *data, size_t size)
{
	struct sflow_handle *handle = sflow_handle_find(p);
	if (handle == NULL)
		return real_pcap_inject(p, data, size);
	return sflow_inject(handle, "pcap_inject");
}

SFLOW_API int pcap_sendpacket(pcap_t *p, const u_char *data, int size)
{
	struct sflow_handle *handle = sflow_handle_find(p);
	if (handle == NULL)
		return real_pcap_sendpacket(p, data, size);
	return sflow_inject(handle, "pcap_sendpacket");
}

/* Savefiles: written by the real libpcap, shaped like what we deliver. */

SFLOW_API pcap_dumper_t *pcap_dump_open(pcap_t *p, const char *file)
{
	struct sflow_handle *handle = sflow_handle_find(p);
	if (handle == NULL)
		return real_pcap_dump_open(p, file);
	if (sflow_handle_state_error(handle, SFLOW_AFTER_ACTIVATION))
		return NULL;
	return sflow_dump_open(handle, file);
}

SFLOW_API pcap_dumper_t *pcap_dump_open_append(pcap_t *p, const char *file)
{
	struct sflow_handle *handle = sflow_handle_find(p);
	if (handle == NULL)
		return real_pcap_dump_open_append(p, file);
	if (sflow_handle_state_error(handle, SFLOW_AFTER_ACTIVATION))
		return NULL;
	return sflow_dump_open_append(handle, file);
}

SFLOW_API pcap_dumper_t *pcap_dump_fopen(pcap_t *p, FILE *file)
{
	struct sflow_handle *handle = sflow_handle_find(p);
	if (handle == NULL)
		return real_pcap_dump_fopen(p, file);
	if (sflow_handle_state_error(handle, SFLOW_AFTER_ACTIVATION))
		return NULL;
	return sflow_dump_fopen(handle, file);
}

SFLOW_API void pcap_close(pcap_t *p)
{
	struct sflow_handle *handle = sflow_handle_find(p);
	if (handle == NULL)
		real_pcap_close(p);
	else
		sflow_close(handle);
}
