/* SPDX-License-Identifier: BSD-3-Clause */
/* The read path: datagrams arrive in batches, are decoded in place one at
 * a time into a queue of framed packets, and each packet that passes the
 * filter goes to the callback without a copy (unless bytes are added in
 * front of it). */
#include <config.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "module.h"
#include "select.h"
#include "sizes.h"

/* -Q in / -Q out, in selection's terms. */
static int queried_direction(pcap_direction_t direction)
{
	return direction == PCAP_D_IN ? SFLOW_DIR_IN
	       : direction == PCAP_D_OUT ? SFLOW_DIR_OUT : SFLOW_DIR_ANY;
}

/* The counter of each way a sample can fail to become a packet. */
static uint64_t *not_framed_counter(struct sflow_counters *counters,
				    enum sflow_frame_result result)
{
	switch (result) {
	case SFLOW_FRAME_NO_HEADER:
		return &counters->samples_without_header;
	case SFLOW_FRAME_NO_SYNTH:
		return &counters->sampled_ip_skipped;
	case SFLOW_FRAME_UNSUPPORTED:
		return &counters->unsupported_header_protocol;
	case SFLOW_FRAME_LINKTYPE_FILTERED:
		return &counters->filtered_by_linktype;
	case SFLOW_FRAME_DISCARD_SKIPPED:
		return &counters->discard_samples_skipped;
	case SFLOW_FRAME_FLOW_SKIPPED:
	default:
		return &counters->flow_samples_skipped;
	}
}

static void queue_sample(void *context, const struct sflow_datagram *datagram,
			 const struct sflow_sample *sample)
{
	struct sflow_handle *handle = context;
	struct sflow_packet_queue *queue = &handle->queue;
	const struct sflow_framing framing = { handle->linktype, handle->device.options };

	if (sample->kind != SFLOW_SAMPLE_DISCARD)
		sflow_loss_sample(&handle->loss, &handle->counters, datagram, sample);
	switch (sflow_select_sample(&handle->device, queried_direction(handle->direction), sample)) {
	case SFLOW_LEFT_OUT_IFINDEX:
		handle->counters.filtered_by_ifindex++;
		return;
	case SFLOW_LEFT_OUT_DIRECTION:
		handle->counters.filtered_by_direction++;
		return;
	case SFLOW_SELECTED:
		break;
	}
	if (queue->count == queue->capacity) {
		handle->counters.queue_overflow++;
		return;
	}
	enum sflow_frame_result result =
		sflow_frame(&framing, datagram, sample, &queue->packets[queue->count]);
	if (result == SFLOW_FRAMED) {
		sflow_packet_meta_fill(&queue->packets[queue->count].meta, datagram, sample);
		queue->count++;
		handle->counters.packets_received++;
	} else {
		(*not_framed_counter(&handle->counters, result))++;
	}
}

/* Decodes received datagrams until one yields packets or none are left. */
static void decode_until_packets(struct sflow_handle *handle)
{
	struct sflow_batch *batch = handle->batch;
	struct sflow_packet_queue *queue = &handle->queue;

	while (queue->next == queue->count && batch->next < batch->count) {
		const uint8_t *data;
		size_t length;

		queue->count = queue->next = 0;
		if (sflow_batch_datagram(batch, batch->next++, &data, &length,
					 &handle->datagram_time)) {
			handle->counters.datagrams++;
			handle->counters.malformed_datagrams++;
			continue;
		}
		/* agent=: decided on the header alone, so a datagram left out
		 * costs no decoding. One without a readable header goes to the
		 * decoder, which counts it malformed. */
		struct sflow_datagram header;
		if (sflow_decode_header(data, length, &header) == 0) {
			if (!sflow_select_agent(&handle->device, &header.agent)) {
				handle->counters.datagrams++;
				handle->counters.agent_filtered_datagrams++;
				continue;
			}
			/* The stream's books first: a restart re-baselines the
			 * sources before their samples are accounted. */
			sflow_loss_datagram(&handle->loss, &handle->counters, &header);
		}
		sflow_decode(data, length, queue_sample, handle, &handle->counters);
	}
}

struct waiting {
	const struct sflow_handle *handle;
	uint64_t samples;
};

/* Counts a sample of a datagram not yet decoded that would become a packet. */
static void count_waiting(void *context, const struct sflow_datagram *datagram,
			  const struct sflow_sample *sample)
{
	struct waiting *waiting = context;
	const struct sflow_handle *handle = waiting->handle;
	const struct sflow_framing framing = { handle->linktype, handle->device.options };
	struct sflow_framed_packet packet;

	if (sflow_select_sample(&handle->device, queried_direction(handle->direction), sample) ==
	    SFLOW_SELECTED &&
	    sflow_frame(&framing, datagram, sample, &packet) == SFLOW_FRAMED)
		waiting->samples++;
}

