/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * SIGINT and SIGTERM only count in signals_seen: the loops check it and
 * end cleanly, and the summary is still printed.
 */
#ifndef SENDER_SIGNALS_H
#define SENDER_SIGNALS_H

#include <signal.h>

extern volatile sig_atomic_t signals_seen;

/* Installs the counting handler for SIGINT and SIGTERM, without
 * SA_RESTART: a signal must cut a paced sleep short. */
void catch_stop_signals(void);

#endif
