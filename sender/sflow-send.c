/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * sflow-send: exports the packets of a pcap file as sFlow v5 flow samples
 * to one UDP destination, or (--replay) sends the sFlow datagrams captured
 * in a pcap file as they are. A test source for sFlow collectors.
 *
 * options.c reads the command line; sampling.c and replay.c are the two
 * modes, reading the file through input.c and link_layer.c and sending
 * through output.c; sflow_encode.c builds the datagrams of sampling mode.
 */
#include <config.h>
#include <inttypes.h>
#include <stdio.h>

#include "errors.h"
#include "options.h"
#include "output.h"
#include "replay.h"
#include "sampling.h"
#include "signals.h"

static void print_summary(const struct options *o, const struct output *out,
			  uint64_t skipped)
{
	fprintf(stderr, PROG ": sent %" PRIu64 " datagrams, %" PRIu64
		" samples to %s", out->datagrams, out->samples, o->dest);
	if (skipped)
		fprintf(stderr, "; skipped %" PRIu64 " packets (%s)", skipped,
			o->replay ? "not whole UDP datagrams" : "not IP");
	if (out->refused)
		fprintf(stderr, "; %" PRIu64 " port unreachable",
			out->refused);
	fputc('\n', stderr);
}

int main(int argc, char **argv)
{
	struct options o;
	struct output out;
	uint64_t skipped;

	parse_options(argc, argv, &o);
	catch_stop_signals();
	skipped = o.replay ? run_replay(&o, &out) : run_sampling(&o, &out);
	if (!o.quiet)
		print_summary(&o, &out, skipped);
	output_close(&out);
	return 0;
}