uint64_t sflow_waiting_samples(const struct sflow_handle *handle)
{
	struct waiting waiting = { handle, 0 };
	const struct sflow_batch *batch = handle->batch;

	if (batch == NULL)
		return 0;
	waiting.samples = handle->queue.count - handle->queue.next;
	/* The decoder is pure: decoding again for a count changes nothing. */
	for (unsigned i = batch->next; i < batch->count; i++) {
		const uint8_t *data;
		size_t length;
		struct timespec time;
		struct sflow_counters scratch = { 0 };
		struct sflow_datagram header;
		if (sflow_batch_datagram(batch, i, &data, &length, &time) != 0)
			continue;
		if (sflow_decode_header(data, length, &header) == 0 &&
		    !sflow_select_agent(&handle->device, &header.agent))
			continue;
		sflow_decode(data, length, count_waiting, &waiting, &scratch);
	}
	return waiting.samples;
}

/* Hands the next queued packet to the callback if it passes the filter;
 * returns 1 if it did. */
static int deliver_next(struct sflow_handle *handle, pcap_handler callback, u_char *user)
{
	const struct sflow_framed_packet *packet = &handle->queue.packets[handle->queue.next++];
	uint32_t snaplen = (uint32_t)handle->settings.snaplen;
	uint32_t available = packet->prefix_length + packet->rest_length;
	struct pcap_pkthdr header = {
		.caplen = available < snaplen ? available : snaplen,
		.len = packet->wire_length,
	};
	const u_char *data = packet->rest;

	if (packet->prefix_length > 0) {
		/* Bytes go in front: build the packet in the assembly buffer, only
		 * as far as the snap length reaches. */
		uint32_t prefix = packet->prefix_length < header.caplen
				  ? packet->prefix_length : header.caplen;
		memcpy(handle->assembly, packet->prefix, prefix);
		memcpy(handle->assembly + prefix, packet->rest, header.caplen - prefix);
		data = handle->assembly;
	}
	if (handle->filter.bf_insns != NULL &&
	    bpf_filter(handle->filter.bf_insns, data, header.len, header.caplen) == 0)
		return 0;

	/* The agent's own time when the sample carried it, else receive time. */
	struct timespec time = handle->datagram_time;
	if (packet->has_agent_time) {
		time.tv_sec = (time_t)(packet->agent_time_ns / 1000000000u);
		time.tv_nsec = (long)(packet->agent_time_ns % 1000000000u);
	}
	/* The traffic this packet stands for. */
	handle->counters.sampled_packets_estimate += packet->sampling_rate;
	header.ts.tv_sec = time.tv_sec;
	header.ts.tv_usec = handle->settings.tstamp_precision == PCAP_TSTAMP_PRECISION_NANO
			    ? time.tv_nsec : time.tv_nsec / 1000;
	callback(user, &header, data);
	return 1;
}

static long elapsed_ms(const struct timespec *since)
{
	struct timespec now;
	clock_gettime(CLOCK_MONOTONIC, &now);
	return (now.tv_sec - since->tv_sec) * 1000 + (now.tv_nsec - since->tv_nsec) / 1000000;
}

/* Batching under load, as libpcap's TPACKET_V3 capture hands a block over
 * when it is full or its timeout expires: a batch that came in part full
 * keeps receiving, in pauses the socket fills during, until it is full,
 * the program's timeout since its first datagram expires, or a pause
 * brings nothing (the feed is slow: waiting longer would only delay it).
 * A busy capture so wakes once per batch rather than once per few
 * datagrams. Immediate mode and non-blocking mode hand over at once. */
static void fill_batch(struct sflow_handle *handle)
{
	struct sflow_batch *batch = handle->batch;
	int timeout_ms = handle->settings.timeout_ms;
	struct timespec first;

	if (handle->settings.immediate || handle->nonblock)
		return;
	clock_gettime(CLOCK_MONOTONIC, &first);
	while (batch->count < batch->capacity && !handle->break_loop) {
		if (timeout_ms > 0 && elapsed_ms(&first) >= timeout_ms)
			return;
		if (sflow_source_pause(&handle->source, SFLOW_BATCH_PAUSE_US) < 0)
			return;         /* pcap_breakloop, or a signal: hand over now */
		char unused[PCAP_ERRBUF_SIZE];
		int more = sflow_source_receive(&handle->source, batch, &handle->counters,
						unused, sizeof unused);
		if (more <= 0)
			return;         /* errors show at the next receive */
	}
}

/* One dispatch: delivers what one batch holds, waiting at most once for
 * its first datagram. */
