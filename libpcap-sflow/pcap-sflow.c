/* SPDX-License-Identifier: BSD-3-Clause */
/* The sflow capture module's operations, as a libpcap module keeps them
 * (pcap-netfilter-linux.c, pcap-dbus.c): one file, over the private state
 * of handle.h. interpose.c routes each pcap_* call on our handles here
 * (module.h), after checking the handle is in the state the call needs,
 * so no operation checks it. The read path, the one part that runs per
 * datagram, is read.c; the pure core (sflow_decode.c, select.c,
 * framing.c, synth.c, loss.c, device.c, udp_extract.c, reassembly.c) and
 * the thin I/O (the datagram sources of source.h,
 * forward.c) are called from there and from activation here. */
#include <config.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "module.h"
#include "real_pcap.h"
#include "sizes.h"

/* The shape of what we deliver, kept as a dead pcap_t of the real libpcap
 * (link type, snap length, time stamp precision), so that the real
 * pcap_compile and the real savefile writer see exactly our packets. */
static int sflow_reshape(struct sflow_handle *handle);

/* With SFLOW_STATS=1 in the environment, prints every counter to stderr. */
static void sflow_report_counters(const struct sflow_handle *handle);

/* A handle's life: pcap_create with libpcap's defaults, pcap_open_live,
 * pcap_close. */

struct sflow_handle *sflow_create(const char *device_name, char *errbuf)
{
	struct sflow_device device;

	if (sflow_device_parse(device_name, &device, errbuf, PCAP_ERRBUF_SIZE) < 0)
		return NULL;
	struct sflow_handle *handle = sflow_handle_new(device_name, errbuf);
	if (handle == NULL)
		return NULL;
	handle->device = device;
	handle->linktype = DLT_EN10MB;
	handle->direction = SFLOW_DIRECTION_UNKNOWN;
	handle->settings = (struct sflow_settings){
		.snaplen = SFLOW_DEFAULT_SNAPLEN,
		.timeout_ms = 0,
		.buffer_size = SFLOW_DEFAULT_BUFFER_SIZE,
		.tstamp_precision = PCAP_TSTAMP_PRECISION_MICRO,
	};
	return handle;
}

struct sflow_handle *sflow_open_live(const char *device_name, int snaplen, int promisc,
				     int timeout_ms, char *errbuf)
{
	struct sflow_handle *handle = sflow_create(device_name, errbuf);
	if (handle == NULL)
		return NULL;
	handle->settings.snaplen = snaplen;
	(void)promisc;          /* every sample is delivered: see sflow_set_promisc */
	handle->settings.timeout_ms = timeout_ms;
	if (sflow_activate(handle) < 0) {
		snprintf(errbuf, PCAP_ERRBUF_SIZE, "%s", pcap_geterr(handle->pcap));
		sflow_handle_free(handle);
		return NULL;
	}
	return handle;
}

void sflow_close(struct sflow_handle *handle)
{
	/* What was received and never delivered is dropped now, counted. */
	sflow_drain(handle);
	sflow_report_counters(handle);
	sflow_handle_free(handle);
}

/* Settings a program makes on a handle, and what it asks of them: snap
 * length, timeout, immediate mode, buffer, time stamps, direction. */

/* Stored now, applied by sflow_activate. */

int sflow_set_snaplen(struct sflow_handle *handle, int snaplen)
{
	handle->settings.snaplen = snaplen;
	return 0;
}

int sflow_set_promisc(struct sflow_handle *handle, int promisc)
{
	(void)handle, (void)promisc;
	/* The agents choose what is sampled: a collector has nothing to make
	 * promiscuous, and every sample is delivered either way. */
	return 0;
}

int sflow_set_rfmon(struct sflow_handle *handle, int rfmon)
{
	handle->settings.rfmon = rfmon;
	return 0;
}

int sflow_set_timeout(struct sflow_handle *handle, int timeout_ms)
{
	handle->settings.timeout_ms = timeout_ms;
	return 0;
}

int sflow_set_immediate_mode(struct sflow_handle *handle, int immediate)
{
	handle->settings.immediate = immediate;
	return 0;
}

int sflow_set_buffer_size(struct sflow_handle *handle, int size)
{
	handle->settings.buffer_size = size;
	return 0;
}

int sflow_set_tstamp_precision(struct sflow_handle *handle, int precision)
{
	if (precision != PCAP_TSTAMP_PRECISION_MICRO && precision != PCAP_TSTAMP_PRECISION_NANO)
		return PCAP_ERROR_TSTAMP_PRECISION_NOTSUP;
	handle->settings.tstamp_precision = precision;
	return 0;
}

int sflow_get_tstamp_precision(struct sflow_handle *handle)
{
	return handle->settings.tstamp_precision;
}

