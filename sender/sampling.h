/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Sampling mode: the packets of the file, one in sampling_rate, as sFlow
 * v5 flow samples spread round-robin over the data sources.
 */
#ifndef SENDER_SAMPLING_H
#define SENDER_SAMPLING_H

#include <stdint.h>

#include "options.h"

struct output;

/* Opens the input and the output (into out), sends the samples, then the
 * --final-pause datagrams. Returns the packets skipped as not IP. */
uint64_t run_sampling(const struct options *o, struct output *out);

#endif
