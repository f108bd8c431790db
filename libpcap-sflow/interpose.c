/* SPDX-License-Identifier: BSD-3-Clause */
/* Symbol interposition, and nothing else: this object is preloaded ahead of
 * the system libpcap, so the public pcap_* functions below are the ones a
 * program calls. Each finds our handle (or sees an sflow device name),
 * checks the handle is in the state the call needs, and calls one module
 * operation (module.h); everything else goes to the real libpcap
 * untouched. */
#include <config.h>
#include <stdio.h>

#include "module.h"
#include "real_pcap.h"

#define SFLOW_API __attribute__((visibility("default")))

/* Routes a call on p: to the real libpcap when p is not ours; else, when
 * our handle is in the state the call needs, to operation; else returns
 * on_wrong_state, which may be `wrong`, the state's own error code. The
 * activation rule lives in sflow_handle_state_error alone. */
#define ROUTE(real_call, state, on_wrong_state, operation_call) \
	struct sflow_handle *handle = sflow_handle_find(p); \
	if (handle == NULL) \
		return real_call; \
	int wrong = sflow_handle_state_error(handle, state); \
	if (wrong) \
		return on_wrong_state; \
	return operation_call

#define BEFORE SFLOW_BEFORE_ACTIVATION
#define AFTER SFLOW_AFTER_ACTIVATION
#define ANY SFLOW_ANY_STATE

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