int sflow_set_tstamp_type(struct sflow_handle *handle, int type)
{
	(void)handle;
	/* Time stamps come from the host's clock as datagrams arrive. */
	return type == PCAP_TSTAMP_HOST ? 0 : PCAP_WARNING_TSTAMP_TYPE_NOTSUP;
}

int sflow_list_tstamp_types(struct sflow_handle *handle, int **types)
{
	(void)handle;
	*types = malloc(sizeof **types);
	if (*types == NULL)
		return PCAP_ERROR;
	**types = PCAP_TSTAMP_HOST;
	return 1;
}

int sflow_set_protocol_linux(struct sflow_handle *handle, int protocol)
{
	(void)handle, (void)protocol;
	/* A packet socket's protocol has no meaning for a UDP feed. */
	return 0;
}

int sflow_can_set_rfmon(struct sflow_handle *handle)
{
	(void)handle;
	return 0;       /* an sFlow feed has no monitor mode */
}

int sflow_snapshot(struct sflow_handle *handle)
{
	return handle->settings.snaplen;
}

int sflow_bufsize(struct sflow_handle *handle)
{
	return handle->settings.buffer_size;
}

/* -Q, which libpcap allows before and after activation: read.c selects
 * on each sample's direction. */
int sflow_setdirection(struct sflow_handle *handle, pcap_direction_t direction)
{
	/* libpcap's spelling, translated here once. */
	switch (direction) {
	case PCAP_D_IN:
		handle->direction = SFLOW_DIRECTION_IN;
		break;
	case PCAP_D_OUT:
		handle->direction = SFLOW_DIRECTION_OUT;
		break;
	case PCAP_D_INOUT:
		handle->direction = SFLOW_DIRECTION_UNKNOWN;
		break;
	default:
		sflow_handle_error(handle, "%s: no such direction", handle->name);
		return PCAP_ERROR;
	}
	sflow_admission_changed(handle);
	return 0;
	return 0;
}

/* pcap_activate: the datagram source and buffers; and what an activated handle is
 * (its link types, byte order, version). */

int sflow_activate(struct sflow_handle *handle)
{
	struct sflow_settings *settings = &handle->settings;

	if (settings->rfmon) {
		sflow_handle_error(handle, "%s: an sFlow feed has no monitor mode", handle->name);
		return PCAP_ERROR_RFMON_NOTSUP;
	}
	/* libpcap's rule: a snap length out of range means the maximum. */
	if (settings->snaplen <= 0 || settings->snaplen > SFLOW_MAX_SNAPLEN)
		settings->snaplen = SFLOW_MAX_SNAPLEN;

	char error[PCAP_ERRBUF_SIZE];
	if (sflow_source_open(&handle->source, &handle->device, handle->name,
			      settings->buffer_size, error, sizeof error) < 0) {
		sflow_handle_error(handle, "%s", error);
		return PCAP_ERROR;
	}
	/* Only a bound socket can be a forward= target's own port; sniff= and
	 * file= receive nothing themselves. */
	int receive_fd = handle->source.kind == SFLOW_SOURCE_SOCKET ? handle->source.fd : -1;
	if (sflow_forward_open(&handle->forward, &handle->device, receive_fd,
			       SFLOW_BATCH_DATAGRAMS, handle->name, error, sizeof error) < 0) {
		sflow_handle_error(handle, "%s", error);
		return PCAP_ERROR;
	}
	handle->batch = sflow_batch_new(SFLOW_BATCH_DATAGRAMS, SFLOW_SLOT_SIZE);
	handle->queue.capacity = SFLOW_QUEUE_CAPACITY;
	handle->queue.packets = calloc(handle->queue.capacity, sizeof *handle->queue.packets);
	handle->assembly = malloc(SFLOW_ASSEMBLY_SIZE);
	if (handle->batch == NULL || handle->queue.packets == NULL || handle->assembly == NULL ||
	    sflow_loss_init(&handle->loss) < 0) {
		sflow_handle_error(handle, "%s: out of memory", handle->name);
		return PCAP_ERROR;
	}
	if (sflow_reshape(handle) < 0)
		return PCAP_ERROR;
	handle->activated = 1;
	return 0;
}

int sflow_list_datalinks(struct sflow_handle *handle, int **linktypes)
{
	/* Framing knows which link types it can produce. */
	size_t count = sflow_framing_linktype_count();
	*linktypes = malloc(count * sizeof **linktypes);
	if (*linktypes == NULL) {
		sflow_handle_error(handle, "%s: out of memory", handle->name);
		return PCAP_ERROR;
	}
	for (size_t i = 0; i < count; i++)
		(*linktypes)[i] = sflow_framing_linktype(i);
	return (int)count;
}

