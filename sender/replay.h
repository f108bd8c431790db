/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Replay mode: the sFlow datagrams captured in the file, each UDP payload
 * sent as it is.
 */
#ifndef SENDER_REPLAY_H
#define SENDER_REPLAY_H

#include <stdint.h>

#include "options.h"

struct output;

/* Opens the input and the output (into out) and sends the payloads.
 * Returns the packets skipped as not whole UDP datagrams. */
uint64_t run_replay(const struct options *o, struct output *out);

#endif