#define SETTING(name, operation) \
	SFLOW_API int name(pcap_t *p, int value) \
	{ \
		ROUTE(real_##name(p, value), BEFORE, wrong, operation(handle, value)); \
	}

SETTING(pcap_set_snaplen, sflow_set_snaplen)
SETTING(pcap_set_promisc, sflow_set_promisc)
SETTING(pcap_set_rfmon, sflow_set_rfmon)
SETTING(pcap_set_timeout, sflow_set_timeout)
SETTING(pcap_set_immediate_mode, sflow_set_immediate_mode)
SETTING(pcap_set_buffer_size, sflow_set_buffer_size)
SETTING(pcap_set_tstamp_precision, sflow_set_tstamp_precision)
SETTING(pcap_set_tstamp_type, sflow_set_tstamp_type)
SETTING(pcap_set_protocol_linux, sflow_set_protocol_linux)

SFLOW_API int pcap_get_tstamp_precision(pcap_t *p)
{
	ROUTE(real_pcap_get_tstamp_precision(p), ANY, wrong, sflow_get_tstamp_precision(handle));
}

SFLOW_API int pcap_list_tstamp_types(pcap_t *p, int **types)
{
	ROUTE(real_pcap_list_tstamp_types(p, types), ANY, wrong,
	      sflow_list_tstamp_types(handle, types));
}

SFLOW_API int pcap_can_set_rfmon(pcap_t *p)
{
	ROUTE(real_pcap_can_set_rfmon(p), ANY, wrong, sflow_can_set_rfmon(handle));
}

SFLOW_API int pcap_activate(pcap_t *p)
{
	ROUTE(real_pcap_activate(p), BEFORE, wrong, sflow_activate(handle));
}

/* Reading. */

SFLOW_API int pcap_loop(pcap_t *p, int cnt, pcap_handler callback, u_char *user)
{
	ROUTE(real_pcap_loop(p, cnt, callback, user), AFTER, wrong,
	      sflow_loop(handle, cnt, callback, user));
}

SFLOW_API int pcap_dispatch(pcap_t *p, int cnt, pcap_handler callback, u_char *user)
{
	ROUTE(real_pcap_dispatch(p, cnt, callback, user), AFTER, wrong,
	      sflow_dispatch(handle, cnt, callback, user));
}

SFLOW_API int pcap_next_ex(pcap_t *p, struct pcap_pkthdr **header, const u_char **data)
{
	ROUTE(real_pcap_next_ex(p, header, data), AFTER, wrong,
	      sflow_next_ex(handle, header, data));
}

SFLOW_API const u_char *pcap_next(pcap_t *p, struct pcap_pkthdr *header)
{
	ROUTE(real_pcap_next(p, header), AFTER, NULL, sflow_next(handle, header));
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
	ROUTE(real_pcap_setfilter(p, program), AFTER, wrong, sflow_setfilter(handle, program));
}

SFLOW_API int pcap_compile(pcap_t *p, struct bpf_program *program, const char *text,
			   int optimize, bpf_u_int32 netmask)
{
	ROUTE(real_pcap_compile(p, program, text, optimize, netmask), AFTER, PCAP_ERROR,
	      sflow_compile(handle, program, text, optimize, netmask));
}

SFLOW_API int pcap_getnonblock(pcap_t *p, char *errbuf)
{
	ROUTE(real_pcap_getnonblock(p, errbuf), ANY, wrong, sflow_getnonblock(handle));
}

SFLOW_API int pcap_setnonblock(pcap_t *p, int nonblock, char *errbuf)
{
	ROUTE(real_pcap_setnonblock(p, nonblock, errbuf), ANY, wrong,
	      sflow_setnonblock(handle, nonblock));
}

SFLOW_API int pcap_stats(pcap_t *p, struct pcap_stat *stats)
{
	ROUTE(real_pcap_stats(p, stats), AFTER, wrong, sflow_stats(handle, stats));
}

SFLOW_API int pcap_get_selectable_fd(pcap_t *p)
{
	ROUTE(real_pcap_get_selectable_fd(p), AFTER, -1, sflow_selectable_fd(handle));
}

SFLOW_API int pcap_fileno(pcap_t *p)
{
	ROUTE(real_pcap_fileno(p), AFTER, -1, sflow_selectable_fd(handle));
}

SFLOW_API const struct timeval *pcap_get_required_select_timeout(pcap_t *p)
{
	/* The selectable descriptor is readable whenever packets wait. */
	ROUTE(real_pcap_get_required_select_timeout(p), ANY, NULL, NULL);
}

/* What the handle is. */

SFLOW_API int pcap_datalink(pcap_t *p)
{
	ROUTE(real_pcap_datalink(p), AFTER, wrong, sflow_datalink(handle));
}

SFLOW_API int pcap_datalink_ext(pcap_t *p)
{
	ROUTE(real_pcap_datalink_ext(p), AFTER, wrong, sflow_datalink(handle));
}

SFLOW_API int pcap_list_datalinks(pcap_t *p, int **linktypes)
{
	ROUTE(real_pcap_list_datalinks(p, linktypes), AFTER, wrong,
	      sflow_list_datalinks(handle, linktypes));
}

SFLOW_API int pcap_set_datalink(pcap_t *p, int linktype)
{
	ROUTE(real_pcap_set_datalink(p, linktype), ANY, wrong,
	      sflow_set_datalink(handle, linktype));
}

SFLOW_API int pcap_snapshot(pcap_t *p)
{
	ROUTE(real_pcap_snapshot(p), AFTER, wrong, sflow_snapshot(handle));
}

SFLOW_API int pcap_is_swapped(pcap_t *p)
{
	ROUTE(real_pcap_is_swapped(p), AFTER, wrong, sflow_is_swapped(handle));
}

SFLOW_API int pcap_major_version(pcap_t *p)
{
	ROUTE(real_pcap_major_version(p), ANY, wrong, sflow_major_version(handle));
}

SFLOW_API int pcap_minor_version(pcap_t *p)
{
	ROUTE(real_pcap_minor_version(p), ANY, wrong, sflow_minor_version(handle));
}

SFLOW_API int pcap_bufsize(pcap_t *p)
{
	ROUTE(real_pcap_bufsize(p), AFTER, wrong, sflow_bufsize(handle));
}

SFLOW_API FILE *pcap_file(pcap_t *p)
{
	ROUTE(real_pcap_file(p), ANY, NULL, sflow_file(handle));
}

SFLOW_API int pcap_setdirection(pcap_t *p, pcap_direction_t direction)
{
	ROUTE(real_pcap_setdirection(p, direction), ANY, wrong,
	      sflow_setdirection(handle, direction));
}

SFLOW_API int pcap_inject(pcap_t *p, const void *data, size_t size)
{
	ROUTE(real_pcap_inject(p, data, size), ANY, wrong, sflow_inject(handle, "pcap_inject"));
}

SFLOW_API int pcap_sendpacket(pcap_t *p, const u_char *data, int size)
{
	ROUTE(real_pcap_sendpacket(p, data, size), ANY, wrong, sflow_inject(handle, "pcap_sendpacket"));
}

/* Savefiles: written by the real libpcap, shaped like what we deliver. */

SFLOW_API pcap_dumper_t *pcap_dump_open(pcap_t *p, const char *file)
{
	ROUTE(real_pcap_dump_open(p, file), AFTER, NULL, sflow_dump_open(handle, file));
}

SFLOW_API pcap_dumper_t *pcap_dump_open_append(pcap_t *p, const char *file)
{
	ROUTE(real_pcap_dump_open_append(p, file), AFTER, NULL,
	      sflow_dump_open_append(handle, file));
}

SFLOW_API pcap_dumper_t *pcap_dump_fopen(pcap_t *p, FILE *file)
{
	ROUTE(real_pcap_dump_fopen(p, file), AFTER, NULL, sflow_dump_fopen(handle, file));
}

SFLOW_API void pcap_close(pcap_t *p)
{
	struct sflow_handle *handle = sflow_handle_find(p);
	if (handle == NULL)
		real_pcap_close(p);
	else
		sflow_close(handle);
}
