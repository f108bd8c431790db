/* SPDX-License-Identifier: BSD-3-Clause */
/* dlsym interposition: programs that look libpcap's functions up on
 * libpcap's own handle (Python's ctypes, hence scapy; cffi) would get the
 * real libpcap's pcap_create and never see an sflow device. For such a
 * lookup of a pcap_* function this module defines, return ours; every
 * other lookup goes to the C library's dlsym unchanged. */
#include <config.h>
#include <dlfcn.h>
#include <stdatomic.h>
#include <string.h>

#include "real_pcap.h"

/* A sanitizer runtime loaded ahead of the module calls dlsym (through
 * this one) while it initializes, before it can check anything: this
 * file's code must not be instrumented. */
#define UNINSTRUMENTED __attribute__((no_sanitize("address", "undefined")))

typedef void *(*dlsym_fn)(void *restrict, const char *restrict);

static _Atomic(dlsym_fn) real_dlsym;
static void *_Atomic libpcap_handle;
static void *_Atomic self_base;

UNINSTRUMENTED static dlsym_fn find_real_dlsym(void)
{
	dlsym_fn real = atomic_load(&real_dlsym);
	if (real != NULL)
		return real;
	/* dlvsym is not interposed; the versions glibc has used for dlsym on
	 * x86-64 (2.34 moved it into libc). */
	*(void **)&real = dlvsym(RTLD_NEXT, "dlsym", "GLIBC_2.34");
	if (real == NULL)
		*(void **)&real = dlvsym(RTLD_NEXT, "dlsym", "GLIBC_2.2.5");
	atomic_store(&real_dlsym, real);
	return real;
}

/* The real libpcap's handle, as dlopen returns it to anyone: found from
 * the address of one of its functions. NULL until those are resolved. */
UNINSTRUMENTED static void *find_libpcap_handle(void)
{
	void *handle = atomic_load(&libpcap_handle);
	Dl_info info;

	if (handle != NULL || real_pcap_create == NULL)
		return handle;
	if (dladdr(*(void **)&real_pcap_create, &info) == 0 || info.dli_fname == NULL)
		return NULL;
	handle = dlopen(info.dli_fname, RTLD_LAZY | RTLD_NOLOAD);
	if (handle == NULL)
		return NULL;
	/* Loaded as our own dependency, so it stays: drop the reference. */
	dlclose(handle);
	atomic_store(&libpcap_handle, handle);
	return handle;
}

UNINSTRUMENTED static void *find_self_base(void)
{
	void *base = atomic_load(&self_base);
	Dl_info info;

	if (base == NULL && dladdr((void *)find_self_base, &info) != 0) {
		base = info.dli_fbase;
		atomic_store(&self_base, base);
	}
	return base;
}

/* Our definition of name when handle is libpcap's and we define it. Not
 * inlined: its locals (and a sanitizer's redzones around them) must stay
 * out of dlsym's frame, or the tail call below could not be one. */
__attribute__((noinline)) UNINSTRUMENTED
static void *ours_instead(void *handle, const char *name, dlsym_fn real)
{
	if (handle == RTLD_NEXT || handle == RTLD_DEFAULT || name == NULL ||
	    strncmp(name, "pcap_", 5) != 0 || handle != find_libpcap_handle())
		return NULL;
	/* RTLD_DEFAULT finds the first definition in load order; it is ours
	 * only if it lies in this object. */
	void *symbol = real(RTLD_DEFAULT, name);
	Dl_info info;
	if (symbol == NULL || dladdr(symbol, &info) == 0 || info.dli_fbase != find_self_base())
		return NULL;
	return symbol;
}

/* The final call must stay a tail call: glibc's dlsym resolves RTLD_NEXT
 * relative to its caller's return address, which a jump preserves. */
__attribute__((visibility("default"), optimize("O2", "optimize-sibling-calls"))) UNINSTRUMENTED
void *dlsym(void *restrict handle, const char *restrict name)
{
	dlsym_fn real = find_real_dlsym();
	void *ours = ours_instead(handle, name, real);
	if (ours != NULL)
		return ours;
	return real(handle, name);
}
