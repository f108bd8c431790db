/* SPDX-License-Identifier: BSD-3-Clause */
/* Finds the real libpcap's functions behind ours, once, with dlsym(RTLD_NEXT). */
#include <config.h>
#include "real_pcap.h"

#include <dlfcn.h>
#include <pthread.h>

#define SFLOW_DEFINE_REAL(name) __typeof__(name) *real_##name;
SFLOW_REAL_FUNCTIONS(SFLOW_DEFINE_REAL)
#undef SFLOW_DEFINE_REAL

static pthread_once_t resolved = PTHREAD_ONCE_INIT;

static void resolve_all(void)
{
	/* RTLD_NEXT: the next definition after this preloaded object, which is
	 * the system libpcap's. */
#define SFLOW_RESOLVE_REAL(name) \
	*(void **)(&real_##name) = dlsym(RTLD_NEXT, #name);
	SFLOW_REAL_FUNCTIONS(SFLOW_RESOLVE_REAL)
#undef SFLOW_RESOLVE_REAL
}

void sflow_real_pcap_resolve(void)
{
	pthread_once(&resolved, resolve_all);
}

/* Resolve at load time too, so that signal handlers (pcap_breakloop) never
 * have to. */
__attribute__((constructor)) static void resolve_at_load(void)
{
	sflow_real_pcap_resolve();
}
