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

/* The counter of each way a sample can fail to become a packet. */
static uint64_t *not_framed_counter(struct sflow_read_counters *counters,
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

/* The one decision on a sample of an admitted datagram: whether it is
 * selected (ifindex=, dir=, -Q) and framed for the handle's link type and
 * options. NULL when it became *packet; else the counter, in counters, of
 * why it did not. The read path queues what it admits; the count of what
 * still waits when the loop ends admits the same way (count_waiting). */
static inline uint64_t *admit_sample(const struct sflow_handle *handle,
				     struct sflow_read_counters *counters,
				     const struct sflow_datagram *datagram,
				     const struct sflow_sample *sample,
				     struct sflow_framed_packet *packet)
{
	const struct sflow_framing framing = { handle->linktype, handle->device.options };

	if (sflow_select_samples_needed(&handle->device, handle->direction)) {
		switch (sflow_select_sample(&handle->device, handle->direction, sample)) {
		case SFLOW_LEFT_OUT_IFINDEX:
			return &counters->filtered_by_ifindex;
		case SFLOW_LEFT_OUT_DIRECTION:
			return &counters->filtered_by_direction;
		case SFLOW_SELECTED:
			break;
		}
	}
	enum sflow_frame_result result = sflow_frame(&framing, datagram, sample, packet);
	return result == SFLOW_FRAMED ? NULL : not_framed_counter(counters, result);
}

/* The one decision on a datagram: its header read (and the datagram
 * counted) once, then agent=, decided on the header alone, so a datagram
 * left out costs no decoding. 1 when its samples are to be decoded. */
static int admit_datagram(const struct sflow_handle *handle, struct sflow_counters *counters,
			  const uint8_t *data, size_t length, struct sflow_datagram *header)
{
	if (sflow_decode_header(data, length, header, &counters->decoder) != SFLOW_DECODE_OK)
		return 0;
	if (!sflow_select_agent(&handle->device, &header->agent)) {
		counters->read.agent_filtered_datagrams++;
		return 0;
	}
	return 1;
}

/* What queue_sample needs of the datagram being decoded. */
struct decoding {
	struct sflow_handle *handle;
	struct sflow_loss_datagram_context loss;    /* its stream's books */
};

static void queue_sample(void *context, const struct sflow_datagram *datagram,
			 const struct sflow_sample *sample)
{
	struct decoding *decoding = context;
	struct sflow_handle *handle = decoding->handle;
	struct sflow_packet_queue *queue = &handle->queue;
	struct sflow_framed_packet overflow;
	int full = queue->count == queue->capacity;

	if (sample->kind != SFLOW_SAMPLE_DISCARD)
		sflow_loss_sample(&handle->loss, &handle->counters.loss, &decoding->loss, sample);
	uint64_t *refused = admit_sample(handle, &handle->counters.read, datagram, sample,
					 full ? &overflow : &queue->packets[queue->count]);
	if (refused != NULL) {
		(*refused)++;
	} else if (full) {
		handle->counters.read.queue_overflow++;
	} else {
		sflow_packet_info_fill(&queue->packets[queue->count].info, datagram, sample);
		queue->count++;
		handle->counters.read.packets_received++;
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
		struct sflow_datagram header;

		queue->count = queue->next = 0;
		/* A datagram the socket cut short reads as no datagram at all:
		 * the decoder counts it malformed. */
		if (sflow_batch_datagram(batch, batch->next++, &data, &length,
					 &handle->datagram_time))
			length = 0;
		if (!admit_datagram(handle, &handle->counters, data, length, &header))
			continue;
		/* The stream's books first: a restart re-baselines the sources
		 * before their samples are accounted. */
		struct decoding decoding = { .handle = handle };
		sflow_loss_datagram(&handle->loss, &handle->counters.loss, &header,
				    &handle->datagram_time, &decoding.loss);
		sflow_decode_samples(&header, queue_sample, &decoding, &handle->counters.decoder);
	}
}

struct waiting {
	const struct sflow_handle *handle;
	uint64_t samples;
};

static void count_if_admitted(void *context, const struct sflow_datagram *datagram,
			      const struct sflow_sample *sample)
{
	struct waiting *waiting = context;
	struct sflow_read_counters unused;
	struct sflow_framed_packet packet;

	if (admit_sample(waiting->handle, &unused, datagram, sample, &packet) == NULL)
		waiting->samples++;
}

/* Samples received that the program has not been handed: queued packets,
 * and those the datagrams not yet decoded would admit. Counted, not
 * accounted: the decoder is pure, and the books of these datagrams are
 * kept when (if) the program reads on and they are decoded for real. */
static uint64_t count_waiting(const struct sflow_handle *handle)
{
	const struct sflow_batch *batch = handle->batch;
	struct waiting waiting = { handle, 0 };

	if (batch == NULL)
		return 0;
	waiting.samples = handle->queue.count - handle->queue.next;
	for (unsigned i = batch->next; i < batch->count; i++) {
		const uint8_t *data;
		size_t length;
		struct timespec time;
		struct sflow_counters scratch = { 0 };
		struct sflow_datagram header;
		if (sflow_batch_datagram(batch, i, &data, &length, &time) == 0 &&
		    admit_datagram(handle, &scratch, data, length, &header))
			sflow_decode_samples(&header, count_if_admitted, &waiting, &scratch.decoder);
	}
	return waiting.samples;
}

/* The loop ended (its count, an error or pcap_breakloop): what still
 * waits is counted once, here, for pcap_stats and pcap_close to read. */
static void end_loop(struct sflow_handle *handle)
{
	if (handle->loop_ended)
		return;
	handle->loop_ended = 1;
	handle->waiting_at_loop_end = count_waiting(handle);
}

void sflow_admission_changed(struct sflow_handle *handle)
{
	if (handle->loop_ended)
		handle->waiting_at_loop_end = count_waiting(handle);
}

void sflow_drain(struct sflow_handle *handle)
{
	handle->counters.read.samples_undelivered +=
		handle->loop_ended ? handle->waiting_at_loop_end : count_waiting(handle);
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
	handle->counters.read.sampled_packets_estimate += packet->sampling_rate;
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
		int more = sflow_source_receive(&handle->source, batch, &handle->counters.source,
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
						    &handle->counters.source, error, sizeof error);
		if (received < 0) {
			sflow_handle_error(handle, "%s: %s", handle->name, error);
			return PCAP_ERROR;
		}
		if (received > 0) {
			fill_batch(handle);
			/* The source's running count, as of the newest datagram. */
			handle->counters.source.socket_dropped_datagrams =
				sflow_source_drops(&handle->source);
			/* Forwarded before anything is decided about them. */
			if (handle->forward.count > 0) {
				uint64_t failed = sflow_forward_batch(&handle->forward, handle->batch);
				handle->counters.forward.forward_errors += failed;
				handle->counters.forward.datagrams_forwarded +=
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
		end_loop(handle);
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
			end_loop(handle);
			return delivered;
		}
		total += delivered;
		if ((count > 0 && total >= count) || handle->source_ended) {
			end_loop(handle);
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