int sflow_set_datalink(struct sflow_handle *handle, int linktype)
{
	for (size_t i = 0; i < sflow_framing_linktype_count(); i++) {
		if (sflow_framing_linktype(i) == linktype) {
			handle->linktype = linktype;
			if (!handle->activated)
				return 0;
			sflow_admission_changed(handle);
			return sflow_reshape(handle);
		}
	}
	const char *name = pcap_datalink_val_to_name(linktype);
	sflow_handle_error(handle, "%s: link type %s is not offered by sflow devices (see tcpdump -L)",
			   handle->name, name ? name : "unknown");
	return PCAP_ERROR;
}

int sflow_datalink(struct sflow_handle *handle)
{
	return handle->linktype;
}

int sflow_is_swapped(struct sflow_handle *handle)
{
	(void)handle;
	return 0;       /* packets are handed over as they were sampled */
}

/* A live capture reports the libpcap version it was built with, as the
 * real one does. */
int sflow_major_version(struct sflow_handle *handle)
{
	(void)handle;
	return PCAP_VERSION_MAJOR;
}

int sflow_minor_version(struct sflow_handle *handle)
{
	(void)handle;
	return PCAP_VERSION_MINOR;
}

FILE *sflow_file(struct sflow_handle *handle)
{
	(void)handle;
	return NULL;    /* not a savefile */
}

/* The shape handle (above): filters and savefiles. */

static int sflow_reshape(struct sflow_handle *handle)
{
	pcap_t *shape = pcap_open_dead_with_tstamp_precision(
		handle->linktype, handle->settings.snaplen, handle->settings.tstamp_precision);
	if (shape == NULL) {
		sflow_handle_error(handle, "%s: out of memory", handle->name);
		return PCAP_ERROR;
	}
	if (handle->shape != NULL)
		real_pcap_close(handle->shape);
	handle->shape = shape;
	return 0;
}

/* Copies a failure's message from the shape handle to the program's. */
static void copy_shape_error(struct sflow_handle *handle)
{
	sflow_handle_error(handle, "%s", pcap_geterr(handle->shape));
}

int sflow_compile(struct sflow_handle *handle, struct bpf_program *program, const char *text,
		  int optimize, bpf_u_int32 netmask)
{
	int status = real_pcap_compile(handle->shape, program, text, optimize, netmask);
	if (status < 0)
		copy_shape_error(handle);
	return status;
}

/* Savefiles are the real libpcap's, opened on the shape handle. */
pcap_dumper_t *sflow_dump_open(struct sflow_handle *handle, const char *file)
{
	pcap_dumper_t *dumper = real_pcap_dump_open(handle->shape, file);
	if (dumper == NULL)
		copy_shape_error(handle);
	return dumper;
}

pcap_dumper_t *sflow_dump_open_append(struct sflow_handle *handle, const char *file)
{
	pcap_dumper_t *dumper = real_pcap_dump_open_append(handle->shape, file);
	if (dumper == NULL)
		copy_shape_error(handle);
	return dumper;
}

pcap_dumper_t *sflow_dump_fopen(struct sflow_handle *handle, FILE *file)
{
	pcap_dumper_t *dumper = real_pcap_dump_fopen(handle->shape, file);
	if (dumper == NULL)
		copy_shape_error(handle);
	return dumper;
}

/* Reading's settings: the filter, blocking, the descriptor to wait on. */

/* A program of one "ret #k" with k nonzero: what tcpdump and most
 * programs compile when given no expression. The read path only asks
 * whether the filter returns 0, so such a program is kept as no filter,
 * and a packet costs no bpf_filter call. */
static int accepts_all(const struct bpf_program *program)
{
	return program->bf_len == 1 &&
	       program->bf_insns[0].code == (BPF_RET | BPF_K) && program->bf_insns[0].k != 0;
}

int sflow_setfilter(struct sflow_handle *handle, const struct bpf_program *program)
{
	struct bpf_insn *copy = NULL;
	size_t size = program->bf_len * sizeof *program->bf_insns;

	if (program->bf_len > 0 && !accepts_all(program)) {
		copy = malloc(size);
		if (copy == NULL) {
			sflow_handle_error(handle, "%s: out of memory", handle->name);
			return PCAP_ERROR;
		}
		memcpy(copy, program->bf_insns, size);
	}
	free(handle->filter.bf_insns);
	handle->filter.bf_insns = copy;
	handle->filter.bf_len = copy != NULL ? program->bf_len : 0;
	return 0;
}

int sflow_getnonblock(struct sflow_handle *handle)
{
	return handle->nonblock;
}

int sflow_setnonblock(struct sflow_handle *handle, int nonblock)
{
	handle->nonblock = nonblock != 0;
	return 0;
}

