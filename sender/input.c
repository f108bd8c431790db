/* SPDX-License-Identifier: BSD-3-Clause */
#include "input.h"

#include "errors.h"
#include "link_layer.h"
#include "signals.h"

pcap_t *input_open(const char *file)
{
	char err[PCAP_ERRBUF_SIZE];
	pcap_t *p = pcap_open_offline(file, err);
	int dlt;

	if (!p)
		die("%s", err);
	dlt = pcap_datalink(p);
	if (!link_type_supported(dlt))
		die("%s: link type %s is not supported (want Ethernet, raw IP "
		    "or Linux cooked)", file,
		    pcap_datalink_val_to_name(dlt) ?
		    pcap_datalink_val_to_name(dlt) : "unknown");
	return p;
}

/* One pass over p, which it closes. Sets *last at PACKET_USED_LAST;
 * returns the packets used, and adds those skipped to *skipped. */
static uint64_t one_pass(pcap_t *p, const char *file, packet_handler handle,
			 void *ctx, uint64_t *skipped, int *last)
{
	int dlt = pcap_datalink(p), rc = 0;
	struct pcap_pkthdr *h;
	const u_char *data;
	uint64_t used = 0;

	while (!signals_seen && (rc = pcap_next_ex(p, &h, &data)) == 1) {
		enum packet_use use = handle(ctx, dlt, h, data);

		if (use == PACKET_SKIPPED) {
			(*skipped)++;
			continue;
		}
		used++;
		if (use == PACKET_USED_LAST) {
			*last = 1;
			break;
		}
	}
	if (!*last && !signals_seen && rc == -1)
		die("%s: %s", file, pcap_geterr(p));
	pcap_close(p);
	return used;
}

uint64_t input_each_packet(pcap_t *first, const char *file, uint32_t passes,
			   packet_handler handle, void *ctx)
{
	uint64_t skipped = 0;
	uint32_t pass;
	int last = 0;

	for (pass = 0; !last && !signals_seen && (passes == 0 ||
						  pass < passes); pass++) {
		pcap_t *p = pass == 0 ? first : input_open(file);

		if (one_pass(p, file, handle, ctx, &skipped, &last) == 0)
			break;
	}
	return skipped;
}
