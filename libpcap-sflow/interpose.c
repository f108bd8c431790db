/* Symbol interposition: this object is preloaded ahead of the system
 * libpcap, so the public pcap_* functions below are the ones a program
 * calls. Each routes calls on our handles (and sflow device names) to the
 * module and passes everything else to the real libpcap untouched. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "module.h"
#include "real_pcap.h"

#define SFLOW_API __attribute__((visibility("default")))

/* Declares `handle` for p, or returns what the real libpcap says. */
#define OURS_OR_REAL(name, args) \
	struct sflow_handle *handle = sflow_handle_find(p); \
	if (handle == NULL) \
		return real_##name args

static int activated_error(struct sflow_handle *handle)
{
	sflow_handle_error(handle, "%s: can't change this setting after activation", handle->name);
	return PCAP_ERROR_ACTIVATED;
}

static int not_activated(struct sflow_handle *handle)
{
	if (handle->activated)
		return 0;
	sflow_handle_error(handle, "%s: this handle hasn't been activated yet", handle->name);
	return 1;
}

static int unsupported(struct sflow_handle *handle, const char *what)
{
	sflow_handle_error(handle, "%s: %s is not supported on an sFlow capture",
			   handle->name, what);
	return PCAP_ERROR;
}

/* Copies a failure's message from the shape handle to the program's. */
static void copy_shape_error(struct sflow_handle *handle)
{
	sflow_handle_error(handle, "%s", pcap_geterr(handle->shape));
}

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
	struct sflow_handle *handle = sflow_create(device, errbuf);
	if (handle == NULL)
		return NULL;
	handle->settings.snaplen = snaplen;
	handle->settings.promisc = promisc;
	handle->settings.timeout_ms = to_ms;
	if (sflow_activate(handle) < 0) {
		snprintf(errbuf, PCAP_ERRBUF_SIZE, "%s", pcap_geterr(handle->pcap));
		sflow_handle_free(handle);
		return NULL;
	}
	return handle->pcap;
}

SFLOW_API int pcap_lookupnet(const char *device, bpf_u_int32 *net, bpf_u_int32 *mask,
			     char *errbuf)
{
	if (!sflow_device_is_ours(device))
		return real_pcap_lookupnet(device, net, mask, errbuf);
	/* Sampled packets come from anywhere: there is no local network. */
	*net = *mask = 0;
	return 0;
}

SFLOW_API int pcap_findalldevs(pcap_if_t **devices, char *errbuf)
{
	int status = real_pcap_findalldevs(devices, errbuf);
	if (status < 0)
		return status;
	return sflow_findalldevs_append(devices, errbuf);
}

/* Settings before activation. */

#define SETTING(name, field) \
	SFLOW_API int name(pcap_t *p, int value) \
	{ \
		OURS_OR_REAL(name, (p, value)); \
		if (handle->activated) \
			return activated_error(handle); \
		handle->settings.field = value; \
		return 0; \
	}

SETTING(pcap_set_snaplen, snaplen)
SETTING(pcap_set_promisc, promisc)
SETTING(pcap_set_rfmon, rfmon)
SETTING(pcap_set_timeout, timeout_ms)
SETTING(pcap_set_immediate_mode, immediate)
SETTING(pcap_set_buffer_size, buffer_size)

SFLOW_API int pcap_set_tstamp_precision(pcap_t *p, int precision)
{
	OURS_OR_REAL(pcap_set_tstamp_precision, (p, precision));
	if (handle->activated)
		return activated_error(handle);
	if (precision != PCAP_TSTAMP_PRECISION_MICRO && precision != PCAP_TSTAMP_PRECISION_NANO)
		return PCAP_ERROR_TSTAMP_PRECISION_NOTSUP;
	handle->settings.tstamp_precision = precision;
	return 0;
}

SFLOW_API int pcap_get_tstamp_precision(pcap_t *p)
{
	OURS_OR_REAL(pcap_get_tstamp_precision, (p));
	return handle->settings.tstamp_precision;
}

SFLOW_API int pcap_set_tstamp_type(pcap_t *p, int type)
{
	OURS_OR_REAL(pcap_set_tstamp_type, (p, type));
	if (handle->activated)
		return activated_error(handle);
	/* Time stamps come from the host's clock as datagrams arrive. */
	return type == PCAP_TSTAMP_HOST ? 0 : PCAP_WARNING_TSTAMP_TYPE_NOTSUP;
}