int sflow_selectable_fd(struct sflow_handle *handle)
{
	return sflow_source_selectable(&handle->source);
}

/* An sFlow feed is receive-only; the message names the call. */
int sflow_inject(struct sflow_handle *handle, const char *call)
{
	sflow_handle_error(handle, "%s: %s is not supported on an sFlow capture (it only receives)",
			   handle->name, call);
	return PCAP_ERROR;
}

/* pcap_stats, and the SFLOW_STATS report printed from the counter table. */

/* One row of the table generated from SFLOW_COUNTERS. */
struct sflow_counter_info {
	const char *name;
	const char *layer;
	const char *meaning;
	size_t offset;          /* of its field in struct sflow_counters */
};

static const struct sflow_counter_info sflow_counter_table[] = {
#define SFLOW_COUNTER_ROW(layer, name, meaning) \
	{ #name, #layer, meaning, offsetof(struct sflow_counters, layer.name) },
	SFLOW_COUNTERS(SFLOW_COUNTER_ROW)
#undef SFLOW_COUNTER_ROW
};
static const size_t sflow_counter_count =
	sizeof sflow_counter_table / sizeof sflow_counter_table[0];

/* pcap_stat holds 32-bit counters and ours have 64 bits. Past 2^32 - 1
 * they stay there rather than wrap as libpcap's do: a wrapped count
 * would show a small number of drops after billions, a saturated one
 * still says "at least this many" (SFLOW_STATS prints all 64 bits). */
static u_int saturated(uint64_t count)
{
	return count > UINT32_MAX ? UINT32_MAX : (u_int)count;
}

int sflow_stats(struct sflow_handle *handle, struct pcap_stat *stats)
{
	const struct sflow_counters *counters = &handle->counters;

	stats->ps_recv = saturated(counters->read.packets_received);
	/* Samples lost anywhere between the agent and us, seen as gaps in
	 * the sources' sequence numbers (the socket's own datagram drops
	 * are among them and stay visible in SFLOW_STATS); and, once the
	 * loop ended (pcap_breakloop, as on Ctrl-C, or its count reached)
	 * with a batch part delivered, those received but still waiting: a
	 * program that stops there never gets them. A program reading on
	 * with pcap_next_ex or pcap_dispatch sees them delivered instead, and
	 * ps_drop never goes down. */
	uint64_t waiting = handle->loop_ended ? handle->waiting_at_loop_end : 0;
	stats->ps_drop = saturated(counters->loss.samples_lost + waiting);
	/* Samples the agents could not take: "dropped by interface". */
	stats->ps_ifdrop = saturated(counters->loss.agent_dropped_samples);
	return 0;
}

static void sflow_report_counters(const struct sflow_handle *handle)
{
	const char *enabled = getenv("SFLOW_STATS");
	if (enabled == NULL || strcmp(enabled, "1") != 0 || !handle->activated)
		return;
	for (size_t i = 0; i < sflow_counter_count; i++) {
		const struct sflow_counter_info *row = &sflow_counter_table[i];
		uint64_t value;
		memcpy(&value, (const char *)&handle->counters + row->offset, sizeof value);
		fprintf(stderr, "%s %llu\n", row->name, (unsigned long long)value);
	}
}

/* The sflow device as device lists and network lookups see it. */

/* The sflow device goes last, so a program that captures on the first
 * device by default keeps its choice. */
int sflow_findalldevs_append(pcap_if_t **devices, char *errbuf)
{
	pcap_if_t *device = calloc(1, sizeof *device);
	/* One line: what it is, then the whole grammar of its names. */
	char description[256];

	snprintf(description, sizeof description,
		 "sFlow collector on UDP port %d; name it %s",
		 SFLOW_DEFAULT_PORT, SFLOW_DEVICE_GRAMMAR);
	if (device != NULL) {
		/* The real pcap_freealldevs frees these with free(), as its own. */
		device->name = strdup(SFLOW_DEVICE_PREFIX);
		device->description = strdup(description);
		device->flags = PCAP_IF_UP | PCAP_IF_RUNNING |
				PCAP_IF_CONNECTION_STATUS_NOT_APPLICABLE;
	}
	if (device == NULL || device->name == NULL || device->description == NULL) {
		if (device != NULL) {
			free(device->name);
			free(device->description);
			free(device);
		}
		snprintf(errbuf, PCAP_ERRBUF_SIZE, "sflow: out of memory listing devices");
		return PCAP_ERROR;
	}
	pcap_if_t **tail = devices;
	while (*tail != NULL)
		tail = &(*tail)->next;
	*tail = device;
	return 0;
}

int sflow_lookupnet(bpf_u_int32 *net, bpf_u_int32 *mask)
{
	/* Sampled packets come from anywhere: there is no local network. */
	*net = *mask = 0;
	return 0;
}