static int read_packets(struct sflow_handle *handle, int max_packets,
			pcap_handler callback, u_char *user)
{
	int delivered = 0;
	int waited = 0;

	for (;;) {
		if (handle->break_loop) {
			if (delivered > 0)
				return delivered;
			handle->break_loop = 0;
			return PCAP_ERROR_BREAK;
		}
		if (handle->queue.next < handle->queue.count) {
			delivered += deliver_next(handle, callback, user);
			if (max_packets > 0 && delivered >= max_packets)
				return delivered;
			continue;
		}
		decode_until_packets(handle);
		if (handle->queue.next < handle->queue.count)
			continue;
		/* The batch is used up: one batch is one dispatch. */
		if (delivered > 0)
			return delivered;
		sflow_batch_reset(handle->batch);
		char error[PCAP_ERRBUF_SIZE];
		int received = sflow_source_receive(&handle->source, handle->batch,
						    &handle->counters, error, sizeof error);
		if (received < 0) {
			sflow_handle_error(handle, "%s: %s", handle->name, error);
			return PCAP_ERROR;
		}
		if (received > 0) {
			fill_batch(handle);
			/* The source's running count, as of the newest datagram. */
			handle->counters.socket_dropped_datagrams =
				sflow_source_drops(&handle->source);
			/* Forwarded before anything is decided about them. */
			if (handle->forward.count > 0) {
				uint64_t failed = sflow_forward_batch(&handle->forward, handle->batch);
				handle->counters.forward_errors += failed;
				handle->counters.datagrams_forwarded +=
					(uint64_t)handle->batch->count * handle->forward.count - failed;
			}
			continue;
		}
		/* A file read to its end: the capture ends as a savefile's. */
		if (sflow_source_ended(&handle->source)) {
			handle->source_ended = 1;
			return 0;
		}
		if (waited || handle->nonblock)
			return 0;
		int timeout = handle->settings.timeout_ms > 0 ? handle->settings.timeout_ms : -1;
		int ready = sflow_source_wait(&handle->source, timeout);
		if (ready < 0 && errno != EINTR) {
			sflow_handle_error(handle, "%s: poll: %s", handle->name, strerror(errno));
			return PCAP_ERROR;
		}
		/* A signal or wake-up goes back to check break_loop and waits
		 * afresh; a timeout or a datagram ends the wait. */
		waited = ready >= 0;
	}
}

int sflow_dispatch(struct sflow_handle *handle, int max_packets,
		   pcap_handler callback, u_char *user)
{
	handle->loop_ended = 0;
	int result = read_packets(handle, max_packets, callback, user);
	if (result == PCAP_ERROR_BREAK)
		handle->loop_ended = 1;
	/* A program that select()s before each read must see packets that
	 * wait here, not only those still in the socket. */
	sflow_source_set_pending(&handle->source,
				 handle->queue.next < handle->queue.count ||
				 handle->batch->next < handle->batch->count);
	return result;
}

int sflow_loop(struct sflow_handle *handle, int count, pcap_handler callback, u_char *user)
{
	int total = 0;

	for (;;) {
		int delivered = sflow_dispatch(handle, count > 0 ? count - total : -1,
					       callback, user);
		if (delivered < 0) {
			handle->loop_ended = 1;
			return delivered;
		}
		total += delivered;
		if ((count > 0 && total >= count) || handle->source_ended) {
			handle->loop_ended = 1;
			return 0;
		}
	}
}

static void keep_packet(u_char *user, const struct pcap_pkthdr *header, const u_char *data)
{
	struct sflow_handle *handle = (struct sflow_handle *)user;
	handle->next_header = *header;
	handle->next_data = data;
}

int sflow_next_ex(struct sflow_handle *handle, struct pcap_pkthdr **header,
		  const u_char **data)
{
	int delivered = sflow_dispatch(handle, 1, keep_packet, (u_char *)handle);
	/* As a savefile's: no more packets is PCAP_ERROR_BREAK. */
	if (delivered == 0 && handle->source_ended)
		return PCAP_ERROR_BREAK;
	if (delivered > 0) {
		*header = &handle->next_header;
		*data = handle->next_data;
	}
	return delivered;
}

int sflow_setfilter(struct sflow_handle *handle, const struct bpf_program *program)
{
	struct bpf_insn *copy = NULL;
	size_t size = program->bf_len * sizeof *program->bf_insns;

	if (program->bf_len > 0) {
		copy = malloc(size);
		if (copy == NULL) {
			sflow_handle_error(handle, "%s: out of memory", handle->name);
			return PCAP_ERROR;
		}
		memcpy(copy, program->bf_insns, size);
	}
	free(handle->filter.bf_insns);
	handle->filter.bf_insns = copy;
	handle->filter.bf_len = program->bf_len;
	return 0;
}

const u_char *sflow_next(struct sflow_handle *handle, struct pcap_pkthdr *header)
{
	struct pcap_pkthdr *next_header;
	const u_char *data;

	if (sflow_next_ex(handle, &next_header, &data) != 1)
		return NULL;
	*header = *next_header;
	return data;
}

/* Async-signal-safe: programs call it from SIGINT handlers. */
void sflow_breakloop(struct sflow_handle *handle)
{
	handle->break_loop = 1;
	sflow_source_wake(&handle->source);
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