SFLOW_API int pcap_list_tstamp_types(pcap_t *p, int **types)
{
	OURS_OR_REAL(pcap_list_tstamp_types, (p, types));
	*types = malloc(sizeof **types);
	if (*types == NULL)
		return PCAP_ERROR;
	**types = PCAP_TSTAMP_HOST;
	return 1;
}

SFLOW_API int pcap_set_protocol_linux(pcap_t *p, int protocol)
{
	OURS_OR_REAL(pcap_set_protocol_linux, (p, protocol));
	/* A packet socket's protocol has no meaning for a UDP feed. */
	return handle->activated ? activated_error(handle) : 0;
}

SFLOW_API int pcap_can_set_rfmon(pcap_t *p)
{
	OURS_OR_REAL(pcap_can_set_rfmon, (p));
	return 0;
}

SFLOW_API int pcap_activate(pcap_t *p)
{
	OURS_OR_REAL(pcap_activate, (p));
	return sflow_activate(handle);
}

/* Reading. */

SFLOW_API int pcap_loop(pcap_t *p, int cnt, pcap_handler callback, u_char *user)
{
	OURS_OR_REAL(pcap_loop, (p, cnt, callback, user));
	if (not_activated(handle))
		return PCAP_ERROR_NOT_ACTIVATED;
	return sflow_loop(handle, cnt, callback, user);
}

SFLOW_API int pcap_dispatch(pcap_t *p, int cnt, pcap_handler callback, u_char *user)
{
	OURS_OR_REAL(pcap_dispatch, (p, cnt, callback, user));
	if (not_activated(handle))
		return PCAP_ERROR_NOT_ACTIVATED;
	return sflow_dispatch(handle, cnt, callback, user);
}

SFLOW_API int pcap_next_ex(pcap_t *p, struct pcap_pkthdr **header, const u_char **data)
{
	OURS_OR_REAL(pcap_next_ex, (p, header, data));
	if (not_activated(handle))
		return PCAP_ERROR_NOT_ACTIVATED;
	return sflow_next_ex(handle, header, data);
}

SFLOW_API const u_char *pcap_next(pcap_t *p, struct pcap_pkthdr *header)
{
	OURS_OR_REAL(pcap_next, (p, header));
	struct pcap_pkthdr *next_header;
	const u_char *data;
	if (not_activated(handle) || sflow_next_ex(handle, &next_header, &data) != 1)
		return NULL;
	*header = *next_header;
	return data;
}

/* Async-signal-safe: programs call it from SIGINT handlers. */
SFLOW_API void pcap_breakloop(pcap_t *p)
{
	struct sflow_handle *handle = sflow_handle_find(p);
	if (handle == NULL) {
		real_pcap_breakloop(p);
		return;
	}
	handle->break_loop = 1;
	sflow_socket_wake(&handle->socket);
}

SFLOW_API int pcap_setfilter(pcap_t *p, struct bpf_program *program)
{
	OURS_OR_REAL(pcap_setfilter, (p, program));
	if (not_activated(handle))
		return PCAP_ERROR_NOT_ACTIVATED;
	return sflow_setfilter(handle, program);
}

SFLOW_API int pcap_compile(pcap_t *p, struct bpf_program *program, const char *text,
			   int optimize, bpf_u_int32 netmask)
{
	OURS_OR_REAL(pcap_compile, (p, program, text, optimize, netmask));
	if (not_activated(handle))
		return PCAP_ERROR;
	int status = real_pcap_compile(handle->shape, program, text, optimize, netmask);
	if (status < 0)
		copy_shape_error(handle);
	return status;
}

SFLOW_API int pcap_getnonblock(pcap_t *p, char *errbuf)
{
	OURS_OR_REAL(pcap_getnonblock, (p, errbuf));
	return handle->nonblock;
}

SFLOW_API int pcap_setnonblock(pcap_t *p, int nonblock, char *errbuf)
{
	OURS_OR_REAL(pcap_setnonblock, (p, nonblock, errbuf));
	handle->nonblock = nonblock != 0;
	return 0;
}

SFLOW_API int pcap_stats(pcap_t *p, struct pcap_stat *stats)
{
	OURS_OR_REAL(pcap_stats, (p, stats));
	return sflow_stats(handle, stats);
}

/* What the handle is. */

SFLOW_API int pcap_datalink(pcap_t *p)
{
	OURS_OR_REAL(pcap_datalink, (p));
	return not_activated(handle) ? PCAP_ERROR_NOT_ACTIVATED : handle->linktype;
}

SFLOW_API int pcap_datalink_ext(pcap_t *p)
{
	OURS_OR_REAL(pcap_datalink_ext, (p));
	return not_activated(handle) ? PCAP_ERROR_NOT_ACTIVATED : handle->linktype;
}

SFLOW_API int pcap_list_datalinks(pcap_t *p, int **linktypes)
{
	OURS_OR_REAL(pcap_list_datalinks, (p, linktypes));
	if (not_activated(handle))
		return PCAP_ERROR_NOT_ACTIVATED;
	return sflow_list_datalinks(handle, linktypes);
}

SFLOW_API int pcap_set_datalink(pcap_t *p, int linktype)
{
	OURS_OR_REAL(pcap_set_datalink, (p, linktype));
	return sflow_set_datalink(handle, linktype);
}

SFLOW_API int pcap_snapshot(pcap_t *p)
{
	OURS_OR_REAL(pcap_snapshot, (p));
	return not_activated(handle) ? PCAP_ERROR_NOT_ACTIVATED : handle->settings.snaplen;
}

SFLOW_API int pcap_is_swapped(pcap_t *p)
{
	OURS_OR_REAL(pcap_is_swapped, (p));
	return not_activated(handle) ? PCAP_ERROR_NOT_ACTIVATED : 0;
}

SFLOW_API int pcap_major_version(pcap_t *p)
{
	OURS_OR_REAL(pcap_major_version, (p));
	return PCAP_VERSION_MAJOR;
}

SFLOW_API int pcap_minor_version(pcap_t *p)
{
	OURS_OR_REAL(pcap_minor_version, (p));
	return PCAP_VERSION_MINOR;
}

SFLOW_API int pcap_bufsize(pcap_t *p)
{
	OURS_OR_REAL(pcap_bufsize, (p));
	return not_activated(handle) ? PCAP_ERROR_NOT_ACTIVATED : handle->settings.buffer_size;
}

SFLOW_API FILE *pcap_file(pcap_t *p)
{
	OURS_OR_REAL(pcap_file, (p));
	return NULL;
}

SFLOW_API int pcap_get_selectable_fd(pcap_t *p)
{
	OURS_OR_REAL(pcap_get_selectable_fd, (p));
	return handle->activated ? sflow_socket_selectable(&handle->socket) : -1;
}

SFLOW_API int pcap_fileno(pcap_t *p)
{
	OURS_OR_REAL(pcap_fileno, (p));
	return handle->activated ? sflow_socket_selectable(&handle->socket) : -1;
}

SFLOW_API const struct timeval *pcap_get_required_select_timeout(pcap_t *p)
{
	OURS_OR_REAL(pcap_get_required_select_timeout, (p));
	/* The socket is selectable as it is. */
	return NULL;
}

/* What an sFlow feed cannot do. */

SFLOW_API int pcap_setdirection(pcap_t *p, pcap_direction_t direction)
{
	OURS_OR_REAL(pcap_setdirection, (p, direction));
	if (direction != PCAP_D_IN && direction != PCAP_D_OUT && direction != PCAP_D_INOUT) {
		sflow_handle_error(handle, "%s: no such direction", handle->name);
		return PCAP_ERROR;
	}
	handle->direction = direction;
	return 0;
}

SFLOW_API int pcap_inject(pcap_t *p, const void *data, size_t size)
{
	OURS_OR_REAL(pcap_inject, (p, data, size));
	return unsupported(handle, "sending packets");
}

SFLOW_API int pcap_sendpacket(pcap_t *p, const u_char *data, int size)
{
	OURS_OR_REAL(pcap_sendpacket, (p, data, size));
	return unsupported(handle, "sending packets");
}

/* Savefiles: written by the real libpcap, shaped like what we deliver. */

#define DUMP_OPEN(name, type, target) \
	SFLOW_API pcap_dumper_t *name(pcap_t *p, type target) \
	{ \
		OURS_OR_REAL(name, (p, target)); \
		if (not_activated(handle)) \
			return NULL; \
		pcap_dumper_t *dumper = real_##name(handle->shape, target); \
		if (dumper == NULL) \
			copy_shape_error(handle); \
		return dumper; \
	}

DUMP_OPEN(pcap_dump_open, const char *, file)
DUMP_OPEN(pcap_dump_open_append, const char *, file)
DUMP_OPEN(pcap_dump_fopen, FILE *, file)

SFLOW_API void pcap_close(pcap_t *p)
{
	struct sflow_handle *handle = sflow_handle_find(p);
	if (handle == NULL) {
		real_pcap_close(p);
		return;
	}
	sflow_report_counters(handle);
	sflow_handle_free(handle);
}
